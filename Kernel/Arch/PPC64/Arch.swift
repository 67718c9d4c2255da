// Arch (PPC64): the PowerPC64 port behind ArchInterface. The kernel runs with translation on:
// its linear map is one 1 TiB segment of 16 MiB pages (SLB entry 0, entered by entry.S for the
// first 16 MiB and by earlyInit for the rest of RAM and the cache-inhibited device window), the
// processor-specific range a 256 MiB segment with a per-CPU VSID (SLB entry 1), user spaces
// 256 MiB segments with their own VSIDs (SLB entries 2-31), all translated through the one
// hashed page table (HashedPageTable.swift). Kernel pages are PP = 00 in Kp = 1 segments: no
// problem-state access. The tick is the decrementer; the interrupt controller raises 0x500.

@_extern(c, "k42_arch_cpu_number") func k42_arch_cpu_number() -> UInt64
@_extern(c, "k42_irq_disable") func k42_irq_disable() -> UInt64
@_extern(c, "k42_irq_restore") func k42_irq_restore(_ token: UInt64)
@_extern(c, "k42_idle") func k42_idle()
@_extern(c, "k42_sync") func k42_sync()
@_extern(c, "k42_pause") func k42_pause()
@_extern(c, "k42_set_dec") func k42_set_dec(_ value: UInt64)
@_extern(c, "k42_set_sprg0") func k42_set_sprg0(_ value: UInt64)
@_extern(c, "k42_set_sprg3") func k42_set_sprg3(_ value: UInt64)
@_extern(c, "k42_slbmte") func k42_slbmte(_ rs: UInt64, _ rb: UInt64)
@_extern(c, "k42_slbmfev") func k42_slbmfev(_ index: UInt64) -> UInt64
@_extern(c, "k42_tlbie") func k42_tlbie(_ rb: UInt64)
@_extern(c, "k42_tlbiel") func k42_tlbiel(_ rb: UInt64)
@_extern(c, "k42_switch") func k42_switch(_ save: UnsafeMutablePointer<UInt>, _ to: UInt)
@_extern(c, "k42_thread_start_address") func k42_thread_start_address() -> UInt

enum Arch: ArchInterface {
    static var name: StaticString { "ppc64" }
    static var kernelBase: UInt { 0x0000_0100_0000_0000 }
    static var linearMapSize: UInt64 { 64 << 30 }
    static var perCPUBase: UInt { 0x0000_0200_0000_0000 }
    static var perCPUSize: UInt { 0x2_0000 }
    static var perCPUAlignment: UInt64 { 0x1000 }
    static var localTableBase: UInt { 0x0000_0200_0100_0000 }

    /// A PTE in this CPU's per-CPU segment (the local table lies in it).
    static func mapLocalTablePage(_ index: Int, physical: UInt64) {
        HashedPageTable.insert(perCPUSegment(hardwareCPUNumber), ea: UInt64(localTableBase) + UInt64(index) << 12,
                               pa: physical, flags: 0)
    }

    static var userBase: UInt64 { 0x1000 }
    static var userTop: UInt64 { 0x0000_0100_0000_0000 }
    static var userNoExecute: Bool { true }
    static var elfMachine: UInt16 { 21 }

    static let kernelVSID: UInt64 = 0x4B4200
    static let perCPUVSIDBase: UInt64 = 0x10_0000
    static let userVSIDBase: UInt64 = 0x20_0000
    static let segmentKp: UInt64 = 0x400
    static let slbValid: UInt64 = 0x0800_0000
    static let firstUserSlot = 2

    @inline(__always) static func deviceAddress(_ pa: UInt64) -> UInt { kernelBase + UInt(pa) }

    static var hardwareCPUNumber: Int { Int(k42_arch_cpu_number()) }
    @inline(__always) static func disableInterrupts() -> UInt64 { k42_irq_disable() }
    @inline(__always) static func restoreInterrupts(_ token: UInt64) { k42_irq_restore(token) }
    static func waitForInterrupt() { k42_idle() }
    @inline(__always) static func memoryBarrier() { k42_sync() }
    @inline(__always) static func pause() { k42_pause() }

    static var linearSegment: HashedPageTable.Segment { .init(vsid: kernelVSID, shift: 40) }

