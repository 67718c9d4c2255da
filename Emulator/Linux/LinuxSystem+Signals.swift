// LinuxSystem+Signals: signal delivery to guest handlers — pending signals (with their siginfo)
// are acted on when a thread of the process next runs: the default action, nothing for ignored
// ones, or a handler entered through the ISA's signal frame with the handler's mask applied
// (SA_NODEFER, SA_RESETHAND, SA_ONSTACK on the sigaltstack). A call interrupted by a handled
// signal returns EINTR or, with SA_RESTART, runs again after the handler (pipes, wait4/waitid).
// Synchronous faults go to a SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGTRAP handler with the fault address.
// Also rt_sigreturn, rt_sigsuspend, alarm and the ITIMER_REAL interval timer on simulated time.

extension LinuxSystem {
    /// siginfo (128 bytes): signo, errno and code (MIPS: signo, code, errno), then the union at 16.
    func siginfo(_ sig: Int32, code: Int32, pid: Int32 = 0, uid: UInt64 = 0, status: Int32? = nil,
                 address: UInt64? = nil) -> [UInt8] {
        var b = GuestStruct(size: 128, bigEndian: false)
        b.put32(0, UInt64(sig))
        b.put32(abi == .mips64n64 ? 4 : 8, UInt64(UInt32(bitPattern: code)))
        if let address {
            b.put64(16, address)
        } else {
            b.put32(16, UInt64(UInt32(bitPattern: pid)))
            b.put32(20, uid)
            if let status { b.put32(24, UInt64(UInt32(bitPattern: status))) }
        }
        return b.bytes
    }

    private func bit(_ sig: Int32) -> UInt64 { UInt64(1) << UInt64(sig - 1) }

    /// Signals pending for `t` or its process that its mask lets through.
    func deliverable(_ t: LinuxThread) -> UInt64 {
        var d = t.process.pendingSignals | t.pendingSignals
        var m = d
        while m != 0 {
            let s = Int32(m.trailingZeroBitCount + 1)
            m &= m - 1
            if t.blocks(s) { d &= ~bit(s) }
        }
        return d
    }

    /// Before `t` runs: acts on the lowest deliverable signal. True when the thread's course
    /// changed (it entered a handler or the process died).
    func deliverSignals(_ t: LinuxThread, slot: SECPUSlot) -> Bool {
        let p = t.process
        while true {
            let d = deliverable(t)
            guard d != 0 else { return false }
            let (sig, info) = takeSignal(t, from: d)
            let action = p.signalActions[sig] ?? GuestSignalAction()
            switch action.handler {
            case 1: continue
            case 0:
                if abi.defaultAction(sig) != .terminate { continue }
                killProcess(p, signal: sig)
                return true
            default:
                if let c = t.blockedCall {
                    // The call it was woken from: restarted after the handler, or EINTR.
                    t.blockedCall = nil
                    if action.flags & abi.saRestart != 0 && t.progress == 0 && t.restartCall {
                        t.cpu.rewind(to: c.pc)
                    } else {
                        let v = t.progress > 0 ? t.progress : -Int64(abi.guestErrno(LinuxErrno.EINTR.rawValue))
                        t.progress = 0
                        t.cpu.complete(.returned(v))
                    }
                }
                return enterHandler(t, sig: sig, action: action, info: info)
            }
        }
    }

    /// Builds the frame and switches the thread to the handler.
    @discardableResult
    func enterHandler(_ t: LinuxThread, sig: Int32, action: GuestSignalAction, info: [UInt8]) -> Bool {
        let p = t.process
        let saved = t.suspendMask ?? t.signalMask
        t.suspendMask = nil
        let sp = t.cpu.stackPointer
        let alt = p.altStack
        let onAltAlready = alt.2 & 2 == 0 && sp > alt.0 && sp <= alt.0 &+ alt.1
        let useAlt = action.flags & abi.saOnStack != 0 && alt.2 & 2 == 0 && !onAltAlready
        let top = useAlt ? alt.0 &+ alt.1 : sp
        let delivery = SignalDelivery(signal: sig, handler: action.handler, info: info, savedMask: saved,
                                      stackTop: top, altStack: alt, trampoline: trampoline(p))
        guard t.cpu.enterHandler(delivery) else {
            p.deathMessage = "k42sim: SIGSEGV: cannot write the frame of a \(LinuxProcess.signalName(sig, abi: abi)) handler below sp 0x\(hex(top))"
            killProcess(p, signal: abi.SIGSEGV)
            return true
        }
        for i in t.signalMask.indices { t.signalMask[i] = saved[i] | (i < action.mask.count ? action.mask[i] : 0) }
        if action.flags & abi.saNoDefer == 0 {
            let b = Int(sig - 1)
            if b / 64 < t.signalMask.count { t.signalMask[b / 64] |= UInt64(1) << UInt64(b % 64) }
        }
        for s in [abi.SIGKILL, abi.SIGSTOP] { t.signalMask[0] &= ~bit(s) }
        if action.flags & abi.saResetHand != 0 { p.signalActions[sig] = GuestSignalAction() }
        return true
    }

