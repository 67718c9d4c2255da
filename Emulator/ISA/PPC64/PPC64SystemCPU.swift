// PPC64SystemCPU: a full-system POWER8-like PPC64 hardware thread (Power ISA 2.07 Book III-S)
// for the machine scheduler. It wraps the user-level core (PPC64CPU, the same interpreter as SE
// mode, specialised with PPC64SystemMode) and adds the MSR, SRRs, SPRGs, DEC/TB, the SLB and
// hashed page table (PPC64SystemMMU, one SoftMMU per translation context), interrupts at the
// architectural vectors, branch-to-self and nap idling, and larx/stcx. through the machine's
// ReservationMonitor. Privileged instructions leave the interpreter (as privileged-instruction
// exits) and are executed here, so MSR changes happen only between interpreter runs. Time,
// functional mode: 1 instruction = 1 cycle; taking an interrupt costs no cycle; an interrupt is
// taken before the instruction at the cycle it becomes pending. Timing mode (the machine has a
// MemoryHierarchy): cycles = base costs + memory latencies + walk and interrupt costs
// (PPC64Timing), kept in slots[PPC64Reg.cycles]; runs stop at the first instruction boundary at
// or after the target cycle. See docs/ppc64-system.md and docs/timing.md.
// Interrupts: +Interrupts.swift; privileged instructions and SPRs: +Privileged.swift.
import Traces

public final class PPC64SystemCPU: FullSystemCPU {
    public let index: Int
    public let core: PPC64CPU
    public let mmuState: PPC64MMUState
    public let signals: MachineSignals
    let reservations: ReservationMonitor
    /// What all PPC64 CPUs of the machine share: decoded code, and the broadcast of tlbie.
    let machineState: PPC64MachineState
    /// Soft TLBs and translators per translation context: (MSR[PR] ? 2 : 0) + relocation.
    let mmus: [SoftMMU]
    let translators: [PPC64SystemMMU]

    // Privileged registers (MSR, SRR0 and SRR1 live in the core's register slots).
    public internal(set) var dar: UInt64 = 0
    public internal(set) var dsisr: UInt64 = 0
    /// Translations invalidated by tlbiel / issued tlbie (MachineCPUCounters.tlbInvalidations).
    public internal(set) var tlbInvalidations: UInt64 = 0
    public internal(set) var sprg: [UInt64] = [0, 0, 0, 0]
    public internal(set) var hsprg: [UInt64] = [0, 0]
    public internal(set) var hsrr0: UInt64 = 0
    public internal(set) var hsrr1: UInt64 = 0
    public internal(set) var lpcr: UInt64 = PPC64Bits.lpcrILE | PPC64Bits.lpcrLPES0
    public internal(set) var lpidr: UInt64 = 0
    public internal(set) var ctrl: UInt64 = 1

    /// TB = cycles + tbBias.
    var tbBias: UInt64 = 0
    /// DEC as read at cycle `decBase` (32 bits, LPCR[LD] = 0).
    var decValue: UInt32 = 0x7FFF_FFFF
    var decBase: UInt64 = 0
    /// The skeleton's state (FullSystemCPU): idle cycles, interrupt history, loop detector.
    public var common = SystemCPUCommon<InterruptRecord>()
    var externalLine = false
    /// In nap/doze/sleep/rvwinkle until an external or decrementer exception wakes the thread.
    public var napping: Bool { common.idling }
    /// The run's trace recorder (nil: not tracing; docs/traces.md).
    var tracer: TraceRecorder? { common.tracer }

    public struct InterruptRecord: Sendable {
        public var cycle: UInt64
        public var vector: UInt64
        public var srr0: UInt64
        public var srr1: UInt64
        public var dar: UInt64
        public var dsisr: UInt64
    }
    /// The last interrupts taken (at most 8), oldest first.
    public var history: [InterruptRecord] { common.history }
    public var interruptCount: UInt64 { common.exceptionCount }

    public init(index: Int, ram: PhysicalMemory, map: PhysicalAddressMap, devices: DeviceBus?,
                machineState: PPC64MachineState, reservations: ReservationMonitor, signals: MachineSignals) {
        self.index = index
        self.signals = signals
        self.reservations = reservations
        self.machineState = machineState
        let state = PPC64MMUState(ram: ram, map: map)
        mmuState = state
        translators = (0 ..< 4).map { PPC64SystemMMU(problemState: $0 >= 2, relocate: $0 & 1 != 0, state: state) }
        mmus = translators.map { t in
            let m = SoftMMU(physical: ram, translator: t)
            m.devices = devices
            m.cpuIndex = index
            reservations.register(m)
            return m
        }
        core = PPC64CPU(mmu: mmus[0], codeCache: machineState.codeCache, littleEndian: true)
        machineState.join(mmus: mmus, core: core)
        msr = PPC64MSR.sf | PPC64MSR.hv | PPC64MSR.me | PPC64MSR.le
        syncTimeBase()
    }

