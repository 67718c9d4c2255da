// libc.c: the C-library pieces Embedded Swift code references (memcpy, memmove, memset, memcmp,
// ceil) and the stack-protector guard, for every guest but the kernel (the bare-metal runtime and
// the K42 user runtime each define k42_stack_check_failed). Compiled with -ffreestanding
// -fno-builtin so these loops are never turned into calls to themselves.
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
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
    if (((uintptr_t)d & 7) == 0) {
        uint64_t v = (unsigned char)c * 0x0101010101010101ull;
        for (; n >= 8; n -= 8, d += 8) *(uint64_t *)d = v;
    }
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

// ceil by bit manipulation (no FPU rounding-mode games): exact for every double.
double ceil(double x) {
    union { double f; uint64_t i; } u = { x };
    int e = (int)((u.i >> 52) & 0x7ff) - 0x3ff;
    if (e >= 52) return x;                                  // integral, infinite or NaN
    if (e < 0) {                                            // |x| < 1
        if ((u.i << 1) == 0) return x;                      // +0 or -0
        return (u.i >> 63) ? -0.0 : 1.0;
    }
    uint64_t fraction = 0x000fffffffffffffull >> e;
    if ((u.i & fraction) == 0) return x;                    // already integral
    if (!(u.i >> 63)) u.i += fraction;                      // positive: round up
    u.i &= ~fraction;
    return u.f;
}

// Stack protector (swiftc marks some functions sspreq): a fixed guard keeps runs deterministic.
uintptr_t __stack_chk_guard = 0x4b3432c0ffee0000ull;
extern void k42_stack_check_failed(void);
void __stack_chk_fail(void) {
    k42_stack_check_failed();
    for (;;) {}
}
