// uthreads: checks of user-level threads on the program's dispatcher (docs/kernel/
// dispatchers.md), one per argument (low 8 bits; the rest is a count):
//   1  out-of-core fault: thread A touches a page of a file on the block device (mapped at
//      0x2000_0000; needs `k42sim boot --disk` with sector 0 starting 0xD15C << 48) while
//      thread B computes without yielding; B must run while A waits, A must see the file's
//      word, and the completion must come by an interrupt upcall (nothing else switches).
//   2  N threads (argument >> 8, default 10000): each yields once and returns its index; all
//      are joined and summed.
//   4  the file page of 1 read without a dispatcher (the fault waits in the kernel).
//   5  the control for 2: the same thread objects and stacks, touched as a running thread
//      touches its stack, but never run — the user memory of N threads without the threads.
//   6  rates for the `threads` experiment (ops = argument >> 8, default 1000): ops threads
//      created and joined one after the other, then two threads yielding to each other ops times
//      each; results 0 and 1 are the cycles each part took (System.result).
//   7  bad dispatcher calls, each refused with its errno: idle, timer and resume without a
//      dispatcher; an unaligned, unmapped or unmarked area; a second dispatcher; resume of an
//      unused save area; unmapping the area; a further dispatcher on a CPU the machine lacks,
//      with its entry or stack in the kernel, an unaligned stack, or on this CPU; a poke of a
//      CPU the machine lacks or of one without a dispatcher of this program (ESRCH); resource
//      domains of the gang class (EPERM), the kernel class, no class, weights 0 and 1001.
//   8  faults in threads: A reads an unmapped address, B writes to the program's text, C
//      returns 7 — A and B end with Threads.faulted and the right address and access (trap
//      upcalls), C and the program go on.
//   10 a tampered save area: thread A's out-of-core fault (needs --disk) is resumed from a save
//      area whose Status (MIPS) / MSR (PPC) was rewritten to kernel mode; A must still run in
//      user mode — its read of kernel memory faults (trap upcall) instead of succeeding.
//   11 the process table: start children (mode 12: sleep, exit 12) on every CPU until spawn
//      says EAGAIN — exactly 254 start beside this one (255 address-space tags; the table's 256
//      slots are not the limit) — then wait for each, and start one more.
//   9  thread 0 reads an unmapped address: the program exits with status 139.
//   3  timeouts: 100 threads wait on a condition with long timeouts and are signalled (every
//      timeout cancelled, no system call), then 10 wait with short timeouts and time out.
//   13 several dispatchers (argument >> 8 of them, default one per CPU, on this CPU and the
//      ones after it): a second one on a CPU that has one is refused; 4 threads per dispatcher,
//      created round-robin from thread 0, add to a counter under one mutex 50 times each with a
//      yield between, and return the CPU they ran on; thread 0 joins them all; a thread on the
//      last dispatcher waits on a condition with a long timeout and is signalled from thread 0
//      (the timeout cancelled there), another times out; then a thread that never yields spins on
//      the last dispatcher while thread 0 returns: the exit must end the whole process.
//   14 a spinner for 15 (argument: weight << 8, class << 18, flags << 21 — 1 a dispatcher, 2 it
//      stays disabled, so soft preemptions never reach it — and the start cycle >> 16 << 24):
//      joins the resource domain, waits for the start cycle, counts rounds of work for
//      `shareWindow` cycles and exits with the count.
//   15 resource domains: groups of spinners on one CPU (the next one) — weights 100/200/300 in
//      time sharing get 1/6, 2/6, 3/6 of it; a background one gets nothing beside a time-sharing
//      one; one that answers soft preemptions, one without a dispatcher and one that ignores them
//      (hard preempted) get a third each.
//   16 page replacement (boot with pm-frames=N smaller than the file; the disk's sector s starts
//      with 0xD15C << 48 | s): a read-only mapping of argument >> 8 pages of the disk (default
//      512) read twice over by one thread on each of up to 4 dispatchers, each starting at its
//      own offset; every page must hold its sectors' word each time.
//   17 system calls the program serves itself: without a dispatcher call 0x1234 is ENOSYS from
//      the kernel; with one, 0x1234(a, b, c, d) answered by the library's handler (a + 2b + 3c +
//      4d), from thread 0 and from a thread on a second dispatcher; 0x1235 gets the handler's
//      ENOSYS, kernel number 20 the kernel's (no upcall).
//   18 two dispatchers on one CPU in two resource domains: dispatcher 1 there (a second one with
//      that number, and number 4, refused) moves to the background class and runs a thread that
//      counts until told to stop; while thread 0 (time sharing) computes for 3,000,000 cycles the
//      counter must not move, while thread 0 sleeps as long it must; then thread 0 joins it.
// Each prints one summary line and exits 0 when its checks hold.

