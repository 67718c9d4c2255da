// LinuxABI: what differs between the two guest ABIs (mips64el n64 and ppc64le ELFv2): syscall
// numbering and names, errno values, open/mmap flag bits, signal numbers and sigset size,
// rlimit resource numbers, fcntl lock commands, the address-space layout k42sim gives a process
// and the auxv hardware words. Values come from the Debian cross headers
// (/usr/mips64el-linux-gnuabi64/include, /usr/powerpc64le-linux-gnu/include).

public enum LinuxABI: Sendable {
    case mips64n64, ppc64le

    // MARK: syscall names

    /// The kernel's name of a system call number ("openat"), or nil when the ABI has none.
    public func syscallName(_ number: UInt64) -> String? {
        switch self {
        case .mips64n64: return mips64n64SyscallNames[number]
        case .ppc64le: return ppc64leSyscallNames[number]
        }
    }

    /// The number of a named system call, or nil when the ABI lacks it (tests, tools).
    public func syscallNumber(_ name: String) -> UInt64? {
        let table = self == .mips64n64 ? mips64n64SyscallNames : ppc64leSyscallNames
        return table.first(where: { $0.value == name })?.key
    }

    // MARK: errno

    /// Guest errno value for a generic (host) Linux errno value.
    public func guestErrno(_ generic: Int32) -> Int32 {
        let table = self == .mips64n64 ? LinuxABI.mipsErrno : LinuxABI.ppcErrno
        if generic > 0 && Int(generic) < table.count { return table[Int(generic)] }
        return generic
    }

    private static let mipsErrno: [Int32] = errnoMap { $0.mips }
    private static let ppcErrno: [Int32] = errnoMap { $0.ppc }
    private static func errnoMap(_ pick: ((name: String, generic: Int32, mips: Int32, ppc: Int32)) -> Int32) -> [Int32] {
        var m = [Int32](0 ..< 200)
        for e in linuxErrnoTable { m[Int(e.generic)] = pick(e) }
        return m
    }

    // MARK: open(2) flags (guest bits)

    struct OpenFlags {
        var creat: UInt64, excl: UInt64, noctty: UInt64, trunc: UInt64, append: UInt64
        var nonblock: UInt64, dsync: UInt64, sync: UInt64, direct: UInt64, largefile: UInt64
        var directory: UInt64, nofollow: UInt64, noatime: UInt64, cloexec: UInt64, path: UInt64
        var tmpfile: UInt64
    }

    var openFlags: OpenFlags {
        switch self {
        case .mips64n64:
            return OpenFlags(creat: 0x100, excl: 0x400, noctty: 0x800, trunc: 0x200, append: 0x8,
                             nonblock: 0x80, dsync: 0x10, sync: 0x4010, direct: 0x8000, largefile: 0x2000,
                             directory: 0x10000, nofollow: 0x20000, noatime: 0x40000, cloexec: 0x80000,
                             path: 0x200000, tmpfile: 0x400000)
        case .ppc64le:
            return OpenFlags(creat: 0o100, excl: 0o200, noctty: 0o400, trunc: 0o1000, append: 0o2000,
                             nonblock: 0o4000, dsync: 0o10000, sync: 0o4010000, direct: 0o400000,
                             largefile: 0o200000, directory: 0o40000, nofollow: 0o100000,
                             noatime: 0o1000000, cloexec: 0o2000000, path: 0o10000000, tmpfile: 0o20000000)
        }
    }

    // MARK: mmap flags

    var mapAnonymous: UInt64 { self == .mips64n64 ? 0x800 : 0x20 }
    var mapFixed: UInt64 { 0x10 }
    var mapFixedNoReplace: UInt64 { 0x100000 }

    // MARK: fcntl

    var fGetLk: UInt64 { self == .mips64n64 ? 14 : 5 }

    // MARK: signals

    /// Number of signals (signals are 1 ... signalCount).
    public var signalCount: Int32 { self == .mips64n64 ? 128 : 64 }
    /// Kernel sigset_t size in bytes (the rt_sig* `sigsetsize` argument must equal it).
    var sigsetBytes: Int { self == .mips64n64 ? 16 : 8 }
    /// SIG_BLOCK; SIG_UNBLOCK and SIG_SETMASK follow it.
    var sigBlock: UInt64 { self == .mips64n64 ? 1 : 0 }

