// MIPS64Oracle: compares a MIPS64 decoder's mnemonics with capstone's for a list of words:
// alias normalization (capstone prints pseudo-instructions), the field accessors both need, and
// the tally of agreements, explained disagreements and unexplained ones.
import Disassembly
import Emulator

/// The fields of a MIPS instruction word.
struct MIPSWord: Sendable {
    var raw: UInt32
    init(_ raw: UInt32) { self.raw = raw }
    var opcode: UInt32 { raw >> 26 }
    var rs: UInt32 { (raw >> 21) & 31 }
    var rt: UInt32 { (raw >> 16) & 31 }
    var rd: UInt32 { (raw >> 11) & 31 }
    var sa: UInt32 { (raw >> 6) & 31 }
    var funct: UInt32 { raw & 63 }
}

enum MIPSAliases {
    /// Maps a pseudo-instruction name to the base instruction of the same encoding, so that
    /// capstone's and k42sim's spellings compare equal. Applied to both sides; names that are
    /// not aliases pass through lowercased. The table (every entry is an alias the assembler
    /// defines for one base encoding; the base is read from the word, not guessed):
    ///   nop, ssnop, ehb, pause      -> sll    (sll $0,$0,0/1/3/5)
    ///   move                        -> or / addu / daddu (whichever funct the word has)
    ///   neg, negu, dneg, dnegu      -> sub, subu, dsub, dsubu (rs = $0)
    ///   not                         -> nor    (rt = $0)
    ///   b, beqz / bnez, beqzl/bnezl -> beq / bgez, bne, beql, bnel (a register is $0)
    ///   bal                         -> bgezal (rs = $0)
    ///   li                          -> addiu / ori (rs = $0)
    ///   jr for funct 9              -> jalr   (capstone prints jalr $0,rs as jr)
    ///   .hb suffix of jr/jalr       -> dropped (hazard-barrier hint bit of the same instruction)
    static func canonical(_ mnemonic: String, word: UInt32) -> String {
        let m = mnemonic.lowercased()
        let w = MIPSWord(word)
        switch m {
        case "nop", "ssnop", "ehb", "pause":
            return w.opcode == 0 && w.funct == 0 ? "sll" : m
        case "move":
            if w.opcode == 0 {
                switch w.funct {
                case 0x25: return "or"
                case 0x21: return "addu"
                case 0x2d: return "daddu"
                default: break
                }
            }
            return m
        case "neg", "negu", "dneg", "dnegu":
            if w.opcode == 0 {
                switch w.funct {
                case 0x22: return "sub"
                case 0x23: return "subu"
                case 0x2e: return "dsub"
                case 0x2f: return "dsubu"
                default: break
                }
            }
            return m
        case "not":
            return w.opcode == 0 && w.funct == 0x27 ? "nor" : m
        case "b", "beqz", "bnez", "beqzl", "bnezl", "bal":
            switch w.opcode {
            case 0x04: return "beq"
            case 0x05: return "bne"
            case 0x14: return "beql"
            case 0x15: return "bnel"
            case 0x01 where w.rt == 0x01: return "bgez"
            case 0x01 where w.rt == 0x11: return "bgezal"
            default: return m
            }
        case "li":
            switch w.opcode {
            case 0x09: return "addiu"
            case 0x0d: return "ori"
            default: return m
            }
        case "jr", "jr.hb", "jalr", "jalr.hb":
            if w.opcode == 0 && w.funct == 0x09 { return "jalr" }
            if w.opcode == 0 && w.funct == 0x08 { return "jr" }
            return m
        default:
            return m
        }
    }
}

/// One explained kind of disagreement: which words it covers and why the two sides differ.
struct KnownDisagreement: Sendable {
    var name: String
    var reason: String
    /// word, k42sim's canonical name (nil: reserved), capstone's canonical name (nil: invalid).
    var matches: @Sendable (MIPSWord, String?, String?) -> Bool
}

