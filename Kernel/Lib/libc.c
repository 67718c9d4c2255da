// libc.c: the C-library pieces Embedded Swift code references (memcpy, memmove, memset,
// memcmp, ceil, the stack protector), word-at-a-time where source and destination allow it,
// and the linker symbols and statically allocated words the kernel needs before it has an
// allocator. Compiled -ffreestanding -fno-builtin, so these loops never call themselves.
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
        while (n && ((uintptr_t)d & 7)) { *d++ = *s++; n--; }
        for (; n >= 32; n -= 32, d += 32, s += 32) {
            uint64_t a = ((const uint64_t *)s)[0], b = ((const uint64_t *)s)[1];
            uint64_t c = ((const uint64_t *)s)[2], e = ((const uint64_t *)s)[3];
            ((uint64_t *)d)[0] = a; ((uint64_t *)d)[1] = b;
            ((uint64_t *)d)[2] = c; ((uint64_t *)d)[3] = e;
        }
        for (; n >= 8; n -= 8, d += 8, s += 8) *(uint64_t *)d = *(const uint64_t *)s;
    }
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d == s || n == 0) return dst;
    if (d < s || d >= s + n) return memcpy(dst, src, n);
    while (n--) d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    uint64_t v = (unsigned char)c * 0x0101010101010101ull;
    while (n && ((uintptr_t)d & 7)) { *d++ = (unsigned char)c; n--; }
    for (; n >= 32; n -= 32, d += 32) {
        ((uint64_t *)d)[0] = v; ((uint64_t *)d)[1] = v;
        ((uint64_t *)d)[2] = v; ((uint64_t *)d)[3] = v;
    }
    for (; n >= 8; n -= 8, d += 8) *(uint64_t *)d = v;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++) {
        if (*x != *y) return *x < *y ? -1 : 1;
    }
    return 0;
}

// ceil on the bit pattern (Embedded Swift's Dictionary sizes its storage with it).
double ceil(double x) {
    union { double f; uint64_t i; } u = { x };
    int e = (int)((u.i >> 52) & 0x7ff) - 0x3ff;
    if (e >= 52) return x;
    if (e < 0) {
        if ((u.i << 1) == 0) return x;
        return (u.i >> 63) ? -0.0 : 1.0;
    }
    uint64_t fraction = 0x000fffffffffffffull >> e;
    if ((u.i & fraction) == 0) return x;
    if (!(u.i >> 63)) u.i += fraction;
    u.i &= ~fraction;
    return u.f;
}

uintptr_t __stack_chk_guard = 0x4b3432c0ffee0042ull;
extern void k42_panic_stack_check(void);
void __stack_chk_fail(void) {
    k42_panic_stack_check();
    for (;;) {}
}

extern char __kernel_start[], __kernel_end[], __boot_stacks[];
uintptr_t k42_kernel_start(void) { return (uintptr_t)__kernel_start; }
uintptr_t k42_kernel_end(void) { return (uintptr_t)__kernel_end; }
uintptr_t k42_boot_stacks(void) { return (uintptr_t)__boot_stacks; }

// Words the kernel needs before (or without) its allocator: the console lock, the CPU and node
// tables' anchors, boot rendezvous counters (KernelWords.swift names each slot).
uint64_t k42_kernel_words[2048] __attribute__((aligned(128)));
uint64_t *k42_kernel_words_address(void) { return k42_kernel_words; }

// Symbols both ports' assembly defines: the secondary-release flag and the user-mode probe
// code (Arch/*/usercode.S) that the protection test copies into a user page.
extern char k42_release[], k42_user_code_start[], k42_user_code_end[];
extern char k42_user_probe_read[], k42_user_probe_write[], k42_user_probe_exit[];
extern char k42_user_probe_touch[], k42_user_probe_sum[], k42_user_probe_syscall[], k42_user_probe_jump[];
uintptr_t k42_release_address(void) { return (uintptr_t)k42_release; }
uintptr_t k42_user_code(int which) {
    switch (which) {
    case 0: return (uintptr_t)k42_user_code_start;
    case 1: return (uintptr_t)k42_user_code_end;
    case 2: return (uintptr_t)k42_user_probe_read;
    case 3: return (uintptr_t)k42_user_probe_write;
    case 5: return (uintptr_t)k42_user_probe_touch;
    case 6: return (uintptr_t)k42_user_probe_sum;
    case 7: return (uintptr_t)k42_user_probe_syscall;
    case 8: return (uintptr_t)k42_user_probe_jump;
    default: return (uintptr_t)k42_user_probe_exit;
    }
}
