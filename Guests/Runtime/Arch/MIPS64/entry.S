// entry.S (MIPS64): where every CPU starts (docs/platform.md: kernel mode, 64-bit segments,
// interrupts off, a0 = boot-information address, a1 = CPU number), at the ckseg0 alias of
// _start (k42_start_ckseg0, the ELF entry).
//
// Embedded Swift (built for the riscv64 reference target) keeps flags in pointer bits 60..63
// (String, BridgeObject, "immortal" objects are negative pointers), so no address Swift sees may
// have those bits set: not ckseg0 (0xFFFF_FFFF_8...) and not xkphys (0x9...). The guest is
// therefore linked in xuseg at virtual = physical, and every CPU first maps xuseg
// [0, 512 MiB) to physical [0, 512 MiB) with 16 wired TLB entries (pairs of 16 MiB pages, the
// largest the emulator's TLB supports; cacheable, dirty, valid, global), then jumps there.
// Then it points EBase at the vectors below (through ckseg0, as EBase requires), enables the
// FPU with 64-bit registers (Status.CU1 | Status.FR), sets sp to the top of this CPU's stack in
// the __stacks_start area (K42_STACK_SIZE bytes per CPU, K42_MAX_CPUS CPUs: must match
// link.ld) and calls k42_runtime_entry(bootInfo, cpu). Also the tiny accessors Swift calls for
// CP0 state and for idling.
#define K42_MAX_CPUS 256
#define K42_STACK_SHIFT 15              /* 32 KiB per CPU */
#define K42_WIRED_PAIRS 16              /* x 32 MiB = 512 MiB identity-mapped */

        .set    noreorder
        .section .text.entry, "ax", @progbits
        .globl  _start
        .ent    _start
_start:                                 /* runs at its ckseg0 alias: PC-relative code only */
        lui     $t0, 0x01ff
        ori     $t0, $t0, 0xe000
        mtc0    $t0, $5                 /* PageMask: 16 MiB pages */
        li      $t1, K42_WIRED_PAIRS
        mtc0    $t1, $6                 /* Wired */
        move    $t2, $zero
1:      mtc0    $t2, $0                 /* Index = i */
        dsll    $t3, $t2, 25
        dmtc0   $t3, $10                /* EntryHi: VA i * 32 MiB, ASID 0 */
        dsll    $t3, $t2, 19            /* PFN of i * 32 MiB, in EntryLo position */
        ori     $t3, $t3, 0x1f          /* C = 3 (cacheable), D, V, G */
        dmtc0   $t3, $2                 /* EntryLo0 */
        lui     $t8, 0x4                /* + 16 MiB in EntryLo position */
        daddu   $t3, $t3, $t8
        dmtc0   $t3, $3                 /* EntryLo1 */
        ehb
        tlbwi
        daddiu  $t2, $t2, 1
        bne     $t2, $t1, 1b
        nop
        mtc0    $zero, $5               /* PageMask back to 4 KiB for later TLB writes */
        ehb
        dla     $t0, 2f                 /* continue in xuseg */
        jr      $t0
        nop
2:      dla     $t0, k42_vectors
        lui     $t1, 0x8000             /* 0xFFFF_FFFF_8000_0000: the ckseg0 alias */
        daddu   $t0, $t0, $t1
        dmtc0   $t0, $15, 1             /* EBase (CPUNum is read-only) */
        mfc0    $t0, $12                /* Status */
        lui     $t1, 0x2400             /* CU1 (bit 29) | FR (bit 26) */
        or      $t0, $t0, $t1
        mtc0    $t0, $12
        ehb
        sltiu   $t0, $a1, K42_MAX_CPUS  /* CPUs without a stack slot idle */
        beqz    $t0, 3f
        nop
        dla     $t0, __stacks_start
        daddiu  $t1, $a1, 1
        dsll    $t1, $t1, K42_STACK_SHIFT
        daddu   $sp, $t0, $t1
        jal     k42_runtime_entry
        nop
3:      wait
        b       3b
        nop
        .end    _start

/* Exception vectors (EBase = the ckseg0 alias of k42_vectors): every exception is fatal for a
   runtime-only guest; the handler rebuilds this CPU's stack and calls (in xuseg)
   k42_exception(Cause, EPC, BadVAddr), which prints them and powers off. A kernel installs its
   own vectors. */
        .section .text.vectors, "ax", @progbits
        .balign 4096
k42_vectors:
        .org    0x000                   /* TLB refill */
        b       k42_exception_common
        nop
        .org    0x080                   /* XTLB refill */
        b       k42_exception_common
        nop
        .org    0x100                   /* cache error */
        b       k42_exception_common
        nop
        .org    0x180                   /* general exception */
        b       k42_exception_common
        nop
        .org    0x200                   /* interrupt (Cause.IV) */
        b       k42_exception_common
        nop
k42_exception_common:
        mfc0    $t0, $15, 1
        andi    $t0, $t0, 0x3ff
        daddiu  $t0, $t0, 1
        dsll    $t0, $t0, K42_STACK_SHIFT
        dla     $sp, __stacks_start
        daddu   $sp, $sp, $t0
        mfc0    $a0, $13                /* Cause */
        dmfc0   $a1, $14                /* EPC */
        dmfc0   $a2, $8                 /* BadVAddr */
        dla     $t9, k42_exception      /* absolute: leave the ckseg0 alias */
        jalr    $t9
        nop
1:      wait
        b       1b
        nop

        .text
        .globl  k42_arch_cpu_number
        .ent    k42_arch_cpu_number
k42_arch_cpu_number:
        mfc0    $v0, $15, 1             /* EBase; CPUNum is bits 9..0 */
        jr      $ra
        andi    $v0, $v0, 0x3ff
        .end    k42_arch_cpu_number

        .globl  k42_arch_idle
        .ent    k42_arch_idle
k42_arch_idle:
        wait
        jr      $ra
        nop
        .end    k42_arch_idle

        .globl  k42_arch_pause
        .ent    k42_arch_pause
k42_arch_pause:
        jr      $ra
        nop
        .end    k42_arch_pause

        .globl  k42_arch_sync
        .ent    k42_arch_sync
k42_arch_sync:
        sync
        jr      $ra
        nop
        .end    k42_arch_sync
