// entry.S (PPC64, K42 user programs): where a program starts in user mode (the kernel sets
// pc = e_entry, r1 = the top of the program's stack, r3 = the argument it was started with,
// r4 = its process ID; docs/kernel/programs.md). Sets the TOC pointer (r2 = .TOC.; programs
// are linked below 2 GiB), makes a minimal ELFv2 frame with a null back chain, calls
// k42_user_main(r3, r4) and exits with its result (system call 1). k42_syscall(n, a, b, c, d)
// is the system-call stub Swift calls: number in r0, arguments r3-r6, result in r3.
// k42_dispatcher_start is where a further dispatcher's vehicle enters (system call 16; r3 = its
// area): sets the TOC and calls k42_dispatcher_main(r3), which never returns. k42_self() reads
// the running dispatcher's area address the kernel keeps in SPRG3 (mfspr 259; 0 without one).
        .section .text.entry, "ax", @progbits
        .globl  _start
_start:
        lis     2, .TOC.@ha
        addi    2, 2, .TOC.@l
        li      0, 0
        stdu    0, -32(1)
        bl      k42_user_main
        nop
        li      0, 1
        sc
        b       .

        .text
        .globl  k42_syscall
k42_syscall:
        mr      0, 3
        mr      3, 4
        mr      4, 5
        mr      5, 6
        mr      6, 7
        sc
        blr

        .globl  k42_dispatcher_start
k42_dispatcher_start:
        lis     2, .TOC.@ha
        addi    2, 2, .TOC.@l
        li      0, 0
        stdu    0, -32(1)
        bl      k42_dispatcher_main
        nop
        b       .

        .globl  k42_self
k42_self:
        mfspr   3, 259
        blr
