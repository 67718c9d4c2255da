// LinuxProcess+Image: maps an ELF image's PT_LOAD segments (static-PIE at a fixed bias), sets
// up brk after the highest segment, maps the 8 MiB stack and lays out argc/argv/envp/auxv and
// the strings above them exactly as Linux's create_elf_tables does.

extension LinuxProcess {
    // auxv keys (same on both ABIs)
    static let AT_NULL: UInt64 = 0, AT_PHDR: UInt64 = 3, AT_PHENT: UInt64 = 4, AT_PHNUM: UInt64 = 5
    static let AT_PAGESZ: UInt64 = 6, AT_BASE: UInt64 = 7, AT_FLAGS: UInt64 = 8, AT_ENTRY: UInt64 = 9
    static let AT_UID: UInt64 = 11, AT_EUID: UInt64 = 12, AT_GID: UInt64 = 13, AT_EGID: UInt64 = 14
    static let AT_PLATFORM: UInt64 = 15, AT_HWCAP: UInt64 = 16, AT_CLKTCK: UInt64 = 17
    static let AT_SECURE: UInt64 = 23, AT_BASE_PLATFORM: UInt64 = 24, AT_RANDOM: UInt64 = 25
    static let AT_HWCAP2: UInt64 = 26, AT_EXECFN: UInt64 = 31
    static let AT_DCACHEBSIZE: UInt64 = 19, AT_ICACHEBSIZE: UInt64 = 20, AT_UCACHEBSIZE: UInt64 = 21

    /// Maps the PT_LOAD segments (demand-zero pages: the cost is in the number of segments and
    /// the file bytes copied, not in the sizes the headers claim) after checking each against the
    /// user address space and the guest memory. ElfImage already refused overlapping segments
    /// and a file size above the memory size.
    func loadImage(_ image: ElfImage) throws(ElfError) {
        loadBias = image.isPositionIndependent ? LinuxABI.staticPIEBase : 0
        let top = abi.stackTop - LinuxABI.stackSize - LinuxABI.stackGuard
        let memory = UInt64(physical.maxFrames) << guestPageShift
        var pagesNeeded: UInt64 = 0
        var highest: UInt64 = 0
        // Interior pages belong to one segment; a first or last page may be shared with a
        // neighbour, so it gets the union of their permissions (and both contents).
        var interiors: [(UInt64, UInt64, PagePermissions)] = []
        var edgePages: [UInt64: PagePermissions] = [:]
        for s in image.segments where s.memSize > 0 {
            let (start, o1) = s.vaddr.addingReportingOverflow(loadBias)
            let (end, o2) = start.addingReportingOverflow(s.memSize)
            if o1 || o2 || end > top {
                throw ElfError("segment \(s.index) at \(hex0x(s.vaddr)) (\(s.memSize) bytes) lies outside the \(abi) user address space (it ends at \(hex0x(top)))")
            }
            let firstPage = start >> guestPageShift, lastPage = (end - 1) >> guestPageShift
            pagesNeeded += lastPage - firstPage + 1
            if pagesNeeded << guestPageShift > memory {
                throw ElfError("segment \(s.index) at \(hex0x(s.vaddr)) (\(s.memSize) bytes) does not fit in the guest memory (\(memory >> 20) MiB for all segments)")
            }
            var perms: PagePermissions = []
            if s.readable { perms.insert(.read) }
            if s.writable { perms.formUnion([.read, .write]) }
            if s.executable { perms.insert(.execute) }
            edgePages[firstPage, default: []].formUnion(perms)
            edgePages[lastPage, default: []].formUnion(perms)
            if lastPage > firstPage + 1 { interiors.append((firstPage + 1, lastPage, perms)) }
            highest = max(highest, end)
        }
        var ranges = interiors
        for (page, perms) in edgePages { ranges.append((page, page + 1, perms)) }
        for (first, end, perms) in ranges.sorted(by: { $0.0 < $1.0 }) {
            guard addressSpace.map(first << guestPageShift, length: (end - first) << guestPageShift,
                                   permissions: perms, lazy: true) else {
                throw ElfError("too many segments: the address space holds at most \(ProcessAddressSpace.maxRegions) regions")
            }
        }
        for s in image.segments where s.fileSize > 0 {
            guard copyIntoPages(s.vaddr &+ loadBias, image.fileBytes(of: s)) else {
                throw ElfError("out of guest memory loading segment \(s.index)")
            }
        }
        let brk = (highest &+ guestPageMask) & ~guestPageMask
        addressSpace.brkStart = brk
        addressSpace.brkCurrent = brk
        entryPoint = image.entry &+ loadBias
    }

    /// Writes bytes into mapped pages regardless of their permissions (loader, file mmap).
    func copyIntoPages<C: Collection>(_ va: UInt64, _ bytes: C) -> Bool where C.Element == UInt8 {
        if let ok = bytes.withContiguousStorageIfAvailable({ copyIntoPages(va, $0) }) { return ok }
        var a = va
        var i = bytes.startIndex
        while i != bytes.endIndex {
            guard case .success(let t) = addressSpace.translate(a, access: .write) else { return false }
            let host = physical.host(frame: t.frame).assumingMemoryBound(to: UInt8.self)
            if physical.hasCode(frame: t.frame) { physical.invalidateCode(frame: t.frame) }
            var off = Int(a & guestPageMask)
            while off < Int(guestPageSize) && i != bytes.endIndex {
                host[off] = bytes[i]
                off += 1
                i = bytes.index(after: i)
                a &+= 1
            }
        }
        return true
    }

