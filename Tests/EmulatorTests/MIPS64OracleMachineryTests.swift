// MIPS64OracleMachineryTests: the pieces of the decoder oracle, checked against capstone alone:
// the PRNG's reference values, the alias table on capstone's own spellings, the compiled glibc
// corpus, and the tally's detection of a decoder that disagrees.
import XCTest
import Disassembly
import Emulator

final class MIPS64OracleMachineryTests: XCTestCase {
    func testSplitMix64ReferenceValues() {
        // First outputs for seed 0 of the reference C implementation (Vigna's splitmix64.c).
        var g = SplitMix64(seed: 0)
        XCTAssertEqual(g.next(), 0xe220_a839_7b1d_cdaf)
        XCTAssertEqual(g.next(), 0x6e78_9e6a_a1b9_65f4)
        XCTAssertEqual(g.next(), 0x06c4_5d18_8009_454f)
        XCTAssertEqual(SplitMix64.words(seed: 0, count: 2), [0x7b1d_cdaf, 0xa1b9_65f4])
    }

    func testAliasesMapCapstoneSpellingsToBaseInstructions() throws {
        let cs = try CapstoneDisassembler(isa: .mips64, littleEndian: true)
        let cases: [(UInt32, String, String)] = [
            (0x0000_0000, "nop", "sll"), (0x0000_0040, "ssnop", "sll"), (0x0000_00c0, "ehb", "sll"),
            (0x0000_0140, "pause", "sll"),
            (0x0080_2825, "move", "or"), (0x0080_2821, "move", "addu"), (0x0080_282d, "move", "daddu"),
            (0x0004_1023, "negu", "subu"), (0x0004_1022, "neg", "sub"),
            (0x1000_0005, "b", "beq"), (0x1080_0003, "beqz", "beq"), (0x1480_0003, "bnez", "bne"),
            (0x0411_0003, "bal", "bgezal"),
            (0x0320_0009, "jr", "jalr"), (0x0320_f809, "jalr", "jalr"), (0x0320_fc09, "jalr.hb", "jalr"),
            (0x03e0_0008, "jr", "jr"), (0x2402_0005, "addiu", "addiu"),
        ]
        for (word, spelled, base) in cases {
            let m = try XCTUnwrap(cs.disassemble(word: word, address: 0)?.mnemonic, String(word, radix: 16))
            XCTAssertEqual(m, spelled, String(word, radix: 16))
            XCTAssertEqual(MIPSAliases.canonical(m, word: word), base, String(word, radix: 16))
        }
        // k42sim-side spellings go through the same table.
        XCTAssertEqual(MIPSAliases.canonical("NOT", word: 0x0080_1027), "nor")
        XCTAssertEqual(MIPSAliases.canonical("li", word: 0x3402_0005), "ori")
    }

    func testGlibcCorpusDecodesAndLeavesNoAliasAfterNormalization() throws {
        let path = try sampler()
        let words = try MIPS64Oracle.textWords(path: path)
        XCTAssertGreaterThan(words.count, 20_000)
        let cs = try CapstoneDisassembler(isa: .mips64, littleEndian: true)
        var undecoded = 0
        var names = Set<String>()
        for w in words {
            guard let m = cs.disassemble(word: w, address: 0)?.mnemonic else { undecoded += 1; continue }
            names.insert(MIPSAliases.canonical(m, word: w))
        }
        // gcc's code is nearly all decodable; the rest is capstone 4's c.cond.fmt with cc != 0 gap.
        XCTAssertLessThan(undecoded, words.count / 1000)
        let aliases: Set = ["nop", "ssnop", "ehb", "pause", "move", "neg", "negu", "dneg", "dnegu", "not",
                            "b", "bal", "beqz", "bnez", "beqzl", "bnezl", "li"]
        XCTAssertTrue(names.isDisjoint(with: aliases), "\(names.intersection(aliases))")
        XCTAssertTrue(names.isSuperset(of: ["daddiu", "ld", "sd", "jalr", "beq", "sll", "or", "ldc1"]))
    }

    func testTallyFindsAndExplainsDisagreements() throws {
        let cs = try CapstoneDisassembler(isa: .mips64, littleEndian: true)
        // A "decoder" that is capstone except that it calls all of opcode 0x1c (SPECIAL2)
        // reserved and misnames lui; only the SPECIAL2 part is declared as known.
        let stub: (UInt32) -> String? = { w in
            if w >> 26 == 0x1c { return nil }
            if w >> 26 == 0x0f { return "lui.wrong" }
            return cs.disassemble(word: w, address: 0)?.mnemonic
        }
        let known = [KnownDisagreement(name: "special2", reason: "test") { w, a, _ in w.opcode == 0x1c && a == nil }]
        let words = SplitMix64.words(seed: 7, count: 20_000)
        let t = MIPS64Oracle.compare(corpus: "stub", words: words, k42: stub, capstone: cs, known: known)
        XCTAssertGreaterThan(t.explained["special2"] ?? 0, 0)
        let lui = words.filter { $0 >> 26 == 0x0f && cs.disassemble(word: $0, address: 0) != nil }.count
        XCTAssertEqual(t.unexplainedCount, lui + words.filter { $0 >> 26 == 0x0f && cs.disassemble(word: $0, address: 0) == nil }.count)
        XCTAssertTrue(t.unexplained.allSatisfy { $0.k42 == "lui.wrong" })
        // Every other word capstone decodes is decoded the same by the stub (it is capstone).
        let same = words.filter { $0 >> 26 != 0x0f && $0 >> 26 != 0x1c && cs.disassemble(word: $0, address: 0) != nil }.count
        XCTAssertEqual(t.bothValidSameName, same)
    }

    private func sampler() throws -> String {
        try GlibcSampler.mips64()
    }
}
