/* numa.S: NUMA latency and placement on power5-ppc64 (8 CPUs, 4 nodes x 2; PPC64 port of
   ../mips64/numa.S).
   1. Ping-pong: for each partner p of `partners` (CPU 1 on node 0, CPU 2 on node 1, CPU 6 on
      node 3), a fresh line homed on node 0 is written by CPU 0, then ROUNDS times CPU p and
      then CPU 0 each load and store it (taking it from the other CPU's cache), separated by
      barriers. `timed` measures the load + store with mftb (the time base = the cycle counter)
      inside one instruction-cache line; each CPU sums its measurements.
   2. Placement (CPU 2, node 1, alone): `roi` resets statistics, loads one word from each of
      LINES fresh lines and dumps statistics — first a warm-up (node 1 memory, dump 0), then
      node 1 memory (local, dump 1), then node 0 memory (remote, dump 2).
   CPU 0 prints "pingpong <p> <sum of CPU 0> <sum of CPU p>" per partner and powers off.
   Registers: r24 CPU, r25 CPU count, r23 memory per node, r17 partner index, r18 partner,
   r19 line, r20 sum, r21 round. */
#include "runtime.S"
#define SIMCALL 0x3000
#define ROUNDS  20
#define LINES   64

    .section .vectors, "ax"
vectors:
    DEFAULT_VECTORS

    .text
    .globl _start
_start:
    cmpdi   4, 0
    bne     1f
    COPY_VECTORS
1:  ld      25, 8(3)
    ld      23, 0x20(3)
    mr      24, 4
    li      17, 0
partner_loop:
    LA      9, partners
    sldi    10, 17, 3
    add     9, 9, 10
    ld      18, 0(9)
    LA      19, pp_lines
    sldi    10, 17, 7
    add     19, 19, 10
    li      20, 0
    bl      barrier
    cmpdi   24, 0
    bne     1f
    std     17, 0(19)                   /* CPU 0 owns the line (M) */
1:  bl      barrier
    li      21, ROUNDS
round:
    cmpd    24, 18
    bne     2f
    mr      3, 19
    bl      timed
    add     20, 20, 3
2:  bl      barrier
    cmpdi   24, 0
    bne     3f
    mr      3, 19
    bl      timed
    add     20, 20, 3
3:  bl      barrier
    addi    21, 21, -1
    cmpdi   21, 0
    bne     round
    LA      9, sums                     /* sums[partner][cpu 0 / partner] */
    sldi    10, 17, 4
    add     9, 9, 10
    cmpdi   24, 0
    bne     4f
    std     20, 0(9)
4:  cmpd    24, 18
    bne     5f
    std     20, 8(9)
5:  addi    17, 17, 1
    cmpdi   17, 3
    bne     partner_loop
    bl      barrier                     /* placement: CPU 2 only */
    cmpdi   24, 2
    bne     6f
    lis     9, 0x20                     /* warm-up: node 1 + 2 MiB */
    add     3, 23, 9
    li      4, LINES
    bl      roi
    lis     9, 0x10                     /* local: node 1 + 1 MiB */
    add     3, 23, 9
    li      4, LINES
    bl      roi
    LA      3, ft_remote                /* remote: node 0 */
    li      4, LINES
    bl      roi
6:  bl      barrier
    cmpdi   24, 0
    bne     park
    li      17, 0
7:  LA      3, ppmsg
    bl      puts
    LA      9, partners
    sldi    10, 17, 3
    add     9, 9, 10
    ld      3, 0(9)
    bl      putdec
    LA      19, sums
    sldi    10, 17, 4
    add     19, 19, 10
    li      3, 32
    bl      putc
    ld      3, 0(19)
    bl      putdec
    li      3, 32
    bl      putc
    ld      3, 8(19)
    bl      putdec
    li      3, 10
    bl      putc
    addi    17, 17, 1
    cmpdi   17, 3
    bne     7b
    li      3, 0
    bl      power_off
park:
    b       park

/* timed(r3 = line): r3 = cycles of `ld; std` on the line (between two mftb). */
    .balign 128
timed:
    mftb    5
    ld      6, 0(3)
    std     6, 0(3)
    mftb    7
    subf    3, 5, 7
    blr

/* roi(r3 = base, r4 = lines): reset statistics, one load per 128-byte line, dump statistics. */
    .balign 128
roi:
    MMIO    8
    li      9, 3
    std     9, SIMCALL+0x10(8)
    mtctr   4
1:  ld      9, 0(3)
    addi    3, 3, 128
    bdnz    1b
    li      9, 4
    std     9, SIMCALL+0x10(8)
    blr

#include "barrier.inc"

    .data
ppmsg:    .asciz "pingpong "
    .balign 8
partners: .quad 1, 2, 6
sums:     .space 48
    .balign 128
bar_count: .long 0
    .balign 128
bar_gen:   .long 0
    .balign 128
pp_lines:  .space 384
    .balign 128
ft_remote: .space LINES * 128
