// usercode.S (PPC64): tiny user-mode probes the protection test copies into a user page
// (position-independent; system call 1 = exit with r3, User/UserMode.swift).
//   probe_read(r3 = address):            exit(*r3)
//   probe_write(r3 = address, r4 = v):   *r3 = v; exit(0)
//   probe_exit(r3, r4):                  exit(r3 + r4)
//   probe_touch(r3 = base, r4 = pages):  store each page's address in its first word, then
//                                        exit(sum of the first words)
//   probe_sum(r3 = base, r4 = pages):    exit(sum of the first word of each page)
//   probe_syscall(r3 = n, r4-r6 = args): exit(system call n's result)
//   probe_jump(r3 = address):            jump there
        .section .rodata.usercode, "a"
        .balign 16
        .globl  k42_user_code_start, k42_user_code_end
        .globl  k42_user_probe_read, k42_user_probe_write, k42_user_probe_exit
        .globl  k42_user_probe_touch, k42_user_probe_sum, k42_user_probe_syscall, k42_user_probe_jump
k42_user_code_start:
k42_user_probe_read:
        ld      3, 0(3)
        li      0, 1
        sc
        b       .
k42_user_probe_write:
        std     4, 0(3)
        li      3, 0
        li      0, 1
        sc
        b       .
k42_user_probe_exit:
        add     3, 3, 4
        li      0, 1
        sc
        b       .
k42_user_probe_touch:
        mr      5, 3
        mr      6, 4
1:      cmpdi   6, 0
        beq     2f
        std     5, 0(5)
        addi    5, 5, 4096
        addi    6, 6, -1
        b       1b
2:      mr      5, 3
        mr      6, 4
        li      7, 0
3:      cmpdi   6, 0
        beq     4f
        ld      8, 0(5)
        add     7, 7, 8
        addi    5, 5, 4096
        addi    6, 6, -1
        b       3b
4:      mr      3, 7
        li      0, 1
        sc
        b       .
k42_user_probe_sum:
        li      7, 0
1:      cmpdi   4, 0
        beq     2f
        ld      8, 0(3)
        add     7, 7, 8
        addi    3, 3, 4096
        addi    4, 4, -1
        b       1b
2:      mr      3, 7
        li      0, 1
        sc
        b       .
k42_user_probe_syscall:
        mr      0, 3
        mr      3, 4
        mr      4, 5
        mr      5, 6
        sc
        li      0, 1
        sc
        b       .
k42_user_probe_jump:
        mtctr   3
        bctr
k42_user_code_end:
