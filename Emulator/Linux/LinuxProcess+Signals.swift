// LinuxProcess+Signals: rt_sigaction (handlers recorded in the guest ABI's struct layout),
// rt_sigprocmask, sigaltstack, and kill/tgkill/tkill aimed at the process itself. Signals are
// not delivered to guest handlers yet: a signal whose action would run a handler ends the
// process like the default action would, after one line on stderr.

struct GuestSignalAction {
    var handler: UInt64 = 0          // SIG_DFL 0, SIG_IGN 1
    var flags: UInt64 = 0
    var restorer: UInt64 = 0
    var mask: [UInt64] = []
}

extension LinuxProcess {
    /// struct sigaction as the kernel reads it: mips {u32 flags; handler; sigset[16]} (32 bytes),
    /// ppc64 {handler; flags; restorer; sigset[8]} (32 bytes).
    func decodeSigaction(_ raw: [UInt8]) -> GuestSignalAction {
        let be = mmu.bigEndian
        var a = GuestSignalAction()
        switch abi {
        case .mips64n64:
            a.flags = GuestStruct.get(raw, 0, size: 4, bigEndian: be)
            a.handler = GuestStruct.get(raw, 8, size: 8, bigEndian: be)
            a.mask = [GuestStruct.get(raw, 16, size: 8, bigEndian: be), GuestStruct.get(raw, 24, size: 8, bigEndian: be)]
        case .ppc64le:
            a.handler = GuestStruct.get(raw, 0, size: 8, bigEndian: be)
            a.flags = GuestStruct.get(raw, 8, size: 8, bigEndian: be)
            a.restorer = GuestStruct.get(raw, 16, size: 8, bigEndian: be)
            a.mask = [GuestStruct.get(raw, 24, size: 8, bigEndian: be)]
        }
        return a
    }

    func encodeSigaction(_ a: GuestSignalAction) -> [UInt8] {
        var b = GuestStruct(size: 32, bigEndian: mmu.bigEndian)
        switch abi {
        case .mips64n64:
            b.put32(0, a.flags)
            b.put64(8, a.handler)
            b.put64(16, a.mask.first ?? 0)
            b.put64(24, a.mask.count > 1 ? a.mask[1] : 0)
        case .ppc64le:
            b.put64(0, a.handler)
            b.put64(8, a.flags)
            b.put64(16, a.restorer)
            b.put64(24, a.mask.first ?? 0)
        }
        return b.bytes
    }

    func sysRtSigaction(_ sig: UInt64, _ act: UInt64, _ oact: UInt64, _ size: UInt64) -> Int64 {
        guard size == UInt64(abi.sigsetBytes) else { return err(.EINVAL) }
        guard sig >= 1 && sig <= UInt64(abi.signalCount) else { return err(.EINVAL) }
        let s = Int32(sig)
        var new: GuestSignalAction?
        if act != 0 {
            if s == abi.SIGKILL || s == abi.SIGSTOP { return err(.EINVAL) }
            guard let raw = mmu.readBytes(act, count: 32) else { return err(.EFAULT) }
            new = decodeSigaction(raw)
        }
        if oact != 0 {
            let old = signalActions[s] ?? GuestSignalAction()
            guard mmu.writeBytes(oact, encodeSigaction(old)) else { return err(.EFAULT) }
        }
        if let new { signalActions[s] = new }
        return 0
    }

    func sysRtSigprocmask(_ how: UInt64, _ set: UInt64, _ oset: UInt64, _ size: UInt64) -> Int64 {
        guard size == UInt64(abi.sigsetBytes) else { return err(.EINVAL) }
        var newSet: [UInt64]?
        if set != 0 {
            guard how >= abi.sigBlock && how <= abi.sigBlock + 2 else { return err(.EINVAL) }
            guard let raw = mmu.readBytes(set, count: abi.sigsetBytes) else { return err(.EFAULT) }
            newSet = (0 ..< abi.sigsetBytes / 8).map { GuestStruct.get(raw, $0 * 8, size: 8, bigEndian: mmu.bigEndian) }
        }
        if oset != 0 {
            var b = GuestStruct(size: abi.sigsetBytes, bigEndian: mmu.bigEndian)
            for (i, w) in signalMask.enumerated() { b.put64(i * 8, w) }
            guard mmu.writeBytes(oset, b.bytes) else { return err(.EFAULT) }
        }
        if let newSet {
            for i in signalMask.indices {
                switch how - abi.sigBlock {
                case 0: signalMask[i] |= newSet[i]
                case 1: signalMask[i] &= ~newSet[i]
                default: signalMask[i] = newSet[i]
                }
            }
            // SIGKILL and SIGSTOP cannot be blocked.
            for s in [abi.SIGKILL, abi.SIGSTOP] { signalMask[0] &= ~(UInt64(1) << UInt64(s - 1)) }
        }
        return 0
    }

