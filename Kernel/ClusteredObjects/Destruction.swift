// Destruction: deferred destruction of clustered objects, without existence locks or reference
// counts on the call path (K42's COSMgr generations and token). `destroy` marks the global entry
// destroying (waiting for misses in progress; no miss can install a rep after that) and files a
// record:
//  - an object whose reps only this CPU ever installed: its entry is cleared now and it is
//    reclaimed once two local generations have passed (every request that might hold its rep
//    has finished);
//  - otherwise the record goes to this CPU's pending list, and the token circulates round all
//    CPUs. Each CPU keeps the token until two of its generations have passed since it arrived,
//    then clears its own local entries of the batch being cleared, hands its pending records to
//    the next batch and passes the token on. When the token returns to CPU 0 a circuit ends: the
//    batch cleared in the previous circuit is reclaimed (every CPU has since passed two more
//    generations) and the batches move up.
// Reclaiming releases the reps and the root and returns the reference to its partition — refs
// are reused only after reclaim. A token held longer than `costall=` cycles (default 50 M) is
// reported once (console line, Report.tokenStalled); a full partition is reported too.
// Checking mode (`cocheck`): reclaimed memory is poisoned and quarantined, never reused, so a
// late access finds the poison (reps check a magic word) instead of a new object.
// Records (4 words): next, root (retained), reference index (or -1), generation marker.
// Token words (KernelWords.cosToken): 0 holder, 1 circuit, 2 collecting (atomic stack),
// 3 clearing, 4 waiting, 5 circulating, 6 records not yet reclaimed, 7 stalls reported.

enum Destruction {
    static var token: UnsafeMutablePointer<UInt64> { KernelWords.cosToken }

    static func record(root: UInt64, index: Int) -> UnsafeMutablePointer<UInt64> {
        guard let raw = SmallAllocator.allocate(size: 32, alignment: 16) else { Panic.panic("out of memory destroying an object") }
        let r = raw.assumingMemoryBound(to: UInt64.self)
        r[0] = 0; r[1] = root; r[2] = UInt64(bitPattern: Int64(index)); r[3] = 0
        return r
    }

    static func push(_ r: UnsafeMutablePointer<UInt64>, onto stack: AtomicWord) {
        var old: UInt64
        repeat { old = stack.load(); r[0] = old } while !stack.compareExchange(expected: old, desired: UInt64(UInt(bitPattern: r)))
    }

