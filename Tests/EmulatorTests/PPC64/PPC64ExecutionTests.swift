// PPC64ExecutionTests: hand-written instruction sequences (assembled by GNU as) run on a bare
// PPC64 CPU: record forms and XER, carries, rotates, divides by zero, larx/stcx., FP rounding
// modes and FPSCR flags, dcbz, traps, illegal instructions and exact instruction counts.
import XCTest
@testable import Emulator

final class PPC64ExecutionTests: XCTestCase {
    func testRecordFormsAndOverflow() throws {
        let m = try PPC64TestMachine(asm: """
            li 3, -5
            add. 4, 3, 3
            mfcr 20
            lis 5, 0x7fff
            ori 5, 5, 0xffff
            sldi 5, 5, 32
            oris 5, 5, 0xffff
            ori 5, 5, 0xffff
            addo. 6, 5, 5
            mfcr 21
            mfxer 22
            li 7, 0
            and. 8, 7, 7
            sc
            """)
        XCTAssertEqual(m.run(), .systemCall)
        XCTAssertEqual(m[4], UInt64(bitPattern: -10))
        XCTAssertEqual((m[20] >> 28) & 0xF, 0b1000, "add. negative -> LT")
        XCTAssertEqual((m[21] >> 28) & 0xF, 0b1001, "overflow -> LT (wrapped) + SO")
        XCTAssertEqual(m[22] & 0xC000_0000, 0xC000_0000, "XER SO and OV")
        XCTAssertEqual(m.crField(0), 0b0011, "and. zero -> EQ, SO stays sticky")
    }

    func testCarryChain() throws {
        let m = try PPC64TestMachine(asm: """
            li 3, -1
            li 4, 1
            addc 5, 3, 4
            li 6, 0
            adde 7, 6, 6
            li 8, 5
            li 9, 3
            subfc 10, 8, 9
            mfxer 11
            li 12, -9
            srawi 13, 12, 2
            mfxer 14
            subfic 15, 9, 10
            sc
            """)
        XCTAssertEqual(m.run(), .systemCall)
        XCTAssertEqual(m[5], 0)
        XCTAssertEqual(m[7], 1, "carry from addc into adde")
        XCTAssertEqual(m[10], UInt64(bitPattern: -2))
        XCTAssertEqual((m[11] >> 29) & 1, 0, "3 - 5 borrows: CA = 0")
        XCTAssertEqual(m[13], UInt64(bitPattern: -3))
        XCTAssertEqual((m[14] >> 29) & 1, 1, "srawi of a negative value shifting out ones sets CA")
        XCTAssertEqual(m[15], 7)
    }

    func testRotatesAndShifts() throws {
        let m = try PPC64TestMachine(asm: """
            lis 3, 0x1234
            ori 3, 3, 0x5678
            rlwinm 4, 3, 8, 24, 31
            rotlwi 5, 3, 4
            rldicl 6, 3, 60, 4
            li 7, -1
            rldimi 7, 3, 32, 0
            clrlwi 8, 7, 16
            li 9, 0x55
            rlwimi 9, 3, 0, 20, 23
            li 10, 40
            sld 11, 3, 10
            li 12, 64
            srd 13, 3, 12
            cntlzw 14, 3
            cntlzd 15, 3
            popcntd 16, 3
            extsh 17, 3
            sc
            """)
        XCTAssertEqual(m.run(), .systemCall)
        XCTAssertEqual(m[4], 0x12)
        XCTAssertEqual(m[5], 0x2345_6781)
        XCTAssertEqual(m[6], 0x0123_4567)
        XCTAssertEqual(m[7], 0x1234_5678_FFFF_FFFF)
        XCTAssertEqual(m[8], 0xFFFF)
        XCTAssertEqual(m[9], 0x655)
        XCTAssertEqual(m[11], 0x1234_5678 << 40)
        XCTAssertEqual(m[13], 0)
        XCTAssertEqual(m[14], 3)
        XCTAssertEqual(m[15], 35)
        XCTAssertEqual(m[16], UInt64(0x1234_5678.nonzeroBitCount))
        XCTAssertEqual(m[17], 0x5678)
    }

    func testDivideByZeroAndOverflowDoNotTrap() throws {
        let m = try PPC64TestMachine(asm: """
            li 3, 100
            li 4, 0
            divw 5, 3, 4
            divdu 6, 3, 4
            divdo. 7, 3, 4
            mfxer 8
            lis 9, 0x8000
            extsw 9, 9
            li 10, -1
            divw 11, 9, 10
            divd 12, 3, 10
            li 13, 7
            divde 14, 4, 13
            divdeu 15, 3, 13
            sc
            """)
        XCTAssertEqual(m.run(), .systemCall)
        XCTAssertEqual((m[8] >> 30) & 3, 3, "divdo. by zero sets OV and SO")
        XCTAssertEqual(m[12], UInt64(bitPattern: -100))
        XCTAssertEqual(m[14], 0)
        XCTAssertEqual(m[15], 0, "divdeu with RA >= RB overflows: undefined result, no host trap")
    }

