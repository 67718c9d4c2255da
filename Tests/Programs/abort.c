// abort.c: death by signal: flushes some output, then calls abort(), which raises SIGABRT
// (tgkill/rt_sigprocmask); the expected exit status is 134 (128 + SIGABRT). Output that was
// not flushed before abort() is lost, as on Linux.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    printf("before abort (flushed)\n");
    fflush(stdout);
    printf("this line is buffered and must be lost\n");
    abort();
}
