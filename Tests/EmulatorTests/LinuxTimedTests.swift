// LinuxTimedTests: syscall emulation with a machine description (`k42sim run --config/--set`):
// the guest's threads and processes run on the described multiprocessor with its caches,
// directory coherence and NUMA memory. Program output is checked against qemu-user; the
// statistics against what the coherence protocol must do (a line written by four CPUs in turn is
// invalidated again and again, four lines of their own are not), first-touch placement (pages a
// thread touched first live on its node) and frame reuse across processes.
import Foundation
import XCTest

final class LinuxTimedTests: XCTestCase {
    static let isas: [GuestISA] = [.mips64, .ppc64]

    /// Runs k42sim with `options` and --stats-file; returns the run and the integer statistics.
    private func timedRun(_ binary: String, _ isa: GuestISA, _ arguments: [String], _ options: [String],
                          file: StaticString = #filePath, line: UInt = #line) throws -> (ProcessResult, [String: UInt64], String) {
        let dir = LinuxTestSupport.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try QemuOracle(isa: isa).runK42sim(binary, arguments, options: options + ["--stats-file", dir + "/s"])
        XCTAssertEqual(r.status, 0, "\(isa): \(r.stderrText)", file: file, line: line)
        let text = (try? String(contentsOfFile: dir + "/s", encoding: .utf8)) ?? ""
        var out: [String: UInt64] = [:]
        for l in text.split(separator: "\n") {
            let f = l.split(separator: " ", omittingEmptySubsequences: true)
            if f.count >= 2, let v = UInt64(f[1]) { out[String(f[0])] = v }
        }
        return (r, out, text)
    }

    /// False sharing on 4 CPUs: four counters in one line make the directory send invalidations
    /// all through the loops; the same counters a line apart need only the few of start-up.
    /// Both variants print qemu's output, and the packed one takes longer.
    func testFalseSharingShowsInvalidations() throws {
        for isa in Self.isas {
            let binary = try GuestProgramBuilder.build(program: "false_sharing", for: isa)
            var invalidations: [String: UInt64] = [:], seconds: [String: UInt64] = [:]
            for variant in ["packed", "padded"] {
                let expected = try QemuOracle(isa: isa).runQemu(binary, [variant])
                let (r, stats, _) = try timedRun(binary, isa, [variant], ["--cpus", "4", "--set", "seed=1"])
                XCTAssertEqual(r.stdoutText, expected.stdoutText, "\(isa) \(variant)")
                XCTAssertEqual(stats["system.dir.invalidationsSent::total"], stats["system.coherence.invalidationsReceived::total"],
                               "\(isa) \(variant): sent and received invalidations differ")
                invalidations[variant] = stats["system.dir.invalidationsSent::total"] ?? 0
                seconds[variant] = stats["simTicks"] ?? 0
                XCTAssertNotNil(stats["system.cpu3.dcache.ReadReq.misses::total"], "\(isa): no per-CPU cache statistics")
                XCTAssertNil(stats["system.cpu0.mmu.dtb.rdAccesses"], "\(isa): SE mode has no architected TLB to report")
            }
            let packed = invalidations["packed"]!, padded = invalidations["padded"]!
            XCTAssertGreaterThan(packed, 1000, "\(isa): packed counters caused only \(packed) invalidations")
            XCTAssertGreaterThan(packed, 10 * padded, "\(isa): packed \(packed) vs padded \(padded) invalidations")
            XCTAssertGreaterThan(seconds["packed"]!, seconds["padded"]!, "\(isa): false sharing did not cost time")
        }
    }

    /// First touch: each of 4 threads on a 4-node machine fills and reads an array of its own,
    /// so nearly every L2 fill comes from the requester's own node.
    static let firstTouchSource = """
        #include <pthread.h>
        #include <stdio.h>
        #define WORDS (64 * 1024)
        static unsigned long data[4][WORDS] __attribute__((aligned(4096)));
        static unsigned long sums[4];
        static void *work(void *arg) {
            long id = (long)arg;
            unsigned long *d = data[id], s = 0;
            for (int i = 0; i < WORDS; i++) d[i] = i * (id + 1);
            for (int r = 0; r < 4; r++) for (int i = 0; i < WORDS; i += 8) s += d[i];
            sums[id] = s;
            return 0;
        }
        int main(void) {
            pthread_t t[4];
            for (long i = 0; i < 4; i++) pthread_create(&t[i], 0, work, (void *)i);
            for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
            printf("%lu %lu %lu %lu\\n", sums[0], sums[1], sums[2], sums[3]);
            return 0;
        }
        """

