/* hang.S (1 CPU): a kernel that spins forever with interrupts off. k42sim must stop at the cycle
   limit with status 124 and print each CPU's state. */
    .set noreorder
    .text
    .globl _start
_start:
1:  b       1b
    nop