    /// The process memory's trampoline page (li rt_sigreturn; syscall), mapped on first use.
    func trampoline(_ p: LinuxProcess) -> UInt64 {
        if let a = p.memory.sigTrampoline { return a }
        guard let a = p.addressSpace.findFree(length: guestPageSize),
              p.addressSpace.map(a, length: guestPageSize, permissions: [.read, .execute], lazy: true) else { return 0 }
        var b = GuestStruct(size: 8, bigEndian: false)
        for (i, w) in cpuType.trampolineCode.enumerated() { b.put32(i * 4, UInt64(w)) }
        _ = p.copyIntoPages(a, b.bytes)
        p.memory.sigTrampoline = a
        return a
    }

    /// A synchronous fault: to the handler when there is one and the signal is not blocked,
    /// else the process dies of it.
    func fault(_ t: LinuxThread, signal sig: Int32, detail: String, address: UInt64?) {
        let p = t.process
        let action = p.signalActions[sig] ?? GuestSignalAction()
        if action.handler > 1 && !t.blocks(sig) {
            let code: Int32 = sig == abi.SIGSEGV ? (p.addressSpace.isMapped(address ?? 0) ? 2 : 1) : 1
            enterHandler(t, sig: sig, action: action, info: siginfo(sig, code: code, address: address ?? 0))
            return
        }
        let name = LinuxProcess.signalName(sig, abi: abi)
        p.deathMessage = "k42sim: \(name): \(detail)"
        if p !== root { p.log("k42sim: [pid \(p.pid)] \(name): \(detail)") }
        killProcess(p, signal: sig)
    }

    // MARK: calls

    func sigreturn(_ t: LinuxThread) -> Int64 {
        let p = t.process
        guard let mask = t.cpu.returnFromHandler() else {
            p.deathMessage = "k42sim: SIGSEGV: rt_sigreturn with a bad frame at sp 0x\(hex(t.cpu.stackPointer))"
            killProcess(p, signal: abi.SIGSEGV)
            return 0
        }
        for i in t.signalMask.indices { t.signalMask[i] = i < mask.count ? mask[i] : 0 }
        for s in [abi.SIGKILL, abi.SIGSTOP] { t.signalMask[0] &= ~bit(s) }
        t.skipCompletion = true
        return 0
    }

    func sigsuspend(_ t: LinuxThread, _ maskVA: UInt64, _ size: UInt64) -> Int64 {
        let p = t.process
        guard size == UInt64(abi.sigsetBytes) else { return -Int64(LinuxErrno.EINVAL.rawValue) }
        guard let raw = p.mmu.readBytes(maskVA, count: abi.sigsetBytes) else { return -Int64(LinuxErrno.EFAULT.rawValue) }
        t.suspendMask = t.signalMask
        for i in t.signalMask.indices { t.signalMask[i] = GuestStruct.get(raw, i * 8, size: 8, bigEndian: false) }
        for s in [abi.SIGKILL, abi.SIGSTOP] { t.signalMask[0] &= ~bit(s) }
        p.pendingBlock = LinuxWait(channels: [.signal(p.pid)], retry: false, what: "sigsuspend")
        return 0
    }

    /// rt_sigtimedwait(set, info, timeout): takes a pending signal of `set` (its number, and its
    /// siginfo when `info` is given), or waits until one is sent or the timeout passes (EAGAIN).
    func sigtimedwait(_ t: LinuxThread, _ setVA: UInt64, _ infoVA: UInt64, _ timeoutVA: UInt64, _ size: UInt64) -> Int64 {
        let p = t.process
        guard size == UInt64(abi.sigsetBytes) else { return -Int64(LinuxErrno.EINVAL.rawValue) }
        guard let raw = p.mmu.readBytes(setVA, count: 8) else { return -Int64(LinuxErrno.EFAULT.rawValue) }
        let want = GuestStruct.get(raw, 0, size: 8, bigEndian: false) & ~(bit(abi.SIGKILL) | bit(abi.SIGSTOP))
        let hit = (p.pendingSignals | t.pendingSignals) & want
        if hit != 0 {
            let (sig, info) = takeSignal(t, from: hit)
            if infoVA != 0 && !p.mmu.writeBytes(infoVA, info) { return -Int64(LinuxErrno.EFAULT.rawValue) }
            t.callDeadline = nil
            return Int64(sig)
        }
        var deadline = t.callDeadline
        if deadline == nil && timeoutVA != 0 {
            switch p.readTimespec(timeoutVA) {
            case .failure(let e): return -Int64(e.rawValue)
            case .success(let ns): deadline = p.simulatedNanoseconds &+ ns
            }
        }
        if let d = deadline, d <= p.simulatedNanoseconds { t.callDeadline = nil; return -Int64(LinuxErrno.EAGAIN.rawValue) }
        t.callDeadline = deadline
        p.pendingBlock = LinuxWait(channels: [.sigwait(p.pid), .signal(p.pid)], deadline: deadline,
                                   timeoutResult: -Int64(LinuxErrno.EAGAIN.rawValue), what: "sigtimedwait")
        return 0
    }

