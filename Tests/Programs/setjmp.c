// setjmp.c: non-local control flow: setjmp/longjmp out of nested calls, longjmp(env, 0)
// returning 1, preservation of volatile locals and callee-saved registers across the jump,
// several jmp_bufs in flight, an exception-like try/throw stack, and sigsetjmp/siglongjmp
// with a saved signal mask (rt_sigprocmask).
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static jmp_buf env;
static int depth_reached;

static void dive(int depth, int target) {
    volatile char pad[64];
    pad[depth % 64] = (char)depth;
    depth_reached = depth + pad[depth % 64] * 0;
    if (depth == target || depth > 1000) longjmp(env, depth * 10);
    dive(depth + 1, target);
    pad[0] = 0;
}

// A try/catch stack built from jmp_bufs.
static jmp_buf *handlers[16];
static int nhandlers;
static void throw_(int code) { longjmp(*handlers[--nhandlers], code); }
static int risky(int x) {
    if (x % 3 == 0) throw_(100 + x);
    return x * 2;
}
static int guarded(int x) {
    jmp_buf h;
    handlers[nhandlers++] = &h;
    int code = setjmp(h);
    if (code) return -code;
    int r = risky(x);
    nhandlers--;
    return r;
}

// Keep many values live in callee-saved registers across setjmp.
__attribute__((noinline)) static long regs_across(long seed) {
    long a = seed * 3, b = seed * 5, c = seed * 7, d = seed * 11, e = seed * 13, f = seed * 17;
    jmp_buf j;
    volatile int pass = 0;
    if (setjmp(j) == 0) {
        pass = 1;
        longjmp(j, 1);
    }
    return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + pass;
}

static void trial(int t) {
    volatile int counter = t;
    int r = setjmp(env);
    if (r == 0) {
        counter += 100;
        dive(0, t * 7);
        printf("not reached\n");
    } else {
        printf("target %d: setjmp returned %d depth=%d counter=%d\n", t * 7, r, depth_reached, counter);
    }
}

int main(void) {
    for (int t = 0; t < 5; t++) trial(t);
    int r = setjmp(env);
    if (r == 0) longjmp(env, 0);
    printf("longjmp(env,0) -> %d\n", r);
    for (int i = 0; i < 7; i++) printf("guarded(%d)=%d ", i, guarded(i));
    printf("handlers left %d\n", nhandlers);
    printf("regs %ld %ld\n", regs_across(1), regs_across(-12345));

    sigjmp_buf sj;
    sigset_t set, cur;
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    volatile int rounds = 0;
    if (sigsetjmp(sj, 1) < 3) {
        sigaddset(&set, SIGUSR1 + rounds);
        sigprocmask(SIG_BLOCK, &set, NULL);
        rounds++;
        siglongjmp(sj, rounds);
    }
    sigprocmask(SIG_SETMASK, NULL, &cur);
    printf("sigsetjmp rounds=%d usr1 blocked=%d usr2 blocked=%d\n", rounds,
           sigismember(&cur, SIGUSR1), sigismember(&cur, SIGUSR2));
    return 0;
}
