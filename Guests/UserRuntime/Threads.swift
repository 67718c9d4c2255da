// Threads: user-level threads of a K42 user program on its dispatcher (docs/kernel/
// dispatchers.md). The kernel knows nothing of them: creating, switching, blocking, joining,
// mutexes and condition variables are user code; a thread costs its object, a 320-byte context
// and an 8 KiB stack from the program's own heap. Timeouts live in one sorted user-level list
// and the dispatcher's single kernel timer is armed for the earliest only; cancelling a timeout
// (a signalled condition wait) makes no kernel call. A thread that faults on a page the kernel
// must read from the block device is parked on the fault's save area while other threads run
// (page-fault upcall); the interrupt upcall brings the completion and the thread continues from
// its save area (system call resume). Every queue change happens with the dispatcher disabled.

@_extern(c, "k42_ctx_save") func k42_ctx_save(_ ctx: UnsafeMutablePointer<UInt64>) -> Int
@_extern(c, "k42_ctx_load") func k42_ctx_load(_ ctx: UnsafeMutablePointer<UInt64>)
@_extern(c, "k42_ctx_start") func k42_ctx_start(_ sp: UInt, _ entry: @convention(c) () -> Void)

final class UThread {
    enum State { case ready, running, blocked, done }
    let id: Int
    var state = State.ready
    let context = UnsafeMutablePointer<UInt64>.allocate(capacity: 40)
    var stack: UnsafeMutableRawPointer? = nil
    var started: Bool
    var body: (() -> Int)?
    var result = 0
    /// The save area holding this thread's state (after a fault or an interrupt), or -1.
    var resumeSlot = -1
    var joiner: UThread? = nil
    /// Link in the one queue the thread is on (ready, a mutex's or condition's waiters).
    var next: UThread? = nil
    /// Sleeping until this cycle (0: no timeout) and the sorted sleeper list's link.
    var wakeAt: UInt64 = 0
    var sleepNext: UThread? = nil
    var waitingOn: Condition? = nil
    var timedOut = false
    /// Set when the thread ended in a fault the kernel could not resolve (trap upcall): the
    /// address, the access (0 read, 1 write, 2 execute) and the pc; its result is `Threads.faulted`.
    var fault: (address: UInt64, access: UInt64, pc: UInt64)? = nil

    init(id: Int, body: (() -> Int)?, started: Bool) {
        self.id = id
        self.body = body
        self.started = started
        Threads.objects += 1
    }
    deinit {
        Threads.objects -= 1
        context.deallocate()
        stack?.deallocate()
    }
}

/// A FIFO of threads linked through `UThread.next`.
struct ThreadQueue {
    var head: UThread? = nil
    var tail: UThread? = nil
    var isEmpty: Bool { head == nil }

    mutating func push(_ t: UThread) {
        t.next = nil
        if let tail { tail.next = t } else { head = t }
        tail = t
    }

    mutating func pop() -> UThread? {
        guard let h = head else { return nil }
        head = h.next
        if head == nil { tail = nil }
        h.next = nil
        return h
    }

    mutating func remove(_ t: UThread) {
        var prev: UThread? = nil
        var c = head
        while let x = c {
            if x === t {
                if let prev { prev.next = x.next } else { head = x.next }
                if tail === x { tail = prev }
                x.next = nil
                return
            }
            prev = x
            c = x.next
        }
    }
}

enum Threads {
    static let stackBytes = 8192
    nonisolated(unsafe) static var current: UThread! = nil
    nonisolated(unsafe) static var ready = ThreadQueue()
    nonisolated(unsafe) static var sleepers: UThread? = nil
    nonisolated(unsafe) static var armed: UInt64 = 0
    nonisolated(unsafe) static var faultWaiters: [UThread?] = []
    nonisolated(unsafe) static var zombies: UThread? = nil
    nonisolated(unsafe) static var nextID = 1

