// ElfImage: reads a 64-bit ELF executable through libelf (Debian libelf-dev) into plain Swift
// values: machine, entry, loadable segments, program-header location and the symbol table.
// It never trusts the file: every refusal is an ElfError whose text names the problem.
import CElf

/// The instruction set an image is built for.
public enum GuestISA: String, Sendable, CaseIterable {
    case mips64
    case ppc64

    public var elfMachine: UInt16 {
        switch self {
        case .mips64: return 8      // EM_MIPS
        case .ppc64: return 21      // EM_PPC64
        }
    }
}

public struct ElfSegment: Sendable {
    /// The program header's index: error messages name a segment by it ("segment 2").
    public var index: Int = 0
    public var vaddr: UInt64
    public var paddr: UInt64
    public var memSize: UInt64
    public var fileOffset: UInt64
    public var fileSize: UInt64
    public var readable: Bool
    public var writable: Bool
    public var executable: Bool
}

public struct ElfSymbol: Sendable {
    public var name: String
    public var value: UInt64
    public var size: UInt64
    public var isFunction: Bool
}

public struct ElfSection: Sendable {
    public var name: String
    public var address: UInt64
    public var fileOffset: UInt64
    public var size: UInt64
    public var isExecutable: Bool
    public var hasFileData: Bool
}

public struct ElfError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public struct ElfImage: Sendable {
    public var isa: GuestISA
    public var littleEndian: Bool
    /// ET_DYN without an interpreter: a static position-independent executable.
    public var isPositionIndependent: Bool
    public var entry: UInt64
    public var flags: UInt32
    public var segments: [ElfSegment]
    public var sections: [ElfSection]
    public var symbols: [ElfSymbol]
    public var programHeaderOffset: UInt64
    public var programHeaderEntrySize: UInt64
    public var programHeaderCount: UInt64
    /// The whole file, so segments and sections can be copied out of it.
    public var bytes: [UInt8]

    /// Parses `bytes` (the file's content). `expecting` restricts the machine when given.
    public init(bytes: [UInt8], expecting: GuestISA? = nil) throws(ElfError) {
        self.bytes = bytes
        if bytes.count < 4 || bytes[0] != 0x7f || bytes[1] != 0x45 || bytes[2] != 0x4c || bytes[3] != 0x46 {
            throw ElfError("not an ELF file")
        }
        if bytes.count < 16 { throw ElfError("truncated ELF file (\(bytes.count) bytes)") }
        if bytes[4] == 1 { throw ElfError("32-bit ELF file; k42sim runs 64-bit MIPS and PowerPC code only") }
        if bytes[4] != 2 { throw ElfError("unknown ELF class \(bytes[4])") }
        if bytes.count < 64 { throw ElfError("truncated ELF file (\(bytes.count) bytes, header needs 64)") }
        guard elf_version(UInt32(EV_CURRENT)) != UInt32(EV_NONE) else {
            throw ElfError("libelf initialisation failed")
        }
        var copy = bytes
        let parsed: Result<Parsed, ElfError> = copy.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress,
                  let elf = elf_memory(base.assumingMemoryBound(to: CChar.self), raw.count) else {
                return .failure(ElfError("libelf cannot open the file: \(ElfImage.libelfError())"))
            }
            defer { elf_end(elf) }
            return ElfImage.parse(elf, fileSize: UInt64(raw.count))
        }
        let p: Parsed
        switch parsed {
        case .success(let v): p = v
        case .failure(let e): throw e
        }
        guard let isa = GuestISA.allCases.first(where: { $0.elfMachine == p.machine }) else {
            throw ElfError("wrong architecture: ELF machine \(p.machine) (\(ElfImage.machineName(p.machine))); k42sim runs mips64 (8) and ppc64 (21)")
        }
        if let expecting, expecting != isa {
            throw ElfError("wrong architecture: \(isa.rawValue) image, expected \(expecting.rawValue)")
        }
        self.isa = isa
        littleEndian = p.littleEndian
        isPositionIndependent = p.type == 3
        entry = p.entry
        flags = p.flags
        segments = p.segments
        sections = p.sections
        symbols = p.symbols
        programHeaderOffset = p.phoff
        programHeaderEntrySize = p.phentsize
        programHeaderCount = p.phnum
        if p.type != 2 && p.type != 3 {
            throw ElfError("not an executable (ELF type \(p.type))")
        }
        if p.hasInterpreter || p.hasDynamic && p.type == 2 {
            throw ElfError("dynamically linked; build it with -static")
        }
        if segments.isEmpty { throw ElfError("no loadable segments") }
        if let (a, b) = ElfImage.firstOverlap(segments.map { ($0.index, $0.vaddr, $0.memSize) }) {
            throw ElfError("segments \(a.index) and \(b.index) overlap: \(a.range) and \(b.range)")
        }
    }

    /// A segment's address range as text: "[0x120000000, 0x12009281c)".
    public struct RangeDescription {
        public var index: Int
        public var range: String
    }

    /// Two of `ranges` (index, start, size; empty ones ignored) that share a byte, lower index
    /// first, or nil. O(n log n): in start order, a range overlaps an earlier one exactly when
    /// it starts below the furthest end seen so far.
    public static func firstOverlap(_ ranges: [(Int, UInt64, UInt64)]) -> (RangeDescription, RangeDescription)? {
        let sorted = ranges.filter { $0.2 > 0 }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        var furthest: (Int, UInt64, UInt64)?
        for r in sorted {
            if let f = furthest, r.1 < f.1 &+ f.2 {
                func text(_ x: (Int, UInt64, UInt64)) -> RangeDescription {
                    RangeDescription(index: x.0, range: "[0x\(hex(x.1)), 0x\(hex(x.1 &+ x.2)))")
                }
                return f.0 < r.0 ? (text(f), text(r)) : (text(r), text(f))
            }
            if furthest == nil || r.1 &+ r.2 > furthest!.1 &+ furthest!.2 { furthest = r }
        }
        return nil
    }

    /// Reads and parses a file from disk.
    public init(path: String, expecting: GuestISA? = nil) throws(ElfError) {
        let data: [UInt8]
        do { data = try HostFile.readAll(path: path) } catch { throw ElfError(error.reason) }
        try self.init(bytes: data, expecting: expecting)
    }

    /// The bytes of a segment's file part.
    public func fileBytes(of segment: ElfSegment) -> ArraySlice<UInt8> {
        let start = Int(segment.fileOffset)
        return bytes[start ..< start + Int(segment.fileSize)]
    }

    /// The symbol covering `address`, preferring functions.
    public func symbol(containing address: UInt64) -> ElfSymbol? {
        var best: ElfSymbol?
        for s in symbols where !s.name.isEmpty && s.value <= address && address - s.value < max(s.size, 1) {
            if best == nil || (s.isFunction && !(best!.isFunction)) { best = s }
        }
        return best
    }

    // MARK: - libelf walk

    private struct Parsed {
        var machine: UInt16 = 0
        var type: UInt16 = 0
        var entry: UInt64 = 0
        var flags: UInt32 = 0
        var littleEndian = true
        var phoff: UInt64 = 0
        var phentsize: UInt64 = 0
        var phnum: UInt64 = 0
        var segments: [ElfSegment] = []
        var sections: [ElfSection] = []
        var symbols: [ElfSymbol] = []
        var hasInterpreter = false
        var hasDynamic = false
    }

    private static func libelfError() -> String {
        if let m = elf_errmsg(-1) { return String(cString: m) }
        return "unknown libelf error"
    }

    private static func parse(_ elf: OpaquePointer, fileSize: UInt64) -> Result<Parsed, ElfError> {
        guard elf_kind(elf) == ELF_K_ELF else { return .failure(ElfError("not an ELF file")) }
        var ehdr = GElf_Ehdr()
        guard gelf_getehdr(elf, &ehdr) != nil else {
            return .failure(ElfError("truncated or corrupt ELF header: \(libelfError())"))
        }
        var p = Parsed()
        p.machine = ehdr.e_machine
        p.type = ehdr.e_type
        p.entry = ehdr.e_entry
        p.flags = ehdr.e_flags
        p.littleEndian = ehdr.e_ident.5 == 1
        p.phoff = ehdr.e_phoff
        p.phentsize = UInt64(ehdr.e_phentsize)
        // libelf silently shortens the program header table to what fits in a truncated file
        // (to nothing when the file ends inside it), so check the header's own count first;
        // 0xffff (PN_XNUM) means the real count is in section 0 and libelf must read it.
        let declared = UInt64(ehdr.e_phnum)
        if declared != 0xffff && declared > 0 && (p.phoff > fileSize || p.phoff + declared * p.phentsize > fileSize) {
            return .failure(ElfError("truncated ELF file: program headers end past the file's \(fileSize) bytes"))
        }
        var phnum = 0
        guard elf_getphdrnum(elf, &phnum) == 0 else {
            return .failure(ElfError("corrupt program headers: \(libelfError())"))
        }
        p.phnum = UInt64(phnum)
        if phnum > 0 && p.phentsize != 56 {
            return .failure(ElfError("corrupt program headers: entry size \(p.phentsize), ELF64 needs 56"))
        }
        if phnum > 0 && (p.phoff > fileSize || p.phoff + UInt64(phnum) * p.phentsize > fileSize) {
            return .failure(ElfError("truncated ELF file: program headers end past the file's \(fileSize) bytes"))
        }
        for i in 0 ..< phnum {
            var ph = GElf_Phdr()
            guard gelf_getphdr(elf, Int32(i), &ph) != nil else {
                return .failure(ElfError("corrupt program header \(i): \(libelfError())"))
            }
            switch ph.p_type {
            case UInt32(PT_LOAD):
                if ph.p_filesz > ph.p_memsz {
                    return .failure(ElfError("corrupt segment \(i): file size exceeds memory size"))
                }
                let (end, overflow) = ph.p_offset.addingReportingOverflow(ph.p_filesz)
                if overflow || end > fileSize {
                    return .failure(ElfError("truncated ELF file: segment \(i) ends at byte \(end), file has \(fileSize)"))
                }
                if ph.p_vaddr.addingReportingOverflow(ph.p_memsz).overflow {
                    return .failure(ElfError("corrupt segment \(i): address range wraps"))
                }
                p.segments.append(ElfSegment(
                    index: i, vaddr: ph.p_vaddr, paddr: ph.p_paddr, memSize: ph.p_memsz,
                    fileOffset: ph.p_offset, fileSize: ph.p_filesz,
                    readable: ph.p_flags & UInt32(PF_R) != 0,
                    writable: ph.p_flags & UInt32(PF_W) != 0,
                    executable: ph.p_flags & UInt32(PF_X) != 0))
            case UInt32(PT_INTERP):
                p.hasInterpreter = true
            case UInt32(PT_DYNAMIC):
                p.hasDynamic = true
            default:
                break
            }
        }
        var shstrndx = 0
        if elf_getshdrstrndx(elf, &shstrndx) != 0 { shstrndx = 0 }
        var scn = elf_nextscn(elf, nil)
        while let s = scn {
            var sh = GElf_Shdr()
            if gelf_getshdr(s, &sh) != nil {
                let name = elf_strptr(elf, shstrndx, Int(sh.sh_name)).map { String(cString: $0) } ?? ""
                let hasData = sh.sh_type != UInt32(SHT_NOBITS)
                let (sectionEnd, wraps) = sh.sh_offset.addingReportingOverflow(sh.sh_size)
                if hasData && (wraps || sectionEnd > fileSize) && sh.sh_type != UInt32(SHT_NULL) {
                    return .failure(ElfError("truncated ELF file: section \(name) ends past the file's \(fileSize) bytes"))
                }
                p.sections.append(ElfSection(
                    name: name, address: sh.sh_addr, fileOffset: sh.sh_offset, size: sh.sh_size,
                    isExecutable: sh.sh_flags & UInt64(SHF_EXECINSTR) != 0, hasFileData: hasData))
                if sh.sh_type == UInt32(SHT_SYMTAB), let data = elf_getdata(s, nil) {
                    let count = sh.sh_entsize > 0 ? Int(sh.sh_size / sh.sh_entsize) : 0
                    for k in 0 ..< count {
                        var sym = GElf_Sym()
                        guard gelf_getsym(data, Int32(k), &sym) != nil else { break }
                        let type = Int32(sym.st_info & 0xf)
                        guard type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE else { continue }
                        guard sym.st_shndx != 0, let cname = elf_strptr(elf, Int(sh.sh_link), Int(sym.st_name)) else { continue }
                        let n = String(cString: cname)
                        // Skip empty names and ARM/AArch64-style mapping symbols ($a, $d, $x, $d.1),
                        // keep Swift's mangled names ($s...).
                        if n.isEmpty || (n.hasPrefix("$") && (n.count == 2 || n.dropFirst(2).hasPrefix("."))) { continue }
                        p.symbols.append(ElfSymbol(name: n, value: sym.st_value, size: sym.st_size, isFunction: type == STT_FUNC))
                    }
                }
            }
            scn = elf_nextscn(elf, s)
        }
        p.symbols.sort { $0.value < $1.value }
        return .success(p)
    }

    private static func machineName(_ m: UInt16) -> String {
        switch m {
        case 3: return "x86"
        case 62: return "x86-64"
        case 40: return "ARM"
        case 183: return "AArch64"
        case 243: return "RISC-V"
        case 20: return "PowerPC 32-bit"
        default: return "unsupported"
        }
    }
}
