// CrossCompiler: builds small C programs with Debian's cross gcc at test time, caching the
// result under the temporary directory keyed by compiler, flags and source, so oracle tests get
// real static binaries (glibc's code) without checking binaries into the repository.
import Foundation

enum CrossCompiler {
    struct Unavailable: Error, CustomStringConvertible { var description: String }

    /// The first executable named `name` on PATH.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Compiles `source` with `compiler` and `flags` and returns the output's path; reuses a
    /// cached build of the same inputs. Throws Unavailable when the compiler is missing or fails.
    static func build(compiler: String, flags: [String], source: String, name: String) throws -> String {
        guard let cc = find(compiler) else { throw Unavailable(description: "\(compiler) not on PATH") }
        let key = fnv1a(([cc] + flags + [source]).joined(separator: "\u{0}"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-test-cache").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let output = "\(dir)/\(name)-\(String(key, radix: 16))"
        if FileManager.default.fileExists(atPath: output) { return output }
        let unique = "\(output).\(getpid()).\(UInt32.random(in: 0 ... .max))"
        let src = "\(unique).c"
        try source.write(toFile: src, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: src) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: cc)
        p.arguments = flags + [src, "-o", unique, "-lm"]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Unavailable(description: "\(compiler) failed: \(String(decoding: message, as: UTF8.self))")
        }
        // Rename is atomic: concurrent test runs never see a half-written binary.
        if rename(unique, output) != 0 { try? FileManager.default.removeItem(atPath: unique) }
        return output
    }

    private static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// A program that pulls a wide slice of glibc and libm into a static link (stdio and
    /// printf's floating-point code, strtod, qsort, string functions, math, time).
    static let glibcSampler = """
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
}
