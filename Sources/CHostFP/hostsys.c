// hostsys: the host system calls of CHostFP.h's last section, through libc's syscall().
#define _GNU_SOURCE
#include <unistd.h>
#include <sys/syscall.h>
#include "CHostFP.h"

long k42host_getdents64(int fd, void *buf, unsigned long count) {
    return syscall(SYS_getdents64, fd, buf, count);
}

int k42host_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned flags) {
    return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, flags);
}
