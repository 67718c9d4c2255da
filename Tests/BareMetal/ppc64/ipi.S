/* ipi.S (4 CPUs): CPU 0 copies the vectors, enables IPIs in its interrupt-controller page,
   releases the others (flag `ready`) and sends an IPI to CPUs 1-3 (docs/platform.md), then idles
   with MSR[EE] = 1 in a branch to itself. Each secondary waits for `ready`, enables IPIs, sets
   MSR[EE] and idles. The controller line is the external interrupt (0x500, Power ISA 2.07 Book
   III-S 6.5.7): the handler acknowledges PENDING; a secondary adds 100 + its PIR to `sum` and
   increments `answers` (ldarx/stdcx.), then sends an IPI back to CPU 0; CPU 0 powers off once
   `answers` is 3 (IPIs to one CPU may coalesce into one interrupt). */
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

/* r9 = this CPU's interrupt-controller page (r4 = CPU number); clobbers r10. */
.macro MY_IC
    MMIO    9
    addis   9, 9, 1
    sldi    10, 4, 8
    add     9, 9, 10
.endm

    .text
    .globl _start
_start:
    cmpdi   4, 0
    bne     secondary
    COPY_VECTORS
    MY_IC
    li      10, 1
    std     10, 8(9)            /* ENABLE: IPI */
    LA      11, ready
    li      10, 1
    std     10, 0(11)
    sync
    li      10, 1
    std     10, 0x18(9)         /* IPI to CPU 1, 2, 3 */
    li      10, 2
    std     10, 0x18(9)
    li      10, 3
    std     10, 0x18(9)
    b       wait

secondary:
    LA      11, ready
1:  ld      10, 0(11)
    cmpdi   10, 0
    beq     1b
    isync
    MY_IC
    li      10, 1
    std     10, 8(9)
wait:
    mfmsr   3
    ori     3, 3, MSR_EE
    mtmsrd  3, 1
idle:
    b       idle

external:
    mfspr   4, SPR_PIR
    MY_IC
    ld      10, 0(9)
    std     10, 0x10(9)         /* ACK what is pending */
    cmpdi   4, 0
    beq     cpu0
    LA      11, sum
1:  ldarx   10, 0, 11
    add     10, 10, 4
    addi    10, 10, 100
    stdcx.  10, 0, 11
    bne-    1b
    LA      11, answers
2:  ldarx   10, 0, 11
    addi    10, 10, 1
    stdcx.  10, 0, 11
    bne-    2b
    li      10, 0
    std     10, 0x18(9)         /* IPI to CPU 0 */
    rfid
cpu0:
    LA      11, answers
    ld      10, 0(11)
    cmpdi   10, 3
    beq     3f
    rfid
3:  LA      3, msg_answered
    bl      puts
    LA      11, answers
    ld      3, 0(11)
    bl      putdec
    LA      3, msg_sum
    bl      puts
    LA      11, sum
    ld      3, 0(11)
    bl      putdec
    li      3, 10
    bl      putc
    li      3, 0
    bl      power_off

    .data
    .balign 8
ready:   .quad 0
sum:     .quad 0
answers: .quad 0

    .section .rodata
msg_answered: .asciz "ipi: answered "
msg_sum:      .asciz " sum "
