// bits.c: bit manipulation through GCC builtins and idioms: popcount, clz, ctz, ffs,
// clrsb, parity, bswap16/32/64, 32- and 64-bit rotates (recognised as rotate instructions),
// bit reversal, sign extension of bit fields, and masks, over fixed and pseudo-random values.
#include <stdint.h>
#include <stdio.h>

static uint64_t rng = 0x853c49e6748fea9bull;
static uint64_t next(void) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return rng;
}
__attribute__((noinline)) static uint64_t rotl64(uint64_t x, unsigned r) { return (x << (r & 63)) | (x >> (-r & 63)); }
__attribute__((noinline)) static uint64_t rotr64(uint64_t x, unsigned r) { return (x >> (r & 63)) | (x << (-r & 63)); }
__attribute__((noinline)) static uint32_t rotl32(uint32_t x, unsigned r) { return (x << (r & 31)) | (x >> (-r & 31)); }
__attribute__((noinline)) static uint32_t rotr32(uint32_t x, unsigned r) { return (x >> (r & 31)) | (x << (-r & 31)); }
__attribute__((noinline)) static uint64_t rev64(uint64_t x) {
    x = ((x >> 1) & 0x5555555555555555ull) | ((x & 0x5555555555555555ull) << 1);
    x = ((x >> 2) & 0x3333333333333333ull) | ((x & 0x3333333333333333ull) << 2);
    x = ((x >> 4) & 0x0f0f0f0f0f0f0f0full) | ((x & 0x0f0f0f0f0f0f0f0full) << 4);
    return __builtin_bswap64(x);
}
__attribute__((noinline)) static int64_t sext(uint64_t x, unsigned bits) {
    return (int64_t)(x << (64 - bits)) >> (64 - bits);
}

int main(void) {
    uint64_t fixed[] = {1, 2, 3, 0x80, 0xff, 0x8000000000000000ull, 0xffffffffffffffffull,
                        0x0123456789abcdefull, 0x00000000ffffffffull, 0x7fffffffffffffffull,
                        0x0000000100000000ull, 0xf0f0f0f0f0f0f0f0ull};
    for (int i = 0; i < (int)(sizeof fixed / sizeof fixed[0]); i++) {
        uint64_t x = fixed[i];
        uint32_t lo = (uint32_t)x;
        printf("%016llx pop=%d clz=%d ctz=%d ffs=%d clrsb=%d par=%d pop32=%d clz32=%d ctz32=%d ",
               (unsigned long long)x, __builtin_popcountll(x), __builtin_clzll(x), __builtin_ctzll(x),
               __builtin_ffsll((long long)x), __builtin_clrsbll((long long)x), __builtin_parityll(x),
               __builtin_popcount(lo), lo ? __builtin_clz(lo) : -1, lo ? __builtin_ctz(lo) : -1);
        printf("bswap64=%016llx bswap32=%08x bswap16=%04x rev=%016llx\n",
               (unsigned long long)__builtin_bswap64(x), __builtin_bswap32(lo),
               __builtin_bswap16((uint16_t)x), (unsigned long long)rev64(x));
    }
    for (unsigned r = 0; r < 70; r += 7)
        printf("rot %2u: %016llx %016llx %08x %08x\n", r,
               (unsigned long long)rotl64(0x0123456789abcdefull, r),
               (unsigned long long)rotr64(0x0123456789abcdefull, r), rotl32(0x89abcdefu, r),
               rotr32(0x89abcdefu, r));
    printf("sext %lld %lld %lld\n", (long long)sext(0x80, 8), (long long)sext(0x7f, 8),
           (long long)sext(0xfffff, 21));
    uint64_t h = 0;
    for (int i = 0; i < 10000; i++) {
        uint64_t x = next();
        uint32_t y = (uint32_t)(x >> 17);
        h += (uint64_t)__builtin_popcountll(x) + (uint64_t)__builtin_clzll(x | 1) * 3 +
             (uint64_t)__builtin_ctzll(x | (1ull << 63)) * 5;
        h ^= __builtin_bswap64(h) + rotl64(x, (unsigned)h) + rotr32(y, (unsigned)(x >> 5));
        h += (uint64_t)(y ? __builtin_clz(y) : 32) + __builtin_bswap32(y) + __builtin_parity(y);
        h = rotr64(h, 11) ^ rev64(x & 0xffff);
    }
    printf("random hash %016llx\n", (unsigned long long)h);
    return 0;
}
