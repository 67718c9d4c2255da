// PPC64Oracle: llvm-objdump (--triple=powerpc64le --mcpu=pwr8) as the oracle for k42sim's
// PPC64 decoder: runs it over a batch of words and reduces both sides' mnemonics to one
// canonical base name per encoding (extended mnemonics such as li, mr, nop, blr, beq+, cmpdi,
// rotldi, clrldi, sldi, mtlr, xxswapd, vmr are LLVM's spellings of one base instruction; the
// canonical name is computed from the word's opcode fields, so neither side's alias choice
// matters, and the "." and "o" suffixes still have to agree).
import Foundation

enum PPC64Oracle {
    /// The Swift toolchain's LLVM tool when there is one (the oracle's expected version),
    /// otherwise Debian's (package llvm) or any on PATH.
    static func tool(_ name: String) throws -> String {
        for dir in ["/opt/swift/usr/bin", "/usr/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        return try HostTools.find(name, package: "llvm")
    }

    /// LLVM's mnemonic for each word (nil = `<unknown>`).
    static func llvmMnemonics(_ words: [UInt32]) throws -> [String?] {
        let objcopy = try tool("llvm-objcopy"), objdump = try tool("llvm-objdump")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k42sim-ppc-oracle-\(getpid())-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(words.count * 4)
        for w in words { bytes += [UInt8(w & 0xFF), UInt8((w >> 8) & 0xFF), UInt8((w >> 16) & 0xFF), UInt8(w >> 24)] }
        let bin = dir.appendingPathComponent("w.bin").path, obj = dir.appendingPathComponent("w.o").path
        try Data(bytes).write(to: URL(fileURLWithPath: bin))
        _ = try run(objcopy, ["-I", "binary", "-O", "elf64-powerpcle", bin, obj])
        let out = try run(objdump, ["-D", "-j", ".data", "--triple=powerpc64le", "--mcpu=pwr8", "--no-show-raw-insn", obj])
        var result = [String?](repeating: nil, count: words.count)
        for line in out.split(separator: "\n") {
            // "      1c: \tadd. 3, 3, 4"
            guard let colon = line.firstIndex(of: ":") else { continue }
            let addrText = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard let addr = Int(addrText, radix: 16), addr % 4 == 0, addr / 4 < words.count else { continue }
            let rest = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard let m = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).first else { continue }
            if m == "<unknown>" || m.hasPrefix(".") { continue }
            result[addr / 4] = String(m)
        }
        return result
    }

    static func run(_ exe: String, _ args: [String]) throws -> String {
        let r = try ProcessRunner.run(exe, args)
        guard r.status == 0 else { throw GuestToolError("\(exe) failed (status \(r.status)): \(r.stderrText)") }
        return r.stdoutText
    }

    /// The canonical name of a valid instruction `name` encoded as `w`.
    static func canonical(_ name: String, word w: UInt32) -> String {
        var n = name
        while n.hasSuffix("+") || n.hasSuffix("-") { n.removeLast() }
        let p = w >> 26, xo10 = (w >> 1) & 0x3FF, xo9 = (w >> 1) & 0x1FF
        let rc = w & 1 != 0 ? "." : ""
        let oe = w & 0x400 != 0 ? "o" : ""
        let lk = w & 1 != 0 ? "l" : "", aa = w & 2 != 0 ? "a" : ""
        switch p {
        case 2: return "tdi"
        case 3: return "twi"
        case 10: return "cmpli"
        case 11: return "cmpi"
        case 12: return "addic"
        case 13: return "addic."
        case 14: return "addi"
        case 15: return "addis"
        case 16: return "bc" + lk + aa
        case 18: return "b" + lk + aa
        case 20: return "rlwimi" + rc
        case 21: return "rlwinm" + rc
        case 23: return "rlwnm" + rc
        case 24: return "ori"
        case 26: return "xori"
        case 30:
            switch (w >> 2) & 7 {
            case 0: return "rldicl" + rc
            case 1: return "rldicr" + rc
            case 2: return "rldic" + rc
            case 3: return "rldimi" + rc
            default: break
            }
            if (w >> 1) & 15 == 8 { return "rldcl" + rc }
            if (w >> 1) & 15 == 9 { return "rldcr" + rc }
        case 19:
            switch xo10 {
            case 16: return "bclr" + lk
            case 528: return "bcctr" + lk
            case 560: return "bctar" + lk
            case 193: return "crxor"
            case 289: return "creqv"
            case 449: return "cror"
            case 33: return "crnor"
            default: break
            }
        case 31:
            if (w >> 1) & 31 == 15 { return "isel" }
            switch xo10 {
            case 0: return "cmp"
            case 32: return "cmpl"
            case 4: return "tw"
            case 68: return "td"
            case 444: return "or" + rc
            case 124: return "nor" + rc
            case 339, 371: return "mfspr"
            case 467: return "mtspr"
            case 144: return w & 0x0010_0000 != 0 ? "mtocrf" : "mtcrf"
            case 598: return "sync"
            case 278: return "dcbt"
            case 246: return "dcbtst"
            case 86: return "dcbf"
            case 62: return "wait"
            case 822: return "dss"
            case 342: return "dst"
            case 374: return "dstst"
            case 51: return "mfvsrd"
            case 115: return "mfvsrwz"
            case 179: return "mtvsrd"
            case 211: return "mtvsrwa"
            case 243: return "mtvsrwz"
            default: break
            }
            if xo9 == 40 { return "subf" + oe + rc }
            if xo9 == 8 { return "subfc" + oe + rc }
        case 4:
            if w & 0x7FF == 1156 { return "vor" }
            if w & 0x7FF == 1284 { return "vnor" }
        case 60:
            if (w >> 3) & 0x1F == 10 && w & 0x400 == 0 { return "xxpermdi" }
            if (w >> 3) & 0xFF == 146 { return "xxlor" }
            if (w >> 3) & 0xFF == 162 { return "xxlnor" }
        default: break
        }
        return n
    }
}
