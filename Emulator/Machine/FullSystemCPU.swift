// FullSystemCPU: the one skeleton of a full-system CPU, shared by both ISAs. It owns what they
// do the same way: the run loop the machine scheduler calls, the cycle count (functional mode:
// instructions + idle cycles, where an instruction that reads the clock counts itself; timing
// mode: the timing model's counter), idle accounting and its trace records, the exception
// history, the exception-loop detector, the return to the scheduler when a device scheduled an
// event, and the statistics counters. An ISA plugs in (MIPS64SystemCPU, PPC64SystemCPU): its
// interrupt check (`nextStep`), one interpreter run (`interpret`), what an interpreter exit
// means (`finish`), how idle time reaches its guest-visible counter (`idleAdvanced`) and its
// TLB and instruction-class counts (`isaCounters`).
import Traces

/// What the ISA's interrupt check decides before each interpreter run.
public enum SystemCPUStep {
    /// Something changed (an interrupt was taken, the CPU woke): check again.
    case again
    /// The machine must halt (or power off).
    case stop(MachineCPUStop)
    /// Nothing to execute until `until` (or the scheduler's target, if earlier).
    case idle(until: UInt64)
    /// Execute instructions until cycle `stop` (the target or an earlier internal event).
    case run(stop: UInt64)
}

/// The state the skeleton keeps for an ISA's CPU (one stored property of the CPU class).
public struct SystemCPUCommon<Record> {
    /// Cycles spent idle (MIPS `wait`, PPC nap or branch to self): cycles = instructions + idle.
    public var idleCycles: UInt64 = 0
    /// While the interpreter runs: device accesses read the executing instruction's cycle.
    public var inInterpreter = false
    /// Idle until an interrupt (MIPS `wait`, PPC nap); the cycle it started, for the trace.
    public var idling = false
    var idleStart: UInt64 = 0
    /// The run's trace recorder (nil: not tracing; docs/traces.md).
    var tracer: TraceRecorder?
    /// The last exceptions or interrupts taken (at most `historySize`), oldest first.
    public var history: [Record] = []
    public static var historySize: Int { 8 }
    /// Exceptions or interrupts taken.
    public var exceptionCount: UInt64 = 0
    /// The loop detector: exceptions taken in a row with no instruction completing between them.
    var exceptionsWithoutProgress = 0
    var lastExceptionInstructions: UInt64 = .max
    /// Exceptions in a row without an instruction completing that halt the machine.
    public static var exceptionLoopLimit: Int { 64 }
    public init() {}
}

/// A full-system CPU: the skeleton's requirements (the ISA's parts) and the shared MachineCPU
/// implementation in the extension below.
public protocol FullSystemCPU: MachineCPU {
    associatedtype Exit
    associatedtype Record
    var common: SystemCPUCommon<Record> { get set }
    var signals: MachineSignals { get }
    /// The timing model's cycle counter (nil: functional mode).
    var timedCycles: UInt64? { get }
    /// Adds idle cycles to the timing model's counter (timing mode only).
    func addTimedCycles(_ n: UInt64)
    /// Instructions completed; inside the interpreter, those before the executing one plus it.
    var completedInstructions: UInt64 { get }
    var liveInstructions: UInt64 { get }
    /// Interrupt check before a run: take an interrupt, leave idle, or say how far to run.
    func nextStep(target: UInt64) -> SystemCPUStep
    /// One interpreter run of at most `budget` cycles (the translation context is selected here).
    func interpret(budget: UInt64) -> Exit
    /// What an interpreter exit means; a stop when the machine must halt. `progressed`: at
    /// least one instruction completed in the run.
    func finish(_ exit: Exit, stop: UInt64, progressed: Bool) -> MachineCPUStop?
    /// Idle time was added: keep the guest-visible counter (MIPS Count, PPC TB) in step.
    func idleAdvanced()
    /// Called once when a scheduling slice ends (retired decoded code is freed).
    func sliceEnded()
    /// The ISA's counters: loads, stores, TLB misses and invalidations.
    func isaCounters(_ c: inout MachineCPUCounters)
    /// "exception name at pc" for the loop detector's message.
    func describeLast(_ r: Record) -> String
}

extension FullSystemCPU {
    public var cycles: UInt64 {
        if let t = timedCycles { return t }
        return (common.inInterpreter ? liveInstructions : completedInstructions) &+ common.idleCycles
    }

    public var instructionCount: UInt64 { common.inInterpreter ? liveInstructions : completedInstructions }

    public var idleCycles: UInt64 { common.idleCycles }

