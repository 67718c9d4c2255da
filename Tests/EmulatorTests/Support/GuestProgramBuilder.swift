// GuestProgramBuilder: the one place tests build and run host and guest programs. Cross-compiles
// C programs for a guest ISA with Debian's gcc (static -O2 by default, or exact flags such as
// -nostdlib or -static-pie; cached by a hash of source and flags), runs commands with fixed
// arguments, stdin, environment and a timeout, and finds host tools (naming the Debian package
// when one is missing) and the `k42sim` executable built next to the test bundle.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A guest instruction set with the host tools that build and run its programs.
enum GuestISA: String, CaseIterable, Sendable {
    case mips64
    case ppc64

    /// Debian's cross compiler for the ISA.
    var compiler: String {
        switch self {
        case .mips64: "mips64el-linux-gnuabi64-gcc"
        case .ppc64: "powerpc64le-linux-gnu-gcc"
        }
    }

    /// The Debian package that provides `compiler`.
    var compilerPackage: String {
        switch self {
        case .mips64: "gcc-mips64el-linux-gnuabi64"
        case .ppc64: "gcc-powerpc64le-linux-gnu"
        }
    }

    /// The qemu-user binary (Debian package qemu-user).
    var qemu: String {
        switch self {
        case .mips64: "qemu-mips64el"
        case .ppc64: "qemu-ppc64le"
        }
    }

    /// Extra qemu options. qemu-mips64el's default CPU for n64 binaries (5KEf) ignores writes
    /// to the FCSR rounding-mode bits and never clears its flag bits (fesetround fails, and
    /// glibc's software fma() gives wrong results); MIPS64R2-generic matches the compiler's
    /// default -march=mips64r2 and behaves like real hardware.
    var qemuOptions: [String] {
        switch self {
        case .mips64: ["-cpu", "MIPS64R2-generic"]
        case .ppc64: []
        }
    }
}

