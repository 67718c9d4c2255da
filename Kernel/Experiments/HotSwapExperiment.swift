// HotSwapExperiment (experiment=hotswap ops=N): a shared atomic counter is hot swapped into a
// partitioned one while every CPU keeps incrementing it. Each phase (before, during, after the
// swap) lasts until every CPU has made N increments in it (default 500) — the swap happens while
// calls are in flight on every CPU. Measurements: 0 swap latency (cycles), 1 longest time a call
// was parked (cycles), 2/3/4 increments before / during / after the swap, 6/7/8 the cycles of
// those phases (the host reports increments per simulated second), 5 increments lost (must be 0).

enum HotSwapExperiment {
    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let ops = UInt64(BootArgs.integer("ops", default: 500))
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: 16 + 4 * cpus)
        for i in 0 ..< 16 + 4 * cpus { words[i] = 0 }
        let w = UInt(bitPattern: words)
        // Words: 0 phase (0 before, 1 swapping, 2 after, 3 stop), 1 shared count, 2 partitioned
        // base, 4-6 phase start cycles, 8-10 increments per phase, 16 + 4 * cpu: per-CPU counts.
        guard let counter = COS.create(CounterObjects.sharedRoot(words + 1)) else { return 1 }
        let newRoot = CounterObjects.partitionedRoot(base: words + 2)
        let group = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        let wg = WaitGroup(group, count: cpus)
        let g = UInt(bitPattern: group)
        for c in 0 ..< cpus {
            CrossCall.post(c) {
                _ = Thread.spawn(detached: true) {
                    let w = UnsafeMutablePointer<UInt64>(bitPattern: w)!
                    let mine = w + 16 + 4 * PCA.cpu
                    while true {
                        let phase = AtomicWord(w).load()
                        if phase >= 3 { break }
                        Generation.request { counter.call { $0.increment() } }
                        mine[Int(phase)] += 1
                        if mine[Int(phase)] % 32 == 0 { Scheduler.yield() }
                    }
                    WaitGroup(existing: UnsafeMutablePointer<UInt64>(bitPattern: g)!).done()
                    return 0
                }
                return 0
            }
        }
        func waitPhase(_ p: Int) {
            while (0 ..< cpus).contains(where: { words[16 + 4 * $0 + p] < ops }) { Scheduler.yield() }
        }
        words[4] = Devices.cycles
        waitPhase(0)
        words[5] = Devices.cycles
        AtomicWord(words).store(1)
        Devices.simCall(Experiments.roiBegin, 2)
        let result = COS.swap(counter.index, to: newRoot)
        Devices.simCall(Experiments.roiEnd, 2)
        words[6] = Devices.cycles
        AtomicWord(words).store(2)
        waitPhase(2)
        let end = Devices.cycles
        AtomicWord(words).store(3)
        wg.wait()
        var made: [UInt64] = [0, 0, 0]
        for c in 0 ..< cpus { for p in 0 ..< 3 { made[p] += words[16 + 4 * c + p] } }
        let total = CounterObjects.total(newRoot, base: words + 2)
        let increments = made[0] + made[1] + made[2]
        Report.value(.measurement, index: 0, result.cycles)
        Report.value(.measurement, index: 1, result.longestBlocked)
        Report.value(.measurement, index: 2, made[0])
        Report.value(.measurement, index: 3, made[1])
        Report.value(.measurement, index: 4, made[2])
        Report.value(.measurement, index: 6, words[5] - words[4])
        Report.value(.measurement, index: 7, words[6] - words[5])
        Report.value(.measurement, index: 8, end - words[6])
        Report.value(.measurement, index: 5, increments - total)
        group.deallocate()
        words.deallocate()
        return result.swapped && total == increments ? 0 : 1
    }
}
