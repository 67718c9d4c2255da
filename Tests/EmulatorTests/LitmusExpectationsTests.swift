// LitmusExpectationsTests: the litmus expectations the timing tests of both ISAs use, checked
// without running a machine. The SC outcome sets the enumerator produces equal the ones derived
// by hand from the tests' definitions (the standard results: MP forbids r0=1 r1=0, SB r0=r1=0,
// LB r0=r1=1, IRIW the readers disagreeing, 2+2W x=y=1); each test's relaxed outcome is not SC;
// SC and relaxed together are every outcome with values the threads can write; and the output
// checker reports a non-SC count, a missing line and a malformed count.
import XCTest

final class LitmusExpectationsTests: XCTestCase {
    typealias E = TimingExpectations

    func test(_ name: String) throws -> E.Litmus { try XCTUnwrap(E.litmus.first { $0.name == name }, name) }

    func testSCOutcomeSetsAreTheKnownOnes() throws {
        XCTAssertEqual(try test("MP").sc, [0, 1, 3])
        XCTAssertEqual(try test("SB").sc, [1, 2, 3])
        XCTAssertEqual(try test("LB").sc, [0, 1, 2])
        XCTAssertEqual(try test("IRIW").sc, Set(0 ..< 16).subtracting([10]))
        XCTAssertEqual(try test("2+2W").sc, [1 * 4 + 2, 2 * 4 + 1, 2 * 4 + 2])
    }

    func testRelaxedOutcomesAreExactlyTheNonSCOnes() throws {
        let conceivable: [String: Set<Int>] = [
            "MP": Set(0 ..< 4), "SB": Set(0 ..< 4), "LB": Set(0 ..< 4), "IRIW": Set(0 ..< 16),
            "2+2W": [1 * 4 + 1, 1 * 4 + 2, 2 * 4 + 1, 2 * 4 + 2],   // final x, y each 1 or 2
        ]
        XCTAssertEqual(E.litmus.map(\.name), ["MP", "SB", "LB", "IRIW", "2+2W"])
        for t in E.litmus {
            XCTAssertTrue(t.sc.isDisjoint(with: t.relaxed), t.name)
            XCTAssertEqual(t.sc.union(t.relaxed), conceivable[t.name], t.name)
            XCTAssertTrue(t.sc.allSatisfy { $0 < t.printed }, t.name)
        }
    }

    func testOutputCheckerReportsWhatIsWrong() {
        let good = E.litmus.map { t in
            "\(t.name) nosync: " + (0 ..< t.printed).map { t.sc.contains($0) ? "1" : "0" }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
        let ok = E.checkLitmus(good, variants: ["nosync"])
        XCTAssertEqual(ok.problems, [])
        XCTAssertEqual(ok.seen["SB"], [1, 2, 3])
        let nonSC = good.replacingOccurrences(of: "MP nosync: 1 1 0 1", with: "MP nosync: 1 1 2 1")
        XCTAssertEqual(E.checkLitmus(nonSC, variants: ["nosync"]).problems, ["MP nosync shows non-SC outcome 2 2 times"])
        let missing = good.replacingOccurrences(of: "LB nosync: 1 1 1 0\n", with: "")
        XCTAssertEqual(E.checkLitmus(missing, variants: ["nosync"]).problems.count, 1)
        let short = good.replacingOccurrences(of: "SB nosync: 0 1 1 1", with: "SB nosync: 0 1 1")
        XCTAssertEqual(E.checkLitmus(short, variants: ["nosync"]).problems, ["bad counts: SB nosync: 0 1 1"])
    }
}
