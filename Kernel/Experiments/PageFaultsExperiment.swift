// PageFaultsExperiment (experiment=pagefaults variant=V ops=N, default 1024): every CPU runs a
// user thread that touches N fresh pages (a store, then a load, per page: N zero-fill faults)
// in one process, K42's page-fault scaling experiment. Variants:
//   private      a region per CPU (each its own centralized FCM), replicated Process
//   centralized  one shared region, centralized FCM (one page list, one lock), replicated Process
//   distributed  one shared region, distributed FCM (partitioned page lists), replicated Process
//   shared-process  a region per CPU as `private`, but the shared Process (one lock on lookups)
// Each CPU first runs the probe once outside the measured region (its code and stack pages,
// its HAT and Process reps). Measurements: 0 faults in the region (CPUs x N), 1 region cycles,
// 2 every thread read back what it wrote and every frame came back (1), 3 frames taken from
// another node than the faulting CPU's (the whole run).

enum PageFaultsExperiment {
    static let base: UInt64 = 0x4000_0000

    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let pages = BootArgs.integer("ops", default: 1024)
        let privateRegions = BootArgs.value("variant", is: "private") || BootArgs.value("variant", is: "shared-process")
        let distributed = BootArgs.value("variant", is: "distributed")
        let sharedProcess = BootArgs.value("variant", is: "shared-process")
        guard privateRegions || distributed || BootArgs.value("variant", is: "centralized") else {
            Console.write("k42: pagefaults: variant must be private, centralized, distributed or shared-process\n")
            Devices.powerOff(2)
        }
        var remoteBefore: UInt64 = 0
        for c in 0 ..< cpus { remoteBefore &+= Counter.remotePages.value(on: c) }
        guard let p = UserProbes.process(sharedProcess ? .shared : .replicated) else { return 1 }
        let span = pages * 4096
        if privateRegions {
            for c in 0 ..< UInt64(cpus) {
                guard p.mapAnonymous(base: base + c * span, size: span, writable: true, executable: false) == nil else { return 1 }
            }
        } else {
            guard p.mapAnonymous(base: base, size: UInt64(cpus) * span, writable: true, executable: false,
                                 distributed: distributed) == nil else { return 1 }
        }
        let bad = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        bad.pointee = 0
        let badAddress = UInt(bitPattern: bad)
        runOnCPUs(cpus) { _, _ in _ = UserProbes.run(p, .exit, 0, 0) }
        var faultsBefore: UInt64 = 0
        for c in 0 ..< cpus { faultsBefore &+= Counter.pageFaults.value(on: c) }
        let cycles = Experiments.timed { cpu in
            let mine = base + UInt64(cpu) * span
            var expected: UInt64 = 0
            for i in 0 ..< pages { expected &+= mine + i * 4096 }
            if UserProbes.run(p, .touch, mine, pages) != .exited(status: expected) {
                _ = AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: badAddress)!).add(1)
            }
        }
        var faults: UInt64 = 0, remote: UInt64 = 0
        for c in 0 ..< cpus {
            faults &+= Counter.pageFaults.value(on: c)
            remote &+= Counter.remotePages.value(on: c)
        }
        faults &-= faultsBefore
        let framesOut = VMTests.framesOut()
        p.destroy()
        let ok = bad.pointee == 0 && VMTests.framesOut() < framesOut
        bad.deallocate()
        Report.value(.measurement, index: 0, faults)
        Report.value(.measurement, index: 1, cycles)
        Report.value(.measurement, index: 2, ok ? 1 : 0)
        Report.value(.measurement, index: 3, remote &- remoteBefore)
        if !BootArgs.has("quiet") {
            print("pagefaults: \(cpus) CPUs x \(pages) pages: \(faults) faults in \(cycles) cycles")
        }
        return ok ? 0 : 1
    }
}
