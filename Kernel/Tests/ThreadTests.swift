// ThreadTests (test=threads): kernel threads on every CPU. Checks, in order:
//  1-2  create/join: `threads=N` (default 20) threads per CPU, each returns a value derived from
//       its CPU and index; every join returns exactly that value, and each CPU ran them itself;
//  3    yield ping-pong: two threads on CPU 0 take strict turns through `yield` for `rounds`
//       (default 200) rounds each;
//  4    preemption: on every CPU a thread spins (never yields) until a second thread of the same
//       CPU sets a flag — only the tick can let the second one run; bounded by simulated time.
// Measurements (Report.measurement): 0 = cycles per create+join, 1 = cycles per yield pair.

enum ThreadTests {
    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let perCPU = Int(BootArgs.integer("threads", default: 20))
        let rounds = Int(BootArgs.integer("rounds", default: 200))

        // 1-2: create and join many threads on every CPU.
        let failures = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        failures[0] = 0; failures[1] = 0
        let f = UInt(bitPattern: failures)
        runOnCPUs(cpus) { cpu, _ in
            var threads: [ThreadRecord] = []
            for i in 0 ..< perCPU {
                threads.append(Thread.spawn {
                    if PCA.cpu != cpu { _ = AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: f)! + 1).add(1) }
                    return UInt(cpu * 1000 + i) &* 3
                })
            }
            for (i, t) in threads.enumerated() where Thread.join(t) != UInt64(cpu * 1000 + i) * 3 {
                _ = AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: f)!).add(1)
            }
        }
        if failures[0] != 0 { return 1 }
        // Cost of create+join, on CPU 0.
        let n = 50
        let t0 = Devices.cycles
        for _ in 0 ..< n { _ = Thread.join(Thread.spawn { 7 }) }
        Report.value(.measurement, index: 0, (Devices.cycles - t0) / UInt64(n))
        if failures[1] != 0 { return 2 }
        failures.deallocate()

        // 3: yield ping-pong on this CPU.
        let turn = UnsafeMutablePointer<UInt64>.allocate(capacity: 4)
        turn[0] = 0; turn[1] = 0; turn[2] = 0
        let tp = UInt(bitPattern: turn)
        func player(_ me: UInt64) -> ThreadRecord {
            Thread.spawn {
                let w = UnsafeMutablePointer<UInt64>(bitPattern: tp)!
                for _ in 0 ..< rounds {
                    while w[0] != me { Scheduler.yield() }
                    if w[1] % 2 != me { w[2] += 1 }          // out of turn
                    w[1] += 1
                    w[0] = 1 - me
                    Scheduler.yield()
                }
                return 0
            }
        }
        let y0 = Devices.cycles
        let a = player(0), b = player(1)
        _ = Thread.join(a); _ = Thread.join(b)
        Report.value(.measurement, index: 1, (Devices.cycles - y0) / UInt64(rounds))
        if turn[1] != UInt64(2 * rounds) || turn[2] != 0 { return 3 }
        turn.deallocate()

        // 4: preemption on every CPU.
        let stuck = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        stuck[0] = 0
        let sp = UInt(bitPattern: stuck)
        let tick = PCA.local.word(CPUArea.tickInterval).pointee
        runOnCPUs(cpus) { _, _ in
            let flag = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
            flag[0] = 0
            let fp = UInt(bitPattern: flag)
            let spinner = Thread.spawn {
                let w = UnsafeMutablePointer<UInt64>(bitPattern: fp)!
                let start = Devices.cycles
                spin: while AtomicWord(w).load() == 0 {
                    for _ in 0 ..< 1000 where AtomicWord(w).loadRelaxed() != 0 { break spin }
                    if Devices.cycles - start > 20 * tick + 1_000_000 {
                        _ = AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: sp)!).add(1)
                        break
                    }
                }
                return 0
            }
            let setter = Thread.spawn {
                AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: fp)!).store(1)
                return 0
            }
            _ = Thread.join(spinner); _ = Thread.join(setter)
            flag.deallocate()
        }
        if tick == 0 || stuck[0] != 0 { return 4 }
        stuck.deallocate()
        print("threads: \(perCPU) created and joined per CPU on \(cpus) CPUs, \(rounds) yield rounds, preemption on every CPU")
        return 0
    }
}

