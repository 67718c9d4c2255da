/* numa.S: NUMA latency and placement on origin-mips64 (8 CPUs, 4 nodes x 2, hypercube).
   1. Ping-pong: for each partner p of `partners` (CPU 1 on node 0, CPU 2 on node 1, CPU 6 on
      node 3), a fresh line homed on node 0 is written by CPU 0, then ROUNDS times CPU p and
      then CPU 0 each load and store it (taking it from the other CPU's cache), separated by
      barriers. `timed` measures the load + store with rdhwr $2 (the cycle counter) inside one
      instruction-cache line; each CPU sums its measurements.
   2. Placement (CPU 2, node 1, alone): `roi` resets statistics, loads one word from each of
      LINES fresh lines and dumps statistics — first a warm-up (node 1 memory, dump 0), then
      node 1 memory (local, dump 1), then node 0 memory (remote, dump 2).
   CPU 0 prints "pingpong <p> <sum of CPU 0> <sum of CPU p>" per partner and powers off. */
    .set noreorder
#include "runtime.S"
#define SIMCALL 0x3000
#define ROUNDS  20
#define LINES   64

    .section .vectors, "ax"
vectors:
    .org 0x180
    jal     power_off
    li      $a0, 3

    .text
    .globl _start
_start:
    PROLOGUE
    lui     $t0, 0x8000
    or      $t0, $a0, $t0
    ld      $s7, 8($t0)                 /* CPU count */
    ld      $s6, 0x20($t0)              /* memory per node */
    move    $s0, $a1
    li      $s5, 0                      /* partner index */
partner_loop:
    dla     $t0, partners
    dsll    $t1, $s5, 3
    daddu   $t0, $t0, $t1
    ld      $s2, 0($t0)                 /* partner p */
    dla     $s1, pp_lines
    dsll    $t1, $s5, 7
    daddu   $s1, $s1, $t1               /* this partner's line */
    li      $s3, 0                      /* sum */
    jal     barrier
    nop
    bnez    $s0, 1f
    nop
    sd      $s5, 0($s1)                 /* CPU 0 owns the line (M) */
1:  jal     barrier
    nop
    li      $s4, ROUNDS
round:
    bne     $s0, $s2, 2f
    nop
    jal     timed
    move    $a0, $s1
    daddu   $s3, $s3, $v0
2:  jal     barrier
    nop
    bnez    $s0, 3f
    nop
    jal     timed
    move    $a0, $s1
    daddu   $s3, $s3, $v0
3:  jal     barrier
    nop
    daddiu  $s4, $s4, -1
    bnez    $s4, round
    nop
    dla     $t0, sums                   /* sums[partner][cpu 0 / partner] */
    dsll    $t1, $s5, 4
    daddu   $t0, $t0, $t1
    bnez    $s0, 4f
    nop
    sd      $s3, 0($t0)
4:  bne     $s0, $s2, 5f
    nop
    sd      $s3, 8($t0)
5:  daddiu  $s5, $s5, 1
    li      $t0, 3
    bne     $s5, $t0, partner_loop
    nop
    /* placement: CPU 2 only */
    jal     barrier
    nop
    li      $t0, 2
    bne     $s0, $t0, 6f
    nop
    dli     $t2, 0x9800000000000000     /* xkphys cacheable */
    lui     $t1, 0x20                   /* warm-up: node 1 + 2 MiB */
    daddu   $a0, $s6, $t1
    or      $a0, $a0, $t2
    jal     roi
    li      $a1, LINES
    dli     $t2, 0x9800000000000000
    lui     $t1, 0x10                   /* local: node 1 + 1 MiB */
    daddu   $a0, $s6, $t1
    or      $a0, $a0, $t2
    jal     roi
    li      $a1, LINES
    dla     $a0, ft_remote              /* remote: node 0 */
    jal     roi
    li      $a1, LINES
6:  jal     barrier
    nop
    bnez    $s0, park
    nop
    li      $s5, 0
7:  dla     $a0, ppmsg
    jal     puts
    nop
    dla     $t0, partners
    dsll    $t1, $s5, 3
    daddu   $t0, $t0, $t1
    jal     putdec
    ld      $a0, 0($t0)
    dla     $s1, sums
    dsll    $t1, $s5, 4
    daddu   $s1, $s1, $t1
    jal     putc
    li      $a0, 32
    jal     putdec
    ld      $a0, 0($s1)
    jal     putc
    li      $a0, 32
    jal     putdec
    ld      $a0, 8($s1)
    jal     putc
    li      $a0, 10
    daddiu  $s5, $s5, 1
    li      $t0, 3
    bne     $s5, $t0, 7b
    nop
    jal     power_off
    li      $a0, 0
park:
    wait
    b       park
    nop

/* timed(a0 = line): v0 = cycles of `ld; sd` on the line (between two rdhwr $2). */
    .balign 128
timed:
    rdhwr   $t0, $2
    ld      $t1, 0($a0)
    sd      $t1, 0($a0)
    rdhwr   $t2, $2
    jr      $ra
    subu    $v0, $t2, $t0

/* roi(a0 = base, a1 = lines): reset statistics, one load per 128-byte line, dump statistics. */
    .balign 128
roi:
    dli     $t8, MMIO
    li      $t0, 3
    sd      $t0, SIMCALL+0x10($t8)
1:  ld      $t1, 0($a0)
    daddiu  $a1, $a1, -1
    bnez    $a1, 1b
    daddiu  $a0, $a0, 128
    li      $t0, 4
    sd      $t0, SIMCALL+0x10($t8)
    jr      $ra
    nop

#include "barrier.inc"

    .data
ppmsg:    .asciz "pingpong "
    .balign 8
partners: .dword 1, 2, 6
sums:     .space 48
    .balign 128
bar_count: .word 0
    .balign 128
bar_gen:   .word 0
    .balign 128
pp_lines:  .space 384
    .balign 128
ft_remote: .space LINES * 128
