// KernelDiskTests: the kernel's `test=disk` (Kernel/Tests/DiskTests.swift) — file-backed memory
// objects on the platform block device — on both ISAs at 1, 4 and 16 CPUs. The image is made
// here (sector s starts with 0xD15C << 48 | s; 132 sectors, so the last page is half past the
// end); the device's own COMPLETED count must equal the kernel's diskReads (each page read
// once per memory object, however many CPUs touch it), and without a disk the test fails at its first check.
import Emulator
import Foundation
import XCTest

final class KernelDiskTests: XCTestCase {
    static let sectors = 132

    func image() throws -> String {
        var bytes = [UInt8](repeating: 0, count: Self.sectors * 512)
        for s in 0 ..< Self.sectors {
            for w in 0 ..< 64 {
                let v: UInt64 = w == 0 ? 0xD15C_0000_0000_0000 | UInt64(s) : UInt64(s * 64 + w)
                for b in 0 ..< 8 { bytes[s * 512 + w * 8 + b] = UInt8(truncatingIfNeeded: v >> (8 * b)) }
            }
        }
        let path = NSTemporaryDirectory() + "k42sim-kdisk-\(getpid())-\(UUID().uuidString).img"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func check(_ isa: Emulator.GuestISA) throws {
        let path = try image()
        for (cpus, nodes) in [(1, 1), (4, 2), (16, 4)] {
            let disk = try BlockDevice(path: path, writable: false, latency: 20_000)
            let b = try KernelImages.boot(isa, cpus: cpus, nodes: nodes, args: "test=disk", disk: disk)
            assertPassed(b)
            // Every page once for the read-only mapping, however many CPUs read it, plus page 0
            // once for each of check 6's two fresh mappings.
            let reads = UInt64((Self.sectors + 7) / 8) + 2
            XCTAssertEqual(b.counter(.diskReads), reads, "each page read once per memory object: \(b.describe)")
            XCTAssertEqual(disk.completed, reads, "the device's own count")
            XCTAssertEqual(disk.sectorsRead, UInt64(Self.sectors + 16))
            XCTAssertGreaterThan(b.measurement(0) ?? 0, 20_000, "a file fault waits for the device's latency")
        }
        let none = try KernelImages.boot(isa, cpus: 2, nodes: 1, args: "test=disk")
        XCTAssertEqual(none.value(KernelReport.testResult), 1, none.describe)
    }

    func testFileBackedPagesOnMIPS64() throws { try check(.mips64) }
    func testFileBackedPagesOnPPC64() throws { try check(.ppc64) }
}
