// MachineShared: machine-wide objects the CPUs of one machine share — the LL/SC reservation
// monitor and a slot for per-ISA state (the MIPS64 CPUs keep their shared DecodedPageCache
// there; the first CPU built creates it).

public final class MachineShared {
    public let reservations: ReservationMonitor
    public var isaState: AnyObject?

    public init(reservations: ReservationMonitor) {
        self.reservations = reservations
    }
}
