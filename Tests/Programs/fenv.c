// fenv.c: floating-point environment: fesetround/fegetround with all four rounding modes,
// rint/nearbyint/lrint/llrint/rintf under each mode, arithmetic rounding of + - * / sqrt
// under each mode, double->float rounding, and exception flags (fetestexcept after
// divide-by-zero, invalid, overflow, underflow, inexact; cleared with feclearexcept).
#include <fenv.h>
#include <math.h>
#include <stdio.h>

#pragma STDC FENV_ACCESS ON

static const struct { int mode; const char *name; } modes[] = {
    {FE_TONEAREST, "nearest"}, {FE_TOWARDZERO, "zero"}, {FE_UPWARD, "up"}, {FE_DOWNWARD, "down"}};

static void flags(const char *what) {
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf("%-10s flags:%s%s%s%s%s\n", what, (f & FE_DIVBYZERO) ? " divbyzero" : "",
           (f & FE_INVALID) ? " invalid" : "", (f & FE_OVERFLOW) ? " overflow" : "",
           (f & FE_UNDERFLOW) ? " underflow" : "", (f & FE_INEXACT) ? " inexact" : "");
    feclearexcept(FE_ALL_EXCEPT);
}

int main(void) {
    volatile double vals[] = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, 1e16 + 1, 0.0};
    int nv = sizeof vals / sizeof vals[0];
    for (int m = 0; m < 4; m++) {
        if (fesetround(modes[m].mode) != 0) { printf("fesetround %s failed\n", modes[m].name); continue; }
        printf("mode %s current=%s\n", modes[m].name, fegetround() == modes[m].mode ? "ok" : "bad");
        for (int i = 0; i < nv; i++) {
            double x = vals[i];
            printf("  %g: rint=%g nearbyint=%g lrint=%ld llrint=%lld rintf=%g\n", x, rint(x),
                   nearbyint(x), lrint(x), llrint(x), (double)rintf((float)x));
        }
        volatile double one = 1.0, three = 3.0, two = 2.0, big = 1e308, tiny = 1e-308;
        volatile double third = one / three, mthird = -one / three;
        printf("  1/3=%a -1/3=%a sqrt2=%a 1+eps/2=%a big*10=%g -big*10=%g tiny/1e10=%a\n", third,
               mthird, sqrt(two), one + 0x1p-53, big * 10, -big * 10, tiny / 1e10);
        volatile double d = 0.1;
        volatile float f = (float)d;
        volatile double sum = 0;
        for (int i = 0; i < 1000; i++) sum += d;
        printf("  (float)0.1=%a sum=%.17g 2^60+1=%a\n", (double)f, sum, (double)((1ll << 60) + 1) + one);
        volatile long long li = (1ll << 60) + 1;
        volatile double cv = (double)li;
        printf("  i64->double %a\n", cv);
    }
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double z = 0.0, one = 1.0, big = 1e308, tiny = 1e-308;
    volatile double r;
    r = one / z; flags("div0");
    r = z / z; flags("0/0");
    r = sqrt(-one); flags("sqrt(-1)");
    r = big * big; flags("overflow");
    r = tiny * tiny; flags("underflow");
    r = one / 3.0; flags("inexact");
    r = one + one; flags("exact");
    (void)r;
    return 0;
}