/// A failure of the test tooling itself (missing package, compile error, timeout).
struct GuestToolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The outcome of one process run.
struct ProcessResult: Sendable {
    var stdout: [UInt8]
    var stderr: [UInt8]
    /// The exit status, or 128 + signal number when the process was killed by a signal.
    var status: Int32

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs commands with exactly the given argv, environment (in order) and stdin.
enum ProcessRunner {
    /// Runs `executable` (an absolute path) with `arguments` (argv[1...]).
    /// `environment` is the complete environment, in this order; nil inherits the host's.
    /// The process runs in `workingDirectory`, by default a fresh scratch directory (tools
    /// such as csmith and qemu drop files into their working directory).
    static func run(_ executable: String, _ arguments: [String], stdin: [UInt8] = [],
                    environment: [String]? = nil, workingDirectory: String? = nil,
                    timeout: TimeInterval = 60) throws -> ProcessResult {
        _ = disableCoreDumps
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inPath = dir + "/stdin", outPath = dir + "/stdout", errPath = dir + "/stderr"
        guard FileManager.default.createFile(atPath: inPath, contents: Data(stdin)) else {
            throw GuestToolError("cannot write \(inPath)")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let addchdir = addchdir {
            _ = addchdir(&actions, workingDirectory ?? dir)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envStrings = environment ?? ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let envp = envStrings.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else {
            throw GuestToolError("cannot start \(executable): \(String(cString: strerror(rc)))")
        }

        let deadline = Date().addingTimeInterval(timeout)
        var waitStatus: Int32 = 0
        while true {
            let r = waitpid(pid, &waitStatus, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR {
                throw GuestToolError("waitpid failed for \(executable): \(String(cString: strerror(errno)))")
            }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &waitStatus, 0)
                throw GuestToolError("timed out after \(timeout) s: \(([executable] + arguments).joined(separator: " "))")
            }
            usleep(2_000)
        }
        // Decode the wait status by hand (the W* macros are not imported into Swift).
        let status: Int32
        let termSignal = waitStatus & 0x7f
        if termSignal == 0 {
            status = (waitStatus >> 8) & 0xff
        } else {
            status = 128 + termSignal
        }
        let out = FileManager.default.contents(atPath: outPath) ?? Data()
        let err = FileManager.default.contents(atPath: errPath) ?? Data()
        return ProcessResult(stdout: [UInt8](out), stderr: [UInt8](err), status: status)
    }

    /// glibc's posix_spawn_file_actions_addchdir_np (2.29+), which Swift does not import
    /// (it is declared only under _GNU_SOURCE); without it children inherit our directory.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>,
                                                 UnsafePointer<CChar>) -> Int32
    private static let addchdir: AddChdir? = {
        #if os(Linux)
        let defaultHandle: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        #else
        let defaultHandle = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #endif
        guard let sym = dlsym(defaultHandle, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(sym, to: AddChdir.self)
    }()

    /// qemu-user dumps a guest core file into the working directory when a guest dies of
    /// SIGABRT or SIGSEGV and the core limit allows it; children inherit this limit.
    private static let disableCoreDumps: Void = {
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        getrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
        limit.rlim_cur = 0
        setrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
    }()

    private static func scratchDirectory() throws -> String {
        let dir = GuestProgramBuilder.cacheRoot + "/runs/\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Locates host tools on PATH and the k42sim executable.
enum HostTools {
    /// The absolute path of `tool` on the host PATH, or an error naming the Debian package.
    static func find(_ tool: String, package: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw GuestToolError("\(tool) is not installed (not found on PATH): install the Debian package "
            + "'\(package)' (apt-get install \(package))")
    }

    static func compiler(for isa: GuestISA) throws -> String {
        try find(isa.compiler, package: isa.compilerPackage)
    }

    static func qemu(for isa: GuestISA) throws -> String {
        try find(isa.qemu, package: "qemu-user")
    }

    /// The `k42sim` executable. The test target depends on the k42sim executable target, so
    /// SwiftPM builds it into the same directory as the test bundle (on Linux the runner is
    /// `<builddir>/k42simPackageTests.xctest`; on macOS the bundle's binary is three levels
    /// deeper). K42SIM_EXECUTABLE overrides the search.
    static func k42sim() throws -> String {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["K42SIM_EXECUTABLE"] {
            guard fm.isExecutableFile(atPath: explicit) else {
                throw GuestToolError("K42SIM_EXECUTABLE=\(explicit) is not an executable file")
            }
            return explicit
        }
        var starts: [URL] = []
        if let exe = Bundle.main.executableURL { starts.append(exe) }
        starts.append(Bundle.main.bundleURL)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            starts.append(bundle.bundleURL)
        }
        if let first = CommandLine.arguments.first { starts.append(URL(fileURLWithPath: first)) }
        if let selfExe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(URL(fileURLWithPath: selfExe))
        }
        var looked: [String] = []
        for start in starts {
            var dir = start.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = dir.appendingPathComponent("k42sim").path
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
                   fm.isExecutableFile(atPath: candidate) {
                    return candidate
                }
                if !looked.contains(dir.path) { looked.append(dir.path) }
                dir = dir.deletingLastPathComponent()
            }
        }
        throw GuestToolError("k42sim executable not found beside the test bundle (looked in "
            + looked.joined(separator: ", ") + "); build it with `swift build` or set K42SIM_EXECUTABLE")
    }
}

/// Compiles C programs for a guest ISA into a cache of static binaries.
enum GuestProgramBuilder {
    /// Standard flags for every guest program; the math library is linked last.
    static let baseFlags = ["-static", "-O2"]
    static let libraries = ["-lm"]

    /// `/tmp/k42sim-test-programs` unless K42SIM_TEST_CACHE says otherwise.
    static var cacheRoot: String {
        ProcessInfo.processInfo.environment["K42SIM_TEST_CACHE"] ?? "/tmp/k42sim-test-programs"
    }

    /// The directory of the C test programs (Tests/Programs), found from this file's path.
    static var programsDirectory: URL {
        URL(fileURLWithPath: #filePath)  // Tests/EmulatorTests/Support/GuestProgramBuilder.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Programs")
    }

    /// The names (without .c) of all programs in Tests/Programs, sorted.
    static func programNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: programsDirectory.path)
            .filter { $0.hasSuffix(".c") }.map { String($0.dropLast(2)) }.sorted()
    }

