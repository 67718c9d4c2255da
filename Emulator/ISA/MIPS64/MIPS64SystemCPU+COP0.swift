// MIPS64SystemCPU+COP0: privileged instructions and the CP0 registers (MIPS64 PRA ch. 9).
// The interpreter reports COP0 instructions, `cache` and FPU instructions with CU1 = 0 as
// coprocessor-unusable exits; here they are executed when allowed (kernel mode or Status.CU0)
// or turned into a Coprocessor Unusable exception (Cause.CE = 0 for CP0, 1 for the FPU). The
// interpreter does not count these instructions; one executed here is counted here.
//
// Registers (reg, sel): Index (0,0), Random (1,0) = Wired + cycles mod (TLB size - Wired)
// (deterministic; TLB size - 1 when Wired >= size), EntryLo0/1 (2,0)/(3,0), Context (4,0),
// UserLocal (4,2), PageMask (5,0), Wired (6,0), HWREna (7,0: bits 0-3, 29), BadVAddr (8,0),
// Count (9,0: cycles since written, 32 bits), EntryHi (10,0: R, VPN2, 8-bit ASID), Compare (11,0),
// Status (12,0), Cause (13,0), EPC (14,0), PRId (15,0) = 0x00010000 (MIPS Technologies, the
// MIPS64R2-generic id QEMU uses), EBase (15,1: CPUNum = CPU index), Config0-3 (16,0-3; the
// cache fields of Config1 and Config2 describe the machine's caches: MIPS64CacheConfig),
// LLAddr (17,0: reservation physical address >> 4), XContext (20,0), ErrorEPC (30,0).
// Any other register reads 0 and ignores writes. mtc0 writes the sign-extended low 32 bits of
// rt; mfc0 returns the sign-extended low 32 bits; 32-bit registers read sign-extended by dmfc0.
import Traces

extension MIPS64SystemCPU {
    static let config0: UInt64 = 0x8000_0000 | (2 << 13) | (1 << 10) | (1 << 7)   // M, AT=MIPS64, AR=R2, MT=TLB, LE
    var config1: UInt64 {
        let mmu = UInt64(min(cp0.tlb.size, 64) - 1)
        // M, MMU size - 1, the I and D caches (MIPS64CacheConfig), FP.
        return 0x8000_0000 | (mmu << 25) | UInt64(cacheConfig.config1Caches) | 1
    }
    static let config3: UInt64 = 1 << 13          // ULRI: UserLocal implemented
    static let prid: UInt64 = 0x0001_0000

    var random: UInt64 {
        let size = UInt64(cp0.tlb.size)
        return cp0.wired >= size ? size - 1 : cp0.wired + cycles % (size - cp0.wired)
    }

