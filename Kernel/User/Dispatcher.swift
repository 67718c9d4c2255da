// Dispatcher: the kernel's side of a K42 dispatcher — the user-level scheduler of a process on
// one CPU, which the kernel tells about events by upcalls instead of blocking it (seed §3,
// docs/kernel/dispatchers.md). A program registers a dispatcher area: 16 KiB of its own
// writable memory shared with the kernel (the kernel reaches it through the process's pages,
// pinned by refusing to unmap them). Page 0 holds the flags and entry points, from byte 4096
// come 16 save areas of one trap frame each:
//   words 0 magic, 1 disabled, 2 soft interrupts (1 fault done, 2 timer), 3 save areas in use
//   (bitmap; the kernel's), 4 run entry (reserved), 5 interrupt entry, 6 trap entry,
//   7 page-fault entry, 8 system-call entry (reserved), 9 upcall stack top, 10 completions
//   produced (kernel), 11 completions consumed (user), 12 page faults reflected, 13 interrupt
//   upcalls, 14 timer deadline armed, 15 trap upcalls; 16-79 completion ring (save area |
//   1<<63 when it failed).
// A fault the kernel cannot resolve (no region, a forbidden access, a bad address) taken while
// the dispatcher is enabled goes to the trap entry: `entry(address, access, pc)` — the faulting
// thread's state is not kept (it cannot continue), the program decides what the fault means.
// Out-of-core fault: when a fault must wait for the block device and the dispatcher is enabled
// (disabled = 0) with a free save area, the kernel saves the faulting state there, starts a
// kernel I/O thread on this CPU that resolves the fault (sleeping on the device), and returns to
// user mode at the page-fault entry with the save area's number — the program runs another
// thread. The I/O thread posts the completion (ring entry, soft-interrupt bit 1); at the next
// return to user mode with the dispatcher enabled the kernel saves the interrupted state and
// upcalls the interrupt entry with it. A disabled dispatcher is not interrupted: it finds the
// soft-interrupt bits itself when it enables again. The timer (system call 11) is one deadline
// per dispatcher, checked at each return to user mode (tick resolution).
// A process has one dispatcher per CPU it runs on (system call 16 starts a vehicle on another
// CPU, which registers its own area): the kernel states are kept in a per-process table indexed
// by CPU (Programs slot word 18) until the process is finished, so `poke` (system call 17: soft
// interrupt bit 4 on the process's dispatcher on a CPU, waking it if it idles) and the end of
// the process can reach them. At every return to user mode the kernel loads the running
// dispatcher's area address into the register user code reads without a trap (MIPS UserLocal
// through `rdhwr $29`, PPC SPRG3 through `mfspr 259`; 0 without a dispatcher).

enum Dispatcher {
    static let magic: UInt64 = 0x4843_5053_4432_344B            // "K42DSPCH" in ASCII
    static let areaBytes: UInt64 = 16384
    static let pages = 4
    static let slotBase = 4096
    static let slotBytes = 640
    static let slots = 16
    static let ringBase = 16
    static let ringSize: UInt64 = 64
    static let faultDone: UInt64 = 1
    static let timerBit: UInt64 = 2
    static let pokeBit: UInt64 = 4
    static let preemptBit: UInt64 = 8

    // Kernel state (one small-allocator block per dispatcher, ThreadRecord.dispatcher):
    // 0 area VA, 1 pending soft-interrupt bits (atomic), 2 timer deadline, 3 I/O in flight
    // (atomic), 4-7 the area's pages in the kernel's view, 8 the vehicle thread while it
    // sleeps in the idle call (atomic), 9 the page whose reflected fault failed last (its next
    // fault is handled in the fault path, so a device error kills the program, not loops),
    // 10 the next dispatcher idling on this CPU (the per-CPU list the tick looks at).
    static let stateBytes = 128                 // words 0-10 used

