/* wild.S (1 CPU): a wild jump to physical 0, where no vectors were installed (zero words are
   illegal instructions): the program interrupt at 0x700 meets another zero word, forever.
   k42sim must halt with a diagnostic (status 3), not hang or crash. */
    .text
    .globl _start
_start:
    li      3, 0
    mtctr   3
    bctr
