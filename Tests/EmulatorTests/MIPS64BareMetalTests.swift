// MIPS64BareMetalTests: boots the bare-metal MIPS64 images of Tests/BareMetal/mips64 with
// `k42sim boot` and checks their console output and exit status: TLB mapping + user mode +
// system calls, Count/Compare ticks, IPIs to 3 CPUs, privileged instructions and kernel
// addresses from user mode, an LL/SC spinlock on 8 CPUs, and bit-identical repeated runs.
// Images are assembled with the Swift toolchain's clang and linked with its ld.lld (cached by
// a hash of the sources).
import Foundation
import XCTest

enum BareMetalImages {
    static let set = BareMetalImageSet.mips64
    static func build(_ name: String) throws -> String { try set.build(name) }
    static func boot(_ name: String, cpus: Int = 1, extra: [String] = []) throws -> ProcessResult {
        try set.boot(name, cpus: cpus, extra: extra)
    }
    static func toolchainTool(_ name: String) throws -> String { try BareMetalImageSet.toolchainTool(name) }
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
