// PPC64SystemExecute: interpreter pieces used only in full-system mode (PPC64SystemMode), kept
// out of line so the SE-mode hot loop is unchanged: stbcx./sthcx./stwcx./stdcx. through the
// machine's ReservationMonitor (a larx reservation is a 64-byte granule, broken by other CPUs'
// stores to it), with the store's own storage interrupts. Sets CR0 = 00 || success || XER[SO].

extension PPC64CPU {
    @inline(never)
    static func storeConditionalSystem<E: PPC64ByteOrder>(_ e: E.Type, _ r: UnsafeMutablePointer<UInt64>, _ mmu: SoftMMU,
                                                          _ ea: UInt64, _ size: UInt64, _ v: UInt64,
                                                          _ fault: UnsafeMutablePointer<MemoryFault>, _ tm: PPC64Timing?,
                                                          _ cyc: UnsafeMutablePointer<UInt64>) -> UInt8 {
        let linked = r[PPC64Reg.resValid] != 0
        r[PPC64Reg.resValid] = 0
        var stored = false
        var res = PPC64StoreResult.ok
        switch mmu.storeConditional(ea, size: Int(size), linked: linked) {
        case .fault(let f):
            fault.pointee = f
            return PPC64StoreResult.fault
        case .failed:
            break
        case .store(let p, let pa):
            // Timing mode: the successful store is charged as an atomic access.
            if let tm { PPC64TimedMem.chargeStoreConditional(pa, Int(size), tm, cyc) }
            switch size {
            case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
            case 2: E.store16(p, v)
            case 4: E.store32(p, v)
            default: E.store64(p, v)
            }
            stored = true
            if mmu.storeNeedsCompletion {
                mmu.completeStore()
                res = PPC64StoreResult.codeModified
            }
        }
        r[PPC64Reg.cr] = (r[PPC64Reg.cr] & 0x0FFF_FFFF) | (((stored ? 2 : 0) | r[PPC64Reg.so]) << 28)
        return res
    }
}
