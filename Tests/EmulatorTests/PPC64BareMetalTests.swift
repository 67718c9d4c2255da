// PPC64BareMetalTests: boots the bare-metal PPC64 images of Tests/BareMetal/ppc64 with
// `k42sim boot` and checks console output and exit status against Power ISA 2.07 Book III-S:
// hashed page table + SLB + problem state + DSI resolved by the kernel + sc, decrementer ticks,
// IPIs to 3 CPUs through the external interrupt, privileged operations from problem state, a
// larx/stcx. spinlock on 8 CPUs, tlbie seen by a second CPU, and bit-identical repeated runs.
// Images are assembled with the Swift toolchain's clang (powerpc64le, -mcpu=pwr8) and linked
// with its ld.lld (cached by a hash of the sources).
import Foundation
import XCTest

enum PPC64BareMetalImages {
    static let set = BareMetalImageSet.ppc64
    static func build(_ name: String) throws -> String { try set.build(name) }
    static func boot(_ name: String, cpus: Int = 1, extra: [String] = []) throws -> ProcessResult {
        try set.boot(name, cpus: cpus, extra: extra)
    }
}

final class PPC64BareMetalTests: XCTestCase {
    func check(_ r: ProcessResult, _ expected: String, status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.stdoutText, expected, "stderr: \(r.stderrText)", file: file, line: line)
        XCTAssertEqual(r.status, status, "stderr: \(r.stderrText)", file: file, line: line)
    }

    // (a) HPT + SLB, rfid to problem state, DSI "no translation" (DSISR[33] = 0x40000000, DAR;
    // 6.5.3) resolved by inserting the PTE, the load retried, result returned with sc (6.5.14)
    // with SRR1[PR] = 1.
    func testPageTableUserModeAndSyscall() throws {
        check(try PPC64BareMetalImages.boot("hpt_user"), """
            kernel: entering problem state
            dsi dar 0x0000000010001000 dsisr 0x0000000040000000
            sc from user: 42 pr 1 dsi 1
            kernel: exit

            """)
    }

    // (b) Decrementer (7.3, 6.5.11): the exception exists while DEC is negative; with DEC
    // rewritten at a fixed point of the handler the ticks are exactly K = 10000 cycles apart
    // (TB counts cycles), and the CPU idles in a branch to itself in between.
    func testDecrementerTicks() throws {
        let ticks = (1 ... 5).map { "tick \($0) delta 10000\n" }.joined()
        check(try PPC64BareMetalImages.boot("dec"), ticks + "dec: 5 ticks\n")
    }

    // (c) IPIs from CPU 0 to CPUs 1-3 through the interrupt controller: external interrupt
    // 0x500 while MSR[EE] = 1 (6.5.7); each answers with ldarx/stdcx. and an IPI back.
    func testIPIsToThreeCPUs() throws {
        check(try PPC64BareMetalImages.boot("ipi", cpus: 4), "ipi: answered 3 sum 306\n")
    }

    // (d) Problem state: mtmsrd / mfspr SPRG0 -> program, SRR1[45] privileged (0x40000, 6.5.9);
    // PP = 00 with Kp = 1 -> DSI DSISR[36] protection (0x08000000), stores add DSISR[38]
    // (0x02000000) (5.7.10.1, 6.5.3); no SLB entry -> data segment 0x380 with DAR (6.5.4);
    // MSR[FP] = 0 -> FP unavailable 0x800 (6.5.10); tw 31 -> SRR1[46] trap (0x20000); an
    // illegal word -> SRR1[44] (0x80000). SRR1 printed masked to its bits 33:36 and 42:47.
    func testPrivilegedOperationsFromProblemState() throws {
        let zero = "0x0000000000000000"
        check(try PPC64BareMetalImages.boot("user_priv"), """
            vec 0x0000000000000700 srr0 0x0000000010000000 srr1 0x0000000000040000
            vec 0x0000000000000300 srr0 0x000000001000000c srr1 \(zero) dsisr 0x0000000008000000 dar 0x0000000010002000
            vec 0x0000000000000300 srr0 0x0000000010000010 srr1 \(zero) dsisr 0x000000000a000000 dar 0x0000000010002000
            vec 0x0000000000000380 srr0 0x0000000010000018 srr1 \(zero) dar 0x0000000020000000
            vec 0x0000000000000700 srr0 0x000000001000001c srr1 0x0000000000040000
            vec 0x0000000000000800 srr0 0x0000000010000020 srr1 \(zero)
            vec 0x0000000000000700 srr0 0x0000000010000024 srr1 0x0000000000020000
            vec 0x0000000000000700 srr0 0x0000000010000028 srr1 0x0000000000080000
            user: exit

            """)
    }

    // (e) lwarx/stwcx. spinlock on 8 CPUs (Book II 1.7.3 reservations, broken by other CPUs'
    // stores): no lost updates.
    func testSpinlockEightCPUs() throws {
        check(try PPC64BareMetalImages.boot("spinlock", cpus: 8), "spinlock: counter 1600\n")
    }

    // (g) tlbie is broadcast (Book III-S ch. 5, tlbie / tlbsync): CPU 1 has used a data PTE and
    // a code PTE; CPU 0 replaces both (V = 0, ptesync, tlbie, eieio, tlbsync, ptesync, new RPN,
    // V = 1) and CPU 1 must load the new data frame and run the new code frame (its soft TLB
    // and code TLB may not keep the old translation) ...
    func testTlbieOnOneCPUChangesTranslationOnAnother() throws {
        let r = try PPC64BareMetalImages.boot("tlbie", cpus: 2)
        let lines = r.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "stage 1: data 111 code 10", r.stdoutText)
        XCTAssertEqual(lines.dropFirst().first, "stage 2: data 222 code 11", r.stdoutText)
    }

    // ... and after CPU 0 removes the data PTE (V = 0, tlbie), CPU 1's load of the page takes a
    // DSI "no translation" (DSISR 0x40000000, DAR = EA; 6.5.3).
    func testTlbieOnOneCPURemovesTranslationOnAnother() throws {
        check(try PPC64BareMetalImages.boot("tlbie", cpus: 2), """
            stage 1: data 111 code 10
            stage 2: data 222 code 11
            stage 3: dsi dar 0x0000000010003000 dsisr 0x0000000040000000

            """)
    }

    // (f) Determinism: identical console output and per-CPU statistics (cycles, instructions).
    func testRepeatedRunsAreIdentical() throws {
        func run(_ name: String, cpus: Int) throws -> (String, [Substring]) {
            let r = try PPC64BareMetalImages.boot(name, cpus: cpus, extra: ["--stats"])
            return (r.stdoutText, r.stderrText.split(separator: "\n").filter { !$0.hasPrefix("host") })
        }
        let a = try run("spinlock", cpus: 8), b = try run("spinlock", cpus: 8)
        XCTAssertEqual(a.0, b.0)
        XCTAssertEqual(a.1, b.1)
        XCTAssertTrue(a.1.contains { $0.hasPrefix("system.cpu7.numCycles") })
        let i1 = try run("ipi", cpus: 4), i2 = try run("ipi", cpus: 4)
        XCTAssertEqual(i1.0, i2.0)
        XCTAssertEqual(i1.1, i2.1)
    }
}
