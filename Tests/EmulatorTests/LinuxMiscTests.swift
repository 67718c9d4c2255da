// LinuxMiscTests: the unimplemented-syscall line, simulated clocks, getrandom determinism,
// signals (kill/tgkill, rt_sigaction, rt_sigprocmask), exit, set_thread_area, futex, uname,
// rlimits and the per-ABI errno numbering.
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Emulator

final class LinuxMiscTests: XCTestCase {
    let abis: [LinuxABI] = [.mips64n64, .ppc64le]

    /// Runs `body` with the host's stderr redirected to a file; returns what was written.
    func captureStderr(_ body: () -> Void) -> String {
        let path = LinuxTestSupport.tempDir() + "/stderr.txt"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let saved = dup(2)
        dup2(fd, 2)
        body()
        dup2(saved, 2)
        close(saved)
        close(fd)
        return (try? HostFile.readAll(path: path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    func testUnimplementedSyscallPrintsOneLine() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi)
            let n = abi.syscallNumber("acct")!
            var outcome: SyscallOutcome = .returned(0)
            let text = captureStderr { outcome = p.syscall(number: n, args: (0, 0, 0, 0, 0, 0), pc: 0x1200_0abc) }
            XCTAssertEqual(text, "k42sim: unimplemented syscall \(n) (acct) at pc 0x12000abc\n")
            XCTAssertEqual(outcome, .returned(abi == .mips64n64 ? -89 : -38))
            let unknown = captureStderr { outcome = p.syscall(number: 99999, args: (0, 0, 0, 0, 0, 0), pc: 0x40) }
            XCTAssertEqual(unknown, "k42sim: unimplemented syscall 99999 (unknown) at pc 0x40\n")
            // rseq is expected to be missing: quiet ENOSYS.
            XCTAssertEqual(captureStderr { outcome = p.call("rseq") }, "")
            XCTAssertEqual(outcome, .returned(abi == .mips64n64 ? -89 : -38))
        }
    }

    func testSyscallTablesKnowEveryName() {
        XCTAssertEqual(LinuxABI.mips64n64.syscallName(5000), "read")
        XCTAssertEqual(LinuxABI.mips64n64.syscallNumber("openat"), 5247)
        XCTAssertEqual(LinuxABI.mips64n64.syscallNumber("set_thread_area"), 5242)
        XCTAssertEqual(LinuxABI.ppc64le.syscallNumber("openat"), 286)
        XCTAssertEqual(LinuxABI.ppc64le.syscallNumber("exit_group"), 234)
        XCTAssertNil(LinuxABI.mips64n64.syscallNumber("time"))
        XCTAssertEqual(LinuxABI.mips64n64.guestErrno(38), 89)       // ENOSYS
        XCTAssertEqual(LinuxABI.mips64n64.guestErrno(122), 1133)    // EDQUOT
        XCTAssertEqual(LinuxABI.ppc64le.guestErrno(110), 110)
        XCTAssertEqual(LinuxABI.mips64n64.guestErrno(110), 145)     // ETIMEDOUT
    }

