// usercode.S (MIPS64): tiny user-mode probes the protection test copies into a user page
// (position-independent; system call 1 = exit with a0, User/UserMode.swift).
//   probe_read(a0 = address):            exit(*a0)
//   probe_write(a0 = address, a1 = v):   *a0 = v; exit(0)
//   probe_exit(a0, a1):                  exit(a0 + a1)
//   probe_touch(a0 = base, a1 = pages):  store each page's address in its first word, then
//                                        exit(sum of the first words)
//   probe_sum(a0 = base, a1 = pages):    exit(sum of the first word of each page)
//   probe_syscall(a0 = n, a1-a3 = args): exit(system call n's result)
//   probe_jump(a0 = address):            jump there
        .set    noreorder
        .section .rodata.usercode, "a"
        .balign 16
        .globl  k42_user_code_start, k42_user_code_end
        .globl  k42_user_probe_read, k42_user_probe_write, k42_user_probe_exit
        .globl  k42_user_probe_touch, k42_user_probe_sum, k42_user_probe_syscall, k42_user_probe_jump
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
k42_user_probe_touch:
        move    $t0, $a0
        move    $t1, $a1
1:      beqz    $t1, 2f
        nop
        sd      $t0, 0($t0)
        daddiu  $t1, $t1, -1
        b       1b
        daddiu  $t0, $t0, 4096
2:      move    $t0, $a0
        move    $t1, $a1
        move    $t2, $zero
3:      beqz    $t1, 4f
        nop
        ld      $t3, 0($t0)
        daddu   $t2, $t2, $t3
        daddiu  $t1, $t1, -1
        b       3b
        daddiu  $t0, $t0, 4096
4:      move    $a0, $t2
        li      $v0, 1
        syscall
5:      b       5b
        nop
k42_user_probe_sum:
        move    $t2, $zero
1:      beqz    $a1, 2f
        nop
        ld      $t3, 0($a0)
        daddu   $t2, $t2, $t3
        daddiu  $a1, $a1, -1
        b       1b
        daddiu  $a0, $a0, 4096
2:      move    $a0, $t2
        li      $v0, 1
        syscall
3:      b       3b
        nop
k42_user_probe_syscall:
        move    $v0, $a0
        move    $a0, $a1
        move    $a1, $a2
        move    $a2, $a3
        syscall
        move    $a0, $v0
        li      $v0, 1
        syscall
1:      b       1b
        nop
k42_user_probe_jump:
        jr      $a0
        nop
k42_user_code_end:
