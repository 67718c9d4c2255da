// PPC64TestMachine: a bare PPC64 CPU + address space for instruction-level tests. Code comes from
// the GNU assembler (powerpc64le-linux-gnu-as -mpower8, an encoding oracle we did not write);
// a test runs it until `sc`, a trap or a fault and inspects registers, FPSCR and memory.
import Foundation
import XCTest
@testable import Emulator

final class PPC64TestMachine {
    static let codeBase = TestAddressSpace.codeBase
    static let dataBase = TestAddressSpace.dataBase
    let memory: TestAddressSpace
    let cache = DecodedPageCache<PPC64Op>()
    let cpu: PPC64CPU
    var mmu: SoftMMU { memory.mmu }

    init(words: [UInt32]) {
        memory = TestAddressSpace(userLimit: 1 << 46, words: words, codeCache: cache)
        cpu = PPC64CPU(mmu: memory.mmu, codeCache: cache)
        cpu.pc = Self.codeBase
    }

    convenience init(asm: String, file: StaticString = #filePath, line: UInt = #line) throws {
        self.init(words: try PPC64Assembler.assemble(asm, file: file, line: line))
    }

    /// Runs until an exit other than budget/code modified; returns it.
    @discardableResult
    func run(limit: UInt64 = 1_000_000) -> PPC64Exit {
        while true {
            let e = cpu.run(budget: limit)
            if e == .budgetExhausted || e == .codeModified {
                if cpu.instructionCount >= limit { return .budgetExhausted }
                continue
            }
            return e
        }
    }

    subscript(reg: Int) -> UInt64 {
        get { cpu.registers[gpr: reg] }
        set { cpu.registers[gpr: reg] = newValue }
    }
    var cr: UInt32 { cpu.registers.cr }
    var xer: UInt64 { cpu.registers.xer }
    var fpscr: UInt64 { cpu.registers.fpscr }
    func fpr(_ n: Int) -> Double { Double(bitPattern: cpu.registers[fpr: n]) }
    /// CR field n as 4 bits (LT GT EQ SO).
    func crField(_ n: Int) -> UInt32 { (cr >> UInt32(28 - 4 * n)) & 0xF }
}

enum PPC64Assembler {
    /// The Debian package of the GNU assembler and objcopy for ppc64le.
    static let binutils = "binutils-powerpc64le-linux-gnu"

    static func assemble(_ source: String, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt32] {
        let tool = try HostTools.find("powerpc64le-linux-gnu-as", package: binutils)
        let objcopy = try HostTools.find("powerpc64le-linux-gnu-objcopy", package: binutils)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-ppcas-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = dir.appendingPathComponent("t.s").path, o = dir.appendingPathComponent("t.o").path
        let b = dir.appendingPathComponent("t.bin").path
        try (source + "\n").write(toFile: s, atomically: true, encoding: .utf8)
        for (exe, args) in [(tool, ["-mpower8", "-a64", "-mlittle", s, "-o", o]), (objcopy, ["-O", "binary", "-j", ".text", o, b])] {
            let r = try ProcessRunner.run(exe, args)
            if r.status != 0 {
                XCTFail("\(exe) failed: \(r.stderrText)", file: file, line: line)
                return []
            }
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: b))
        let bytes = [UInt8](data)
        var words: [UInt32] = []
        var i = 0
        while i + 4 <= bytes.count {
            let b0 = UInt32(bytes[i]), b1 = UInt32(bytes[i + 1]) << 8
            let b2 = UInt32(bytes[i + 2]) << 16, b3 = UInt32(bytes[i + 3]) << 24
            words.append(b0 | b1 | b2 | b3)
            i += 4
        }
        return words
    }
}
