// Domains: resource domains — what the per-CPU scheduler knows of a dispatcher's vehicle
// (docs/kernel/scheduling.md). Every kernel thread is in the kernel class (0) and is run first,
// FIFO, as before — except that one that yields lets a ready vehicle go first once. A vehicle (a kernel thread carrying a process's user code) is in a resource
// domain: a priority class (2 soft real time, 3 time sharing — the default, 4 background; 1,
// gang, is reserved) and a weight (1-1000, default 100), set by the process per dispatcher
// (system call 18). Inside a class the CPU is shared in proportion to the weights by stride
// scheduling: a vehicle's pass grows by the cycles it ran × 1024 / weight, the ready vehicle
// with the lowest pass runs, and a vehicle that was blocked comes back no further behind than
// the class's virtual time (the pass of the last one picked), so sleeping earns no credit.
// Preemption: a ready thread of a higher class (or a kernel thread) preempts at once (hard); a
// vehicle whose quantum (one tick) ran out while another of its class waits is asked first
// (soft: soft-interrupt bit 3 on its dispatcher, which gives up the CPU by system call 19) and
// stopped by the kernel (hard) if it still runs at the next tick — or at once if it has no
// dispatcher to ask. Ready vehicles wait on one per-CPU list scanned for the lowest (class,
// pass); the number ready on one CPU is small, and the kernel's own FIFO is untouched by it.

enum Domains {
    static let kernelClass: UInt64 = 0
    static let gangClass: UInt64 = 1
    static let softRealTimeClass: UInt64 = 2
    static let timeSharingClass: UInt64 = 3
    static let backgroundClass: UInt64 = 4
    static let classCount = 5
    static let defaultWeight: UInt64 = 100
    static let maxWeight: UInt64 = 1000
    static let passUnit: UInt64 = 1024

    /// A new vehicle's domain: time sharing, the default weight.
    static func enterDefault(_ t: ThreadRecord) {
        t.domainClass = timeSharingClass
        t.weight = defaultWeight
        t.pass = PCA.local.word(CPUArea.domainTime + 8 * Int(timeSharingClass)).pointee
    }

    /// System call 18: the calling vehicle's (dispatcher's) class and weight.
    static func set(_ t: ThreadRecord, class c: UInt64, weight: UInt64) -> Int64 {
        guard t.domainClass != kernelClass else { return -Programs.einval }
        guard c >= softRealTimeClass, c <= backgroundClass, weight >= 1, weight <= maxWeight else {
            return c == gangClass ? -Programs.eperm : -Programs.einval
        }
        let token = Arch.disableInterrupts()
        charge(t)
        if c != t.domainClass {
            t.domainClass = c
            t.pass = PCA.local.word(CPUArea.domainTime + 8 * Int(c)).pointee
        }
        t.weight = weight
        Arch.restoreInterrupts(token)
        Scheduler.yield()                   // a higher class may be waiting now
        return 0
    }

    /// The cycles `t` (the running thread) ran since it was last switched in, charged to its
    /// pass. Interrupts disabled.
    @inline(__always) static func charge(_ t: ThreadRecord) {
        let start = PCA.local.word(CPUArea.runStart)
        let now = Devices.cycles
        if t.domainClass != kernelClass {
            t.pass &+= (now &- start.pointee) &* passUnit / max(t.weight, 1)
            t.softPreemptAt = 0
        }
        start.pointee = now
    }

    // MARK: the ready list of vehicles (interrupts disabled)

    static func push(_ t: ThreadRecord) {
        let pca = PCA.local
        let vt = pca.word(CPUArea.domainTime + 8 * Int(t.domainClass)).pointee
        if t.pass < vt { t.pass = vt }
        t.next = 0
        let tail = pca.word(CPUArea.domainTail)
        if tail.pointee == 0 {
            pca.word(CPUArea.domainHead).pointee = UInt64(t.address)
        } else {
            ThreadRecord(UInt(tail.pointee)).next = UInt64(t.address)
        }
        tail.pointee = UInt64(t.address)
    }

    /// The ready vehicle of the highest class with the lowest pass (the earliest of equals).
    static func best() -> ThreadRecord? {
        var link = PCA.local.word(CPUArea.domainHead).pointee
        var found: ThreadRecord? = nil
        while link != 0 {
            let t = ThreadRecord(UInt(link))
            if let f = found {
                if t.domainClass < f.domainClass || (t.domainClass == f.domainClass && t.pass < f.pass) { found = t }
            } else {
                found = t
            }
            link = t.next
        }
        return found
    }

    static func pop() -> ThreadRecord? {
        guard let t = best() else { return nil }
        let pca = PCA.local
        var link = pca.word(CPUArea.domainHead)
        var previous: ThreadRecord? = nil
        while link.pointee != UInt64(t.address) {
            previous = ThreadRecord(UInt(link.pointee))
            link = previous!.raw + 3
        }
        link.pointee = t.next
        if pca.word(CPUArea.domainTail).pointee == UInt64(t.address) {
            pca.word(CPUArea.domainTail).pointee = previous.map { UInt64($0.address) } ?? 0
        }
        t.next = 0
        let vt = pca.word(CPUArea.domainTime + 8 * Int(t.domainClass))
        if t.pass > vt.pointee { vt.pointee = t.pass }
        return t
    }

    static var isEmpty: Bool { PCA.local.word(CPUArea.domainHead).pointee == 0 }

    // MARK: preemption (interrupt handlers)

    /// Whether what is ready should preempt the running thread now; `tick`: its quantum ran
    /// out. A soft preemption is requested here (and counted), a hard one is the answer true.
    static func shouldPreempt(tick: Bool) -> Bool {
        let pca = PCA.local
        Scheduler.drainIncoming()
        let me = Scheduler.current
        if me.isIdle || me.domainClass == kernelClass { return Scheduler.hasWork }
        if pca.word(CPUArea.readyHead).pointee != 0 {
            Counter.hardPreemptions.add()
            return true
        }
        guard let b = best() else { return false }
        if b.domainClass < me.domainClass {
            Counter.hardPreemptions.add()
            return true
        }
        guard tick, b.domainClass == me.domainClass else { return false }
        if me.softPreemptAt != 0 || !Dispatcher.askToYield(me) {
            Counter.hardPreemptions.add()       // ignored the request for a whole tick, or no dispatcher
            return true
        }
        me.softPreemptAt = Devices.cycles
        Counter.softPreemptions.add()
        return false
    }

    /// System call 19: the dispatcher gives up the CPU (its answer to a soft preemption).
    static func yieldCPU(_ t: ThreadRecord) {
        if t.softPreemptAt != 0 { Counter.preemptionsHonoured.add() }
        Scheduler.yield()
    }
}

extension ThreadRecord {
    /// Resource domain (Domains.swift): class and weight, pass, the cycle a soft preemption was
    /// requested at (0: none).
    var domainClass: UInt64 { get { raw[26] } nonmutating set { raw[26] = newValue } }
    var weight: UInt64 { get { raw[27] } nonmutating set { raw[27] = newValue } }
    var pass: UInt64 { get { raw[28] } nonmutating set { raw[28] = newValue } }
    var softPreemptAt: UInt64 { get { raw[29] } nonmutating set { raw[29] = newValue } }
    /// Which of its process's dispatchers on this CPU the vehicle carries (User/Dispatcher.swift).
    var dispatcherNumber: UInt64 { get { raw[30] } nonmutating set { raw[30] = newValue } }
}
