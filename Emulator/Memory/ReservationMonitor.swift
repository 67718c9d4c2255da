// ReservationMonitor: machine-wide LL/SC (MIPS) and larx/stcx. (PowerPC) reservations, exact at
// the scheduler's interleaving. Each CPU holds at most one reservation: a granule of physical
// memory (`granuleBytes`, default 64 = a cache line). Mechanism:
//  - reserve: records the granule and flags its frame in PhysicalMemory; when the frame becomes
//    reserved, every registered SoftMMU (all CPUs, all privilege modes) drops its direct-write
//    entries for the frame, so every later store to the frame takes the soft-TLB slow path;
//  - the slow path calls `storeObserved`, which breaks the reservations of OTHER CPUs on the
//    granules the store touches (a CPU's own plain store to its granule leaves it: the
//    architectures call that case UNPREDICTABLE);
//  - consume (SC/stcx.) succeeds only if the CPU's reservation is on the same granule, and ends it;
//  - clear (MIPS eret, context switches, device-space LL) ends a CPU's reservation.
// A frame's flag is cleared when no CPU holds a reservation in it, so direct writes return.

public final class ReservationMonitor {
    public let granuleShift: UInt64
    public let physical: PhysicalMemory
    /// Reserved granule (physical address >> granuleShift) per CPU, or .max.
    private var granule: [UInt64]
    private var mmus: [SoftMMU] = []
    public private(set) var reservationsBroken: UInt64 = 0

    public init(physical: PhysicalMemory, cpus: Int, granuleBytes: UInt64 = 64) {
        precondition(granuleBytes >= 8 && granuleBytes <= guestPageSize && granuleBytes & (granuleBytes - 1) == 0,
                     "granule must be a power of two in 8...4096")
        self.physical = physical
        granuleShift = UInt64(granuleBytes.trailingZeroBitCount)
        granule = Array(repeating: .max, count: max(cpus, 1))
    }

    /// Adds a soft TLB whose direct-write entries must be revoked for reserved frames.
    public func register(_ mmu: SoftMMU) {
        mmus.append(mmu)
        mmu.reservations = self
    }

    private func frame(ofGranule g: UInt64) -> Int { Int(truncatingIfNeeded: (g << granuleShift) >> guestPageShift) }

    /// Drops the direct-write entries for `frame` in every registered soft TLB (all CPUs and
    /// modes): the frame now holds pre-decoded code, so stores to it must take the slow path.
    public func revokeWriteEverywhere(frame f: Int) { revoke(frame: f, hint: nil) }

    /// Visits soft TLBs only while some still maps the frame for direct stores.
    private func revoke(frame f: Int, hint: UInt64?) {
        for m in mmus {
            if physical.directWriters[f] == 0 { return }
            m.revokeWrite(frame: f, hint: hint)
        }
    }

    /// The physical address of `cpu`'s reservation, or nil.
    public func reservation(cpu: Int) -> UInt64? {
        guard cpu >= 0 && cpu < granule.count, granule[cpu] != .max else { return nil }
        return granule[cpu] << granuleShift
    }

    /// `va` (the LL's virtual address) is where other CPUs most likely map the frame too.
    public func reserve(cpu: Int, physical pa: UInt64, virtual va: UInt64? = nil) {
        guard cpu >= 0 && cpu < granule.count else { return }
        clear(cpu: cpu)
        let g = pa >> granuleShift
        granule[cpu] = g
        let f = frame(ofGranule: g)
        if !physical.isReserved(frame: f) {
            physical.setReserved(frame: f, true)
            revoke(frame: f, hint: va)
        }
    }

    /// Whether `cpu` holds the reservation of the granule containing `pa`.
    public func holds(cpu: Int, physical pa: UInt64) -> Bool {
        cpu >= 0 && cpu < granule.count && granule[cpu] == pa >> granuleShift
    }

    /// SC: true if `cpu` held the reservation of `pa`'s granule; the reservation ends either way.
    public func consume(cpu: Int, physical pa: UInt64) -> Bool {
        let ok = holds(cpu: cpu, physical: pa)
        clear(cpu: cpu)
        return ok
    }

    public func clear(cpu: Int) {
        guard cpu >= 0 && cpu < granule.count, granule[cpu] != .max else { return }
        let f = frame(ofGranule: granule[cpu])
        granule[cpu] = .max
        releaseIfUnused(frame: f)
    }

    /// A store of `size` bytes at `pa` by `cpu`: breaks other CPUs' reservations it overlaps.
    public func storeObserved(physical pa: UInt64, size: Int, by cpu: Int) {
        let first = pa >> granuleShift
        let last = (pa &+ UInt64(max(size, 1)) &- 1) >> granuleShift
        for c in 0 ..< granule.count where c != cpu && granule[c] >= first && granule[c] <= last {
            let f = frame(ofGranule: granule[c])
            granule[c] = .max
            reservationsBroken &+= 1
            releaseIfUnused(frame: f)
        }
    }

    private func releaseIfUnused(frame f: Int) {
        for g in granule where g != .max && frame(ofGranule: g) == f { return }
        physical.setReserved(frame: f, false)
    }
}
