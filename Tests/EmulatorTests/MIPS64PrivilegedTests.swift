// MIPS64PrivilegedTests: the MIPS64 privileged architecture on hand-assembled kernel code (see
// MIPS64PrivilegedTestMachine for the image layout). Section references are to the MIPS64
// Privileged Resource Architecture (MD00091, rev. 6.x; "PRA" below).
import XCTest
@testable import Emulator

final class MIPS64PrivilegedTests: XCTestCase {
    typealias TM = MIPS64PrivilegedTestMachine

    /// Kernel prologue: TLB entry 0 maps user VA 0x400000 -> pa 0x3000 (even page, dirty) and
    /// 0x401000 -> pa 0x5000 (odd page; dirty unless `cleanOdd`), ASID 0, 4 KiB pages.
    static func mapUser(cleanOdd: Bool = false) -> String {
        """
        mtc0 $zero, $0
        dli $t0, 0x400000
        dmtc0 $t0, $10
        li $t0, 0xDE
        mtc0 $t0, $2
        li $t0, \(cleanOdd ? "0x15A" : "0x15E")
        mtc0 $t0, $3
        mtc0 $zero, $5
        tlbwi
        """
    }

    /// Kernel epilogue: eret to user mode at 0x400000 (Status: KX SX UX, KSU = user, EXL).
    static let enterUser = """
        li $t0, 0xF2
        mtc0 $t0, $12
        dli $t0, 0x400000
        dmtc0 $t0, $14
        eret
        """

    func cause(_ m: TM) -> UInt64 { m.cpu.readCP0(13, 0) & 0xFFFF_FFFF }
    func excCode(_ m: TM) -> UInt64 { (cause(m) >> 2) & 0x1F }

    // PRA 4.x (TLB refill, 6.2.x TLB Refill / XTLB Refill exceptions), 6.2.x (System Call), eret.
    func testTLBRefillUserModeAndSyscall() throws {
        let m = try TM(
            xrefill: """
                li $k0, 0xDE
                mtc0 $k0, $2
                li $k0, 0x15E
                mtc0 $k0, $3
                mtc0 $zero, $5
                tlbwr
                eret
                """,
            general: """
                mfc0 $k0, $13
                andi $k0, $k0, 0x7c
                li $k1, 0x20
                bne $k0, $k1, halt
                nop
                dmfc0 $k0, $14
                daddiu $k0, $k0, 4
                dmtc0 $k0, $14
                daddiu $v1, $v0, 100
                daddiu $s0, $s0, 1
                li $k1, 2
                beq $s0, $k1, halt
                nop
                eret
                """,
            kernel: "li $t0, 5\n mtc0 $t0, $10\n" + Self.enterUser,
            user: """
                lui $t1, 0x40
                ld $t2, 0x1000($t1)
                daddiu $v0, $zero, 42
                syscall
                sd $v1, 0x1008($t1)
                syscall
                """)
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(m[16], 2, "two system calls handled")
        XCTAssertEqual(m[3], 142, "syscall returned v0 + 100 in v1")
        XCTAssertEqual(m.physical64(0x5008), 142, "user store through the tlbwr mapping")
        let h = m.cpu.history
        // PRA 6.2.3: a TLB miss on a 64-bit xuseg reference with UX = 1 and EXL = 0 goes to the XTLB
        // refill vector EBase + 0x080; ExcCode TLBL (2) for an instruction fetch; BadVAddr = the address.
        XCTAssertEqual(h.first?.code, 2)
        XCTAssertEqual(h.first?.vector, TM.kseg0 + 0x080)
        XCTAssertEqual(h.first?.badVAddr, 0x400000)
        XCTAssertEqual(h.first?.epc, 0x400000)
        // PRA 6.2.x System Call: ExcCode 8, general vector EBase + 0x180, EPC = the syscall.
        XCTAssertEqual(h.filter { $0.code == 8 }.map(\.epc), [0x40000C, 0x400014])
        XCTAssertEqual(h.last?.vector, TM.kseg0 + 0x180)
        // EntryHi ASID 5 kept; the refill loaded VPN2 (PRA 9.x EntryHi on TLB exceptions).
        XCTAssertEqual(m.cpu.cp0.entryHi, 0x400000 | 5)
        XCTAssertEqual(m.cpu.cp0.privilegeMode, 0, "in the handler: kernel mode via EXL")
    }