/// The outcome of comparing one decoder with capstone over a corpus.
struct OracleTally {
    var corpus: String
    var total = 0
    var bothInvalid = 0
    var bothValidSameName = 0
    var explained: [String: Int] = [:]
    /// Unexplained disagreements: word, k42sim's and capstone's raw text.
    var unexplained: [(word: UInt32, k42: String?, capstone: String?)] = []
    var unexplainedCount = 0

    var summary: String {
        var s = "\(corpus): \(total) words, \(bothValidSameName) agree (valid, same name), "
            + "\(bothInvalid) agree (invalid), \(explained.values.reduce(0, +)) known disagreements, "
            + "\(unexplainedCount) unexplained"
        for (k, v) in explained.sorted(by: { $0.key < $1.key }) { s += "\n  \(k): \(v)" }
        return s
    }
}

enum MIPS64Oracle {
    /// Compares `k42` (nil = reserved) with capstone on every word. Keeps the first
    /// `keepExamples` unexplained disagreements.
    static func compare(corpus: String, words: [UInt32], k42: (UInt32) -> String?,
                        capstone: CapstoneDisassembler, known: [KnownDisagreement],
                        keepExamples: Int = 40) -> OracleTally {
        var tally = OracleTally(corpus: corpus)
        for word in words {
            tally.total += 1
            let ours = k42(word)
            let theirs = capstone.disassemble(word: word, address: 0x1_2000_0000)
            let a = ours.map { MIPSAliases.canonical($0, word: word) }
            let b = theirs.map { MIPSAliases.canonical($0.mnemonic, word: word) }
            if a == nil && b == nil { tally.bothInvalid += 1; continue }
            if a == b { tally.bothValidSameName += 1; continue }
            let w = MIPSWord(word)
            if let k = known.first(where: { $0.matches(w, a, b) }) {
                tally.explained[k.name, default: 0] += 1
                continue
            }
            tally.unexplainedCount += 1
            if tally.unexplained.count < keepExamples {
                tally.unexplained.append((word, ours, theirs.map { "\($0.mnemonic) \($0.operands)" }))
            }
        }
        return tally
    }

    /// The instruction words of every executable section of a MIPS64 ELF file.
    static func textWords(path: String) throws -> [UInt32] {
        let image = try ElfImage(path: path)
        let b = image.bytes
        var words: [UInt32] = []
        for s in image.sections where s.isExecutable && s.hasFileData {
            let start = Int(s.fileOffset)
            let end = start + (Int(s.size) & ~3)
            var i = start
            while i + 4 <= end {
                words.append(image.littleEndian
                    ? UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
                    : UInt32(b[i + 3]) | UInt32(b[i + 2]) << 8 | UInt32(b[i + 1]) << 16 | UInt32(b[i]) << 24)
                i += 4
            }
        }
        return words
    }
}

extension MIPS64Oracle {
    /// Random words aimed at the sub-tables (SPECIAL, REGIMM, COP0, COP1, COP2, COP1X, SPECIAL2,
    /// SPECIAL3), with each of rs/rt/rd/sa zeroed half the time so that encodings whose fields must
    /// be zero — most valid ones there — are common, unlike in uniformly random words.
    static func subTableWords(seed: UInt64, count: Int) -> [UInt32] {
        let opcodes: [UInt32] = [0x00, 0x01, 0x10, 0x11, 0x12, 0x13, 0x1c, 0x1f]
        var g = SplitMix64(seed: seed)
        return (0 ..< count).map { _ in
            var r = g.next()
            var w = opcodes[Int(r & 7)] << 26
            r >>= 3
            w |= UInt32(truncatingIfNeeded: r) & 0x03ff_ffff
            r >>= 26
            for shift: UInt32 in [21, 16, 11, 6] {
                if r & 1 != 0 { w &= ~(31 << shift) }
                r >>= 1
            }
            return w
        }
    }
}
