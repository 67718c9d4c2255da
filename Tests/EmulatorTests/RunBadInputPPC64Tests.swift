// RunBadInputPPC64Tests: RunBadInputTests for ppc64le. Truncated and dynamically linked ppc64le
// files are refused with one line and status 2; guests that die of a fault print one line naming
// the signal and pc and exit with 128 + the PowerPC signal number (SIGBUS is 7 here, 10 on MIPS),
// the same signal qemu-ppc64le delivers; --max-insts exits 124. Unlike MIPS, PowerPC neither
// traps on integer division by zero nor on a misaligned ld, so those programs run on, exactly as
// under qemu. The helpers are in Support/BadInputSupport.swift.
import Foundation
import XCTest
@testable import Emulator

final class RunBadInputPPC64Tests: XCTestCase, BadInputTestCase {
    static let isa = GuestISA.ppc64

    // MARK: - refused inputs (status 2)

    func testTruncatedElf() throws {
        try checkTruncatedElf()
    }

    func testHugeOrInconsistentSegmentsAreRefusedAtOnce() throws {
        try checkHugeSegments()
    }

    func testDynamicallyLinked() throws {
        try checkDynamicallyLinked()
    }

    // MARK: - guest faults (status 128 + signal)

    func testJumpToUnmappedAddress() throws {
        let r = try checkFault("jump", signal: "SIGSEGV", status: 139)
        XCTAssertEqual(r.stderrText, "k42sim: SIGSEGV: execute of unmapped address 0x1000 at pc 0x1000\n")
    }

    /// Primary opcode 0 is illegal for LLVM's disassembler, for qemu-ppc64le and for k42sim's
    /// decoder (which would otherwise add "(name, not implemented)" to the message).
    func testIllegalInstruction() throws {
        XCTAssertEqual(try PPC64Oracle.llvmMnemonics([0x0000_0000]), [nil], "llvm-objdump decodes 0x00000000")
        XCTAssertNil(PPC64Decoder.mnemonic(0x0000_0000))
        let r = try checkFault("illegal", signal: "SIGILL", status: 132)
        let pc = try symbol("illegal_word").value
        XCTAssertEqual(r.stderrText, "k42sim: SIGILL: illegal instruction 0x00000000 at pc 0x\(hex(pc))\n")
    }

    /// mfmsr is privileged: a program interrupt in problem state, SIGILL.
    func testPrivilegedInstruction() throws {
        let r = try checkFault("privileged", signal: "SIGILL", status: 132)
        let pc = try symbol("privileged_word").value
        XCTAssertEqual(r.stderrText, "k42sim: SIGILL: privileged instruction 0x7c6000a6 in problem state at pc 0x\(hex(pc))\n")
    }

    /// `trap` is `tw 31,0,0` (0x7fe00008), an unconditional trap: SIGTRAP.
    func testTrap() throws {
        let r = try checkFault("trap", signal: "SIGTRAP", status: 133)
        let pc = try symbol("trap_word").value
        XCTAssertEqual(r.stderrText, "k42sim: SIGTRAP: trap instruction 0x7fe00008 at pc 0x\(hex(pc))\n")
    }

    func testNullPointerWrite() throws {
        let r = try checkFault("null", signal: "SIGSEGV", status: 139)
        try assertMessage(r, "SIGSEGV: write of unmapped address 0x0", inFunction: "store_int")
    }

    /// lwarx needs a word-aligned address: an alignment interrupt, SIGBUS (7 on PowerPC).
    func testMisalignedLoadReserve() throws {
        let r = try checkFault("larx", signal: "SIGBUS", status: 135)
        let address = try symbol("words").value + 1
        try assertMessage(r, "SIGBUS: misaligned read at address 0x\(hex(address))", inFunction: "load_reserved")
    }

    func testAbort() throws {
        try checkAbort()
    }

    // MARK: - no fault on PowerPC

    /// divd does not trap: the program prints the quotient and exits 3 under both k42sim and qemu.
    /// The quotient is architecturally undefined: k42sim returns 0, as POWER9 does; qemu-ppc64le
    /// divides by 1 instead and prints 7, so only the continuation and the status are compared.
    func testIntegerDivideByZero() throws {
        let binary = try faultProgram()
        let r = try k42sim([binary, "divide"])
        let q = try qemu(binary, ["divide"])
        XCTAssertEqual(r.status, 3, r.stderrText)
        XCTAssertEqual(r.status, q.status, "k42sim and \(Self.isa.qemu) exit statuses")
        XCTAssertEqual(r.stderrText, "")
        XCTAssertEqual(r.stdoutText, "7 / 0 = 0\n")
        XCTAssertTrue(q.stdoutText.hasPrefix("7 / 0 = "), "qemu: \(q.stdoutText)")
    }

    /// ld from a misaligned address is allowed: the same output and status as qemu.
    func testMisalignedLoad() throws {
        let binary = try faultProgram()
        let r = try k42sim([binary, "misaligned"])
        let q = try qemu(binary, ["misaligned"])
        XCTAssertEqual(r.status, 42, r.stderrText)
        XCTAssertEqual(r.stderrText, "")
        XCTAssertEqual(r.stdoutText, "0x0200000000000000\n")
        XCTAssertEqual(r.status, q.status, "k42sim and \(Self.isa.qemu) exit statuses")
        XCTAssertEqual(r.stdoutText, q.stdoutText)
    }

    // MARK: - instruction limit (status 124)

    func testMaxInstructions() throws {
        try checkMaxInstructions()
    }

    // MARK: - the fault program

    /// One guest program with a fault per argv[1]; as for MIPS, the functions are noipa and the
    /// pointers and divisor come from volatiles. `trap` is an unconditional `tw 31,0,0`.
    static let faultSource = """
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>
    long words[4] __attribute__((aligned(16))) = {1, 2, 3, 4};
    void (*volatile target)(void) = (void (*)(void))0x1000;
    int *volatile null_pointer;
    volatile long zero;
    __attribute__((noipa)) long divide(long a, long b) { return a / b; }
    __attribute__((noipa)) long load_long(const char *p) { return *(const long *)p; }
    __attribute__((noipa)) void store_int(int *p) { *p = 1; }
    __attribute__((noipa)) int load_reserved(const char *p) {
        int v;
        __asm__ volatile("lwarx %0, 0, %1" : "=r"(v) : "r"(p) : "memory");
        return v;
    }
    int main(int argc, char **argv) {
        const char *what = argc > 1 ? argv[1] : "";
        if (!strcmp(what, "jump")) target();
        if (!strcmp(what, "illegal")) __asm__ volatile(".globl illegal_word\\nillegal_word: .long 0x00000000");
        if (!strcmp(what, "privileged")) __asm__ volatile(".globl privileged_word\\nprivileged_word: mfmsr 3" ::: "r3");
        if (!strcmp(what, "trap")) __asm__ volatile(".globl trap_word\\ntrap_word: trap");
        if (!strcmp(what, "divide")) { printf("7 / 0 = %ld\\n", divide(7, zero)); return 3; }
        if (!strcmp(what, "misaligned")) {
            long v = load_long((const char *)words + 1);
            printf("0x%016lx\\n", v);
            return (int)(v >> 56) + 40;
        }
        if (!strcmp(what, "larx")) return load_reserved((const char *)words + 1);
        if (!strcmp(what, "null")) store_int(null_pointer);
        if (!strcmp(what, "abort")) abort();
        return 0;
    }
    """
}
