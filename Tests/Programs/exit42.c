// exit42.c: process exit status: prints buffered output, registers atexit handlers (run in
// reverse order and must flush stdio before the exit_group syscall), then exit(42).
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit first-registered runs last\n"); }
static void second(void) { printf("atexit second-registered runs first\n"); }

int main(void) {
    atexit(first);
    atexit(second);
    printf("about to exit with 42 (buffered, flushed by exit)\n");
    exit(42);
}
