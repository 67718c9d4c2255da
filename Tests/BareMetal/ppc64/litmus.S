/* litmus.S: coherence litmus tests on 4 CPUs — MP, SB, LB, IRIW, 2+2W, each ITER times with no
   barrier, with lwsync and with sync between the two accesses of every thread (PPC64 port of
   ../mips64/litmus.S). Per iteration: barrier, a start skew of
   ((iteration * (7 + 4 * cpu) + test * 3 + variant * 5) mod 29) delay-loop turns, the test's
   thread body (CPUs beyond the test's thread count do nothing), barrier, then CPU 0 records the
   outcome and resets the variables (x and y are on different cache lines). After ITER
   iterations CPU 0 prints "<test> <none|lwsync|sync>:" and the count of every outcome index:
     MP   T0: x=1; [b]; y=1          T1: r0=y; [b]; r1=x                index r0*2 + r1
     SB   T0: x=1; [b]; r0=y         T1: y=1; [b]; r1=x                 index r0*2 + r1
     LB   T0: r0=x; [b]; y=1         T1: r1=y; [b]; x=1                 index r0*2 + r1
     IRIW T0: x=1  T1: y=1  T2: r0=x; [b]; r1=y  T3: r2=y; [b]; r3=x    index r0*8+r1*4+r2*2+r3
     2+2W T0: x=1; [b]; y=2          T1: y=1; [b]; x=2                  index x*4 + y
   Powers off with 0. Registers: r24 CPU, r25 CPU count, r14 &x, r15 &y, r16 &results,
   r17 test, r18 variant (0 none, 1 lwsync, 2 sync), r19 iteration, r26 return address. */
#include "runtime.S"
#define ITER 200

/* The variant's barrier between a thread's two accesses (clobbers CR1). */
.macro BAR
    cmpdi   1, 18, 1
    blt     1, 9f
    beq     1, 8f
    sync
    b       9f
8:  lwsync
9:
.endm

    .section .vectors, "ax"
vectors:
    DEFAULT_VECTORS

    .text
    .globl _start
_start:
    cmpdi   4, 0
    bne     1f
    COPY_VECTORS
1:  ld      25, 8(3)                    /* CPU count */
    mr      24, 4
    LA      14, var_x
    LA      15, var_y
    LA      16, results
    li      17, 0                       /* test */
test_loop:
    li      18, 0                       /* variant */
variant_loop:
    cmpdi   24, 0
    bne     2f
    LA      9, hist                     /* CPU 0 clears the histogram */
    li      10, 16
    mtctr   10
    li      10, 0
1:  std     10, 0(9)
    addi    9, 9, 8
    bdnz    1b
2:  li      19, 0                       /* iteration */
iter_loop:
    bl      barrier
    sldi    5, 24, 2                    /* skew */
    addi    5, 5, 7
    mulld   5, 5, 19
    mulli   6, 17, 3
    add     5, 5, 6
    mulli   6, 18, 5
    add     5, 5, 6
    li      6, 29
    divdu   7, 5, 6
    mulld   7, 7, 6
    subf    5, 7, 5
    addi    5, 5, 1
    mtctr   5
3:  bdnz    3b
    bl      body
    bl      barrier
    cmpdi   24, 0
    bne     4f
    bl      tally
4:  addi    19, 19, 1
    cmpdi   19, ITER
    bne     iter_loop
    cmpdi   24, 0
    bne     5f
    bl      report
5:  addi    18, 18, 1
    cmpdi   18, 3
    bne     variant_loop
    addi    17, 17, 1
    cmpdi   17, 5
    bne     test_loop
    bl      barrier
    cmpdi   24, 0
    bne     park
    li      3, 0
    bl      power_off
park:
    b       park

/* body: this CPU's part of test r17; results to results[cpu] (+0, +8). r9 = 1, r10 = 2. */
body:
    li      9, 1
    li      10, 2
    cmpdi   17, 0
    beq     body_mp
    cmpdi   17, 1
    beq     body_sb
    cmpdi   17, 2
    beq     body_lb
    cmpdi   17, 3
    beq     body_iriw
    b       body_22w
body_mp:
    cmpdi   24, 0
    beq     1f
    cmpdi   24, 1
    bne     body_done
    lwz     11, 0(15)
    BAR
    lwz     12, 0(14)
    b       store_results
1:  stw     9, 0(14)
    BAR
    stw     9, 0(15)
    blr
body_sb:
    cmpdi   24, 0
    beq     1f
    cmpdi   24, 1
    bne     body_done
    stw     9, 0(15)
    BAR
    lwz     11, 0(14)
    b       store_results
