// MachineDescription: the whole simulated machine as data (JSON via Codable): ISA, CPUs, NUMA
// nodes, topology, memory/directory timing, caches, TLB costs and the per-ISA base instruction
// cost table, one parameter struct per component. Enumerated fields are the enums of
// DescriptionNames.swift. Presets, `--set` overrides and validation live in the neighbouring
// files; the field meanings are documented in docs/memory-system.md.

public struct MachineDescription: Codable, Sendable, Equatable {
    /// Preset or file name this description came from (informational).
    public var name: String
    /// "mips64" or "ppc64".
    public var isa: GuestISA
    public var cpus: Int
    public var nodes: Int
    /// Bytes of RAM per node; node i is home of physical addresses [i*M, (i+1)*M).
    public var memoryPerNode: UInt64
    /// Clock frequency in cycles per simulated second.
    public var frequency: UInt64
    /// Scheduler quantum in cycles.
    public var quantum: UInt64
    /// Latency of an inter-processor interrupt in cycles.
    public var ipiLatency: UInt64
    /// Seed of every pseudo-random choice (random replacement).
    public var seed: UInt64
    public var topology: TopologyDescription
    public var memory: MemoryTimingDescription
    public var caches: CacheHierarchyDescription
    public var tlb: TLBDescription
    public var costs: InstructionCostTable

    public var cpusPerNode: Int { max(1, cpus / max(1, nodes)) }
    public func node(ofCPU c: Int) -> Int { c / cpusPerNode }
}

public struct TopologyDescription: Codable, Sendable, Equatable {
    /// "ring", "mesh" (2D), "hypercube" or "crossbar" (every pair of nodes one hop apart).
    public var kind: TopologyKind
    /// Cycles per router-to-router hop.
    public var hopLatency: Int
    /// Fixed cycles for a message that leaves its node (network interface in + out), added once.
    public var routerLatency: Int
    /// Mesh only: columns of the 2D mesh (0 = the most square factorisation of `nodes`).
    public var meshColumns: Int
}

public struct MemoryTimingDescription: Codable, Sendable, Equatable {
    /// "MESI" or "MOESI".
    public var coherence: CoherenceProtocol
    /// DRAM access at the home node's memory controller, in cycles.
    public var accessLatency: Int
    /// Directory lookup at the home node, in cycles.
    public var directoryLatency: Int
    /// Cycles the directory stays busy per request (used only when `contention` is on).
    public var directoryOccupancy: Int
    /// Cycles the memory controller stays busy per DRAM access (used only when `contention` is on).
    public var controllerOccupancy: Int
    /// Model queueing at the directory and memory controller (deterministic busy-until times).
    public var contention: Bool
}

public struct CacheDescription: Codable, Sendable, Equatable {
    public var size: Int
    public var associativity: Int
    public var lineSize: Int
    /// "lru", "tree-plru" or "random" (seeded by the machine's seed).
    public var replacement: ReplacementPolicy
    public var hitLatency: Int
    public var writeBack: Bool
    public var writeAllocate: Bool

    public init(size: Int, associativity: Int, lineSize: Int, replacement: ReplacementPolicy = .lru,
                hitLatency: Int, writeBack: Bool = true, writeAllocate: Bool = true) {
        self.size = size; self.associativity = associativity; self.lineSize = lineSize
        self.replacement = replacement; self.hitLatency = hitLatency
        self.writeBack = writeBack; self.writeAllocate = writeAllocate
    }
    public var lines: Int { size / max(1, lineSize) }
    public var sets: Int { lines / max(1, associativity) }
}

public struct CacheHierarchyDescription: Codable, Sendable, Equatable {
    public var l1i: CacheDescription
    public var l1d: CacheDescription
    public var l2: CacheDescription
    /// true: one L2 per node shared by the node's CPUs; false: one private L2 per CPU.
    public var l2Shared: Bool
    /// Optional per-node memory-side L3 (caches its node's memory behind the directory).
    public var l3: CacheDescription?

    private enum CodingKeys: String, CodingKey { case l1i, l1d, l2, l2Shared, l3 }

    public init(l1i: CacheDescription, l1d: CacheDescription, l2: CacheDescription, l2Shared: Bool, l3: CacheDescription?) {
        self.l1i = l1i; self.l1d = l1d; self.l2 = l2; self.l2Shared = l2Shared; self.l3 = l3
    }

    /// Writes `"l3": null` when there is no L3, so config.json lists every field and `--set caches.l3=...` finds it.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(l1i, forKey: .l1i)
        try c.encode(l1d, forKey: .l1d)
        try c.encode(l2, forKey: .l2)
        try c.encode(l2Shared, forKey: .l2Shared)
        try c.encode(l3, forKey: .l3)
    }
}

public struct TLBDescription: Codable, Sendable, Equatable {
    /// Architectural TLB entries (MIPS joint-TLB pairs; PPC: TLB/ERAT entries modelled).
    public var entries: Int
    /// Cycles charged for a TLB miss that the hardware/firmware refills (PPC hashed page walk).
    public var missPenalty: Int
    /// Cycles for a software refill's exception entry and return (MIPS TLB refill handler overhead).
    public var refillCost: Int
}

/// Base cost in cycles of each instruction class, before memory and TLB latency.
public struct InstructionCostTable: Codable, Sendable, Equatable {
    public var alu: Int
    public var multiply: Int
    public var divide: Int
    public var fpAdd: Int
    public var fpMultiply: Int
    public var fpDivide: Int
    public var load: Int
    public var store: Int
    public var branchTaken: Int
    public var branchNotTaken: Int
    /// Privileged/system instructions (mtc0, mtspr, sync, eret, rfid, ...).
    public var system: Int
}
