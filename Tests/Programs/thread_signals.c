/* thread_signals: pthread_kill (tgkill) reaches the thread it names. Each of three threads
 * spins until its own SIGUSR1 handler has run, so a signal delivered to another thread would
 * hang or double-count; a thread blocking SIGUSR2 sees the signal sent to it pending, the main
 * thread does not, and the handler runs in that thread once it unblocks. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

static __thread volatile int hits1, hits2;
static pthread_barrier_t ready, sent;
static int pending_in_thread, pending_in_main;

static void on_usr1(int sig) { hits1++; }
static void on_usr2(int sig) { hits2++; }

static void *work(void *arg) {
    long id = (long)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    if (id == 2) pthread_sigmask(SIG_BLOCK, &s, 0);
    pthread_barrier_wait(&ready);
    while (hits1 == 0) {}
    if (id == 2) {
        pthread_barrier_wait(&sent);
        sigset_t p;
        sigpending(&p);
        pending_in_thread = sigismember(&p, SIGUSR2);
        pthread_sigmask(SIG_UNBLOCK, &s, 0);
    }
    return (void *)(long)(hits1 * 10 + hits2);
}

int main(void) {
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, on_usr2);
    pthread_t t[3];
    pthread_barrier_init(&ready, 0, 4);
    pthread_barrier_init(&sent, 0, 2);
    for (long i = 0; i < 3; i++) pthread_create(&t[i], 0, work, (void *)i);
    pthread_barrier_wait(&ready);
    pthread_kill(t[2], SIGUSR2);
    for (int i = 0; i < 3; i++) pthread_kill(t[i], SIGUSR1);
    sigset_t p;
    sigpending(&p);
    pending_in_main = sigismember(&p, SIGUSR2);
    pthread_barrier_wait(&sent);
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(t[i], &r);
        printf("thread %d: usr1 %ld usr2 %ld\n", i, (long)r / 10, (long)r % 10);
    }
    printf("main: usr1 %d usr2 %d; SIGUSR2 pending in main %d, in thread 2 %d\n", hits1, hits2, pending_in_main, pending_in_thread);
    return 0;
}
