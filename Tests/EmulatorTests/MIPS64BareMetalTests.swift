// MIPS64BareMetalTests: boots the bare-metal MIPS64 images of Tests/BareMetal/mips64 with
// `k42sim boot` and checks their console output and exit status: TLB mapping + user mode +
// system calls, Count/Compare ticks, IPIs to 3 CPUs, privileged instructions and kernel
// addresses from user mode, an LL/SC spinlock on 8 CPUs, and bit-identical repeated runs.
// Images are assembled with the Swift toolchain's clang and linked with its ld.lld (cached by
// a hash of the sources).
import Foundation
import XCTest

enum BareMetalImages {
    static var sourceDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BareMetal/mips64")
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
    static func build(_ name: String) throws -> String {
        let dir = sourceDirectory
        var key: [UInt8] = []
        for f in ["\(name).S", "runtime.S", "link.ld"] {
            guard let d = FileManager.default.contents(atPath: dir.appendingPathComponent(f).path) else {
                throw GuestToolError("missing \(dir.path)/\(f)")
            }
            key += Array(f.utf8) + [0] + [UInt8](d)
        }
        let out = "\(GuestProgramBuilder.cacheRoot)/baremetal-mips64/\(GuestProgramBuilder.hexHash(key))"
        let image = "\(out)/\(name).elf"
        if FileManager.default.fileExists(atPath: image) { return image }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let uniq = "\(getpid())-\(UUID().uuidString.prefix(8))"
        let obj = "\(out)/\(name).\(uniq).o", tmp = "\(image).\(uniq).tmp"
        defer { try? FileManager.default.removeItem(atPath: obj) }
        let cc = try ProcessRunner.run(try toolchainTool("clang"),
            ["-target", "mips64el-unknown-none-elf", "-mno-abicalls", "-fno-pic", "-G0", "-c",
             "-I", dir.path, dir.appendingPathComponent("\(name).S").path, "-o", obj])
        guard cc.status == 0 else { throw GuestToolError("clang failed on \(name).S:\n\(cc.stderrText)") }
        let ld = try ProcessRunner.run(try toolchainTool("ld.lld"),
            ["-T", dir.appendingPathComponent("link.ld").path, obj, "-o", tmp])
        guard ld.status == 0 else { throw GuestToolError("ld.lld failed on \(name):\n\(ld.stderrText)") }
        guard rename(tmp, image) == 0 else { throw GuestToolError("cannot rename \(tmp)") }
        return image
    }

    static func boot(_ name: String, cpus: Int = 1, extra: [String] = []) throws -> ProcessResult {
        let image = try build(name)
        return try ProcessRunner.run(try HostTools.k42sim(), ["boot", image, "--cpus", "\(cpus)"] + extra, timeout: 300)
    }
}

final class MIPS64BareMetalTests: XCTestCase {
    func check(_ r: ProcessResult, _ expected: String, status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.stdoutText, expected, "stderr: \(r.stderrText)", file: file, line: line)
        XCTAssertEqual(r.status, status, "stderr: \(r.stderrText)", file: file, line: line)
    }

    // (a) TLB refill + tlbwr, eret to user mode, system calls.
    func testTLBUserModeAndSyscalls() throws {
        check(try BareMetalImages.boot("tlb_user"),
              "kernel: to user mode\nhello from user mode\nrefills 1\nkernel: exit 0\n")
    }

    // (b) Count/Compare: each interrupt is taken exactly at Count == Compare; the handler's
    // fifth instruction reads Count = 50000 * n + 5.
    func testTimerTicks() throws {
        let ticks = (1 ... 5).map { "tick \($0) count \(50000 * $0 + 5)\n" }.joined()
        check(try BareMetalImages.boot("timer"), ticks + "timer: 5 ticks\n")
    }

    // (c) IPIs from CPU 0 to CPUs 1-3 through the interrupt controller (Cause.IP2).
    func testIPIsToThreeCPUs() throws {
        check(try BareMetalImages.boot("ipi", cpus: 4), "ipi: answered 123\n")
    }

    // (d) Privileged instructions and kernel addresses from user mode.
    func testPrivilegedOperationsFromUserMode() throws {
        check(try BareMetalImages.boot("user_priv"), """
            exc 11 ce 0 epc 0x0000000000400000 badvaddr 0x0000000000000000
            exc 4 ce 0 epc 0x0000000000400008 badvaddr 0xffffffff80100000
            exc 5 ce 0 epc 0x000000000040001c badvaddr 0x9000000000100008
            exc 11 ce 0 epc 0x0000000000400020 badvaddr 0x9000000000100008
            exc 10 ce 0 epc 0x0000000000400024 badvaddr 0x9000000000100008
            exc 10 ce 0 epc 0x0000000000400028 badvaddr 0x9000000000100008
            exc 11 ce 1 epc 0x000000000040002c badvaddr 0x9000000000100008
            user: exit

            """)
    }

    // (e) LL/SC spinlock on 8 CPUs: no lost updates.
    func testSpinlockEightCPUs() throws {
        check(try BareMetalImages.boot("spinlock", cpus: 8), "spinlock: counter 1600\n")
    }

    // (f) Determinism: the same image and configuration give identical output and statistics.
    func testRepeatedRunsAreIdentical() throws {
        func run() throws -> (String, String) {
            let r = try BareMetalImages.boot("spinlock", cpus: 8, extra: ["--stats"])
            let stats = r.stderrText.split(separator: "\n").filter { !$0.hasPrefix("host") }.joined(separator: "\n")
            return (r.stdoutText, stats)
        }
        let a = try run(), b = try run()
        XCTAssertEqual(a.0, b.0)
        XCTAssertEqual(a.1, b.1)
        XCTAssertTrue(a.1.contains("system.cpu7.committedInsts"))
        let i1 = try BareMetalImages.boot("ipi", cpus: 4, extra: ["--stats"])
        let i2 = try BareMetalImages.boot("ipi", cpus: 4, extra: ["--stats"])
        XCTAssertEqual(i1.stderrText.split(separator: "\n").filter { !$0.hasPrefix("host") },
                       i2.stderrText.split(separator: "\n").filter { !$0.hasPrefix("host") })
    }
}
