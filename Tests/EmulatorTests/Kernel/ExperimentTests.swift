// ExperimentTests: `k42sim experiment` end to end (the CLI, the kernel's experiments, the
// emulator's statistics). counters at 1 and 16 CPUs on an origin-mips64-style and a
// power5-ppc64-style machine: the partitioned clustered counter scales (>= 0.8 x linear) while
// the shared ones do not, and the directory invalidations per increment — read from the
// emulator's statistics — are near 0 for the partitioned counter and 1 or more for the shared
// ones. Reruns and different --jobs give byte-identical CSV and plots; every point leaves its
// files and a self-contained command; a point that panics is reported by name with its log
// while the others finish; bad names and CPU lists get one line and status 2.
import Emulator
import Foundation
import XCTest

/// Running `k42sim experiment` from tests (also MemoryExperimentTests).
extension XCTestCase {
    func scratch(_ name: String) -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-exp-\(getpid())-\(name)").path
        try? FileManager.default.removeItem(atPath: d)
        return d
    }

    func experiment(_ args: [String], timeout: TimeInterval = 900) throws -> ProcessResult {
        try ProcessRunner.run(try HostTools.k42sim(), ["experiment"] + args + ["--root", GuestToolchainTests.projectRoot],
                              timeout: timeout)
    }

    /// results.csv as rows of column name -> value.
    func results(_ dir: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: dir + "/results.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try XCTUnwrap(lines.first)
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    func value(_ rows: [[String: String]], _ variant: String, _ cpus: Int, _ key: String) throws -> Double {
        let row = try XCTUnwrap(rows.first { $0["variant"] == variant && $0["cpus"] == "\(cpus)" }, "\(variant) \(cpus)")
        return try XCTUnwrap(Double(row[key] ?? ""), "\(variant) \(cpus) \(key): \(row)")
    }
}

final class ExperimentTests: XCTestCase {
    func checkCounters(isa: String, config: String) throws {
        // The shared variants serialise every increment (host time grows with CPUs x ops), the
        // partitioned one needs enough increments that the fixed costs around the region (the
        // release, the first tick) are small: two runs, as in docs/experiments/counters.md.
        let shared = scratch("counters-\(isa)-shared"), part = scratch("counters-\(isa)-partitioned")
        defer { try? FileManager.default.removeItem(atPath: shared); try? FileManager.default.removeItem(atPath: part) }
        let common = ["counters", "--isa", isa, "--config", config, "--cpus", "1,16", "--jobs", "2"]
        let rs = try experiment(common + ["--variants", "lock,atomic", "--ops", "150", "--out", shared])
        XCTAssertEqual(rs.status, 0, rs.stderrText)
        let rp = try experiment(common + ["--variants", "partitioned", "--ops", "1000", "--out", part])
        XCTAssertEqual(rp.status, 0, rp.stderrText)
        let rows = try results(shared) + results(part)
        XCTAssertEqual(rows.count, 6)
        let t = "increments_per_second", inv = "invalidations_per_increment"
        let part1 = try value(rows, "partitioned", 1, t), part16 = try value(rows, "partitioned", 16, t)
        XCTAssertGreaterThanOrEqual(part16, 0.8 * 16 * part1, "\(isa): partitioned scales")
        for variant in ["lock", "atomic"] {
            XCTAssertLessThanOrEqual(try value(rows, variant, 16, t), try value(rows, variant, 1, t), "\(isa): \(variant) does not scale")
            XCTAssertGreaterThanOrEqual(try value(rows, variant, 16, inv), 1.0, "\(isa): \(variant) invalidations per increment")
        }
        XCTAssertLessThan(try value(rows, "partitioned", 16, inv), 0.05, "\(isa): partitioned invalidations per increment")
        XCTAssertLessThan(try value(rows, "partitioned", 1, inv), 0.05)
    }

    func testCountersOnOriginMIPS64() throws { try checkCounters(isa: "mips64", config: "origin-mips64") }
    func testCountersOnPower5PPC64() throws { try checkCounters(isa: "ppc64", config: "power5-ppc64") }

    func testSixtyFourCPUsAreReleasedTogether() throws {
        // At 32+ CPUs the timer tick preempts the thread posting the workers while CPU 0's worker
        // already spins for the release: the workers must still all start (this hung once).
        let dir = scratch("sixty-four")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try experiment(["counters", "--variants", "partitioned", "--cpus", "64", "--ops", "20", "--out", dir,
                                "--max-cycles", "50000000"])
        XCTAssertEqual(r.status, 0, r.stderrText)
        XCTAssertEqual(try results(dir).first?["status"], "ok")
    }

