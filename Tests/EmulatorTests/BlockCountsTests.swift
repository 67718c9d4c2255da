// BlockCountsTests: the per-block execution counts that replaced per-instruction kind counters.
// Unit: random runs over a page (closed, left open at the page end, folded in mid-run at a
// live count) folded into per-kind totals must equal a naive per-op count of the same runs.
// End to end: the instruction-class counts of SE runs (threads and processes on 4 CPUs, timed
// and not) add up, per CPU, to the committed instructions the loops count independently.
import Foundation
import XCTest
@testable import Emulator

final class BlockCountsTests: XCTestCase {
    /// Deterministic generator (SplitMix64): the runs are the same on every machine.
    struct Mix { var s: UInt64; mutating func next(_ n: Int) -> Int {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(n))
    } }

    func testRandomRunsFoldToNaiveCounts() {
        let ops = BlockCounts.ops, kindCount = 7
        let totals = UnsafeMutablePointer<UInt64>.allocate(capacity: kindCount)
        totals.initialize(repeating: 0, count: kindCount)
        defer { totals.deallocate() }
        let bc = BlockCounts(totals: totals)
        // Two pages (fake decoded pages: only their addresses are keys).
        let pages = [UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16),
                     UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)]
        defer { pages.forEach { $0.deallocate() } }
        func kind(_ page: Int, _ i: Int) -> Int { (i * (page + 3) + page) % kindCount }
        let deltas = pages.enumerated().map { p, page in bc.deltas(page: page) { UInt16(kind(p, $0)) } }
        XCTAssertEqual(bc.records, 2)
        XCTAssertEqual(bc.deltas(page: pages[0]) { _ in 0 }, deltas[0], "a second lookup made a new record")
        var naive = [UInt64](repeating: 0, count: kindCount)
        var rng = Mix(s: 42)
        for round in 0 ..< 200 {
            let p = rng.next(2), d = deltas[p]
            bc.touch(d)
            let start = rng.next(ops)
            d[start] += 1
            if rng.next(4) == 0 {
                // Runs to the page end: left open, the -1 would land on a sentinel.
                for i in start ..< ops { naive[kind(p, i)] += 1 }
            } else {
                let n = 1 + rng.next(min(40, ops - start))
                if rng.next(3) == 0 {
                    // A device reads the counters after `m` ops of the run (full system).
                    let m = 1 + rng.next(n), before: UInt64 = 1000 + UInt64(round)
                    bc.openDelta = d + start
                    bc.openCount = before
                    for i in start ..< start + m { naive[kind(p, i)] += 1 }
                    bc.fold(live: before + UInt64(m))
                    XCTAssertEqual((0 ..< kindCount).map { totals[$0] }, naive, "mid-run fold, round \(round)")
                    for i in start + m ..< start + n { naive[kind(p, i)] += 1 }
                } else {
                    for i in start ..< start + n { naive[kind(p, i)] += 1 }
                }
                d[start + n] -= 1
            }
            if rng.next(5) == 0 {
                bc.fold()
                XCTAssertEqual((0 ..< kindCount).map { totals[$0] }, naive, "round \(round)")
            }
        }
        bc.reset()
        XCTAssertEqual((0 ..< kindCount).map { totals[$0] }, naive)
        XCTAssertEqual(bc.records, 0, "reset kept records")
    }

    /// Per CPU, the class counts (from the block deltas) add up to the committed instructions
    /// (from the loops' pointer-distance counts): 4 threads on 4 CPUs, and a shell pipeline of
    /// processes, untimed and on the timed machine, both ISAs.
    func testClassCountsAddUpToInstructionsPerCPU() throws {
        for isa in [GuestISA.mips64, .ppc64] {
            let binary = try GuestProgramBuilder.build(program: "false_sharing", for: isa)
            for options in [["--cpus", "4"], ["--cpus", "4", "--set", "seed=1"]] {
                let dir = LinuxTestSupport.tempDir()
                defer { try? FileManager.default.removeItem(atPath: dir) }
                let r = try QemuOracle(isa: isa).runK42sim(binary, ["padded"], options: options + ["--stats-file", dir + "/s"])
                XCTAssertEqual(r.status, 0, "\(isa) \(options): \(r.stderrText)")
                let text = (try? String(contentsOfFile: dir + "/s", encoding: .utf8)) ?? ""
                var committed: [String: UInt64] = [:], classes: [String: UInt64] = [:]
                for l in text.split(separator: "\n") {
                    let f = l.split(separator: " ", omittingEmptySubsequences: true)
                    guard f.count >= 2, let v = UInt64(f[1]) else { continue }
                    let name = String(f[0])
                    guard name.hasPrefix("system.cpu"), let dot = name.firstIndex(of: ".").map({ name.index(after: $0) }),
                          let end = name[dot...].firstIndex(of: ".") else { continue }
                    let cpu = String(name[..<end])
                    if name.hasSuffix(".committedInsts") { committed[cpu] = v }
                    if name.contains(".committedInstType::"), !name.hasSuffix("::total") { classes[cpu, default: 0] += v }
                }
                XCTAssertEqual(committed.count, 4, "\(isa) \(options): \(committed)")
                XCTAssertGreaterThan(committed.values.filter { $0 > 10_000 }.count, 1, "\(isa) \(options): the threads did not spread")
                XCTAssertEqual(classes, committed, "\(isa) \(options): class counts and instruction counts disagree")
            }
        }
    }
}
