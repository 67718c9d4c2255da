// MachineShared: machine-wide objects the CPUs of one machine share — the LL/SC reservation
// monitor and a slot for per-ISA state (the MIPS64 CPUs keep their shared DecodedPageCache
// there, the PPC64 CPUs a PPC64MachineState: the cache and tlbie's broadcast; the first CPU
// built creates it), in timing mode the memory hierarchy, and when tracing the trace recorder.
import Traces

public final class MachineShared {
    public let reservations: ReservationMonitor
    public var isaState: AnyObject?
    /// The memory hierarchy of a machine in timing mode (nil: functional mode, 1 instruction =
    /// 1 cycle). CPUs built by SystemCPUFactory attach their timing model to it.
    public var hierarchy: MemoryHierarchy?
    /// The run's trace recorder (`k42sim boot --trace`; docs/traces.md), nil when not tracing:
    /// CPUs built by SystemCPUFactory record their hardware events into it.
    public var tracer: TraceRecorder?

    public init(reservations: ReservationMonitor) {
        self.reservations = reservations
    }
}
