// CoherenceLatencyTests: NUMA timing by hand from the configured figures. Test machine: L1D 2,
// L2 8, directory 5, memory 50 cycles; a message between nodes costs router 20 + hops x 10.
// One-node messages are free. See MemoryHierarchy+Coherence.swift for the latency formula.
import XCTest
@testable import Emulator

final class CoherenceLatencyTests: XCTestCase {
    let l1 = 2, l2 = 8, dir = 5, mem = 50, router = 20, hop = 10
    func msg(_ hops: Int) -> Int { hops == 0 ? 0 : router + hops * hop }

    func testPingPongWithinANodeIsCheaperThanAcrossNodesByTheNetworkLatency() throws {
        // 2 nodes x 2 CPUs (ring of two: 1 hop). Line homed on node 0.
        let d = HierarchyTest.machine(cpus: 4, nodes: 2)
        let h = try MemoryHierarchy(d)
        h.checking = true
        let pa: UInt64 = 0x1000
        XCTAssertEqual(Int(h.access(cpu: 0, pa: pa, size: 8, kind: .write, now: 0)), l1 + l2 + dir + mem)
        // Same node: request to the local home, forward to the local owner, data back: no network.
        let local = l1 + l2 + dir + l2
        for i in 0 ..< 6 {
            XCTAssertEqual(Int(h.access(cpu: 1 - i % 2, pa: pa, size: 8, kind: .write, now: 1000 * UInt64(i + 1))), local)
        }
        // Across nodes: CPU 2 (node 1) and CPU 0 (node 0) alternate; each transfer crosses the
        // network twice (request to / data from node 0 when CPU 2 asks; forward to / data from node 1 when CPU 0 asks).
        let remote = l1 + l2 + msg(1) + dir + l2 + msg(1)
        for i in 0 ..< 6 {
            XCTAssertEqual(Int(h.access(cpu: i % 2 == 0 ? 2 : 0, pa: pa, size: 8, kind: .atomic, now: 10_000 + 1000 * UInt64(i))), remote)
        }
        XCTAssertEqual(h.verifyAll(), [])
    }

    func testWritesToOneLineAreServedOneAtATime() throws {
        // One node, 4 CPUs, no queueing model (contention off). CPU 0 owns the line (M); CPUs 1,
        // 2, 3 write it at the same cycle. Ownership moves one requester at a time: request k
        // gets the line from request k-1's cache once that transfer is complete (one more l2).
        let h = try MemoryHierarchy(HierarchyTest.machine(cpus: 4, nodes: 1))
        h.checking = true
        let pa: UInt64 = 0x3000
        _ = h.access(cpu: 0, pa: pa, size: 8, kind: .write, now: 0)
        let start: UInt64 = 1000
        var done: [Int] = []
        for c in 1 ... 3 { done.append(Int(h.access(cpu: c, pa: pa, size: 8, kind: .atomic, now: start))) }
        let transfer = dir + l2
        XCTAssertEqual(done[0], l1 + l2 + transfer)
        XCTAssertEqual(done[1], l1 + l2 + transfer + l2, "second writer waits for the first transfer's data")
        XCTAssertEqual(done[2], l1 + l2 + transfer + 2 * l2)
        XCTAssertGreaterThan(HierarchyTest.count(h, "system.dir.lineWaitCycles::node0"), 0)
        // Reads of a shared line (served by memory, no owner) proceed together: no line wait.
        let r = try MemoryHierarchy(HierarchyTest.machine(cpus: 4, nodes: 1))
        _ = r.access(cpu: 0, pa: 0x5000, size: 8, kind: .read, now: 0)      // E in CPU 0
        _ = r.access(cpu: 1, pa: 0x5000, size: 8, kind: .read, now: 500)    // forwarded: S, S
        let waited = HierarchyTest.count(r, "system.dir.lineWaitCycles::node0")
        let reads = (2 ... 3).map { Int(r.access(cpu: $0, pa: 0x5000, size: 8, kind: .read, now: 1000)) }
        XCTAssertEqual(reads, [l1 + l2 + dir + mem, l1 + l2 + dir + mem])
        XCTAssertEqual(HierarchyTest.count(r, "system.dir.lineWaitCycles::node0"), waited)
        XCTAssertEqual(h.verifyAll(), [])
    }

