// LinuxProcess: one syscall-emulation process: its memory (frames, page map, the soft MMU the
// CPU uses), its kernel-side state (files, signal actions, limits, simulated clocks) and the
// system-call dispatcher. Loading and the initial stack are in LinuxProcess+Image.swift; the
// call families are in LinuxProcess+*.swift. Decisions are documented in docs/syscall-emulation.md.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

public final class LinuxProcess {
    public let abi: LinuxABI
    /// The address space (shared with CLONE_VM relatives, replaced by execve).
    public internal(set) var memory: LinuxMemory
    public var physical: PhysicalMemory { memory.physical }
    public var addressSpace: ProcessAddressSpace { memory.addressSpace }
    /// The CPU uses this instance for its memory fast path.
    public var mmu: SoftMMU { memory.mmu }
    /// Image entry (+ load bias for static-PIE).
    public internal(set) var entryPoint: UInt64 = 0
    public internal(set) var initialStackPointer: UInt64 = 0
    /// Set by the runner before each syscall: the simulated time now (ns).
    public var simulatedNanoseconds: UInt64 = 0
    /// Set by the runner before each syscall: CPU time of the process and of the calling thread.
    var processCPUNanoseconds: UInt64?
    var threadCPUNanoseconds: UInt64?
    /// Load bias applied to the image (0 unless static-PIE).
    public internal(set) var loadBias: UInt64 = 0
    /// The auxiliary vector as placed on the initial stack (for tests and tools).
    public internal(set) var auxv: [(key: UInt64, value: UInt64)] = []

    /// Identity of the first process (deterministic, independent of the host); children count up.
    public static let pid: Int32 = 4242
    public static let ppid: Int32 = 4241
    public static let uid: UInt64 = 1000
    public static let gid: UInt64 = 1000
    /// CLOCK_REALTIME at simulated time 0: 2005-01-01T00:00:00Z.
    public static let epochSeconds: UInt64 = 1_104_537_600

    public internal(set) var pid: Int32 = LinuxProcess.pid
    public internal(set) var ppid: Int32 = LinuxProcess.ppid
    var pgid: Int32 = LinuxProcess.pid
    var sid: Int32 = LinuxProcess.pid
    /// Real, effective and saved ids.
    var uids: (UInt64, UInt64, UInt64) = (LinuxProcess.uid, LinuxProcess.uid, LinuxProcess.uid)
    var gids: (UInt64, UInt64, UInt64) = (LinuxProcess.gid, LinuxProcess.gid, LinuxProcess.gid)
    /// The system (scheduler and process table) this process runs in; nil for a lone process
    /// driven by tests, which then has no relatives.
    weak var system: LinuxSystem?
    /// The thread making the current call (set by the system around each call).
    var currentThread: LinuxThread?
    /// prctl(PR_SET_NAME).
    var commandName: [UInt8] = []
    /// Its live threads (in a system).
    var threads: [LinuxThread] = []
    /// The wait status once it has ended (a zombie until the parent reaps it).
    var waitStatus: Int32?
    /// Signal sent to the parent when it ends (clone's low byte; SIGCHLD for fork).
    var exitSignal: Int32 = 0
    /// Signals sent to it and not yet acted on (bit n-1 for signal n), with their siginfo.
    var pendingSignals: UInt64 = 0
    var pendingInfo: [Int32: [UInt8]] = [:]
    /// ITIMER_REAL / alarm: the next expiry (simulated ns) and the reload interval.
    var alarmAt: UInt64?
    /// POSIX timers (timer_create) by id; not inherited by fork, deleted by execve.
    var posixTimers: [Int32: LinuxPosixTimer] = [:]
    var alarmInterval: UInt64 = 0
    /// A vfork child whose parent thread waits until it execs or exits.
    var vforkWaiter: LinuxThread?
    /// CPU time of its threads (ns), the CPU of the current call, the pc of its last call.
    var cpuNanoseconds: UInt64 = 0
    var currentSlot = 0
    var lastPC: UInt64 = 0
    /// A fatal signal from a fault, with its one-line description (for the run's message).
    var deathMessage: String?

