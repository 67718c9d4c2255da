// vectors.S (MIPS64): exception vectors, trap entry and return, and the TLB helpers that must
// not take a TLB exception halfway. All of it runs unmapped, at the ckseg0 alias of this
// section (EBase = k42_vectors + KVA_TO_CK), and touches memory only through xkphys, so it works
// whatever EntryHi.ASID holds and whatever the TLB contains.
//
// TLB refill (offsets 0x000 and 0x080): a miss in the kernel's linear map [KBASE, KBASE+64 GiB)
// with the kernel ASID is refilled right here with a pair of 16 MiB pages (kva - KBASE = pa,
// cacheable, dirty, not global: only ASID 0 matches). Every other miss (user addresses, a user
// ASID touching kernel addresses) goes the general way to Swift (Trap.swift), which consults
// the address space or reports the fault.
//
// General exception (0x180; interrupts too, Cause.IV = 0): save every register into a trap
// frame (TF_* in layout.h) on the current kernel stack, or on the thread's kernel stack
// (PCA_KSTACK) when the exception came from user mode; switch EntryHi.ASID to the kernel's,
// leave exception level with interrupts still off and call k42_trap(frame) in Swift. A stack
// pointer outside the linear map is a kernel bug: panic on the boot stack instead.
// k42_trap_return(frame) restores a frame exactly (also used to enter user mode).
#include "layout.h"

        .set    noreorder
        .set    noat
        .section .text.vectors, "ax", @progbits
        .balign 4096
        .globl  k42_vectors
k42_vectors:
        .org    0x000                   /* TLB refill (32-bit addresses) */
        b       k42_refill
        nop

        .org    0x080                   /* XTLB refill */
k42_refill:
        dmfc0   $k0, $8                 /* BadVAddr */
        dsrl    $k1, $k0, 36
        xori    $k1, $k1, KBASE_SHIFT36
        bnez    $k1, k42_refill_other   /* not the linear map */
        nop
        mfc0    $k1, $10
        andi    $k1, $k1, 0xff
        bnez    $k1, k42_exc_general    /* a user ASID never gets kernel entries */
        nop
        dsll    $k0, $k0, 28
        dsrl    $k0, $k0, 53            /* 32 MiB pair index = va[35:25] */
        dsll    $k0, $k0, 19            /* (index << 25) >> 6: EntryLo's PFN field */
        ori     $k0, $k0, 0x1e          /* C = 3 (cacheable), D, V; G = 0 */
        dmtc0   $k0, $2                 /* EntryLo0 */
        lui     $k1, 0x4                /* + 16 MiB */
        daddu   $k0, $k0, $k1
        dmtc0   $k0, $3                 /* EntryLo1 */
        lui     $k1, 0x1ff
        ori     $k1, $k1, 0xe000
        mtc0    $k1, $5                 /* PageMask: 16 MiB */
        ehb
        tlbwr
        mtc0    $zero, $5
        eret

        .org    0x100                   /* cache error */
        b       k42_exc_general
        nop

        .org    0x180                   /* general exception */
        b       k42_exc_general
        nop

        .org    0x200                   /* interrupt with Cause.IV = 1 (not used) */
        b       k42_exc_general
        nop

        .org    0x280
/* Refill of the clustered-object local table (per CPU, ASID 0) from the EntryLo pairs its
   per-CPU area keeps; a pair not paged in yet (both halves 0) goes to Swift. */
k42_refill_other:
        dsrl    $k1, $k0, 24
        xori    $k1, $k1, LTT_TAG24
        bnez    $k1, k42_exc_general
        mfc0    $k1, $10
        andi    $k1, $k1, 0xff
        bnez    $k1, k42_exc_general
        nop
        mfc0    $k0, $15, 1
        andi    $k0, $k0, 0x3ff
        dsll    $k0, $k0, 3
        dla     $k1, k42_pca_xk + KVA_TO_CK
        daddu   $k1, $k1, $k0
        ld      $k1, 0($k1)             /* this CPU's per-CPU area, through xkphys */
        dmfc0   $k0, $8
        dsrl    $k0, $k0, 13
        andi    $k0, $k0, 0x7ff         /* pair index */
        dsll    $k0, $k0, 4
        daddu   $k1, $k1, $k0
        ld      $k0, PCA_LTT_PAIRS($k1)
        dmtc0   $k0, $2
        ld      $k1, PCA_LTT_PAIRS+8($k1)
        dmtc0   $k1, $3
        or      $k0, $k0, $k1
        beqz    $k0, k42_exc_general
        nop
        mtc0    $zero, $5
        ehb
        tlbwr
        eret

