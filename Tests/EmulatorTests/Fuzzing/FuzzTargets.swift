// FuzzTargets: the bodies of k42sim's coverage-guided fuzz targets, one function per input
// boundary. scripts/fuzz compiles this file with Fuzz/FuzzMain.swift (the libFuzzer entry point)
// against an instrumented Emulator (swiftc -sanitize=fuzzer,address); FuzzCorpusTests runs the
// committed seed corpora and crash regressions through the same functions in the normal test
// build. A target must return for every input — a Swift trap, a sanitizer report or a hang is
// the finding. Nothing here may touch the host beyond reading files (no --allow-writes).
#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import Emulator
import Traces

public enum FuzzTargets {
    /// Target names (scripts/fuzz TARGET; Fuzz/Corpus/TARGET; Tests/FuzzRegressions/TARGET).
    public static let names = ["elf", "mips64", "ppc64", "description", "syscalls", "traces"]

    /// Runs one input through a target; false for an unknown name.
    @discardableResult
    public static func run(_ target: String, _ data: [UInt8]) -> Bool {
        switch target {
        case "elf": elf(data)
        case "mips64": mips64(data)
        case "ppc64": ppc64(data)
        case "description": description(data)
        case "syscalls": syscalls(data)
        case "traces": traces(data)
        default: return false
        }
        return true
    }

    // MARK: - elf: ELF parsing, SE loading and full-system loading, both ISAs

    /// The input is an ELF file. Parsed by ElfImage; when accepted, loaded as `k42sim run` would
    /// (process image, initial stack) and run 300 instructions, then loaded as `k42sim boot`
    /// would on a 2-CPU, 4 MiB machine and run 300 cycles.
    static func elf(_ data: [UInt8]) {
        guard let image = try? ElfImage(bytes: data) else { return }
        _ = image.symbol(containing: image.entry)
        var options = LinuxSEOptions(programPath: "/nonexistent/fuzz-program", arguments: ["program", "arg"],
                                     environment: ["HOME=/nowhere"], seed: 1)
        options.guestMemory = 16 << 20
        if let m = try? SyscallEmulation.makeMachine(image: image, options: options) {
            _ = m.run(maxInstructions: 300)
        }
        var config = MachineConfig(isa: image.isa, cpus: 2, nodes: 1)
        config.memoryPerNode = 4 << 20
        if let m = try? Machine(config: config, image: image, makeCPU: SystemCPUFactory.make) {
            m.devices.captureConsole = true
            _ = m.run(maxCycles: 300)
        }
    }

    // MARK: - mips64 / ppc64: decoder + a few instructions on a scratch machine

    /// Input: mode byte (bit 0: privileged), budget byte, 8-byte register seed, then
    /// little-endian instruction words (at most 256).
    struct CodeInput {
        var privileged: Bool
        var budget: UInt64
        var registers: [UInt64]
        var words: [UInt32]
        var bytes: [UInt8]

        init?(_ data: [UInt8]) {
            guard data.count >= 14 else { return nil }
            privileged = data[0] & 1 != 0
            budget = UInt64(data[1] % 64) + 1
            var seedReader = FuzzReader(Array(data[2 ..< 10]))
            var seed = seedReader.u64()
            func next() -> UInt64 {
                seed &+= 0x9E37_79B9_7F4A_7C15
                var z = seed
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
            // Half the registers point into the data page so loads and stores reach memory.
            registers = (0 ..< 32).map { _ in next() & 1 == 0 ? FuzzTargets.dataBase + (next() & 0x3ff8) : next() }
            var r = FuzzReader(Array(data[10...].prefix(4 * 256)))
            words = []
            while r.remaining >= 4 { words.append(r.u32()) }
            bytes = []
            for w in words { withUnsafeBytes(of: w.littleEndian) { bytes.append(contentsOf: $0) } }
        }
    }

    static let codeBase: UInt64 = 0x10000
    static let dataBase: UInt64 = 0x40000

    /// A user-mode address space: code (RWX) at 0x10000 with `bytes`, data (RW) at 0x40000.
    /// (The SoftMMU does not own its translator: the caller keeps the address space alive.)
    static func userSpace(userLimit: UInt64, bytes: [UInt8], listener: CodeInvalidationListener) -> (SoftMMU, ProcessAddressSpace) {
        let physical = PhysicalMemory(maxBytes: 1 << 20)
        let space = ProcessAddressSpace(physical: physical, mmapTop: 0x1000_0000, userLimit: userLimit)
        let mmu = SoftMMU(physical: physical, translator: space)
        physical.addListener(listener)
        space.map(codeBase, length: 0x4000, permissions: [.read, .write, .execute])
        space.map(dataBase, length: 0x4000, permissions: [.read, .write])
        _ = mmu.writeBytes(codeBase, bytes)
        space.onUnmapPage = { [unowned mmu] va in mmu.flush(page: va) }
        return (mmu, space)
    }

