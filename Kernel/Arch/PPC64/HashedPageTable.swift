// HashedPageTable (PPC64): the machine's one hashed page table (Power ISA 2.07 Book III-S 5.7.7),
// 8192 PTEGs of 8 big-endian 16-byte PTEs at __hpt (link.ld), shared by all CPUs. Entries are
// inserted into the primary group, or the secondary one when it is full, each group under its
// own lock (a table of 128 ticket locks indexed by group: never one lock for the table). PTE
// fields: dword 0 = B (62-63) | AVA (7-61) | L (2) | H (1) | V (0); dword 1 = pp0 (63) | RPN |
// R | C | WIMG | N | PP (0-1). 256 MiB segments (B = 0) map 4 KiB pages, the kernel's 1 TiB
// segment (B = 1) 16 MiB pages.

@_extern(c, "k42_hpte_write") func k42_hpte_write(_ pte: UInt, _ d0: UInt64, _ d1: UInt64)
@_extern(c, "k42_hpt_address") func k42_hpt_address() -> UInt

enum HashedPageTable {
    static let groups: UInt64 = 8192
    static let referenced: UInt64 = 0x100, changed: UInt64 = 0x80
    static let cacheInhibited: UInt64 = 0x20, guarded: UInt64 = 0x8, noExecute: UInt64 = 0x4

    struct Segment {
        var vsid: UInt64
        /// 28 (256 MiB, B = 0, 4 KiB pages) or 40 (1 TiB, B = 1, 16 MiB pages).
        var shift: UInt64
        var large: Bool { shift == 40 }
        var pageShift: UInt64 { large ? 24 : 12 }
    }

    static func hash(_ s: Segment, _ ea: UInt64) -> UInt64 {
        let offset = ea & ((1 << s.shift) - 1)
        let mask: UInt64 = (1 << 39) - 1
        let h = s.large ? s.vsid ^ (s.vsid << 25) ^ (offset >> s.pageShift) : (s.vsid & mask) ^ (offset >> s.pageShift)
        return h & mask
    }

    static func dword0(_ s: Segment, _ ea: UInt64, secondary: Bool) -> UInt64 {
        let offset = ea & ((1 << s.shift) - 1)
        let ava = ((s.vsid << (s.shift - 23)) | (offset >> 23)) & ((1 << 55) - 1)
        return (s.large ? 1 << 62 : 0) | ava << 7 | (s.large ? 4 : 0) | (secondary ? 2 : 0) | 1
    }

    @inline(__always) static func group(_ h: UInt64) -> UInt { k42_hpt_address() + UInt((h & (groups - 1)) << 7) }

    static func lock(_ h: UInt64) -> SpinLock { SpinLock(KernelWords.pageTableLocks + 2 * Int(h & 127)) }

    @inline(__always) static func load(_ a: UInt) -> UInt64 { UInt64(bigEndian: word(a).pointee) }

    /// Software bit of dword 0 (ignored by the MMU): a user entry the table may evict.
    static let evictableBit: UInt64 = 0x08
    /// dword 0 without the software bits, for comparisons.
    static let softwareBits: UInt64 = 0x78

