// k42sim command-line entry point: one subcommand per job (run, disasm, ...).
import ArgumentParser

struct K42Sim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "k42sim",
        abstract: "A deterministic MIPS64/PowerPC64 multiprocessor emulator and the K42 kernel that runs on it.",
        subcommands: [Run.self, Boot.self, Build.self, Experiment.self, Disasm.self, Bench.self, Stats.self, CacheBench.self, Trace.self])
}

K42Sim.main()
