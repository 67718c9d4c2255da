// `k42sim run`: syscall-emulation mode — runs a static Linux mips64el or ppc64le program like
// qemu-user: stdin/stdout/stderr and the exit status pass through; a fatal guest signal prints
// one line on stderr and exits with 128 + signal. `--stats` prints gem5-style statistics.
import ArgumentParser
import Emulator
#if canImport(Glibc)
import Glibc
#endif

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a static Linux mips64el or ppc64le program in syscall-emulation mode.",
        discussion: """
            The program's standard streams and exit status pass through. Simulated time advances \
            1 ns per instruction; with --config or --set the run is timed instead: the machine \
            description's caches, directory coherence, NUMA memory and instruction costs apply \
            and time follows the CPUs' cycles. The guest never sees host time. A fatal signal \
            prints one line on stderr and exits with status 128 + signal number.
            """)

    @Flag(help: "Print gem5-style statistics to stderr when the program ends.")
    var stats = false

    @Option(name: .customLong("stats-file"), help: "Write the statistics to this file instead of stderr.")
    var statsFile: String?

    @Option(help: "Seed for AT_RANDOM and getrandom (deterministic).")
    var seed: UInt64 = 0

    @Flag(name: .customLong("allow-writes"), help: "Let the program open host files for writing.")
    var allowWrites = false

    @Option(name: .customLong("max-insts"), help: "Stop after this many guest instructions (exit status 124).")
    var maxInstructions: UInt64?

    @Option(name: .customLong("env"), help: "Set NAME=VALUE in the guest environment (repeatable).")
    var environmentOverrides: [String] = []

    @Flag(name: .customLong("clear-env"), help: "Start the guest with an empty environment instead of the host's.")
    var clearEnvironment = false

    @Flag(name: .customLong("trace-syscalls"), help: "Print each system call to stderr (or the --log file).")
    var traceSyscalls = false

    @Option(help: "Simulated CPUs the program's threads and processes are scheduled on (deterministically; default 1, or the machine description's count with --config/--set).")
    var cpus: Int?

    @OptionGroup(title: "Timing (a machine description turns on caches, coherence and cycle costs)")
    var machineOptions: MachineOptions

    @Option(name: .customLong("log"), help: "Write k42sim's own messages (unimplemented calls, traces, fatal signals of child processes) to this file instead of stderr.")
    var logFile: String?

    @Flag(help: "End the run at the first unimplemented system call (exit status 125).")
    var strict = false

    @Option(name: .customLong("exec-map"), help: "GUEST=HOST: an execve of the guest path GUEST runs the host file HOST instead (repeatable; e.g. /bin/sh=./busybox for system() and popen()).")
    var execMaps: [String] = []

    @Option(help: "Real, effective and saved user id of the first process.")
    var uid: UInt64 = 1000

    @Option(help: "Real, effective and saved group id of the first process.")
    var gid: UInt64 = 1000

    @Argument(help: "The static ELF program.")
    var program: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the program.")
    var arguments: [String] = []

    func run() throws {
        let image: ElfImage
        do {
            image = try ElfImage(path: program)
        } catch {
            fail("\(program): \(error.message)")
        }
        var env: [String] = []
        if !clearEnvironment {
            var p = environ
            while let s = p.pointee { env.append(String(cString: s)); p += 1 }
        }
        for kv in environmentOverrides {
            guard let eq = kv.firstIndex(of: "="), eq != kv.startIndex else { fail("--env expects NAME=VALUE, got '\(kv)'") }
            let name = kv[..<eq]
            env.removeAll { $0.hasPrefix(name + "=") }
            env.append(kv)
        }
        var options = LinuxSEOptions(programPath: program, arguments: [program] + arguments, environment: env,
                                     seed: seed, allowWrites: allowWrites, traceSyscalls: traceSyscalls)
        if let cpus, !(1 ... 1024).contains(cpus) { fail("--cpus must be between 1 and 1024, got \(cpus)") }
        guard uid <= 0xffff_fffe, gid <= 0xffff_fffe else { fail("--uid and --gid must be below 4294967295") }
        options.cpus = cpus ?? 1
        if machineOptions.isGiven {
            // Timed: the description (the ISA's preset unless --config names one) with --cpus.
            if cpus != nil, machineOptions.overrides.contains(where: { $0.hasPrefix("cpus=") }) {
                fail("--cpus conflicts with --set cpus=...; give one of them")
            }
            let d = machineOptions.description(extra: cpus.map { ["cpus=\($0)"] } ?? [],
                                               fallback: image.isa == .ppc64 ? "power5-ppc64" : "origin-mips64")
            options.machine = d
            options.cpus = d.cpus
        }
        for m in execMaps {
            guard let eq = m.firstIndex(of: "="), eq != m.startIndex, m.index(after: eq) != m.endIndex else {
                fail("--exec-map expects GUEST=HOST, got '\(m)'")
            }
            options.execMap.append((String(m[..<eq]), String(m[m.index(after: eq)...])))
        }
        options.strict = strict
        options.uid = uid
        options.gid = gid
        if let logFile {
            let fd = open(logFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 { fail("cannot write \(logFile): \(String(cString: strerror(errno)))") }
            options.logFD = fd
        }
        let clock = HostClock()
        let machine: SEMachine
        do { machine = try SyscallEmulation.makeMachine(image: image, options: options) } catch { fail("\(program): \(error.message)") }
        let result = machine.run(maxInstructions: maxInstructions)
        let report = machine.statistics(hostSeconds: clock.seconds)
        if let message = result.message { writeAll(options.logFD, message + "\n") }
        if stats || statsFile != nil {
            let text = report.text()
            if let statsFile {
                let fd = open(statsFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                if fd < 0 { fail("cannot write \(statsFile): \(String(cString: strerror(errno)))") }
                writeAll(fd, text)
                close(fd)
            } else {
                writeAll(2, text)
            }
        }
        throw ExitCode(result.exitStatus)
    }
}

func printError(_ s: String) {
    writeAll(2, s + "\n")
}

/// Writes a whole string to a host file descriptor (no stdio buffering to interleave with the guest's).
func writeAll(_ fd: Int32, _ s: String) {
    var bytes = Array(s.utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
        if n <= 0 { if errno == EINTR { continue }; return }
        done += n
    }
}

func fail(_ message: String, status: Int32 = 2) -> Never {
    printError("k42sim: " + message)
    exit(status)
}

/// Host wall-clock time, used only for host-side figures (hostSeconds, hostInstRate).
struct HostClock {
    let start: timespec
    init() {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        start = t
    }
    var seconds: Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec - start.tv_sec) + Double(t.tv_nsec - start.tv_nsec) / 1e9
    }
}
