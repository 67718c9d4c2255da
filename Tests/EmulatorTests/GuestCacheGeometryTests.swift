// GuestCacheGeometryTests: what a guest learns about the configured caches. MIPS64: Config1
// (IS IL IA / DS DL DA), Config2 (SS SL SA) and rdhwr $1 read by guest instructions (mfc0, rdhwr)
// on machines built from descriptions, each field checked against the MIPS64 PRA encoding
// (MD00091, Config1/Config2 registers); PPC64: the block dcbz zeroes follows the L1 line size;
// both ISAs: the boot-information cache table. Also the geometries a MIPS64 machine cannot
// describe.
import XCTest
@testable import Emulator

final class GuestCacheGeometryTests: XCTestCase {
    static let code: UInt64 = 0x10_0000

    /// Builds a one-node machine from `d` (timing model on or off; `describe: false`: a plain
    /// MachineConfig without caches), runs `asm` at physical 0x100000 for `cycles`.
    func run(_ d: MachineDescription, timed: Bool, describe: Bool = true, asm: String, cycles: UInt64 = 3000,
             setUp: (Machine) -> Void = { _ in }) throws -> Machine {
        let isa = d.isa
        let words = isa == .mips64 ? try MIPS64Assembler.assemble(asm) : try PPC64Assembler.assemble(asm)
        let vaddr = isa == .mips64 ? 0xFFFF_FFFF_8000_0000 | Self.code : Self.code
        let image = try ElfImage(bytes: FuzzImages.elf(machine: isa.elfMachine, entry: vaddr, segments: [
            .init(vaddr: vaddr, paddr: Self.code, code: words, memSize: 0x1000, flags: 7)]))
        var config = d.machineConfig
        if !describe { config.caches = nil }
        let h = timed ? try MemoryHierarchy(d) : nil
        let m = try Machine(config: config, image: image, hierarchy: h, makeCPU: SystemCPUFactory.make)
        setUp(m)
        _ = m.run(maxCycles: cycles)
        return m
    }

    func description(_ preset: String, _ overrides: [String] = [], cpus: Int = 1) throws -> MachineDescription {
        try MachineDescription.load(config: preset, overrides: ["cpus=\(cpus)", "nodes=1", "memoryPerNode=16777216"] + overrides)
    }

    // MARK: MIPS64

    static let readConfig = """
        mfc0 $8, $16, 1
        mfc0 $9, $16, 2
        mfc0 $10, $16, 3
        rdhwr $11, $1
        1: b 1b
        nop
        """

    struct Registers { var config1, config2, config3, synciStep: UInt64 }

    func mipsRegisters(_ d: MachineDescription, timed: Bool, describe: Bool = true) throws -> Registers {
        let m = try run(d, timed: timed, describe: describe, asm: Self.readConfig)
        let g = (m.cpus[0] as! MIPS64SystemCPU).core.gpr
        XCTAssertNotEqual(g[8], 0, "the guest ran to its mfc0")
        return Registers(config1: g[8] & 0xFFFF_FFFF, config2: g[9] & 0xFFFF_FFFF, config3: g[10], synciStep: g[11])
    }

    /// (sets per way, line bytes, ways) as the PRA defines Config1's IS/IL/IA (shift 16) or DS/DL/DA (shift 7).
    func config1Cache(_ c1: UInt64, _ shift: UInt64) -> (sets: Int, line: Int, ways: Int) {
        let s = Int((c1 >> (shift + 6)) & 7), l = Int((c1 >> (shift + 3)) & 7), a = Int((c1 >> shift) & 7)
        return (s == 7 ? 32 : 64 << s, l == 0 ? 0 : 2 << l, a + 1)
    }

    /// (sets per way, line bytes, ways) from Config2's SS/SL/SA.
    func config2Cache(_ c2: UInt64) -> (sets: Int, line: Int, ways: Int) {
        let s = Int((c2 >> 8) & 0xF), l = Int((c2 >> 4) & 0xF), a = Int(c2 & 0xF)
        XCTAssertLessThanOrEqual(s, 7, "SS 8-15 are reserved"); XCTAssertLessThanOrEqual(a, 7, "SA 8-15 are reserved")
        return (64 << s, l == 0 ? 0 : 2 << l, a + 1)
    }

