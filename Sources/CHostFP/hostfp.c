// CHostFP: see include/CHostFP.h. Each function sets the host rounding mode, clears the host
// exception flags, performs one IEEE operation and reports the raised flags.
#include "CHostFP.h"
#include <fenv.h>
#include <math.h>
#pragma STDC FENV_ACCESS ON

static const int host_modes[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD };

static inline void enter(int rm) {
    feclearexcept(FE_ALL_EXCEPT);
    if (rm != 0) fesetround(host_modes[rm & 3]);
}

static inline int leave(int rm) {
    int e = fetestexcept(FE_ALL_EXCEPT);
    if (rm != 0) fesetround(FE_TONEAREST);
    int f = 0;
    if (e & FE_INEXACT) f |= K42FP_INEXACT;
    if (e & FE_UNDERFLOW) f |= K42FP_UNDERFLOW;
    if (e & FE_OVERFLOW) f |= K42FP_OVERFLOW;
    if (e & FE_DIVBYZERO) f |= K42FP_DIVZERO;
    if (e & FE_INVALID) f |= K42FP_INVALID;
    return f;
}

#define BIN(name, T, expr) \
    T k42fp_##name(T a, T b, int rm, int *flags) { enter(rm); volatile T r = (expr); *flags = leave(rm); return r; }
BIN(add_d, double, a + b)
BIN(sub_d, double, a - b)
BIN(mul_d, double, a * b)
BIN(div_d, double, a / b)
BIN(add_s, float, a + b)
BIN(sub_s, float, a - b)
BIN(mul_s, float, a * b)
BIN(div_s, float, a / b)

double k42fp_sqrt_d(double a, int rm, int *flags) { enter(rm); volatile double r = sqrt(a); *flags = leave(rm); return r; }
float k42fp_sqrt_s(float a, int rm, int *flags) { enter(rm); volatile float r = sqrtf(a); *flags = leave(rm); return r; }
double k42fp_fma_d(double a, double b, double c, int rm, int *flags) { enter(rm); volatile double r = fma(a, b, c); *flags = leave(rm); return r; }
float k42fp_fma_s(float a, float b, float c, int rm, int *flags) { enter(rm); volatile float r = fmaf(a, b, c); *flags = leave(rm); return r; }
float k42fp_d_to_s(double a, int rm, int *flags) { enter(rm); volatile float r = (float)a; *flags = leave(rm); return r; }
double k42fp_i64_to_d(int64_t a, int rm, int *flags) { enter(rm); volatile double r = (double)a; *flags = leave(rm); return r; }
float k42fp_i64_to_s(int64_t a, int rm, int *flags) { enter(rm); volatile float r = (float)a; *flags = leave(rm); return r; }
double k42fp_u64_to_d(uint64_t a, int rm, int *flags) { enter(rm); volatile double r = (double)a; *flags = leave(rm); return r; }
float k42fp_u64_to_s(uint64_t a, int rm, int *flags) { enter(rm); volatile float r = (float)a; *flags = leave(rm); return r; }
double k42fp_round_d(double a, int rm, int *flags) { enter(rm); volatile double r = rint(a); *flags = leave(rm); return r; }