    func testSimulatedClocks() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi)
            let ts = p.scratch
            func read() -> UInt64 {
                (p.mmu.loadValue(ts, size: 8) ?? 0) * 1_000_000_000 + (p.mmu.loadValue(ts + 8, size: 8) ?? 0)
            }
            p.simulatedNanoseconds = 1500
            XCTAssertEqual(p.ret("clock_gettime", 1, ts), 0)
            XCTAssertEqual(read(), 1500)
            XCTAssertEqual(p.ret("clock_gettime", 0, ts), 0)
            XCTAssertEqual(read(), LinuxProcess.epochSeconds * 1_000_000_000 + 1500)
            // Sleeping advances the clocks, not the host.
            XCTAssertTrue(p.mmu.storeValue(ts, size: 8, 2))
            XCTAssertTrue(p.mmu.storeValue(ts + 8, size: 8, 5))
            XCTAssertEqual(p.ret("nanosleep", ts, 0), 0)
            XCTAssertEqual(p.ret("clock_gettime", 1, ts), 0)
            XCTAssertEqual(read(), 2_000_001_505)
            XCTAssertEqual(p.ret("clock_gettime", 2, ts), 0)
            XCTAssertEqual(read(), 1500, "CPU time excludes sleep")
            // Monotonic never goes back even if the runner's value does.
            p.simulatedNanoseconds = 10
            XCTAssertEqual(p.ret("clock_gettime", 1, ts), 0)
            XCTAssertEqual(read(), 2_000_001_505)
            p.simulatedNanoseconds = 3_000_000_000
            XCTAssertEqual(p.ret("clock_gettime", 1, ts), 0)
            XCTAssertEqual(read(), 5_000_000_005)
            // Absolute clock_nanosleep to 6 s.
            XCTAssertTrue(p.mmu.storeValue(ts, size: 8, 6))
            XCTAssertTrue(p.mmu.storeValue(ts + 8, size: 8, 0))
            XCTAssertEqual(p.ret("clock_nanosleep", 1, 1, ts, 0), 0)
            XCTAssertEqual(p.ret("clock_gettime", 1, ts), 0)
            XCTAssertEqual(read(), 6_000_000_000)
            XCTAssertEqual(p.ret("gettimeofday", ts, 0), 0)
            XCTAssertEqual(p.mmu.loadValue(ts, size: 8), LinuxProcess.epochSeconds + 6)
            XCTAssertEqual(p.ret("clock_gettime", 99, ts), p.errno(22))
            XCTAssertTrue(p.mmu.storeValue(ts + 8, size: 8, 1_000_000_000))
            XCTAssertEqual(p.ret("nanosleep", ts, 0), p.errno(22))
            if abi == .ppc64le { XCTAssertEqual(u(p.ret("time", 0)), LinuxProcess.epochSeconds + 6) }
        }
    }

    func testGetrandomIsAFunctionOfTheSeed() throws {
        func draw(_ abi: LinuxABI, _ seed: UInt64) throws -> [UInt8] {
            let (p, _, _) = try LinuxTestSupport.process(abi, seed: seed)
            XCTAssertEqual(p.ret("getrandom", p.scratch, 5000, 0), 5000)
            XCTAssertEqual(p.ret("getrandom", p.scratch + 5000, 16, 1), 16)
            return p.mmu.readBytes(p.scratch, count: 5016) ?? []
        }
        for abi in abis {
            let a = try draw(abi, 1), b = try draw(abi, 1), c = try draw(abi, 2)
            XCTAssertEqual(a, b)
            XCTAssertNotEqual(a, c)
            XCTAssertNotEqual(Array(a[0 ..< 16]), Array(a[5000 ..< 5016]))
        }
    }

    func testSignalsToSelf() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi)
            let pid = UInt64(LinuxProcess.pid)
            let size = UInt64(abi.sigsetBytes)
            XCTAssertEqual(p.call("tgkill", pid, pid, 6), .killed(signal: 6))
            XCTAssertEqual(p.call("kill", pid, 0), .returned(0))
            XCTAssertEqual(p.call("kill", 1, 6), .returned(p.errno(3)))
            let sigchld: UInt64 = abi == .mips64n64 ? 18 : 17
            XCTAssertEqual(p.call("kill", pid, sigchld), .returned(0), "default ignore")
            // Install SIG_IGN for SIGABRT and read it back.
            let act = p.scratch, old = p.scratch + 64
            XCTAssertTrue(p.mmu.writeBytes(act, [UInt8](repeating: 0, count: 32)))
            XCTAssertTrue(p.mmu.storeValue(act + (abi == .mips64n64 ? 8 : 0), size: 8, 1))
            XCTAssertEqual(p.ret("rt_sigaction", 6, act, 0, size), 0)
            XCTAssertEqual(p.ret("rt_sigaction", 6, 0, old, size), 0)
            XCTAssertEqual(p.mmu.readBytes(old, count: 32), p.mmu.readBytes(act, count: 32))
            XCTAssertEqual(p.call("tgkill", pid, pid, 6), .returned(0))
            XCTAssertEqual(p.ret("rt_sigaction", 9, act, 0, size), p.errno(22), "SIGKILL")
            XCTAssertEqual(p.ret("rt_sigaction", 6, act, 0, size + 8), p.errno(22), "sigsetsize")
            // A guest handler cannot run yet: the process dies.
            XCTAssertTrue(p.mmu.storeValue(act + (abi == .mips64n64 ? 8 : 0), size: 8, 0x1234))
            XCTAssertEqual(p.ret("rt_sigaction", 15, act, 0, size), 0)
            XCTAssertEqual(p.call("kill", pid, 15), .killed(signal: 15))
            // Blocked signals stay pending.
            XCTAssertTrue(p.mmu.storeValue(act, size: 8, 1 << 14))    // SIGTERM
            XCTAssertEqual(p.ret("rt_sigprocmask", abi == .mips64n64 ? 1 : 0, act, old, size), 0)
            XCTAssertEqual(p.call("kill", pid, 15), .returned(0))
            XCTAssertEqual(p.ret("rt_sigprocmask", abi == .mips64n64 ? 3 : 2, 0, old, size), 0)
            XCTAssertEqual(p.mmu.loadValue(old, size: 8), 1 << 14)
            XCTAssertEqual(p.call("kill", pid, 9), .killed(signal: 9))
            XCTAssertEqual(p.signalNumber(forFault: .misaligned), abi == .mips64n64 ? 10 : 7)
            XCTAssertEqual(p.signalNumber(forFault: .unmapped), 11)
        }
    }

    func testExitAndThreadPointer() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi)
            XCTAssertEqual(p.call("exit_group", 3), .exited(3))
            XCTAssertEqual(p.call("exit", 256 + 7), .exited(7))
            XCTAssertEqual(p.ret("set_tid_address", p.scratch), Int64(LinuxProcess.pid))
            XCTAssertEqual(p.ret("set_robust_list", p.scratch, 24), 0)
            XCTAssertEqual(p.ret("getpid"), 4242)
            XCTAssertEqual(p.ret("getuid"), 1000)
        }
        let (m, _, _) = try LinuxTestSupport.process(.mips64n64)
        XCTAssertEqual(m.call("set_thread_area", 0x1234_7000), .setThreadPointer(0x1234_7000))
    }

    func testFutexSingleThread() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi)
            let f = p.scratch
            XCTAssertTrue(p.mmu.storeValue(f, size: 4, 5))
            XCTAssertEqual(p.ret("futex", f, 128, 4, 0), p.errno(11), "value mismatch: EAGAIN")
            XCTAssertEqual(p.ret("futex", f, 129, 1), 0, "wake")
            XCTAssertTrue(p.mmu.storeValue(f + 16, size: 8, 0))
            XCTAssertTrue(p.mmu.storeValue(f + 24, size: 8, 500))
            XCTAssertEqual(p.ret("futex", f, 128, 5, f + 16), p.errno(110), "timed out")
            XCTAssertEqual(p.ret("futex", f + 1, 0, 5, 0), p.errno(22))
        }
    }

    func testUnameLimitsAffinity() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi)
            let b = p.scratch
            XCTAssertEqual(p.ret("uname", b), 0)
            XCTAssertEqual(p.string(b), "Linux")
            XCTAssertEqual(p.string(b + 65), "k42sim")
            XCTAssertEqual(p.string(b + 130), "6.1.0")
            XCTAssertEqual(p.string(b + 260), abi == .mips64n64 ? "mips64" : "ppc64le")
            XCTAssertEqual(p.ret("prlimit64", 0, 3, 0, b), 0)
            XCTAssertEqual(p.mmu.loadValue(b, size: 8), 8 << 20)
            XCTAssertEqual(p.mmu.loadValue(b + 8, size: 8), UInt64.max)
            let nofile: UInt64 = abi == .mips64n64 ? 5 : 7
            XCTAssertEqual(p.ret("prlimit64", 0, nofile, 0, b), 0)
            XCTAssertEqual(p.mmu.loadValue(b, size: 8), 1024)
            XCTAssertEqual(p.ret("sched_getaffinity", 0, 128, b), 8)
            XCTAssertEqual(p.mmu.loadValue(b, size: 8), 1)
            XCTAssertEqual(p.ret("getcwd", b, 4096), Int64((hostCurrentDirectory() ?? "").utf8.count + 1))
            XCTAssertEqual(p.ret("getcwd", b, 1), p.errno(34))
        }
    }
}
