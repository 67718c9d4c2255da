/* console_echo.S (1 CPU): reads the console UART's RX register (docs/platform.md) until it
   returns -1 and writes every byte it got back to TX, then powers off (status 0). Each read of
   RX consumes exactly one input byte, so the echo equals the input (PlatformDevicesTests). */
#include "runtime.S"

    .section .vectors, "ax"
vectors:
    DEFAULT_VECTORS

    .text
    .globl _start
_start:
    MMIO    9
1:  ld      10, 8(9)                /* RX */
    cmpdi   10, -1
    beq     2f
    std     10, 0(9)                /* TX */
    b       1b
2:  li      10, 0
    std     10, POWER_EXIT(9)
3:  b       3b
