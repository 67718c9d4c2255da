// MIPS64SystemCPU+Cache: the `cache` instruction (MIPS64 PRA, CACHE) mapped onto the memory
// hierarchy's maintenance operations in timing mode. op = rt: bits 1..0 the cache (0 L1I,
// 1 L1D, 2 tertiary, 3 secondary), bits 4..2 the operation.
//   L1D / secondary / tertiary: Hit_Invalidate (4) -> invalidate, Hit_Writeback_Inv (5) -> flush,
//     Hit_Writeback (6) -> clean, Index_Writeback_Inv (0) -> flush of the line at the address
//   L1I: Hit_Invalidate (4) and Index_Invalidate (0) -> invalidateInstruction, Fill (5) -> fetch
//   everything else (Index_Load_Tag, Index_Store_Tag, Fetch_and_Lock, ...): no operation.
// Index operations act on the line at the given address: the model has no index -> line map
// (a kernel that sweeps kseg0 addresses over the cache size writes back exactly the lines it
// names, not every line of a set). Functional mode (no hierarchy): no operation, as before.
// The address is translated as a load; a cache op on an address that does not translate or is
// device space does nothing (the real CPU could take a TLB exception — not modelled).

extension MIPS64SystemCPU {
    func cacheOperation(_ o: MIPS64Op) {
        guard let t = core.timing else { return }
        let va = core.gpr[Int(o.rs)] &+ UInt64(bitPattern: Int64(o.imm))
        guard case .success(let tr) = core.mmu.translator.translate(va, access: .read), tr.frame >= 0 else { return }
        let pa = tr.physicalPage | (va & guestPageMask)
        let which = o.rt & 3, operation = (o.rt >> 2) & 7
        let h = t.hierarchy
        let now = core.ctl[MIPS64Ctl.cycles]
        var latency: UInt32 = 0
        if which == 0 {
            switch operation {
            case 0, 4: latency = h.maintain(cpu: index, pa: pa, .invalidateInstruction, now: now)
            case 5: latency = h.access(cpu: index, pa: pa, size: 4, kind: .fetch, now: now)
            default: break
            }
        } else {
            switch operation {
            case 4: latency = h.maintain(cpu: index, pa: pa, .invalidate, now: now)
            case 0, 5: latency = h.maintain(cpu: index, pa: pa, .flush, now: now)
            case 6: latency = h.maintain(cpu: index, pa: pa, .clean, now: now)
            default: break
            }
        }
        core.ctl[MIPS64Ctl.cycles] &+= UInt64(latency)
    }
}