    /// Statistics: threads created, switches, timeouts cancelled, kernel timer calls made,
    /// page-fault and interrupt upcalls taken.
    nonisolated(unsafe) static var created = 0
    /// Called with the save area's number just before a thread is resumed from it (tests use it
    /// to tamper with the saved state, which the kernel must not trust).
    nonisolated(unsafe) static var beforeResume: ((Int) -> Void)? = nil
    /// What `join` returns for a thread that ended in a fault.
    static let faulted = Int.min
    /// The exit status of a program whose thread 0 faults.
    static let mainFaultStatus: UInt64 = 139
    /// Thread objects in existence (including thread 0).
    nonisolated(unsafe) static var objects = 0
    nonisolated(unsafe) static var switches = 0
    nonisolated(unsafe) static var cancelled = 0
    nonisolated(unsafe) static var timerCalls = 0
    nonisolated(unsafe) static var faultUpcalls = 0
    nonisolated(unsafe) static var interruptUpcalls = 0

    /// Makes the calling code thread 0 of this dispatcher; false when the kernel refused it.
    static func start() -> Bool {
        if current != nil { return true }
        faultWaiters = [UThread?](repeating: nil, count: 16)
        current = UThread(id: 0, body: nil, started: true)
        current.state = .running
        guard Dispatcher.start() else { return false }
        Dispatcher.enable()
        return true
    }

    /// A new thread running `body`; its result is what `join` returns.
    @discardableResult
    static func create(_ body: @escaping () -> Int) -> UThread {
        let t = UThread(id: nextID, body: body, started: false)
        t.stack = UnsafeMutableRawPointer.allocate(byteCount: stackBytes, alignment: 16)
        Dispatcher.disable()
        nextID += 1
        created += 1
        reap()
        ready.push(t)
        Dispatcher.enable()
        return t
    }

    /// Lets every other ready thread run once before the caller continues.
    static func yield() {
        Dispatcher.disable()
        reap()
        if !ready.isEmpty {
            current.state = .ready
            ready.push(current)
            switchAway()
        }
        Dispatcher.enable()
    }

    /// Waits for `t` to finish; its result.
    static func join(_ t: UThread) -> Int {
        Dispatcher.disable()
        if t.state != .done {
            t.joiner = current
            current.state = .blocked
            switchAway()
        }
        Dispatcher.enable()
        return t.result
    }

    /// Sleeps for at least `cycles` simulated cycles.
    static func sleep(cycles: UInt64) {
        let deadline = System.cycles &+ cycles
        Dispatcher.disable()
        current.wakeAt = deadline
        insertSleeper(current)
        armTimer()
        current.state = .blocked
        switchAway()
        Dispatcher.enable()
    }

    // MARK: scheduling (dispatcher disabled)

    /// Runs the next ready thread, saving the caller's context; returns when the caller is
    /// run again. The caller is already on a queue or blocked.
    @inline(never)
    static func switchAway() {
        let me = current!
        let next = nextReady()
        if next === me { me.state = .running; return }
        if k42_ctx_save(me.context) == 0 { run(Unmanaged.passUnretained(next)) }
        reap()
    }

    /// The next ready thread, waiting in the kernel (idle) while there is none.
    static func nextReady() -> UThread {
        while true {
            if let t = ready.pop() { return t }
            let bits = Dispatcher.idle()
            if bits < 0 { fatal("every thread is blocked and nothing can wake one") }
            handleSoftInterrupts()
        }
    }

    /// Runs the next ready thread from a frame that is abandoned (a finished thread, an
    /// upcall): no reference is left behind in it.
    static func runNext() -> Never {
        let next = Unmanaged.passUnretained(nextReady())
        run(next)
    }

