// LinuxTimerTests: POSIX per-process timers on the simulated clock (timer_create & co): an
// interval timer's SI_TIMER signals with the sigevent's value, overruns while the signal stays
// blocked, a TIMER_ABSTIME one-shot, SIGEV_NONE, glibc's SIGEV_THREAD helper thread, and EINVAL
// for a deleted id — on 1 and 4 CPUs, untimed and timed. The expected output is the host Linux
// kernel's for the same source (qemu-mips64el hangs on it, so it is not in Tests/Programs' qemu
// set); reruns are identical.
import Foundation
import XCTest

final class LinuxTimerTests: XCTestCase {
    static let source = """
        /* posix_timers: timer_create/timer_settime/timer_gettime/timer_getoverrun/timer_delete on the
         * monotonic clock: an interval timer's signals taken with sigwaitinfo (SI_TIMER, the sigevent's
         * value, the timer id), a one-shot TIMER_ABSTIME timer, SIGEV_NONE counting down, glibc's
         * SIGEV_THREAD callback, overruns while the signal is blocked, and the errors of a deleted id. */
        #include <errno.h>
        #include <signal.h>
        #include <stdio.h>
        #include <string.h>
        #include <time.h>
        #include <unistd.h>

        static volatile int callbacks;
        static void tick(union sigval v) { callbacks += v.sival_int; }

        int main(void) {
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGRTMIN);
            sigprocmask(SIG_BLOCK, &set, 0);

            struct sigevent ev;
            memset(&ev, 0, sizeof ev);
            ev.sigev_notify = SIGEV_SIGNAL;
            ev.sigev_signo = SIGRTMIN;
            ev.sigev_value.sival_int = 77;
            timer_t id;
            if (timer_create(CLOCK_MONOTONIC, &ev, &id) != 0) { perror("timer_create"); return 1; }
            struct itimerspec its = { { 0, 5000000 }, { 0, 5000000 } };
            timer_settime(id, 0, &its, 0);
            for (int i = 0; i < 3; i++) {
                siginfo_t si;
                int s = sigwaitinfo(&set, &si);
                printf("signal %s code %s value %d\\n", s == SIGRTMIN ? "SIGRTMIN" : "?",
                       si.si_code == SI_TIMER ? "SI_TIMER" : "?", si.si_value.sival_int);
            }
            /* Blocked and not taken for ~4 periods: one pending signal, the rest are overruns. */
            struct timespec nap = { 0, 21000000 };
            nanosleep(&nap, 0);
            siginfo_t si;
            sigwaitinfo(&set, &si);
            int ov = timer_getoverrun(id);
            printf("after a long nap: overrun %s\\n", ov >= 3 ? ">= 3" : "< 3");
            struct itimerspec cur;
            timer_gettime(id, &cur);
            printf("interval %ld ns, armed %d\\n", cur.it_interval.tv_nsec, cur.it_value.tv_sec != 0 || cur.it_value.tv_nsec != 0);
            timer_delete(id);
            errno = 0;
            int gr = timer_gettime(id, &cur);
            printf("gettime after delete: %d %s\\n", gr, errno == EINVAL ? "EINVAL" : strerror(errno));

            /* One-shot at an absolute time. */
            timer_create(CLOCK_MONOTONIC, &ev, &id);
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            now.tv_nsec += 3000000;
            if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
            struct itimerspec abs = { { 0, 0 }, now };
            timer_settime(id, TIMER_ABSTIME, &abs, 0);
            sigwaitinfo(&set, &si);
            timer_gettime(id, &cur);
            printf("absolute one-shot fired, disarmed %d\\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
            timer_delete(id);

            /* SIGEV_NONE: no signal, the time left goes down. */
            struct sigevent none = { .sigev_notify = SIGEV_NONE };
            timer_create(CLOCK_MONOTONIC, &none, &id);
            struct itimerspec one = { { 0, 0 }, { 1, 0 } };
            timer_settime(id, 0, &one, 0);
            nanosleep(&nap, 0);
            timer_gettime(id, &cur);
            printf("SIGEV_NONE counts down: %d\\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec < 1000000000 && cur.it_value.tv_nsec > 900000000);
            timer_delete(id);

            /* SIGEV_THREAD: glibc runs the callback in a helper thread. */
            struct sigevent th = { .sigev_notify = SIGEV_THREAD, .sigev_notify_function = tick };
            th.sigev_value.sival_int = 1;
            timer_create(CLOCK_MONOTONIC, &th, &id);
            struct itimerspec per = { { 0, 2000000 }, { 0, 2000000 } };
            timer_settime(id, 0, &per, 0);
            while (callbacks < 3) { struct timespec t = { 0, 1000000 }; nanosleep(&t, 0); }
            timer_delete(id);
            printf("SIGEV_THREAD callbacks >= 3: %d\\n", callbacks >= 3);
            return 0;
        }
        """

    static let expected = """
        signal SIGRTMIN code SI_TIMER value 77
        signal SIGRTMIN code SI_TIMER value 77
        signal SIGRTMIN code SI_TIMER value 77
        after a long nap: overrun >= 3
        interval 5000000 ns, armed 1
        gettime after delete: -1 EINVAL
        absolute one-shot fired, disarmed 1
        SIGEV_NONE counts down: 1
        SIGEV_THREAD callbacks >= 3: 1

        """

    func testPosixTimers() throws {
        for isa in [GuestISA.mips64, .ppc64] {
            let binary = try GuestProgramBuilder.build(source: Array(Self.source.utf8), name: "posix_timers", for: isa)
            var first: String?
            for options in [["--cpus", "1"], ["--cpus", "4"], ["--cpus", "4", "--set", "seed=1"], ["--cpus", "4"]] {
                let r = try QemuOracle(isa: isa).runK42sim(binary, [], options: options)
                XCTAssertEqual(r.status, 0, "\(isa) \(options): \(r.stderrText)")
                XCTAssertEqual(r.stdoutText, Self.expected, "\(isa) \(options)")
                if options == ["--cpus", "4"] {
                    if let first { XCTAssertEqual(r.stdoutText + r.stderrText, first, "\(isa): reruns differ") }
                    first = r.stdoutText + r.stderrText
                }
            }
        }
    }
}