func programMain(argument: UInt64) -> Int {
    if argument & 0xFF == 7 { return badDispatcherCalls() }
    if argument & 0xFF == 11 { return fillProcessTable() }
    if argument & 0xFF == 12 {                  // a child of 11: hold its slot a while, then exit 12
        guard Threads.start() else { return 1 }
        Threads.sleep(cycles: argument >> 8)
        return 12
    }
    if argument & 0xFF == 14 { return spinner(argument) }
    if argument & 0xFF == 15 { return shares() }
    if argument & 0xFF == 17 { return ownSystemCalls() }
    if argument & 0xFF == 18 { return twoDomainsOnOneCPU() }
    if argument & 0xFF == 4 {      // the same file read without a dispatcher (the fault waits in the kernel)
        guard System.mapFile(base: 0x2000_0000, size: 16 * 4096, firstSector: 0, sectors: 128) == 0 else { return 1 }
        return UnsafePointer<UInt64>(bitPattern: 0x2000_0000)!.pointee == 0xD15C_0000_0000_0000 ? 0 : 1
    }
    guard Threads.start() else { print("uthreads: the kernel refused the dispatcher"); return 1 }
    switch argument & 0xFF {
    case 1: return outOfCore()
    case 2: return manyThreads(argument >> 8 == 0 ? 10000 : Int(argument >> 8))
    case 3: return timeouts()
    case 8: return faultsInThreads()
    case 10: return tamperedSaveArea()
    case 9: return Int(truncatingIfNeeded: UnsafePointer<UInt64>(bitPattern: 0x5_0000_0008)!.pointee)
    case 6: return rates(argument >> 8 == 0 ? 1000 : Int(argument >> 8))
    case 5: return memoryOfThreads(argument >> 8 == 0 ? 10000 : Int(argument >> 8))
    case 13: return severalDispatchers(Int(argument >> 8))
    case 16: return replacement(argument >> 8 == 0 ? 512 : Int(argument >> 8))
    default: return 2
    }
}

nonisolated(unsafe) var events: [Int] = []
nonisolated(unsafe) var aDone = false

func outOfCore() -> Int {
    let base: UInt64 = 0x2000_0000
    let m = System.mapFile(base: base, size: 16 * 4096, firstSector: 0, sectors: 128)
    guard m == 0 else { print("uthreads: mapFile failed: \(m)"); return 1 }
    events.reserveCapacity(64)
    var bCount = 0
    var bBeforeA = 0
    let a = Threads.create {
        events.append(1)
        let v = UnsafePointer<UInt64>(bitPattern: UInt(base))!.pointee
        events.append(2)
        aDone = true
        return v == 0xD15C_0000_0000_0000 ? 0 : 1
    }
    let b = Threads.create {
        while !aDone && bCount < 5_000_000 {
            bCount += 1
            if events.count == 1 { bBeforeA = bCount }
            // Work with the dispatcher enabled and never yield: A can only get the CPU back by
            // the interrupt upcall that brings its completion.
            var x = UInt64(bCount)
            for _ in 0 ..< 500 { x = x &* 6364136223846793005 &+ 1 }
            if x == 42 { events.append(9) }
        }
        events.append(3)
        return 0
    }
    let ra = Threads.join(a), rb = Threads.join(b)
    let ordered = events == [1, 2, 3] && bBeforeA > 0 && bCount < 5_000_000
    print("uthreads: out-of-core fault: A waited for the disk while B ran \(bBeforeA) times; events \(events.map { String($0) }.joined(separator: ",")); "
        + "fault upcalls \(Threads.faultUpcalls), interrupt upcalls \(Threads.interruptUpcalls)")
    return ra == 0 && rb == 0 && ordered && Threads.faultUpcalls == 1 && Threads.interruptUpcalls >= 1 ? 0 : 1
}

