// FCM: a file cache manager (K42's FCM) — the resident pages of one memory object, keyed by page
// index, filled from its FR on first use with a frame from the faulting CPU's node (PM). A
// clustered object in two implementations of one interface:
//  - centralized (FCMDefault): one rep, one page list under one lock: every fault on the object
//    from any CPU serialises on it;
//  - distributed (K42's multi-rep FCM): a rep per CPU, and the page list partitioned into
//    independently locked partitions (a power of two >= the CPU count, by a hash of the page
//    index / 16, so neighbouring pages share a partition and threads working on different
//    ranges rarely meet); each rep keeps a private cache of the pages its CPU has looked up,
//    so a repeated lookup takes no lock at all.
// Copy-on-write FCMs (FR.copyOnWrite): a read of a page the child has not copied returns the
// parent's frame read-only; a write copies it into a new frame of the child (`copied` tells the
// Region to shoot down read-only mappings of the parent page on other CPUs). Pages stay until
// `releasePages` (the Region's unmap) — there is no replacement yet; deinit frees what is left.

struct FCMPage {
    var pa: UInt64
    var writable: Bool
    var copied: Bool
}

class FCMRep {
    let fr: CORef<FRRep>
    init(fr: CORef<FRRep>) { self.fr = fr }

    /// The frame of page `index` for an access (nil: out of memory, or the parent is gone).
    func page(_ index: UInt64, write: Bool) -> FCMPage? { nil }
    /// Frees every page (no CPU may map them any more).
    func releasePages() {}
    /// Pages held.
    var residentPages: Int { 0 }

    /// The shared part of both implementations: find `index` in `map` or fill it (caller holds
    /// the map's lock).
    final func findOrFill(_ map: inout PageMap, _ index: UInt64, write: Bool) -> FCMPage? {
        let have = map.lookup(index)
        if have != 0 { return FCMPage(pa: have & ~0xFFF, writable: true, copied: false) }
        let parent = fr.call { $0.parent }
        if let parent {
            // Copy-on-write: share the parent's page until a write.
            guard let p = parent.callIfAlive(method: 1, { $0.page(index, write: false) }) ?? nil else { return nil }
            if !write { return FCMPage(pa: p.pa, writable: false, copied: false) }
            guard let pa = PM.allocate() else { return nil }
            PM.kernelAddress(pa).copyMemory(from: PM.kernelAddress(p.pa), byteCount: 4096)
            Counter.copyOnWrites.add()
            map.insert(index, pa | 1)
            return FCMPage(pa: pa, writable: true, copied: true)
        }
        guard let pa = PM.allocate() else { return nil }
        guard fr.call({ $0.fill(index, into: pa) }) else { PM.free(pa); return nil }
        map.insert(index, pa | 1)
        return FCMPage(pa: pa, writable: true, copied: false)
    }

    static func freeAll(_ map: inout PageMap) {
        map.forEach { _, v in PM.free(v & ~0xFFF) }
        map.release()
        map = PageMap()
    }
}

/// One rep, one lock.
final class FCMCentralizedRep: FCMRep {
    let lockWords: UnsafeMutablePointer<UInt64>
    var pages = PageMap(capacity: 64)

    override init(fr: CORef<FRRep>) {
        lockWords = UnsafeMutablePointer<UInt64>.allocate(capacity: 8)
        SpinLock.initialise(lockWords)
        super.init(fr: fr)
    }
    deinit {
        FCMRep.freeAll(&pages)
        pages.release()
        lockWords.deallocate()
    }

    override func page(_ index: UInt64, write: Bool) -> FCMPage? {
        let lock = SpinLock(lockWords)
        lock.lock()
        let r = findOrFill(&pages, index, write: write)
        lock.unlock()
        return r
    }

    override func releasePages() {
        let lock = SpinLock(lockWords)
        lock.lock()
        FCMRep.freeAll(&pages)
        lock.unlock()
    }

    override var residentPages: Int { pages.count }
}

/// The partitions of a distributed FCM's page list, shared by its reps.
final class FCMPartitions {
    let count: Int
    /// Per partition, 8 words: a ticket lock (2) and padding, so partitions do not share a line.
    let locks: UnsafeMutablePointer<UInt64>
    let maps: UnsafeMutablePointer<PageMap>

    init() {
        var n = 8
        while n < BootInfo.cpuCount { n <<= 1 }
        count = n
        locks = UnsafeMutablePointer<UInt64>.allocate(capacity: 16 * n)
        maps = UnsafeMutablePointer<PageMap>.allocate(capacity: n)
        for i in 0 ..< n {
            SpinLock.initialise(locks + 16 * i)
            (maps + i).initialize(to: PageMap(capacity: 16))
        }
    }
    deinit {
        for i in 0 ..< count {
            FCMRep.freeAll(&maps[i])
            maps[i].release()
        }
        maps.deallocate()
        locks.deallocate()
    }

    @inline(__always) func partition(_ index: UInt64) -> Int {
        Int(truncatingIfNeeded: ((index >> 4) &* 0x9E37_79B9_7F4A_7C15) >> 40) & (count - 1)
    }
}

final class FCMDistributedRep: FCMRep {
    let parts: FCMPartitions
    /// This CPU's cache of pages it looked up (index -> frame | 1); only this CPU touches it.
    var cache = PageMap(capacity: 16)

    init(fr: CORef<FRRep>, parts: FCMPartitions) {
        self.parts = parts
        super.init(fr: fr)
    }
    deinit { cache.release() }

    override func page(_ index: UInt64, write: Bool) -> FCMPage? {
        let token = Arch.disableInterrupts()
        let cached = cache.lookup(index)
        Arch.restoreInterrupts(token)
        if cached != 0 { return FCMPage(pa: cached & ~0xFFF, writable: true, copied: false) }
        let p = parts.partition(index)
        let lock = SpinLock(parts.locks + 16 * p)
        lock.lock()
        let r = findOrFill(&parts.maps[p], index, write: write)
        lock.unlock()
        if let r, r.writable {
            let t = Arch.disableInterrupts()
            cache.insert(index, r.pa | 1)
            Arch.restoreInterrupts(t)
        }
        return r
    }

    override func releasePages() {
        for i in 0 ..< parts.count {
            let lock = SpinLock(parts.locks + 16 * i)
            lock.lock()
            FCMRep.freeAll(&parts.maps[i])
            lock.unlock()
        }
    }

    override var residentPages: Int {
        var n = 0
        for i in 0 ..< parts.count { n += parts.maps[i].count }
        return n
    }
}

enum FCM {
    static func centralized(_ fr: CORef<FRRep>) -> CORef<FCMRep>? {
        COS.create(RepRoot<FCMRep>.single { _ in FCMCentralizedRep(fr: fr) })
    }
    static func distributed(_ fr: CORef<FRRep>) -> CORef<FCMRep>? {
        let parts = FCMPartitions()
        return COS.create(RepRoot<FCMRep>.perCPU { _ in FCMDistributedRep(fr: fr, parts: parts) })
    }
}
