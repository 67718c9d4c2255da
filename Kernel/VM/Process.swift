// Process: a user process's memory-management side (K42's Process object): its regions, its
// HAT and its address-space tag (MIPS ASID / PPC VSID group, 1...255, unique while it lives).
// The region list is a clustered object in two variants of one interface:
//  - shared (ProcessShared): one rep, the list under one lock — every fault of every CPU
//    takes it;
//  - replicated (ProcessReplicated): a rep per CPU with its own copy of the list, brought up to
//    date from the master list when the master's version changed (the version is read on each
//    lookup: a shared, read-mostly line), so lookups on different CPUs share nothing written.
// `Process` (the class) is the handle the kernel keeps: it creates and destroys regions, runs
// the fault path's first steps (VM/PageFault.swift) and releases everything on destroy.

/// A sorted list of regions: (base, end, region reference) triples.
struct RegionList {
    var bases: [UInt64] = []
    var ends: [UInt64] = []
    var refs: [Int] = []

    func find(_ va: UInt64) -> Int? {
        for i in 0 ..< bases.count where va >= bases[i] && va < ends[i] { return refs[i] }
        return nil
    }
    func overlaps(_ base: UInt64, _ end: UInt64) -> Bool {
        for i in 0 ..< bases.count where base < ends[i] && bases[i] < end { return true }
        return false
    }
    mutating func add(_ base: UInt64, _ end: UInt64, _ ref: Int) {
        var i = 0
        while i < bases.count && bases[i] < base { i += 1 }
        bases.insert(base, at: i)
        ends.insert(end, at: i)
        refs.insert(ref, at: i)
    }
    mutating func remove(base: UInt64) -> Int? {
        for i in 0 ..< bases.count where bases[i] == base {
            bases.remove(at: i)
            ends.remove(at: i)
            return refs.remove(at: i)
        }
        return nil
    }
}

class ProcessRep {
    func region(containing va: UInt64) -> CORef<RegionRep>? { nil }
}

/// The master list of a process: what attach/detach change, under its lock, with a version.
final class RegionMaster {
    let words: UnsafeMutablePointer<UInt64>             // lock (2), version
    var list = RegionList()
    init() {
        words = UnsafeMutablePointer<UInt64>.allocate(capacity: 16)
        SpinLock.initialise(words)
        words[2] = 0
    }
    deinit { words.deallocate() }
    var lock: SpinLock { SpinLock(words) }
    var version: UInt64 { AtomicWord(words + 2).load() }
    func bump() { AtomicWord(words + 2).store(words[2] &+ 1) }
}

final class ProcessSharedRep: ProcessRep {
    let master: RegionMaster
    init(master: RegionMaster) { self.master = master }
    override func region(containing va: UInt64) -> CORef<RegionRep>? {
        let lock = master.lock
        lock.lock()
        let r = master.list.find(va)
        lock.unlock()
        return r.map { CORef(index: $0) }
    }
}

final class ProcessReplicatedRep: ProcessRep {
    let master: RegionMaster
    var list = RegionList()
    var version = UInt64.max

    init(master: RegionMaster) { self.master = master }

    override func region(containing va: UInt64) -> CORef<RegionRep>? {
        // Only this CPU uses this rep; the fault path runs with interrupts off.
        if version != master.version {
            let lock = master.lock
            lock.lock()
            list = master.list
            version = master.version
            lock.unlock()
        }
        return list.find(va).map { CORef(index: $0) }
    }
}

/// The parts of a process the trap path uses, by value (no reference counting on a fault).
struct ProcessContext {
    var id: UInt64
    var tag: UInt64
    var hat: CORef<HATRep>
    var regions: CORef<ProcessRep>

    /// This process starts running on this CPU.
    func activate() {
        PCA.local.word(CPUArea.userSpace).pointee = id
        Arch.hatActivate(tag: tag)
    }
    func region(containing va: UInt64) -> CORef<RegionRep>? { regions.call { $0.region(containing: va) } }
}

final class Process {
    enum Variant { case shared, replicated }
    enum MapError: UInt64 { case invalid = 22, overlap = 17, noMemory = 12 }

    let id: UInt64
    let tag: UInt64
    let hat: CORef<HATRep>
    let object: CORef<ProcessRep>
    let master: RegionMaster
    let variant: Variant

