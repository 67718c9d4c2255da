// AllocatorTest (test=alloc): the per-CPU small-object allocator and the per-node frame
// allocators under load on every CPU. Each CPU's thread runs `rounds` (default 300) steps of a
// seeded random walk: allocate an object of a random size (16 B ... 3 KiB, now and then a
// multi-page one), fill it with a pattern derived from its address and size, and either free it
// later itself or send it to another CPU, which checks the pattern and frees it there (a remote
// free). Afterwards every CPU flushes and trims its caches. Checks:
//  1 no object was corrupted (patterns intact: no two live objects overlapped);
//  2 every object sent was received;
//  3 allocations - frees is the same before and after (every object came back);
//  4 the frame allocators hold as many free frames as before (every byte, after trimming);
//  5 remote frees happened; 6 allocations on each CPU came from its own node;
//  7 exhausting a node: CPU 0 takes 1 MiB blocks until one comes from another node — which
//    happens only once its own node has no block that large left — then frees them all.
// Measurements: 0 remote-free per-mille, 1 remote-page per-mille (phase 7), 2 local pages.

enum AllocatorTest {
    static func pattern(_ address: UInt64, _ i: Int) -> UInt64 { (address &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(i) }

    static func fill(_ p: UnsafeMutablePointer<UInt64>, words: Int) {
        let a = UInt64(UInt(bitPattern: p))
        p[0] = UInt64(words)
        for i in 1 ..< words { p[i] = pattern(a, i) }
    }

    static func check(_ p: UnsafeMutablePointer<UInt64>) -> Bool {
        let a = UInt64(UInt(bitPattern: p))
        let words = Int(p[0])
        if words < 2 || words > 8192 { return false }
        for i in 1 ..< words where p[i] != pattern(a, i) { return false }
        return true
    }

    static func totals() -> (outstanding: UInt64, free: UInt64) {
        var outstanding: UInt64 = 0
        for c in 0 ..< BootInfo.cpuCount {
            outstanding &+= Counter.allocations.value(on: c) &- Counter.frees.value(on: c)
        }
        return (outstanding, FrameAllocator.freeFrames)
    }

    /// Every CPU: send buffered remote frees home, then (second pass) drain and trim.
    static func quiesce() {
        let cpus = BootInfo.cpuCount
        // A CPU's first frame request creates its node's frame-allocator rep (a clustered object
        // filled on the miss, kept for good): make that happen before the baseline is taken.
        for c in 0 ..< cpus {
            _ = CrossCall.call(c) {
                if let pa = FrameAllocator.allocate(order: 0) { FrameAllocator.free(physical: pa, order: 0) }
                return 0
            }
        }
        for c in 0 ..< cpus { _ = CrossCall.call(c) { SmallAllocator.flush(); return 0 } }
        for c in 0 ..< cpus { _ = CrossCall.call(c) { UInt(SmallAllocator.trim()) } }
    }

    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let rounds = Int(BootArgs.integer("rounds", default: 300))
        let seed = BootArgs.integer("seed", default: 42)
        // Shared words: 0 corrupted, 1 sent, 2 received, 3 CPUs with remote pages, 4 CPUs done
        // sending; then one inbox
        // (atomic stack of objects) per CPU.
        let shared = UnsafeMutablePointer<UInt64>.allocate(capacity: 8 + cpus)
        for i in 0 ..< 8 + cpus { shared[i] = 0 }
        let s = UInt(bitPattern: shared)
        quiesce()
        let before = totals()
        let remoteBefore = (0 ..< cpus).reduce(UInt64(0)) { $0 + Counter.remoteFrees.value(on: $1) }
        let freesBefore = (0 ..< cpus).reduce(UInt64(0)) { $0 + Counter.frees.value(on: $1) }
        let remotePagesBefore = (0 ..< cpus).reduce(UInt64(0)) { $0 + Counter.remotePages.value(on: $1) }

        runOnCPUs(cpus) { cpu, _ in
            let w = UnsafeMutablePointer<UInt64>(bitPattern: s)!
            var random = Random(seed: seed &+ UInt64(cpu) &* 7919)
            var live: [UnsafeMutablePointer<UInt64>] = []
            live.reserveCapacity(64)
            func receive() {
                var o = AtomicWord(w + 8 + cpu).exchange(0)
                while o != 0 {
                    let p = UnsafeMutablePointer<UInt64>(bitPattern: UInt(o))!
                    o = p[1] == 0 ? 0 : p[1]
                    p[1] = AllocatorTest.pattern(UInt64(UInt(bitPattern: p)), 1)
                    if !AllocatorTest.check(p) { _ = AtomicWord(w).add(1) }
                    _ = AtomicWord(w + 2).add(1)
                    UnsafeMutableRawPointer(p).deallocate()
                }
            }
            for _ in 0 ..< rounds {
                let bytes = random.below(16) == 0 ? 4096 + Int(random.below(12_288)) : 16 + Int(random.below(3072))
                let words = max(bytes / 8, 2)
                let raw = UnsafeMutableRawPointer.allocate(byteCount: words * 8, alignment: 8)
                let p = raw.assumingMemoryBound(to: UInt64.self)
                AllocatorTest.fill(p, words: words)
                live.append(p)
                if live.count > 24 || random.below(3) == 0 {
                    let victim = live.remove(at: Int(random.below(UInt64(live.count))))
                    if !AllocatorTest.check(victim) { _ = AtomicWord(w).add(1) }
                    let target = Int(random.below(UInt64(cpus)))
                    if target != cpu && random.below(2) == 0 {
                        // Send it: word 1 becomes the inbox link (restored by the receiver).
                        let inbox = AtomicWord(w + 8 + target)
                        var old: UInt64
                        repeat { old = inbox.load(); victim[1] = old } while !inbox.compareExchange(expected: old, desired: UInt64(UInt(bitPattern: victim)))
                        _ = AtomicWord(w + 1).add(1)
                    } else {
                        UnsafeMutableRawPointer(victim).deallocate()
                    }
                }
                receive()
            }
            for p in live {
                if !AllocatorTest.check(p) { _ = AtomicWord(w).add(1) }
                UnsafeMutableRawPointer(p).deallocate()
            }
            live = []
            // Wait until every CPU stopped sending and everything sent arrived, receiving meanwhile.
            _ = AtomicWord(w + 4).add(1)
            while AtomicWord(w + 4).load() != UInt64(cpus) || AtomicWord(w + 2).load() != AtomicWord(w + 1).load()
                    || AtomicWord(w + 8 + cpu).load() != 0 {
                receive()
                Scheduler.yield()
            }
            // Node locality of this CPU's pages so far.
            if Counter.remotePages.value > 0 { _ = AtomicWord(w + 3).add(1) }
        }
        quiesce()
        let after = totals()
        let corrupted = shared[0], sent = shared[1], received = shared[2], nonLocal = shared[3]
        let remote = (0 ..< cpus).reduce(UInt64(0)) { $0 + Counter.remoteFrees.value(on: $1) } - remoteBefore
        let frees = (0 ..< cpus).reduce(UInt64(0)) { $0 + Counter.frees.value(on: $1) } - freesBefore
        let remotePagesDuring = (0 ..< cpus).reduce(UInt64(0)) { $0 + Counter.remotePages.value(on: $1) } - remotePagesBefore
        shared.deallocate()
        if corrupted != 0 { return 1 }
        if sent != received { return 2 }
        // The shared block itself was allocated before `before` and freed after: net zero.
        if after.outstanding != before.outstanding { return 3 }
        if after.free != before.free { return 4 }
        if cpus > 1 && remote == 0 { return 5 }
        if nonLocal != 0 || remotePagesDuring != 0 { return 6 }
        Report.value(.measurement, index: 0, frees == 0 ? 0 : remote * 1000 / frees)
        let exhaust = exhaustNode()
        if exhaust == UInt64.max { return 7 }
        Report.value(.measurement, index: 1, exhaust)
        print("alloc: \(cpus) CPUs, \(sent) objects freed remotely by message, \(remote) remote frees of \(frees) (\(remote * 1000 / max(frees, 1))/1000), every byte back")
        return 0
    }