func manyThreads(_ n: Int) -> Int {
    let before = System.calls
    var threads: [UThread] = []
    threads.reserveCapacity(n)
    for i in 0 ..< n {
        threads.append(Threads.create {
            Threads.yield()
            return i
        })
    }
    var sum = 0
    for t in threads { sum += Threads.join(t) }
    let calls = System.calls - before
    threads = []
    print("uthreads: \(n) threads created, yielded and joined: sum \(sum), \(Threads.switches) switches, \(calls) system calls, "
        + "\(Threads.objects) thread objects left")
    return sum == n * (n - 1) / 2 ? 0 : 1
}

func timeouts() -> Int {
    let m = Mutex(), c = Condition()
    var waiting = 0, signalled = 0, timedOut = 0
    for i in 0 ..< 100 {
        Threads.create {
            m.lock()
            waiting += 1
            if c.wait(m, timeout: 50_000_000 + UInt64(i) * 1000) { signalled += 1 } else { timedOut += 1 }
            m.unlock()
            return 0
        }
    }
    while waiting < 100 { Threads.yield() }
    let timerCallsBefore = Threads.timerCalls
    let callsBefore = System.calls
    m.lock()
    c.broadcast()
    m.unlock()
    let cancelCalls = System.calls - callsBefore
    while signalled + timedOut < 100 { Threads.yield() }
    let longTimerCalls = timerCallsBefore
    // Short timeouts that do expire.
    var expired = 0
    var finished = 0
    for i in 0 ..< 10 {
        Threads.create {
            m.lock()
            if !c.wait(m, timeout: 20_000 + UInt64(i) * 20_000) { expired += 1 }
            finished += 1
            m.unlock()
            return 0
        }
    }
    while finished < 10 { Threads.yield() }
    print("uthreads: 100 timeouts cancelled (\(Threads.cancelled)) with \(cancelCalls) system calls; "
        + "\(longTimerCalls) timer calls for them; \(expired) of 10 short timeouts expired; \(Threads.timerCalls) timer calls in all")
    return signalled == 100 && timedOut == 0 && Threads.cancelled == 100 && cancelCalls == 0 && expired == 10 ? 0 : 1
}

func memoryOfThreads(_ n: Int) -> Int {
    var threads: [UThread] = []
    threads.reserveCapacity(n)
    for i in 0 ..< n {
        let t = UThread(id: i, home: Threads.here, body: { i }, started: false)
        t.stack = UnsafeMutableRawPointer.allocate(byteCount: Threads.stackBytes, alignment: 16)
        let top = t.stack! + Threads.stackBytes
        for b in stride(from: 64, to: 1024, by: 64) { top.storeBytes(of: UInt64(i), toByteOffset: -b, as: UInt64.self) }
        threads.append(t)
    }
    var sum = 0
    for t in threads { sum += t.body!() }
    print("uthreads: memory of \(n) threads, never run: sum \(sum)")
    return sum == n * (n - 1) / 2 ? 0 : 1
}

func rates(_ ops: Int) -> Int {
    let t0 = System.cycles
    var sum = 0
    for i in 0 ..< ops { sum += Threads.join(Threads.create { i & 1 }) }
    let t1 = System.cycles
    let a = Threads.create { for _ in 0 ..< ops { Threads.yield() }; return 0 }
    let b = Threads.create { for _ in 0 ..< ops { Threads.yield() }; return 0 }
    _ = Threads.join(a)
    _ = Threads.join(b)
    let t2 = System.cycles
    System.result(0, t1 - t0)
    System.result(1, t2 - t1)
    return sum == ops / 2 ? 0 : 1
}

