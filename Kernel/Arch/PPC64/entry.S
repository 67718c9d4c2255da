// entry.S (PPC64): reset entry of every CPU and the secondary CPUs' wait for release.
// All CPUs start at _start in hypervisor real mode (docs/platform.md: MSR = SF|HV|ME|LE,
// r3 = boot-information address, r4 = CPU number), at the physical address of _start: until
// translation is on, this code uses only relative branches and absolute constants. Each CPU
// turns on the FPU and points SPRG0 at a static boot scratch area (so an early exception is
// still reported). CPU 0 copies the vector block to physical 0x100, clears the hashed page table
// and enters the one PTE that maps the first 16 MiB of RAM (kernel image, boot stacks, page
// table) into the linear map; Swift (Arch.earlyInit) maps the rest. The others wait in `nap`
// with their IPI line enabled until CPU 0 sets k42_release and sends them an IPI. Then every CPU
// bolts the linear-map segment into SLB entry 0, sets SDR1, the TOC and its boot stack, and
// enters the linear map with rfid: CPU 0 at k42_boot_cpu0(bootInfo, 0), the others at
// k42_secondary_main(cpu).
#include "layout.h"

#define PTEG0   (((KERNEL_VSID ^ (KERNEL_VSID << 25)) & 0x1FFF) << 7)

        .section .text.entry, "ax", @progbits
        .globl  _start
_start:
        mfmsr   5
        ori     5, 5, 0x2000            /* MSR[FP] */
        mtmsrd  5
        isync
        cmpldi  4, MAX_CPUS
        bge     k42_park
        LOAD64  5, k42_boot_pca - KBASE
        sldi    6, 4, 8
        add     5, 5, 6
        mtspr   272, 5                  /* SPRG0: exception scratch (physical) */
        cmpldi  4, 0
        bne     2f
        /* CPU 0: the vector block (physical 0x100 ... 0x2000) */
        LOAD64  9, k42_vectors - KBASE + 0x100
        li      10, 0x100
        li      7, (0x2000 - 0x100) / 8
        mtctr   7
1:      ld      8, 0(9)
        std     8, 0(10)
        addi    9, 9, 8
        addi    10, 10, 8
        bdnz    1b
        sync
        isync
        /* clear the hashed page table */
        LOAD64  9, __hpt - KBASE
        LOAD64  7, HPT_BYTES / 8
        mtctr   7
        li      8, 0
1:      std     8, 0(9)
        addi    9, 9, 8
        bdnz    1b
        /* the first 16 MiB: kernel segment, 16 MiB page 0, primary PTEG, slot 0 */
        LOAD64  9, __hpt - KBASE + PTEG0
        li      8, 0x180                /* RPN 0, R, C, WIMG 0, PP 00 */
        addi    10, 9, 8
        stdbrx  8, 0, 10
        eieio
        LOAD64  8, (1 << 62) | (KERNEL_VSID << 24) | 5   /* B = 1T, AVA, L, V */
        stdbrx  8, 0, 9
        ptesync
        b       3f

        /* Secondary CPUs: enable the IPI at this CPU's controller and nap until released. */
2:      LOAD64  9, 0xFFF0010000
        sldi    6, 4, 8
        add     9, 9, 6
        li      8, 1
        std     8, 8(9)                 /* ENABLE = IPI */
        LOAD64  10, k42_release - KBASE
1:      ld      6, 0(10)
        cmpdi   6, 0
        bne     4f
        nap                             /* wakes through the 0x100 vector, which returns here */
        li      8, 1
        std     8, 0x10(9)              /* ACK the IPI */
        b       1b
4:      sync

        /* Every CPU: SLB entry 0 = the linear-map segment, SDR1, TOC, boot stack, rfid. */
3:      slbia
        LOAD64  5, (1 << 62) | (KERNEL_VSID << 24) | 0x400 | 0x100     /* B = 1T, VSID, Kp, L */
        LOAD64  6, (1 << 40) | 0x08000000                              /* ESID 1, V, entry 0 */
        slbmte  5, 6
        isync
        LOAD64  5, __hpt - KBASE + HPT_SIZE_FIELD
        mtspr   25, 5                   /* SDR1 */
        isync
        LOAD64  2, .TOC.
        LOAD64  1, __boot_stacks
        addi    6, 4, 1
        sldi    6, 6, BOOT_STACK_SHIFT
        add     1, 1, 6
        addi    1, 1, -32               /* ABI frame; its back chain (zeroed .bss) is 0 */
        cmpldi  4, 0
        bne     5f
        LOAD64  12, k42_boot_cpu0
        b       6f
5:      mr      3, 4
        LOAD64  12, k42_secondary_main
6:      mtsrr0  12
        LOAD64  5, (MSR_KERNEL_HI << 48) | MSR_KERNEL_LO
        mtsrr1  5
        li      0, 0
        mtlr    0
        rfid

k42_park:                               /* CPUs beyond MAX_CPUS */
        nap
        b       k42_park

        .bss
        .balign 128
        .globl  k42_release
k42_release:
        .space  128
        .globl  k42_boot_pca
k42_boot_pca:                           /* exception scratch before the per-CPU areas exist */
        .space  256 * MAX_CPUS
