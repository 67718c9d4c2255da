// Toolchain: finds the Swift toolchain's swiftc, clang and ld.lld, checks that it has what the
// guest recipe needs (Embedded Swift stdlib for the riscv64 reference target, clang backends
// for mips64el and ppc64le, ld.lld), and fingerprints it for the build cache.
import Foundation

/// The programs of one Swift toolchain, all from the same `usr/bin` (clang must be the LLVM that
/// swiftc was built with, or it cannot read swiftc's IR).
public struct Toolchain: Sendable {
    public var binDirectory: String
    public var swiftc: String { binDirectory + "/swiftc" }
    public var clang: String { binDirectory + "/clang" }
    public var lld: String { binDirectory + "/ld.lld" }
    /// The Embedded Swift standard library module for the reference target.
    public var embeddedStdlib: String {
        binDirectory + "/../lib/swift/embedded/Swift.swiftmodule/\(GuestRecipe.referenceTarget).swiftmodule"
    }

    /// The toolchain in K42SIM_SWIFT_TOOLCHAIN (a directory with usr/bin), else /opt/swift, else
    /// the one whose swiftc is first on PATH.
    public static func locate() throws(GuestBuildError) -> Toolchain {
        let fm = FileManager.default
        let env = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let root = env["K42SIM_SWIFT_TOOLCHAIN"] { candidates.append(root + "/usr/bin") }
        candidates.append("/opt/swift/usr/bin")
        for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let swiftc = "\(dir)/swiftc"
            if fm.isExecutableFile(atPath: swiftc) {
                candidates.append((URL(fileURLWithPath: swiftc).resolvingSymlinksInPath().path as NSString)
                    .deletingLastPathComponent)
            }
        }
        guard let bin = candidates.first(where: { fm.isExecutableFile(atPath: $0 + "/swiftc") }) else {
            throw GuestBuildError("no Swift toolchain found: install Swift 6.3 from swift.org (with Embedded "
                + "Swift) under /opt/swift, put its swiftc on PATH, or set K42SIM_SWIFT_TOOLCHAIN to its root")
        }
        let toolchain = Toolchain(binDirectory: bin)
        try toolchain.checkFiles()
        return toolchain
    }

    /// Checks the files the recipe needs exist (cheap; done on every build).
    func checkFiles() throws(GuestBuildError) {
        let fm = FileManager.default
        for (tool, path) in [("clang", clang), ("ld.lld", lld)] where !fm.isExecutableFile(atPath: path) {
            throw GuestBuildError("the Swift toolchain in \(binDirectory) has no \(tool) (\(path)); the guest "
                + "recipe needs the toolchain's own \(tool): install a full swift.org toolchain (it ships clang and lld)")
        }
        guard fm.fileExists(atPath: embeddedStdlib) else {
            throw GuestBuildError("the Swift toolchain in \(binDirectory) has no Embedded Swift standard library for "
                + "\(GuestRecipe.referenceTarget) (\(embeddedStdlib) is missing); install a swift.org toolchain "
                + "6.x that ships usr/lib/swift/embedded/\(GuestRecipe.referenceTarget)")
        }
    }

    /// Checks clang has the MIPS and PowerPC backends (run on a cache miss only).
    func checkBackends() throws(GuestBuildError) {
        let out = try ToolRunner.run("clang", clang, ["--print-targets"])
        for (name, what) in [("mips64el", "MIPS (64-bit little endian)"), ("ppc64le", "PowerPC 64 LE")]
            where !out.text.contains(name) {
            throw GuestBuildError("\(clang) has no \(what) backend ('\(name)' is not in `clang --print-targets`); "
                + "the guest recipe needs a toolchain whose LLVM includes the Mips and PowerPC targets")
        }
    }

    /// Identifies the toolchain's exact build without running it: resolved path, size and
    /// modification time of each program and of the Embedded stdlib module.
    func fingerprint() -> [String] {
        let files = [swiftc, binDirectory + "/swift-frontend", clang, lld, embeddedStdlib]
        return files.map { path in
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let attributes = try? FileManager.default.attributesOfItem(atPath: resolved)
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(resolved) \(size) \(date)"
        }
    }
}
