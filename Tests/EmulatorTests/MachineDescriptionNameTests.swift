// MachineDescriptionNameTests: the enumerated fields (isa, topology.kind, memory.coherence,
// caches.*.replacement) accept exactly their names: every name the format has always had, and
// for anything else an error naming the field's path and every allowed value, from `--set`
// and from a JSON file alike — never a fallback to a default.
import Foundation
import XCTest
@testable import Emulator

final class MachineDescriptionNameTests: XCTestCase {
    func error(_ f: () throws -> Any) -> String {
        do { _ = try f(); return "no error" } catch { return "\(error)" }
    }

    /// (field path, allowed names in order) for every enumerated field of a description with an L3.
    let fields: [(String, [String])] = [
        ("isa", ["mips64", "ppc64"]),
        ("topology.kind", ["ring", "mesh", "hypercube", "crossbar"]),
        ("memory.coherence", ["MESI", "MOESI"]),
        ("caches.l1i.replacement", ["lru", "tree-plru", "random"]),
        ("caches.l1d.replacement", ["lru", "tree-plru", "random"]),
        ("caches.l2.replacement", ["lru", "tree-plru", "random"]),
        ("caches.l3.replacement", ["lru", "tree-plru", "random"]),
    ]

    func testEnumsListTheNamesTheFormatAlwaysAccepted() {
        XCTAssertEqual(Emulator.GuestISA.allowedNames, "mips64, ppc64")
        XCTAssertEqual(TopologyKind.allowedNames, "ring, mesh, hypercube, crossbar")
        XCTAssertEqual(CoherenceProtocol.allowedNames, "MESI, MOESI")
        XCTAssertEqual(ReplacementPolicy.allowedNames, "lru, tree-plru, random")
    }

    func testUnknownNameFromSetNamesFieldAndAllowedValues() {
        for (path, allowed) in fields {
            for bad in ["fifo", "", "LRU", "mesi", "Ring", "mips"] {
                XCTAssertEqual(error { try MachineDescription.load(config: "power5-ppc64", overrides: ["\(path)=\(bad)"]) },
                               "\(path): must be one of \(allowed.joined(separator: ", ")), got '\(bad)' (in --set)", "\(path)=\(bad)")
            }
        }
    }

    func testUnknownNameInAFileNamesFieldAndAllowedValues() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-names-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for (field, allowed) in fields {
            var tree = try JSONDecoder().decode(JSONValue.self, from: MachineDescription.power5PPC64.jsonData())
            try tree.set(field.split(separator: ".").map(String.init)[...], to: .string("torus"), done: [])
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: try JSONEncoder().encode(tree)))
            XCTAssertEqual(error { try MachineDescription.load(config: path) },
                           "\(field): must be one of \(allowed.joined(separator: ", ")), got 'torus' (in \(path))")
        }
    }

    func testANumberWhereANameBelongsIsATypeError() throws {
        XCTAssertEqual(error { try MachineDescription.load(config: "origin-mips64", overrides: ["memory.coherence=3"]) },
                       "memory.coherence: expects a string, got a number")
        let json = String(decoding: MachineDescription.originMIPS64.jsonData(), as: UTF8.self)
            .replacingOccurrences(of: "\"hypercube\"", with: "7")
        XCTAssertThrowsError(try MachineDescription.decode(Data(json.utf8), origin: "t")) {
            XCTAssertEqual(($0 as? MachineDescriptionError)?.path, "topology.kind")
        }
    }

    func testEveryAcceptedNameDecodesAndRoundTrips() throws {
        for (path, allowed) in fields where path != "isa" {
            for name in allowed {
                let d = try MachineDescription.load(config: "power5-ppc64", overrides: ["\(path)=\(name)"])
                let json = String(decoding: d.jsonData(), as: UTF8.self)
                XCTAssertTrue(json.contains("\"\(name)\""), "\(path)=\(name) is written back as its name")
                XCTAssertEqual(try MachineDescription.decode(d.jsonData(), origin: "round trip"), d)
            }
        }
        let mips = try MachineDescription.load(config: "power5-ppc64", overrides: ["isa=mips64"])
        XCTAssertEqual(mips.isa, .mips64)
        XCTAssertEqual(mips.caches.l2.replacement, .treePLRU)
        XCTAssertEqual(mips.memory.coherence, .moesi)
    }

    func testPresetsWriteTheSameNamesAsBefore() {
        let origin = String(decoding: MachineDescription.originMIPS64.jsonData(), as: UTF8.self)
        for s in ["\"isa\" : \"mips64\"", "\"kind\" : \"hypercube\"", "\"coherence\" : \"MESI\"", "\"replacement\" : \"lru\""] {
            XCTAssertTrue(origin.contains(s), s)
        }
        let power5 = String(decoding: MachineDescription.power5PPC64.jsonData(), as: UTF8.self)
        for s in ["\"isa\" : \"ppc64\"", "\"kind\" : \"crossbar\"", "\"coherence\" : \"MOESI\"", "\"replacement\" : \"tree-plru\""] {
            XCTAssertTrue(power5.contains(s), s)
        }
        let numa = String(decoding: MachineDescription.numa16x4.jsonData(), as: UTF8.self)
        XCTAssertTrue(numa.contains("\"kind\" : \"mesh\"") && numa.contains("\"replacement\" : \"random\""))
    }
}
