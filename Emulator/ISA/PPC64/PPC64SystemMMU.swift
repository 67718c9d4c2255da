// PPC64SystemMMU: the architectural address translation of a full-system PPC64 CPU (Power ISA
// 2.07 Book III-S ch. 5), one translator per translation context (problem state or privileged,
// relocation on or off), each behind its own SoftMMU so permissions never leak between them.
//  - Real mode (MSR[IR] / MSR[DR] = 0, hypervisor real mode since MSR[HV] = 1): EA bits 0:3
//    are ignored, pa = EA[4:63]; RAM, device window, or nothing (machine check).
//  - Virtual mode: SLB lookup (256 MiB segments, B = 0, and 1 TiB segments, B = 1; no match:
//    data / instruction segment interrupt), then the hashed page table at SDR1 (HTABORG,
//    HTABSIZE): primary then secondary PTEG, 8 PTEs of 16 bytes, big-endian in memory. Base
//    page sizes 4 KiB (SLB L = 0) and 16 MiB (SLB L = 1, LP = 00; PTE L = 1 and LP bits 0).
//    No PTE: DSI / ISI "no translation". Protection: key = MSR[PR] ? SLB[Kp] : SLB[Ks] with the
//    PTE's PP0 || PP (5.7.10.1); execute also needs PTE N = 0, PTE G = 0 and SLB N = 0.
//    R is set on every translation, C on stores; a page whose C is 0 is entered read-only in the
//    soft TLB so the first store comes back here to set C.
// Failures return a MemoryFault carrying the exact interrupt (`code` = PPC64FaultKind, `flags` =
// DSISR or SRR1 bits; the address is the DAR).

public struct PPC64SLBEntry: Sendable, Equatable {
    /// ESID | V (0x0800_0000), as slbmte's RB without the index bits.
    public var esid: UInt64 = 0
    /// B | VSID | Ks Kp N L C LP, as slbmte's RS.
    public var vsid: UInt64 = 0
    public var valid: Bool { esid & 0x0800_0000 != 0 }
    public var segmentSize: UInt64 { vsid >> 62 }
}

public enum PPC64FaultKind: UInt8, Sendable {
    case dataStorage, dataSegment, instructionStorage, instructionSegment, machineCheck
}


/// MMU state shared by a CPU's translators: SLB and SDR1.
public final class PPC64MMUState {
    public static let slbSize = 32
    public var slb = [PPC64SLBEntry](repeating: PPC64SLBEntry(), count: slbSize)
    public var sdr1: UInt64 = 0
    let ram: PhysicalMemory
    let map: PhysicalAddressMap
    public private(set) var pteUpdates: UInt64 = 0
    public private(set) var tableWalks: UInt64 = 0
    /// Translations that searched the hashed page table, per access kind (the statistics'
    /// itb / dtb read / dtb write misses: a soft-TLB miss with relocation on).
    public internal(set) var itbWalks: UInt64 = 0
    public internal(set) var dtbReadWalks: UInt64 = 0
    public internal(set) var dtbWriteWalks: UInt64 = 0
    /// Timing mode: the CPU's cycle counter and the cycles one walk costs (tlb.missPenalty).
    var walkCycles: UnsafeMutablePointer<UInt64>? = nil
    var walkPenalty: UInt64 = 0
    /// Tracing hw.tlb: called after each hashed-page-table search with the effective address,
    /// the access (0 fetch, 1 read, 2 write) and the result (0 found, 1 no PTE, 2 outside RAM).
    var onWalk: ((UInt64, UInt64, UInt64) -> Void)? = nil

    /// Counts (and in timing mode charges) one page-table walk for an access.
    @inline(__always) func noteWalk(_ access: MemoryAccess) {
        switch access {
        case .execute: itbWalks &+= 1
        case .read: dtbReadWalks &+= 1
        case .write: dtbWriteWalks &+= 1
        }
        if let c = walkCycles { c.pointee &+= walkPenalty }
    }

    init(ram: PhysicalMemory, map: PhysicalAddressMap) {
        self.ram = ram; self.map = map
    }

    /// The valid SLB entry translating `ea`, or nil.
    func lookup(_ ea: UInt64) -> PPC64SLBEntry? {
        for e in slb where e.valid {
            switch e.segmentSize {
            case 0: if e.esid >> 28 == ea >> 28 { return e }
            case 1: if e.esid >> 40 == ea >> 40 { return e }
            default: continue
            }
        }
        return nil
    }