    private init(id: UInt64, tag: UInt64, hat: CORef<HATRep>, object: CORef<ProcessRep>, master: RegionMaster, variant: Variant) {
        self.id = id
        self.tag = tag
        self.hat = hat
        self.object = object
        self.master = master
        self.variant = variant
    }

    /// A new process without regions; nil when no address-space tag or reference is free.
    /// With `tag`, the process takes that already allocated tag (freed if creation fails).
    static func create(_ variant: Variant = .shared, tag reserved: UInt64? = nil) -> Process? {
        guard let tag = reserved ?? AddressTags.allocate() else { return nil }
        guard let hat = HAT.create(tag: tag) else { AddressTags.free(tag); return nil }
        let master = RegionMaster()
        let root: RepRoot<ProcessRep>
        switch variant {
        case .shared: root = RepRoot<ProcessRep>.single { _ in ProcessSharedRep(master: master) }
        case .replicated: root = RepRoot<ProcessRep>.perCPU { _ in ProcessReplicatedRep(master: master) }
        }
        guard let object = COS.create(root) else {
            _ = Destruction.destroy(index: hat.index)
            AddressTags.free(tag)
            return nil
        }
        return Process(id: AddressTags.nextProcessID(), tag: tag, hat: hat, object: object, master: master, variant: variant)
    }

