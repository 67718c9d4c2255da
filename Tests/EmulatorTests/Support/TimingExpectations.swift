// TimingExpectations: the analytic / enumerated expectations shared by the timing tests of
// both ISAs (MIPS64TimingTests, PPC64TimingTests): LRU miss counts of cyclic sweeps, the
// sequentially consistent outcome sets of litmus tests and the check of litmus.S's output, and the LL/SC increments stress.S does.

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

    /// One litmus test of litmus.S (both ISAs): its SC outcome indices, enumerated over all
    /// interleavings, and the outcome the architectures (MIPS64 without `sync`, Power without
    /// `lwsync`/`sync`) allow but a sequentially consistent machine cannot produce. Our memory
    /// model is sequentially consistent by construction (one CPU executes at a time and a store
    /// is visible at once), so `relaxed` never appears, with or without barriers: the litmus
    /// runs check that coherence never yields a non-SC outcome (a lost or reordered store, a stale
    /// line), not that barriers order anything.
    struct Litmus {
        let name: String
        let sc: Set<Int>
        let relaxed: Set<Int>
        /// Counts litmus.S prints for the test.
        let printed: Int
    }

    static let litmus: [Litmus] = {
        let x = 0, y = 1
        let pair: ([Int], [Int]) -> Int = { _, r in r[0] * 2 + r[1] }
        return [
            Litmus(name: "MP", sc: scOutcomes([[.store(x, 1), .store(y, 1)], [.load(y, 0), .load(x, 1)]], index: pair),
                   relaxed: [2], printed: 4),                             // r0 = y = 1, r1 = x = 0
            Litmus(name: "SB", sc: scOutcomes([[.store(x, 1), .load(y, 0)], [.store(y, 1), .load(x, 1)]], index: pair),
                   relaxed: [0], printed: 4),                             // both loads 0
            Litmus(name: "LB", sc: scOutcomes([[.load(x, 0), .store(y, 1)], [.load(y, 1), .store(x, 1)]], index: pair),
                   relaxed: [3], printed: 4),                             // both loads see the later store
            Litmus(name: "IRIW", sc: scOutcomes([[.store(x, 1)], [.store(y, 1)], [.load(x, 0), .load(y, 1)], [.load(y, 2), .load(x, 3)]]) { _, r in
                       r[0] * 8 + r[1] * 4 + r[2] * 2 + r[3] },
                   relaxed: [10], printed: 16),                           // the readers disagree on the order
            Litmus(name: "2+2W", sc: scOutcomes([[.store(x, 1), .store(y, 2)], [.store(y, 1), .store(x, 2)]]) { m, _ in m[x] * 4 + m[y] },
                   relaxed: [5], printed: 16),                            // final x = 1, y = 1
        ]
    }()

    /// Checks litmus.S's output: one line per test and variant, every count parsed, every
    /// observed outcome SC. Returns the problems and the outcomes seen per test.
    static func checkLitmus(_ output: String, variants: [String]) -> (problems: [String], seen: [String: Set<Int>]) {
        var problems: [String] = [], seen: [String: Set<Int>] = [:], reported: [String] = []
        for l in output.split(separator: "\n") {
            let parts = l.split(separator: ":")
            let head = parts[0].split(separator: " ")
            guard parts.count == 2, head.count == 2, let t = litmus.first(where: { $0.name == head[0] }) else {
                problems.append("unexpected line: \(l)"); continue
            }
            reported.append("\(head[0]) \(head[1])")
            let counts = parts[1].split(separator: " ").map { Int($0) }
            guard counts.count == t.printed, counts.allSatisfy({ $0 != nil }) else { problems.append("bad counts: \(l)"); continue }
            for (i, n) in counts.enumerated() where n! > 0 {
                if !t.sc.contains(i) { problems.append("\(head[0]) \(head[1]) shows non-SC outcome \(i) \(n!) times") }
                seen[t.name, default: []].insert(i)
            }
        }
        let expected = litmus.flatMap { t in variants.map { "\(t.name) \($0)" } }
        if reported != expected { problems.append("reported \(reported), expected \(expected)") }
        return (problems, seen)
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
