/* ipi_latency.S (2 CPUs): when a timed IPI arrives. CPU 1 enables IPIs in its interrupt
   controller and Status (IM2, IE), flags `ready` and idles in `wait`. CPU 0 waits for the flag,
   reads the machine clock (CYCLES) and, in the very next instruction, sends an IPI to CPU 1; it
   stores the clock value at physical 0x8000 and idles. CPU 1's interrupt handler powers the
   machine off (status 0). The IPI store happens one cycle after the clock read, so the
   interrupt, taken at the exact cycle the IPI becomes pending (docs/platform.md), is at cycle
   clock + 1 + ipiLatency of CPU 1 (PlatformDevicesTests reads both). */
    .set noreorder
#include "runtime.S"

    .section .vectors, "ax"
vectors:
    .org 0x180
    jal     power_off
    li      $a0, 0

    .text
    .globl _start
_start:
    PROLOGUE
    bnez    $a1, secondary
    nop
    dla     $t0, ready
1:  ld      $t1, 0($t0)
    beqz    $t1, 1b
    nop
    dli     $t8, MMIO
    dli     $t9, MMIO + IC_BASE
    li      $t0, 1
    ld      $t1, CLOCK($t8)             /* CYCLES */
    sd      $t0, 0x18($t9)              /* IPI to CPU 1 */
    lui     $t2, 0x8000
    ori     $t2, $t2, 0x8000            /* ckseg0: physical 0x8000 */
    sd      $t1, 0($t2)
2:  wait
    b       2b
    nop

secondary:
    dli     $t8, MMIO + IC_BASE + 0x100
    li      $t0, 1
    sd      $t0, 8($t8)                 /* ENABLE = IPI */
    li      $t0, 0x4E1                  /* IM2 | KX SX UX | IE */
    mtc0    $t0, $12
    dla     $t0, ready
    li      $t1, 1
    sd      $t1, 0($t0)
3:  wait
    b       3b
    nop

    .data
    .balign 8
ready:  .quad 0
