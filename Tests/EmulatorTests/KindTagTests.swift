// KindTagTests: the interpreters index their per-kind tables with the op kind's in-memory case
// number (`tag` / `index`, a bit cast) instead of the raw-value getter; that is only right while
// every case's raw value is its case number. These tests fail if an explicit raw value or a
// change of representation breaks it.
import XCTest
@testable import Emulator

final class MIPS64KindTagTests: XCTestCase {
    func testMIPS64TagIsTheRawValueOfEveryCase() {
        XCTAssertEqual(MemoryLayout<MIPS64Kind>.size, 1)
        for (i, k) in MIPS64Kind.allCases.enumerated() {
            XCTAssertEqual(Int(k.rawValue), i, "\(k)")
            XCTAssertEqual(k.tag, k.rawValue, "\(k)")
            XCTAssertEqual(k.index, Int(k.rawValue), "\(k)")
        }
    }

    func testPPC64IndexIsTheRawValueOfEveryCase() {
        XCTAssertEqual(MemoryLayout<PPC64OpKind>.size, 2)
        var n = 0
        for raw in 0...UInt16.max {
            guard let k = PPC64OpKind(rawValue: raw) else { break }
            XCTAssertEqual(k.index, Int(raw), "\(k)")
            n += 1
        }
        XCTAssertGreaterThan(n, 256, "PPC64OpKind has more cases than one byte holds")
        XCTAssertNil(PPC64OpKind(rawValue: UInt16(n + 1)), "raw values are not contiguous from 0")
    }
}