    func testRemoteMemoryLatencyFollowsHopCounts() throws {
        // Cold read by CPU on node k of a line homed on node 0: l1 + l2 + 2 msg(hops) + dir + mem.
        for (topology, nodes, node, hops) in [(TopologyKind.ring, 8, 5, 3), (.ring, 8, 1, 1), (.mesh, 16, 15, 6), (.mesh, 16, 5, 2),
                                              (.hypercube, 8, 7, 3), (.hypercube, 8, 4, 1), (.crossbar, 4, 3, 1)] {
            let h = try MemoryHierarchy(HierarchyTest.machine(cpus: nodes, nodes: nodes, topology: topology))
            let got = Int(h.access(cpu: node, pa: 0x2000, size: 8, kind: .read, now: 0))
            XCTAssertEqual(got, l1 + l2 + 2 * msg(hops) + dir + mem, "\(topology) node \(node)")
            // The home node's own CPU pays no network.
            XCTAssertEqual(Int(h.access(cpu: 0, pa: 0x2000 + 64, size: 8, kind: .read, now: 0)), l1 + l2 + dir + mem)
        }
    }

    func testWriteToSharedLineWaitsForTheFarthestInvalidation() throws {
        // Ring of 4 nodes, one CPU each, home node 0. CPUs 1, 2, 3 read (S), then CPU 1 writes.
        let h = try MemoryHierarchy(HierarchyTest.machine(cpus: 4, nodes: 4))
        h.checking = true
        for c in 1 ... 3 { _ = h.access(cpu: c, pa: 0x40, size: 8, kind: .read, now: 0) }
        // CPU 1 holds S: upgrade. Directory reached after msg(1); invalidations to node 2 (2 hops
        // from home) and node 3 (1 hop); acks go to node 1 (from node 2: 1 hop, from node 3: 2 hops).
        let viaNode2 = msg(2) + l2 + msg(1), viaNode3 = msg(1) + l2 + msg(2)
        let expected = l1 + l2 + msg(1) + dir + max(viaNode2, viaNode3)
        XCTAssertEqual(Int(h.access(cpu: 1, pa: 0x40, size: 8, kind: .write, now: 100)), expected)
        XCTAssertEqual(HierarchyTest.count(h, "system.dir.invalidationsSent::node0"), 2)
        XCTAssertEqual(HierarchyTest.count(h, "system.coherence.messages::Inv"), 2)
        XCTAssertEqual(HierarchyTest.count(h, "system.coherence.messages::Upgrade"), 1)
        XCTAssertEqual(HierarchyTest.count(h, "system.coherence.invalidationsReceived::cpu2"), 1)
        XCTAssertEqual(HierarchyTest.count(h, "system.coherence.invalidationsReceived::cpu3"), 1)
        XCTAssertEqual(h.verifyAll(), [])
    }

    func testFirstTouchLocalVersusRemoteHomeFills() throws {
        // 2 nodes x 1 CPU, 1 MiB per node. CPU 1 reads 10 lines homed on node 1, 7 homed on node 0.
        let h = try MemoryHierarchy(HierarchyTest.machine(cpus: 2, nodes: 2))
        for i in 0 ..< 10 { _ = h.access(cpu: 1, pa: (1 << 20) + UInt64(i * 64), size: 8, kind: .read, now: 0) }
        for i in 0 ..< 7 { _ = h.access(cpu: 1, pa: UInt64(i * 64), size: 8, kind: .read, now: 0) }
        XCTAssertEqual(HierarchyTest.count(h, "system.numa.localFills::node1"), 10)
        XCTAssertEqual(HierarchyTest.count(h, "system.numa.remoteFills::node1"), 7)
        XCTAssertEqual(HierarchyTest.count(h, "system.numa.localFills::node0"), 0)
        XCTAssertEqual(HierarchyTest.stat(h, "system.numa.remoteAccessFraction::cpu1"), StatsReport.format(7.0 / 17.0))
        XCTAssertEqual(HierarchyTest.count(h, "system.dir.lookups::node1"), 10)
        XCTAssertEqual(HierarchyTest.count(h, "system.dir.lookups::node0"), 7)
    }

    func testMESISharingWritebackVersusMOESIOwned() throws {
        for proto in CoherenceProtocol.allCases {
            let h = try MemoryHierarchy(HierarchyTest.machine(cpus: 2, coherence: proto), valueTracking: true)
            h.checking = true
            _ = h.access(cpu: 0, pa: 0x80, size: 8, kind: .write, now: 0)
            XCTAssertEqual(Int(h.access(cpu: 1, pa: 0x80, size: 8, kind: .read, now: 100)), l1 + l2 + dir + l2)
            XCTAssertEqual(HierarchyTest.count(h, "system.coherence.messages::SharingWriteback"), proto == .mesi ? 1 : 0)
            XCTAssertEqual(HierarchyTest.count(h, "system.mem_ctrls.accesses::total"), proto == .mesi ? 2 : 1)
            // A third read is served by a cache in both protocols? No: with MESI the line is S
            // everywhere and memory is current; the reader on the same node hits its own L1.
            XCTAssertEqual(h.access(cpu: 1, pa: 0x80, size: 8, kind: .read, now: 200), 2)
            XCTAssertEqual(h.verifyAll(), [], proto.rawValue)
        }
    }

