/* layout.h (PPC64): the kernel's address-space constants and the offsets the assembly glue
   shares with Swift (Arch.swift, TrapFrame.swift, HashedPageTable.swift must agree;
   docs/kernel/memory-layout.md).

   The kernel runs with translation on. Its linear map (kva = KBASE + pa, up to 64 GiB, and the
   device window at KBASE + 0xFF_F000_0000, cache-inhibited) is one 1 TiB segment of 16 MiB pages
   bolted in SLB entry 0; processor-specific memory is a 256 MiB segment at PERCPU_VA with a
   different VSID on every CPU, bolted in SLB entry 1. Both segments have Ks = 0, Kp = 1 and
   their pages PP = 00: read/write for the kernel, no access at all in problem state.
   Interrupt vectors run in real mode (the vector block below is copied to physical 0x100). */
#define KBASE           0x0000010000000000
#define KBASE_SHIFT36   0x10                    /* KBASE >> 36: linear-map stack check */
#define PERCPU_VA       0x0000020000000000
#define KERNEL_VSID     0x4B4200                /* VSID of the 1 TiB linear-map segment */
#define HPT_BYTES       0x100000                /* 8192 PTEGs: HTABSIZE = 2 */
#define HPT_SIZE_FIELD  2
#define BOOT_STACK_SHIFT 13
#define MAX_CPUS        256

/* MSR values: kernel (SF HV ME FP IR DR RI LE, EE off) */
#define MSR_KERNEL_HI   0x9000                  /* SF | HV, bits 63 and 60 (<< 48) */
#define MSR_KERNEL_LO   0x3033                  /* FP ME IR DR RI LE */

/* Per-CPU area (PCA) fields the vectors use; SPRG0 holds the area's physical address. */
#define PCA_CPU         0x00
#define PCA_KSTACK      0x18
#define PCA_R1          0x20
#define PCA_R11         0x28
#define PCA_R12         0x30
#define PCA_CR          0x38

/* Trap frame: 64-bit words. */
#define TF_GPR          0
#define TF_CR           256
#define TF_LR           264
#define TF_CTR          272
#define TF_XER          280
#define TF_SRR0         288
#define TF_SRR1         296
#define TF_DAR          304
#define TF_DSISR        312
#define TF_VECTOR       320
#define TF_FPSCR        328
#define TF_FPR          336
#define TF_SIZE         592
#define RED_ZONE        288     /* ELFv2: code may use 288 bytes below r1 */

/* Context-switch frame: 32-byte ABI header, r14-r31, CR, pad, f14-f31. */
#define SW_SIZE         336

/* LOAD64 reg, expression: a 64-bit constant or absolute symbol value. */
.macro LOAD64 reg, expr
        lis     \reg, (\expr)@highest
        ori     \reg, \reg, (\expr)@higher
        rldicr  \reg, \reg, 32, 31
        oris    \reg, \reg, (\expr)@high
        ori     \reg, \reg, (\expr)@l
.endm
