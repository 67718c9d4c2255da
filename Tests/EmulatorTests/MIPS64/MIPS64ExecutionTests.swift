// MIPS64ExecutionTests: instruction semantics checked against the MIPS64 manual's definitions
// (expected values computed by hand or by Swift integer arithmetic, never by the emulator).
import XCTest
@testable import Emulator

final class MIPS64ExecutionTests: XCTestCase {
    func testDelaySlotRunsOnTakenBranchAndLikelyNullifies() throws {
        let m = try MIPS64TestMachine(asm: """
            li $2, 0
            b 1f
            addiu $2, $2, 1      # delay slot: executed
            addiu $2, $2, 100    # skipped
        1:  li $3, 5
            bnel $3, $3, 2f      # not taken: delay slot nullified
            addiu $2, $2, 1000
        2:  beql $3, $3, 3f      # taken: delay slot executed
            addiu $2, $2, 10
            addiu $2, $2, 10000
        3:  bal 4f
            nop
            break
        4:  jr $31
            addiu $2, $2, 7
        """)
        XCTAssertEqual(m.run(), .breakpoint)
        XCTAssertEqual(m[2], 1 + 10 + 7)
        XCTAssertEqual(m[31], MIPS64TestMachine.codeBase + 4 * 12)
    }

    func testThirtyTwoBitResultsAreSignExtended() throws {
        let m = try MIPS64TestMachine(asm: """
            lui $2, 0x7fff
            ori $2, $2, 0xffff
            addiu $3, $2, 1        # 0x80000000 sign-extended
            sll $4, $2, 1          # 0xfffffffe sign-extended
            li $5, -1
            dsrl32 $5, $5, 0       # 0x00000000ffffffff
            srl $6, $5, 4          # 32-bit shift of 0xffffffff -> 0x0fffffff
            sra $7, $3, 4          # 0xf8000000 sign-extended
            rotr $8, $2, 4         # 0xf7ffffff
            break
        """)
        XCTAssertEqual(m.run(), .breakpoint)
        XCTAssertEqual(m[3], 0xffff_ffff_8000_0000)
        XCTAssertEqual(m[4], 0xffff_ffff_ffff_fffe)
        XCTAssertEqual(m[5], 0x0000_0000_ffff_ffff)
        XCTAssertEqual(m[6], 0x0fff_ffff)
        XCTAssertEqual(m[7], 0xffff_ffff_f800_0000)
        XCTAssertEqual(m[8], 0xffff_ffff_f7ff_ffff)
    }

    func testMultiplyDivideHiLo() throws {
        let m = try MIPS64TestMachine(asm: """
            li $4, -7
            li $5, 3
            div $zero, $4, $5
            mflo $2
            mfhi $3
            dmultu $4, $5
            mflo $6
            mfhi $7
            li $8, 0
            ddiv $zero, $4, $8     # no host trap, HI/LO unchanged
            mflo $9
            break
        """)
        XCTAssertEqual(m.run(), .breakpoint)
        XCTAssertEqual(Int64(bitPattern: m[2]), -2)
        XCTAssertEqual(Int64(bitPattern: m[3]), -1)
        let (h, l) = UInt64(bitPattern: -7).multipliedFullWidth(by: 3)
        XCTAssertEqual(m[6], l)
        XCTAssertEqual(m[7], h)
        XCTAssertEqual(m[9], l)
    }

    func testBitFieldAndByteSwaps() throws {
        let m = try MIPS64TestMachine(asm: """
            li $4, 0x12345678
            ext $2, $4, 4, 8        # 0x67
            li $3, -1
            ins $3, $4, 8, 8        # low word 0xffff78ff, sign-extended
            wsbh $5, $4             # 0x34127856
            dsll32 $6, $4, 0
            or $6, $6, $4           # 0x1234567812345678
            dshd $7, $6             # 0x5678123456781234
            dext $8, $6, 28, 8      # 0x81
            dins $9, $6, 32, 16     # bits 47..32 = 0x5678
            seb $10, $4             # 0x78
            seh $11, $5             # 0x7856
            clz $12, $4             # 3
            break
        """)
        m[9] = 0
        XCTAssertEqual(m.run(), .breakpoint)
        XCTAssertEqual(m[2], 0x67)
        XCTAssertEqual(m[3], 0xffff_ffff_ffff_78ff)
        XCTAssertEqual(m[5], 0x3412_7856)
        XCTAssertEqual(m[7], 0x5678_1234_5678_1234)
        XCTAssertEqual(m[8], 0x81)
        XCTAssertEqual(m[9], 0x5678_0000_0000)
        XCTAssertEqual(m[10], 0x78)
        XCTAssertEqual(m[11], 0x7856)
        XCTAssertEqual(m[12], 3)
    }

    func testUnalignedLoadsAndStores() throws {
        let m = try MIPS64TestMachine(asm: """
            lui $4, 0x4
            addiu $5, $4, 1
            lwl $2, 3($5)
            lwr $2, 0($5)           # word at 0x40001
            ldl $3, 7($5)
            ldr $3, 0($5)           # doubleword at 0x40001
            addiu $6, $4, 0x103
            swl $2, 3($6)
            swr $2, 0($6)           # store the word at 0x40103
            break
        """)
        XCTAssertTrue(m.mmu.writeBytes(MIPS64TestMachine.dataBase, Array(0x10 ..< 0x30)))
        XCTAssertEqual(m.run(), .breakpoint)
        XCTAssertEqual(m[2], 0x1413_1211)
        XCTAssertEqual(m[3], 0x1817_1615_1413_1211)
        XCTAssertEqual(m.mmu.readBytes(MIPS64TestMachine.dataBase + 0x103, count: 4), [0x11, 0x12, 0x13, 0x14])
    }

