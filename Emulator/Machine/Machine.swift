// Machine: a full-system machine — RAM of all NUMA nodes (frame f = physical address f << 12),
// the platform devices, N CPUs of one ISA, and the deterministic quantum scheduler: in CPU order,
// each CPU runs to the end of the quantum, stopping exactly at the cycles where timed events
// (IPIs, device timers) are due for it. With a trace recorder, hardware events are recorded and the
// guests' trace buffers drained into it (docs/traces.md).
import Traces

public enum MachineResult: Equatable, Sendable {
    case poweredOff(status: Int32)
    case cycleLimit(cycles: UInt64)
    case halted(cpu: Int, diagnostic: String)
}

/// What the machine hands a CPU factory.
public struct MachineCPUContext {
    public let index: Int
    public let node: Int
    public let config: MachineConfig
    public let ram: PhysicalMemory
    public let devices: PlatformDevices
    public let signals: MachineSignals
    public let entryPoint: UInt64
    /// Initial argument registers: boot-info physical address, CPU number.
    public let bootInfoAddress: UInt64
    /// Objects all CPUs share (reservation monitor, per-ISA decoded-code cache).
    public let shared: MachineShared
}

public final class Machine {
    public let config: MachineConfig
    public let ram: PhysicalMemory
    public let map: PhysicalAddressMap
    public let signals = MachineSignals()
    public let devices: PlatformDevices
    public private(set) var cpus: [MachineCPU] = []
    public let image: ElfImage
    public let shared: MachineShared
    /// The guests' trace buffers (only when tracing).
    public let traceBuffers: GuestTraceBuffers?

    /// Builds the machine, loads `image` at its physical addresses and writes the boot block.
    /// With a `hierarchy` the machine runs in timing mode (its description must match `config`).
    /// `kernelArguments` is the boot argument string the boot-information block carries (at most
    /// `MachineConfig.maxKernelArgumentBytes` bytes of UTF-8, no NUL). With a `trace` recorder
    /// (one per run, for `config.cpus` CPUs) the machine records the hardware events its mask
    /// selects and drains the guests' trace buffers; call `finishTrace()` after `run`.
    public init(config: MachineConfig, image: ElfImage, hierarchy: MemoryHierarchy? = nil,
                kernelArguments: String = "", trace: TraceRecorder? = nil, initialRAM: [UInt8]? = nil,
                makeCPU: (MachineCPUContext) throws(ElfError) -> MachineCPU) throws(ElfError) {
        if let problem = config.validationError() { throw ElfError("invalid machine configuration: \(problem)") }
        // The guest sees the caches the timing model simulates: a config without caches takes
        // the hierarchy's; one with other caches is refused.
        var config = config
        if let h = hierarchy {
            if config.caches == nil { config.caches = h.description.caches }
            guard config.caches == h.description.caches else {
                throw ElfError("invalid machine configuration: caches: the machine's caches differ from the memory hierarchy's")
            }
        }
        if let problem = config.cacheDescriptionError() { throw ElfError("invalid machine configuration: \(problem)") }
        let argumentBytes = Array(kernelArguments.utf8)
        if argumentBytes.count > MachineConfig.maxKernelArgumentBytes {
            throw ElfError("kernel arguments: \(argumentBytes.count) bytes, at most \(MachineConfig.maxKernelArgumentBytes) fit in the boot-information block")
        }
        if argumentBytes.contains(0) { throw ElfError("kernel arguments: must not contain a NUL byte") }
        guard image.isa == config.isa else {
            throw ElfError("wrong architecture: \(image.isa.rawValue) image, machine is \(config.isa.rawValue)")
        }
        self.config = config
        self.image = image
        ram = PhysicalMemory(maxBytes: config.totalMemory)
        let frames = Int(config.totalMemory >> guestPageShift)
        for expected in 0 ..< frames {
            guard let f = ram.allocateFrame(), f == expected else { throw ElfError("host memory exhausted allocating guest RAM") }
        }
        map = PhysicalAddressMap(ramBytes: config.totalMemory)
        shared = MachineShared(reservations: ReservationMonitor(physical: ram, cpus: config.cpus))
        if let h = hierarchy {
            let d = h.description
            guard d.cpus == config.cpus, d.nodes == config.nodes, d.memoryPerNode == config.memoryPerNode else {
                throw ElfError("memory hierarchy (\(d.cpus) CPUs, \(d.nodes) nodes) does not match the machine (\(config.cpus) CPUs, \(config.nodes) nodes)")
            }
            shared.hierarchy = h
        }
        devices = PlatformDevices(config: config, signals: signals)
        if let trace {
            guard trace.cpuCount == config.cpus else { throw ElfError("trace recorder for \(trace.cpuCount) CPUs, machine has \(config.cpus)") }
            shared.tracer = trace
            shared.hierarchy?.tracer = trace
            devices.tracer = trace
            traceBuffers = GuestTraceBuffers(recorder: trace, ram: ram, ramBytes: config.totalMemory)
            devices.traceBuffers = traceBuffers
        } else {
            traceBuffers = nil
        }
        try loadImage()
        writeBootInfo(arguments: argumentBytes)
        if let initialRAM { try loadInitialRAM(initialRAM) }
        for i in 0 ..< config.cpus {
            let ctx = MachineCPUContext(index: i, node: config.node(ofCPU: i), config: config, ram: ram,
                                        devices: devices, signals: signals, entryPoint: image.entry,
                                        bootInfoAddress: MachineConfig.bootInfoAddress, shared: shared)
            cpus.append(try makeCPU(ctx))
        }
        devices.cycleOf = { [unowned self] c in self.cpus[c].cycles }
        devices.lineChanged = { [unowned self] c, on in self.cpus[c].setExternalInterrupt(on) }
        devices.dma = { [unowned self] d in
            let ram = self.ram, monitor = self.shared.reservations
            let status = d.transfer(host: { ram.host(frame: $0) }, invalidateCode: { f in
                if ram.hasCode(frame: f) { ram.invalidateCode(frame: f) }
                if ram.isReserved(frame: f) {
                    monitor.storeObserved(physical: UInt64(f) << guestPageShift, size: Int(guestPageSize), by: -1)
                }
            })
            return status
        }
        if let b = traceBuffers {
            b.cycleOf = { [unowned self] c in self.cpus[c].cycles }
            b.offsetOf = { [unowned self] c in self.cpus[c].timestampOffset }
        }
    }