    var options: LinuxSEOptions
    /// Absolute host path of the program (/proc/self/exe).
    var executablePath: String
    var files: GuestFileTable
    /// The working directory: a host directory fd (AT_FDCWD means this) and its path.
    var cwdFD: Int32 = AT_FDCWD
    var cwdPath: String?
    var random: DeterministicRandom
    var sleptNanoseconds: UInt64 = 0
    var lastMonotonic: UInt64 = 0
    var signalActions: [Int32: GuestSignalAction] = [:]
    /// The signal mask of a lone process (tests); in a system each thread has its own and
    /// `signalMask` is the calling thread's.
    var loneSignalMask: [UInt64]
    var signalMask: [UInt64] {
        get { currentThread?.signalMask ?? loneSignalMask }
        set { if let t = currentThread { t.signalMask = newValue } else { loneSignalMask = newValue } }
    }
    var limits: [Int: (soft: UInt64, hard: UInt64)] = [:]
    var clearChildTID: UInt64 = 0
    var fileCreationMask: UInt64 = 0o022
    /// sigaltstack (sp, size, flags); SS_DISABLE until the guest sets one.
    var altStack: (UInt64, UInt64, UInt64) = (0, 0, 2)
    /// Set during a call: a signal the call raises (SIGPIPE), or why it would block forever.
    var pendingSignal: Int32?
    var pendingDeadlock: String?
    /// Set during a call that must wait (in a system): what it waits for.
    var pendingBlock: LinuxWait?

    /// Host SIGPIPE ignored once, so a write to a pipe without reader returns EPIPE and the
    /// guest gets the signal instead of k42sim dying of it.
    private static let hostSIGPIPEIgnored: Bool = { signal(SIGPIPE, SIG_IGN); return true }()

    /// A process running `image`, its frames from `physical` when given (a timed system's one
    /// physical memory), else from a memory of its own of `options.guestMemory` bytes.
    public convenience init(image: ElfImage, options: LinuxSEOptions) throws(ElfError) {
        try self.init(image: image, options: options, physical: nil)
    }

    init(image: ElfImage, options: LinuxSEOptions, physical: PhysicalMemory?) throws(ElfError) {
        abi = image.isa == .mips64 ? .mips64n64 : .ppc64le
        self.options = options
        memory = LinuxMemory(abi: abi, guestMemory: options.guestMemory, bigEndian: !image.littleEndian, shared: physical)
        executablePath = LinuxProcess.absolutePath(options.programPath)
        random = DeterministicRandom(seed: options.seed ^ 0x6B34_3273_696D_0001)
        loneSignalMask = [UInt64](repeating: 0, count: abi.sigsetBytes / 8)
        let flagsFor = LinuxProcess.stdioStatusFlags(abi: abi)
        files = GuestFileTable.withStandardStreams(statusFlags: flagsFor)
        uids = (options.uid, options.uid, options.uid)
        gids = (options.gid, options.gid, options.gid)
        _ = LinuxProcess.hostSIGPIPEIgnored
        try loadImage(image)
        try buildInitialStack(image)
    }

    /// fork/clone: a child sharing `memory` (CLONE_VM) or owning it, with a copy of the
    /// parent's descriptors, actions, mask, limits, credentials and directory.
    init(forkOf parent: LinuxProcess, memory: LinuxMemory, pid: Int32) {
        abi = parent.abi
        options = parent.options
        self.memory = memory
        executablePath = parent.executablePath
        files = parent.files.copy()
        random = DeterministicRandom(seed: parent.options.seed ^ 0x6B34_3273_696D_0001 ^ (UInt64(pid) << 32))
        signalActions = parent.signalActions
        loneSignalMask = parent.signalMask
        limits = parent.limits
        fileCreationMask = parent.fileCreationMask
        uids = parent.uids
        gids = parent.gids
        self.pid = pid
        ppid = parent.pid
        pgid = parent.pgid
        sid = parent.sid
        system = parent.system
        commandName = parent.commandName
        entryPoint = parent.entryPoint
        loadBias = parent.loadBias
        lastMonotonic = parent.lastMonotonic
        if parent.cwdFD != AT_FDCWD { cwdFD = fcntl(parent.cwdFD, F_DUPFD_CLOEXEC, 3) }
        cwdPath = parent.cwdPath
    }

    deinit {
        files.closeAll()
        if cwdFD != AT_FDCWD { _ = close(cwdFD) }
    }

