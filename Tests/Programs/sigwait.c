// sigwait: per-thread signal masks — a signal thread takes SIGUSR1 with sigwait while every
// thread blocks it; SIGUSR2, blocked everywhere but in one worker, runs its handler in that
// worker; sigpending sees a blocked signal; sigtimedwait times out on simulated time.
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_t worker_id;
static volatile int handled_in_worker = -1;
static volatile int worker_ready, stop;

static void on_usr2(int sig) { (void)sig; handled_in_worker = pthread_equal(pthread_self(), worker_id); }

static void *signal_thread(void *arg) {
    sigset_t *set = arg;
    int total = 0;
    for (int i = 0; i < 3; i++) { int sig; sigwait(set, &sig); total += sig == SIGUSR1; }
    return (void *)(long)total;
}

static void *worker(void *arg) {
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &s, 0);
    worker_ready = 1;
    while (!stop) { struct timespec ts = { 0, 1000000 }; nanosleep(&ts, 0); }
    return 0;
}

int main(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, 0);
    signal(SIGUSR2, on_usr2);
    sigset_t only1;
    sigemptyset(&only1);
    sigaddset(&only1, SIGUSR1);
    pthread_t st, w;
    pthread_create(&st, 0, signal_thread, &only1);
    pthread_create(&w, 0, worker, 0);
    worker_id = w;
    while (!worker_ready) { struct timespec ts = { 0, 1000000 }; nanosleep(&ts, 0); }
    for (int i = 0; i < 3; i++) {
        kill(getpid(), SIGUSR1);
        struct timespec ts = { 0, 20000000 };
        nanosleep(&ts, 0);
    }
    void *r;
    pthread_join(st, &r);
    printf("sigwait took %ld SIGUSR1\n", (long)r);
    kill(getpid(), SIGUSR2);
    while (handled_in_worker < 0) { struct timespec ts = { 0, 1000000 }; nanosleep(&ts, 0); }
    printf("SIGUSR2 handled in the worker: %d\n", handled_in_worker);
    stop = 1;
    pthread_join(w, 0);
    kill(getpid(), SIGUSR1);
    sigset_t pend;
    sigpending(&pend);
    printf("pending SIGUSR1: %d\n", sigismember(&pend, SIGUSR1));
    int sig;
    siginfo_t info;
    sig = sigwaitinfo(&only1, &info);
    printf("sigwaitinfo: %d from self %d\n", sig == SIGUSR1, info.si_pid == getpid());
    struct timespec t0 = { 0, 50000000 };
    int rc = sigtimedwait(&only1, &info, &t0);
    printf("sigtimedwait: %d %s\n", rc, rc < 0 && errno == EAGAIN ? "EAGAIN" : "?");
    return 0;
}
