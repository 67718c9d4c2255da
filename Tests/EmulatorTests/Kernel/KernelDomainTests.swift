// KernelDomainTests: resource domains (Kernel/Sched/Domains.swift, docs/kernel/scheduling.md) on
// both ISAs at 1, 4 and 16 CPUs. `uthreads` mode 15 runs groups of spinner processes on one CPU
// for a fixed window of simulated cycles and compares the work each got: weights 100/200/300 in
// time sharing must share the CPU 1:2:3; a background spinner beside a time-sharing one gets
// nothing; a spinner that answers soft preemptions, one without a dispatcher and one whose
// dispatcher stays disabled (so it ignores them and is hard-preempted) get a third each. The
// kernel's counters must show soft preemptions asked and answered and hard ones, all on the
// spinners' CPU; two runs are identical. `uthreads` mode 18: one process with two dispatchers on
// one CPU, one of them moved to the background class, which runs only while the other sleeps.
import Emulator
import XCTest

final class KernelDomainTests: XCTestCase {
    func boot(_ isa: Emulator.GuestISA, cpus: Int, nodes: Int, cpu: Int) throws -> KernelBoot {
        try KernelImages.boot(isa, cpus: cpus, nodes: nodes, args: "program=uthreads program-arg=15 program-cpu=\(cpu) quiet",
                              ramImage: try KernelImages.programs(isa))
    }

    func check(_ isa: Emulator.GuestISA) throws {
        for (cpus, nodes, cpu) in [(1, 1, 0), (4, 2, 3), (16, 4, 5)] {
            let b = try boot(isa, cpus: cpus, nodes: nodes, cpu: cpu)
            let spinners = (cpu + 1) % cpus
            XCTAssertEqual(b.exitStatus, 0, b.describe)
            XCTAssertTrue(b.console.contains("resource domains on CPU \(spinners),"), b.describe)
            XCTAssertTrue(b.console.contains("(proportional)"), "weights 100/200/300 share 1:2:3: \(b.describe)")
            XCTAssertTrue(b.console.contains("(background starved)"), b.describe)
            XCTAssertTrue(b.console.contains("(equal)"), "hard preemption keeps the share of a spinner that ignores soft ones: \(b.describe)")
            let soft = b.counter(.softPreemptions, cpu: spinners), honoured = b.counter(.preemptionsHonoured, cpu: spinners)
            XCTAssertGreaterThan(soft, 50, "soft preemptions asked on the spinners' CPU")
            XCTAssertGreaterThan(honoured, 25, "and answered by giving up the CPU")
            XCTAssertLessThanOrEqual(honoured, soft)
            XCTAssertGreaterThan(b.counter(.hardPreemptions, cpu: spinners), 50, "no dispatcher, or one that ignores the request")
            if cpus > 1 {
                XCTAssertEqual(b.counter(.softPreemptions) - soft, 0, "nothing competes on the other CPUs")
            }
        }
        let runs = try (0 ..< 2).map { _ in try boot(isa, cpus: 4, nodes: 2, cpu: 3) }
        XCTAssertEqual(runs[0].console, runs[1].console)
        XCTAssertEqual(runs[0].reports.map { [$0.cycle, UInt64($0.cpu), $0.arg0, $0.arg1] },
                       runs[1].reports.map { [$0.cycle, UInt64($0.cpu), $0.arg0, $0.arg1] })
    }

    func testTwoDispatchersOfOneProcessOnOneCPU() throws {
        for isa in Emulator.GuestISA.allCases {
            for (cpus, cpu) in [(1, 0), (4, 2)] {
                let b = try KernelImages.boot(isa, cpus: cpus, nodes: 1, args: "program=uthreads program-arg=18 program-cpu=\(cpu) quiet",
                                              ramImage: try KernelImages.programs(isa))
                XCTAssertEqual(b.exitStatus, 0, b.describe)
                XCTAssertTrue(b.console.contains("two dispatchers on CPU \(cpu): a second number 1 refused, number 4 refused; "
                    + "background counter still while time sharing computed, counting while it slept; joined 0"), b.describe)
                XCTAssertEqual(b.counter(.dispatchersRegistered, cpu: cpu), 2, b.describe)
                XCTAssertEqual(b.counter(.dispatchersRegistered), 2)
                XCTAssertEqual(b.counter(.dispatchersStarted), 1)
            }
        }
    }

    func testResourceDomainsOnMIPS64() throws { try check(.mips64) }
    func testResourceDomainsOnPPC64() throws { try check(.ppc64) }
}
