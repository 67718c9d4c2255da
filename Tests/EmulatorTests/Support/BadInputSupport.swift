// BadInputSupport: the helpers shared by RunBadInputTests (mips64el) and RunBadInputPPC64Tests
// (ppc64le): `k42sim run` as a process, the one-line messages of refused inputs (status 2) and of
// guests that die of a fault (128 + the guest's signal number, the same signal qemu delivers),
// and the checks common to both ISAs (truncated ELF files, dynamically linked binaries,
// --max-insts). Each test class supplies its ISA and a fault program with one fault per argv[1].
import Foundation
import XCTest
@testable import Emulator

protocol BadInputTestCase: XCTestCase {
    static var isa: GuestISA { get }
    /// C source of a guest program that faults as argv[1] says; it must define `words` and the
    /// cases used by the shared checks.
    static var faultSource: String { get }
}

enum BadInputSignals {
    /// Linux's signal numbers for a guest ISA (k42sim's exit status is 128 + these).
    static func guest(_ isa: GuestISA) -> [Int32: String] {
        switch isa {
        case .mips64: [4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 8: "SIGFPE", 10: "SIGBUS", 11: "SIGSEGV"]
        case .ppc64: [4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 11: "SIGSEGV"]
        }
    }

    /// The host's numbers for the same signals (qemu-user re-raises the guest's signal on itself).
    static let host: [Int32: String] = [SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT",
                                        SIGFPE: "SIGFPE", SIGBUS: "SIGBUS", SIGSEGV: "SIGSEGV"]
}

extension BadInputTestCase {
    func faultProgram() throws -> String {
        try GuestProgramBuilder.build(source: Array(Self.faultSource.utf8), name: "faults", for: Self.isa)
    }

    func symbol(_ name: String) throws -> ElfSymbol {
        let image = try ElfImage(path: try faultProgram())
        guard let s = image.symbols.first(where: { $0.name == name }) else { throw GuestToolError("no symbol \(name)") }
        return s
    }

    func k42sim(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(try HostTools.k42sim(), ["run"] + arguments, environment: GuestProgramSpec.environment)
    }

    func qemu(_ binary: String, _ arguments: [String]) throws -> ProcessResult {
        try QemuOracle(isa: Self.isa).runQemu(binary, arguments)
    }

    func assertRefused(_ path: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try k42sim([path])
        XCTAssertEqual(r.status, 2, r.stderrText, file: file, line: line)
        XCTAssertEqual(r.stderrText, "k42sim: \(path): \(message)\n", file: file, line: line)
        XCTAssertEqual(r.stdoutText, "", file: file, line: line)
    }

    /// Runs the fault program under k42sim and qemu; k42sim must exit with `status` and qemu
    /// must die of the same signal (qemu kills itself with the host's number for it).
    func checkFault(_ what: String, signal: String, status: Int32, qemuAlso: Set<String> = [],
                    file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let binary = try faultProgram()
        let r = try k42sim([binary, what])
        XCTAssertEqual(r.status, status, "k42sim: \(r.stderrText)", file: file, line: line)
        XCTAssertEqual(BadInputSignals.guest(Self.isa)[r.status - 128], signal, file: file, line: line)
        XCTAssertEqual(r.stdoutText, "", file: file, line: line)
        let q = try qemu(binary, [what])
        let qemuSignal = BadInputSignals.host[q.status - 128] ?? "status \(q.status)"
        XCTAssertTrue(qemuSignal == signal || qemuAlso.contains(qemuSignal),
                      "\(Self.isa.qemu) died of \(qemuSignal), k42sim of \(signal)", file: file, line: line)
        return r
    }

