// KernelMechanismTests: the kernel's own tests (Kernel/Tests/*.swift, selected with test=NAME),
// run on both ISAs at several CPU counts and checked from the host through the reports: a user
// probe faults on kernel memory and the kernel carries on; thread create/join, yield and
// preemption; a blocking lock contended by 16 CPUs keeps an exact count; cross-CPU calls run on
// their targets; the allocator under 16-CPU stress with cross-CPU frees returns every byte,
// and falls back to remote nodes only when the local one is exhausted.
import Emulator
import XCTest

final class KernelMechanismTests: XCTestCase {
    func testUserModeCannotTouchKernelMemory() throws {
        for isa in Emulator.GuestISA.allCases {
            let b = try KernelImages.boot(isa, cpus: 2, nodes: 2, args: "test=protect quiet")
            assertPassed(b)
            let faults = b.values(KernelReport.userFaultAddress).map(\.value)
            let accesses = b.values(KernelReport.userFaultAccess).map(\.value)
            XCTAssertEqual(faults.count, 5, b.describe)
            XCTAssertEqual(accesses, [0, 1, 1, 0, 0], "read, write kernel; write code; read per-CPU, kernel text")
            let base = KernelReport.kernelBase(isa)
            // The first two faults are the read and the write of the same kernel word.
            XCTAssertEqual(faults.first, faults.dropFirst().first)
            XCTAssertGreaterThanOrEqual(faults.first ?? 0, base, "the faulting address is kernel memory")
            XCTAssertEqual(b.values(KernelReport.userExit).map(\.value), [42, 0x1234_5678_9ABC])
            XCTAssertEqual(b.counter(.userFaults), 5)
        }
    }

    func testThreadsOnEveryCPU() throws {
        for isa in Emulator.GuestISA.allCases {
            for (cpus, nodes) in [(1, 1), (4, 2), (16, 4)] {
                let b = try KernelImages.boot(isa, cpus: cpus, nodes: nodes, args: "test=threads quiet threads=12 rounds=60 tick=20000")
                assertPassed(b)
                XCTAssertGreaterThanOrEqual(b.counter(.threadsCreated), UInt64(cpus * 12 + 50 + 2), b.describe)
                for c in 0 ..< cpus { XCTAssertGreaterThan(b.counter(.ticks, cpu: c), 0, "cpu \(c) ticked") }
                XCTAssertGreaterThan(b.measurement(0) ?? 0, 0)
            }
        }
    }

    func testBlockingLockContendedBySixteenCPUs() throws {
        for isa in Emulator.GuestISA.allCases {
            let b = try KernelImages.boot(isa, cpus: 16, nodes: 4, args: "test=lock quiet rounds=40")
            assertPassed(b)
            XCTAssertTrue(b.console.contains("lock: 32 threads on 16 CPUs counted 1280 under one blocking lock"), b.console)
            // Contention really made threads sleep and be woken from other CPUs.
            XCTAssertGreaterThan(b.counter(.wakeupsRemote), 0)
        }
    }

    func testCrossCPUCallsReachTheirTargets() throws {
        for isa in Emulator.GuestISA.allCases {
            for (cpus, nodes) in [(2, 1), (16, 4)] {
                let b = try KernelImages.boot(isa, cpus: cpus, nodes: nodes, args: "test=xcall quiet rounds=40")
                assertPassed(b)
                for c in 0 ..< cpus { XCTAssertGreaterThan(b.counter(.crossCallsRun, cpu: c), 0, "\(isa) cpu \(c)") }
                XCTAssertEqual(b.counter(.crossCallsSent), b.counter(.crossCallsRun), b.describe)
            }
        }
    }

    func testAllocatorStressOnSixteenCPUs() throws {
        for isa in Emulator.GuestISA.allCases {
            let b = try KernelImages.boot(isa, cpus: 16, nodes: 4, args: "test=alloc quiet rounds=120")
            assertPassed(b)
            XCTAssertGreaterThan(b.counter(.remoteFrees), 0)
            XCTAssertGreaterThan(b.counter(.remoteFreeBatches), 0)
            XCTAssertLessThan(b.counter(.remoteFreeBatches), b.counter(.remoteFrees), "remote frees go home in batches")
            XCTAssertGreaterThan(b.counter(.slabsReleased), 0, "trim gave slabs back")
            let perMille = try XCTUnwrap(b.measurement(0))
            XCTAssertGreaterThan(perMille, 0)
            XCTAssertLessThan(perMille, 1000)
            XCTAssertGreaterThan(b.measurement(1) ?? 0, 0, "remote pages once the local node ran out")
            XCTAssertGreaterThan(b.counter(.remotePages), 0)
        }
    }
}
