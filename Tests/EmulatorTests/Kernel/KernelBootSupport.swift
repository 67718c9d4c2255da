// KernelBootSupport: builds the K42 kernel (Kernel/, through the guest toolchain's cache) and
// boots it in-process on a Machine of the requested shape with boot arguments, capturing the
// console and the sim-call reports, so kernel tests read numbers rather than prose.
import Emulator
import Foundation
import GuestToolchain
import XCTest

struct KernelBoot {
    let isa: Emulator.GuestISA
    let cpus: Int
    let nodes: Int
    let machine: Machine
    let result: MachineResult
    let console: String
    /// The statistics dumps the kernel asked for (sim-call ops 3/4), when requested.
    var statistics: MachineStatistics? = nil

    var reports: [PlatformDevices.SimCallRecord] {
        machine.devices.simCallLog.filter { $0.op == KernelReport.traceMarker }
    }
    /// (cpu, value) of every report of `key`, in order.
    func values(_ key: UInt64) -> [(cpu: Int, value: UInt64)] {
        reports.filter { $0.arg0 == key }.map { ($0.cpu, $0.arg1) }
    }
    func value(_ key: UInt64) -> UInt64? { values(key).last?.value }
    /// A per-CPU counter summed over CPUs (the last report of each CPU), or on one CPU.
    func counter(_ c: KernelReport.Counter, cpu: Int? = nil) -> UInt64 {
        let v = values(KernelReport.counterBase + c.rawValue)
        return cpu.map { want in v.last(where: { $0.cpu == want })?.value ?? 0 } ?? v.reduce(0) { $0 + $1.value }
    }
    func measurement(_ index: UInt64) -> UInt64? { value(KernelReport.measurementBase + index) }

    var exitStatus: Int32? {
        if case .poweredOff(let s) = result { return s }
        return nil
    }
    var describe: String {
        let tail = console.split(separator: "\n").suffix(6).joined(separator: "\n")
        return "\(isa.rawValue) \(cpus) CPUs/\(nodes) nodes: \(result)\n\(tail)"
    }
}

enum KernelImages {
    nonisolated(unsafe) private static var built: [Emulator.GuestISA: String] = [:]
    private static let lock = NSLock()

    /// The kernel image for `isa` (built once per test process; the toolchain caches it).
    static func path(_ isa: Emulator.GuestISA) throws -> String {
        lock.lock(); defer { lock.unlock() }
        if let p = built[isa] { return p }
        let builder = GuestBuilder(workspace: GuestWorkspace(root: GuestToolchainTests.projectRoot),
                                   toolchain: try Toolchain.locate())
        let p = try builder.build("kernel", isa: isa).imagePath
        built[isa] = p
        return p
    }

    nonisolated(unsafe) private static var programImages: [Emulator.GuestISA: [UInt8]] = [:]

    /// The initial RAM image with every K42 user program for `isa` (built once per test process).
    static func programs(_ isa: Emulator.GuestISA) throws -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        if let p = programImages[isa] { return p }
        let p = try ProgramImage.build(workspace: GuestWorkspace(root: GuestToolchainTests.projectRoot),
                                       toolchain: try Toolchain.locate(), isa: isa)
        programImages[isa] = p
        return p
    }

    static func boot(_ isa: Emulator.GuestISA, cpus: Int = 1, nodes: Int = 1, args: String, preset: String? = nil,
                     memoryPerNode: UInt64 = 256 << 20, maxCycles: UInt64 = 3_000_000_000,
                     statistics: Bool = false, disk: BlockDevice? = nil, ramImage: [UInt8]? = nil) throws -> KernelBoot {
        let image = try ElfImage(path: try path(isa))
        var config = MachineConfig(isa: isa, cpus: cpus, nodes: nodes)
        config.memoryPerNode = memoryPerNode
        var hierarchy: MemoryHierarchy? = nil
        if let preset {
            let d = try MachineDescription.load(config: preset, overrides: ["cpus=\(cpus)", "nodes=\(nodes)"])
            config = d.machineConfig
            hierarchy = try MemoryHierarchy(d, valueTracking: false)
        }
        let machine = try Machine(config: config, image: image, hierarchy: hierarchy, kernelArguments: args,
                                  initialRAM: ramImage, makeCPU: SystemCPUFactory.make)
        machine.devices.captureConsole = true
        machine.devices.block = disk
        let stats = statistics ? MachineStatistics(machine: machine) : nil
        let result = machine.run(maxCycles: maxCycles)
        return KernelBoot(isa: isa, cpus: cpus, nodes: nodes, machine: machine, result: result,
                          console: String(decoding: machine.devices.consoleOutput, as: UTF8.self), statistics: stats)
    }
}

extension XCTestCase {
    /// Asserts the kernel powered off with status 0 after reporting test result 0.
    func assertPassed(_ b: KernelBoot, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(b.exitStatus, 0, b.describe, file: file, line: line)
        XCTAssertEqual(b.value(KernelReport.testResult), 0, "test result: \(b.describe)", file: file, line: line)
    }
}
