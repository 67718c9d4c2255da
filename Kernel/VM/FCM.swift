// FCM: a file cache manager (K42's FCM) — the resident pages of one memory object, keyed by page
// index, filled from its FR on first use with a frame from the faulting CPU's node (PM). A
// clustered object in two implementations of one interface:
//  - centralized (FCMDefault): one rep, one page list under one lock: every fault on the object
//    from any CPU takes it (for its lookup and its insert; pages are filled outside the lock);
//  - distributed (K42's multi-rep FCM): a rep per CPU, and the page list partitioned into
//    independently locked partitions (a power of two >= the CPU count, by a hash of the page
//    index / 16, so neighbouring pages share a partition and threads working on different
//    ranges rarely meet); each rep keeps a private cache of the pages its CPU has looked up,
//    so a repeated lookup takes no lock at all.
// Copy-on-write FCMs (FR.copyOnWrite): a read of a page the child has not copied returns the
// parent's frame read-only; a write copies it into a new frame of the child (`copied` tells the
// Region to shoot down read-only mappings of the parent page on other CPUs). Pages stay until
// `releasePages` (the Region's unmap) or, for a read-only file mapping, until the page manager
// evicts them (Replacement.swift: a centralized FCM enrolled there); deinit frees what is left.

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
    /// Whether page `index` is resident (a hint: it may change right after; true when unknown).
    func isResident(_ index: UInt64) -> Bool { true }

    // Page replacement (Replacement.swift); only a centralized FCM takes part.
    /// Joins the replacement list of `node` (its link is `next`); false when this kind cannot.
    func enrol(next: UInt64, region: UInt64, hat: UInt64, base: UInt64, firstPage: UInt64, node: Int) -> Bool { false }
    func withdraw() {}
    /// The node whose list holds this FCM, or nil.
    var reclaimNode: Int? { nil }
    /// The list link (the next FCM's index + 1).
    var reclaimLink: UnsafeMutablePointer<UInt64>? { nil }
    var reclaimInfo: (region: UInt64, hat: UInt64, base: UInt64, firstPage: UInt64) { (0, 0, 0, 0) }
    /// Drops the first page after the clock hand whose frame is on `node` (and moves the hand
    /// past it): its index and frame.
    func evictNext(onNode node: Int) -> (index: UInt64, pa: UInt64)? { nil }
    /// Pages evicted so far (read with a full barrier around it by a racing fault).
    var evictionCount: UInt64 { 0 }
    /// The frame of page `index` if it is resident, else 0.
    func residentFrame(_ index: UInt64) -> UInt64 { 0 }

    /// The shared part of both implementations: find `index` in `map` (guarded by `lock`) or
    /// fill it. The frame is filled (zeroed or copied) outside the lock, then inserted unless
    /// another CPU filled the page meanwhile (then the new frame goes back): the lock is held
    /// only for lookups and inserts, never for a 4 KiB copy.
    final func findOrFill(_ map: UnsafeMutablePointer<PageMap>, _ lock: SpinLock, _ index: UInt64, write: Bool) -> FCMPage? {
        lock.lock()
        let have = map.pointee.lookup(index)
        lock.unlock()
        if have != 0 { return FCMPage(pa: have & ~0xFFF, writable: true, copied: false) }
        let parent = fr.call { $0.parent }
        var copied = false
        let pa: UInt64
        if let parent {
            // Copy-on-write: share the parent's page until a write.
            guard let p = parent.callIfAlive(method: 1, { $0.page(index, write: false) }) ?? nil else { return nil }
            if !write { return FCMPage(pa: p.pa, writable: false, copied: false) }
            guard let frame = PM.allocate() else { return nil }
            PM.kernelAddress(frame).copyMemory(from: PM.kernelAddress(p.pa), byteCount: 4096)
            pa = frame
            copied = true
        } else {
            guard let frame = PM.allocate() else { return nil }
            guard fr.call({ $0.fill(index, into: frame) }) else { PM.free(frame); return nil }
            pa = frame
        }
        lock.lock()
        let raced = map.pointee.lookup(index)
        if raced == 0 { map.pointee.insert(index, pa | 1) }
        lock.unlock()
        if raced != 0 {
            PM.free(pa)
            return FCMPage(pa: raced & ~0xFFF, writable: true, copied: false)
        }
        if copied { Counter.copyOnWrites.add() }
        return FCMPage(pa: pa, writable: true, copied: copied)
    }

    static func freeAll(_ map: inout PageMap) {
        map.forEach { _, v in PM.free(v & ~0xFFF) }
        map.release()
        map = PageMap()
    }
}

