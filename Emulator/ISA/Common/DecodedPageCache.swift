// DecodedPageCache: pre-decoded instruction pages, one per physical frame, shared by all CPUs of
// one ISA. A page holds `opsPerPage` ops plus two sentinel slots past the end (so fall-through
// and skip-over-delay-slot both land on a sentinel that moves to the next page). Stale pages
// (a store hit the frame, or it was freed) are retired, not freed at once, because an
// interpreter may still hold a pointer into them until it returns to its outer loop.

public final class DecodedPageCache<Op>: CodeInvalidationListener {
    public static var opsPerPage: Int { Int(guestPageSize / 4) }
    public static var slotsPerPage: Int { opsPerPage + 2 }

    private var pages: [Int: UnsafeMutablePointer<Op>] = [:]
    private var retired: [UnsafeMutablePointer<Op>] = []
    /// Bumped on every invalidation; CPUs compare it to drop their code-TLB entries.
    public private(set) var generation: UInt64 = 0
    public private(set) var decodedPages: UInt64 = 0

    public init() {}

    deinit {
        for (_, p) in pages { p.deallocate() }
        for p in retired { p.deallocate() }
    }

    public func lookup(frame: Int) -> UnsafeMutablePointer<Op>? { pages[frame] }

    /// Stores a freshly decoded page (`slotsPerPage` initialised ops).
    public func insert(frame: Int, ops: UnsafeMutablePointer<Op>) {
        pages[frame] = ops
        decodedPages &+= 1
    }

    public func invalidateCode(frame: Int) {
        if let p = pages.removeValue(forKey: frame) {
            retired.append(p)
            generation &+= 1
        }
    }

    /// Frees retired pages; call only when no interpreter is running.
    public func collectRetired() {
        for p in retired { p.deallocate() }
        retired.removeAll(keepingCapacity: true)
    }
}

/// A CPU's direct-mapped cache from guest virtual page to pre-decoded page.
public struct CodeTLBEntry<Op> {
    public var tag: UInt64 = .max
    public var ops: UnsafeMutablePointer<Op>? = nil
    /// Physical address of the page (full system; the timing model charges fetches by it).
    public var physicalPage: UInt64 = 0
    /// The CPU's execution-count deltas for the page (BlockCounts).
    public var deltas: UnsafeMutablePointer<Int64>? = nil
    public init() {}
}
