/* stress.S: randomized multi-CPU memory traffic for the coherence checking mode (run with
   --check-coherence on 2+ nodes; PPC64 port of ../mips64/stress.S). Every CPU runs OPS
   pseudo-random operations (64-bit LCG seeded by the CPU number + 1, r = state >> 33) on two
   shared regions: region A (2 KiB in node 0's memory, .data) gets loads (op 0, 2), stores
   (1, 3), dcbf (6) and dcbst (7) at offset r & 0x7F8; region B (16 counters, one per 128-byte
   line, at node 1 + 1 MiB, real mode) gets ldarx/stdcx. increments (4, 5) of counter
   (r >> 16) & 15; op = (r >> 12) & 7. Each CPU adds its number of increments to `total`
   (ldarx/stdcx.); CPU 0 waits for all CPUs, then checks sum(region B) == total and prints
   "stress: ok <total>" (exit 0) or "stress: lost updates" (exit 1). */
#include "runtime.S"
#define OPS 4000

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
    ld      9, 0x20(3)                  /* memory per node: region B = node 1 + 1 MiB */
    lis     10, 0x10
    add     15, 9, 10
    mr      24, 4
    LA      14, region_a
    addi    16, 4, 1                    /* LCG state */
    LA      9, lcg
    ld      17, 0(9)
    ld      18, 8(9)
    li      19, OPS
    li      20, 0                       /* increments done */
loop:
    mulld   16, 16, 17
    add     16, 16, 18
    srdi    5, 16, 33
    andi.   6, 5, 0x7F8                 /* offset in region A */
    add     6, 14, 6
    srdi    7, 5, 12
    andi.   7, 7, 7                     /* operation */
    cmpdi   7, 4
    blt     1f                          /* 0-3: load / store */
    cmpdi   7, 6
    beq     2f                          /* 6: dcbf */
    cmpdi   7, 7
    beq     3f                          /* 7: dcbst */
    srdi    8, 5, 16                    /* 4-5: ldarx/stdcx. increment */
    andi.   8, 8, 15
    sldi    8, 8, 7
    add     8, 15, 8
4:  ldarx   9, 0, 8
    addi    9, 9, 1
    stdcx.  9, 0, 8
    bne-    4b
    addi    20, 20, 1
    b       next
1:  andi.   8, 7, 1
    bne     5f
    ld      9, 0(6)
    b       next
5:  std     16, 0(6)
    b       next
2:  dcbf    0, 6
    b       next
3:  dcbst   0, 6
next:
    addi    19, 19, -1
    cmpdi   19, 0
    bne     loop
    LA      9, total
6:  ldarx   10, 0, 9
    add     10, 10, 20
    stdcx.  10, 0, 9
    bne-    6b
    LA      9, done
7:  lwarx   10, 0, 9
    addi    10, 10, 1
    stwcx.  10, 0, 9
    bne-    7b
    cmpdi   24, 0
    bne     park
8:  lwz     10, 0(9)
    cmpw    10, 25
    bne     8b
    li      10, 16                      /* sum region B */
    mtctr   10
    mr      11, 15
    li      12, 0
9:  ld      10, 0(11)
    add     12, 12, 10
    addi    11, 11, 128
    bdnz    9b
    LA      9, total
    ld      21, 0(9)
    cmpd    12, 21
    bne     bad
    LA      3, okmsg
    bl      puts
    mr      3, 21
    bl      putdec
    li      3, 10
    bl      putc
    li      3, 0
    bl      power_off
bad:
    LA      3, badmsg
    bl      puts
    li      3, 1
    bl      power_off
park:
    b       park

    .data
okmsg:  .asciz "stress: ok "
badmsg: .asciz "stress: lost updates\n"
    .balign 8
lcg:    .quad 6364136223846793005, 1442695040888963407
    .balign 128
total:  .quad 0
    .balign 128
done:   .long 0
    .balign 128
region_a: .space 2048
