/* bench.S: a CPU-bound workload for scripts/bench-timing (PPC64 port of ../mips64/bench.S).
   Every CPU runs TOTAL / (CPU count) passes over its own 16 KiB array (in the L1D), so the
   machine's total work is the same for any CPU count (~75 M instructions): per 8 bytes a load,
   an add, a shift/xor mix and a store, plus the loop compare and branch. CPU 0 waits for all
   CPUs and powers off with 0. */
#include "runtime.S"
#define TOTAL 4096

    .section .vectors, "ax"
vectors:
    DEFAULT_VECTORS

    .text
    .globl _start
_start:
    cmpdi   4, 0
    bne     1f
    COPY_VECTORS
1:  ld      25, 8(3)                    /* CPU count */
    LA      14, arrays
    sldi    9, 4, 15                    /* 32 KiB apart */
    add     14, 14, 9
    li      15, TOTAL
    divdu   15, 15, 25
    li      16, 0x1234
2:  mr      9, 14
    addi    10, 14, 16384
3:  ld      11, 0(9)
    add     11, 11, 16
    sldi    12, 11, 3
    xor     16, 16, 12
    std     11, 0(9)
    addi    9, 9, 8
    cmpld   9, 10
    bne     3b
    addi    15, 15, -1
    cmpdi   15, 0
    bne     2b
    LA      9, done
4:  lwarx   10, 0, 9
    addi    10, 10, 1
    stwcx.  10, 0, 9
    bne-    4b
    cmpdi   4, 0
    bne     park
5:  lwz     10, 0(9)
    cmpw    10, 25
    bne     5b
    li      3, 0
    bl      power_off
park:
    b       park

    .data
    .balign 128
done:   .long 0
    .balign 4096
arrays: .space 16 * 32768
