// LinuxSystem+Process: process and thread lifetime — clone/clone3/fork/vfork (thread and
// process forms, the tid pointers, TLS, CLONE_VM sharing and CLONE_VFORK's wait), exit and
// exit_group (clear_child_tid, closing descriptors, waking pipe peers, reparenting, SIGCHLD),
// wait4/waitid with Linux's status encodings, and signals sent between processes.

extension LinuxSystem {
    static let CLONE_VM: UInt64 = 0x100, CLONE_FILES: UInt64 = 0x400, CLONE_SIGHAND: UInt64 = 0x800
    static let CLONE_PIDFD: UInt64 = 0x1000, CLONE_VFORK: UInt64 = 0x4000, CLONE_PARENT: UInt64 = 0x8000
    static let CLONE_THREAD: UInt64 = 0x10000, CLONE_SETTLS: UInt64 = 0x80000
    static let CLONE_PARENT_SETTID: UInt64 = 0x10_0000, CLONE_CHILD_CLEARTID: UInt64 = 0x20_0000
    static let CLONE_CHILD_SETTID: UInt64 = 0x100_0000
    /// Namespace, cgroup and ptrace flags: refused.
    static let cloneUnsupported: UInt64 = 0x2000 | 0x20000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000
        | 0x1000_0000 | 0x2000_0000 | 0x4000_0000 | 0x8000_0000 | 0x2_0000_0000

    /// Live threads and zombies together, at most (fork and clone fail with EAGAIN beyond).
    static let maxThreads = 4096

    /// clone: `flags` (low byte: the exit signal), child stack (0: the parent's), tid pointers, TLS.
    func clone(_ t: LinuxThread, flags: UInt64, stack: UInt64, parentTID: UInt64, childTID: UInt64,
               tls: UInt64, exitSignal: Int32) -> Int64 {
        let p = t.process
        if flags & Self.cloneUnsupported != 0 { return -Int64(LinuxErrno.EINVAL.rawValue) }
        if flags & Self.CLONE_THREAD != 0 && flags & Self.CLONE_SIGHAND == 0 { return -Int64(LinuxErrno.EINVAL.rawValue) }
        if flags & Self.CLONE_SIGHAND != 0 && flags & Self.CLONE_VM == 0 { return -Int64(LinuxErrno.EINVAL.rawValue) }
        if flags & Self.CLONE_PIDFD != 0 { return -Int64(LinuxErrno.EINVAL.rawValue) }
        // RLIMIT_NPROC: a bounded number of threads, so a fork bomb cannot exhaust the host.
        let cap = min(UInt64(Self.maxThreads), p.limit(6).soft)
        if UInt64(processes.reduce(0, { $0 + max($1.threads.count, 1) })) >= cap { return -Int64(LinuxErrno.EAGAIN.rawValue) }
        let tid = nextPID
        let tlsValue = flags & Self.CLONE_SETTLS != 0 ? tls : nil
        let child: LinuxThread
        let childProcess: LinuxProcess
        if flags & Self.CLONE_THREAD != 0 {
            childProcess = p
            child = LinuxThread(tid: tid, process: p, cpu: t.cpu.child(memory: p.memory, stack: stack, tls: tlsValue),
                                signalMask: t.signalMask)
        } else {
            let memory: LinuxMemory
            if flags & Self.CLONE_VM != 0 {
                memory = p.memory
            } else {
                guard let m = p.memory.copy(guestMemory: options.guestMemory) else { return -Int64(LinuxErrno.ENOMEM.rawValue) }
                memory = m
            }
            childProcess = LinuxProcess(forkOf: p, memory: memory, pid: tid)
            childProcess.exitSignal = exitSignal
            if flags & Self.CLONE_PARENT != 0 { childProcess.ppid = p.ppid }
            child = LinuxThread(tid: tid, process: childProcess, cpu: t.cpu.child(memory: memory, stack: stack, tls: tlsValue),
                                signalMask: t.signalMask)
            processes.append(childProcess)
        }
        nextPID += 1
        childProcess.threads.append(child)
        if flags & Self.CLONE_PARENT_SETTID != 0 {
            _ = p.mmu.storeValue(parentTID, size: 4, UInt64(UInt32(bitPattern: tid)))
            if childProcess.memory !== p.memory { _ = childProcess.mmu.storeValue(parentTID, size: 4, UInt64(UInt32(bitPattern: tid))) }
        }
        if flags & Self.CLONE_CHILD_SETTID != 0 {
            _ = childProcess.mmu.storeValue(childTID, size: 4, UInt64(UInt32(bitPattern: tid)))
        }
        if flags & Self.CLONE_CHILD_CLEARTID != 0 { child.clearChildTID = childTID }
        child.readyAt = now
        ready.append(child)
        if flags & Self.CLONE_VFORK != 0 && childProcess !== p {
            childProcess.vforkWaiter = t
            p.pendingBlock = LinuxWait(channels: [.vfork(tid)], retry: false, what: "vfork of pid \(tid)")
        }
        return Int64(tid)
    }

