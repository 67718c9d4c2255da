// vectors.S (PPC64): the interrupt vectors and the trap entry and return. The vector block is
// linked in the image and copied by CPU 0 to physical 0x100 ... 0x2000 (entry.S), where the CPU
// takes interrupts in real mode. A vector saves r11-r13 in the per-CPU area (SPRG0 = its
// physical address, SPRG1 = scratch for r13) and branches to the common entry, which saves
// every register into a trap frame on the current kernel stack (below the ELFv2 ABI's 288-byte
// protected zone, which compiled code uses without moving r1) — or, from problem state, on the
// thread's kernel stack (PCA_KSTACK) — through the frame's physical address, then enters the
// linear map with rfid at k42_trap_entry (EE still off), which calls k42_trap(frame) in Swift.
// k42_trap_return(frame) restores a frame exactly (also used to enter user mode). The system
// reset vector (0x100) only serves the wake-up from nap, which resumes after the nap.
#include "layout.h"

.macro VECTOR offset
        .org    \offset
        mtspr   273, 13                 /* SPRG1 = r13 */
        mfspr   13, 272                 /* r13 = per-CPU area (physical) */
        std     12, PCA_R12(13)
        li      12, \offset
        b       k42_exc_common
.endm

        .section .text.vectors, "ax", @progbits
        .balign 4096
        .globl  k42_vectors
k42_vectors:
        .org    0x100                   /* system reset: only as the wake-up from nap */
        rfid
        VECTOR  0x200                   /* machine check */
        VECTOR  0x300                   /* data storage */
        VECTOR  0x380                   /* data segment */
        VECTOR  0x400                   /* instruction storage */
        VECTOR  0x480                   /* instruction segment */
        VECTOR  0x500                   /* external */
        VECTOR  0x600                   /* alignment */
        VECTOR  0x700                   /* program */
        VECTOR  0x800                   /* FP unavailable */
        VECTOR  0x900                   /* decrementer */
        VECTOR  0xC00                   /* system call */
        VECTOR  0xD00                   /* trace */
        VECTOR  0xF20                   /* vector unavailable */
        VECTOR  0xF40                   /* VSX unavailable */

        .org    0x1000
k42_exc_common:                         /* real mode; r12 = vector, r12/r13 saved */
        std     11, PCA_R11(13)
        std     1, PCA_R1(13)
        mfcr    11
        std     11, PCA_CR(13)
        mfsrr1  11
        andi.   11, 11, 0x4000          /* MSR[PR]: from problem state? */
        beq     1f
        ld      1, PCA_KSTACK(13)
1:      srdi    11, 1, 36
        cmpldi  11, KBASE_SHIFT36
        bne     k42_exc_badstack
        addi    1, 1, -(TF_SIZE + RED_ZONE) /* below the interrupted code's protected zone */
        clrldi  11, 1, 24               /* the frame's physical address */
        std     0, 0(11)
        std     2, 16(11)
        std     3, 24(11)
        std     4, 32(11)
        std     5, 40(11)
        std     6, 48(11)
        std     7, 56(11)
        std     8, 64(11)
        std     9, 72(11)
        std     10, 80(11)
        std     14, 112(11)
        std     15, 120(11)
        std     16, 128(11)
        std     17, 136(11)
        std     18, 144(11)
        std     19, 152(11)
        std     20, 160(11)
        std     21, 168(11)
        std     22, 176(11)
        std     23, 184(11)
        std     24, 192(11)
        std     25, 200(11)
        std     26, 208(11)
        std     27, 216(11)
        std     28, 224(11)
        std     29, 232(11)
        std     30, 240(11)
        std     31, 248(11)
        ld      0, PCA_R1(13)
        std     0, 8(11)
        ld      0, PCA_R11(13)
        std     0, 88(11)
        ld      0, PCA_R12(13)
        std     0, 96(11)
        mfspr   0, 273
        std     0, 104(11)
        ld      0, PCA_CR(13)
        std     0, TF_CR(11)
        mflr    0
        std     0, TF_LR(11)
        mfctr   0
        std     0, TF_CTR(11)
        mfxer   0
        std     0, TF_XER(11)
        mfsrr0  0
        std     0, TF_SRR0(11)
        mfsrr1  0
        std     0, TF_SRR1(11)
        mfspr   0, 19                   /* DAR */
        std     0, TF_DAR(11)
        mfspr   0, 18                   /* DSISR */
        std     0, TF_DSISR(11)
        std     12, TF_VECTOR(11)
        mfmsr   0
        ori     0, 0, 0x2000            /* FP on to save the FPRs */
        mtmsrd  0
        isync
        stfd    0, TF_FPR+0(11)
        stfd    1, TF_FPR+8(11)
        stfd    2, TF_FPR+16(11)
        stfd    3, TF_FPR+24(11)
        stfd    4, TF_FPR+32(11)
        stfd    5, TF_FPR+40(11)
        stfd    6, TF_FPR+48(11)
        stfd    7, TF_FPR+56(11)
        stfd    8, TF_FPR+64(11)
        stfd    9, TF_FPR+72(11)
        stfd    10, TF_FPR+80(11)
        stfd    11, TF_FPR+88(11)
        stfd    12, TF_FPR+96(11)
        stfd    13, TF_FPR+104(11)
        stfd    14, TF_FPR+112(11)
        stfd    15, TF_FPR+120(11)
        stfd    16, TF_FPR+128(11)
        stfd    17, TF_FPR+136(11)
        stfd    18, TF_FPR+144(11)
        stfd    19, TF_FPR+152(11)
        stfd    20, TF_FPR+160(11)
        stfd    21, TF_FPR+168(11)
        stfd    22, TF_FPR+176(11)
        stfd    23, TF_FPR+184(11)
        stfd    24, TF_FPR+192(11)
        stfd    25, TF_FPR+200(11)
        stfd    26, TF_FPR+208(11)
        stfd    27, TF_FPR+216(11)
        stfd    28, TF_FPR+224(11)
        stfd    29, TF_FPR+232(11)
        stfd    30, TF_FPR+240(11)
        stfd    31, TF_FPR+248(11)
        mffs    0
        stfd    0, TF_FPSCR(11)
        LOAD64  2, .TOC.
        LOAD64  12, k42_trap_entry
        mtsrr0  12
        LOAD64  0, (MSR_KERNEL_HI << 48) | MSR_KERNEL_LO
        mtsrr1  0
        mr      3, 1
        rfid