    /// The contiguous case: one memcpy per page.
    func copyIntoPages(_ va: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var a = va
        var i = 0
        while i < bytes.count {
            guard case .success(let t) = addressSpace.translate(a, access: .write) else { return false }
            if physical.hasCode(frame: t.frame) { physical.invalidateCode(frame: t.frame) }
            let off = Int(a & guestPageMask)
            let n = min(Int(guestPageSize) - off, bytes.count - i)
            (physical.host(frame: t.frame) + off).copyMemory(from: bytes.baseAddress! + i, byteCount: n)
            i += n
            a &+= UInt64(n)
        }
        return true
    }

    func buildInitialStack(_ image: ElfImage) throws(ElfError) {
        let top = abi.stackTop
        let bottom = top - LinuxABI.stackSize
        guard addressSpace.map(bottom, length: LinuxABI.stackSize, permissions: [.read, .write], lazy: true) else {
            throw ElfError("out of guest memory for the stack")
        }
        let big = mmu.bigEndian
        func cstr(_ s: String) -> [UInt8] { Array(s.utf8) + [0] }
        let argStrings = options.arguments.map(cstr)
        let envStrings = options.environment.map(cstr)
        let stringBytes = (argStrings + envStrings).reduce(0) { $0 + $1.count } + options.programPath.utf8.count + 1
        if stringBytes > Int(LinuxABI.stackSize / 4) {
            throw ElfError("arguments and environment too long (\(stringBytes) bytes; limit \(LinuxABI.stackSize / 4))")
        }
        var sp = top - 8                                      // end marker: a NULL word (fresh page)
        func place(_ bytes: [UInt8]) throws(ElfError) -> UInt64 {
            sp -= UInt64(bytes.count)
            guard mmu.writeBytes(sp, bytes) else { throw ElfError("cannot write the initial stack") }
            return sp
        }
        let execfn = try place(cstr(options.programPath))
        // argv[0] lowest, then argv[1...], then envp[...], ending just below execfn.
        var envPtrs: [UInt64] = []
        for s in envStrings.reversed() { envPtrs.append(try place(s)) }
        envPtrs.reverse()
        var argPtrs: [UInt64] = []
        for s in argStrings.reversed() { argPtrs.append(try place(s)) }
        argPtrs.reverse()
        sp &= ~15                                             // arch_align_stack
        let platform = try place(cstr(abi.platform))
        var basePlatform: UInt64?
        if let b = abi.basePlatform { basePlatform = try place(cstr(b)) }
        var seeded = DeterministicRandom(seed: options.seed)
        let randomBytes = try place(seeded.bytes(16))

        let phdr = programHeaderAddress(image)
        var aux: [(key: UInt64, value: UInt64)] = []
        if abi == .ppc64le {
            aux += [(Self.AT_DCACHEBSIZE, 128), (Self.AT_ICACHEBSIZE, 128), (Self.AT_UCACHEBSIZE, 0)]
        }
        aux += [
            (Self.AT_HWCAP, abi.hwcap), (Self.AT_PAGESZ, guestPageSize), (Self.AT_CLKTCK, 100),
            (Self.AT_PHDR, phdr), (Self.AT_PHENT, image.programHeaderEntrySize),
            (Self.AT_PHNUM, image.programHeaderCount), (Self.AT_BASE, 0), (Self.AT_FLAGS, 0),
            (Self.AT_ENTRY, entryPoint), (Self.AT_UID, Self.uid), (Self.AT_EUID, Self.uid),
            (Self.AT_GID, Self.gid), (Self.AT_EGID, Self.gid), (Self.AT_SECURE, 0),
            (Self.AT_RANDOM, randomBytes),
        ]
        if let h2 = abi.hwcap2 { aux.append((Self.AT_HWCAP2, h2)) }
        aux.append((Self.AT_EXECFN, execfn))
        aux.append((Self.AT_PLATFORM, platform))
        if let b = basePlatform { aux.append((Self.AT_BASE_PLATFORM, b)) }
        auxv = aux
        aux.append((Self.AT_NULL, 0))

        var words: [UInt64] = [UInt64(argPtrs.count)]
        words += argPtrs + [0] + envPtrs + [0]
        for (k, v) in aux { words += [k, v] }
        sp = (sp - UInt64(words.count * 8)) & ~15
        var block = GuestStruct(size: words.count * 8, bigEndian: big)
        for (i, w) in words.enumerated() { block.put64(i * 8, w) }
        guard mmu.writeBytes(sp, block.bytes) else { throw ElfError("cannot write the initial stack") }
        initialStackPointer = sp
    }

    /// Address of the program headers in memory: inside the PT_LOAD that maps file offset e_phoff.
    func programHeaderAddress(_ image: ElfImage) -> UInt64 {
        let off = image.programHeaderOffset
        for s in image.segments where s.fileOffset <= off && off < s.fileOffset &+ s.fileSize {
            return s.vaddr &+ (off - s.fileOffset) &+ loadBias
        }
        return 0
    }
}
