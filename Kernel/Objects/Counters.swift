// Counters: counter objects as clustered objects, three implementations of one interface
// (CounterRep): a shared counter under a spin lock, a shared atomic counter (both one rep for all
// CPUs), and K42's partitioned counter (a rep per CPU, each incremented only by its CPU, summed on
// read). Shared and partitioned ones export and import their total (TransferFormat.counterTotal),
// so one can hot swap into the other. Used by the `counters` and `hotswap` experiments and by
// test=cobj. Every method checks the rep's magic word (poisoned memory is counted, not used).

/// Two implementations of one counter interface, for hot swap.
class CounterRep {
    static let alive: UInt64 = 0xC0A7_7E50_0000_0001
    var magic: UInt64 = CounterRep.alive
    func increment() {}
    /// This rep's part of the count (the whole count for a shared rep).
    func local() -> UInt64 { 0 }
}

/// A count and a ticket lock in one 64-byte block, as a shared counter would have them.
final class LockedCounterRep: CounterRep {
    let words: UnsafeMutablePointer<UInt64>
    override init() {
        words = UnsafeMutablePointer<UInt64>.allocate(capacity: 8)
        for i in 0 ..< 8 { words[i] = 0 }
        super.init()
    }
    deinit { words.deallocate() }
    override func increment() {
        if magic != CounterRep.alive { Counter.deadCalls.add() }
        let lock = SpinLock(words)
        lock.lock()
        words[2] &+= 1
        lock.unlock()
    }
    override func local() -> UInt64 { words[2] }
}

final class SharedCounterRep: CounterRep {
    let word: UnsafeMutablePointer<UInt64>
    init(word: UnsafeMutablePointer<UInt64>) { self.word = word }
    override func increment() {
        if magic != CounterRep.alive { Counter.deadCalls.add() }
        _ = AtomicWord(word).add(1)
    }
    override func local() -> UInt64 { AtomicWord(word).load() }
}

final class PartitionedCounterRep: CounterRep {
    var count: UInt64 = 0
    override func increment() {
        if magic != CounterRep.alive { Counter.deadCalls.add() }
        count &+= 1
    }
    override func local() -> UInt64 { count }
}

enum CounterObjects {
    /// A counter under a lock (single rep, no transfer formats).
    static func lockedRoot() -> RepRoot<CounterRep> { RepRoot<CounterRep>.single { _ in LockedCounterRep() } }

    /// A counter in one shared word (single rep).
    static func sharedRoot(_ word: UnsafeMutablePointer<UInt64>) -> RepRoot<CounterRep> {
        let root = RepRoot<CounterRep>.single { _ in SharedCounterRep(word: word) }
        root.formatsOut = TransferFormat.counterTotal
        root.formatsIn = TransferFormat.counterTotal
        root.exporter = { _, _ in [AtomicWord(word).load()] }
        root.importer = { _, _, s in AtomicWord(word).store(s.first ?? 0) }
        return root
    }

    /// A partitioned counter: a rep per CPU, summed on read, plus what an import brought.
    static func partitionedRoot(base: UnsafeMutablePointer<UInt64>) -> RepRoot<CounterRep> {
        let root = RepRoot<CounterRep>.perCPU { _ in PartitionedCounterRep() }
        root.formatsOut = TransferFormat.counterTotal
        root.formatsIn = TransferFormat.counterTotal
        root.exporter = { r, _ in [CounterObjects.total(r, base: base)] }
        root.importer = { _, _, s in base.pointee = s.first ?? 0 }
        return root
    }

    static func total(_ root: RepRoot<CounterRep>, base: UnsafeMutablePointer<UInt64>) -> UInt64 {
        var sum = base.pointee
        root.forEachRep { sum &+= $0.local() }
        return sum
    }
}