    /// clone3: struct clone_args {flags, pidfd, child_tid, parent_tid, exit_signal, stack,
    /// stack_size, tls, set_tid, set_tid_size, cgroup} (64-bit fields).
    func clone3(_ t: LinuxThread, _ argsVA: UInt64, _ size: UInt64) -> Int64 {
        let mmu = t.process.mmu
        guard size >= 64, size <= 4096 else { return -Int64(LinuxErrno.EINVAL.rawValue) }
        guard let raw = mmu.readBytes(argsVA, count: Int(min(size, 88))) else { return -Int64(LinuxErrno.EFAULT.rawValue) }
        func f(_ i: Int) -> UInt64 { i * 8 + 8 <= raw.count ? GuestStruct.get(raw, i * 8, size: 8, bigEndian: mmu.bigEndian) : 0 }
        if f(8) != 0 || f(9) != 0 { return -Int64(LinuxErrno.EINVAL.rawValue) }     // set_tid
        let stack = f(5), stackSize = f(6)
        if (stack == 0) != (stackSize == 0) { return -Int64(LinuxErrno.EINVAL.rawValue) }
        guard f(4) <= UInt64(abi.signalCount) else { return -Int64(LinuxErrno.EINVAL.rawValue) }
        return clone(t, flags: f(0), stack: stack == 0 ? 0 : stack &+ stackSize, parentTID: f(3), childTID: f(2),
                     tls: f(7), exitSignal: Int32(f(4)))
    }

    // MARK: ending

    /// exit: the calling thread ends; the last one ends the process.
    func exitThread(_ t: LinuxThread, status: Int32) {
        let p = t.process
        if p.threads.count <= 1 { exitGroup(p, status: status); return }
        releaseRobustFutexes(t)
        removeThread(t)
        if t.clearChildTID != 0 {
            _ = p.mmu.storeValue(t.clearChildTID, size: 4, 0)
            wake(.futex(p.memory, t.clearChildTID), count: 1, at: now)
        }
    }

    func exitGroup(_ p: LinuxProcess, status: Int32) { endProcess(p, waitStatus: (status & 0xff) << 8) }

    func killProcess(_ p: LinuxProcess, signal: Int32) { endProcess(p, waitStatus: signal & 0x7f) }

    static let futexWaiters: UInt64 = 0x8000_0000, futexOwnerDied: UInt64 = 0x4000_0000, futexTIDMask: UInt64 = 0x3fff_ffff
    /// Linux's ROBUST_LIST_LIMIT: at most this many entries are walked (a cyclic list ends).
    static let robustListLimit = 2048

    /// Linux's exit_robust_list for an exiting thread: the robust futexes on its list
    /// (struct robust_list_head: list, futex_offset, list_op_pending; bit 0 of an entry marks a
    /// PI futex) that it still owns get FUTEX_OWNER_DIED with the waiters bit kept, and one
    /// waiter is woken (the next locker sees EOWNERDEAD). The pending entry is handled last; a
    /// pending non-PI futex that is 0 (a lock released but not yet unlisted) wakes a waiter.
    /// An unreadable list ends the walk, as in Linux.
    func releaseRobustFutexes(_ t: LinuxThread) {
        let head = t.robustList
        guard head != 0 else { return }
        t.robustList = 0
        let mmu = t.process.mmu
        guard let first = mmu.loadValue(head, size: 8), let offset = mmu.loadValue(head &+ 8, size: 8),
              let pending = mmu.loadValue(head &+ 16, size: 8) else { return }
        var entry = first
        var limit = Self.robustListLimit
        while entry & ~1 != head {
            guard let next = mmu.loadValue(entry & ~1, size: 8) else { return }
            if entry & ~1 != pending & ~1 { futexDeath(t, at: (entry & ~1) &+ offset, pi: entry & 1 != 0, pending: false) }
            entry = next
            limit -= 1
            if limit == 0 { break }
        }
        if pending & ~1 != 0 { futexDeath(t, at: (pending & ~1) &+ offset, pi: pending & 1 != 0, pending: true) }
    }

