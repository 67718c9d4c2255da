// entry.S (PPC64): where every CPU starts (docs/platform.md: hypervisor real mode, MSR = SF|HV|
// ME|LE, r3 = boot-information address, r4 = CPU number). Sets the TOC pointer (r2 = .TOC.),
// enables the FPU (MSR[FP]; vector units stay off: guests are built with -mno-altivec -mno-vsx),
// sets r1 to the top of this CPU's stack in the __stacks_start area (K42_STACK_SIZE bytes per
// CPU, K42_MAX_CPUS CPUs: must match link.ld) with a null back chain, and calls
// k42_runtime_entry(bootInfo, cpu). Also the tiny accessors Swift calls for SPRs and idling.
#define K42_MAX_CPUS 256
#define K42_STACK_SHIFT 15              /* 32 KiB per CPU */

        .section .text.entry, "ax", @progbits
        .globl  _start
_start:
        lis     2, .TOC.@ha
        addi    2, 2, .TOC.@l
        mfmsr   5
        ori     5, 5, 0x2000            /* MSR[FP] */
        mtmsrd  5
        isync
        cmpldi  4, K42_MAX_CPUS         /* CPUs without a stack slot idle */
        bge     2f
        lis     1, __stacks_start@ha    /* the image lies below 2 GiB */
        addi    1, 1, __stacks_start@l
        addi    6, 4, 1
        sldi    6, 6, K42_STACK_SHIFT
        add     1, 1, 6
        li      0, 0
        stdu    0, -32(1)               /* minimal ELFv2 frame, back chain 0 */
        bl      k42_runtime_entry
        nop
2:      or      31, 31, 31
        b       2b

        .text
        .globl  k42_arch_cpu_number
k42_arch_cpu_number:
        mfspr   3, 1023                 /* PIR */
        blr

        .globl  k42_arch_idle
k42_arch_idle:
        or      31, 31, 31              /* very-low-priority hint */
        blr

        .globl  k42_arch_pause
k42_arch_pause:
        or      1, 1, 1                 /* low-priority hint */
        blr

        .globl  k42_arch_sync
k42_arch_sync:
        sync
        blr
