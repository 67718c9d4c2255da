// entry.S (MIPS64, K42 user programs): where a program starts in user mode (the kernel sets
// pc = e_entry, sp = the top of the program's stack, a0 = the argument it was started with,
// a1 = its process ID; docs/kernel/programs.md). Calls k42_user_main(a0, a1) and exits with its
// result (system call 1). k42_syscall(n, a, b, c, d) is the system-call stub Swift calls:
// number in v0, arguments a0-a3, result in v0 (negative errno on failure).
// k42_dispatcher_start is where a further dispatcher's vehicle enters (system call 16; a0 = its
// area): calls k42_dispatcher_main(a0), which never returns. k42_self() reads the running
// dispatcher's area address the kernel keeps in UserLocal (rdhwr $29; 0 without a dispatcher).
        .set    noreorder
        .section .text.entry, "ax", @progbits
        .globl  _start
_start:
        daddiu  $sp, $sp, -32
        jal     k42_user_main
        nop
        move    $a0, $v0
        li      $v0, 1
        syscall
1:      b       1b
        nop

        .text
        .globl  k42_syscall
k42_syscall:
        move    $v0, $a0
        move    $a0, $a1
        move    $a1, $a2
        move    $a2, $a3
        move    $a3, $a4
        syscall
        jr      $ra
        nop

        .globl  k42_dispatcher_start
k42_dispatcher_start:
        daddiu  $sp, $sp, -32
        jal     k42_dispatcher_main
        nop
1:      b       1b
        nop

        .globl  k42_self
k42_self:
        .set    push
        .set    mips64r2
        rdhwr   $v0, $29
        .set    pop
        jr      $ra
        nop
