// ElfImageTests: the libelf loader refuses bad files with one clear line.
import XCTest
@testable import Emulator

final class ElfImageTests: XCTestCase {
    func testRejectsNonElf() {
        XCTAssertThrowsError(try ElfImage(bytes: Array("hello world".utf8))) { e in
            XCTAssertEqual((e as? ElfError)?.message, "not an ELF file")
        }
    }

    func testRejectsTruncated() {
        XCTAssertThrowsError(try ElfImage(bytes: [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1])) { e in
            XCTAssertTrue((e as? ElfError)?.message.hasPrefix("truncated") ?? false, "\(e)")
        }
    }

    func testRejects32Bit() {
        var b = [UInt8](repeating: 0, count: 64)
        b[0] = 0x7f; b[1] = 0x45; b[2] = 0x4c; b[3] = 0x46; b[4] = 1; b[5] = 1
        XCTAssertThrowsError(try ElfImage(bytes: b)) { e in
            XCTAssertTrue((e as? ElfError)?.message.hasPrefix("32-bit") ?? false, "\(e)")
        }
    }
}
