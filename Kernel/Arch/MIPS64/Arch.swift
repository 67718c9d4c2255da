// Arch (MIPS64): the MIPS64 port behind ArchInterface. Kernel and user share xuseg: the
// kernel's mappings are non-global TLB entries of ASID 0 (created on demand by the refill
// vector for the linear map, vectors.S), the processor-specific range is wired TLB entry 0 on
// every CPU, devices are reached through xkphys uncached. The tick is CP0 Count/Compare (IP7),
// the platform interrupt controller drives IP2. Layout constants match layout.h.

@_extern(c, "k42_arch_cpu_number") func k42_arch_cpu_number() -> UInt64
@_extern(c, "k42_irq_disable") func k42_irq_disable() -> UInt64
@_extern(c, "k42_irq_restore") func k42_irq_restore(_ token: UInt64)
@_extern(c, "k42_idle") func k42_idle()
@_extern(c, "k42_sync") func k42_sync()
@_extern(c, "k42_count") func k42_count() -> UInt64
@_extern(c, "k42_set_compare") func k42_set_compare(_ value: UInt64)
@_extern(c, "k42_set_user_local") func k42_set_user_local(_ value: UInt64)
@_extern(c, "k42_switch") func k42_switch(_ save: UnsafeMutablePointer<UInt>, _ to: UInt)
@_extern(c, "k42_tlbwi") func k42_tlbwi(_ index: UInt64, _ hi: UInt64, _ lo0: UInt64, _ lo1: UInt64, _ mask: UInt64)
@_extern(c, "k42_tlbwr") func k42_tlbwr(_ hi: UInt64, _ lo0: UInt64, _ lo1: UInt64, _ mask: UInt64)
@_extern(c, "k42_tlbr") func k42_tlbr(_ index: UInt64, _ out: UnsafeMutablePointer<UInt64>)
@_extern(c, "k42_tlbp") func k42_tlbp(_ hi: UInt64) -> Int64
@_extern(c, "k42_thread_start_address") func k42_thread_start_address() -> UInt
@_extern(c, "k42_pca_xk_address") func k42_pca_xk_address() -> UInt

enum Arch: ArchInterface {
    static var name: StaticString { "mips64" }
    static var kernelBase: UInt { 0x0000_0080_0000_0000 }
    static var linearMapSize: UInt64 { 64 << 30 }
    static var perCPUBase: UInt { 0x0000_00F0_0000_0000 }
    static var perCPUSize: UInt { 0x2_0000 }
    static var perCPUAlignment: UInt64 { 0x1_0000 }
    static var localTableBase: UInt { 0x0000_00F0_0100_0000 }
    /// The per-CPU area keeps, per 8 KiB pair of the local table, the two EntryLo values the
    /// refill vector writes (layout.h PCA_LTT_PAIRS).
    static let localTablePairs = 0x4000

    static func mapLocalTablePage(_ index: Int, physical: UInt64) {
        let pair = index >> 1
        let entries = PCA.local.word(localTablePairs + 16 * pair)
        entries[index & 1] = (physical >> 6) | entryLoCached
        let hi = UInt64(localTableBase) + UInt64(pair) << 13
        let token = disableInterrupts()
        let slot = k42_tlbp(hi)
        if slot >= 0 {
            k42_tlbwi(UInt64(slot), hi, entries[0], entries[1], pageMask4K)
        } else {
            k42_tlbwr(hi, entries[0], entries[1], pageMask4K)
        }
        restoreInterrupts(token)
    }

    static var userBase: UInt64 { 0x1000 }
    static var userTop: UInt64 { 0x0000_0080_0000_0000 }
    static var userNoExecute: Bool { false }
    static var elfMachine: UInt16 { 8 }

    static let xkphysUncached: UInt64 = 0x9000_0000_0000_0000
    static let xkphysCached: UInt64 = 0x9800_0000_0000_0000
    /// EntryLo: cacheable (C = 3), dirty, valid.
    static let entryLoCached: UInt64 = 0x1E
    static let pageMask64K: UInt64 = 0x1_E000
    static let pageMask4K: UInt64 = 0

    @inline(__always) static func deviceAddress(_ pa: UInt64) -> UInt { UInt(xkphysUncached | pa) }

    static var hardwareCPUNumber: Int { Int(k42_arch_cpu_number()) }
    @inline(__always) static func disableInterrupts() -> UInt64 { k42_irq_disable() }
    @inline(__always) static func restoreInterrupts(_ token: UInt64) { k42_irq_restore(token) }
    static func waitForInterrupt() { k42_idle() }
    @inline(__always) static func memoryBarrier() { k42_sync() }
    @inline(__always) static func pause() {}

    static func earlyInit(memoryBytes: UInt64) {
        // The refill vector maps the linear map on demand; devices are unmapped (xkphys).
    }

    /// Wired entry 0: the per-CPU range as a pair of 64 KiB pages, ASID 0, not global (so a
    /// user ASID never matches it). The vectors reach the same memory through xkphys.
    static func mapPerCPU(physical: UInt64) {
        let lo0 = (physical >> 6) | entryLoCached
        let lo1 = ((physical + 0x1_0000) >> 6) | entryLoCached
        let token = disableInterrupts()
        k42_tlbwi(0, UInt64(perCPUBase), lo0, lo1, pageMask64K)
        let table = UnsafeMutablePointer<UInt64>(bitPattern: k42_pca_xk_address())!
        table[hardwareCPUNumber] = xkphysCached | physical
        restoreInterrupts(token)
    }

