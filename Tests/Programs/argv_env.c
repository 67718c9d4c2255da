// argv_env.c: the initial process stack: argc, every argv string (argv[0] by basename only,
// since the path differs between runners), the argv[argc] NULL terminator, every envp entry
// (printed sorted: qemu-user reverses the environment's order, Linux keeps it), getenv
// lookups (present, empty, missing), and a setenv/unsetenv round trip.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv, char **envp) {
    const char *base = strrchr(argv[0], '/');
    printf("argc=%d argv0=%s\n", argc, base ? base + 1 : argv[0]);
    for (int i = 1; i < argc; i++) printf("argv[%d]=\"%s\" len=%zu\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc]==NULL %d\n", argv[argc] == NULL);
    int n = 0;
    while (envp[n]) n++;
    char **sorted = malloc((size_t)n * sizeof *sorted);
    memcpy(sorted, envp, (size_t)n * sizeof *sorted);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp);
    for (int i = 0; i < n; i++) printf("env \"%s\"\n", sorted[i]);
    printf("envc=%d\n", n);
    free(sorted);
    const char *names[] = {"K42_ALPHA", "K42_EMPTY", "K42_MISSING", "PATH"};
    for (int i = 0; i < 4; i++) {
        const char *v = getenv(names[i]);
        printf("getenv(%s)=%s%s%s\n", names[i], v ? "\"" : "", v ? v : "(null)", v ? "\"" : "");
    }
    setenv("K42_NEW", "fresh", 1);
    setenv("K42_ALPHA", "ignored", 0);
    unsetenv("K42_EMPTY");
    printf("after: new=%s alpha=%s empty=%s\n", getenv("K42_NEW"), getenv("K42_ALPHA"),
           getenv("K42_EMPTY") ? "present" : "gone");
    return 0;
}
