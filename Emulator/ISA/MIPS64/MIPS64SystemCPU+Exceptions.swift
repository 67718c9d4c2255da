// MIPS64SystemCPU+Exceptions: turns interpreter exits into architectural exceptions (MIPS64 PRA
// 6.1-6.2): EPC/BD (not updated when EXL is already set), Cause.ExcCode/CE, BadVAddr, Context/
// XContext.BadVPN2 and EntryHi.VPN2 for TLB exceptions, Status.EXL, and the vector:
//   BEV = 0: base = EBase (0xFFFF_FFFF_8000_0000 | EBase[29:12]); BEV = 1: 0xFFFF_FFFF_BFC0_0200.
//   TLB refill with EXL = 0: base + 0x000 for 32-bit (compatibility) references, base + 0x080
//   (XTLB refill) when the reference is in a 64-bit segment enabled by UX/SX/KX (R = va[63:62]
//   0 with UX, 1 with SX, 3 with KX — QEMU's rule); interrupts with Cause.IV = 1: base + 0x200;
//   everything else: base + 0x180.
// Timing mode: a TLB refill costs tlb.refillCost cycles, any other exception costs.system.
// TLB refills are counted per access kind (itb / dtb read / dtb write misses).
import Traces

extension MIPS64SystemCPU {
    /// Handles one interpreter exit; returns a stop when the machine must halt.
    func handle(_ exit: MIPS64Exit) -> MachineCPUStop? {
        switch exit {
        case .none, .budget, .resync:
            return nil
        case .syscall: return takeException(MIPS64ExcCode.sys)
        case .breakpoint: return takeException(MIPS64ExcCode.bp)
        case .trap: return takeException(MIPS64ExcCode.tr)
        case .reservedInstruction: return takeException(MIPS64ExcCode.ri)
        case .overflow: return takeException(MIPS64ExcCode.ov)
        case .fpException: return takeException(MIPS64ExcCode.fpe)
        case .coprocessorUnusable: return privileged()
        case .memoryFault: return memoryFault()
        }
    }

    private func memoryFault() -> MachineCPUStop? {
        let f = core.fault
        let store = f.access == .write
        if f.kind == .misaligned {
            return takeException(store ? MIPS64ExcCode.ades : MIPS64ExcCode.adel, badVAddr: f.address, access: f.access)
        }
        guard f.architectural else {
            // A fault the system MMU did not describe (no device bus): a bus error.
            return takeException(f.access == .execute ? MIPS64ExcCode.ibe : MIPS64ExcCode.dbe, access: f.access)
        }
        // swl/swr/sdl/sdr read before they write: report their faults as store faults.
        var code = f.code
        if store && code == MIPS64ExcCode.tlbl { code = MIPS64ExcCode.tlbs }
        if store && code == MIPS64ExcCode.adel { code = MIPS64ExcCode.ades }
        return takeException(code, badVAddr: f.flags & MIPS64FaultFlags.setsBadVAddr != 0 ? f.address : nil,
                             refill: f.flags & MIPS64FaultFlags.refill != 0, tlb: f.flags & MIPS64FaultFlags.tlb != 0, access: f.access)
    }

    /// Enters the exception handler. `core.exceptionPC`/`inDelaySlot` describe the instruction.
    @discardableResult
    func takeException(_ code: UInt64, badVAddr: UInt64? = nil, refill: Bool = false, tlb: Bool = false,
                       coprocessor: UInt64 = 0, interrupt: Bool = false, access: MemoryAccess = .read) -> MachineCPUStop? {
        let st = cp0.status
        let tracedCycle = cycles
        var offset: UInt64 = 0x180
        if st & MIPS64Status.exl == 0 {
            cp0.epc = core.exceptionPC
            if core.inDelaySlot { cp0.cause |= MIPS64Cause.bd } else { cp0.cause &= ~MIPS64Cause.bd }
            if refill, let va = badVAddr {
                let r = va >> 62
                let x = (r == 0 && st & MIPS64Status.ux != 0) || (r == 1 && st & MIPS64Status.sx != 0)
                    || (r == 3 && st & MIPS64Status.kx != 0)
                offset = x ? 0x080 : 0x000
            } else if interrupt && cp0.cause & MIPS64Cause.iv != 0 {
                offset = 0x200
            }
        }
        cp0.cause = (cp0.cause & ~(0x7C | (3 << MIPS64Cause.ceShift))) | (code << 2) | ((coprocessor & 3) << MIPS64Cause.ceShift)
        if let va = badVAddr {
            cp0.badVAddr = va
            if tlb {
                cp0.context = (cp0.context & ~0x7F_FFF0) | ((va >> 9) & 0x7F_FFF0)
                cp0.xcontext = (cp0.xcontext & ~0x1_FFFF_FFF0) | ((va >> 62) << 31) | ((va >> 9) & 0x7FFF_FFF0)
                cp0.entryHi = (va & MIPS64TLB.vpn2Mask) | (cp0.entryHi & 0xFF)
            }
        }
        cp0.status = st | MIPS64Status.exl
        if refill {
            // A software TLB refill (the refill handler's own instructions are charged as they run).
            switch access {
            case .execute: itbMisses &+= 1
            case .read: dtbReadMisses &+= 1
            case .write: dtbWriteMisses &+= 1
            }
        }
        if let t = core.timing {
            core.ctl[MIPS64Ctl.cycles] &+= refill ? t.refillCost : t.exceptionCost
        }
        let base: UInt64 = st & MIPS64Status.bev != 0 ? 0xFFFF_FFFF_BFC0_0200
                                                       : 0xFFFF_FFFF_8000_0000 | (cp0.ebase & 0x3FFF_F000)
        let inDelaySlot = core.inDelaySlot
        core.pc = base &+ offset
        core.inDelaySlot = false
        if let t = tracer { traceException(t, code: code, cycle: tracedCycle, nested: st & MIPS64Status.exl != 0, delaySlot: inDelaySlot,
                                           interrupt: interrupt, refill: refill, access: access) }
        return recordException(ExceptionRecord(cycle: cycles, code: code, epc: cp0.epc, badVAddr: cp0.badVAddr, vector: core.pc))
    }

    /// hw.exceptions: the exception (or interrupt) at the cycle it was taken; hw.tlb: a refill.
    private func traceException(_ t: TraceRecorder, code: UInt64, cycle: UInt64, nested: Bool, delaySlot: Bool, interrupt: Bool,
                                refill: Bool, access: MemoryAccess) {
        if t.wants(TraceMajor.hwExceptions) {
            let flags: UInt64 = (nested ? 1 : 0) | (delaySlot ? 2 : 0)
            let pc = nested ? core.exceptionPC : cp0.epc
            if interrupt {
                t.record(cpu: index, cycle: cycle, .interrupt, code, pc, (causeValue >> 8) & 0xFF, core.pc, flags)
            } else {
                t.record(cpu: index, cycle: cycle, .exception, code, pc, cp0.badVAddr, core.pc, flags)
            }
        }
        if refill && t.wants(TraceMajor.hwTLB) {
            let a: UInt64 = access == .execute ? 0 : (access == .read ? 1 : 2)
            t.record(cpu: index, cycle: cycle, .tlbRefill, cp0.badVAddr, a)
        }
    }
}
