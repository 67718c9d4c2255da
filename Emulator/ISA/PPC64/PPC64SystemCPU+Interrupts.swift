// PPC64SystemCPU+Interrupts: turns interpreter exits into Book III-S interrupts (2.07 ch. 6):
// SRR0 = the instruction (or the next one for sc and asynchronous interrupts), SRR1 = MSR with
// bits 33:36 and 42:47 replaced by the interrupt's bits, DAR/DSISR for data interrupts, and the
// new MSR: SF = 1, HV and ME kept (machine check clears ME), LE = LPCR[ILE] (always 1), all
// other bits (EE, PR, IR, DR, FP, VEC, VSX, SE, BE, FE0/1, RI, PMM) 0. Vectors are real
// addresses 0x100 ... 0xF40 (LPCR[AIL] is not modelled). 64 interrupts in a row without an
// instruction completing halt the machine with the diagnostic (e.g. unmapped vectors; FullSystemCPU).
// Timing mode: every interrupt taken costs `costs.system` cycles.
import Traces

extension PPC64SystemCPU {
    /// Handles an interpreter exit; returns a stop for the machine when it must halt.
    func handle(_ exit: PPC64Exit, idleUntil stop: UInt64) -> MachineCPUStop? {
        switch exit {
        case .budgetExhausted, .codeModified:
            return nil
        case .idle:
            // A branch to itself: idle until the stop (traced as one idle span).
            idleSpan(until: stop, kind: 2)
            return nil
        case .systemCall:
            return interrupt(PPC64IntVector.systemCall, srr0: core.pc, bits: 0)
        case .trap:
            return interrupt(PPC64IntVector.program, srr0: core.pc, bits: PPC64Bits.programTrap)
        case .illegalInstruction(let w):
            if executeUnprivilegedSPR(w) { return nil }
            return interrupt(PPC64IntVector.program, srr0: core.pc, bits: PPC64Bits.programIllegal)
        case .privilegedInstruction(let w):
            if w >> 26 == 17 {
                // sc with LEV != 0 (hypervisor call): the same system call interrupt (MSR[HV] = 1).
                core.pc &+= 4
                core.instructionCount &+= 1
                return interrupt(PPC64IntVector.systemCall, srr0: core.pc, bits: 0)
            }
            if msr & PPC64MSR.pr != 0 {
                return interrupt(PPC64IntVector.program, srr0: core.pc, bits: PPC64Bits.programPrivileged)
            }
            return executePrivileged(w)
        case .facilityUnavailable(let f):
            let v = f & PPC64Facility.fp != 0 ? PPC64IntVector.fpUnavailable
                : (f & PPC64Facility.vec != 0 ? PPC64IntVector.vectorUnavailable : PPC64IntVector.vsxUnavailable)
            return interrupt(v, srr0: core.pc, bits: 0)
        case .memoryFault(let f):
            return storageInterrupt(f)
        }
    }

    func storageInterrupt(_ f: MemoryFault) -> MachineCPUStop? {
        if f.kind == .misaligned {
            // larx/stcx. not aligned to their size (2.07 6.5.8).
            dar = f.address
            dsisr = 0
            return interrupt(PPC64IntVector.alignment, srr0: core.pc, bits: 0)
        }
        guard f.architectural, let kind = PPC64FaultKind(rawValue: UInt8(truncatingIfNeeded: f.code)) else {
            // A failure the soft TLB found itself (no permission in the translation).
            if f.access == .execute { return interrupt(PPC64IntVector.instructionStorage, srr0: core.pc, bits: PPC64Bits.protection) }
            dar = f.address
            dsisr = PPC64Bits.protection | (f.access == .write ? PPC64Bits.dsisrStore : 0)
            return interrupt(PPC64IntVector.dataStorage, srr0: core.pc, bits: 0)
        }
        switch kind {
        case .dataStorage:
            dar = f.address; dsisr = f.flags
            return interrupt(PPC64IntVector.dataStorage, srr0: core.pc, bits: 0)
        case .dataSegment:
            dar = f.address
            return interrupt(PPC64IntVector.dataSegment, srr0: core.pc, bits: 0)
        case .instructionStorage:
            return interrupt(PPC64IntVector.instructionStorage, srr0: core.pc, bits: f.flags)
        case .instructionSegment:
            return interrupt(PPC64IntVector.instructionSegment, srr0: core.pc, bits: 0)
        case .machineCheck:
            if f.access != .execute { dar = f.address }
            return interrupt(PPC64IntVector.machineCheck, srr0: core.pc, bits: f.flags)
        }
    }

    /// Takes the interrupt at `vector`; nil, or a halt (checkstop, interrupt loop).
    @discardableResult
    func interrupt(_ vector: UInt64, srr0 at: UInt64, bits: UInt64) -> MachineCPUStop? {
        let old = msr
        if vector == PPC64IntVector.machineCheck && old & PPC64MSR.me == 0 {
            return .halted("checkstop: machine check with MSR[ME] = 0 at 0x\(hex(at)); " + diagnostics)
        }
        let tracedCycle = cycles
        srr0 = at
        srr1 = (old & ~PPC64Bits.srr1Specific) | (bits & PPC64Bits.srr1Specific)
        var keep = PPC64MSR.hv | PPC64MSR.me
        if vector == PPC64IntVector.machineCheck { keep = PPC64MSR.hv }
        msr = (old & keep) | PPC64MSR.sf | (lpcr & PPC64Bits.lpcrILE != 0 ? PPC64MSR.le : 0) | PPC64MSR.fixedOn
        core.pc = vector
        if let t = core.timing { core.registers.slots[PPC64Reg.cycles] &+= t.exceptionCost }
        if let t = tracer, t.wants(TraceMajor.hwExceptions) {
            switch vector {
            case PPC64IntVector.external, PPC64IntVector.decrementer, PPC64IntVector.systemReset:
                t.record(cpu: index, cycle: tracedCycle, .interrupt, vector, at, srr1 & PPC64Bits.srr1Specific, vector, 0)
            default:
                let data = vector == PPC64IntVector.dataStorage || vector == PPC64IntVector.dataSegment || vector == PPC64IntVector.alignment
                t.record(cpu: index, cycle: tracedCycle, .exception, vector, at, data ? dar : 0, vector, 0)
            }
        }
        return recordException(InterruptRecord(cycle: cycles, vector: vector, srr0: at, srr1: srr1, dar: dar, dsisr: dsisr))
    }
}