/// One rep, one lock.
final class FCMCentralizedRep: FCMRep {
    /// Lock (words 0-1) and the page list (from word 2) in one block.
    let block: UnsafeMutablePointer<UInt64>

    override init(fr: CORef<FRRep>) {
        block = UnsafeMutablePointer<UInt64>.allocate(capacity: 16)
        SpinLock.initialise(block)
        super.init(fr: fr)
        map.initialize(to: PageMap(capacity: 64))
    }
    deinit {
        FCMRep.freeAll(&map.pointee)
        map.pointee.release()
        block.deallocate()
        reclaim?.deallocate()
    }

    /// Replacement state while enrolled: 0 link, 1 region, 2 HAT, 3 region base, 4 first page,
    /// 5 node, 6 clock hand (page index), 7 evictions.
    var reclaim: UnsafeMutablePointer<UInt64>? = nil

    override func enrol(next: UInt64, region: UInt64, hat: UInt64, base: UInt64, firstPage: UInt64, node: Int) -> Bool {
        guard reclaim == nil else { return false }
        let r = UnsafeMutablePointer<UInt64>.allocate(capacity: 8)
        r[0] = next; r[1] = region; r[2] = hat; r[3] = base; r[4] = firstPage; r[5] = UInt64(node); r[6] = 0; r[7] = 0
        lock.lock()
        reclaim = r
        lock.unlock()
        return true
    }
    override func withdraw() {
        lock.lock()
        let r = reclaim
        reclaim = nil
        lock.unlock()
        r?.deallocate()
    }
    override var reclaimNode: Int? { reclaim.map { Int($0[5]) } }
    override var reclaimLink: UnsafeMutablePointer<UInt64>? { reclaim }
    override var reclaimInfo: (region: UInt64, hat: UInt64, base: UInt64, firstPage: UInt64) {
        guard let r = reclaim else { return (0, 0, 0, 0) }
        return (r[1], r[2], r[3], r[4])
    }

    override func evictNext(onNode node: Int) -> (index: UInt64, pa: UInt64)? {
        lock.lock()
        defer { lock.unlock() }
        guard let r = reclaim, map.pointee.count > 0 else { return nil }
        let hand = r[6]
        var after: UInt64 = .max, lowest: UInt64 = .max
        map.pointee.forEach { page, value in
            guard FrameAllocator.nodeOf(physical: value & ~0xFFF) == node else { return }
            if page >= hand && page < after { after = page }
            if page < lowest { lowest = page }
        }
        guard lowest != .max else { return nil }
        let index = after != .max ? after : lowest
        let pa = map.pointee.remove(index) & ~0xFFF
        r[6] = index + 1
        _ = AtomicWord(r + 7).add(1)
        return (index, pa)
    }
    override var evictionCount: UInt64 { reclaim.map { AtomicWord($0 + 7).loadSequential() } ?? 0 }
    override func residentFrame(_ index: UInt64) -> UInt64 {
        lock.lock()
        let have = map.pointee.lookup(index)
        lock.unlock()
        return have & ~0xFFF
    }

