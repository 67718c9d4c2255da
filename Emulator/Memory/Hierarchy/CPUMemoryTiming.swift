// CPUMemoryTiming: what the per-CPU timing state of both ISAs shares — the port into the memory
// hierarchy with its L1 hit filter and hit latencies (filter misses and slow-path accesses out of
// line), and the mapping from an instruction class (gem5 op-class name) to its base cost.

protocol CPUMemoryTiming: AnyObject {
    var hierarchy: MemoryHierarchy { get }
    var filter: L1HitFilter { get }
    var cpu: Int { get }
    var dataLatency: UInt64 { get }
    var fetchLatency: UInt64 { get }
}

/// Cycles of an uncached device (MMIO) access, on both ISAs.
let deviceAccessLatency: UInt64 = 100

extension CPUMemoryTiming {
    @inline(never)
    func fetchMiss(_ pa: UInt64, now: UInt64) -> UInt64 {
        UInt64(hierarchy.access(cpu: cpu, pa: pa, size: 4, kind: .fetch, now: now))
    }

    @inline(never)
    func dataMiss(_ pa: UInt64, _ size: Int, _ kind: MemoryHierarchy.AccessKind, now: UInt64) -> UInt64 {
        UInt64(hierarchy.access(cpu: cpu, pa: pa, size: size, kind: kind, now: now))
    }

    /// After a successful soft-TLB slow path: the access's latency at the place the slow path
    /// found (RAM through the hierarchy, device space at `deviceAccessLatency`). An access
    /// crossing a page is charged at its last page.
    @inline(never)
    func slowAccess(_ place: AccessPlace, _ size: Int, _ kind: MemoryHierarchy.AccessKind, now: UInt64) -> UInt64 {
        if place.device { return deviceAccessLatency }
        let pa = place.physical
        switch kind {
        case .read: if filter.read(pa, size: size) { return dataLatency }
        case .write, .atomic: if filter.write(pa, size: size) { return dataLatency }
        case .fetch: if filter.fetch(pa, size: size) { return fetchLatency }
        }
        return UInt64(hierarchy.access(cpu: cpu, pa: pa, size: size, kind: kind, now: now))
    }
}

extension InstructionCostTable {
    /// Base cost of an instruction class (docs/memory-system.md "Base instruction costs").
    func cost(ofClass c: String) -> Int {
        switch c {
        case "Branch": return branchNotTaken
        case "IntMult": return multiply
        case "IntDiv": return divide
        case "MemRead", "FloatMemRead": return load
        case "MemWrite", "FloatMemWrite": return store
        case "FloatAdd", "FloatCmp", "FloatCvt": return fpAdd
        case "FloatMult": return fpMultiply
        case "FloatDiv", "FloatSqrt": return fpDivide
        case "System": return system
        default: return alu
        }
    }
}
