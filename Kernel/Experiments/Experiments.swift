// Experiments: the kernel side of `k42sim experiment NAME` (docs/experiments/). A point is one
// boot with `experiment=NAME variant=V ops=N`; the kernel runs the workload on every CPU, brackets
// the measured region with the sim-call region-of-interest marks (the emulator resets its
// statistics at the start and dumps them at the end), and reports its own figures as
// measurements (Report.measurement + index; each experiment lists its indexes). The host
// collects both. Status 0 when the workload checked out, 1 otherwise, 2 for an unknown name.

enum Experiments {
    static func run(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        if BootArgs.equal(name, "counters") { return CountersExperiment.run() }
        if BootArgs.equal(name, "cobj-costs") { return CObjCostsExperiment.run() }
        if BootArgs.equal(name, "hotswap") { return HotSwapExperiment.run() }
        if BootArgs.equal(name, "pagefaults") { return PageFaultsExperiment.run() }
        if BootArgs.equal(name, "numa-alloc") { return NumaAllocExperiment.run() }
        if BootArgs.equal(name, "threads") { return ThreadsExperiment.run() }
        Console.write("k42: unknown experiment '")
        for b in name { Console.put(b) }
        Console.write("' (experiments: counters, cobj-costs, hotswap, pagefaults, numa-alloc, threads)\n")
        Devices.powerOff(2)
    }

    static let roiBegin: UInt64 = 1, roiEnd: UInt64 = 2

    /// Runs `work(cpu)` in one thread per CPU, all released at once after every thread is ready
    /// (and, first, `prepare(cpu)` has run on each — e.g. to take the first-touch misses outside
    /// the region). The last thread to become ready opens the region of interest and releases the
    /// others, which spin on the release word. Each thread notes, in its own cache line, its clock
    /// when it saw the release and when it finished, before it reports in on the shared done
    /// counter; the region of interest closes when the last one has reported. Returns the longest
    /// time one thread spent in `work` (its own finish minus its own start): neither the release
    /// reaching the last spinner (a queue of transfers of the release word at 64 CPUs) nor the
    /// threads queueing on the done counter counts as work.
    static func timed(prepare: @escaping (Int) -> Void = { _ in }, _ work: @escaping (Int) -> Void) -> UInt64 {
        let cpus = BootInfo.cpuCount
        let lineWords = 16
        let w = UnsafeMutablePointer<UInt64>.allocate(capacity: lineWords * (4 + cpus))
        for i in 0 ..< lineWords * (4 + cpus) { w[i] = 0 }
        let a = UInt(bitPattern: w)
        // Lines: 0 ready count, 1 release word, 2 finished count, 3 unused, 4 + c: start and finish of c.
        let group = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        let wg = WaitGroup(group, count: cpus)
        let g = UInt(bitPattern: group)
        for c in 0 ..< cpus {
            CrossCall.post(c) {
                _ = Thread.spawn(detached: true) {
                    let w = UnsafeMutablePointer<UInt64>(bitPattern: a)!
                    let n = BootInfo.cpuCount
                    let cpu = PCA.cpu
                    prepare(cpu)
                    Preempt.disable()
                    if AtomicWord(w).add(1) == UInt64(n - 1) {
                        Devices.simCall(roiBegin, 1)
                        AtomicWord(w + lineWords).store(1)
                    } else {
                        // Spin without being preempted (a tick must not delay the start), but
                        // let this CPU's other threads run: the thread posting these workers
                        // may have been preempted here before it posted to every CPU.
                        while AtomicWord(w + lineWords).load() == 0 {
                            if Scheduler.hasWork { Preempt.enable(); Scheduler.yield(); Preempt.disable() } else { Arch.pause() }
                        }
                    }
                    Preempt.enable()
                    let mine = w + (4 + cpu) * lineWords
                    mine[0] = Devices.cycles
                    work(cpu)
                    mine[1] = Devices.cycles
                    if AtomicWord(w + 2 * lineWords).add(1) == UInt64(n - 1) { Devices.simCall(roiEnd, 1) }
                    WaitGroup(existing: UnsafeMutablePointer<UInt64>(bitPattern: g)!).done()
                    return 0
                }
                return 0
            }
        }
        wg.wait()
        var cycles: UInt64 = 0
        for c in 0 ..< cpus { cycles = max(cycles, w[(4 + c) * lineWords + 1] &- w[(4 + c) * lineWords]) }
        w.deallocate()
        group.deallocate()
        return cycles
    }
}

// CountersExperiment (experiment=counters variant=lock|atomic|partitioned ops=N, default 2000):
// every CPU increments one counter N times — a shared counter under a spin lock, a shared atomic
// counter, or K42's partitioned clustered counter (a rep per CPU, summed on read). Measurements:
// 0 increments, 1 region cycles, 2 the count read back equals the increments (1). The host turns
// them into increments per simulated second; coherence traffic per increment comes from the
// emulator's statistics for the region.
enum CountersExperiment {
    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let ops = Int(BootArgs.integer("ops", default: 2000))
        let base = UnsafeMutablePointer<UInt64>.allocate(capacity: 8)
        for i in 0 ..< 8 { base[i] = 0 }
        let root: RepRoot<CounterRep>
        if BootArgs.value("variant", is: "lock") {
            root = CounterObjects.lockedRoot()
        } else if BootArgs.value("variant", is: "atomic") {
            root = CounterObjects.sharedRoot(base)
        } else if BootArgs.value("variant", is: "partitioned") {
            root = CounterObjects.partitionedRoot(base: base + 4)
        } else {
            Console.write("k42: counters: variant must be lock, atomic or partitioned\n")
            Devices.powerOff(2)
        }
        guard let counter = COS.create(root) else { return 1 }
        let cycles = Experiments.timed(prepare: { _ in
            Generation.request { counter.call { $0.increment() } }       // first-touch miss, outside
        }) { _ in
            Generation.request {
                for _ in 0 ..< ops { counter.call { $0.increment() } }
            }
        }
        let expected = UInt64(cpus * (ops + 1))
        var total: UInt64 = base[4]
        root.forEachRep { total &+= $0.local() }
        let increments = UInt64(cpus * ops)
        Report.value(.measurement, index: 0, increments)
        Report.value(.measurement, index: 1, cycles)
        Report.value(.measurement, index: 2, total == expected ? 1 : 0)
        if !BootArgs.has("quiet") {
            print("counters: \(cpus) CPUs x \(ops) increments in \(cycles) cycles, count \(total) (expected \(expected))")
        }
        return total == expected ? 0 : 1
    }
}
