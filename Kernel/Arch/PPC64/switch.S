// switch.S (PPC64): kernel-thread context switch, the first frame of a new thread, entering
// and leaving user mode, and the few-instruction SPR accessors Swift calls (Arch.swift). The
// switch saves what the ELFv2 ABI says a callee preserves (r14-r31, CR fields 2-4, f14-f31, LR);
// r2 is the kernel's TOC everywhere and the trap entry reloads it.
#include "layout.h"

        .text
.macro SAVE_NONVOLATILE
        mflr    0
        std     0, 16(1)
        stdu    1, -SW_SIZE(1)
        std     14, 32(1)
        std     15, 40(1)
        std     16, 48(1)
        std     17, 56(1)
        std     18, 64(1)
        std     19, 72(1)
        std     20, 80(1)
        std     21, 88(1)
        std     22, 96(1)
        std     23, 104(1)
        std     24, 112(1)
        std     25, 120(1)
        std     26, 128(1)
        std     27, 136(1)
        std     28, 144(1)
        std     29, 152(1)
        std     30, 160(1)
        std     31, 168(1)
        mfcr    0
        std     0, 176(1)
        stfd    14, 192(1)
        stfd    15, 200(1)
        stfd    16, 208(1)
        stfd    17, 216(1)
        stfd    18, 224(1)
        stfd    19, 232(1)
        stfd    20, 240(1)
        stfd    21, 248(1)
        stfd    22, 256(1)
        stfd    23, 264(1)
        stfd    24, 272(1)
        stfd    25, 280(1)
        stfd    26, 288(1)
        stfd    27, 296(1)
        stfd    28, 304(1)
        stfd    29, 312(1)
        stfd    30, 320(1)
        stfd    31, 328(1)
.endm

/* k42_switch(r3 = where to save the old sp, r4 = the new sp) */
        .globl  k42_switch
k42_switch:
        SAVE_NONVOLATILE
        std     1, 0(3)
        mr      1, 4
k42_switch_restore:
        ld      14, 32(1)
        ld      15, 40(1)
        ld      16, 48(1)
        ld      17, 56(1)
        ld      18, 64(1)
        ld      19, 72(1)
        ld      20, 80(1)
        ld      21, 88(1)
        ld      22, 96(1)
        ld      23, 104(1)
        ld      24, 112(1)
        ld      25, 120(1)
        ld      26, 128(1)
        ld      27, 136(1)
        ld      28, 144(1)
        ld      29, 152(1)
        ld      30, 160(1)
        ld      31, 168(1)
        ld      0, 176(1)
        mtcrf   0x38, 0
        lfd     14, 192(1)
        lfd     15, 200(1)
        lfd     16, 208(1)
        lfd     17, 216(1)
        lfd     18, 224(1)
        lfd     19, 232(1)
        lfd     20, 240(1)
        lfd     21, 248(1)
        lfd     22, 256(1)
        lfd     23, 264(1)
        lfd     24, 272(1)
        lfd     25, 280(1)
        lfd     26, 288(1)
        lfd     27, 296(1)
        lfd     28, 304(1)
        lfd     29, 312(1)
        lfd     30, 320(1)
        lfd     31, 328(1)
        addi    1, 1, SW_SIZE
        ld      0, 16(1)
        mtlr    0
        blr

/* A new thread's first switch frame returns here with r14 = its thread record. */
        .globl  k42_thread_start
k42_thread_start:
        mr      3, 14
        bl      k42_thread_main
        nop
1:      b       1b

/* k42_user_enter(r3 = user trap frame, r4 = where to save the kernel sp): saves the kernel
   context like k42_switch, makes traps from problem state use the stack below it (PCA_KSTACK)
   and restores the user frame. Returns (with k42_user_exit's value) when the kernel is done
   with the user code. EE must be off. */
        .globl  k42_user_enter
k42_user_enter:
        SAVE_NONVOLATILE
        std     1, 0(4)
        LOAD64  5, PERCPU_VA
        std     1, PCA_KSTACK(5)
        b       k42_trap_return

/* k42_user_exit(r3 = the sp k42_user_enter saved, r4 = its return value) */
        .globl  k42_user_exit
k42_user_exit:
        mr      1, 3
        mr      3, 4
        b       k42_switch_restore

        .globl  k42_arch_cpu_number
k42_arch_cpu_number:
        mfspr   3, 1023
        blr

/* k42_irq_disable() -> 1 if external/decrementer interrupts were enabled (MSR[EE]) */
        .globl  k42_irq_disable
k42_irq_disable:
        mfmsr   3
        li      4, 2
        mtmsrd  4, 1
        rldicl  3, 3, 49, 63
        blr

/* k42_irq_restore(r3 = what k42_irq_disable returned) */
        .globl  k42_irq_restore
k42_irq_restore:
        cmpdi   3, 0
        beqlr
        li      4, 2
        ori     4, 4, 0x8000
        mtmsrd  4, 1
        blr

/* k42_idle(): naps (EE off) until an external or decrementer exception exists; the system
   reset vector resumes here. */
        .globl  k42_idle
k42_idle:
        sync
        nap
        blr

        .globl  k42_sync
k42_sync:
        sync
        blr

        .globl  k42_pause
k42_pause:
        or      1, 1, 1
        blr

/* k42_set_dec(r3) */
        .globl  k42_set_dec
k42_set_dec:
        mtspr   22, 3
        blr

/* k42_set_sprg3(r3): SPRG3, readable in problem state as SPR 259: the running dispatcher's
   area address (User/Dispatcher.swift) */
        .globl  k42_set_sprg3
k42_set_sprg3:
        mtspr   275, 3
        blr

/* k42_set_sprg0(r3): the per-CPU area's physical address for the vectors */
        .globl  k42_set_sprg0
k42_set_sprg0:
        mtspr   272, 3
        blr

/* k42_slbmte(r3 = RS, r4 = RB); k42_slbmfev(r3 = index) -> VSID word; k42_slbmfee(r3) -> ESID */
        .globl  k42_slbmte
k42_slbmte:
        slbmte  3, 4
        isync
        blr

        .globl  k42_slbmfev
k42_slbmfev:
        slbmfev 3, 3
        blr

        .globl  k42_slbmfee
k42_slbmfee:
        slbmfee 3, 3
        blr

/* k42_hpte_write(r3 = PTE address, r4 = dword 0, r5 = dword 1): big-endian, dword 1 first */
        .globl  k42_hpte_write
k42_hpte_write:
        addi    6, 3, 8
        stdbrx  5, 0, 6
        eieio
        stdbrx  4, 0, 3
        ptesync
        blr

/* k42_tlbie(r3 = RB: virtual page and page-size fields) */
        .globl  k42_tlbie
k42_tlbie:
        ptesync
        tlbie   3, 0
        eieio
        tlbsync
        ptesync
        blr

/* k42_tlbiel(r3 = RB): this CPU's translations of the page only */
        .globl  k42_tlbiel
k42_tlbiel:
        ptesync
        tlbiel  3
        ptesync
        blr

/* k42_toc() -> r2 */
        .globl  k42_toc
k42_toc:
        mr      3, 2
        blr