    /// At the end of a traced run: drains every guest trace buffer, complete or not (losses are
    /// recorded as control.lost events). Nothing to do without a trace recorder.
    public func finishTrace() {
        traceBuffers?.drainAll()
    }

    /// Copies each segment's file bytes to its physical address (RAM starts zeroed, so the rest
    /// of a segment needs no work: loading costs the file's size). Segments must lie in RAM above
    /// the boot block and must not share a physical byte.
    private func loadImage() throws(ElfError) {
        for s in image.segments where s.memSize > 0 {
            let (end, overflow) = s.paddr.addingReportingOverflow(s.memSize)
            if overflow || s.paddr < MachineConfig.lowestLoadAddress || end > config.totalMemory {
                throw ElfError("segment \(s.index) at physical 0x\(hex(s.paddr))-0x\(hex(end)) is outside RAM [0x\(hex(MachineConfig.lowestLoadAddress)), 0x\(hex(config.totalMemory)))")
            }
        }
        if let (a, b) = ElfImage.firstOverlap(image.segments.map { ($0.index, $0.paddr, $0.memSize) }) {
            throw ElfError("segments \(a.index) and \(b.index) overlap in physical memory: \(a.range) and \(b.range)")
        }
        for s in image.segments where s.memSize > 0 && s.fileSize > 0 {
            writePhysical(s.paddr, Array(image.fileBytes(of: s)))
        }
    }

    /// Places the initial RAM image at the top of node 0's RAM (page-aligned), above every
    /// segment of the kernel image, and records it in the boot-information block.
    private func loadInitialRAM(_ bytes: [UInt8]) throws(ElfError) {
        let imageEnd = image.segments.filter { $0.memSize > 0 }.map { $0.paddr + $0.memSize }.max() ?? 0
        let lowest = max(imageEnd, MachineConfig.bootInfoAddress + MachineConfig.bootInfoSize)
        let top = config.memoryPerNode
        guard UInt64(bytes.count) <= top,
              (top - UInt64(bytes.count)) & ~UInt64(guestPageMask) >= (lowest + UInt64(guestPageMask)) & ~UInt64(guestPageMask) else {
            throw ElfError("initial RAM image: \(bytes.count) bytes do not fit in node 0's RAM (\(top) bytes) above the kernel image (ends at 0x\(hex(imageEnd)))")
        }
        let base = (top - UInt64(bytes.count)) & ~UInt64(guestPageMask)
        writePhysical(base, bytes)
        var words: [UInt8] = []
        for w in [base, UInt64(bytes.count)] { withUnsafeBytes(of: w.littleEndian) { words.append(contentsOf: $0) } }
        writePhysical(MachineConfig.bootInfoAddress + MachineConfig.ramImageOffset, words)
    }

