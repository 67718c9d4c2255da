/* hang.S (1 CPU): a kernel that spins forever with MSR[EE]=0. k42sim must stop at the cycle limit
   with status 124 and print each CPU's state. */
    .text
    .globl _start
_start:
1:  addi    3, 3, 1
    b       1b