    func testLoadReserveStoreConditional() throws {
        let m = try PPC64TestMachine(asm: """
            lis 3, 4
            li 4, 41
            stw 4, 0(3)
            lwarx 5, 0, 3
            addi 5, 5, 1
            stwcx. 5, 0, 3
            mfcr 6
            stwcx. 5, 0, 3
            mfcr 7
            lwz 8, 0(3)
            ldarx 9, 0, 3
            addi 10, 3, 8
            stdcx. 4, 0, 10
            mfcr 11
            sc
            """)
        XCTAssertEqual(m.run(), .systemCall)
        XCTAssertEqual((m[6] >> 28) & 0xF, 0b0010, "stwcx. with a reservation succeeds")
        XCTAssertEqual((m[7] >> 28) & 0xF, 0b0000, "second stwcx. fails: reservation used up")
        XCTAssertEqual(m[8], 42)
        XCTAssertEqual((m[11] >> 28) & 0xF, 0b0000, "stdcx. to another address fails")
    }

    func testMisalignedLarxIsAlignmentFault() throws {
        let m = try PPC64TestMachine(asm: "lis 3, 4\naddi 3, 3, 2\nlwarx 5, 0, 3\nsc")
        guard case .memoryFault(let f) = m.run() else { return XCTFail("expected a fault") }
        XCTAssertEqual(f.kind, .misaligned)
        XCTAssertEqual(m.cpu.pc, PPC64TestMachine.codeBase + 8)
    }

    func testFloatingPointRoundingAndFlags() throws {
        let m = try PPC64TestMachine(asm: """
            lis 3, 4
            li 4, 1
            std 4, 0(3)
            lfd 1, 0(3)
            fcfid 1, 1
            li 4, 3
            std 4, 8(3)
            lfd 2, 8(3)
            fcfid 2, 2
            mtfsfi 7, 0
            fdiv 3, 1, 2
            mffs 10
            mtfsfi 7, 1
            fdiv 4, 1, 2
            mtfsfi 7, 2
            fdiv 5, 1, 2
            mtfsfi 7, 0
            mtfsb0 6
            fsub 6, 1, 1
            fdiv 7, 1, 6
            fdiv. 8, 6, 6
            mffs 11
            fctiwz 9, 8
            mffs 12
            sc
            """)
        XCTAssertEqual(m.run(), .systemCall)
        XCTAssertEqual(m.fpr(3), 1.0 / 3.0)
        XCTAssertEqual(m.fpr(4).bitPattern, (1.0 / 3.0).bitPattern, "toward zero rounds 1/3 down, same as nearest")
        XCTAssertEqual(m.fpr(5).bitPattern, (1.0 / 3.0).bitPattern + 1, "toward +inf rounds 1/3 up")
        let f10 = m.cpu.registers[fpr: 10]
        XCTAssertNotEqual(f10 & FPSCR.xx, 0, "inexact sets XX")
        XCTAssertNotEqual(f10 & FPSCR.fi, 0, "and FI")
        XCTAssertEqual((f10 >> 12) & 0x1F, 0x04, "FPRF: positive normal")
        XCTAssertEqual(m.fpr(7), .infinity)
        let f11 = m.cpu.registers[fpr: 11]
        XCTAssertNotEqual(f11 & FPSCR.zx, 0, "1/0 sets ZX")
        XCTAssertNotEqual(f11 & FPSCR.vxzdz, 0, "0/0 sets VXZDZ")
        XCTAssertNotEqual(f11 & FPSCR.vx, 0)
        XCTAssertNotEqual(f11 & FPSCR.fx, 0)
        XCTAssertEqual(m.cpu.registers[fpr: 8], PPC64Float.defaultNaN)
        XCTAssertEqual(m.crField(1) & 0b1010, 0b1010, "fdiv. copies FX and VX into CR1")
        XCTAssertNotEqual(m.cpu.registers[fpr: 12] & FPSCR.vxcvi, 0, "fctiwz of NaN sets VXCVI")
        XCTAssertEqual(m.cpu.registers[fpr: 9] & 0xFFFF_FFFF, 0x8000_0000)
    }

