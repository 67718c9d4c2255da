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

    /// libelf shortens a program header table cut off by the end of the file; the loader must
    /// still call the file truncated rather than "no loadable segments".
    func testRejectsFileEndingInsideProgramHeaders() {
        var b = [UInt8](repeating: 0, count: 100)
        b[0] = 0x7f; b[1] = 0x45; b[2] = 0x4c; b[3] = 0x46; b[4] = 2; b[5] = 1; b[6] = 1
        b[16] = 2; b[18] = 8; b[20] = 1  // ET_EXEC, EM_MIPS, EV_CURRENT
        b[32] = 64; b[52] = 64; b[54] = 56; b[56] = 2  // phoff 64, ehsize 64, phentsize 56, phnum 2
        XCTAssertThrowsError(try ElfImage(bytes: b)) { e in
            XCTAssertEqual((e as? ElfError)?.message, "truncated ELF file: program headers end past the file's 100 bytes")
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