    /// Phase 7: 1 MiB blocks from CPU 0's node until one comes from elsewhere. Returns the
    /// remote-page per-mille of the blocks taken, or UInt64.max if the fallback was wrong.
    static func exhaustNode() -> UInt64 {
        let order = 8
        var blocks: [UInt64] = []
        let local = PCA.node
        let localNode = FrameAllocator.node(local)
        var remoteSeen = false
        var ok = true
        var remoteCount: UInt64 = 0
        while let pa = FrameAllocator.allocate(order: order) {
            blocks.append(pa)
            if FrameAllocator.nodeOf(physical: pa) != local {
                remoteCount += 1
                if !remoteSeen {
                    // Only now may the local node be out of blocks this large.
                    for o in order ... NodeFrames.maxOrder where localNode.head(o).pointee != 0 { ok = false }
                    remoteSeen = true
                }
                if blocks.count > 4 && remoteCount >= 2 { break }
            } else if remoteSeen {
                ok = false                       // back to local after a remote block
            }
            if FrameAllocator.nodeCount == 1 && blocks.count > 100_000 { break }
        }
        for pa in blocks { FrameAllocator.free(physical: pa, order: order) }
        if FrameAllocator.nodeCount > 1 && !remoteSeen { ok = false }
        return ok ? remoteCount * 1000 / UInt64(max(blocks.count, 1)) : UInt64.max
    }
}
