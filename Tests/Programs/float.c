// float.c: IEEE floating point through libm and printf: %f %e %g %a of floats and doubles,
// sqrt/sin/cos/tan/exp/log/pow/fmod/floor/ceil/round/trunc/atan2/hypot/cbrt and friends,
// float<->int conversions (incl. out-of-range and NaN inputs, whose result is ISA-defined),
// NaN/inf printing and default-NaN bit patterns, denormals, float (single) arithmetic,
// a contractible a*b+c expression (may become a fused multiply-add) and explicit fma().
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

// noinline + volatile keep operations at run time instead of build time.
__attribute__((noinline)) static double contract(double a, double b, double c) { return a * b + c; }
__attribute__((noinline)) static float contractf(float a, float b, float c) { return a * b + c; }
__attribute__((noinline)) static int64_t d2i64(double d) { return (int64_t)d; }
__attribute__((noinline)) static uint64_t d2u64(double d) { return (uint64_t)d; }
__attribute__((noinline)) static int32_t d2i32(double d) { return (int32_t)d; }
__attribute__((noinline)) static uint32_t d2u32(double d) { return (uint32_t)d; }
__attribute__((noinline)) static int32_t f2i32(float f) { return (int32_t)f; }
__attribute__((noinline)) static double i642d(int64_t i) { return (double)i; }
__attribute__((noinline)) static double u642d(uint64_t i) { return (double)i; }
__attribute__((noinline)) static float i642f(int64_t i) { return (float)i; }
__attribute__((noinline)) static float u642f(uint64_t i) { return (float)i; }
__attribute__((noinline)) static float d2f(double d) { return (float)d; }

