// Built-in machine presets, by name: origin-mips64 (SGI Origin-like MIPS64 ccNUMA), power5-ppc64
// (POWER4/POWER5-like PPC64 SMP) and numa-16x4 (a generic 64-CPU 2D-mesh NUMA machine). The
// figures are "in the spirit of" the real machines, in CPU cycles; see docs/memory-system.md.

extension MachineDescription {
    public static let presetNames = ["origin-mips64", "power5-ppc64", "numa-16x4"]

    public static func preset(_ name: String) -> MachineDescription? {
        switch name {
        case "origin-mips64": return originMIPS64
        case "power5-ppc64": return power5PPC64
        case "numa-16x4": return numa16x4
        default: return nil
        }
    }

    /// MIPS64 base costs (R10000-like, in-order issue approximation).
    public static let mipsCosts = InstructionCostTable(
        alu: 1, multiply: 6, divide: 35, fpAdd: 2, fpMultiply: 2, fpDivide: 19,
        load: 1, store: 1, branchTaken: 2, branchNotTaken: 1, system: 4)
    /// PPC64 base costs (POWER4/5-like, in-order issue approximation).
    public static let ppcCosts = InstructionCostTable(
        alu: 1, multiply: 7, divide: 36, fpAdd: 6, fpMultiply: 6, fpDivide: 30,
        load: 1, store: 1, branchTaken: 2, branchNotTaken: 1, system: 8)

    /// Origin 2000-like: 2 CPUs per node (hub), 4 nodes on a hypercube, private 32 KiB L1s and
    /// 4 MiB 2-way L2 per CPU, MESI directory at the home hub.
    public static let originMIPS64 = MachineDescription(
        name: "origin-mips64", isa: .mips64, cpus: 8, nodes: 4, memoryPerNode: 256 << 20,
        frequency: 250_000_000, quantum: 1000, ipiLatency: 1000, seed: 1,
        topology: TopologyDescription(kind: .hypercube, hopLatency: 12, routerLatency: 25, meshColumns: 0),
        memory: MemoryTimingDescription(coherence: .mesi, accessLatency: 60, directoryLatency: 10,
                                        directoryOccupancy: 4, controllerOccupancy: 16, contention: false),
        caches: CacheHierarchyDescription(
            l1i: CacheDescription(size: 32 << 10, associativity: 2, lineSize: 128, replacement: .lru, hitLatency: 1),
            l1d: CacheDescription(size: 32 << 10, associativity: 2, lineSize: 128, replacement: .lru, hitLatency: 2),
            l2: CacheDescription(size: 4 << 20, associativity: 2, lineSize: 128, replacement: .lru, hitLatency: 10),
            l2Shared: false, l3: nil),
        tlb: TLBDescription(entries: 64, missPenalty: 0, refillCost: 30),
        costs: mipsCosts)

    /// POWER5-like: 4 chips x 2 cores, L2 shared per chip, memory-side L3 per chip (as POWER4's
    /// L3 sits with the memory controller), chips fully connected (crossbar-like fabric), MOESI.
    public static let power5PPC64 = MachineDescription(
        name: "power5-ppc64", isa: .ppc64, cpus: 8, nodes: 4, memoryPerNode: 256 << 20,
        frequency: 1_900_000_000, quantum: 1000, ipiLatency: 1000, seed: 1,
        topology: TopologyDescription(kind: .crossbar, hopLatency: 20, routerLatency: 10, meshColumns: 0),
        memory: MemoryTimingDescription(coherence: .moesi, accessLatency: 220, directoryLatency: 8,
                                        directoryOccupancy: 2, controllerOccupancy: 24, contention: false),
        caches: CacheHierarchyDescription(
            l1i: CacheDescription(size: 64 << 10, associativity: 2, lineSize: 128, replacement: .lru, hitLatency: 1),
            l1d: CacheDescription(size: 32 << 10, associativity: 4, lineSize: 128, replacement: .treePLRU,
                                  hitLatency: 2, writeBack: false, writeAllocate: false),
            l2: CacheDescription(size: 2 << 20, associativity: 8, lineSize: 128, replacement: .treePLRU, hitLatency: 13),
            l2Shared: true,
            l3: CacheDescription(size: 32 << 20, associativity: 16, lineSize: 128, replacement: .treePLRU, hitLatency: 90)),
        tlb: TLBDescription(entries: 128, missPenalty: 40, refillCost: 0),
        costs: ppcCosts)

    /// Generic 64-CPU NUMA: 16 nodes x 4 CPUs on a 4x4 mesh, private L1/L2, 8 MiB memory-side
    /// L3 per node, MOESI.
    public static let numa16x4 = MachineDescription(
        name: "numa-16x4", isa: .mips64, cpus: 64, nodes: 16, memoryPerNode: 256 << 20,
        frequency: 1_000_000_000, quantum: 1000, ipiLatency: 1000, seed: 1,
        topology: TopologyDescription(kind: .mesh, hopLatency: 10, routerLatency: 20, meshColumns: 4),
        memory: MemoryTimingDescription(coherence: .moesi, accessLatency: 100, directoryLatency: 10,
                                        directoryOccupancy: 4, controllerOccupancy: 20, contention: false),
        caches: CacheHierarchyDescription(
            l1i: CacheDescription(size: 32 << 10, associativity: 4, lineSize: 64, replacement: .lru, hitLatency: 1),
            l1d: CacheDescription(size: 32 << 10, associativity: 4, lineSize: 64, replacement: .lru, hitLatency: 2),
            l2: CacheDescription(size: 256 << 10, associativity: 8, lineSize: 64, replacement: .lru, hitLatency: 12),
            l2Shared: false,
            l3: CacheDescription(size: 8 << 20, associativity: 16, lineSize: 64, replacement: .random, hitLatency: 40)),
        tlb: TLBDescription(entries: 64, missPenalty: 0, refillCost: 30),
        costs: mipsCosts)
}

extension MachineDescription {
    /// The description recorded for a functional run (no timing model) built from a plain
    /// MachineConfig: its platform fields, and origin-mips64's (unused) caches and costs.
    public static func functional(_ c: MachineConfig) -> MachineDescription {
        var d = originMIPS64
        d.name = "functional"
        d.isa = c.isa
        d.cpus = c.cpus; d.nodes = c.nodes; d.memoryPerNode = c.memoryPerNode
        d.frequency = c.frequency; d.quantum = c.quantum; d.ipiLatency = c.ipiLatency
        d.tlb.entries = c.tlbEntries
        return d
    }
}
