// MemoryHierarchy: the timing model of the memory system — per-CPU L1I/L1D, private or per-node
// shared inclusive L2 (the coherence "agent"), optional per-node memory-side L3, and a
// directory-based MESI/MOESI protocol with the directory at each line's home node. `access`
// returns the latency of one access; `maintain` performs cache-maintenance operations. All
// state changes are deterministic (random replacement is seeded). See docs/memory-system.md.
import Traces

public final class MemoryHierarchy {
    public enum AccessKind: Sendable { case fetch, read, write, atomic }
    public enum Maintenance: Sendable { case flush, clean, invalidate, zero, invalidateInstruction }

    public let description: MachineDescription
    /// After every transaction, check the touched lines' invariants (see MemoryHierarchy+Checking).
    public var checking = false
    /// Data versions are tracked so checking can verify every read returns the last write.
    /// Fixed at init; when on, writes never enter the L1 hit filter (each write must bump a version).
    public let valueTracking: Bool
    /// Invariant violations found in checking mode (first 100).
    public internal(set) var violations: [String] = []

    // L1 line states.
    static let l1Invalid: UInt8 = 0, l1Read: UInt8 = 1, l1Write: UInt8 = 2
    // L2 (agent) line states.
    static let sI: UInt8 = 0, sS: UInt8 = 1, sE: UInt8 = 2, sO: UInt8 = 3, sM: UInt8 = 4

    let lineShift: UInt64
    let cpuCount: Int, nodeCount: Int, agentCount: Int
    let cpuNode: [Int], cpuAgent: [Int], cpuLocal: [Int]
    let agentNode: [Int], agentFirstCPU: [Int], agentCPUCount: [Int]
    let l1i: [CacheArray], l1d: [CacheArray], l2: [CacheArray], l3: [CacheArray]
    /// The per-CPU fast-path filters; `filters[cpu]`.
    public let filters: [L1HitFilter]
    let net: Interconnect
    let moesi: Bool
    let l1dWriteBack: Bool, l1dWriteAllocate: Bool
    let writeFilterAllowed: Bool
    let memoryPerNode: UInt64
    let memLatency: UInt32, dirLatency: UInt32
    let contention: Bool
    let dirOccupancy: UInt64, mcOccupancy: UInt64

    var directory: [UInt64: DirectoryEntry] = [:]
    var dirBusyUntil: [UInt64], mcBusyUntil: [UInt64]
    /// Value tracking: last written version per line, and memory's version (absent = 0).
    var golden: [UInt64: UInt64] = [:]
    var memVersion: [UInt64: UInt64] = [:]
    var stats: HierarchyCounters
    /// TLB counters the CPU models fill in (reported as system.cpuN.mmu.{itb,dtb}.*).
    public var tlb: [TLBCounters]
    /// The run's trace recorder (hw.cache misses, hw.coherence requests and writebacks are
    /// recorded on the miss paths only: a write-through store that hits is not slowed down).
    public var tracer: TraceRecorder?

    public init(_ d: MachineDescription, valueTracking: Bool = false) throws {
        try d.validate()
        description = d
        self.valueTracking = valueTracking
        let c = d.caches
        lineShift = UInt64(c.l1d.lineSize.trailingZeroBitCount)
        cpuCount = d.cpus
        nodeCount = d.nodes
        let perNode = d.cpusPerNode
        cpuNode = (0 ..< d.cpus).map { $0 / perNode }
        if c.l2Shared {
            agentCount = d.nodes
            cpuAgent = cpuNode
            cpuLocal = (0 ..< d.cpus).map { $0 % perNode }
            agentNode = Array(0 ..< d.nodes)
            agentFirstCPU = (0 ..< d.nodes).map { $0 * perNode }
            agentCPUCount = [Int](repeating: perNode, count: d.nodes)
        } else {
            agentCount = d.cpus
            cpuAgent = Array(0 ..< d.cpus)
            cpuLocal = [Int](repeating: 0, count: d.cpus)
            agentNode = cpuNode
            agentFirstCPU = Array(0 ..< d.cpus)
            agentCPUCount = [Int](repeating: 1, count: d.cpus)
        }
        // Distinct deterministic seeds per cache instance.
        func seed(_ kind: UInt64, _ i: Int) -> UInt64 { d.seed &* 0x100_0000_01B3 &+ kind << 32 &+ UInt64(i) }
        l1i = (0 ..< d.cpus).map { CacheArray(c.l1i, seed: seed(1, $0), tracksL1: false) }
        l1d = (0 ..< d.cpus).map { CacheArray(c.l1d, seed: seed(2, $0), tracksL1: false) }
        l2 = (0 ..< agentCount).map { CacheArray(c.l2, seed: seed(3, $0), tracksL1: true) }
        l3 = c.l3.map { l3d in (0 ..< d.nodes).map { CacheArray(l3d, seed: seed(4, $0), tracksL1: false) } } ?? []
        filters = (0 ..< d.cpus).map { _ in
            L1HitFilter(lineShift: UInt64(c.l1d.lineSize.trailingZeroBitCount), iSets: c.l1i.sets, dSets: c.l1d.sets,
                        fetchLatency: UInt32(c.l1i.hitLatency), dataLatency: UInt32(c.l1d.hitLatency))
        }
        net = Interconnect(d)
        moesi = d.memory.coherence == .moesi
        l1dWriteBack = c.l1d.writeBack
        l1dWriteAllocate = c.l1d.writeAllocate
        writeFilterAllowed = c.l1d.writeBack && !valueTracking
        memoryPerNode = d.memoryPerNode
        memLatency = UInt32(d.memory.accessLatency)
        dirLatency = UInt32(d.memory.directoryLatency)
        contention = d.memory.contention
        dirOccupancy = UInt64(d.memory.directoryOccupancy)
        mcOccupancy = UInt64(d.memory.controllerOccupancy)
        dirBusyUntil = [UInt64](repeating: 0, count: d.nodes)
        mcBusyUntil = [UInt64](repeating: 0, count: d.nodes)
        stats = HierarchyCounters(cpus: d.cpus, nodes: d.nodes)
        tlb = [TLBCounters](repeating: TLBCounters(), count: d.cpus)
    }