    func checkFixedBits(_ r: Registers, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.config1 >> 31, 1, "Config1.M: Config2 exists", file: file, line: line)
        XCTAssertEqual((r.config1 >> 25) & 0x3F, 63, "Config1.MMUSize - 1", file: file, line: line)
        XCTAssertEqual(r.config1 & 0x7F, 1, "C2 MD PC WR CA EP = 0, FP = 1", file: file, line: line)
        XCTAssertEqual(r.config2 >> 31, 1, "Config2.M: Config3 exists", file: file, line: line)
        XCTAssertEqual((r.config2 >> 12) & 0xFFFF, 0, "TU TS TL TA SU = 0: no tertiary cache", file: file, line: line)
        XCTAssertEqual(r.config3, 1 << 13, "Config3: ULRI, M = 0 (no Config4)", file: file, line: line)
    }

    func testConfig1ReportsOrigin128Byte2WayL1s() throws {
        let d = try description("origin-mips64")
        XCTAssertEqual([d.caches.l1i.size, d.caches.l1i.associativity, d.caches.l1i.lineSize], [32768, 2, 128])
        for timed in [true, false] {
            let r = try mipsRegisters(d, timed: timed)
            checkFixedBits(r)
            // 32 KiB / (2 ways x 128 bytes) = 128 sets: IS = DS = 1, IL = DL = 6, IA = DA = 1.
            XCTAssertEqual((r.config1 >> 22) & 7, 1, "IS"); XCTAssertEqual((r.config1 >> 19) & 7, 6, "IL")
            XCTAssertEqual((r.config1 >> 16) & 7, 1, "IA"); XCTAssertEqual((r.config1 >> 13) & 7, 1, "DS")
            XCTAssertEqual((r.config1 >> 10) & 7, 6, "DL"); XCTAssertEqual((r.config1 >> 7) & 7, 1, "DA")
            XCTAssertTrue(config1Cache(r.config1, 16) == (128, 128, 2)); XCTAssertTrue(config1Cache(r.config1, 7) == (128, 128, 2))
            // The 4 MiB 2-way L2 has 16384 sets, more than SS can say (8192): the same 4 MiB and
            // 128-byte lines as 8192 sets x 4 ways.
            XCTAssertEqual((r.config2 >> 8) & 0xF, 7, "SS"); XCTAssertEqual((r.config2 >> 4) & 0xF, 6, "SL")
            XCTAssertEqual(r.config2 & 0xF, 3, "SA")
            let l2 = config2Cache(r.config2)
            XCTAssertEqual(l2.sets * l2.ways * l2.line, d.caches.l2.size)
            XCTAssertEqual(r.synciStep, 128, "SYNCI_Step = the L1 line size")
        }
    }

    func testConfig1ReportsASecondGeometry() throws {
        let d = try description("origin-mips64", [
            "caches.l1i.lineSize=64", "caches.l1d.lineSize=64", "caches.l2.lineSize=64",
            "caches.l1i.size=16384", "caches.l1i.associativity=4", "caches.l1d.size=65536", "caches.l1d.associativity=8",
            "caches.l2.size=262144", "caches.l2.associativity=8"])
        let r = try mipsRegisters(d, timed: true)
        checkFixedBits(r)
        // L1I 16 KiB 4-way 64 B = 64 sets: IS 0, IL 5, IA 3. L1D 64 KiB 8-way 64 B = 128 sets: DS 1, DL 5, DA 7.
        XCTAssertEqual((r.config1 >> 22) & 7, 0, "IS"); XCTAssertEqual((r.config1 >> 19) & 7, 5, "IL")
        XCTAssertEqual((r.config1 >> 16) & 7, 3, "IA"); XCTAssertEqual((r.config1 >> 13) & 7, 1, "DS")
        XCTAssertEqual((r.config1 >> 10) & 7, 5, "DL"); XCTAssertEqual((r.config1 >> 7) & 7, 7, "DA")
        XCTAssertTrue(config1Cache(r.config1, 16) == (64, 64, 4)); XCTAssertTrue(config1Cache(r.config1, 7) == (128, 64, 8))
        // L2 256 KiB 8-way 64 B = 512 sets: SS 3, SL 5, SA 7.
        XCTAssertEqual(r.config2, 1 << 31 | 3 << 8 | 5 << 4 | 7)
        XCTAssertTrue(config2Cache(r.config2) == (512, 64, 8))
        XCTAssertEqual(r.synciStep, 64)
    }

    func testThirtyTwoSetsAndAnAssociativityConfig1CannotSay() throws {
        // L1I 4 KiB 2-way 64 B = 32 sets: IS = 7. L1D 8 KiB 16-way 64 B (8 sets) has no exact
        // encoding; the nearest of the same size and line: 32 sets x 4 ways.
        let d = try description("origin-mips64", [
            "caches.l1i.lineSize=64", "caches.l1d.lineSize=64", "caches.l2.lineSize=64",
            "caches.l1i.size=4096", "caches.l1d.size=8192", "caches.l1d.associativity=16", "caches.l2.size=65536"])
        let r = try mipsRegisters(d, timed: false)
        XCTAssertEqual((r.config1 >> 22) & 7, 7, "IS = 7: 32 sets")
        XCTAssertTrue(config1Cache(r.config1, 16) == (32, 64, 2))
        XCTAssertTrue(config1Cache(r.config1, 7) == (32, 64, 4))
        XCTAssertTrue(config2Cache(r.config2) == (512, 64, 2), "L2 64 KiB 2-way 64 B: 512 sets")
    }

    func testWithoutACacheDescriptionTheFunctionalValuesStay() throws {
        let d = try description("origin-mips64")
        let r = try mipsRegisters(d, timed: false, describe: false)
        checkFixedBits(r)
        XCTAssertTrue(config1Cache(r.config1, 16) == (256, 32, 4)); XCTAssertTrue(config1Cache(r.config1, 7) == (256, 32, 4))
        XCTAssertEqual(r.config2, 1 << 31, "no L2 described")
        XCTAssertEqual(r.synciStep, 32)
    }

    func testGeometriesAMIPS64MachineCannotDescribeAreErrorsNamingTheField() throws {
        func error(_ overrides: [String]) -> String {
            do { _ = try description("origin-mips64", overrides); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(error(["caches.l1i.lineSize=256", "caches.l1d.lineSize=256", "caches.l2.lineSize=256"]),
                       "caches.l1i.lineSize: a MIPS64 Config1 describes lines of 4...128 bytes, got 256")
        XCTAssertEqual(error(["caches.l2.size=33554432"]),
                       "caches.l2.size: a MIPS64 Config2 cannot describe 33554432 bytes with 128-byte lines (64...8192 sets of 1...8 ways: 8192...8388608 bytes)")
        XCTAssertEqual(error(["caches.l1d.size=8388608", "caches.l2.size=8388608"]),
                       "caches.l1d.size: a MIPS64 Config1 cannot describe 8388608 bytes with 128-byte lines (32...4096 sets of 1...8 ways: 4096...4194304 bytes)")
        // The same geometry is fine on PPC64, and the ISA-neutral hierarchy takes it on MIPS64.
        let ppc = try description("power5-ppc64", ["caches.l1i.lineSize=256", "caches.l1d.lineSize=256", "caches.l2.lineSize=256",
                                                   "caches.l3.lineSize=256"])
        XCTAssertEqual(ppc.caches.l1d.lineSize, 256)
        var mips = MachineDescription.originMIPS64
        mips.caches.l2.size = 32 << 20
        XCTAssertNoThrow(try mips.validate())
        XCTAssertNoThrow(try MemoryHierarchy(mips))
        // Building the machine refuses it, before any CPU exists.
        let image = try ElfImage(bytes: FuzzTargets.loopImage(isa: .mips64))
        XCTAssertThrowsError(try Machine(config: mips.machineConfig, image: image, makeCPU: SystemCPUFactory.make)) {
            XCTAssertEqual(($0 as? ElfError)?.message,
                           "invalid machine configuration: caches.l2.size: a MIPS64 Config2 cannot describe 33554432 bytes with 128-byte lines (64...8192 sets of 1...8 ways: 8192...8388608 bytes)")
        }
    }

    func testMachineRefusesCachesThatDifferFromTheHierarchys() throws {
        let d = try description("origin-mips64")
        var config = d.machineConfig
        config.caches?.l1d.associativity = 4
        let image = try ElfImage(bytes: FuzzTargets.loopImage(isa: .mips64))
        XCTAssertThrowsError(try Machine(config: config, image: image, hierarchy: try MemoryHierarchy(d), makeCPU: SystemCPUFactory.make)) {
            XCTAssertEqual(($0 as? ElfError)?.message, "invalid machine configuration: caches: the machine's caches differ from the memory hierarchy's")
        }
        config.caches = nil
        let m = try Machine(config: config, image: image, hierarchy: try MemoryHierarchy(d), makeCPU: SystemCPUFactory.make)
        XCTAssertEqual(m.config.caches, d.caches, "a config without caches takes the hierarchy's")
    }

    // MARK: PPC64

    /// dcbz at an address inside a block of a 0xFF-filled buffer; returns the zeroed byte range.
    func zeroedRange(_ d: MachineDescription, timed: Bool, describe: Bool = true) throws -> Range<UInt64> {
        let base: UInt64 = 0x20_0000
        let m = try run(d, timed: timed, describe: describe, asm: """
            lis 8, 0x20
            addi 8, 8, 0x1C4
            dcbz 0, 8
            1: b 1b
            """, setUp: { $0.writePhysical(base, [UInt8](repeating: 0xFF, count: 0x1000)) })
        var zero: [UInt64] = []
        for pa in base ..< base + 0x1000 {
            let w = m.readPhysical64(pa & ~7)
            if (w >> ((pa & 7) * 8)) & 0xFF == 0 { zero.append(pa) }
        }
        guard let first = zero.first, let last = zero.last else { XCTFail("dcbz zeroed nothing"); return 0 ..< 0 }
        XCTAssertEqual(UInt64(zero.count), last - first + 1, "one contiguous block")
        return first ..< last + 1
    }

    func testDcbzZeroesOneConfiguredLine() throws {
        let power5 = try description("power5-ppc64")
        for timed in [true, false] {
            XCTAssertEqual(try zeroedRange(power5, timed: timed), 0x20_0180 ..< 0x20_0200, "128-byte lines, timed \(timed)")
        }
        for line in [64, 256] {
            let d = try description("power5-ppc64", ["l1i", "l1d", "l2", "l3"].map { "caches.\($0).lineSize=\(line)" })
            for timed in [true, false] {
                let start = 0x20_01C4 & ~UInt64(line - 1)
                XCTAssertEqual(try zeroedRange(d, timed: timed), start ..< start + UInt64(line), "\(line)-byte lines, timed \(timed)")
            }
        }
        let small = try description("power5-ppc64", ["l1i", "l1d", "l2", "l3"].map { "caches.\($0).lineSize=64" })
        XCTAssertEqual(try zeroedRange(small, timed: false, describe: false), 0x20_0180 ..< 0x20_0200,
                       "no cache description: POWER8's 128-byte block")
    }

    // MARK: boot-information cache table

    func testBootBlockCacheTable() throws {
        let d = try description("power5-ppc64", cpus: 2)
        let m = try run(d, timed: false, asm: "1: b 1b", cycles: 10)
        func word(_ i: Int) -> UInt64 { m.readPhysical64(MachineConfig.bootInfoAddress + MachineConfig.cacheTableOffset + UInt64(8 * i)) }
        XCTAssertEqual((0 ..< 16).map(word), [65536, 128, 2, 1, 32768, 128, 4, 1, 2 << 20, 128, 8, 2, 32 << 20, 128, 16, 0],
                       "L1I, L1D private; L2 shared by the node's 2 CPUs; memory-side L3")
        let noL3 = try description("origin-mips64")
        let mips = try run(noL3, timed: true, asm: "1: b 1b\n nop", cycles: 10)
        let at = MachineConfig.bootInfoAddress + MachineConfig.cacheTableOffset
        XCTAssertEqual((0 ..< 16).map { mips.readPhysical64(at + UInt64(8 * $0)) },
                       [32768, 128, 2, 1, 32768, 128, 2, 1, 4 << 20, 128, 2, 1, 0, 0, 0, 0])
        let plain = try run(noL3, timed: false, describe: false, asm: "1: b 1b\n nop", cycles: 10)
        XCTAssertEqual((0 ..< 16).map { plain.readPhysical64(at + UInt64(8 * $0)) }, [UInt64](repeating: 0, count: 16))
    }
}
