// `k42sim boot`: full-system mode — loads a bare-metal ELF at its physical addresses on a machine
// of N CPUs (M NUMA nodes) and runs until the guest powers off (exit status = the guest's), a
// CPU halts (diagnostic, status 3) or the cycle limit (status 124). With --guest NAME it first
// builds (or reuses from the cache) Guests/NAME for --isa and boots that image; with neither it
// builds and boots the K42 kernel (Kernel/). --kernel-args goes into the boot-information block.
// Machine: with --config/--set (MachineOptions) the machine is that MachineDescription and the
// timing model (caches, coherence, NUMA latencies, instruction costs) is on unless --timing off;
// without them it is today's functional machine (1 instruction = 1 cycle) unless --timing on,
// which uses the origin-mips64 preset (power5-ppc64 for PPC64 images). Both ISAs have the timing
// model (docs/timing.md). --cpus/--nodes/--mem-per-node/--quantum override the
// description (giving one together with --set of the same field is an error).
// Statistics (--stats-file gem5 text, --stats-json, --stats to stderr): one dump per sim-call
// "dump statistics" and a final one; config.json is written beside every statistics file.
import ArgumentParser
import Emulator
import Foundation
import GuestToolchain
import Traces
#if canImport(Glibc)
import Glibc
#endif