    /// Builds Tests/Programs/<name>.c for `isa` and returns the binary's path.
    static func build(program name: String, for isa: GuestISA) throws -> String {
        let source = programsDirectory.appendingPathComponent(name + ".c")
        guard let text = FileManager.default.contents(atPath: source.path) else {
            throw GuestToolError("no test program \(source.path)")
        }
        return try build(source: [UInt8](text), name: name, for: isa)
    }

    /// Compiles `source` (C) with the base flags plus `extraFlags` and the math library.
    static func build(source: [UInt8], name: String, for isa: GuestISA,
                      extraFlags: [String] = []) throws -> String {
        try build(source: source, name: name, for: isa, flags: baseFlags + extraFlags, libraries: libraries)
    }

    /// Compiles `source` (C) with exactly `flags` (e.g. `-nostdlib`, `-static-pie`, or no
    /// `-static` for a dynamically linked program) and then `libraries`; the binary is cached
    /// under `<cacheRoot>/<isa>/<hash of compiler, flags, libraries and source>/<name>`.
    static func build(source: [UInt8], name: String, for isa: GuestISA,
                      flags: [String], libraries: [String]) throws -> String {
        let compiler = try HostTools.compiler(for: isa)
        let version = try compilerVersion(compiler)
        let key = ([compiler, version] + flags + ["\u{1}"] + libraries).joined(separator: "\u{0}") + "\u{0}"
        let hash = hexHash(Array(key.utf8) + source)
        let dir = "\(cacheRoot)/\(isa.rawValue)/\(hash)"
        let binary = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: binary) { return binary }

        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let uniq = "\(getpid())-\(UUID().uuidString.prefix(8))"
        let sourcePath = "\(dir)/\(name).\(uniq).c"
        guard FileManager.default.createFile(atPath: sourcePath, contents: Data(source)) else {
            throw GuestToolError("cannot write \(sourcePath)")
        }
        defer { try? FileManager.default.removeItem(atPath: sourcePath) }
        let tmpBinary = "\(binary).\(uniq).tmp"
        let result = try ProcessRunner.run(compiler, flags + ["-o", tmpBinary, sourcePath] + libraries,
                                           timeout: 300)
        guard result.status == 0 else {
            try? FileManager.default.removeItem(atPath: tmpBinary)
            throw GuestToolError("\(isa.compiler) failed on \(name).c (status \(result.status)):\n"
                + result.stderrText)
        }
        // Atomic publish, so concurrent test processes never see a half-written binary.
        guard rename(tmpBinary, binary) == 0 else {
            throw GuestToolError("cannot rename \(tmpBinary): \(String(cString: strerror(errno)))")
        }
        return binary
    }

    private static let versionCache = LockedDictionary()

    /// `gcc -dumpfullversion`, part of the cache key so a compiler upgrade rebuilds.
    private static func compilerVersion(_ compiler: String) throws -> String {
        if let v = versionCache[compiler] { return v }
        let r = try ProcessRunner.run(compiler, ["-dumpfullversion"], timeout: 60)
        let v = r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        versionCache[compiler] = v
        return v
    }

    /// Two independent 64-bit FNV-1a hashes, as 32 hex digits.
    static func hexHash(_ bytes: [UInt8]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x84222325_cbf29ce4
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
            b = (b ^ UInt64(byte ^ 0x5a)) &* 0x100_0000_01b3
        }
        return String(format: "%016llx%016llx", a, b)
    }
}

/// A string dictionary shared between test threads.
final class LockedDictionary: @unchecked Sendable {
    private var values: [String: String] = [:]
    private let lock = NSLock()

    subscript(key: String) -> String? {
        get { lock.lock(); defer { lock.unlock() }; return values[key] }
        set { lock.lock(); defer { lock.unlock() }; values[key] = newValue }
    }
}