    /// The rest of the linear map (entry.S mapped the first 16 MiB) and the device window.
    static func earlyInit(memoryBytes: UInt64) {
        let large: UInt64 = 16 << 20
        var pa = large
        while pa < memoryBytes {
            HashedPageTable.insert(linearSegment, ea: UInt64(kernelBase) + pa, pa: pa, flags: 0)
            pa += large
        }
        var device = Devices.mmioBase
        for _ in 0 ..< 16 {
            HashedPageTable.insert(linearSegment, ea: UInt64(kernelBase) + device, pa: device,
                                   flags: HashedPageTable.cacheInhibited | HashedPageTable.guarded)
            device += large
        }
    }

    /// VSIDs are scrambled so that related segments do not crowd the same page-table groups:
    /// an odd multiplier and then an xor-shift, each a bijection modulo 2^39 (the bits the hash
    /// uses), so distinct protos stay distinct VSIDs. The shift matters: the product's low bits
    /// depend only on the proto's low bits, and user protos differing only in the CPU number
    /// (bits 12-19) would otherwise hash the same page of every CPU into one group.
    @inline(__always) static func scrambled(_ proto: UInt64) -> UInt64 {
        let y = (proto &* 0x9E37_79B9) & ((1 << 39) - 1)
        return y ^ (y >> 19)
    }

    static func perCPUSegment(_ cpu: Int) -> HashedPageTable.Segment {
        .init(vsid: scrambled(perCPUVSIDBase + UInt64(cpu)), shift: 28)
    }

    /// 32 PTEs in this CPU's own per-CPU segment, the segment in SLB entry 1, and SPRG0.
    static func mapPerCPU(physical: UInt64) {
        let cpu = hardwareCPUNumber
        let s = perCPUSegment(cpu)
        for i in 0 ..< UInt64(perCPUSize >> 12) {
            HashedPageTable.insert(s, ea: UInt64(perCPUBase) + i << 12, pa: physical + i << 12, flags: 0)
        }
        let token = disableInterrupts()
        k42_slbmte(s.vsid << 12 | segmentKp, UInt64(perCPUBase) | slbValid | 1)
        k42_set_sprg0(physical)
        restoreInterrupts(token)
    }

    static func perCPUPhysical() -> UInt64 {
        let vsid = (k42_slbmfev(1) >> 12) & ((1 << 50) - 1)
        guard let (_, d1) = HashedPageTable.find(.init(vsid: vsid, shift: 28), ea: UInt64(perCPUBase)) else { return UInt64.max }
        return d1 & 0x0FFF_FFFF_FFFF_F000
    }

    nonisolated(unsafe) static var tickInterval: UInt64 = 0
    static func startTimer(interval: UInt64) {
        tickInterval = interval
        k42_set_dec(interval)
    }
    static func acknowledgeTimer() { k42_set_dec(tickInterval) }
    /// What user code reads without a trap as its dispatcher (mfspr 259: SPRG3).
    @inline(__always) static func setUserDispatcher(_ va: UInt64) { k42_set_sprg3(va) }

    @inline(__always) static func switchContext(save: UnsafeMutablePointer<UInt>, to: UInt) { k42_switch(save, to) }

    /// A switch frame (switch.S: header, r14-r31, CR, f14-f31) whose r14 is the thread and
    /// whose return address, in the caller's frame above, is k42_thread_start.
    static func prepareThreadStack(top: UInt, thread: UInt) -> UInt {
        let frameTop = (top - 64) & ~15
        let sp = frameTop - 336
        let words = UnsafeMutablePointer<UInt64>(bitPattern: sp)!
        for i in 0 ..< (336 + 64) / 8 { words[i] = 0 }
        words[0] = UInt64(frameTop)
        words[4] = UInt64(thread)                               // r14
        word(frameTop + 16).pointee = UInt64(k42_thread_start_address())
        return sp
    }

    // HAT (VM/HAT.swift): a user segment has one VSID per process and CPU (tag, CPU, ESID), so
    // a CPU's translations are its own hashed-page-table entries, which only its own TLB can
    // cache: removing one needs only a local tlbiel. Segments are loaded into SLB entries 2-31
    // on segment misses (round robin) and flushed when another process is activated.
    static func userSegment(tag: UInt64, cpu: Int, _ va: UInt64) -> HashedPageTable.Segment {
        .init(vsid: scrambled(1 << 30 | (tag & 0xFF) << 20 | UInt64(cpu & 0xFF) << 12 | (va >> 28)), shift: 28)
    }