    /// Linux's handle_futex_death for one robust futex word of the exiting thread `t`.
    private func futexDeath(_ t: LinuxThread, at uaddr: UInt64, pi: Bool, pending: Bool) {
        let p = t.process
        guard uaddr & 3 == 0, let value = p.mmu.loadValue(uaddr, size: 4) else { return }
        if pending && !pi && value == 0 {
            wake(.futex(p.memory, uaddr), count: 1, at: now)
            return
        }
        guard value & Self.futexTIDMask == UInt64(UInt32(bitPattern: t.tid)) else { return }
        guard p.mmu.storeValue(uaddr, size: 4, (value & Self.futexWaiters) | Self.futexOwnerDied) else { return }
        if !pi && value & Self.futexWaiters != 0 { wake(.futex(p.memory, uaddr), count: 1, at: now) }
    }

    /// Takes a thread off its CPU, the ready queue and its wait, and out of its process.
    func removeThread(_ t: LinuxThread) {
        t.alive = false
        for s in slots where s.current === t { account(t, s); s.current = nil; t.process.lastPC = t.cpu.pc }
        ready.removeAll { $0 === t }
        if t.wait != nil {
            t.blockedCall = nil
            finishWait(t, result: nil, at: 0)
            ready.removeAll { $0 === t }
        }
        t.process.threads.removeAll { $0 === t }
    }

    func endProcess(_ p: LinuxProcess, waitStatus: Int32) {
        guard p.waitStatus == nil else { return }
        // Robust futexes matter after the process only when another process shares its memory.
        if processes.contains(where: { $0 !== p && $0.waitStatus == nil && $0.memory === p.memory }) {
            for t in p.threads { releaseRobustFutexes(t) }
        }
        for t in p.threads { removeThread(t) }
        p.waitStatus = waitStatus
        let pipes = p.files.pipeIDs
        p.files.closeAll()
        let t = now
        for id in pipes { wake(.pipe(id), at: t) }
        if let w = p.vforkWaiter { p.vforkWaiter = nil; finishWait(w, result: Int64(p.pid), at: t) }
        if !processes.contains(where: { $0 !== p && $0.waitStatus == nil && $0.memory === p.memory }) {
            retiredDecodedPages += p.memory.decodedPageCount
            retiredSoftTLBMisses += p.mmu.slowPathCount
        }
        // Children go to init (pid 1), which reaps them.
        processes.removeAll { $0.ppid == p.pid && $0.waitStatus != nil && $0 !== root }
        for c in processes where c.ppid == p.pid { c.ppid = 1 }
        if p === root { return }
        if let parent = process(p.ppid), parent.waitStatus == nil {
            let action = parent.signalActions[abi.SIGCHLD]
            if p.exitSignal == abi.SIGCHLD && (action?.handler == 1 || (action?.flags ?? 0) & abi.saNoCldWait != 0) {
                processes.removeAll { $0 === p }                     // SIG_IGN / SA_NOCLDWAIT: no zombie
            }
            wake(.children(of: parent.pid), at: t)
            if p.exitSignal > 0 {
                let exited = waitStatus & 0x7f == 0
                post(p.exitSignal, to: parent, info: siginfo(p.exitSignal, code: exited ? 1 : 2, pid: p.pid, uid: p.uids.0,
                                                             status: exited ? (waitStatus >> 8) & 0xff : waitStatus & 0x7f))
            }
        } else {
            processes.removeAll { $0 === p }
        }
    }

    // MARK: waiting for children

    /// Children of `p` selected by wait4's pid argument.
    func children(of p: LinuxProcess, selector: Int64) -> [LinuxProcess] {
        processes.filter { c in
            guard c.ppid == p.pid, c !== p else { return false }
            switch selector {
            case -1: return true
            case 0: return c.pgid == p.pgid
            case let s where s < -1: return c.pgid == Int32(truncatingIfNeeded: -s)
            default: return c.pid == Int32(truncatingIfNeeded: selector)
            }
        }
    }

    func wait4(_ t: LinuxThread, pid: UInt64, status: UInt64, options: UInt64, rusage: UInt64) -> Int64 {
        let p = t.process
        guard options & ~UInt64(1 | 2 | 8 | 0x2000_0000 | 0x4000_0000 | 0x8000_0000) == 0 else { return -Int64(LinuxErrno.EINVAL.rawValue) }
        let selector = Int64(Int32(truncatingIfNeeded: pid))
        let kids = children(of: p, selector: selector)
        if kids.isEmpty { return -Int64(LinuxErrno.ECHILD.rawValue) }
        if let z = kids.first(where: { $0.waitStatus != nil }) {
            if status != 0 && !p.mmu.storeValue(status, size: 4, UInt64(UInt32(bitPattern: z.waitStatus!))) {
                return -Int64(LinuxErrno.EFAULT.rawValue)
            }
            if rusage != 0 && !p.mmu.writeBytes(rusage, [UInt8](repeating: 0, count: 144)) { return -Int64(LinuxErrno.EFAULT.rawValue) }
            processes.removeAll { $0 === z }
            return Int64(z.pid)
        }
        if options & 1 != 0 { return 0 }
        p.pendingBlock = LinuxWait(channels: [.children(of: p.pid), .signal(p.pid)], restartable: true, what: "wait4")
        return 0
    }

