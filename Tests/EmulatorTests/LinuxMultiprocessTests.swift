// LinuxMultiprocessTests: syscall emulation as a small Linux — processes, threads, signals and
// the scheduler over several simulated CPUs. Tests/Programs' fork_wait, pthreads, sigsegv and
// alarm run under qemu-user (the oracle) and under k42sim on 1 and 4 CPUs with identical output;
// execve's errors are Linux's (from the execve(2) manual); reruns are identical byte for byte,
// statistics included; --strict and --log behave as documented.
import Foundation
import XCTest

final class LinuxMultiprocessTests: XCTestCase {
    static let isas: [GuestISA] = [.mips64, .ppc64]

    /// The program under qemu and under k42sim with `options`: same stdout and status.
    func checkAgainstQemu(_ program: String, options: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        for isa in Self.isas {
            let oracle = QemuOracle(isa: isa)
            let binary = try GuestProgramBuilder.build(program: program, for: isa)
            var expected = try oracle.runQemu(binary, [])
            XCTAssertEqual(expected.status, 0, "\(isa.qemu) \(program): \(expected.stderrText)", file: file, line: line)
            expected.stdout = GuestProgramSpec.applyQemuQuirks(program: program, isa: isa, expected.stdout)
            let actual = try oracle.runK42sim(binary, [], options: options)
            QemuOracle.assertSame(expected: expected, actual: actual, compareStderr: false,
                                  what: "\(isa.rawValue) \(program) \(options.joined(separator: " "))", file: file, line: line)
        }
    }

    func testForkWaitOnFourCPUs() throws { try checkAgainstQemu("fork_wait", options: ["--cpus", "4"]) }
    func testPthreadsOnFourCPUs() throws { try checkAgainstQemu("pthreads", options: ["--cpus", "4"]) }
    func testSignalsOnTwoCPUs() throws { try checkAgainstQemu("sigsegv", options: ["--cpus", "2"]) }
    func testAlarmOnFourCPUs() throws { try checkAgainstQemu("alarm", options: ["--cpus", "4"]) }
    func testPerThreadMasksOnFourCPUs() throws { try checkAgainstQemu("sigwait", options: ["--cpus", "4"]) }
    func testThreadDirectedSignalsOnFourCPUs() throws { try checkAgainstQemu("thread_signals", options: ["--cpus", "4"]) }

    /// Independent work spreads over the CPUs: 4 threads that compute without sharing finish in
    /// well under half the simulated time on 4 CPUs than on 1, every CPU executes a large part of
    /// the instructions, and the per-CPU counts add up to simInsts. (pthreads.c is lock-bound:
    /// its threads take turns on one mutex, so it is not used here.)
    static let parallelSource = """
        #include <pthread.h>
        #include <stdio.h>
        static unsigned long result[4];
        static void *work(void *arg) {
            long id = (long)arg;
            unsigned long x = id + 1;
            for (int i = 0; i < 300000; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
            result[id] = x;
            return 0;
        }
        int main(void) {
            pthread_t t[4];
            for (long i = 0; i < 4; i++) pthread_create(&t[i], 0, work, (void *)i);
            for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
            printf("%lx %lx %lx %lx\\n", result[0], result[1], result[2], result[3]);
            return 0;
        }
        """

    func testIndependentThreadsSpreadOverCPUs() throws {
        for isa in Self.isas {
            let binary = try GuestProgramBuilder.build(source: Array(Self.parallelSource.utf8), name: "parallel", for: isa)
            let four = try statistics(binary, isa, ["--cpus", "4"])
            let perCPU = (0 ..< 4).map { four["system.cpu\($0).committedInsts"] ?? 0 }
            let total = four["simInsts"] ?? 0
            XCTAssertEqual(perCPU.filter { $0 > total / 8 }.count, 4, "\(isa): \(perCPU)")
            let one = try statistics(binary, isa, ["--cpus", "1"])
            XCTAssertNil(one["system.cpu1.committedInsts"], "\(isa): one CPU reports a second")
            XCTAssertLessThan(four["simTicks"] ?? .max, (one["simTicks"] ?? 0) / 2, "\(isa)")
        }
    }