    /// slbie: invalidates the entries translating the ESID in `rb`.
    func invalidate(esidOf rb: UInt64) {
        for i in 0 ..< slb.count where slb[i].valid {
            let e = slb[i]
            if (e.segmentSize == 0 && e.esid >> 28 == rb >> 28) || (e.segmentSize == 1 && e.esid >> 40 == rb >> 40) {
                slb[i].esid &= ~0x0800_0000
            }
        }
    }

    func load64BE(_ pa: UInt64) -> UInt64 {
        let p = ram.host(frame: Int(pa >> guestPageShift)) + Int(pa & guestPageMask)
        return UInt64(bigEndian: p.loadUnaligned(as: UInt64.self))
    }

    func store64BE(_ pa: UInt64, _ v: UInt64) {
        let p = ram.host(frame: Int(pa >> guestPageShift)) + Int(pa & guestPageMask)
        p.storeBytes(of: v.bigEndian, as: UInt64.self)
        pteUpdates &+= 1
    }

    /// The PTE for `ea` in segment `e`: (physical address of the PTE, dword 0, dword 1), or
    /// none, or the page table lies outside RAM.
    func search(_ ea: UInt64, _ e: PPC64SLBEntry) -> SearchResult {
        tableWalks &+= 1
        let b = e.segmentSize
        let vsid = b == 0 ? (e.vsid >> 12) & ((1 << 50) - 1) : (e.vsid >> 24) & ((1 << 38) - 1)
        let segShift: UInt64 = b == 0 ? 28 : 40
        let large = e.vsid & 0x100 != 0
        if large && (e.vsid >> 4) & 3 != 0 { return .notFound }    // only 16 MiB large pages
        let pShift: UInt64 = large ? 24 : 12
        let off = ea & ((1 << segShift) - 1)
        let hashMask: UInt64 = (1 << 39) - 1
        let hash = (b == 0 ? (vsid & hashMask) ^ (off >> pShift) : vsid ^ (vsid << 25) ^ (off >> pShift)) & hashMask
        let ava = ((vsid << (segShift - 23)) | (off >> 23)) & ((1 << 55) - 1)
        let avaMask: UInt64 = large ? ~1 : ~0
        let htabOrg = sdr1 & 0x0FFF_FFFF_FFFC_0000
        let groups: UInt64 = 1 << (11 + min(sdr1 & 0x1F, 28))
        for secondary: UInt64 in [0, 1] {
            let h = secondary == 0 ? hash : ~hash
            let pteg = htabOrg | ((h & (groups - 1)) << 7)
            guard pteg &+ 128 <= map.ramBytes else { return .outsideRAM }
            for i in 0 ..< 8 {
                let pa = pteg + UInt64(16 * i)
                let d0 = load64BE(pa)
                guard d0 & 1 != 0, (d0 >> 1) & 1 == secondary, d0 >> 62 == b, (d0 & 4 != 0) == large,
                      ((d0 >> 7) & ((1 << 55) - 1)) & avaMask == ava & avaMask else { continue }
                let d1 = load64BE(pa + 8)
                if large && (d1 >> 12) & 0xFF != 0 { continue }
                return .found(pa, d0, d1)
            }
        }
        return .notFound
    }

    enum SearchResult { case found(UInt64, UInt64, UInt64), notFound, outsideRAM }

    /// Access authority of PP0 || PP under `key` (Book III-S 5.7.10.1): (read, write). The
    /// values the ISA reserves (100, 101, 111) give no access.
    static func authority(key: Bool, pp: UInt64) -> (Bool, Bool) {
        switch (key, pp) {
        case (false, 0), (false, 1), (false, 2), (true, 2): return (true, true)
        case (false, 3), (false, 6), (true, 1), (true, 3): return (true, false)
        default: return (false, false)
        }
    }
}

public final class PPC64SystemMMU: AddressTranslator {
    public let problemState: Bool
    public let relocate: Bool
    unowned let state: PPC64MMUState

    init(problemState: Bool, relocate: Bool, state: PPC64MMUState) {
        self.problemState = problemState; self.relocate = relocate; self.state = state
    }

