// Threads: user-level threads of a K42 user program on its dispatchers (docs/kernel/
// dispatchers.md). The kernel knows nothing of them: creating, switching, blocking, joining,
// mutexes and condition variables are user code; a thread costs its object, a 336-byte context
// and an 8 KiB stack from the program's own heap. Each dispatcher (one per CPU the program runs
// on, `addDispatcher`) has its own scheduler state (DispatcherState): ready queue, sorted
// timeout list, one kernel timer armed for the earliest timeout only (cancelling a timeout makes
// no kernel call), fault waiters. A thread lives on the dispatcher it was created on (its
// `home`); only the home changes its scheduling fields, with the home disabled. Another
// dispatcher makes a thread ready by pushing it on the home's incoming list (a CAS) and, when the
// list was empty, poking the home (system call 17) — the home drains the list whenever it
// schedules and at the poke's soft interrupt. Mutexes and conditions shared by dispatchers have
// a spin lock each, held only with the dispatcher disabled. A thread that faults on a page the
// kernel must read from the block device is parked on the fault's save area while other threads
// run (page-fault upcall); the interrupt upcall brings the completion and the thread continues
// from its save area (system call resume).

@_extern(c, "k42_ctx_save") func k42_ctx_save(_ ctx: UnsafeMutablePointer<UInt64>) -> Int
@_extern(c, "k42_ctx_load") func k42_ctx_load(_ ctx: UnsafeMutablePointer<UInt64>)
@_extern(c, "k42_ctx_start") func k42_ctx_start(_ sp: UInt, _ entry: @convention(c) () -> Void)
@_extern(c, "k42_dispatcher_start") func k42_dispatcher_start()

import Synchronization

/// Thread objects in existence (including thread 0), over all dispatchers.
let threadObjectCount = Atomic<Int>(0)
/// The next thread's ID.
let threadIDs = Atomic<Int>(1)

final class UThread {
    enum State { case ready, running, blocked, done }
    let id: Int
    let home: DispatcherState
    var state = State.ready
    /// Words 0-39 the saved context (Arch/*/context.S), 40 the join word (0 running, 1 done,
    /// else the waiting thread), 41 the incoming-list link.
    let context = UnsafeMutablePointer<UInt64>.allocate(capacity: 42)
    var stack: UnsafeMutableRawPointer? = nil
    var started: Bool
    var body: (() -> Int)?
    var result = 0
    /// The save area holding this thread's state (after a fault or an interrupt), or -1.
    var resumeSlot = -1
    /// Link in the one queue the thread is on (ready, a mutex's or condition's waiters).
    var next: UThread? = nil
    /// Sleeping until this cycle (0: no timeout) and the sorted sleeper list's link.
    var wakeAt: UInt64 = 0
    var sleepNext: UThread? = nil
    /// The condition waited on with a timeout (home's), and whether the thread is still on its
    /// waiters (changed under the condition's lock).
    var condition: Condition? = nil
    var queued = false
    var timedOut = false
    /// Set when the thread ended in a fault the kernel could not resolve (trap upcall): the
    /// address, the access (0 read, 1 write, 2 execute) and the pc; its result is `Threads.faulted`.
    var fault: (address: UInt64, access: UInt64, pc: UInt64)? = nil

    init(id: Int, home: DispatcherState, body: (() -> Int)?, started: Bool) {
        self.id = id
        self.home = home
        self.body = body
        self.started = started
        context[40] = 0
        context[41] = 0
        threadObjectCount.wrappingAdd(1, ordering: .relaxed)
    }
    deinit {
        threadObjectCount.wrappingSubtract(1, ordering: .relaxed)
        context.deallocate()
        stack?.deallocate()
    }
    var joinWord: UnsafeMutablePointer<UInt64> { context + 40 }
    var incomingLink: UnsafeMutablePointer<UInt64> { context + 41 }
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

/// One dispatcher's scheduler (changed only by that dispatcher, while disabled).
final class DispatcherState {
    let index: Int
    let cpu: Int
    /// Which of the program's dispatchers on that CPU it is (0-3; each in its own resource domain).
    let number: Int
    let area: UInt64
    var current: UThread! = nil
    var ready = ThreadQueue()
    var sleepers: UThread? = nil
    var armed: UInt64 = 0
    var faultWaiters = [UThread?](repeating: nil, count: 16)
    var zombies: UThread? = nil
    /// The heap lock's nesting on this dispatcher (HeapRegion.swift).
    var heapDepth = 0
    var heapWasEnabled = false
    /// Statistics: threads created here, switches, timeouts cancelled, kernel timer calls,
    /// page-fault and interrupt upcalls taken.
    var created = 0, switches = 0, cancelled = 0, timerCalls = 0, faultUpcalls = 0, interruptUpcalls = 0
    /// Soft preemptions answered (the CPU given up, system call 19), system calls answered here.
    var preemptions = 0, systemCallUpcalls = 0

