// `k42sim disasm`: disassembly of an ELF file's code through capstone, with symbol labels.
// The listing itself lives in the Disassembly library (ElfListing); this file maps arguments to
// it and turns every failure into one `k42sim: FILE: message` line on stderr and exit status 2.
import ArgumentParser
import Disassembly
import Emulator
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

struct Disasm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Disassemble the executable sections of an ELF file (through capstone).")

    @Argument(help: "The ELF file to disassemble.")
    var file: String

    @Option(help: "Disassemble only this symbol.")
    var symbol: String?

    func run() throws {
        let image: ElfImage
        do {
            image = try ElfImage(path: file)
        } catch {
            // Host-file errors already begin with the path.
            let m = error.message
            throw fail(m.hasPrefix("\(file): ") ? m : "\(file): \(m)")
        }
        do {
            try ElfListing.write(image: image, symbol: symbol, fallback: Self.fallback(for: image.isa)) {
                print($0)
            }
        } catch {
            throw fail("\(file): \(error.message)")
        }
    }

    /// k42sim's own decoder names words capstone cannot decode (capstone 4 lacks, e.g., c.cond.fmt
    /// with $fcc1-7, recip/rsqrt, prefx; for PPC64, lwarx with EH=1, VSX moves, ...).
    static func fallback(for isa: GuestISA) -> ElfListing.Fallback? {
        switch isa {
        case .mips64: return { MIPS64Decoder.mnemonic($0) }
        case .ppc64: return { PPC64Decoder.mnemonic($0) }
        }
    }

    /// Writes `k42sim: message` to stderr; the caller throws the returned exit status 2.
    private func fail(_ message: String) -> ExitCode {
        let text = Array("k42sim: \(message)\n".utf8)
        _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        return ExitCode(2)
    }
}
