/* bench.S: a CPU-bound workload for scripts/bench-timing. Every CPU runs TOTAL / (CPU count)
   passes over its own 16 KiB array (in the L1D), so the machine's total work is the same for
   any CPU count (~67 M instructions): per 8 bytes a load, an add, a shift/xor mix and a store,
   plus the loop branch — integer ALU, loads, stores and branches with caches, coherence and
   timing on. CPU 0 waits for all CPUs and powers off with 0. */
    .set noreorder
#include "runtime.S"
#define TOTAL 4096

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
    ld      $s7, 8($t0)
    move    $s0, $a1
    dla     $s1, arrays
    dsll    $t0, $a1, 15                /* 32 KiB apart */
    daddu   $s1, $s1, $t0
    li      $s2, TOTAL
    divu    $zero, $s2, $s7
    mflo    $s2
    li      $s3, 0x1234
1:  move    $t0, $s1
    daddiu  $t1, $s1, 16384
2:  ld      $t2, 0($t0)
    daddu   $t2, $t2, $s3
    dsll    $t3, $t2, 3
    xor     $s3, $s3, $t3
    sd      $t2, 0($t0)
    daddiu  $t0, $t0, 8
    bne     $t0, $t1, 2b
    nop
    daddiu  $s2, $s2, -1
    bnez    $s2, 1b
    nop
    dla     $t0, done
3:  ll      $t1, 0($t0)
    addiu   $t1, $t1, 1
    sc      $t1, 0($t0)
    beqz    $t1, 3b
    nop
    bnez    $s0, park
    nop
4:  lw      $t1, 0($t0)
    bne     $t1, $s7, 4b
    nop
    jal     power_off
    li      $a0, 0
park:
    wait
    b       park
    nop

    .data
    .balign 128
done:   .word 0
    .balign 4096
arrays: .space 16 * 32768
