// Boot: how each CPU comes up. CPU 0 arrives from the entry glue in k42_boot_cpu0 (boot stack,
// interrupts off, kernel linear map usable), checks the boot-information block, lets the port
// map the rest of the machine, builds node 0's frame allocator, sets up its own per-CPU area and
// releases the other CPUs with an IPI each. Every other CPU arrives in k42_secondary_main after
// the release: the first CPU of each node builds that node's frame allocator (in the node's own
// memory), the others wait for it to be published; then the CPU allocates its per-CPU area from
// its own node, maps it, creates its idle and service threads, starts its tick and reports. CPU 0
// runs the boot arguments' test or workload (KernelMain) in a thread once every CPU is online.

@_extern(c, "k42_kernel_end") func k42_kernel_end() -> UInt
@_extern(c, "k42_release_address") func k42_release_address() -> UInt

enum Boot {
    /// The per-CPU area's physical size and the buddy order that holds it (aligned to itself).
    static var perCPUOrder: Int { FrameAllocator.order(forBytes: UInt64(Arch.perCPUSize)) }
    /// A word each CPU writes through its per-CPU range; the host checks it at the reported
    /// physical address.
    static let magicOffset = 0x1F00
    static func magic(_ cpu: Int) -> UInt64 { 0x4B42_4D41_0000_0000 | UInt64(cpu) }

    static func checkBootInfo() {
        guard BootInfo.magic == BootInfo.expectedMagic else {
            Console.raw("k42: bad boot-information block (magic)\n")
            Devices.powerOff(2)
        }
        let cpus = BootInfo.cpuCount, nodes = BootInfo.nodeCount
        guard cpus >= 1, cpus <= 256, nodes >= 1, nodes <= cpus, cpus % nodes == 0,
              BootInfo.memoryPerNode * UInt64(nodes) <= Arch.linearMapSize else {
            Console.raw("k42: unsupported machine in the boot-information block\n")
            Devices.powerOff(2)
        }
    }

    /// This CPU's node allocator: built by the node's first CPU, awaited by the others.
    static func setUpNode(cpu: Int) {
        let node = cpu / BootInfo.cpusPerNode
        let slot = AtomicWord(KernelWords.nodeTable + node)
        if cpu % BootInfo.cpusPerNode == 0 {
            let reserved = node == 0 ? UInt64(k42_kernel_end() - Arch.kernelBase) : 0
            // The initial RAM image lies at the top of node 0: its frames are never free.
            let image = BootInfo.ramImage
            let size = node == 0 && image.size > 0 ? image.base - BootInfo.nodeBase(0) : BootInfo.nodeSize(node)
            let n = NodeFrames.create(node: node, base: BootInfo.nodeBase(node), size: size,
                                      reservedEnd: max(reserved, BootInfo.nodeBase(node)))
            slot.store(UInt64(UInt(bitPattern: n.header)))
        } else {
            while slot.load() == 0 { Arch.pause() }
        }
    }

    /// Allocates, maps and initialises this CPU's per-CPU area; from here on PCA works.
    static func setUpPerCPU(cpu: Int) {
        let node = cpu / BootInfo.cpusPerNode
        guard let pa = FrameAllocator.allocateRaw(order: perCPUOrder, preferred: node, early: true) else {
            Console.raw("k42: no memory for a per-CPU area\n")
            Devices.powerOff(Panic.status)
        }
        let kva = UnsafeMutableRawPointer(bitPattern: Arch.kernelBase + UInt(pa))!
        _ = memset(kva, 0, Int(Arch.perCPUSize))
        Arch.mapPerCPU(physical: pa)
        let pca = PCA.local
        pca.word(CPUArea.cpuOffset).pointee = UInt64(cpu)
        pca.word(CPUArea.nodeOffset).pointee = UInt64(node)
        pca.word(CPUArea.physicalOffset).pointee = pa
        pca.word(CPUArea.randomState).pointee = 0x4B34_3253_494D_0000 | UInt64(cpu)
        pca.word(CPUArea.tickInterval).pointee = BootArgs.integer("tick", default: 50_000)
        AtomicWord(KernelWords.cpuTable + cpu).store(UInt64(Arch.kernelBase) + pa)
        // Through the per-CPU range: the host finds this word at the reported physical page.
        pca.word(magicOffset).pointee = magic(cpu)
    }