struct Boot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Boot a bare-metal kernel image on a simulated multiprocessor (see docs/platform.md).")

    @Argument(help: "The kernel ELF image (loaded at its physical addresses); omit to build and boot the K42 kernel (Kernel/), or use --guest.")
    var image: String?

    @Option(help: "Build (or reuse) the guest Guests/NAME (or 'kernel') for --isa and boot it.")
    var guest: String?

    @Option(help: "With --guest: the project root (default: found from the current directory).")
    var root: String?

    @Option(help: "Instruction set: mips64 or ppc64 (default: from the image).")
    var isa: String?

    @Option(name: .customLong("kernel-args"), help: "Boot argument string for the kernel (boot-information block; the K42 kernel's options are in docs/kernel/boot-arguments.md).")
    var kernelArgs: String = ""

    @OptionGroup var machineOptions: MachineOptions

    @Option(help: "Timing model: on (cycles from instruction costs and the memory hierarchy) or off (1 instruction = 1 cycle). Default: on with --config/--set, else off.")
    var timing: String?

    @Option(help: "Number of CPUs (1-256; default 1, or the description's).")
    var cpus: Int?

    @Option(help: "Number of NUMA nodes (must divide the CPU count; default 1, or the description's).")
    var nodes: Int?

    @Option(name: .customLong("mem-per-node"), help: "RAM per node in MiB (default 256, or the description's).")
    var memoryPerNodeMiB: UInt64?

    @Option(name: .customLong("max-cycles"), help: "Stop after this many cycles per CPU (status 124).")
    var maxCycles: UInt64 = 10_000_000_000

    @Option(help: "Scheduling quantum in cycles (at most the IPI latency; default 1000, or the description's).")
    var quantum: UInt64?

    @Option(name: .customLong("console-input"), help: "File whose bytes the console UART delivers as input.")
    var consoleInput: String?

    @Option(help: "Attach this host file as the platform block device (512-byte sectors, DMA, completion interrupt; docs/platform.md). Read-only unless --disk-writable.")
    var disk: String?

    @Flag(name: .customLong("disk-writable"), help: "With --disk: guest writes go to the image file.")
    var diskWritable = false

    @Option(name: .customLong("disk-latency"), help: "With --disk: cycles from a request to its completion interrupt (default 100000).")
    var diskLatency: UInt64?

    @Flag(help: "Print the final statistics dump to stderr at the end.")
    var stats = false

    @Option(name: .customLong("stats-file"), help: "Write statistics (gem5 text, one block per dump) to this file, and config.json beside it.")
    var statsFile: String?

    @Option(name: .customLong("stats-json"), help: "Write statistics as JSON to this file, and config.json beside it.")
    var statsJSON: String?

    @Option(name: .customLong("simcall-log"), help: "Write every sim-call (cycle, CPU, op, ARG0, ARG1; the kernel's reports are op 5) to this file, one per line.")
    var simcallLog: String?

    @Option(help: "Write a trace of the run (hardware events and the guests' trace buffers) to this file; see docs/traces.md and `k42sim trace`.")
    var trace: String?

    @Option(name: .customLong("trace-events"), help: "With --trace: the event classes to record, comma-separated (hw.exceptions, hw.ipi, hw.tlb, hw.cache, hw.coherence, hw.simcall, hw.idle, sw.exceptions, sw.sched, sw.mem, sw.lock, sw.test, sw.user, hw.all, sw.all, all). Default: \(TraceCatalog.defaultEvents).")
    var traceEvents: String?

    @Option(name: .customLong("ram-image"), help: "Place this initial RAM image at the top of node 0 (docs/platform.md \"Initial RAM image\"). Default for the built-in K42 kernel: every user program under Guests/, built for the ISA.")
    var ramImage: String?

    @Option(help: "The K42 user programs (Guests/NAME, comma-separated) to build into the initial RAM image, or 'none' (default: all; only with the built-in kernel or --guest kernel).")
    var programs: String?

    @Flag(name: .customLong("check-coherence"), help: "Timing mode: check the memory hierarchy's invariants after every transaction (slow); violations end the run with status 5.")
    var checkCoherence = false

    func run() throws {
        let image = resolveImage()
        let elf: ElfImage
        do { elf = try ElfImage(path: image) } catch { fail("\(image): \(error.message)") }
        let initialRAM = resolveRAMImage(isa: elf.isa)
        var machineISA = elf.isa
        if let isa {
            guard let chosen = GuestISA(rawValue: isa) else { fail("--isa must be mips64 or ppc64, got '\(isa)'") }
            guard chosen == elf.isa else { fail("\(image): wrong architecture: \(elf.isa.rawValue) image, --isa \(isa)") }
            machineISA = chosen
        }
        let timed: Bool
        switch timing {
        case nil: timed = machineOptions.isGiven
        case "on"?: timed = true
        case "off"?: timed = false
        case let other?: fail("--timing must be on or off, got '\(other)'")
        }
        var config: MachineConfig
        var description: MachineDescription? = nil
        if machineOptions.isGiven || timed {
            let d = resolveDescription(isa: machineISA)
            guard d.isa == machineISA else {
                fail("\(image): wrong architecture: \(machineISA.rawValue) image, machine description '\(d.name)' is \(d.isa.rawValue)")
            }
            description = d
            config = d.machineConfig
        } else {
            config = MachineConfig(isa: machineISA, cpus: cpus ?? 1, nodes: nodes ?? 1)
            config.memoryPerNode = (memoryPerNodeMiB ?? 256) << 20
            config.quantum = quantum ?? 1000
        }
        if description == nil, let dir = machineOptions.writeConfig {
            do { try MachineDescription.functional(config).writeConfigJSON(directory: dir) } catch { fail("\(error)") }
        }
        if checkCoherence && !timed { fail("--check-coherence needs the timing model (--timing on or --config)") }
        var hierarchy: MemoryHierarchy? = nil
        if timed, let d = description {
            do { hierarchy = try MemoryHierarchy(d, valueTracking: checkCoherence) } catch { fail("config: \(error)") }
            hierarchy?.checking = checkCoherence
        }
        var recorder: TraceRecorder? = nil
        if traceEvents != nil && trace == nil { fail("--trace-events needs --trace FILE") }
        if trace != nil {
            let mask: UInt64
            do { mask = try TraceCatalog.mask(traceEvents ?? TraceCatalog.defaultEvents) } catch { fail("--trace-events: \(error)") }
            if !timed && mask & (1 << TraceMajor.hwCache | 1 << TraceMajor.hwCoherence) != 0 && traceEvents != nil {
                printError("k42sim: note: hw.cache and hw.coherence events come from the timing model (--config or --timing on); this run records none")
            }
            recorder = TraceRecorder(cpus: config.cpus, mask: mask)
        }
        if disk == nil && (diskWritable || diskLatency != nil) { fail("--disk-writable and --disk-latency need --disk FILE") }
        var block: BlockDevice? = nil
        if let disk {
            do { block = try BlockDevice(path: disk, writable: diskWritable, latency: diskLatency ?? 100_000) } catch { fail("--disk: \(error)") }
        }
        let machine: Machine
        do {
            machine = try Machine(config: config, image: elf, hierarchy: hierarchy, kernelArguments: kernelArgs, trace: recorder,
                                  initialRAM: initialRAM, makeCPU: SystemCPUFactory.make)
        } catch {
            fail("\(image): \(error.message)")
        }
        machine.devices.block = block
        if let consoleInput {
            do { machine.devices.consoleInput = try HostFile.readAll(path: consoleInput) } catch { fail(error.description) }
        }
        let clock = HostClock()
        let statistics = MachineStatistics(machine: machine, hostSeconds: { clock.seconds })
        let result = machine.run(maxCycles: maxCycles)
        if let recorder, let trace { writeTrace(recorder, machine: machine, to: trace) }
        statistics.dump()
        writeStatistics(statistics, description: description ?? MachineDescription.functional(config))
        if let simcallLog { writeSimCallLog(machine.devices.simCallLog, to: simcallLog) }
        if let h = hierarchy, checkCoherence {
            let problems = h.violations + h.verifyAll()
            if !problems.isEmpty {
                for p in problems.prefix(20) { printError("coherence: \(p)") }
                fail("memory hierarchy invariants violated (\(problems.count))", status: 5)
            }
        }
        switch result {
        case .poweredOff(let status):
            throw ExitCode(status)
        case .cycleLimit(let cycles):
            for c in machine.cpus { printError(c.diagnostics) }
            fail("cycle limit of \(cycles) reached without power-off", status: 124)
        case .halted(let cpu, let diagnostic):
            fail("CPU \(cpu) halted: \(diagnostic)", status: 3)
        }
    }

    /// The initial RAM image: --ram-image's file, or the user programs built for the built-in
    /// kernel (all of them unless --programs says otherwise), or none.
    private func resolveRAMImage(isa: GuestISA) -> [UInt8]? {
        let builtInKernel = image == nil && (guest == nil || guest!.lowercased() == "kernel")
        if let ramImage {
            if programs != nil { fail("give either --ram-image FILE or --programs LIST, not both") }
            do { return try HostFile.readAll(path: ramImage) } catch { fail("--ram-image: \(error.description)") }
        }
        if programs != nil && !builtInKernel { fail("--programs builds programs for the built-in K42 kernel; with another image use --ram-image FILE") }
        guard builtInKernel, programs?.lowercased() != "none" else { return nil }
        let names = programs.map { $0.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) } }
        do {
            let workspace = try guestWorkspace(root: root)
            return try ProgramImage.build(workspace: workspace, toolchain: try Toolchain.locate(), isa: isa, names: names)
        } catch {
            fail("\(error)", status: 1)
        }
    }

    private func resolveImage() -> String {
        switch (self.image, guest) {
        case (let path?, nil):
            return path
        case (nil, let name?):
            guard let isa, let chosen = GuestISA(rawValue: isa) else {
                fail("--guest needs --isa mips64 or --isa ppc64")
            }
            if let w = try? guestWorkspace(root: root), w.isUserProgram(name) {
                fail("'\(name)' is a K42 user program, not a bare-metal guest: boot the K42 kernel (no IMAGE, no --guest), "
                    + "which runs 'init' by default, or pass --kernel-args program=\(name)")
            }
            do { return try buildGuest(name, isa: chosen, root: root).imagePath } catch { fail(error.description, status: 1) }
        case (_?, _?):
            fail("give either an IMAGE or --guest NAME, not both")
        case (nil, nil):
            // No image: build (cached) and boot the K42 kernel, MIPS64 unless --isa says otherwise.
            guard let chosen = GuestISA(rawValue: isa ?? "mips64") else { fail("--isa must be mips64 or ppc64, got '\(isa!)'") }
            do { return try buildGuest("kernel", isa: chosen, root: root).imagePath } catch { fail(error.description, status: 1) }
        }
    }

    /// The description from --config/--set with --cpus/--nodes/--mem-per-node/--quantum applied
    /// as overrides; the same field from both a flag and --set is a conflict.
    private func resolveDescription(isa: GuestISA) -> MachineDescription {
        var extra: [String] = []
        func flag(_ name: String, _ field: String, _ value: String?) {
            guard let value else { return }
            if machineOptions.overrides.contains(where: { $0.hasPrefix(field + "=") }) {
                fail("--\(name) conflicts with --set \(field)=...; give one of them")
            }
            extra.append("\(field)=\(value)")
        }
        flag("cpus", "cpus", cpus.map(String.init))
        flag("nodes", "nodes", nodes.map(String.init))
        flag("mem-per-node", "memoryPerNode", memoryPerNodeMiB.map { String($0 << 20) })
        flag("quantum", "quantum", quantum.map(String.init))
        return machineOptions.description(extra: extra, fallback: isa == .ppc64 ? "power5-ppc64" : "origin-mips64")
    }

    /// Drains the guests' buffers, writes the trace file and reports losses and refused buffers.
    private func writeTrace(_ recorder: TraceRecorder, machine: Machine, to path: String) {
        machine.finishTrace()
        let bytes = recorder.fileBytes(isa: machine.config.isa == .mips64 ? .mips64 : .ppc64, nodes: machine.config.nodes,
                                       frequency: machine.config.frequency)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fail("\(path): cannot write") }
        if let b = machine.traceBuffers {
            for p in b.problems.prefix(20) { printError("k42sim: trace: \(p)") }
            if b.lostEvents > 0 || b.lostWords > 0 {
                printError("k42sim: trace: \(b.lostEvents) guest events (\(b.lostWords) words) lost; `k42sim trace stats \(path)` lists why")
            }
        }
    }

    /// `cycle cpu op arg0 arg1`, decimal cycle/CPU/op, hexadecimal arguments.
    private func writeSimCallLog(_ log: [PlatformDevices.SimCallRecord], to path: String) {
        var text = "# cycle cpu op arg0 arg1\n"
        for r in log { text += "\(r.cycle) \(r.cpu) \(r.op) 0x\(String(r.arg0, radix: 16)) 0x\(String(r.arg1, radix: 16))\n" }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { fail("\(path): cannot write") }
    }

    private func writeStatistics(_ s: MachineStatistics, description: MachineDescription) {
        if stats, let last = s.file.dumps.last { writeAll(2, last.text()) }
        for (path, json) in [(statsFile, false), (statsJSON, true)] {
            guard let path else { continue }
            let text = json ? s.file.json() : s.file.text()
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { fail("\(path): cannot write") }
            do { try description.writeConfigJSON(directory: dir.isEmpty ? "." : dir) } catch { fail("\(error)") }
        }
    }
}
