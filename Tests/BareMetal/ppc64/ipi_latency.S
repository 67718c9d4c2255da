/* ipi_latency.S (2 CPUs): when a timed IPI arrives. CPU 0 copies the vectors; CPU 1 enables
   IPIs in its interrupt controller, flags `ready`, sets MSR[EE] and idles in a branch to itself.
   CPU 0 waits for the flag, reads the machine clock (CYCLES) and, in the very next instruction,
   sends an IPI to CPU 1; it stores the clock value at physical 0x8000 and idles. CPU 1's
   external interrupt handler (0x500) powers the machine off (status 0). The IPI store happens
   one cycle after the clock read, so the interrupt, taken at the exact cycle the IPI becomes
   pending (docs/platform.md), is at cycle clock + 1 + ipiLatency of CPU 1 (PlatformDevicesTests
   reads both). */
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
    cmpdi   4, 0
    bne     secondary
    COPY_VECTORS
    LA      11, ready
1:  ld      10, 0(11)
    cmpdi   10, 0
    beq     1b
    isync
    MMIO    9
    addis   12, 9, 1            /* interrupt controllers: MMIO + 0x10000 */
    li      10, 1
    ld      8, 0x2000(9)        /* CYCLES */
    std     10, 0x18(12)        /* IPI to CPU 1 */
    li      7, 1
    sldi    7, 7, 15            /* physical 0x8000 */
    std     8, 0(7)
idle0:
    b       idle0

secondary:
    MMIO    9
    addis   9, 9, 1
    addi    9, 9, 0x100         /* CPU 1's controller */
    li      10, 1
    std     10, 8(9)            /* ENABLE = IPI */
    LA      11, ready
    std     10, 0(11)
    mfmsr   3
    ori     3, 3, MSR_EE
    mtmsrd  3, 1
idle1:
    b       idle1

external:
    li      3, 0
    bl      power_off

    .data
    .balign 8
ready:  .quad 0