// LockTest (test=lock): a blocking lock contended by two threads on every CPU, each adding
// `rounds` (default 200) times to a shared counter inside the lock (yielding inside now and
// then, so waiters queue and sleep). Checks: 1 the count is exact; 2 no two holders ever
// overlapped (an owner word set on entry and checked before leaving).
enum LockTest {
    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let rounds = Int(BootArgs.integer("rounds", default: 200))
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: 8)
        for i in 0 ..< 8 { words[i] = 0 }
        BlockingLock.initialise(words)
        let w = UInt(bitPattern: words)
        let start = Devices.cycles
        runOnCPUs(cpus, threadsPerCPU: 2) { cpu, index in
            let p = UnsafeMutablePointer<UInt64>(bitPattern: w)!
            let lock = BlockingLock(p)
            let me = UInt64(cpu * 2 + index + 1)
            for r in 0 ..< rounds {
                lock.lock()
                if p[5] != 0 { p[6] += 1 }          // someone else inside
                p[5] = me
                let v = p[4]
                if r % 16 == 0 { Scheduler.yield() }
                p[4] = v + 1
                if p[5] != me { p[6] += 1 }
                p[5] = 0
                lock.unlock()
            }
        }
        let expected = UInt64(cpus * 2 * rounds)
        Report.value(.measurement, index: 0, Devices.cycles - start)
        let count = words[4], overlaps = words[6]
        words.deallocate()
        if count != expected { return 1 }
        if overlaps != 0 { return 2 }
        print("lock: \(cpus * 2) threads on \(cpus) CPUs counted \(count) under one blocking lock")
        return 0
    }
}

// CrossCallTest (test=xcall). Checks: 1 CPU 0 calls every CPU synchronously and each call runs
// on its target; 2 every CPU calls two others at once and gets their numbers back; 3 every CPU
// posts `rounds` asynchronous calls to its neighbour, and all of them run there.
enum CrossCallTest {
    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        for c in 0 ..< cpus where CrossCall.call(c, { UInt(PCA.cpu) }) != UInt(c) { return 1 }
        let bad = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        bad[0] = 0
        let b = UInt(bitPattern: bad)
        runOnCPUs(cpus) { cpu, _ in
            for target in [(cpu + 1) % cpus, (cpu + cpus / 2) % cpus] where CrossCall.call(target, { UInt(PCA.cpu) }) != UInt(target) {
                _ = AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: b)!).add(1)
            }
        }
        if bad[0] != 0 { return 2 }
        bad.deallocate()
        let rounds = Int(BootArgs.integer("rounds", default: 200)) / 4
        let group = UnsafeMutablePointer<UInt64>.allocate(capacity: 3)
        let wg = WaitGroup(group, count: cpus * rounds)
        group[2] = 0
        let g = UInt(bitPattern: group)
        for c in 0 ..< cpus {
            CrossCall.post(c) {
                let target = (PCA.cpu + 1) % cpus
                for _ in 0 ..< rounds {
                    CrossCall.post(target) {
                        let p = UnsafeMutablePointer<UInt64>(bitPattern: g)!
                        if PCA.cpu == target { _ = AtomicWord(p + 2).add(1) }
                        WaitGroup(existing: p).done()
                        return 0
                    }
                }
                return 0
            }
        }
        wg.wait()
        let ran = group[2]
        group.deallocate()
        if ran != UInt64(cpus * rounds) { return 3 }
        print("xcall: \(cpus) sync calls from CPU 0, \(2 * cpus) concurrent sync calls, \(cpus * rounds) async calls, all on their targets")
        return 0
    }
}
