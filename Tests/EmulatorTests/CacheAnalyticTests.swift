// CacheAnalyticTests: working-set and stride sweeps over one CPU's L1D/L2 with exact miss counts
// from the analytic model of a set-associative cache. For a cyclic sweep repeated R times, a set
// that k distinct lines map to costs k cold misses when k <= A (associativity) and, under LRU
// (and any policy when A = 1, and tree-PLRU when A = 2, which is LRU), k misses on every pass
// when k > A (each line is evicted just before its reuse). Lines map to set (address / line) mod sets.
import XCTest
@testable import Emulator

final class CacheAnalyticTests: XCTestCase {
    /// Expected misses of a cyclic sweep: sum over sets of (k <= A ? k : k * passes).
    func expectedMisses(bytes: Int, stride: Int, line: Int, sets: Int, ways: Int, passes: Int) -> Int {
        var perSet = [Int: Set<Int>]()
        var a = 0
        while a < bytes { let l = a / line; perSet[l % sets, default: []].insert(l); a += stride }
        return perSet.values.reduce(0) { $0 + ($1.count <= ways ? $1.count : $1.count * passes) }
    }

    func sweep(_ h: MemoryHierarchy, bytes: Int, stride: Int, passes: Int, kind: MemoryHierarchy.AccessKind = .read) {
        var now: UInt64 = 0
        for _ in 0 ..< passes {
            var a = 0
            while a < bytes { now += UInt64(h.access(cpu: 0, pa: UInt64(0x10000 + a), size: 8, kind: kind, now: now)); a += stride }
        }
    }

    func testLRUWorkingSetSweep() throws {
        // L1D 4 KiB, 4-way, 64 B lines: 16 sets.
        for bytes in [1024, 2048, 4096, 4096 + 64, 4096 + 64 * 16, 8192, 16384] {
            for stride in [64, 128, 8] {
                let h = try MemoryHierarchy(HierarchyTest.machine())
                let passes = 5
                sweep(h, bytes: bytes, stride: stride, passes: passes)
                let accesses = passes * ((bytes + stride - 1) / stride)
                let misses = expectedMisses(bytes: bytes, stride: stride, line: 64, sets: 16, ways: 4, passes: passes)
                XCTAssertEqual(HierarchyTest.count(h, "system.cpu0.dcache.overallMisses::total"), UInt64(misses), "S=\(bytes) stride=\(stride)")
                XCTAssertEqual(HierarchyTest.count(h, "system.cpu0.dcache.overallHits::total"), UInt64(accesses - misses), "S=\(bytes) stride=\(stride)")
            }
        }
    }

    func testFittingWorkingSetOnlyColdMissesForEveryPolicy() throws {
        for policy in ReplacementPolicy.allCases {
            for bytes in [512, 2048, 4096] {
                var d = HierarchyTest.machine()
                d.caches.l1d.replacement = policy
                let h = try MemoryHierarchy(d)
                sweep(h, bytes: bytes, stride: 64, passes: 4)
                XCTAssertEqual(HierarchyTest.count(h, "system.cpu0.dcache.overallMisses::total"), UInt64(bytes / 64), "\(policy) S=\(bytes)")
            }
        }
    }

    func testOverflowingSweepMissesAlwaysWhereThePolicyIsLRU() throws {
        // Direct-mapped: every policy is the same. Two ways: tree-PLRU is exact LRU.
        for (policy, ways) in [(ReplacementPolicy.random, 1), (.treePLRU, 1), (.treePLRU, 2), (.lru, 2)] {
            var d = HierarchyTest.machine()
            d.caches.l1d = CacheDescription(size: 4096, associativity: ways, lineSize: 64, replacement: policy, hitLatency: 2)
            let h = try MemoryHierarchy(d)
            sweep(h, bytes: 8192, stride: 64, passes: 3)
            XCTAssertEqual(HierarchyTest.count(h, "system.cpu0.dcache.overallMisses::total"), UInt64(3 * 8192 / 64), "\(policy) \(ways)-way")
        }
    }

    func testL2CatchesWhatL1Thrashes() throws {
        // 8 KiB sweep: thrashes the 4 KiB L1D (every access misses), fits the 64 KiB L2 (cold misses only).
        let h = try MemoryHierarchy(HierarchyTest.machine())
        sweep(h, bytes: 8192, stride: 64, passes: 4)
        XCTAssertEqual(HierarchyTest.count(h, "system.cpu0.dcache.overallMisses::total"), 4 * 128)
        XCTAssertEqual(HierarchyTest.count(h, "system.l2.overallMisses::total"), 128)
        XCTAssertEqual(HierarchyTest.count(h, "system.l2.overallHits::cpu0"), 3 * 128)
        XCTAssertEqual(HierarchyTest.stat(h, "system.cpu0.dcache.overallMissRate::total"), "1.000000")
    }

