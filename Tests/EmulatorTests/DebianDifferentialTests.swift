// DebianDifferentialTests: real Debian 12 static binaries (busybox-static, bash-static) as
// guests. Every case of Tests/Debian/cases/ — pipelines, subshells, command substitution,
// here-docs, traps, background jobs and wait, xargs, find -exec, awk system()/getline, read
// loops, ls/find/du over a tree, tar c | tar t, diff -u, od -j, gzip | gunzip, bash's
// PIPESTATUS, process substitution and job control — runs under qemu-user (with a private
// binfmt_misc registration so guest execve works) and under `k42sim run`, and stdout, stderr
// and exit status must agree byte for byte (scripts/debian-diff-test). The packages are fetched
// once into a cache by scripts/debian-guest-binaries (apt-get download; nothing committed).
import Foundation
import XCTest

final class DebianDifferentialTests: XCTestCase {
    static var root: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    func run(_ isa: String) throws {
        let fetch = try ProcessRunner.run("/usr/bin/env", ["bash", Self.root + "/scripts/debian-guest-binaries"], timeout: 900)
        XCTAssertEqual(fetch.status, 0, "fetching the Debian binaries failed: \(fetch.stderrText)")
        guard fetch.status == 0 else { return }
        let r = try ProcessRunner.run("/usr/bin/env", ["bash", Self.root + "/scripts/debian-diff-test",
                                                       "--k42sim", try HostTools.k42sim(), isa], timeout: 1800)
        let fails = r.stdoutText.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        XCTAssertEqual(r.status, 0, "\(isa): \(fails.joined(separator: "\n")) \(r.stderrText)")
        XCTAssertTrue(fails.isEmpty, fails.joined(separator: "\n"))
        XCTAssertTrue(r.stdoutText.contains(" passed, 0 failed"), r.stdoutText)
    }

    func testMIPS64() throws { try run("mips64") }
    func testPPC64() throws { try run("ppc64") }
}
