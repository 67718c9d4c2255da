// stdio_mix.c: stdout and stderr interleaved: buffered printf/puts/fputs to stdout (fully
// buffered when not a terminal), unbuffered fprintf to stderr, raw write(1)/write(2),
// explicit fflush, setvbuf line buffering, perror, and a large stdout burst (> BUFSIZ).
// The test compares the two streams separately.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    printf("out 1: printf\n");
    fprintf(stderr, "err 1: fprintf\n");
    puts("out 2: puts");
    fputs("err 2: fputs\n", stderr);
    write(1, "out 3: raw write (before buffered lines)\n", 41);
    write(2, "err 3: raw write\n", 17);
    fflush(stdout);
    write(1, "out 4: raw write after fflush\n", 30);
    errno = ENOENT;
    perror("err 4: perror");
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("out 5: line buffered now\n");
    for (int i = 0; i < 300; i++) {
        printf("out burst %03d: %s\n", i, "................................................");
        if (i % 50 == 0) fprintf(stderr, "err burst %d\n", i);
    }
    fputc('x', stderr);
    fputc('\n', stderr);
    printf("out last (no newline)");
    fprintf(stderr, "err last (no newline)");
    return 0;
}
