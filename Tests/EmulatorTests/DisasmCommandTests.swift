// DisasmCommandTests: `k42sim disasm` run as a process (the k42sim executable is built next to
// the test runner): a symbol listing of a compiled program, and one-line failures with status 2.
import Foundation
import XCTest

final class DisasmCommandTests: XCTestCase {
    func testSymbolMainListsLabelAndInstructions() throws {
        let path = try compiled()
        let r = try run(["disasm", path, "--symbol", "main"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasSuffix(" <main>:") }, r.stdout)
        let code = lines.filter { $0.hasPrefix("  1") }
        XCTAssertGreaterThan(code.count, 5, r.stdout)
        // main has a prologue and returns through $ra.
        XCTAssertTrue(code.contains { $0.contains("jr      $ra") }, r.stdout)
        XCTAssertTrue(code.contains { $0.contains("daddiu  $sp, $sp, -") }, r.stdout)
        XCTAssertFalse(code.contains { $0.contains(".word") }, r.stdout)
        // Every code line is `  address:  8-hex-digit word  text`.
        for l in code {
            let parts = l.split(separator: " ", omittingEmptySubsequences: true)
            XCTAssertTrue(parts.count >= 3 && parts[0].hasSuffix(":") && parts[1].count == 8, l)
        }
    }

    func testWholeFileListsTextSectionWithLabels() throws {
        let r = try run(["disasm", try compiled()])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Disassembly of section .text:"))
        XCTAssertTrue(r.stdout.contains(" <main>:\n"))
        XCTAssertTrue(r.stdout.contains(" <__start>:\n"))
        // glibc's code has c.cond.d with $fcc1-7, which capstone 4 cannot decode: k42sim's decoder
        // names them, and no word of .text is left as `.word`.
        let fallbackLines = r.stdout.split(separator: "\n").filter { $0.hasSuffix("# k42sim's name; capstone cannot decode it") }
        XCTAssertFalse(fallbackLines.isEmpty, "no fallback line")
        XCTAssertTrue(fallbackLines.allSatisfy { $0.contains("  c.") }, "\(fallbackLines.prefix(3))")
        XCTAssertFalse(r.stdout.contains(".word"))
    }

    func testUnknownSymbolIsStatus2() throws {
        let path = try compiled()
        let r = try run(["disasm", path, "--symbol", "no_such_symbol"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "k42sim: \(path): no symbol named 'no_such_symbol'\n")
        XCTAssertEqual(r.stdout, "")
    }

    func testNonElfFileIsStatus2WithOneLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-not-elf-\(getpid()).txt").path
        try "just some text\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try run(["disasm", path])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "k42sim: \(path): not an ELF file\n")
        XCTAssertEqual(r.stdout, "")
        let missing = try run(["disasm", path + ".missing"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "k42sim: \(path).missing: No such file or directory\n")
    }

    func testTruncatedElfIsStatus2() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try compiled()))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-trunc-\(getpid())").path
        for cut in [20, 64, 100, 4096] {
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            let r = try run(["disasm", path])
            XCTAssertEqual(r.status, 2, "cut at \(cut)")
            XCTAssertTrue(r.stderr.hasPrefix("k42sim: \(path): "), r.stderr)
            XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    // MARK: - helpers

    private func compiled() throws -> String {
        try GlibcSampler.mips64()
    }

    /// Runs the k42sim executable next to this test runner.
    private func run(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try ProcessRunner.run(try HostTools.k42sim(), args)
        return (r.status, r.stdoutText, r.stderrText)
    }
}
