// GuestToolchainBootTests: Guests/hello built by the guest toolchain boots under `k42sim boot
// --guest` on full-system MIPS64 and PPC64 at 1, 2 and 4 CPUs (4 CPUs on 2 NUMA nodes): every
// CPU prints its CPU and node in order, the self-tests (classes, generics, Array, Dictionary,
// Optional) pass (exit status 0), and reruns are byte-identical.
import Foundation
import XCTest

final class GuestToolchainBootTests: XCTestCase {
    func boot(cpus: Int, nodes: Int, isa: String = "mips64") throws -> ProcessResult {
        try ProcessRunner.run(try HostTools.k42sim(),
                              ["boot", "--guest", "hello", "--isa", isa, "--cpus", "\(cpus)", "--nodes", "\(nodes)",
                               "--root", GuestToolchainTests.projectRoot, "--max-cycles", "200000000"],
                              timeout: 300)
    }

    static func expected(cpus: Int, nodes: Int) -> String {
        let perNode = cpus / nodes
        return (0..<cpus).map { "hello from CPU \($0) on node \($0 / perNode): self-test ok\n" }.joined()
            + "\(cpus) of \(cpus) CPUs on \(nodes) nodes arrived; 0 failed checks\n"
    }

    func testHelloBootsOnMIPS64() throws {
        for (cpus, nodes) in [(1, 1), (2, 1), (4, 2)] {
            let r = try boot(cpus: cpus, nodes: nodes)
            XCTAssertEqual(r.status, 0, "\(cpus) CPUs: \(r.stderrText)")
            XCTAssertEqual(r.stdoutText, Self.expected(cpus: cpus, nodes: nodes), "\(cpus) CPUs")
        }
    }

    func testHelloBootsOnPPC64() throws {
        for (cpus, nodes) in [(1, 1), (2, 1), (4, 2)] {
            let r = try boot(cpus: cpus, nodes: nodes, isa: "ppc64")
            XCTAssertEqual(r.status, 0, "\(cpus) CPUs: \(r.stderrText)")
            XCTAssertEqual(r.stdoutText, Self.expected(cpus: cpus, nodes: nodes), "\(cpus) CPUs")
        }
    }

    func testHelloRerunsAreByteIdentical() throws {
        for isa in ["mips64", "ppc64"] {
            let first = try boot(cpus: 4, nodes: 2, isa: isa)
            let second = try boot(cpus: 4, nodes: 2, isa: isa)
            XCTAssertEqual(first.status, 0, first.stderrText)
            XCTAssertEqual(first.stdout, second.stdout, isa)
            XCTAssertEqual(first.status, second.status, isa)
        }
    }
}
