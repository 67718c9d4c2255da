// RunBadInputTests: `k42sim run` as a process on bad inputs. Refused files (truncated, not ELF,
// wrong architecture, 32-bit, dynamically linked, missing, a directory) print exactly one line
// and exit 2; guests that die of a fault print one line naming the signal and pc and exit with
// 128 + the MIPS signal number, the same signal qemu-mips64el delivers; --max-insts exits 124.
import Foundation
import XCTest
@testable import Emulator

final class RunBadInputTests: XCTestCase {
    // MARK: - refused inputs (status 2)

    func testTruncatedElf() throws {
        let full = try FileManager.default.contents(atPath: try faultProgram()).map { [UInt8]($0) } ?? []
        let image = try ElfImage(bytes: full)
        let dir = try scratch()
        let half = full.count / 2
        for cut in [10, 100, half] {
            let path = "\(dir)/cut-\(cut)"
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(full.prefix(cut))))
            let r = try k42sim([path])
            XCTAssertEqual(r.status, 2, "cut at \(cut): \(r.stderrText)")
            XCTAssertEqual(r.stdoutText, "")
            switch cut {
            case 10:
                XCTAssertEqual(r.stderrText, "k42sim: \(path): truncated ELF file (10 bytes)\n")
            case 100:  // inside the program header table
                XCTAssertEqual(r.stderrText, "k42sim: \(path): truncated ELF file: program headers end past the file's 100 bytes\n")
            default:   // inside a loadable segment: the message names where that segment ends
                let ends = image.segments.map { $0.fileOffset + $0.fileSize }.filter { $0 > UInt64(half) }
                let m = match(#"^k42sim: (.*): truncated ELF file: segment [0-9]+ ends at byte ([0-9]+), file has ([0-9]+)\n$"#, r.stderrText)
                XCTAssertEqual(m.first, path, r.stderrText)
                XCTAssertTrue(m.count == 3 && ends.contains(UInt64(m[1]) ?? 0), "\(r.stderrText) (segment ends \(ends))")
                XCTAssertEqual(m.last, "\(half)", r.stderrText)
            }
        }
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
        XCTAssertEqual(b.count, 84)
        let path = try scratch() + "/o32"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(b)))
        try assertRefused(path, "32-bit ELF file; k42sim runs 64-bit MIPS and PowerPC code only")
    }

    func testDynamicallyLinked() throws {
        let path = try GuestProgramBuilder.build(source: Array(Self.faultSource.utf8), name: "dynamic", for: .mips64,
                                                 flags: ["-O2"], libraries: [])
        XCTAssertTrue(try ElfImage.hasInterpreterSegment(path), "\(path) is not dynamically linked")
        try assertRefused(path, "dynamically linked; build it with -static")
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
        let r = try checkFault("abort", signal: "SIGABRT", status: 134)
        let m = match(#"^k42sim: program killed by SIGABRT at pc 0x([0-9a-f]+)\n$"#, r.stderrText)
        XCTAssertEqual(m.count, 1, r.stderrText)
        let pc = UInt64(m.first ?? "", radix: 16) ?? 0
        XCTAssertEqual(try ElfImage(path: try faultProgram()).symbol(containing: pc)?.isFunction, true,
                       "pc 0x\(hex(pc)) is not in a function")
    }

    // MARK: - instruction limit (status 124)

    func testMaxInstructions() throws {
        let sha = try GuestProgramBuilder.build(program: "sha256", for: .mips64)
        let stats = try scratch() + "/stats.txt"
        let r = try k42sim(["--max-insts", "1000", "--stats-file", stats, sha])
        XCTAssertEqual(r.status, 124, r.stderrText)
        XCTAssertEqual(r.stdoutText, "")
        let m = match(#"^k42sim: instruction limit of 1000 reached after (\d+) instructions at pc 0x([0-9a-f]+)\n$"#, r.stderrText)
        XCTAssertEqual(m.count, 2, r.stderrText)
        // The CPU stops at the first block boundary at or after the limit, so a few more
        // instructions may run (1002 for this program), never fewer.
        let text = try String(contentsOfFile: stats, encoding: .utf8)
        var simInsts: UInt64?
        for l in text.split(separator: "\n") {
            let fields = l.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count > 1 && fields[0] == "simInsts" { simInsts = UInt64(fields[1]) }
        }
        XCTAssertNotNil(simInsts, "no simInsts in the stats file:\n\(text)")
        XCTAssertTrue((1000...1100).contains(simInsts ?? 0), "simInsts \(simInsts ?? 0) after --max-insts 1000")
        XCTAssertEqual(m.first.flatMap { UInt64($0) }, simInsts, "the message states the executed count")
    }

    // MARK: - helpers

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

    private func faultProgram() throws -> String {
        try GuestProgramBuilder.build(source: Array(Self.faultSource.utf8), name: "faults", for: .mips64)
    }

    private func symbol(_ name: String) throws -> ElfSymbol {
        let image = try ElfImage(path: try faultProgram())
        guard let s = image.symbols.first(where: { $0.name == name }) else { throw GuestToolError("no symbol \(name)") }
        return s
    }

    private func k42sim(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(try HostTools.k42sim(), ["run"] + arguments, environment: GuestProgramSpec.environment)
    }

    private func assertRefused(_ path: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try k42sim([path])
        XCTAssertEqual(r.status, 2, r.stderrText, file: file, line: line)
        XCTAssertEqual(r.stderrText, "k42sim: \(path): \(message)\n", file: file, line: line)
        XCTAssertEqual(r.stdoutText, "", file: file, line: line)
    }

    /// Runs the fault program under k42sim and qemu; k42sim must exit with `status` and qemu
    /// must die of the same signal (qemu kills itself with the host's number for it).
    private func checkFault(_ what: String, signal: String, status: Int32, qemuAlso: Set<String> = [],
                            file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let binary = try faultProgram()
        let r = try k42sim([binary, what])
        XCTAssertEqual(r.status, status, "k42sim: \(r.stderrText)", file: file, line: line)
        XCTAssertEqual(Self.mipsSignals[r.status - 128], signal, file: file, line: line)
        XCTAssertEqual(r.stdoutText, "", file: file, line: line)
        let q = try QemuOracle(isa: .mips64).runQemu(binary, [what])
        let qemuSignal = Self.hostSignals[q.status - 128] ?? "status \(q.status)"
        XCTAssertTrue(qemuSignal == signal || qemuAlso.contains(qemuSignal),
                      "qemu-mips64el died of \(qemuSignal), k42sim of \(signal)", file: file, line: line)
        return r
    }

    /// `k42sim: <prefix> at pc 0x<pc>\n` with the pc inside `function`; a fault in a branch's
    /// delay slot (e.g. a load scheduled after `jr $ra`) adds the branch's address, pc - 4.
    private func assertMessage(_ r: ProcessResult, _ prefix: String, inFunction function: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let m = match("^k42sim: \(prefix) at pc 0x([0-9a-f]+)( \\(in the delay slot of the branch at 0x([0-9a-f]+)\\))?\n$",
                      r.stderrText)
        XCTAssertEqual(m.count, 3, "message: \(r.stderrText)", file: file, line: line)
        let pc = UInt64(m.first ?? "", radix: 16) ?? 0
        if m.count == 3, !m[2].isEmpty {
            XCTAssertEqual(UInt64(m[2], radix: 16), pc - 4, "delay-slot branch address", file: file, line: line)
        }
        let f = try symbol(function)
        XCTAssertTrue(pc >= f.value && pc < f.value + f.size,
                      "pc 0x\(hex(pc)) is outside \(function) [0x\(hex(f.value)), +\(f.size))", file: file, line: line)
    }

    /// The capture groups of `pattern`'s match in `text` ("" for a group that did not take
    /// part), or [] when it does not match.
    private func match(_ pattern: String, _ text: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return [] }
        return (1..<m.numberOfRanges).map { Range(m.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
    }

    private func scratch() throws -> String {
        let dir = GuestProgramBuilder.cacheRoot + "/bad-inputs/\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// Linux/MIPS signal numbers (k42sim's exit status is 128 + these).
    static let mipsSignals: [Int32: String] = [4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 8: "SIGFPE", 10: "SIGBUS", 11: "SIGSEGV"]
    /// The host's numbers for the same signals (qemu-user re-raises the guest's signal on itself).
    static let hostSignals: [Int32: String] = [SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT",
                                               SIGFPE: "SIGFPE", SIGBUS: "SIGBUS", SIGSEGV: "SIGSEGV"]
}

private extension ElfImage {
    /// Whether the file has a PT_INTERP program header (read by hand: ElfImage refuses such files).
    static func hasInterpreterSegment(_ path: String) throws -> Bool {
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func u(_ at: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 | Int(b[at + $1]) << (8 * $1) } }
        let phoff = u(32, 8), phentsize = u(54, 2), phnum = u(56, 2)
        return (0..<phnum).contains { u(phoff + $0 * phentsize, 4) == 3 }
    }
}
