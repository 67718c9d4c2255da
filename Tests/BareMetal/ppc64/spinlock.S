/* spinlock.S (8 CPUs): every CPU takes a lwarx/stwcx. spinlock 200 times and increments a
   plain counter inside it (ld/addi/std), releasing with lwsync; stw 0. Reservations are broken
   by other CPUs' stores to the reservation granule (Power ISA 2.07 Book II 1.7.3; k42sim's
   ReservationMonitor). Each CPU then increments `done` with ldarx/stdcx.; CPU 0 waits for 8 and
   prints the counter, which must be exactly 1600. */
#include "runtime.S"

    .section .vectors, "ax"
vectors:
    DEFAULT_VECTORS

    .text
    .globl _start
_start:
    cmpdi   4, 0
    bne     1f
    COPY_VECTORS
1:  LA      14, lock
    LA      15, counter
    LA      16, done
    li      17, 200
2:  lwarx   10, 0, 14
    cmpwi   10, 0
    bne-    2b
    li      10, 1
    stwcx.  10, 0, 14
    bne-    2b
    isync
    ld      10, 0(15)
    addi    10, 10, 1
    std     10, 0(15)
    lwsync
    li      10, 0
    stw     10, 0(14)
    addi    17, 17, -1
    cmpdi   17, 0
    bne     2b
3:  ldarx   10, 0, 16
    addi    10, 10, 1
    stdcx.  10, 0, 16
    bne-    3b
    cmpdi   4, 0
    bne     idle
4:  ld      10, 0(16)
    cmpdi   10, 8
    bne     4b
    LA      3, msg_counter
    bl      puts
    ld      3, 0(15)
    bl      putdec
    li      3, 10
    bl      putc
    li      3, 0
    bl      power_off
idle:
    b       idle

    .data
    .balign 128
lock:    .long 0
    .balign 8
counter: .quad 0
    .balign 128
done:    .quad 0

    .section .rodata
msg_counter: .asciz "spinlock: counter "
