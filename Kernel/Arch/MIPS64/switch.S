// switch.S (MIPS64): kernel-thread context switch, the first frame of a new thread, entering
// and leaving user mode, and the one-instruction CP0 accessors Swift calls (Arch.swift).
// The switch saves only what the n64 ABI says a callee preserves (s0-s7, s8, gp, ra, f24-f31);
// everything else is either dead at a call or already in a trap frame.
#include "layout.h"

        .set    noreorder
        .set    noat
        .text

/* k42_switch(a0 = where to save the old sp, a1 = the new sp) */
        .globl  k42_switch
        .ent    k42_switch
k42_switch:
        daddiu  $sp, $sp, -SW_SIZE
        sd      $s0, 0($sp)
        sd      $s1, 8($sp)
        sd      $s2, 16($sp)
        sd      $s3, 24($sp)
        sd      $s4, 32($sp)
        sd      $s5, 40($sp)
        sd      $s6, 48($sp)
        sd      $s7, 56($sp)
        sd      $s8, 64($sp)
        sd      $gp, 72($sp)
        sd      $ra, 80($sp)
        sdc1    $f24, 96($sp)
        sdc1    $f25, 104($sp)
        sdc1    $f26, 112($sp)
        sdc1    $f27, 120($sp)
        sdc1    $f28, 128($sp)
        sdc1    $f29, 136($sp)
        sdc1    $f30, 144($sp)
        sdc1    $f31, 152($sp)
        sd      $sp, 0($a0)
        move    $sp, $a1
k42_switch_restore:
        ld      $s0, 0($sp)
        ld      $s1, 8($sp)
        ld      $s2, 16($sp)
        ld      $s3, 24($sp)
        ld      $s4, 32($sp)
        ld      $s5, 40($sp)
        ld      $s6, 48($sp)
        ld      $s7, 56($sp)
        ld      $s8, 64($sp)
        ld      $gp, 72($sp)
        ld      $ra, 80($sp)
        ldc1    $f24, 96($sp)
        ldc1    $f25, 104($sp)
        ldc1    $f26, 112($sp)
        ldc1    $f27, 120($sp)
        ldc1    $f28, 128($sp)
        ldc1    $f29, 136($sp)
        ldc1    $f30, 144($sp)
        ldc1    $f31, 152($sp)
        jr      $ra
        daddiu  $sp, $sp, SW_SIZE
        .end    k42_switch

/* A new thread's first switch frame has ra = k42_thread_start and s0 = its thread record. */
        .globl  k42_thread_start
        .ent    k42_thread_start
k42_thread_start:
        move    $a0, $s0
        dla     $t9, k42_thread_main
        jalr    $t9
        nop
1:      b       1b
        nop
        .end    k42_thread_start

/* k42_user_enter(a0 = user trap frame, a1 = where to save the kernel sp): saves the kernel
   context like k42_switch, makes traps from user mode use the stack below it (PCA_KSTACK) and
   restores the user frame. Returns (with the value given to k42_user_exit) when the kernel
   decides the user code is done. Interrupts must be off. */
        .globl  k42_user_enter
        .ent    k42_user_enter
k42_user_enter:
        daddiu  $sp, $sp, -SW_SIZE
        sd      $s0, 0($sp)
        sd      $s1, 8($sp)
        sd      $s2, 16($sp)
        sd      $s3, 24($sp)
        sd      $s4, 32($sp)
        sd      $s5, 40($sp)
        sd      $s6, 48($sp)
        sd      $s7, 56($sp)
        sd      $s8, 64($sp)
        sd      $gp, 72($sp)
        sd      $ra, 80($sp)
        sdc1    $f24, 96($sp)
        sdc1    $f25, 104($sp)
        sdc1    $f26, 112($sp)
        sdc1    $f27, 120($sp)
        sdc1    $f28, 128($sp)
        sdc1    $f29, 136($sp)
        sdc1    $f30, 144($sp)
        sdc1    $f31, 152($sp)
        sd      $sp, 0($a1)
        dli     $t0, PERCPU_VA
        sd      $sp, PCA_KSTACK($t0)
        dla     $t9, k42_trap_return
        jr      $t9
        nop
        .end    k42_user_enter

/* k42_user_exit(a0 = the sp k42_user_enter saved, a1 = its return value) */
        .globl  k42_user_exit
        .ent    k42_user_exit
k42_user_exit:
        move    $sp, $a0
        b       k42_switch_restore
        move    $v0, $a1
        .end    k42_user_exit

        .globl  k42_arch_cpu_number
        .ent    k42_arch_cpu_number
k42_arch_cpu_number:
        mfc0    $v0, $15, 1
        jr      $ra
        andi    $v0, $v0, 0x3ff
        .end    k42_arch_cpu_number

/* k42_irq_disable() -> 1 if interrupts were enabled */
        .globl  k42_irq_disable
        .ent    k42_irq_disable
k42_irq_disable:
        di      $v0
        ehb
        jr      $ra
        andi    $v0, $v0, 1
        .end    k42_irq_disable

/* k42_irq_restore(a0 = what k42_irq_disable returned) */
        .globl  k42_irq_restore
        .ent    k42_irq_restore
k42_irq_restore:
        beqz    $a0, 1f
        nop
        ei
        ehb
1:      jr      $ra
        nop
        .end    k42_irq_restore

/* k42_idle(): waits (interrupts off) until an interrupt is pending */
        .globl  k42_idle
        .ent    k42_idle
k42_idle:
        wait
        jr      $ra
        nop
        .end    k42_idle

        .globl  k42_sync
        .ent    k42_sync
k42_sync:
        sync
        jr      $ra
        nop
        .end    k42_sync

/* k42_count() -> CP0 Count (zero-extended); k42_set_compare(a0) */
        .globl  k42_count
        .ent    k42_count
k42_count:
        mfc0    $v0, $9
        dsll32  $v0, $v0, 0
        jr      $ra
        dsrl32  $v0, $v0, 0
        .end    k42_count

        .globl  k42_set_compare
        .ent    k42_set_compare
k42_set_compare:
        mtc0    $a0, $11
        jr      $ra
        nop
        .end    k42_set_compare

/* k42_set_user_local(a0): UserLocal (CP0 4,2) = a0, readable in user mode by rdhwr $29
   (HWREna bit 29): the running dispatcher's area address (User/Dispatcher.swift) */
        .globl  k42_set_user_local
        .ent    k42_set_user_local
k42_set_user_local:
        mfc0    $t0, $7
        lui     $t1, 0x2000
        or      $t0, $t0, $t1
        mtc0    $t0, $7
        jr      $ra
        dmtc0   $a0, $4, 2
        .end    k42_set_user_local

/* k42_cp0_status() -> Status; k42_cp0_cause() -> Cause */
        .globl  k42_cp0_status
        .ent    k42_cp0_status
k42_cp0_status:
        mfc0    $v0, $12
        jr      $ra
        nop
        .end    k42_cp0_status
