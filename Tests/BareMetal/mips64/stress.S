/* stress.S: randomized multi-CPU memory traffic for the coherence checking mode (run with
   --check-coherence on 2+ nodes). Every CPU runs OPS pseudo-random operations (64-bit LCG
   seeded by the CPU number) on two shared regions: region A (2 KiB in node 0's memory, .data)
   gets loads, stores, cache Hit_Writeback_Inv_D and Hit_Writeback_D; region B (16 counters,
   one per 128-byte line, in node 1's memory through xkphys cached) gets LL/SC increments.
   Each CPU adds its number of increments to `total` (LL/SC); CPU 0 waits for all CPUs, then
   checks sum(region B) == total and prints "stress: ok <total>" (exit 0) or
   "stress: lost updates" (exit 1). */
    .set noreorder
#include "runtime.S"
#define OPS 4000

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
    ld      $t1, 0x20($t0)              /* memory per node: region B = node 1 + 1 MiB */
    lui     $t2, 0x10
    daddu   $t1, $t1, $t2
    dli     $t2, 0x9800000000000000     /* xkphys, cacheable */
    or      $s2, $t1, $t2
    move    $s0, $a1
    dla     $s1, region_a
    daddiu  $s3, $a1, 1                 /* LCG state */
    dli     $s4, 6364136223846793005
    dli     $s5, 1442695040888963407
    li      $s6, OPS
    li      $s8, 0                      /* increments done */
loop:
    dmultu  $s3, $s4
    mflo    $s3
    daddu   $s3, $s3, $s5
    dsrl    $t0, $s3, 33
    andi    $t1, $t0, 0x7F8             /* offset in region A (8-byte aligned) */
    daddu   $t1, $s1, $t1
    dsrl    $t2, $t0, 12
    andi    $t2, $t2, 7                 /* operation */
    li      $t3, 4
    sltu    $t3, $t2, $t3
    bnez    $t3, 1f                     /* 0-3: load / store */
    li      $t3, 6
    beq     $t2, $t3, 2f                /* 6: flush line */
    li      $t3, 7
    beq     $t2, $t3, 3f                /* 7: clean line */
    nop
    dsrl    $t3, $t0, 16                /* 4-5: LL/SC increment of counter (r >> 16) & 15 */
    andi    $t3, $t3, 15
    dsll    $t3, $t3, 7
    daddu   $t3, $s2, $t3
4:  lld     $v1, 0($t3)
    daddiu  $v1, $v1, 1
    scd     $v1, 0($t3)
    beqz    $v1, 4b
    nop
    b       next
    daddiu  $s8, $s8, 1
1:  andi    $t3, $t2, 1
    bnez    $t3, 5f
    nop
    ld      $v1, 0($t1)
    b       next
    nop
5:  sd      $s3, 0($t1)
    b       next
    nop
2:  cache   0x15, 0($t1)
    b       next
    nop
3:  cache   0x19, 0($t1)
next:
    daddiu  $s6, $s6, -1
    bnez    $s6, loop
    nop
    dla     $t0, total
6:  lld     $t1, 0($t0)
    daddu   $t1, $t1, $s8
    scd     $t1, 0($t0)
    beqz    $t1, 6b
    nop
    dla     $t0, done
7:  ll      $t1, 0($t0)
    addiu   $t1, $t1, 1
    sc      $t1, 0($t0)
    beqz    $t1, 7b
    nop
    bnez    $s0, park
    nop
8:  lw      $t1, 0($t0)
    bne     $t1, $s7, 8b
    nop
    li      $t1, 16                     /* sum region B */
    move    $t2, $s2
    li      $s3, 0
9:  ld      $t3, 0($t2)
    daddu   $s3, $s3, $t3
    daddiu  $t1, $t1, -1
    bnez    $t1, 9b
    daddiu  $t2, $t2, 128
    dla     $t0, total
    ld      $s4, 0($t0)
    bne     $s3, $s4, bad
    nop
    dla     $a0, okmsg
    jal     puts
    nop
    jal     putdec
    move    $a0, $s4
    jal     putc
    li      $a0, 10
    jal     power_off
    li      $a0, 0
bad:
    dla     $a0, badmsg
    jal     puts
    nop
    jal     power_off
    li      $a0, 1
park:
    wait
    b       park
    nop

    .data
okmsg:  .asciz "stress: ok "
badmsg: .asciz "stress: lost updates\n"
    .balign 128
total:  .dword 0
    .balign 128
done:   .word 0
    .balign 128
region_a: .space 2048
