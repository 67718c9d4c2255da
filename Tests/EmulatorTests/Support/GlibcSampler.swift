// GlibcSampler: a C program that pulls a wide slice of glibc and libm into a static link; its
// mips64el and ppc64le binaries are the corpora of real compiled code for the decoder oracles
// and `k42sim disasm`.
import Foundation

enum GlibcSampler {
    /// stdio and printf's floating-point code, strtod, qsort, string functions, math, time.
    static let source = """
    #include <math.h>
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>
    #include <time.h>
    static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
    int main(int argc, char **argv) {
        int v[8] = {5, 3, 7, 1, 8, 2, 6, 4};
        qsort(v, 8, sizeof v[0], cmp);
        double x = argc > 1 ? strtod(argv[1], 0) : 0.5;
        char buf[128];
        snprintf(buf, sizeof buf, "%g %f %e", sin(x) + exp(x), pow(x, 1.5), log(x + 2) / sqrt(x + 1));
        printf("%s %zu %d %ld %s\\n", buf, strlen(buf), v[0], (long)time(0) & 1, getenv("HOME") ? "h" : "-");
        return (int)fmod(x * 7, 3.0);
    }
    """

    /// The static mips64el binary (`-static -O2 ... -lm`), built once and cached.
    static func mips64() throws -> String {
        try GuestProgramBuilder.build(source: Array(source.utf8), name: "glibc-sampler", for: .mips64)
    }

    /// The static ppc64le binary (`-static -O2 -mcpu=power8 ... -lm`), built once and cached.
    static func ppc64() throws -> String {
        try GuestProgramBuilder.build(source: Array(source.utf8), name: "glibc-sampler", for: .ppc64,
                                      extraFlags: ["-mcpu=power8"])
    }
}
