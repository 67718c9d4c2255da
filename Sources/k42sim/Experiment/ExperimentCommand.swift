// `k42sim experiment NAME`: a scaling experiment as independent, deterministic boots of the K42
// kernel, one per variant and CPU count ("point"). It writes OUT/jobs.txt — one self-contained
// shell command per point (absolute paths to this k42sim and a copy of the kernel image), which a
// cluster scheduler can run unchanged — runs the points (--jobs at a time, progress on stderr),
// and collects: per point console.log, status, stats.txt / stats.json / config.json and
// simcalls.txt; for the experiment results.csv and one SVG plot per figure (docs/experiments/).
// `--collect DIR` rebuilds the CSV and plots from finished points. Points that fail are
// reported by name with the end of their log; the others still finish (exit status 1).
import ArgumentParser
import Emulator
import Foundation
import GuestToolchain

struct Experiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scaling experiment of the K42 kernel: one boot per variant and CPU count (docs/experiments/).")

    @Argument(help: "The experiment: \(ExperimentSpec.all.map(\.name).joined(separator: ", ")) (omit with --collect).")
    var name: String?

    @Option(help: "Instruction set: mips64 or ppc64.")
    var isa: String = "mips64"

    @Option(help: "CPU counts, comma-separated (default 1,2,4,8,16,32,64).")
    var cpus: String?

    @Option(help: "Machine preset or JSON description (default: origin-mips64 / power5-ppc64); CPUs per node stay the preset's.")
    var config: String?

    @Option(name: .customLong("set"), help: "Override one field of the description: dotted.path=value (repeatable).")
    var overrides: [String] = []

    @Option(help: "Variants to run, comma-separated (default: all of the experiment's).")
    var variants: String?

    @Option(help: "Operations per CPU in the measured region (default: the experiment's).")
    var ops: Int?

    @Option(help: "Scheduling quantum in cycles: how finely CPUs interleave, and so how exactly contention is modelled (default 100).")
    var quantum: Int = 100

    @Option(name: .customLong("max-cycles"), help: "Cycle limit of each point.")
    var maxCycles: UInt64 = 20_000_000_000

    @Option(help: "Points to run at the same time (default 1).")
    var jobs: Int = 1

    @Option(help: "Output directory (default: experiments/NAME-ISA).")
    var out: String?

    @Option(help: "Only rebuild results.csv and the plots from the finished points in this directory.")
    var collect: String?

    @Option(help: "With the kernel: the project root (default: found from the current directory).")
    var root: String?

    func run() throws {
        if let dir = collect {
            let status = try ExperimentCollector.collect(directory: dir)
            throw ExitCode(status)
        }
        guard let name else { fail("missing experiment name (experiments: \(ExperimentSpec.all.map(\.name).joined(separator: ", ")))") }
        guard let spec = ExperimentSpec.named(name) else {
            fail("unknown experiment '\(name)' (experiments: \(ExperimentSpec.all.map(\.name).joined(separator: ", ")))")
        }
        guard let chosen = GuestISA(rawValue: isa) else { fail("--isa must be mips64 or ppc64, got '\(isa)'") }
        let cpuList = Self.parseCPUs(cpus)
        let variantList = try Self.parseVariants(variants, spec)
        guard jobs >= 1 && jobs <= 64 else { fail("--jobs must be 1...64, got \(jobs)") }
        guard quantum >= 1 else { fail("--quantum must be at least 1") }
        if let ops, ops < 1 { fail("--ops must be at least 1, got \(ops)") }
        let preset = config ?? (chosen == .ppc64 ? "power5-ppc64" : "origin-mips64")
        let base: MachineDescription
        do { base = try MachineDescription.load(config: preset, overrides: overrides) } catch { fail("config: \(error)") }
        guard base.isa == chosen else { fail("machine description '\(base.name)' is \(base.isa.rawValue), --isa is \(chosen.rawValue)") }
        let perNode = max(1, base.cpus / max(base.nodes, 1))
        var points: [ExperimentPoint] = []
        for v in variantList {
            for c in cpuList {
                let nodes = c % perNode == 0 ? c / perNode : 1
                do {
                    _ = try MachineDescription.load(config: preset, overrides: overrides + ["cpus=\(c)", "nodes=\(nodes)", "quantum=\(quantum)"])
                } catch {
                    fail("point \(v) at \(c) CPUs: config: \(error)")
                }
                points.append(ExperimentPoint(variant: v, cpus: c, nodes: nodes))
            }
        }
        let outDir = URL(fileURLWithPath: out ?? "experiments/\(spec.name)-\(chosen.rawValue)").standardizedFileURL.path
        let image: String
        do { image = try buildGuest("kernel", isa: chosen, root: root).imagePath } catch { fail(error.description, status: 1) }
        var ramImage: [UInt8]? = nil
        if spec.needsPrograms {
            do {
                let workspace = try guestWorkspace(root: root)
                ramImage = try ProgramImage.build(workspace: workspace, toolchain: try Toolchain.locate(), isa: chosen)
            } catch {
                fail("\(error)", status: 1)
            }
        }
        let plan = ExperimentPlan(experiment: spec.name, isa: chosen.rawValue, config: Self.absoluteConfig(preset),
                                  overrides: overrides, ops: ops ?? spec.defaultOps, quantum: quantum, maxCycles: maxCycles,
                                  cpus: cpuList, variants: variantList)
        do {
            try plan.prepare(directory: outDir, kernelImage: image, ramImage: ramImage, points: points)
        } catch {
            fail("cannot write \(outDir): \(error.localizedDescription)", status: 1)
        }
        let started = Date()
        let commands = try plan.commands(directory: outDir, points: points)
        ExperimentRunner.run(commands, jobs: jobs, started: started)
        let status = try ExperimentCollector.collect(directory: outDir)
        printError("experiment \(spec.name): \(points.count) points in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; "
            + "results in \(outDir)/results.csv")
        throw ExitCode(status)
    }

    static func parseCPUs(_ text: String?) -> [Int] {
        guard let text else { return ExperimentSpec.defaultCPUs }
        var list: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 1, n <= 256 else {
                fail("--cpus: '\(part)' is not a CPU count in 1...256 (expected a list such as 1,2,4,8)")
            }
            guard !list.contains(n) else { fail("--cpus: \(n) is listed twice") }
            list.append(n)
        }
        return list
    }

    static func parseVariants(_ text: String?, _ spec: ExperimentSpec) throws -> [String] {
        guard let text else { return spec.variants }
        let list = text.split(separator: ",").map(String.init)
        for v in list where !spec.variants.contains(v) {
            fail("--variants: '\(v)' is not a variant of \(spec.name) (variants: \(spec.variants.joined(separator: ", ")))")
        }
        guard !list.isEmpty else { fail("--variants: empty list") }
        return list
    }

    /// A description file as an absolute path (presets stay names), so jobs.txt runs anywhere.
    static func absoluteConfig(_ c: String) -> String {
        MachineDescription.presetNames.contains(c) ? c : URL(fileURLWithPath: c).standardizedFileURL.path
    }
}

struct ExperimentPoint {
    var variant: String
    var cpus: Int
    var nodes: Int
    var directoryName: String { "\(variant)-\(cpus)cpu" }
}
