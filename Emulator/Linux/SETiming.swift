// SETiming: the timing model of a timed syscall-emulation run (`k42sim run --config`): the
// machine description, its memory hierarchy (caches, directory coherence, NUMA homes), one
// per-CPU timing object per simulated CPU, and the clock conversion. The scheduler keeps time in
// simulated nanoseconds; the CPUs count cycles at `frequency`. All processes take their frames
// from one physical memory divided into per-node ranges, so physical addresses — what the
// caches and the directory see — are unique across processes, and a page lives on the node of
// the CPU that first touched it.

final class SETiming {
    let description: MachineDescription
    let hierarchy: MemoryHierarchy
    /// The machine's one physical memory (nodes × memoryPerNode).
    let physical: PhysicalMemory
    /// Per simulated CPU: the ISA's timing object (MIPS64Timing or PPC64Timing).
    let cpuTimings: [AnyObject]
    /// Per simulated CPU: its NUMA node.
    let cpuNodes: [Int]

    init(_ d: MachineDescription, cpuType: SEThreadCPU.Type) throws {
        description = d
        hierarchy = try MemoryHierarchy(d)
        physical = PhysicalMemory(maxBytes: UInt64(d.nodes) * d.memoryPerNode, nodes: d.nodes)
        cpuTimings = (0 ..< d.cpus).map { [hierarchy] in cpuType.makeTiming(hierarchy, cpu: $0) }
        cpuNodes = (0 ..< d.cpus).map { d.node(ofCPU: $0) }
    }

    /// The cycle count at simulated time `ns` (rounded down).
    func cycles(atNanoseconds ns: UInt64) -> UInt64 {
        let (hi, lo) = ns.multipliedFullWidth(by: description.frequency)
        if hi >= 1_000_000_000 { return .max }
        return (1_000_000_000 as UInt64).dividingFullWidth((hi, lo)).quotient
    }

    /// Simulated time (ns, rounded down) at cycle count `c`.
    func nanoseconds(atCycles c: UInt64) -> UInt64 {
        let (hi, lo) = c.multipliedFullWidth(by: 1_000_000_000)
        if hi >= description.frequency { return .max }
        return description.frequency.dividingFullWidth((hi, lo)).quotient
    }

    /// The scheduler's step when threads compete: the description's quantum, in ns (at least 1).
    var stepNanoseconds: UInt64 { max(1, nanoseconds(atCycles: description.quantum)) }
}
