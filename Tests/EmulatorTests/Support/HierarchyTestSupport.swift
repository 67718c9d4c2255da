// Helpers for the cache, coherence and machine-description tests: a small configurable machine
// description whose numbers the tests use to derive their analytic expectations, and a lookup
// of one statistic by name.
@testable import Emulator

enum HierarchyTest {
    /// A machine with explicit, easy-to-reason-about timing.
    static func machine(cpus: Int = 1, nodes: Int = 1, topology: TopologyKind = .ring,
                        l1d: CacheDescription = CacheDescription(size: 4096, associativity: 4, lineSize: 64, hitLatency: 2),
                        l1i: CacheDescription = CacheDescription(size: 4096, associativity: 4, lineSize: 64, hitLatency: 1),
                        l2: CacheDescription = CacheDescription(size: 65536, associativity: 8, lineSize: 64, hitLatency: 8),
                        l3: CacheDescription? = nil, l2Shared: Bool = false,
                        coherence: CoherenceProtocol = .mesi, hop: Int = 10, router: Int = 20,
                        memory: Int = 50, directory: Int = 5, memoryPerNode: UInt64 = 1 << 20) -> MachineDescription {
        MachineDescription(
            name: "test", isa: .mips64, cpus: cpus, nodes: nodes, memoryPerNode: memoryPerNode,
            frequency: 1_000_000_000, quantum: 1000, ipiLatency: 1000, seed: 42,
            topology: TopologyDescription(kind: topology, hopLatency: hop, routerLatency: router, meshColumns: 0),
            memory: MemoryTimingDescription(coherence: coherence, accessLatency: memory, directoryLatency: directory,
                                            directoryOccupancy: 0, controllerOccupancy: 0, contention: false),
            caches: CacheHierarchyDescription(l1i: l1i, l1d: l1d, l2: l2, l2Shared: l2Shared, l3: l3),
            tlb: TLBDescription(entries: 64, missPenalty: 0, refillCost: 30),
            costs: MachineDescription.mipsCosts)
    }

    static func stat(_ h: MemoryHierarchy, _ name: String) -> String? {
        h.statistics().first { $0.name == name }?.value
    }

    static func count(_ h: MemoryHierarchy, _ name: String) -> UInt64 {
        UInt64(stat(h, name) ?? "") ?? .max
    }
}
