// LinuxProcess+System: identity and machine facts (uname, ids, resource limits, rusage, CPU
// affinity), getrandom from the seeded generator, futex for a single-threaded process and
// membarrier. Everything the guest learns here is fixed or derived from the seed and the
// simulated clock, never from the host.

extension LinuxProcess {
    func sysUname(_ buf: UInt64) -> Int64 {
        var b = GuestStruct(size: 6 * 65, bigEndian: mmu.bigEndian)
        let fields = ["Linux", "k42sim", "6.1.0", "#1 SMP PREEMPT k42sim", abi.unameMachine, "(none)"]
        for (i, f) in fields.enumerated() { b.putString(i * 65, f, field: 65) }
        return mmu.writeBytes(buf, b.bytes) ? 0 : err(.EFAULT)
    }

    /// Default limits: stack 8 MiB soft (hard unlimited), open files 1024 (the fd table's size),
    /// everything else unlimited. Index: generic RLIMIT_* numbering.
    func limit(_ r: Int) -> (soft: UInt64, hard: UInt64) {
        if let l = limits[r] { return l }
        switch r {
        case 3: return (LinuxABI.stackSize, .max)
        case 7: return (UInt64(GuestFileTable.limit), UInt64(GuestFileTable.limit))
        case 6: return (UInt64(LinuxSystem.maxThreads), UInt64(LinuxSystem.maxThreads))
        default: return (.max, .max)
        }
    }

    func sysPrlimit(pid: UInt64, resource: UInt64, new: UInt64, old: UInt64) -> Int64 {
        guard pid == 0 || pid == UInt64(self.pid) else { return err(.ESRCH) }
        guard let r = abi.genericRlimit(resource) else { return err(.EINVAL) }
        var update: (UInt64, UInt64)?
        if new != 0 {
            guard let raw = mmu.readBytes(new, count: 16) else { return err(.EFAULT) }
            let soft = GuestStruct.get(raw, 0, size: 8, bigEndian: mmu.bigEndian)
            let hard = GuestStruct.get(raw, 8, size: 8, bigEndian: mmu.bigEndian)
            guard soft <= hard else { return err(.EINVAL) }
            if hard > limit(r).hard { return err(.EPERM) }
            update = (soft, hard)
        }
        if old != 0 {
            var b = GuestStruct(size: 16, bigEndian: mmu.bigEndian)
            b.put64(0, limit(r).soft)
            b.put64(8, limit(r).hard)
            guard mmu.writeBytes(old, b.bytes) else { return err(.EFAULT) }
        }
        if let update { limits[r] = update }
        return 0
    }

    /// struct rusage: utime and stime timevals, then 14 longs (maxrss in KiB at offset 32).
    func sysGetrusage(_ who: UInt64, _ buf: UInt64) -> Int64 {
        let w = Int64(bitPattern: who)
        guard w == 0 || w == -1 || w == 1 else { return err(.EINVAL) }
        var b = GuestStruct(size: 144, bigEndian: mmu.bigEndian)
        if w != -1 {
            let ns = simulatedNanoseconds
            b.put64(0, ns / 1_000_000_000)
            b.put64(8, (ns % 1_000_000_000) / 1000)
            b.put64(32, UInt64(physical.allocatedFrames) * (guestPageSize / 1024))
        }
        return mmu.writeBytes(buf, b.bytes) ? 0 : err(.EFAULT)
    }

