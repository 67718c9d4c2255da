// CoherenceStressTests: seeded random multi-CPU access streams (reads, writes, atomics, fetches,
// cache maintenance) over a few hot lines on every home node, in checking mode with value
// tracking: after every transaction the touched lines must satisfy single-writer/multiple-reader,
// directory/cache agreement, inclusion, a never-optimistic L1 hit filter, and every read must
// return the last written version (structural checks alone when value tracking is off, which
// lets writes use the filter). Small caches force evictions and back-invalidations.
import XCTest
@testable import Emulator

final class CoherenceStressTests: XCTestCase {
    func stress(_ d: MachineDescription, seed: UInt64, operations: Int = 40_000, useFilter: Bool = true,
                valueTracking: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        let h = try MemoryHierarchy(d, valueTracking: valueTracking)
        h.checking = true
        var rng = SplitMix64(seed: seed)
        var now = [UInt64](repeating: 0, count: d.cpus)
        let lines = 96
        for i in 0 ..< operations {
            let r = rng.next()
            let cpu = Int(r % UInt64(d.cpus))
            let node = Int((r >> 8) % UInt64(d.nodes))
            let pa = UInt64(node) * d.memoryPerNode + ((r >> 16) % UInt64(lines)) * 64 + ((r >> 24) % 8) * 8
            let op = (r >> 32) % 100
            let f = h.filters[cpu]
            let lat: UInt32
            switch op {
            case 0 ..< 40: lat = useFilter && f.read(pa, size: 8) ? f.dataLatency : h.access(cpu: cpu, pa: pa, size: 8, kind: .read, now: now[cpu])
            case 40 ..< 70: lat = useFilter && f.write(pa, size: 8) ? f.dataLatency : h.access(cpu: cpu, pa: pa, size: 8, kind: .write, now: now[cpu])
            case 70 ..< 80: lat = h.access(cpu: cpu, pa: pa, size: 8, kind: .atomic, now: now[cpu])
            case 80 ..< 92: lat = useFilter && f.fetch(pa, size: 4) ? f.fetchLatency : h.access(cpu: cpu, pa: pa, size: 4, kind: .fetch, now: now[cpu])
            case 92: lat = h.maintain(cpu: cpu, pa: pa, .flush, now: now[cpu])
            case 93: lat = h.maintain(cpu: cpu, pa: pa, .clean, now: now[cpu])
            case 94: lat = h.maintain(cpu: cpu, pa: pa, .invalidate, now: now[cpu])
            case 95: lat = h.maintain(cpu: cpu, pa: pa, .zero, now: now[cpu])
            case 96: lat = h.maintain(cpu: cpu, pa: pa, .invalidateInstruction, now: now[cpu])
            default: lat = h.access(cpu: cpu, pa: pa + 60, size: 8, kind: .read, now: now[cpu])   // straddles two lines
            }
            XCTAssertGreaterThan(lat, 0, file: file, line: line)
            now[cpu] += UInt64(lat)
            if !h.violations.isEmpty || i % 2000 == 1999 {
                let v = h.verifyAll()
                XCTAssertEqual(v, [], "after operation \(i)", file: file, line: line)
                if !v.isEmpty { return }
            }
        }
        XCTAssertEqual(h.verifyAll(), [], file: file, line: line)
        XCTAssertGreaterThan(HierarchyTest.count(h, "system.coherence.messages::Inv"), 0, file: file, line: line)
        XCTAssertGreaterThan(HierarchyTest.count(h, "system.l2.replacements"), 0, file: file, line: line)
    }

    let tinyL1 = CacheDescription(size: 512, associativity: 2, lineSize: 64, hitLatency: 2)
    let tinyL2 = CacheDescription(size: 2048, associativity: 4, lineSize: 64, hitLatency: 8)

    func testMESIPrivateL2() throws {
        try stress(HierarchyTest.machine(cpus: 8, nodes: 4, l1d: tinyL1, l1i: tinyL1, l2: tinyL2), seed: 1)
    }

    /// Without value tracking, writes use the filter's write entries, whose downgrades are then checked.
    func testStructuralInvariantsWithWriteFilter() throws {
        try stress(HierarchyTest.machine(cpus: 8, nodes: 4, l1d: tinyL1, l1i: tinyL1, l2: tinyL2), seed: 6, valueTracking: false)
        try stress(HierarchyTest.machine(cpus: 8, nodes: 2, l1d: tinyL1, l1i: tinyL1, l2: tinyL2, l2Shared: true, coherence: .moesi),
                   seed: 7, valueTracking: false)
    }

    func testMOESIHypercubeWithL3() throws {
        let l3 = CacheDescription(size: 4096, associativity: 4, lineSize: 64, replacement: .random, hitLatency: 20)
        try stress(HierarchyTest.machine(cpus: 8, nodes: 4, topology: .hypercube, l1d: tinyL1, l1i: tinyL1, l2: tinyL2,
                                         l3: l3, coherence: .moesi), seed: 2)
    }

    func testSharedL2WriteThroughL1PseudoLRU() throws {
        var l1 = tinyL1
        l1.writeBack = false; l1.writeAllocate = false; l1.replacement = .treePLRU
        var l2 = tinyL2
        l2.replacement = .treePLRU
        try stress(HierarchyTest.machine(cpus: 8, nodes: 2, topology: .crossbar, l1d: l1, l1i: tinyL1, l2: l2,
                                         l2Shared: true, coherence: .moesi), seed: 3)
    }

    func testSharedL2WriteBackMESIWithoutFilter() throws {
        try stress(HierarchyTest.machine(cpus: 6, nodes: 3, l1d: tinyL1, l1i: tinyL1, l2: tinyL2, l2Shared: true),
                   seed: 4, useFilter: false)
    }

    func testPresetsUnderStress() throws {
        for name in MachineDescription.presetNames {
            var d = MachineDescription.preset(name)!
            // Shrink the caches so 96 hot lines per node overflow them.
            d.caches.l1d.size = d.caches.l1d.lineSize * d.caches.l1d.associativity * 2
            d.caches.l1i.size = d.caches.l1i.lineSize * d.caches.l1i.associativity * 2
            d.caches.l2.size = d.caches.l2.lineSize * d.caches.l2.associativity * 2
            d.memory.contention = true
            try stress(d, seed: 5, operations: 15_000)
        }
    }
}
