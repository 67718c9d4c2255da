// ClusteredObjectTests (test=cobj, best with `cocheck`): the clustered-object runtime on every
// CPU. Checks, in order:
//  1 single / per-CPU / per-node roots create exactly 1 / CPUs / nodes reps, each rep serves
//    its own CPU or node and lives in that node's memory;
//  2 after its first call a CPU's entry is filled and further calls never miss;
//  3 the manager (rep per CPU) and the frame allocator (rep per node) are clustered objects with
//    exactly those reps, and each CPU's references come from its own partition;
//  4 a reference destroyed while a request holds CPU 0's generation is not handed out again,
//    and comes back once it has been reclaimed;
//  5-7 an object used on every CPU and destroyed while every CPU keeps calling it: all callers
//    see it go away, the token reclaims it (its reps are released: deinit ran), and no call ever
//    reached freed memory (in checking mode freed reps are poisoned and quarantined, and every
//    rep method checks its magic word: Counter.deadCalls stays 0);
//  8-9 hot swap under load: a shared counter becomes a partitioned one while every CPU keeps
//    incrementing; no increment is lost (the new object's total equals the increments made) and
//    the swap really transferred state (through TransferFormat.counterTotal);
//  10 a request that never ends on the last CPU stalls the token: that is reported, and once the
//    request ends the object is reclaimed.
// The swap's load runs `rounds` x 10,000 cycles before and after it (default 200).
// Measurements: 0 swap cycles, 1 longest blocked call (cycles), 2 token visits.

final class TestRep {
    static let alive: UInt64 = 0xA11E_C0B1_0000_0001
    var magic: UInt64 = TestRep.alive
    let cpu: Int
    let cluster: Int
    let tag: Int
    var calls: UInt64 = 0

    /// Reps of tag t count their deinits in KernelWords.testScratch[8 + t].
    init(cluster: Int, tag: Int = 0) {
        cpu = PCA.cpu
        self.cluster = cluster
        self.tag = tag
    }
    deinit { _ = AtomicWord(KernelWords.testScratch + 8 + tag).add(1) }

    @inline(never) func touch() -> Int {
        if magic != TestRep.alive { Counter.deadCalls.add() }
        calls &+= 1
        return cpu
    }
}

enum ClusteredObjectTests {
    static func sum(_ c: Counter) -> UInt64 { (0 ..< BootInfo.cpuCount).reduce(0) { $0 + c.value(on: $1) } }

