// MachineDescriptionTests: presets validate and round-trip through config.json; `--set` overrides
// reach the field and keep its type; validation and decoding errors name the bad field's path.
import Foundation
import XCTest
@testable import Emulator

final class MachineDescriptionTests: XCTestCase {
    func error(_ f: () throws -> Any) -> String {
        do { _ = try f(); return "no error" } catch { return "\(error)" }
    }

    func testPresetsValidateAndRoundTripThroughConfigJSON() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-cfg-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in MachineDescription.presetNames {
            let d = try MachineDescription.load(config: name)
            XCTAssertEqual(d.name, name)
            let path = try d.writeConfigJSON(directory: dir)
            let back = try MachineDescription.load(config: path)
            XCTAssertEqual(back, d, name)
            XCTAssertEqual(back.jsonData(), d.jsonData())
            XCTAssertNoThrow(try MemoryHierarchy(d))
        }
        let o = MachineDescription.originMIPS64, p = MachineDescription.power5PPC64, n = MachineDescription.numa16x4
        XCTAssertEqual([o.cpusPerNode, o.nodes, p.cpusPerNode, n.nodes, n.cpusPerNode], [2, 4, 2, 16, 4])
        XCTAssertEqual([o.topology.kind, p.topology.kind, n.topology.kind], [.hypercube, .crossbar, .mesh])
        XCTAssertTrue(p.caches.l2Shared)
        XCTAssertNotNil(p.caches.l3)
    }

    func testOverrides() throws {
        let d = try MachineDescription.load(config: "numa-16x4", overrides: ["caches.l1d.size=65536", "memory.contention=true",
                                                                             "topology.kind=ring", "caches.l3=null"])
        XCTAssertEqual(d.caches.l1d.size, 65536)
        XCTAssertTrue(d.memory.contention)
        XCTAssertEqual(d.topology.kind, .ring)
        XCTAssertNil(d.caches.l3)
        let withL3 = try MachineDescription.load(config: "origin-mips64", overrides: [
            #"caches.l3={"size":1048576,"associativity":8,"lineSize":128,"replacement":"lru","hitLatency":30,"writeBack":true,"writeAllocate":true}"#])
        XCTAssertEqual(withL3.caches.l3?.size, 1 << 20)
        XCTAssertEqual(error { try MachineDescription.load(config: "origin-mips64", overrides: ["caches.l1x.size=1"]) },
                       "caches.l1x: no such field (fields here: l1d, l1i, l2, l2Shared, l3)")
        XCTAssertEqual(error { try MachineDescription.load(config: "origin-mips64", overrides: ["caches.l1d.size=big"]) },
                       "caches.l1d.size: expects a number, got a string")
        XCTAssertEqual(error { try MachineDescription.load(config: "origin-mips64", overrides: ["cpus"]) },
                       "--set expects path=value, got 'cpus'")
        XCTAssertEqual(error { try MachineDescription.load(config: "no-such-preset") },
                       "'no-such-preset' is neither a preset (origin-mips64, power5-ppc64, numa-16x4) nor a readable file")
    }

    func testValidationErrorsNameTheField() throws {
        let cases: [(String, String)] = [
            ("caches.l1d.associativity=3", "caches.l1d.associativity: must divide the number of lines (512), got 3"),
            ("caches.l1d.lineSize=48", "caches.l1d.lineSize: must be a power of two in 16...4096, got 48"),
            ("caches.l2.lineSize=128", "caches.l2.lineSize: must equal caches.l1d.lineSize (64), got 128: all levels share one coherence unit"),
            ("caches.l1i.replacement=fifo", "caches.l1i.replacement: must be one of lru, tree-plru, random, got 'fifo' (in --set)"),
            ("caches.l2.size=16384", "caches.l2.size: the inclusive L2 must be at least as large as each L1 (32768), got 16384"),
            ("caches.l2.writeBack=false", "caches.l2.writeBack: must be true: the coherence protocol needs write-back L2/L3 caches"),
            ("caches.l1d.associativity=6", "caches.l1d.associativity: must divide the number of lines (512), got 6"),
            ("topology.kind=torus", "topology.kind: must be one of ring, mesh, hypercube, crossbar, got 'torus' (in --set)"),
            ("topology.meshColumns=3", "topology.meshColumns: must divide the node count (16), got 3"),
            ("memory.coherence=MSI", "memory.coherence: must be one of MESI, MOESI, got 'MSI' (in --set)"),
            ("memory.accessLatency=-1", "memory.accessLatency: must not be negative, got -1"),
            ("costs.divide=0", "costs.divide: must be 1...10000 cycles, got 0"),
            ("nodes=5", "nodes: 64 CPUs do not divide evenly into 5 nodes"),
            ("isa=x86", "isa: must be one of mips64, ppc64, got 'x86' (in --set)"),
            ("tlb.entries=1", "tlb.entries: must be 2...256, got 1"),
        ]
        for (o, expected) in cases {
            XCTAssertEqual(error { try MachineDescription.load(config: "numa-16x4", overrides: [o]) }, expected, o)
        }
        XCTAssertEqual(error { try MachineDescription.load(config: "numa-16x4", overrides: ["nodes=12", "topology.kind=hypercube", "cpus=48"]) },
                       "topology.kind: a hypercube needs a power-of-two node count, got 12 nodes")
        var d = MachineDescription.numa16x4
        d.caches.l1d.associativity = 3
        XCTAssertThrowsError(try MemoryHierarchy(d)) { XCTAssertEqual(($0 as? MachineDescriptionError)?.path, "caches.l1d.associativity") }
    }

    func testFileDecodingErrorsNameTheField() throws {
        var tree = try JSONDecoder().decode(JSONValue.self, from: MachineDescription.originMIPS64.jsonData())
        guard case .object(var o) = tree, case .object(var caches) = o["caches"]!, case .object(var l1d) = caches["l1d"]! else {
            return XCTFail("unexpected JSON shape")
        }
        l1d["hitLatency"] = nil
        caches["l1d"] = .object(l1d); o["caches"] = .object(caches); tree = .object(o)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-bad-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: try JSONEncoder().encode(tree)))
        XCTAssertEqual(error { try MachineDescription.load(config: path) }, "caches.l1d.hitLatency: missing (in \(path))")
    }
}
