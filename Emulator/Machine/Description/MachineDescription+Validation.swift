// MachineDescription validation: every rule names the dotted path of the bad field and why
// (e.g. "caches.l1d.associativity: must divide the number of lines (512), got 3"). Unknown names
// of enumerated fields are refused while decoding (DescriptionNames.swift). The ISA-specific
// rule that a MIPS64 guest's Config1/Config2 can describe the caches is
// MachineConfig.cacheDescriptionError, checked when a description is loaded (`load`) or a
// machine built, not here: the memory hierarchy alone is ISA-neutral.

public struct MachineDescriptionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted path of the offending field ("" for the document as a whole).
    public var path: String
    public var reason: String
    public init(_ path: String, _ reason: String) { self.path = path; self.reason = reason }
    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
}

extension MachineDescription {
    /// Upper bound of every latency, occupancy and penalty (cycles): the timing model keeps
    /// them in 32-bit fields and sums them.
    public static let maxLatency = 1_000_000
    /// Upper bound of the tag-store lines of all caches together (each costs the host 25-42
    /// bytes, so at most about 2.8 GB): 256 CPUs with 1 GiB L2s would need terabytes.
    public static let maxCacheLines = 1 << 26

    /// Throws the first problem found.
    public func validate() throws {
        func bad(_ p: String, _ r: String) -> MachineDescriptionError { MachineDescriptionError(p, r) }
        if tlb.entries < 2 || tlb.entries > 256 { throw bad("tlb.entries", "must be 2...256, got \(tlb.entries)") }
        for (n, v) in [("tlb.missPenalty", tlb.missPenalty), ("tlb.refillCost", tlb.refillCost)] {
            if v < 0 { throw bad(n, "must not be negative, got \(v)") }
            if v > Self.maxLatency { throw bad(n, "must be at most \(Self.maxLatency) cycles, got \(v)") }
        }
        // The platform-level rules (CPU/node counts, memory layout, quantum) are MachineConfig's.
        if let e = machineConfig.validationError() {
            let colon = e.firstIndex(of: ":") ?? e.endIndex
            let field = String(e[..<colon])
            let rest = colon < e.endIndex ? String(e[e.index(after: colon)...]).drop(while: { $0 == " " }) : ""
            throw bad(field, String(rest))
        }
        try validateTopology()
        try validateMemory()
        try validateCaches()
        try validateCosts()
    }

    private func validateTopology() throws {
        let t = topology
        for (n, v) in [("topology.hopLatency", t.hopLatency), ("topology.routerLatency", t.routerLatency)] {
            if v < 0 { throw MachineDescriptionError(n, "must not be negative, got \(v)") }
            if v > Self.maxLatency { throw MachineDescriptionError(n, "must be at most \(Self.maxLatency) cycles, got \(v)") }
        }
        if t.kind == .hypercube && nodes & (nodes - 1) != 0 {
            throw MachineDescriptionError("topology.kind", "a hypercube needs a power-of-two node count, got \(nodes) nodes")
        }
        if t.meshColumns < 0 { throw MachineDescriptionError("topology.meshColumns", "must not be negative, got \(t.meshColumns)") }
        if t.kind == .mesh && t.meshColumns > 0 && nodes % t.meshColumns != 0 {
            throw MachineDescriptionError("topology.meshColumns", "must divide the node count (\(nodes)), got \(t.meshColumns)")
        }
    }

    private func validateMemory() throws {
        let m = memory
        for (name, v) in [("accessLatency", m.accessLatency), ("directoryLatency", m.directoryLatency),
                          ("directoryOccupancy", m.directoryOccupancy), ("controllerOccupancy", m.controllerOccupancy)] {
            if v < 0 { throw MachineDescriptionError("memory.\(name)", "must not be negative, got \(v)") }
            if v > Self.maxLatency { throw MachineDescriptionError("memory.\(name)", "must be at most \(Self.maxLatency) cycles, got \(v)") }
        }
    }

