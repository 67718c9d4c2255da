/* runtime.S: shared pieces of the bare-metal PPC64 test images (included by each image):
   platform addresses, the vector-copy prologue and console/power helpers. Helpers are leaves:
   they take r3, clobber r8-r12 and CR0, and return with blr (callers keep their own LR). */
#define IC_BASE     0x10000     /* + 0x100 * cpu: PENDING 0, ENABLE 8, ACK 0x10, IPI 0x18, TIMER 0x20 */
#define POWER_EXIT  0x1000
#define SPR_DEC     22
#define SPR_DAR     19
#define SPR_DSISR   18
#define SPR_SDR1    25
#define SPR_SRR0    26
#define SPR_SRR1    27
#define SPR_SPRG0   272
#define SPR_PIR     1023
#define MSR_EE      0x8000
#define MSR_PR      0x4000
#define MSR_IR_DR   0x30

/* \reg = 0xFF_F000_0000, the MMIO window (real mode reaches it directly). */
.macro MMIO reg
    li      \reg, 0xFFF
    sldi    \reg, \reg, 28
.endm

/* \reg = address of \sym (images lie below 2 GiB). */
.macro LA reg, sym
    lis     \reg, \sym@ha
    addi    \reg, \reg, \sym@l
.endm

/* One interrupt vector: r20 = its offset, then the handler (through CTR; clobbers r21). */
.macro VECTOR off, handler
    .org    \off
    li      20, \off
    GOTO    \handler
.endm

/* Absolute jump (lld has no R_PPC64_ADDR24 for `ba`): clobbers r21 and CTR. */
.macro GOTO handler
    lis     21, \handler@ha
    addi    21, 21, \handler@l
    mtctr   21
    bctr
.endm

/* Copies the 4 KiB .vectors block to physical 0 (clobbers r9-r12, CTR). */
.macro COPY_VECTORS
    LA      9, vectors
    li      10, 0
    li      11, 512
    mtctr   11
98: ld      12, 0(9)
    std     12, 0(10)
    addi    9, 9, 8
    addi    10, 10, 8
    bdnz    98b
    sync
    isync
.endm

    .text
/* putc(r3) */
putc:
    MMIO    9
    std     3, 0(9)
    blr

/* puts(r3 = NUL-terminated string) */
puts:
    MMIO    9
1:  lbz     10, 0(3)
    cmpdi   10, 0
    beqlr
    std     10, 0(9)
    addi    3, 3, 1
    b       1b

/* putdec(r3): unsigned decimal */
putdec:
    MMIO    9
    li      10, 1
    li      12, 10
1:  mulld   11, 10, 12
    cmpld   11, 3
    bgt     2f
    mr      10, 11
    b       1b
2:  divdu   11, 3, 10
    mulld   8, 11, 10
    subf    3, 8, 3
    addi    11, 11, 48
    std     11, 0(9)
    divdu   10, 10, 12
    cmpdi   10, 0
    bne     2b
    blr

/* puthex(r3): "0x" and 16 hex digits */
puthex:
    MMIO    9
    li      10, 48
    std     10, 0(9)
    li      10, 120
    std     10, 0(9)
    li      11, 60
1:  srd     10, 3, 11
    andi.   10, 10, 15
    cmpldi  10, 10
    blt     2f
    addi    10, 10, 39
2:  addi    10, 10, 48
    std     10, 0(9)
    addi    11, 11, -4
    cmpdi   11, 0
    bge     1b
    blr

/* power_off(r3): the machine stops; k42sim boot exits with r3 & 0xff. */
power_off:
    MMIO    9
    std     3, POWER_EXIT(9)
1:  b       1b

/* unexpected: any vector the image does not handle (r20 = vector). Prints and exits 3. */
unexpected:
    LA      3, msg_unexpected
    bl      puts
    mr      3, 20
    bl      puthex
    LA      3, msg_srr0
    bl      puts
    mfspr   3, SPR_SRR0
    bl      puthex
    LA      3, msg_srr1
    bl      puts
    mfspr   3, SPR_SRR1
    bl      puthex
    li      3, 10
    bl      putc
    li      3, 3
    bl      power_off

    .section .rodata
msg_unexpected: .asciz "unexpected interrupt "
msg_srr0:       .asciz " srr0 "
msg_srr1:       .asciz " srr1 "
    .text

/* insert_pte(r3 = effective address, r4 = physical page, r5 = PTE dword-1 bits (PP, N, WIMG),
   r6 = VSID): puts a 4 KiB PTE for a 256 MiB segment into the first free slot of the primary
   PTEG of the page table at HTAB (SDR1 = HTAB, HTABSIZE = 0: 2048 PTEGs), big-endian, dword 1
   first, then dword 0 with V; ptesync. Power ISA 2.07 Book III-S 5.7.7 (hash, AVA), 5.7.7.1
   (PTE format). Exits with status 4 when the PTEG is full. */
#define HTAB 0x400000
insert_pte:
    clrldi  10, 3, 36           /* EA[36:63]: offset in the segment */
    srdi    11, 10, 12
    clrldi  12, 6, 25           /* VSID[37:76] (39 bits) */
    xor     11, 11, 12
    andi.   11, 11, 0x7FF
    sldi    11, 11, 7
    lis     12, HTAB@h
    add     11, 11, 12
    li      12, 8
    mtctr   12
1:  ldbrx   8, 0, 11
    andi.   8, 8, 1
    beq     2f
    addi    11, 11, 16
    bdnz    1b
    li      3, 4
    b       power_off
2:  or      8, 4, 5
    addi    12, 11, 8
    stdbrx  8, 0, 12
    sldi    8, 6, 5             /* AVA = VSID || EA[36:40] */
    srdi    12, 10, 23
    or      8, 8, 12
    sldi    8, 8, 7
    ori     8, 8, 1             /* V */
    stdbrx  8, 0, 11
    ptesync
    blr

/* The standard vector block: every vector reports "unexpected"; images with handlers write
   their own .vectors section. */
.macro DEFAULT_VECTORS
    VECTOR 0x100, unexpected
    VECTOR 0x200, unexpected
    VECTOR 0x300, unexpected
    VECTOR 0x380, unexpected
    VECTOR 0x400, unexpected
    VECTOR 0x480, unexpected
    VECTOR 0x500, unexpected
    VECTOR 0x600, unexpected
    VECTOR 0x700, unexpected
    VECTOR 0x800, unexpected
    VECTOR 0x900, unexpected
    VECTOR 0xC00, unexpected
    VECTOR 0xD00, unexpected
    VECTOR 0xF20, unexpected
    VECTOR 0xF40, unexpected
    .org 0x1000
.endm
