// QemuOracle: the ISA-generic part of the qemu-user differential tests. Each program in
// Tests/Programs runs under qemu-user (the oracle) and under `k42sim run` with the same
// binary, arguments, stdin and fixed environment; stdout (and, where asked, stderr) must be
// byte-identical and the exit statuses equal.
import Foundation
import XCTest

/// How to run one program of Tests/Programs; programs not listed run with no arguments and
/// empty stdin, compare stdout and status, and must exit 0.
struct GuestProgramSpec: Sendable {
    var arguments: [String] = []
    var stdin: [UInt8] = []
    /// Compare stderr too (not for programs that die of a signal: qemu prints its own message).
    var compareStderr = false
    var expectedStatus: Int32 = 0

    static let catalog: [String: GuestProgramSpec] = [
        "argv_env": GuestProgramSpec(arguments: ["one", "two words", "", "ünïcödé", "-x", "--flag=3"]),
        "stdin_wc": GuestProgramSpec(stdin: GuestProgramSpec.sampleText),
        "exit42": GuestProgramSpec(expectedStatus: 42),
        "abort": GuestProgramSpec(expectedStatus: 134),  // 128 + SIGABRT
        "stdio_mix": GuestProgramSpec(compareStderr: true),
    ]

    static func spec(for program: String) -> GuestProgramSpec { catalog[program] ?? GuestProgramSpec() }

    /// Where qemu-user itself departs from Linux, its output is corrected before comparing:
    /// qemu-ppc64le reports a write to a read-only page as SEGV_MAPERR (1); Linux (and
    /// qemu-mips64el) say SEGV_ACCERR (2), which k42sim reports on both ISAs.
    static let qemuQuirks: [String: [GuestISA: [(String, String)]]] = [
        "sigsegv": [.ppc64: [("handler: sig 11 code 1 offset 100", "handler: sig 11 code 2 offset 100")]],
    ]

    static func applyQemuQuirks(program: String, isa: GuestISA, _ stdout: [UInt8]) -> [UInt8] {
        guard let fixes = qemuQuirks[program]?[isa] else { return stdout }
        var text = String(decoding: stdout, as: UTF8.self)
        for (from, to) in fixes { text = text.replacingOccurrences(of: from, with: to) }
        return Array(text.utf8)
    }

    /// Fixed text for stdin: 60 lines plus a last line without newline.
    static let sampleText: [UInt8] = {
        var s = ""
        for i in 1...60 {
            s += "line \(i): The quick brown fox jumps over the lazy dog; pack my box with \(i * i) liquor jugs.\n"
        }
        s += "tail without newline \t\t tabs  "
        return Array(s.utf8)
    }()

    /// The complete guest environment, in this order, for qemu and k42sim alike (never the host's).
    static let environment = ["K42_ALPHA=alpha", "K42_EMPTY=", "K42_SPACES=a b  c", "PATH=/usr/bin:/bin", "LANG=C"]
}

/// Runs guest binaries of one ISA under qemu-user and under k42sim.
struct QemuOracle {
    let isa: GuestISA
    var qemuTimeout: TimeInterval = 30
    /// k42sim is much slower than qemu (and much slower again in a debug build).
    var k42simTimeout: TimeInterval = 600

    func runQemu(_ binary: String, _ arguments: [String], stdin: [UInt8] = []) throws -> ProcessResult {
        try ProcessRunner.run(try HostTools.qemu(for: isa), isa.qemuOptions + [binary] + arguments,
                              stdin: stdin, environment: GuestProgramSpec.environment, timeout: qemuTimeout)
    }

    /// `k42sim run [options] <binary> <arguments>`.
    func runK42sim(_ binary: String, _ arguments: [String], stdin: [UInt8] = [],
                   options: [String] = []) throws -> ProcessResult {
        try ProcessRunner.run(try HostTools.k42sim(), ["run"] + options + [binary] + arguments,
                              stdin: stdin, environment: GuestProgramSpec.environment, timeout: k42simTimeout)
    }