    func sysGetrandom(_ buf: UInt64, _ count: UInt64, _ flags: UInt64) -> Int64 {
        guard flags & ~UInt64(7) == 0 else { return err(.EINVAL) }
        if count == 0 { return 0 }
        // Linux returns at most 32 MiB - 1 bytes per call.
        return transfer(buf, min(count, 0x1ff_ffff), access: .write) { p, n in
            let bytes = random.bytes(n)
            bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: n) }
            return Int64(n)
        }
    }

    /// One CPU: mask 0x1 in one 8-byte word.
    func sysSchedGetaffinity(_ pid: UInt64, _ len: UInt64, _ mask: UInt64) -> Int64 {
        guard pid == 0 || pid == UInt64(self.pid) else { return err(.ESRCH) }
        guard len >= 8, len & 7 == 0 else { return err(.EINVAL) }
        return mmu.storeValue(mask, size: 8, 1) ? 8 : err(.EFAULT)
    }

    func sysGetcpu(_ cpu: UInt64, _ node: UInt64) -> Int64 {
        if cpu != 0 && !mmu.storeValue(cpu, size: 4, 0) { return err(.EFAULT) }
        if node != 0 && !mmu.storeValue(node, size: 4, 0) { return err(.EFAULT) }
        return 0
    }

    func sysMembarrier(_ cmd: UInt64) -> Int64 {
        cmd == 0 ? 0 : err(.EINVAL)       // MEMBARRIER_CMD_QUERY: no commands supported
    }

    /// FUTEX_WAKE_OP's operation on the old value of uaddr2 (nil for an unknown operation):
    /// val3 = op (bits 28-30, bit 31 = oparg is a shift), cmp (24-27), oparg (12-23), cmparg (0-11).
    static func futexWakeOp(old: UInt64, _ val3: UInt64) -> UInt64? {
        var oparg = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: val3 << 8) >> 20))
        if val3 & 0x8000_0000 != 0 { oparg = 1 << (oparg & 31) }
        switch (val3 >> 28) & 7 {
        case 0: return oparg
        case 1: return old &+ oparg
        case 2: return old | oparg
        case 3: return old & ~oparg
        case 4: return old ^ oparg
        default: return nil
        }
    }

    /// futex for one thread: wakes find no waiters; a wait whose value matches can only end by
    /// its timeout (simulated time advances to it) — without one it would block forever, so
    /// the process is killed (SIGKILL) with a message instead of hanging.
    func sysFutex(_ a: Args) -> SyscallOutcome {
        let uaddr = a.0, op = a.1 & 0x7f, val = a.2 & 0xffff_ffff, timeout = a.3, uaddr2 = a.4
        let val3 = a.5 & 0xffff_ffff
        let realtime = a.1 & 256 != 0
        guard uaddr & 3 == 0 else { return .returned(err(.EINVAL)) }
        func word(_ va: UInt64) -> UInt64? { mmu.loadValue(va, size: 4) }
        switch op {
        case 0, 9:                                                // WAIT, WAIT_BITSET
            if op == 9 && val3 == 0 { return .returned(err(.EINVAL)) }
            guard let cur = word(uaddr) else { return .returned(err(.EFAULT)) }
            if cur != val { return .returned(err(.EAGAIN)) }
            if timeout == 0 { return deadlock(uaddr) }
            switch readTimespec(timeout) {
            case .failure(let e): return .returned(err(e))
            case .success(let ns):
                if op == 9 {                                      // absolute deadline
                    let now = realtime ? realtimeNanoseconds : monotonicNanoseconds
                    if ns > now { sleep(ns - now) }
                } else {
                    sleep(ns)
                }
                return .returned(err(.ETIMEDOUT))
            }
        case 1, 10, 3:                                            // WAKE, WAKE_BITSET, REQUEUE
            return .returned(0)
        case 4:                                                   // CMP_REQUEUE
            guard let cur = word(uaddr) else { return .returned(err(.EFAULT)) }
            return .returned(cur == val3 ? 0 : err(.EAGAIN))
        case 5:                                                   // WAKE_OP
            guard let old = word(uaddr2) else { return .returned(err(.EFAULT)) }
            guard let new = LinuxProcess.futexWakeOp(old: old, val3) else { return .returned(err(.ENOSYS)) }
            return .returned(mmu.storeValue(uaddr2, size: 4, new & 0xffff_ffff) ? 0 : err(.EFAULT))
        case 6, 8, 13:                                            // LOCK_PI, TRYLOCK_PI, LOCK_PI2
            guard let cur = word(uaddr) else { return .returned(err(.EFAULT)) }
            let owner = cur & 0x3fff_ffff
            if owner == 0 {
                return .returned(mmu.storeValue(uaddr, size: 4, (cur & 0x4000_0000) | UInt64(self.pid)) ? 0 : err(.EFAULT))
            }
            if owner == UInt64(self.pid) { return .returned(err(.EDEADLK)) }
            return op == 8 ? .returned(err(.EAGAIN)) : deadlock(uaddr)
        case 7:                                                   // UNLOCK_PI
            guard let cur = word(uaddr) else { return .returned(err(.EFAULT)) }
            if cur & 0x3fff_ffff != UInt64(self.pid) { return .returned(err(.EPERM)) }
            return .returned(mmu.storeValue(uaddr, size: 4, 0) ? 0 : err(.EFAULT))
        default:
            return .returned(err(.ENOSYS))
        }
    }

    private func deadlock(_ uaddr: UInt64) -> SyscallOutcome {
        log("k42sim: deadlock: futex wait at \(hex0x(uaddr)) with no other thread to wake it; killing the process")
        return .killed(signal: abi.SIGKILL)
    }
}
