// Scheduler: one per CPU, in that CPU's per-CPU area; no state shared between CPUs except each
// CPU's incoming-wakeup stack. The ready queue (FIFO through ThreadRecord.next) is touched only
// by its CPU with interrupts disabled. A thread woken by another CPU is pushed onto the owner's
// incoming stack (one compare-and-swap) and, if that stack was empty, the owner gets an IPI;
// the owner moves incoming threads to its ready queue whenever it schedules.
//
// Ready vehicles of processes are kept apart, by resource domain (Domains.swift); kernel threads
// come first.
//
// Thread states: running (the CPU's current thread, or picked to be), ready (in a queue),
// blocked, exited. Only `unblock` moves blocked -> ready (by CAS, so a wakeup is delivered at
// most once); a thread blocks by setting `blocked` before it publishes itself to its waker, so a
// wakeup that comes before it has switched away just leaves it ready. Preemption: the tick and
// IPIs request a reschedule, done at the end of the trap unless preemption is disabled.

enum Scheduler {
    @inline(__always) static var current: ThreadRecord {
        ThreadRecord(UInt(PCA.local.word(CPUArea.currentThread).pointee))
    }

    // Ready queue (interrupts disabled).
    static func pushReady(_ t: ThreadRecord) {
        if t.domainClass != Domains.kernelClass { return Domains.push(t) }
        let pca = PCA.local
        t.next = 0
        let tail = pca.word(CPUArea.readyTail)
        if tail.pointee == 0 {
            pca.word(CPUArea.readyHead).pointee = UInt64(t.address)
        } else {
            ThreadRecord(UInt(tail.pointee)).next = UInt64(t.address)
        }
        tail.pointee = UInt64(t.address)
    }

    static func popReady() -> ThreadRecord? {
        let pca = PCA.local
        let head = pca.word(CPUArea.readyHead)
        guard head.pointee != 0 else { return Domains.pop() }
        let yielded = pca.word(CPUArea.kernelYielded)
        if yielded.pointee != 0 {
            yielded.pointee = 0
            if let v = Domains.pop() { return v }
        }
        let t = ThreadRecord(UInt(head.pointee))
        head.pointee = t.next
        if head.pointee == 0 { pca.word(CPUArea.readyTail).pointee = 0 }
        return t
    }

    /// Moves threads other CPUs woke onto the ready queue, oldest first.
    static func drainIncoming() {
        var list = PCA.local.atomic(CPUArea.incomingWakeups).exchange(0)
        var reversed: UInt64 = 0
        while list != 0 {
            let t = ThreadRecord(UInt(list))
            list = t.next
            t.next = reversed
            reversed = UInt64(t.address)
        }
        while reversed != 0 {
            let t = ThreadRecord(UInt(reversed))
            reversed = t.next
            pushReady(t)
        }
    }

    static var hasWork: Bool {
        let pca = PCA.local
        return pca.word(CPUArea.readyHead).pointee != 0 || !Domains.isEmpty || pca.atomic(CPUArea.incomingWakeups).load() != 0
    }

    /// Picks the next thread and switches to it. Interrupts disabled. The current thread must
    /// already be queued (ready), blocked or exited — or be the idle thread.
    static func schedule() {
        let pca = PCA.local
        drainIncoming()
        let me = current
        Domains.charge(me)
        var next = popReady()
        if next == nil {
            let s = me.state.load()
            if s == ThreadRecord.running { return }          // nothing else to run
            next = ThreadRecord(UInt(pca.word(CPUArea.idleThread).pointee))
        }
        let t = next!
        pca.word(CPUArea.needReschedule).pointee = 0
        t.state.store(ThreadRecord.running)
        if t == me { return }
        pca.word(CPUArea.currentThread).pointee = UInt64(t.address)
        // Traps from user mode land on the kernel stack of the thread that runs in user mode.
        pca.word(CPUArea.kernelStackOffset).pointee = UInt64(t.userExitSP.pointee)
        if t.userSpace != 0 {
            let p = t.userContext
            if p.id != pca.word(CPUArea.userSpace).pointee { p.activate() }
        }
        Counter.contextSwitches.add()
        KernelTrace.contextSwitch(from: me.id, to: t.id)
        Arch.switchContext(save: me.savedSP, to: t.savedSP.pointee)
        finishSwitch()
    }

    /// After every switch, on the thread that now runs: release the thread that exited.
    static func finishSwitch() {
        let zombie = PCA.local.word(CPUArea.zombie)
        guard zombie.pointee != 0 else { return }
        let t = ThreadRecord(UInt(zombie.pointee))
        zombie.pointee = 0
        FrameAllocator.free(physical: t.stackPhysical, order: ThreadRecord.stackOrder)
        Counter.threadsExited.add()
        if t.detached {
            SmallAllocator.free(UnsafeMutableRawPointer(t.raw))
            return
        }
        let joiner = t.joinWord.exchange(1)
        if joiner > 1 { unblock(ThreadRecord(UInt(joiner))) }
    }

