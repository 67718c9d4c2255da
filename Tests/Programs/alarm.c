// alarm: alarm(1) interrupts pause() with SIGALRM; an ITIMER_REAL interval timer fires three
// times into a sigsuspend loop; a read from a pipe nobody writes is interrupted (EINTR); all
// on simulated time.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile int ticks;
static void on_alarm(int sig) { (void)sig; ticks++; }

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, 0);
    printf("alarm returns %u\n", alarm(1));
    pause();
    printf("after pause: ticks %d\n", ticks);
    struct itimerval it = { { 0, 250000 }, { 0, 250000 } };
    setitimer(ITIMER_REAL, &it, 0);
    sigset_t none;
    sigemptyset(&none);
    while (ticks < 4) sigsuspend(&none);
    it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &it, 0);
    printf("interval timer: ticks %d\n", ticks);
    int fds[2];
    pipe(fds);
    alarm(2);
    char c;
    ssize_t n = read(fds[0], &c, 1);
    printf("read: %zd %s ticks %d\n", n, n < 0 && errno == EINTR ? "EINTR" : "?", ticks);
    return 0;
}
