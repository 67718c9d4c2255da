/* tlbie.S (2 CPUs): tlbie is broadcast (Power ISA 2.07 Book III-S ch. 5, tlbie / tlbsync): after
   CPU 0's `tlbie; eieio; tlbsync; ptesync` no CPU may use the old translation. CPU 0 builds the
   page table (SDR1 = 0x400000) with a data page (EA 0x1000_3000, VSID 0x123 -> data_a) and a code
   page (EA 0x2000_5000, VSID 0x124 -> code_a); both CPUs load the same SLB. The pages use
   different soft-TLB slots, so neither evicts the other.
   Stage 1: CPU 1 loads through the data PTE (MSR[DR] = 1) and runs the code page (rfid with
     MSR[IR] = 1; its `li 3, 10; sc` comes back through the system call vector).
   Stage 2: CPU 0 replaces both PTEs (V = 0, ptesync, tlbie, eieio, tlbsync, ptesync; new RPN
     data_b / code_b; V = 1 — 5.10.1's sequence); CPU 1 must load 222 and get 11.
   Stage 3: CPU 0 removes the data PTE the same way; CPU 1's load must take a DSI "no
     translation" (DSISR 0x40000000, DAR = EA), whose handler prints the results and exits 0.
   Without a DSI CPU 1 prints what it loaded and exits 1. Handshake: CPU 0 writes `go`, CPU 1
   `ack` (real mode). */
#include "runtime.S"

    .section .vectors, "ax"
vectors:
    VECTOR 0x100, unexpected
    VECTOR 0x200, unexpected
    VECTOR 0x300, dsi_handler
    VECTOR 0x380, unexpected
    VECTOR 0x400, unexpected
    VECTOR 0x480, unexpected
    VECTOR 0x500, unexpected
    VECTOR 0x600, unexpected
    VECTOR 0x700, unexpected
    VECTOR 0x800, unexpected
    VECTOR 0x900, unexpected
    VECTOR 0xC00, sc_handler
    VECTOR 0xD00, unexpected
    VECTOR 0xF20, unexpected
    VECTOR 0xF40, unexpected
    .org 0x1000

/* SDR1 and the two SLB entries (each CPU has its own SLB); clobbers r3, r4. */
.macro LOAD_MMU
    lis     3, HTAB@h
    mtspr   SPR_SDR1, 3
    li      3, 0x123            /* VSID 0x123, Ks = Kp = 0 (key 0: PP 10 is read/write) */
    sldi    3, 3, 12
    lis     4, 0x1000           /* ESID 1, V, index 0 */
    oris    4, 4, 0x0800
    slbmte  3, 4
    li      3, 0x124
    sldi    3, 3, 12
    lis     4, 0x2000           /* ESID 2, V, index 1 */
    oris    4, 4, 0x0800
    ori     4, 4, 1
    slbmte  3, 4
    isync
.endm

/* Waits until the doubleword at \sym equals \value (clobbers r10, r11). */
.macro WAIT_FOR sym, value
    LA      11, \sym
97: ld      10, 0(11)
    cmpdi   10, \value
    bne     97b
    isync
.endm

/* Stores \value to \sym (clobbers r10, r11). */
.macro SIGNAL sym, value
    sync
    LA      11, \sym
    li      10, \value
    std     10, 0(11)
.endm

/* Invalidates the PTE at r\pte (V = 0) and the page's translations on every CPU:
   RB = VA = VSID << 28 | EA[36:51] << 12 (4 KiB page, B = 0, L = 0). Clobbers r8, r9. */
.macro KILL_PTE pte, vsid, offset
    li      8, 0
    stdbrx  8, 0, \pte
    ptesync
    li      9, \vsid
    sldi    9, 9, 28
    ori     9, 9, \offset
    tlbie   9, 0
    eieio
    tlbsync
    ptesync
.endm

    .text
    .globl _start
_start:
    cmpdi   4, 0
    bne     cpu1
    COPY_VECTORS
    LOAD_MMU
    lis     3, 0x1000           /* data page EA 0x1000_3000 -> data_a, PP = 10 */
    ori     3, 3, 0x3000
    LA      4, data_a
    li      5, 2
    li      6, 0x123
    bl      insert_pte
    mr      15, 11              /* r15 = the data PTE */
    lis     3, 0x2000           /* code page EA 0x2000_5000 -> code_a, PP = 10, N = G = 0 */
    ori     3, 3, 0x5000
    LA      4, code_a
    li      5, 2
    li      6, 0x124
    bl      insert_pte
    mr      16, 11              /* r16 = the code PTE */
    SIGNAL  go, 1
    WAIT_FOR ack, 1
    /* Stage 2: replace both PTEs. */
    ldbrx   17, 0, 15           /* dword 0 (AVA, V) to restore */
    KILL_PTE 15, 0x123, 0x3000
    LA      8, data_b
    ori     8, 8, 2
    addi    9, 15, 8
    stdbrx  8, 0, 9
    eieio
    stdbrx  17, 0, 15
    ptesync
    ldbrx   17, 0, 16
    KILL_PTE 16, 0x124, 0x5000
    LA      8, code_b
    ori     8, 8, 2
    addi    9, 16, 8
    stdbrx  8, 0, 9
    eieio
    stdbrx  17, 0, 16
    ptesync
    SIGNAL  go, 2
    WAIT_FOR ack, 2
    /* Stage 3: remove the data PTE. */
    KILL_PTE 15, 0x123, 0x3000
    SIGNAL  go, 3
