// L1HitFilter: the interpreter's fast path in front of MemoryHierarchy.access. One entry per L1
// set holding the set's most-recently-used line, with read (and, separately, write) permission.
// Because the entry is the MRU line, a repeated hit on it would not change LRU / tree-PLRU /
// random replacement state, so skipping `access` on a filter hit keeps the model exact. The
// hierarchy clears or downgrades an entry whenever its line leaves the L1 or loses write
// permission, so the filter is never optimistic. A hit is a shift, a compare and a counter add.

public final class L1HitFilter {
    public let lineShift: UInt64
    @usableFromInline let dMask: UInt64
    @usableFromInline let iMask: UInt64
    /// Per L1I set: MRU line number with fetch permission, or UInt64.max.
    public let fetchTags: UnsafeMutablePointer<UInt64>
    /// Per L1D set: MRU line number readable in the L1D, or UInt64.max.
    public let readTags: UnsafeMutablePointer<UInt64>
    /// Per L1D set: MRU line number writable (already dirty) in the L1D, or UInt64.max.
    public let writeTags: UnsafeMutablePointer<UInt64>
    /// Filter hits: [fetch, read, write]; folded into the L1 hit statistics.
    public let hits: UnsafeMutablePointer<UInt64>
    /// Latencies to charge on a filter hit (the L1 hit latencies).
    public let fetchLatency: UInt32
    public let dataLatency: UInt32
    let dSets: Int, iSets: Int

    init(lineShift: UInt64, iSets: Int, dSets: Int, fetchLatency: UInt32, dataLatency: UInt32) {
        self.lineShift = lineShift
        self.iSets = iSets; self.dSets = dSets
        iMask = UInt64(iSets - 1); dMask = UInt64(dSets - 1)
        fetchTags = .allocate(capacity: iSets); fetchTags.initialize(repeating: .max, count: iSets)
        readTags = .allocate(capacity: dSets); readTags.initialize(repeating: .max, count: dSets)
        writeTags = .allocate(capacity: dSets); writeTags.initialize(repeating: .max, count: dSets)
        hits = .allocate(capacity: 3); hits.initialize(repeating: 0, count: 3)
        self.fetchLatency = fetchLatency; self.dataLatency = dataLatency
    }

    deinit { fetchTags.deallocate(); readTags.deallocate(); writeTags.deallocate(); hits.deallocate() }

    /// True (and counted) when a fetch of `size` bytes at `pa` hits the L1I without changing any state.
    @inline(__always) public func fetch(_ pa: UInt64, size: Int) -> Bool {
        let line = pa &>> lineShift
        guard (pa &+ UInt64(truncatingIfNeeded: size) &- 1) &>> lineShift == line,
              fetchTags[Int(truncatingIfNeeded: line & iMask)] == line else { return false }
        hits[0] &+= 1
        return true
    }

    @inline(__always) public func read(_ pa: UInt64, size: Int) -> Bool {
        let line = pa &>> lineShift
        guard (pa &+ UInt64(truncatingIfNeeded: size) &- 1) &>> lineShift == line,
              readTags[Int(truncatingIfNeeded: line & dMask)] == line else { return false }
        hits[1] &+= 1
        return true
    }

    @inline(__always) public func write(_ pa: UInt64, size: Int) -> Bool {
        let line = pa &>> lineShift
        guard (pa &+ UInt64(truncatingIfNeeded: size) &- 1) &>> lineShift == line,
              writeTags[Int(truncatingIfNeeded: line & dMask)] == line else { return false }
        hits[2] &+= 1
        return true
    }

    // Maintenance by the hierarchy.
    @inline(__always) func setData(_ line: UInt64, writable: Bool) {
        let i = Int(truncatingIfNeeded: line & dMask)
        readTags[i] = line
        writeTags[i] = writable ? line : .max
    }
    @inline(__always) func setFetch(_ line: UInt64) { fetchTags[Int(truncatingIfNeeded: line & iMask)] = line }
    @inline(__always) func removeData(_ line: UInt64) {
        let i = Int(truncatingIfNeeded: line & dMask)
        if readTags[i] == line { readTags[i] = .max }
        if writeTags[i] == line { writeTags[i] = .max }
    }
    @inline(__always) func downgradeData(_ line: UInt64) {
        let i = Int(truncatingIfNeeded: line & dMask)
        if writeTags[i] == line { writeTags[i] = .max }
    }
    @inline(__always) func removeFetch(_ line: UInt64) {
        let i = Int(truncatingIfNeeded: line & iMask)
        if fetchTags[i] == line { fetchTags[i] = .max }
    }
    func resetCounters() { hits[0] = 0; hits[1] = 0; hits[2] = 0 }
}