    public var SIGILL: Int32 { 4 }
    public var SIGTRAP: Int32 { 5 }
    public var SIGABRT: Int32 { 6 }
    public var SIGKILL: Int32 { 9 }
    public var SIGSEGV: Int32 { 11 }
    public var SIGPIPE: Int32 { 13 }
    public var SIGBUS: Int32 { self == .mips64n64 ? 10 : 7 }
    public var SIGSTOP: Int32 { self == .mips64n64 ? 23 : 19 }
    public var SIGINT: Int32 { 2 }
    public var SIGALRM: Int32 { 14 }
    public var SIGCHLD: Int32 { self == .mips64n64 ? 18 : 17 }
    public var SIGSYS: Int32 { self == .mips64n64 ? 12 : 31 }
    /// sigaction flags.
    var saNoCldWait: UInt64 { self == .mips64n64 ? 0x10000 : 2 }
    var saSigInfo: UInt64 { self == .mips64n64 ? 8 : 4 }
    var saOnStack: UInt64 { 0x0800_0000 }
    var saRestart: UInt64 { 0x1000_0000 }
    var saNoDefer: UInt64 { 0x4000_0000 }
    var saResetHand: UInt64 { 0x8000_0000 }

    /// Signal names indexed by number (1-based; index 0 unused).
    var signalNames: [String] {
        switch self {
        case .mips64n64:
            return ["", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGEMT", "SIGFPE",
                    "SIGKILL", "SIGBUS", "SIGSEGV", "SIGSYS", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGUSR1",
                    "SIGUSR2", "SIGCHLD", "SIGPWR", "SIGWINCH", "SIGURG", "SIGIO", "SIGSTOP", "SIGTSTP",
                    "SIGCONT", "SIGTTIN", "SIGTTOU", "SIGVTALRM", "SIGPROF", "SIGXCPU", "SIGXFSZ"]
        case .ppc64le:
            return ["", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
                    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
                    "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
                    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"]
        }
    }

    enum DefaultAction { case terminate, ignore, stop }

    /// What SIG_DFL does for a signal (core dumps count as terminate).
    func defaultAction(_ sig: Int32) -> DefaultAction {
        let names = signalNames
        guard sig > 0 && Int(sig) < names.count else { return .terminate }   // real-time: terminate
        switch names[Int(sig)] {
        case "SIGCHLD", "SIGURG", "SIGWINCH", "SIGCONT": return .ignore
        case "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU": return .stop
        default: return .terminate
        }
    }

    // MARK: rlimit resource numbers -> generic index

    /// Maps a guest RLIMIT_* number to the generic numbering (CPU 0, FSIZE 1, DATA 2, STACK 3,
    /// CORE 4, RSS 5, NPROC 6, NOFILE 7, MEMLOCK 8, AS 9, then 10...15 shared).
    func genericRlimit(_ r: UInt64) -> Int? {
        guard r < 16 else { return nil }
        if self == .ppc64le { return Int(r) }
        switch r {
        case 5: return 7    // NOFILE
        case 6: return 9    // AS
        case 7: return 5    // RSS
        case 8: return 6    // NPROC
        case 9: return 8    // MEMLOCK
        default: return Int(r)
        }
    }

    // MARK: layout

    /// Highest user address + 1. mips64 n64 keeps all addresses below 1<<40 (the kernel's
    /// 40-bit SEGBITS user space); ppc64le uses 1<<46.
    public var userLimit: UInt64 { self == .mips64n64 ? 1 << 40 : 1 << 46 }
    /// Initial stack top (exclusive); 1 MiB below the user limit is left free.
    public var stackTop: UInt64 { userLimit - (1 << 20) }
    public static let stackSize: UInt64 = 8 << 20
    /// Unmapped gap under the stack (guard); mmap starts below it.
    public static let stackGuard: UInt64 = 1 << 20
    /// Where a static-PIE image is placed (its load bias), the same on both ABIs.
    public static let staticPIEBase: UInt64 = 0x10_0000_0000

    public var hwcap: UInt64 { self == .mips64n64 ? 0 : 0x5800_0580 }
    public var hwcap2: UInt64? { self == .mips64n64 ? nil : 0x8e00_0000 }
    public var platform: String { self == .mips64n64 ? "mips64" : "power8" }
    public var basePlatform: String? { self == .mips64n64 ? nil : "power8" }
    public var unameMachine: String { self == .mips64n64 ? "mips64" : "ppc64le" }
}