    /// waitid(idtype, id, infop, options): P_ALL 0, P_PID 1, P_PGID 2; WEXITED 4, WNOHANG 1, WNOWAIT 0x1000000.
    func waitid(_ t: LinuxThread, idtype: UInt64, id: UInt64, info: UInt64, options: UInt64) -> Int64 {
        let p = t.process
        guard options & 4 != 0, idtype <= 2 else { return -Int64(LinuxErrno.EINVAL.rawValue) }
        let selector: Int64 = idtype == 0 ? -1 : idtype == 1 ? Int64(id) : (id == 0 ? 0 : -Int64(id))
        let kids = children(of: p, selector: selector)
        if kids.isEmpty { return -Int64(LinuxErrno.ECHILD.rawValue) }
        var b = GuestStruct(size: 128, bigEndian: p.mmu.bigEndian)
        if let z = kids.first(where: { $0.waitStatus != nil }) {
            let ws = z.waitStatus!
            let exited = ws & 0x7f == 0
            b.put32(0, UInt64(abi.SIGCHLD))
            b.put32(abi == .mips64n64 ? 4 : 8, exited ? 1 : 2)       // si_code CLD_EXITED / CLD_KILLED
            b.put32(16, UInt64(UInt32(bitPattern: z.pid)))
            b.put32(20, z.uids.0)
            b.put32(24, UInt64(exited ? (ws >> 8) & 0xff : ws & 0x7f))
            if info != 0 && !p.mmu.writeBytes(info, b.bytes) { return -Int64(LinuxErrno.EFAULT.rawValue) }
            if options & 0x0100_0000 == 0 { processes.removeAll { $0 === z } }
            return 0
        }
        if options & 1 != 0 {
            if info != 0 && !p.mmu.writeBytes(info, b.bytes) { return -Int64(LinuxErrno.EFAULT.rawValue) }
            return 0
        }
        p.pendingBlock = LinuxWait(channels: [.children(of: p.pid), .signal(p.pid)], restartable: true, what: "waitid")
        return 0
    }

    // MARK: signals between processes

    /// kill(pid, sig): >0 one process, 0 the caller's group, -1 every process but the caller, <-1 a group.
    func kill(from p: LinuxProcess, pid: Int64, signal: Int32) -> Int64 {
        guard signal >= 0 && signal <= abi.signalCount else { return -Int64(LinuxErrno.EINVAL.rawValue) }
        let targets: [LinuxProcess]
        switch pid {
        case let x where x > 0: targets = processes.filter { $0.pid == Int32(truncatingIfNeeded: x) }
        case 0: targets = processes.filter { $0.pgid == p.pgid }
        case -1: targets = processes.filter { $0 !== p }
        default: targets = processes.filter { $0.pgid == Int32(truncatingIfNeeded: -pid) }
        }
        if targets.isEmpty { return -Int64(LinuxErrno.ESRCH.rawValue) }
        if signal == 0 { return 0 }
        for target in targets where target.waitStatus == nil {
            post(signal, to: target, info: siginfo(signal, code: 0, pid: p.pid, uid: p.uids.0))
        }
        return 0
    }

    /// A signal arrives at a process: its disposition decides (handlers run when a thread of it
    /// next returns to user mode).
    func sendSignal(_ sig: Int32, to p: LinuxProcess) {
        guard p.waitStatus == nil else { return }
        if sig == abi.SIGKILL { killProcess(p, signal: sig); return }
        let action = p.signalActions[sig] ?? GuestSignalAction()
        let defaultAction = abi.defaultAction(sig)
        if action.handler == 1 || (action.handler == 0 && defaultAction != .terminate) { return }
        p.pendingSignals |= UInt64(1) << UInt64(sig - 1)
        // sigwait/sigtimedwait callers look at the pending set whatever their mask.
        wake(.sigwait(p.pid), at: now)
        guard p.threads.contains(where: { !$0.blocks(sig) }) else { return }      // stays pending
        if action.handler == 0 { killProcess(p, signal: sig); return }
        // One waiting thread that does not block it is interrupted (EINTR or a restart).
        if let t = waiters[.signal(p.pid)]?.first(where: { !$0.blocks(sig) }) {
            finishWait(t, result: -Int64(LinuxErrno.EINTR.rawValue), at: now)
        }
    }
}