    private func validateCaches() throws {
        let c = caches
        try Self.validate(c.l1i, "caches.l1i")
        try Self.validate(c.l1d, "caches.l1d")
        try Self.validate(c.l2, "caches.l2")
        if let l3 = c.l3 { try Self.validate(l3, "caches.l3") }
        let line = c.l1d.lineSize
        for (p, d) in [("caches.l1i", c.l1i), ("caches.l2", c.l2)] + (c.l3.map { [("caches.l3", $0)] } ?? []) where d.lineSize != line {
            throw MachineDescriptionError("\(p).lineSize", "must equal caches.l1d.lineSize (\(line)), got \(d.lineSize): all levels share one coherence unit")
        }
        if c.l2.size < c.l1d.size || c.l2.size < c.l1i.size {
            throw MachineDescriptionError("caches.l2.size", "the inclusive L2 must be at least as large as each L1 (\(max(c.l1d.size, c.l1i.size))), got \(c.l2.size)")
        }
        for (p, d) in [("caches.l2", c.l2)] + (c.l3.map { [("caches.l3", $0)] } ?? []) {
            if !d.writeBack { throw MachineDescriptionError("\(p).writeBack", "must be true: the coherence protocol needs write-back L2/L3 caches") }
            if !d.writeAllocate { throw MachineDescriptionError("\(p).writeAllocate", "must be true: the coherence protocol needs write-allocate L2/L3 caches") }
        }
        if c.l2Shared && cpusPerNode > 64 {
            throw MachineDescriptionError("caches.l2Shared", "a shared L2 serves at most 64 CPUs, the node has \(cpusPerNode)")
        }
        let l2Count = c.l2Shared ? nodes : cpus
        let lines = cpus * (c.l1i.lines + c.l1d.lines) + l2Count * c.l2.lines + nodes * (c.l3?.lines ?? 0)
        if lines > Self.maxCacheLines {
            throw MachineDescriptionError("caches", "\(cpus) CPUs' caches hold \(lines) lines in all, more than the host budget of \(Self.maxCacheLines)")
        }
    }

    static func validate(_ d: CacheDescription, _ p: String) throws {
        func isPow2(_ v: Int) -> Bool { v > 0 && v & (v - 1) == 0 }
        guard isPow2(d.lineSize), d.lineSize >= 16, d.lineSize <= 4096 else {
            throw MachineDescriptionError("\(p).lineSize", "must be a power of two in 16...4096, got \(d.lineSize)")
        }
        guard d.size > 0, d.size % d.lineSize == 0 else {
            throw MachineDescriptionError("\(p).size", "must be a positive multiple of the line size (\(d.lineSize)), got \(d.size)")
        }
        guard d.size <= 1 << 30 else { throw MachineDescriptionError("\(p).size", "must be at most 1 GiB, got \(d.size)") }
        let lines = d.size / d.lineSize
        guard d.associativity >= 1, lines % d.associativity == 0 else {
            throw MachineDescriptionError("\(p).associativity", "must divide the number of lines (\(lines)), got \(d.associativity)")
        }
        guard isPow2(lines / d.associativity) else {
            throw MachineDescriptionError("\(p).associativity", "the number of sets (\(lines) lines / \(d.associativity) ways = \(lines / d.associativity)) must be a power of two")
        }
        if d.replacement == .treePLRU && (!isPow2(d.associativity) || d.associativity > 64) {
            throw MachineDescriptionError("\(p).associativity", "tree-plru needs a power-of-two associativity up to 64, got \(d.associativity)")
        }
        if d.associativity > 64 { throw MachineDescriptionError("\(p).associativity", "must be at most 64, got \(d.associativity)") }
        guard d.hitLatency >= 1 else { throw MachineDescriptionError("\(p).hitLatency", "must be at least 1 cycle, got \(d.hitLatency)") }
        guard d.hitLatency <= maxLatency else { throw MachineDescriptionError("\(p).hitLatency", "must be at most \(maxLatency) cycles, got \(d.hitLatency)") }
    }

    private func validateCosts() throws {
        let c = costs
        let all: [(String, Int)] = [("alu", c.alu), ("multiply", c.multiply), ("divide", c.divide), ("fpAdd", c.fpAdd),
                                    ("fpMultiply", c.fpMultiply), ("fpDivide", c.fpDivide), ("load", c.load), ("store", c.store),
                                    ("branchTaken", c.branchTaken), ("branchNotTaken", c.branchNotTaken), ("system", c.system)]
        for (n, v) in all where v < 1 || v > 10_000 {
            throw MachineDescriptionError("costs.\(n)", "must be 1...10000 cycles, got \(v)")
        }
    }

    /// The platform parameters as the existing Machine understands them.
    public var machineConfig: MachineConfig {
        var m = MachineConfig(isa: isa, cpus: cpus, nodes: nodes)
        m.memoryPerNode = memoryPerNode
        m.quantum = quantum
        m.ipiLatency = ipiLatency
        m.frequency = frequency
        m.tlbEntries = tlb.entries
        m.caches = caches
        return m
    }
}