    /// 1 MiB of RAM whose first 16 KiB (exception vectors, entry) repeat `bytes`, with the
    /// platform devices (console captured).
    static func systemRAM(isa: Emulator.GuestISA, bytes: [UInt8], listener: CodeInvalidationListener)
        -> (PhysicalMemory, PhysicalAddressMap, PlatformDevices, MachineSignals) {
        let ram = PhysicalMemory(maxBytes: 1 << 20)
        for _ in 0 ..< 256 { _ = ram.allocateFrame() }
        ram.addListener(listener)
        if !bytes.isEmpty {
            let host = ram.host(frame: 0).assumingMemoryBound(to: UInt8.self)
            for i in 0 ..< 0x4000 { host[i] = bytes[i % bytes.count] }
        }
        var config = MachineConfig(isa: isa, cpus: 1, nodes: 1)
        config.memoryPerNode = 1 << 20
        let signals = MachineSignals()
        let devices = PlatformDevices(config: config, signals: signals)
        devices.captureConsole = true
        return (ram, PhysicalAddressMap(ramBytes: 1 << 20), devices, signals)
    }

    static func mips64(_ data: [UInt8]) {
        guard let input = CodeInput(data) else { return }
        for w in input.words { _ = MIPS64Decoder.decode(w) }
        let cache = DecodedPageCache<MIPS64Op>()
        if input.privileged {
            let (ram, map, devices, signals) = systemRAM(isa: .mips64, bytes: input.bytes, listener: cache)
            let cpu = MIPS64SystemCPU(index: 0, ram: ram, map: map, devices: devices, codeCache: cache,
                                      reservations: ReservationMonitor(physical: ram, cpus: 1), signals: signals)
            cpu.core.pc = 0xFFFF_FFFF_8000_1000
            for r in 1 ..< 32 { cpu.core.gpr[r] = input.registers[r] }
            _ = cpu.run(until: input.budget * 8)
            return
        }
        let (mmu, space) = userSpace(userLimit: 1 << 40, bytes: input.bytes, listener: cache)
        defer { withExtendedLifetime(space) {} }
        let cpu = MIPS64CPU(mmu: mmu, codeCache: cache)
        cpu.pc = codeBase
        for r in 1 ..< 32 { cpu.gpr[r] = input.registers[r] }
        let end = codeBase + UInt64(input.bytes.count)
        for _ in 0 ..< 8 {
            let e = cpu.run(budget: input.budget)
            cache.collectRetired()
            switch e {
            case .budget, .resync, .none: continue
            case .syscall, .breakpoint, .trap, .reservedInstruction, .coprocessorUnusable, .overflow, .fpException:
                cpu.pc = cpu.resumeAfterException                 // skip it, as a handler would
            case .memoryFault:
                let next = cpu.exceptionPC &+ 4
                cpu.pc = next >= codeBase && next < end ? next : codeBase
            }
        }
    }

    static func ppc64(_ data: [UInt8]) {
        guard let input = CodeInput(data) else { return }
        for (i, w) in input.words.enumerated() { _ = PPC64Decoder.decode(w, offset: (i * 4) & 0xffc) }
        let cache = DecodedPageCache<PPC64Op>()
        if input.privileged {
            let (ram, map, devices, signals) = systemRAM(isa: .ppc64, bytes: input.bytes, listener: cache)
            let cpu = PPC64SystemCPU(index: 0, ram: ram, map: map, devices: devices, machineState: PPC64MachineState(codeCache: cache),
                                     reservations: ReservationMonitor(physical: ram, cpus: 1), signals: signals)
            cpu.core.pc = 0x1000
            for r in 1 ..< 32 { cpu.core.registers[gpr: r] = input.registers[r] }
            _ = cpu.run(until: input.budget * 8)
            return
        }
        let (mmu, space) = userSpace(userLimit: 1 << 46, bytes: input.bytes, listener: cache)
        defer { withExtendedLifetime(space) {} }
        let cpu = PPC64CPU(mmu: mmu, codeCache: cache)
        cpu.pc = codeBase
        for r in 1 ..< 32 { cpu.registers[gpr: r] = input.registers[r] }
        let end = codeBase + UInt64(input.bytes.count)
        for _ in 0 ..< 8 {
            let pc = cpu.pc
            let e = cpu.run(budget: input.budget)
            cache.collectRetired()
            if e == .budgetExhausted || e == .codeModified { continue }
            // Resume after the instruction that stopped (within the code, else restart).
            let at = cpu.pc == pc ? pc &+ 4 : cpu.pc &+ 4
            cpu.pc = at >= codeBase && at < end ? at & ~3 : codeBase
        }
    }

