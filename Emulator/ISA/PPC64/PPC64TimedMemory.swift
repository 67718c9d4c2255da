// PPC64TimedMemory: loads, stores and cache-block operations of the PPC64TimedMode interpreter
// (full system with the timing model). The same soft-TLB fast path as PPC64Mem, plus the
// charge: on a fast-path hit the physical address is the entry's frame (frame f = physical page
// f), on the slow path the place SoftMMU returned (device space costs
// PPC64Timing.deviceLatency, no cache state). A device store is charged before the device sees
// it, so a sim-call's statistics window contains the store's own cost.
// Cache-block ops: dcbf -> flush, dcbst -> clean, icbi -> invalidateInstruction, dcbz -> zero
// (after the architectural zeroing); the address is translated as a load and an address that
// does not translate or is device space is no operation (no storage interrupt is raised for
// dcbf/dcbst/icbi — not modelled). Functional and SE modes decode these ops as no-ops.

enum PPC64TimedMem {
    /// Loads `size` bytes (zero-extended) and adds the access's latency to `cyc`; nil on a fault.
    @inline(__always)
    static func load<E: PPC64ByteOrder>(_ e: E.Type, _ tlb: UnsafeMutablePointer<SoftTLBEntry>, _ mmu: SoftMMU,
                                        _ ea: UInt64, _ size: UInt64, _ t: PPC64Timing, _ cyc: UnsafeMutablePointer<UInt64>,
                                        _ fault: UnsafeMutablePointer<MemoryFault>,
                                        _ kind: MemoryHierarchy.AccessKind = .read) -> UInt64? {
        let te = tlb + SoftMMU.index(ea)
        if _fastPath(te.pointee.readTag == ea & ~guestPageMask && ea & guestPageMask <= guestPageSize &- size) {
            let pa = UInt64(truncatingIfNeeded: te.pointee.frame) &<< guestPageShift | (ea & guestPageMask)
            cyc.pointee &+= t.data(pa, Int(size), kind, now: cyc.pointee)
            let p = UnsafeRawPointer(bitPattern: te.pointee.addend &+ UInt(truncatingIfNeeded: ea))!
            switch size {
            case 1: return UInt64(p.load(as: UInt8.self))
            case 2: return E.load16(p)
            case 4: return E.load32(p)
            default: return E.load64(p)
            }
        }
        return slowLoad(mmu, ea, Int(size), t, cyc, fault, kind)
    }

    @inline(never)
    static func slowLoad(_ mmu: SoftMMU, _ ea: UInt64, _ size: Int, _ t: PPC64Timing, _ cyc: UnsafeMutablePointer<UInt64>,
                         _ fault: UnsafeMutablePointer<MemoryFault>, _ kind: MemoryHierarchy.AccessKind) -> UInt64? {
        switch mmu.load(ea, size: size) {
        case .success(let r):
            cyc.pointee &+= t.slowAccess(r.place, size, kind, now: cyc.pointee)
            return r.value
        case .failure(let f):
            fault.pointee = f
            return nil
        }
    }

    /// Stores the low `size` bytes of `v` and adds the latency; returns a PPC64StoreResult code.
    @inline(__always)
    static func store<E: PPC64ByteOrder>(_ e: E.Type, _ tlb: UnsafeMutablePointer<SoftTLBEntry>, _ mmu: SoftMMU,
                                         _ ea: UInt64, _ size: UInt64, _ v: UInt64, _ t: PPC64Timing,
                                         _ cyc: UnsafeMutablePointer<UInt64>, _ fault: UnsafeMutablePointer<MemoryFault>) -> UInt8 {
        let te = tlb + SoftMMU.index(ea)
        if _fastPath(te.pointee.writeTag == ea & ~guestPageMask && ea & guestPageMask <= guestPageSize &- size) {
            let pa = UInt64(truncatingIfNeeded: te.pointee.frame) &<< guestPageShift | (ea & guestPageMask)
            cyc.pointee &+= t.data(pa, Int(size), .write, now: cyc.pointee)
            let p = UnsafeMutableRawPointer(bitPattern: te.pointee.addend &+ UInt(truncatingIfNeeded: ea))!
            switch size {
            case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
            case 2: E.store16(p, v)
            case 4: E.store32(p, v)
            default: E.store64(p, v)
            }
            return PPC64StoreResult.ok
        }
        return slowStore(mmu, ea, Int(size), v, t, cyc, fault)
    }

    @inline(never)
    static func slowStore(_ mmu: SoftMMU, _ ea: UInt64, _ size: Int, _ v: UInt64, _ t: PPC64Timing,
                          _ cyc: UnsafeMutablePointer<UInt64>, _ fault: UnsafeMutablePointer<MemoryFault>) -> UInt8 {
        switch mmu.store(ea, size: size, v) {
        case .failure(let f): fault.pointee = f; return PPC64StoreResult.fault
        case .success(let place): cyc.pointee &+= t.slowAccess(place, size, .write, now: cyc.pointee)
        }
        if mmu.storeNeedsCompletion {
            mmu.completeStore()
            return PPC64StoreResult.codeModified
        }
        return PPC64StoreResult.ok
    }

    /// After a successful stcx.: the store as an atomic access at `physical` (what
    /// SoftMMU.storeConditional returned).
    @inline(never)
    static func chargeStoreConditional(_ physical: UInt64, _ size: Int, _ t: PPC64Timing, _ cyc: UnsafeMutablePointer<UInt64>) {
        cyc.pointee &+= t.slowAccess(AccessPlace(physical: physical, device: false), size, .atomic, now: cyc.pointee)
    }

    /// The physical address `ea` translates to for a load in the current data context, or nil
    /// (no translation, or device space). Uses the soft TLB when it holds the page.
    static func physical(_ tlb: UnsafeMutablePointer<SoftTLBEntry>, _ mmu: SoftMMU, _ ea: UInt64) -> UInt64? {
        let te = tlb + SoftMMU.index(ea)
        if te.pointee.readTag == ea & ~guestPageMask || te.pointee.writeTag == ea & ~guestPageMask {
            return UInt64(truncatingIfNeeded: te.pointee.frame) &<< guestPageShift | (ea & guestPageMask)
        }
        guard case .ram(_, let pa) = mmu.access(ea, size: 1, access: .read, alignment: false) else { return nil }
        return pa
    }

    /// dcbst, dcbf, icbi (and dcbz after its zeroing): the maintenance operation on the line
    /// holding `ea`, its latency added to `cyc`.
    @inline(never)
    static func cacheBlock(_ kind: PPC64OpKind, _ tlb: UnsafeMutablePointer<SoftTLBEntry>, _ mmu: SoftMMU, _ ea: UInt64,
                           _ t: PPC64Timing, _ cyc: UnsafeMutablePointer<UInt64>) {
        guard let pa = physical(tlb, mmu, ea) else { return }
        let op: MemoryHierarchy.Maintenance
        switch kind {
        case .dcbst: op = .clean
        case .dcbf: op = .flush
        case .icbi: op = .invalidateInstruction
        default: op = .zero
        }
        cyc.pointee &+= UInt64(t.hierarchy.maintain(cpu: t.cpu, pa: pa, op, now: cyc.pointee))
    }
}
