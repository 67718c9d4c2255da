/* vector_fault.S: an interrupt vector whose own first instruction raises the same interrupt
   again. The CPU count picks the variant n = CPUs - 1 (boot information, free of device side
   effects); CPUs other than 0 idle in a branch to self. CPU 0 stores that variant's instruction
   word at its vector (physical 0x600, 0x700 or 0x800; the rest of the low area is zero) and
   branches there. The instruction interrupts as ordinary code, the interrupt enters the same
   vector, which interrupts again: no instruction completes, so k42sim must halt with "exception
   loop" (status 3), not run to --max-cycles. Variants (Power ISA 2.07
   Book III-S ch. 6): 0 trap (tw 31,0,0: program 0x700, SRR1 trap), 1 mfspr of an SPR k42sim
   does not implement (privileged state: program 0x700, illegal), 2 fadd with MSR[FP] = 0 (FP
   unavailable 0x800), 3 lwarx at a misaligned address (r5 = 0x100001: alignment 0x600). sc is
   no such case: it completes (SRR0 = the next instruction), so a system call vector executing
   sc is an endless loop like `b .`. More than 4 CPUs exit 1. */
#include "runtime.S"

    .text
    .globl _start
_start:
    cmpdi   4, 0
    bne     idle
    ld      6, 8(3)             /* boot information: CPU count */
    addi    6, 6, -1
    cmpldi  6, 4
    bge     bad
    mulli   6, 6, 16
    LA      7, variants
    add     6, 6, 7
    lis     5, 0x10
    ori     5, 5, 1             /* r5 = 0x100001 (lwarx) */
    lwz     8, 0(6)             /* the instruction word */
    ld      10, 8(6)            /* its vector */
    stw     8, 0(10)
    sync
    icbi    0, 10
    isync
    mtctr   10
    bctr
idle:
    b       idle

bad:
    LA      3, msg_bad
    bl      puts
    li      3, 1
    bl      power_off

    .section .rodata
    .balign 8
variants:                       /* instruction word (padded to 8 bytes), vector */
    tw      31, 0, 0
    .long   0
    .quad   0x700
    mfspr   3, 1008
    .long   0
    .quad   0x700
    fadd    0, 0, 0
    .long   0
    .quad   0x800
    lwarx   3, 0, 5
    .long   0
    .quad   0x600
msg_bad: .asciz "vector_fault: 1-4 CPUs pick the variant\n"