    /// `k42sim: <prefix> at pc 0x<pc>\n` with the pc inside `function`; on MIPS a fault in a
    /// branch's delay slot (e.g. a load scheduled after `jr $ra`) adds the branch's address, pc - 4.
    func assertMessage(_ r: ProcessResult, _ prefix: String, inFunction function: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let delaySlot = Self.isa == .mips64 ? "( \\(in the delay slot of the branch at 0x([0-9a-f]+)\\))?" : "()()"
        let m = match("^k42sim: \(prefix) at pc 0x([0-9a-f]+)\(delaySlot)\n$", r.stderrText)
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
    func match(_ pattern: String, _ text: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return [] }
        return (1..<m.numberOfRanges).map { Range(m.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
    }

    func scratch() throws -> String {
        let dir = GuestProgramBuilder.cacheRoot + "/bad-inputs/\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    // MARK: - checks shared by the ISAs

    /// The fault program cut at 10 bytes, 100 bytes (inside the program header table) and half
    /// its size (inside a loadable segment) is refused with a message naming the cut.
    func checkTruncatedElf(file: StaticString = #filePath, line: UInt = #line) throws {
        let full = try FileManager.default.contents(atPath: try faultProgram()).map { [UInt8]($0) } ?? []
        let image = try ElfImage(bytes: full)
        XCTAssertEqual(image.isa.rawValue, Self.isa.rawValue, file: file, line: line)
        let dir = try scratch()
        let half = full.count / 2
        for cut in [10, 100, half] {
            let path = "\(dir)/cut-\(cut)"
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(full.prefix(cut))), file: file, line: line)
            let r = try k42sim([path])
            XCTAssertEqual(r.status, 2, "cut at \(cut): \(r.stderrText)", file: file, line: line)
            XCTAssertEqual(r.stdoutText, "", file: file, line: line)
            switch cut {
            case 10:
                XCTAssertEqual(r.stderrText, "k42sim: \(path): truncated ELF file (10 bytes)\n", file: file, line: line)
            case 100:  // inside the program header table
                XCTAssertEqual(r.stderrText, "k42sim: \(path): truncated ELF file: program headers end past the file's 100 bytes\n",
                               file: file, line: line)
            default:   // inside a loadable segment: the message names where that segment ends
                let ends = image.segments.map { $0.fileOffset + $0.fileSize }.filter { $0 > UInt64(half) }
                let m = match(#"^k42sim: (.*): truncated ELF file: segment [0-9]+ ends at byte ([0-9]+), file has ([0-9]+)\n$"#, r.stderrText)
                XCTAssertEqual(m.first, path, r.stderrText, file: file, line: line)
                XCTAssertTrue(m.count == 3 && ends.contains(UInt64(m[1]) ?? 0), "\(r.stderrText) (segment ends \(ends))",
                              file: file, line: line)
                XCTAssertEqual(m.last, "\(half)", r.stderrText, file: file, line: line)
            }
        }
    }

    /// The fault program built without -static has a PT_INTERP segment and is refused.
    func checkDynamicallyLinked(file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try GuestProgramBuilder.build(source: Array(Self.faultSource.utf8), name: "dynamic", for: Self.isa,
                                                 flags: ["-O2"], libraries: [])
        XCTAssertTrue(try ElfImage.hasInterpreterSegment(path), "\(path) is not dynamically linked", file: file, line: line)
        try assertRefused(path, "dynamically linked; build it with -static", file: file, line: line)
    }

    /// `--max-insts 1000` on sha256 exits 124 with a message stating the executed count, which
    /// is the stats file's simInsts.
    func checkMaxInstructions(file: StaticString = #filePath, line: UInt = #line) throws {
        let sha = try GuestProgramBuilder.build(program: "sha256", for: Self.isa)
        let stats = try scratch() + "/stats.txt"
        let r = try k42sim(["--max-insts", "1000", "--stats-file", stats, sha])
        XCTAssertEqual(r.status, 124, r.stderrText, file: file, line: line)
        XCTAssertEqual(r.stdoutText, "", file: file, line: line)
        let m = match(#"^k42sim: instruction limit of 1000 reached after (\d+) instructions at pc 0x([0-9a-f]+)\n$"#, r.stderrText)
        XCTAssertEqual(m.count, 2, r.stderrText, file: file, line: line)
        // The CPU stops at the first block boundary at or after the limit, so a few more
        // instructions may run (1002 for the mips64el program), never fewer.
        let text = try String(contentsOfFile: stats, encoding: .utf8)
        var simInsts: UInt64?
        for l in text.split(separator: "\n") {
            let fields = l.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count > 1 && fields[0] == "simInsts" { simInsts = UInt64(fields[1]) }
        }
        XCTAssertNotNil(simInsts, "no simInsts in the stats file:\n\(text)", file: file, line: line)
        XCTAssertTrue((1000...1100).contains(simInsts ?? 0), "simInsts \(simInsts ?? 0) after --max-insts 1000", file: file, line: line)
        XCTAssertEqual(m.first.flatMap { UInt64($0) }, simInsts, "the message states the executed count", file: file, line: line)
        // The stopping pc is an instruction of the program.
        let pc = UInt64(m.last ?? "", radix: 16) ?? 0
        let image = try ElfImage(path: sha)
        XCTAssertEqual(image.symbol(containing: pc)?.isFunction, true, "pc 0x\(hex(pc)) is not in a function", file: file, line: line)
    }

    /// The fault program with program header `header`'s field at `offset` (in the 56-byte
    /// Elf64_Phdr: 32 p_filesz, 40 p_memsz) set to `value`, written to a scratch file.
    func mutatedProgram(header: Int, offset: Int, value: UInt64, name: String) throws -> String {
        var b = try FileManager.default.contents(atPath: try faultProgram()).map { [UInt8]($0) } ?? []
        func u(_ at: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 | Int(b[at + $1]) << (8 * $1) } }
        let at = u(32, 8) + u(54, 2) * header + offset
        for i in 0 ..< 8 { b[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
        let path = try scratch() + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(b)))
        return path
    }

    /// Issue 15: a segment claiming 2^40 bytes or more (the second program header's p_memsz
    /// mutated, which made `--max-insts 2000000` spin for minutes) is refused within a second
    /// with status 2 and one line naming the segment; so are other huge or inconsistent sizes.
    /// A legitimately huge bss (7 GiB) loads as fast as a small one: loading costs the file's
    /// size, not the header's numbers.
    func checkHugeSegments(file: StaticString = #filePath, line: UInt = #line) throws {
        let image = try ElfImage(path: try faultProgram())
        let loads = image.segments.map(\.index)
        XCTAssertGreaterThanOrEqual(loads.count, 2, file: file, line: line)
        for value: UInt64 in [1 << 40, 1 << 41, 1 << 48, 1 << 63, UInt64.max - 0xfff] {
            let path = try mutatedProgram(header: 1, offset: 40, value: value, name: "memsz-\(value)")
            let start = Date()
            let r = try k42sim(["--max-insts", "2000000", path])
            let seconds = Date().timeIntervalSince(start)
            XCTAssertLessThan(seconds, 1, "p_memsz \(value) took \(seconds) s", file: file, line: line)
            XCTAssertEqual(r.status, 2, "p_memsz \(value): \(r.stderrText)", file: file, line: line)
            XCTAssertEqual(r.stdoutText, "", file: file, line: line)
            XCTAssertEqual(r.stderrText.filter { $0 == "\n" }.count, 1, r.stderrText, file: file, line: line)
            XCTAssertTrue(r.stderrText.hasPrefix("k42sim: \(path): "), r.stderrText, file: file, line: line)
            XCTAssertTrue(r.stderrText.contains("segment"), r.stderrText, file: file, line: line)
        }
        // Each refusal names the offending segment(s) by program-header index.
        let last = loads.last!, first = loads.first!
        let cases: [(Int, Int, UInt64, String)] = [
            (first, 40, 1 << 36, "segments \(first) and \(last) overlap: "),                   // grows over the next one
            (last, 40, 9 << 30, "segment \(last) at "),                                        // more than the 8 GiB
            (last, 32, image.segments.last!.memSize + 1, "corrupt segment \(last): file size exceeds memory size"),
        ]
        for (header, offset, value, message) in cases {
            let path = try mutatedProgram(header: header, offset: offset, value: value, name: "ph\(header)-\(offset)-\(value)")
            let r = try k42sim(["--max-insts", "2000000", path])
            XCTAssertEqual(r.status, 2, r.stderrText, file: file, line: line)
            XCTAssertTrue(r.stderrText.hasPrefix("k42sim: \(path): \(message)"), r.stderrText, file: file, line: line)
        }
        let bss = try mutatedProgram(header: last, offset: 40, value: 7 << 30, name: "bss-7g")
        let start = Date()
        let r = try k42sim(["--max-insts", "2000000", bss])
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "a 7 GiB bss loads in time independent of its size", file: file, line: line)
        XCTAssertEqual(r.status, 0, r.stderrText, file: file, line: line)
    }

    /// abort() raises SIGABRT through a system call inside a libc function.
    func checkAbort(file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try checkFault("abort", signal: "SIGABRT", status: 134, file: file, line: line)
        let m = match(#"^k42sim: program killed by SIGABRT at pc 0x([0-9a-f]+)\n$"#, r.stderrText)
        XCTAssertEqual(m.count, 1, r.stderrText, file: file, line: line)
        let pc = UInt64(m.first ?? "", radix: 16) ?? 0
        XCTAssertEqual(try ElfImage(path: try faultProgram()).symbol(containing: pc)?.isFunction, true,
                       "pc 0x\(hex(pc)) is not in a function", file: file, line: line)
    }
}

extension ElfImage {
    /// Whether the file has a PT_INTERP program header (read by hand: ElfImage refuses such files).
    static func hasInterpreterSegment(_ path: String) throws -> Bool {
        let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func u(_ at: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 | Int(b[at + $1]) << (8 * $1) } }
        let phoff = u(32, 8), phentsize = u(54, 2), phnum = u(56, 2)
        return (0..<phnum).contains { u(phoff + $0 * phentsize, 4) == 3 }
    }
}
