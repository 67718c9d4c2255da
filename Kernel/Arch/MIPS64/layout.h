/* layout.h (MIPS64): the kernel's address-space constants and the offsets the assembly glue
   shares with Swift (Arch.swift, TrapFrame.swift must agree; docs/kernel/memory-layout.md).

   xuseg [0, 2^40) is the only MIPS segment whose addresses have bits 60..63 clear, so kernel
   and user both live in it; the kernel's mappings are non-global TLB entries tagged with the
   kernel ASID 0, user mappings carry ASIDs 1..255, and the vector glue (unmapped, ckseg0)
   switches EntryHi.ASID to 0 on every entry from user mode. */
#define KBASE           0x0000008000000000      /* linear map: kva = KBASE + pa (64 GiB) */
#define KBASE_SHIFT36   0x8                     /* KBASE >> 36: the linear map's tag */
#define PERCPU_VA       0x000000F000000000      /* processor-specific memory (per-CPU wired pair) */
#define PERCPU_SIZE     0x20000                 /* 2 x 64 KiB pages */
#define LTT_TAG24       0xF001                  /* local translation table: (va >> 24) == LTT_TAG24 */
#define CKSEG0          0xFFFFFFFF80000000
#define XKPHYS_CACHED   0x9800000000000000
#define XKPHYS_UNCACHED 0x9000000000000000
#define KVA_TO_XK       0x97FFFF8000000000      /* XKPHYS_CACHED - KBASE */
#define KVA_TO_CK       0xFFFFFF7F80000000      /* CKSEG0 - KBASE */
#define BOOT_STACK_SHIFT 13                     /* 8 KiB boot stack per CPU */
#define MAX_CPUS        256

/* Per-CPU area (PCA) fields the vectors use (the vectors reach the PCA through xkphys:
   k42_pca_xk[cpu]). */
#define PCA_CPU         0x00
#define PCA_KSTACK      0x18    /* kernel sp for traps from user mode */
#define PCA_SAVE_SP     0x20
#define PCA_SAVE_AT     0x28
#define PCA_LTT_PAIRS   0x4000  /* EntryLo0/1 per 8 KiB pair of the local table (2048 pairs) */

/* Trap frame: 64-bit words. */
#define TF_GPR          0       /* gpr[0..31] */
#define TF_HI           256
#define TF_LO           264
#define TF_EPC          272
#define TF_STATUS       280
#define TF_CAUSE        288
#define TF_BADVADDR     296
#define TF_ENTRYHI      304
#define TF_FCSR         312
#define TF_FPR          320     /* fpr[0..31] */
#define TF_SIZE         576

/* Context-switch frame: s0-s7, s8, gp, ra, pad, f24-f31. */
#define SW_SIZE         160
