// TestAddressSpace: the small SE-style address space the instruction-level test machines of both
// ISAs run in — code (RWX) at 0x10000 holding the given little-endian words, data (RW) at 0x40000.
import XCTest
@testable import Emulator

final class TestAddressSpace {
    static let codeBase: UInt64 = 0x10000
    static let dataBase: UInt64 = 0x40000
    let physical = PhysicalMemory(maxBytes: 64 << 20)
    let space: ProcessAddressSpace
    let mmu: SoftMMU

    init(userLimit: UInt64, words: [UInt32], codeCache: CodeInvalidationListener) {
        space = ProcessAddressSpace(physical: physical, mmapTop: 0x1000_0000, userLimit: userLimit)
        mmu = SoftMMU(physical: physical, translator: space)
        physical.addListener(codeCache)
        space.map(Self.codeBase, length: 0x4000, permissions: [.read, .write, .execute])
        space.map(Self.dataBase, length: 0x4000, permissions: [.read, .write])
        var bytes: [UInt8] = []
        for w in words { withUnsafeBytes(of: w.littleEndian) { bytes.append(contentsOf: $0) } }
        XCTAssertTrue(mmu.writeBytes(Self.codeBase, bytes))
    }
}
