/* litmus.S: coherence litmus tests on 4 CPUs — MP, SB, LB, IRIW, 2+2W, each ITER times without
   and then with `sync` between the two accesses of every thread. Per iteration: barrier, a
   start skew of ((iteration * (7 + 4 * cpu) + test * 3) mod 29) delay-loop turns, the test's
   thread body (CPUs beyond the test's thread count do nothing), barrier, then CPU 0 records the
   outcome and resets the variables (x and y are on different cache lines). After ITER
   iterations CPU 0 prints "<test> <nosync|sync>:" and the count of every outcome index:
     MP   T0: x=1; [sync]; y=1          T1: r0=y; [sync]; r1=x            index r0*2 + r1
     SB   T0: x=1; [sync]; r0=y         T1: y=1; [sync]; r1=x             index r0*2 + r1
     LB   T0: r0=x; [sync]; y=1         T1: r1=y; [sync]; x=1             index r0*2 + r1
     IRIW T0: x=1  T1: y=1  T2: r0=x; [sync]; r1=y  T3: r2=y; [sync]; r3=x index r0*8+r1*4+r2*2+r3
     2+2W T0: x=1; [sync]; y=2          T1: y=1; [sync]; x=2              index x*4 + y
   Powers off with 0. */
    .set noreorder
#include "runtime.S"
#define ITER 200
#define MAYBE_SYNC beqz $s6, 9f ; nop ; sync ; 9:

    .section .vectors, "ax"
vectors:
    .org 0x180
    jal     power_off
    li      $a0, 3

    .text
    .globl _start
_start:
    PROLOGUE
    lui     $t0, 0x8000
    or      $t0, $a0, $t0
    ld      $s7, 8($t0)                 /* CPU count */
    move    $s0, $a1                    /* this CPU */
    dla     $s1, var_x
    dla     $s2, var_y
    dla     $s3, results
    li      $s5, 0                      /* test */
test_loop:
    li      $s6, 0                      /* variant: 0 no sync, 1 sync */
variant_loop:
    bnez    $s0, 2f
    nop
    dla     $t0, hist                   /* CPU 0 clears the histogram */
    li      $t1, 16
1:  sd      $zero, 0($t0)
    daddiu  $t1, $t1, -1
    bnez    $t1, 1b
    daddiu  $t0, $t0, 8
2:  li      $s4, 0                      /* iteration */
iter_loop:
    jal     barrier
    nop
    /* skew */
    dsll    $t0, $s0, 2                 /* (iteration * (7 + 4 * cpu) + test * 3) mod 29 */
    daddiu  $t0, $t0, 7
    multu   $s4, $t0
    mflo    $t0
    li      $t1, 3
    multu   $s5, $t1
    mflo    $t1
    daddu   $t0, $t0, $t1
    li      $t1, 29
    divu    $zero, $t0, $t1
    mfhi    $t0
1:  bnez    $t0, 1b
    daddiu  $t0, $t0, -1
    jal     body
    nop
    jal     barrier
    nop
    bnez    $s0, 3f
    nop
    jal     tally
    nop
3:  daddiu  $s4, $s4, 1
    li      $t0, ITER
    bne     $s4, $t0, iter_loop
    nop
    bnez    $s0, 4f
    nop
    jal     report
    nop
4:  daddiu  $s6, $s6, 1
    li      $t0, 2
    bne     $s6, $t0, variant_loop
    nop
    daddiu  $s5, $s5, 1
    li      $t0, 5
    bne     $s5, $t0, test_loop
    nop
    jal     barrier
    nop
    bnez    $s0, park
    nop
    jal     power_off
    li      $a0, 0
park:
    wait
    b       park
    nop

/* body: this CPU's part of test $s5; results to results[cpu] (+0, +8). */
body:
    li      $t9, 1
    li      $t8, 2
    li      $t0, 0
    beq     $s5, $t0, body_mp
    li      $t0, 1
    beq     $s5, $t0, body_sb
    li      $t0, 2
    beq     $s5, $t0, body_lb
    li      $t0, 3
    beq     $s5, $t0, body_iriw
    nop
    b       body_22w
    nop
body_mp:
    beqz    $s0, 1f
    li      $t0, 1
    bne     $s0, $t0, body_done
    nop
    lw      $t1, 0($s2)
    MAYBE_SYNC
    lw      $t2, 0($s1)
    b       store_results
    nop
1:  sw      $t9, 0($s1)
    MAYBE_SYNC
    sw      $t9, 0($s2)
    b       body_done
    nop
body_sb:
    beqz    $s0, 1f
    li      $t0, 1
    bne     $s0, $t0, body_done
    nop
    sw      $t9, 0($s2)
    MAYBE_SYNC
    lw      $t1, 0($s1)
    b       store_results
    nop
1:  sw      $t9, 0($s1)
    MAYBE_SYNC
    lw      $t1, 0($s2)
    b       store_results
    nop
body_lb:
    beqz    $s0, 1f
    li      $t0, 1
    bne     $s0, $t0, body_done
    nop
    lw      $t1, 0($s2)
    MAYBE_SYNC
    sw      $t9, 0($s1)
    b       store_results
    nop