k42_exc_general:
        mfc0    $k0, $15, 1
        andi    $k0, $k0, 0x3ff
        dsll    $k0, $k0, 3
        dla     $k1, k42_pca_xk + KVA_TO_CK
        daddu   $k1, $k1, $k0
        ld      $k1, 0($k1)             /* this CPU's per-CPU area, through xkphys */
        sd      $sp, PCA_SAVE_SP($k1)
        mfc0    $k0, $12
        andi    $k0, $k0, 0x18          /* KSU: from user (or supervisor) mode? */
        beqz    $k0, 1f
        nop
        ld      $sp, PCA_KSTACK($k1)
1:      dsrl    $k0, $sp, 36
        xori    $k0, $k0, KBASE_SHIFT36
        bnez    $k0, k42_exc_badstack
        nop
        daddiu  $sp, $sp, -TF_SIZE
        dli     $k0, KVA_TO_XK
        daddu   $k0, $k0, $sp           /* the frame, through xkphys */
        sd      $1, 8($k0)
        sd      $2, 16($k0)
        sd      $3, 24($k0)
        sd      $4, 32($k0)
        sd      $5, 40($k0)
        sd      $6, 48($k0)
        sd      $7, 56($k0)
        sd      $8, 64($k0)
        sd      $9, 72($k0)
        sd      $10, 80($k0)
        sd      $11, 88($k0)
        sd      $12, 96($k0)
        sd      $13, 104($k0)
        sd      $14, 112($k0)
        sd      $15, 120($k0)
        sd      $16, 128($k0)
        sd      $17, 136($k0)
        sd      $18, 144($k0)
        sd      $19, 152($k0)
        sd      $20, 160($k0)
        sd      $21, 168($k0)
        sd      $22, 176($k0)
        sd      $23, 184($k0)
        sd      $24, 192($k0)
        sd      $25, 200($k0)
        sd      $28, 224($k0)
        sd      $30, 240($k0)
        sd      $31, 248($k0)
        ld      $1, PCA_SAVE_SP($k1)
        sd      $1, 232($k0)            /* the interrupted sp */
        sd      $zero, 0($k0)
        mfhi    $1
        sd      $1, TF_HI($k0)
        mflo    $1
        sd      $1, TF_LO($k0)
        dmfc0   $1, $14
        sd      $1, TF_EPC($k0)
        mfc0    $1, $12
        sd      $1, TF_STATUS($k0)
        mfc0    $1, $13
        sd      $1, TF_CAUSE($k0)
        dmfc0   $1, $8
        sd      $1, TF_BADVADDR($k0)
        dmfc0   $1, $10
        sd      $1, TF_ENTRYHI($k0)
        cfc1    $1, $31
        sd      $1, TF_FCSR($k0)
        sdc1    $f0, TF_FPR+0($k0)
        sdc1    $f1, TF_FPR+8($k0)
        sdc1    $f2, TF_FPR+16($k0)
        sdc1    $f3, TF_FPR+24($k0)
        sdc1    $f4, TF_FPR+32($k0)
        sdc1    $f5, TF_FPR+40($k0)
        sdc1    $f6, TF_FPR+48($k0)
        sdc1    $f7, TF_FPR+56($k0)
        sdc1    $f8, TF_FPR+64($k0)
        sdc1    $f9, TF_FPR+72($k0)
        sdc1    $f10, TF_FPR+80($k0)
        sdc1    $f11, TF_FPR+88($k0)
        sdc1    $f12, TF_FPR+96($k0)
        sdc1    $f13, TF_FPR+104($k0)
        sdc1    $f14, TF_FPR+112($k0)
        sdc1    $f15, TF_FPR+120($k0)
        sdc1    $f16, TF_FPR+128($k0)
        sdc1    $f17, TF_FPR+136($k0)
        sdc1    $f18, TF_FPR+144($k0)
        sdc1    $f19, TF_FPR+152($k0)
        sdc1    $f20, TF_FPR+160($k0)
        sdc1    $f21, TF_FPR+168($k0)
        sdc1    $f22, TF_FPR+176($k0)
        sdc1    $f23, TF_FPR+184($k0)
        sdc1    $f24, TF_FPR+192($k0)
        sdc1    $f25, TF_FPR+200($k0)
        sdc1    $f26, TF_FPR+208($k0)
        sdc1    $f27, TF_FPR+216($k0)
        sdc1    $f28, TF_FPR+224($k0)
        sdc1    $f29, TF_FPR+232($k0)
        sdc1    $f30, TF_FPR+240($k0)
        sdc1    $f31, TF_FPR+248($k0)
        /* kernel ASID, then kernel mode at normal level with interrupts off */
        dmfc0   $t0, $10
        dsrl    $t0, $t0, 8
        dsll    $t0, $t0, 8
        dmtc0   $t0, $10
        mfc0    $t0, $12
        li      $t1, -32                /* clear KSU, ERL, EXL, IE */
        and     $t0, $t0, $t1
        mtc0    $t0, $12
        ehb
        move    $a0, $sp
        dla     $t9, k42_trap
        jalr    $t9
        nop
        move    $a0, $sp
        /* fall through */

