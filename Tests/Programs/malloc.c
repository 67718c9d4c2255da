// malloc.c: heap stress with a deterministic pseudo-random sequence: many small
// malloc/free/realloc/calloc operations (brk heap), large blocks above 1 MiB (mmap'd chunks;
// realloc of those uses mremap; the mmap threshold is fixed with mallopt), verification of
// every block's contents before it is freed, calloc zeroing, alignment checks, a 32 MiB
// block, and a final free of everything. Prints counts and checksums only.
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 256
static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t next(void) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return rng;
}

struct slot { unsigned char *p; size_t size; unsigned char seed; };
static struct slot slots[SLOTS];
static unsigned long errors, checksum;

// Blocks are filled and verified sparsely (every byte only for small blocks) to keep the
// instruction count low.
static size_t stride(size_t size) { return size > 65536 ? 4093 : size > 1024 ? 61 : size > 64 ? 7 : 1; }

static void fill(struct slot *s) {
    for (size_t i = 0; i < s->size; i += stride(s->size))
        s->p[i] = (unsigned char)(s->seed + i * 31);
    if (s->size) s->p[s->size - 1] = s->seed;
}
static void check(struct slot *s, size_t upto) {
    size_t n = upto < s->size ? upto : s->size;
    for (size_t i = 0; i + 1 < n; i += stride(s->size)) {
        if (s->p[i] != (unsigned char)(s->seed + i * 31)) { errors++; break; }
        checksum = checksum * 3 + s->p[i];
    }
    if (n == s->size && n && s->p[n - 1] != s->seed) errors++;
}
static size_t pick_size(void) {
    uint64_t r = next();
    switch (r % 16) {
    case 0: return 0;
    case 1: return (size_t)(1 << 20) + (r >> 40) % (3 << 20);  // 1..4 MiB: mmap
    case 2: case 3: return 2048 + (r >> 32) % 14000;
    default: return 1 + (r >> 32) % 300;
    }
}

int main(void) {
    // A fixed threshold keeps every block above 1 MiB in its own mmap (glibc otherwise raises
    // the threshold dynamically after the first such free, and calloc would then memset MiBs).
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    unsigned long mallocs = 0, frees = 0, reallocs = 0, callocs = 0, misaligned = 0, bigs = 0;
    for (int step = 0; step < 3000; step++) {
        struct slot *s = &slots[next() % SLOTS];
        unsigned op = (unsigned)(next() % 10);
        if (s->p && op < 4) {
            check(s, s->size);
            free(s->p); frees++;
            s->p = NULL;
        } else if (s->p && op < 6) {
            size_t ns = pick_size();
            if (ns == 0) ns = 1;
            unsigned char *np = realloc(s->p, ns);
            if (!np) { errors++; continue; }
            reallocs++;
            s->p = np;
            size_t old = s->size;
            // Contents up to min(old, ns) must survive.
            size_t keep = old < ns ? old : ns;
            for (size_t i = 0; i + 1 < keep; i += stride(old))
                if (s->p[i] != (unsigned char)(s->seed + i * 31)) { errors++; break; }
            s->size = ns;
            s->seed = (unsigned char)next();
            fill(s);
        } else if (!s->p) {
            s->size = pick_size();
            if (s->size > (1u << 20)) bigs++;
            s->seed = (unsigned char)next();
            if (op & 1) {
                size_t n = s->size / 8 + 1;
                s->p = calloc(n, 8);
                callocs++;
                for (size_t i = 0; i < n * 8; i += stride(n * 8))
                    if (s->p[i] != 0) { errors++; break; }
                s->size = n * 8;
            } else {
                s->p = malloc(s->size);
                mallocs++;
            }
            if (!s->p && s->size) { errors++; continue; }
            if (((uintptr_t)s->p & 15) != 0) misaligned++;
            if (s->p) fill(s);
        }
    }
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].p) { check(&slots[i], slots[i].size); free(slots[i].p); frees++; }
    printf("mallocs=%lu callocs=%lu reallocs=%lu frees=%lu big=%lu\n", mallocs, callocs, reallocs,
           frees, bigs);
    printf("misaligned=%lu errors=%lu checksum=%016lx\n", misaligned, errors, checksum);
    // A single very large block, touched sparsely, then freed.
    size_t huge = 32u << 20;
    unsigned char *h = malloc(huge);
    unsigned long hs = 0;
    if (h) {
        for (size_t i = 0; i < huge; i += 65536) h[i] = (unsigned char)(i >> 16);
        for (size_t i = 0; i < huge; i += 65536) hs += h[i];
        free(h);
    }
    printf("huge ok=%d sum=%lu\n", h != NULL, hs);
    return 0;
}