    func testDirectoryAndControllerContention() throws {
        // Two CPUs on the home node miss on different lines at the same time. Directory occupancy
        // 20, controller occupancy 30: the second request waits 20 at the directory and then
        // (l1+l2+dir+30) - (l1+l2+20+dir) = 10 at the controller.
        var d = HierarchyTest.machine(cpus: 2)
        d.memory.contention = true
        d.memory.directoryOccupancy = 20
        d.memory.controllerOccupancy = 30
        let h = try MemoryHierarchy(d)
        let first = Int(h.access(cpu: 0, pa: 0x100, size: 8, kind: .read, now: 0))
        let second = Int(h.access(cpu: 1, pa: 0x200, size: 8, kind: .read, now: 0))
        XCTAssertEqual(first, l1 + l2 + dir + mem)
        XCTAssertEqual(second, first + 20 + 10)
        XCTAssertEqual(HierarchyTest.count(h, "system.dir.waitCycles::node0"), 20)
        XCTAssertEqual(HierarchyTest.count(h, "system.mem_ctrls.waitCycles::node0"), 10)
        // Later, with both idle again, no waiting.
        XCTAssertEqual(Int(h.access(cpu: 1, pa: 0x300, size: 8, kind: .read, now: 10_000)), first)
    }

    func testMaintenanceOperations() throws {
        let h = try MemoryHierarchy(HierarchyTest.machine(cpus: 4, nodes: 2), valueTracking: true)
        h.checking = true
        let pa: UInt64 = 0x3000
        _ = h.access(cpu: 2, pa: pa, size: 8, kind: .write, now: 0)   // dirty in node 1's CPU 2
        // Clean from CPU 0 (node 0 = home): snoop CPU 2 on node 1 and write memory back.
        let clean = Int(h.maintain(cpu: 0, pa: pa, .clean, now: 100))
        XCTAssertEqual(clean, l1 + l2 + dir + (msg(1) + l2 + msg(1)) + mem)
        XCTAssertEqual(h.access(cpu: 2, pa: pa, size: 8, kind: .read, now: 200), 2, "clean keeps the copy")
        // Flush: nothing dirty now (clean line), every copy goes.
        let flush = Int(h.maintain(cpu: 0, pa: pa, .flush, now: 300))
        XCTAssertEqual(flush, l1 + l2 + dir + (msg(1) + l2 + msg(1)))
        XCTAssertEqual(Int(h.access(cpu: 2, pa: pa, size: 8, kind: .read, now: 400)), l1 + l2 + msg(1) + dir + mem + msg(1))
        // Invalidate discards a dirty copy: the next read sees memory's value (checked by value tracking).
        _ = h.access(cpu: 2, pa: pa, size: 8, kind: .write, now: 500)
        _ = h.maintain(cpu: 2, pa: pa, .invalidate, now: 600)
        _ = h.access(cpu: 3, pa: pa, size: 8, kind: .read, now: 700)
        // Zero: a write without a memory read.
        let before = HierarchyTest.count(h, "system.mem_ctrls.accesses::total")
        XCTAssertEqual(Int(h.maintain(cpu: 0, pa: 0x5000, .zero, now: 800)), l1 + l2 + dir)
        XCTAssertEqual(HierarchyTest.count(h, "system.mem_ctrls.accesses::total"), before)
        XCTAssertEqual(h.access(cpu: 0, pa: 0x5008, size: 8, kind: .write, now: 900), 2)
        // icbi: the next fetch misses the L1I but hits the L2.
        _ = h.access(cpu: 1, pa: 0x6000, size: 4, kind: .fetch, now: 1000)
        XCTAssertEqual(h.access(cpu: 1, pa: 0x6000, size: 4, kind: .fetch, now: 1100), 1)
        _ = h.maintain(cpu: 0, pa: 0x6000, .invalidateInstruction, now: 1200)
        XCTAssertEqual(Int(h.access(cpu: 1, pa: 0x6000, size: 4, kind: .fetch, now: 1300)), 1 + l2)
        XCTAssertEqual(h.verifyAll(), [])
    }
}
