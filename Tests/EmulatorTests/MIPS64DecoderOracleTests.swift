// MIPS64DecoderOracleTests: k42sim's MIPS64 decoder against capstone, word by word, on glibc's
// compiled code, on uniformly random words and on random words aimed at the sub-tables. Valid vs
// reserved and the mnemonic (after MIPSAliases) must agree, except for the explained kinds of
// words in MIPS64KnownDisagreements. Prints a summary of the counts.
import XCTest
import Disassembly
@testable import Emulator

final class MIPS64DecoderOracleTests: XCTestCase {
    private func check(_ corpus: String, _ words: [UInt32]) throws -> OracleTally {
        let cs = try CapstoneDisassembler(isa: .mips64, littleEndian: true)
        let t = MIPS64Oracle.compare(corpus: corpus, words: words, k42: MIPS64Decoder.mnemonic,
                                     capstone: cs, known: MIPS64KnownDisagreements.all)
        print(t.summary)
        for e in t.unexplained {
            print("  unexplained \(ElfListing.hex(UInt64(e.word), width: 8)): k42sim \(e.k42 ?? "reserved"), capstone \(e.capstone ?? "invalid")")
        }
        XCTAssertEqual(t.unexplainedCount, 0, "\(corpus): \(t.unexplainedCount) unexplained disagreements (first ones printed above)")
        return t
    }

    func testGlibcText() throws {
        let path = try GlibcSampler.mips64()
        let words = try MIPS64Oracle.textWords(path: path)
        XCTAssertGreaterThan(words.count, 20_000)
        let t = try check("glibc .text", words)
        // Compiled code is nearly all valid: almost every word must be an exact agreement.
        XCTAssertGreaterThan(t.bothValidSameName, words.count * 999 / 1000)
    }

    func testUniformRandomWords() throws {
        let t = try check("random words", SplitMix64.words(seed: 0x4B42_4D49_5053, count: 200_000))
        XCTAssertGreaterThan(t.bothValidSameName, 100_000)
    }

    func testSubTableRandomWords() throws {
        let t = try check("sub-table words", MIPS64Oracle.subTableWords(seed: 0x5EED, count: 200_000))
        XCTAssertGreaterThan(t.bothValidSameName, 20_000)
    }
}
