// spawn: N times fork + execve of this program (which exits at once) + wait — the SE-mode
// process benchmark: `k42sim run --stats-file S spawn.mips64 200` (host time, and simInsts / N).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--child") == 0) return 0;
    int n = argc > 1 ? atoi(argv[1]) : 100;
    for (int i = 0; i < n; i++) {
        pid_t c = fork();
        if (c == 0) { execl("/proc/self/exe", argv[0], "--child", (char *)0); _exit(127); }
        int st;
        waitpid(c, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) { printf("child %d failed\n", i); return 1; }
    }
    printf("%d spawns\n", n);
    return 0;
}