int main(void) {
    volatile double in[] = {0.0, -0.0, 0.5, 1.0, -1.5, 2.5, 3.141592653589793, 1e-300, 1e300,
                            123456.789, -0.1, 7.0 / 3.0, 4.9406564584124654e-324, 1e22,
                            2.2250738585072014e-308, 100.0, -2.5, 0.75};
    int n = sizeof in / sizeof in[0];
    for (int i = 0; i < n; i++) {
        double x = in[i];
        printf("x=%.17g f=%f e=%e g=%g a=%a\n", x, x, x, x, x);
        printf("  sqrt=%.17g sin=%.17g cos=%.17g tan=%.17g\n", sqrt(fabs(x)), sin(x), cos(x), tan(x));
        printf("  exp=%.17g log=%.17g log10=%.17g log2=%.17g\n", exp(x), log(fabs(x)), log10(fabs(x)),
               log2(fabs(x)));
        printf("  pow=%.17g pow2=%.17g fmod=%.17g fmod2=%.17g\n", pow(fabs(x), 0.37), pow(x, 3.0),
               fmod(x, 0.7), fmod(1e10, x));
        printf("  floor=%g ceil=%g round=%g trunc=%g atan2=%.17g hypot=%.17g cbrt=%.17g\n",
               floor(x), ceil(x), round(x), trunc(x), atan2(x, 0.3), hypot(x, 4.0), cbrt(x));
        printf("  expm1=%.17g log1p=%.17g sinh=%.17g atan=%.17g asin=%.17g\n", expm1(x),
               log1p(fabs(x)), sinh(x), atan(x), asin(fmod(x, 1.0)));
        float fx = d2f(x);
        printf("  float %.9g %a %08x sqrtf=%.9g sinf=%.9g expf=%.9g\n", fx, fx, fbits(fx),
               sqrtf(fabsf(fx)), sinf(fx), expf(fx));
    }
    // Precision and formatting variety.
    volatile double pi = 3.14159265358979323846;
    printf("%.0f %.1f %.3f %10.4f %-10.2f| %+e %.10e %G %.3g %#g %#.0f\n", pi, pi, pi, pi, pi, pi,
           pi, pi * 1e20, pi * 1e-5, pi, pi);
    printf("%f %e %g %a\n", 0.1 + 0.2, 1.0 / 3.0, 1e-5, 0.1);
    printf("%.20f %.30e\n", 0.1, 2.0 / 3.0);
    printf("%f %e %g %a %f %e\n", 1e300 * 1e300, -1e300 * 1e300, 0.0 / in[0], 1e308 * 10,
           -(in[0] / in[0]), 5e-324);
    // NaN and inf.
    volatile double zero = 0.0, one = 1.0;
    double qnan = zero / zero, inf = one / zero;
    printf("nan %f %F %e %g %a  -nan %f  inf %f %F %e -inf %g\n", NAN, NAN, NAN, NAN, NAN, -NAN,
           INFINITY, INFINITY, inf, -inf);
    printf("0/0 isnan=%d bits=%016llx  sqrt(-1) isnan=%d bits=%016llx  inf-inf bits=%016llx\n",
           isnan(qnan), (unsigned long long)dbits(qnan), isnan(sqrt(-one)),
           (unsigned long long)dbits(sqrt(-one)), (unsigned long long)dbits(inf - inf));
    volatile float fz = 0.0f;
    printf("float 0/0 bits=%08x inf=%08x\n", fbits(fz / fz), fbits(1.0f / fz));
    printf("nan==nan %d nan<1 %d nan!=nan %d inf>1e308 %d isinf %d signbit(-0) %d\n",
           qnan == qnan, qnan < 1.0, qnan != qnan, inf > 1e308, isinf(-inf), signbit(-zero));
    printf("fpclassify %d %d %d %d %d\n", fpclassify(qnan), fpclassify(inf), fpclassify(0.0 * one),
           fpclassify(5e-324 * one), fpclassify(one));
    // Conversions.
    volatile double conv[] = {0.0, -0.0, 0.4, 0.5, 0.6, -0.5, -1.7, 2147483647.0, 2147483648.0,
                              -2147483648.0, -2147483649.0, 4294967295.0, 4294967296.0,
                              9.2233720368547758e18, -9.2233720368547758e18, 1.8446744073709552e19,
                              1e19, 1e30, -1e30, 123456789.987};
    for (int i = 0; i < (int)(sizeof conv / sizeof conv[0]); i++) {
        double d = conv[i];
        printf("conv %.17g: i64=%lld u64=%llu i32=%d u32=%u f2i=%d\n", d, (long long)d2i64(d),
               (unsigned long long)d2u64(d), d2i32(d), d2u32(d), f2i32(d2f(d)));
    }
    printf("conv nan: i64=%lld i32=%d  inf: i64=%lld i32=%d  -inf: i64=%lld\n",
           (long long)d2i64(qnan), d2i32(qnan), (long long)d2i64(inf), d2i32(inf),
           (long long)d2i64(-inf));
    volatile int64_t ints[] = {0, 1, -1, 9007199254740993ll, -9007199254740993ll, INT64_MAX,
                               INT64_MIN, 16777217, 0x7ffffffffffffdffll};
    for (int i = 0; i < (int)(sizeof ints / sizeof ints[0]); i++)
        printf("int %lld -> %.17g %.9g u:%.17g %.9g\n", (long long)ints[i], i642d(ints[i]),
               i642f(ints[i]), u642d((uint64_t)ints[i]), u642f((uint64_t)ints[i]));
    // Denormals, single precision, rounding of double->float.
    volatile double tiny = 2.2250738585072014e-308;
    printf("denorm %a %a %a\n", tiny / 3, tiny / 4096, tiny * 0x1p-52 / 2);
    volatile float ff = 1.0f / 3.0f;
    printf("float ops %.9g %.9g %.9g %.9g %a\n", ff * 3.0f, ff + 1e-8f, ff * ff, sqrtf(ff),
           d2f(1.0000000596046448));
    // Contractible expression: fused => -0x1p-54, unfused => 0.
    volatile double a = 1.0 + 0x1p-27, b = 1.0 - 0x1p-27, c = -1.0;
    printf("contract %a  fma %a  fmaf %a contractf %a\n", contract(a, b, c), fma(a, b, c),
           fmaf((float)(1.0 + 0x1p-12), (float)(1.0 - 0x1p-12), -1.0f),
           contractf((float)(1.0 + 0x1p-12), (float)(1.0 - 0x1p-12), -1.0f));
    // fmaf must round once: the exact result lies just above a float midpoint that a double
    // intermediate would land on exactly (double rounding would give 0x1.002p+0).
    volatile float fp = 1.0f + 0x1p-12f, ft = 0x1p-80f;
    printf("fmaf single rounding %a\n", fmaf(fp, fp, ft));
    // Summation series (long dependent FP chains).
    double s = 0, p = 1;
    float sf = 0;
    for (int i = 1; i <= 20000; i++) {
        s += 1.0 / ((double)i * i);
        p *= 1.0 + 1.0 / (i * 1000.0);
        sf += 1.0f / (float)i;
    }
    printf("series %.17g %.17g %.9g\n", s, p, sf);
    printf("frexp/ldexp/modf: ");
    int e;
    double ip;
    double fr = frexp(1234.5, &e);
    double frac = modf(-3.25, &ip);
    printf("%g %d %g %g %g\n", fr, e, ldexp(0.75, 10), frac, ip);
    printf("remainder %g %g copysign %g nextafter %a %a\n", remainder(10.0, 3.0), remquo(11.0, 3.0, &e),
           copysign(3.0, -0.0), nextafter(1.0, 2.0), nextafter(0.0, -1.0));
    printf("min/max %g %g %g fdim %g\n", fmin(qnan, 2.0), fmax(-0.0, 0.0), fmax(1.0, qnan), fdim(5.0, 7.0));
    return 0;
}