    init(index: Int, cpu: Int, number: Int = 0) {
        self.index = index
        self.cpu = cpu
        self.number = number
        self.area = Dispatcher.area(index)
    }
    /// What system calls 16 and 17 name it by.
    var kernelName: UInt64 { UInt64(cpu) | UInt64(number) << 32 }
}

enum Threads {
    static let stackBytes = 8192
    /// The dispatchers (index order; entries are set before a dispatcher starts, never changed).
    nonisolated(unsafe) static var all: UnsafeMutablePointer<UInt64>? = nil
    nonisolated(unsafe) static var dispatcherCount = 0

    /// Called with the save area's number just before a thread is resumed from it (tests use it
    /// to tamper with the saved state, which the kernel must not trust).
    nonisolated(unsafe) static var beforeResume: ((Int) -> Void)? = nil
    /// What `join` returns for a thread that ended in a fault.
    static let faulted = Int.min
    /// The exit status of a program whose thread 0 faults.
    static let mainFaultStatus: UInt64 = 139

    /// The running dispatcher's scheduler.
    @inline(__always) static var here: DispatcherState { state(at: Dispatcher.base) }
    @inline(__always) static func state(at area: UInt64) -> DispatcherState {
        Unmanaged<DispatcherState>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(Dispatcher.word(area, Dispatcher.stateWord).pointee))!).takeUnretainedValue()
    }
    static func dispatcher(_ index: Int) -> DispatcherState {
        Unmanaged<DispatcherState>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(all![index]))!).takeUnretainedValue()
    }
    static var current: UThread! { here.current }

    /// Sums over all dispatchers.
    static var objects: Int { threadObjectCount.load(ordering: .relaxed) }
    static var created: Int { sum { $0.created } }
    static var switches: Int { sum { $0.switches } }
    static var cancelled: Int { sum { $0.cancelled } }
    static var timerCalls: Int { sum { $0.timerCalls } }
    static var faultUpcalls: Int { sum { $0.faultUpcalls } }
    static var interruptUpcalls: Int { sum { $0.interruptUpcalls } }
    static var preemptions: Int { sum { $0.preemptions } }
    static var systemCallUpcalls: Int { sum { $0.systemCallUpcalls } }
    /// The program's own system calls (number 0x100 and up): (number, arguments) -> result.
    nonisolated(unsafe) static var systemCallHandler: ((UInt64, (UInt64, UInt64, UInt64, UInt64)) -> Int64)? = nil
    private static func sum(_ f: (DispatcherState) -> Int) -> Int {
        var n = 0
        for i in 0 ..< dispatcherCount { n += f(dispatcher(i)) }
        return n
    }

    /// Makes the calling code thread 0 of dispatcher 0 (on this CPU); false when the kernel
    /// refused the dispatcher.
    static func start() -> Bool {
        if Dispatcher.started { return true }
        let table = UnsafeMutablePointer<UInt64>.allocate(capacity: Dispatcher.maxDispatchers)
        all = table
        let d = DispatcherState(index: 0, cpu: System.cpu)
        let opaque = Unmanaged.passRetained(d).toOpaque()
        table[0] = UInt64(UInt(bitPattern: opaque))
        guard Dispatcher.prepare(0, state: opaque), Dispatcher.register(d.area) else { return false }
        d.current = UThread(id: 0, home: d, body: nil, started: true)
        d.current.state = .running
        dispatcherCount = 1
        Dispatcher.started = true
        Dispatcher.enable()
        return true
    }

    /// Starts a further dispatcher of this program on `cpu` — its `number` there (0-3: a program
    /// may have several on one CPU, each in its own resource domain) — (call from one thread at a
    /// time): its index for `create(on:)`, or nil when the kernel refused (no such CPU or number,
    /// that one taken already: -EBUSY).
    static func addDispatcher(cpu: Int, number: Int = 0) -> Int? {
        let index = dispatcherCount
        guard Dispatcher.started, index < Dispatcher.maxDispatchers else { return nil }
        let d = DispatcherState(index: index, cpu: cpu, number: number)
        let opaque = Unmanaged.passRetained(d).toOpaque()
        guard Dispatcher.prepare(index, state: opaque) else { Unmanaged<DispatcherState>.fromOpaque(opaque).release(); return nil }
        all![index] = UInt64(UInt(bitPattern: opaque))
        let entry: @convention(c) () -> Void = k42_dispatcher_start
        let r = k42_syscall(System.startDispatcherCall, d.kernelName, UInt64(UInt(bitPattern: unsafeBitCast(entry, to: UnsafeRawPointer.self))),
                            Dispatcher.stackTop(index), d.area)
        guard r == 0 else { _ = System.unmap(base: d.area); Unmanaged<DispatcherState>.fromOpaque(opaque).release(); return nil }
        dispatcherCount = index + 1
        return index
    }

    /// A new thread running `body` on dispatcher `on` (default: the caller's); its result is
    /// what `join` returns.
    @discardableResult
    static func create(on index: Int? = nil, _ body: @escaping () -> Int) -> UThread {
        let d = here
        let home = index.map { dispatcher($0) } ?? d
        let t = UThread(id: threadIDs.wrappingAdd(1, ordering: .relaxed).oldValue, home: home, body: body, started: false)
        t.stack = UnsafeMutableRawPointer.allocate(byteCount: stackBytes, alignment: 16)
        Dispatcher.disable()
        d.created += 1
        reap(d)
        makeReady(t, from: d)
        Dispatcher.enable()
        return t
    }

    /// Lets every other ready thread of this dispatcher run once before the caller continues.
    static func yield() {
        let d = here
        Dispatcher.disable()
        reap(d)
        drainIncoming(d)
        if !d.ready.isEmpty {
            d.current.state = .ready
            d.ready.push(d.current)
            switchAway(d)
        }
        Dispatcher.enable()
    }

    /// Waits for `t` (on any dispatcher) to finish; its result.
    static func join(_ t: UThread) -> Int {
        let d = here
        Dispatcher.disable()
        let me = d.current!
        me.state = .blocked
        if atomicCompareExchange(t.joinWord, 0, UInt64(UInt(bitPattern: Unmanaged.passUnretained(me).toOpaque()))) {
            switchAway(d)                       // retire makes us ready
        } else {
            me.state = .running                 // done already
        }
        Dispatcher.enable()
        return t.result
    }

    /// Sleeps for at least `cycles` simulated cycles.
    static func sleep(cycles: UInt64) {
        let deadline = System.cycles &+ cycles
        let d = here
        Dispatcher.disable()
        d.current.wakeAt = deadline
        insertSleeper(d, d.current)
        armTimer(d)
        d.current.state = .blocked
        switchAway(d)
        Dispatcher.enable()
    }

    // MARK: scheduling (dispatcher disabled)

    /// Makes `t` ready: on its home's queue when that is this dispatcher `d` (a pending timeout
    /// is cancelled, no kernel call), else through the home's incoming list.
    static func makeReady(_ t: UThread, from d: DispatcherState) {
        if t.home === d {
            readyLocal(t, d)
            return
        }
        let link = Dispatcher.word(t.home.area, Dispatcher.incomingWord)
        let me = UInt64(UInt(bitPattern: Unmanaged.passRetained(t).toOpaque()))
        var head = atomicLoad(link)
        while true {
            t.incomingLink.pointee = head
            if atomicCompareExchange(link, head, me) { break }
            head = atomicLoad(link)
        }
        if head == 0 { Dispatcher.poke(t.home.kernelName) }
    }

    private static func readyLocal(_ t: UThread, _ d: DispatcherState) {
        if t.wakeAt != 0 {
            removeSleeper(d, t)
            d.cancelled += 1
        }
        t.state = .ready
        d.ready.push(t)
    }

    /// Threads other dispatchers made ready, in the order they were pushed.
    static func drainIncoming(_ d: DispatcherState) {
        let link = Dispatcher.word(d.area, Dispatcher.incomingWord)
        guard atomicLoad(link) != 0 else { return }
        var list = atomicExchange(link, 0)
        var reversed: UInt64 = 0
        while list != 0 {
            let t = Unmanaged<UThread>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(list))!).takeUnretainedValue()
            let next = t.incomingLink.pointee
            t.incomingLink.pointee = reversed
            reversed = list
            list = next
        }
        while reversed != 0 {
            let u = Unmanaged<UThread>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(reversed))!)
            let t = u.takeRetainedValue()
            reversed = t.incomingLink.pointee
            t.incomingLink.pointee = 0
            readyLocal(t, d)
        }
    }

    /// Runs the next ready thread, saving the caller's context; returns when the caller is
    /// run again. The caller is already on a queue or blocked.
    @inline(never)
    static func switchAway(_ d: DispatcherState) {
        let me = d.current!
        let next = nextReady(d)
        if next === me { me.state = .running; return }
        if k42_ctx_save(me.context) == 0 { run(Unmanaged.passUnretained(next), d) }
        reap(here)
    }

    /// The next ready thread, waiting in the kernel (idle) while there is none.
    static func nextReady(_ d: DispatcherState) -> UThread {
        while true {
            drainIncoming(d)
            if let t = d.ready.pop() { return t }
            let bits = Dispatcher.idle()
            if bits < 0 { fatal("every thread is blocked and nothing can wake one") }
            handleSoftInterrupts()
        }
    }

    /// Runs the next ready thread from a frame that is abandoned (a finished thread, an
    /// upcall, a new dispatcher's entry): no reference is left behind in it. The thread popped
    /// from the ready queue goes straight into `d.current` (a move, no temporary): a temporary
    /// would be released before `run` — the compiler ends its lifetime at the statement — and a
    /// thread nothing else refers to would be freed under our feet.
    static func runNext() -> Never {
        let d = here
        d.current = nextReady(d)
        run(Unmanaged.passUnretained(d.current), d)
    }

    /// Continues `t` however it stopped (never returns to the caller). Takes no reference of
    /// its own: the frames that call it are abandoned.
    static func run(_ u: Unmanaged<UThread>, _ d: DispatcherState) -> Never {
        u._withUnsafeGuaranteedRef { t in
            d.current = t
            t.state = .running
            d.switches += 1
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
        retire(here, result)
        runNext()
    }

    /// The calling thread is done: its joiner is ready, it waits on the zombie list until
    /// another thread frees its stack.
    @inline(never)
    static func retire(_ d: DispatcherState, _ result: Int) {
        let me = d.current!
        me.result = result
        me.state = .done
        me.body = nil
        let joiner = atomicExchange(me.joinWord, 1)
        if joiner > 1 {
            makeReady(Unmanaged<UThread>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(joiner))!).takeUnretainedValue(), from: d)
        }
        me.next = d.zombies
        d.zombies = me
    }

    /// Page-fault upcall: park the running thread on its save area.
    @inline(never)
    static func park(slot: Int) {
        let d = here
        let me = d.current!
        me.resumeSlot = slot
        me.state = .blocked
        d.faultWaiters[slot] = me
        d.faultUpcalls += 1
        handleSoftInterrupts()
    }

    /// Trap upcall: the running thread took a fault the kernel could not resolve; it ends with
    /// `faulted` (thread 0: the program exits with `mainFaultStatus`).
    @inline(never)
    static func faultedCurrent(address: UInt64, access: UInt64, pc: UInt64) {
        let d = here
        let me = d.current!
        if me.id == 0 {
            print("k42 user: thread 0 faulted at pc 0x\(String(pc, radix: 16)) on address 0x\(String(address, radix: 16)) (access \(access))")
            System.exit(mainFaultStatus)
        }
        me.fault = (address, access, pc)
        retire(d, faulted)
    }

    /// Interrupt upcall: what the soft interrupts wake goes first, then the interrupted thread.
    @inline(never)
    static func interrupted(slot: Int) {
        let d = here
        let me = d.current!
        me.resumeSlot = slot
        d.interruptUpcalls += 1
        handleSoftInterrupts()
        me.state = .ready
        d.ready.push(me)
    }

    /// Frees the stacks of finished threads (never the running one's).
    static func reap(_ d: DispatcherState) {
        while let z = d.zombies, z !== d.current {
            d.zombies = z.next
            z.next = nil
            z.stack?.deallocate()
            z.stack = nil
        }
    }

    static func insertSleeper(_ d: DispatcherState, _ t: UThread) {
        if d.sleepers == nil || t.wakeAt < d.sleepers!.wakeAt {
            t.sleepNext = d.sleepers
            d.sleepers = t
            return
        }
        var p = d.sleepers!
        while let n = p.sleepNext, n.wakeAt <= t.wakeAt { p = n }
        t.sleepNext = p.sleepNext
        p.sleepNext = t
    }

    /// Takes `t` off the sleeper list: a cancelled timeout, no kernel call (the kernel timer,
    /// if armed for it, fires later and re-arms for the next).
    static func removeSleeper(_ d: DispatcherState, _ t: UThread) {
        if d.sleepers === t {
            d.sleepers = t.sleepNext
        } else {
            var p = d.sleepers
            while let x = p, x.sleepNext !== t { p = x.sleepNext }
            p?.sleepNext = t.sleepNext
        }
        t.sleepNext = nil
        t.wakeAt = 0
    }

    /// Arms the kernel timer when the earliest timeout is earlier than the one armed.
    static func armTimer(_ d: DispatcherState) {
        guard let first = d.sleepers else { return }
        if d.armed == 0 || first.wakeAt < d.armed {
            d.armed = first.wakeAt
            d.timerCalls += 1
            Dispatcher.setTimer(first.wakeAt)
        }
    }

    /// Completed faults, due timeouts and threads other dispatchers woke become ready; a soft
    /// preemption is answered by giving up the CPU at once (the interrupted thread's state is
    /// saved already, or it is between threads).
    static func handleSoftInterrupts() {
        let d = here
        let bits = Dispatcher.takeSoftInterrupts()
        if bits & Dispatcher.preemptBit != 0 {
            d.preemptions += 1
            System.yieldCPU()
        }
        while let c = Dispatcher.nextCompletion() {
            if let t = d.faultWaiters[c.slot] {
                d.faultWaiters[c.slot] = nil
                t.state = .ready
                d.ready.push(t)
            }
        }
        drainIncoming(d)
        if bits & Dispatcher.timerBit != 0 {
            d.armed = 0
            let now = System.cycles
            while let s = d.sleepers, s.wakeAt <= now {
                removeSleeper(d, s)
                if let c = s.condition {
                    // Still waiting, or signalled by another dispatcher meanwhile (then it
                    // arrives through the incoming list).
                    c.spin.lock()
                    let waiting = s.queued
                    if waiting {
                        c.waiters.remove(s)
                        s.queued = false
                        s.timedOut = true
                    }
                    c.spin.unlock()
                    if !waiting { continue }
                }
                s.state = .ready
                d.ready.push(s)
            }
            armTimer(d)
        }
    }
}

