/* dec.S (1 CPU): decrementer ticks. The kernel writes DEC = K - 1 (K = 10000), reads TB, sets
   MSR[EE] and idles in a branch to itself. A decrementer exception exists while DEC bit 0 is 1
   (Power ISA 2.07 Book III-S 7.3 and 6.5.11): the interrupt is taken at the cycle DEC turns
   negative. The handler reads TB first (at the vector), rewrites DEC so the next tick comes K
   cycles after this one (its mtspr is the vector's third instruction: DEC = K - 4), prints the TB
   difference to the previous tick and returns to the idle loop; after 5 ticks it powers off.
   Expected: "tick n delta 10000" five times. */
#include "runtime.S"
#define K 10000

    .section .vectors, "ax"
vectors:
    VECTOR 0x100, unexpected
    VECTOR 0x200, unexpected
    VECTOR 0x300, unexpected
    VECTOR 0x380, unexpected
    VECTOR 0x400, unexpected
    VECTOR 0x480, unexpected
    VECTOR 0x500, unexpected
    VECTOR 0x600, unexpected
    VECTOR 0x700, unexpected
    VECTOR 0x800, unexpected
    .org 0x900
    mftb    24
    li      22, K - 4
    mtspr   SPR_DEC, 22
    GOTO    tick
    VECTOR 0xC00, unexpected
    VECTOR 0xD00, unexpected
    VECTOR 0xF20, unexpected
    VECTOR 0xF40, unexpected
    .org 0x1000

    .text
    .globl _start
_start:
    cmpdi   4, 0
    bne     idle
    COPY_VECTORS
    li      28, 0
    li      3, K - 1
    mtspr   SPR_DEC, 3
    mftb    23
    mfmsr   3
    ori     3, 3, MSR_EE
    mtmsrd  3, 1
idle:
    b       idle

tick:
    addi    28, 28, 1
    LA      3, msg_tick
    bl      puts
    mr      3, 28
    bl      putdec
    LA      3, msg_delta
    bl      puts
    subf    3, 23, 24
    bl      putdec
    li      3, 10
    bl      putc
    mr      23, 24
    cmpdi   28, 5
    blt     1f
    LA      3, msg_done
    bl      puts
    li      3, 0
    bl      power_off
1:  rfid

    .section .rodata
msg_tick:  .asciz "tick "
msg_delta: .asciz " delta "
msg_done:  .asciz "dec: 5 ticks\n"