    /// Performs one system call. `pc` is only used in messages.
    public func syscall(number: UInt64, args: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64), pc: UInt64) -> SyscallOutcome {
        let name = abi.syscallName(number)
        pendingSignal = nil
        pendingDeadlock = nil
        pendingBlock = nil
        var outcome: SyscallOutcome
        if let system, let thread = currentThread,
           let o = system.call(name ?? "", number: number, args, thread: thread, process: self, pc: pc) {
            outcome = o
        } else {
            outcome = dispatch(name ?? "", number: number, args, pc: pc)
        }
        if pendingBlock != nil { return outcome }              // traced when it completes
        if let why = pendingDeadlock {
            log("k42sim: deadlock: \(why); killing the process")
            outcome = .killed(signal: abi.SIGKILL)
        } else if let sig = pendingSignal, case .returned = outcome, case .killed(let s) = raise(sig) {
            outcome = .killed(signal: s)
        }
        var genericErrno: Int32 = 0
        if case .returned(let v) = outcome, v < 0, v >= -4095 {
            genericErrno = Int32(-v)
            outcome = .returned(-Int64(abi.guestErrno(genericErrno)))
        }
        if options.traceSyscalls {
            let a = [args.0, args.1, args.2, args.3, args.4, args.5].map(hex0x).joined(separator: ", ")
            var result: String
            switch outcome {
            case .returned(let v):
                result = v >= 0 && v > 0xffff ? hex0x(UInt64(v)) : String(v)
                if genericErrno != 0 {
                    result += " (" + (linuxErrnoTable.first { $0.generic == genericErrno }?.name ?? "?") + ")"
                }
            case .exited(let s): result = "exit \(s)"
            case .stop(let m): result = m
            case .killed(let s): result = "killed by " + LinuxProcess.signalName(s, abi: abi)
            case .setThreadPointer(let tp): result = "thread pointer " + hex0x(tp)
            }
            log("k42sim: [pid \(pid)] [pc \(hex0x(pc))] \(name ?? "syscall_\(number)")(\(a)) = \(result)")
        }
        return outcome
    }

    public static func signalName(_ guestSignal: Int32, abi: LinuxABI) -> String {
        let names = abi.signalNames
        if guestSignal > 0 && Int(guestSignal) < names.count { return names[Int(guestSignal)] }
        if guestSignal >= 32 && guestSignal <= abi.signalCount { return "SIGRT\(guestSignal - 32)" }
        return "signal \(guestSignal)"
    }

    public func signalNumber(forFault kind: MemoryFaultKind) -> Int32 {
        LinuxProcess.signalNumber(forFault: kind, abi: abi)
    }

    static func signalNumber(forFault kind: MemoryFaultKind, abi: LinuxABI) -> Int32 {
        switch kind {
        case .unmapped, .protection: return abi.SIGSEGV
        case .misaligned: return abi.SIGBUS
        case .outOfMemory: return abi.SIGKILL    // the kernel's OOM killer
        }
    }

    typealias Args = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private func dispatch(_ name: String, number: UInt64, _ a: Args, pc: UInt64) -> SyscallOutcome {
        let r: Int64
        switch name {
        // process
        case "exit", "exit_group": return .exited(Int32(truncatingIfNeeded: a.0 & 0xff))
        case "set_thread_area" where abi == .mips64n64: return .setThreadPointer(a.0)
        case "set_tid_address": clearChildTID = a.0; r = Int64(pid)
        case "set_robust_list": r = a.1 == 24 ? 0 : err(.EINVAL)
        case "rseq": r = err(.ENOSYS)
        case "getpid", "gettid": r = Int64(pid)
        case "getppid": r = Int64(ppid)
        case "getuid": r = Int64(uids.0)
        case "geteuid": r = Int64(uids.1)
        case "getgid": r = Int64(gids.0)
        case "getegid": r = Int64(gids.1)
        case "getresuid": r = sysGetres(a, uids)
        case "getresgid": r = sysGetres(a, gids)
        case "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setfsuid", "setfsgid":
            r = sysSetIDs(name, a)
        case "getgroups": r = sysGetgroups(a.0, a.1)
        case "setgroups": r = uids.1 == 0 ? 0 : err(.EPERM)
        case "getpgid": r = a.0 == 0 || a.0 == UInt64(pid) ? Int64(pgid) : err(.ESRCH)
        case "getsid": r = a.0 == 0 || a.0 == UInt64(pid) ? Int64(sid) : err(.ESRCH)
        case "getpgrp": r = Int64(pgid)
        case "sysinfo": r = sysSysinfo(a.0)
        case "socket", "socketpair": r = err(.EAFNOSUPPORT)     // no networking in SE mode
        case "prctl": r = sysPrctl(a.0, a.1)
        case "uname": r = sysUname(a.0)
        case "prlimit64": r = sysPrlimit(pid: a.0, resource: a.1, new: a.2, old: a.3)
        case "getrlimit", "ugetrlimit": r = sysPrlimit(pid: 0, resource: a.0, new: 0, old: a.1)
        case "setrlimit": r = sysPrlimit(pid: 0, resource: a.0, new: a.1, old: 0)
        case "getrandom": r = sysGetrandom(a.0, a.1, a.2)
        case "sched_getaffinity": r = sysSchedGetaffinity(a.0, a.1, a.2)
        case "sched_setaffinity": r = 0
        case "sched_yield": r = 0
        case "getcpu": r = sysGetcpu(a.0, a.1)
        case "futex": return sysFutex(a)
        case "membarrier": r = sysMembarrier(a.0)
        case "umask": r = Int64(fileCreationMask); fileCreationMask = a.0 & 0o777
        case "getrusage": r = sysGetrusage(a.0, a.1)
        // time
        case "clock_gettime": r = sysClockGettime(a.0, a.1)
        case "clock_getres": r = sysClockGetres(a.0, a.1)
        case "gettimeofday": r = sysGettimeofday(a.0, a.1)
        case "time": r = sysTime(a.0)
        case "times": r = sysTimes(a.0)
        case "nanosleep": r = sysNanosleep(a.0)
        case "clock_nanosleep": r = sysClockNanosleep(a.0, a.1, a.2)
        // signals
        case "rt_sigaction": r = sysRtSigaction(a.0, a.1, a.2, a.3)
        case "rt_sigprocmask": r = sysRtSigprocmask(a.0, a.1, a.2, a.3)
        case "sigaltstack": r = sysSigaltstack(a.0, a.1)
        case "kill": return sysKill(pid: a.0, tid: nil, signal: a.1)
        case "tgkill": return sysKill(pid: a.0, tid: a.1, signal: a.2)
        case "tkill": return sysKill(pid: nil, tid: a.0, signal: a.1)
        // memory
        case "brk": r = sysBrk(a.0)
        case "mmap": r = sysMmap(a.0, a.1, a.2, a.3, a.4, a.5)
        case "munmap": r = sysMunmap(a.0, a.1)
        case "mprotect": r = sysMprotect(a.0, a.1, a.2)
        case "mremap": r = sysMremap(a.0, a.1, a.2, a.3, a.4)
        case "madvise": r = sysMadvise(a.0, a.1, a.2)
        case "mlock", "munlock", "mlockall", "munlockall", "msync", "mlock2": r = 0
        // files
        case "read": r = sysRead(a.0, a.1, a.2, offset: nil)
        case "write": r = sysWrite(a.0, a.1, a.2, offset: nil)
        case "pread64": r = sysRead(a.0, a.1, a.2, offset: a.3)
        case "pwrite64": r = sysWrite(a.0, a.1, a.2, offset: a.3)
        case "readv": r = sysVector(a.0, a.1, a.2, write: false)
        case "writev": r = sysVector(a.0, a.1, a.2, write: true)
        case "open": r = sysOpenat(dirfd: atFDCWD, a.0, a.1, a.2)
        case "openat": r = sysOpenat(dirfd: a.0, a.1, a.2, a.3)
        case "close": r = closeDescriptor(a.0)
        case "lseek": r = sysLseek(a.0, a.1, a.2)
        case "fstat": r = sysFstat(a.0, a.1)
        case "stat": r = sysFstatat(dirfd: atFDCWD, path: a.0, a.1, flags: 0)
        case "lstat": r = sysFstatat(dirfd: atFDCWD, path: a.0, a.1, flags: 0x100)
        case "newfstatat", "fstatat64": r = sysFstatat(dirfd: a.0, path: a.1, a.2, flags: a.3)
        case "statx": r = sysStatx(a.0, a.1, a.2, a.3, a.4)
        case "readlink": r = sysReadlinkat(dirfd: atFDCWD, a.0, a.1, a.2)
        case "readlinkat": r = sysReadlinkat(dirfd: a.0, a.1, a.2, a.3)
        case "access": r = sysFaccessat(dirfd: atFDCWD, a.0, a.1, 0)
        case "faccessat": r = sysFaccessat(dirfd: a.0, a.1, a.2, 0)
        case "faccessat2": r = sysFaccessat(dirfd: a.0, a.1, a.2, a.3)
        case "getcwd": r = sysGetcwd(a.0, a.1)
        case "dup": r = sysDup(a.0)
        case "dup2": r = sysDup3(a.0, a.1, 0, isDup2: true)
        case "dup3": r = sysDup3(a.0, a.1, a.2, isDup2: false)
        case "fcntl": r = sysFcntl(a.0, a.1, a.2)
        case "ioctl": r = files.get(a.0) == nil ? err(.EBADF) : err(.ENOTTY)
        case "pipe2": r = sysPipe2(a.0, a.1)
        case "pipe" where abi == .ppc64le: r = sysPipe2(a.0, 0)
        case "fsync", "fdatasync": r = files.get(a.0) == nil ? err(.EBADF) : 0
        case "ftruncate": r = sysFtruncate(a.0, a.1)
        case "unlinkat": r = sysUnlinkat(a.0, a.1, a.2)
        case "unlink": r = sysUnlinkat(atFDCWD, a.0, 0)
        case "mkdirat": r = sysMkdirat(a.0, a.1, a.2)
        case "mkdir": r = sysMkdirat(atFDCWD, a.0, a.1)
        case "chdir": r = sysChdir(a.0)
        case "fchdir": r = sysFchdir(a.0)
        case "getdents64": r = sysGetdents(a.0, a.1, a.2, wide: true)
        case "getdents": r = sysGetdents(a.0, a.1, a.2, wide: false)
        case "_llseek": r = sysLlseek(a.0, a.1, a.2, a.3, a.4)
        case "poll": r = sysPoll(a.0, a.1, timeoutMs: Int64(Int32(truncatingIfNeeded: a.2)))
        case "ppoll": r = sysPpoll(a.0, a.1, a.2)
        case "select": r = sysSelect(a.0, a.1, a.2, a.3, timeval: a.4, nanoseconds: false)
        case "_newselect": r = sysSelect(a.0, a.1, a.2, a.3, timeval: a.4, nanoseconds: false)
        case "pselect6": r = sysSelect(a.0, a.1, a.2, a.3, timeval: a.4, nanoseconds: true)
        case "sendfile", "sendfile64": r = sysSendfile(a.0, a.1, a.2, a.3)
        case "renameat", "renameat2": r = sysPathPair("rename", a.0, a.1, a.2, a.3, flags: name == "renameat2" ? a.4 : 0)
        case "rename": r = sysPathPair("rename", atFDCWD, a.0, atFDCWD, a.1, flags: 0)
        case "linkat": r = sysPathPair("link", a.0, a.1, a.2, a.3, flags: a.4)
        case "link": r = sysPathPair("link", atFDCWD, a.0, atFDCWD, a.1, flags: 0)
        case "symlinkat": r = sysSymlinkat(a.0, a.1, a.2)
        case "symlink": r = sysSymlinkat(a.0, atFDCWD, a.1)
        case "rmdir": r = sysUnlinkat(atFDCWD, a.0, 0x200)
        case "chmod": r = sysChmodat(atFDCWD, a.0, a.1)
        case "fchmodat": r = sysChmodat(a.0, a.1, a.2)
        case "fchmod": r = sysFchmod(a.0, a.1)
        case "utimensat": r = sysUtimensat(a.0, a.1, a.2, a.3)
        case "fchown", "fchownat", "chown", "lchown": r = sysChown(name, a)
        case "flock": r = files.get(a.0) == nil ? err(.EBADF) : 0
        case "fadvise64": r = files.get(a.0) == nil ? err(.EBADF) : 0
        default:
            let shown = abi.syscallName(number) ?? "unknown"
            let line = "k42sim: unimplemented syscall \(number) (\(shown)) at pc \(hex0x(pc))"
            if options.strict { return .stop(line + " (--strict)") }
            log(line)
            r = err(.ENOSYS)
        }
        return .returned(r)
    }

    /// AT_FDCWD (-100) as the raw 64-bit argument.
    var atFDCWD: UInt64 { UInt64(bitPattern: -100) }

    func err(_ e: LinuxErrno) -> Int64 { -Int64(e.rawValue) }

    /// -errno for the host's current errno (host numbering is the generic one).
    func hostErr() -> Int64 { -Int64(errno) }

    static func absolutePath(_ p: String) -> String {
        if let r = realpath(p, nil) {
            defer { free(r) }
            return String(cString: r)
        }
        if p.hasPrefix("/") { return p }
        guard let cwd = hostCurrentDirectory() else { return p }
        return cwd + "/" + p
    }

    static func stdioStatusFlags(abi: LinuxABI) -> (Int32) -> UInt64 {
        { fd in fd == 0 ? 0 : 1 }     // O_RDONLY / O_WRONLY (same bits on both ABIs)
    }
}