    // MARK: - description: machine description JSON and --set overrides

    /// Input: text. Line 1 is a preset name, or the lines up to one reading `%%` are a JSON
    /// description; every further non-empty line is a `--set` override (path=value). A
    /// description that validates must survive the JSON round trip unchanged, give a valid
    /// MachineConfig and, when small enough to build quickly, a memory hierarchy that runs a
    /// 2-instruction loop for 300 cycles.
    static func description(_ data: [UInt8]) {
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let base: MachineDescription
        if let first = lines.first, let p = MachineDescription.preset(first) {
            base = p
            lines.removeFirst()
        } else {
            let json = lines.prefix { $0 != "%%" }
            lines.removeFirst(min(lines.count, json.count + 1))
            guard let d = try? MachineDescription.decode(Data(json.joined(separator: "\n").utf8), origin: "fuzz") else { return }
            base = d
        }
        guard let d = try? base.applying(lines.filter { !$0.isEmpty }) else { return }
        guard (try? d.validate()) != nil else { return }
        guard let again = try? MachineDescription.decode(d.jsonData(), origin: "round trip"), again == d else {
            fatalError("a valid description does not survive its JSON round trip")
        }
        let config = d.machineConfig
        if let e = config.validationError() { fatalError("a valid description gives an invalid machine: \(e)") }
        let c = d.caches
        let cacheLines = d.cpus * (c.l1i.lines + c.l1d.lines + c.l2.lines) + d.nodes * (c.l3?.lines ?? 0)
        guard cacheLines <= 1 << 18, config.totalMemory <= 64 << 20,
              let hierarchy = try? MemoryHierarchy(d, valueTracking: true) else { return }
        hierarchy.checking = true
        guard let image = try? ElfImage(bytes: loopImage(isa: config.isa)),
              let m = try? Machine(config: config, image: image, hierarchy: hierarchy, makeCPU: SystemCPUFactory.make) else { return }
        m.devices.captureConsole = true
        _ = m.run(maxCycles: 300)
        if let problem = (hierarchy.violations + hierarchy.verifyAll()).first {
            fatalError("coherence invariant violated: \(problem)")
        }
    }

    /// A bare-metal image at physical 0x100000 (MIPS kseg0 / PPC real mode): load, store, loop.
    static func loopImage(isa: Emulator.GuestISA) -> [UInt8] {
        let words: [UInt32]
        switch isa {
        case .mips64:   // lui t0,0x8010; lw t1,0x800(t0); sw t1,0x840(t0); b .-8; nop
            words = [0x3c08_8010, 0x8d09_0800, 0xad09_0840, 0x1000_fffd, 0]
        case .ppc64:    // lis r8,0x10; lwz r9,0x800(r8); stw r9,0x840(r8); b .-8
            words = [0x3d00_0010, 0x8128_0800, 0x9128_0840, 0x4bff_fff8]
        }
        let vaddr: UInt64 = isa == .mips64 ? 0xFFFF_FFFF_8010_0000 : 0x10_0000
        return FuzzImages.elf(machine: isa.elfMachine, entry: vaddr,
                              segments: [.init(vaddr: vaddr, paddr: 0x10_0000, code: words, memSize: 0x1000, flags: 7)])
    }

    // MARK: - syscalls: random system calls against a live process

