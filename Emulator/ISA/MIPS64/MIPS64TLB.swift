// MIPS64TLB: the software-managed joint TLB of an R4000-family MIPS64r2 CPU (MIPS64 PRA, ch. 4
// "Virtual Memory" and 9.x EntryHi/EntryLo/PageMask). Each entry maps a pair of pages (even/odd)
// of 4 KiB ... 16 MiB (PageMask bits 24..13), tagged by R (bits 63..62) + VPN2 (bits 39..13,
// SEGBITS = 40) and an 8-bit ASID unless global. EntryLo: PFN bits 33..6 (PABITS = 40),
// C bits 5..3 (cache attribute: stored, no effect until the cache model), D bit 2, V bit 1, G bit 0.
// Used only on soft-TLB misses, so a plain array and a linear search are fine.

public struct MIPS64TLBEntry: Sendable, Equatable {
    /// PageMask (bits 24..13).
    public var mask: UInt64 = 0
    /// EntryHi: R | VPN2 (bits not covered by the mask) | ASID.
    public var hi: UInt64 = 0
    /// EntryLo0/1 without the G bit.
    public var lo0: UInt64 = 0
    public var lo1: UInt64 = 0
    public var global = false

    /// Bytes of one page (half of the pair).
    public var pageBytes: UInt64 { ((mask | 0x1FFF) &+ 1) >> 1 }
    /// Lowest virtual address (in the R/VPN2 form) of the pair.
    public var base: UInt64 { hi & MIPS64TLB.vpn2Mask & ~mask }
}

public final class MIPS64TLB {
    /// R (63..62) and VPN2 (39..13) bits of a virtual address / EntryHi.
    public static let vpn2Mask: UInt64 = 0xC000_00FF_FFFF_E000
    /// Writable EntryHi bits (R, VPN2, ASID).
    public static let entryHiMask: UInt64 = 0xC000_00FF_FFFF_E0FF
    /// Writable EntryLo bits (PFN for 40-bit physical addresses, C, D, V, G).
    public static let entryLoMask: UInt64 = 0x3_FFFF_FFFF
    /// Supported PageMask bits (4 KiB ... 16 MiB pages).
    public static let pageMaskMask: UInt64 = 0x1FF_E000

    public private(set) var entries: [MIPS64TLBEntry]
    public var size: Int { entries.count }

    /// Reset state: every entry invalid and tagged with a distinct ckseg0 address (unmapped, so
    /// it never matches a lookup), as kernels do when they flush the TLB.
    public init(size: Int) {
        let n = min(max(size, 1), 256)
        entries = (0 ..< n).map { i in
            MIPS64TLBEntry(hi: (0xFFFF_FFFF_8000_0000 &+ UInt64(i) << 13) & Self.entryHiMask)
        }
    }

    /// Index of the entry matching `va` (R/VPN2 form) for `asid`, or nil.
    public func lookup(_ va: UInt64, asid: UInt64) -> Int? {
        for i in 0 ..< entries.count {
            let e = entries[i]
            if (va ^ e.hi) & Self.vpn2Mask & ~e.mask == 0 && (e.global || e.hi & 0xFF == asid & 0xFF) { return i }
        }
        return nil
    }

    public subscript(i: Int) -> MIPS64TLBEntry {
        get { entries[i] }
        set { entries[i] = newValue }
    }
}