    static func perCPUPhysical() -> UInt64 {
        var entry: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let token = disableInterrupts()
        withUnsafeMutablePointer(to: &entry) {
            $0.withMemoryRebound(to: UInt64.self, capacity: 4) { k42_tlbr(0, $0) }
        }
        restoreInterrupts(token)
        // Only a valid, non-global entry for the per-CPU range of ASID 0 counts.
        guard entry.0 & ~UInt64(0x1FFF) == UInt64(perCPUBase), entry.0 & 0xFF == 0,
              entry.1 & 2 != 0, entry.1 & 1 == 0 else { return UInt64.max }
        return ((entry.1 >> 6) & 0xF_FFFF_FFFF) << 12
    }

    nonisolated(unsafe) static var tickInterval: UInt64 = 0

    static func startTimer(interval: UInt64) {
        tickInterval = interval
        k42_set_compare((k42_count() &+ interval) & 0xFFFF_FFFF)
    }

    /// What user code reads without a trap as its dispatcher (rdhwr $29: UserLocal).
    @inline(__always) static func setUserDispatcher(_ va: UInt64) { k42_set_user_local(va) }

    static func acknowledgeTimer() {
        k42_set_compare((k42_count() &+ tickInterval) & 0xFFFF_FFFF)
    }

    @inline(__always) static func switchContext(save: UnsafeMutablePointer<UInt>, to: UInt) { k42_switch(save, to) }

    /// A switch frame (switch.S: s0-s7, s8, gp, ra, pad, f24-f31) whose ra is
    /// k42_thread_start and s0 the thread.
    static func prepareThreadStack(top: UInt, thread: UInt) -> UInt {
        let sp = (top - 160) & ~15
        let words = UnsafeMutablePointer<UInt64>(bitPattern: sp)!
        for i in 0 ..< 20 { words[i] = 0 }
        words[0] = UInt64(thread)
        words[10] = UInt64(k42_thread_start_address())
        return sp
    }

    // HAT (VM/HAT.swift): the TLB is refilled from the CPU's HAT view on a miss; the process's
    // address-space tag is the ASID. A pair entry holds whichever halves the view has.
    @inline(__always) static func entryLo(_ e: UInt64) -> UInt64 {
        guard e != 0 else { return 0 }
        let dirty: UInt64 = e & HATEntry.writable != 0 ? 4 : 0
        return ((e & HATEntry.frameMask) >> 6) | 0x18 | dirty | 2
    }

    /// Writes the TLB pair holding `va` from the view (interrupts are off).
    static func writePair(_ hat: HATRep, _ va: UInt64) {
        let even = va & ~0x1FFF
        let lo0 = entryLo(hat.lookup(even)), lo1 = entryLo(hat.lookup(even + 0x1000))
        let hi = even | (hat.tag & 0xFF)
        // An entry for the pair may exist with a half invalid: rewrite it, never duplicate it.
        let index = k42_tlbp(hi)
        if lo0 == 0 && lo1 == 0 {
            // An invalid entry with a unique unmapped tag (as at reset) never matches again.
            if index >= 0 { k42_tlbwi(UInt64(index), 0xFFFF_FFFF_8000_0000 &+ UInt64(index) << 13, 0, 0, pageMask4K) }
        } else if index >= 0 {
            k42_tlbwi(UInt64(index), hi, lo0, lo1, pageMask4K)
        } else {
            k42_tlbwr(hi, lo0, lo1, pageMask4K)
        }
    }

    static func hatEnter(_ hat: HATRep, va: UInt64, entry: UInt64) { writePair(hat, va) }
    static func hatRemove(_ hat: HATRep, va: UInt64) { writePair(hat, va) }
    static func hatActivate(tag: UInt64) {}
    /// Each CPU has its own TLB: nothing shared to crowd.
    static func userTranslationsSpread() -> Bool { true }
    static func hatSegmentMiss(tag: UInt64, va: UInt64) -> Bool { false }

    static func cause(of frame: TrapFrame) -> TrapCause {
        let cause = frame.cause
        let code = (cause >> 2) & 0x1F
        let address = frame.badVAddr
        let fetch = address == frame.pc
        switch code {
        case 0:
            let pending = (cause >> 8) & (frame.status >> 8) & 0xFF
            if pending & 0x80 != 0 { return .timer }
            if pending & 0x04 != 0 { return .external }
            return .other(code: cause)
        case 1: return .protection(address: address, access: .write)
        case 2: return .translationMiss(address: address, access: fetch ? .execute : .read)
        case 3: return .translationMiss(address: address, access: .write)
        case 4: return .addressError(address: address, access: fetch ? .execute : .read)
        case 5: return .addressError(address: address, access: .write)
        case 6: return .busError(address: address, access: .execute)
        case 7: return .busError(address: address, access: .read)
        case 8: return .systemCall
        case 9: return .breakpoint
        case 10: return .illegalInstruction
        case 11: return (cause >> 28) & 3 == 0 ? .privilegedInstruction : .illegalInstruction
        case 13: return .trapInstruction
        case 15: return .floatingPoint
        default: return .other(code: code)
        }
    }
}
