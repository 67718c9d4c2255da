// GuestSupportTests: the differential-test tooling itself: missing tools are reported with
// the Debian package to install, the runner reports exit statuses, signals (128 + n),
// stdin, stdout/stderr and the exact environment, and outputs are compared readably.
import Foundation
import XCTest

final class GuestSupportTests: XCTestCase {
    func testMissingToolNamesDebianPackage() {
        XCTAssertThrowsError(try HostTools.find("k42sim-no-such-tool", package: "k42sim-no-such-package")) { e in
            XCTAssertTrue("\(e)".contains("apt-get install k42sim-no-such-package"), "\(e)")
        }
    }

    func testRunnerStatusSignalStdinEnvironment() throws {
        let sh = try HostTools.find("sh", package: "dash")
        let r = try ProcessRunner.run(sh, ["-c", "cat; echo \"[$A][$B]\"; echo err >&2; env | wc -l; exit 3"],
                                      stdin: Array("input\n".utf8), environment: ["A=1", "B=two words"])
        XCTAssertEqual(r.status, 3)
        XCTAssertEqual(r.stdoutText.split(separator: "\n").prefix(2), ["input", "[1][two words]"])
        XCTAssertEqual(r.stderrText, "err\n")
        let killed = try ProcessRunner.run(sh, ["-c", "kill -ABRT $$"], environment: [])
        XCTAssertEqual(killed.status, 128 + SIGABRT)
        XCTAssertThrowsError(try ProcessRunner.run(sh, ["-c", "sleep 5"], environment: [], timeout: 0.2))
    }

    func testRunsInScratchDirectory() throws {
        let sh = try HostTools.find("sh", package: "dash")
        let r = try ProcessRunner.run(sh, ["-c", "pwd"], environment: [])
        XCTAssertTrue(r.stdoutText.hasPrefix(GuestProgramBuilder.cacheRoot + "/runs/"), r.stdoutText)
    }

    func testFirstDifference() {
        let d = QemuOracle.firstDifference(Array("a\nb\nc\n".utf8), Array("a\nx\n".utf8))
        XCTAssertTrue(d.hasPrefix("line 2: qemu 'b' vs k42sim 'x'"), d)
    }

    func testStatsFilterDropsHostLines() {
        let lines = DeterminismCheck.simulatedStats("""
            sim_insts 1234 # instructions
            host_seconds 0.52 # wall clock
            hostInstRate 99 # per second
            cpu0.cycles 5000 # cycles
            """)
        XCTAssertEqual(lines, ["sim_insts 1234 # instructions", "cpu0.cycles 5000 # cycles"])
    }
}
