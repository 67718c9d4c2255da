// entry.S (PPC64, K42 user programs): where a program starts in user mode (the kernel sets
// pc = e_entry, r1 = the top of the program's stack, r3 = the argument it was started with,
// r4 = its process ID; docs/kernel/programs.md). Sets the TOC pointer (r2 = .TOC.; programs
// are linked below 2 GiB), makes a minimal ELFv2 frame with a null back chain, calls
// k42_user_main(r3, r4) and exits with its result (system call 1). k42_syscall(n, a, b, c, d)
// is the system-call stub Swift calls: number in r0, arguments r3-r6, result in r3.
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
