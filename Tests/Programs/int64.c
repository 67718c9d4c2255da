// int64.c: 64-bit integer arithmetic: add/sub/mul wrap-around, signed and unsigned
// division and remainder (incl. negative operands, INT64_MIN edge cases that are defined),
// variable and constant shifts (logical and arithmetic), overflow builtins, 32-bit
// sign/zero extension, and mulh-style high products. Prints one line per check group.
#include <stdint.h>
#include <stdio.h>
#include <inttypes.h>

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return rng;
}

// noinline keeps the compiler from folding the operations at build time.
__attribute__((noinline)) static int64_t sdiv(int64_t a, int64_t b) { return a / b; }
__attribute__((noinline)) static int64_t smod(int64_t a, int64_t b) { return a % b; }
__attribute__((noinline)) static uint64_t udiv(uint64_t a, uint64_t b) { return a / b; }
__attribute__((noinline)) static uint64_t umod(uint64_t a, uint64_t b) { return a % b; }
__attribute__((noinline)) static int32_t sdiv32(int32_t a, int32_t b) { return a / b; }
__attribute__((noinline)) static uint32_t udiv32(uint32_t a, uint32_t b) { return a / b; }
__attribute__((noinline)) static uint64_t shl(uint64_t a, unsigned s) { return a << s; }
__attribute__((noinline)) static uint64_t shr(uint64_t a, unsigned s) { return a >> s; }
__attribute__((noinline)) static int64_t sar(int64_t a, unsigned s) { return a >> s; }
__attribute__((noinline)) static uint32_t shl32(uint32_t a, unsigned s) { return a << s; }
__attribute__((noinline)) static int32_t sar32(int32_t a, unsigned s) { return a >> s; }
__attribute__((noinline)) static int64_t ext32(int32_t a) { return a; }
__attribute__((noinline)) static uint64_t zext32(uint32_t a) { return a; }
__attribute__((noinline)) static int32_t add32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }

int main(void) {
    volatile int64_t vals[] = {0, 1, -1, 2, -2, 3, -3, 7, -7, 1000000007, -1000000007,
                               INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
                               0x123456789abcdefll, -0x123456789abcdefll, 4294967296ll,
                               -4294967296ll, 2147483647, -2147483648ll};
    int n = sizeof vals / sizeof vals[0];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            int64_t a = vals[i], b = vals[j];
            uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
            if (b == 0) continue;
            printf("%" PRId64 " %" PRId64 ": ", a, b);
            if (!(a == INT64_MIN && b == -1))
                printf("q=%" PRId64 " r=%" PRId64 " ", sdiv(a, b), smod(a, b));
            printf("uq=%" PRIu64 " ur=%" PRIu64 " ", udiv(ua, ub), umod(ua, ub));
            printf("sum=%" PRIx64 " diff=%" PRIx64 " prod=%" PRIx64 "\n",
                   ua + ub, ua - ub, ua * ub);
        }
    }
    // Shifts by every amount.
    uint64_t h = 0;
    for (unsigned s = 0; s < 64; s++) {
        uint64_t x = 0x8123456789abcdefull;
        h = h * 31 + shl(x, s);
        h = h * 31 + shr(x, s);
        h = h * 31 + (uint64_t)sar((int64_t)x, s);
        if (s < 32) {
            h = h * 31 + shl32(0x87654321u, s);
            h = h * 31 + (uint32_t)sar32((int32_t)0x87654321u, s);
        }
    }
    printf("shift hash %016" PRIx64 "\n", h);
    // 32-bit operations and extension.
    printf("ext %" PRId64 " %" PRIu64 " %d %d\n", ext32(-5), zext32(0xfffffffbu),
           add32(INT32_MAX, 1), add32(INT32_MIN, -1));
    printf("div32 %d %d %u %u\n", sdiv32(-7, 2), sdiv32(INT32_MIN, 3), udiv32(0xffffffffu, 7),
           udiv32(5, 0xffffffffu));
    // Overflow builtins.
    int64_t r;
    int o1 = __builtin_add_overflow((int64_t)vals[11], (int64_t)1, &r);
    printf("addov %d %" PRId64 "\n", o1, r);
    int o2 = __builtin_sub_overflow((int64_t)vals[12], (int64_t)1, &r);
    printf("subov %d %" PRId64 "\n", o2, r);
    int o3 = __builtin_mul_overflow((int64_t)vals[17], (int64_t)vals[17], &r);
    printf("mulov %d %" PRId64 "\n", o3, r);
    uint64_t ur;
    int o4 = __builtin_mul_overflow((uint64_t)vals[11], (uint64_t)3, &ur);
    printf("umulov %d %" PRIu64 "\n", o4, ur);
    // Random mixing: high products and long dependency chains.
    uint64_t acc = 0;
    int64_t sacc = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t a = next(), b = next();
        unsigned __int128 p = (unsigned __int128)a * b;
        __int128 sp = (__int128)(int64_t)a * (int64_t)b;
        acc += (uint64_t)(p >> 64) ^ (uint64_t)p;
        acc = (acc << 7) | (acc >> 57);
        sacc ^= (int64_t)(sp >> 64);
        if (b >> 33) acc += udiv(a, b >> 33) + umod(a, (b >> 40) | 1);
        sacc += sdiv((int64_t)a, ((int64_t)b >> 35) | 1);
    }
    printf("mix %016" PRIx64 " %" PRId64 "\n", acc, sacc);
    return 0;
}
