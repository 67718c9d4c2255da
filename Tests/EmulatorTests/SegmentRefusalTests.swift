// SegmentRefusalTests: the loaders' checks on PT_LOAD segments (issue 15), in process and
// through `k42sim boot`: segments that share bytes (virtual or physical), lie outside the user
// space or RAM, or need more than the guest memory are refused with one message naming them;
// a huge demand-zero segment costs no time; the SE address space's region limit holds.
import Foundation
import XCTest
@testable import Emulator

final class SegmentRefusalTests: XCTestCase {
    typealias Segment = FuzzImages.Segment

    func image(_ machine: UInt16, _ segments: [Segment], entry: UInt64? = nil) throws -> ElfImage {
        try ElfImage(bytes: FuzzImages.elf(machine: machine, entry: entry ?? segments[0].vaddr, segments: segments,
                                           flags: machine == 21 ? 2 : 0))
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch let e as ElfError { return e.message } catch { return "\(error)" }
        return "accepted"
    }

    func options(memory: UInt64 = LinuxSEOptions.defaultGuestMemory) -> LinuxSEOptions {
        var o = LinuxSEOptions(programPath: "/nonexistent/prog", arguments: ["prog"], environment: [])
        o.guestMemory = memory
        return o
    }

    func testOverlappingVirtualRangesAreRefusedByElfImage() {
        let m = message {
            _ = try image(8, [Segment(vaddr: 0x1_2000_0000, paddr: 0, code: [0], memSize: 0x3000, flags: 5),
                              Segment(vaddr: 0x1_2000_2000, paddr: 0, code: [0], memSize: 0x1000, flags: 6)])
        }
        XCTAssertEqual(m, "segments 0 and 1 overlap: [0x120000000, 0x120003000) and [0x120002000, 0x120003000)")
        // Sharing a page but not a byte is fine (the page gets both permissions).
        XCTAssertEqual(message {
            let i = try image(8, [Segment(vaddr: 0x1_2000_0000, paddr: 0, code: [0], memSize: 0x1800, flags: 5),
                                  Segment(vaddr: 0x1_2000_1800, paddr: 0, code: [7], memSize: 0x1000, flags: 6)])
            let p = try LinuxProcess(image: i, options: options())
            XCTAssertEqual(p.addressSpace.permissions(0x1_2000_1000), [.read, .write, .execute])
            XCTAssertEqual(p.mmu.loadValue(0x1_2000_1800, size: 4), 7)
        }, "accepted")
    }

    func testSELoaderRefusesSegmentsOutsideTheUserSpaceOrMemory() throws {
        let far = try image(8, [Segment(vaddr: 1 << 39, paddr: 0, code: [0], memSize: 1 << 39, flags: 6)])
        XCTAssertEqual(message { _ = try LinuxProcess(image: far, options: options()) },
                       "segment 0 at 0x8000000000 (549755813888 bytes) lies outside the mips64n64 user address space (it ends at 0xffff600000)")
        let big = try image(21, [Segment(vaddr: 0x1000_0000, paddr: 0, code: [0], memSize: 64 << 20, flags: 6)])
        XCTAssertEqual(message { _ = try LinuxProcess(image: big, options: options(memory: 32 << 20)) },
                       "segment 0 at 0x10000000 (67108864 bytes) does not fit in the guest memory (32 MiB for all segments)")
        // Together too: two segments of 20 MiB in 32 MiB.
        let two = try image(21, [Segment(vaddr: 0x1000_0000, paddr: 0, code: [0], memSize: 20 << 20, flags: 5),
                                 Segment(vaddr: 0x2000_0000, paddr: 0, code: [0], memSize: 20 << 20, flags: 6)])
        XCTAssertTrue(message { _ = try LinuxProcess(image: two, options: options(memory: 32 << 20)) }.hasPrefix("segment 1 at 0x20000000"))
    }

