/* runtime.S: shared pieces of the bare-metal MIPS64 test images (included by each image):
   platform addresses, the start-up prologue and console/power helpers. Helpers need a stack
   ($sp) and clobber $t8, $t9, $t0-$t3 and $a0; they call nothing. */
#define MMIO        0x900000FFF0000000   /* xkphys uncached | MMIO window (docs/platform.md) */
#define UART_TX     0
#define POWER_EXIT  0x1000
#define CLOCK       0x2000
#define IC_BASE     0x10000               /* + 0x100 * cpu: PENDING 0, ENABLE 8, ACK 0x10, IPI 0x18, TIMER 0x20 */

/* Prologue: EBase = the vectors at the start of the image, $sp = this CPU's stack. */
.macro PROLOGUE
    dla     $t0, vectors
    mtc0    $t0, $15, 1
    dla     $sp, stacks_top
    dsll    $t0, $a1, 12
    dsubu   $sp, $sp, $t0
.endm

    .text
/* putc($a0): writes one byte to the console. */
putc:
    dli     $t8, MMIO
    jr      $ra
    sd      $a0, UART_TX($t8)

/* puts($a0): writes a NUL-terminated string. */
puts:
    dli     $t8, MMIO
1:  lbu     $t9, 0($a0)
    beqz    $t9, 2f
    nop
    sd      $t9, UART_TX($t8)
    b       1b
    daddiu  $a0, $a0, 1
2:  jr      $ra
    nop

/* putdec($a0): unsigned decimal. */
putdec:
    daddiu  $sp, $sp, -32
    move    $t0, $sp
    daddiu  $t0, $t0, 31
    sb      $zero, 0($t0)
    li      $t1, 10
1:  ddivu   $zero, $a0, $t1
    mfhi    $t2
    mflo    $a0
    daddiu  $t2, $t2, 48
    daddiu  $t0, $t0, -1
    bnez    $a0, 1b
    sb      $t2, 0($t0)
    dli     $t8, MMIO
2:  lbu     $t9, 0($t0)
    beqz    $t9, 3f
    nop
    sd      $t9, UART_TX($t8)
    b       2b
    daddiu  $t0, $t0, 1
3:  jr      $ra
    daddiu  $sp, $sp, 32

/* puthex($a0): "0x" and 16 hex digits. */
puthex:
    dli     $t8, MMIO
    li      $t9, 48
    sd      $t9, UART_TX($t8)
    li      $t9, 120
    sd      $t9, UART_TX($t8)
    li      $t0, 60
1:  dsrlv   $t1, $a0, $t0
    andi    $t1, $t1, 15
    sltiu   $t2, $t1, 10
    bnez    $t2, 2f
    daddiu  $t9, $t1, 48
    daddiu  $t9, $t1, 87
2:  sd      $t9, UART_TX($t8)
    bnez    $t0, 1b
    addiu   $t0, $t0, -4
    jr      $ra
    nop

/* power_off($a0): the machine stops; k42sim boot exits with $a0 & 0xff. */
power_off:
    dli     $t8, MMIO
    sd      $a0, POWER_EXIT($t8)
1:  b       1b
    nop
