// structs.c: aggregate layout and access: sizeof/offsetof/alignof of mixed structs, packed
// structs (unaligned loads and stores), unions for type punning, signed and unsigned bit
// fields (read-modify-write, sign extension), struct copy, passing and returning small and
// large structs by value, arrays of structs, and flexible array members.
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mixed { char c; short s; int i; long l; float f; double d; unsigned char tail; };
struct __attribute__((packed)) packed { uint8_t a; uint32_t b; uint16_t c; uint64_t d; };
union pun { double d; uint64_t u; uint32_t w[2]; uint8_t b[8]; float f; };
struct bits { unsigned a : 3; signed b : 5; unsigned c : 12; signed d : 9; unsigned long long e : 35; unsigned f : 1; };
struct small { int x, y; };
struct big { long v[12]; char name[20]; };
struct flex { int n; short data[]; };

__attribute__((noinline)) static struct small mk_small(int x, int y) { struct small s = {x * 2, y - 1}; return s; }
__attribute__((noinline)) static struct big mk_big(long seed) {
    struct big b;
    for (int i = 0; i < 12; i++) b.v[i] = seed * (i + 1) - i * i;
    snprintf(b.name, sizeof b.name, "big-%ld", seed);
    return b;
}
__attribute__((noinline)) static long sum_big(struct big b) {
    long s = 0;
    for (int i = 0; i < 12; i++) s += b.v[i];
    b.v[0] = 0;  // modifies the callee's copy only
    return s + (long)strlen(b.name);
}
__attribute__((noinline)) static struct small add_small(struct small a, struct small b) {
    struct small r = {a.x + b.x, a.y + b.y};
    return r;
}
__attribute__((noinline)) static void poke_packed(struct packed *p, int k) {
    p->a += (uint8_t)k; p->b = p->b * 3 + (uint32_t)k; p->c ^= (uint16_t)(k << 4); p->d = (p->d << 5) + (uint64_t)k;
}

int main(void) {
    printf("mixed size=%zu align=%zu off c=%zu s=%zu i=%zu l=%zu f=%zu d=%zu tail=%zu\n",
           sizeof(struct mixed), alignof(struct mixed), offsetof(struct mixed, c),
           offsetof(struct mixed, s), offsetof(struct mixed, i), offsetof(struct mixed, l),
           offsetof(struct mixed, f), offsetof(struct mixed, d), offsetof(struct mixed, tail));
    printf("packed size=%zu off b=%zu c=%zu d=%zu\n", sizeof(struct packed), offsetof(struct packed, b),
           offsetof(struct packed, c), offsetof(struct packed, d));
    printf("bits size=%zu union size=%zu big=%zu\n", sizeof(struct bits), sizeof(union pun), sizeof(struct big));

    union pun u;
    u.d = -1.5;
    printf("pun d=-1.5 u=%016llx w0=%08x w1=%08x b0=%02x b7=%02x\n", (unsigned long long)u.u, u.w[0], u.w[1],
           u.b[0], u.b[7]);
    u.u = 0;
    u.f = 3.0f;
    printf("pun f=3 w0=%08x\n", u.w[0]);

    struct bits b;
    memset(&b, 0, sizeof b);
    b.a = 5; b.b = -3; b.c = 4000; b.d = -200; b.e = 0x5ffffffffull; b.f = 1;
    printf("bits a=%u b=%d c=%u d=%d e=%llx f=%u\n", b.a, b.b, b.c, b.d, (unsigned long long)b.e, b.f);
    b.a += 4; b.b -= 14; b.c += 100; b.d = b.d * 2; b.e += 0x200000001ull; b.f ^= 1;
    printf("bits a=%u b=%d c=%u d=%d e=%llx f=%u\n", b.a, b.b, b.c, b.d, (unsigned long long)b.e, b.f);
    unsigned char raw[sizeof b];
    memcpy(raw, &b, sizeof b);
    printf("bits raw:");
    for (size_t i = 0; i < sizeof b; i++) printf(" %02x", raw[i]);
    printf("\n");

    unsigned char store[64];
    memset(store, 0xa5, sizeof store);
    struct packed *pk = (struct packed *)(store + 3);  // deliberately misaligned
    pk->a = 1; pk->b = 0x11223344; pk->c = 0x5566; pk->d = 0x0102030405060708ull;
    for (int k = 0; k < 10; k++) poke_packed(pk, k);
    printf("packed a=%u b=%08x c=%04x d=%016llx raw:", pk->a, pk->b, pk->c, (unsigned long long)pk->d);
    for (int i = 0; i < 20; i++) printf(" %02x", store[i]);
    printf("\n");

    struct small s = add_small(mk_small(3, 4), mk_small(-10, 20));
    printf("small %d %d\n", s.x, s.y);
    struct big bg = mk_big(7);
    struct big copy = bg;
    long total = sum_big(bg);
    printf("big %s total=%ld v0=%ld same=%d\n", copy.name, total, bg.v[0], memcmp(&bg, &copy, sizeof bg) == 0);

    struct mixed arr[5];
    memset(arr, 0, sizeof arr);
    for (int i = 0; i < 5; i++) {
        arr[i].c = (char)('a' + i); arr[i].s = (short)(-i * 1000); arr[i].i = i * 100000;
        arr[i].l = (long)i << 40; arr[i].f = (float)i / 4; arr[i].d = i * 1.25; arr[i].tail = (unsigned char)(250 + i);
    }
    double acc = 0;
    for (int i = 0; i < 5; i++) acc += arr[i].c + arr[i].s + arr[i].i + (double)(arr[i].l >> 30) + arr[i].f + arr[i].d + arr[i].tail;
    printf("array acc=%.6f\n", acc);

    struct flex *fl = malloc(sizeof *fl + 10 * sizeof(short));
    fl->n = 10;
    for (int i = 0; i < fl->n; i++) fl->data[i] = (short)(i * i - 50);
    int fs = 0;
    for (int i = 0; i < fl->n; i++) fs += fl->data[i];
    printf("flex n=%d sum=%d\n", fl->n, fs);
    free(fl);
    return 0;
}