    /// The machine's constructor (SystemCPUFactory): entry point, r3 = boot info, r4 = CPU number;
    /// the dcbz block is the described L1 line (128 bytes without a description).
    public convenience init(_ ctx: MachineCPUContext) {
        self.init(index: ctx.index, ram: ctx.ram, map: PhysicalAddressMap(ramBytes: ctx.config.totalMemory),
                  devices: ctx.devices, machineState: PPC64MachineState.of(ctx), reservations: ctx.shared.reservations,
                  signals: ctx.signals)
        // dcbz zeroes one cache line of the described machine (all levels share one line size).
        if let c = ctx.config.caches { core.registers.slots[PPC64Reg.blockMask] = UInt64(c.l1d.lineSize) - 1 }
        if let h = ctx.shared.hierarchy {
            let t = PPC64Timing(hierarchy: h, cpu: ctx.index)
            core.timing = t
            core.registers.slots[PPC64Reg.fetchLine] = .max
            mmuState.walkCycles = core.registers.slots + PPC64Reg.cycles
            mmuState.walkPenalty = t.walkPenalty
            syncTimeBase()
        }
        core.pc = ctx.entryPoint
        core.registers[gpr: 3] = ctx.bootInfoAddress
        core.registers[gpr: 4] = UInt64(ctx.index)
        if let t = ctx.shared.tracer {
            common.tracer = t
            if t.wants(TraceMajor.hwTLB) {
                let cpu = ctx.index
                mmuState.onWalk = { [unowned self] ea, access, result in
                    t.record(cpu: cpu, cycle: self.cycles, .pageTableWalk, ea, access, result)
                }
            }
        }
    }

    // MARK: registers

    public internal(set) var msr: UInt64 {
        get { core.registers.slots[PPC64Reg.msr] }
        set {
            core.registers.slots[PPC64Reg.msr] = newValue
            var off: UInt64 = 0
            if newValue & PPC64MSR.fp == 0 { off |= UInt64(PPC64Facility.fp) }
            if newValue & PPC64MSR.vec == 0 { off |= UInt64(PPC64Facility.vec) }
            if newValue & PPC64MSR.vsx == 0 { off |= UInt64(PPC64Facility.vsx) }
            core.registers.slots[PPC64Reg.facilityOff] = off
        }
    }
    public internal(set) var srr0: UInt64 {
        get { core.registers.slots[PPC64Reg.srr0] }
        set { core.registers.slots[PPC64Reg.srr0] = newValue }
    }
    public internal(set) var srr1: UInt64 {
        get { core.registers.slots[PPC64Reg.srr1] }
        set { core.registers.slots[PPC64Reg.srr1] = newValue }
    }
    public var pc: UInt64 { core.pc }

    // MARK: MachineCPU (the rest is FullSystemCPU's)

    public var timedCycles: UInt64? { core.timing != nil ? core.registers.slots[PPC64Reg.cycles] : nil }
    public func addTimedCycles(_ n: UInt64) { core.registers.slots[PPC64Reg.cycles] &+= n }
    public var completedInstructions: UInt64 { core.instructionCount }
    /// Inside the interpreter (a device access): the instructions before the executing one plus
    /// that one, so a device read counts its own instruction (as on MIPS64) and a sim-call dump
    /// counts its own store.
    public var liveInstructions: UInt64 { core.instructionCount &+ core.registers.slots[PPC64Reg.liveCount] &+ 1 }
    /// The timing model, when the machine has a memory hierarchy.
    public var timing: PPC64Timing? { core.timing }

    static let memoryClass: [UInt8] = (0 ..< 1024).map { raw in
        guard let k = PPC64OpKind(rawValue: UInt16(raw)), k != .pageEnd else { return 0 }
        return memoryClassCode(k.instClass)
    }

    public func isaCounters(_ c: inout MachineCPUCounters) {
        // Inside the interpreter (a device read), the open run is counted up to the current instruction.
        core.blockCounts.fold(live: common.inInterpreter ? core.registers.slots[PPC64Reg.liveCount] &+ 1 : nil)
        (c.loads, c.stores) = Self.loadsAndStores(core.kindTotals, Self.memoryClass)
        c.itbMisses = mmuState.itbWalks
        c.dtbReadMisses = mmuState.dtbReadWalks
        c.dtbWriteMisses = mmuState.dtbWriteWalks
        c.tlbInvalidations = tlbInvalidations
    }

    public func setExternalInterrupt(_ asserted: Bool) { externalLine = asserted }

    public var nextInternalEvent: UInt64? { decrementerEvent(from: cycles) }

    /// TB = cycles + tbBias.
    public var timestampOffset: UInt64 { 0 &- tbBias }