    public var counters: MachineCPUCounters {
        var c = MachineCPUCounters(cycles: cycles, instructions: instructionCount)
        c.idleCycles = common.idleCycles
        isaCounters(&c)
        return c
    }

    public func run(until target: UInt64) -> MachineCPUStop {
        defer { sliceEnded() }
        while cycles < target {
            if signals.stopRequested { return .poweredOff }
            switch nextStep(target: target) {
            case .again:
                continue
            case .stop(let s):
                return s
            case .idle(let until):
                idle(until: min(target, until))
            case .run(let stop):
                let before = completedInstructions
                let budget = stop &- cycles      // read before the interpreter's live count is
                common.inInterpreter = true
                let exit = interpret(budget: budget)
                common.inInterpreter = false
                let progressed = completedInstructions != before
                if progressed { common.exceptionsWithoutProgress = 0 }
                if let halt = finish(exit, stop: stop, progressed: progressed) { return halt }
                if signals.eventScheduled {
                    // A device scheduled an event (maybe for this CPU, inside this run): return so
                    // that the scheduler delivers it at its exact cycle.
                    signals.eventScheduled = false
                    return signals.stopRequested ? .poweredOff : .reachedTarget
                }
            }
        }
        return signals.stopRequested ? .poweredOff : .reachedTarget
    }

    /// Idles until `until` (no host time, no instructions: the counter jumps).
    public func idle(until: UInt64) {
        let now = cycles
        if until > now {
            common.idleCycles &+= until &- now
            if timedCycles != nil { addTimedCycles(until &- now) }
        }
        idleAdvanced()
    }

    /// Starts idling until an interrupt (traced as hw.idle with the ISA's kind).
    func beginIdle(kind: UInt64) {
        common.idling = true
        common.idleStart = cycles
        if let t = common.tracer, t.wants(TraceMajor.hwIdle) { t.record(cpu: index, cycle: cycles, .idle, kind) }
    }

    /// Leaves idle (traced as hw.idle wake with the cycles spent idle).
    func wake() {
        common.idling = false
        if let t = common.tracer, t.wants(TraceMajor.hwIdle) { t.record(cpu: index, cycle: cycles, .wake, cycles &- common.idleStart) }
    }

    /// Idles until `until` as one traced span (PPC branch to self).
    func idleSpan(until: UInt64, kind: UInt64) {
        if let t = common.tracer, t.wants(TraceMajor.hwIdle), until > cycles {
            let start = cycles
            t.record(cpu: index, cycle: start, .idle, kind)
            idle(until: until)
            t.record(cpu: index, cycle: cycles, .wake, cycles &- start)
        } else {
            idle(until: until)
        }
    }

    /// Files an exception or interrupt just taken: the history, the count and the loop detector
    /// (an exception taken without an instruction completing since the previous one does not
    /// count as progress; `exceptionLoopLimit` in a row halt the machine with the diagnostic).
    func recordException(_ r: Record) -> MachineCPUStop? {
        let limit = SystemCPUCommon<Record>.historySize
        if common.history.count == limit { common.history.removeFirst() }
        common.history.append(r)
        common.exceptionCount &+= 1
        let done = completedInstructions
        if done == common.lastExceptionInstructions {
            common.exceptionsWithoutProgress += 1
            if common.exceptionsWithoutProgress >= SystemCPUCommon<Record>.exceptionLoopLimit {
                return .halted("exception loop: \(SystemCPUCommon<Record>.exceptionLoopLimit) exceptions without an instruction completing (\(describeLast(r))). " + diagnostics)
            }
        } else {
            common.exceptionsWithoutProgress = 0
            common.lastExceptionInstructions = done
        }
        return nil
    }

    /// Loads and stores from the instruction-class totals: `memoryClass[kind]` is 1 for a load,
    /// 2 for a store, 0 otherwise.
    static func loadsAndStores(_ totals: UnsafeMutablePointer<UInt64>, _ memoryClass: [UInt8]) -> (UInt64, UInt64) {
        var loads: UInt64 = 0, stores: UInt64 = 0
        for (k, m) in memoryClass.enumerated() where m != 0 {
            if m == 1 { loads &+= totals[k] } else { stores &+= totals[k] }
        }
        return (loads, stores)
    }
}

/// 1 for instruction classes that read memory, 2 for those that write it (gem5's names).
func memoryClassCode(_ instClass: String) -> UInt8 {
    switch instClass {
    case "MemRead", "FloatMemRead": return 1
    case "MemWrite", "FloatMemWrite": return 2
    default: return 0
    }
}
