// KernelClusteredObjectTests: the clustered-object runtime's in-kernel test (test=cobj, checking
// mode) on both ISAs at 1, 4 and 16 CPUs, checked through the kernel's reports: it passes (reps
// per root kind exact, references not reused before reclaim, destroy under load with no access to
// freed memory, token reclamation, hot swap without lost calls), the stalled token is reported
// for the CPU that held it, reclaimed reps really were poisoned and quarantined, and no call ever
// found a poisoned rep.
import Emulator
import XCTest

final class KernelClusteredObjectTests: XCTestCase {
    func run(_ isa: Emulator.GuestISA, _ cpus: Int, _ nodes: Int) throws {
        let b = try KernelImages.boot(isa, cpus: cpus, nodes: nodes,
                                      args: "test=cobj quiet cocheck costall=400000 rounds=20 tick=20000")
        assertPassed(b)
        XCTAssertEqual(b.counter(.deadCalls), 0, b.describe)
        XCTAssertGreaterThan(b.counter(.quarantinedBytes), 0, "reclaimed reps were poisoned")
        XCTAssertGreaterThan(b.counter(.objectsReclaimed), 0)
        // Destroyed objects, plus the mediator and the old root the one hot swap retired.
        XCTAssertLessThanOrEqual(b.counter(.objectsReclaimed), b.counter(.objectsDestroyed) + 2)
        XCTAssertGreaterThan(b.measurement(0) ?? 0, 0, "swap cycles")
        if cpus > 1 {
            XCTAssertEqual(b.values(KernelReport.tokenStalled).map(\.cpu), [cpus - 1], "the stalled CPU reported itself")
            XCTAssertTrue(b.console.contains("k42: clustered-object token stalled on cpu \(cpus - 1) "), b.console)
            XCTAssertGreaterThanOrEqual(b.counter(.tokenVisits), UInt64(cpus), "the token went round")
        }
        XCTAssertEqual(b.values(KernelReport.tableFull).count, 0)
    }

    func testMIPS64() throws {
        for (cpus, nodes) in [(1, 1), (4, 2), (16, 4)] { try run(.mips64, cpus, nodes) }
    }

    func testPPC64() throws {
        for (cpus, nodes) in [(1, 1), (4, 2), (16, 4)] { try run(.ppc64, cpus, nodes) }
    }
}