    func testAlignmentAndUnmappedFaults() throws {
        let m = try MIPS64TestMachine(asm: """
            lui $4, 0x4
            lw $2, 2($4)
        """)
        XCTAssertEqual(m.run(), .memoryFault)
        XCTAssertEqual(m.cpu.fault, MemoryFault(address: 0x40002, kind: .misaligned, access: .read))
        XCTAssertEqual(m.cpu.exceptionPC, MIPS64TestMachine.codeBase + 4)

        let n = try MIPS64TestMachine(asm: """
            li $4, 0x7000000
            b 1f
            sd $4, 0($4)            # fault in a delay slot
        1:  nop
        """)
        XCTAssertEqual(n.run(), .memoryFault)
        XCTAssertEqual(n.cpu.fault, MemoryFault(address: 0x700_0000, kind: .unmapped, access: .write))
        XCTAssertTrue(n.cpu.inDelaySlot)
        XCTAssertEqual(n.cpu.exceptionPC, MIPS64TestMachine.codeBase + 4)
    }

    func testTrapsOverflowAndReserved() throws {
        let t = try MIPS64TestMachine(asm: """
            li $4, 0
            teq $4, $zero, 7
        """)
        XCTAssertEqual(t.run(), .trap)
        XCTAssertEqual(t.cpu.ctl[MIPS64Ctl.exceptionCode], 7)

        let o = try MIPS64TestMachine(asm: """
            lui $4, 0x7fff
            ori $4, $4, 0xffff
            add $2, $4, $4
        """)
        XCTAssertEqual(o.run(), .overflow)

        let r = MIPS64TestMachine(words: [0x7c00_003b | (1 << 21)])   // rdhwr with rs != 0: reserved
        XCTAssertEqual(r.run(), .reservedInstruction)
        let p = MIPS64TestMachine(words: [0x4200_0018])   // eret in user mode
        XCTAssertEqual(p.run(), .coprocessorUnusable)
    }

    func testLoadLinkedStoreConditional() throws {
        let m = try MIPS64TestMachine(asm: """
            lui $4, 0x4
            li $5, 41
            sw $5, 0($4)
        1:  ll $2, 0($4)
            addiu $2, $2, 1
            sc $2, 0($4)
            beqz $2, 1b
            nop
            lw $3, 0($4)
            sc $2, 0($4)            # no reservation: fails
            break
        """)
        XCTAssertEqual(m.run(), .breakpoint)
        XCTAssertEqual(m[3], 42)
        XCTAssertEqual(m[2], 0)
    }

    func testBranchAtPageEndWithDelaySlotOnNextPage() throws {
        // 1021 nops, then at word 1022: b to the next page; its delay slot is word 1023;
        // then a branch at word 1023 whose delay slot is on the next page.
        var words = [UInt32](repeating: 0, count: 1023)
        // word 1023: beq $0,$0, +8 words relative; delay slot = first word of page 2
        words.append(0x1000_0008)
        // page 2: word 0 (delay slot): addiu $2,$2,5 ; then padding; target: break
        words.append(0x2442_0005)
        words.append(contentsOf: [UInt32](repeating: 0, count: 7))
        words.append(0x0000_000d)   // break at page2 word 8 = 1023+1+8 ... target = pc+4+32
        let m = MIPS64TestMachine(words: words)
        XCTAssertEqual(m.run(), .breakpoint, "\(m.cpu.fault) pc \(m.cpu.exceptionPC)")
        XCTAssertEqual(m[2], 5)
        XCTAssertEqual(m.cpu.exceptionPC, MIPS64TestMachine.codeBase + 4 * 1032)
        XCTAssertEqual(m.cpu.instructions, 1023 + 3)
    }

    func testSelfModifyingCodeIsSeen() throws {
        // Overwrite the instruction at label 2 with "addiu $2,$2,9", then execute it.
        let m = try MIPS64TestMachine(asm: """
            li $2, 0
            lui $5, 0x2442
            ori $5, $5, 9
            lui $4, 0x1
            sw $5, 28($4)
            nop
            nop
        2:  addiu $2, $2, 1
            break
        """)
        XCTAssertEqual(m.run(), .breakpoint)
        XCTAssertEqual(m[2], 9)
    }

    func testFloatingPointBasics() throws {
        let m = try MIPS64TestMachine(asm: """
            li $4, 3
            dmtc1 $4, $f0
            cvt.d.l $f0, $f0        # 3.0
            li $4, 2
            mtc1 $4, $f1
            cvt.d.w $f1, $f1        # 2.0
            div.d $f2, $f0, $f1     # 1.5
            c.lt.d $f1, $f0
            bc1t 1f
            li $5, 0
            li $5, 99
        1:  sub.d $f3, $f3, $f3
            div.d $f4, $f3, $f3     # 0/0 -> default NaN, invalid flag
            dmfc1 $6, $f4
            dmfc1 $7, $f2
            trunc.w.d $f5, $f2
            mfc1 $8, $f5
            cfc1 $9, $31
            break
        """)
        XCTAssertEqual(m.run(), .breakpoint, "\(m.cpu.fault) pc \(m.cpu.exceptionPC)")
        XCTAssertEqual(m[5], 0, "bc1t taken, delay slot ran")
        XCTAssertEqual(m[6], 0x7FF7_FFFF_FFFF_FFFF, "legacy MIPS default NaN")
        XCTAssertEqual(m[7], 1.5.bitPattern)
        XCTAssertEqual(m[8], 1)
        XCTAssertEqual(m[9] & (1 << 6), 1 << 6, "sticky invalid flag")
        XCTAssertEqual((m[9] >> 12) & 0x1f, 1, "cause of the last op (trunc.w.d 1.5) = inexact")
    }
}
