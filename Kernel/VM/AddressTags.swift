// AddressTags: the address-space tags of live processes (MIPS ASIDs, the PPC VSID group of a
// process), 1...255, in a 256-bit atomic bitmap (KernelWords.addressTags; tag 0 is the
// kernel's), and the process-ID counter. Touched only when a process is created or destroyed,
// never on a fault. A tag is freed only after every translation made under it was removed
// (Process.destroy unmaps every region first), so its next owner inherits no stale TLB entry.

enum AddressTags {
    static func allocate() -> UInt64? {
        let bits = KernelWords.addressTags
        for w in 0 ..< 4 {
            let word = AtomicWord(bits + w)
            while true {
                let v = word.load()
                let free = ~v & (w == 0 ? ~UInt64(1) : ~0)
                if free == 0 { break }
                let bit = UInt64(free.trailingZeroBitCount)
                if word.compareExchange(expected: v, desired: v | 1 << bit) { return UInt64(w * 64) + bit }
            }
        }
        return nil
    }

    static func free(_ tag: UInt64) {
        AtomicWord(KernelWords.addressTags + Int(tag / 64)).and(~(UInt64(1) << (tag % 64)))
    }

    static func nextProcessID() -> UInt64 { AtomicWord(KernelWords.addressTags + 4).add(1) + 1 }
}
