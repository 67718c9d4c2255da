// MIPS64SystemCPU: a full-system MIPS64r2 CPU (R4000-family privileged architecture) for the
// machine scheduler. It wraps the user-level core (MIPS64CPU + interpreter in MIPS64SystemMode)
// and adds CP0, the joint TLB, one SoftMMU + translator per privilege mode, exceptions at the
// architectural vectors, Count/Compare, `wait` idling and LL/SC through the machine's
// ReservationMonitor. Privileged instructions leave the interpreter (it reports them as
// coprocessor-unusable exits) and are executed here, so mode changes happen only between
// interpreter runs. Time, functional mode: 1 instruction = 1 cycle; taking an exception costs no
// cycle; an interrupt is taken before the instruction at the cycle it becomes pending. Timing
// mode (the machine has a MemoryHierarchy): cycles = base costs + memory latencies + exception
// costs (MIPS64Timing), kept in core.ctl[MIPS64Ctl.cycles]; runs stop at the first instruction
// boundary at or after the target cycle.
// Exceptions: +Exceptions.swift; CP0 registers and privileged instructions: +COP0.swift.
// Tracing (docs/traces.md): exceptions, interrupts, eret, TLB refills, wait and wake-up are recorded
// on those slow paths when the machine has a trace recorder; the interpreter has no hook.
import Traces

public final class MIPS64SystemCPU: FullSystemCPU {
    public let index: Int
    public let core: MIPS64CPU
    public let cp0: MIPS64CP0
    /// The cache fields of Config1, Config2 and SYNCI_Step this CPU reports.
    public let cacheConfig: MIPS64CacheConfig
    let map: PhysicalAddressMap
    let reservations: ReservationMonitor
    public let signals: MachineSignals
    /// Soft TLBs and translators for kernel, supervisor and user mode.
    let mmus: [SoftMMU]
    let translators: [MIPS64SystemMMU]

    /// The skeleton's state (FullSystemCPU): idle cycles, exception history, loop detector.
    public var common = SystemCPUCommon<ExceptionRecord>()
    /// Cycle at which Count was 0 (mod 2^32).
    var countZero: UInt64 = 0
    /// Next cycle at which Count == Compare.
    var timerEvent: UInt64 = 1 << 32
    var timerPending = false
    var externalLine = false
    /// In `wait`, until an interrupt is pending.
    public var waiting: Bool { common.idling }
    public struct ExceptionRecord: Sendable {
        public var cycle: UInt64
        public var code: UInt64
        public var epc: UInt64
        public var badVAddr: UInt64
        public var vector: UInt64
    }
    /// The last exceptions taken (at most 8), oldest first.
    public var history: [ExceptionRecord] { common.history }
    public var exceptionCount: UInt64 { common.exceptionCount }
    /// Software TLB refills taken (TLB refill exceptions) for fetches, loads and stores.
    public internal(set) var itbMisses: UInt64 = 0
    public internal(set) var dtbReadMisses: UInt64 = 0
    public internal(set) var dtbWriteMisses: UInt64 = 0
    public internal(set) var tlbInvalidations: UInt64 = 0
    /// The timing model, when the machine has a memory hierarchy.
    public var timing: MIPS64Timing? { core.timing }
    /// The run's trace recorder (nil: not tracing).
    var tracer: TraceRecorder? { common.tracer }

    /// Builds CPU `index` of a machine: RAM, devices, shared decoded-code cache and reservations.
    /// `caches`: what Config1/Config2 and rdhwr $1 report (MIPS64CacheConfig).
    public init(index: Int, ram: PhysicalMemory, map: PhysicalAddressMap, devices: DeviceBus?,
                codeCache: DecodedPageCache<MIPS64Op>, reservations: ReservationMonitor,
                signals: MachineSignals, tlbEntries: Int = 64, caches: MIPS64CacheConfig = .functional) {
        self.index = index
        cacheConfig = caches
        self.map = map
        self.reservations = reservations
        self.signals = signals
        let cp0 = MIPS64CP0(cpuNumber: index, tlbEntries: tlbEntries)
        self.cp0 = cp0
        translators = (0 ..< 3).map { MIPS64SystemMMU(mode: $0, cp0: cp0, map: map) }
        mmus = translators.map { t in
            let m = SoftMMU(physical: ram, translator: t)
            m.devices = devices
            m.cpuIndex = index
            reservations.register(m)
            return m
        }
        core = MIPS64CPU(mmu: mmus[0], codeCache: codeCache)
        core.ctl[MIPS64Ctl.cpuNumber] = UInt64(index)
        core.ctl[MIPS64Ctl.synciStep] = caches.synciStep
        core.fcsr = 0
        updateCountBias()
    }