    func testHugeDemandZeroSegmentLoadsInConstantTime() throws {
        let i = try image(21, [Segment(vaddr: 0x1000_0000, paddr: 0, code: [1, 2], memSize: 7 << 30, flags: 6)])
        let start = Date()
        let p = try LinuxProcess(image: i, options: options())
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
        XCTAssertLessThan(p.addressSpace.touchedPageCount, 8, "only the file bytes' page and the initial stack have frames")
        XCTAssertGreaterThan(p.addressSpace.mappedPageCount, (7 << 30) >> 12)
        XCTAssertEqual(p.mmu.loadValue(0x1000_0000 + (7 << 30) - 8, size: 8), 0)
        XCTAssertEqual(p.addressSpace.brkStart, 0x1000_0000 + (7 << 30))
    }

    func testFullSystemLoaderRefusesOverlapsAndSegmentsOutsideRAM() throws {
        var config = MachineConfig(isa: .ppc64, cpus: 1, nodes: 1)
        config.memoryPerNode = 4 << 20
        let overlap = try image(21, [Segment(vaddr: 0x10_0000, paddr: 0x10_0000, code: [0], memSize: 0x2000, flags: 5),
                                     Segment(vaddr: 0x80_0000, paddr: 0x10_1000, code: [0], memSize: 0x1000, flags: 6)])
        XCTAssertEqual(message { _ = try Machine(config: config, image: overlap, makeCPU: SystemCPUFactory.make) },
                       "segments 0 and 1 overlap in physical memory: [0x100000, 0x102000) and [0x101000, 0x102000)")
        let outside = try image(21, [Segment(vaddr: 0x10_0000, paddr: 0x10_0000, code: [0], memSize: 1 << 40, flags: 5)])
        XCTAssertEqual(message { _ = try Machine(config: config, image: outside, makeCPU: SystemCPUFactory.make) },
                       "segment 0 at physical 0x100000-0x10000100000 is outside RAM [0x10000, 0x400000)")
    }

    /// `k42sim boot` says the same in one line with status 2, at once.
    func testBootRefusesAHugeSegmentWithStatus2() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-segments-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/huge"
        let bytes = FuzzImages.elf(machine: 21, entry: 0x10_0000, segments: [
            Segment(vaddr: 0x10_0000, paddr: 0x10_0000, code: [0x4800_0000], memSize: 1 << 40, flags: 7)], flags: 2)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let start = Date()
        let r = try ProcessRunner.run(try HostTools.k42sim(), ["boot", path, "--max-cycles", "1000"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
        XCTAssertEqual(r.status, 2, r.stderrText)
        XCTAssertEqual(r.stderrText, "k42sim: \(path): segment 0 at physical 0x100000-0x10000100000 is outside RAM [0x10000, 0x10000000)\n")
    }

    /// Regions are capped at vm.max_map_count: past it mmap and munmap fail (ENOMEM), and
    /// every range operation stays fast however large the range.
    func testRegionLimitAndRangeCosts() throws {
        let physical = PhysicalMemory(maxBytes: 64 << 20)
        let space = ProcessAddressSpace(physical: physical, mmapTop: 1 << 45, userLimit: 1 << 46)
        let start = Date()
        XCTAssertTrue(space.map(0x1000_0000, length: 1 << 44, permissions: [.read, .write], lazy: true))
        XCTAssertTrue(space.protect(0x1000_0000, length: 1 << 43, permissions: [.read]))
        XCTAssertTrue(space.isMappedRange(0x1000_0000, length: 1 << 44))
        XCTAssertFalse(space.isFree(0, length: 1 << 45))
        XCTAssertNotNil(space.findFree(length: 1 << 40))
        XCTAssertTrue(space.unmap(0, length: 1 << 46))
        XCTAssertEqual(space.mappedPageCount, 0)
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
        // Alternate pages with two permissions: one region each, until the cap.
        var mapped = 0
        while space.map(UInt64(mapped) << 13, length: 4096, permissions: mapped % 2 == 0 ? [.read] : [.read, .write], lazy: true) {
            mapped += 1
            if mapped > ProcessAddressSpace.maxRegions { break }
        }
        XCTAssertEqual(space.regionCount, ProcessAddressSpace.maxRegions - 1, "map fails at the cap")
        XCTAssertEqual(mapped, ProcessAddressSpace.maxRegions - 1)
    }
}
