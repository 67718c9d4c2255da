// execve_errors: execve of a missing file, a directory, a file that is neither ELF nor #!, a
// dynamically linked ELF and a #! script without a valid interpreter must fail with Linux's
// errno (the caller keeps running); `--run PATH ARGS` execs PATH (a #! script naming this
// program as its interpreter, in the tests).
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *name(int e) {
    switch (e) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOEXEC: return "ENOEXEC";
    case 0: return "0";
    default: return strerror(e);
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--interpreted") == 0) {
        printf("interpreter got %d args:", argc);
        for (int i = 2; i < argc; i++) printf(" [%s]", strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i]);
        printf("\n");
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "--run") == 0) {
        execv(argv[2], &argv[2]);
        printf("--run %s: %s\n", argv[2], name(errno));
        return 1;
    }
    char *args[] = { "x", 0 }, *env[] = { 0 };
    for (int i = 1; i < argc; i++) {
        errno = 0;
        execve(argv[i], args, env);
        printf("%s: %s\n", strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i], name(errno));
    }
    return 0;
}