    func testSinglePrecisionLoadStoreAndFrsp() throws {
        let m = try PPC64TestMachine(asm: """
            lis 3, 4
            lis 4, 0x3fc0
            stw 4, 0(3)
            lfs 1, 0(3)
            fadd 2, 1, 1
            stfs 2, 4(3)
            lwz 5, 4(3)
            lis 6, 0x7f81
            stw 6, 8(3)
            lfs 3, 8(3)
            stfd 3, 16(3)
            ld 7, 16(3)
            sc
            """)
        XCTAssertEqual(m.run(), .systemCall)
        XCTAssertEqual(m.fpr(1), 1.5)
        XCTAssertEqual(m[5], 0x4040_0000)
        XCTAssertEqual(m[7], 0x7FF0_2000_0000_0000, "lfs keeps a signalling NaN's payload, unquieted")
    }

    func testDcbzZeroesAligned128ByteBlock() throws {
        let m = try PPC64TestMachine(asm: """
            lis 3, 4
            li 4, -1
            li 5, 0
            1:  stdx 4, 3, 5
            addi 5, 5, 8
            cmpdi 5, 512
            blt 1b
            addi 6, 3, 200
            dcbz 0, 6
            ld 7, 120(3)
            ld 8, 128(3)
            ld 9, 248(3)
            ld 10, 256(3)
            sc
            """)
        XCTAssertEqual(m.run(), .systemCall)
        XCTAssertEqual(m[7], .max)
        XCTAssertEqual(m[8], 0)
        XCTAssertEqual(m[9], 0)
        XCTAssertEqual(m[10], .max)
    }

    func testTrapIllegalAndPrivileged() throws {
        let t = try PPC64TestMachine(asm: "li 3, 5\ntwi 4, 3, 5\nsc")
        XCTAssertEqual(t.run(), .trap)
        XCTAssertEqual(t.cpu.pc, PPC64TestMachine.codeBase + 4)
        let i = PPC64TestMachine(words: [0x3860_0001, 0x0000_0000])
        XCTAssertEqual(i.run(), .illegalInstruction(0))
        XCTAssertEqual(i.cpu.pc, PPC64TestMachine.codeBase + 4)
        XCTAssertEqual(i.cpu.instructionCount, 1)
        let p = try PPC64TestMachine(asm: "mfmsr 3")
        guard case .privilegedInstruction = p.run() else { return XCTFail("mfmsr must be privileged") }
    }

    func testInstructionCountIsExact() throws {
        let m = try PPC64TestMachine(asm: """
            li 3, 1000
            mtctr 3
            li 4, 0
            1:  addi 4, 4, 2
            bdnz 1b
            sc
            """)
        XCTAssertEqual(m.run(), .systemCall)
        XCTAssertEqual(m[4], 2000)
        XCTAssertEqual(m.cpu.instructionCount, 3 + 2 * 1000 + 1)
    }

    func testVectorLoadsAndPermutes() throws {
        let m = try PPC64TestMachine(asm: """
            lis 3, 4
            li 4, 0
            1:  stbx 4, 3, 4
            addi 4, 4, 1
            cmpdi 4, 32
            blt 1b
            lxvd2x 0, 0, 3
            xxswapd 1, 0
            stxvd2x 1, 0, 3
            ld 5, 0(3)
            lvx 2, 0, 3
            vspltisb 3, 7
            vaddubm 4, 2, 3
            li 6, 64
            stvx 4, 3, 6
            ld 7, 64(3)
            sc
            """)
        XCTAssertEqual(m.run(), .systemCall)
        XCTAssertEqual(m[5], 0x0F0E_0D0C_0B0A_0908, "lxvd2x + xxswapd + stxvd2x swaps the doublewords")
        XCTAssertEqual(m[7], 0x0F0E_0D0C_0B0A_0908 &+ 0x0707_0707_0707_0707)
    }

