// CHostFP: host floating-point operations with explicit rounding mode and exception flags,
// compiled with FENV_ACCESS so the compiler keeps them ordered around the FP environment.
#ifndef CHOSTFP_H
#define CHOSTFP_H
#include <stdint.h>

// Rounding modes as the guest encodes them: 0 nearest, 1 toward zero, 2 up, 3 down.
// Flag bits returned through *flags: 1 inexact, 2 underflow, 4 overflow, 8 divide-by-zero, 16 invalid.
enum { K42FP_INEXACT = 1, K42FP_UNDERFLOW = 2, K42FP_OVERFLOW = 4, K42FP_DIVZERO = 8, K42FP_INVALID = 16 };

double k42fp_add_d(double a, double b, int rm, int *flags);
double k42fp_sub_d(double a, double b, int rm, int *flags);
double k42fp_mul_d(double a, double b, int rm, int *flags);
double k42fp_div_d(double a, double b, int rm, int *flags);
double k42fp_sqrt_d(double a, int rm, int *flags);
double k42fp_fma_d(double a, double b, double c, int rm, int *flags);
float k42fp_add_s(float a, float b, int rm, int *flags);
float k42fp_sub_s(float a, float b, int rm, int *flags);
float k42fp_mul_s(float a, float b, int rm, int *flags);
float k42fp_div_s(float a, float b, int rm, int *flags);
float k42fp_sqrt_s(float a, int rm, int *flags);
float k42fp_fma_s(float a, float b, float c, int rm, int *flags);
float k42fp_d_to_s(double a, int rm, int *flags);
double k42fp_i64_to_d(int64_t a, int rm, int *flags);
float k42fp_i64_to_s(int64_t a, int rm, int *flags);
double k42fp_u64_to_d(uint64_t a, int rm, int *flags);
float k42fp_u64_to_s(uint64_t a, int rm, int *flags);
// Round to an integral value in the given mode (result still floating point; raises inexact).
double k42fp_round_d(double a, int rm, int *flags);
// Host system calls Swift cannot reach (libc's variadic syscall() is unavailable to it), used
// by syscall emulation: getdents64 and renameat2. They return -1 with errno set on failure.
long k42host_getdents64(int fd, void *buf, unsigned long count);
int k42host_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned flags);

#endif