func badDispatcherCalls() -> Int {
    var failures = 0
    func expect(_ got: Int64, _ want: Int64, _ what: StaticString) {
        if got != want { print("uthreads: \(what): \(got), expected \(want)"); failures += 1 }
    }
    expect(Dispatcher.idle(), -22, "idle without a dispatcher")
    expect(k42_syscall(System.timerCall, 1, 0, 0, 0), -22, "timer without a dispatcher")
    expect(k42_syscall(System.resumeCall, 0, 0, 0, 0), -22, "resume without a dispatcher")
    expect(k42_syscall(System.dispatcherCall, Dispatcher.areaVA + 8, 0, 0, 0), -22, "unaligned area")
    expect(k42_syscall(System.dispatcherCall, Dispatcher.areaVA, 0, 0, 0), -22, "unmapped area")
    expect(k42_syscall(System.dispatcherCall, 0xFFFF_FFFF_FFFF_F000, 0, 0, 0), -22, "area at the top of the address space")
    guard System.map(base: Dispatcher.areaVA, size: Dispatcher.areaBytes, .writable) == 0 else { return 1 }
    expect(k42_syscall(System.dispatcherCall, Dispatcher.areaVA, 0, 0, 0), -22, "area without the magic")
    expect(System.unmap(base: Dispatcher.areaVA) >= 0 ? 0 : -1, 0, "unmap before registering")
    guard Threads.start() else { print("uthreads: the kernel refused the dispatcher"); return 1 }
    expect(k42_syscall(System.dispatcherCall, Dispatcher.areaVA, 0, 0, 0), -16, "a second dispatcher")
    expect(k42_syscall(System.resumeCall, 3, 0, 0, 0), -22, "resume of an unused save area")
    expect(k42_syscall(System.resumeCall, 1 << 40, 0, 0, 0), -22, "resume of a save area out of range")
    expect(System.unmap(base: Dispatcher.areaVA), -16, "unmap of the dispatcher area")
    let entry = UInt64(UInt(bitPattern: unsafeBitCast(k42_dispatcher_start as @convention(c) () -> Void, to: UnsafeRawPointer.self)))
    let stack = Dispatcher.stackTop(1), cpus = UInt64(System.cpuCount), me = UInt64(System.cpu)
    expect(k42_syscall(System.startDispatcherCall, cpus, entry, stack, 0), -22, "a dispatcher on a CPU the machine lacks")
    expect(k42_syscall(System.startDispatcherCall, (me + 1) % cpus, kernelBase + 0x10000, stack, 0), -22, "a dispatcher entry in the kernel")
    expect(k42_syscall(System.startDispatcherCall, (me + 1) % cpus, entry, kernelBase + 0x10000, 0), -22, "a dispatcher stack in the kernel")
    expect(k42_syscall(System.startDispatcherCall, (me + 1) % cpus, entry, stack - 8, 0), -22, "an unaligned dispatcher stack")
    expect(k42_syscall(System.startDispatcherCall, me, entry, stack, 0), -16, "a second dispatcher on this CPU")
    expect(k42_syscall(System.pokeCall, cpus, 0, 0, 0), -22, "a poke of a CPU the machine lacks")
    if cpus > 1 { expect(k42_syscall(System.pokeCall, (me + 1) % cpus, 0, 0, 0), -3, "a poke of a CPU without a dispatcher of ours") }
    expect(System.setDomain(class: 1, weight: 100), -1, "the gang class")
    expect(System.setDomain(class: 0, weight: 100), -22, "the kernel class")
    expect(System.setDomain(class: 5, weight: 100), -22, "a class that does not exist")
    expect(System.setDomain(class: System.timeSharing, weight: 0), -22, "weight 0")
    expect(System.setDomain(class: System.timeSharing, weight: 1001), -22, "weight 1001")
    expect(System.setDomain(class: System.background, weight: 1000), 0, "background, weight 1000")
    expect(System.setDomain(class: System.timeSharing, weight: 100), 0, "back to time sharing")
    print("uthreads: bad dispatcher calls refused: \(failures) failures")
    return failures
}

func faultsInThreads() -> Int {
    let a = Threads.create { Int(truncatingIfNeeded: UnsafePointer<UInt64>(bitPattern: 0x5_0000_0000)!.pointee) }
    let b = Threads.create {
        UnsafeMutablePointer<UInt64>(bitPattern: 0x1000_0000)!.pointee = 1
        return 1
    }
    let c = Threads.create { Threads.yield(); return 7 }
    let ra = Threads.join(a), rb = Threads.join(b), rc = Threads.join(c)
    let okA = ra == Threads.faulted && a.fault?.address == 0x5_0000_0000 && a.fault?.access == 0
    let okB = rb == Threads.faulted && b.fault?.address == 0x1000_0000 && b.fault?.access == 1
    print("uthreads: faults in threads: A \(okA ? "faulted (read 0x500000000)" : "wrong"), B \(okB ? "faulted (write 0x10000000)" : "wrong"), "
        + "C returned \(rc); \(Dispatcher.trapUpcalls) trap upcalls")
    return okA && okB && rc == 7 && Dispatcher.trapUpcalls == 2 ? 0 : 1
}

#if K42_MIPS64
let kernelBase: UInt64 = 0x80_0000_0000
#else
let kernelBase: UInt64 = 0x100_0000_0000
#endif

