// KernelVMTests: processes and memory-management objects (Kernel/VM, in-kernel test=vm) on both
// ISAs at 1, 4 and 16 CPUs, checked from the host: the kernel's own checks pass (zero-fill,
// shared and replicated processes with centralized and distributed FCMs on every CPU at once,
// copy-on-write, protection violations and wild addresses delivered to the process, isolation
// between processes, every frame returned); the unmap of a region used by a known set of CPUs
// shot down exactly those CPUs — by the kernel's per-CPU counters and by the machine's own
// per-CPU TLB invalidation statistics for exactly that unmap (the kernel brackets it with
// statistics reset/dump sim-calls).
import Emulator
import XCTest

final class KernelVMTests: XCTestCase {
    func testProcessesAndMemoryObjectsOnOneFourAndSixteenCPUs() throws {
        for isa in Emulator.GuestISA.allCases {
            for (cpus, nodes) in [(1, 1), (4, 2), (16, 4)] {
                let b = try KernelImages.boot(isa, cpus: cpus, nodes: nodes, args: "test=vm quiet", statistics: true)
                assertPassed(b)
                let users = Set([0] + (0 ..< cpus).filter { $0 % 2 == 1 })
                XCTAssertEqual(b.measurement(0), UInt64(users.count), "CPUs shot down: \(b.describe)")
                // The faults the kernel could not resolve reached the process: 3 in the
                // protection checks (+1 on PPC: executing a data page), 1 per user of the
                // unmapped region, 2 in the isolation checks.
                let expectedNotifications = 3 + (isa == .ppc64 ? 1 : 0) + users.count + 2
                XCTAssertEqual(b.counter(.faultNotifications), UInt64(expectedNotifications), b.describe)
                XCTAssertGreaterThanOrEqual(b.counter(.zeroFills), UInt64(64 + cpus * 16 * 4), "\(isa) \(cpus)")
                XCTAssertEqual(b.counter(.copyOnWrites), cpus >= 2 ? 9 : 8, "\(isa) \(cpus): 8 pages written + the shared one")
                XCTAssertEqual(b.counter(.processFrames), b.counter(.processFramesFreed), "every frame returned")
                // The machine's statistics for exactly the unmap: TLB invalidations on the CPUs
                // that used the region and nowhere else.
                let dump = try XCTUnwrap(b.statistics?.file.dumps.first, "no statistics dump")
                for c in 0 ..< cpus {
                    let name = "system.cpu\(c).mmu.invalidations"
                    let v = try XCTUnwrap(dump.entries.first { $0.name == name }.flatMap { UInt64($0.value) }, name)
                    if users.contains(c) {
                        XCTAssertGreaterThan(v, 0, "\(isa) \(cpus) CPUs: cpu \(c) used the region")
                    } else {
                        XCTAssertEqual(v, 0, "\(isa) \(cpus) CPUs: cpu \(c) never used the region")
                    }
                }
            }
        }
    }
}