    /// Executes a COP0 / cache / FPU-with-CU1=0 instruction reported by the interpreter.
    func privileged() -> MachineCPUStop? {
        let o = MIPS64Decoder.decode(core.exceptionWord)
        let isCP0: Bool
        switch o.kind {
        case .mfc0, .dmfc0, .mtc0, .dmtc0, .tlbr, .tlbwi, .tlbwr, .tlbp, .eret, .deret, .wait, .di, .ei,
             .rdpgpr, .wrpgpr, .cache:
            isCP0 = true
        default:
            isCP0 = false
        }
        if o.kind == .cop2 { return takeException(MIPS64ExcCode.cpu, coprocessor: 2) }
        guard isCP0 else { return takeException(MIPS64ExcCode.cpu, coprocessor: 1) }
        guard cp0.privilegeMode == 0 || cp0.status & MIPS64Status.cu0 != 0 else {
            return takeException(MIPS64ExcCode.cpu, coprocessor: 0)
        }
        // No EJTAG debug mode; eret in a delay slot is reserved.
        if o.kind == .deret || (o.kind == .eret && core.inDelaySlot) { return takeException(MIPS64ExcCode.ri) }
        // It executes, so it completes (with the branch whose delay slot holds it; the
        // interpreter counted neither): counted before it takes effect, so Count and Random read
        // at its own completion as for any other instruction.
        core.instructions &+= core.inDelaySlot ? 2 : 1
        let r = core.gpr
        @inline(__always) func sx32(_ v: UInt64) -> UInt64 { UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v))) }
        var next = core.resumeAfterException
        switch o.kind {
        case .mfc0: r[Int(o.rd)] = sx32(readCP0(Int(o.rs), Int(o.sa)))
        case .dmfc0: r[Int(o.rd)] = readCP0(Int(o.rs), Int(o.sa))
        case .mtc0: writeCP0(Int(o.rs), Int(o.sa), sx32(r[Int(o.rt)]))
        case .dmtc0: writeCP0(Int(o.rs), Int(o.sa), r[Int(o.rt)])
        case .di, .ei:
            r[Int(o.rd)] = sx32(cp0.status)
            if o.kind == .ei { cp0.status |= MIPS64Status.ie } else { cp0.status &= ~MIPS64Status.ie }
        case .rdpgpr: r[Int(o.rd)] = r[Int(o.rt)]           // one shadow set: the current one
        case .wrpgpr: if o.rd != 0 { r[Int(o.rd)] = r[Int(o.rt)] }
        case .cache: cacheOperation(o)                       // +Cache.swift
        case .wait:
            beginIdle(kind: 0)
        case .eret:
            if cp0.status & MIPS64Status.erl != 0 {
                next = cp0.errorEPC
                cp0.status &= ~MIPS64Status.erl
                flushTranslations()                          // ERL unmaps kuseg: drop those entries
            } else {
                next = cp0.epc
                cp0.status &= ~MIPS64Status.exl
            }
            reservations.clear(cpu: index)
            core.ctl[MIPS64Ctl.llValid] = 0
            if let t = tracer, t.wants(TraceMajor.hwExceptions) { t.record(cpu: index, cycle: cycles, .exceptionReturn, next) }
        case .tlbp:
            if let i = cp0.tlb.lookup(cp0.entryHi, asid: cp0.asid) {
                cp0.index = UInt64(i)
            } else {
                cp0.index |= 1 << 31
            }
        case .tlbr:
            let e = cp0.tlb[Int(cp0.index & 0xFF) % cp0.tlb.size]
            let g: UInt64 = e.global ? 1 : 0
            cp0.pageMask = e.mask
            cp0.entryHi = e.hi & ~e.mask
            cp0.entryLo0 = e.lo0 | g
            cp0.entryLo1 = e.lo1 | g
        case .tlbwi:
            writeTLB(Int(cp0.index & 0xFF) % cp0.tlb.size)
        case .tlbwr:
            writeTLB(Int(random))
        default:
            break
        }
        core.pc = next
        return nil
    }

    private func writeTLB(_ i: Int) {
        let old = cp0.tlb[i]
        if (old.lo0 | old.lo1) & 2 != 0 && (cp0.entryLo0 | cp0.entryLo1) & 2 == 0 { tlbInvalidations &+= 1 }
        flushSoftTLBs(for: old)
        let mask = cp0.pageMask & MIPS64TLB.pageMaskMask
        var e = MIPS64TLBEntry()
        e.mask = mask
        e.hi = cp0.entryHi & MIPS64TLB.entryHiMask & ~mask
        e.lo0 = cp0.entryLo0 & MIPS64TLB.entryLoMask & ~1
        e.lo1 = cp0.entryLo1 & MIPS64TLB.entryLoMask & ~1
        e.global = cp0.entryLo0 & cp0.entryLo1 & 1 != 0
        cp0.tlb[i] = e
        flushSoftTLBs(for: e)
        core.flushCodeTLB()
    }

    /// Drops soft-TLB entries of the pages an old or new JTLB entry covers (both the 64-bit and
    /// the sign-extended compatibility form of R = 3 addresses alias the same entry).
    private func flushSoftTLBs(for e: MIPS64TLBEntry) {
        let bytes = e.pageBytes * 2
        let pages = bytes >> guestPageShift
        if pages > 64 { for m in mmus { m.flushAll() }; return }
        let base = e.base
        for p in 0 ..< pages {
            let va = base &+ (p << guestPageShift)
            for m in mmus {
                m.flush(page: va)
                if va >> 62 == 3 { m.flush(page: va | 0x3FFF_FF00_0000_0000) }
            }
        }
    }

    func readCP0(_ reg: Int, _ sel: Int) -> UInt64 {
        @inline(__always) func sx32(_ v: UInt64) -> UInt64 { UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v))) }
        switch (reg, sel) {
        case (0, 0): return sx32(cp0.index)
        case (1, 0): return random
        case (2, 0): return cp0.entryLo0
        case (3, 0): return cp0.entryLo1
        case (4, 0): return cp0.context
        case (4, 2): return core.ctl[MIPS64Ctl.userLocal]
        case (5, 0): return cp0.pageMask
        case (6, 0): return cp0.wired
        case (7, 0): return cp0.hwrEna
        case (8, 0): return cp0.badVAddr
        case (9, 0): return sx32(UInt64(count))
        case (10, 0): return cp0.entryHi
        case (11, 0): return sx32(UInt64(cp0.compare))
        case (12, 0): return sx32(cp0.status)
        case (13, 0): return sx32(causeValue)
        case (14, 0): return cp0.epc
        case (15, 0): return Self.prid
        case (15, 1): return sx32(cp0.ebase)
        case (16, 0): return Self.config0 | cp0.config0K0
        case (16, 1): return sx32(config1)
        case (16, 2): return sx32(UInt64(cacheConfig.config2))
        case (16, 3): return Self.config3
        case (17, 0): return (reservations.reservation(cpu: index) ?? 0) >> 4
        case (20, 0): return cp0.xcontext
        case (30, 0): return cp0.errorEPC
        default: return 0
        }
    }

    func writeCP0(_ reg: Int, _ sel: Int, _ v: UInt64) {
        switch (reg, sel) {
        case (0, 0): cp0.index = (cp0.index & (1 << 31)) | (v & 0xFF)
        case (2, 0): cp0.entryLo0 = v & MIPS64TLB.entryLoMask
        case (3, 0): cp0.entryLo1 = v & MIPS64TLB.entryLoMask
        case (4, 0): cp0.context = (v & ~0x7F_FFFF) | (cp0.context & 0x7F_FFF0)
        case (4, 2): core.ctl[MIPS64Ctl.userLocal] = v
        case (5, 0): cp0.pageMask = v & MIPS64TLB.pageMaskMask
        case (6, 0): cp0.wired = v & 0xFF
        case (7, 0): cp0.hwrEna = v & 0x2000_000F
        case (9, 0):
            countZero = cycles &- UInt64(UInt32(truncatingIfNeeded: v))
            updateCountBias()
            rescheduleTimer()
        case (10, 0):
            let n = v & MIPS64TLB.entryHiMask
            if n & 0xFF != cp0.entryHi & 0xFF { flushTranslations() }
            cp0.entryHi = n
        case (11, 0):
            cp0.compare = UInt32(truncatingIfNeeded: v)
            timerPending = false
            rescheduleTimer()
        case (12, 0):
            let n = (v & MIPS64Status.writable) | (cp0.status & ~MIPS64Status.writable)
            let segmentBits = MIPS64Status.ux | MIPS64Status.sx | MIPS64Status.kx | MIPS64Status.erl
            if (n ^ cp0.status) & segmentBits != 0 { flushTranslations() }
            cp0.status = n
        case (13, 0): cp0.cause = (cp0.cause & ~MIPS64Cause.writable) | (v & MIPS64Cause.writable)
        case (14, 0): cp0.epc = v
        case (15, 1): cp0.ebase = (cp0.ebase & ~0x3FFF_F000) | (v & 0x3FFF_F000)
        case (16, 0): cp0.config0K0 = v & 7
        case (20, 0): cp0.xcontext = (v & ~0x1_FFFF_FFFF) | (cp0.xcontext & 0x1_FFFF_FFF0)
        case (30, 0): cp0.errorEPC = v
        default: break
        }
    }
}