    /// True when one user page of 256 CPUs lands in no page-table group more than 8 times.
    static func userTranslationsSpread() -> Bool {
        let counts = UnsafeMutablePointer<UInt8>.allocate(capacity: Int(HashedPageTable.groups))
        defer { counts.deallocate() }
        for va in [UInt64(0x1000_0000), 0x4000_0000] {
            for i in 0 ..< Int(HashedPageTable.groups) { counts[i] = 0 }
            for cpu in 0 ..< 256 {
                let g = Int(HashedPageTable.hash(userSegment(tag: 1, cpu: cpu, va), va) & (HashedPageTable.groups - 1))
                counts[g] += 1
                if counts[g] > 8 { return false }
            }
        }
        return true
    }

    static func hatEnter(_ hat: HATRep, va: UInt64, entry: UInt64) {
        let s = userSegment(tag: hat.tag, cpu: hardwareCPUNumber, va)
        let pp: UInt64 = entry & HATEntry.writable != 0 ? 0b010 : 0b011
        let n = entry & HATEntry.executable != 0 ? 0 : HashedPageTable.noExecute
        if HashedPageTable.update(s, ea: va, pa: entry & HATEntry.frameMask, flags: pp | n) {
            k42_tlbiel(tlbRB(s, va))
        } else {
            HashedPageTable.insert(s, ea: va, pa: entry & HATEntry.frameMask, flags: pp | n, evictable: true)
        }
    }

    static func hatRemove(_ hat: HATRep, va: UInt64) {
        let s = userSegment(tag: hat.tag, cpu: hardwareCPUNumber, va)
        HashedPageTable.remove(s, ea: va)
        k42_tlbiel(tlbRB(s, va))
    }

    @inline(__always) static func tlbRB(_ s: HashedPageTable.Segment, _ va: UInt64) -> UInt64 {
        (s.vsid << 28 | (va & 0x0FFF_F000)) & ~0xFFF
    }

    static func hatActivate(tag: UInt64) {
        let token = disableInterrupts()
        for slot in UInt64(firstUserSlot) ..< 32 { k42_slbmte(0, slot) }
        PCA.local.word(CPUArea.nextSegmentSlot).pointee = 0
        restoreInterrupts(token)
    }

    /// A segment miss on user address `va`: loads its segment (true) unless it is not a user address.
    static func hatSegmentMiss(tag: UInt64, va: UInt64) -> Bool {
        guard va >= userBase, va < userTop else { return false }
        let s = userSegment(tag: tag, cpu: hardwareCPUNumber, va)
        let next = PCA.local.word(CPUArea.nextSegmentSlot)
        let slot = UInt64(firstUserSlot) + next.pointee % UInt64(32 - firstUserSlot)
        next.pointee += 1
        let token = disableInterrupts()
        k42_slbmte(s.vsid << 12 | segmentKp, (va >> 28) << 28 | slbValid | slot)
        restoreInterrupts(token)
        return true
    }

    static func cause(of frame: TrapFrame) -> TrapCause {
        let access: Access = frame.dsisr & 0x0200_0000 != 0 ? .write : .read
        switch frame.vector {
        case 0x900: return .timer
        case 0x500: return .external
        case 0xC00: return .systemCall
        case 0x300:
            if frame.dsisr & 0x4000_0000 != 0 { return .translationMiss(address: frame.dar, access: access) }
            return .protection(address: frame.dar, access: access)
        case 0x380: return .segmentMiss(address: frame.dar, access: .read)       // DSISR is not set
        case 0x400:
            if frame.msr & 0x4000_0000 != 0 { return .translationMiss(address: frame.pc, access: .execute) }
            return .protection(address: frame.pc, access: .execute)
        case 0x480: return .segmentMiss(address: frame.pc, access: .execute)
        case 0x600: return .addressError(address: frame.dar, access: access)
        case 0x200: return .busError(address: frame.dar, access: .read)
        case 0x700:
            if frame.msr & 0x2_0000 != 0 { return .trapInstruction }
            if frame.msr & 0x4_0000 != 0 { return .privilegedInstruction }
            return .illegalInstruction
        case 0x800, 0xF20, 0xF40: return .floatingPoint
        default: return .other(code: frame.vector)
        }
    }
}
