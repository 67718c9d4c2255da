// MachineCPU: what the deterministic multiprocessor scheduler needs from a CPU of either ISA.
// Called once per scheduling slice (an existential is fine at that granularity).

public enum MachineCPUStop: Equatable, Sendable {
    /// The CPU's cycle counter reached the requested target — or the CPU stopped early because a
    /// device scheduled a new event (MachineSignals.eventScheduled) and the scheduler must re-plan.
    case reachedTarget
    /// A device asked the machine to stop (power-off); the machine reads the status.
    case poweredOff
    /// An unrecoverable state (double fault, wild jump, hang); the text is the diagnostic.
    case halted(String)
}

public protocol MachineCPU: AnyObject {
    var index: Int { get }
    var cycles: UInt64 { get }
    /// Runs until `cycles >= target` exactly (instructions are 1 cycle for now), or returns early
    /// with `.poweredOff` / `.halted`. An idle CPU (nothing to do until an interrupt) advances its
    /// counter to `target` (or its own next internal event) without executing.
    func run(until target: UInt64) -> MachineCPUStop
    /// The platform interrupt controller's line to this CPU.
    func setExternalInterrupt(_ asserted: Bool)
    /// Earliest cycle of an event inside the CPU (e.g. MIPS Count == Compare, PPC decrementer).
    var nextInternalEvent: UInt64? { get }
    /// Instructions executed so far.
    var instructionCount: UInt64 { get }
    /// CPU, pc, status registers and the last exceptions taken, for fatal-error reports.
    var diagnostics: String { get }
    /// Cumulative counters for the statistics report (MachineStatistics).
    var counters: MachineCPUCounters { get }
    /// cycles - the guest-visible cycle counter that trace timestamps come from (MIPS Count,
    /// PPC time base), modulo 2^64: 0 unless the guest rewrote that counter.
    var timestampOffset: UInt64 { get }
}

/// A CPU's cumulative counters as the statistics report needs them.
public struct MachineCPUCounters: Sendable {
    public var cycles: UInt64
    public var instructions: UInt64
    public var idleCycles: UInt64 = 0
    /// Load and store instructions executed (TLB accesses: dtb reads / writes; itb = instructions).
    public var loads: UInt64 = 0
    public var stores: UInt64 = 0
    /// TLB misses (MIPS: software refill exceptions taken).
    public var itbMisses: UInt64 = 0
    public var dtbReadMisses: UInt64 = 0
    public var dtbWriteMisses: UInt64 = 0
    /// Translations the software invalidated on this CPU: MIPS tlbwi/tlbwr replacing a valid
    /// entry by one with both halves invalid; PPC tlbiel, and tlbie on the CPU that issued it.
    public var tlbInvalidations: UInt64 = 0
    public init(cycles: UInt64, instructions: UInt64) { self.cycles = cycles; self.instructions = instructions }
}

extension MachineCPU {
    /// Default for CPUs that count nothing beyond cycles and instructions.
    public var counters: MachineCPUCounters { MachineCPUCounters(cycles: cycles, instructions: instructionCount) }
    public var timestampOffset: UInt64 { 0 }
}

/// Flags a device raises for the scheduler (shared by all CPUs of a machine).
public final class MachineSignals {
    /// Set by the power device: the guest's exit status.
    public var powerOffStatus: Int32?
    /// Set by devices when they schedule a timed event; a running CPU returns to the scheduler
    /// at its next exit so that the new event can be delivered at its exact cycle.
    public var eventScheduled = false
    public init() {}
    public var stopRequested: Bool { powerOffStatus != nil }
}