    // PRA 9.x Count/Compare: Cause.TI and IP7 are set when Count equals Compare; the interrupt is
    // taken at the general vector (Cause.IV = 0) with ExcCode 0 (PRA 6.2.x Interrupt Exception).
    func testCountCompareInterruptAtExactCycle() throws {
        let m = try TM(
            general: """
                mfc0 $k0, $13
                mfc0 $k1, $9
                b halt
                nop
                """,
            kernel: """
                mtc0 $zero, $9
                li $t0, 100
                mtc0 $t0, $11
                li $t0, 0x80E1
                mtc0 $t0, $12
                loop: addiu $t1, $t1, 1
                addiu $t1, $t1, 1
                b loop
                nop
                """)
        XCTAssertTrue(m.runToHalt())
        let h = try XCTUnwrap(m.cpu.history.first)
        XCTAssertEqual(h.code, 0)
        // Count was zeroed by the instruction at cycle 0 (Count = 0 at cycle 1), so it equals
        // Compare = 100 at cycle 101; the interrupt is taken before the instruction of that cycle.
        XCTAssertEqual(h.cycle, 101)
        XCTAssertNotEqual(m[26] & (1 << 30), 0, "Cause.TI")
        XCTAssertNotEqual(m[26] & (1 << 15), 0, "Cause.IP7")
        // Instructions 5... are the loop (4 instructions): cycle 101 is instruction 101 -> loop index (101-5) % 4 = 0.
        XCTAssertEqual(h.epc, TM.entry + 20)
        XCTAssertEqual(m[13], 96 / 4 * 2, "t1 incremented twice per completed loop iteration")
    }

    // PRA 6.2.x Interrupt; WAIT (MIPS64 Vol. II): the CPU idles until an interrupt; EPC is the
    // instruction after WAIT. Idle cycles execute no instructions.
    func testWaitIdlesUntilTimer() throws {
        let m = try TM(
            kernel: """
                mtc0 $zero, $9
                li $t0, 100000
                mtc0 $t0, $11
                li $t0, 0x80E1
                mtc0 $t0, $12
                wait
                nop
                """)
        XCTAssertEqual(m.cpu.run(until: 100_001), .reachedTarget)
        XCTAssertLessThan(m.cpu.instructionCount, 10, "the idle period executed nothing")
        XCTAssertEqual(m.cpu.run(until: 100_010), .reachedTarget)
        let h = try XCTUnwrap(m.cpu.history.first)
        XCTAssertEqual(h.code, 0)
        XCTAssertEqual(h.cycle, 100_001)
        XCTAssertEqual(h.epc, TM.entry + 28, "instruction after wait")
    }

    // PRA 6.2.x Address Error: a user-mode reference to a kernel address raises AdEL with BadVAddr.
    func testUserAccessToKernelAddressIsAddressError() throws {
        let m = try TM(kernel: Self.mapUser() + "\n" + Self.enterUser,
                       user: "dli $t1, 0xFFFFFFFF80002000\n ld $t2, 8($t1)\n nop")
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(excCode(m), 4)
        XCTAssertEqual(m.cpu.cp0.badVAddr, 0xFFFF_FFFF_8000_2008)
        XCTAssertEqual(m.cpu.cp0.epc, 0x400008, "dli of a sign-extended 32-bit constant is lui + ori")
        XCTAssertEqual(m.cpu.history.last?.vector, TM.kseg0 + 0x180)
    }