    /// Line size in bytes (the coherence unit).
    public var lineSize: Int { 1 << Int(lineShift) }

    /// Home node of a line: physical address / memoryPerNode (addresses past the last node's
    /// memory belong to the last node).
    @inline(__always) func home(_ line: UInt64) -> Int {
        min(Int(truncatingIfNeeded: (line << lineShift) / memoryPerNode), nodeCount - 1)
    }

    /// Simulates one access of `size` bytes at physical address `pa` by `cpu` at cycle `now`;
    /// returns its latency in cycles (the L1 hit latency on a hit). An access that straddles a
    /// line boundary costs the sum of its two line accesses.
    public func access(cpu: Int, pa: UInt64, size: Int, kind: AccessKind, now: UInt64) -> UInt32 {
        let line = pa &>> lineShift
        let last = (pa &+ UInt64(max(size, 1)) &- 1) &>> lineShift
        let first = accessLine(cpu, line, kind, now)
        if last == line { return first }
        return first &+ accessLine(cpu, last, kind, now &+ UInt64(first))
    }

    @inline(__always) func accessLine(_ cpu: Int, _ line: UInt64, _ kind: AccessKind, _ now: UInt64) -> UInt32 {
        switch kind {
        case .fetch: return read(cpu, line, fetch: true, now)
        case .read: return read(cpu, line, fetch: false, now)
        case .write, .atomic: return write(cpu, line, now, zero: false)
        }
    }

    // MARK: reads

    func read(_ cpu: Int, _ line: UInt64, fetch: Bool, _ now: UInt64) -> UInt32 {
        let c = fetch ? l1i[cpu] : l1d[cpu]
        let slot = c.find(line)
        if slot >= 0 {
            c.touch(slot)
            c.counters.readHits &+= 1
            if fetch { filters[cpu].setFetch(line) } else {
                filters[cpu].setData(line, writable: writeFilterAllowed && c.state[slot] == Self.l1Write)
            }
            if valueTracking && checking { checkRead(cpu, line, c.version[slot], fetch: fetch) }
            return c.hitLatency
        }
        c.counters.readMisses &+= 1
        let a = cpuAgent[cpu]
        let l2c = l2[a]
        var lat = c.hitLatency &+ l2c.hitLatency
        var l2Latency: UInt32 = 0, l2Missed = false
        var s2 = l2c.find(line)
        if s2 >= 0 {
            l2c.touch(s2)
            l2c.counters.readHits &+= 1
            stats.l2Hits[cpu] &+= 1
        } else {
            l2c.counters.readMisses &+= 1
            s2 = l2c.victim(line)
            evictL2(a, s2, now, cpu: cpu)
            let r = transaction(agent: a, cpu: cpu, line: line, want: .read, start: now &+ UInt64(lat))
            lat &+= r.latency
            l2Latency = r.latency
            l2Missed = true
            l2c.fill(s2, line, state: r.state, version: r.version)
            l2c.counters.missLatency &+= UInt64(r.latency)
            stats.l2Misses[cpu] &+= 1
            stats.l2MissLatency[cpu] &+= UInt64(r.latency)
        }
        // Within the agent: a writable L1D copy elsewhere gives its data back and becomes read-only.
        recallWriter(a, s2)
        let slot1 = c.victim(line)
        evictL1(cpu, c, slot1, fetch: fetch)
        c.fill(slot1, line, state: Self.l1Read, version: l2c.version[s2])
        let bit: UInt64 = 1 << UInt64(cpuLocal[cpu])
        if fetch { l2c.l1iMask![s2] |= bit; filters[cpu].setFetch(line) } else {
            l2c.l1dMask![s2] |= bit; filters[cpu].setData(line, writable: false)
        }
        c.counters.missLatency &+= UInt64(lat)
        if let t = tracer { traceMisses(t, cpu, line, access: fetch ? 0 : 1, now, l1: lat, l2: l2Latency, l2Missed: l2Missed, fetch: fetch) }
        if valueTracking && checking { checkRead(cpu, line, c.version[slot1], fetch: fetch) }
        if checking { checkLine(line) }
        return lat
    }