    /// The VSX/VMX ops the hot switch runs (register moves, logical ops, xxpermdi, quadword
    /// loads/stores on the soft-TLB fast path) against the cold path's: a quadword inside a page
    /// (hot) and one across a page boundary (cold) load and store the same way, and a store
    /// whose second half is unmapped faults without writing its first half.
    func testHotAndColdVectorPathsAgree() throws {
        let m = try PPC64TestMachine(asm: """
            lis 3, 4
            addi 3, 3, 0xF00
            li 4, 0
            1:  stb 3, 0(3)         # byte at a = a & 0xFF
            addi 3, 3, 1
            addi 4, 4, 1
            cmpdi 4, 0x200
            blt 1b
            lis 3, 4
            addi 4, 3, 0xFF0
            addi 5, 3, 0xFF8
            lxvd2x 0, 0, 4          # inside the page
            lxvd2x 1, 0, 5          # across 0x41000
            mfvsrd 20, 0
            xxswapd 2, 0
            mfvsrd 21, 2
            mfvsrd 22, 1
            xxpermdi 3, 1, 1, 3     # both halves from the low doubleword
            mfvsrd 23, 3
            addi 6, 3, 0x100
            stxvd2x 1, 0, 6         # inside a page: the crossing value
            ld 24, 0x100(3)
            ld 25, 0x108(3)
            addis 7, 3, 0
            addi 7, 7, 0x1FF8
            stxvd2x 0, 0, 7         # across 0x42000
            ld 26, 0x1FF8(3)
            ld 27, 0x2000(3)
            lis 9, 0x1122
            ori 9, 9, 0x3344
            sldi 9, 9, 32
            oris 9, 9, 0x8566
            ori 9, 9, 0x7788
            mtvsrd 4, 9
            xxlor 5, 4, 4
            mfvsrd 10, 5
            xxlxor 6, 4, 4
            mfvsrd 11, 6
            mfvsrwz 12, 4
            mtvsrwa 7, 9
            mfvsrd 13, 7
            mtvsrwz 8, 9
            mfvsrd 14, 8
            xxland 9, 4, 5
            mfvsrd 15, 9
            xxlandc 10, 4, 5
            mfvsrd 16, 10
            lvx 11, 0, 5            # 16-byte aligned: 0x40FF0
            stvx 11, 0, 6
            ld 17, 0x100(3)
            addi 8, 3, 0x3FF8
            stxvd2x 0, 0, 8         # second half at 0x44000: unmapped
            sc
            """)
        func le64(_ a: UInt64) -> UInt64 { (0 ..< 8).reduce(0) { $0 | ((a &+ UInt64($1)) & 0xFF) << (8 * UInt64($1)) } }
        let exit = m.run()
        guard case .memoryFault(let f) = exit else { return XCTFail("expected a fault, got \(exit)") }
        XCTAssertEqual(f.address & ~0xFFF, 0x44000, "the unmapped half faults")
        XCTAssertEqual(m[20], le64(0x40FF0)); XCTAssertEqual(m[21], le64(0x40FF8))
        XCTAssertEqual(m[22], le64(0x40FF8), "a quadword across a page loads like one inside it")
        XCTAssertEqual(m[23], le64(0x41000), "xxpermdi 3 takes both low doublewords")
        XCTAssertEqual(m[24], le64(0x40FF8)); XCTAssertEqual(m[25], le64(0x41000))
        XCTAssertEqual(m[26], le64(0x40FF0)); XCTAssertEqual(m[27], le64(0x40FF8), "a store across a page")
        let v: UInt64 = 0x1122_3344_8566_7788
        XCTAssertEqual(m[9], v)
        XCTAssertEqual(m[10], v); XCTAssertEqual(m[11], 0)
        XCTAssertEqual(m[12], 0x8566_7788)
        XCTAssertEqual(m[13], 0xFFFF_FFFF_8566_7788, "mtvsrwa sign-extends")
        XCTAssertEqual(m[14], 0x8566_7788)
        XCTAssertEqual(m[15], v); XCTAssertEqual(m[16], 0)
        XCTAssertEqual(m[17], le64(0x40FF0), "lvx/stvx round trip")
        XCTAssertEqual(m.mmu.loadValue(0x43FF8, size: 8), 0, "the faulting store wrote nothing")
    }

    func testSelfModifyingCodeIsRedecoded() throws {
        // Overwrites the `li 5, 1` below with `li 5, 2` (0x38a00002) before executing it.
        let m = try PPC64TestMachine(asm: """
            lis 3, 1
            lis 4, 0x38a0
            ori 4, 4, 2
            stw 4, 20(3)
            isync
            li 5, 1
            sc
            """)
        XCTAssertEqual(m.run(), .systemCall)
        XCTAssertEqual(m[5], 2)
    }

    func testDecoderMnemonics() {
        XCTAssertEqual(PPC64Decoder.mnemonic(0x7C63_2214), "add")
        XCTAssertEqual(PPC64Decoder.mnemonic(0x7C63_2615), "addo.")
        XCTAssertEqual(PPC64Decoder.mnemonic(0x7C20_04AC), "lwsync")
        XCTAssertEqual(PPC64Decoder.mnemonic(0x4E80_0020), "bclr")
        XCTAssertNil(PPC64Decoder.mnemonic(0))
        XCTAssertLessThanOrEqual(MemoryLayout<PPC64Op>.size, 16)
    }
}