    /// Copies bytes into RAM (the range was checked).
    public func writePhysical(_ pa: UInt64, _ bytes: [UInt8]) {
        var done = 0
        while done < bytes.count {
            let a = pa + UInt64(done)
            let chunk = min(bytes.count - done, Int(guestPageSize - (a & guestPageMask)))
            let host = ram.host(frame: Int(a >> guestPageShift)) + Int(a & guestPageMask)
            bytes.withUnsafeBytes { host.copyMemory(from: $0.baseAddress! + done, byteCount: chunk) }
            done += chunk
        }
    }

    public func readPhysical64(_ pa: UInt64) -> UInt64 {
        let host = ram.host(frame: Int(pa >> guestPageShift)) + Int(pa & guestPageMask)
        return UInt64(littleEndian: host.loadUnaligned(as: UInt64.self))
    }

    private func writeBootInfo(arguments: [UInt8]) {
        var words: [UInt64] = [
            0x4B34_3253_494D_0001, UInt64(config.cpus), UInt64(config.nodes), UInt64(config.cpusPerNode),
            config.memoryPerNode, MachineConfig.mmioBase, config.frequency, 0,
        ]
        for n in 0 ..< config.nodes {
            words.append(UInt64(n) * config.memoryPerNode)
            words.append(config.memoryPerNode)
        }
        var bytes: [UInt8] = []
        for w in words { withUnsafeBytes(of: w.littleEndian) { bytes.append(contentsOf: $0) } }
        writePhysical(MachineConfig.bootInfoAddress, bytes)
        // The software trace classes this run records (0 when not tracing), so a guest can skip
        // setting up trace buffers nobody reads (docs/platform.md, docs/traces.md).
        var softwareMask = (shared.tracer?.mask ?? 0) & TraceMajor.softwareMask
        if softwareMask != 0 { softwareMask |= 1 << TraceMajor.control }
        var maskBytes: [UInt8] = []
        withUnsafeBytes(of: softwareMask.littleEndian) { maskBytes.append(contentsOf: $0) }
        writePhysical(MachineConfig.bootInfoAddress + MachineConfig.traceMaskOffset, maskBytes)
        var cacheBytes: [UInt8] = []
        for w in BootCacheTable.words(config) { withUnsafeBytes(of: w.littleEndian) { cacheBytes.append(contentsOf: $0) } }
        writePhysical(MachineConfig.bootInfoAddress + MachineConfig.cacheTableOffset, cacheBytes)
        // The kernel argument string: its length, then the bytes and a NUL (docs/platform.md).
        var args: [UInt8] = []
        withUnsafeBytes(of: UInt64(arguments.count).littleEndian) { args.append(contentsOf: $0) }
        args += arguments + [0]
        writePhysical(MachineConfig.bootInfoAddress + MachineConfig.kernelArgumentsOffset, args)
    }

    /// Runs until power-off, a halted CPU, or `maxCycles` on every CPU.
    public func run(maxCycles: UInt64) -> MachineResult {
        devices.startConsoleInput()
        var quantumEnd = min(config.quantum, maxCycles)
        while true {
            for cpu in cpus {
                while cpu.cycles < quantumEnd {
                    var target = quantumEnd
                    if let t = devices.events.nextTime(for: cpu.index), t < target { target = max(t, cpu.cycles) }
                    if cpu.cycles < target {
                        switch cpu.run(until: target) {
                        case .reachedTarget: break
                        case .poweredOff:
                            return .poweredOff(status: signals.powerOffStatus ?? 0)
                        case .halted(let why):
                            return .halted(cpu: cpu.index, diagnostic: why)
                        }
                    }
                    if signals.stopRequested { return .poweredOff(status: signals.powerOffStatus ?? 0) }
                    for e in devices.events.takeDue(for: cpu.index, upTo: cpu.cycles) { devices.deliver(e) }
                }
            }
            if quantumEnd >= maxCycles { return .cycleLimit(cycles: maxCycles) }
            quantumEnd = min(quantumEnd &+ config.quantum, maxCycles)
        }
    }
}