    /// Continues `t` however it stopped (never returns to the caller). Takes no reference of
    /// its own: the frames that call it are abandoned.
    static func run(_ u: Unmanaged<UThread>) -> Never {
        u._withUnsafeGuaranteedRef { t in
            current = t
            t.state = .running
            switches += 1
            if t.resumeSlot >= 0 {
                let slot = t.resumeSlot
                t.resumeSlot = -1
                beforeResume?(slot)
                Dispatcher.resume(slot)
            }
            if !t.started {
                t.started = true
                k42_ctx_start(UInt(bitPattern: t.stack!) + UInt(stackBytes) - 64, threadStart)
            } else {
                k42_ctx_load(t.context)
            }
        }
        fatal("thread context did not start")
    }

    /// Ends the calling thread with `result`.
    static func exit(_ result: Int) -> Never {
        Dispatcher.disable()
        retire(result)
        runNext()
    }

    /// The calling thread is done: its joiner is ready, it waits on the zombie list until
    /// another thread frees its stack.
    @inline(never)
    static func retire(_ result: Int) {
        let me = current!
        me.result = result
        me.state = .done
        me.body = nil
        if let j = me.joiner {
            me.joiner = nil
            j.state = .ready
            ready.push(j)
        }
        me.next = zombies
        zombies = me
    }

    /// Page-fault upcall: park the running thread on its save area.
    @inline(never)
    static func park(slot: Int) {
        let me = current!
        me.resumeSlot = slot
        me.state = .blocked
        faultWaiters[slot] = me
        faultUpcalls += 1
        handleSoftInterrupts()
    }

    /// Trap upcall: the running thread took a fault the kernel could not resolve; it ends with
    /// `faulted` (thread 0: the program exits with `mainFaultStatus`).
    @inline(never)
    static func faultedCurrent(address: UInt64, access: UInt64, pc: UInt64) {
        let me = current!
        if me.id == 0 {
            print("k42 user: thread 0 faulted at pc 0x\(String(pc, radix: 16)) on address 0x\(String(address, radix: 16)) (access \(access))")
            System.exit(mainFaultStatus)
        }
        me.fault = (address, access, pc)
        retire(faulted)
    }

    /// Interrupt upcall: what the soft interrupts wake goes first, then the interrupted thread.
    @inline(never)
    static func interrupted(slot: Int) {
        let me = current!
        me.resumeSlot = slot
        interruptUpcalls += 1
        handleSoftInterrupts()
        me.state = .ready
        ready.push(me)
    }

    /// Frees the stacks of finished threads (never the running one's).
    static func reap() {
        while let z = zombies, z !== current {
            zombies = z.next
            z.next = nil
            z.stack?.deallocate()
            z.stack = nil
        }
    }

    static func insertSleeper(_ t: UThread) {
        if sleepers == nil || t.wakeAt < sleepers!.wakeAt {
            t.sleepNext = sleepers
            sleepers = t
            return
        }
        var p = sleepers!
        while let n = p.sleepNext, n.wakeAt <= t.wakeAt { p = n }
        t.sleepNext = p.sleepNext
        p.sleepNext = t
    }

    /// Takes `t` off the sleeper list: a cancelled timeout, no kernel call (the kernel timer,
    /// if armed for it, fires later and re-arms for the next).
    static func removeSleeper(_ t: UThread) {
        if sleepers === t {
            sleepers = t.sleepNext
        } else {
            var p = sleepers
            while let x = p, x.sleepNext !== t { p = x.sleepNext }
            p?.sleepNext = t.sleepNext
        }
        t.sleepNext = nil
        t.wakeAt = 0
    }

    /// Arms the kernel timer when the earliest timeout is earlier than the one armed.
    static func armTimer() {
        guard let first = sleepers else { return }
        if armed == 0 || first.wakeAt < armed {
            armed = first.wakeAt
            timerCalls += 1
            Dispatcher.setTimer(first.wakeAt)
        }
    }

