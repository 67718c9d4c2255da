// MIPS64Mnemonics: assembler names of decoded MIPS64 instructions, for disassembly fallbacks,
// diagnostics and the capstone decoder oracle. Names are the base (non-alias) mnemonics of the
// MIPS64 manual; `nil` means the word is reserved.

extension MIPS64Decoder {
    public static func mnemonic(_ word: UInt32) -> String? {
        let op = decode(word)
        switch op.kind {
        case .reserved, .pageEnd, .cop2: return nil     // cop2: no coprocessor 2, nothing to name
        case .breakInst: return "break"
        case .nop: return "nop"
        case .sync: return "sync"
        case .cS, .cD:
            let conds = ["f", "un", "eq", "ueq", "olt", "ult", "ole", "ule",
                         "sf", "ngle", "seq", "ngl", "lt", "nge", "le", "ngt"]
            return "c.\(conds[Int(op.sa)]).\(op.kind == .cD ? "d" : "s")"
        case .jr: return op.sa & 16 != 0 ? "jr.hb" : "jr"
        case .jalr: return op.sa & 16 != 0 ? "jalr.hb" : "jalr"
        default: return name(of: op.kind)
        }
    }

    /// The mnemonic of an op kind (format suffixes included for FPU kinds).
    public static func name(of kind: MIPS64Kind) -> String {
        let raw = String(describing: kind)
        // FPU kinds are spelled opFmt (addD, cvtSD, roundWS, movtD): turn into op.fmt[.fmt].
        let fpuPrefixes = ["add", "sub", "mul", "div", "sqrt", "abs", "mov", "neg", "recip", "rsqrt",
                           "madd", "msub", "nmadd", "nmsub"]
        if let last = raw.last, last.isUppercase {
            if raw.hasPrefix("cvt"), raw.count == 5 {
                let a = raw[raw.index(raw.startIndex, offsetBy: 3)].lowercased()
                return "cvt.\(a).\(String(last).lowercased())"
            }
            for p in ["round", "trunc", "ceil", "floor"] where raw.hasPrefix(p) && raw.count == p.count + 2 {
                let a = raw[raw.index(raw.startIndex, offsetBy: p.count)].lowercased()
                return "\(p).\(a).\(String(last).lowercased())"
            }
            let stem = String(raw.dropLast())
            if fpuPrefixes.contains(stem) || ["movf", "movt", "movz", "movn"].contains(stem) {
                return "\(stem).\(String(last).lowercased())"
            }
        }
        return raw
    }
}
