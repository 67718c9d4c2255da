// HotSwap: replacing a live clustered object's implementation (K42's CObjRootMediator). The
// swapper installs a mediator as the object's root and runs the phases:
//  FORWARD  every CPU's local entry is cleared, so new calls miss into the mediator, which counts
//           them per CPU and forwards them to the old rep; calls that started through an old
//           entry are waited out with two generations on every CPU;
//  BLOCK    new calls park in the mediator; the forwarded calls in flight drain;
//  TRANSFER the old root exports its state in a format the new root imports (the lowest common
//           TransferFormat bit; none in common: the swap is abandoned and the old root restored);
//  COMPLETE the new root is installed, parked calls are released and retry through it; the old
//           root and the mediator go to deferred destruction.
// No call is lost: a call either ran on the old implementation (before BLOCK) or waits and runs
// on the new one. The swapper must not be inside a request itself.
// Mediator words: per CPU an in-flight count (own 64-byte line), the phase, a parked queue
// (spin lock, head), the longest park in cycles.

final class Mediator: CORoot {
    let old: CORoot
    let words: UnsafeMutablePointer<UInt64>
    static let forward: UInt64 = 0, block: UInt64 = 1, complete: UInt64 = 2
    static let stride = 8

    init(old: CORoot) {
        self.old = old
        let cpus = BootInfo.cpuCount
        words = UnsafeMutablePointer<UInt64>.allocate(capacity: Self.stride * cpus + 8)
        for i in 0 ..< Self.stride * cpus + 8 { words[i] = 0 }
        super.init()
    }
    deinit { words.deallocate() }

    override var isMediator: Bool { true }
    private var control: UnsafeMutablePointer<UInt64> { words + Self.stride * BootInfo.cpuCount }
    var phase: AtomicWord { AtomicWord(control) }
    private var lock: SpinLock { SpinLock(control + 1) }
    private var parkedHead: UnsafeMutablePointer<UInt64> { control + 3 }
    var longestPark: UInt64 { control[4] }
    @inline(__always) private func inFlight(_ cpu: Int) -> AtomicWord { AtomicWord(words + Self.stride * cpu) }

    override func mediatorEnter(cpu: Int) -> UInt {
        while true {
            let p = phase.loadSequential()
            if p == Self.complete { return 0 }
            if p == Self.block { park(); continue }
            _ = inFlight(cpu).add(1)
            if phase.loadSequential() != Self.forward {
                _ = inFlight(cpu).add(UInt64.max)
                continue
            }
            return old.rep(for: cpu)
        }
    }

    override func mediatorExit(cpu: Int) { _ = inFlight(cpu).add(UInt64.max) }

    private func park() {
        let start = Devices.cycles
        lock.lock()
        if phase.loadSequential() != Self.block { lock.unlock(); return }
        let me = Scheduler.current
        Scheduler.prepareToBlock()
        me.next = parkedHead.pointee
        parkedHead.pointee = UInt64(me.address)
        lock.unlock()
        Scheduler.block()
        let waited = Devices.cycles - start
        lock.lock()
        if waited > control[4] { control[4] = waited }
        lock.unlock()
    }

    var callsInFlight: UInt64 {
        (0 ..< BootInfo.cpuCount).reduce(0) { $0 + inFlight($1).loadSequential() }
    }

    /// Ends the mediation: parked calls retry (through the new root).
    func releaseAll() {
        lock.lock()
        phase.storeSequential(Self.complete)
        var t = parkedHead.pointee
        parkedHead.pointee = 0
        lock.unlock()
        while t != 0 {
            let r = ThreadRecord(UInt(t))
            t = r.next
            Scheduler.unblock(r)
        }
    }
}

extension COS {
    /// What a swap measured (cycles).
    struct SwapResult {
        var swapped: Bool
        var cycles: UInt64
        var longestBlocked: UInt64
    }

    /// Replaces the implementation of `index`'s object by `newRoot` while it is in use.
    static func swap(_ index: Int, to newRoot: CORoot) -> SwapResult {
        let start = Devices.cycles
        let state = GlobalTable.state(index)
        while true {
            let s = state.load()
            if s & GlobalTable.allocated == 0 || s & (GlobalTable.destroying | GlobalTable.switching) != 0 {
                return SwapResult(swapped: false, cycles: 0, longestBlocked: 0)
            }
            if state.compareExchange(expected: s, desired: s | GlobalTable.switching) { break }
        }
        let g = GlobalTable.entry(index)
        let oldWord = g[0]
        let old = Unmanaged<CORoot>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(oldWord))!).takeUnretainedValue()
        let mediator = Mediator(old: old)
        mediator.index = index
        newRoot.index = index
        let mediatorWord = UInt64(UInt(bitPattern: Unmanaged.passRetained(mediator).toOpaque()))
        AtomicWord(g).storeSequential(mediatorWord)
        let cpus = BootInfo.cpuCount
        // FORWARD: clear every local entry, then wait out calls that began through one.
        everyCPU {
            LocalTable.entry(index).pointee = 0
            old.holders.remove(PCA.cpu)
            Generation.waitForTwo()
        }
        _ = cpus
        // BLOCK, and let the forwarded calls drain.
        mediator.phase.storeSequential(Mediator.block)
        while mediator.callsInFlight != 0 { Scheduler.yield() }
        // TRANSFER through the lowest format both roots know.
        let common = old.exportFormats & newRoot.importFormats
        var installed = newRoot
        var retired = oldWord
        if common != 0 {
            let format = common & (~common &+ 1)
            newRoot.importState(format, old.exportState(format))
        } else {
            installed = old
            retired = UInt64(UInt(bitPattern: Unmanaged.passRetained(newRoot).toOpaque()))
        }
        // COMPLETE.
        let installedWord = installed === old ? oldWord : UInt64(UInt(bitPattern: Unmanaged.passRetained(installed).toOpaque()))
        AtomicWord(g).storeSequential(installedWord)
        state.and(~GlobalTable.switching)
        mediator.releaseAll()
        let blocked = mediator.longestPark
        Destruction.retire(mediatorWord, index: -1, localOnly: false)
        if retired != installedWord { Destruction.retire(retired, index: -1, localOnly: false) }
        return SwapResult(swapped: common != 0, cycles: Devices.cycles - start, longestBlocked: blocked)
    }

    /// Runs `body` on every CPU (in its service thread) at once and waits for all.
    static func everyCPU(_ body: @escaping () -> Void) {
        let cpus = BootInfo.cpuCount
        let group = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        let wg = WaitGroup(group, count: cpus)
        let address = UInt(bitPattern: group)
        for c in 0 ..< cpus {
            CrossCall.post(c) {
                body()
                WaitGroup(existing: UnsafeMutablePointer<UInt64>(bitPattern: address)!).done()
                return 0
            }
        }
        wg.wait()
        group.deallocate()
    }
}
