// HAT: a process's hardware address translation object (K42's HAT), a clustered object with a
// rep per CPU. Each rep is that CPU's view of the process's pages: a PageMap from user page to
// entry (physical frame | writable | executable) for every page this CPU has a translation
// for, and the port's hardware side behind it (Arch.hatEnter/hatRemove: MIPS writes its TLB
// pair from the map — the map is its refill data; PPC enters a hashed-page-table entry under this
// CPU's own VSID of the segment). Only its own CPU touches a rep, with interrupts off, so there
// is no lock. Unmapping a range shoots down exactly the CPUs in the set the caller (the Region)
// recorded as having mapped it: the local CPU directly, the others by cross-CPU calls run in
// parallel; every CPU counts the shootdowns it served (Counter.shootdowns) and the pages it
// dropped (Counter.pagesUnmapped).

enum HATEntry {
    static let writable: UInt64 = 1
    static let executable: UInt64 = 2
    static let frameMask: UInt64 = ~0xFFF
    @inline(__always) static func make(_ pa: UInt64, writable: Bool, executable: Bool) -> UInt64 {
        pa | (writable ? Self.writable : 0) | (executable ? Self.executable : 0) | 0x10
    }
    @inline(__always) static func allows(_ e: UInt64, _ access: Access) -> Bool {
        switch access {
        case .read: return true
        case .write: return e & writable != 0
        case .execute: return e & executable != 0
        }
    }
}

final class HATRep {
    let tag: UInt64
    var pages: PageMap

    init(tag: UInt64) {
        self.tag = tag
        pages = PageMap(capacity: 64)
    }
    deinit { pages.release() }

    /// This CPU's entry for the page holding `va`, or 0.
    @inline(__always) func lookup(_ va: UInt64) -> UInt64 { pages.lookup(va >> 12) }

    /// Enters (or replaces) this CPU's translation of the page at `va`.
    func map(_ va: UInt64, _ entry: UInt64) {
        let token = Arch.disableInterrupts()
        pages.insert(va >> 12, entry)
        Arch.hatEnter(self, va: va & ~0xFFF, entry: entry)
        Counter.pagesMapped.add()
        Arch.restoreInterrupts(token)
    }

    /// Re-enters a translation this CPU already has (MIPS TLB refill, PPC evicted PTE).
    func refill(_ va: UInt64, _ entry: UInt64) {
        let token = Arch.disableInterrupts()
        Arch.hatEnter(self, va: va & ~0xFFF, entry: entry)
        Arch.restoreInterrupts(token)
    }

    /// Drops this CPU's translations of [lo, hi); returns how many there were.
    func unmap(_ lo: UInt64, _ hi: UInt64) -> Int {
        let token = Arch.disableInterrupts()
        var dropped = 0
        let first = lo >> 12, end = (hi + 0xFFF) >> 12
        if end - first <= UInt64(2 * pages.count + 16) {
            var p = first
            while p < end {
                if pages.remove(p) != 0 { Arch.hatRemove(self, va: p << 12); dropped += 1 }
                p += 1
            }
        } else {
            // A large range over a small map: collect the members first.
            let found = UnsafeMutablePointer<UInt64>.allocate(capacity: max(pages.count, 1))
            var n = 0
            pages.forEach { page, _ in if page >= first && page < end { found[n] = page; n += 1 } }
            for i in 0 ..< n {
                pages.remove(found[i])
                Arch.hatRemove(self, va: found[i] << 12)
            }
            found.deallocate()
            dropped = n
        }
        Counter.pagesUnmapped.add(UInt64(dropped))
        Arch.restoreInterrupts(token)
        return dropped
    }
}

enum HAT {
    static func create(tag: UInt64) -> CORef<HATRep>? {
        COS.create(RepRoot<HATRep>.perCPU { _ in HATRep(tag: tag) })
    }

    /// Removes the translations of [lo, hi) on every CPU in `cpus` (and only there), in
    /// parallel; returns when all are gone. Returns the number of CPUs shot down.
    static func shootDown(_ hat: CORef<HATRep>, _ cpus: CPUSet, _ lo: UInt64, _ hi: UInt64) -> Int {
        let me = PCA.cpu
        var remote = 0
        for c in 0 ..< BootInfo.cpuCount where c != me && cpus.contains(c) { remote += 1 }
        let group = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        let wg = WaitGroup(group, count: remote)
        let address = UInt(bitPattern: group)
        for c in 0 ..< BootInfo.cpuCount where c != me && cpus.contains(c) {
            CrossCall.post(c) {
                Generation.request { _ = hat.call { $0.unmap(lo, hi) } }
                Counter.shootdowns.add()
                WaitGroup(existing: UnsafeMutablePointer<UInt64>(bitPattern: address)!).done()
                return 0
            }
        }
        var served = remote
        if cpus.contains(me) {
            _ = hat.call { $0.unmap(lo, hi) }
            Counter.shootdowns.add()
            served += 1
        }
        if remote > 0 { wg.wait() }
        group.deallocate()
        return served
    }
}
