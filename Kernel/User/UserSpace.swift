// UserSpace: a minimal user address space — a tag the MMU knows it by (MIPS ASID, PPC VSID
// group), and up to 30 mapped 4 KiB pages, each a frame from the creating CPU's node. It is
// what the protection tests and early user code run in; processes with memory objects replace
// it (K42 part 3). The MMU side is the port's (Arch.userMap / userUnmap / userRefill /
// userActivate): MIPS refills its TLB from this table on a miss, PPC enters hashed page table
// entries when a page is mapped.
// Layout (words): 0 tag, 1 page count, then per page: virtual address | flags, physical address.

struct UserSpace {
    let raw: UnsafeMutablePointer<UInt64>
    static let bytes = 512
    static let maxPages = 30
    static let writable: UInt64 = 1
    static let executable: UInt64 = 2

    init(_ address: UInt) { raw = UnsafeMutablePointer<UInt64>(bitPattern: address)! }
    var address: UInt { UInt(bitPattern: raw) }
    var tag: UInt64 { raw[0] }
    var pageCount: Int { Int(raw[1]) }
    func page(_ i: Int) -> (va: UInt64, flags: UInt64, pa: UInt64) {
        (raw[2 + 2 * i] & ~0xFFF, raw[2 + 2 * i] & 0xFFF, raw[3 + 2 * i])
    }

    /// A new, empty space with address-space tag `tag` (1...255: unique while it lives).
    static func create(tag: UInt64) -> UserSpace {
        guard let p = SmallAllocator.allocate(size: bytes, alignment: 64) else { Panic.panic("out of memory for a user space") }
        let s = UserSpace(UInt(bitPattern: p))
        for i in 0 ..< bytes / 8 { s.raw[i] = 0 }
        s.raw[0] = tag
        return s
    }

    /// Maps a fresh zeroed frame at user address `va` (page-aligned); returns its kernel address.
    func mapNewPage(at va: UInt64, flags: UInt64) -> UnsafeMutableRawPointer {
        guard pageCount < Self.maxPages, va & 0xFFF == 0, va >= Arch.userBase, va < Arch.userTop else {
            Panic.panic("bad user mapping at", value: va)
        }
        guard let pa = FrameAllocator.allocate(order: 0) else { Panic.panic("out of memory for a user page") }
        let kva = UnsafeMutableRawPointer(bitPattern: Arch.kernelBase + UInt(pa))!
        _ = memset(kva, 0, 4096)
        let i = pageCount
        raw[2 + 2 * i] = va | flags
        raw[3 + 2 * i] = pa
        raw[1] += 1
        Arch.userMap(self, va: va, physical: pa, flags: flags)
        return kva
    }

    /// The mapping of the page holding `va`, if any.
    func lookup(_ va: UInt64) -> (pa: UInt64, flags: UInt64)? {
        let pageVA = va & ~0xFFF
        for i in 0 ..< pageCount {
            let p = page(i)
            if p.va == pageVA { return (p.pa, p.flags) }
        }
        return nil
    }

    func activate() {
        PCA.local.word(CPUArea.userSpace).pointee = UInt64(address)
        Arch.userActivate(self)
    }

    /// Unmaps every page (from the MMU too), frees the frames and the space.
    func destroy() {
        for i in 0 ..< pageCount {
            let p = page(i)
            Arch.userUnmap(self, va: p.va)
            FrameAllocator.free(physical: p.pa, order: 0)
        }
        if PCA.local.word(CPUArea.userSpace).pointee == UInt64(address) {
            PCA.local.word(CPUArea.userSpace).pointee = 0
        }
        SmallAllocator.free(UnsafeMutableRawPointer(raw))
    }
}
