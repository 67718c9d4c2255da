/* user_priv.S: privileged instructions and kernel addresses from user mode (1 CPU). The kernel
   maps user VA 0x400000/0x401000 with tlbwi and enters user mode; each faulting user instruction
   is reported by the kernel as "exc <ExcCode> epc <EPC> badvaddr <BadVAddr>" and skipped.
   The user program tries: mfc0 (CpU 11), a load from ckseg0 (AdEL 4), a store to xkphys
   (AdES 5), di (CpU 11), a reserved opcode (RI 10), rdhwr $29 without HWREna (RI 10), an FPU
   instruction with CU1 = 0 (CpU 11, CE = 1 in Cause bits 29..28), then exits via syscall. */
    .set noreorder
#include "runtime.S"

    .section .vectors, "ax"
vectors:
    .org 0x000
    b       unexpected
    nop
    .org 0x080
    b       unexpected
    nop
    .org 0x180
    b       general
    nop

    .text
    .globl _start
_start:
    PROLOGUE
    mtc0    $zero, $0                   /* TLB entry 0: 0x400000 -> .user pages */
    dli     $t0, 0x400000
    dmtc0   $t0, $10
    dla     $t0, user_code
    dsll    $t0, $t0, 35
    dsrl    $t0, $t0, 35
    dsrl    $t0, $t0, 12
    dsll    $t0, $t0, 6
    ori     $t0, $t0, 0x1E
    dmtc0   $t0, $2
    daddiu  $t0, $t0, 0x40
    dmtc0   $t0, $3
    mtc0    $zero, $5
    tlbwi
    li      $t0, 0xF2
    mtc0    $t0, $12
    dli     $t0, 0x400000
    dmtc0   $t0, $14
    eret

general:
    mfc0    $s0, $13
    andi    $k0, $s0, 0x7C
    li      $k1, 8 << 2
    beq     $k0, $k1, sys_exit
    nop
    dla     $a0, msg_exc
    jal     puts
    nop
    srl     $a0, $s0, 2
    jal     putdec
    andi    $a0, $a0, 0x1F
    dla     $a0, msg_ce
    jal     puts
    nop
    srl     $a0, $s0, 28
    jal     putdec
    andi    $a0, $a0, 3
    dla     $a0, msg_epc
    jal     puts
    nop
    dmfc0   $a0, $14
    jal     puthex
    nop
    dla     $a0, msg_bad
    jal     puts
    nop
    dmfc0   $a0, $8
    jal     puthex
    nop
    jal     putc
    li      $a0, 10
    dmfc0   $k0, $14
    daddiu  $k0, $k0, 4
    dmtc0   $k0, $14
    eret
sys_exit:
    dla     $a0, msg_exit
    jal     puts
    nop
    jal     power_off
    li      $a0, 0

unexpected:
    jal     power_off
    li      $a0, 3

    .section .user, "ax"
user_code:
    mfc0    $t0, $12
    lui     $t1, 0x8010
    ld      $t2, 0($t1)
    dli     $t1, 0x9000000000100000
    sd      $t2, 8($t1)
    di      $t0
    .word   0x78000000
    rdhwr   $t0, $29
    mtc1    $t0, $f0
    li      $v0, 2
    syscall
1:  b       1b
    nop

    .data
msg_exc:  .asciz "exc "
msg_ce:   .asciz " ce "
msg_epc:  .asciz " epc "
msg_bad:  .asciz " badvaddr "
msg_exit: .asciz "user: exit\n"
