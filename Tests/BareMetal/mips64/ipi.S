/* ipi.S: inter-processor interrupts (4 CPUs). CPUs 1-3 enable the IPI bit of their interrupt
   controller and Status.IM2, count themselves ready and idle in `wait`. CPU 0 waits for all
   three, then sends an IPI to CPU 3, 2 and 1 (in that order). Each handler acknowledges the
   IPI, appends its CPU number to a shared list (LL/SC) and counts an answer. CPU 0 prints the
   order in which the list was appended: "ipi: answered 123" — the IPIs arrive ipiLatency cycles
   after each send (2 cycles apart, all inside one scheduling quantum), and within a quantum the
   scheduler runs CPUs in index order, so memory sees CPU 1 first. Exit status 0. */
    .set noreorder
#include "runtime.S"

    .section .vectors, "ax"
vectors:
    .org 0x180
    b       interrupt
    nop

    .text
    .globl _start
_start:
    PROLOGUE
    bnez    $a1, secondary
    nop
    dla     $t0, ready
1:  ld      $t1, 0($t0)
    li      $t2, 3
    bne     $t1, $t2, 1b
    nop
    dli     $t8, MMIO + IC_BASE
    li      $t0, 3
    sd      $t0, 0x18($t8)
    li      $t0, 2
    sd      $t0, 0x18($t8)
    li      $t0, 1
    sd      $t0, 0x18($t8)
    dla     $t0, answers
2:  ld      $t1, 0($t0)
    li      $t2, 3
    bne     $t1, $t2, 2b
    nop
    dla     $a0, msg_done
    jal     puts
    nop
    dla     $a0, order
    jal     puts
    nop
    jal     putc
    li      $a0, 10
    jal     power_off
    li      $a0, 0

secondary:
    dli     $t8, MMIO + IC_BASE
    dsll    $t0, $a1, 8
    daddu   $t8, $t8, $t0
    li      $t0, 1
    sd      $t0, 8($t8)                 /* ENABLE = IPI */
    li      $t0, 0x4E1                  /* IM2 | KX SX UX | IE */
    mtc0    $t0, $12
    dla     $t0, ready
1:  lld     $t1, 0($t0)
    daddiu  $t1, $t1, 1
    scd     $t1, 0($t0)
    beqz    $t1, 1b
    nop
2:  wait
    b       2b
    nop

interrupt:
    mfc0    $k0, $13
    andi    $k0, $k0, 0x7C
    bnez    $k0, unexpected
    nop
    mfc0    $t3, $15, 1
    andi    $t3, $t3, 0x3FF             /* CPU number from EBase */
    dli     $t8, MMIO + IC_BASE
    dsll    $t0, $t3, 8
    daddu   $t8, $t8, $t0
    ld      $t0, 0($t8)                 /* PENDING */
    sd      $t0, 0x10($t8)              /* ACK */
    dla     $t0, count
1:  ll      $t1, 0($t0)
    addiu   $t2, $t1, 1
    sc      $t2, 0($t0)
    beqz    $t2, 1b
    nop
    dla     $t0, order
    daddu   $t0, $t0, $t1
    daddiu  $t2, $t3, 48
    sb      $t2, 0($t0)
    sync
    dla     $t0, answers
2:  lld     $t1, 0($t0)
    daddiu  $t1, $t1, 1
    scd     $t1, 0($t0)
    beqz    $t1, 2b
    nop
    eret

unexpected:
    jal     power_off
    li      $a0, 3

    .data
    .balign 64
ready:    .dword 0
    .balign 64
answers:  .dword 0
    .balign 64
count:    .word 0
    .balign 64
order:    .asciz "..."
msg_done: .asciz "ipi: answered "
