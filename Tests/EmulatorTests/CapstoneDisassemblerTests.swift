// CapstoneDisassemblerTests: the capstone wrapper decodes known MIPS64 and PPC64 words in both
// byte orders, reports undecodable words as nil, and splits a byte range into 4-byte slots.
import XCTest
import Disassembly
import Emulator

final class CapstoneDisassemblerTests: XCTestCase {
    func testMIPSWords() throws {
        let d = try CapstoneDisassembler(isa: .mips64, littleEndian: true)
        XCTAssertEqual(d.disassemble(word: 0x03e0_0008, address: 0)?.mnemonic, "jr")
        XCTAssertEqual(d.disassemble(word: 0x03e0_0008, address: 0)?.operands, "$ra")
        XCTAssertEqual(d.disassemble(word: 0x67bd_ffe0, address: 0)?.mnemonic, "daddiu")
        XCTAssertEqual(d.disassemble(word: 0x67bd_ffe0, address: 0)?.operands, "$sp, $sp, -0x20")
        // beq $zero,$zero,+5 at 0x1000 branches to 0x1018: the address is used.
        XCTAssertEqual(d.disassemble(word: 0x1000_0005, address: 0x1000)?.operands, "0x1018")
        // Opcode 0x3b is reserved in MIPS64 Release 2 (and capstone knows it).
        XCTAssertNil(d.disassemble(word: 0xec00_0000, address: 0))
    }

    func testMIPSBigEndianGivesTheSameTextForTheSameWord() throws {
        let le = try CapstoneDisassembler(isa: .mips64, littleEndian: true)
        let be = try CapstoneDisassembler(isa: .mips64, littleEndian: false)
        for w: UInt32 in [0x03e0_0008, 0x67bd_ffe0, 0xdfbf_0018, 0x0080_2825] {
            XCTAssertNotNil(le.disassemble(word: w, address: 0))
            XCTAssertEqual(le.disassemble(word: w, address: 0)?.mnemonic, be.disassemble(word: w, address: 0)?.mnemonic)
            XCTAssertEqual(le.disassemble(word: w, address: 0)?.operands, be.disassemble(word: w, address: 0)?.operands)
        }
    }

    func testPPCWords() throws {
        let d = try CapstoneDisassembler(isa: .ppc64, littleEndian: true)
        XCTAssertEqual(d.disassemble(word: 0x4e80_0020, address: 0)?.mnemonic, "blr")
        XCTAssertEqual(d.disassemble(word: 0x7c08_02a6, address: 0)?.mnemonic, "mflr")
        XCTAssertEqual(d.disassemble(word: 0xf821_ff91, address: 0)?.mnemonic, "stdu")
        XCTAssertEqual(d.disassemble(word: 0xf821_ff91, address: 0)?.operands, "r1, -0x70(r1)")
        XCTAssertNil(d.disassemble(word: 0x0000_0000, address: 0))
        let be = try CapstoneDisassembler(isa: .ppc64, littleEndian: false)
        XCTAssertEqual(be.disassemble(word: 0x4e80_0020, address: 0)?.mnemonic, "blr")
    }

    func testByteRangeUsesByteOrderAndKeepsUndecodableAndTrailingBytes() throws {
        let d = try CapstoneDisassembler(isa: .mips64, littleEndian: true)
        // jr ra (LE bytes), a reserved word, then 3 stray bytes.
        let bytes: [UInt8] = [0x08, 0x00, 0xe0, 0x03, 0x00, 0x00, 0x00, 0xec, 0xaa, 0xbb, 0xcc]
        let r = d.disassemble(bytes: bytes, address: 0x4000)
        XCTAssertEqual(r.count, 3)
        XCTAssertEqual(r[0], DisassembledWord(address: 0x4000, word: 0x03e0_0008, size: 4, mnemonic: "jr", operands: "$ra"))
        XCTAssertEqual(r[1].address, 0x4004)
        XCTAssertEqual(r[1].word, 0xec00_0000)
        XCTAssertNil(r[1].mnemonic)
        XCTAssertEqual(r[2].size, 3)
        XCTAssertNil(r[2].mnemonic)
        XCTAssertEqual(ElfListing.line(r[1], fallback: nil), "  4004:  ec000000  .word   0xec000000")
        XCTAssertEqual(ElfListing.line(r[1], fallback: { _ in "sdc3" }),
                       "  4004:  ec000000  sdc3    # k42sim's name; capstone cannot decode it")
        XCTAssertEqual(ElfListing.line(r[0], fallback: nil), "  4000:  03e00008  jr      $ra")
        let be = try CapstoneDisassembler(isa: .mips64, littleEndian: false)
        XCTAssertEqual(be.disassemble(bytes: [0x03, 0xe0, 0x00, 0x08], address: 0).first?.mnemonic, "jr")
        XCTAssertTrue(d.disassemble(bytes: [UInt8](), address: 0).isEmpty)
    }
}
