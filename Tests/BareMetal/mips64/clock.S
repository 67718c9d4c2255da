/* clock.S (1 CPU): both ISAs count cycles the same way (ppc64/clock.S is the same program).
   The sixth instruction from reset (index 5) reads the machine clock (CYCLES); an instruction
   that reads the clock counts itself, so it reads 6, stored at physical 0x8000. Then the CPU
   starts its own device timer (TIMER = 100) in the instruction after a second clock read
   (stored at 0x8008) and runs straight-line code (an interrupt is not taken between a branch and
   its delay slot), then spins, without idling: the timer interrupt must be taken exactly 100
   cycles after the TIMER store — an event a CPU schedules for itself inside its run is
   delivered at its exact cycle (PlatformDevicesTests reads the interrupt's cycle from the
   exception history). The handler powers the machine off (status 0). */
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
    lui     $t8, 0x9000
    dsll32  $t8, $t8, 0
    ori     $t9, $zero, 0xFFF
    dsll    $t9, $t9, 28
    or      $t8, $t8, $t9               /* t8 = MMIO, in five instructions */
    ld      $t1, CLOCK($t8)             /* index 5: reads 6 */
    PROLOGUE
    lui     $t2, 0x8000
    ori     $t2, $t2, 0x8000            /* ckseg0: physical 0x8000 */
    sd      $t1, 0($t2)
    dli     $t9, MMIO + IC_BASE
    li      $t0, 4
    sd      $t0, 8($t9)                 /* ENABLE = device timer */
    li      $t0, 0x4E1                  /* IM2 | KX SX UX | IE */
    mtc0    $t0, $12
    li      $t0, 100
    ld      $t1, CLOCK($t8)
    sd      $t0, 0x20($t9)              /* TIMER = 100, one cycle after the read */
    sd      $t1, 8($t2)
    .rept   200                         /* straight-line code: the interrupt lands here, not */
    nop                                 /* between a branch and its delay slot */
    .endr
1:  b       1b
    daddiu  $t3, $t3, 1