    var map: UnsafeMutablePointer<PageMap> { UnsafeMutableRawPointer(block + 2).assumingMemoryBound(to: PageMap.self) }
    var lock: SpinLock { SpinLock(block) }

    override func page(_ index: UInt64, write: Bool) -> FCMPage? {
        findOrFill(map, lock, index, write: write)
    }

    override func releasePages() {
        lock.lock()
        FCMRep.freeAll(&map.pointee)
        lock.unlock()
    }

    override var residentPages: Int { map.pointee.count }

    override func isResident(_ index: UInt64) -> Bool {
        lock.lock()
        let have = map.pointee.lookup(index)
        lock.unlock()
        return have != 0
    }
}

/// The partitions of a distributed FCM's page list, shared by its reps: per partition one
/// 128-byte line holding its ticket lock (words 0-1) and its PageMap (from word 2), so
/// partitions never share a line.
final class FCMPartitions {
    static let lineWords = 16
    let count: Int
    let base: UnsafeMutablePointer<UInt64>

    init() {
        var n = 8
        while n < BootInfo.cpuCount { n <<= 1 }
        count = n
        base = UnsafeMutablePointer<UInt64>.allocate(capacity: Self.lineWords * n)
        for i in 0 ..< n {
            SpinLock.initialise(base + Self.lineWords * i)
            Self.map(base, i).initialize(to: PageMap(capacity: 16))
        }
    }
    deinit {
        for i in 0 ..< count {
            FCMRep.freeAll(&Self.map(base, i).pointee)
            Self.map(base, i).pointee.release()
        }
        base.deallocate()
    }

    @inline(__always) static func lock(_ base: UnsafeMutablePointer<UInt64>, _ i: Int) -> SpinLock { SpinLock(base + lineWords * i) }
    @inline(__always) static func map(_ base: UnsafeMutablePointer<UInt64>, _ i: Int) -> UnsafeMutablePointer<PageMap> {
        UnsafeMutableRawPointer(base + lineWords * i + 2).assumingMemoryBound(to: PageMap.self)
    }
    @inline(__always) static func partition(_ index: UInt64, _ count: Int) -> Int {
        Int(truncatingIfNeeded: ((index >> 4) &* 0x9E37_79B9_7F4A_7C15) >> 40) & (count - 1)
    }
}

final class FCMDistributedRep: FCMRep {
    /// Keeps the partitions alive; the fault path uses `base` and `count` only, so it never
    /// touches the shared object's reference count.
    let parts: FCMPartitions
    let base: UnsafeMutablePointer<UInt64>
    let count: Int
    /// This CPU's cache of pages it looked up (index -> frame | 1); only this CPU touches it.
    var cache = PageMap(capacity: 16)

    init(fr: CORef<FRRep>, parts: FCMPartitions) {
        self.parts = parts
        base = parts.base
        count = parts.count
        super.init(fr: fr)
    }
    deinit { cache.release() }

    override func page(_ index: UInt64, write: Bool) -> FCMPage? {
        let token = Arch.disableInterrupts()
        let cached = cache.lookup(index)
        Arch.restoreInterrupts(token)
        if cached != 0 { return FCMPage(pa: cached & ~0xFFF, writable: true, copied: false) }
        let p = FCMPartitions.partition(index, count)
        let r = findOrFill(FCMPartitions.map(base, p), FCMPartitions.lock(base, p), index, write: write)
        if let r, r.writable {
            let t = Arch.disableInterrupts()
            cache.insert(index, r.pa | 1)
            Arch.restoreInterrupts(t)
        }
        return r
    }

    override func releasePages() {
        for i in 0 ..< count {
            let lock = FCMPartitions.lock(base, i)
            lock.lock()
            FCMRep.freeAll(&FCMPartitions.map(base, i).pointee)
            lock.unlock()
        }
    }

    override var residentPages: Int {
        var n = 0
        for i in 0 ..< count { n += FCMPartitions.map(base, i).pointee.count }
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
