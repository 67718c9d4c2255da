// CObjCostsExperiment (experiment=cobj-costs ops=N, default 2000): what clustered objects cost,
// measured on every CPU at once, as means over CPUs (cycles). Measurements:
//  0 a call through a reference (hit: entry -> rep -> method)
//  1 the same method called directly on the rep
//  2 a first-touch miss (the first call on a CPU: root, rep creation on that CPU, entry filled)
//  3 create + destroy pairs made by all CPUs (local objects), 5 the cycles they took (the host
//    reports pairs per simulated second)
//  4 destroy to reclaim of an object used on every CPU (its last rep released), cycles

final class CostRep {
    var value: UInt64 = 0
    @inline(never) func bump() -> UInt64 {
        value &+= 1
        return value
    }
    deinit { _ = AtomicWord(KernelWords.testScratch + 12).add(1) }
}

enum CObjCostsExperiment {
    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let ops = Int(BootArgs.integer("ops", default: 2000))
        let sums = UnsafeMutablePointer<UInt64>.allocate(capacity: 8)
        for i in 0 ..< 8 { sums[i] = 0 }
        let s = UInt(bitPattern: sums)
        func add(_ i: Int, _ v: UInt64) { _ = AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: s)! + i).add(v) }

        guard let hit = COS.create(RepRoot<CostRep>.perCPU { _ in CostRep() }),
              let missing = COS.create(RepRoot<CostRep>.perCPU { _ in CostRep() }) else { return 1 }
        _ = Experiments.timed(prepare: { _ in
            Generation.request { _ = hit.call { $0.bump() } }
        }) { _ in
            Generation.request {
                // 2: the first call on this CPU misses.
                var t = Devices.cycles
                _ = missing.call { $0.bump() }
                add(2, Devices.cycles - t)
                // 0: through the reference.
                t = Devices.cycles
                for _ in 0 ..< ops { _ = hit.call { $0.bump() } }
                add(0, Devices.cycles - t)
                // 1: directly on the rep.
                let rep = Unmanaged<CostRep>.fromOpaque(UnsafeRawPointer(bitPattern: hit.entry.pointee)!).takeUnretainedValue()
                t = Devices.cycles
                for _ in 0 ..< ops { _ = rep.bump() }
                add(1, Devices.cycles - t)
            }
        }
        Report.value(.measurement, index: 0, sums[0] / UInt64(cpus * ops))
        Report.value(.measurement, index: 1, sums[1] / UInt64(cpus * ops))
        Report.value(.measurement, index: 2, sums[2] / UInt64(cpus))

        // 3: create + destroy on every CPU.
        let pairs = max(ops / 20, 10)
        let cycles = Experiments.timed { _ in
            for _ in 0 ..< pairs {
                guard let r = COS.create(RepRoot<CostRep>.single { _ in CostRep() }) else { continue }
                Generation.request { _ = r.call { $0.bump() } }
                _ = Destruction.destroy(index: r.index)
            }
        }
        Report.value(.measurement, index: 3, UInt64(pairs * cpus))
        Report.value(.measurement, index: 5, cycles)

        // 4: destroy to reclaim of an object every CPU used.
        let released = KernelWords.testScratch + 12
        guard let shared = COS.create(RepRoot<CostRep>.perCPU { _ in CostRep() }) else { return 1 }
        runOnCPUs(cpus) { _, _ in _ = Generation.request { shared.call { $0.bump() } } }
        let before = AtomicWord(released).load()
        let t = Devices.cycles
        _ = Destruction.destroy(index: shared.index)
        while AtomicWord(released).load() - before < UInt64(cpus) { Scheduler.yield() }
        Report.value(.measurement, index: 4, Devices.cycles - t)
        sums.deallocate()
        return 0
    }
}