/* k42_trap_return(a0 = trap frame in the linear map): restores it and erets. Runs at exception
   level from its first instruction on, so nothing can interrupt the restore. */
        .globl  k42_trap_return_ck
k42_trap_return_ck:
        mfc0    $t0, $12
        ori     $t0, $t0, 2             /* EXL */
        mtc0    $t0, $12
        ehb
        dli     $k0, KVA_TO_XK
        daddu   $k0, $k0, $a0
        ld      $t0, TF_EPC($k0)
        dmtc0   $t0, $14
        dmfc0   $t1, $10
        dsrl    $t1, $t1, 8
        dsll    $t1, $t1, 8
        ld      $t0, TF_ENTRYHI($k0)
        andi    $t0, $t0, 0xff
        or      $t1, $t1, $t0
        dmtc0   $t1, $10                /* the interrupted context's ASID */
        ld      $t0, TF_STATUS($k0)
        ori     $t0, $t0, 2             /* stay at exception level until eret */
        mtc0    $t0, $12
        ehb
        ld      $t0, TF_FCSR($k0)
        ctc1    $t0, $31
        ldc1    $f0, TF_FPR+0($k0)
        ldc1    $f1, TF_FPR+8($k0)
        ldc1    $f2, TF_FPR+16($k0)
        ldc1    $f3, TF_FPR+24($k0)
        ldc1    $f4, TF_FPR+32($k0)
        ldc1    $f5, TF_FPR+40($k0)
        ldc1    $f6, TF_FPR+48($k0)
        ldc1    $f7, TF_FPR+56($k0)
        ldc1    $f8, TF_FPR+64($k0)
        ldc1    $f9, TF_FPR+72($k0)
        ldc1    $f10, TF_FPR+80($k0)
        ldc1    $f11, TF_FPR+88($k0)
        ldc1    $f12, TF_FPR+96($k0)
        ldc1    $f13, TF_FPR+104($k0)
        ldc1    $f14, TF_FPR+112($k0)
        ldc1    $f15, TF_FPR+120($k0)
        ldc1    $f16, TF_FPR+128($k0)
        ldc1    $f17, TF_FPR+136($k0)
        ldc1    $f18, TF_FPR+144($k0)
        ldc1    $f19, TF_FPR+152($k0)
        ldc1    $f20, TF_FPR+160($k0)
        ldc1    $f21, TF_FPR+168($k0)
        ldc1    $f22, TF_FPR+176($k0)
        ldc1    $f23, TF_FPR+184($k0)
        ldc1    $f24, TF_FPR+192($k0)
        ldc1    $f25, TF_FPR+200($k0)
        ldc1    $f26, TF_FPR+208($k0)
        ldc1    $f27, TF_FPR+216($k0)
        ldc1    $f28, TF_FPR+224($k0)
        ldc1    $f29, TF_FPR+232($k0)
        ldc1    $f30, TF_FPR+240($k0)
        ldc1    $f31, TF_FPR+248($k0)
        ld      $1, TF_HI($k0)
        mthi    $1
        ld      $1, TF_LO($k0)
        mtlo    $1
        ld      $1, 8($k0)
        ld      $2, 16($k0)
        ld      $3, 24($k0)
        ld      $4, 32($k0)
        ld      $5, 40($k0)
        ld      $6, 48($k0)
        ld      $7, 56($k0)
        ld      $8, 64($k0)
        ld      $9, 72($k0)
        ld      $10, 80($k0)
        ld      $11, 88($k0)
        ld      $12, 96($k0)
        ld      $13, 104($k0)
        ld      $14, 112($k0)
        ld      $15, 120($k0)
        ld      $16, 128($k0)
        ld      $17, 136($k0)
        ld      $18, 144($k0)
        ld      $19, 152($k0)
        ld      $20, 160($k0)
        ld      $21, 168($k0)
        ld      $22, 176($k0)
        ld      $23, 184($k0)
        ld      $24, 192($k0)
        ld      $25, 200($k0)
        ld      $28, 224($k0)
        ld      $30, 240($k0)
        ld      $31, 248($k0)
        ld      $29, 232($k0)
        eret