func tamperedSaveArea() -> Int {
    guard System.mapFile(base: 0x2000_0000, size: 4096, firstSector: 0, sectors: 8) == 0 else { return 1 }
    var tampered = 0
    Threads.beforeResume = { slot in
        let frame = UnsafeMutablePointer<UInt64>(bitPattern: UInt(Dispatcher.areaVA) + 4096 + 640 * UInt(slot))!
        #if K42_MIPS64
        frame[35] = 0x2400_84E2                 // Status: KSU kernel, EXL
        #else
        frame[37] = 0x9000_0000_0000_B033       // MSR without PR
        #endif
        tampered += 1
    }
    let a = Threads.create {
        let v = UnsafePointer<UInt64>(bitPattern: 0x2000_0000)!.pointee            // reflected fault
        let k = UnsafePointer<UInt64>(bitPattern: UInt(kernelBase + 0x10000))!.pointee
        return Int(truncatingIfNeeded: v &+ k)
    }
    let r = Threads.join(a)
    Threads.beforeResume = nil
    let ok = tampered >= 1 && r == Threads.faulted && a.fault?.address == kernelBase + 0x10000
    print("uthreads: tampered save area: resumed \(tampered) times, A \(ok ? "still in user mode (kernel read faulted)" : "NOT CONFINED")")
    return ok ? 0 : 1
}

func fillProcessTable() -> Int {
    var pids: [Int64] = []
    var refused: Int64 = 0
    let cpus = System.cpuCount
    while refused == 0 && pids.count < 1000 {
        let pid = System.spawn("uthreads", cpu: pids.count % cpus, argument: 12 | 500_000_000 << 8)
        if pid > 0 { pids.append(pid) } else { refused = pid }
    }
    var bad = 0
    for pid in pids {
        let status = System.wait(pid)
        if status != 12 {
            if bad == 0 { print("uthreads: child \(pid) ended with \(status)") }
            bad += 1
        }
    }
    let again = System.spawn("uthreads", cpu: 0, argument: 12 | 1000 << 8)
    let againStatus = again > 0 ? System.wait(again) : again
    print("uthreads: process table: \(pids.count) children, then \(refused); \(bad) ended badly; after waiting, a new one ended with \(againStatus)")
    return pids.count == 254 && refused == -11 && bad == 0 && againStatus == 12 ? 0 : 1
}

import Synchronization

/// Set by the spinner of mode 13 once it runs; never cleared (the spinner never stops).
let spinnerRunning = Atomic<Int>(0)

func severalDispatchers(_ wanted: Int) -> Int {
    let cpus = System.cpuCount, first = System.cpu
    let n = wanted == 0 ? cpus : min(wanted, cpus)
    var home = [first]
    for k in 1 ..< n {
        guard let i = Threads.addDispatcher(cpu: (first + k) % cpus), i == k else {
            print("uthreads: dispatcher \(k) on CPU \((first + k) % cpus) refused"); return 1
        }
        home.append((first + k) % cpus)
    }
    let again = Threads.addDispatcher(cpu: home[n > 1 ? 1 : 0])
    let m = Mutex()
    nonisolated(unsafe) var counter = 0
    var threads: [UThread] = []
    for k in 0 ..< 4 * n {
        threads.append(Threads.create(on: k % n) {
            for _ in 0 ..< 50 {
                m.lock(); counter += 1; m.unlock()
                Threads.yield()
            }
            return System.cpu
        })
    }
    var misplaced = 0
    for (k, t) in threads.enumerated() where Threads.join(t) != home[k % n] { misplaced += 1 }
    // A condition across dispatchers: signalled (timeout cancelled at the waiter's home), then
    // one that times out.
    let c = Condition()
    nonisolated(unsafe) var waiting = false
    let last = n - 1
    let cancelledBefore = Threads.dispatcher(last).cancelled
    let w = Threads.create(on: last) {
        m.lock(); waiting = true
        let signalled = c.wait(m, timeout: 2_000_000_000)
        m.unlock()
        return signalled ? 1 : 0
    }
    while true {
        m.lock()
        if waiting { c.signal(); m.unlock(); break }
        m.unlock()
        Threads.yield()
    }
    let signalled = Threads.join(w)
    let late = Threads.create(on: last) {
        m.lock(); let s = c.wait(m, timeout: 50_000); m.unlock()
        return s ? 1 : 0
    }
    let timedOut = Threads.join(late) == 0
    let cancelled = Threads.dispatcher(last).cancelled - cancelledBefore
    let ok = again == nil && counter == 4 * n * 50 && misplaced == 0 && signalled == 1 && timedOut && (n == 1 || cancelled == 1)
    print("uthreads: \(n) dispatchers on CPUs \(home.map { String($0) }.joined(separator: ",")); a second on CPU \(home[n > 1 ? 1 : 0]) \(again == nil ? "refused" : "ACCEPTED"); "
        + "counter \(counter) of \(4 * n * 50), \(misplaced) threads off their dispatcher's CPU; across dispatchers: signalled \(signalled == 1), "
        + "\(cancelled) timeout cancelled, short timeout \(timedOut ? "expired" : "did not expire")")
    guard ok else { return 1 }
    if n > 1 {
        Threads.create(on: last) {
            spinnerRunning.store(1, ordering: .releasing)
            while spinnerRunning.load(ordering: .acquiring) != 2 {}
            return 0
        }
        while spinnerRunning.load(ordering: .acquiring) == 0 { Threads.yield() }
        print("uthreads: a thread spins on CPU \(home[last]); thread 0 exits")
    }
    return 0
}