    // PRA 4.x: addresses beyond SEGBITS in xuseg are address errors (store: AdES).
    func testAddressBeyondSegbitsIsAddressError() throws {
        let m = try TM(kernel: Self.mapUser() + "\n" + Self.enterUser,
                       user: "dli $t1, 0x10000000000\n sd $t1, 0($t1)\n nop")
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(excCode(m), 5)
        XCTAssertEqual(m.cpu.cp0.badVAddr, 0x100_0000_0000)
    }

    // PRA 6.2.x Coprocessor Unusable: a CP0 instruction in user mode (CU0 = 0) -> CpU, CE = 0;
    // PRA 6.2.x Reserved Instruction: ExcCode 10.
    func testPrivilegedAndReservedInstructionsInUserMode() throws {
        let cpu0 = try TM(kernel: Self.mapUser() + "\n" + Self.enterUser, user: "mfc0 $t0, $12\n nop")
        XCTAssertTrue(cpu0.runToHalt())
        XCTAssertEqual(excCode(cpu0), 11)
        XCTAssertEqual((cause(cpu0) >> 28) & 3, 0)
        XCTAssertEqual(cpu0.cpu.cp0.epc, 0x400000)

        let ri = try TM(kernel: Self.mapUser() + "\n" + Self.enterUser, user: ".word 0x78000000\n nop")
        XCTAssertTrue(ri.runToHalt())
        XCTAssertEqual(excCode(ri), 10)

        // RDHWR (MIPS64 Vol. II; PRA 9.x HWREna): user mode may read only enabled registers.
        let hw = try TM(kernel: Self.mapUser() + "\n" + Self.enterUser, user: "rdhwr $t0, $29\n nop")
        XCTAssertTrue(hw.runToHalt())
        XCTAssertEqual(excCode(hw), 10)
        let hwOK = try TM(kernel: Self.mapUser() + "\n li $t0, 0x20000000\n mtc0 $t0, $7\n li $t0, 77\n dmtc0 $t0, $4, 2\n" + Self.enterUser,
                          user: "rdhwr $t3, $29\n syscall")
        XCTAssertTrue(hwOK.runToHalt())
        XCTAssertEqual(excCode(hwOK), 8)
        XCTAssertEqual(hwOK[15], 77)
    }

    // PRA 6.2.x Coprocessor Unusable: an FPU instruction with Status.CU1 = 0 raises CpU with CE = 1,
    // also in kernel mode.
    func testFPUInstructionWithCU1ClearIsCoprocessorUnusable() throws {
        let m = try TM(kernel: "mtc1 $t0, $f0\n nop")
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(excCode(m), 11)
        XCTAssertEqual((cause(m) >> 28) & 3, 1)
        XCTAssertEqual(m.cpu.cp0.epc, TM.entry)
        // With CU1 = 1 the same instruction runs.
        let ok = try TM(kernel: "li $t0, 0x24000000\n mtc0 $t0, $12\n li $t1, 9\n mtc1 $t1, $f0\n mfc1 $t2, $f0\n b halt\n nop")
        XCTAssertTrue(ok.runToHalt())
        XCTAssertEqual(ok[14], 9)
        XCTAssertTrue(ok.cpu.history.isEmpty)
    }

    // PRA 6.2.x Coprocessor Unusable: this CPU has no coprocessor 2 (Config1.C2 = 0), so COP2 and
    // LWC2/LDC2/SWC2/SDC2 raise CpU with CE = 2 (not Reserved Instruction), also in kernel mode.
    func testCoprocessor2InstructionIsCoprocessorUnusable() throws {
        let m = try TM(kernel: ".word 0xc8a40010\n nop")      // lwc2 $4, 16($5)
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(excCode(m), 11)
        XCTAssertEqual((cause(m) >> 28) & 3, 2)
        XCTAssertEqual(m.cpu.cp0.epc, TM.entry)
        let c = try TM(kernel: ".word 0x4a000000\n nop")      // COP2 opcode 0x12
        XCTAssertTrue(c.runToHalt())
        XCTAssertEqual(excCode(c), 11)
        XCTAssertEqual((cause(c) >> 28) & 3, 2)
    }

