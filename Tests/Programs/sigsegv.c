// sigsegv: a SIGSEGV handler with SA_SIGINFO reads si_signo, si_code and si_addr, makes the
// page accessible and returns through rt_sigreturn, so the faulting store is re-executed; then
// a SIGUSR1 handler on an alternate stack, a blocked signal delivered on unblocking, and
// SA_RESETHAND.
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char *page;
static volatile int faults, usr1, on_alt;
static char altstack[65536];

static void segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    faults++;
    printf("handler: sig %d code %d offset %ld\n", si->si_signo, si->si_code, (long)((char *)si->si_addr - page));
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static void on_usr1(int sig) {
    char here;
    usr1 += sig;
    on_alt = &here >= altstack && &here < altstack + sizeof altstack;
}

int main(void) {
    page = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);
    double before = 1.5;
    page[100] = 42;                       // faults once; the handler enables writes; the store retries
    printf("after: faults %d value %d fp %.1f\n", faults, page[100], before * 2);

    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    sigaltstack(&ss, 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigaction(SIGUSR1, &sa, 0);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    kill(getpid(), SIGUSR1);
    printf("blocked: usr1 %d\n", usr1);
    sigprocmask(SIG_SETMASK, &old, 0);
    printf("unblocked: usr1 %d on alternate stack %d\n", usr1, on_alt);
    struct sigaction now;
    sigaction(SIGUSR1, 0, &now);
    printf("reset to default: %d\n", now.sa_handler == SIG_DFL);
    return 0;
}