    struct State {
        let raw: UnsafeMutablePointer<UInt64>
        var va: UInt64 { raw[0] }
        var pending: AtomicWord { AtomicWord(raw + 1) }
        var deadline: UInt64 { get { raw[2] } nonmutating set { raw[2] = newValue } }
        var inFlight: AtomicWord { AtomicWord(raw + 3) }
        func page(_ i: Int) -> UnsafeMutablePointer<UInt64> { UnsafeMutablePointer<UInt64>(bitPattern: UInt(raw[4 + i]))! }
        /// Word `i` of page 0.
        func word(_ i: Int) -> UnsafeMutablePointer<UInt64> { page(0) + i }
        /// Copies between the area at byte `offset` and kernel memory (either way), page by page.
        func copy(offset: Int, _ kernel: UnsafeMutableRawPointer, count: Int, toArea: Bool) {
            var done = 0
            while done < count {
                let o = offset + done
                let n = min(count - done, 4096 - o % 4096)
                let area = UnsafeMutableRawPointer(page(o / 4096)) + o % 4096
                if toArea { area.copyMemory(from: kernel + done, byteCount: n) } else { (kernel + done).copyMemory(from: area, byteCount: n) }
                done += n
            }
        }
    }

    /// System calls from this number up are the process's own: reflected to its dispatcher's
    /// system-call entry (word 8), ENOSYS without one.
    static let userCallBase: UInt64 = 0x100

    /// A system call the kernel does not serve (number >= userCallBase), while the dispatcher is
    /// enabled and has a system-call entry: the caller's state (pc past the call, the number and
    /// arguments in their registers) goes to a save area and the entry runs as
    /// `entry(save area, number)`; the library answers by writing the result register of the
    /// save area and resuming it. False when not reflected.
    static func reflectSystemCall(_ frame: TrapFrame) -> Bool {
        let number = frame.systemCallNumber
        guard number >= userCallBase, let s = of(Scheduler.current), s.word(1).pointee == 0,
              s.word(8).pointee != 0, let slot = save(s, frame) else { return false }
        s.word(1).pointee = 1
        Counter.systemCallUpcalls.add()
        frame.redirect(pc: s.word(8).pointee, sp: s.word(9).pointee, argument: UInt64(slot))
        frame.setArgument(1, number)
        return true
    }

    /// A soft preemption (Sched/Domains.swift): soft-interrupt bit 3 for `t`'s dispatcher, which
    /// answers by giving up the CPU (system call 19); false when it has no dispatcher to ask.
    static func askToYield(_ t: ThreadRecord) -> Bool {
        guard let s = of(t), s.word(5).pointee != 0 else { return false }
        _ = s.pending.or(preemptBit)
        return true
    }

    static func of(_ t: ThreadRecord) -> State? {
        t.dispatcher == 0 ? nil : State(raw: UnsafeMutablePointer<UInt64>(bitPattern: UInt(t.dispatcher))!)
    }

    /// System call 9: registers the area at `va` (page-aligned, writable, magic in word 0) for
    /// the calling thread's process on this CPU. 0, or -EINVAL / -EBUSY (one already).
    static func register(_ process: Process, va: UInt64) -> Int64 {
        let me = Scheduler.current
        guard me.dispatcher == 0 else { return -16 }
        guard va & 0xFFF == 0, process.isWritable(va, areaBytes) else { return -Programs.einval }
        guard let raw = SmallAllocator.allocate(size: stateBytes, alignment: 64) else { return -Programs.enomem }
        let s = State(raw: raw.assumingMemoryBound(to: UInt64.self))
        for i in 0 ..< stateBytes / 8 { s.raw[i] = 0 }
        s.raw[0] = va
        for i in 0 ..< pages {
            guard let p = process.kernelPage(at: va + UInt64(4096 * i)) else { SmallAllocator.free(raw); return -Programs.enomem }
            s.raw[4 + i] = UInt64(UInt(bitPattern: p))
        }
        guard s.word(0).pointee == magic else { SmallAllocator.free(raw); return -Programs.einval }
        guard let table = table(Programs.slot(me.processID), create: true) else { SmallAllocator.free(raw); return -Programs.enomem }
        // The vehicle's entry (claimed for it by spawn or startDispatcher) gets its state.
        let entry = AtomicWord(table + PCA.cpu * perCPU + Int(me.dispatcherNumber))
        let claimed = entry.load()
        guard claimed <= 1, entry.compareExchange(expected: claimed, desired: UInt64(UInt(bitPattern: raw))) else {
            SmallAllocator.free(raw)
            return -16
        }
        s.word(3).pointee = 0
        me.dispatcher = UInt64(UInt(bitPattern: raw))
        Counter.dispatchersRegistered.add()
        return 0
    }

