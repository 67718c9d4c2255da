// PPC64SystemCPU+Privileged: executes the privileged instructions the interpreter hands over
// (in privileged state; in problem state they became program interrupts): mfmsr, mtmsr(d) with
// L = 0/1, rfid, hrfid, mfspr/mtspr of the Book III SPRs, slbmte/slbmfee/slbmfev/slbfee./slbie/
// slbia, tlbie (broadcast to every CPU: PPC64MachineState), tlbiel (this CPU), tlbsync,
// nap/doze/sleep/rvwinkle, dcbi (timing mode: invalidate the line; otherwise no operation).
// Also mfspr of the problem-state-readable SPRs the decoder does not know (CTRL 136, SPRG3 259). Unknown SPRs and unknown privileged
// instructions raise the illegal-instruction program interrupt (docs/ppc64-system.md).
import Traces

extension PPC64SystemCPU {
    /// Completes an instruction executed here: next pc, one cycle.
    private func complete(nextPC: UInt64? = nil) {
        core.pc = nextPC ?? (core.pc &+ 4)
        core.instructionCount &+= 1
        common.exceptionsWithoutProgress = 0
        syncTimeBase()
    }

    /// The cycle at which an instruction executed here completes: functional mode counts it
    /// when it completes, timing mode charged its cost in the interpreter already.
    var completionCycle: UInt64 { core.timing != nil ? cycles : cycles &+ 1 }

    /// dcbi in timing mode: the line holding `ea` (translated as a load) is invalidated.
    func invalidateBlock(_ ea: UInt64) {
        guard let t = core.timing else { return }
        selectContext()
        guard let pa = PPC64TimedMem.physical(core.mmu.entries, core.mmu, ea) else { return }
        let cyc = core.registers.slots + PPC64Reg.cycles
        cyc.pointee &+= UInt64(t.hierarchy.maintain(cpu: index, pa: pa, .invalidate, now: cyc.pointee))
    }

    private var illegal: MachineCPUStop? {
        interrupt(PPC64IntVector.program, srr0: core.pc, bits: PPC64Bits.programIllegal)
    }

    /// MSR write (mtmsr, mtmsrd, rfid, hrfid): bits in `mask` come from `value`; MSR[PR] = 1
    /// forces EE, IR and DR (2.07 4.4.3); SF, HV and LE stay 1.
    func writeMSR(_ value: UInt64, mask: UInt64, prRule: Bool = true) {
        var n = (msr & ~mask) | (value & mask)
        if prRule && n & PPC64MSR.pr != 0 { n |= PPC64MSR.ee | PPC64MSR.ir | PPC64MSR.dr }
        msr = (n & PPC64MSR.implemented) | PPC64MSR.fixedOn
    }

    func executePrivileged(_ w: UInt32) -> MachineCPUStop? {
        let rt = Int((w >> 21) & 31), ra = Int((w >> 16) & 31), rb = Int((w >> 11) & 31)
        let xo = (w >> 1) & 1023
        let regs = core.registers
        switch (w >> 26, xo) {
        case (31, 83):                                   // mfmsr
            regs[gpr: rt] = msr
        case (31, 146), (31, 178):                       // mtmsr, mtmsrd
            let l = (w >> 16) & 1
            let mask: UInt64 = l != 0 ? (PPC64MSR.ee | PPC64MSR.ri) : (xo == 146 ? 0xFFFF_FFFF : .max)
            writeMSR(regs[gpr: rt], mask: mask, prRule: l == 0)
        case (19, 18):                                   // rfid
            writeMSR(srr1, mask: .max)
            if let t = tracer, t.wants(TraceMajor.hwExceptions) { t.record(cpu: index, cycle: cycles, .exceptionReturn, srr0 & ~3) }
            complete(nextPC: srr0 & ~3)
            return nil
        case (19, 274):                                  // hrfid
            writeMSR(hsrr1, mask: .max)
            if let t = tracer, t.wants(TraceMajor.hwExceptions) { t.record(cpu: index, cycle: cycles, .exceptionReturn, hsrr0 & ~3) }
            complete(nextPC: hsrr0 & ~3)
            return nil
        case (31, 339):                                  // mfspr
            guard let v = readSPR(ra | rb << 5) else { return illegal }
            regs[gpr: rt] = v
        case (31, 467):                                  // mtspr
            guard writeSPR(ra | rb << 5, regs[gpr: rt]) else { return illegal }
        case (31, 306):                                  // tlbie: every CPU (broadcast)
            machineState.invalidate(rb: regs[gpr: rb])
            tlbInvalidations &+= 1
        case (31, 274):                                  // tlbiel: this CPU only
            flushTranslations()
            tlbInvalidations &+= 1
        case (31, 566):                                  // tlbsync
            break
        case (31, 402):                                  // slbmte
            let i = Int(regs[gpr: rb] & 0xFFF)
            if i < PPC64MMUState.slbSize {
                mmuState.slb[i] = PPC64SLBEntry(esid: regs[gpr: rb] & ~0xFFF, vsid: regs[gpr: rt])
            }
            flushTranslations()
        case (31, 915), (31, 851):                       // slbmfee, slbmfev
            let i = Int(regs[gpr: rb] & 0xFFF)
            let e = i < PPC64MMUState.slbSize ? mmuState.slb[i] : PPC64SLBEntry()
            regs[gpr: rt] = xo == 915 ? e.esid : e.vsid
        case (31, 979):                                  // slbfee.
            let e = mmuState.lookup(regs[gpr: rb])
            regs[gpr: rt] = e?.vsid ?? 0
            let so = core.registers.slots[PPC64Reg.so]
            regs.cr = (regs.cr & 0x0FFF_FFFF) | UInt32(((e != nil ? 2 : 0) | so) << 28)
        case (31, 434):                                  // slbie
            mmuState.invalidate(esidOf: regs[gpr: rb])
            flushTranslations()
        case (31, 498):                                  // slbia: all entries but entry 0 (IH = 0)
            for i in 1 ..< PPC64MMUState.slbSize { mmuState.slb[i].esid &= ~0x0800_0000 }
            flushTranslations()
        case (31, 470):                                  // dcbi
            invalidateBlock(regs[gpr: rb] &+ (ra == 0 ? 0 : regs[gpr: ra]))
        case (19, 434), (19, 402), (19, 466), (19, 498): // nap, doze, sleep, rvwinkle
            beginIdle(kind: 1)
        default:
            return illegal
        }
        complete()
        return nil
    }