    /// Makes a new or woken thread of this CPU ready.
    static func makeReady(_ t: ThreadRecord) {
        let token = Arch.disableInterrupts()
        pushReady(t)
        Arch.restoreInterrupts(token)
    }

    /// Lets the other ready threads of this CPU run.
    static func yield() {
        let token = Arch.disableInterrupts()
        let me = current
        if !me.isIdle && me.state.load() == ThreadRecord.running {
            me.state.store(ThreadRecord.ready)
            pushReady(me)
            // A kernel thread that yields (a wait loop, the tick) lets a ready vehicle run first:
            // the kernel class goes first only for threads that were woken.
            if me.domainClass == Domains.kernelClass { PCA.local.word(CPUArea.kernelYielded).pointee = 1 }
        }
        schedule()
        Arch.restoreInterrupts(token)
    }

    /// Marks the current thread as about to sleep; it must then make itself known to its waker
    /// and call `block` (or `cancelBlock` if it finds it need not sleep). Preemption stays off
    /// in between: a thread switched out before it published itself would never be woken.
    @inline(__always) static func prepareToBlock() {
        PCA.local.word(CPUArea.preemptCount).pointee &+= 1
        current.state.storeSequential(ThreadRecord.blocked)
    }

    /// Sleeps until `unblock` (after `prepareToBlock`); returns at once if the wakeup came
    /// already.
    static func block() {
        let token = Arch.disableInterrupts()
        PCA.local.word(CPUArea.preemptCount).pointee &-= 1
        let s = current.state.load()
        if s != ThreadRecord.running { schedule() }
        Arch.restoreInterrupts(token)
        if PCA.local.word(CPUArea.needReschedule).pointee != 0 { preemptIfNeeded() }
    }

    /// Undoes `prepareToBlock` when the thread finds it need not sleep after all. If a wakeup
    /// raced in (the thread is already queued), it goes through `block`, which then returns.
    static func cancelBlock() {
        if current.state.compareExchange(expected: ThreadRecord.blocked, desired: ThreadRecord.running) {
            Preempt.enable()
        } else {
            block()
        }
    }

    /// Wakes a blocked thread of any CPU (no effect if it is not blocked).
    static func unblock(_ t: ThreadRecord) {
        guard t.state.compareExchange(expected: ThreadRecord.blocked, desired: ThreadRecord.ready) else { return }
        let target = t.cpu
        if target == PCA.cpu {
            makeReady(t)
            return
        }
        let incoming = PCA.of(target).atomic(CPUArea.incomingWakeups)
        var old: UInt64
        repeat {
            old = incoming.load()
            t.next = old
        } while !incoming.compareExchange(expected: old, desired: UInt64(t.address))
        Counter.wakeupsRemote.add()
        if old == 0 {
            Devices.sendIPI(from: PCA.cpu, to: target)
            Counter.ipisSent.add()
        }
    }

    /// At the end of a trap, or when preemption is enabled again: switch if a reschedule was
    /// requested and this context may be preempted.
    static func preemptIfNeeded() {
        let pca = PCA.local
        guard pca.word(CPUArea.needReschedule).pointee != 0, pca.word(CPUArea.preemptCount).pointee == 0 else { return }
        yield()
    }

    /// Ends the current thread; the next thread to run on this CPU frees its stack.
    static func exit(result: UInt64) -> Never {
        _ = Arch.disableInterrupts()
        let me = current
        me.result = result
        me.state.store(ThreadRecord.exited)
        PCA.local.word(CPUArea.zombie).pointee = UInt64(me.address)
        schedule()
        Panic.panic("an exited thread was scheduled again")
    }

    /// The idle thread: runs when nothing else is ready; waits for interrupts otherwise.
    static func idleLoop(_ unused: UInt) -> UInt {
        while true {
            let token = Arch.disableInterrupts()
            if hasWork {
                schedule()
            } else {
                if PCA.local.atomic(CPUArea.remoteFrees).load() != 0 || PCA.local.word(CPUArea.remoteBufferCount).pointee != 0 {
                    Arch.restoreInterrupts(token)
                    SmallAllocator.flush()
                    continue
                }
                Arch.waitForInterrupt()
            }
            Arch.restoreInterrupts(token)
        }
    }

    /// This CPU's first switch: from its boot stack to the idle thread (never returns).
    static func start(idle: ThreadRecord) -> Never {
        var discarded: UInt = 0
        PCA.local.word(CPUArea.currentThread).pointee = UInt64(idle.address)
        idle.state.store(ThreadRecord.running)
        Arch.switchContext(save: &discarded, to: idle.savedSP.pointee)
        Panic.panic("the boot context was resumed")
    }
}
