// int128.c: __int128 / unsigned __int128 arithmetic: multiplication (full 128x128),
// division and remainder through libgcc (__divti3/__udivti3/__modti3/__umodti3),
// shifts by 0..127, comparisons, wrap-around, and decimal printing by repeated division.
#include <stdint.h>
#include <stdio.h>

typedef unsigned __int128 u128;
typedef __int128 s128;

static void put_u128(u128 v) {
    char buf[64];
    int i = 63;
    buf[i] = 0;
    do { buf[--i] = (char)('0' + (int)(v % 10)); v /= 10; } while (v);
    fputs(&buf[i], stdout);
}
static void put_s128(s128 v) {
    if (v < 0) { putchar('-'); put_u128((u128)0 - (u128)v); }
    else put_u128((u128)v);
}
static void put_hex(u128 v) {
    printf("%016llx%016llx", (unsigned long long)(v >> 64), (unsigned long long)v);
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return rng;
}

__attribute__((noinline)) static s128 sdiv(s128 a, s128 b) { return a / b; }
__attribute__((noinline)) static s128 smod(s128 a, s128 b) { return a % b; }
__attribute__((noinline)) static u128 udiv(u128 a, u128 b) { return a / b; }
__attribute__((noinline)) static u128 umod(u128 a, u128 b) { return a % b; }
__attribute__((noinline)) static u128 shl(u128 a, unsigned s) { return a << s; }
__attribute__((noinline)) static u128 shr(u128 a, unsigned s) { return a >> s; }
__attribute__((noinline)) static s128 sar(s128 a, unsigned s) { return a >> s; }

int main(void) {
    const u128 umax = ~(u128)0;
    const s128 smax = (s128)(umax >> 1);
    const s128 smin = -smax - 1;
    printf("umax "); put_u128(umax); printf("\nsmax "); put_s128(smax);
    printf("\nsmin "); put_s128(smin); printf("\n");

    // Factorials until 128-bit overflow, with wrap-around shown.
    u128 f = 1;
    for (unsigned i = 1; i <= 36; i++) {
        f *= i;
        printf("%u! = ", i); put_u128(f); printf("\n");
    }
    // Fixed division table.
    s128 vals[] = {1, -1, 7, -7, 10, (s128)1 << 64, -((s128)1 << 64), smax, smin + 1,
                   (s128)0x0123456789abcdefll * 0x1000000000ll, -123456789012345678ll};
    int n = sizeof vals / sizeof vals[0];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            put_s128(vals[i]); putchar(' '); put_s128(vals[j]); printf(" q=");
            put_s128(sdiv(vals[i], vals[j])); printf(" r="); put_s128(smod(vals[i], vals[j]));
            printf(" uq="); put_hex(udiv((u128)vals[i], (u128)vals[j]));
            printf(" ur="); put_hex(umod((u128)vals[i], (u128)vals[j]));
            printf(" p="); put_hex((u128)vals[i] * (u128)vals[j]);
            printf("\n");
        }
    // Shifts.
    u128 x = ((u128)0x8123456789abcdefull << 64) | 0xfedcba9876543210ull;
    u128 h = 0;
    for (unsigned s = 0; s < 128; s++)
        h = h * 1000003 + (shl(x, s) ^ shr(x, s) ^ (u128)sar((s128)x, s));
    printf("shift hash "); put_hex(h); printf("\n");
    // Random div/mod identities.
    u128 acc = 0;
    unsigned bad = 0;
    for (int i = 0; i < 3000; i++) {
        u128 a = ((u128)next() << 64) | next();
        u128 b = ((u128)next() << (next() % 64)) | (next() >> (next() % 64)) | 1;
        u128 q = udiv(a, b), r = umod(a, b);
        if (q * b + r != a || r >= b) bad++;
        s128 sa = (s128)a, sb = (s128)(b >> 1) * ((i & 1) ? -1 : 1);
        if (sb == 0) sb = 3;
        s128 sq = sdiv(sa, sb), sr = smod(sa, sb);
        if (sq * sb + sr != sa) bad++;
        acc = acc * 31 + q + (u128)sq + r + (u128)sr;
    }
    printf("random bad=%u acc=", bad); put_hex(acc); printf("\n");
    return 0;
}
