// MachineConfig: the parameters of a full-system machine, with defaults and validation that names
// the bad field. A machine built from a MachineDescription (`machineConfig`) also carries its
// cache geometry, which the guest sees (MIPS Config1/Config2, PPC dcbz block size, boot block).

public struct MachineConfig: Sendable, Equatable {
    public var isa: GuestISA
    public var cpus: Int = 1
    public var nodes: Int = 1
    public var memoryPerNode: UInt64 = 256 << 20
    /// Scheduling quantum in cycles; must not exceed the smallest cross-CPU latency (ipiLatency).
    public var quantum: UInt64 = 1000
    /// Cycles from the IPI store to the IPI pending at the target (docs/platform.md: default 1000).
    public var ipiLatency: UInt64 = 1000
    public var frequency: UInt64 = 1_000_000_000
    /// MIPS joint-TLB entry pairs.
    public var tlbEntries: Int = 64
    /// The caches as the guest sees them (nil: no cache description; see `cacheDescriptionError`).
    public var caches: CacheHierarchyDescription? = nil

    public init(isa: GuestISA, cpus: Int = 1, nodes: Int = 1) {
        self.isa = isa; self.cpus = cpus; self.nodes = nodes
    }

    public static let mmioBase: UInt64 = 0xFF_F000_0000
    public static let mmioSize: UInt64 = 0x1000_0000
    public static let bootInfoAddress: UInt64 = 0x2000
    /// The boot-information block spans [0x2000, 0x4000): header, node table (at most 256
    /// nodes, ending at +0x1040), trace mask, cache table, and the kernel argument string at
    /// +0x1800 (length word, bytes, NUL).
    public static let bootInfoSize: UInt64 = 0x2000
    public static let kernelArgumentsOffset: UInt64 = 0x1800
    /// Boot-information word: the software trace classes of the run (0: not tracing).
    public static let traceMaskOffset: UInt64 = 0x1040
    /// Boot-information table of the caches (BootCacheTable): 4 entries of 4 words, to +0x1100.
    public static let cacheTableOffset: UInt64 = 0x1080
    /// Boot-information offset of the initial RAM image's physical base and size (0, 0: none).
    public static let ramImageOffset: UInt64 = 0x1100
    public static let maxKernelArgumentBytes = Int(bootInfoSize - kernelArgumentsOffset) - 8 - 1
    public static let lowestLoadAddress: UInt64 = 0x1_0000
    public static let maxPhysicalAddressBits = 40

    public var totalMemory: UInt64 { memoryPerNode * UInt64(nodes) }
    public var cpusPerNode: Int { max(1, cpus / max(nodes, 1)) }

    /// Returns the first problem as "field: reason", or nil.
    public func validationError() -> String? {
        if cpus < 1 || cpus > 256 { return "cpus: must be 1...256, got \(cpus)" }
        if nodes < 1 || nodes > cpus { return "nodes: must be 1...cpus (\(cpus)), got \(nodes)" }
        if cpus % nodes != 0 { return "nodes: \(cpus) CPUs do not divide evenly into \(nodes) nodes" }
        if memoryPerNode < 1 << 20 || memoryPerNode & (guestPageSize - 1) != 0 {
            return "memoryPerNode: must be a multiple of 4 KiB and at least 1 MiB, got \(memoryPerNode)"
        }
        if totalMemory > Self.mmioBase { return "memoryPerNode: \(nodes) nodes x \(memoryPerNode) bytes overlap the MMIO window at 0x\(hex(Self.mmioBase))" }
        if totalMemory > 64 << 30 { return "memoryPerNode: total memory \(totalMemory) exceeds the 64 GiB host budget" }
        if quantum < 1 { return "quantum: must be at least 1 cycle" }
        if quantum > ipiLatency { return "quantum: \(quantum) exceeds ipiLatency \(ipiLatency); cross-CPU events could arrive in a CPU's past" }
        if ipiLatency > 1 << 32 { return "ipiLatency: must be at most 2^32 cycles, got \(ipiLatency)" }
        if frequency < 1 || frequency > 1 << 40 { return "frequency: must be 1...2^40 Hz, got \(frequency)" }
        if tlbEntries < 2 || tlbEntries > 256 { return "tlbEntries: must be 2...256, got \(tlbEntries)" }
        return nil
    }

    public func node(ofCPU c: Int) -> Int { c / cpusPerNode }

    /// Whether the guest can be told about `caches`: a MIPS64 machine's L1s and L2 must be
    /// encodable in Config1/Config2 (MIPS64CacheConfig); PPC64 takes any valid description.
    public func cacheDescriptionError() -> MachineDescriptionError? {
        guard isa == .mips64, let caches else { return nil }
        do { _ = try MIPS64CacheConfig(caches) } catch { return error }
        return nil
    }
}
