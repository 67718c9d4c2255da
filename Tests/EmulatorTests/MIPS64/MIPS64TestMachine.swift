// MIPS64TestMachine: a bare CPU + address space for instruction-level tests. Code comes from the
// GNU assembler (mips64el-linux-gnuabi64-as, an oracle for encodings we did not write); the test
// runs it until a `break` and inspects registers and memory.
import Foundation
import XCTest
@testable import Emulator

final class MIPS64TestMachine {
    static let codeBase = TestAddressSpace.codeBase
    static let dataBase = TestAddressSpace.dataBase
    let memory: TestAddressSpace
    let cache = DecodedPageCache<MIPS64Op>()
    let cpu: MIPS64CPU
    var mmu: SoftMMU { memory.mmu }

    init(words: [UInt32]) {
        memory = TestAddressSpace(userLimit: 1 << 40, words: words, codeCache: cache)
        cpu = MIPS64CPU(mmu: memory.mmu, codeCache: cache)
        cpu.pc = Self.codeBase
    }

    convenience init(asm: String, file: StaticString = #filePath, line: UInt = #line) throws {
        self.init(words: try MIPS64Assembler.assemble(asm, file: file, line: line))
    }

    /// Runs until an exit other than budget; returns it.
    @discardableResult
    func run(limit: UInt64 = 1_000_000) -> MIPS64Exit {
        while true {
            let e = cpu.run(budget: limit)
            if e == .budget || e == .resync || e == .none {
                if cpu.instructions >= limit { return .budget }
                continue
            }
            return e
        }
    }

    subscript(reg: Int) -> UInt64 {
        get { cpu.gpr[reg] }
        set { cpu.gpr[reg] = newValue }
    }
}

enum MIPS64Assembler {
    /// The Debian package of the GNU assembler and objcopy for mips64el.
    static let binutils = "binutils-mips64el-linux-gnuabi64"

    /// Assembles `.set noreorder` code and returns the .text words.
    static func assemble(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt32] {
        let tool = try HostTools.find("mips64el-linux-gnuabi64-as", package: binutils)
        let objcopy = try HostTools.find("mips64el-linux-gnuabi64-objcopy", package: binutils)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-as-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let src = dir.appendingPathComponent("t.s"), obj = dir.appendingPathComponent("t.o"), bin = dir.appendingPathComponent("t.bin")
        try (".set noreorder\n.set noat\n.text\n" + source + "\n").write(to: src, atomically: true, encoding: .utf8)
        try runTool(tool, ["-march=mips64r2", "-mabi=64", "-EL", "-o", obj.path, src.path], file: file, line: line)
        try runTool(objcopy, ["-O", "binary", "-j", ".text", obj.path, bin.path], file: file, line: line)
        let data = try Data(contentsOf: bin)
        let bytes = [UInt8](data)
        var words: [UInt32] = []
        var i = 0
        while i + 3 < bytes.count {
            let b0 = UInt32(bytes[i]), b1 = UInt32(bytes[i + 1]), b2 = UInt32(bytes[i + 2]), b3 = UInt32(bytes[i + 3])
            words.append(b0 | (b1 << 8) | (b2 << 16) | (b3 << 24))
            i += 4
        }
        return words
    }

    static func runTool(_ path: String, _ args: [String], file: StaticString, line: UInt) throws {
        let r = try ProcessRunner.run(path, args)
        if r.status != 0 {
            XCTFail("\(path) failed: \(r.stderrText)", file: file, line: line)
            throw GuestToolError("\(path) exited with status \(r.status)")
        }
    }
}
