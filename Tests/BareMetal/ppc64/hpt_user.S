/* hpt_user.S (1 CPU): the kernel (hypervisor real mode) builds a hashed page table at 0x400000
   (SDR1) and an SLB entry (ESID 1 = EA 0x1000_0000, VSID 0x123, Kp = 1), maps the user code page,
   and enters problem state with rfid (SRR1 = MSR | PR | IR | DR). User code loads from EA
   0x1000_1000, which has no PTE: a data storage interrupt (0x300, DSISR[33] "no translation",
   DAR = the address; Power ISA 2.07 Book III-S 6.5.3) which the kernel resolves by inserting the
   PTE; the load is retried, the user adds 1 and returns the value with sc (0xC00, 6.5.14); the
   kernel prints it, SRR1[PR] and the DSI count, and powers off. RAM starts zeroed, so the page
   table is empty. Handlers clobber r3-r12, r20; user code keeps its values in r14-r19. */
#include "runtime.S"

    .section .vectors, "ax"
vectors:
    VECTOR 0x100, unexpected
    VECTOR 0x200, unexpected
    VECTOR 0x300, dsi_handler
    VECTOR 0x380, unexpected
    VECTOR 0x400, unexpected
    VECTOR 0x480, unexpected
    VECTOR 0x500, unexpected
    VECTOR 0x600, unexpected
    VECTOR 0x700, unexpected
    VECTOR 0x800, unexpected
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
    li      28, 0
    lis     3, HTAB@h           /* SDR1: HTABORG = 0x400000, HTABSIZE = 0 */
    mtspr   SPR_SDR1, 3
    li      3, 0x123            /* SLB: VSID 0x123, Kp = 1; ESID 1, V, index 0 */
    sldi    3, 3, 12
    ori     3, 3, 0x400
    lis     4, 0x1000
    oris    4, 4, 0x0800
    slbmte  3, 4
    isync
    lis     3, 0x1000           /* user code: EA 0x1000_0000, PP = 10 (user read/write) */
    LA      4, user_code
    li      5, 2
    li      6, 0x123
    bl      insert_pte
    LA      3, msg_enter
    bl      puts
    lis     3, 0x1000
    mtspr   SPR_SRR0, 3
    mfmsr   3
    ori     3, 3, MSR_PR | MSR_IR_DR
    mtspr   SPR_SRR1, 3
    rfid
idle:
    b       idle

dsi_handler:
    LA      3, msg_dsi
    bl      puts
    mfspr   3, SPR_DAR
    bl      puthex
    LA      3, msg_dsisr
    bl      puts
    mfspr   3, SPR_DSISR
    bl      puthex
    li      3, 10
    bl      putc
    mfspr   3, SPR_DAR
    rldicr  3, 3, 0, 51
    LA      4, user_data
    li      5, 2
    li      6, 0x123
    bl      insert_pte
    addi    28, 28, 1
    rfid

sc_handler:
    mr      14, 3
    LA      3, msg_sc
    bl      puts
    mr      3, 14
    bl      putdec
    LA      3, msg_pr
    bl      puts
    mfspr   3, SPR_SRR1
    rldicl  3, 3, 50, 63        /* SRR1[PR] (MSR bit 49) */
    bl      putdec
    LA      3, msg_count
    bl      puts
    mr      3, 28
    bl      putdec
    LA      3, msg_exit
    bl      puts
    li      3, 0
    bl      power_off

    .section .user, "ax"
    .balign 4096
user_code:
    lis     14, 0x1000
    ori     14, 14, 0x1000
    ld      15, 0(14)
    addi    15, 15, 1
    mr      3, 15
    sc
    b       .
    .balign 4096
user_data:
    .quad   41

    .section .rodata
msg_enter: .asciz "kernel: entering problem state\n"
msg_dsi:   .asciz "dsi dar "
msg_dsisr: .asciz " dsisr "
msg_sc:    .asciz "sc from user: "
msg_pr:    .asciz " pr "
msg_count: .asciz " dsi "
msg_exit:  .asciz "\nkernel: exit\n"
