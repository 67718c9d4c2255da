// entry.S (MIPS64): where every CPU starts (docs/platform.md: kernel mode, 64-bit segments,
// interrupts off, a0 = boot-information address, a1 = CPU number). Enables the FPU with 64-bit
// registers (Status.CU1 | Status.FR), sets sp to the top of this CPU's stack in the
// __stacks_start area (K42_STACK_SIZE bytes per CPU, K42_MAX_CPUS CPUs: must match link.ld)
// and calls k42_runtime_entry(bootInfo, cpu). Also the tiny accessors Swift calls for CP0 state
// and for idling.
#define K42_MAX_CPUS 256
#define K42_STACK_SHIFT 15              /* 32 KiB per CPU */

        .set    noreorder
        .section .text.entry, "ax", @progbits
        .globl  _start
        .ent    _start
_start:
        mfc0    $t0, $12                /* Status */
        lui     $t1, 0x2400             /* CU1 (bit 29) | FR (bit 26) */
        or      $t0, $t0, $t1
        mtc0    $t0, $12
        ehb
        sltiu   $t0, $a1, K42_MAX_CPUS  /* CPUs without a stack slot idle */
        beqz    $t0, 2f
        nop
        dla     $t0, __stacks_start
        daddiu  $t1, $a1, 1
        dsll    $t1, $t1, K42_STACK_SHIFT
        daddu   $sp, $t0, $t1
        jal     k42_runtime_entry
        nop
2:      wait
        b       2b
        nop
        .end    _start

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
