// KernelReplacementTests: page replacement (Kernel/VM/Replacement.swift) on both ISAs at 1, 4
// and 16 CPUs. `uthreads` mode 16 maps 512 pages of the block device read-only and reads them
// twice over from one thread on each of up to 4 dispatchers (CPUs), each from its own offset;
// with `pm-frames=150` (process frames per node) the file cannot stay resident, so the page
// manager evicts clean file pages (shooting them down on the CPUs that used the region) and
// faults read them back. Every read must see its sector's word, every frame must come back when
// the process ends, and a limit too small for the process's own anonymous pages ends the
// process (nothing to evict), not the kernel. The control without a limit evicts nothing.
import Emulator
import Foundation
import XCTest

final class KernelReplacementTests: XCTestCase {
    func disk() -> String {
        var bytes = [UInt8](repeating: 0, count: 4096 * 512)
        for s in 0 ..< 4096 {
            let v: UInt64 = 0xD15C_0000_0000_0000 | UInt64(s)
            for b in 0 ..< 8 { bytes[s * 512 + b] = UInt8(truncatingIfNeeded: v >> (8 * b)) }
        }
        let path = NSTemporaryDirectory() + "k42sim-repl-\(getpid())-\(UUID().uuidString).img"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func boot(_ isa: Emulator.GuestISA, cpus: Int, nodes: Int, cpu: Int, limit: Int?, path: String) throws -> KernelBoot {
        let args = "program=uthreads program-arg=16 program-cpu=\(cpu) quiet" + (limit.map { " pm-frames=\($0)" } ?? "")
        return try KernelImages.boot(isa, cpus: cpus, nodes: nodes, args: args,
                                     disk: try BlockDevice(path: path, writable: false, latency: 20_000),
                                     ramImage: try KernelImages.programs(isa))
    }

    func check(_ isa: Emulator.GuestISA) throws {
        let path = disk()
        for (cpus, nodes, cpu) in [(1, 1, 0), (4, 2, 3), (16, 4, 5)] {
            let b = try boot(isa, cpus: cpus, nodes: nodes, cpu: cpu, limit: 150, path: path)
            let n = min(4, cpus)
            XCTAssertEqual(b.exitStatus, 0, b.describe)
            XCTAssertTrue(b.console.contains("512 file pages read twice by \(n) threads on \(n) CPUs: 0 wrong"), b.describe)
            let evicted = b.counter(.pagesEvicted), reads = b.counter(.diskReads)
            XCTAssertGreaterThan(evicted, 512, "the file does not fit: pages are evicted (\(b.describe))")
            XCTAssertGreaterThan(reads, 512 + evicted / 2, "evicted pages are read back")
            XCTAssertEqual(b.counter(.processFrames), b.counter(.processFramesFreed), "every frame came back")
            if cpus == 1 {
                // One reader, sequential twice over a clock: every page is read from the device twice.
                XCTAssertEqual(reads, 1024, b.describe)
            } else {
                XCTAssertGreaterThan(b.counter(.shootdowns), evicted, "an eviction shoots the page down where the region was used")
            }
        }
        let control = try boot(isa, cpus: 4, nodes: 2, cpu: 3, limit: nil, path: path)
        XCTAssertEqual(control.exitStatus, 0, control.describe)
        XCTAssertEqual(control.counter(.pagesEvicted), 0)
        XCTAssertEqual(control.counter(.diskReads), 512, "without pressure every page is read once")
        // Too few frames even for the process's own stack and heap: nothing to evict, the process ends.
        let starved = try boot(isa, cpus: 4, nodes: 2, cpu: 3, limit: 40, path: path)
        XCTAssertEqual(starved.exitStatus, 1, starved.describe)
        // Killed by a fault it cannot resolve, or told ENOMEM (its dispatcher refused) and exits 1.
        XCTAssertTrue(starved.console.contains("k42: process 1 killed") || starved.console.contains("k42: process 1 exited with status 1"),
                      starved.describe)
        XCTAssertFalse(starved.console.contains("0 wrong"), "it cannot have read the file")
        XCTAssertEqual(starved.counter(.processFrames), starved.counter(.processFramesFreed), "its frames came back")
        let runs = try (0 ..< 2).map { _ in try boot(isa, cpus: 4, nodes: 2, cpu: 3, limit: 150, path: path) }
        XCTAssertEqual(runs[0].console, runs[1].console)
        XCTAssertEqual(runs[0].reports.map { [$0.cycle, UInt64($0.cpu), $0.arg0, $0.arg1] },
                       runs[1].reports.map { [$0.cycle, UInt64($0.cpu), $0.arg0, $0.arg1] })
    }

    func testReplacementOnMIPS64() throws { try check(.mips64) }
    func testReplacementOnPPC64() throws { try check(.ppc64) }
}
