// usercode.S (PPC64): tiny user-mode probes the protection test copies into a user page
// (position-independent; system call 1 = exit with r3, User/UserMode.swift).
//   probe_read(r3 = address):            exit(*r3)
//   probe_write(r3 = address, r4 = v):   *r3 = v; exit(0)
//   probe_exit(r3, r4):                  exit(r3 + r4)
        .section .rodata.usercode, "a"
        .balign 16
        .globl  k42_user_code_start, k42_user_code_end
        .globl  k42_user_probe_read, k42_user_probe_write, k42_user_probe_exit
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
k42_user_code_end:
