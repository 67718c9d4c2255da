/* clock.S (1 CPU): both ISAs count cycles the same way (mips64/clock.S is the same program).
   The sixth instruction from reset (index 5) reads the machine clock (CYCLES); an instruction
   that reads the clock counts itself, so it reads 6, stored at physical 0x8000. Then the CPU
   starts its own device timer (TIMER = 100) in the instruction after a second clock read
   (stored at 0x8008) and runs straight-line code, then spins, without idling: the external interrupt must be taken exactly
   100 cycles after the TIMER store — an event a CPU schedules for itself inside its run is
   delivered at its exact cycle (PlatformDevicesTests reads the interrupt's cycle from the
   interrupt history). The handler (0x500) powers the machine off (status 0). */
#include "runtime.S"

    .section .vectors, "ax"
vectors:
    VECTOR 0x100, unexpected
    VECTOR 0x200, unexpected
    VECTOR 0x300, unexpected
    VECTOR 0x380, unexpected
    VECTOR 0x400, unexpected
    VECTOR 0x480, unexpected
    VECTOR 0x500, external
    VECTOR 0x600, unexpected
    VECTOR 0x700, unexpected
    VECTOR 0x800, unexpected
    VECTOR 0x900, unexpected
    VECTOR 0xC00, unexpected
    VECTOR 0xD00, unexpected
    VECTOR 0xF20, unexpected
    VECTOR 0xF40, unexpected
    .org 0x1000

    .text
    .globl _start
_start:
    nop
    nop
    nop
    MMIO    9                   /* two instructions */
    ld      8, 0x2000(9)        /* index 5: reads 6 */
    COPY_VECTORS                /* clobbers r9-r12 */
    MMIO    9
    li      7, 1
    sldi    7, 7, 15            /* physical 0x8000 */
    std     8, 0(7)
    addis   12, 9, 1            /* CPU 0's interrupt controller: MMIO + 0x10000 */
    li      10, 4
    std     10, 8(12)           /* ENABLE = device timer */
    mfmsr   3
    ori     3, 3, MSR_EE
    mtmsrd  3, 1
    li      10, 100
    ld      8, 0x2000(9)
    std     10, 0x20(12)        /* TIMER = 100, one cycle after the read */
    std     8, 8(7)
    .rept   200                 /* straight-line code: the interrupt lands here */
    nop
    .endr
spin:
    addi    11, 11, 1
    b       spin

external:
    li      3, 0
    bl      power_off
