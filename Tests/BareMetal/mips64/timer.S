/* timer.S: Count/Compare timer ticks (1 CPU). Compare is set 50000 cycles ahead of Count = 0;
   the CPU waits (idle, no host time) and takes 5 timer interrupts (IP7) at the general vector;
   each handler reads Count (which tells the exact cycle the interrupt was taken), prints it and
   moves Compare 50000 further (clearing Cause.TI). Expected console: "tick 1 count 50005" ...
   "tick 5 count 250005", then "timer: 5 ticks" and exit 0. */
    .set noreorder
#include "runtime.S"

    .section .vectors, "ax"
vectors:
    .org 0x180
    mfc0    $k0, $13
    andi    $k0, $k0, 0x7C
    bnez    $k0, unexpected
    nop
    mfc0    $s1, $9                     /* Count, 5th instruction of the handler */
    daddiu  $s0, $s0, 1
    mfc0    $k0, $11
    li      $k1, 50000
    addu    $k0, $k0, $k1
    mtc0    $k0, $11
    dla     $a0, msg_tick
    jal     puts
    nop
    jal     putdec
    move    $a0, $s0
    dla     $a0, msg_count
    jal     puts
    nop
    jal     putdec
    move    $a0, $s1
    jal     putc
    li      $a0, 10
    eret

    .text
    .globl _start
_start:
    PROLOGUE
    li      $s0, 0
    mtc0    $zero, $9                   /* Count = 0 from the next cycle on */
    li      $t0, 50000
    mtc0    $t0, $11
    li      $t0, 0x80E1                 /* IM7 | KX SX UX | IE */
    mtc0    $t0, $12
1:  wait
    li      $t0, 5
    bne     $s0, $t0, 1b
    nop
    dla     $a0, msg_done
    jal     puts
    nop
    jal     power_off
    li      $a0, 0

unexpected:
    jal     power_off
    li      $a0, 3

    .data
msg_tick:  .asciz "tick "
msg_count: .asciz " count "
msg_done:  .asciz "timer: 5 ticks\n"