    /// hw.cache: the L1 miss (and the L2 miss behind it) of one access at cycle `now`.
    func traceMisses(_ t: TraceRecorder, _ cpu: Int, _ line: UInt64, access: UInt64, _ now: UInt64, l1: UInt32, l2: UInt32,
                     l2Missed: Bool, fetch: Bool, l1Missed: Bool = true) {
        guard t.wants(TraceMajor.hwCache) else { return }
        let pa = line << lineShift
        if l1Missed { t.record(cpu: cpu, cycle: now, fetch ? .l1iMiss : .l1dMiss, pa, access, UInt64(l1)) }
        if l2Missed { t.record(cpu: cpu, cycle: now, .l2Miss, pa, access, UInt64(l2)) }
    }

    // MARK: writes

    func write(_ cpu: Int, _ line: UInt64, _ now: UInt64, zero: Bool) -> UInt32 {
        let c = l1d[cpu]
        var slot = c.find(line)
        if slot >= 0 && c.state[slot] == Self.l1Write {
            c.touch(slot)
            c.counters.writeHits &+= 1
            if valueTracking { c.version[slot] = newVersion(line) }
            filters[cpu].setData(line, writable: writeFilterAllowed)
            return c.hitLatency
        }
        // Write-through L1 with the line present counts as an L1 hit; everything else is a miss
        // (including an upgrade of a read-only copy).
        let l1Hit = slot >= 0 && !l1dWriteBack
        if l1Hit { c.counters.writeHits &+= 1 } else { c.counters.writeMisses &+= 1 }
        var l2Missed = false, l2Latency: UInt32 = 0
        let a = cpuAgent[cpu]
        let l2c = l2[a]
        var lat = c.hitLatency
        var s2 = l2c.find(line)
        if s2 >= 0 && (l2c.state[s2] == Self.sE || l2c.state[s2] == Self.sM) {
            l2c.touch(s2)
            l2c.counters.writeHits &+= 1
            stats.l2Hits[cpu] &+= 1
            l2c.state[s2] = Self.sM
            // A write-through store that finds write permission in L2 retires from the store buffer.
            if !l1Hit { lat &+= l2c.hitLatency }
        } else {
            lat &+= l2c.hitLatency
            l2c.counters.writeMisses &+= 1
            let want: Want
            if s2 >= 0 {
                want = .upgrade
                l2c.touch(s2)
            } else {
                want = zero ? .zero : .write
                s2 = l2c.victim(line)
                evictL2(a, s2, now, cpu: cpu)
            }
            let r = transaction(agent: a, cpu: cpu, line: line, want: want, start: now &+ UInt64(lat))
            lat &+= r.latency
            l2Missed = true
            l2Latency = r.latency
            if want == .upgrade { l2c.state[s2] = Self.sM } else { l2c.fill(s2, line, state: Self.sM, version: r.version) }
            l2c.counters.missLatency &+= UInt64(r.latency)
            stats.l2Misses[cpu] &+= 1
            stats.l2MissLatency[cpu] &+= UInt64(r.latency)
        }
        // Single writer inside the agent: every other L1 copy goes (after giving back dirty data).
        recallWriter(a, s2)
        invalidateLocalL1s(a, s2, line, keepDataOf: cpu)
        let v = valueTracking ? newVersion(line) : 0
        if slot < 0 && (l1dWriteAllocate || zero) {
            slot = c.victim(line)
            evictL1(cpu, c, slot, fetch: false)
            c.fill(slot, line, state: Self.l1Read, version: l2c.version[s2])
            l2c.l1dMask![s2] |= 1 << UInt64(cpuLocal[cpu])
        }
        if slot >= 0 {
            c.touch(slot)
            c.version[slot] = v
            if l1dWriteBack {
                c.state[slot] = Self.l1Write
                l2c.l1Writer![s2] = Int8(cpuLocal[cpu])
            } else {
                l2c.version[s2] = v
            }
            filters[cpu].setData(line, writable: writeFilterAllowed)
        } else {
            l2c.version[s2] = v
        }
        if !l1Hit { c.counters.missLatency &+= UInt64(lat) }
        if !l1Hit || l2Missed, let t = tracer { traceMisses(t, cpu, line, access: 2, now, l1: lat, l2: l2Latency, l2Missed: l2Missed, fetch: false, l1Missed: !l1Hit) }
        if checking { checkLine(line) }
        return lat
    }