    public func nextStep(target: UInt64) -> SystemCPUStep {
        if napping {
            if let reason = wakeReason {
                wake()
                if let halt = interrupt(PPC64IntVector.systemReset, srr0: core.pc, bits: reason | PPC64Bits.wakeNoLoss) { return .stop(halt) }
                return .again
            }
            return .idle(until: decrementerEvent(from: cycles))
        }
        let m = msr
        if m & PPC64MSR.ee != 0 {
            if externalLine {
                if let halt = interrupt(PPC64IntVector.external, srr0: core.pc, bits: 0) { return .stop(halt) }
                return .again
            }
            if decrementerPending {
                if let halt = interrupt(PPC64IntVector.decrementer, srr0: core.pc, bits: 0) { return .stop(halt) }
                return .again
            }
        }
        selectContext()
        return .run(stop: m & PPC64MSR.ee != 0 ? min(target, decrementerEvent(from: cycles)) : target)
    }

    public func interpret(budget: UInt64) -> PPC64Exit {
        let budget = msr & PPC64MSR.se != 0 ? 1 : budget
        core.registers.slots[PPC64Reg.liveCount] = 0
        return core.timing != nil ? core.runTimed(budget: budget) : core.runSystem(budget: budget)
    }

    public func finish(_ exit: PPC64Exit, stop: UInt64, progressed: Bool) -> MachineCPUStop? {
        // MSR[SE] as it was for the run (an rfid executed in handle may change it).
        let stepping = msr & PPC64MSR.se != 0
        if let halt = handle(exit, idleUntil: stop) { return halt }
        if stepping && progressed, exit == .budgetExhausted || exit == .codeModified {
            return interrupt(PPC64IntVector.trace, srr0: core.pc, bits: 0)
        }
        return nil
    }

    public func idleAdvanced() { syncTimeBase() }

    public func sliceEnded() { core.codeCache.collectRetired() }

    public func describeLast(_ r: InterruptRecord) -> String {
        "\(PPC64IntVector.name(r.vector)) at 0x\(hex(r.srr0))"
    }

    public var diagnostics: String {
        var s = "PPC64 CPU \(index): pc 0x\(hex(core.pc)), MSR 0x\(hex(msr)), SRR0 0x\(hex(srr0)), SRR1 0x\(hex(srr1)), DAR 0x\(hex(dar)), DSISR 0x\(hex(dsisr, width: 8)), DEC 0x\(hex(UInt64(decrementer(at: cycles)), width: 8)), cycle \(cycles), instructions \(core.instructionCount)"
        if napping { s += ", napping" }
        s += "; last interrupts:"
        if history.isEmpty { s += " none" }
        for h in history {
            s += " [cycle \(h.cycle) \(PPC64IntVector.name(h.vector)) srr0 0x\(hex(h.srr0)) srr1 0x\(hex(h.srr1))"
            if h.vector == PPC64IntVector.dataStorage || h.vector == PPC64IntVector.dataSegment || h.vector == PPC64IntVector.alignment {
                s += " dar 0x\(hex(h.dar)) dsisr 0x\(hex(h.dsisr, width: 8))"
            }
            s += "]"
        }
        return s
    }

    // MARK: translation contexts, time

    /// Makes the soft TLBs of MSR[PR]/MSR[DR] (data) and MSR[PR]/MSR[IR] (fetch) current.
    func selectContext() {
        let m = msr
        let pr = m & PPC64MSR.pr != 0 ? 2 : 0
        let d = pr + (m & PPC64MSR.dr != 0 ? 1 : 0), i = pr + (m & PPC64MSR.ir != 0 ? 1 : 0)
        core.selectTranslation(data: mmus[d], fetch: mmus[i], fetchContext: i)
    }

    /// Drops every soft-TLB and code-TLB entry of this CPU (SLB or SDR1 changes, tlbiel; tlbie
    /// goes to every CPU through machineState).
    func flushTranslations() {
        for m in mmus { m.flushAll() }
        core.flushCodeTLB()
    }

    /// Keeps the interpreter's mftb (instructions + tbOffset; timing mode: slots[cycles] +
    /// tbOffset) equal to cycles + tbBias.
    func syncTimeBase() {
        core.registers.slots[PPC64Reg.tbOffset] = core.timing != nil ? tbBias : idleCycles &+ tbBias
    }

    var timeBase: UInt64 { cycles &+ tbBias }

    /// DEC as read by an instruction executing at `cycle`.
    func decrementer(at cycle: UInt64) -> UInt32 {
        decValue &- UInt32(truncatingIfNeeded: cycle &- decBase)
    }

    /// A decrementer exception exists while DEC's most significant bit is 1 (level, 2.07 6.5.11).
    var decrementerPending: Bool { Int32(bitPattern: decrementer(at: cycles)) < 0 }

    /// The first cycle >= `now` at which a decrementer exception exists.
    func decrementerEvent(from now: UInt64) -> UInt64 {
        let d = Int32(bitPattern: decrementer(at: now))
        return d < 0 ? now : now &+ UInt64(d) &+ 1
    }

    var wakeReason: UInt64? {
        if externalLine { return PPC64Bits.wakeExternal }
        if decrementerPending { return PPC64Bits.wakeDecrementer }
        return nil
    }
}
