// context.S (MIPS64, K42 user programs): user-level thread contexts (Threads.swift) — only what
// the n64 ABI says a call preserves. Layout (words): 0 ra, 1 sp, 2 gp, 3 s8, 4-11 s0-s7,
// 12-19 f24-f31 (FR=1: all 32 FPRs are 64-bit; n64 preserves f24-f31).
//   k42_ctx_save(ctx) -> 0, and 1 again when k42_ctx_load(ctx) resumes it (like setjmp)
//   k42_ctx_load(ctx): never returns
//   k42_ctx_start(sp, entry): runs entry() on a fresh stack; entry must never return
        .set    noreorder
        .text
        .globl  k42_ctx_save, k42_ctx_load, k42_ctx_start
k42_ctx_save:
        sd      $ra, 0($a0)
        sd      $sp, 8($a0)
        sd      $gp, 16($a0)
        sd      $s8, 24($a0)
        sd      $s0, 32($a0)
        sd      $s1, 40($a0)
        sd      $s2, 48($a0)
        sd      $s3, 56($a0)
        sd      $s4, 64($a0)
        sd      $s5, 72($a0)
        sd      $s6, 80($a0)
        sd      $s7, 88($a0)
        sdc1    $f24, 96($a0)
        sdc1    $f25, 104($a0)
        sdc1    $f26, 112($a0)
        sdc1    $f27, 120($a0)
        sdc1    $f28, 128($a0)
        sdc1    $f29, 136($a0)
        sdc1    $f30, 144($a0)
        sdc1    $f31, 152($a0)
        jr      $ra
        move    $v0, $zero

k42_ctx_load:
        ld      $ra, 0($a0)
        ld      $sp, 8($a0)
        ld      $gp, 16($a0)
        ld      $s8, 24($a0)
        ld      $s0, 32($a0)
        ld      $s1, 40($a0)
        ld      $s2, 48($a0)
        ld      $s3, 56($a0)
        ld      $s4, 64($a0)
        ld      $s5, 72($a0)
        ld      $s6, 80($a0)
        ld      $s7, 88($a0)
        ldc1    $f24, 96($a0)
        ldc1    $f25, 104($a0)
        ldc1    $f26, 112($a0)
        ldc1    $f27, 120($a0)
        ldc1    $f28, 128($a0)
        ldc1    $f29, 136($a0)
        ldc1    $f30, 144($a0)
        ldc1    $f31, 152($a0)
        jr      $ra
        li      $v0, 1

k42_ctx_start:
        move    $sp, $a0
        move    $t9, $a1
        jr      $a1
        move    $ra, $zero