cpu0_idle:
    b       cpu0_idle

cpu1:
    WAIT_FOR go, 1
    LOAD_MMU
    bl      load_data
    std     14, res_data1 - res_base(29)
    bl      run_code
    std     3, res_code1 - res_base(29)
    SIGNAL  ack, 1
    WAIT_FOR go, 2
    bl      load_data
    std     14, res_data2 - res_base(29)
    bl      run_code
    std     3, res_code2 - res_base(29)
    SIGNAL  ack, 2
    WAIT_FOR go, 3
    bl      load_data           /* must take a DSI */
    std     14, res_data3 - res_base(29)
    bl      print_results
    LA      3, msg_no_dsi
    bl      puts
    ld      3, res_data3 - res_base(29)
    bl      putdec
    li      3, 10
    bl      putc
    li      3, 1
    bl      power_off

/* r14 = the doubleword at EA 0x1000_3000, loaded with MSR[DR] = 1; r29 = res_base. Clobbers
   r3, r4, r22. */
load_data:
    LA      29, res_base
    lis     22, 0x1000
    ori     22, 22, 0x3000
    mfmsr   3
    ori     3, 3, 0x10          /* MSR[DR] */
    mtmsrd  3, 0
    isync
    ld      14, 0(22)
    li      4, 0x10
    andc    3, 3, 4
    mtmsrd  3, 0
    isync
    blr

/* r3 = what the code page at EA 0x2000_5000 returns: rfid to it with MSR[IR] = 1; it ends
   with sc, whose handler continues at r30. Clobbers r3, r30, LR kept in r31. */
run_code:
    mflr    31
    LA      30, run_code_back
    lis     3, 0x2000
    ori     3, 3, 0x5000
    mtspr   SPR_SRR0, 3
    mfmsr   3
    ori     3, 3, 0x20          /* MSR[IR] */
    mtspr   SPR_SRR1, 3
    rfid
run_code_back:
    mtlr    31
    blr

sc_handler:
    mtctr   30
    bctr

/* CPU 1's stage 3 load: DSI. Prints the results, DAR and DSISR; exits 0. */
dsi_handler:
    bl      print_results
    LA      3, msg_dsi
    bl      puts
    mfspr   3, SPR_DAR
    bl      puthex
    LA      3, msg_dsisr
    bl      puts
    mfspr   3, SPR_DSISR
    bl      puthex
    li      3, 10
    bl      putc
    li      3, 0
    bl      power_off

/* "stage 1: data D code C\nstage 2: data D code C\n" (clobbers r3, r8-r12, r28, LR kept in r27). */
print_results:
    mflr    27
    LA      28, res_base
    LA      3, msg_stage1
    bl      puts
    ld      3, res_data1 - res_base(28)
    bl      putdec
    LA      3, msg_code
    bl      puts
    ld      3, res_code1 - res_base(28)
    bl      putdec
    LA      3, msg_stage2
    bl      puts
    ld      3, res_data2 - res_base(28)
    bl      putdec
    LA      3, msg_code
    bl      puts
    ld      3, res_code2 - res_base(28)
    bl      putdec
    li      3, 10
    bl      putc
    mtlr    27
    blr

    .section .user, "ax"
    .balign 4096
code_a:
    li      3, 10
    sc
    .balign 4096
code_b:
    li      3, 11
    sc
    .balign 4096
data_a:
    .quad   111
    .balign 4096
data_b:
    .quad   222

    .data
    .balign 8
go:        .quad 0
ack:       .quad 0
res_base:
res_data1: .quad 0
res_code1: .quad 0
res_data2: .quad 0
res_code2: .quad 0
res_data3: .quad 0

    .section .rodata
msg_stage1: .asciz "stage 1: data "
msg_stage2: .asciz "\nstage 2: data "
msg_code:   .asciz " code "
msg_dsi:    .asciz "stage 3: dsi dar "
msg_dsisr:  .asciz " dsisr "
msg_no_dsi: .asciz "stage 3: no dsi, data "