    func testPagesLiveOnTheNodeThatTouchedThemFirst() throws {
        for isa in Self.isas {
            let binary = try GuestProgramBuilder.build(source: Array(Self.firstTouchSource.utf8), name: "firsttouch", for: isa)
            let expected = try QemuOracle(isa: isa).runQemu(binary, [])
            let (r, stats, _) = try timedRun(binary, isa, [], ["--cpus", "4", "--set", "nodes=4"])
            XCTAssertEqual(r.stdoutText, expected.stdoutText, "\(isa)")
            let local = stats["system.numa.localFills::total"] ?? 0, remote = stats["system.numa.remoteFills::total"] ?? 0
            // 4 x 512 KiB written: at least 4 x 4096 lines of 128 bytes filled.
            XCTAssertGreaterThan(local, 16000, "\(isa)")
            XCTAssertLessThan(remote * 20, local, "\(isa): \(remote) remote fills vs \(local) local")
        }
    }

    /// Processes share the machine's memory, and an exited process's frames go back to it:
    /// 100 children touching 2 MiB each (200 MiB) all fit, one after another, in 32 MiB.
    static let forkMemorySource = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <sys/wait.h>
        #include <unistd.h>
        int main(void) {
            int failed = 0, ok = 0;
            for (int i = 0; i < 100; i++) {
                pid_t p = fork();
                if (p < 0) { failed++; continue; }
                if (p == 0) {
                    volatile char *m = malloc(2 << 20);
                    if (!m) _exit(2);
                    for (int j = 0; j < (2 << 20); j += 4096) m[j] = (char)i;
                    int bad = 0;
                    for (int j = 0; j < (2 << 20); j += 4096) bad |= m[j] != (char)i;
                    _exit(bad);
                }
                int st;
                waitpid(p, &st, 0);
                if (WIFEXITED(st) && WEXITSTATUS(st) == 0) ok++;
            }
            printf("children ok %d, fork failures %d\\n", ok, failed);
            return 0;
        }
        """

    func testExitedProcessesGiveTheirMemoryBack() throws {
        for isa in Self.isas {
            let binary = try GuestProgramBuilder.build(source: Array(Self.forkMemorySource.utf8), name: "forkmem", for: isa)
            let (r, _, _) = try timedRun(binary, isa, [], ["--cpus", "2", "--set", "nodes=2", "--set", "memoryPerNode=16777216"])
            XCTAssertEqual(r.stdoutText, "children ok 100, fork failures 0\n", "\(isa): \(r.stderrText)")
        }
    }

    /// A timed 4-CPU threaded run and a timed forking one: the same output and statistics twice;
    /// and a forking program's output is qemu's.
    func testTimedRunsAreDeterministic() throws {
        for isa in Self.isas {
            for (program, args) in [("false_sharing", ["packed"]), ("fork_wait", [])] {
                let binary = try GuestProgramBuilder.build(program: program, for: isa)
                let expected = try QemuOracle(isa: isa).runQemu(binary, args)
                var texts: [String] = []
                for _ in 0 ..< 2 {
                    let (r, _, text) = try timedRun(binary, isa, args, ["--cpus", "4", "--set", "seed=1"])
                    XCTAssertEqual(r.stdoutText, expected.stdoutText, "\(isa) \(program)")
                    texts.append(r.stdoutText + text.split(separator: "\n").filter { !$0.hasPrefix("host") }.joined(separator: "\n"))
                }
                XCTAssertTrue(texts[0].contains("system.l2.overallMisses::total"), "\(isa) \(program): not timed")
                XCTAssertEqual(texts[0], texts[1], "\(isa) \(program): reruns differ")
            }
        }
    }

    /// Bad machine options end the run with one clear line (status 2) before the guest starts.
    func testMachineOptionErrors() throws {
        let binary = try GuestProgramBuilder.build(program: "exit42", for: .ppc64)
        let oracle = QemuOracle(isa: .ppc64)
        let wrongISA = try oracle.runK42sim(binary, [], options: ["--config", "origin-mips64"])
        XCTAssertEqual(wrongISA.status, 2)
        XCTAssertTrue(wrongISA.stderrText.contains("the machine description is for mips64 but the program is ppc64"), wrongISA.stderrText)
        let conflict = try oracle.runK42sim(binary, [], options: ["--cpus", "2", "--set", "cpus=4"])
        XCTAssertEqual(conflict.status, 2)
        XCTAssertTrue(conflict.stderrText.contains("--cpus conflicts with --set cpus"), conflict.stderrText)
        let unknown = try oracle.runK42sim(binary, [], options: ["--set", "caches.l1d.replacement=fifo"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderrText.contains("caches.l1d.replacement"), unknown.stderrText)
        let timed = try oracle.runK42sim(binary, [], options: ["--config", "power5-ppc64"])
        XCTAssertEqual(timed.status, 42, timed.stderrText)
    }
}
