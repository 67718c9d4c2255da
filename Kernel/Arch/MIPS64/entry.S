// entry.S (MIPS64): reset entry of every CPU and the secondary CPUs' wait for release.
// All CPUs start at _start through its ckseg0 alias (the ELF entry; docs/platform.md: kernel
// mode, 64-bit segments, interrupts off, a0 = boot-information address, a1 = CPU number).
// Each CPU points EBase at the kernel's vectors (vectors.S, run through ckseg0), sets Status
// (FPU with 64-bit registers, 64-bit segments, interrupt lines IP2 = controller and IP7 = timer
// unmasked but IE = 0), reserves TLB entry 0 for its processor-specific memory (Wired = 1),
// sets the kernel ASID 0, points k42_pca_xk[cpu] at a static boot scratch area (so an early
// exception is still reported), takes its 8 KiB boot stack and jumps into the kernel's linear
// map, whose TLB entries the refill vector creates on demand. CPU 0 goes on to
// k42_boot_cpu0(bootInfo, 0); the others wait (`wait`, IPI line enabled) until CPU 0 sets
// k42_release and sends them an IPI, then enter k42_secondary_main(cpu).
#include "layout.h"

        .set    noreorder
        .set    noat
        .section .text.entry, "ax", @progbits
        .globl  _start
        .ent    _start
_start:                                 /* at the ckseg0 alias: absolute constants only */
        dla     $t0, k42_vectors + KVA_TO_CK
        mtc0    $t0, $15, 1             /* EBase */
        lui     $t0, 0x2400             /* CU1 | FR */
        ori     $t0, $t0, 0x84e0        /* IM7 | IM2 | KX | SX | UX; KSU = kernel, IE = EXL = ERL = 0 */
        mtc0    $t0, $12
        mtc0    $zero, $13              /* Cause: IV = 0 (interrupts use the general vector) */
        mtc0    $zero, $5               /* PageMask: 4 KiB */
        li      $t0, 1
        mtc0    $t0, $6                 /* Wired: entry 0 = processor-specific memory */
        dmtc0   $zero, $10              /* EntryHi: kernel ASID 0 */
        mfc0    $t0, $9                 /* Compare = Count - 1: no tick until the kernel starts */
        addiu   $t0, $t0, -1            /* one (that also clears a pending Count == Compare, */
        mtc0    $t0, $11                /* which would end every `wait` at once) */
        ehb
        sltiu   $t0, $a1, MAX_CPUS
        beqz    $t0, k42_park
        nop
        /* k42_pca_xk[cpu] = xkphys address of k42_boot_pca[cpu] (64 bytes each) */
        dla     $t0, k42_boot_pca + KVA_TO_XK
        dsll    $t1, $a1, 6
        daddu   $t0, $t0, $t1
        dla     $t2, k42_pca_xk + KVA_TO_CK
        dsll    $t1, $a1, 3
        daddu   $t2, $t2, $t1
        sd      $t0, 0($t2)
        /* boot stack: __boot_stacks + (cpu + 1) * 8 KiB, in the linear map */
        dla     $t0, __boot_stacks
        daddiu  $t1, $a1, 1
        dsll    $t1, $t1, BOOT_STACK_SHIFT
        daddu   $sp, $t0, $t1
        bnez    $a1, 1f
        nop
        dla     $t9, k42_boot_cpu0
        jr      $t9
        nop
1:      dla     $t9, k42_secondary_wait
        jr      $t9
        nop
        .end    _start

k42_park:                               /* CPUs beyond MAX_CPUS */
        wait
        b       k42_park
        nop

        .text
/* Secondary CPUs (a1 = CPU number), in the linear map: unmask the IPI at this CPU's interrupt
   controller and wait until k42_release is set. `wait` ends while the IPI is pending (the line
   is level-triggered and stays up until acknowledged), so a release between the test and the
   wait is never missed. */
        .globl  k42_secondary_wait
        .ent    k42_secondary_wait
k42_secondary_wait:
        dli     $t0, XKPHYS_UNCACHED + 0xFFF0010000
        dsll    $t1, $a1, 8
        daddu   $t0, $t0, $t1           /* this CPU's controller */
        li      $t1, 1
        sd      $t1, 8($t0)             /* ENABLE = IPI */
        dla     $t2, k42_release
1:      ld      $t3, 0($t2)
        bnez    $t3, 2f
        nop
        wait
        li      $t1, 1
        sd      $t1, 0x10($t0)          /* ACK the IPI */
        b       1b
        nop
2:      sync
        move    $a0, $a1
        dla     $t9, k42_secondary_main
        jr      $t9
        nop
        .end    k42_secondary_wait

        .bss
        .balign 64
        .globl  k42_release
k42_release:
        .space  64
        .globl  k42_boot_pca
k42_boot_pca:                           /* exception scratch before the per-CPU areas exist */
        .space  64 * MAX_CPUS
        .globl  k42_pca_xk
k42_pca_xk:                             /* xkphys address of each CPU's per-CPU area */
        .space  8 * MAX_CPUS
