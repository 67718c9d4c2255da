// LinuxSystem+Timers: POSIX per-process timers (timer_create, timer_settime, timer_gettime,
// timer_getoverrun, timer_delete) on the simulated clock, beside alarm and ITIMER_REAL. A timer
// notifies with a signal to the process (SIGEV_SIGNAL), to one thread (SIGEV_THREAD_ID, which
// glibc's SIGEV_THREAD uses for its helper thread) or not at all (SIGEV_NONE); its siginfo is
// SI_TIMER with the timer id, the overrun count and the sigevent's value. An expiry while the
// timer's signal is still pending counts as an overrun instead of queueing another.

/// One POSIX timer of a process.
struct LinuxPosixTimer {
    var clock: UInt64
    /// SIGEV_SIGNAL 0, SIGEV_NONE 1, SIGEV_THREAD_ID 4.
    var notify: Int32
    var signal: Int32
    var value: UInt64
    var threadID: Int32
    /// Next expiry on the scheduler's clock (ns), nil while disarmed.
    var at: UInt64?
    var interval: UInt64 = 0
    /// Expiries not signalled since the last signal, and the count reported for it.
    var pendingOverrun: Int64 = 0
    var overrun: Int64 = 0
    var signalQueued = false
}

extension LinuxSystem {
    static let sigevSignal: Int32 = 0, sigevNone: Int32 = 1, sigevThreadID: Int32 = 4
    /// si_code SI_TIMER: -2, but -3 on MIPS (its SI_ASYNCIO is -2).
    var siTimer: Int32 { abi == .mips64n64 ? -3 : -2 }
    /// Linux's DELAYTIMER_MAX: the largest overrun reported.
    static let delayTimerMax: Int64 = 0x7fff_ffff
    /// Timers per process (Linux bounds them by RLIMIT_SIGPENDING; this is its usual value).
    static let maxPosixTimers = 1024

    /// timer_create(clockid, sevp, timerid): the lowest free id.
    func timerCreate(_ t: LinuxThread, clock: UInt64, event: UInt64, idOut: UInt64) -> Int64 {
        let p = t.process
        let einval = -Int64(LinuxErrno.EINVAL.rawValue), efault = -Int64(LinuxErrno.EFAULT.rawValue)
        switch Int64(bitPattern: clock) {
        case 0, 1, 7, 8, 9: break            // REALTIME, MONOTONIC, BOOTTIME, *_ALARM
        default: return einval               // CPU-time clocks are not timed here
        }
        var timer = LinuxPosixTimer(clock: clock, notify: Self.sigevSignal, signal: abi.SIGALRM, value: 0, threadID: 0)
        if event != 0 {
            guard let raw = p.mmu.readBytes(event, count: 20) else { return efault }
            timer.value = GuestStruct.get(raw, 0, size: 8, bigEndian: false)
            timer.signal = Int32(truncatingIfNeeded: GuestStruct.get(raw, 8, size: 4, bigEndian: false))
            timer.notify = Int32(truncatingIfNeeded: GuestStruct.get(raw, 12, size: 4, bigEndian: false))
            timer.threadID = Int32(truncatingIfNeeded: GuestStruct.get(raw, 16, size: 4, bigEndian: false))
            switch timer.notify {
            case Self.sigevNone: break
            case Self.sigevSignal, Self.sigevThreadID:
                guard timer.signal >= 1 && timer.signal <= abi.signalCount else { return einval }
                if timer.notify == Self.sigevThreadID && !p.threads.contains(where: { $0.tid == timer.threadID }) { return einval }
            default: return einval
            }
        }
        guard let id = (0 ..< Int32(Self.maxPosixTimers)).first(where: { p.posixTimers[$0] == nil }) else {
            return -Int64(LinuxErrno.EAGAIN.rawValue)
        }
        if event == 0 { timer.value = UInt64(id) }
        guard p.mmu.storeValue(idOut, size: 4, UInt64(id)) else { return efault }
        p.posixTimers[id] = timer
        return 0
    }

    /// timer_settime(id, flags, new, old): struct itimerspec {interval, value}; TIMER_ABSTIME (1)
    /// takes the value as a time on the timer's clock.
    func timerSettime(_ t: LinuxThread, id: UInt64, flags: UInt64, new: UInt64, old: UInt64) -> Int64 {
        let p = t.process
        let einval = -Int64(LinuxErrno.EINVAL.rawValue), efault = -Int64(LinuxErrno.EFAULT.rawValue)
        guard id <= UInt64(Int32.max), var timer = p.posixTimers[Int32(id)] else { return einval }
        guard let raw = p.mmu.readBytes(new, count: 32) else { return efault }
        func ts(_ o: Int) -> UInt64? {
            let s = Int64(bitPattern: GuestStruct.get(raw, o, size: 8, bigEndian: false))
            let ns = Int64(bitPattern: GuestStruct.get(raw, o + 8, size: 8, bigEndian: false))
            guard s >= 0, ns >= 0, ns < 1_000_000_000 else { return nil }
            let (v, o1) = UInt64(s).multipliedReportingOverflow(by: 1_000_000_000)
            return o1 ? UInt64(Int64.max) : min(v &+ UInt64(ns), UInt64(Int64.max))
        }
        guard let interval = ts(0), let value = ts(16) else { return einval }
        if old != 0, !writeTimer(p, timer, to: old) { return efault }
        let now = p.simulatedNanoseconds
        timer.interval = interval
        timer.pendingOverrun = 0
        if value == 0 {
            timer.at = nil
        } else if flags & 1 != 0 {
            let clockNow = p.clockNanoseconds(timer.clock) ?? 0
            timer.at = now &+ (value > clockNow ? value - clockNow : 0)
        } else {
            timer.at = now &+ value
        }
        p.posixTimers[Int32(id)] = timer
        if let at = timer.at, at <= now { fireTimers(now: now) }
        return 0
    }

