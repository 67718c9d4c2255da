// ThreadsExperimentTests: `k42sim experiment threads` end to end on both ISAs' presets at 1 and
// 16 CPUs: one uthreads process per CPU runs its user-level threads in user mode only, so thread
// create+join and yield rates per CPU stay flat as CPUs grow (>= 0.9 x the one-CPU rate), every
// point checks out, and a rerun gives the same CSV byte for byte.
import Foundation
import XCTest

final class ThreadsExperimentTests: XCTestCase {
    func check(_ isa: String) throws {
        let dir = scratch("threads-\(isa)"), again = scratch("threads-\(isa)-again")
        defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: again) }
        let args = ["threads", "--isa", isa, "--cpus", "1,16", "--ops", "200", "--jobs", "2"]
        let r = try experiment(args + ["--out", dir])
        XCTAssertEqual(r.status, 0, r.stderrText)
        let rows = try results(dir)
        XCTAssertEqual(rows.map { $0["status"] }, ["ok", "ok"])
        for key in ["create_join_per_second_per_cpu", "yields_per_second_per_cpu"] {
            let one = try value(rows, "all", 1, key), sixteen = try value(rows, "all", 16, key)
            XCTAssertGreaterThan(one, 0)
            XCTAssertGreaterThanOrEqual(sixteen, 0.9 * one, "\(isa) \(key): flat as CPUs grow")
        }
        XCTAssertEqual(try experiment(args + ["--out", again]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: dir + "/results.csv", encoding: .utf8),
                       try String(contentsOfFile: again + "/results.csv", encoding: .utf8))
    }

    func testThreadsMIPS64() throws { try check("mips64") }
    func testThreadsPPC64() throws { try check("ppc64") }
}