    /// Robust mutexes (glibc's robust list, walked by the kernel when a thread exits): a waiter
    /// blocked on a lock whose owner exits gets EOWNERDEAD, and so does the next locker of a lock
    /// left held with nobody waiting. The expected output is what the host Linux kernel gives
    /// for the same source; qemu-user cannot be the oracle (it refuses set_robust_list, so its
    /// waiter blocks for ever).
    static let robustSource = """
        #include <errno.h>
        #include <pthread.h>
        #include <stdio.h>
        #include <string.h>
        #include <unistd.h>
        static pthread_mutex_t m;
        static pthread_barrier_t b;
        static void *owner(void *arg) {
            pthread_mutex_lock(&m);
            pthread_barrier_wait(&b);
            usleep(20000);          /* the waiter blocks in the kernel meanwhile */
            return 0;               /* exits holding the lock */
        }
        static void *waiter(void *arg) {
            pthread_barrier_wait(&b);
            int r = pthread_mutex_lock(&m);
            printf("waiter: %s\\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
            if (r == EOWNERDEAD) pthread_mutex_consistent(&m);
            pthread_mutex_unlock(&m);
            return 0;
        }
        int main(void) {
            pthread_mutexattr_t a;
            pthread_mutexattr_init(&a);
            pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
            pthread_mutex_init(&m, &a);
            pthread_barrier_init(&b, 0, 2);
            pthread_t t1, t2;
            pthread_create(&t1, 0, owner, 0);
            pthread_create(&t2, 0, waiter, 0);
            pthread_join(t1, 0);
            pthread_join(t2, 0);
            int r = pthread_mutex_lock(&m);
            printf("main: %s\\n", r == 0 ? "locked" : strerror(r));
            pthread_mutex_unlock(&m);
            /* A lock held by a thread that exits with nobody waiting: the next locker is told. */
            pthread_t t3;
            pthread_create(&t3, 0, (void *(*)(void *))pthread_mutex_lock, &m);
            pthread_join(t3, 0);
            r = pthread_mutex_lock(&m);
            printf("main again: %s\\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
            if (r == EOWNERDEAD) pthread_mutex_consistent(&m);
            pthread_mutex_unlock(&m);
            return 0;
        }
        """

    func testRobustMutexesSeeTheirOwnerDie() throws {
        for isa in Self.isas {
            let binary = try GuestProgramBuilder.build(source: Array(Self.robustSource.utf8), name: "robust", for: isa)
            for cpus in ["1", "4"] {
                let r = try QemuOracle(isa: isa).runK42sim(binary, [], options: ["--cpus", cpus])
                XCTAssertEqual(r.status, 0, "\(isa) \(cpus) CPUs: \(r.stderrText)")
                XCTAssertEqual(r.stdoutText, "waiter: EOWNERDEAD\nmain: locked\nmain again: EOWNERDEAD\n", "\(isa) \(cpus) CPUs")
            }
        }
    }

    /// Two runs of a 4-CPU threaded program and of a forking one: same output and statistics.
    func testRerunsAreIdentical() throws {
        for isa in Self.isas {
            for (program, cpus) in [("pthreads", "4"), ("fork_wait", "2")] {
                let binary = try GuestProgramBuilder.build(program: program, for: isa)
                var texts: [String] = []
                for _ in 0 ..< 2 {
                    let dir = LinuxTestSupport.tempDir()
                    defer { try? FileManager.default.removeItem(atPath: dir) }
                    let r = try QemuOracle(isa: isa).runK42sim(binary, [], options: ["--cpus", cpus, "--stats-file", dir + "/s"])
                    XCTAssertEqual(r.status, 0, "\(isa) \(program): \(r.stderrText)")
                    let stats = try String(contentsOfFile: dir + "/s", encoding: .utf8)
                        .split(separator: "\n").filter { !$0.hasPrefix("host") }.joined(separator: "\n")
                    texts.append(r.stdoutText + stats)
                }
                XCTAssertEqual(texts[0], texts[1], "\(isa) \(program): reruns differ")
            }
        }
    }

    /// execve failures return Linux's errno to the guest, which goes on running; a #! script's
    /// interpreter gets [interpreter, optional argument, script, argv[1]...].
    func testExecveErrorsAndScripts() throws {
        for isa in Self.isas {
            let binary = try GuestProgramBuilder.build(program: "execve_errors", for: isa)
            let dir = LinuxTestSupport.tempDir()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let fm = FileManager.default
            try fm.createDirectory(atPath: dir + "/dir", withIntermediateDirectories: false)
            try "hello\n".write(toFile: dir + "/text", atomically: true, encoding: .utf8)
            try "#!/nonexistent/interpreter\n".write(toFile: dir + "/badscript", atomically: true, encoding: .utf8)
            try "#!\(binary) --interpreted\n".write(toFile: dir + "/script", atomically: true, encoding: .utf8)
            try fm.copyItem(atPath: binary, toPath: dir + "/noexec")
            for f in ["text", "badscript", "script"] { try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/" + f) }
            try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir + "/noexec")
            let dynamic = try GuestProgramBuilder.build(source: Array("int main(void){return 0;}".utf8), name: "dyn",
                                                        for: isa, flags: ["-O1"], libraries: [])
            let paths = ["missing", "dir", "text", "badscript", "noexec"].map { dir + "/" + $0 } + [dynamic]
            let r = try QemuOracle(isa: isa).runK42sim(binary, paths)
            XCTAssertEqual(r.status, 0, "\(isa): \(r.stderrText)")
            XCTAssertEqual(r.stdoutText, """
                missing: ENOENT
                dir: EACCES
                text: ENOEXEC
                badscript: ENOENT
                noexec: EACCES
                dyn: ENOENT

                """, "\(isa)")
            let s = try QemuOracle(isa: isa).runK42sim(binary, ["--run", dir + "/script", "one", "two"])
            XCTAssertEqual(s.stdoutText, "interpreter got 5 args: [script] [one] [two]\n", "\(isa): \(s.stderrText)")
        }
    }

