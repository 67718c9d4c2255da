// COS: the clustered-object system's entry points — creating an object (a reference from this
// CPU's partition, the root installed in the global entry), the miss path every first call on a
// CPU takes, destruction (Destruction.swift) and hot swap (HotSwap.swift). The manager is itself
// a clustered object with one rep per CPU (well-known reference 0), so handing out references
// touches only the calling CPU's partition; the frame allocator is one with a rep per NUMA node
// (reference 1), the page manager one with a rep per node too (reference 2). Callers run inside a request (Generation.request) so that deferred destruction
// can tell when nobody may still hold a rep.

enum COS {
    static let wellKnownCount = 3
    static var manager: CORef<ManagerRep> { CORef(index: 0) }
    static var frames: CORef<FrameAllocatorRep> { CORef(index: 1) }
    static var pageManager: CORef<PMRep> { CORef(index: 2) }

    /// The root of reference `index` (valid while the object exists).
    static func root(_ index: Int) -> CORoot {
        Unmanaged<CORoot>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(GlobalTable.entry(index)[0]))!).takeUnretainedValue()
    }

    /// A new clustered object served by `root`, or nil when this CPU's partition is full (which
    /// is reported: refs come back only through reclamation).
    static func create<Rep: AnyObject>(_ root: RepRoot<Rep>) -> CORef<Rep>? {
        guard let index = manager.call({ $0.allocateIndex() }) else { return nil }
        install(root, at: index)
        return CORef(index: index)
    }

    static func install(_ root: CORoot, at index: Int) {
        root.index = index
        let g = GlobalTable.entry(index)
        g[0] = UInt64(UInt(bitPattern: Unmanaged.passRetained(root).toOpaque()))
        GlobalTable.state(index).store(GlobalTable.allocated)
    }

    /// The miss path: an empty local entry. Returns nil if the object was destroyed.
    static func miss<Rep: AnyObject, R>(_ index: Int, _ method: Int, _ body: (Rep) -> R) -> R? {
        Counter.misses.add()
        let state = GlobalTable.state(index)
        while true {
            let s = state.load()
            if s & GlobalTable.allocated == 0 || s & GlobalTable.destroying != 0 { return nil }
            guard state.compareExchange(expected: s, desired: s + 1) else { continue }     // read-enter
            let root = Unmanaged<CORoot>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(GlobalTable.entry(index)[0]))!)
            let cpu = PCA.cpu
            if root._withUnsafeGuaranteedRef({ $0.isMediator }) {
                _ = state.add(UInt64.max)                                                   // read-exit
                let m = root._withUnsafeGuaranteedRef { $0 }
                let rep = m.mediatorEnter(cpu: cpu)
                if rep == 0 { continue }                                                    // swapped: retry
                let r = Unmanaged<Rep>.fromOpaque(UnsafeRawPointer(bitPattern: rep)!)._withUnsafeGuaranteedRef(body)
                m.mediatorExit(cpu: cpu)
                return r
            }
            let rep = root._withUnsafeGuaranteedRef { $0.handleMiss(cpu: cpu, method: method) }
            _ = state.add(UInt64.max)                                                       // read-exit
            return Unmanaged<Rep>.fromOpaque(UnsafeRawPointer(bitPattern: rep)!)._withUnsafeGuaranteedRef(body)
        }
    }

    /// CPU bring-up: this CPU's global-table partition, the local-table page of the well-known
    /// references, and its daemon. CPU 0 also installs the well-known objects.
    static func setUpCPU() {
        GlobalTable.createPartition()
        LocalTable.touch(0)
        if PCA.cpu == 0 {
            install(RepRoot<ManagerRep>.perCPU { ManagerRep(cpu: $0) }, at: 0)
            install(RepRoot<FrameAllocatorRep>.perNode { FrameAllocatorRep(node: $0) }, at: 1)
            install(PM.makeRoot(), at: 2)
        }
        let daemon = Thread.create({ _ in COS.daemonLoop() }, detached: true)
        PCA.local.word(CPUArea.cosDaemon).pointee = UInt64(daemon.address)
    }

    /// Wakes this CPU's daemon (from the tick, when it has work).
    @inline(__always) static func pokeDaemon() {
        let pca = PCA.local
        if pca.word(CPUArea.cosWork).pointee != 0, pca.word(CPUArea.cosDaemon).pointee != 0 {
            Scheduler.unblock(ThreadRecord(UInt(pca.word(CPUArea.cosDaemon).pointee)))
        }
    }
}

/// The clustered-object manager's rep on one CPU: hands out references of that CPU's partition.
final class ManagerRep {
    let cpu: Int
    init(cpu: Int) { self.cpu = cpu }

    func allocateIndex() -> Int? {
        Preempt.disable()
        let index = GlobalTable.allocateIndex()
        Preempt.enable()
        if index == nil { Destruction.reportTableFull() }
        return index
    }
}
