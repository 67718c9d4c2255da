// `k42sim boot`: full-system mode — loads a bare-metal ELF at its physical addresses on a machine
// of N CPUs (M NUMA nodes) and runs until the guest powers off (exit status = the guest's), a
// CPU halts (diagnostic, status 3) or the cycle limit (status 124). With --guest NAME it first
// builds (or reuses from the cache) Guests/NAME for --isa and boots that image.
import ArgumentParser
import Emulator
import GuestToolchain
#if canImport(Glibc)
import Glibc
#endif

struct Boot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Boot a bare-metal kernel image on a simulated multiprocessor (see docs/platform.md).")

    @Argument(help: "The kernel ELF image (loaded at its physical addresses); omit with --guest.")
    var image: String?

    @Option(help: "Build (or reuse) the guest Guests/NAME (or 'kernel') for --isa and boot it.")
    var guest: String?

    @Option(help: "With --guest: the project root (default: found from the current directory).")
    var root: String?

    @Option(help: "Instruction set: mips64 or ppc64 (default: from the image).")
    var isa: String?

    @Option(help: "Number of CPUs (1-256).")
    var cpus: Int = 1

    @Option(help: "Number of NUMA nodes (must divide the CPU count).")
    var nodes: Int = 1

    @Option(name: .customLong("mem-per-node"), help: "RAM per node in MiB.")
    var memoryPerNodeMiB: UInt64 = 256

    @Option(name: .customLong("max-cycles"), help: "Stop after this many cycles per CPU (status 124).")
    var maxCycles: UInt64 = 10_000_000_000

    @Option(help: "Scheduling quantum in cycles (at most the IPI latency).")
    var quantum: UInt64 = 1000

    @Option(name: .customLong("console-input"), help: "File whose bytes the console UART delivers as input.")
    var consoleInput: String?

    @Flag(help: "Print per-CPU cycle and instruction counts to stderr at the end.")
    var stats = false

    func run() throws {
        let image: String
        switch (self.image, guest) {
        case (let path?, nil):
            image = path
        case (nil, let name?):
            guard let isa, let chosen = GuestISA(rawValue: isa) else {
                fail("--guest needs --isa mips64 or --isa ppc64")
            }
            do { image = try buildGuest(name, isa: chosen, root: root).imagePath } catch { fail(error.description, status: 1) }
        case (_?, _?):
            fail("give either an IMAGE or --guest NAME, not both")
        case (nil, nil):
            fail("missing IMAGE (or --guest NAME --isa ISA)")
        }
        let elf: ElfImage
        do { elf = try ElfImage(path: image) } catch { fail("\(image): \(error.message)") }
        var machineISA = elf.isa
        if let isa {
            guard let chosen = GuestISA(rawValue: isa) else { fail("--isa must be mips64 or ppc64, got '\(isa)'") }
            guard chosen == elf.isa else { fail("\(image): wrong architecture: \(elf.isa.rawValue) image, --isa \(isa)") }
            machineISA = chosen
        }
        var config = MachineConfig(isa: machineISA, cpus: cpus, nodes: nodes)
        config.memoryPerNode = memoryPerNodeMiB << 20
        config.quantum = quantum
        let machine: Machine
        do {
            machine = try Machine(config: config, image: elf, makeCPU: SystemCPUFactory.make)
        } catch {
            fail("\(image): \(error.message)")
        }
        if let consoleInput {
            do { machine.devices.consoleInput = try HostFile.readAll(path: consoleInput) } catch { fail(error.description) }
        }
        let clock = HostClock()
        let result = machine.run(maxCycles: maxCycles)
        if stats {
            var report = StatsReport()
            var total: UInt64 = 0
            for c in machine.cpus {
                report.add(StatsEntry("system.cpu\(c.index).numCycles", c.cycles, "Number of cpu cycles simulated (Cycle)"))
                report.add(StatsEntry("system.cpu\(c.index).committedInsts", c.instructionCount, "Number of instructions committed (Count)"))
                total += c.instructionCount
            }
            report.add(StatsEntry("simInsts", total, "Number of instructions simulated (Count)"))
            let seconds = clock.seconds
            report.add(StatsEntry("hostSeconds", seconds, "Real time elapsed on the host (Second)"))
            report.add(StatsEntry("hostInstRate", seconds > 0 ? Double(total) / seconds : 0, "Simulator instruction rate (inst/s) ((Count/Second))"))
            writeAll(2, report.text())
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
}
