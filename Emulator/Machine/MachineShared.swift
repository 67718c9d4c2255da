// MachineShared: machine-wide objects the CPUs of one machine share — the LL/SC reservation
// monitor and a slot for per-ISA state (the MIPS64 CPUs keep their shared DecodedPageCache
// there, the PPC64 CPUs a PPC64MachineState: the cache and tlbie's broadcast; the first CPU
// built creates it), and in timing mode the memory hierarchy.

public final class MachineShared {
    public let reservations: ReservationMonitor
    public var isaState: AnyObject?
    /// The memory hierarchy of a machine in timing mode (nil: functional mode, 1 instruction =
    /// 1 cycle). CPUs built by SystemCPUFactory attach their timing model to it.
    public var hierarchy: MemoryHierarchy?

    public init(reservations: ReservationMonitor) {
        self.reservations = reservations
    }
}
