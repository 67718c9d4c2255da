// LinuxSEOptions and SyscallOutcome: the inputs of a syscall-emulation process and what one
// system call tells the CPU to do next.

public struct LinuxSEOptions: Sendable {
    /// Host path of the program (for /proc/self/exe and AT_EXECFN).
    public var programPath: String
    /// argv including argv[0].
    public var arguments: [String]
    /// "K=V" strings.
    public var environment: [String]
    /// AT_RANDOM bytes, getrandom and /dev/urandom are a deterministic function of this.
    public var seed: UInt64
    /// Host files are opened read-only unless true (writes elsewhere fail with EROFS).
    public var allowWrites: Bool
    /// One strace-like line per system call on stderr.
    public var traceSyscalls: Bool
    /// Guest memory (page frames the process may touch, and the most its mappings may reserve):
    /// what the guest can make the host allocate. `k42sim run` uses the default 8 GiB.
    public var guestMemory: UInt64 = LinuxSEOptions.defaultGuestMemory
    public static let defaultGuestMemory: UInt64 = 8 << 30
    /// Host fd k42sim's own messages go to (2, or the file of `k42sim run --log FILE`).
    public var logFD: Int32 = 2
    /// End the run at the first unimplemented system call (`--strict`, exit status 125).
    public var strict = false
    /// Credentials of the first process (`--uid`, `--gid`).
    public var uid: UInt64 = 1000
    public var gid: UInt64 = 1000
    /// execve of the first path runs the host file of the second (`--exec-map GUEST=HOST`), e.g.
    /// /bin/sh to a guest shell, so system() and popen() find a program of the guest's ISA.
    public var execMap: [(String, String)] = []
    /// Simulated CPUs the threads are scheduled on (`--cpus`).
    public var cpus = 1
    /// A timed run's machine (`--config`/`--set`): its CPUs (which replace `cpus`), caches,
    /// coherence, NUMA memory (which replaces `guestMemory`) and instruction costs. nil: untimed,
    /// 1 instruction = 1 ns.
    public var machine: MachineDescription?

    public init(programPath: String, arguments: [String], environment: [String], seed: UInt64 = 0,
                allowWrites: Bool = false, traceSyscalls: Bool = false) {
        self.programPath = programPath
        self.arguments = arguments
        self.environment = environment
        self.seed = seed
        self.allowWrites = allowWrites
        self.traceSyscalls = traceSyscalls
    }
}

public enum SyscallOutcome: Equatable, Sendable {
    /// >= 0 success value; < 0 is -errno in the GUEST ABI's numbering. The CPU encodes it
    /// (MIPS: v0 + a3 flag; PPC: r3 + CR0.SO).
    case returned(Int64)
    /// exit / exit_group: the status a parent would see (0...255).
    case exited(Int32)
    /// The process died of a signal (guest numbering).
    case killed(signal: Int32)
    /// The run ends with this message (`--strict` met an unimplemented call): status 125.
    case stop(String)
    /// MIPS set_thread_area: the CPU sets UserLocal (rdhwr $29) and returns 0 to the guest.
    case setThreadPointer(UInt64)
}
