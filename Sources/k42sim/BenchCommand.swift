// `k42sim bench`: measures interpreter speed (guest instructions per host second) by running a
// static program several times in syscall-emulation mode; guest output is discarded.
import ArgumentParser
import Emulator
#if canImport(Glibc)
import Glibc
#endif

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure guest instructions per second on a CPU-bound static program.",
        discussion: "Use a release build. scripts/bench builds Tests/Programs/sha256.c and runs this.")

    @Option(help: "Number of timed runs; the median is reported.")
    var runs: Int = 3

    @Argument(help: "The static ELF program.")
    var program: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the program.")
    var arguments: [String] = []

    func run() throws {
        guard runs >= 1 else { fail("--runs must be at least 1") }
        let image: ElfImage
        do { image = try ElfImage(path: program) } catch { fail("\(program): \(error.message)") }
        let options = LinuxSEOptions(programPath: program, arguments: [program] + arguments, environment: [])
        // Discard guest output during the timed runs.
        let savedOut = dup(1)
        let null = open("/dev/null", O_WRONLY)
        var rates: [Double] = []
        var instructions: UInt64 = 0
        var status: Int32 = 0
        for _ in 0 ..< runs {
            let machine: SEMachine
            do { machine = try SyscallEmulation.makeMachine(image: image, options: options) } catch { fail("\(program): \(error.message)") }
            dup2(null, 1)
            let clock = HostClock()
            let result = machine.run(maxInstructions: nil)
            let seconds = clock.seconds
            dup2(savedOut, 1)
            instructions = result.instructions
            status = result.exitStatus
            rates.append(Double(result.instructions) / seconds)
        }
        close(null)
        close(savedOut)
        rates.sort()
        let median = rates[rates.count / 2]
        let m = { (v: Double) in StatsReport.format(v / 1e6) }
        print("k42sim bench: \(program): \(instructions) guest instructions per run, exit status \(status)")
        print("k42sim bench: median \(m(median)) M guest instructions/s over \(runs) runs (min \(m(rates.first!)), max \(m(rates.last!)))")
    }
}