    /// The machine's constructor (SystemCPUFactory): entry point, a0 = boot info, a1 = CPU number;
    /// Config1/Config2 describe the machine's caches when it has a description.
    public convenience init(_ ctx: MachineCPUContext) throws(ElfError) {
        var caches = MIPS64CacheConfig.functional
        if let c = ctx.config.caches {
            do { caches = try MIPS64CacheConfig(c) } catch { throw ElfError("invalid machine configuration: \(error)") }
        }
        let cache: DecodedPageCache<MIPS64Op>
        if let c = ctx.shared.isaState as? DecodedPageCache<MIPS64Op> {
            cache = c
        } else {
            cache = DecodedPageCache<MIPS64Op>()
            ctx.ram.addListener(cache)
            ctx.shared.isaState = cache
        }
        self.init(index: ctx.index, ram: ctx.ram, map: PhysicalAddressMap(ramBytes: ctx.config.totalMemory),
                  devices: ctx.devices, codeCache: cache, reservations: ctx.shared.reservations,
                  signals: ctx.signals, tlbEntries: ctx.config.tlbEntries, caches: caches)
        if let h = ctx.shared.hierarchy {
            core.timing = MIPS64Timing(hierarchy: h, cpu: ctx.index)
            updateCountBias()
        }
        core.pc = ctx.entryPoint
        core.gpr[4] = ctx.bootInfoAddress
        core.gpr[5] = UInt64(ctx.index)
        common.tracer = ctx.shared.tracer
    }

    // MARK: MachineCPU (the rest is FullSystemCPU's)

    public var timedCycles: UInt64? { core.timing != nil ? core.ctl[MIPS64Ctl.cycles] : nil }
    public func addTimedCycles(_ n: UInt64) { core.ctl[MIPS64Ctl.cycles] &+= n }
    public var completedInstructions: UInt64 { core.instructions }
    /// Inside the interpreter: the count including the executing instruction (exec stores it).
    public var liveInstructions: UInt64 { core.ctl[MIPS64Ctl.liveCount] }

    static let memoryClass: [UInt8] = (0 ..< 256).map { raw in
        guard let k = MIPS64Kind(rawValue: UInt8(raw)), k != .pageEnd else { return 0 }
        return memoryClassCode(k.instClass)
    }

    public func isaCounters(_ c: inout MachineCPUCounters) {
        // Inside the interpreter (a device read), the open run is counted up to the live count.
        core.blockCounts.fold(live: common.inInterpreter ? core.ctl[MIPS64Ctl.liveCount] : nil)
        (c.loads, c.stores) = Self.loadsAndStores(core.kindTotals, Self.memoryClass)
        c.itbMisses = itbMisses
        c.dtbReadMisses = dtbReadMisses
        c.dtbWriteMisses = dtbWriteMisses
        c.tlbInvalidations = tlbInvalidations
    }

    public var pc: UInt64 { core.pc }

    public func setExternalInterrupt(_ asserted: Bool) { externalLine = asserted }

    public var nextInternalEvent: UInt64? { timerEvent }

    /// Count = cycles - countZero.
    public var timestampOffset: UInt64 { countZero }

    public func nextStep(target: UInt64) -> SystemCPUStep {
        if cycles >= timerEvent {
            timerPending = true
            timerEvent &+= 1 << 32
        }
        if interruptsTaken {
            if waiting { wake() }
            core.exceptionPC = core.pc
            core.inDelaySlot = false
            if let halt = takeException(MIPS64ExcCode.interrupt, interrupt: true) { return .stop(halt) }
            return .again
        }
        if waiting {
            if pendingInterrupts != 0 { wake(); return .again }
            return .idle(until: timerEvent)
        }
        selectMode()
        return .run(stop: min(target, timerEvent))
    }