    static let syscallNames = """
    exit_group set_tid_address set_robust_list rseq getpid gettid getppid getuid getresuid uname
    prlimit64 getrlimit setrlimit getrandom sched_getaffinity sched_yield getcpu futex membarrier
    umask getrusage clock_gettime clock_getres gettimeofday time times nanosleep clock_nanosleep
    rt_sigaction rt_sigprocmask sigaltstack kill tgkill tkill brk mmap munmap mprotect mremap
    madvise mlock read write pread64 pwrite64 readv writev open openat close lseek fstat stat lstat
    newfstatat statx readlink readlinkat access faccessat faccessat2 getcwd dup dup2 dup3 fcntl
    ioctl pipe2 pipe fsync ftruncate unlinkat unlink mkdirat mkdir set_thread_area
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    static let paths = ["/dev/urandom", "/proc/self/exe", "/dev/null", "/etc/passwd", ".", "/", "/tmp",
                        "/nonexistent", "/proc/cpuinfo", "/etc", "//dev//random/", "", "/dev/zero", "k42sim-fuzz-new"]

    static let images: [Emulator.GuestISA: ElfImage] = {
        var out: [Emulator.GuestISA: ElfImage] = [:]
        for isa in Emulator.GuestISA.allCases {
            let text: UInt64 = isa == .mips64 ? 0x1_2000_0000 : 0x1000_0000
            let bytes = FuzzImages.elf(machine: isa.elfMachine, entry: text, segments: [
                .init(vaddr: text, paddr: text, code: [UInt32](repeating: 0, count: 64), memSize: 0x1000, flags: 5),
                .init(vaddr: text + 0x10000, paddr: text + 0x10000, code: [1, 2, 3, 4], memSize: 0x10000, flags: 6),
            ], flags: isa == .ppc64 ? 2 : 0)
            out[isa] = try? ElfImage(bytes: bytes)
        }
        return out
    }()

    /// Input: ABI byte (bit 0: ppc64le), then records: 0xFF + offset + 32 bytes written to the
    /// scratch page; 0xFE + n: path n (NUL-terminated) written at the scratch page's start;
    /// otherwise a call: 0x00-0xEF picks an implemented system call, 0xF0-0xFD takes a raw
    /// 16-bit number, then six argument bytes, each an index into interesting values (pointers
    /// into the stack, a mapping, the scratch page, fds, sizes, -1, ...) or, from 0xE0, eight
    /// raw bytes that follow. At most 64 calls; the guest's 0/1/2 are closed first.
    static func syscalls(_ data: [UInt8]) {
        var input = FuzzReader(data)
        let isa: Emulator.GuestISA = input.byte() & 1 == 0 ? .mips64 : .ppc64
        guard let image = images[isa] else { fatalError("the fuzz image does not load") }
        var options = LinuxSEOptions(programPath: "/nonexistent/fuzz-program", arguments: ["program"],
                                     environment: ["HOME=/nowhere"], seed: 7)
        options.guestMemory = 16 << 20
        guard let p = try? LinuxProcess(image: image, options: options) else { fatalError("the fuzz image does not load") }
        let abi = p.abi
        func call(_ n: UInt64, _ a: [UInt64]) -> SyscallOutcome {
            p.syscall(number: n, args: (a[0], a[1], a[2], a[3], a[4], a[5]), pc: 0x1000)
        }
        let close = abi.syscallNumber("close")!
        for fd: UInt64 in 0 ... 2 { _ = call(close, [fd, 0, 0, 0, 0, 0]) }
        let anon: UInt64 = abi == .mips64n64 ? 0x802 : 0x22
        guard case .returned(let r) = call(abi.syscallNumber("mmap")!, [0, 1 << 16, 3, anon, UInt64.max, 0]), r > 0 else {
            fatalError("mmap of the fuzz region failed")
        }
        let region = UInt64(r)
        let scratch = (p.initialStackPointer - 0x10000) & ~0xfff
        let numbers = syscallNames.compactMap { abi.syscallNumber($0) }
        let values: [UInt64] = [0, 1, 2, 3, 4, 5, 6, 8, 9, 15, 16, 24, 64, 128, 4096, 0x10000, UInt64.max,
                                UInt64(bitPattern: -100), UInt64(bitPattern: -4096), 0x7fff_ffff, 1 << 63, 1 << 40,
                                1 << 46, scratch, scratch + 7, scratch + 64, scratch + 256, region, region + 4090,
                                region + 0x8000, p.entryPoint, abi.userLimit - 4096, p.initialStackPointer,
                                UInt64(LinuxProcess.pid), p.addressSpace.brkStart, p.addressSpace.brkStart + (1 << 20),
                                0x802, 0x22, 0x12, 0x32, 0o100, 0x100, 0o2000000, 0x80000, 0x1000]
        var calls = 0
        while !input.isAtEnd && calls < 64 {
            let op = input.byte()
            if op == 0xFF {
                let offset = UInt64(input.byte()) * 16
                _ = p.mmu.writeBytes(scratch + offset, input.bytes(32))
                continue
            }
            if op == 0xFE {
                _ = p.mmu.writeBytes(scratch, Array(paths[Int(input.byte()) % paths.count].utf8) + [0])
                continue
            }
            let number = op < 0xF0 ? numbers[Int(op) % numbers.count] : UInt64(input.u16())
            var args: [UInt64] = []
            for _ in 0 ..< 6 {
                let k = input.byte()
                args.append(k >= 0xE0 ? input.u64() : values[Int(k) % values.count])
            }
            calls += 1
            switch call(number, args) {
            case .exited, .killed, .stop: return
            case .returned, .setThreadPointer: continue
            }
        }
    }

    // MARK: - traces: the trace file reader and everything `k42sim trace` does with a file

    /// The input is a trace file. Parsed as `k42sim trace` would; when accepted: dump (all, and
    /// filtered to CPU 0 and one class), stats, and both exports, at the default and a 1-cycle
    /// counter interval. A refusal must be a TraceFileError naming an offset inside the file.
    static func traces(_ data: [UInt8]) {
        let file: TraceFile
        do { file = try TraceFile.parse(data) } catch {
            if error.offset < 0 || error.offset > data.count { fatalError("trace refusal names offset \(error.offset) of a \(data.count)-byte file") }
            return
        }
        var lines = 0
        TraceText.dump(file, filter: TraceFilter()) { _ in lines += 1 }
        var filter = TraceFilter()
        filter.cpus = [0]
        filter.mask = 1
        TraceText.dump(file, filter: filter) { _ in lines += 1 }
        _ = TraceText.stats(file, filter: TraceFilter())
        for interval: UInt64 in [10_000, 1] {
            _ = PerfettoExport.bytes(file, interval: interval)
            _ = ChromeJSONExport.text(file, interval: interval)
        }
    }
}

/// Reads an input front to back; past the end every value is 0.
struct FuzzReader {
    let data: [UInt8]
    var position = 0
    init(_ data: [UInt8]) { self.data = data }
    var isAtEnd: Bool { position >= data.count }
    var remaining: Int { max(0, data.count - position) }
    mutating func byte() -> UInt8 {
        defer { position += 1 }
        return position < data.count ? data[position] : 0
    }
    mutating func bytes(_ n: Int) -> [UInt8] { (0 ..< n).map { _ in byte() } }
    mutating func u16() -> UInt16 { UInt16(byte()) | UInt16(byte()) << 8 }
    mutating func u32() -> UInt32 { (0 ..< 4).reduce(UInt32(0)) { v, i in v | UInt32(byte()) << (8 * UInt32(i)) } }
    mutating func u64() -> UInt64 { (0 ..< 8).reduce(UInt64(0)) { v, i in v | UInt64(byte()) << (8 * UInt64(i)) } }
}

/// Hand-made little-endian ELF64 executables (seed images and the syscall target's process).
enum FuzzImages {
    struct Segment {
        var vaddr: UInt64, paddr: UInt64
        var code: [UInt32]
        var memSize: UInt64
        /// PF_X 1, PF_W 2, PF_R 4.
        var flags: UInt32
    }

    /// ET_EXEC, e_machine `machine`; program headers at 64, segment contents from 0x1000 on,
    /// each at a page-aligned file offset.
    static func elf(machine: UInt16, entry: UInt64, segments: [Segment], flags: UInt32 = 0) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 0x1000)
        func put<T: FixedWidthInteger>(_ v: T, at o: Int) {
            withUnsafeBytes(of: v.littleEndian) { for (i, x) in $0.enumerated() { b[o + i] = x } }
        }
        b[0] = 0x7f; b[1] = 0x45; b[2] = 0x4c; b[3] = 0x46; b[4] = 2; b[5] = 1; b[6] = 1
        put(UInt16(2), at: 16); put(machine, at: 18); put(UInt32(1), at: 20)
        put(entry, at: 24); put(UInt64(64), at: 32); put(flags, at: 48)
        put(UInt16(64), at: 52); put(UInt16(56), at: 54); put(UInt16(segments.count), at: 56)
        for (i, s) in segments.enumerated() {
            let ph = 64 + 56 * i
            let offset = b.count
            for w in s.code { withUnsafeBytes(of: w.littleEndian) { b.append(contentsOf: $0) } }
            while b.count % 0x1000 != 0 { b.append(0) }
            put(UInt32(1), at: ph); put(s.flags, at: ph + 4)
            put(UInt64(offset), at: ph + 8); put(s.vaddr, at: ph + 16); put(s.paddr, at: ph + 24)
            put(UInt64(4 * s.code.count), at: ph + 32); put(max(s.memSize, UInt64(4 * s.code.count)), at: ph + 40)
            put(UInt64(0x1000), at: ph + 48)
        }
        return b
    }
}