    /// Destroys the object of `ref`; false if it is already being destroyed or swapped.
    static func destroy(index: Int) -> Bool {
        let state = GlobalTable.state(index)
        while true {
            let s = state.load()
            if s & GlobalTable.allocated == 0 || s & (GlobalTable.destroying | GlobalTable.switching) != 0 { return false }
            if s & GlobalTable.missMask != 0 { Scheduler.yield(); continue }
            if state.compareExchange(expected: s, desired: s | GlobalTable.destroying) { break }
        }
        Counter.objectsDestroyed.add()
        let rootWord = GlobalTable.entry(index)[0]
        let root = Unmanaged<CORoot>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(rootWord))!).takeUnretainedValue()
        retire(rootWord, index: index, localOnly: root.holders.onlyContains(PCA.cpu))
        return true
    }

    /// Files a destroy record for a root (index -1: a root without a reference of its own, e.g.
    /// one hot swap replaced).
    static func retire(_ rootWord: UInt64, index: Int, localOnly: Bool) {
        let r = record(root: rootWord, index: index)
        let pca = PCA.local
        if localOnly {
            if index >= 0 {
                LocalTable.entry(index).pointee = 0
                Unmanaged<CORoot>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(rootWord))!).takeUnretainedValue().holders.remove(PCA.cpu)
            }
            r[3] = Generation.count
            Preempt.disable()
            r[0] = pca.word(CPUArea.localReclaim).pointee
            pca.word(CPUArea.localReclaim).pointee = UInt64(UInt(bitPattern: r))
            pca.word(CPUArea.cosWork).pointee = 1
            Preempt.enable()
        } else {
            _ = AtomicWord(token + 6).add(1)
            push(r, onto: pca.atomic(CPUArea.pendingRemote))
            kickToken()
        }
    }

    /// Starts the token if it is parked.
    static func kickToken() {
        if AtomicWord(token + 5).compareExchange(expected: 0, desired: 1) {
            wakeDaemon(of: Int(AtomicWord(token).load()))
        }
    }

    static func wakeDaemon(of cpu: Int) {
        let pca = PCA.of(cpu)
        AtomicWord(pca.word(CPUArea.cosWork)).store(1)
        let d = pca.word(CPUArea.cosDaemon).pointee
        if d != 0 { Scheduler.unblock(ThreadRecord(UInt(d))) }
    }

    /// Releases the root (and its reps) of a record and returns its reference.
    static func reclaim(_ r: UnsafeMutablePointer<UInt64>) {
        let checking = BootArgs.has("cocheck")
        let pca = PCA.local
        if checking { pca.word(CPUArea.quarantine).pointee = 1 }
        let root = Unmanaged<CORoot>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(r[1]))!)
        root._withUnsafeGuaranteedRef { $0.destroyReps() }
        root.release()
        if checking { pca.word(CPUArea.quarantine).pointee = 0 }
        let index = Int(Int64(bitPattern: r[2]))
        if index >= 0 {
            GlobalTable.entry(index)[0] = 0
            GlobalTable.freeIndex(index)
        }
        Counter.objectsReclaimed.add()
        SmallAllocator.free(UnsafeMutableRawPointer(r))
    }

    /// The daemon's local work: records whose two generations have passed.
    static func reclaimLocal() -> Bool {
        let pca = PCA.local
        Preempt.disable()
        var list = pca.word(CPUArea.localReclaim).pointee
        pca.word(CPUArea.localReclaim).pointee = 0
        Preempt.enable()
        var keep: UInt64 = 0
        while list != 0 {
            let r = UnsafeMutablePointer<UInt64>(bitPattern: UInt(list))!
            list = r[0]
            if Generation.elapsed(r[3]) {
                reclaim(r)
            } else {
                r[0] = keep
                keep = UInt64(UInt(bitPattern: r))
            }
        }
        if keep != 0 {
            Preempt.disable()
            var last = UnsafeMutablePointer<UInt64>(bitPattern: UInt(keep))!
            while last[0] != 0 { last = UnsafeMutablePointer<UInt64>(bitPattern: UInt(last[0]))! }
            last[0] = pca.word(CPUArea.localReclaim).pointee
            pca.word(CPUArea.localReclaim).pointee = keep
            Preempt.enable()
        }
        return pca.word(CPUArea.localReclaim).pointee != 0
    }

    /// The token's visit to this CPU; true while it still has to come back (holding the token).
    static func visit() -> Bool {
        let me = PCA.cpu
        guard AtomicWord(token + 5).load() != 0, AtomicWord(token).load() == UInt64(me) else { return false }
        let pca = PCA.local
        if pca.word(CPUArea.tokenArrived).pointee == 0 {
            pca.word(CPUArea.tokenArrived).pointee = 1
            pca.word(CPUArea.tokenArrivalGeneration).pointee = Generation.count
            pca.word(CPUArea.tokenArrivalCycle).pointee = Devices.cycles
            pca.word(CPUArea.tokenStallReported).pointee = 0
        }
        Generation.tryAdvance()
        if !Generation.elapsed(pca.word(CPUArea.tokenArrivalGeneration).pointee) {
            Generation.tryAdvance()
            if !Generation.elapsed(pca.word(CPUArea.tokenArrivalGeneration).pointee) {
                checkStall()
                return true
            }
        }
        if me == 0 {
            // A circuit ends (and the next begins): reclaim what was cleared two visits ago.
            var w = token[4]
            while w != 0 {
                let r = UnsafeMutablePointer<UInt64>(bitPattern: UInt(w))!
                w = r[0]
                reclaim(r)
                _ = AtomicWord(token + 6).add(UInt64.max)
            }
            token[4] = token[3]
            token[3] = AtomicWord(token + 2).exchange(0)
            token[1] += 1
        }
        // Clear this CPU's entries of the batch being cleared.
        var c = token[3]
        while c != 0 {
            let r = UnsafeMutablePointer<UInt64>(bitPattern: UInt(c))!
            c = r[0]
            let index = Int(Int64(bitPattern: r[2]))
            let root = Unmanaged<CORoot>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(r[1]))!).takeUnretainedValue()
            if index >= 0 && root.holders.contains(me) {
                LocalTable.entry(index).pointee = 0
                root.holders.remove(me)
            }
        }
        // Hand this CPU's pending records to the next batch.
        var p = pca.atomic(CPUArea.pendingRemote).exchange(0)
        while p != 0 {
            let r = UnsafeMutablePointer<UInt64>(bitPattern: UInt(p))!
            p = r[0]
            push(r, onto: AtomicWord(token + 2))
        }
        pca.word(CPUArea.tokenArrived).pointee = 0
        Counter.tokenVisits.add()
        if pca.word(CPUArea.tokenStallReported).pointee != 0 {
            Console.write("k42: clustered-object token moves on from cpu ")
            Console.write(decimal: me)
            Console.write("\n")
        }
        // Park at CPU 0 when nothing is left anywhere.
        if me == 0 && token[3] == 0 && token[4] == 0 && AtomicWord(token + 6).loadSequential() == 0 {
            AtomicWord(token + 5).storeSequential(0)
            if AtomicWord(token + 6).loadSequential() != 0 { kickToken() }
            return false
        }
        let next = (me + 1) % BootInfo.cpuCount
        AtomicWord(token).store(UInt64(next))
        if next != me { wakeDaemon(of: next) }
        return next == me
    }

    static var stallCycles: UInt64 { BootArgs.integer("costall", default: 50_000_000) }

    static func checkStall() {
        let pca = PCA.local
        let waited = Devices.cycles - pca.word(CPUArea.tokenArrivalCycle).pointee
        guard waited > stallCycles, pca.word(CPUArea.tokenStallReported).pointee == 0 else { return }
        pca.word(CPUArea.tokenStallReported).pointee = 1
        _ = AtomicWord(token + 7).add(1)
        Report.value(.tokenStalled, UInt64(PCA.cpu))
        print("k42: clustered-object token stalled on cpu \(PCA.cpu) for \(waited) cycles: a request has been running "
            + "since before it arrived; \(AtomicWord(token + 6).load()) destroyed objects wait for it")
    }

    /// One console line with the token's words and, per CPU, its generation state and daemon:
    /// what a test prints when reclamation does not happen in time.
    static func describeState() {
        print("cobj state: token holder \(token[0]) circuit \(token[1]) collecting \(token[2] != 0) clearing \(token[3] != 0) "
            + "waiting \(token[4] != 0) circulating \(token[5]) unreclaimed \(token[6]) stalls \(token[7])")
        for c in 0 ..< BootInfo.cpuCount {
            let p = PCA.of(c)
            let d = p.word(CPUArea.cosDaemon).pointee
            print("cobj state: cpu \(c) generation \(p.word(CPUArea.generationCount).pointee) index \(p.word(CPUArea.generationIndex).pointee) "
                + "active \(p.word(CPUArea.activeCounts).pointee)/\(p.word(CPUArea.activeCounts + 8).pointee) "
                + "arrived \(p.word(CPUArea.tokenArrived).pointee) work \(p.word(CPUArea.cosWork).pointee) "
                + "pending \(p.word(CPUArea.pendingRemote).pointee != 0) local \(p.word(CPUArea.localReclaim).pointee != 0) "
                + "daemon state \(d == 0 ? 99 : ThreadRecord(UInt(d)).state.load())")
        }
    }

    static func reportTableFull() {
        Report.value(.tableFull, UInt64(PCA.cpu))
        print("k42: clustered-object table full on cpu \(PCA.cpu): \(PCA.local.word(CPUArea.refsInUse).pointee) references "
            + "in use, \(AtomicWord(token + 6).load()) destroyed objects await reclaim (token at cpu \(token[0]))")
    }
}

extension COS {
    /// The per-CPU daemon (the manager's worker): advances generations, reclaims local objects,
    /// serves the token. It sleeps unless the tick finds `cosWork` set.
    static func daemonLoop() -> UInt {
        let pca = PCA.local
        let work = pca.word(CPUArea.cosWork)
        while true {
            AtomicWord(work).storeSequential(0)
            Generation.tryAdvance()
            var more = Destruction.reclaimLocal()
            if Destruction.visit() { more = true }
            if more || AtomicWord(work).loadSequential() != 0 {
                AtomicWord(work).store(1)
                // Let requests on this CPU finish (the tick wakes us again).
                Scheduler.prepareToBlock()
                Scheduler.block()
                continue
            }
            Scheduler.prepareToBlock()
            if AtomicWord(work).loadSequential() != 0 { Scheduler.cancelBlock(); continue }
            Scheduler.block()
        }
    }
}
