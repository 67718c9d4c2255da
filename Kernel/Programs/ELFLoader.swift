// ELFLoader: makes a process's address space from a static ELF64 little-endian executable of
// this ISA (a K42 user program from the initial RAM image): every PT_LOAD segment becomes an
// anonymous region over its page range with the segment's rights (W: writable, X: executable;
// every region is readable), its file bytes copied in through the kernel's view of the pages,
// the rest left zero (bss); then a stack region below `stackTop`. Anything malformed — wrong
// magic, class, byte order, type or machine, a segment outside the file or the user range,
// overlapping segments, an entry outside every executable segment — is `.notExecutable`.

enum ELFLoader {
    enum Outcome: Equatable { case entry(UInt64), notExecutable, noMemory }

    static let stackTop: UInt64 = 0x8000_0000
    static let stackSize: UInt64 = 128 << 10
    static let maxSegments = 16

    /// Loads `file` into `process`; returns the entry point.
    static func load(_ file: UnsafeRawBufferPointer, into process: Process) -> Outcome {
        func u16(_ o: Int) -> UInt16 { file.loadUnaligned(fromByteOffset: o, as: UInt16.self) }
        func u32(_ o: Int) -> UInt32 { file.loadUnaligned(fromByteOffset: o, as: UInt32.self) }
        func u64(_ o: Int) -> UInt64 { file.loadUnaligned(fromByteOffset: o, as: UInt64.self) }
        guard looksExecutable(file) else { return .notExecutable }
        let entry = u64(24), phoff = u64(32), phentsize = Int(u16(54)), phnum = Int(u16(56))
        guard phentsize >= 56, phnum > 0, phnum <= maxSegments, phoff <= UInt64(file.count),
              UInt64(phentsize * phnum) <= UInt64(file.count) - phoff else { return .notExecutable }
        var entryOK = false
        for i in 0 ..< phnum {
            let h = Int(phoff) + i * phentsize
            guard u32(h) == 1 else { continue }                           // PT_LOAD
            let flags = u32(h + 4), offset = u64(h + 8), va = u64(h + 16), fileSize = u64(h + 32), memSize = u64(h + 40)
            guard memSize > 0 else { continue }
            guard fileSize <= memSize, offset <= UInt64(file.count), fileSize <= UInt64(file.count) - offset,
                  va >= Arch.userBase, va < Arch.userTop, memSize <= Arch.userTop - va else { return .notExecutable }
            let base = va & ~0xFFF, end = (va + memSize + 0xFFF) & ~0xFFF
            switch process.mapAnonymous(base: base, size: end - base, writable: flags & 2 != 0, executable: flags & 1 != 0) {
            case nil: break
            case .noMemory: return .noMemory
            case .invalid, .overlap: return .notExecutable
            }
            if flags & 1 != 0 && entry >= va && entry < va + memSize { entryOK = true }
            var done: UInt64 = 0
            while done < fileSize {
                let at = va + done
                guard let page = process.kernelPage(at: at) else { return .noMemory }
                let n = min(fileSize - done, 4096 - (at & 0xFFF))
                (page + Int(at & 0xFFF)).copyMemory(from: file.baseAddress! + Int(offset + done), byteCount: Int(n))
                done += n
            }
        }
        guard entryOK else { return .notExecutable }
        switch process.mapAnonymous(base: stackTop - stackSize, size: stackSize, writable: true, executable: false) {
        case nil: return .entry(entry)
        case .noMemory: return .noMemory
        case .invalid, .overlap: return .notExecutable          // a segment sits where the stack goes
        }
    }
}

extension ELFLoader {
    /// The header checks `load` starts with: an ELF64 little-endian executable of this ISA.
    static func looksExecutable(_ file: UnsafeRawBufferPointer) -> Bool {
        file.count >= 64 && file[0] == 0x7F && file[1] == 0x45 && file[2] == 0x4C && file[3] == 0x46
            && file[4] == 2 && file[5] == 1 && file.loadUnaligned(fromByteOffset: 16, as: UInt16.self) == 2
            && file.loadUnaligned(fromByteOffset: 18, as: UInt16.self) == Arch.elfMachine
    }
}