    public func translate(_ ea: UInt64, access: MemoryAccess) -> Result<Translation, MemoryFault> {
        relocate ? virtual(ea, access) : physical(ea, ea & 0x0FFF_FFFF_FFFF_FFFF, access, read: true, write: true, execute: true)
    }

    private func fail(_ ea: UInt64, _ access: MemoryAccess, _ kind: PPC64FaultKind, bits: UInt64) -> Result<Translation, MemoryFault> {
        let k: MemoryFaultKind = kind == .dataSegment || kind == .instructionSegment ? .unmapped : .protection
        return .failure(MemoryFault(address: ea, kind: k, access: access, code: UInt64(kind.rawValue), flags: bits))
    }

    /// Storage interrupt with DSISR bits (data) or SRR1 bits (fetch) `bits`; stores add DSISR[38].
    private func storage(_ ea: UInt64, _ access: MemoryAccess, _ bits: UInt64) -> Result<Translation, MemoryFault> {
        if access == .execute { return fail(ea, access, .instructionStorage, bits: bits) }
        return fail(ea, access, .dataStorage, bits: bits | (access == .write ? PPC64Bits.dsisrStore : 0))
    }

    private func virtual(_ ea: UInt64, _ access: MemoryAccess) -> Result<Translation, MemoryFault> {
        guard let e = state.lookup(ea) else {
            return fail(ea, access, access == .execute ? .instructionSegment : .dataSegment, bits: 0)
        }
        let found: (UInt64, UInt64, UInt64)
        state.noteWalk(access)
        let result = state.search(ea, e)
        if let trace = state.onWalk {
            let r: UInt64
            switch result { case .found: r = 0; case .notFound: r = 1; case .outsideRAM: r = 2 }
            trace(ea, access == .execute ? 0 : (access == .read ? 1 : 2), r)
        }
        switch result {
        case .outsideRAM: return machineCheck(ea, access)
        case .notFound: return storage(ea, access, PPC64Bits.noTranslation)
        case .found(let a, let b, let c): found = (a, b, c)
        }
        let (ptePA, _, d1) = found
        let key = problemState ? e.vsid & 0x400 != 0 : e.vsid & 0x800 != 0
        let (read, write) = PPC64MMUState.authority(key: key, pp: ((d1 >> 63) << 2) | (d1 & 3))
        let execute = read && d1 & 0xC == 0 && e.vsid & 0x200 == 0
        switch access {
        case .execute:
            if !read { return storage(ea, access, PPC64Bits.protection) }
            if !execute { return storage(ea, access, PPC64Bits.noExecute) }
        case .read:
            if !read { return storage(ea, access, PPC64Bits.protection) }
        case .write:
            if !write { return storage(ea, access, PPC64Bits.protection) }
        }
        // Reference and change bits.
        let updated = d1 | 0x100 | (access == .write ? 0x80 : 0)
        if updated != d1 { state.store64BE(ptePA + 8, updated) }
        let pageMask: UInt64 = e.vsid & 0x100 != 0 ? (1 << 24) - 1 : (1 << 12) - 1
        let pa = ((d1 & 0x0FFF_FFFF_FFFF_F000) & ~pageMask) | (ea & pageMask)
        return physical(ea, pa, access, read: read, write: write && updated & 0x80 != 0, execute: execute)
    }

    private func machineCheck(_ ea: UInt64, _ access: MemoryAccess) -> Result<Translation, MemoryFault> {
        fail(ea, access, .machineCheck, bits: access == .execute ? PPC64Bits.mcInstruction : PPC64Bits.mcLoadStore)
    }

    private func physical(_ ea: UInt64, _ pa: UInt64, _ access: MemoryAccess, read: Bool, write: Bool, execute: Bool) -> Result<Translation, MemoryFault> {
        guard let t = state.map.classify(pa) else { return machineCheck(ea, access) }
        var p: PagePermissions = []
        if read { p.insert(.read) }
        if write { p.insert(.write) }
        if t.frame < 0 {
            // Device space: data only; instruction fetches from it are machine checks.
            if access == .execute { return machineCheck(ea, access) }
            return .success(.device(t.physicalPage, permissions: p))
        }
        if execute { p.insert(.execute) }
        return .success(Translation(frame: t.frame, permissions: p, physicalPage: t.physicalPage))
    }
}
