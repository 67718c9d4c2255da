// fork_wait: fork and wait4 statuses (exit codes, death by signal, WNOHANG, ECHILD), a 1 MiB
// write through a pipe to the parent, getppid/getpid relations, SIGPIPE on a pipe without a
// reader, and a child's SIGCHLD to a handler.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int chld;
static void on_chld(int sig) { (void)sig; chld++; }

int main(void) {
    pid_t me = getpid();
    int fds[2];
    pipe(fds);
    pid_t c = fork();
    if (c == 0) {
        close(fds[0]);
        static unsigned char big[1 << 20];
        for (unsigned i = 0; i < sizeof big; i++) big[i] = (unsigned char)(i * 131 + 7);
        ssize_t w = write(fds[1], big, sizeof big);
        _exit(w == (ssize_t)sizeof big && getppid() == me ? 3 : 4);
    }
    close(fds[1]);
    unsigned long total = 0, sum = 0;
    unsigned char buf[1000];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) {
        total += n;
        for (ssize_t i = 0; i < n; i++) sum = sum * 31 + buf[i];
    }
    int st;
    printf("pipe: %lu bytes, hash %lu\n", total, sum);
    printf("wait: %d exited %d status %d\n", waitpid(c, &st, 0) == c, WIFEXITED(st), WEXITSTATUS(st));

    pid_t k = fork();
    if (k == 0) { for (;;) pause(); }
    printf("WNOHANG: %d\n", waitpid(k, &st, WNOHANG));
    kill(k, SIGTERM);
    waitpid(k, &st, 0);
    printf("killed: signaled %d signal %d\n", WIFSIGNALED(st), WTERMSIG(st));

    pid_t s = fork();
    if (s == 0) { raise(SIGABRT); _exit(0); }
    waitpid(s, &st, 0);
    printf("abort: signaled %d signal %d\n", WIFSIGNALED(st), WTERMSIG(st) == SIGABRT);

    int p2[2];
    pipe(p2);
    pid_t w = fork();
    if (w == 0) {
        close(p2[0]);
        signal(SIGPIPE, SIG_IGN);
        ssize_t r = write(p2[1], "x", 1);
        _exit(r < 0 && errno == EPIPE ? 5 : 6);
    }
    close(p2[0]);
    close(p2[1]);
    waitpid(w, &st, 0);
    printf("EPIPE child status %d\n", WEXITSTATUS(st));

    signal(SIGCHLD, on_chld);
    for (int i = 0; i < 3; i++) {
        pid_t q = fork();
        if (q == 0) _exit(10 + i);
        waitpid(q, &st, 0);
        printf("child %d status %d\n", i, WEXITSTATUS(st));
    }
    printf("SIGCHLD handled %d times\n", chld);
    printf("ECHILD: %d %d\n", waitpid(-1, &st, 0), errno == ECHILD);
    return 0;
}
