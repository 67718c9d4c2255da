// RandomCodeRobustnessTests: "bad input never crashes the host" for the interpreters — pages of
// random instruction words (fixed seeds) are executed in user mode on both ISAs, resuming after
// every syscall, trap, reserved instruction and fault, for a bounded number of instructions.
// The assertions: every run ends (no hang), every exit is one the CPU documents, and the
// instruction counter only moves forward; a Swift trap anywhere would kill the test process.
import XCTest
@testable import Emulator

final class RandomCodeRobustnessTests: XCTestCase {
    static let seeds: [UInt64] = Array(1...300)
    static let wordsPerProgram = 3000

    func testMIPS64RandomWords() {
        var exits: [MIPS64Exit: Int] = [:]
        for seed in Self.seeds {
            var rng = SplitMix64(seed: seed)
            let words = (0 ..< Self.wordsPerProgram).map { _ in UInt32(truncatingIfNeeded: rng.next()) }
            let m = MIPS64TestMachine(words: words)
            // Registers point into the data page half the time, so loads and stores hit memory.
            for r in 1 ..< 32 { m[r] = rng.next() & 1 == 0 ? MIPS64TestMachine.dataBase + (rng.next() & 0x3ff8) : rng.next() }
            var last: UInt64 = 0
            for _ in 0 ..< 200 {
                let e = m.cpu.run(budget: 500)
                exits[e, default: 0] += 1
                XCTAssertGreaterThanOrEqual(m.cpu.instructions, last)
                last = m.cpu.instructions
                switch e {
                case .budget, .resync, .none: continue
                case .syscall, .breakpoint, .trap, .reservedInstruction, .coprocessorUnusable, .overflow, .fpException:
                    m.cpu.pc = m.cpu.resumeAfterException      // skip it, as a handler would
                case .memoryFault:
                    // Continue at the next word of the code page (or restart at its beginning).
                    let next = m.cpu.exceptionPC &+ 4
                    let inCode = next >= MIPS64TestMachine.codeBase && next < MIPS64TestMachine.codeBase + UInt64(4 * Self.wordsPerProgram)
                    m.cpu.pc = inCode ? next : MIPS64TestMachine.codeBase
                }
            }
        }
        XCTAssertGreaterThan(exits[.reservedInstruction, default: 0], 0, "random words include reserved encodings")
        XCTAssertGreaterThan(exits[.memoryFault, default: 0], 0, "random words include faulting accesses")
    }

    func testPPC64RandomWords() {
        var illegal = 0, faults = 0
        for seed in Self.seeds {
            var rng = SplitMix64(seed: seed &+ 1000)
            let words = (0 ..< Self.wordsPerProgram).map { _ in UInt32(truncatingIfNeeded: rng.next()) }
            let m = PPC64TestMachine(words: words)
            for r in 1 ..< 32 { m.cpu.registers[gpr: r] = rng.next() & 1 == 0 ? PPC64TestMachine.dataBase + (rng.next() & 0x3ff8) : rng.next() }
            var last: UInt64 = 0
            for _ in 0 ..< 200 {
                let pc = m.cpu.pc
                let e = m.cpu.run(budget: 500)
                XCTAssertGreaterThanOrEqual(m.cpu.instructionCount, last)
                last = m.cpu.instructionCount
                switch e {
                case .budgetExhausted, .codeModified: continue
                case .illegalInstruction, .privilegedInstruction, .facilityUnavailable: illegal += 1
                case .memoryFault: faults += 1
                default: break
                }
                // Resume after the instruction that stopped (within the code, else restart).
                let at = m.cpu.pc == pc && e != .budgetExhausted ? pc &+ 4 : m.cpu.pc &+ 4
                let inCode = at >= PPC64TestMachine.codeBase && at < PPC64TestMachine.codeBase + UInt64(4 * Self.wordsPerProgram)
                m.cpu.pc = inCode ? at & ~3 : PPC64TestMachine.codeBase
            }
        }
        XCTAssertGreaterThan(illegal, 0, "random words include illegal encodings")
        XCTAssertGreaterThan(faults, 0, "random words include faulting accesses")
    }
}

