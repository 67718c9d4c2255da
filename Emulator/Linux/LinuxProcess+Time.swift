// LinuxProcess+Time: the simulated clocks. Monotonic time = simulatedNanoseconds (set by the
// runner from the instruction count) + the time the guest slept (sleeps advance an offset and
// never sleep on the host); realtime adds the fixed epoch 2005-01-01T00:00:00Z; CPU-time clocks
// report simulatedNanoseconds alone. No host time reaches the guest.

extension LinuxProcess {
    /// Monotonic simulated time, never going backwards.
    var monotonicNanoseconds: UInt64 {
        let t = simulatedNanoseconds &+ sleptNanoseconds
        if t > lastMonotonic { lastMonotonic = t }
        return lastMonotonic
    }

    var realtimeNanoseconds: UInt64 { monotonicNanoseconds &+ LinuxProcess.epochSeconds &* 1_000_000_000 }

    /// Current value of a clock, or nil for an unknown clock id.
    func clockNanoseconds(_ id: UInt64) -> UInt64? {
        switch Int64(bitPattern: id) {
        case 0, 5, 8, 11: return realtimeNanoseconds          // REALTIME, _COARSE, _ALARM, TAI
        case 1, 4, 6, 7, 9: return monotonicNanoseconds       // MONOTONIC, _RAW, _COARSE, BOOTTIME, _ALARM
        case 2, 3: return simulatedNanoseconds                // PROCESS_/THREAD_CPUTIME_ID
        case let c where c < 0 && c & 7 != 3 && c & 7 != 7: return simulatedNanoseconds  // a pid's CPU clock
        default: return nil
        }
    }

    func writeTimespec(_ va: UInt64, _ ns: UInt64) -> Bool {
        var b = GuestStruct(size: 16, bigEndian: mmu.bigEndian)
        b.put64(0, ns / 1_000_000_000)
        b.put64(8, ns % 1_000_000_000)
        return mmu.writeBytes(va, b.bytes)
    }

    /// Reads a timespec as nanoseconds; EFAULT or EINVAL (negative seconds, nsec out of range).
    func readTimespec(_ va: UInt64) -> Result<UInt64, LinuxErrno> {
        guard let raw = mmu.readBytes(va, count: 16) else { return .failure(.EFAULT) }
        let sec = Int64(bitPattern: GuestStruct.get(raw, 0, size: 8, bigEndian: mmu.bigEndian))
        let nsec = GuestStruct.get(raw, 8, size: 8, bigEndian: mmu.bigEndian)
        guard sec >= 0, nsec < 1_000_000_000 else { return .failure(.EINVAL) }
        let (m, o) = UInt64(sec).multipliedReportingOverflow(by: 1_000_000_000)
        return .success(o ? UInt64.max : m &+ nsec < m ? UInt64.max : m &+ nsec)
    }

    func sleep(_ ns: UInt64) {
        let (s, o) = sleptNanoseconds.addingReportingOverflow(ns)
        sleptNanoseconds = o ? UInt64.max / 2 : s
    }

    func sysClockGettime(_ id: UInt64, _ tp: UInt64) -> Int64 {
        guard let ns = clockNanoseconds(id) else { return err(.EINVAL) }
        return writeTimespec(tp, ns) ? 0 : err(.EFAULT)
    }

    func sysClockGetres(_ id: UInt64, _ tp: UInt64) -> Int64 {
        guard clockNanoseconds(id) != nil else { return err(.EINVAL) }
        if tp == 0 { return 0 }
        let coarse = id == 5 || id == 6
        return writeTimespec(tp, coarse ? 10_000_000 : 1) ? 0 : err(.EFAULT)
    }

    func sysGettimeofday(_ tv: UInt64, _ tz: UInt64) -> Int64 {
        let ns = realtimeNanoseconds
        if tv != 0 {
            var b = GuestStruct(size: 16, bigEndian: mmu.bigEndian)
            b.put64(0, ns / 1_000_000_000)
            b.put64(8, (ns % 1_000_000_000) / 1000)
            guard mmu.writeBytes(tv, b.bytes) else { return err(.EFAULT) }
        }
        if tz != 0 {
            guard mmu.writeBytes(tz, [UInt8](repeating: 0, count: 8)) else { return err(.EFAULT) }
        }
        return 0
    }

    func sysTime(_ tloc: UInt64) -> Int64 {
        let s = realtimeNanoseconds / 1_000_000_000
        if tloc != 0 && !mmu.storeValue(tloc, size: 8, s) { return err(.EFAULT) }
        return Int64(s)
    }

    /// times(): struct tms (4 longs) in clock ticks of 10 ms; returns ticks of monotonic time.
    func sysTimes(_ buf: UInt64) -> Int64 {
        if buf != 0 {
            var b = GuestStruct(size: 32, bigEndian: mmu.bigEndian)
            b.put64(0, simulatedNanoseconds / 10_000_000)
            guard mmu.writeBytes(buf, b.bytes) else { return err(.EFAULT) }
        }
        return Int64(monotonicNanoseconds / 10_000_000)
    }

    func sysNanosleep(_ req: UInt64) -> Int64 {
        switch readTimespec(req) {
        case .failure(let e): return err(e)
        case .success(let ns): sleep(ns); return 0
        }
    }

    func sysClockNanosleep(_ id: UInt64, _ flags: UInt64, _ req: UInt64) -> Int64 {
        guard id != 3, let now = clockNanoseconds(id) else { return err(.EINVAL) }
        switch readTimespec(req) {
        case .failure(let e): return err(e)
        case .success(let ns):
            if flags & 1 != 0 {                                // TIMER_ABSTIME
                if ns > now { sleep(ns - now) }
            } else {
                sleep(ns)
            }
            return 0
        }
    }
}
