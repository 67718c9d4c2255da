/* spinlock.S: an LL/SC spinlock shared by all CPUs (run with 8). Every CPU takes the lock
   ITERATIONS times and increments a plain (non-atomic) counter inside it, then counts itself
   done with LL/SC; CPU 0 waits for all CPUs and prints "spinlock: counter <n>" and exits 0 if
   n = ITERATIONS * CPU count (from the boot-information block), 1 otherwise. */
    .set noreorder
#include "runtime.S"
#define ITERATIONS 200

    .section .vectors, "ax"
vectors:
    .org 0x180
    jal     power_off
    li      $a0, 3

    .text
    .globl _start
_start:
    PROLOGUE
    lui     $t0, 0x8000                 /* ckseg0 view of the boot-information block */
    or      $t0, $a0, $t0
    ld      $s7, 8($t0)                 /* CPU count */
    li      $s0, ITERATIONS
    dla     $s1, lock
    dla     $s2, counter
loop:
1:  ll      $t1, 0($s1)
    bnez    $t1, 1b
    li      $t1, 1
    sc      $t1, 0($s1)
    beqz    $t1, 1b
    nop
    sync
    ld      $t3, 0($s2)
    daddiu  $t3, $t3, 1
    sd      $t3, 0($s2)
    sync
    sw      $zero, 0($s1)
    daddiu  $s0, $s0, -1
    bnez    $s0, loop
    nop
    dla     $t0, done
2:  ll      $t1, 0($t0)
    addiu   $t1, $t1, 1
    sc      $t1, 0($t0)
    beqz    $t1, 2b
    nop
    bnez    $a1, park
    nop
3:  lw      $t1, 0($t0)
    bne     $t1, $s7, 3b
    nop
    dla     $a0, msg
    jal     puts
    nop
    ld      $s3, 0($s2)
    jal     putdec
    move    $a0, $s3
    jal     putc
    li      $a0, 10
    li      $t0, ITERATIONS
    dmultu  $t0, $s7
    mflo    $t0
    li      $a0, 0
    bne     $t0, $s3, 4f
    nop
    jal     power_off
    nop
4:  jal     power_off
    li      $a0, 1
park:
    wait
    b       park
    nop

    .data
    .balign 64
lock:    .word 0
    .balign 64
counter: .dword 0
    .balign 64
done:    .word 0
msg:     .asciz "spinlock: counter "