    /// A handle from a thread's word (Thread.userSpace).
    static func from(_ word: UInt64) -> Process {
        Unmanaged<Process>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(word))!).takeUnretainedValue()
    }
    var word: UInt64 { UInt64(UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque())) }

    var context: ProcessContext { ProcessContext(id: id, tag: tag, hat: hat, regions: object) }

    static func validRange(_ base: UInt64, _ size: UInt64) -> Bool {
        base & 0xFFF == 0 && size & 0xFFF == 0 && size > 0 && base >= Arch.userBase
            && base < Arch.userTop && size <= Arch.userTop - base
    }

    /// Attaches `region` (created by the caller) at [base, base + size).
    func attach(_ region: CORef<RegionRep>, base: UInt64, size: UInt64) -> MapError? {
        guard Self.validRange(base, size) else { return .invalid }
        let lock = master.lock
        lock.lock()
        if master.list.overlaps(base, base + size) { lock.unlock(); return .overlap }
        master.list.add(base, base + size, region.index)
        master.bump()
        lock.unlock()
        return nil
    }

    /// A region onto `fcm` at [base, base + size), attached; `fr` set when the region owns the
    /// FCM (and its FR), which then go with it — also when the attach fails.
    private func attachNew(_ fcm: CORef<FCMRep>, owning fr: CORef<FRRep>?, base: UInt64, size: UInt64,
                           writable: Bool, executable: Bool, reclaimable: Bool = false) -> MapError? {
        let region = Region.create(base: base, size: size, fcm: fcm, writable: writable,
                                   executable: executable, ownsFCM: fr != nil)
        if reclaimable, let region { region.call { $0.reclaimable = true } }
        let e = region == nil ? .noMemory : attach(region!, base: base, size: size)
        if e == nil && reclaimable, let region {
            Replacement.register(fcm, region: region, hat: hat, base: base, firstPage: 0)
        }
        if e != nil {
            if let region { _ = Destruction.destroy(index: region.index) }
            if let fr {
                _ = Destruction.destroy(index: fcm.index)
                _ = Destruction.destroy(index: fr.index)
            }
        }
        return e
    }

    /// Anonymous zero-filled memory at [base, base + size) with a centralized or distributed FCM.
    func mapAnonymous(base: UInt64, size: UInt64, writable: Bool, executable: Bool, distributed: Bool = false) -> MapError? {
        guard Self.validRange(base, size) else { return .invalid }
        guard let fr = FR.zeroFill() else { return .noMemory }
        guard let fcm = distributed ? FCM.distributed(fr) : FCM.centralized(fr) else {
            _ = Destruction.destroy(index: fr.index)
            return .noMemory
        }
        return attachNew(fcm, owning: fr, base: base, size: size, writable: writable, executable: executable)
    }

    /// A file on the block device (`sectors` from `firstSector`) at [base, base + size), its
    /// pages read from the device on first touch and cached in the region's FCM. Writable
    /// mappings are private: writes stay in memory (no write-back).
    func mapFile(firstSector: UInt64, sectors: UInt64, base: UInt64, size: UInt64, writable: Bool) -> MapError? {
        guard Self.validRange(base, size) else { return .invalid }
        guard let fr = FR.file(firstSector: firstSector, sectors: sectors) else { return .noMemory }
        guard let fcm = FCM.centralized(fr) else {
            _ = Destruction.destroy(index: fr.index)
            return .noMemory
        }
        // Read-only file pages are clean: the page manager may drop and read them again.
        return attachNew(fcm, owning: fr, base: base, size: size, writable: writable, executable: false, reclaimable: !writable)
    }

    /// A private copy-on-write view of `parent` at [base, base + size).
    func mapCopyOnWrite(of parent: CORef<FCMRep>, base: UInt64, size: UInt64, writable: Bool) -> MapError? {
        Replacement.unregister(parent)          // the child maps the parent's frames: they stay
        guard let fr = FR.copyOnWrite(of: parent) else { return .noMemory }
        guard let fcm = FCM.centralized(fr) else {
            _ = Destruction.destroy(index: fr.index)
            return .noMemory
        }
        return attachNew(fcm, owning: fr, base: base, size: size, writable: writable, executable: false)
    }

    /// The region containing `va`, if any.
    func region(containing va: UInt64) -> CORef<RegionRep>? { object.call { $0.region(containing: va) } }

    /// The kernel address of the page at `va` (filled if needed), to load code or data; with
    /// `write` false, the page as a read sees it (a copy-on-write page is not copied).
    func kernelPage(at va: UInt64, write: Bool = true) -> UnsafeMutableRawPointer? {
        guard let r = region(containing: va) else { return nil }
        let p = r.call { rep -> FCMPage? in
            rep.fcm.call { $0.page(rep.firstPage + ((va & ~0xFFF) - rep.base) >> 12, write: write) }
        }
        guard let p else { return nil }
        return PM.kernelAddress(p.pa)
    }

    /// Whether every page of [va, va + size) lies in a writable region.
    func isWritable(_ va: UInt64, _ size: UInt64) -> Bool {
        guard size > 0, va <= UInt64.max - size else { return false }
        var page = va & ~0xFFF
        while page < va + size {
            guard let r = region(containing: page), r.call({ $0.writable }) else { return false }
            page += 4096
        }
        return true
    }

    /// Copies `count` bytes of this process's memory at `va` into `buffer` through the kernel's
    /// view of its pages (never touching user addresses from kernel mode); false when part of
    /// the range is not mapped.
    func copyIn(_ va: UInt64, _ count: Int, into buffer: UnsafeMutableRawPointer) -> Bool {
        var done = 0
        while done < count {
            let (at, overflow) = va.addingReportingOverflow(UInt64(done))
            guard !overflow, let page = kernelPage(at: at, write: false) else { return false }
            let n = min(count - done, 4096 - Int(at & 0xFFF))
            (buffer + done).copyMemory(from: page + Int(at & 0xFFF), byteCount: n)
            done += n
        }
        return true
    }

    /// Unmaps the region starting at `base`: shoots down exactly the CPUs that used it, then
    /// frees its pages (if it owns its FCM). Returns the number of CPUs shot down, or nil.
    func unmap(base: UInt64) -> Int? {
        let lock = master.lock
        lock.lock()
        let index = master.list.remove(base: base)
        if index != nil { master.bump() }
        lock.unlock()
        guard let index else { return nil }
        let region = CORef<RegionRep>(index: index)
        let (cpus, lo, hi, fcm, owns) = region.call { r in (r.beginUnmap(), r.base, r.end, r.fcm, r.ownsFCM) }
        let served = HAT.shootDown(hat, cpus, lo, hi)
        if owns {
            let fr = fcm.call { $0.fr }
            Replacement.unregister(fcm)
            fcm.call { $0.releasePages() }
            _ = Destruction.destroy(index: fcm.index)
            _ = Destruction.destroy(index: fr.index)
        }
        _ = Destruction.destroy(index: region.index)
        return served
    }

    /// Unmaps every region and releases the process (no thread may run in it any more).
    func destroy() {
        while let base = master.list.bases.first { _ = unmap(base: base) }
        if PCA.local.word(CPUArea.userSpace).pointee == id { PCA.local.word(CPUArea.userSpace).pointee = 0 }
        _ = Destruction.destroy(index: object.index)
        _ = Destruction.destroy(index: hat.index)
        AddressTags.free(tag)
    }
}