    func testOutputIsIdenticalAcrossRerunsAndJobs() throws {
        let a = scratch("cobj-a"), b = scratch("cobj-b")
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let ra = try experiment(["cobj-costs", "--cpus", "1,2", "--ops", "40", "--jobs", "1", "--out", a])
        let rb = try experiment(["cobj-costs", "--cpus", "1,2", "--ops", "40", "--jobs", "2", "--out", b])
        XCTAssertEqual(ra.status, 0, ra.stderrText)
        XCTAssertEqual(rb.status, 0, rb.stderrText)
        for f in ["results.csv", "plot-costs.svg", "plot-create-destroy.svg"] {
            XCTAssertEqual(FileManager.default.contents(atPath: a + "/" + f), FileManager.default.contents(atPath: b + "/" + f), f)
        }
        XCTAssertTrue(ra.stderrText.contains("[2/2] all at "), ra.stderrText)
        for point in ["all-1cpu", "all-2cpu"] {
            for f in ["console.log", "status", "stats.txt", "stats.json", "config.json", "simcalls.txt"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: "\(a)/points/\(point)/\(f)"), "\(point)/\(f)")
            }
        }
        // jobs.txt: one command per point, which reproduces the point on its own.
        let jobs = try String(contentsOfFile: a + "/jobs.txt", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(jobs.count, 2)
        let before = try String(contentsOfFile: a + "/points/all-2cpu/simcalls.txt", encoding: .utf8)
        try FileManager.default.removeItem(atPath: a + "/points/all-2cpu/simcalls.txt")
        let rerun = try ProcessRunner.run("/bin/sh", ["-c", String(jobs[1])], timeout: 300)
        XCTAssertEqual(rerun.status, 0)
        XCTAssertEqual(try String(contentsOfFile: a + "/points/all-2cpu/simcalls.txt", encoding: .utf8), before)
        let collected = try experiment(["--collect", a])
        XCTAssertEqual(collected.status, 0, collected.stderrText)
        XCTAssertEqual(FileManager.default.contents(atPath: a + "/results.csv"), FileManager.default.contents(atPath: b + "/results.csv"))
    }

    func testFailingPointIsNamedAndOthersFinish() throws {
        let dir = scratch("fail")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 3 MiB per node: one CPU fits, two on one node run out of memory and panic.
        let r = try experiment(["counters", "--variants", "atomic", "--cpus", "1,2", "--ops", "20",
                                "--set", "memoryPerNode=3145728", "--out", dir])
        XCTAssertEqual(r.status, 1, r.stderrText)
        XCTAssertTrue(r.stderrText.contains("point atomic at 2 CPUs failed (exit 250): "), r.stderrText)
        XCTAssertNotNil(r.stderrText.range(of: #"failed \(exit 250\): k42 panic: cpu [01]: out of memory"#, options: .regularExpression), r.stderrText)
        XCTAssertTrue(r.stderrText.contains("log: \(dir)/points/atomic-2cpu/console.log"), r.stderrText)
        let rows = try results(dir)
        XCTAssertEqual(rows.first { $0["cpus"] == "1" }?["status"], "ok")
        XCTAssertEqual(rows.first { $0["cpus"] == "2" }?["status"], "failed (exit 250)")
        XCTAssertNotNil(Double(rows.first { $0["cpus"] == "1" }?["increments_per_second"] ?? ""))
    }

    func testBadNamesAndCPUListsAreRefused() throws {
        for (args, message) in [(["nosuch"], "unknown experiment 'nosuch' (experiments: counters, cobj-costs, hotswap, pagefaults, numa-alloc, threads)"),
                                (["counters", "--cpus", "1,x"], "--cpus: 'x' is not a CPU count in 1...256"),
                                (["counters", "--cpus", "0"], "--cpus: '0' is not a CPU count in 1...256"),
                                (["counters", "--cpus", "4,4"], "--cpus: 4 is listed twice"),
                                (["counters", "--variants", "spin"], "--variants: 'spin' is not a variant of counters")] {
            let r = try experiment(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderrText)")
            XCTAssertTrue(r.stderrText.contains(message), "\(args): \(r.stderrText)")
            XCTAssertEqual(r.stderrText.split(separator: "\n").count, 1, "one line: \(r.stderrText)")
        }
    }
}
