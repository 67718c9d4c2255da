/* hello.c: the bundled example guest for the quick start — a static Linux program that prints,
 * does a little integer and floating-point work, and exits with status 0. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
    printf("Hello from a simulated %s CPU!\n", argc > 1 ? argv[1] : "64-bit");
    printf("fib(25) = %lu\n", fib(25));
    double s = 0;
    for (int i = 1; i <= 1000; i++) s += 1.0 / ((double)i * i);
    printf("pi ~ %.9f (from the Basel series)\n", sqrt(6 * s));
    char *buf = malloc(64);
    snprintf(buf, 64, "%d args, last one '%s'", argc, argv[argc - 1]);
    puts(buf);
    free(buf);
    return 0;
}
