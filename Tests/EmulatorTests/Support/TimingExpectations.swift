// TimingExpectations: the analytic / enumerated expectations shared by the timing tests of
// both ISAs (MIPS64TimingTests, PPC64TimingTests): LRU miss counts of cyclic sweeps, the
// sequentially consistent outcome sets of litmus tests, and the LL/SC increments stress.S does.

enum TimingExpectations {
    /// (size, stride) as in cache_sweep.S (both ISAs); 3 measured passes after one warm-up pass.
    static let sweeps: [(Int, Int)] = [(8192, 8), (32768, 8), (32768, 128), (32768, 256), (49152, 128), (65536, 8),
                                       (65536, 128), (65536, 256), (16384, 4096), (65536, 4096), (131072, 512)]
    static let passes = 3

    /// Steady-state misses of `passes` cyclic passes after a warm-up pass, under LRU: a set that
    /// k > ways of the touched lines map to misses all k on every pass, any other set never.
    static func expectedMisses(size: Int, stride: Int, line: Int, sets: Int, ways: Int) -> Int {
        var perSet = [Int: Set<Int>]()
        var a = 0
        while a < size { let l = a / line; perSet[l % sets, default: []].insert(l); a += stride }
        return perSet.values.reduce(0) { $0 + ($1.count > ways ? $1.count * passes : 0) }
    }

    enum LitmusOp { case store(Int, Int), load(Int, Int) }   // (variable, value) / (variable, register)

    /// Outcome indices reachable under sequential consistency (all interleavings of the threads).
    static func scOutcomes(_ threads: [[LitmusOp]], index: ([Int], [Int]) -> Int) -> Set<Int> {
        var out = Set<Int>()
        func go(_ pcs: [Int], _ mem: [Int], _ regs: [Int]) {
            var progressed = false
            for t in threads.indices where pcs[t] < threads[t].count {
                progressed = true
                var p = pcs, m = mem, r = regs
                switch threads[t][p[t]] {
                case .store(let v, let x): m[v] = x
                case .load(let v, let reg): r[reg] = m[v]
                }
                p[t] += 1
                go(p, m, r)
            }
            if !progressed { out.insert(index(mem, regs)) }
        }
        go([Int](repeating: 0, count: threads.count), [0, 0], [0, 0, 0, 0])
        return out
    }

    /// LL/SC increments stress.S performs: its LCG per CPU (seed cpu + 1), operations 4 and 5 of 8.
    static func expectedIncrements(cpus: Int, ops: Int = 4000) -> Int {
        var n = 0
        for c in 0 ..< cpus {
            var s = UInt64(c + 1)
            for _ in 0 ..< ops {
                s = s &* 6364136223846793005 &+ 1442695040888963407
                let op = ((s >> 33) >> 12) & 7
                if op == 4 || op == 5 { n += 1 }
            }
        }
        return n
    }
}