    /// Dispatchers a process may have on one CPU (each its own vehicle, in its own resource domain).
    static let perCPU = 4

    /// The process's table of dispatchers, `perCPU` entries per CPU (slot word 18), made on
    /// first use: 0 free, 1 claimed by a vehicle that has not registered, else its state.
    static func table(_ slot: UnsafeMutablePointer<UInt64>, create: Bool = false) -> UnsafeMutablePointer<UInt64>? {
        let anchor = AtomicWord(slot + 18)
        if let t = UnsafeMutablePointer<UInt64>(bitPattern: UInt(anchor.load())) { return t }
        guard create else { return nil }
        let n = BootInfo.cpuCount * perCPU
        let fresh = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        for i in 0 ..< n { fresh[i] = 0 }
        if anchor.compareExchange(expected: 0, desired: UInt64(UInt(bitPattern: fresh))) { return fresh }
        fresh.deallocate()
        return UnsafeMutablePointer<UInt64>(bitPattern: UInt(anchor.load()))
    }

    /// The kernel state of the process's dispatcher `number` on `cpu` (process table slot `slot`).
    static func ofProcess(_ slot: UnsafeMutablePointer<UInt64>, cpu: Int, number: Int = 0) -> State? {
        guard number < perCPU, let t = table(slot) else { return nil }
        let v = AtomicWord(t + cpu * perCPU + number).loadSequential()
        guard v > 1, let p = UnsafeMutablePointer<UInt64>(bitPattern: UInt(v)) else { return nil }
        return State(raw: p)
    }

    /// When the process is finished (no vehicle left): frees every dispatcher state and the table.
    static func releaseAll(_ slot: UnsafeMutablePointer<UInt64>) {
        guard let t = table(slot) else { return }
        for i in 0 ..< BootInfo.cpuCount * perCPU where t[i] > 1 {
            SmallAllocator.free(UnsafeMutableRawPointer(bitPattern: UInt(t[i]))!)
        }
        slot[18] = 0
        t.deallocate()
    }

    /// System call 17: soft interrupt bit 4 for the calling process's dispatcher on `cpu` (its
    /// number there in the high 32 bits),
    /// woken if it idles (a running one sees it at its next return to user mode: the tick, or
    /// at once through the IPI sent when it is on another CPU). -EINVAL: no such CPU; -ESRCH:
    /// no dispatcher of this process there.
    static func poke(cpu word: UInt64) -> Int64 {
        let me = Scheduler.current
        let cpu = word & 0xFFFF_FFFF, number = word >> 32
        guard cpu < UInt64(BootInfo.cpuCount), number < UInt64(perCPU) else { return -Programs.einval }
        guard let s = ofProcess(Programs.slot(me.processID), cpu: Int(cpu), number: Int(number)) else { return -Programs.esrch }
        _ = s.pending.or(pokeBit)
        Counter.pokes.add()
        if AtomicWord(s.raw + 8).loadSequential() != 0 {
            wakeIdle(s)
        } else if Int(cpu) != PCA.cpu {
            Devices.sendIPI(from: PCA.cpu, to: Int(cpu))
        }
        return 0
    }

    /// When the vehicle's user code is done: waits for its I/O threads (the state itself stays
    /// in the process's table until the process is finished: `releaseAll`).
    static func release(_ t: ThreadRecord) {
        guard let s = of(t) else { return }
        while s.inFlight.loadSequential() != 0 { Scheduler.yield() }
        t.dispatcher = 0
    }

    /// Whether unmapping the region at `base` of the calling thread's process would take away
    /// its dispatcher area.
    static func pins(_ process: Process, base: UInt64) -> Bool {
        guard let s = of(Scheduler.current), let r = process.region(containing: s.va) else { return false }
        return r.call { $0.base } == base
    }