    // PRA 6.2.x TLB Modified: a store to a valid page with D = 0 -> ExcCode 1, general vector,
    // BadVAddr and EntryHi.VPN2 loaded, Context.BadVPN2 = va[31:13].
    func testStoreToCleanPageIsTLBModified() throws {
        let m = try TM(kernel: Self.mapUser(cleanOdd: true) + "\n" + Self.enterUser,
                       user: "lui $t1, 0x40\n ld $t2, 0x1010($t1)\n sd $t2, 0x1010($t1)\n nop")
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(excCode(m), 1)
        XCTAssertEqual(m.cpu.cp0.badVAddr, 0x401010)
        XCTAssertEqual(m.cpu.cp0.entryHi, 0x400000)
        XCTAssertEqual(m.cpu.cp0.context & 0x7F_FFF0, (0x401010 >> 13) << 4)
        XCTAssertEqual(m.cpu.cp0.epc, 0x400008)
        XCTAssertEqual(m.cpu.history.last?.vector, TM.kseg0 + 0x180)
    }

    // PRA 6.2.x TLB Invalid: a matching entry with V = 0 uses the general vector, not the refill
    // vector, with ExcCode TLBL (2) / TLBS (3).
    func testInvalidEntryUsesGeneralVector() throws {
        let m = try TM(kernel: Self.mapUser() + "\n mtc0 $zero, $3\n tlbwi\n" + Self.enterUser,
                       user: "lui $t1, 0x40\n sw $t1, 0x1000($t1)\n nop")
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(excCode(m), 3)
        XCTAssertEqual(m.cpu.history.last?.vector, TM.kseg0 + 0x180)
    }

    // PRA 6.1.x: an exception in a branch delay slot sets Cause.BD and EPC = the branch.
    func testExceptionInDelaySlotReportsBranch() throws {
        let m = try TM(kernel: Self.mapUser() + "\n" + Self.enterUser,
                       user: "lui $t1, 0x8000\n beq $zero, $zero, 1f\n lw $t0, 0($t1)\n nop\n 1: nop")
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(excCode(m), 4)
        XCTAssertNotEqual(cause(m) & (1 << 31), 0, "Cause.BD")
        XCTAssertEqual(m.cpu.cp0.epc, 0x400004)
        XCTAssertEqual(m.cpu.cp0.badVAddr, 0xFFFF_FFFF_8000_0000)
    }

    // PRA ch. 6: an instruction that takes an exception does not complete, nor does the branch
    // whose delay slot holds it, so neither counts as an instruction (nor, in functional mode, as
    // a cycle); a privileged instruction the CPU executes does count, in a delay slot with its
    // branch. (This is what lets a vector that faults itself halt the machine: BootFailureTests.)
    func testFaultingInstructionsDoNotComplete() throws {
        // nop, nop, syscall (faults), then the vector's `b halt` and its delay slot: 4.
        let a = try TM(kernel: "nop\n nop\n syscall\n nop")
        XCTAssertTrue(a.runToHalt())
        XCTAssertEqual(a.cpu.instructionCount, 4)
        XCTAssertEqual(a.cpu.cycles, 4)
        // A misaligned load in a delay slot (AdEL, BD = 1): the vector's 2 instructions only.
        let b = try TM(kernel: "beq $zero, $zero, 1f\n lw $t0, 1($zero)\n nop\n 1: nop")
        XCTAssertTrue(b.runToHalt())
        XCTAssertEqual(b.cpu.history.first?.code, 4)
        XCTAssertEqual(b.cpu.instructionCount, 2)
        // mtc0 (1), a branch with mtc0 in its delay slot (2), teq traps (0), the vector (2): 5.
        let c = try TM(kernel: "mtc0 $zero, $14\n b 1f\n mtc0 $zero, $14\n nop\n 1: teq $zero, $zero\n nop")
        XCTAssertTrue(c.runToHalt())
        XCTAssertEqual(c.cpu.history.first?.code, 13)
        XCTAssertEqual(c.cpu.instructionCount, 5)
    }