    @inline(__always) func newVersion(_ line: UInt64) -> UInt64 {
        let v = (golden[line] ?? 0) &+ 1
        golden[line] = v
        return v
    }

    // MARK: inside an agent (L2 and its L1s)

    /// If some local L1D holds the line writable, copy its data into the L2 and make it read-only.
    func recallWriter(_ a: Int, _ s2: Int) {
        let l2c = l2[a]
        let w = Int(l2c.l1Writer![s2])
        guard w >= 0 else { return }
        let cpu = agentFirstCPU[a] + w
        let c = l1d[cpu]
        let line = l2c.tags[s2]
        let s = c.find(line)
        if s >= 0 {
            l2c.version[s2] = c.version[s]
            c.state[s] = Self.l1Read
        }
        l2c.l1Writer![s2] = -1
        filters[cpu].downgradeData(line)
    }

    /// Removes the line from every L1 of the agent except `keepDataOf`'s L1D (L1Is always go).
    func invalidateLocalL1s(_ a: Int, _ s2: Int, _ line: UInt64, keepDataOf keep: Int) {
        let l2c = l2[a]
        var dm = l2c.l1dMask![s2]
        var im = l2c.l1iMask![s2]
        let first = agentFirstCPU[a]
        while dm != 0 {
            let i = dm.trailingZeroBitCount
            dm &= dm - 1
            let cpu = first + i
            if cpu == keep { continue }
            let c = l1d[cpu]
            let s = c.find(line)
            if s >= 0 { c.clear(s); c.counters.invalidations &+= 1 }
            filters[cpu].removeData(line)
            l2c.l1dMask![s2] &= ~(1 << UInt64(i))
        }
        while im != 0 {
            let i = im.trailingZeroBitCount
            im &= im - 1
            let cpu = first + i
            let c = l1i[cpu]
            let s = c.find(line)
            if s >= 0 { c.clear(s); c.counters.invalidations &+= 1 }
            filters[cpu].removeFetch(line)
        }
        l2c.l1iMask![s2] = 0
    }

    /// Evicts whatever occupies `slot` of a CPU's L1 (dirty data goes back to the L2).
    func evictL1(_ cpu: Int, _ c: CacheArray, _ slot: Int, fetch: Bool) {
        let old = c.tags[slot]
        guard old != CacheArray.invalidTag else { return }
        c.counters.replacements &+= 1
        let a = cpuAgent[cpu]
        let l2c = l2[a]
        let s2 = l2c.find(old)
        let bit: UInt64 = 1 << UInt64(cpuLocal[cpu])
        if fetch {
            if s2 >= 0 { l2c.l1iMask![s2] &= ~bit }
            filters[cpu].removeFetch(old)
        } else {
            if s2 >= 0 {
                if c.state[slot] == Self.l1Write {
                    l2c.version[s2] = c.version[slot]
                    l2c.l1Writer![s2] = -1
                    c.counters.writebacks &+= 1
                }
                l2c.l1dMask![s2] &= ~bit
            }
            filters[cpu].removeData(old)
        }
        c.clear(slot)
    }

    /// Removes every L1 copy of the line held in `s2` of agent `a`, recalling dirty data first.
    func backInvalidate(_ a: Int, _ s2: Int) {
        recallWriter(a, s2)
        let line = l2[a].tags[s2]
        invalidateLocalL1s(a, s2, line, keepDataOf: -1)
    }
}

/// TLB counters filled by the CPU models.
public struct TLBCounters: Sendable {
    public var itbAccesses: UInt64 = 0, itbMisses: UInt64 = 0
    public var dtbReadAccesses: UInt64 = 0, dtbReadMisses: UInt64 = 0
    public var dtbWriteAccesses: UInt64 = 0, dtbWriteMisses: UInt64 = 0
    public var invalidations: UInt64 = 0
    public init() {}
}