let shareWindow: UInt64 = 6_000_000

func spinner(_ argument: UInt64) -> Int {
    let weight = (argument >> 8) & 0x3FF, domainClass = (argument >> 18) & 7, flags = (argument >> 21) & 7
    let start = (argument >> 24) << 16, end = start + shareWindow
    guard System.setDomain(class: domainClass, weight: weight) == 0 else { return 0xFFFF_FFFF }
    if flags & 1 != 0 {
        guard Threads.start() else { return 0xFFFF_FFFE }
        if flags & 2 != 0 { Dispatcher.disable() }
    }
    while System.cycles < start {}
    var rounds = 0
    var x: UInt64 = argument
    while System.cycles < end {
        for _ in 0 ..< 64 { x = x &* 6364136223846793005 &+ 1442695040888963407 }
        rounds += 1
    }
    return x == 0 ? 0 : rounds
}

func shares() -> Int {
    let cpus = System.cpuCount
    let cpu = (System.cpu + 1) % cpus
    func run(_ spinners: [(weight: UInt64, domainClass: UInt64, flags: UInt64)]) -> [Double] {
        let start = (System.cycles + 4_000_000) >> 16
        var pids: [Int64] = []
        for s in spinners {
            pids.append(System.spawn("uthreads", cpu: cpu, argument: 14 | s.weight << 8 | s.domainClass << 18 | s.flags << 21 | start << 24))
        }
        let counts = pids.map { $0 > 0 ? Double(System.wait($0)) : 0 }
        let total = counts.reduce(0, +)
        return counts.map { total > 0 ? $0 / total : 0 }
    }
    func percent(_ v: [Double]) -> String { v.map { String(Int($0 * 1000 + 0.5)) }.joined(separator: "/") }
    let ts = System.timeSharing
    let weighted = run([(100, ts, 1), (200, ts, 1), (300, ts, 1)])
    let okWeighted = zip(weighted, [1.0 / 6, 2.0 / 6, 3.0 / 6]).allSatisfy { abs($0 - $1) < 0.03 }
    let classes = run([(100, ts, 1), (100, System.background, 1)])
    let okClasses = classes[1] < 0.01
    let preempted = run([(100, ts, 1), (100, ts, 0), (100, ts, 3)])
    let okPreempted = preempted.allSatisfy { abs($0 - 1.0 / 3) < 0.03 }
    print("uthreads: resource domains on CPU \(cpu), shares in 1/1000: weights 100/200/300 \(percent(weighted)) \(okWeighted ? "(proportional)" : "(WRONG)"); "
        + "time sharing/background \(percent(classes)) \(okClasses ? "(background starved)" : "(WRONG)"); "
        + "soft-preempted/no dispatcher/ignoring \(percent(preempted)) \(okPreempted ? "(equal)" : "(WRONG)")")
    return okWeighted && okClasses && okPreempted ? 0 : 1
}

