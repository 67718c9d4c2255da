// LinuxSystem+Calls: the system calls that involve more than the calling process's own state —
// thread and process creation and exit, execve (static ELF and #! scripts), waiting, signals to
// others, futexes between threads, sleeping on the simulated clock, yielding, and the CPU facts
// that depend on the configured CPU count. `call` returns nil for every other call, which the
// process handles itself.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension LinuxSystem {
    // swiftlint:disable:next cyclomatic_complexity function_body_length
    func call(_ name: String, number: UInt64, _ a: LinuxProcess.Args, thread t: LinuxThread,
              process p: LinuxProcess, pc: UInt64) -> SyscallOutcome? {
        p.lastPC = pc
        let r: Int64
        switch name {
        case "exit": exitThread(t, status: Int32(truncatingIfNeeded: a.0 & 0xff)); return .returned(0)
        case "exit_group": exitGroup(p, status: Int32(truncatingIfNeeded: a.0 & 0xff)); return .returned(0)
        case "clone":                                   // CLONE_BACKWARDS: flags, stack, ptid, tls, ctid
            r = clone(t, flags: a.0 & ~0xff, stack: a.1, parentTID: a.2, childTID: a.4, tls: a.3,
                      exitSignal: Int32(a.0 & 0xff))
        case "clone3": r = clone3(t, a.0, a.1)
        case "fork": r = clone(t, flags: 0, stack: 0, parentTID: 0, childTID: 0, tls: 0, exitSignal: abi.SIGCHLD)
        case "vfork":
            r = clone(t, flags: Self.CLONE_VM | Self.CLONE_VFORK, stack: 0, parentTID: 0, childTID: 0, tls: 0,
                      exitSignal: abi.SIGCHLD)
        case "execve": return execve(t, dirfd: p.atFDCWD, a.0, a.1, a.2, flags: 0)
        case "execveat": return execve(t, dirfd: a.0, a.1, a.2, a.3, flags: a.4)
        case "wait4": r = wait4(t, pid: a.0, status: a.1, options: a.2, rusage: a.3)
        case "waitid": r = waitid(t, idtype: a.0, id: a.1, info: a.2, options: a.3)
        case "gettid": r = Int64(t.tid)
        case "set_tid_address": t.clearChildTID = a.0; r = Int64(t.tid)
        case "set_robust_list":
            if a.1 == 24 { t.robustList = a.0; r = 0 } else { r = -Int64(LinuxErrno.EINVAL.rawValue) }
        case "get_robust_list":
            // pid 0: the caller; another thread of the system by its tid.
            let tid = Int32(truncatingIfNeeded: a.0)
            let all = processes.lazy.filter { $0.waitStatus == nil }.flatMap(\.threads)
            guard let who = tid == 0 ? t : all.first(where: { $0.tid == tid }) else { r = -Int64(LinuxErrno.ESRCH.rawValue); break }
            guard who.process === p || p.uids.1 == 0 || p.uids.1 == who.process.uids.0 else {
                r = -Int64(LinuxErrno.EPERM.rawValue); break
            }
            r = p.mmu.storeValue(a.1, size: 8, who.robustList) && p.mmu.storeValue(a.2, size: 8, 24)
                ? 0 : -Int64(LinuxErrno.EFAULT.rawValue)
        case "kill": r = kill(from: p, pid: Int64(Int32(truncatingIfNeeded: a.0)), signal: Int32(truncatingIfNeeded: a.1))
        case "tgkill", "tkill":
            let tgid = name == "tkill" ? nil : Int32(truncatingIfNeeded: a.0)
            let tid = Int32(truncatingIfNeeded: name == "tkill" ? a.0 : a.1)
            let sig = Int32(truncatingIfNeeded: name == "tkill" ? a.1 : a.2)
            guard tid > 0, tgid ?? 1 > 0 else { r = -Int64(LinuxErrno.EINVAL.rawValue); break }
            guard sig >= 0 && sig <= abi.signalCount else { r = -Int64(LinuxErrno.EINVAL.rawValue); break }
            guard let target = processes.lazy.filter({ $0.waitStatus == nil && (tgid == nil || $0.pid == tgid) })
                .flatMap(\.threads).first(where: { $0.tid == tid }) else {
                r = -Int64(LinuxErrno.ESRCH.rawValue); break
            }
            if sig != 0 { post(sig, toThread: target, info: siginfo(sig, code: -6, pid: p.pid, uid: p.uids.0)) }
            r = 0
        case "setpgid":
            r = setpgid(p, pid: Int32(truncatingIfNeeded: a.0), pgid: Int32(truncatingIfNeeded: a.1))
        case "getpgid":
            let pid = Int32(truncatingIfNeeded: a.0)
            if let q = pid == 0 ? p : process(pid) { r = Int64(q.pgid) } else { r = -Int64(LinuxErrno.ESRCH.rawValue) }
        case "getsid":
            let pid = Int32(truncatingIfNeeded: a.0)
            if let q = pid == 0 ? p : process(pid) { r = Int64(q.sid) } else { r = -Int64(LinuxErrno.ESRCH.rawValue) }
        case "setsid":
            if processes.contains(where: { $0.pgid == p.pid && $0 !== p }) || p.pgid == p.pid && p !== root {
                r = -Int64(LinuxErrno.EPERM.rawValue)
            } else {
                p.sid = p.pid; p.pgid = p.pid; r = Int64(p.pid)
            }
        case "futex":
            guard let v = futex(t, a) else { return nil }
            r = v
        case "nanosleep":
            guard let ns = readDuration(p, a.0) else { r = -Int64(LinuxErrno.EFAULT.rawValue); break }
            if ns < 0 { r = -Int64(LinuxErrno.EINVAL.rawValue); break }
            sleep(p, until: p.simulatedNanoseconds &+ UInt64(ns))
            r = 0
        case "clock_nanosleep":
            guard a.0 != 3, let now = p.clockNanoseconds(a.0) else { r = -Int64(LinuxErrno.EINVAL.rawValue); break }
            guard let ns = readDuration(p, a.2) else { r = -Int64(LinuxErrno.EFAULT.rawValue); break }
            if ns < 0 { r = -Int64(LinuxErrno.EINVAL.rawValue); break }
            let wait = a.1 & 1 != 0 ? (UInt64(ns) > now ? UInt64(ns) - now : 0) : UInt64(ns)
            sleep(p, until: p.simulatedNanoseconds &+ wait)
            r = 0
        case "rt_sigreturn": r = sigreturn(t)
        case "rt_sigsuspend": r = sigsuspend(t, a.0, a.1)
        case "rt_sigtimedwait": r = sigtimedwait(t, a.0, a.1, a.2, a.3)
        case "rt_sigpending":
            guard a.1 == UInt64(abi.sigsetBytes) else { r = -Int64(LinuxErrno.EINVAL.rawValue); break }
            var b = GuestStruct(size: abi.sigsetBytes, bigEndian: false)
            b.put64(0, p.pendingSignals | t.pendingSignals)
            r = p.mmu.writeBytes(a.0, b.bytes) ? 0 : -Int64(LinuxErrno.EFAULT.rawValue)
        case "alarm": r = alarm(p, seconds: a.0)
        case "timer_create": r = timerCreate(t, clock: a.0, event: a.1, idOut: a.2)
        case "timer_settime": r = timerSettime(t, id: a.0, flags: a.1, new: a.2, old: a.3)
        case "timer_gettime": r = timerGettime(t, id: a.0, out: a.1)
        case "timer_getoverrun": r = timerGetoverrun(t, id: a.0)
        case "timer_delete": r = timerDelete(t, id: a.0)
        case "setitimer": r = itimer(p, which: a.0, new: a.1 == 0 ? nil : a.1, old: a.2)
        case "getitimer": r = itimer(p, which: a.0, new: nil, old: a.1)
        case "pause":
            p.pendingBlock = LinuxWait(channels: [.signal(p.pid)], retry: false, what: "pause")
            r = 0
        case "sched_yield":
            t.sliceUsed = timeslice
            r = 0
        case "getcpu":
            let cpu = UInt64(p.currentSlot)
            if a.0 != 0 && !p.mmu.storeValue(a.0, size: 4, cpu) { r = -Int64(LinuxErrno.EFAULT.rawValue); break }
            if a.1 != 0 && !p.mmu.storeValue(a.1, size: 4, 0) { r = -Int64(LinuxErrno.EFAULT.rawValue); break }
            r = 0
        case "sched_getaffinity":
            guard a.1 >= 8, a.1 & 7 == 0 else { r = -Int64(LinuxErrno.EINVAL.rawValue); break }
            let n = slots.count
            let words = (n + 63) / 64
            guard a.1 >= UInt64(words * 8) else { r = -Int64(LinuxErrno.EINVAL.rawValue); break }
            var b = GuestStruct(size: words * 8, bigEndian: p.mmu.bigEndian)
            for w in 0 ..< words {
                let bits = min(64, n - w * 64)
                b.put64(w * 8, bits == 64 ? UInt64.max : (UInt64(1) << UInt64(bits)) - 1)
            }
            r = p.mmu.writeBytes(a.2, b.bytes) ? Int64(words * 8) : -Int64(LinuxErrno.EFAULT.rawValue)
        default:
            return nil
        }
        return .returned(r)
    }

    func readDuration(_ p: LinuxProcess, _ va: UInt64) -> Int64? {
        switch p.readTimespec(va) {
        case .success(let ns): return Int64(min(ns, UInt64(Int64.max)))
        case .failure(let e): return e == .EFAULT ? nil : -1
        }
    }

    /// Blocks the calling thread until simulated time `deadline` (a signal ends it early: EINTR).
    func sleep(_ p: LinuxProcess, until deadline: UInt64) {
        p.pendingBlock = LinuxWait(channels: [.signal(p.pid)], deadline: deadline, timeoutResult: 0, retry: false, what: "sleep")
    }

    func setpgid(_ p: LinuxProcess, pid: Int32, pgid: Int32) -> Int64 {
        guard pgid >= 0 else { return -Int64(LinuxErrno.EINVAL.rawValue) }
        let target: LinuxProcess
        if pid == 0 || pid == p.pid {
            target = p
        } else if let c = process(pid), c.ppid == p.pid {
            target = c
        } else {
            return -Int64(LinuxErrno.ESRCH.rawValue)
        }
        let group = pgid == 0 ? target.pid : pgid
        if group != target.pid && !processes.contains(where: { $0.pgid == group && $0.sid == target.sid }) {
            return -Int64(LinuxErrno.EPERM.rawValue)
        }
        target.pgid = group
        return 0
    }

    // MARK: futex between threads

    /// WAIT/WAIT_BITSET, WAKE/WAKE_BITSET, REQUEUE/CMP_REQUEUE and WAKE_OP across threads; nil
    /// for the PI operations (the process's single-thread forms).
    func futex(_ t: LinuxThread, _ a: LinuxProcess.Args) -> Int64? {
        let p = t.process
        let uaddr = a.0, op = a.1 & 0x7f, val = a.2 & 0xffff_ffff, uaddr2 = a.4, val3 = a.5 & 0xffff_ffff
        let realtime = a.1 & 256 != 0
        let einval = -Int64(LinuxErrno.EINVAL.rawValue), efault = -Int64(LinuxErrno.EFAULT.rawValue)
        guard uaddr & 3 == 0 else { return einval }
        let mem = p.memory
        switch op {
        case 0, 9:
            if op == 9 && val3 == 0 { return einval }
            guard let cur = p.mmu.loadValue(uaddr, size: 4) else { return efault }
            if cur != val { return -Int64(LinuxErrno.EAGAIN.rawValue) }
            var deadline: UInt64?
            if a.3 != 0 {
                switch p.readTimespec(a.3) {
                case .failure(let e): return -Int64(e.rawValue)
                case .success(let ns):
                    if op == 9 {
                        let now = realtime ? p.realtimeNanoseconds : p.monotonicNanoseconds
                        deadline = p.simulatedNanoseconds &+ (ns > now ? ns - now : 0)
                    } else {
                        deadline = p.simulatedNanoseconds &+ ns
                    }
                }
            }
            p.pendingBlock = LinuxWait(channels: [.futex(mem, uaddr), .signal(p.pid)], deadline: deadline,
                                       timeoutResult: -Int64(LinuxErrno.ETIMEDOUT.rawValue), retry: false,
                                       what: "futex wait at \(hex0x(uaddr))")
            return 0
        case 1, 10:
            if op == 10 && val3 == 0 { return einval }
            return Int64(wake(.futex(mem, uaddr), count: Int(min(val, 0x7fff_ffff)), at: p.simulatedNanoseconds))
        case 3, 4:
            if op == 4 {
                guard let cur = p.mmu.loadValue(uaddr, size: 4) else { return efault }
                if cur != val3 { return -Int64(LinuxErrno.EAGAIN.rawValue) }
            }
            let woken = wake(.futex(mem, uaddr), count: Int(min(val, 0x7fff_ffff)), at: p.simulatedNanoseconds)
            let moved = requeue(from: .futex(mem, uaddr), to: .futex(mem, uaddr2), count: Int(min(a.3 & 0xffff_ffff, 0x7fff_ffff)))
            return Int64(woken + (op == 4 ? moved : 0))
        case 5:
            guard let old = p.mmu.loadValue(uaddr2, size: 4) else { return efault }
            let cmp = (val3 >> 24) & 15
            let cmparg = Int64(Int32(truncatingIfNeeded: val3 << 20) >> 20)
            guard let new = LinuxProcess.futexWakeOp(old: old, val3) else { return -Int64(LinuxErrno.ENOSYS.rawValue) }
            guard p.mmu.storeValue(uaddr2, size: 4, new & 0xffff_ffff) else { return efault }
            var n = wake(.futex(mem, uaddr), count: Int(min(val, 0x7fff_ffff)), at: p.simulatedNanoseconds)
            let o = Int64(Int32(truncatingIfNeeded: old))
            let hit: Bool
            switch cmp {
            case 0: hit = o == cmparg
            case 1: hit = o != cmparg
            case 2: hit = o < cmparg
            case 3: hit = o <= cmparg
            case 4: hit = o > cmparg
            case 5: hit = o >= cmparg
            default: return -Int64(LinuxErrno.ENOSYS.rawValue)
            }
            if hit { n += wake(.futex(mem, uaddr2), count: Int(min(a.3 & 0xffff_ffff, 0x7fff_ffff)), at: p.simulatedNanoseconds) }
            return Int64(n)
        default:
            return nil
        }
    }

    /// Moves up to `count` waiters of one channel to another (FUTEX_REQUEUE).
    func requeue(from: WaitChannel, to: WaitChannel, count: Int) -> Int {
        guard var list = waiters[from], count > 0 else { return 0 }
        let moving = Array(list.prefix(count))
        list.removeFirst(moving.count)
        waiters[from] = list.isEmpty ? nil : list
        for t in moving {
            if let i = t.wait?.channels.firstIndex(of: from) { t.wait!.channels[i] = to }
            waiters[to, default: []].append(t)
        }
        return moving.count
    }

    // MARK: execve

    func execve(_ t: LinuxThread, dirfd: UInt64, _ pathVA: UInt64, _ argvVA: UInt64, _ envpVA: UInt64,
                flags: UInt64) -> SyscallOutcome {
        let p = t.process
        func fail(_ e: LinuxErrno) -> SyscallOutcome { .returned(-Int64(e.rawValue)) }
        guard flags & ~UInt64(0x1000 | 0x100) == 0 else { return fail(.EINVAL) }
        guard case .success(var path) = p.readPath(pathVA) else { return fail(.EFAULT) }
        if path == "/proc/self/exe" || path == "/proc/\(p.pid)/exe" { path = p.executablePath }
        if let m = options.execMap.first(where: { $0.0 == path }) { path = m.1 }
        guard var argv = readStrings(p, argvVA), let envp = readStrings(p, envpVA) else { return fail(.EFAULT) }
        if argv.reduce(0, { $0 + $1.count + 1 }) + envp.reduce(0, { $0 + $1.count + 1 }) > Int(LinuxABI.stackSize / 4) {
            return fail(.E2BIG)
        }
        var dir: Int32
        switch p.hostDirFD(dirfd) {
        case .success(let d): dir = d
        case .failure(let e): return fail(e)
        }
        var image: ElfImage?
        var hostPath = path
        for _ in 0 ..< 5 {
            switch loadExecutable(dir: dir, path: path) {
            case .failure(let e): return fail(e)
            case .success(.elf(let i, let resolved)): image = i; hostPath = resolved
            case .success(.script(let interpreter, let arg)):
                argv = [interpreter] + (arg.map { [$0] } ?? []) + [path] + argv.dropFirst()
                path = interpreter
                dir = p.cwdFD
                continue
            }
            break
        }
        guard let image else { return fail(.ELOOP) }
        // The point of no return.
        for other in p.threads where other !== t { removeThread(other) }
        let old = p.memory
        if !processes.contains(where: { $0 !== p && $0.waitStatus == nil && $0.memory === old }) {
            retiredDecodedPages += old.decodedPageCount
            retiredSoftTLBMisses += old.mmu.slowPathCount
        }
        p.memory = LinuxMemory(abi: abi, guestMemory: options.guestMemory, bigEndian: false, shared: timing?.physical)
        p.options.programPath = path
        p.options.arguments = argv.isEmpty ? [path] : argv
        p.options.environment = envp
        p.executablePath = hostPath
        do {
            try p.loadImage(image)
            try p.buildInitialStack(image)
        } catch {
            p.log("k42sim: [pid \(p.pid)] execve \(path): \(error.message)")
            killProcess(p, signal: abi.SIGKILL)
            return .returned(0)
        }
        for slot in slots where slot.current === t { account(t, slot) }
        t.cpu = cpuType.start(memory: p.memory, entry: p.entryPoint, sp: p.initialStackPointer)
        t.clearChildTID = 0
        let pipes = p.files.closeOnExec()
        for id in pipes { wake(.pipe(id), at: p.simulatedNanoseconds) }
        for (sig, action) in p.signalActions where action.handler > 1 { p.signalActions[sig] = GuestSignalAction() }
        p.altStack = (0, 0, 2)
        p.posixTimers = [:]
        p.commandName = Array((path.split(separator: "/").last.map(String.init) ?? path).utf8.prefix(15))
        if let w = p.vforkWaiter { p.vforkWaiter = nil; finishWait(w, result: Int64(p.pid), at: p.simulatedNanoseconds) }
        return .returned(0)
    }

    /// A NULL-terminated array of string pointers (at most 65536); nil on a fault.
    func readStrings(_ p: LinuxProcess, _ va: UInt64) -> [String]? {
        if va == 0 { return [] }
        var out: [String] = []
        var a = va
        while out.count < 65536 {
            guard let ptr = p.mmu.loadValue(a, size: 8) else { return nil }
            if ptr == 0 { return out }
            guard let s = p.mmu.readCString(ptr, limit: 1 << 17) else { return nil }
            out.append(String(decoding: s, as: UTF8.self))
            a &+= 8
        }
        return nil
    }

    enum Executable {
        case elf(ElfImage, String)
        case script(String, String?)
    }

    /// Opens and classifies an executable: a static ELF of this ISA, or a #! script.
    func loadExecutable(dir: Int32, path: String) -> Result<Executable, LinuxErrno> {
        if path.isEmpty { return .failure(.ENOENT) }
        let fd = openat(dir, path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return .failure(LinuxErrno(rawValue: errno) ?? .ENOENT) }
        defer { _ = close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(.EACCES) }
        if st.st_mode & S_IFMT != S_IFREG { return .failure(.EACCES) }
        if faccessat(dir, path, X_OK, 0) != 0 { return .failure(.EACCES) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return .failure(.EIO) }
            if n == 0 { break }
            bytes += buf[0 ..< n]
            if bytes.count > Int(options.guestMemory) { return .failure(.ENOMEM) }
        }
        if bytes.count >= 2 && bytes[0] == 0x23 && bytes[1] == 0x21 {
            let line = bytes[2...].prefix { $0 != 10 }.prefix(255)
            let text = String(decoding: line, as: UTF8.self).trimmed(" \t")
            guard !text.isEmpty else { return .failure(.ENOEXEC) }
            let parts = text.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
            let interp = String(parts[0])
            let arg = parts.count > 1 ? String(parts[1]).trimmed(" \t") : nil
            return .success(.script(interp, arg?.isEmpty == true ? nil : arg))
        }
        do {
            let image = try ElfImage(bytes: bytes, expecting: abi == .mips64n64 ? .mips64 : .ppc64)
            if !image.littleEndian { return .failure(.ENOEXEC) }
            var resolved = path
            if !path.hasPrefix("/") {
                var b = [CChar](repeating: 0, count: 4096)
                let n = readlink("/proc/self/fd/\(fd)", &b, 4095)
                if n > 0 { resolved = String(decoding: b[0 ..< n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            }
            return .success(.elf(image, resolved))
        } catch {
            return .failure(error.message.contains("dynamically linked") ? .ENOENT : .ENOEXEC)
        }
    }
}

extension String {
    func trimmed(_ set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
