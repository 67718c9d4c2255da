/* cache_sweep.S: working-set / stride sweeps for the analytic cache tests (1 CPU, timing on).
   For each (size, stride) of `sweeps`: one warm-up pass over the array, sim-call "ROI begin"
   (op 1: resets statistics), PASSES passes that load every stride-th byte of the first `size`
   bytes, sim-call "ROI end" (op 2: dumps statistics) — one statistics block per region. Between reset and dump the only data accesses are those loads (the
   sim-call port is uncached device space) and the loop needs no stack. The array is aligned to
   128 KiB, so byte offset o is in L1D set (o / line) mod sets for every geometry tested.
   Prints "sweeps <n>" and powers off with 0. */
    .set noreorder
#include "runtime.S"
#define SIMCALL 0x3000                    /* ARG0 0, ARG1 8, OP 0x10 */
#define PASSES  3

    .section .vectors, "ax"
vectors:
    .org 0x180
    jal     power_off
    li      $a0, 3

    .text
    .globl _start
_start:
    PROLOGUE
    dla     $s0, sweeps
    li      $s2, 0                      /* sweeps done */
next:
    ld      $s3, 0($s0)                 /* size (0 ends the table) */
    beqz    $s3, done
    ld      $s4, 8($s0)                 /* stride */
    dla     $a0, array
    move    $a1, $s3
    move    $a2, $s4
    jal     sweep
    li      $a3, 1                      /* warm-up pass */
    dli     $s5, MMIO
    sd      $s2, SIMCALL($s5)           /* ARG0 = region id */
    li      $t0, 1
    sd      $t0, SIMCALL+0x10($s5)      /* ROI begin: reset statistics */
    dla     $a0, array
    move    $a1, $s3
    move    $a2, $s4
    jal     sweep
    li      $a3, PASSES
    li      $t0, 2
    sd      $t0, SIMCALL+0x10($s5)      /* ROI end: dump statistics */
    daddiu  $s2, $s2, 1
    b       next
    daddiu  $s0, $s0, 16
done:
    dla     $a0, msg
    jal     puts
    nop
    jal     putdec
    move    $a0, $s2
    jal     putc
    li      $a0, 10
    jal     power_off
    li      $a0, 0

/* sweep(a0 = base, a1 = size, a2 = stride, a3 = passes): loads only, no stack. */
    .balign 128
sweep:
1:  move    $t1, $a0
    daddu   $t2, $a0, $a1
2:  ld      $t3, 0($t1)
    daddu   $t1, $t1, $a2
    sltu    $v1, $t1, $t2
    bnez    $v1, 2b
    nop
    daddiu  $a3, $a3, -1
    bnez    $a3, 1b
    nop
    jr      $ra
    nop

    .data
msg:    .asciz "sweeps "
    .balign 8
/* (size, stride) pairs; keep in sync with CacheTimingTests.sweeps. */
sweeps:
    .dword 8192, 8
    .dword 32768, 8
    .dword 32768, 128
    .dword 32768, 256
    .dword 49152, 128
    .dword 65536, 8
    .dword 65536, 128
    .dword 65536, 256
    .dword 16384, 4096
    .dword 65536, 4096
    .dword 131072, 512
    .dword 0, 0
    .balign 131072
array:
    .space 131072
