// PPC64DecoderOracleTests: k42sim's PPC64 decoder against llvm-objdump (pwr8), word by word, on
// a static glibc program's .text and on 150,000 fixed-seed random words (uniform, and aimed at
// the extended-opcode tables). Valid vs invalid and the canonical mnemonic (PPC64Oracle) must
// agree, except the explained groups in PPC64KnownDisagreements. Prints a summary.
import XCTest
@testable import Emulator

final class PPC64DecoderOracleTests: XCTestCase {
    private func check(_ corpus: String, _ words: [UInt32]) throws -> OracleTally {
        let theirs = try PPC64Oracle.llvmMnemonics(words)
        var t = OracleTally(corpus: corpus)
        var pairs: [String: Int] = [:]
        for (i, w) in words.enumerated() {
            t.total += 1
            let a = PPC64Decoder.mnemonic(w).map { PPC64Oracle.canonical($0, word: w) }
            let b = theirs[i].map { PPC64Oracle.canonical($0, word: w) }
            if a == nil && b == nil { t.bothInvalid += 1; continue }
            if a == b { t.bothValidSameName += 1; continue }
            if let k = PPC64KnownDisagreements.explain(word: w, k42: a, llvm: b) {
                t.explained[k, default: 0] += 1
                continue
            }
            t.unexplainedCount += 1
            pairs["\(a ?? "invalid") / \(b ?? "invalid")", default: 0] += 1
            if t.unexplained.count < 60 { t.unexplained.append((w, PPC64Decoder.mnemonic(w), theirs[i])) }
        }
        print(t.summary)
        for (k, v) in pairs.sorted(by: { $0.value > $1.value }) { print("  pair \(k): \(v)") }
        for e in t.unexplained {
            print("  unexplained 0x\(String(e.word, radix: 16)): k42sim \(e.k42 ?? "invalid"), llvm \(e.capstone ?? "invalid")")
        }
        XCTAssertEqual(t.unexplainedCount, 0, "\(corpus): \(t.unexplainedCount) unexplained disagreements (first ones printed above)")
        return t
    }

    func testGlibcText() throws {
        let path = try GlibcSampler.ppc64()
        let words = try MIPS64Oracle.textWords(path: path)
        XCTAssertGreaterThan(words.count, 20_000)
        let t = try check("glibc .text", words)
        XCTAssertGreaterThan(t.bothValidSameName, words.count * 95 / 100)
    }

    func testUniformRandomWords() throws {
        let t = try check("random words", SplitMix64.words(seed: 0x4B42_5050_4336_34, count: 100_000))
        XCTAssertGreaterThan(t.bothValidSameName, 30_000)
    }

    /// Random words with the primary opcode drawn from the big extended-opcode tables
    /// (4 VMX, 19, 31, 59, 63 FP, 60 VSX, 30 rotates) so that their sub-tables are well covered.
    func testExtendedOpcodeRandomWords() throws {
        var g = SplitMix64(seed: 0x5050_4331)
        let primaries: [UInt32] = [4, 19, 30, 31, 31, 31, 59, 60, 60, 63]
        var words: [UInt32] = []
        for _ in 0 ..< 50_000 {
            let r = UInt32(truncatingIfNeeded: g.next())
            let p = primaries[Int(g.next() % UInt64(primaries.count))]
            words.append(p << 26 | (r & 0x03FF_FFFF))
        }
        _ = try check("extended-opcode words", words)
    }
}
