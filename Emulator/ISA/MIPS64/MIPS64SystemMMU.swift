// MIPS64SystemMMU: the architectural address translator of a full-system MIPS64 CPU for one
// privilege mode (a CPU has three, each behind its own SoftMMU, so kernel and user soft-TLB
// entries are never shared). Segments follow MIPS64 PRA ch. 4 (64-bit address spaces) with
// SEGBITS = PABITS = 40, as QEMU's get_physical_address does:
//   xuseg 0 .. 2^40-1 (mapped; with UX = 0 only 0 .. 2^31-1; with ERL = 1 the low 2^31 bytes are
//   unmapped), xsseg 0x4000_0000_0000_0000 + 2^40 (supervisor/kernel, SX = 1, mapped),
//   xkphys 0x8000.. .. 0xBFFF.. (kernel, KX = 1, unmapped; bits 61..59 = cache attribute,
//   bits 58..40 must be 0), xkseg 0xC000_0000_0000_0000 .. 0xC000_00FF_7FFF_FFFF (kernel, KX = 1,
//   mapped), ckseg0 0xFFFF_FFFF_8000_0000 and ckseg1 0xFFFF_FFFF_A000_0000 (kernel, unmapped,
//   512 MiB each), cksseg 0xFFFF_FFFF_C000_0000 (supervisor/kernel, mapped), ckseg3
//   0xFFFF_FFFF_E000_0000 (kernel, mapped). Anything else is an address error.
// Mapped addresses go through the joint TLB (refill / invalid / modified exceptions); physical
// addresses are classified by the machine's PhysicalAddressMap: RAM frame, device page, or
// nothing, which raises a bus error (IBE for fetches, DBE for data; BadVAddr unchanged).
// Failures return a MemoryFault that carries the exact exception (ExcCode, MIPS64FaultFlags).

public final class MIPS64SystemMMU: AddressTranslator {
    /// 0 kernel, 1 supervisor, 2 user.
    public let mode: Int
    unowned let cp0: MIPS64CP0
    let map: PhysicalAddressMap
    static let paMask: UInt64 = (1 << 40) - 1

    init(mode: Int, cp0: MIPS64CP0, map: PhysicalAddressMap) {
        self.mode = mode; self.cp0 = cp0; self.map = map
    }

    public func translate(_ va: UInt64, access: MemoryAccess) -> Result<Translation, MemoryFault> {
        let st = cp0.status
        let kernel = mode == 0, supervisorOrKernel = mode <= 1
        let ux = st & MIPS64Status.ux != 0, sx = st & MIPS64Status.sx != 0, kx = st & MIPS64Status.kx != 0
        switch va {
        case 0 ... 0x7FFF_FFFF:
            if kernel && st & MIPS64Status.erl != 0 { return physical(va, va, access, dirty: true) }
            return mapped(va, access)
        case 0x8000_0000 ..< 0x4000_0000_0000_0000:
            return ux && va <= 0xFF_FFFF_FFFF ? mapped(va, access) : addressError(va, access)
        case 0x4000_0000_0000_0000 ..< 0x8000_0000_0000_0000:
            return supervisorOrKernel && sx && va <= 0x4000_00FF_FFFF_FFFF ? mapped(va, access) : addressError(va, access)
        case 0x8000_0000_0000_0000 ..< 0xC000_0000_0000_0000:
            guard kernel && kx && va & 0x07FF_FFFF_FFFF_FFFF <= Self.paMask else { return addressError(va, access) }
            return physical(va, va & Self.paMask, access, dirty: true)
        case 0xC000_0000_0000_0000 ..< 0xFFFF_FFFF_8000_0000:
            return kernel && kx && va <= 0xC000_00FF_7FFF_FFFF ? mapped(va, access) : addressError(va, access)
        case 0xFFFF_FFFF_8000_0000 ..< 0xFFFF_FFFF_A000_0000:
            return kernel ? physical(va, va &- 0xFFFF_FFFF_8000_0000, access, dirty: true) : addressError(va, access)
        case 0xFFFF_FFFF_A000_0000 ..< 0xFFFF_FFFF_C000_0000:
            return kernel ? physical(va, va &- 0xFFFF_FFFF_A000_0000, access, dirty: true) : addressError(va, access)
        case 0xFFFF_FFFF_C000_0000 ..< 0xFFFF_FFFF_E000_0000:
            return supervisorOrKernel ? mapped(va, access) : addressError(va, access)
        default:
            return kernel ? mapped(va, access) : addressError(va, access)
        }
    }

    private func fail(_ va: UInt64, _ access: MemoryAccess, code: UInt64, kind: MemoryFaultKind,
                      refill: Bool = false, tlb: Bool = false, setsBadVAddr: Bool = true) -> Result<Translation, MemoryFault> {
        let flags = (refill ? MIPS64FaultFlags.refill : 0) | (tlb ? MIPS64FaultFlags.tlb : 0)
            | (setsBadVAddr ? MIPS64FaultFlags.setsBadVAddr : 0)
        return .failure(MemoryFault(address: va, kind: kind, access: access, code: code, flags: flags))
    }

    private func addressError(_ va: UInt64, _ access: MemoryAccess) -> Result<Translation, MemoryFault> {
        fail(va, access, code: access == .write ? MIPS64ExcCode.ades : MIPS64ExcCode.adel, kind: .protection)
    }

    private func mapped(_ va: UInt64, _ access: MemoryAccess) -> Result<Translation, MemoryFault> {
        let tlbCode = access == .write ? MIPS64ExcCode.tlbs : MIPS64ExcCode.tlbl
        guard let i = cp0.tlb.lookup(va, asid: cp0.asid) else {
            return fail(va, access, code: tlbCode, kind: .unmapped, refill: true, tlb: true)
        }
        let e = cp0.tlb[i]
        let bytes = e.pageBytes
        let lo = va & bytes != 0 ? e.lo1 : e.lo0
        if lo & 2 == 0 { return fail(va, access, code: tlbCode, kind: .unmapped, tlb: true) }
        let dirty = lo & 4 != 0
        if access == .write && !dirty { return fail(va, access, code: MIPS64ExcCode.mod, kind: .protection, tlb: true) }
        let pfn = (lo >> 6) & 0x0FFF_FFFF
        let pa = ((pfn << 12) & ~(bytes &- 1)) | (va & (bytes &- 1))
        return physical(va, pa, access, dirty: dirty)
    }

    private func physical(_ va: UInt64, _ pa: UInt64, _ access: MemoryAccess, dirty: Bool) -> Result<Translation, MemoryFault> {
        let busError = access == .execute ? MIPS64ExcCode.ibe : MIPS64ExcCode.dbe
        guard let t = map.classify(pa) else {
            return fail(va, access, code: busError, kind: .unmapped, setsBadVAddr: false)
        }
        if t.frame < 0 {
            // Device space: data accesses only (fetching instructions from a device is a bus error).
            if access == .execute { return fail(va, access, code: busError, kind: .unmapped, setsBadVAddr: false) }
            return .success(.device(t.physicalPage, permissions: dirty ? [.read, .write] : [.read]))
        }
        return .success(Translation(frame: t.frame, permissions: dirty ? .all : [.read, .execute], physicalPage: t.physicalPage))
    }
}