    /// timer_gettime(id, cur).
    func timerGettime(_ t: LinuxThread, id: UInt64, out: UInt64) -> Int64 {
        let p = t.process
        guard id <= UInt64(Int32.max), let timer = p.posixTimers[Int32(id)] else { return -Int64(LinuxErrno.EINVAL.rawValue) }
        return writeTimer(p, timer, to: out) ? 0 : -Int64(LinuxErrno.EFAULT.rawValue)
    }

    /// timer_getoverrun(id): the overrun of the timer's last signal.
    func timerGetoverrun(_ t: LinuxThread, id: UInt64) -> Int64 {
        guard id <= UInt64(Int32.max), let timer = t.process.posixTimers[Int32(id)] else { return -Int64(LinuxErrno.EINVAL.rawValue) }
        return min(timer.overrun, Self.delayTimerMax)
    }

    func timerDelete(_ t: LinuxThread, id: UInt64) -> Int64 {
        guard id <= UInt64(Int32.max), t.process.posixTimers.removeValue(forKey: Int32(id)) != nil else {
            return -Int64(LinuxErrno.EINVAL.rawValue)
        }
        return 0
    }

    /// The itimerspec of a timer now: interval, time left (a due timer reports 1 ns, as Linux).
    private func writeTimer(_ p: LinuxProcess, _ timer: LinuxPosixTimer, to va: UInt64) -> Bool {
        let now = p.simulatedNanoseconds
        let left = timer.at.map { $0 > now ? $0 - now : 1 } ?? 0
        var b = GuestStruct(size: 32, bigEndian: false)
        b.put64(0, timer.interval / 1_000_000_000); b.put64(8, timer.interval % 1_000_000_000)
        b.put64(16, left / 1_000_000_000); b.put64(24, left % 1_000_000_000)
        return p.mmu.writeBytes(va, b.bytes)
    }

    /// The earliest armed timer of a live process.
    var nextTimer: UInt64? {
        var best: UInt64?
        for p in processes where p.waitStatus == nil && !p.posixTimers.isEmpty {
            for (_, timer) in p.posixTimers { if let at = timer.at { best = min(best ?? .max, at) } }
        }
        return best
    }

    /// Fires every timer due at `now` (in process and timer-id order): one signal per expiry
    /// period, further expiries while it is pending counted as overruns.
    func fireTimers(now: UInt64) {
        for p in processes where p.waitStatus == nil && !p.posixTimers.isEmpty {
            for id in p.posixTimers.keys.sorted() {
                guard var timer = p.posixTimers[id], let at = timer.at, at <= now else { continue }
                var expiries: Int64 = 1
                if timer.interval > 0 {
                    let extra = (now - at) / timer.interval
                    expiries += Int64(min(extra, UInt64(Self.delayTimerMax)))
                    timer.at = at &+ (extra &+ 1) &* timer.interval
                } else {
                    timer.at = nil
                }
                if timer.notify != Self.sigevNone {
                    let pendingStill = timer.signalQueued && isPending(timer.signal, p, thread: timer.threadID)
                    if pendingStill {
                        timer.pendingOverrun = min(timer.pendingOverrun + expiries, Self.delayTimerMax)
                    } else {
                        timer.pendingOverrun = min(expiries - 1, Self.delayTimerMax)
                        timer.signalQueued = true
                        var info = GuestStruct(size: 128, bigEndian: false)
                        info.bytes = siginfo(timer.signal, code: siTimer)
                        info.put32(16, UInt64(UInt32(bitPattern: id)))
                        info.put32(20, 0)                  // set when the signal is taken
                        info.put64(24, timer.value)
                        p.posixTimers[id] = timer
                        if timer.notify == Self.sigevThreadID, let th = p.threads.first(where: { $0.tid == timer.threadID }) {
                            post(timer.signal, toThread: th, info: info.bytes)
                        } else {
                            post(timer.signal, to: p, info: info.bytes)
                        }
                        continue
                    }
                }
                p.posixTimers[id] = timer
            }
        }
    }

    /// A timer's signal leaves the pending set: its overrun (expiries since it was queued) is
    /// fixed in the siginfo and reported by timer_getoverrun from now on (Linux's rearm on
    /// dequeue).
    func timerSignalTaken(_ p: LinuxProcess, info: inout [UInt8]) {
        let codeOffset = abi == .mips64n64 ? 4 : 8
        guard info.count >= 24,
              Int32(bitPattern: UInt32(GuestStruct.get(info, codeOffset, size: 4, bigEndian: false))) == siTimer else { return }
        let id = Int32(bitPattern: UInt32(GuestStruct.get(info, 16, size: 4, bigEndian: false)))
        guard var timer = p.posixTimers[id], timer.signalQueued else { return }
        timer.overrun = timer.pendingOverrun
        timer.pendingOverrun = 0
        timer.signalQueued = false
        p.posixTimers[id] = timer
        var b = GuestStruct(size: info.count, bigEndian: false)
        b.bytes = info
        b.put32(20, UInt64(UInt32(truncatingIfNeeded: timer.overrun)))
        info = b.bytes
    }

    private func isPending(_ sig: Int32, _ p: LinuxProcess, thread: Int32) -> Bool {
        let b = UInt64(1) << UInt64(sig - 1)
        if p.pendingSignals & b != 0 { return true }
        return p.threads.contains { $0.tid == thread && $0.pendingSignals & b != 0 }
    }
}