    /// Claims a free save area and saves `frame` in it; nil when all are in use.
    static func save(_ s: State, _ frame: TrapFrame) -> Int? {
        let used = s.word(3)
        var i = 0
        while i < slots && used.pointee & (1 << UInt64(i)) != 0 { i += 1 }
        guard i < slots else { return nil }
        used.pointee |= 1 << UInt64(i)
        s.copy(offset: slotBase + i * slotBytes, UnsafeMutableRawPointer(bitPattern: frame.address)!, count: TrapFrame.size, toArea: true)
        return i
    }

    /// Page-fault reflection (from the fault path): true when the fault was handed to the
    /// dispatcher and `frame` now returns to its page-fault entry.
    static func reflectFault(_ frame: TrapFrame, _ process: ProcessContext, _ address: UInt64, _ access: Access) -> Bool {
        let me = Scheduler.current
        guard let s = of(me), s.word(1).pointee == 0, s.word(7).pointee != 0, s.raw[9] != address & ~0xFFF | 1,
              PageFault.needsDevice(process, address, access), let slot = save(s, frame) else { return false }
        _ = s.inFlight.add(1)
        s.word(12).pointee &+= 1
        Counter.faultsReflected.add()
        let state = UInt(bitPattern: s.raw)
        let context = process
        _ = Thread.spawn(detached: true) {
            let s = State(raw: UnsafeMutablePointer<UInt64>(bitPattern: state)!)
            let ok = PageFault.handle(context, address, access) == .resolved
            if !ok { s.raw[9] = address & ~0xFFF | 1 }
            complete(s, slot: slot, ok: ok)
            _ = s.inFlight.add(UInt64.max)
            return 0
        }
        s.word(1).pointee = 1
        frame.redirect(pc: s.word(7).pointee, sp: s.word(9).pointee, argument: UInt64(slot))
        return true
    }

    /// An I/O thread's completion: ring entry, soft-interrupt bit, delivered on the way out.
    static func complete(_ s: State, slot: Int, ok: Bool) {
        let produced = s.word(10)
        let entry = UInt64(slot) | (ok ? 0 : 1 << 63)
        s.word(ringBase + Int(produced.pointee % ringSize)).pointee = entry
        produced.pointee &+= 1
        _ = s.pending.or(faultDone)
        wakeIdle(s)
    }

    static func wakeIdle(_ s: State) {
        let w = AtomicWord(s.raw + 8).exchange(0)
        if w != 0 { Scheduler.unblock(ThreadRecord(UInt(w))) }
    }

    /// From the tick: wake every dispatcher idling on this CPU whose timer is due.
    static func tick() {
        var word = PCA.local.word(CPUArea.idleDispatcher).pointee
        while word != 0 {
            let s = State(raw: UnsafeMutablePointer<UInt64>(bitPattern: UInt(word))!)
            if s.deadline != 0 && Devices.cycles >= s.deadline { wakeIdle(s) }
            word = s.raw[10]
        }
    }

    /// The per-CPU list of idling dispatchers (changed with interrupts off: the tick reads it).
    static func addIdle(_ s: State) {
        let token = Arch.disableInterrupts()
        let head = PCA.local.word(CPUArea.idleDispatcher)
        s.raw[10] = head.pointee
        head.pointee = UInt64(UInt(bitPattern: s.raw))
        Arch.restoreInterrupts(token)
    }

    static func removeIdle(_ s: State) {
        let token = Arch.disableInterrupts()
        var link = PCA.local.word(CPUArea.idleDispatcher)
        let me = UInt64(UInt(bitPattern: s.raw))
        while link.pointee != 0 && link.pointee != me {
            link = UnsafeMutablePointer<UInt64>(bitPattern: UInt(link.pointee))! + 10
        }
        if link.pointee == me { link.pointee = s.raw[10] }
        s.raw[10] = 0
        Arch.restoreInterrupts(token)
    }

    /// A due timer becomes soft-interrupt bit 1 (and is disarmed).
    static func takeDueTimer(_ s: State) {
        guard s.deadline != 0 && Devices.cycles >= s.deadline else { return }
        s.deadline = 0
        s.word(14).pointee = 0
        _ = s.pending.or(timerBit)
    }