    public func interpret(budget: UInt64) -> MIPS64Exit {
        core.ctl[MIPS64Ctl.liveCount] = core.instructions
        return core.timing != nil ? core.runTimed(budget: budget) : core.runSystem(budget: budget)
    }

    public func finish(_ exit: MIPS64Exit, stop: UInt64, progressed: Bool) -> MachineCPUStop? { handle(exit) }

    public func idleAdvanced() { updateCountBias() }

    public func sliceEnded() { core.codeCache.collectRetired() }

    public func describeLast(_ r: ExceptionRecord) -> String {
        "\(Self.excName(r.code)) at epc 0x\(hex(r.epc))"
    }

    public var diagnostics: String {
        var s = "MIPS64 CPU \(index): pc 0x\(hex(core.pc)), Status 0x\(hex(cp0.status, width: 8)), Cause 0x\(hex(causeValue, width: 8)), EPC 0x\(hex(cp0.epc)), BadVAddr 0x\(hex(cp0.badVAddr)), cycle \(cycles), instructions \(core.instructions)"
        if waiting { s += ", waiting" }
        s += "; last exceptions:"
        if history.isEmpty { s += " none" }
        for h in history {
            s += " [cycle \(h.cycle) \(Self.excName(h.code)) epc 0x\(hex(h.epc)) badvaddr 0x\(hex(h.badVAddr)) -> 0x\(hex(h.vector))]"
        }
        return s
    }

    static func excName(_ code: UInt64) -> String {
        let names = ["Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE", "Sys", "Bp", "RI", "CpU", "Ov", "Tr", "14", "FPE"]
        return code < UInt64(names.count) ? names[Int(code)] : "\(code)"
    }

    // MARK: mode, interrupts, time

    /// Makes the soft TLB / code TLB of the current privilege mode current and refreshes the
    /// interpreter's view of CU1 and HWREna.
    func selectMode() {
        let mode = cp0.privilegeMode
        core.selectTranslation(mode: mode, mmu: mmus[mode])
        core.ctl[MIPS64Ctl.fpuUnusable] = cp0.status & MIPS64Status.cu1 == 0 ? 1 : 0
        let allowed = mode == 0 || cp0.status & MIPS64Status.cu0 != 0
        core.ctl[MIPS64Ctl.hwrEnable] = allowed ? .max : cp0.hwrEna
    }

    /// Cause with the hardware interrupt bits: TI/IP7 (timer) and IP2 (external line).
    var causeValue: UInt64 {
        var c = cp0.cause
        if timerPending { c |= MIPS64Cause.ti | MIPS64Cause.ip7 }
        if externalLine { c |= MIPS64Cause.ip2 }
        return c
    }

    /// Pending and unmasked interrupt bits (Cause.IP & Status.IM).
    var pendingInterrupts: UInt64 { causeValue & cp0.status & MIPS64Status.im }

    /// An interrupt is taken: pending & unmasked, IE = 1, EXL = ERL = 0.
    var interruptsTaken: Bool {
        cp0.status & (MIPS64Status.ie | MIPS64Status.exl | MIPS64Status.erl) == MIPS64Status.ie && pendingInterrupts != 0
    }

    var count: UInt32 { UInt32(truncatingIfNeeded: cycles &- countZero) }

    func updateCountBias() {
        // Count = instructions + bias (rdhwr $2 inside the interpreter).
        // Timing mode: Count = ctl[cycles] + bias.
        core.ctl[MIPS64Ctl.countBias] = core.timing != nil ? 0 &- countZero : idleCycles &- countZero
    }

    /// Recomputes the cycle of the next Count == Compare match (2^32 cycles away if equal now).
    func rescheduleTimer() {
        var d = UInt64(cp0.compare &- count)
        if d == 0 { d = 1 << 32 }
        timerEvent = cycles &+ d
    }

    /// Drops all soft-TLB and code-TLB entries (JTLB or ASID change, segment-control bits).
    func flushTranslations() {
        for m in mmus { m.flushAll() }
        core.flushCodeTLB()
    }
}