/* A kernel stack pointer outside the linear map: panic on this CPU's boot stack. */
k42_exc_badstack:
        ld      3, PCA_R1(13)           /* the bad sp */
        mfsrr0  4
        mr      5, 12
        mfspr   6, 1023                 /* PIR */
        LOAD64  1, __boot_stacks
        addi    6, 6, 1
        sldi    6, 6, BOOT_STACK_SHIFT
        add     1, 1, 6
        addi    1, 1, -32
        LOAD64  2, .TOC.
        LOAD64  12, k42_panic_bad_stack
        mtsrr0  12
        LOAD64  0, (MSR_KERNEL_HI << 48) | MSR_KERNEL_LO
        mtsrr1  0
        rfid
        .org    0x2000
k42_vectors_end:

        .text
/* k42_trap_entry(r3 = frame), in the linear map, EE off. */
        .globl  k42_trap_entry
k42_trap_entry:
        li      0, 0
        stdu    0, -32(1)
        bl      k42_trap
        nop
        addi    3, 1, 32
        /* fall through */

/* k42_trap_return(r3 = trap frame): restores it and returns with rfid. */
        .globl  k42_trap_return
k42_trap_return:
        li      4, 2                    /* EE off (RI on) */
        mtmsrd  4, 1
        lfd     0, TF_FPSCR(3)
        mtfsf   0xff, 0
        lfd     0, TF_FPR+0(3)
        lfd     1, TF_FPR+8(3)
        lfd     2, TF_FPR+16(3)
        lfd     3, TF_FPR+24(3)
        lfd     4, TF_FPR+32(3)
        lfd     5, TF_FPR+40(3)
        lfd     6, TF_FPR+48(3)
        lfd     7, TF_FPR+56(3)
        lfd     8, TF_FPR+64(3)
        lfd     9, TF_FPR+72(3)
        lfd     10, TF_FPR+80(3)
        lfd     11, TF_FPR+88(3)
        lfd     12, TF_FPR+96(3)
        lfd     13, TF_FPR+104(3)
        lfd     14, TF_FPR+112(3)
        lfd     15, TF_FPR+120(3)
        lfd     16, TF_FPR+128(3)
        lfd     17, TF_FPR+136(3)
        lfd     18, TF_FPR+144(3)
        lfd     19, TF_FPR+152(3)
        lfd     20, TF_FPR+160(3)
        lfd     21, TF_FPR+168(3)
        lfd     22, TF_FPR+176(3)
        lfd     23, TF_FPR+184(3)
        lfd     24, TF_FPR+192(3)
        lfd     25, TF_FPR+200(3)
        lfd     26, TF_FPR+208(3)
        lfd     27, TF_FPR+216(3)
        lfd     28, TF_FPR+224(3)
        lfd     29, TF_FPR+232(3)
        lfd     30, TF_FPR+240(3)
        lfd     31, TF_FPR+248(3)
        ld      4, TF_CR(3)
        mtcr    4
        ld      4, TF_LR(3)
        mtlr    4
        ld      4, TF_CTR(3)
        mtctr   4
        ld      4, TF_XER(3)
        mtxer   4
        ld      4, TF_SRR0(3)
        mtsrr0  4
        ld      4, TF_SRR1(3)
        mtsrr1  4
        ld      0, 0(3)
        ld      2, 16(3)
        ld      5, 40(3)
        ld      6, 48(3)
        ld      7, 56(3)
        ld      8, 64(3)
        ld      9, 72(3)
        ld      10, 80(3)
        ld      11, 88(3)
        ld      12, 96(3)
        ld      13, 104(3)
        ld      14, 112(3)
        ld      15, 120(3)
        ld      16, 128(3)
        ld      17, 136(3)
        ld      18, 144(3)
        ld      19, 152(3)
        ld      20, 160(3)
        ld      21, 168(3)
        ld      22, 176(3)
        ld      23, 184(3)
        ld      24, 192(3)
        ld      25, 200(3)
        ld      26, 208(3)
        ld      27, 216(3)
        ld      28, 224(3)
        ld      29, 232(3)
        ld      30, 240(3)
        ld      31, 248(3)
        ld      4, 32(3)
        ld      1, 8(3)
        ld      3, 24(3)
        rfid