    func testDirtyEvictionsAreWrittenBack() throws {
        // Writes over 2x the L1D: every access misses; every miss after the 64 cold fills evicts a dirty line.
        let h = try MemoryHierarchy(HierarchyTest.machine())
        sweep(h, bytes: 8192, stride: 64, passes: 3, kind: .write)
        XCTAssertEqual(HierarchyTest.count(h, "system.cpu0.dcache.overallMisses::total"), 3 * 128)
        XCTAssertEqual(HierarchyTest.count(h, "system.cpu0.dcache.writebacks::total"), 3 * 128 - 64)
        XCTAssertEqual(HierarchyTest.count(h, "system.cpu0.dcache.replacements"), 3 * 128 - 64)
    }

    func testHitAndMissLatencies() throws {
        // One node: messages cost nothing. Cold read = L1 2 + L2 8 + directory 5 + memory 50.
        let l3 = CacheDescription(size: 1 << 20, associativity: 8, lineSize: 64, hitLatency: 30)
        let h = try MemoryHierarchy(HierarchyTest.machine(l3: l3))
        XCTAssertEqual(h.access(cpu: 0, pa: 0x4000, size: 8, kind: .read, now: 0), 2 + 8 + 5 + 30 + 50)
        XCTAssertEqual(h.access(cpu: 0, pa: 0x4008, size: 8, kind: .read, now: 100), 2)
        // A line straddling access costs both lines.
        XCTAssertEqual(h.access(cpu: 0, pa: 0x403C, size: 8, kind: .read, now: 200), 2 + (2 + 8 + 5 + 30 + 50))
        // Fetch: L1I latency 1 on a hit after the fill from L2 (the line is in L2 already).
        XCTAssertEqual(h.access(cpu: 0, pa: 0x4000, size: 4, kind: .fetch, now: 300), 1 + 8)
        XCTAssertEqual(h.access(cpu: 0, pa: 0x4004, size: 4, kind: .fetch, now: 300), 1)
        // Evict 0x4000 from L1D and L2 by flushing; the memory-side L3 still has it.
        _ = h.maintain(cpu: 0, pa: 0x4000, .flush, now: 400)
        XCTAssertEqual(h.access(cpu: 0, pa: 0x4000, size: 8, kind: .read, now: 500), 2 + 8 + 5 + 30)
    }

    func testFilterFastPathIsExact() throws {
        // The same access stream with and without the filter in front gives identical statistics
        // (filter hits are MRU hits, which change no replacement state), for every policy.
        for policy in ReplacementPolicy.allCases {
            var d = HierarchyTest.machine()
            d.caches.l1d.replacement = policy
            let plain = try MemoryHierarchy(d), filtered = try MemoryHierarchy(d)
            filtered.checking = true
            let f = filtered.filters[0]
            var rng = SplitMix64(seed: 7)
            var t1: UInt64 = 0, t2: UInt64 = 0
            for _ in 0 ..< 20_000 {
                let r = rng.next()
                let pa = 0x10000 + (r >> 8) % 12288 & ~7
                let write = r & 3 == 0
                t1 += UInt64(plain.access(cpu: 0, pa: pa, size: 8, kind: write ? .write : .read, now: t1))
                let hit = write ? f.write(pa, size: 8) : f.read(pa, size: 8)
                t2 += hit ? UInt64(f.dataLatency) : UInt64(filtered.access(cpu: 0, pa: pa, size: 8, kind: write ? .write : .read, now: t2))
            }
            XCTAssertEqual(t1, t2, policy.rawValue)
            let a = plain.statistics().filter { !$0.name.contains("fastPath") }.map { "\($0.name) \($0.value)" }
            let b = filtered.statistics().filter { !$0.name.contains("fastPath") }.map { "\($0.name) \($0.value)" }
            XCTAssertEqual(a, b, policy.rawValue)
            XCTAssertGreaterThan(HierarchyTest.count(filtered, "system.cpu0.dcache.fastPathHits"), 0)
            XCTAssertEqual(filtered.verifyAll(), [], policy.rawValue)
        }
    }
}
