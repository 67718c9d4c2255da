// Replacement: the page manager's page replacement (docs/kernel/memory-objects.md). Pages that
// can be dropped and read again are the clean pages of file-backed FCMs mapped read-only
// (`mapFile`; there is no swap, so anonymous and copy-on-write pages stay). Each such FCM is
// registered with the replacement state of the node whose CPU mapped it: a list under one lock
// per node, walked round-robin by a clock hand (FCM, then page index). When a node's supply runs
// out — its frame allocator is empty, or the process frames it holds reach `pm-frames=N` — the
// PM evicts one page with a frame on that node (from that node's list first, then the others')
// before it allocates: the FCM drops the page under its
// lock and counts the eviction, the HAT shoots the page down on exactly the CPUs that used the
// region, and the frame goes back. A fault racing with the eviction (it got the frame just
// before) notices by the FCM's eviction count and drops its own fresh mapping (Region.fault):
// the access faults again and reads the page back. Without `pm-frames` nothing is counted on the
// allocation path.

enum Replacement {
    /// Per node, one 128-byte line: 0-1 lock, 2 frames held by processes (with a limit), 3 the
    /// first registered FCM's index + 1, 4 the hand (FCM index + 1), 5 registered FCMs.
    static let lineWords = 16
    nonisolated(unsafe) static var nodes: UnsafeMutablePointer<UInt64>? = nil
    /// The per-node limit of process frames (0: none).
    nonisolated(unsafe) static var limit: UInt64 = 0

    static func setUp() {
        let n = BootInfo.nodeCount
        let block = UnsafeMutablePointer<UInt64>.allocate(capacity: lineWords * n)
        for i in 0 ..< lineWords * n { block[i] = 0 }
        for i in 0 ..< n { SpinLock.initialise(block + lineWords * i) }
        nodes = block
        limit = BootArgs.integer("pm-frames", default: 0)
    }

    @inline(__always) static func line(_ node: Int) -> UnsafeMutablePointer<UInt64> { nodes! + lineWords * node }
    @inline(__always) static func lock(_ node: Int) -> SpinLock { SpinLock(line(node)) }

    // MARK: the supply (PM)

    /// A frame for a process page on `node` (from `take`, which allocates), evicting pages of
    /// the node's reclaimable FCMs while the node is at its limit or out of frames.
    static func allocate(node: Int, _ take: () -> UInt64?) -> UInt64? {
        guard nodes != nil, node < BootInfo.nodeCount else { return take() }
        let held = AtomicWord(line(node) + 2)
        var attempts = 0
        while true {
            if limit == 0 || held.load() < limit, let pa = take() {
                if limit != 0 { _ = AtomicWord(line(FrameAllocator.nodeOf(physical: pa)) + 2).add(1) }
                return pa
            }
            guard attempts < 64, evictOne(node: node) else { return nil }
            attempts += 1
        }
    }

    /// A process frame went back.
    static func freed(_ pa: UInt64) {
        guard limit != 0, nodes != nil else { return }
        _ = AtomicWord(line(FrameAllocator.nodeOf(physical: pa)) + 2).add(UInt64.max)
    }

    // MARK: the registry

    /// Registers a read-only file FCM, mapped by `region` in the process whose HAT is `hat`.
    static func register(_ fcm: CORef<FCMRep>, region: CORef<RegionRep>, hat: CORef<HATRep>, base: UInt64, firstPage: UInt64) {
        guard nodes != nil else { return }
        let node = PCA.node
        let l = lock(node)
        l.lock()
        let head = line(node)[3]
        let ok = fcm.call { $0.enrol(next: head, region: UInt64(region.index), hat: UInt64(hat.index), base: base, firstPage: firstPage, node: node) }
        if ok {
            line(node)[3] = UInt64(fcm.index) + 1
            line(node)[5] += 1
        }
        l.unlock()
    }

    /// Takes `fcm` off its node's list (before its pages are released).
    static func unregister(_ fcm: CORef<FCMRep>) {
        guard nodes != nil, let node = fcm.call({ $0.reclaimNode }) else { return }
        let l = lock(node)
        l.lock()
        let me = UInt64(fcm.index) + 1
        var link = line(node) + 3
        while link.pointee != 0 && link.pointee != me {
            link = CORef<FCMRep>(index: Int(link.pointee - 1)).call { $0.reclaimLink }!
        }
        if link.pointee == me {
            link.pointee = fcm.call { $0.reclaimLink!.pointee }
            line(node)[5] -= 1
        }
        if line(node)[4] == me { line(node)[4] = 0 }
        fcm.call { $0.withdraw() }
        l.unlock()
    }

    /// Evicts one page whose frame is on `node`: from the FCMs on `node`'s list first, then from
    /// the other nodes' lists (a file mapped on one node can hold frames of others); false when
    /// there is none.
    static func evictOne(node: Int) -> Bool {
        for k in 0 ..< BootInfo.nodeCount where evictOne(list: (node + k) % BootInfo.nodeCount, frameNode: node) { return true }
        return false
    }

    private static func evictOne(list node: Int, frameNode: Int) -> Bool {
        let l = lock(node)
        l.lock()
        let count = line(node)[5]
        var victim: (fcm: UInt64, index: UInt64, pa: UInt64, region: UInt64, hat: UInt64, base: UInt64, firstPage: UInt64)? = nil
        var tried: UInt64 = 0
        while victim == nil && tried < count {
            var f = line(node)[4]
            if f == 0 { f = line(node)[3] }
            let fcm = CORef<FCMRep>(index: Int(f - 1))
            if let page = fcm.call({ $0.evictNext(onNode: frameNode) }) {
                let info = fcm.call { $0.reclaimInfo }
                victim = (f - 1, page.index, page.pa, info.region, info.hat, info.base, info.firstPage)
            }
            // The next eviction starts at the following FCM (round robin over the list).
            line(node)[4] = fcm.call { $0.reclaimLink!.pointee }
            tried += 1
        }
        guard let v = victim else { l.unlock(); return false }
        // Inside a request from before the unlock: an unmap of the region that begins now cannot
        // have its objects reclaimed under us (deferred destruction, ClusteredObjects/).
        Generation.activate()
        l.unlock()
        let va = v.base + (v.index - v.firstPage) << 12
        let cpus = CORef<RegionRep>(index: Int(v.region)).call { $0.usedCPUs }
        _ = HAT.shootDown(CORef<HATRep>(index: Int(v.hat)), cpus, va, va + 4096)
        Generation.deactivate()
        PM.free(v.pa)
        Counter.pagesEvicted.add()
        return true
    }
}