    /// At every return to user mode: deliver pending soft interrupts (and a due timer) by an
    /// upcall to the interrupt entry if the dispatcher is enabled and has a free save area.
    static func beforeReturn(_ frame: TrapFrame) {
        let me = Scheduler.current
        if Programs.ended(me.processID) { UserMode.leaveEnded() }
        guard let s = of(me) else { Arch.setUserDispatcher(0); return }
        Arch.setUserDispatcher(s.va)
        takeDueTimer(s)
        guard s.pending.loadRelaxed() != 0 else { return }
        let bits = s.pending.exchange(0)
        AtomicWord(s.word(2)).or(bits)
        guard s.word(1).pointee == 0, s.word(5).pointee != 0, let slot = save(s, frame) else { return }
        s.word(1).pointee = 1
        s.word(13).pointee &+= 1
        Counter.upcalls.add()
        frame.redirect(pc: s.word(5).pointee, sp: s.word(9).pointee, argument: UInt64(slot))
    }

    /// A fault the kernel cannot resolve: upcall the trap entry with (address, access, pc) if
    /// the dispatcher is enabled and has one; false otherwise (the program is ended).
    static func deliverTrap(_ frame: TrapFrame, address: UInt64, access: Access) -> Bool {
        guard let s = of(Scheduler.current), s.word(1).pointee == 0, s.word(6).pointee != 0 else { return false }
        let pc = frame.pc
        s.word(1).pointee = 1
        s.word(15).pointee &+= 1
        frame.redirect(pc: s.word(6).pointee, sp: s.word(9).pointee, argument: address)
        frame.setArgument(1, access.rawValue)
        frame.setArgument(2, pc)
        return true
    }

    /// System call 10: continue the state in save area `slot` (frees it) with the dispatcher
    /// enabled again. -EINVAL if the area is unused.
    static func resume(_ frame: TrapFrame, slot: UInt64, tag: UInt64) -> Bool {
        guard let s = of(Scheduler.current), slot < UInt64(slots), s.word(3).pointee & (1 << slot) != 0 else { return false }
        s.copy(offset: slotBase + Int(slot) * slotBytes, UnsafeMutableRawPointer(bitPattern: frame.address)!, count: TrapFrame.size, toArea: false)
        frame.sanitizeForUser(tag: tag)
        s.word(3).pointee &= ~(1 << slot)
        s.word(1).pointee = 0                   // enabled again, atomically with the resume
        return true
    }

    /// System call 11: the dispatcher's one kernel timer (0 cancels).
    static func setTimer(_ deadline: UInt64) -> Int64 {
        guard let s = of(Scheduler.current) else { return -Programs.einval }
        s.deadline = deadline
        s.word(14).pointee = deadline
        Counter.timersSet.add()
        return 0
    }

    /// System call 12: the dispatcher has nothing to run. Returns the soft-interrupt bits (and
    /// so lets the program look at its completions) once one is pending or the timer is due;
    /// meanwhile the vehicle thread sleeps and the CPU runs other threads (its I/O threads) or
    /// idles. -ECHILD when nothing can come (no I/O in flight, no timer, and no other dispatcher
    /// of the process that could poke this one); it returns at once when the process has ended.
    static func idle() -> Int64 {
        let me = Scheduler.current
        guard let s = of(me) else { return -Programs.einval }
        let pid = me.processID
        let alone = { AtomicWord(Programs.slot(pid) + 16).loadSequential() == 1 }
        let due = { s.deadline != 0 && Devices.cycles >= s.deadline }
        let waiting = { s.pending.loadSequential() == 0 && AtomicWord(s.word(2)).loadSequential() == 0 && !due() && !Programs.ended(pid) }
        while waiting() {
            if s.inFlight.loadSequential() == 0 && s.deadline == 0 && alone() { return -Programs.echild }
            addIdle(s)
            Scheduler.prepareToBlock()
            AtomicWord(s.raw + 8).storeSequential(UInt64(me.address))
            if !waiting() {
                AtomicWord(s.raw + 8).storeSequential(0)
                Scheduler.cancelBlock()
            } else {
                Scheduler.block()
            }
            removeIdle(s)
        }
        takeDueTimer(s)
        let bits = s.pending.exchange(0)
        AtomicWord(s.word(2)).or(bits)
        return Int64(AtomicWord(s.word(2)).load())
    }
}
