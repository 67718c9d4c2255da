// CacheStatsTests: the memory statistics use gem5's names; the same seeded workload gives
// byte-identical text and JSON; several dumps (ROIs) in one file parse back; `k42sim stats`
// prints one file and compares two with relative differences.
import Foundation
import XCTest
@testable import Emulator

final class CacheStatsTests: XCTestCase {
    func workload(_ h: MemoryHierarchy, seed: UInt64, n: Int = 5000) {
        var rng = SplitMix64(seed: seed)
        for i in 0 ..< n {
            let r = rng.next()
            let cpu = Int(r % UInt64(h.description.cpus))
            let pa = (r >> 16) % (UInt64(h.description.nodes) * h.description.memoryPerNode) & ~0xFFF + (r >> 8) % 512 & ~7
            _ = h.access(cpu: cpu, pa: pa, size: 8, kind: r & 4 == 0 ? .read : .write, now: UInt64(i * 10))
        }
    }

    func report(_ h: MemoryHierarchy) -> StatsReport {
        var r = StatsReport()
        for e in h.statistics() { r.add(e) }
        return r
    }

    func testNamesFollowGem5() throws {
        let h = try MemoryHierarchy(MachineDescription.originMIPS64)
        workload(h, seed: 1)
        let names = Set(h.statistics().map(\.name))
        for n in ["system.cpu0.dcache.overallMisses::total", "system.cpu0.dcache.overallMissRate::total", "system.cpu7.icache.overallHits::total",
                  "system.cpu0.dcache.overallAvgMissLatency::total", "system.l2.overallMisses::cpu3", "system.l2.overallMisses::total",
                  "system.cpu0.mmu.dtb.rdMisses", "system.cpu0.mmu.dtb.wrMisses", "system.numa.remoteFills::node2",
                  "system.coherence.messages::Fwd_GetM", "system.dir.lookups::total", "system.numa.remoteAccessFraction::cpu5"] {
            XCTAssertTrue(names.contains(n), n)
        }
        h.tlb[0].dtbReadMisses = 17
        XCTAssertEqual(HierarchyTest.count(h, "system.cpu0.mmu.dtb.rdMisses"), 17)
        // Totals are the sums of the per-CPU vector.
        let perCPU = (0 ..< 8).map { HierarchyTest.count(h, "system.l2.overallMisses::cpu\($0)") }.reduce(0, +)
        XCTAssertEqual(perCPU, HierarchyTest.count(h, "system.l2.overallMisses::total"))
        XCTAssertGreaterThan(perCPU, 0)
    }

    func testDeterministicTextAndJSONAndROIDumps() throws {
        var texts: [String] = [], jsons: [String] = []
        for _ in 0 ..< 2 {
            let h = try MemoryHierarchy(MachineDescription.numa16x4)
            workload(h, seed: 9)
            var file = StatsFile(dumps: [report(h)])
            h.resetStatistics()   // region of interest starts
            workload(h, seed: 10, n: 1000)
            file.dumps.append(report(h))
            texts.append(file.text()); jsons.append(file.json())
        }
        XCTAssertEqual(texts[0], texts[1])
        XCTAssertEqual(jsons[0], jsons[1])
        let parsed = try StatsFile.parse(texts[0]), parsedJSON = try StatsFile.parse(jsons[0])
        XCTAssertEqual(parsed.dumps.count, 2)
        XCTAssertEqual(parsed.text(), texts[0])
        XCTAssertEqual(parsedJSON.text(), texts[0])
        XCTAssertEqual(texts[0].components(separatedBy: "---------- Begin Simulation Statistics ----------").count, 3)
        // The ROI dump counts only the 1000 accesses after the reset.
        let roi = Dictionary(uniqueKeysWithValues: parsed.dumps[1].entries.map { ($0.name, $0.value) })
        let total = (0 ..< 64).map { UInt64(roi["system.cpu\($0).dcache.overallAccesses::total"]!)! }.reduce(0, +)
        XCTAssertEqual(total, 1000)
    }

    func testStatsCommandPrintsAndCompares() throws {
        let k42sim = try HostTools.k42sim()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-stats-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var a = StatsReport(), b = StatsReport()
        a.add(StatsEntry("system.cpu0.dcache.overallMisses::total", UInt64(200), "number of overall misses (Count)"))
        a.add(StatsEntry("system.l2.overallMissRate::total", 0.25, "miss rate for overall accesses (Ratio)"))
        b.add(StatsEntry("system.cpu0.dcache.overallMisses::total", UInt64(300), "number of overall misses (Count)"))
        b.add(StatsEntry("system.l2.overallMissRate::total", 0.2, "miss rate for overall accesses (Ratio)"))
        b.add(StatsEntry("system.numa.remoteFills::total", UInt64(7), "x (Count)"))
        _ = FileManager.default.createFile(atPath: dir + "/a.txt", contents: Data(StatsFile(dumps: [a]).text().utf8))
        _ = FileManager.default.createFile(atPath: dir + "/b.json", contents: Data(StatsFile(dumps: [b]).json().utf8))
        func run(_ args: [String]) throws -> (Int32, String) {
            let r = try ProcessRunner.run(k42sim, args)
            return (r.status, r.stdoutText)
        }
        let (s1, one) = try run(["stats", dir + "/a.txt"])
        XCTAssertEqual(s1, 0)
        XCTAssertTrue(one.contains("system.cpu0.dcache.overallMisses::total"), one)
        XCTAssertTrue(one.contains("200  # number of overall misses (Count)"), one)
        let (s2, cmp) = try run(["stats", dir + "/a.txt", dir + "/b.json"])
        XCTAssertEqual(s2, 0)
        let lines = cmp.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        XCTAssertTrue(lines.contains(["system.cpu0.dcache.overallMisses::total", "200", "300", "+50.00%"]), cmp)
        XCTAssertTrue(lines.contains(["system.l2.overallMissRate::total", "0.250000", "0.200000", "-20.00%"]), cmp)
        XCTAssertTrue(lines.contains(["system.numa.remoteFills::total", "-", "7"]), cmp)
        let (s3, _) = try run(["stats", dir + "/missing.txt"])
        XCTAssertEqual(s3, 2)
    }
}
