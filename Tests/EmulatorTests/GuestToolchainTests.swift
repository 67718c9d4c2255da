// GuestToolchainTests: the guest toolchain end to end on the real Swift toolchain: Guests/hello
// builds for mips64 and ppc64; an unchanged guest is reused from the cache without running
// swiftc, a changed one is rebuilt; every word of both images' text sections is an instruction
// the emulator's decoders know; a guest with a type error fails `k42sim build` with swiftc's
// diagnostic naming the guest file and line.
import Emulator
import Foundation
import GuestToolchain
import XCTest

final class GuestToolchainTests: XCTestCase {
    /// The project root, from this file's path (Tests/EmulatorTests/GuestToolchainTests.swift).
    static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A scratch project with a copy of Guests/Common, Guests/Runtime, Guests/hello and Traces (which every guest
    /// compiles in) plus `extra` guests.
    static func scratchWorkspace(extraGuests: [String: String] = [:]) throws -> GuestWorkspace {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("k42sim-guest-\(getpid())-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: root + "/Guests", withIntermediateDirectories: true)
        for dir in ["Common", "Runtime", "hello"] {
            try fm.copyItem(atPath: projectRoot + "/Guests/" + dir, toPath: root + "/Guests/" + dir)
        }
        try fm.createDirectory(atPath: root + "/Traces", withIntermediateDirectories: true)
        for dir in ["Shared", "Guest"] {
            try fm.copyItem(atPath: projectRoot + "/Traces/" + dir, toPath: root + "/Traces/" + dir)
        }
        for (name, source) in extraGuests {
            try fm.createDirectory(atPath: root + "/Guests/" + name, withIntermediateDirectories: true)
            try source.write(toFile: root + "/Guests/\(name)/main.swift", atomically: true, encoding: .utf8)
        }
        return GuestWorkspace(root: root)
    }

    func builder(_ workspace: GuestWorkspace) throws -> GuestBuilder {
        GuestBuilder(workspace: workspace, toolchain: try Toolchain.locate())
    }

    func testHelloBuildsForBothISAsAndIsCached() throws {
        let workspace = try Self.scratchWorkspace()
        defer { try? FileManager.default.removeItem(atPath: workspace.root) }
        let b = try builder(workspace)
        for isa in Emulator.GuestISA.allCases {
            let swiftcBefore = ToolInvocationLog.count("swiftc")
            let cold = try b.build("hello", isa: isa)
            XCTAssertFalse(cold.cached)
            XCTAssertEqual(ToolInvocationLog.count("swiftc"), swiftcBefore + 1)
            let image = try ElfImage(path: cold.imagePath)
            XCTAssertEqual(image.isa, isa)
            XCTAssertTrue(image.segments.allSatisfy { $0.paddr >= 0x1_0000 }, "\(isa): image loads below 0x1_0000")

            let warm = try b.build("hello", isa: isa)
            XCTAssertTrue(warm.cached)
            XCTAssertEqual(warm.imagePath, cold.imagePath)
            XCTAssertEqual(ToolInvocationLog.count("swiftc"), swiftcBefore + 1, "\(isa): cached build ran swiftc")
            print("hello \(isa.rawValue): cold \(String(format: "%.2f", cold.seconds)) s, cached "
                + "\(String(format: "%.3f", warm.seconds)) s, \(try FileManager.default.attributesOfItem(atPath: cold.imagePath)[.size] ?? 0) bytes")
        }
        // Editing a source changes the key: the next build compiles again.
        let file = workspace.root + "/Guests/hello/main.swift"
        try (String(contentsOfFile: file, encoding: .utf8) + "\n// edited\n").write(toFile: file, atomically: true, encoding: .utf8)
        let before = ToolInvocationLog.count("swiftc")
        XCTAssertFalse(try b.build("hello", isa: .mips64).cached)
        XCTAssertEqual(ToolInvocationLog.count("swiftc"), before + 1)
    }

    /// Every 32-bit word of the executable sections must decode (MIPS: not `.reserved`; PPC: a
    /// known mnemonic), except zero words on PPC64: LLVM ends every ppc64 ELF function with a
    /// traceback marker (a zero word and 8 zero bytes of "mandatory fields", plus alignment
    /// zeros), and an empty `unreachable` function is nothing but that marker. Word 0 is not a
    /// PPC instruction and the compiler never emits it as code.
    func testTextSectionsDecode() throws {
        let b = try builder(GuestWorkspace(root: Self.projectRoot))
        for isa in Emulator.GuestISA.allCases {
            let image = try ElfImage(path: try b.build("hello", isa: isa).imagePath)
            var zeroWords = 0
            var words = 0
            var bad: [String] = []
            for section in image.sections where section.isExecutable && section.hasFileData {
                for offset in stride(from: 0, to: Int(section.size) & ~3, by: 4) {
                    let at = Int(section.fileOffset) + offset
                    let word = UInt32(image.bytes[at]) | UInt32(image.bytes[at + 1]) << 8
                        | UInt32(image.bytes[at + 2]) << 16 | UInt32(image.bytes[at + 3]) << 24
                    if word == 0 && isa == .ppc64 { zeroWords += 1; continue }
                    words += 1
                    let known = isa == .mips64 ? MIPS64Decoder.decode(word).kind != .reserved
                                               : PPC64Decoder.mnemonic(word) != nil
                    if !known && bad.count < 20 {
                        bad.append("\(section.name)+0x\(String(offset, radix: 16)): 0x\(String(word, radix: 16))")
                    }
                }
            }
            XCTAssertGreaterThan(words, 1000, "\(isa): text too small")
            print("hello \(isa.rawValue): \(words) instruction words decode\(isa == .ppc64 ? ", \(zeroWords) zero words (traceback markers) skipped" : "")")
            XCTAssertEqual(bad, [], "\(isa): words the decoder does not know")
        }
    }

    func testTypeErrorShowsGuestFileAndLine() throws {
        let workspace = try Self.scratchWorkspace(extraGuests: ["broken": """
            func guestMain(cpu: Int) -> Int {
                let n: Int = "not a number"
                return n
            }
            """])
        defer { try? FileManager.default.removeItem(atPath: workspace.root) }
        let k42sim = try HostTools.k42sim()
        let r = try ProcessRunner.run(k42sim, ["build", "broken", "--isa", "mips64", "--root", workspace.root], timeout: 120)
        XCTAssertEqual(r.status, 1, r.stderrText)
        XCTAssertTrue(r.stderrText.contains("Guests/broken/main.swift:2:"), r.stderrText)
        XCTAssertTrue(r.stderrText.contains("error: cannot convert value of type 'String'"), r.stderrText)
        XCTAssertTrue(r.stdoutText.isEmpty, r.stdoutText)
    }

    func testUnknownGuestListsGuests() throws {
        let b = try builder(GuestWorkspace(root: Self.projectRoot))
        XCTAssertThrowsError(try b.build("no-such-guest", isa: .mips64)) { error in
            XCTAssertTrue("\(error)".contains("no guest named 'no-such-guest'"), "\(error)")
            XCTAssertTrue("\(error)".contains("hello"), "\(error)")
        }
    }
}
