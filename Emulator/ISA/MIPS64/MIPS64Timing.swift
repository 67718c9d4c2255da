// MIPS64Timing: the per-CPU state of the timing model for a full-system MIPS64 CPU (used only by
// the interpreter's MIPS64TimedMode specialisation). Cycles live in `ctl[MIPS64Ctl.cycles]`:
//   instruction  base cost of its class from `MachineDescription.costs` (table below), taken
//                branches/jumps cost `branchTaken` (not-taken `branchNotTaken`)
//   fetch        once per instruction-cache line entered (sequentially or by a branch): the L1I
//                hit latency on an L1HitFilter hit, else MemoryHierarchy.access(.fetch)
//   load/store   L1D hit latency on a filter hit, else MemoryHierarchy.access(.read/.write);
//                LL and successful SC are .atomic; device (MMIO) accesses bypass the caches and
//                cost `deviceLatency`
//   exceptions   a TLB refill costs `tlb.refillCost`, any other exception or interrupt entry
//                `costs.system` (see MIPS64SystemCPU+Exceptions)
// Physical addresses come from the soft-TLB entry's frame (frame f = physical page f in full
// system) or, on the slow path, from the place SoftMMU.access returned.

public final class MIPS64Timing: CPUMemoryTiming {
    public let hierarchy: MemoryHierarchy
    public let filter: L1HitFilter
    public let cpu: Int
    /// Base cost in cycles per op kind (index: MIPS64Kind.rawValue).
    let costs: UnsafeMutablePointer<UInt64>
    /// branchTaken - branchNotTaken, added when a branch or jump is taken.
    let takenExtra: UInt64
    let dataLatency: UInt64
    let fetchLatency: UInt64
    /// Instructions per cache line, and its log2 in bytes.
    let lineOps: Int
    let lineShift: UInt64
    /// Cycles of an uncached device (MMIO) access.
    public static let deviceLatency: UInt64 = deviceAccessLatency
    let refillCost: UInt64
    let exceptionCost: UInt64

    public init(hierarchy: MemoryHierarchy, cpu: Int) {
        self.hierarchy = hierarchy
        self.cpu = cpu
        filter = hierarchy.filters[cpu]
        let d = hierarchy.description
        costs = .allocate(capacity: 256)
        costs.initialize(repeating: 0, count: 256)
        for k in MIPS64Kind.allCases where k != .pageEnd {
            costs[Int(k.rawValue)] = UInt64(Self.baseCost(k, d.costs))
        }
        takenExtra = UInt64(max(0, d.costs.branchTaken - d.costs.branchNotTaken))
        dataLatency = UInt64(filter.dataLatency)
        fetchLatency = UInt64(filter.fetchLatency)
        lineOps = d.caches.l1i.lineSize / 4
        lineShift = UInt64(d.caches.l1i.lineSize.trailingZeroBitCount)
        refillCost = UInt64(d.tlb.refillCost)
        exceptionCost = UInt64(d.costs.system)
    }

    deinit { costs.deallocate() }

    /// The documented class table (docs/memory-system.md "Base instruction costs").
    static func baseCost(_ k: MIPS64Kind, _ t: InstructionCostTable) -> Int {
        if k == .pref || k == .prefx || k == .nop { return t.alu }
        return t.cost(ofClass: k.instClass)
    }

    // The out-of-line slow parts (fetchMiss, dataMiss, slowAccess) are in CPUMemoryTiming.
}