1:  lw      $t1, 0($s1)
    MAYBE_SYNC
    sw      $t9, 0($s2)
    b       store_results
    nop
body_iriw:
    beqz    $s0, 1f
    li      $t0, 1
    beq     $s0, $t0, 2f
    li      $t0, 2
    beq     $s0, $t0, 3f
    li      $t0, 3
    bne     $s0, $t0, body_done
    nop
    lw      $t1, 0($s2)                 /* T3: r2 = y; r3 = x */
    MAYBE_SYNC
    lw      $t2, 0($s1)
    b       store_results
    nop
3:  lw      $t1, 0($s1)                 /* T2: r0 = x; r1 = y */
    MAYBE_SYNC
    lw      $t2, 0($s2)
    b       store_results
    nop
2:  sw      $t9, 0($s2)
    b       body_done
    nop
1:  sw      $t9, 0($s1)
    b       body_done
    nop
body_22w:
    beqz    $s0, 1f
    li      $t0, 1
    bne     $s0, $t0, body_done
    nop
    sw      $t9, 0($s2)
    MAYBE_SYNC
    sw      $t8, 0($s1)
    b       body_done
    nop
1:  sw      $t9, 0($s1)
    MAYBE_SYNC
    sw      $t8, 0($s2)
    b       body_done
    nop
store_results:
    dsll    $t0, $s0, 4
    daddu   $t0, $s3, $t0
    sd      $t1, 0($t0)
    sd      $t2, 8($t0)
body_done:
    jr      $ra
    nop

/* tally (CPU 0): outcome index of test $s5 -> hist[index] += 1; reset x, y, results. */
tally:
    li      $t0, 0
    beq     $s5, $t0, 1f
    li      $t0, 3
    beq     $s5, $t0, 2f
    li      $t0, 4
    beq     $s5, $t0, 3f
    nop
    ld      $t1, 0($s3)                 /* SB, LB: r0 = results[0].a, r1 = results[1].a */
    ld      $t2, 16($s3)
    dsll    $t1, $t1, 1
    b       8f
    daddu   $t1, $t1, $t2
1:  ld      $t1, 16($s3)                /* MP: r0, r1 of T1 */
    ld      $t2, 24($s3)
    dsll    $t1, $t1, 1
    b       8f
    daddu   $t1, $t1, $t2
2:  ld      $t1, 32($s3)                /* IRIW: T2 r0 r1, T3 r2 r3 */
    ld      $t2, 40($s3)
    dsll    $t1, $t1, 3
    dsll    $t2, $t2, 2
    daddu   $t1, $t1, $t2
    ld      $t2, 48($s3)
    dsll    $t2, $t2, 1
    daddu   $t1, $t1, $t2
    ld      $t2, 56($s3)
    b       8f
    daddu   $t1, $t1, $t2
3:  lw      $t1, 0($s1)                 /* 2+2W: final x, y (a lost store shows as a 0) */
    lw      $t2, 0($s2)
    dsll    $t1, $t1, 2
    daddu   $t1, $t1, $t2
8:  andi    $t1, $t1, 15
    dsll    $t1, $t1, 3
    dla     $t0, hist
    daddu   $t0, $t0, $t1
    ld      $t2, 0($t0)
    daddiu  $t2, $t2, 1
    sd      $t2, 0($t0)
    sw      $zero, 0($s1)
    sw      $zero, 0($s2)
    li      $t1, 8
    move    $t0, $s3
9:  sd      $zero, 0($t0)
    daddiu  $t1, $t1, -1
    bnez    $t1, 9b
    daddiu  $t0, $t0, 8
    jr      $ra
    nop

/* report (CPU 0): "<name> <variant>: c0 c1 ..." (16 counts for IRIW and 2+2W, 4 otherwise). */
report:
    daddiu  $sp, $sp, -16
    sd      $ra, 0($sp)
    dla     $a0, names
    dsll    $t0, $s5, 3
    daddu   $a0, $a0, $t0
    jal     puts
    nop
    dla     $a0, nosync
    beqz    $s6, 1f
    nop
    dla     $a0, withsync
1:  jal     puts
    nop
    li      $s8, 4
    sltiu   $t0, $s5, 3
    bnez    $t0, 2f
    nop
    li      $s8, 16
2:  dla     $s4, hist
3:  jal     putc
    li      $a0, 32
    ld      $a0, 0($s4)
    jal     putdec
    daddiu  $s4, $s4, 8
    daddiu  $s8, $s8, -1
    bnez    $s8, 3b
    nop
    jal     putc
    li      $a0, 10
    ld      $ra, 0($sp)
    jr      $ra
    daddiu  $sp, $sp, 16

#include "barrier.inc"

    .data
names:    .asciz "MP     "
          .asciz "SB     "
          .asciz "LB     "
          .asciz "IRIW   "
          .asciz "2+2W   "
nosync:   .asciz " nosync:"
withsync: .asciz " sync:"
    .balign 128
var_x:     .dword 0
    .balign 128
var_y:     .dword 0
    .balign 128
bar_count: .word 0
    .balign 128
bar_gen:   .word 0
    .balign 128
results:   .space 64
    .balign 128
hist:      .space 128
