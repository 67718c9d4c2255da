// Roots: the per-object part of a clustered object that knows its representatives (K42's
// CObjRoot*). A miss on a CPU reaches the root with the method's identity; the root supplies that
// CPU's rep — creating it on first use, on the missing CPU (so a per-CPU or per-node rep lives on
// that CPU's node) — installs it in the CPU's local table entry and records the CPU in its set of
// CPUs holding entries. `RepRoot` covers K42's single-rep and multi-rep roots: a rep per cluster
// of `clusterSize` consecutive CPUs (1: per CPU; CPUs per node: per node; all CPUs: one shared
// rep). Hot swap (HotSwap.swift) moves state between roots through a transfer format both agree
// on (`TransferFormat`); the mediator is a root too.

/// A set of CPUs (256 bits), updated atomically.
struct CPUSet {
    let words: UnsafeMutablePointer<UInt64>
    static let wordCount = 4

    static func make() -> CPUSet {
        let w = UnsafeMutablePointer<UInt64>.allocate(capacity: wordCount)
        for i in 0 ..< wordCount { w[i] = 0 }
        return CPUSet(words: w)
    }
    func insert(_ cpu: Int) {
        let bit = UInt64(1) << UInt64(cpu & 63)
        let w = AtomicWord(words + cpu / 64)
        if w.load() & bit == 0 { w.or(bit) }
    }
    func remove(_ cpu: Int) {
        AtomicWord(words + cpu / 64).and(~(UInt64(1) << UInt64(cpu & 63)))
    }
    func contains(_ cpu: Int) -> Bool { AtomicWord(words + cpu / 64).load() & (UInt64(1) << UInt64(cpu & 63)) != 0 }
    var count: Int { (0 ..< Self.wordCount).reduce(0) { $0 + AtomicWord(words + $1).load().nonzeroBitCount } }
    /// True when no CPU other than `cpu` is in the set.
    func onlyContains(_ cpu: Int) -> Bool {
        for i in 0 ..< Self.wordCount {
            var w = AtomicWord(words + i).load()
            if i == cpu / 64 { w &= ~(UInt64(1) << UInt64(cpu & 63)) }
            if w != 0 { return false }
        }
        return true
    }
}

/// Transfer formats a root can export or import (bits).
enum TransferFormat {
    /// One word: a counter's total.
    static let counterTotal: UInt64 = 1
}

class CORoot {
    /// The reference this root serves (set when it is installed).
    var index = -1
    let holders: CPUSet
    var isMediator: Bool { false }

    init() { holders = CPUSet.make() }
    deinit { holders.words.deallocate() }

    /// The rep for `cpu`, installed in its local entry. The default has none.
    func handleMiss(cpu: Int, method: Int) -> UInt { Panic.panic("clustered object without representatives") }
    /// The rep for `cpu` without installing it (the mediator forwards calls to it).
    func rep(for cpu: Int) -> UInt { handleMiss(cpu: cpu, method: -1) }
    /// Releases the reps (reclamation).
    func destroyReps() {}
    var repsCreated: Int { 0 }

    /// Mediator only (HotSwap.swift): the rep a call on `cpu` should use now (0: the swap is
    /// over, look the root up again), and the end of that call.
    func mediatorEnter(cpu: Int) -> UInt { 0 }
    func mediatorExit(cpu: Int) {}

    var exportFormats: UInt64 { 0 }
    var importFormats: UInt64 { 0 }
    func exportState(_ format: UInt64) -> [UInt64] { [] }
    func importState(_ format: UInt64, _ state: [UInt64]) {}
}

/// Reps per cluster of CPUs, created on demand by `make(cluster)` on the missing CPU.
final class RepRoot<Rep: AnyObject>: CORoot {
    let clusterSize: Int
    let make: (Int) -> Rep
    let reps: UnsafeMutablePointer<UInt>
    let clusters: Int
    let lockWords: UnsafeMutablePointer<UInt64>
    private var created = 0
    var exporter: ((RepRoot<Rep>, UInt64) -> [UInt64])? = nil
    var importer: ((RepRoot<Rep>, UInt64, [UInt64]) -> Void)? = nil
    var formatsOut: UInt64 = 0, formatsIn: UInt64 = 0

    init(clusterSize: Int, make: @escaping (Int) -> Rep) {
        self.clusterSize = max(1, min(clusterSize, BootInfo.cpuCount))
        self.make = make
        clusters = (BootInfo.cpuCount + self.clusterSize - 1) / self.clusterSize
        reps = UnsafeMutablePointer<UInt>.allocate(capacity: clusters)
        for i in 0 ..< clusters { reps[i] = 0 }
        lockWords = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        SpinLock.initialise(lockWords)
        super.init()
    }
    /// One rep per CPU / per NUMA node / shared by all.
    static func perCPU(_ make: @escaping (Int) -> Rep) -> RepRoot<Rep> { RepRoot(clusterSize: 1, make: make) }
    static func perNode(_ make: @escaping (Int) -> Rep) -> RepRoot<Rep> { RepRoot(clusterSize: BootInfo.cpusPerNode, make: make) }
    static func single(_ make: @escaping (Int) -> Rep) -> RepRoot<Rep> { RepRoot(clusterSize: BootInfo.cpuCount, make: make) }

    deinit {
        reps.deallocate()
        lockWords.deallocate()
    }

    override func rep(for cpu: Int) -> UInt {
        let c = cpu / clusterSize
        let lock = SpinLock(lockWords)
        lock.lock()
        if reps[c] == 0 {
            reps[c] = UInt(bitPattern: Unmanaged.passRetained(make(c)).toOpaque())
            created += 1
            Counter.repsCreated.add()
        }
        let r = reps[c]
        lock.unlock()
        return r
    }

    override func handleMiss(cpu: Int, method: Int) -> UInt {
        let r = rep(for: cpu)
        holders.insert(cpu)
        LocalTable.entry(index).pointee = r
        return r
    }

    override var repsCreated: Int { created }

    /// Every rep created so far (e.g. to sum a partitioned counter).
    func forEachRep(_ body: (Rep) -> Void) {
        for i in 0 ..< clusters where AtomicWord(UnsafeMutableRawPointer(reps + i)).load() != 0 {
            Unmanaged<Rep>.fromOpaque(UnsafeRawPointer(bitPattern: reps[i])!)._withUnsafeGuaranteedRef { body($0) }
        }
    }

    override func destroyReps() {
        for i in 0 ..< clusters where reps[i] != 0 {
            Unmanaged<Rep>.fromOpaque(UnsafeRawPointer(bitPattern: reps[i])!).release()
            reps[i] = 0
        }
    }

    override var exportFormats: UInt64 { formatsOut }
    override var importFormats: UInt64 { formatsIn }
    override func exportState(_ format: UInt64) -> [UInt64] { exporter?(self, format) ?? [] }
    override func importState(_ format: UInt64, _ state: [UInt64]) { importer?(self, format, state) }
}
