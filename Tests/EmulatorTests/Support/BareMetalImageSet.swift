// BareMetalImageSet: builds and boots the bare-metal test images of Tests/BareMetal/<isa> —
// `<name>.S` plus the directory's runtime.S, link.ld and *.inc, assembled with the Swift
// toolchain's clang and linked with its ld.lld, cached by a hash of those sources.
import Foundation
import XCTest

struct BareMetalImageSet {
    /// Directory under Tests/BareMetal (mips64, ppc64).
    let isaDirectory: String
    /// clang flags selecting the target.
    let clangFlags: [String]

    static let mips64 = BareMetalImageSet(isaDirectory: "mips64",
                                          clangFlags: ["-target", "mips64el-unknown-none-elf", "-mno-abicalls", "-fno-pic", "-G0"])
    static let ppc64 = BareMetalImageSet(isaDirectory: "ppc64",
                                         clangFlags: ["-target", "powerpc64le-unknown-none-elf", "-mcpu=pwr8"])

    var sourceDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BareMetal/\(isaDirectory)")
    }

    /// clang / ld.lld of the Swift toolchain (next to `swift` on PATH, or /opt/swift/usr/bin).
    static func toolchainTool(_ name: String) throws -> String {
        var dirs: [String] = []
        if let swift = try? HostTools.find("swift", package: "the Swift toolchain") {
            dirs.append(URL(fileURLWithPath: swift).resolvingSymlinksInPath().deletingLastPathComponent().path)
        }
        dirs.append("/opt/swift/usr/bin")
        for d in dirs where FileManager.default.isExecutableFile(atPath: "\(d)/\(name)") { return "\(d)/\(name)" }
        throw GuestToolError("\(name) not found in the Swift toolchain (looked in \(dirs.joined(separator: ", ")))")
    }

    /// Builds `<name>.S` into an ELF image and returns its path.
    func build(_ name: String) throws -> String {
        let dir = sourceDirectory
        var key: [UInt8] = []
        // The image, the shared runtime, the linker script and every included *.inc.
        let includes = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".inc") }.sorted()
        for f in ["\(name).S", "runtime.S", "link.ld"] + includes {
            guard let d = FileManager.default.contents(atPath: dir.appendingPathComponent(f).path) else {
                throw GuestToolError("missing \(dir.path)/\(f)")
            }
            key += Array(f.utf8) + [0] + [UInt8](d)
        }
        let out = "\(GuestProgramBuilder.cacheRoot)/baremetal-\(isaDirectory)/\(GuestProgramBuilder.hexHash(key))"
        let image = "\(out)/\(name).elf"
        if FileManager.default.fileExists(atPath: image) { return image }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let uniq = "\(getpid())-\(UUID().uuidString.prefix(8))"
        let obj = "\(out)/\(name).\(uniq).o", tmp = "\(image).\(uniq).tmp"
        defer { try? FileManager.default.removeItem(atPath: obj) }
        let cc = try ProcessRunner.run(try Self.toolchainTool("clang"),
            clangFlags + ["-c", "-I", dir.path, dir.appendingPathComponent("\(name).S").path, "-o", obj])
        guard cc.status == 0 else { throw GuestToolError("clang failed on \(name).S:\n\(cc.stderrText)") }
        let ld = try ProcessRunner.run(try Self.toolchainTool("ld.lld"),
            ["-T", dir.appendingPathComponent("link.ld").path, obj, "-o", tmp])
        guard ld.status == 0 else { throw GuestToolError("ld.lld failed on \(name):\n\(ld.stderrText)") }
        guard rename(tmp, image) == 0 else { throw GuestToolError("cannot rename \(tmp)") }
        return image
    }

    func boot(_ name: String, cpus: Int = 1, extra: [String] = []) throws -> ProcessResult {
        let image = try build(name)
        return try ProcessRunner.run(try HostTools.k42sim(), ["boot", image, "--cpus", "\(cpus)"] + extra, timeout: 300)
    }
}
