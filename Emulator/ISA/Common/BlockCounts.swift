// BlockCounts: one CPU's execution counts of pre-decoded code, kept per decoded page as
// entry/exit deltas so that the interpreter touches them only where a run of straight-line ops
// begins (+1 at its first op) or ends (-1 at the op after its last), never per instruction:
// op k of a page ran delta[0] + ... + delta[k] times. `fold` turns that into per-kind counts
// (the instruction-class statistics) for the pages run since the last fold. A run that reaches
// the page end is left open: the -1 would fall on the sentinels, which are never counted.
//
// Each record copies its page's kinds, so folding never reads a decoded page (it may have been
// freed since). When the decoded-page cache is invalidated the CPU calls `reset`, which folds
// and drops every record, because a freed page's address can come back holding other code.

public final class BlockCounts {
    /// Counted ops per page (the sentinels after them are not).
    public static let ops = Int(guestPageSize / 4)
    /// Delta slots: the ops, two sentinels, one past them, then the dirty flag and the record number.
    static let slots = ops + 3
    static let flag = slots, number = slots + 1

    /// The per-kind totals everything folds into.
    public let totals: UnsafeMutablePointer<UInt64>
    private var byPage: [UInt: Int] = [:]
    private var deltas: [UnsafeMutablePointer<Int64>] = []
    private var kinds: [UnsafeMutablePointer<UInt16>] = []
    private var dirty: [Int] = []

    /// Full system: the open run inside the interpreter (its first op's delta slot and the
    /// instructions completed before it), so a device read in mid-run can fold exactly.
    public var openDelta: UnsafeMutablePointer<Int64>? = nil
    public var openCount: UInt64 = 0

    public init(totals: UnsafeMutablePointer<UInt64>) { self.totals = totals }

    deinit { dropRecords() }

    /// The deltas of decoded page `page`, created on first use (`kindAt(i)`: op i's kind index).
    public func deltas(page: UnsafeRawPointer, kindAt: (Int) -> UInt16) -> UnsafeMutablePointer<Int64> {
        let key = UInt(bitPattern: page)
        if let i = byPage[key] { return deltas[i] }
        let d = UnsafeMutablePointer<Int64>.allocate(capacity: Self.slots + 2)
        d.initialize(repeating: 0, count: Self.slots + 2)
        let k = UnsafeMutablePointer<UInt16>.allocate(capacity: Self.ops)
        for i in 0 ..< Self.ops { (k + i).initialize(to: kindAt(i)) }
        d[Self.number] = Int64(deltas.count)
        byPage[key] = deltas.count
        deltas.append(d)
        kinds.append(k)
        return d
    }

    /// Marks the page of `d` as run since the last fold (call whenever the interpreter enters it).
    @inline(__always) public func touch(_ d: UnsafeMutablePointer<Int64>) {
        if d[Self.flag] == 0 { markDirty(d) }
    }

    @inline(never) private func markDirty(_ d: UnsafeMutablePointer<Int64>) {
        d[Self.flag] = 1
        dirty.append(Int(d[Self.number]))
    }

    /// Adds every page's counts since the last fold to `totals`. Outside the interpreter, or
    /// (full system) inside it with `live`: the instructions completed so far, the current one
    /// included, which closes the open run there for the fold and reopens it after.
    public func fold(live: UInt64? = nil) {
        var at: UnsafeMutablePointer<Int64>? = nil
        if let live, let o = openDelta {
            at = o + Int(truncatingIfNeeded: live &- openCount)
            at.unsafelyUnwrapped.pointee &-= 1
        }
        for i in dirty {
            let d = deltas[i], k = kinds[i]
            var run: Int64 = 0
            for j in 0 ..< Self.ops {
                run &+= d[j]
                d[j] = 0
                if run != 0 { totals[Int(k[j])] &+= UInt64(bitPattern: run) }
            }
            for j in Self.ops ..< Self.slots { d[j] = 0 }
            d[Self.flag] = 0
        }
        dirty.removeAll(keepingCapacity: true)
        if let at, let live {
            at.pointee &+= 1
            openDelta = at
            openCount = live
            // The reopened run's page is run again (a linear search: mid-run folds are rare).
            if let d = deltas.first(where: { at >= $0 && at < $0 + Self.slots }) { touch(d) }
        }
    }

    /// Folds and forgets every record (the decoded pages they describe may be gone).
    public func reset() {
        fold()
        dropRecords()
        openDelta = nil
    }

    private func dropRecords() {
        for d in deltas { d.deallocate() }
        for k in kinds { k.deallocate() }
        deltas.removeAll()
        kinds.removeAll()
        byPage.removeAll()
        dirty.removeAll()
    }

    /// Decoded pages with a record (their deltas take ~9 KiB each).
    public var records: Int { deltas.count }
}