/// Random words as a bare-metal kernel: privileged random code on 2 CPUs (TLB writes, CP0/MSR and
/// SPR moves, exceptions into vectors full of random words...) must end in power-off, a halt with a
/// diagnostic, or the cycle limit — never a host crash or hang.
final class RandomKernelRobustnessTests: XCTestCase {
    /// A minimal static ELF64 little-endian executable: one RWX PT_LOAD of `code` at physical
    /// 0x100000, entry `entry`.
    static func elf(machine: UInt16, entry: UInt64, vaddr: UInt64, code: [UInt8]) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 0x1000)
        func put<T: FixedWidthInteger>(_ v: T, at o: Int) {
            withUnsafeBytes(of: v.littleEndian) { for (i, x) in $0.enumerated() { b[o + i] = x } }
        }
        b[0] = 0x7f; b[1] = 0x45; b[2] = 0x4c; b[3] = 0x46; b[4] = 2; b[5] = 1; b[6] = 1
        put(UInt16(2), at: 16); put(machine, at: 18); put(UInt32(1), at: 20)
        put(entry, at: 24); put(UInt64(64), at: 32)
        put(UInt16(64), at: 52); put(UInt16(56), at: 54); put(UInt16(1), at: 56)
        if machine == 21 { put(UInt32(2), at: 48) }            // ELFv2 ABI flag for ppc64le
        put(UInt32(1), at: 64); put(UInt32(7), at: 68)          // PT_LOAD, RWX
        put(UInt64(0x1000), at: 72); put(vaddr, at: 80); put(UInt64(0x10_0000), at: 88)
        put(UInt64(code.count), at: 96); put(UInt64(code.count), at: 104); put(UInt64(0x1000), at: 112)
        return b + code
    }

    func run(isa: Emulator.GuestISA, machine: UInt16, entry: UInt64, vaddr: UInt64, seeds: ClosedRange<UInt64>) throws -> [String: Int] {
        var outcomes: [String: Int] = [:]
        for seed in seeds {
            var rng = SplitMix64(seed: seed &* 7919)
            var code: [UInt8] = []
            for _ in 0 ..< 4096 { withUnsafeBytes(of: UInt32(truncatingIfNeeded: rng.next()).littleEndian) { code += $0 } }
            let image = try ElfImage(bytes: Self.elf(machine: machine, entry: entry, vaddr: vaddr, code: code))
            var config = MachineConfig(isa: isa, cpus: 2, nodes: 1)
            config.memoryPerNode = 16 << 20
            let m = try Machine(config: config, image: image, makeCPU: SystemCPUFactory.make)
            m.devices.captureConsole = true
            switch m.run(maxCycles: 50_000) {
            case .poweredOff: outcomes["poweredOff", default: 0] += 1
            case .cycleLimit: outcomes["cycleLimit", default: 0] += 1
            case .halted(_, let why):
                XCTAssertFalse(why.isEmpty)
                outcomes["halted", default: 0] += 1
            }
        }
        return outcomes
    }

    func testMIPS64RandomKernels() throws {
        let o = try run(isa: .mips64, machine: 8, entry: 0xFFFF_FFFF_8010_0000, vaddr: 0xFFFF_FFFF_8010_0000, seeds: 1...40)
        // The check is that 40 random kernels neither crash nor hang the host (each run ends, by
        // its cycle limit at the latest; a halt has a diagnostic). Today they all reach the
        // limit: MIPS's vector at 0x180 runs into zeroed memory, a zero word is a nop.
        _ = o
    }

    func testPPC64RandomKernels() throws {
        let o = try run(isa: .ppc64, machine: 21, entry: 0x10_0000, vaddr: 0x10_0000, seeds: 1...40)
        // The check is that 40 random kernels neither crash nor hang the host; most fault in a
        // loop, which the exception-loop detector must turn into a halt with a diagnostic.
        XCTAssertGreaterThan(o["halted", default: 0], 0, "\(o)")
    }
}
