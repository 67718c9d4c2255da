/* wild.S (1 CPU): a wild jump with nowhere sane to go. EBase is moved to 0x3FFFF000 (ckseg0,
   physical ~1 GiB, beyond RAM), then the kernel jumps to user address 0x1000, which has no TLB
   entry: the TLB refill vector fetch is a bus error (IBE), whose vector fetch is a bus error
   again, forever. k42sim must halt with a diagnostic (status 3), not hang or crash. */
    .set noreorder
    .text
    .globl _start
_start:
    lui     $t0, 0x3fff
    ori     $t0, $t0, 0xf000
    mtc0    $t0, $15, 1
    ehb
    li      $t1, 0x1000
    jr      $t1
    nop
