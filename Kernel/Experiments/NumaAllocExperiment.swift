// NumaAllocExperiment (experiment=numa-alloc variant=per-node|global ops=N, default 256; the
// host boots the global variant with pm=global): every CPU takes N frames from the page manager,
// writes each whole frame (as a zero-fill would), then returns them all — per-node frame supply
// against one global pool. Measurements: 0 frames allocated in the region (CPUs x N), 1 region
// cycles, 2 frames that came from another node than the allocating CPU's, 3 all frames were
// obtained and returned (1). The emulator's statistics for the region give the remote-access
// fraction (system.numa.remoteFills / all fills).

enum NumaAllocExperiment {
    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let frames = Int(BootArgs.integer("ops", default: 256))
        let global = BootArgs.value("pm", is: "global")
        guard BootArgs.value("variant", is: global ? "global" : "per-node") else {
            Console.write("k42: numa-alloc: variant must be per-node (pm=node) or global (pm=global)\n")
            Devices.powerOff(2)
        }
        let stats = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        stats[0] = 0; stats[1] = 0
        let s = UInt(bitPattern: stats)
        let cycles = Experiments.timed { _ in
            let held = UnsafeMutablePointer<UInt64>.allocate(capacity: frames)
            var got = 0, remote: UInt64 = 0
            let node = PCA.node
            for i in 0 ..< frames {
                guard let pa = PM.allocate() else { break }
                _ = memset(PM.kernelAddress(pa), 0, 4096)
                if FrameAllocator.nodeOf(physical: pa) != node { remote += 1 }
                held[i] = pa
                got += 1
            }
            for i in 0 ..< got { PM.free(held[i]) }
            held.deallocate()
            let st = UnsafeMutablePointer<UInt64>(bitPattern: s)!
            _ = AtomicWord(st).add(UInt64(got))
            _ = AtomicWord(st + 1).add(remote)
        }
        let ok = stats[0] == UInt64(cpus * frames)
        Report.value(.measurement, index: 0, stats[0])
        Report.value(.measurement, index: 1, cycles)
        Report.value(.measurement, index: 2, stats[1])
        Report.value(.measurement, index: 3, ok ? 1 : 0)
        if !BootArgs.has("quiet") {
            print("numa-alloc: \(cpus) CPUs x \(frames) frames in \(cycles) cycles, \(stats[1]) remote")
        }
        stats.deallocate()
        return ok ? 0 : 1
    }
}