    /// Completed faults and due timeouts make their threads ready.
    static func handleSoftInterrupts() {
        let bits = Dispatcher.takeSoftInterrupts()
        while let c = Dispatcher.nextCompletion() {
            if let t = faultWaiters[c.slot] {
                faultWaiters[c.slot] = nil
                t.state = .ready
                ready.push(t)
            }
        }
        if bits & Dispatcher.timerBit != 0 {
            armed = 0
            let now = System.cycles
            while let s = sleepers, s.wakeAt <= now {
                removeSleeper(s)
                if let c = s.waitingOn {
                    c.waiters.remove(s)
                    s.waitingOn = nil
                    s.timedOut = true
                }
                s.state = .ready
                ready.push(s)
            }
            armTimer()
        }
    }
}

/// Where a new thread starts (on its own stack, dispatcher disabled).
@_cdecl("k42_thread_start")
func threadStart() {
    Threads.reap()
    Dispatcher.enable()
    let r = Threads.current.body!()
    Threads.exit(r)
}

/// Page-fault upcall: the running thread faulted on a page the kernel is reading; its state is
/// in save area `slot`. Park it there and run another thread.
@_cdecl("k42_upcall_fault")
func k42UpcallFault(_ slot: UInt64) {
    Threads.park(slot: Int(slot))
    Threads.runNext()
}

/// Trap upcall: a fault the kernel could not resolve, in the running thread (which cannot
/// continue): it ends with `Threads.faulted`, the other threads go on.
@_cdecl("k42_upcall_trap")
func k42UpcallTrap(_ address: UInt64, _ access: UInt64, _ pc: UInt64) {
    Threads.faultedCurrent(address: address, access: access, pc: pc)
    Threads.runNext()
}

/// Interrupt upcall: soft interrupts arrived while the running thread (state in save area
/// `slot`) was enabled. Threads they wake run first, then the interrupted one.
@_cdecl("k42_upcall_interrupt")
func k42UpcallInterrupt(_ slot: UInt64) {
    Threads.interrupted(slot: Int(slot))
    Threads.runNext()
}

/// A mutex of user-level threads: the owner, and a FIFO of waiters handed ownership in turn.
final class Mutex {
    var owner: UThread? = nil
    var waiters = ThreadQueue()

    func lock() {
        Dispatcher.disable()
        if owner == nil {
            owner = Threads.current
        } else {
            waiters.push(Threads.current)
            Threads.current.state = .blocked
            Threads.switchAway()                // unlock made us the owner
        }
        Dispatcher.enable()
    }

    func unlock() {
        Dispatcher.disable()
        unlockDisabled()
        Dispatcher.enable()
    }

    func unlockDisabled() {
        if let w = waiters.pop() {
            owner = w
            w.state = .ready
            Threads.ready.push(w)
        } else {
            owner = nil
        }
    }
}

/// A condition variable; `wait` with a timeout in cycles returns false when it timed out.
final class Condition {
    var waiters = ThreadQueue()

    @discardableResult
    func wait(_ m: Mutex, timeout: UInt64 = 0) -> Bool {
        let deadline = timeout == 0 ? 0 : System.cycles &+ timeout
        Dispatcher.disable()
        let me = Threads.current!
        m.unlockDisabled()
        waiters.push(me)
        me.waitingOn = self
        if deadline != 0 {
            me.wakeAt = deadline
            Threads.insertSleeper(me)
            Threads.armTimer()
        }
        me.state = .blocked
        Threads.switchAway()
        let signalled = !me.timedOut
        me.timedOut = false
        Dispatcher.enable()
        m.lock()
        return signalled
    }

    func signal() {
        Dispatcher.disable()
        if let w = waiters.pop() { wake(w) }
        Dispatcher.enable()
    }

    func broadcast() {
        Dispatcher.disable()
        while let w = waiters.pop() { wake(w) }
        Dispatcher.enable()
    }

    private func wake(_ w: UThread) {
        w.waitingOn = nil
        if w.wakeAt != 0 {
            Threads.removeSleeper(w)
            Threads.cancelled += 1
        }
        w.state = .ready
        Threads.ready.push(w)
    }
}
