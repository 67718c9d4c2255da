// usercode.S (MIPS64): tiny user-mode probes the protection test copies into a user page
// (position-independent; system call 1 = exit with a0, User/UserMode.swift).
//   probe_read(a0 = address):            exit(*a0)
//   probe_write(a0 = address, a1 = v):   *a0 = v; exit(0)
//   probe_exit(a0, a1):                  exit(a0 + a1)
        .set    noreorder
        .section .rodata.usercode, "a"
        .balign 16
        .globl  k42_user_code_start, k42_user_code_end
        .globl  k42_user_probe_read, k42_user_probe_write, k42_user_probe_exit
k42_user_code_start:
k42_user_probe_read:
        ld      $a0, 0($a0)
        li      $v0, 1
        syscall
1:      b       1b
        nop
k42_user_probe_write:
        sd      $a1, 0($a0)
        move    $a0, $zero
        li      $v0, 1
        syscall
1:      b       1b
        nop
k42_user_probe_exit:
        daddu   $a0, $a0, $a1
        li      $v0, 1
        syscall
1:      b       1b
        nop
k42_user_code_end:
