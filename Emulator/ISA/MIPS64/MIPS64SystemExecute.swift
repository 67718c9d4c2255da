// MIPS64SystemExecute: interpreter pieces used only in full-system mode (MIPS64SystemMode), kept
// out of line so the SE-mode hot loop is unchanged: SC/SCD through the machine's reservation
// monitor (an LL reservation is broken by other CPUs' stores to its granule, see
// ReservationMonitor), with the store's own TLB/address exceptions.

extension MIPS64Interpreter {
    @inline(never)
    static func storeConditionalSystem(_ c: MIPS64Context, _ o: Op) -> MIPS64Exit {
        let va = c.r[Int(o.rs)] &+ UInt64(bitPattern: Int64(o.imm))
        let v = c.r[Int(o.rt)]
        let size = o.kind == .sc ? 4 : 8
        let linked = c.ctl[MIPS64Ctl.llValid] != 0
        c.ctl[MIPS64Ctl.llValid] = 0
        switch c.mmu.storeConditional(va, size: size, linked: linked) {
        case .fault(let f):
            MIPS64Ctl.store(f, c.ctl)
            return .memoryFault
        case .failed:
            c.r[Int(o.rd)] = 0
            return .none
        case .store(let p, let pa):
            if M.isTimed { chargeSlow(c, AccessPlace(physical: pa, device: false), size, .atomic) }
            if size == 4 { E.store32(p, UInt32(truncatingIfNeeded: v)) } else { E.store64(p, v) }
            c.r[Int(o.rd)] = 1
            if c.mmu.storeNeedsCompletion {
                c.mmu.completeStore()
                return .resync
            }
            return .none
        }
    }
}
