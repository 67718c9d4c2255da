// PPC64Timing: the per-CPU state of the timing model for a full-system PPC64 CPU (used only by
// the interpreter's PPC64TimedMode specialisation). Cycles live in `slots[PPC64Reg.cycles]`:
//   instruction  base cost of its class from `MachineDescription.costs` (baseCost below); taken
//                branches add `branchTaken - branchNotTaken`
//   fetch        once per instruction-cache line entered (sequentially or by a branch): the L1I
//                hit latency on an L1HitFilter hit, else MemoryHierarchy.access(.fetch)
//   load/store   L1D hit latency on a filter hit, else MemoryHierarchy.access(.read/.write);
//                larx and successful stcx. are .atomic; device (MMIO) accesses bypass the caches
//                and cost `deviceLatency`
//   cache ops    dcbf -> flush, dcbst -> clean, dcbi -> invalidate, dcbz -> zero, icbi ->
//                invalidateInstruction (PPC64TimedMemory.swift, PPC64SystemCPU+Privileged)
//   translation  a soft-TLB miss that walks the SLB and hashed page table (relocation on) costs
//                `tlb.missPenalty` (PPC64SystemMMU; counted as itb / dtb misses)
//   interrupts   every interrupt taken costs `costs.system` (PPC64SystemCPU+Interrupts)
// Physical addresses come from the soft-TLB entry's frame (frame f = physical page f in full
// system) or, on the slow path, from the place SoftMMU.access returned.

public final class PPC64Timing: CPUMemoryTiming {
    public let hierarchy: MemoryHierarchy
    public let filter: L1HitFilter
    public let cpu: Int
    /// Base cost in cycles per op kind (index: PPC64OpKind.rawValue, 1024 entries).
    let costs: UnsafeMutablePointer<UInt64>
    /// branchTaken - branchNotTaken, added when a branch is taken.
    let takenExtra: UInt64
    let dataLatency: UInt64
    let fetchLatency: UInt64
    /// Instructions per instruction-cache line.
    let lineOps: Int
    /// Cycles of an uncached device (MMIO) access (as MIPS64Timing).
    public static let deviceLatency: UInt64 = deviceAccessLatency
    /// Cycles of a translation that had to search the SLB and hashed page table.
    let walkPenalty: UInt64
    let exceptionCost: UInt64

    public init(hierarchy: MemoryHierarchy, cpu: Int) {
        self.hierarchy = hierarchy
        self.cpu = cpu
        filter = hierarchy.filters[cpu]
        let d = hierarchy.description
        costs = .allocate(capacity: 1024)
        costs.initialize(repeating: 0, count: 1024)
        for raw in 0 ..< 1024 {
            guard let k = PPC64OpKind(rawValue: UInt16(raw)), k != .pageEnd else { continue }
            costs[raw] = UInt64(Self.baseCost(k, d.costs))
        }
        takenExtra = UInt64(max(0, d.costs.branchTaken - d.costs.branchNotTaken))
        dataLatency = UInt64(filter.dataLatency)
        fetchLatency = UInt64(filter.fetchLatency)
        lineOps = min(d.caches.l1i.lineSize / 4, DecodedPageCache<PPC64Op>.opsPerPage)
        walkPenalty = UInt64(d.tlb.missPenalty)
        exceptionCost = UInt64(d.costs.system)
    }

    deinit { costs.deallocate() }

    /// The class table of docs/timing.md: mtspr/mfspr/mtmsr/sync/rfid/sc and the other
    /// privileged or serialising ops are `system`; cache-block ops and no-ops are ALU.
    static func baseCost(_ k: PPC64OpKind, _ t: InstructionCostTable) -> Int {
        switch k {
        case .nop, .dcbst, .dcbf, .icbi: return t.alu
        case .dcbz: return t.store
        default: break
        }
        return t.cost(ofClass: k.instClass)
    }

    // Charges (the hit cases inline, misses out of line).

    @inline(__always)
    func fetch(_ pa: UInt64, now: UInt64) -> UInt64 {
        _fastPath(filter.fetch(pa, size: 4)) ? fetchLatency : fetchMiss(pa, now: now)
    }

    @inline(__always)
    func data(_ pa: UInt64, _ size: Int, _ kind: MemoryHierarchy.AccessKind, now: UInt64) -> UInt64 {
        let hit = kind == .read ? filter.read(pa, size: size) : filter.write(pa, size: size)
        return _fastPath(hit) ? dataLatency : dataMiss(pa, size, kind, now: now)
    }
    // The out-of-line slow parts (fetchMiss, dataMiss, slowAccess) are in CPUMemoryTiming.
}
