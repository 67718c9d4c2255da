/* vector_fault.S: an exception vector whose own first instruction faults. The CPU count picks
   the variant n = CPUs - 1 (boot information; the CPU count rather than console input keeps the
   selection free of device side effects); CPUs other than 0 idle in `wait`. CPU 0 sets EBase =
   block n (4 KiB aligned) and jumps to block n + 0x180, the general exception vector. Its
   instruction faults as ordinary code, the exception enters the same vector (EXL = 1 from then
   on), which faults again: no instruction ever completes (MIPS64 PRA ch. 6: an instruction that
   takes an exception does not complete), so k42sim must halt with "exception loop" (status 3)
   after 64 of them, not run to --max-cycles. Variants: 0 break (Bp), 1 syscall (Sys), 2 teq
   (Tr), 3 a reserved encoding (SPECIAL funct 0x05: RI), 4 misaligned lw (AdEL), 5 the same lw
   in the delay slot of a branch (AdEL, EPC = the branch, BD = 1), 6 an FPU instruction with
   Status.CU1 = 0 (CpU, CE = 1), 7 add overflowing ($k1 = 0x7FFFFFFF: Ov). */
#include "runtime.S"

    .set noreorder
    .text
    .globl _start
_start:
    bnez    $a1, idle
    nop
    lui     $t0, 0x8000
    or      $t0, $a0, $t0           /* the boot information in ckseg0 */
    ld      $t0, 8($t0)             /* CPU count */
    daddiu  $t0, $t0, -1
    dsll    $t0, $t0, 12
    dla     $t1, blocks
    daddu   $t1, $t1, $t0
    lui     $k1, 0x7fff
    ori     $k1, $k1, 0xffff
    mtc0    $t1, $15, 1             /* EBase = block n */
    ehb
    daddiu  $t1, $t1, 0x180
    jr      $t1
    nop
idle:
    wait
    b       idle
    nop

/* Block n: 4 KiB, the faulting instruction at the general vector offset 0x180. */
.macro BLOCK
    .balign 4096
    .skip   0x180
.endm
    .balign 4096
blocks:
    BLOCK
    break
    BLOCK
    syscall
    BLOCK
    teq     $zero, $zero
    BLOCK
    .word   0x00000005
    BLOCK
    lw      $k0, 1($zero)
    BLOCK
    b       1f
    lw      $k0, 1($zero)
1:  nop
    BLOCK
    mov.d   $f0, $f2
    BLOCK
    add     $k0, $k1, $k1