    func isBlocked(_ sig: Int32) -> Bool {
        let bit = Int(sig - 1)
        guard bit / 64 < signalMask.count else { return false }
        return signalMask[bit / 64] & (UInt64(1) << UInt64(bit % 64)) != 0
    }

    /// sigaltstack: accepted and remembered; mips stack_t {sp; size; int flags},
    /// ppc64 {sp; int flags; size}.
    func sysSigaltstack(_ ss: UInt64, _ oss: UInt64) -> Int64 {
        let be = mmu.bigEndian
        let sizeOff = abi == .mips64n64 ? 8 : 16, flagsOff = abi == .mips64n64 ? 16 : 8
        var new: (UInt64, UInt64, UInt64)?
        if ss != 0 {
            guard let raw = mmu.readBytes(ss, count: 24) else { return err(.EFAULT) }
            let sp = GuestStruct.get(raw, 0, size: 8, bigEndian: be)
            let size = GuestStruct.get(raw, sizeOff, size: 8, bigEndian: be)
            let flags = GuestStruct.get(raw, flagsOff, size: 4, bigEndian: be)
            guard flags & ~UInt64(0x8000_0002) == 0 else { return err(.EINVAL) }
            if flags & 2 == 0 && size < 2048 { return err(.ENOMEM) }
            new = flags & 2 != 0 ? (0, 0, 2) : (sp, size, flags)
        }
        if oss != 0 {
            var b = GuestStruct(size: 24, bigEndian: be)
            b.put64(0, altStack.0)
            b.put64(sizeOff, altStack.1)
            b.put32(flagsOff, altStack.2)
            guard mmu.writeBytes(oss, b.bytes) else { return err(.EFAULT) }
        }
        if let new { altStack = new }
        return 0
    }

    /// kill(pid, sig) when tid is nil; tgkill(pid, tid, sig); tkill(tid, sig) when pid is nil.
    func sysKill(pid: UInt64?, tid: UInt64?, signal: UInt64) -> SyscallOutcome {
        let me = UInt64(LinuxProcess.pid)
        if let pid {
            let p = Int64(bitPattern: pid)
            if tid != nil {
                if p <= 0 { return .returned(err(.EINVAL)) }
                if pid != me { return .returned(err(.ESRCH)) }
            } else if !(pid == me || p == 0 || p == -1 || p == -Int64(me)) {
                return .returned(err(.ESRCH))
            }
        }
        if let tid {
            if Int64(bitPattern: tid) <= 0 { return .returned(err(.EINVAL)) }
            if tid != me { return .returned(err(.ESRCH)) }
        }
        guard signal <= UInt64(abi.signalCount) else { return .returned(err(.EINVAL)) }
        if signal == 0 { return .returned(0) }
        return raise(Int32(signal))
    }

    /// A signal sent to the process itself; in a system, one a call raises (SIGPIPE) goes to
    /// the calling thread, as Linux's send_sig to the current task does.
    func raise(_ sig: Int32) -> SyscallOutcome {
        if let system {
            if let t = currentThread {
                system.post(sig, toThread: t, info: system.siginfo(sig, code: 0x80))
            } else {
                system.post(sig, to: self, info: system.siginfo(sig, code: 0x80))
            }
            return .returned(0)
        }
        if sig == abi.SIGKILL { return .killed(signal: sig) }
        if sig == abi.SIGSTOP { return .returned(0) }
        if isBlocked(sig) { return .returned(0) }                 // stays pending forever
        let action = signalActions[sig] ?? GuestSignalAction()
        switch action.handler {
        case 1: return .returned(0)                               // SIG_IGN
        case 0:
            switch abi.defaultAction(sig) {
            case .terminate: return .killed(signal: sig)
            case .ignore, .stop: return .returned(0)
            }
        default:
            log("k42sim: \(LinuxProcess.signalName(sig, abi: abi)) has a guest handler at \(hex0x(action.handler)); signal delivery is not supported, the process dies")
            return .killed(signal: sig)
        }
    }
}
