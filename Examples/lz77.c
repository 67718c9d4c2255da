/* lz77.c: the second workload of scripts/bench (beside Tests/Programs/sha256.c), chosen because
 * it is not one tight loop: an LZ77 compressor with hash chains over a 64 KiB window, byte-wise
 * output with a flag byte per eight items, and the decompressor, on 256 KiB of generated text
 * (words from a small vocabulary, so matches of every length occur). Each round compresses,
 * decompresses and compares; the output is the sizes and an FNV-1a checksum of the compressed
 * stream, the same on every ISA and under qemu-user.
 * Usage: lz77 [ROUNDS]   (default 4) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { INPUT = 256 * 1024, WINDOW = 1 << 16, HASH = 1 << 14, MIN_MATCH = 4, MAX_MATCH = 258, CHAIN = 32 };

static uint32_t rng = 12345;
static uint32_t next(void) { rng = rng * 1103515245u + 12345u; return rng >> 8; }

static size_t generate(uint8_t *out, size_t n) {
    static const char *words[] = { "the", "kernel", "object", "clustered", "processor", "memory",
        "page", "fault", "region", "thread", "dispatcher", "lock", "per", "cpu", "node", "scalable",
        "replicated", "partitioned", "interrupt", "trace", "a", "of", "and", "to", "in" };
    size_t pos = 0;
    while (pos < n) {
        const char *w = words[next() % (sizeof words / sizeof *words)];
        size_t len = strlen(w);
        for (size_t i = 0; i < len && pos < n; i++) out[pos++] = (uint8_t)w[i];
        if (pos < n) out[pos++] = (next() % 11 == 0) ? '\n' : ' ';
    }
    return n;
}

static inline uint32_t hash4(const uint8_t *p) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - 14);
}

/* Items: flag bit 0 = literal byte; 1 = match (3 bytes: 16-bit distance - 1, length - MIN_MATCH). */
static size_t compress(const uint8_t *in, size_t n, uint8_t *out, int32_t *head, int32_t *prev) {
    for (int i = 0; i < HASH; i++) head[i] = -1;
    size_t o = 0, flagAt = 0, i = 0;
    int bit = 8;
    while (i < n) {
        if (bit == 8) { flagAt = o++; out[flagAt] = 0; bit = 0; }
        size_t best = 0, bestDist = 0;
        if (i + MIN_MATCH <= n) {
            uint32_t h = hash4(in + i);
            int32_t cand = head[h];
            for (int chain = 0; cand >= 0 && chain < CHAIN && i - (size_t)cand <= WINDOW; chain++) {
                size_t len = 0, max = n - i < MAX_MATCH ? n - i : MAX_MATCH;
                while (len < max && in[cand + len] == in[i + len]) len++;
                if (len > best) { best = len; bestDist = i - (size_t)cand; if (len == max) break; }
                cand = prev[cand % WINDOW];
            }
            prev[i % WINDOW] = head[h];
            head[h] = (int32_t)i;
        }
        if (best >= MIN_MATCH) {
            out[flagAt] |= (uint8_t)(1 << bit);
            out[o++] = (uint8_t)((bestDist - 1) & 0xFF);
            out[o++] = (uint8_t)((bestDist - 1) >> 8);
            out[o++] = (uint8_t)(best - MIN_MATCH);
            for (size_t k = 1; k < best; k++) {     /* index the skipped positions */
                size_t j = i + k;
                if (j + MIN_MATCH <= n) { uint32_t h = hash4(in + j); prev[j % WINDOW] = head[h]; head[h] = (int32_t)j; }
            }
            i += best;
        } else {
            out[o++] = in[i++];
        }
        bit++;
    }
    return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t flags = in[i++];
        for (int bit = 0; bit < 8 && i < n; bit++) {
            if (flags & (1 << bit)) {
                size_t dist = (size_t)in[i] | (size_t)in[i + 1] << 8;
                size_t len = (size_t)in[i + 2] + MIN_MATCH;
                i += 3;
                for (size_t k = 0; k < len; k++, o++) out[o] = out[o - dist - 1];
            } else {
                out[o++] = in[i++];
            }
        }
    }
    return o;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 4;
    uint8_t *text = malloc(INPUT), *packed = malloc(INPUT + INPUT / 8 + 16), *back = malloc(INPUT);
    int32_t *head = malloc(HASH * sizeof *head), *prev = malloc(WINDOW * sizeof *prev);
    if (!text || !packed || !back || !head || !prev) { fputs("lz77: out of memory\n", stderr); return 1; }
    generate(text, INPUT);
    uint64_t total = 0;
    uint32_t fnv = 2166136261u;
    for (int r = 0; r < rounds; r++) {
        text[(size_t)r * 7919 % INPUT] ^= (uint8_t)r;       /* every round compresses different data */
        size_t c = compress(text, INPUT, packed, head, prev);
        size_t d = decompress(packed, c, back);
        if (d != INPUT || memcmp(back, text, INPUT) != 0) { printf("round %d: mismatch\n", r); return 1; }
        for (size_t k = 0; k < c; k++) fnv = (fnv ^ packed[k]) * 16777619u;
        total += c;
    }
    printf("lz77: %d rounds of %d bytes -> %llu bytes compressed in all, checksum %08x\n",
           rounds, INPUT, (unsigned long long)total, fnv);
    return 0;
}
