/* cache_sweep.S: working-set / stride sweeps for the analytic cache tests (1 CPU, timing on).
   For each (size, stride) of `sweeps`: one warm-up pass over the array, sim-call "reset
   statistics", PASSES passes that load every stride-th byte of the first `size` bytes, sim-call
   "dump statistics". Between reset and dump the only data accesses are those loads (the
   sim-call port is uncached device space) and the loop needs no stack. The array is aligned to
   128 KiB, so byte offset o is in L1D set (o / line) mod sets for every geometry tested.
   Prints "sweeps <n>" and powers off with 0. (PPC64 port of ../mips64/cache_sweep.S.) */
#include "runtime.S"
#define SIMCALL 0x3000                    /* ARG0 0, ARG1 8, OP 0x10 */
#define PASSES  3

    .section .vectors, "ax"
vectors:
    DEFAULT_VECTORS

    .text
    .globl _start
_start:
    COPY_VECTORS
    LA      14, sweeps
    li      16, 0                       /* sweeps done */
    MMIO    15
next:
    ld      17, 0(14)                   /* size (0 ends the table) */
    cmpdi   17, 0
    beq     done
    ld      18, 8(14)                   /* stride */
    LA      3, array
    mr      4, 17
    mr      5, 18
    li      6, 1                        /* warm-up pass */
    bl      sweep
    li      9, 3
    std     9, SIMCALL+0x10(15)         /* reset statistics */
    LA      3, array
    mr      4, 17
    mr      5, 18
    li      6, PASSES
    bl      sweep
    li      9, 4
    std     9, SIMCALL+0x10(15)         /* dump statistics */
    addi    16, 16, 1
    addi    14, 14, 16
    b       next
done:
    LA      3, msg
    bl      puts
    mr      3, 16
    bl      putdec
    li      3, 10
    bl      putc
    li      3, 0
    bl      power_off

/* sweep(r3 = base, r4 = size, r5 = stride, r6 = passes): loads only, no stack. */
    .balign 128
sweep:
1:  mr      7, 3
    add     8, 3, 4
2:  ld      9, 0(7)
    add     7, 7, 5
    cmpld   7, 8
    blt     2b
    addi    6, 6, -1
    cmpdi   6, 0
    bne     1b
    blr

    .data
msg:    .asciz "sweeps "
    .balign 8
/* (size, stride) pairs; keep in sync with PPC64TimingTests / MIPS64TimingTests.sweeps. */
sweeps:
    .quad 8192, 8
    .quad 32768, 8
    .quad 32768, 128
    .quad 32768, 256
    .quad 49152, 128
    .quad 65536, 8
    .quad 65536, 128
    .quad 65536, 256
    .quad 16384, 4096
    .quad 65536, 4096
    .quad 131072, 512
    .quad 0, 0
    .balign 131072
array:
    .space 131072
