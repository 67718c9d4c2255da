// WaitGroup: one thread waits until N pieces of work (on any CPUs) are done. Two words in the
// waiter's memory: the count still outstanding and the waiting thread. The last `done` wakes the
// waiter; the waiter registers itself before it checks the count (sequentially consistent on
// both sides), so the wakeup cannot be lost.

struct WaitGroup {
    let words: UnsafeMutablePointer<UInt64>

    init(_ words: UnsafeMutablePointer<UInt64>, count: Int) {
        self.words = words
        words[0] = UInt64(count)
        words[1] = 0
    }

    init(existing words: UnsafeMutablePointer<UInt64>) { self.words = words }

    func done() {
        if AtomicWord(words).add(UInt64.max) == 1 {              // subtracts 1
            let waiter = AtomicWord(words + 1).loadSequential()
            if waiter != 0 { Scheduler.unblock(ThreadRecord(UInt(waiter))) }
        }
    }

    func wait() {
        Scheduler.prepareToBlock()
        AtomicWord(words + 1).storeSequential(UInt64(Scheduler.current.address))
        if AtomicWord(words).loadSequential() == 0 {
            Scheduler.cancelBlock()
        } else {
            Scheduler.block()
        }
        while AtomicWord(words).loadSequential() != 0 { Scheduler.yield() }
    }
}

/// Runs `body(cpu, index)` in `threadsPerCPU` new threads on each of the first `cpus` CPUs
/// and waits for all of them.
func runOnCPUs(_ cpus: Int, threadsPerCPU: Int = 1, _ body: @escaping (Int, Int) -> Void) {
    let group = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
    let wg = WaitGroup(group, count: cpus * threadsPerCPU)
    let address = UInt(bitPattern: group)
    for c in 0 ..< cpus {
        CrossCall.post(c) {
            for i in 0 ..< threadsPerCPU {
                _ = Thread.spawn(detached: true) {
                    body(PCA.cpu, i)
                    WaitGroup(existing: UnsafeMutablePointer<UInt64>(bitPattern: address)!).done()
                    return 0
                }
            }
            return 0
        }
    }
    wg.wait()
    group.deallocate()
}

/// A small deterministic random stream (xorshift64*), one per user.
struct Random {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
    mutating func below(_ n: UInt64) -> UInt64 { next() % n }
}
