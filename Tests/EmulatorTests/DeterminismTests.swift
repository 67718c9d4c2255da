// DeterminismTests: the same guest program run twice under `k42sim run --stats` (statistics on
// stderr) or `--stats-file` (statistics in a file, nothing on stderr) must give identical stdout
// and identical statistics, except host-side statistics (lines whose name starts with "host",
// e.g. host seconds or host instruction rate).
import Foundation
import XCTest

/// Runs a program twice under k42sim with --stats and compares the runs.
struct DeterminismCheck {
    let isa: GuestISA

    /// The statistics lines of a run (gem5 style `name value # description`, on stderr),
    /// without the host-dependent ones.
    static func simulatedStats(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { line in
            guard let name = line.split(separator: " ", omittingEmptySubsequences: true).first else { return false }
            return !name.hasPrefix("host")
        }
    }

    func check(program: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let spec = GuestProgramSpec.spec(for: program)
        let binary = try GuestProgramBuilder.build(program: program, for: isa)
        let oracle = QemuOracle(isa: isa)
        let first = try oracle.runK42sim(binary, spec.arguments, stdin: spec.stdin, options: ["--stats"])
        XCTAssertEqual(first.status, spec.expectedStatus,
                       "\(isa.rawValue) \(program): k42sim run --stats exited with status \(first.status); "
                       + "stderr: \(QemuOracle.excerpt(first.stderrText))", file: file, line: line)
        guard first.status == spec.expectedStatus else { return }
        let second = try oracle.runK42sim(binary, spec.arguments, stdin: spec.stdin, options: ["--stats"])
        XCTAssertEqual(second.status, first.status, "\(program): exit status differs between runs",
                       file: file, line: line)
        XCTAssertEqual(second.stdout, first.stdout,
                       "\(program): stdout differs between runs: \(QemuOracle.firstDifference(first.stdout, second.stdout))",
                       file: file, line: line)
        let stats1 = Self.simulatedStats(first.stderrText), stats2 = Self.simulatedStats(second.stderrText)
        XCTAssertFalse(stats1.isEmpty, "\(program): k42sim run --stats printed no statistics", file: file, line: line)
        if stats1 != stats2 {
            let common = min(stats1.count, stats2.count)
            let i = (0..<common).first { stats1[$0] != stats2[$0] } ?? common
            let a = i < stats1.count ? stats1[i] : "<end>", b = i < stats2.count ? stats2[i] : "<end>"
            XCTFail("\(program): statistics differ between runs at stats line \(i + 1): '\(a)' vs '\(b)' "
                    + "(\(stats1.count) vs \(stats2.count) lines)", file: file, line: line)
        }
    }

    /// Runs the program twice with `--stats-file A` and `--stats-file B` and compares the files;
    /// they must also hold the same simulated statistics as a `--stats` run prints on stderr.
    func checkStatsFile(program: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let spec = GuestProgramSpec.spec(for: program)
        let binary = try GuestProgramBuilder.build(program: program, for: isa)
        let oracle = QemuOracle(isa: isa)
        let dir = GuestProgramBuilder.cacheRoot + "/stats-files/\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var files: [[String]] = []
        for name in ["A", "B"] {
            let path = "\(dir)/\(name)"
            let r = try oracle.runK42sim(binary, spec.arguments, stdin: spec.stdin, options: ["--stats-file", path])
            XCTAssertEqual(r.status, spec.expectedStatus, "\(program) --stats-file \(name): \(QemuOracle.excerpt(r.stderrText))",
                           file: file, line: line)
            XCTAssertEqual(r.stderrText, "", "\(program): --stats-file must keep statistics off stderr", file: file, line: line)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertTrue(text.contains("\nhostSeconds "), "\(program): no hostSeconds in \(name)", file: file, line: line)
            files.append(Self.simulatedStats(text))
        }
        XCTAssertTrue(files[0].contains { $0.hasPrefix("simInsts ") }, "\(program): no simInsts in A", file: file, line: line)
        XCTAssertEqual(files[0], files[1], "\(program): stats files A and B differ", file: file, line: line)
        let onStderr = try oracle.runK42sim(binary, spec.arguments, stdin: spec.stdin, options: ["--stats"])
        XCTAssertEqual(Self.simulatedStats(onStderr.stderrText), files[0],
                       "\(program): --stats on stderr and --stats-file disagree", file: file, line: line)
    }
}

final class DeterminismTests: XCTestCase {
    func testMIPS64SHA256() throws { try DeterminismCheck(isa: .mips64).check(program: "sha256") }
    func testMIPS64Float() throws { try DeterminismCheck(isa: .mips64).check(program: "float") }
    func testPPC64SHA256() throws { try DeterminismCheck(isa: .ppc64).check(program: "sha256") }
    func testPPC64Float() throws { try DeterminismCheck(isa: .ppc64).check(program: "float") }
    func testMIPS64StatsFile() throws { try DeterminismCheck(isa: .mips64).checkStatsFile(program: "sha256") }
    func testPPC64StatsFile() throws { try DeterminismCheck(isa: .ppc64).checkStatsFile(program: "sha256") }
}
