// PPC64MachineState: what the PPC64 CPUs of one machine share (kept in MachineShared.isaState;
// the first CPU built creates it): the decoded-code cache, and every CPU's translation caches
// (its soft TLBs and code TLBs), which tlbie reaches. tlbie is broadcast (Power ISA 2.07 Book
// III-S ch. 5, tlbie: the TLB entries translating the page are invalidated on all processors,
// which the issuing CPU's tlbsync; ptesync waits for), so a second CPU that already used a PTE
// sees the removed or changed entry. tlbiel stays local (PPC64SystemCPU+Privileged). Here the
// invalidation is immediate (the other CPUs are not running while a CPU executes tlbie), so
// tlbsync and ptesync have nothing left to wait for.
//
// Which entries: for a 4 KiB page, RB[0:51] is VA[14:65], so RB >> 12 is the virtual page
// number modulo 2^52. EA and VA share the segment offset (EA[36:63] for 256 MiB segments,
// EA[24:63] for 1 TiB ones), so every soft-TLB entry that can hold a translation of that page,
// in any CPU and any translation context, is the one in slot (RB >> 12) mod the soft-TLB size
// (code TLBs: mod the code-TLB size). tlbie drops those slots whatever they hold (cheap: a few
// entries per CPU; a page that only shares the slot is merely re-translated). A large page
// (RB[63] = L = 1, 16 MiB) or a non-zero AP field (RB[56:58]) covers many slots: tlbie then
// drops every soft-TLB and code-TLB entry of every CPU.

public final class PPC64MachineState {
    public let codeCache: DecodedPageCache<PPC64Op>
    /// Each CPU's soft TLBs and core (never the CPU itself: no reference cycle).
    private var members: [(mmus: [SoftMMU], core: PPC64CPU)] = []
    /// tlbie instructions executed on the machine (any CPU).
    public private(set) var broadcastInvalidations: UInt64 = 0

    public init(codeCache: DecodedPageCache<PPC64Op>) {
        self.codeCache = codeCache
    }

    /// The state of the machine `ctx` belongs to, created (with its code cache, listening to
    /// RAM writes) by the first CPU.
    static func of(_ ctx: MachineCPUContext) -> PPC64MachineState {
        if let s = ctx.shared.isaState as? PPC64MachineState { return s }
        let cache = DecodedPageCache<PPC64Op>()
        ctx.ram.addListener(cache)
        let s = PPC64MachineState(codeCache: cache)
        ctx.shared.isaState = s
        return s
    }

    /// Adds a CPU's translation caches to the broadcast.
    func join(mmus: [SoftMMU], core: PPC64CPU) {
        members.append((mmus, core))
    }

    /// tlbie RB: invalidates the translations of the page RB names on every CPU.
    func invalidate(rb: UInt64) {
        broadcastInvalidations &+= 1
        let everything = rb & 1 != 0 || (rb >> 5) & 7 != 0
        for m in members {
            if everything {
                for s in m.mmus { s.flushAll() }
                m.core.flushCodeTLB()
            } else {
                for s in m.mmus { s.flushSlot(of: rb) }
                m.core.flushCodeTLBSlot(of: rb)
            }
        }
    }
}