    /// Enters a translation of `ea` (in segment `s`) to `pa` with dword-1 flags `flags`
    /// (PP, WIMG, N); R and C are preset, so the MMU never writes the PTE back. When both groups
    /// are full, an `evictable` entry replaces an evictable one of the primary group (round
    /// robin), whose translation is then invalidated on every CPU (tlbie): its owner takes a
    /// fault and re-enters it from its HAT view. Kernel entries are never evicted.
    static func insert(_ s: Segment, ea: UInt64, pa: UInt64, flags: UInt64, evictable: Bool = false) {
        let h = hash(s, ea)
        let d1 = (pa & 0x0FFF_FFFF_FFFF_F000) | referenced | changed | flags
        let soft = evictable ? evictableBit : 0
        for pass in 0 ..< 2 {                 // no array literal: this runs before the heap
            let secondary = pass == 1
            let hh = secondary ? ~h : h
            let g = group(hh)
            let l = lock(hh)
            let token = l.lockDisablingInterrupts()
            for i in 0 ..< 8 where load(g + UInt(16 * i)) & 1 == 0 {
                k42_hpte_write(g + UInt(16 * i), dword0(s, ea, secondary: secondary) | soft, d1)
                l.unlock(restoring: token)
                return
            }
            l.unlock(restoring: token)
        }
        if evictable {
            let g = group(h)
            let l = lock(h)
            let token = l.lockDisablingInterrupts()
            for k in 0 ..< 8 {
                let i = (Int(h >> 3) + k + Int(word(g).pointee & 7)) & 7     // spread victims
                let pte = g + UInt(16 * i)
                let old = load(pte)
                guard old & evictableBit != 0 else { continue }
                k42_hpte_write(pte, dword0(s, ea, secondary: false) | soft, d1)
                l.unlock(restoring: token)
                k42_tlbie(victimRB(old, group: h))
                Counter.pteEvictions.add()
                return
            }
            l.unlock(restoring: token)
        }
        Panic.panic("hashed page table: both groups full for", value: ea)
    }

    /// The tlbie operand of the 4 KiB PTE with dword 0 `d0` in primary group `h`: the VSID and
    /// page index are recovered from the AVA and the hash (offset bits 23-27 are in the AVA, the
    /// low 11 bits of the page index come from hash = VSID ^ page index).
    static func victimRB(_ d0: UInt64, group h: UInt64) -> UInt64 {
        let ava = (d0 >> 7) & ((1 << 55) - 1)
        let vsid = ava >> 5
        let pageHigh = ava & 0x1F                                  // offset bits 23..27
        let hashed = d0 & 2 != 0 ? ~h : h                          // H: it used the secondary hash
        let pageLow = (hashed ^ (vsid & ((1 << 39) - 1))) & 0x7FF  // page index bits 0..10
        let offset = (pageHigh << 23) | (pageLow << 12)
        return (vsid << 28 | offset) & ~0xFFF
    }

    /// Rewrites an existing translation of `ea` in place; false if there is none.
    static func update(_ s: Segment, ea: UInt64, pa: UInt64, flags: UInt64) -> Bool {
        guard let (pte, _) = find(s, ea: ea) else { return false }
        let l = lock(UInt64((pte - k42_hpt_address()) >> 7))
        let token = l.lockDisablingInterrupts()
        let d0 = load(pte)
        k42_hpte_write(pte, d0, (pa & 0x0FFF_FFFF_FFFF_F000) | referenced | changed | flags)
        l.unlock(restoring: token)
        return true
    }

    /// The PTE translating `ea` in `s`: its address and dword 1.
    static func find(_ s: Segment, ea: UInt64) -> (UInt, UInt64)? {
        let h = hash(s, ea)
        for pass in 0 ..< 2 {
            let secondary = pass == 1
            let g = group(secondary ? ~h : h)
            let want = dword0(s, ea, secondary: secondary)
            let avaMask: UInt64 = s.large ? ~UInt64(0x80) : ~0
            for i in 0 ..< 8 {
                let pte = g + UInt(16 * i)
                if load(pte) & avaMask & ~softwareBits == want & avaMask { return (pte, load(pte + 8)) }
            }
        }
        return nil
    }

    /// Removes the translation of `ea` in `s` (the caller invalidates cached translations).
    static func remove(_ s: Segment, ea: UInt64) {
        guard let (pte, _) = find(s, ea: ea) else { return }
        let l = lock(UInt64((pte - k42_hpt_address()) >> 7))
        let token = l.lockDisablingInterrupts()
        k42_hpte_write(pte, 0, 0)
        l.unlock(restoring: token)
    }
}
