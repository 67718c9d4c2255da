// context.S (PPC64, K42 user programs): user-level thread contexts (Threads.swift) — only what
// the ELFv2 ABI says a call preserves. Layout (words): 0 LR, 1 r1, 2 r2, 3 CR, 4-21 r14-r31,
// 22-39 f14-f31.
//   k42_ctx_save(ctx) -> 0, and 1 again when k42_ctx_load(ctx) resumes it (like setjmp)
//   k42_ctx_load(ctx): never returns
//   k42_ctx_start(sp, entry): runs entry() on a fresh stack; entry must never return
        .text
        .globl  k42_ctx_save, k42_ctx_load, k42_ctx_start
k42_ctx_save:
        mflr    0
        std     0, 0(3)
        std     1, 8(3)
        std     2, 16(3)
        mfcr    0
        std     0, 24(3)
        .irp    r, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        std     \r, (32 + 8 * (\r - 14))(3)
        .endr
        .irp    r, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        stfd    \r, (176 + 8 * (\r - 14))(3)
        .endr
        li      3, 0
        blr

k42_ctx_load:
        ld      0, 0(3)
        mtlr    0
        ld      1, 8(3)
        ld      2, 16(3)
        ld      0, 24(3)
        mtcrf   0xff, 0
        .irp    r, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        ld      \r, (32 + 8 * (\r - 14))(3)
        .endr
        .irp    r, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        lfd     \r, (176 + 8 * (\r - 14))(3)
        .endr
        li      3, 1
        blr

k42_ctx_start:
        mr      1, 3
        mtctr   4
        mr      12, 4
        li      0, 0
        stdu    0, -32(1)
        bctr
