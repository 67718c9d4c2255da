/* user_priv.S (1 CPU): problem-state code tries what only the kernel may do, and the kernel
   reports each interrupt (vector, SRR0, SRR1 bits 33:36|42:47, DAR/DSISR for data storage) and
   skips the instruction (SRR0 += 4). Power ISA 2.07 Book III-S: mtmsrd and mfspr SPRG0 ->
   program interrupt, SRR1[45] privileged (6.5.9); load / store of a page with PP = 00 under
   key Kp = 1 -> data storage interrupt, DSISR[36] protection (| DSISR[38] store), DAR = the
   address (6.5.3, 5.7.10.1); load from an EA with no SLB entry -> data segment interrupt 0x380,
   DAR (6.5.4); fadd with MSR[FP] = 0 -> FP unavailable 0x800 (6.5.10); tw 31 -> program,
   SRR1[46] trap; word 0 -> program, SRR1[44] illegal; then sc ends the run. */
#include "runtime.S"

    .section .vectors, "ax"
vectors:
    VECTOR 0x100, unexpected
    VECTOR 0x200, unexpected
    VECTOR 0x300, report
    VECTOR 0x380, report
    VECTOR 0x400, unexpected
    VECTOR 0x480, unexpected
    VECTOR 0x500, unexpected
    VECTOR 0x600, unexpected
    VECTOR 0x700, report
    VECTOR 0x800, report
    VECTOR 0x900, unexpected
    VECTOR 0xC00, sc_handler
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
    lis     3, HTAB@h
    mtspr   SPR_SDR1, 3
    li      3, 0x123
    sldi    3, 3, 12
    ori     3, 3, 0x400         /* Kp = 1, Ks = 0 */
    lis     4, 0x1000
    oris    4, 4, 0x0800
    slbmte  3, 4
    isync
    lis     3, 0x1000           /* user code, PP = 10 */
    LA      4, user_code
    li      5, 2
    li      6, 0x123
    bl      insert_pte
    lis     3, 0x1000           /* kernel-only page at EA 0x1000_2000, PP = 00 */
    ori     3, 3, 0x2000
    LA      4, kernel_page
    li      5, 0
    li      6, 0x123
    bl      insert_pte
    lis     3, 0x1000
    mtspr   SPR_SRR0, 3
    mfmsr   3
    ori     3, 3, MSR_PR | MSR_IR_DR
    mtspr   SPR_SRR1, 3
    rfid
idle:
    b       idle

report:
    LA      3, msg_vec
    bl      puts
    mr      3, 20
    bl      puthex
    LA      3, msg_usrr0
    bl      puts
    mfspr   3, SPR_SRR0
    bl      puthex
    LA      3, msg_usrr1
    bl      puts
    mfspr   3, SPR_SRR1
    lis     4, 0x783F
    and     3, 3, 4
    bl      puthex
    cmpdi   20, 0x380
    beq     2f
    cmpdi   20, 0x300
    bne     3f
    LA      3, msg_dsisr
    bl      puts
    mfspr   3, SPR_DSISR
    bl      puthex
2:  LA      3, msg_dar
    bl      puts
    mfspr   3, SPR_DAR
    bl      puthex
3:  li      3, 10
    bl      putc
    mfspr   3, SPR_SRR0
    addi    3, 3, 4
    mtspr   SPR_SRR0, 3
    rfid

sc_handler:
    LA      3, msg_exit
    bl      puts
    li      3, 0
    bl      power_off

    .section .user, "ax"
    .balign 4096
user_code:
    mtmsrd  14
    lis     14, 0x1000
    ori     14, 14, 0x2000
    ld      15, 0(14)
    std     15, 0(14)
    lis     16, 0x2000
    ld      15, 0(16)
    mfspr   15, 272
    fadd    1, 1, 1
    tw      31, 0, 0
    .long   0
    sc
    .balign 4096
kernel_page:
    .quad   0x5A5A

    .section .rodata
msg_vec:   .asciz "vec "
msg_usrr0:  .asciz " srr0 "
msg_usrr1:  .asciz " srr1 "
msg_dsisr: .asciz " dsisr "
msg_dar:   .asciz " dar "
msg_exit:  .asciz "user: exit\n"
