// CsmithDifferentialTests: random C programs from csmith (fixed seeds, options that keep them
// small and terminating), compiled -O2 static for mips64el; the checksum that each prints
// must be the same under `k42sim run` as under qemu-mips64el. Sources are generated at test
// time into the cache directory (csmith output depends only on its version, seed and options).
import Foundation
import XCTest

/// Generates csmith programs and checks them on one ISA.
struct CsmithOracle {
    let isa: GuestISA

    /// Small programs: few functions, shallow blocks, simpler expressions, no volatiles.
    static let options = ["--max-funcs", "5", "--max-block-depth", "4", "--max-expr-complexity", "8",
                          "--no-volatiles"]

    /// Seeds checked with csmith 2.3.0 and these options: every seed 1-40 terminates in under
    /// 160k guest instructions under qemu-mips64el, with the same checksum on ppc64le; these are
    /// the ten that run longest (60k-160k instructions, most of it computation after -O2).
    static let seeds: [UInt64] = [1, 6, 10, 22, 28, 31, 35, 38, 39, 40]

    static let headerDirectory = "/usr/include/csmith"

    /// csmith's C output for `seed`, cached as <cache>/csmith/<version>/<seed>-<options hash>.c.
    static func source(seed: UInt64) throws -> [UInt8] {
        let csmith = try HostTools.find("csmith", package: "csmith")
        guard FileManager.default.fileExists(atPath: headerDirectory + "/csmith.h") else {
            throw GuestToolError("\(headerDirectory)/csmith.h is missing: install the Debian package "
                + "'libcsmith-dev' (apt-get install libcsmith-dev)")
        }
        let version = try ProcessRunner.run(csmith, ["--version"], timeout: 60).stdoutText
            .split(separator: "\n").first.map(String.init) ?? "unknown"
        let dir = "\(GuestProgramBuilder.cacheRoot)/csmith/"
            + GuestProgramBuilder.hexHash(Array((version + options.joined(separator: " ")).utf8))
        let path = "\(dir)/seed\(seed).c"
        if let cached = FileManager.default.contents(atPath: path) { return [UInt8](cached) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let tmp = "\(path).\(getpid()).tmp"
        let r = try ProcessRunner.run(csmith, ["--seed", String(seed)] + options + ["-o", tmp], timeout: 120)
        guard r.status == 0, let text = FileManager.default.contents(atPath: tmp) else {
            throw GuestToolError("csmith --seed \(seed) failed (status \(r.status)): \(r.stderrText)")
        }
        guard rename(tmp, path) == 0 else { throw GuestToolError("cannot rename \(tmp)") }
        return [UInt8](text)
    }

    func check(seed: UInt64, file: StaticString = #filePath, line: UInt = #line) throws {
        let binary = try GuestProgramBuilder.build(
            source: try Self.source(seed: seed), name: "csmith\(seed)", for: isa,
            extraFlags: ["-I\(Self.headerDirectory)", "-w"])
        let oracle = QemuOracle(isa: isa)
        let expected = try oracle.runQemu(binary, [])
        XCTAssertEqual(expected.status, 0, "csmith seed \(seed) under \(isa.qemu): \(expected.stderrText)",
                       file: file, line: line)
        XCTAssertTrue(expected.stdoutText.hasPrefix("checksum = "),
                      "csmith seed \(seed) under \(isa.qemu) printed '\(expected.stdoutText)'", file: file, line: line)
        let actual = try oracle.runK42sim(binary, [])
        QemuOracle.assertSame(expected: expected, actual: actual, compareStderr: false,
                              what: "\(isa.rawValue) csmith seed \(seed)", file: file, line: line)
    }
}

final class CsmithDifferentialTests: XCTestCase {
    func testMIPS64Seeds() throws {
        let oracle = CsmithOracle(isa: .mips64)
        for seed in CsmithOracle.seeds {
            try oracle.check(seed: seed)
        }
    }

    func testPPC64Seeds() throws {
        let oracle = CsmithOracle(isa: .ppc64)
        for seed in CsmithOracle.seeds {
            try oracle.check(seed: seed)
        }
    }
}
