// BlockDeviceTests: the platform block device of docs/platform.md on a real Machine whose CPUs
// spin: a read request completes exactly LATENCY cycles after its COMMAND, by DMA into RAM (a
// partial last sector padded with zeros), with the completion bit pending on the issuing CPU's
// interrupt controller only; refusals (read-only, ranges, RAM bounds, bad command) set the
// documented STATUS codes; a command while busy is ignored; a writable device writes the host
// file and keeps its size; `k42sim boot` names a missing image. Expectations from the docs.
import Foundation
import XCTest
@testable import Emulator

final class BlockDeviceTests: XCTestCase {
    let disk = MachineConfig.mmioBase + 0x4000
    static let code: UInt64 = 0x10_0000
    static let buffer: UInt64 = 0x20_0000

    /// The image: 3 sectors and 100 bytes, byte i = i * 7 + 3.
    static let imageBytes: [UInt8] = (0 ..< 1636).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }

    func imageFile(_ bytes: [UInt8] = BlockDeviceTests.imageBytes) throws -> String {
        let path = NSTemporaryDirectory() + "k42sim-disk-\(getpid())-\(UUID().uuidString).img"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A 2-CPU MIPS64 machine whose CPUs spin, with `device` attached.
    func machine(_ device: BlockDevice?) throws -> Machine {
        let words = try MIPS64Assembler.assemble("1: b 1b\n nop")
        let vaddr = 0xFFFF_FFFF_8000_0000 | Self.code
        let image = try ElfImage(bytes: FuzzImages.elf(machine: Emulator.GuestISA.mips64.elfMachine, entry: vaddr, segments: [
            .init(vaddr: vaddr, paddr: Self.code, code: words, memSize: 0x1000, flags: 7)]))
        var config = MachineConfig(isa: .mips64, cpus: 2, nodes: 1)
        config.memoryPerNode = 16 << 20
        let m = try Machine(config: config, image: image, makeCPU: SystemCPUFactory.make)
        m.devices.block = device
        return m
    }

    func reg(_ m: Machine, _ r: UInt64, cpu: Int = 0) -> UInt64 { m.devices.read(physical: disk + r, size: 8, cpu: cpu) }
    func set(_ m: Machine, _ r: UInt64, _ v: UInt64, cpu: Int = 0) { m.devices.write(physical: disk + r, size: 8, value: v, cpu: cpu) }
    func pending(_ m: Machine, cpu: Int) -> UInt64 {
        m.devices.read(physical: MachineConfig.mmioBase + 0x1_0000 + 0x100 * UInt64(cpu), size: 8, cpu: cpu)
    }
    func ram(_ m: Machine, _ pa: UInt64, _ n: Int) -> [UInt8] {
        (0 ..< n).map { UInt8(truncatingIfNeeded: m.readPhysical64(pa + UInt64($0)) ) }
    }
    func request(_ m: Machine, sector: UInt64, count: UInt64, address: UInt64, command: UInt64, cpu: Int = 0) {
        set(m, 0x10, sector, cpu: cpu); set(m, 0x18, count, cpu: cpu); set(m, 0x20, address, cpu: cpu)
        set(m, 0x28, command, cpu: cpu)
    }

    func testReadCompletesAfterTheLatencyByDMAOnTheIssuingCPU() throws {
        let m = try machine(try BlockDevice(path: try imageFile(), writable: false, latency: 5000))
        XCTAssertEqual(reg(m, 0x00), 4, "SECTORS: 1636 bytes round up to 4")
        XCTAssertEqual(reg(m, 0x08), 1, "FLAGS: present, read-only")
        XCTAssertEqual(reg(m, 0x38), 5000)
        request(m, sector: 1, count: 3, address: Self.buffer + 8, command: 1, cpu: 1)
        XCTAssertEqual(reg(m, 0x30), BlockDevice.Status.busy)
        XCTAssertEqual(m.devices.events.nextTime(for: 1), 5000, "completion LATENCY cycles after the command (cycle 0)")
        XCTAssertNil(m.devices.events.nextTime(for: 0))
        _ = m.run(maxCycles: 4990)
        XCTAssertEqual(reg(m, 0x30), BlockDevice.Status.busy, "not before the latency")
        XCTAssertEqual(ram(m, Self.buffer + 8, 16), Array(repeating: 0, count: 16), "no data before completion")
        XCTAssertEqual(pending(m, cpu: 1) & PlatformDevices.InterruptBits.blockDevice, 0)
        _ = m.run(maxCycles: 6000)
        XCTAssertEqual(reg(m, 0x30), BlockDevice.Status.done)
        XCTAssertEqual(reg(m, 0x40), 1, "COMPLETED")
        XCTAssertEqual(ram(m, Self.buffer + 8, 1536), Array(Self.imageBytes[512...]) + Array(repeating: 0, count: 1536 - 1124),
                       "sectors 1-3, the partial last one padded with zeros")
        XCTAssertEqual(ram(m, Self.buffer, 8), Array(repeating: 0, count: 8), "nothing before ADDRESS")
        XCTAssertEqual(ram(m, Self.buffer + 8 + 1536, 8), Array(repeating: 0, count: 8), "nothing past the request")
        XCTAssertEqual(pending(m, cpu: 1) & 8, 8, "completion bit (8) on the issuing CPU")
        XCTAssertEqual(pending(m, cpu: 0) & 8, 0, "and not on another")
        XCTAssertEqual(m.devices.block?.sectorsRead, 3)
    }

    func testRefusalsAndOneRequestAtATime() throws {
        let m = try machine(try BlockDevice(path: try imageFile(), writable: false, latency: 100))
        let ramTop = m.config.totalMemory
        for (sector, count, address, command, status) in [
            (UInt64(0), UInt64(1), Self.buffer, BlockDevice.Command.write, BlockDevice.Status.readOnly),
            (3, 2, Self.buffer, BlockDevice.Command.read, BlockDevice.Status.badRange),
            (4, 1, Self.buffer, BlockDevice.Command.read, BlockDevice.Status.badRange),
            (0, 0, Self.buffer, BlockDevice.Command.read, BlockDevice.Status.badRange),
            (UInt64.max, 2, Self.buffer, BlockDevice.Command.read, BlockDevice.Status.badRange),
            (0, 1, ramTop - 256, BlockDevice.Command.read, BlockDevice.Status.badAddress),
            (0, 1, MachineConfig.mmioBase, BlockDevice.Command.read, BlockDevice.Status.badAddress),
            (0, 1, Self.buffer, 7, BlockDevice.Status.badCommand),
        ] {
            request(m, sector: sector, count: count, address: address, command: command)
            XCTAssertEqual(reg(m, 0x30), status, "sector \(sector) count \(count) address 0x\(String(address, radix: 16)) command \(command)")
            XCTAssertNil(m.devices.events.nextTime(for: 0), "a refused command schedules nothing")
        }
        request(m, sector: 0, count: 1, address: Self.buffer, command: 1)
        request(m, sector: 2, count: 2, address: Self.buffer + 0x1000, command: 1)
        XCTAssertEqual([reg(m, 0x10), reg(m, 0x18), reg(m, 0x20)], [0, 1, Self.buffer], "registers of the request in flight stay")
        _ = m.run(maxCycles: 1000)
        XCTAssertEqual(reg(m, 0x30), BlockDevice.Status.done)
        XCTAssertEqual(reg(m, 0x40), 1, "the command while busy was ignored")
        XCTAssertEqual(ram(m, Self.buffer, 512), Array(Self.imageBytes[..<512]))
        XCTAssertEqual(ram(m, Self.buffer + 0x1000, 8), Array(repeating: 0, count: 8))
    }

    func testWritableDeviceWritesTheImageAndKeepsItsSize() throws {
        let path = try imageFile()
        let m = try machine(try BlockDevice(path: path, writable: true, latency: 100))
        XCTAssertEqual(reg(m, 0x08), 3, "FLAGS: present, writable")
        let data: [UInt8] = (0 ..< 1024).map { UInt8(truncatingIfNeeded: 255 - $0) }
        m.writePhysical(Self.buffer, data)
        request(m, sector: 2, count: 2, address: Self.buffer, command: BlockDevice.Command.write)
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: path))), Self.imageBytes, "nothing before completion")
        _ = m.run(maxCycles: 1000)
        XCTAssertEqual(reg(m, 0x30), BlockDevice.Status.done)
        let after = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(after.count, 1636, "the image keeps its size")
        XCTAssertEqual(Array(after[..<1024]), Array(Self.imageBytes[..<1024]))
        XCTAssertEqual(Array(after[1024...]), Array(data[..<612]))
        XCTAssertEqual(m.devices.block?.sectorsWritten, 2)
    }

    func testNoDiskAndBadImages() throws {
        let m = try machine(nil)
        XCTAssertEqual(reg(m, 0x08), 0, "FLAGS 0: no device")
        request(m, sector: 0, count: 1, address: Self.buffer, command: 1)
        XCTAssertNil(m.devices.events.nextTime(for: 0))
        XCTAssertThrowsError(try BlockDevice(path: "/nonexistent/disk.img", writable: false, latency: 1)) { e in
            XCTAssertTrue("\(e)".hasPrefix("/nonexistent/disk.img: cannot open disk image: "), "\(e)")
        }
        XCTAssertThrowsError(try BlockDevice(path: NSTemporaryDirectory(), writable: false, latency: 1)) { e in
            XCTAssertTrue("\(e)".contains("is not a regular file"), "\(e)")
        }
        XCTAssertThrowsError(try BlockDevice(path: try imageFile(), writable: false, latency: 0))
    }

    func testBootNamesAMissingImage() throws {
        let elf = NSTemporaryDirectory() + "k42sim-spin-\(getpid()).elf"
        let words = try MIPS64Assembler.assemble("1: b 1b\n nop")
        let vaddr = 0xFFFF_FFFF_8000_0000 | Self.code
        FileManager.default.createFile(atPath: elf, contents: Data(FuzzImages.elf(machine: Emulator.GuestISA.mips64.elfMachine, entry: vaddr, segments: [
            .init(vaddr: vaddr, paddr: Self.code, code: words, memSize: 0x1000, flags: 7)])))
        defer { try? FileManager.default.removeItem(atPath: elf) }
        let r = try ProcessRunner.run(try HostTools.k42sim(), ["boot", "--disk", "/nonexistent/disk.img", elf])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderrText.hasPrefix("k42sim: --disk: /nonexistent/disk.img: cannot open disk image: "), r.stderrText)
        let w = try ProcessRunner.run(try HostTools.k42sim(), ["boot", "--disk-writable", elf])
        XCTAssertEqual(w.status, 2)
        XCTAssertTrue(w.stderrText.contains("--disk-writable and --disk-latency need --disk FILE"), w.stderrText)
    }
}
