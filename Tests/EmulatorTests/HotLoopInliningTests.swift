// HotLoopInliningTests: the interpreters' loops in the optimised k42sim must contain their
// instruction semantics (no call to MIPS64Interpreter.exec, no indirect call through a merged
// function, no runtime exclusivity check). Runs scripts/check-hot-loop on the k42sim this test
// target was built with; skipped in debug builds, which inline nothing.
import XCTest

final class HotLoopInliningTests: XCTestCase {
    func testInterpreterLoopsAreInlined() throws {
        #if DEBUG
        throw XCTSkip("debug build: the optimiser's inlining is what this checks (scripts/test builds release)")
        #else
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/check-hot-loop").path
        let k42sim = try HostTools.k42sim()
        let result = try ProcessRunner.run("/bin/bash", [script, k42sim], timeout: 300)
        XCTAssertEqual(result.status, 0, result.stdoutText + result.stderrText)
        // Every specialisation was looked at: 7 MIPS64 (2 byte orders x SE/system/timed, and timed
        // SE little-endian) and 7 PPC64 (the same).
        XCTAssertTrue(result.stdoutText.contains("14 loop bodies checked"), result.stdoutText)
        #endif
    }
}