    /// Yields until `done()` or `cycles` pass; false on timeout.
    static func waitUntil(_ cycles: UInt64, _ done: () -> Bool) -> Bool {
        let deadline = Devices.cycles + cycles
        while !done() {
            if Devices.cycles > deadline { return false }
            Scheduler.yield()
        }
        return true
    }

    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let nodes = BootInfo.nodeCount
        let memoryPerNode = BootInfo.memoryPerNode
        let bad = UnsafeMutablePointer<UInt64>.allocate(capacity: 4)
        for i in 0 ..< 4 { bad[i] = 0 }
        let b = UInt(bitPattern: bad)
        func fail() { _ = AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: b)!).add(1) }

        // 1-2: reps per root kind.
        let singleRoot = RepRoot<TestRep>.single { TestRep(cluster: $0) }
        let cpuRoot = RepRoot<TestRep>.perCPU { TestRep(cluster: $0) }
        let nodeRoot = RepRoot<TestRep>.perNode { TestRep(cluster: $0) }
        guard let single = COS.create(singleRoot), let perCPU = COS.create(cpuRoot), let perNode = COS.create(nodeRoot) else { return 1 }
        runOnCPUs(cpus) { cpu, _ in
            Generation.request {
                let node = cpu / BootInfo.cpusPerNode
                _ = single.call { $0.touch() }
                if perCPU.call({ $0.cluster }) != cpu { fail() }
                if perNode.call({ $0.cluster }) != node { fail() }
                // The rep lives on the node of the CPU that created it.
                let nodeRep = perNode.entry.pointee
                if UInt64(nodeRep - Arch.kernelBase) / memoryPerNode != UInt64(node) { fail() }
                let misses = Counter.misses.value
                for _ in 0 ..< 50 {
                    _ = single.call { $0.touch() }
                    _ = perCPU.call { $0.touch() }
                    _ = perNode.call { $0.touch() }
                }
                if Counter.misses.value != misses || single.entry.pointee == 0 { fail() }
            }
        }
        if singleRoot.repsCreated != 1 || cpuRoot.repsCreated != cpus || nodeRoot.repsCreated != nodes { return 1 }
        if bad[0] != 0 { return 2 }

        // 3: kernel services as clustered objects.
        runOnCPUs(cpus) { cpu, _ in
            if let pa = FrameAllocator.allocate(order: 0) { COS.frames.call { $0.free(physical: pa, order: 0) } }
            // Each CPU's manager rep hands out references of that CPU's own partition.
            guard let r = COS.create(RepRoot<TestRep>.single { TestRep(cluster: $0) }) else { fail(); return }
            if r.index / LocalTable.refsPerCPU != cpu { fail() }
            _ = Destruction.destroy(index: r.index)
        }
        if bad[0] != 0 { return 3 }
        if COS.root(0).repsCreated != cpus || COS.root(1).repsCreated != nodes { return 3 }

        // 4: a destroyed reference is not reused before it is reclaimed.
        let scratch = KernelWords.testScratch
        for i in 8 ..< 12 { scratch[i] = 0 }
        guard let victim = COS.create(RepRoot<TestRep>.single { TestRep(cluster: $0) }) else { return 4 }
        _ = victim.call { $0.touch() }                  // used on this CPU only
        Generation.activate()                           // hold this CPU's generation
        if !Destruction.destroy(index: victim.index) { Generation.deactivate(); return 4 }
        var fresh: [CORef<TestRep>] = []
        for _ in 0 ..< 20 {
            guard let r = COS.create(RepRoot<TestRep>.single { TestRep(cluster: $0) }) else { Generation.deactivate(); return 4 }
            if r.index == victim.index { Generation.deactivate(); return 4 }
            fresh.append(r)
        }
        let stillThere = GlobalTable.state(victim.index).load() & GlobalTable.allocated != 0
        Generation.deactivate()
        if !stillThere { return 4 }
        if !waitUntil(200_000_000, { GlobalTable.state(victim.index).load() == 0 }) { return 4 }
        // Reclaimed: the reference comes back.
        var reused = false
        for _ in 0 ..< 64 where !reused {
            guard let r = COS.create(RepRoot<TestRep>.single { TestRep(cluster: $0) }) else { return 4 }
            fresh.append(r)
            reused = r.index == victim.index
        }
        if !reused { return 4 }
        for r in fresh { _ = Destruction.destroy(index: r.index) }

        // 5-7: destroy while every CPU calls.
        let deadBefore = sum(.deadCalls)
        guard let shared = COS.create(RepRoot<TestRep>.perCPU { TestRep(cluster: $0, tag: 1) }) else { return 5 }
        let started = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        started[0] = 0
        let st = UInt(bitPattern: started)
        let group = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        let wg = WaitGroup(group, count: cpus)
        let gw = UInt(bitPattern: group)
        for c in 0 ..< cpus {
            CrossCall.post(c) {
                _ = Thread.spawn(detached: true) {
                    var calls = 0
                    while true {
                        let alive = Generation.request { shared.callIfAlive { $0.touch() } }
                        if alive == nil { break }
                        calls += 1
                        if calls == 10 { _ = AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: st)!).add(1) }
                        if calls % 8 == 0 { Scheduler.yield() }
                    }
                    WaitGroup(existing: UnsafeMutablePointer<UInt64>(bitPattern: gw)!).done()
                    return 0
                }
                return 0
            }
        }
        if !waitUntil(200_000_000, { AtomicWord(started).load() == UInt64(cpus) }) { return 5 }
        if !Destruction.destroy(index: shared.index) { return 5 }
        wg.wait()                                       // every caller saw the object go away
        group.deallocate()
        started.deallocate()
        // Reclaimed by the token: each CPU's rep released exactly once, then the entry freed (the
        // reclaiming CPU releases the reps first, so wait for both).
        let reclaimed = { AtomicWord(scratch + 9).load() >= UInt64(cpus) && GlobalTable.state(shared.index).load() == 0 }
        if !waitUntil(500_000_000, reclaimed) || AtomicWord(scratch + 9).load() != UInt64(cpus) {
            print("cobj: check 6: \(AtomicWord(scratch + 9).load()) of \(cpus) reps released, entry state \(GlobalTable.state(shared.index).load())")
            Destruction.describeState()
            return 6
        }
        if sum(.deadCalls) != deadBefore { return 7 }
        if BootArgs.has("cocheck") && sum(.quarantinedBytes) == 0 { return 7 }

        // 8-9: hot swap under load.
        let word = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        word[0] = 0; word[1] = 0
        guard let counter = COS.create(CounterObjects.sharedRoot(word)) else { return 8 }
        let made = UnsafeMutablePointer<UInt64>.allocate(capacity: cpus + 2)
        for i in 0 ..< cpus + 2 { made[i] = 0 }
        let mp = UInt(bitPattern: made)
        let stop = made + cpus
        let group2 = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        let wg2 = WaitGroup(group2, count: cpus)
        let g2 = UInt(bitPattern: group2)
        for c in 0 ..< cpus {
            CrossCall.post(c) {
                _ = Thread.spawn(detached: true) {
                    let m = UnsafeMutablePointer<UInt64>(bitPattern: mp)!
                    var n: UInt64 = 0
                    while AtomicWord(m + BootInfo.cpuCount).load() == 0 {
                        Generation.request { counter.call { $0.increment() } }
                        n += 1
                        if n % 16 == 0 { Scheduler.yield() }
                    }
                    m[PCA.cpu] = n
                    WaitGroup(existing: UnsafeMutablePointer<UInt64>(bitPattern: g2)!).done()
                    return 0
                }
                return 0
            }
        }
        let phase = BootArgs.integer("rounds", default: 200) * 10_000
        _ = waitUntil(phase, { false })                 // let them run on the shared counter
        let newRoot = CounterObjects.partitionedRoot(base: word + 1)
        let result = COS.swap(counter.index, to: newRoot)
        _ = waitUntil(phase, { false })                 // and on the partitioned one
        AtomicWord(stop).store(1)
        wg2.wait()
        let increments = (0 ..< cpus).reduce(UInt64(0)) { $0 + made[$1] }
        let total = CounterObjects.total(newRoot, base: word + 1)
        Report.value(.measurement, index: 0, result.cycles)
        Report.value(.measurement, index: 1, result.longestBlocked)
        if !result.swapped || total != increments { return 8 }
        if word[1] == 0 || newRoot.repsCreated == 0 { return 9 }
        print("cobj: hot swap of a counter under load on \(cpus) CPUs: \(increments) increments, none lost; swap took \(result.cycles) cycles")
        _ = Destruction.destroy(index: counter.index)

        // 10: a stalled token is reported.
        if cpus > 1 {
            let stalls = AtomicWord(Destruction.token + 7).load()
            let release = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
            release[0] = 0
            let rp = UInt(bitPattern: release)
            CrossCall.post(cpus - 1) {
                _ = Thread.spawn(detached: true) {
                    Generation.request {
                        while AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: rp)!).load() == 0 { Scheduler.yield() }
                    }
                    return 0
                }
                return 0
            }
            guard let stuck = COS.create(RepRoot<TestRep>.perCPU { TestRep(cluster: $0, tag: 2) }) else { return 10 }
            runOnCPUs(cpus) { _, _ in _ = Generation.request { stuck.call { $0.touch() } } }
            _ = Destruction.destroy(index: stuck.index)
            if !waitUntil(4 * Destruction.stallCycles + 100_000_000, { AtomicWord(Destruction.token + 7).load() > stalls }) { return 10 }
            if AtomicWord(scratch + 10).load() != 0 { return 10 }            // still held up
            AtomicWord(release).store(1)
            if !waitUntil(500_000_000, { AtomicWord(scratch + 10).load() == UInt64(cpus) }) { return 10 }
        }
        Report.value(.measurement, index: 2, sum(.tokenVisits))
        bad.deallocate()
        print("cobj: reps per root kind exact, destroy under load reclaimed by the token with no access to freed memory, stalled token reported")
        return 0
    }
}
