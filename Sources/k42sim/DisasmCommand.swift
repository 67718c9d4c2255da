// `k42sim disasm`: disassembly of an ELF file's code through capstone, with symbol labels.
import ArgumentParser
import Emulator

struct Disasm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disassemble the executable sections of an ELF file (through capstone).")

    @Argument(help: "The ELF file to disassemble.")
    var file: String

    @Option(help: "Disassemble only this symbol.")
    var symbol: String?

    func run() throws {
        throw ValidationError("disasm is not available yet")
    }
}