    /// Queues a signal with its siginfo and, when a handler will run, interrupts a waiting thread.
    func post(_ sig: Int32, to p: LinuxProcess, info: [UInt8]) {
        p.pendingInfo[sig] = info
        sendSignal(sig, to: p)
    }

    /// The same for a signal sent to one thread (tgkill, tkill): it stays pending for that
    /// thread (while it blocks it), which alone runs the handler.
    func post(_ sig: Int32, toThread t: LinuxThread, info: [UInt8]) {
        let p = t.process
        guard p.waitStatus == nil, t.alive else { return }
        if sig == abi.SIGKILL { killProcess(p, signal: sig); return }
        let action = p.signalActions[sig] ?? GuestSignalAction()
        if action.handler == 1 || (action.handler == 0 && abi.defaultAction(sig) != .terminate) { return }
        t.pendingInfo[sig] = info
        t.pendingSignals |= bit(sig)
        wake(.sigwait(p.pid), at: now)
        guard !t.blocks(sig) else { return }                                     // stays pending
        if action.handler == 0 { killProcess(p, signal: sig); return }
        if waiters[.signal(p.pid)]?.contains(where: { $0 === t }) == true {
            finishWait(t, result: -Int64(LinuxErrno.EINTR.rawValue), at: now)
        }
    }

    /// Takes the lowest signal of `set` pending for `t` (its own first, then its process's),
    /// with its siginfo.
    func takeSignal(_ t: LinuxThread, from set: UInt64) -> (Int32, [UInt8]) {
        let own = t.pendingSignals & set
        let sig = Int32((own != 0 ? own : set).trailingZeroBitCount + 1)
        let p = t.process
        var info: [UInt8]
        if own != 0 {
            t.pendingSignals &= ~bit(sig)
            info = t.pendingInfo.removeValue(forKey: sig) ?? siginfo(sig, code: 0x80)
        } else {
            p.pendingSignals &= ~bit(sig)
            info = p.pendingInfo.removeValue(forKey: sig) ?? siginfo(sig, code: 0x80)
        }
        if !p.posixTimers.isEmpty { timerSignalTaken(p, info: &info) }
        return (sig, info)
    }

    // MARK: timers

    /// alarm(seconds): returns the seconds left of the previous alarm (rounded up).
    func alarm(_ p: LinuxProcess, seconds: UInt64) -> Int64 {
        let now = p.simulatedNanoseconds
        let left = p.alarmAt.map { $0 > now ? ($0 - now + 999_999_999) / 1_000_000_000 : 0 } ?? 0
        p.alarmAt = seconds == 0 ? nil : now &+ min(seconds, 1 << 32) * 1_000_000_000
        p.alarmInterval = 0
        return Int64(left)
    }

    /// setitimer / getitimer for ITIMER_REAL (0): struct itimerval {interval, value} of timevals.
    func itimer(_ p: LinuxProcess, which: UInt64, new: UInt64?, old: UInt64) -> Int64 {
        guard which == 0 else { return which <= 2 ? 0 : -Int64(LinuxErrno.EINVAL.rawValue) }
        let now = p.simulatedNanoseconds
        if old != 0 {
            var b = GuestStruct(size: 32, bigEndian: false)
            let left = p.alarmAt.map { $0 > now ? $0 - now : 1000 } ?? 0
            b.put64(0, p.alarmInterval / 1_000_000_000); b.put64(8, (p.alarmInterval % 1_000_000_000) / 1000)
            b.put64(16, left / 1_000_000_000); b.put64(24, (left % 1_000_000_000) / 1000)
            guard p.mmu.writeBytes(old, b.bytes) else { return -Int64(LinuxErrno.EFAULT.rawValue) }
        }
        if let new {
            guard let raw = p.mmu.readBytes(new, count: 32) else { return -Int64(LinuxErrno.EFAULT.rawValue) }
            func tv(_ o: Int) -> UInt64? {
                let s = GuestStruct.get(raw, o, size: 8, bigEndian: false), us = GuestStruct.get(raw, o + 8, size: 8, bigEndian: false)
                guard Int64(bitPattern: s) >= 0, us < 1_000_000 else { return nil }
                return min(s, 1 << 32) * 1_000_000_000 + us * 1000
            }
            guard let interval = tv(0), let value = tv(16) else { return -Int64(LinuxErrno.EINVAL.rawValue) }
            p.alarmInterval = interval
            p.alarmAt = value == 0 ? nil : now &+ value
        }
        return 0
    }

    /// The earliest armed alarm.
    var nextAlarm: UInt64? { processes.compactMap { $0.waitStatus == nil ? $0.alarmAt : nil }.min() }

    func fireAlarms(now: UInt64) {
        for p in processes where p.waitStatus == nil {
            guard let at = p.alarmAt, at <= now else { continue }
            p.alarmAt = p.alarmInterval > 0 ? at &+ p.alarmInterval : nil
            post(abi.SIGALRM, to: p, info: siginfo(abi.SIGALRM, code: 0x80))
        }
    }
}
