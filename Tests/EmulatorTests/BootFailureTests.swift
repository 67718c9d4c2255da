// BootFailureTests: a full-system guest that goes wrong ends with a diagnostic, never a host
// crash or hang — on both ISAs: a wild jump into an endless exception loop halts the machine
// (status 3, "CPU n halted: ..." with pc and the last exceptions taken), so does a vector whose
// own instruction faults (every synchronous exception kind), and a kernel spinning with
// interrupts off stops at --max-cycles (status 124) after printing every CPU's state.
import XCTest

final class BootFailureTests: XCTestCase {
    func testMIPS64WildJumpHaltsWithDiagnostic() throws {
        let r = try BareMetalImages.boot("wild", extra: ["--max-cycles", "1000000"])
        XCTAssertEqual(r.status, 3, r.stderrText)
        XCTAssertTrue(r.stderrText.hasPrefix("k42sim: CPU 0 halted: exception loop"), r.stderrText)
        // The diagnostic names the CPU state and the exceptions it kept taking (bus errors on
        // instruction fetch, MIPS64 PRA 6.2.13 "Bus Error Exception").
        XCTAssertTrue(r.stderrText.contains("MIPS64 CPU 0: pc 0x"), r.stderrText)
        XCTAssertTrue(r.stderrText.contains("last exceptions:"), r.stderrText)
        XCTAssertTrue(r.stderrText.contains("IBE"), r.stderrText)
        XCTAssertEqual(r.stdoutText, "")
    }

    /// Boots `vector_fault` of `set` for variant `n` (the image picks it from the CPU count).
    func bootVectorFault(_ set: BareMetalImageSet, variant n: Int) throws -> ProcessResult {
        try set.boot("vector_fault", cpus: n + 1, extra: ["--max-cycles", "1000000"])
    }

    // A vector whose own instruction faults: the faulting instruction does not complete (MIPS64
    // PRA ch. 6), so 64 exceptions in a row without progress halt the machine (status 3), for
    // every kind of synchronous exception — not only fetch faults (testMIPS64WildJump...).
    func testMIPS64FaultingVectorHalts() throws {
        // break, syscall, teq, reserved, misaligned lw, the lw in a delay slot, FPU with CU1 = 0, add overflow.
        let kinds = ["Bp", "Sys", "Tr", "RI", "AdEL", "AdEL", "CpU", "Ov"]
        for (variant, name) in kinds.enumerated() {
            let r = try bootVectorFault(.mips64, variant: variant)
            XCTAssertEqual(r.status, 3, "variant \(variant) (\(name)): \(r.stderrText)")
            XCTAssertTrue(r.stderrText.hasPrefix("k42sim: CPU 0 halted: exception loop"), "variant \(variant): \(r.stderrText)")
            XCTAssertTrue(r.stderrText.contains(" \(name) epc 0x"), "variant \(variant): \(r.stderrText)")
            XCTAssertEqual(r.stdoutText, "", "variant \(variant)")
        }
    }

    func testMIPS64HangStopsAtCycleLimit() throws {
        let r = try BareMetalImages.boot("hang", cpus: 2, extra: ["--max-cycles", "200000"])
        XCTAssertEqual(r.status, 124, r.stderrText)
        XCTAssertTrue(r.stderrText.contains("MIPS64 CPU 0: pc 0x"), r.stderrText)
        XCTAssertTrue(r.stderrText.contains("MIPS64 CPU 1: pc 0x"), r.stderrText)
        XCTAssertTrue(r.stderrText.hasSuffix("k42sim: cycle limit of 200000 reached without power-off\n"), r.stderrText)
    }

    func testPPC64WildJumpHaltsWithDiagnostic() throws {
        let r = try PPC64BareMetalImages.boot("wild", extra: ["--max-cycles", "1000000"])
        XCTAssertEqual(r.status, 3, r.stderrText)
        // Zero words are illegal: program interrupts (Power ISA 2.07 Book III-S 6.5.9) at 0x700,
        // whose vector is a zero word again.
        XCTAssertTrue(r.stderrText.hasPrefix("k42sim: CPU 0 halted: exception loop"), r.stderrText)
        XCTAssertTrue(r.stderrText.contains("0x700") || r.stderrText.contains("program"), r.stderrText)
        XCTAssertEqual(r.stdoutText, "")
    }

    // The same on PPC64 (Book III-S ch. 6): a trap, an unimplemented SPR (illegal, via the
    // privileged-instruction path), an FP instruction with MSR[FP] = 0 and a misaligned lwarx at
    // their own vectors halt with "exception loop" (status 3), as on MIPS64 (FullSystemCPU).
    func testPPC64FaultingVectorHalts() throws {
        let kinds = ["program at 0x700", "program at 0x700", "FP unavailable at 0x800", "alignment at 0x600"]
        for (variant, what) in kinds.enumerated() {
            let r = try bootVectorFault(.ppc64, variant: variant)
            XCTAssertEqual(r.status, 3, "variant \(variant) (\(what)): \(r.stderrText)")
            XCTAssertTrue(r.stderrText.hasPrefix("k42sim: CPU 0 halted: exception loop: 64 exceptions without an instruction completing (\(what))"),
                          "variant \(variant): \(r.stderrText)")
            XCTAssertEqual(r.stdoutText, "", "variant \(variant)")
        }
    }

    func testPPC64HangStopsAtCycleLimit() throws {
        let r = try PPC64BareMetalImages.boot("hang", cpus: 2, extra: ["--max-cycles", "200000"])
        XCTAssertEqual(r.status, 124, r.stderrText)
        XCTAssertTrue(r.stderrText.hasSuffix("k42sim: cycle limit of 200000 reached without power-off\n"), r.stderrText)
        XCTAssertEqual(r.stderrText.components(separatedBy: "\n").filter { $0.contains("pc 0x") }.count, 2, r.stderrText)
    }
}