    // PRA 6.2.x: Overflow (12), Trap (13), Breakpoint (9) in kernel mode; EXL already set ->
    // EPC not updated (PRA 6.1.x).
    func testOverflowTrapBreakAndNestedEXL() throws {
        let m = try TM(kernel: "lui $t0, 0x7fff\n add $t1, $t0, $t0\n nop")
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(excCode(m), 12)
        let t = try TM(kernel: "teq $zero, $zero\n nop")
        XCTAssertTrue(t.runToHalt())
        XCTAssertEqual(excCode(t), 13)
        let b = try TM(general: "break 3\n nop", kernel: "break 1\n nop")
        _ = b.cpu.run(until: 20)
        XCTAssertEqual(excCode(b), 9)
        XCTAssertEqual(b.cpu.cp0.epc, TM.entry, "the nested exception did not overwrite EPC")
        XCTAssertGreaterThanOrEqual(b.cpu.history.count, 2)
    }

    // PRA 9.x: PRId, EBase.CPUNum, Config0 (AT = 2, AR = 1, MT = 1, BE = 0), Config1 (MMU size, FP),
    // Random between Wired and size - 1, di/ei return Status.
    func testConfigurationRegisters() throws {
        let m = try TM(kernel: """
            mfc0 $t0, $15, 1
            mfc0 $t1, $16, 0
            mfc0 $t2, $16, 1
            li $t3, 60
            mtc0 $t3, $6
            mfc0 $s0, $1
            ei $s1
            di $s2
            mfc0 $s3, $12
            b halt
            nop
            """, cpuCount: 2)
        XCTAssertTrue(m.runToHalt(cpu: 1))
        let c = m.cpus[1].core.gpr
        XCTAssertEqual(c[12] & 0x3FF, 1, "EBase.CPUNum")
        XCTAssertEqual((c[13] >> 13) & 3, 2); XCTAssertEqual((c[13] >> 10) & 7, 1); XCTAssertEqual((c[13] >> 7) & 7, 1)
        XCTAssertEqual(c[13] & (1 << 15), 0, "little-endian")
        XCTAssertEqual((c[14] >> 25) & 0x3F, 63, "64 TLB entries"); XCTAssertEqual(c[14] & 1, 1, "FPU")
        XCTAssertTrue((60 ... 63).contains(c[16]), "Random in [Wired, 63]")
        XCTAssertEqual(c[17] & 1, 0); XCTAssertEqual(c[18] & 1, 1); XCTAssertEqual(c[19] & 1, 0)
    }

    // PRA 9.x LLAddr/LLbit, MIPS64 Vol. II LL/SC: a store by another CPU to the reserved location
    // between LL and SC makes the SC fail; without it the SC succeeds.
    func testLLSCBrokenByAnotherCPUsStore() throws {
        let kernel = """
            dli $a2, 0xFFFFFFFF80006000
            bnez $a1, other
            nop
            ll $t0, 0($a2)
            addiu $t0, $t0, 1
            sc $t0, 0($a2)
            ll $t1, 0($a2)
            addiu $t1, $t1, 1
            sc $t1, 0($a2)
            b halt
            nop
            other: li $t2, 100
            sw $t2, 0($a2)
            sw $t2, 0x40($a2)
            b halt
            nop
            """
        let m = try TM(kernel: kernel, cpuCount: 2)
        let c0 = m.cpus[0], c1 = m.cpus[1]
        // CPU 0: dli (4) + bnez + nop + ll -> stop right after the first LL (cycle 7).
        XCTAssertEqual(c0.run(until: 7), .reachedTarget)
        XCTAssertNotNil(m.monitor.reservation(cpu: 0))
        XCTAssertEqual(c0.readCP0(17, 0), 0x6000 >> 4, "LLAddr = physical address >> 4")
        // CPU 1 stores 100 to the reserved word (dli 4, bnez, nop, li, sw = 9 cycles).
        XCTAssertEqual(c1.run(until: 9), .reachedTarget)
        XCTAssertNil(m.monitor.reservation(cpu: 0), "the other CPU's store broke the reservation")
        XCTAssertTrue(m.runToHalt(cpu: 0))
        XCTAssertEqual(c0.core.gpr[12], 0, "first SC failed")
        XCTAssertEqual(c0.core.gpr[13], 1, "second LL/SC pair succeeded")
        XCTAssertEqual(m.physical64(0x6000) & 0xFFFF_FFFF, 101)
        // A store to another granule (0x6040) leaves a reservation alone.
        XCTAssertTrue(m.runToHalt(cpu: 1))
        XCTAssertFalse(m.ram.isReserved(frame: 6), "no reservation left: direct writes allowed again")
    }

