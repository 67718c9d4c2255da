// RunBadInputTests: `k42sim run` as a process on bad inputs. Refused files (truncated, not ELF,
// wrong architecture, 32-bit, dynamically linked, missing, a directory) print exactly one line
// and exit 2; guests that die of a fault print one line naming the signal and pc and exit with
// 128 + the MIPS signal number, the same signal qemu-mips64el delivers; --max-insts exits 124.
// The helpers and the checks shared with RunBadInputPPC64Tests are in Support/BadInputSupport.swift.
import Foundation
import XCTest
@testable import Emulator

final class RunBadInputTests: XCTestCase, BadInputTestCase {
    static let isa = GuestISA.mips64

    // MARK: - refused inputs (status 2)

    func testTruncatedElf() throws {
        try checkTruncatedElf()
    }

    func testTextFileIsNotElf() throws {
        let path = try scratch() + "/notes.txt"
        try "#!/bin/sh\necho this is text\n".write(toFile: path, atomically: true, encoding: .utf8)
        try assertRefused(path, "not an ELF file")
    }

    func testHostBinaryIsWrongArchitecture() throws {
        #if arch(x86_64)
        let machine = "62 (x86-64)"
        #elseif arch(arm64)
        let machine = "183 (AArch64)"
        #else
        XCTFail("add this host's ELF machine number and name to testHostBinaryIsWrongArchitecture")
        let machine = "?"
        #endif
        try assertRefused("/bin/true", "wrong architecture: ELF machine \(machine); k42sim runs mips64 (8) and ppc64 (21)")
    }

    /// Debian's mips64el cross gcc has no o32 libraries, so the 32-bit file is a hand-made
    /// little-endian MIPS ELF32 header with one PT_LOAD program header.
    func test32BitElf() throws {
        func le(_ v: UInt32, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        var b: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0] + [UInt8](repeating: 0, count: 8)
        b += le(2, 2) + le(8, 2) + le(1, 4) + le(0x40_0000, 4) + le(52, 4) + le(0, 4)  // EXEC, MIPS, entry, phoff
        b += le(0x7000_1007, 4) + le(52, 2) + le(32, 2) + le(1, 2) + le(40, 2) + le(0, 2) + le(0, 2)
        b += le(1, 4) + le(0, 4) + le(0x40_0000, 4) + le(0x40_0000, 4) + le(84, 4) + le(84, 4) + le(5, 4) + le(0x1000, 4)
        // 84 bytes: the ELF header (52) and one program header (32), as p_filesz says.
        let path = try scratch() + "/o32"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(b)))
        try assertRefused(path, "32-bit ELF file; k42sim runs 64-bit MIPS and PowerPC code only")
    }

    func testHugeOrInconsistentSegmentsAreRefusedAtOnce() throws {
        try checkHugeSegments()
    }

    func testDynamicallyLinked() throws {
        try checkDynamicallyLinked()
    }

    func testMissingFileAndDirectory() throws {
        let dir = try scratch()
        try assertRefused(dir + "/no-such-program", "No such file or directory")
        try assertRefused(dir, "Is a directory")
    }

    // MARK: - guest faults (status 128 + signal)

    func testJumpToUnmappedAddress() throws {
        let r = try checkFault("jump", signal: "SIGSEGV", status: 139)
        XCTAssertEqual(r.stderrText, "k42sim: SIGSEGV: execute of unmapped address 0x1000 at pc 0x1000\n")
    }

    func testReservedInstruction() throws {
        let r = try checkFault("reserved", signal: "SIGILL", status: 132)
        let pc = try symbol("reserved_word").value
        XCTAssertEqual(r.stderrText, "k42sim: SIGILL: reserved instruction 0x00000028 at pc 0x\(hex(pc))\n")
    }

    /// gcc checks the divisor with `teq $divisor, $zero, 7`; Linux turns trap code 7 into SIGFPE.
    /// qemu-mips64el 7.2 delivers SIGTRAP instead (it loses the trap code), so both are accepted there.
    func testIntegerDivideByZero() throws {
        let r = try checkFault("divide", signal: "SIGFPE", status: 136, qemuAlso: ["SIGTRAP"])
        try assertMessage(r, #"SIGFPE: integer divide by zero \(trap code 7\)"#, inFunction: "divide")
    }

    func testMisalignedLoad() throws {
        let r = try checkFault("misaligned", signal: "SIGBUS", status: 138)
        let address = try symbol("words").value + 1
        try assertMessage(r, "SIGBUS: misaligned read at address 0x\(hex(address))", inFunction: "load_long")
    }

    func testNullPointerWrite() throws {
        let r = try checkFault("null", signal: "SIGSEGV", status: 139)
        try assertMessage(r, "SIGSEGV: write of unmapped address 0x0", inFunction: "store_int")
    }

    func testAbort() throws {
        try checkAbort()
    }

    // MARK: - instruction limit (status 124)

    func testMaxInstructions() throws {
        try checkMaxInstructions()
    }

    // MARK: - the fault program

    /// One guest program with a fault per argv[1]. The functions are noipa (never inlined or
    /// cloned) so a faulting pc can be checked against their symbols; pointers and the divisor
    /// come from volatiles so gcc can neither fold them nor replace the fault with its own trap.
    static let faultSource = """
    #include <stdlib.h>
    #include <string.h>
    long words[4] __attribute__((aligned(16))) = {1, 2, 3, 4};
    void (*volatile target)(void) = (void (*)(void))0x1000;
    int *volatile null_pointer;
    volatile long zero;
    __attribute__((noipa)) long divide(long a, long b) { return a / b; }
    __attribute__((noipa)) long load_long(const char *p) { return *(const long *)p; }
    __attribute__((noipa)) void store_int(int *p) { *p = 1; }
    int main(int argc, char **argv) {
        const char *what = argc > 1 ? argv[1] : "";
        if (!strcmp(what, "jump")) target();
        if (!strcmp(what, "reserved")) __asm__ volatile(".globl reserved_word\\nreserved_word: .word 0x00000028");
        if (!strcmp(what, "divide")) return (int)divide(7, zero);
        if (!strcmp(what, "misaligned")) return (int)load_long((const char *)words + 1);
        if (!strcmp(what, "null")) store_int(null_pointer);
        if (!strcmp(what, "abort")) abort();
        return 0;
    }
    """
}
