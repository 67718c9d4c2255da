// CPU: the running CPU's number (EBase.CPUNum on MIPS, PIR on PPC, read by tiny assembly
// accessors in Arch/*/entry.S), its NUMA node, idling and spin-wait hints.

@_extern(c, "k42_arch_cpu_number") func k42ArchCPUNumber() -> UInt64
@_extern(c, "k42_arch_idle") func k42ArchIdle()
@_extern(c, "k42_arch_pause") func k42ArchPause()
@_extern(c, "k42_arch_sync") func k42ArchSync()

enum CPU {
    /// The number of the CPU executing this code.
    static var number: Int { Int(k42ArchCPUNumber()) }

    /// The NUMA node of CPU `cpu` (CPU c is on node c / cpusPerNode).
    static func node(of cpu: Int) -> Int {
        let perNode = BootInfo.cpusPerNode
        return perNode > 0 ? cpu / perNode : 0
    }

    /// The NUMA node of the executing CPU.
    static var node: Int { node(of: number) }

    /// Sleeps until an event (MIPS `wait`; PPC: a low-priority no-op).
    static func idle() { k42ArchIdle() }

    /// One step of a spin-wait loop (an out-of-line call the optimiser cannot remove).
    static func pause() { k42ArchPause() }

    /// A full memory barrier (MIPS `sync`, PPC `sync`).
    static func barrier() { k42ArchSync() }
}