    // eret clears LLbit (MIPS64 Vol. II ERET): an SC after eret fails.
    func testEretClearsLLbit() throws {
        let m = try TM(general: """
                dmfc0 $k0, $14
                daddiu $k0, $k0, 4
                dmtc0 $k0, $14
                eret
                """,
            kernel: """
                dli $a2, 0xFFFFFFFF80006000
                ll $t0, 0($a2)
                syscall
                sc $t0, 0($a2)
                b halt
                nop
                """)
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(m[12], 0)
    }

    // PRA 6.2.x: with Cause.IV = 1 interrupts use EBase + 0x200 (here a software interrupt, IP0).
    func testSoftwareInterruptWithIVUsesSpecialVector() throws {
        let m = try TM(kernel: """
            li $t0, 0x00800100
            mtc0 $t0, $13
            li $t0, 0x01E1
            mtc0 $t0, $12
            nop
            b halt
            nop
            """)
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(m.cpu.history.first?.code, 0)
        XCTAssertEqual(m.cpu.history.first?.vector, TM.kseg0 + 0x200)
        XCTAssertEqual(m.cpu.cp0.epc, TM.entry + 20, "taken right after the mtc0 Status that enabled it")
    }

    // PRA 6.2.3: a TLB miss on a 32-bit (compatibility) reference — here xuseg with UX = 0 —
    // uses the TLB refill vector EBase + 0x000.
    func testRefillOfCompatibilityAddressUsesVectorZero() throws {
        let m = try TM(kernel: "li $t0, 0xC0\n mtc0 $t0, $12\n lui $t1, 0x40\n ld $t2, 0($t1)\n nop")
        XCTAssertTrue(m.runToHalt())
        XCTAssertEqual(m.cpu.history.first?.vector, TM.kseg0)
        XCTAssertEqual(m.cpu.history.first?.code, 2)
    }

    // PRA 6.2.x bootstrap vectors: Status.BEV = 1 moves the general vector to 0xFFFF_FFFF_BFC0_0380.
    // That address is outside this machine's RAM, so fetching the handler is a bus error (IBE, 6);
    // an endless exception loop halts the CPU with a diagnostic.
    func testBootstrapVectorsAndExceptionLoopHalts() throws {
        let m = try TM(kernel: "li $t0, 0x004000E0\n mtc0 $t0, $12\n syscall\n nop")
        let stop = m.cpu.run(until: 10_000)
        XCTAssertEqual(m.cpu.history.last?.vector, 0xFFFF_FFFF_BFC0_0380)
        XCTAssertEqual(m.cpu.history.last?.code, 6)
        XCTAssertEqual(m.cpu.cp0.epc, TM.entry + 12, "EPC of the syscall; the nested IBEs (EXL = 1) keep it")
        guard case .halted(let why) = stop else { return XCTFail("expected a halt, got \(stop)") }
        XCTAssertTrue(why.contains("exception loop"), why)
        XCTAssertTrue(why.contains("IBE"), why)
    }
}