1:  stw     9, 0(14)
    BAR
    lwz     11, 0(15)
    b       store_results
body_lb:
    cmpdi   24, 0
    beq     1f
    cmpdi   24, 1
    bne     body_done
    lwz     11, 0(15)
    BAR
    stw     9, 0(14)
    b       store_results
1:  lwz     11, 0(14)
    BAR
    stw     9, 0(15)
    b       store_results
body_iriw:
    cmpdi   24, 0
    beq     1f
    cmpdi   24, 1
    beq     2f
    cmpdi   24, 2
    beq     3f
    cmpdi   24, 3
    bne     body_done
    lwz     11, 0(15)                   /* T3: r2 = y; r3 = x */
    BAR
    lwz     12, 0(14)
    b       store_results
3:  lwz     11, 0(14)                   /* T2: r0 = x; r1 = y */
    BAR
    lwz     12, 0(15)
    b       store_results
2:  stw     9, 0(15)
    blr
1:  stw     9, 0(14)
    blr
body_22w:
    cmpdi   24, 0
    beq     1f
    cmpdi   24, 1
    bne     body_done
    stw     9, 0(15)
    BAR
    stw     10, 0(14)
    blr
1:  stw     9, 0(14)
    BAR
    stw     10, 0(15)
    blr
store_results:
    sldi    5, 24, 4
    add     5, 16, 5
    std     11, 0(5)
    std     12, 8(5)
body_done:
    blr

/* tally (CPU 0): outcome index of test r17 -> hist[index] += 1; reset x, y, results. */
tally:
    cmpdi   17, 0
    beq     1f
    cmpdi   17, 3
    beq     2f
    cmpdi   17, 4
    beq     3f
    ld      11, 0(16)                   /* SB, LB: r0 = results[0].a, r1 = results[1].a */
    ld      12, 16(16)
    sldi    11, 11, 1
    add     11, 11, 12
    b       8f
1:  ld      11, 16(16)                  /* MP: r0, r1 of T1 */
    ld      12, 24(16)
    sldi    11, 11, 1
    add     11, 11, 12
    b       8f
2:  ld      11, 32(16)                  /* IRIW: T2 r0 r1, T3 r2 r3 */
    ld      12, 40(16)
    sldi    11, 11, 3
    sldi    12, 12, 2
    add     11, 11, 12
    ld      12, 48(16)
    sldi    12, 12, 1
    add     11, 11, 12
    ld      12, 56(16)
    add     11, 11, 12
    b       8f
3:  lwz     11, 0(14)                   /* 2+2W: final x, y (a lost store shows as a 0) */
    lwz     12, 0(15)
    sldi    11, 11, 2
    add     11, 11, 12
8:  andi.   11, 11, 15
    sldi    11, 11, 3
    LA      5, hist
    add     5, 5, 11
    ld      12, 0(5)
    addi    12, 12, 1
    std     12, 0(5)
    li      12, 0
    stw     12, 0(14)
    stw     12, 0(15)
    li      11, 8
    mtctr   11
    mr      5, 16
9:  std     12, 0(5)
    addi    5, 5, 8
    bdnz    9b
    blr

/* report (CPU 0): "<name> <variant>: c0 c1 ..." (16 counts for IRIW and 2+2W, 4 otherwise). */
report:
    mflr    26
    LA      3, names
    sldi    5, 17, 3
    add     3, 3, 5
    bl      puts
    LA      3, variants
    sldi    5, 18, 4
    add     3, 3, 5
    bl      puts
    li      27, 4
    cmpdi   17, 3
    blt     2f
    li      27, 16
2:  LA      28, hist
3:  li      3, 32
    bl      putc
    ld      3, 0(28)
    bl      putdec
    addi    28, 28, 8
    addi    27, 27, -1
    cmpdi   27, 0
    bne     3b
    li      3, 10
    bl      putc
    mtlr    26
    blr

#include "barrier.inc"

    .data
names:    .asciz "MP     "
          .asciz "SB     "
          .asciz "LB     "
          .asciz "IRIW   "
          .asciz "2+2W   "
    .balign 16
variants: .asciz " none:"
    .balign 16
          .asciz " lwsync:"
    .balign 16
          .asciz " sync:"
    .balign 128
var_x:     .quad 0
    .balign 128
var_y:     .quad 0
    .balign 128
bar_count: .long 0
    .balign 128
bar_gen:   .long 0
    .balign 128
results:   .space 64
    .balign 128
hist:      .space 128