    /// Threads, interrupts and tick of this CPU; returns its idle thread.
    static func setUpThreads() -> ThreadRecord {
        let pca = PCA.local
        KernelTrace.setUp()
        let idle = Thread.create({ _ in Scheduler.idleLoop(0) }, flags: ThreadRecord.flagIdle | ThreadRecord.flagDetached)
        pca.word(CPUArea.idleThread).pointee = UInt64(idle.address)
        let service = Thread.create({ _ in CrossCall.serviceLoop() }, detached: true)
        pca.word(CPUArea.serviceThread).pointee = UInt64(service.address)
        COS.setUpCPU()
        pca.word(CPUArea.cosReady).pointee = 1
        pca.word(CPUArea.ready).pointee = 1
        Devices.enable(cpu: PCA.cpu, mask: Devices.ipiBit | Disk.completionBit)
        let tick = pca.word(CPUArea.tickInterval).pointee
        if tick > 0 { Arch.startTimer(interval: tick) }
        return idle
    }

    /// What every CPU reports once it is up (docs/kernel/reporting.md).
    static func reportOnline() {
        let cpu = PCA.cpu
        Report.value(.cpuNode, UInt64(PCA.node))
        Report.value(.perCPUPhysical, Arch.perCPUPhysical())
        Report.value(.perCPUMagic, PCA.local.word(magicOffset).pointee)
        Report.value(.cpuOnlineCycle, Devices.cycles)
        if !BootArgs.has("quiet") {
            print("cpu \(cpu) node \(PCA.node): per-CPU memory at physical 0x\(hex(Arch.perCPUPhysical())), online")
        }
        _ = AtomicWord(KernelWords.cpusOnline).add(1)
    }
}

@_cdecl("k42_boot_cpu0")
func k42BootCPU0(_ bootInfo: UInt64, _ cpu: UInt64) {
    // PPC: the device window is mapped here, so nothing can be printed before it.
    Arch.earlyInit(memoryBytes: min(BootInfo.memoryPerNode * UInt64(BootInfo.nodeCount), Arch.linearMapSize))
    Boot.checkBootInfo()
    BootArgs.validate()
    Boot.setUpNode(cpu: 0)
    Boot.setUpPerCPU(cpu: 0)
    if !BootArgs.has("quiet") {
        print("K42 on k42sim (\(Arch.name)): \(BootInfo.cpuCount) CPUs, \(BootInfo.nodeCount) nodes, "
            + "\(BootInfo.memoryPerNode >> 20) MiB per node")
    }
    let idle = Boot.setUpThreads()
    Boot.reportOnline()
    // Release the other CPUs: the flag, then an IPI each (they wait with the IPI line enabled).
    AtomicWord(UnsafeMutableRawPointer(bitPattern: k42_release_address())!).store(1)
    Arch.memoryBarrier()
    for c in 1 ..< max(BootInfo.cpuCount, 1) { Devices.sendIPI(from: 0, to: c) }
    _ = Thread.create({ _ in KernelMain.run() }, detached: true)
    Scheduler.start(idle: idle)
}

@_cdecl("k42_secondary_main")
func k42SecondaryMain(_ cpu: UInt64) {
    let c = Int(cpu)
    Boot.setUpNode(cpu: c)
    Boot.setUpPerCPU(cpu: c)
    let idle = Boot.setUpThreads()
    Boot.reportOnline()
    Scheduler.start(idle: idle)
}

/// `v` in hexadecimal without a prefix (for messages built with string interpolation).
func hex(_ v: UInt64) -> String {
    var bytes: [UInt8] = []
    Console.formatHex(v) { bytes.append($0) }
    return String(decoding: bytes.dropFirst(2), as: UTF8.self)
}