/* A kernel stack pointer outside the linear map: panic on this CPU's boot stack. */
k42_exc_badstack:
        mfc0    $k0, $15, 1
        andi    $k0, $k0, 0x3ff
        daddiu  $k0, $k0, 1
        dsll    $k0, $k0, BOOT_STACK_SHIFT
        dla     $sp, __boot_stacks
        daddu   $sp, $sp, $k0
        ld      $a0, PCA_SAVE_SP($k1)
        dmfc0   $a1, $14
        mfc0    $a2, $13
        dmfc0   $t0, $10
        dsrl    $t0, $t0, 8
        dsll    $t0, $t0, 8
        dmtc0   $t0, $10
        mfc0    $t0, $12
        li      $t1, -32
        and     $t0, $t0, $t1
        mtc0    $t0, $12
        ehb
        dla     $t9, k42_panic_bad_stack
        jalr    $t9
        nop
2:      wait
        b       2b
        nop

/* TLB helpers (C ABI, called through the KVA trampolines below), interrupts off inside so no
   exception can change EntryHi between its write and the TLB write; EntryHi and PageMask are
   restored. */
/* k42_tlbwi_ck(a0 = index, a1 = EntryHi, a2 = EntryLo0, a3 = EntryLo1, a4 = PageMask) */
k42_tlbwi_ck:
        di      $t3
        ehb
        dmfc0   $t0, $10
        mtc0    $a0, $0
        mtc0    $a4, $5
        dmtc0   $a1, $10
        dmtc0   $a2, $2
        dmtc0   $a3, $3
        ehb
        tlbwi
        dmtc0   $t0, $10
        mtc0    $zero, $5
        ehb
        mtc0    $t3, $12
        ehb
        jr      $ra
        nop
/* k42_tlbwr_ck(a0 = EntryHi, a1 = EntryLo0, a2 = EntryLo1, a3 = PageMask) */
k42_tlbwr_ck:
        di      $t3
        ehb
        dmfc0   $t0, $10
        mtc0    $a3, $5
        dmtc0   $a0, $10
        dmtc0   $a1, $2
        dmtc0   $a2, $3
        ehb
        tlbwr
        dmtc0   $t0, $10
        mtc0    $zero, $5
        ehb
        mtc0    $t3, $12
        ehb
        jr      $ra
        nop
/* k42_tlbr_ck(a0 = index, a1 = out[4]: EntryHi, EntryLo0, EntryLo1, PageMask) */
k42_tlbr_ck:
        di      $t3
        ehb
        dmfc0   $t0, $10
        mtc0    $a0, $0
        ehb
        tlbr
        ehb
        dmfc0   $t1, $10
        sd      $t1, 0($a1)
        dmfc0   $t1, $2
        sd      $t1, 8($a1)
        dmfc0   $t1, $3
        sd      $t1, 16($a1)
        mfc0    $t1, $5
        sd      $t1, 24($a1)
        dmtc0   $t0, $10
        mtc0    $zero, $5
        ehb
        mtc0    $t3, $12
        ehb
        jr      $ra
        nop
/* k42_tlbp_ck(a0 = EntryHi to probe) -> index, or -1 */
k42_tlbp_ck:
        di      $t3
        ehb
        dmfc0   $t0, $10
        dmtc0   $a0, $10
        ehb
        tlbp
        ehb
        mfc0    $v0, $0
        dmtc0   $t0, $10
        ehb
        mtc0    $t3, $12
        ehb
        bltz    $v0, 1f
        nop
        jr      $ra
        andi    $v0, $v0, 0xff
1:      jr      $ra
        li      $v0, -1

        .text
/* KVA entry points that jump to the ckseg0 aliases above. */
.macro CKSEG0_TRAMPOLINE name
        .globl  \name
        .ent    \name
\name:
        dla     $t9, \name\()_ck + KVA_TO_CK
        jr      $t9
        nop
        .end    \name
.endm
        CKSEG0_TRAMPOLINE k42_trap_return
        CKSEG0_TRAMPOLINE k42_tlbwi
        CKSEG0_TRAMPOLINE k42_tlbwr
        CKSEG0_TRAMPOLINE k42_tlbr
        CKSEG0_TRAMPOLINE k42_tlbp
