// ElfListing: objdump-like text listing of an ElfImage's code — every executable section, or one
// symbol's range — with `<symbol>:` labels, through CapstoneDisassembler. Words capstone cannot
// decode are named by an optional fallback (k42sim's own decoder) or printed as `.word`.
import Emulator

public enum ElfListing {
    /// Names a word capstone could not decode (k42sim's decoder), or nil.
    public typealias Fallback = (UInt32) -> String?

    /// Writes the listing line by line to `emit`. Throws for an unknown symbol, a symbol outside
    /// the executable sections, or a capstone failure; never traps on bad input.
    public static func write(image: ElfImage, symbol: String? = nil, fallback: Fallback? = nil,
                             emit: (String) -> Void) throws(DisassemblerError) {
        let disassembler = try CapstoneDisassembler(isa: image.isa, littleEndian: image.littleEndian)
        let code = image.sections.filter { s in
            s.isExecutable && s.hasFileData && s.size > 0 && inFile(s, image)
        }
        if let symbol {
            let candidates = image.symbols.filter { $0.name == symbol }
            guard let sym = candidates.first(where: { $0.isFunction }) ?? candidates.first else {
                throw DisassemblerError("no symbol named '\(symbol)'")
            }
            guard let section = code.first(where: { contains($0, sym.value) }) else {
                throw DisassemblerError("symbol '\(symbol)' is not in an executable section")
            }
            let sectionEnd = section.address + section.size
            var end: UInt64
            if sym.size > 0 {
                end = min(sym.value &+ sym.size, sectionEnd)
                if end < sym.value { end = sectionEnd }
            } else {
                // No size: up to the next symbol in the section, like objdump.
                end = image.symbols.first(where: { $0.value > sym.value && $0.value < sectionEnd })?.value ?? sectionEnd
            }
            emit("")
            emit("Disassembly of section \(section.name):")
            list(image: image, section: section, from: sym.value, to: end, labels: [sym.value: [sym.name]],
                 disassembler: disassembler, fallback: fallback, emit: emit)
            return
        }
        for section in code {
            var labels: [UInt64: [String]] = [:]
            for s in image.symbols where contains(section, s.value) {
                if !(labels[s.value]?.contains(s.name) ?? false) { labels[s.value, default: []].append(s.name) }
            }
            emit("")
            emit("Disassembly of section \(section.name):")
            list(image: image, section: section, from: section.address, to: section.address + section.size,
                 labels: labels, disassembler: disassembler, fallback: fallback, emit: emit)
        }
    }

    /// One listing line for a decoded (or undecodable) word.
    public static func line(_ w: DisassembledWord, fallback: Fallback?) -> String {
        let address = "  " + hex(w.address, width: 0) + ":  "
        if w.size < 4 {
            let bytes = hex(UInt64(w.word), width: 2 * w.size)
            return address + bytes + String(repeating: " ", count: 10 - bytes.count) + ".byte"
        }
        let word = hex(UInt64(w.word), width: 8) + "  "
        if let m = w.mnemonic {
            return (address + word + pad(m) + w.operands).trimmedRight()
        }
        if let name = fallback?(w.word) {
            return address + word + pad(name) + "# k42sim's name; capstone cannot decode it"
        }
        return address + word + pad(".word") + "0x" + hex(UInt64(w.word), width: 8)
    }

    // MARK: - helpers

    private static func list(image: ElfImage, section: ElfSection, from: UInt64, to: UInt64,
                             labels: [UInt64: [String]], disassembler: CapstoneDisassembler,
                             fallback: Fallback?, emit: (String) -> Void) {
        guard from >= section.address, to >= from, to <= section.address + section.size else { return }
        let start = Int(section.fileOffset + (from - section.address))
        let bytes = image.bytes[start ..< start + Int(to - from)]
        for w in disassembler.disassemble(bytes: bytes, address: from) {
            if let names = labels[w.address] {
                emit("")
                for n in names { emit(hex(w.address, width: 16) + " <" + n + ">:") }
            }
            emit(line(w, fallback: fallback))
        }
    }

    private static func inFile(_ s: ElfSection, _ image: ElfImage) -> Bool {
        let (end, overflow) = s.fileOffset.addingReportingOverflow(s.size)
        return !overflow && end <= UInt64(image.bytes.count)
            && !s.address.addingReportingOverflow(s.size).overflow
    }

    private static func contains(_ s: ElfSection, _ address: UInt64) -> Bool {
        address >= s.address && address - s.address < s.size
    }

    private static func pad(_ s: String) -> String {
        s.count >= 8 ? s + " " : s + String(repeating: " ", count: 8 - s.count)
    }

    /// `v` in lowercase hex, zero-padded to `width` digits.
    public static func hex(_ v: UInt64, width: Int) -> String {
        let s = String(v, radix: 16)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

extension String {
    fileprivate func trimmedRight() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
