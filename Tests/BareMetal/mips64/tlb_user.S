/* tlb_user.S: TLB mapping + user mode + system calls (1 CPU). The kernel enters user mode at
   0x400000 with no TLB entry: the fetch misses, the XTLB refill handler maps the pair
   0x400000/0x401000 to the two .user pages with tlbwr, and the user program prints a line and
   exits through system calls (v0 = 1: putc(a0), v0 = 2: exit(a0), v0 = 3: number of refills).
   Expected console: "kernel: to user mode\nhello from user mode\nrefills 1\nkernel: exit 0\n". */
    .set noreorder
#include "runtime.S"

    .section .vectors, "ax"
vectors:
    .org 0x000
    b       refill
    nop
    .org 0x080
    b       refill
    nop
    .org 0x180
    b       general
    nop

    .text
    .globl _start
_start:
    PROLOGUE
    dla     $a0, msg_kernel
    jal     puts
    nop
    li      $t0, 7                      /* ASID 7 */
    mtc0    $t0, $10
    li      $t0, 0xF2                   /* KX SX UX, KSU = user, EXL */
    mtc0    $t0, $12
    dli     $t0, 0x400000
    dmtc0   $t0, $14
    eret

refill:
    dla     $k0, refills
    ld      $k1, 0($k0)
    daddiu  $k1, $k1, 1
    sd      $k1, 0($k0)
    dla     $k0, user_code              /* ckseg0 -> physical: clear the top bits */
    dsll    $k0, $k0, 35
    dsrl    $k0, $k0, 35
    dsrl    $k0, $k0, 12
    dsll    $k0, $k0, 6
    ori     $k1, $k0, 0x1E              /* C = 3, D, V */
    dmtc0   $k1, $2
    daddiu  $k1, $k1, 0x40              /* next physical page */
    dmtc0   $k1, $3
    mtc0    $zero, $5
    tlbwr
    eret

general:
    mfc0    $k0, $13
    andi    $k0, $k0, 0x7C
    li      $k1, 8 << 2
    bne     $k0, $k1, unexpected
    nop
    dmfc0   $k0, $14                    /* skip the syscall */
    daddiu  $k0, $k0, 4
    dmtc0   $k0, $14
    li      $k1, 1
    beq     $v0, $k1, sys_putc
    li      $k1, 2
    beq     $v0, $k1, sys_exit
    li      $k1, 3
    beq     $v0, $k1, sys_refills
    nop
    b       unexpected
    nop
sys_putc:
    dli     $k0, MMIO
    sd      $a0, UART_TX($k0)
    eret
sys_refills:
    dla     $k0, refills
    ld      $v0, 0($k0)
    eret
sys_exit:
    move    $s0, $a0
    dla     $a0, msg_exit
    jal     puts
    nop
    move    $a0, $s0
    jal     putdec
    nop
    li      $a0, 10
    jal     putc
    nop
    jal     power_off
    move    $a0, $s0

unexpected:
    dla     $a0, msg_unexpected
    jal     puts
    nop
    mfc0    $a0, $13
    jal     puthex
    nop
    jal     power_off
    li      $a0, 3

/* The user program: position independent, two pages (code 0x400000, data 0x401000). */
    .section .user, "ax"
user_code:
    bal     1f
    nop
1:  daddiu  $s1, $ra, msg_user - 1b
    lui     $s2, 0x40                   /* data page at 0x401000 */
2:  lbu     $a0, 0($s1)
    beqz    $a0, 3f
    nop
    sb      $a0, 0x1000($s2)            /* copy through the data page */
    lbu     $a0, 0x1000($s2)
    li      $v0, 1
    syscall
    b       2b
    daddiu  $s1, $s1, 1
3:  li      $v0, 3
    syscall
    move    $s3, $v0                    /* refills: printed as a digit */
    bal     4f
    nop
4:  daddiu  $s1, $ra, msg_refills - 4b
5:  lbu     $a0, 0($s1)
    beqz    $a0, 6f
    nop
    li      $v0, 1
    syscall
    b       5b
    daddiu  $s1, $s1, 1
6:  daddiu  $a0, $s3, 48
    li      $v0, 1
    syscall
    li      $a0, 10
    li      $v0, 1
    syscall
    li      $a0, 0
    li      $v0, 2
    syscall
7:  b       7b
    nop
msg_user:    .asciz "hello from user mode\n"
msg_refills: .asciz "refills "

    .data
    .balign 8
refills:        .dword 0
msg_kernel:     .asciz "kernel: to user mode\n"
msg_exit:       .asciz "kernel: exit "
msg_unexpected: .asciz "kernel: unexpected exception, Cause "
