// funcptr.c: indirect control flow: arrays of function pointers, function pointers in
// structs (vtable-style dispatch), callbacks, a dense switch compiled to a jump table
// (bytecode interpreter), a sparse switch, and computed goto (&&label dispatch).
#include <stdint.h>
#include <stdio.h>

typedef long (*binop)(long, long);
static long add(long a, long b) { return a + b; }
static long sub(long a, long b) { return a - b; }
static long mul(long a, long b) { return a * b; }
static long mx(long a, long b) { return a > b ? a : b; }
static long xr(long a, long b) { return a ^ b; }
static const binop ops[] = {add, sub, mul, mx, xr};

struct shape_vt { const char *name; long (*area)(const void *); long (*perim)(const void *); };
struct rect { const struct shape_vt *vt; long w, h; };
struct sq { const struct shape_vt *vt; long s; };
static long rect_area(const void *p) { const struct rect *r = p; return r->w * r->h; }
static long rect_perim(const void *p) { const struct rect *r = p; return 2 * (r->w + r->h); }
static long sq_area(const void *p) { const struct sq *s = p; return s->s * s->s; }
static long sq_perim(const void *p) { const struct sq *s = p; return 4 * s->s; }
static const struct shape_vt rect_vt = {"rect", rect_area, rect_perim};
static const struct shape_vt sq_vt = {"square", sq_area, sq_perim};

static long fold(const long *v, int n, binop f, long init) {
    for (int i = 0; i < n; i++) init = f(init, v[i]);
    return init;
}

enum { PUSH, ADD, SUB, MUL, DUP, SWAP, DROP, JNZ, DEC, OVER, NEG, SHL, AND, OR, NOP, HALT };

// Dense switch: GCC emits a jump table at -O2.
__attribute__((noinline)) static long run_switch(const int *code) {
    long st[64];
    int sp = 0, pc = 0;
    for (;;) {
        int op = code[pc++];
        switch (op) {
        case PUSH: st[sp++] = code[pc++]; break;
        case ADD: sp--; st[sp - 1] += st[sp]; break;
        case SUB: sp--; st[sp - 1] -= st[sp]; break;
        case MUL: sp--; st[sp - 1] *= st[sp]; break;
        case DUP: st[sp] = st[sp - 1]; sp++; break;
        case SWAP: { long t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; break; }
        case DROP: sp--; break;
        case JNZ: { int tgt = code[pc++]; if (st[--sp]) pc = tgt; break; }
        case DEC: st[sp - 1]--; break;
        case OVER: st[sp] = st[sp - 2]; sp++; break;
        case NEG: st[sp - 1] = -st[sp - 1]; break;
        case SHL: sp--; st[sp - 1] <<= st[sp]; break;
        case AND: sp--; st[sp - 1] &= st[sp]; break;
        case OR: sp--; st[sp - 1] |= st[sp]; break;
        case NOP: break;
        case HALT: return st[sp - 1];
        }
    }
}

// Same interpreter with computed goto.
__attribute__((noinline)) static long run_goto(const int *code) {
    static void *const labels[] = {&&l_push, &&l_add, &&l_sub, &&l_mul, &&l_dup, &&l_swap, &&l_drop,
                                   &&l_jnz, &&l_dec, &&l_over, &&l_neg, &&l_shl, &&l_and, &&l_or,
                                   &&l_nop, &&l_halt};
    long st[64];
    int sp = 0, pc = 0;
#define NEXT goto *labels[code[pc++]]
    NEXT;
l_push: st[sp++] = code[pc++]; NEXT;
l_add: sp--; st[sp - 1] += st[sp]; NEXT;
l_sub: sp--; st[sp - 1] -= st[sp]; NEXT;
l_mul: sp--; st[sp - 1] *= st[sp]; NEXT;
l_dup: st[sp] = st[sp - 1]; sp++; NEXT;
l_swap: { long t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; } NEXT;
l_drop: sp--; NEXT;
l_jnz: { int tgt = code[pc++]; if (st[--sp]) pc = tgt; } NEXT;
l_dec: st[sp - 1]--; NEXT;
l_over: st[sp] = st[sp - 2]; sp++; NEXT;
l_neg: st[sp - 1] = -st[sp - 1]; NEXT;
l_shl: sp--; st[sp - 1] <<= st[sp]; NEXT;
l_and: sp--; st[sp - 1] &= st[sp]; NEXT;
l_or: sp--; st[sp - 1] |= st[sp]; NEXT;
l_nop: NEXT;
l_halt: return st[sp - 1];
#undef NEXT
}

__attribute__((noinline)) static const char *sparse(unsigned v) {
    switch (v) {
    case 1: return "one";
    case 100: return "hundred";
    case 1000: return "thousand";
    case 65536: return "2^16";
    case 1000000: return "million";
    case 0xdeadbeef: return "deadbeef";
    default: return "other";
    }
}

int main(void) {
    long v[10];
    for (int i = 0; i < 10; i++) v[i] = (i * 37) % 11 - 5;
    for (int i = 0; i < 5; i++) printf("fold op%d = %ld\n", i, fold(v, 10, ops[i], i));
    long acc = 1;
    for (int i = 0; i < 1000; i++) acc = ops[(acc ^ i) % 5 < 0 ? -((acc ^ i) % 5) : (acc ^ i) % 5](acc, i) % 1000003;
    printf("dispatch acc=%ld\n", acc);

    struct rect r = {&rect_vt, 3, 7};
    struct sq s = {&sq_vt, 5};
    const void *shapes[] = {&r, &s, &r};
    for (int i = 0; i < 3; i++) {
        const struct shape_vt *vt = *(const struct shape_vt *const *)shapes[i];
        printf("%s area=%ld perim=%ld\n", vt->name, vt->area(shapes[i]), vt->perim(shapes[i]));
    }
    // Program (stack [sum, n]): do { sum += (n | n << 3)^2; } while (--n); -> sum
    const int prog[] = {PUSH, 0, PUSH, 2000,
                        /*4*/ SWAP, OVER, DUP, PUSH, 3, SHL, PUSH, -1, AND, OR, DUP, MUL, NEG, NEG,
                        NOP, ADD, SWAP, DEC, DUP, JNZ, 4, DROP, HALT};
    printf("switch vm=%ld goto vm=%ld\n", run_switch(prog), run_goto(prog));
    unsigned keys[] = {0, 1, 100, 1000, 65536, 1000000, 0xdeadbeef, 42};
    for (int i = 0; i < 8; i++) printf("%s ", sparse(keys[i]));
    printf("\n");
    return 0;
}
