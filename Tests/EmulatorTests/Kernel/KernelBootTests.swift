// KernelBootTests: the K42 kernel boots on both ISAs at 1, 2, 4, 16 and 64 CPUs (1, 2, 4, 16
// nodes). Every CPU reports its node and the physical address the MMU translates its
// processor-specific range to (read back from the TLB / hashed page table); the test checks
// those pages are distinct, on the CPU's own node, and — independently of the kernel's word —
// that machine RAM at that address holds the magic the CPU wrote through its per-CPU range.
// Also: two boots give identical console, reports and statistics; the kernel boots under the
// timing presets; bad boot arguments get one line and status 2; a deliberate kernel fault gives
// the panic line and status 250.
import Emulator
import XCTest

final class KernelBootTests: XCTestCase {
    static let shapes = [(1, 1), (2, 2), (4, 4), (16, 4), (64, 16)]

    func checkBoot(_ b: KernelBoot, file: StaticString = #filePath, line: UInt = #line) {
        assertPassed(b, file: file, line: line)
        let perNode = b.cpus / b.nodes
        let memoryPerNode = b.machine.config.memoryPerNode
        let nodes = b.values(KernelReport.cpuNode)
        XCTAssertEqual(nodes.map(\.cpu).sorted(), Array(0 ..< b.cpus), "every CPU reports once: \(b.describe)", file: file, line: line)
        for (cpu, node) in nodes {
            XCTAssertEqual(node, UInt64(cpu / perNode), "cpu \(cpu) node", file: file, line: line)
        }
        let pages = b.values(KernelReport.perCPUPhysical)
        XCTAssertEqual(pages.count, b.cpus, file: file, line: line)
        XCTAssertEqual(Set(pages.map(\.value)).count, b.cpus, "per-CPU pages distinct", file: file, line: line)
        for (cpu, pa) in pages {
            XCTAssertEqual(pa & 0xFFF, 0, "cpu \(cpu) page alignment", file: file, line: line)
            XCTAssertEqual(pa / memoryPerNode, UInt64(cpu / perNode), "cpu \(cpu): page 0x\(String(pa, radix: 16)) not on its node", file: file, line: line)
            XCTAssertEqual(b.machine.readPhysical64(pa + KernelReport.magicOffset), KernelReport.magic(cpu),
                           "cpu \(cpu): RAM behind its per-CPU range", file: file, line: line)
        }
        XCTAssertEqual(b.value(KernelReport.allOnline), UInt64(b.cpus), file: file, line: line)
    }

    func testBootsOnMIPS64AtEveryShape() throws {
        for (cpus, nodes) in Self.shapes {
            checkBoot(try KernelImages.boot(.mips64, cpus: cpus, nodes: nodes, args: "test=boot quiet"))
        }
    }

    func testBootsOnPPC64AtEveryShape() throws {
        for (cpus, nodes) in Self.shapes {
            checkBoot(try KernelImages.boot(.ppc64, cpus: cpus, nodes: nodes, args: "test=boot quiet"))
        }
    }

    func testConsoleLinesPerCPUAndDefaultWorkload() throws {
        for isa in Emulator.GuestISA.allCases {
            let b = try KernelImages.boot(isa, cpus: 4, nodes: 2, args: "")
            XCTAssertEqual(b.exitStatus, 0, b.describe)
            let lines = b.console.split(separator: "\n").map(String.init)
            for c in 0 ..< 4 {
                XCTAssertEqual(lines.filter { $0.hasPrefix("cpu \(c) node \(c / 2): per-CPU memory at physical 0x") && $0.hasSuffix(", online") }.count, 1,
                               "\(isa) cpu \(c) line: \(b.console)")
            }
            XCTAssertTrue(lines.contains { $0.hasPrefix("demo: lock taken 320 times") }, b.console)
            XCTAssertTrue(lines.contains { $0.hasPrefix("demo: done at cycle ") }, b.console)
        }
    }

    func testTwoBootsAreIdentical() throws {
        for isa in Emulator.GuestISA.allCases {
            let a = try KernelImages.boot(isa, cpus: 4, nodes: 2, args: "test=all rounds=40 threads=6")
            let b = try KernelImages.boot(isa, cpus: 4, nodes: 2, args: "test=all rounds=40 threads=6")
            assertPassed(a)
            XCTAssertEqual(a.console, b.console, isa.rawValue)
            XCTAssertEqual(a.machine.devices.simCallLog, b.machine.devices.simCallLog, isa.rawValue)
            XCTAssertEqual(a.machine.cpus.map(\.cycles), b.machine.cpus.map(\.cycles), isa.rawValue)
            XCTAssertEqual(a.machine.cpus.map(\.instructionCount), b.machine.cpus.map(\.instructionCount), isa.rawValue)
            XCTAssertEqual(a.machine.cpus.map { [$0.counters.idleCycles, $0.counters.loads, $0.counters.stores, $0.counters.dtbReadMisses] },
                           b.machine.cpus.map { [$0.counters.idleCycles, $0.counters.loads, $0.counters.stores, $0.counters.dtbReadMisses] }, isa.rawValue)
        }
    }

    func testBootsUnderTheTimingPresets() throws {
        for (isa, preset, cpus, nodes) in [(Emulator.GuestISA.mips64, "origin-mips64", 8, 4), (.ppc64, "power5-ppc64", 8, 4),
                                           (.mips64, "numa-16x4", 16, 4)] {
            let b = try KernelImages.boot(isa, cpus: cpus, nodes: nodes, args: "test=boot quiet", preset: preset)
            checkBoot(b)
        }
    }

    func testKernelFaultPanicsWithOneLineAndStatus250() throws {
        for isa in Emulator.GuestISA.allCases {
            let b = try KernelImages.boot(isa, cpus: 2, nodes: 1, args: "test=panic")
            XCTAssertEqual(b.exitStatus, KernelReport.panicStatus, b.describe)
            let panics = b.console.split(separator: "\n").filter { $0.hasPrefix("k42 panic: ") }
            XCTAssertEqual(panics.count, 1, b.console)
            let line = String(panics.first ?? "")
            XCTAssertTrue(line.hasPrefix("k42 panic: cpu 0: kernel fault: "), line)
            XCTAssertTrue(line.contains(" pc 0x") && line.contains(" address 0x8 return address 0x"), line)
            XCTAssertNotNil(b.value(KernelReport.panic))
        }
    }

    func testBadBootArgumentsAreRefused() throws {
        for isa in Emulator.GuestISA.allCases {
            let unknown = try KernelImages.boot(isa, args: "tset=boot")
            XCTAssertEqual(unknown.exitStatus, 2, unknown.describe)
            XCTAssertTrue(unknown.console.contains("k42: unknown boot argument 'tset'"), unknown.console)
            let number = try KernelImages.boot(isa, args: "test=boot tick=12x")
            XCTAssertEqual(number.exitStatus, 2, number.describe)
            XCTAssertTrue(number.console.contains("k42: boot argument 'tick' is not a number"), number.console)
            let test = try KernelImages.boot(isa, args: "test=nosuch")
            XCTAssertEqual(test.exitStatus, 2, test.describe)
            XCTAssertTrue(test.console.contains("k42: unknown test 'nosuch'"), test.console)
        }
    }
}