    /// --log keeps k42sim's lines out of the guest's stderr; --strict stops at the first
    /// unimplemented call with status 125.
    func testLogAndStrict() throws {
        let source = """
            #include <unistd.h>
            #include <stdio.h>
            #include <sys/syscall.h>
            int main(void) { long r = syscall(SYS_acct, 0); fprintf(stderr, "guest %ld\\n", r); return 0; }
            """
        for isa in Self.isas {
            let binary = try GuestProgramBuilder.build(source: Array(source.utf8), name: "acct", for: isa)
            let dir = LinuxTestSupport.tempDir()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let oracle = QemuOracle(isa: isa)
            let plain = try oracle.runK42sim(binary, [])
            XCTAssertTrue(plain.stderrText.hasPrefix("k42sim: unimplemented syscall"), "\(isa): \(plain.stderrText)")
            let logged = try oracle.runK42sim(binary, [], options: ["--log", dir + "/log"])
            XCTAssertEqual(logged.stderrText, "guest -1\n", "\(isa)")
            let log = try String(contentsOfFile: dir + "/log", encoding: .utf8)
            XCTAssertTrue(log.contains("(acct)"), "\(isa): \(log)")
            let strict = try oracle.runK42sim(binary, [], options: ["--strict"])
            XCTAssertEqual(strict.status, 125, "\(isa)")
            XCTAssertTrue(strict.stderrText.contains("unimplemented syscall") && strict.stderrText.contains("--strict"), "\(isa): \(strict.stderrText)")
            XCTAssertFalse(strict.stderrText.contains("guest"), "\(isa): the guest ran on after --strict stopped it")
        }
    }

    /// A fork bomb under RLIMIT_NPROC 40 ends in the guest: 39 children (the parent is the
    /// 40th), then EAGAIN; kill(-1, SIGKILL) reaches every other process and all are reaped.
    /// (Not against qemu: there the host's limits apply, and root ignores RLIMIT_NPROC.)
    func testForkBombStopsAtTheThreadLimit() throws {
        let source = """
            #include <errno.h>
            #include <signal.h>
            #include <stdio.h>
            #include <sys/resource.h>
            #include <sys/wait.h>
            #include <unistd.h>
            int main(void) {
                struct rlimit r = { 40, 40 };
                setrlimit(RLIMIT_NPROC, &r);
                int n = 0;
                for (;;) {
                    pid_t c = fork();
                    if (c == 0) { for (;;) pause(); }
                    if (c < 0) break;
                    n++;
                }
                int e = errno;
                kill(-1, SIGKILL);
                int reaped = 0, st;
                while (wait(&st) > 0) reaped += WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
                printf("forked %d, then %s; reaped %d\\n", n, e == EAGAIN ? "EAGAIN" : "?", reaped);
                return 0;
            }
            """
        for isa in Self.isas {
            let binary = try GuestProgramBuilder.build(source: Array(source.utf8), name: "forkbomb", for: isa)
            let r = try QemuOracle(isa: isa).runK42sim(binary, [])
            XCTAssertEqual(r.status, 0, "\(isa): \(r.stderrText)")
            XCTAssertEqual(r.stdoutText, "forked 39, then EAGAIN; reaped 39\n", "\(isa)")
        }
    }

    /// Parses `--stats-file` output into name -> integer value.
    private func statistics(_ binary: String, _ isa: GuestISA, _ options: [String]) throws -> [String: UInt64] {
        let dir = LinuxTestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try QemuOracle(isa: isa).runK42sim(binary, [], options: options + ["--stats-file", dir + "/s"])
        XCTAssertEqual(r.status, 0, r.stderrText)
        var out: [String: UInt64] = [:]
        for line in try String(contentsOfFile: dir + "/s", encoding: .utf8).split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            if f.count >= 2, let v = UInt64(f[1]) { out[String(f[0])] = v }
        }
        return out
    }
}