/// Where a new thread starts (on its own stack, dispatcher disabled).
@_cdecl("k42_thread_start")
func threadStart() {
    Threads.reap(Threads.here)
    Dispatcher.enable()
    let r = Threads.current.body!()
    Threads.exit(r)
}

/// Where a further dispatcher's vehicle arrives (Arch/*/entry.S, on its upcall stack, with the
/// area prepared by `addDispatcher`): register it and run whatever is made ready for it.
@_cdecl("k42_dispatcher_main")
func k42DispatcherMain(_ area: UInt64) {
    guard Dispatcher.register(area) else { fatal("a further dispatcher was refused") }
    Threads.runNext()
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

/// System-call upcall: the running thread made a system call the kernel leaves to the program
/// (number 0x100 and up, docs/kernel/dispatchers.md); its state is in save area `slot`. The
/// handler (`Threads.systemCallHandler`, ENOSYS without one) runs here, on the upcall stack with
/// the dispatcher disabled — it must not block — and its result goes into the saved result
/// register; the thread continues after its call.
@_cdecl("k42_upcall_syscall")
func k42UpcallSystemCall(_ slot: UInt64, _ number: UInt64) {
    let s = Int(slot)
    let a = Dispatcher.firstArgumentWord
    let args = (Dispatcher.saved(s, a).pointee, Dispatcher.saved(s, a + 1).pointee,
                Dispatcher.saved(s, a + 2).pointee, Dispatcher.saved(s, a + 3).pointee)
    let result = Threads.systemCallHandler?(number, args) ?? -38
    Dispatcher.saved(s, Dispatcher.resultWord).pointee = UInt64(bitPattern: result)
    Threads.here.systemCallUpcalls += 1
    Dispatcher.resume(s)
}

/// Interrupt upcall: soft interrupts arrived while the running thread (state in save area
/// `slot`) was enabled. Threads they wake run first, then the interrupted one.
@_cdecl("k42_upcall_interrupt")
func k42UpcallInterrupt(_ slot: UInt64) {
    Threads.interrupted(slot: Int(slot))
    Threads.runNext()
}

/// A mutex of user-level threads on any of the program's dispatchers: the owner, and a FIFO
/// of waiters handed ownership in turn.
final class Mutex {
    let spin = SpinLock()
    var owner: UThread? = nil
    var waiters = ThreadQueue()
    deinit { spin.free() }

    func lock() {
        let d = Threads.here
        Dispatcher.disable()
        let me = d.current!
        spin.lock()
        if owner == nil {
            owner = me
            spin.unlock()
        } else {
            waiters.push(me)
            me.state = .blocked
            spin.unlock()
            Threads.switchAway(d)               // unlock made us the owner
        }
        Dispatcher.enable()
    }

    func unlock() {
        Dispatcher.disable()
        unlockDisabled(Threads.here)
        Dispatcher.enable()
    }

    func unlockDisabled(_ d: DispatcherState) {
        spin.lock()
        let w = waiters.pop()
        owner = w
        spin.unlock()
        if let w { Threads.makeReady(w, from: d) }
    }
}

/// A condition variable; `wait` with a timeout in cycles returns false when it timed out.
final class Condition {
    let spin = SpinLock()
    var waiters = ThreadQueue()
    deinit { spin.free() }

    @discardableResult
    func wait(_ m: Mutex, timeout: UInt64 = 0) -> Bool {
        let deadline = timeout == 0 ? 0 : System.cycles &+ timeout
        let d = Threads.here
        Dispatcher.disable()
        let me = d.current!
        spin.lock()
        waiters.push(me)
        me.queued = true
        me.state = .blocked
        spin.unlock()
        if deadline != 0 {
            me.condition = self
            me.wakeAt = deadline
            Threads.insertSleeper(d, me)
            Threads.armTimer(d)
        }
        m.unlockDisabled(d)
        Threads.switchAway(d)
        me.condition = nil
        let signalled = !me.timedOut
        me.timedOut = false
        Dispatcher.enable()
        m.lock()
        return signalled
    }

    func signal() {
        let d = Threads.here
        Dispatcher.disable()
        if let w = take() { Threads.makeReady(w, from: d) }
        Dispatcher.enable()
    }

    func broadcast() {
        let d = Threads.here
        Dispatcher.disable()
        while let w = take() { Threads.makeReady(w, from: d) }
        Dispatcher.enable()
    }

    private func take() -> UThread? {
        spin.lock()
        let w = waiters.pop()
        w?.queued = false
        spin.unlock()
        return w
    }
}