    /// mfspr of SPRs the decoder treats as illegal (SPR bit 0x10 clear) but POWER8 lets
    /// problem state read: CTRL (136) and SPRG3 (259). True when executed.
    func executeUnprivilegedSPR(_ w: UInt32) -> Bool {
        guard w >> 26 == 31, (w >> 1) & 1023 == 339 else { return false }
        let spr = Int((w >> 16) & 31) | Int((w >> 11) & 31) << 5
        guard spr == PPC64SPR.ctrlRead || spr == PPC64SPR.sprg3User, let v = readSPR(spr) else { return false }
        core.registers[gpr: Int((w >> 21) & 31)] = v
        complete()
        return true
    }

    /// Value of a privileged-state readable SPR, or nil when k42sim does not implement it.
    func readSPR(_ n: Int) -> UInt64? {
        let slots = core.registers.slots
        switch n {
        case PPC64SPR.dscr: return slots[PPC64Reg.dscr]
        case PPC64SPR.dsisr: return dsisr
        case PPC64SPR.dar: return dar
        case PPC64SPR.dec: return UInt64(bitPattern: Int64(Int32(bitPattern: decrementer(at: cycles))))
        case PPC64SPR.sdr1: return mmuState.sdr1
        case PPC64SPR.srr0: return srr0
        case PPC64SPR.srr1: return srr1
        case PPC64SPR.cfar, PPC64SPR.hrmor: return 0
        case PPC64SPR.ctrlRead: return ctrl
        case PPC64SPR.sprg0 ... PPC64SPR.sprg3: return sprg[n - PPC64SPR.sprg0]
        case PPC64SPR.sprg3User: return sprg[3]
        case PPC64SPR.tbRead: return completionCycle &+ tbBias
        case PPC64SPR.tbuRead: return (completionCycle &+ tbBias) >> 32
        case PPC64SPR.pvr: return PPC64SPR.pvrPOWER8
        case PPC64SPR.hsprg0, PPC64SPR.hsprg1: return hsprg[n - PPC64SPR.hsprg0]
        case PPC64SPR.hsrr0: return hsrr0
        case PPC64SPR.hsrr1: return hsrr1
        case PPC64SPR.lpcr: return lpcr
        case PPC64SPR.lpidr: return lpidr
        case PPC64SPR.pir: return UInt64(index)
        default: return nil
        }
    }

    /// Writes a privileged SPR; false when k42sim does not implement it. Writes to read-only
    /// SPRs (PVR, PIR, CFAR, HRMOR) are ignored.
    func writeSPR(_ n: Int, _ v: UInt64) -> Bool {
        let slots = core.registers.slots
        switch n {
        case PPC64SPR.dscr: slots[PPC64Reg.dscr] = v
        case PPC64SPR.dsisr: dsisr = v & 0xFFFF_FFFF
        case PPC64SPR.dar: dar = v
        case PPC64SPR.dec:
            // The value DEC holds when this instruction completes.
            decValue = UInt32(truncatingIfNeeded: v)
            decBase = completionCycle
        case PPC64SPR.sdr1:
            mmuState.sdr1 = v
            flushTranslations()
        case PPC64SPR.srr0: srr0 = v
        case PPC64SPR.srr1: srr1 = v
        case PPC64SPR.ctrlWrite: ctrl = v & 1
        case PPC64SPR.sprg0 ... PPC64SPR.sprg3: sprg[n - PPC64SPR.sprg0] = v
        case PPC64SPR.tbl, PPC64SPR.tbu:
            // TB as read when this instruction completes.
            let now = timeBase &+ 1
            let tb = n == PPC64SPR.tbl ? (now & ~0xFFFF_FFFF) | (v & 0xFFFF_FFFF) : (v << 32) | (now & 0xFFFF_FFFF)
            tbBias = tb &- completionCycle
        case PPC64SPR.hsprg0, PPC64SPR.hsprg1: hsprg[n - PPC64SPR.hsprg0] = v
        case PPC64SPR.hsrr0: hsrr0 = v
        case PPC64SPR.hsrr1: hsrr1 = v
        case PPC64SPR.lpcr: lpcr = v | PPC64Bits.lpcrILE
        case PPC64SPR.lpidr: lpidr = v & 0xFFF
        case PPC64SPR.pvr, PPC64SPR.pir, PPC64SPR.cfar, PPC64SPR.hrmor: break
        default: return false
        }
        return true
    }
}