    /// Builds and runs Tests/Programs/<program>.c on both and asserts equal results.
    func check(program: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let spec = GuestProgramSpec.spec(for: program)
        let binary = try GuestProgramBuilder.build(program: program, for: isa)
        var expected = try runQemu(binary, spec.arguments, stdin: spec.stdin)
        // Sanity of the oracle itself, so a broken qemu setup is not blamed on k42sim.
        XCTAssertEqual(expected.status, spec.expectedStatus,
                       "\(isa.qemu) \(program): unexpected status; stderr: \(Self.excerpt(expected.stderrText))",
                       file: file, line: line)
        expected.stdout = GuestProgramSpec.applyQemuQuirks(program: program, isa: isa, expected.stdout)
        let actual = try runK42sim(binary, spec.arguments, stdin: spec.stdin)
        Self.assertSame(expected: expected, actual: actual, compareStderr: spec.compareStderr,
                        what: "\(isa.rawValue) \(program)", file: file, line: line)
    }

    /// Asserts k42sim's result equals qemu's, with a short message: the first differing line
    /// and k42sim's stderr (which says why it failed, e.g. an unimplemented instruction).
    static func assertSame(expected: ProcessResult, actual: ProcessResult, compareStderr: Bool,
                           what: String, file: StaticString = #filePath, line: UInt = #line) {
        var problems: [String] = []
        if actual.status != expected.status {
            problems.append("k42sim exited with status \(actual.status), qemu with \(expected.status)")
        }
        if actual.stdout != expected.stdout {
            problems.append("stdout differs: \(firstDifference(expected.stdout, actual.stdout))")
        }
        if compareStderr && actual.stderr != expected.stderr {
            problems.append("stderr differs: \(firstDifference(expected.stderr, actual.stderr))")
        }
        if !problems.isEmpty {
            XCTFail("\(what): " + problems.joined(separator: "; ")
                    + "; k42sim stderr: \(excerpt(actual.stderrText))", file: file, line: line)
        }
    }

    /// "line N: qemu '...' vs k42sim '...'" for the first differing line of two outputs.
    static func firstDifference(_ expected: [UInt8], _ actual: [UInt8]) -> String {
        let e = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let a = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<end of output>"
            let al = i < a.count ? String(a[i]) : "<end of output>"
            if el != al {
                return "line \(i + 1): qemu '\(excerpt(el))' vs k42sim '\(excerpt(al))' "
                    + "(\(expected.count) vs \(actual.count) bytes)"
            }
        }
        return "same text, different bytes (\(expected.count) vs \(actual.count) bytes)"
    }

    static func excerpt(_ s: String, limit: Int = 300) -> String {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.count <= limit ? t : String(t.prefix(limit)) + "…"
    }
}

/// Base class of the per-ISA differential test classes (it has no tests of its own).
/// A subclass overrides `isa` and declares one `test<Program>` method per program.
class QemuOracleTestCase: XCTestCase {
    class var isa: GuestISA { fatalError("subclasses of QemuOracleTestCase override isa") }

    var oracle: QemuOracle { QemuOracle(isa: Self.isa) }

    func check(_ program: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try oracle.check(program: program, file: file, line: line)
    }

    /// Fails when Tests/Programs and the subclass's test methods disagree, so a new program
    /// cannot be silently left out. `tested` lists the programs the subclass checks.
    func checkEveryProgramIsTested(_ tested: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let all = try GuestProgramBuilder.programNames()
        XCTAssertFalse(all.isEmpty, "no programs found in \(GuestProgramBuilder.programsDirectory.path)")
        XCTAssertEqual(Set(tested).symmetricDifference(all).sorted(), [],
                       "programs in Tests/Programs without a test method (or vice versa)", file: file, line: line)
    }
}