func replacement(_ pages: Int) -> Int {
    let base: UInt64 = 0x2000_0000
    guard System.mapFile(base: base, size: UInt64(pages) * 4096, firstSector: 0, sectors: UInt64(pages) * 8) == 0 else {
        print("uthreads: mapFile refused"); return 1
    }
    let cpus = System.cpuCount, first = System.cpu
    let n = min(4, cpus)
    for k in 1 ..< n { guard Threads.addDispatcher(cpu: (first + k) % cpus) != nil else { return 1 } }
    var readers: [UThread] = []
    for k in 0 ..< n {
        readers.append(Threads.create(on: k) {
            var wrong = 0
            for i in 0 ..< 2 * pages {
                let p = (i + k * pages / n) % pages
                let v = UnsafePointer<UInt64>(bitPattern: UInt(base) + UInt(p) * 4096)!.pointee
                if v != 0xD15C_0000_0000_0000 | UInt64(p * 8) { wrong += 1 }
            }
            return wrong
        })
    }
    var wrong = 0
    for t in readers { wrong += Threads.join(t) }
    print("uthreads: \(pages) file pages read twice by \(n) threads on \(n) CPUs: \(wrong) wrong")
    return wrong == 0 ? 0 : 1
}

func ownSystemCalls() -> Int {
    let before = k42_syscall(0x1234, 1, 2, 3, 4)             // no dispatcher yet: the kernel's ENOSYS
    guard Threads.start() else { return 1 }
    Threads.systemCallHandler = { number, a in
        number == 0x1234 ? Int64(a.0 + 2 * a.1 + 3 * a.2 + 4 * a.3) : -38
    }
    let mine = k42_syscall(0x1234, 1, 2, 3, 4)
    let other = k42_syscall(0x1235, 1, 2, 3, 4)
    let kernels = k42_syscall(20, 1, 2, 3, 4)
    var remote: Int64 = 30
    if System.cpuCount > 1, let d = Threads.addDispatcher(cpu: (System.cpu + 1) % System.cpuCount) {
        remote = Int64(Threads.join(Threads.create(on: d) { Int(k42_syscall(0x1234, 5, 6, 7, 8)) }))
        remote = remote == 70 ? 30 : remote
    }
    let ok = before == -38 && mine == 30 && other == -38 && kernels == -38 && remote == 30
    print("uthreads: own system calls: before a dispatcher \(before), 0x1234 -> \(mine), 0x1235 -> \(other), kernel 20 -> \(kernels), "
        + "on another dispatcher \(remote == 30 ? "right" : "WRONG"); \(Threads.systemCallUpcalls) upcalls")
    return ok ? 0 : 1
}

let backgroundCount = Atomic<Int>(0)
let backgroundState = Atomic<Int>(0)          // 1 running in the background class, 2 told to stop

func twoDomainsOnOneCPU() -> Int {
    guard Threads.start() else { return 1 }
    let cpu = System.cpu
    guard let d = Threads.addDispatcher(cpu: cpu, number: 1) else { print("uthreads: dispatcher 1 on this CPU refused"); return 1 }
    let again = Threads.addDispatcher(cpu: cpu, number: 1), bad = Threads.addDispatcher(cpu: cpu, number: 4)
    let counter = Threads.create(on: d) {
        backgroundState.store(1, ordering: .releasing)   // (after the call below it runs only when time sharing does not)
        guard System.setDomain(class: System.background, weight: 100) == 0 else { return 1 }
        while backgroundState.load(ordering: .acquiring) != 2 { backgroundCount.wrappingAdd(1, ordering: .relaxed) }
        return 0
    }
    while backgroundState.load(ordering: .acquiring) == 0 { System.yieldCPU() }   // let its vehicle run
    let c0 = backgroundCount.load(ordering: .relaxed)
    let busyUntil = System.cycles + 3_000_000
    var x: UInt64 = 1
    while System.cycles < busyUntil { for _ in 0 ..< 64 { x = x &* 6364136223846793005 &+ 1 } }
    let c1 = backgroundCount.load(ordering: .relaxed)
    Threads.sleep(cycles: 3_000_000)
    let c2 = backgroundCount.load(ordering: .relaxed)
    backgroundState.store(2, ordering: .releasing)
    let r = Threads.join(counter)
    let ok = again == nil && bad == nil && c1 == c0 && c2 - c1 > 1000 && r == 0 && x != 0
    print("uthreads: two dispatchers on CPU \(cpu): a second number 1 \(again == nil ? "refused" : "ACCEPTED"), number 4 \(bad == nil ? "refused" : "ACCEPTED"); "
        + "background counter \(c1 == c0 ? "still" : "MOVED") while time sharing computed, \(c2 - c1 > 1000 ? "counting" : "STILL") while it slept; joined \(r)")
    return ok ? 0 : 1
}
