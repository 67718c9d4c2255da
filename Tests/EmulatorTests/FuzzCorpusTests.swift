// FuzzCorpusTests: replays every committed fuzz input — the seed corpora (Fuzz/Corpus/TARGET)
// and the inputs that once crashed or hung a target (Tests/FuzzRegressions/TARGET) — through
// the same target bodies scripts/fuzz instruments (Fuzzing/FuzzTargets.swift), in the normal
// build: a regression traps here, and each input must finish in well under libFuzzer's 10 s.
import Foundation
import XCTest
@testable import Emulator

final class FuzzCorpusTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static func inputs(_ target: String) -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        for dir in ["Fuzz/Corpus/\(target)", "Tests/FuzzRegressions/\(target)"] {
            let path = root + "/" + dir
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for n in names.sorted() where !n.hasPrefix(".") {
                if let d = FileManager.default.contents(atPath: path + "/" + n) { out.append((dir + "/" + n, [UInt8](d))) }
            }
        }
        return out
    }

    func replay(_ target: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(FuzzTargets.names.contains(target), "unknown fuzz target \(target)", file: file, line: line)
        let inputs = Self.inputs(target)
        XCTAssertFalse(inputs.isEmpty, "no seeds in Fuzz/Corpus/\(target)", file: file, line: line)
        for (name, bytes) in inputs {
            let start = Date()
            FuzzTargets.run(target, bytes)    // the check: no crash, no hang (a host trap fails the run)
            let seconds = Date().timeIntervalSince(start)
            XCTAssertLessThan(seconds, 5, "\(name) took \(seconds) s", file: file, line: line)
            if seconds > 0.5 { print("slow fuzz input \(name): \(seconds) s") }
        }
    }

    func testTargetsHaveCorpora() {
        let dirs = (try? FileManager.default.contentsOfDirectory(atPath: Self.root + "/Fuzz/Corpus")) ?? []
        XCTAssertEqual(Set(dirs), Set(FuzzTargets.names))
    }

    func testELFCorpus() { replay("elf") }
    func testMIPS64Corpus() { replay("mips64") }
    func testPPC64Corpus() { replay("ppc64") }
    func testDescriptionCorpus() { replay("description") }
    func testSyscallsCorpus() { replay("syscalls") }
    func testTracesCorpus() { replay("traces") }
}
