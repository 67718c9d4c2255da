// LocalTable: the clustered-object local translation table — per CPU, at the same virtual
// address on every CPU (Arch.localTableBase, a processor-specific range), one 8-byte entry per
// object reference: the address of the representative that serves this CPU, or 0 (empty:
// the next call takes the miss path). A reference IS the address of its entry, so a call is
// two dependent loads: entry -> rep -> method. 256 CPUs x 8192 references = 16 MiB of virtual
// range per CPU; its pages are allocated on first touch, from the touching CPU's own node, and
// zeroed (all entries empty) — the kernel-mode translation miss lands in `fault`.

enum LocalTable {
    static let refsPerCPU = 8192
    static let maxCPUs = 256
    static let bytes: UInt = UInt(maxCPUs * refsPerCPU * 8)
    static let pages = Int(bytes >> 12)

    @inline(__always) static func entry(_ index: Int) -> UnsafeMutablePointer<UInt> {
        UnsafeMutablePointer<UInt>(bitPattern: Arch.localTableBase &+ UInt(index) &* 8)!
    }

    @inline(__always) static func contains(_ va: UInt64) -> Bool {
        va >= UInt64(Arch.localTableBase) && va < UInt64(Arch.localTableBase + bytes)
    }

    /// Physical address + 1 of page `page` of this CPU's table (0: not paged in).
    @inline(__always) static func pageRecord(_ page: Int) -> UnsafeMutablePointer<UInt64> {
        PCA.local.word(CPUArea.localTablePages + 8 * page)
    }

    /// A kernel-mode miss inside the table: pages it in (or re-enters a page the MMU dropped).
    /// Runs in the trap handler; takes frames straight from the node allocator.
    static func fault(_ address: UInt64) {
        let page = Int((address - UInt64(Arch.localTableBase)) >> 12)
        let record = pageRecord(page)
        if record.pointee == 0 {
            guard let pa = FrameAllocator.allocateRaw(order: 0, preferred: PCA.node) else { Panic.panic("out of memory for the local translation table") }
            _ = memset(UnsafeMutableRawPointer(bitPattern: Arch.kernelBase + UInt(pa))!, 0, 4096)
            record.pointee = pa + 1
            Counter.localTablePages.add()
        }
        Arch.mapLocalTablePage(page, physical: record.pointee - 1)
    }

    /// Pages in the page holding `index` now (the well-known references, at CPU bring-up).
    static func touch(_ index: Int) {
        let page = (index * 8) >> 12
        if pageRecord(page).pointee == 0 { fault(UInt64(Arch.localTableBase) + UInt64(page) << 12) }
    }
}
