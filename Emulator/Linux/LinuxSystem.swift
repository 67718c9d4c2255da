// LinuxSystem: syscall-emulation mode as a small deterministic Linux — the process table
// (pids from 4242 up), the threads, and a scheduler that runs them on N simulated CPUs. Each CPU
// has a clock (simulated ns, 1 instruction = 1 ns); the loop always advances the busy CPU whose
// clock is lowest (ties: lowest CPU number) by one step, so the interleaving depends only on the
// program and the configuration, never on the host. Blocked calls wait on channels (LinuxWait)
// and are re-run or completed when woken; when no CPU has work the clocks jump to the next
// deadline; when nothing can ever run again the remaining threads are deadlocked and killed.
// The process calls themselves (clone, execve, wait4, kill, futex...) are in LinuxSystem+*.swift.

/// One simulated CPU.
final class SECPUSlot {
    let index: Int
    /// Simulated time (ns).
    var clock: UInt64 = 0
    /// Timed runs: the CPU's cycle counter (it follows `clock` across idle time).
    var cycles: UInt64 = 0
    var current: LinuxThread?
    var instructions: UInt64 = 0
    /// Executions per op kind of the threads that ran here.
    var kinds: [UInt64]
    init(index: Int, kindCount: Int) {
        self.index = index
        kinds = [UInt64](repeating: 0, count: kindCount)
    }
}

public final class LinuxSystem: SEMachine {
    let abi: LinuxABI
    let options: LinuxSEOptions
    let cpuType: SEThreadCPU.Type
    public let root: LinuxProcess
    /// Live and zombie processes, in pid order.
    var processes: [LinuxProcess] = []
    var ready: [LinuxThread] = []
    var blocked: [LinuxThread] = []
    var waiters: [WaitChannel: [LinuxThread]] = [:]
    let slots: [SECPUSlot]
    var nextPID: Int32 = LinuxProcess.pid + 1
    var totalInstructions: UInt64 = 0
    /// Set when `--strict` stops the run.
    var stopMessage: String?
    /// Statistics of memories already released (exec, exit).
    var retiredDecodedPages: UInt64 = 0
    var retiredSoftTLBMisses: UInt64 = 0
    /// Instructions per step when several threads compete (the interleaving grain).
    public var step: UInt64 = 20_000
    /// Time slice (ns) before a thread yields its CPU to a ready one.
    public var timeslice: UInt64 = 4_000_000
    /// Instructions per step when one thread runs alone.
    public var quantum: UInt64 = 1 << 22
    /// The timing model of a run with a machine description (nil: 1 instruction = 1 ns).
    let timing: SETiming?

    public init(image: ElfImage, options: LinuxSEOptions) throws(ElfError) {
        switch image.isa {
        case .mips64:
            guard image.littleEndian else { throw ElfError("big-endian MIPS programs are not supported yet; build for mips64el") }
            cpuType = SEThreadMIPS64.self
        case .ppc64:
            guard image.littleEndian else { throw ElfError("big-endian PowerPC programs are not supported yet; build for ppc64le") }
            cpuType = SEThreadPPC64.self
        }
        self.options = options
        if let d = options.machine {
            guard d.isa == image.isa else {
                throw ElfError("the machine description is for \(d.isa.rawValue) but the program is \(image.isa.rawValue) (give a \(image.isa.rawValue) preset or --set isa=\(image.isa.rawValue))")
            }
            do { timing = try SETiming(d, cpuType: cpuType) } catch { throw ElfError("machine description: \(error)") }
        } else {
            timing = nil
        }
        root = try LinuxProcess(image: image, options: options, physical: timing?.physical)
        abi = root.abi
        let kinds = cpuType.kindCount
        slots = (0 ..< max(1, timing?.description.cpus ?? options.cpus)).map { SECPUSlot(index: $0, kindCount: kinds) }
        if let timing { step = timing.stepNanoseconds }
        root.system = self
        root.exitSignal = abi.SIGCHLD
        processes.append(root)
        let t = LinuxThread(tid: root.pid, process: root,
                            cpu: cpuType.start(memory: root.memory, entry: root.entryPoint, sp: root.initialStackPointer),
                            signalMask: root.loneSignalMask)
        root.threads.append(t)
        ready.append(t)
    }

    var liveProcessCount: Int { processes.filter { $0.waitStatus == nil }.count }

    func process(_ pid: Int32) -> LinuxProcess? { processes.first { $0.pid == pid } }

    // MARK: the scheduler loop

    public func run(maxInstructions: UInt64? = nil) -> SERunResult {
        let limit = maxInstructions ?? .max
        while true {
            if let m = stopMessage { return SERunResult(exitStatus: 125, message: m, instructions: totalInstructions) }
            if root.waitStatus != nil && !anyLiveThread { return rootResult() }
            assignReadyThreads()
            guard let slot = nextBusySlot() else {
                if advanceToNextDeadline() { continue }
                if root.waitStatus == nil || anyLiveThread { deadlock() }
                return rootResult()
            }
            if totalInstructions >= limit {
                return SyscallEmulation.instructionLimitResult(limit: limit, executed: totalInstructions,
                                                               pc: root.threads.first?.cpu.pc ?? 0)
            }
            runSlice(slot, limit: limit)
        }
    }

    private var anyLiveThread: Bool { processes.contains { !$0.threads.isEmpty } }

    private func assignReadyThreads() {
        for s in slots where s.current == nil {
            guard !ready.isEmpty else { return }
            let t = ready.removeFirst()
            s.current = t
            s.clock = max(s.clock, t.readyAt)
            t.sliceUsed = 0
        }
    }

    private func nextBusySlot() -> SECPUSlot? {
        var best: SECPUSlot?
        for s in slots where s.current != nil {
            if best == nil || s.clock < best!.clock { best = s }
        }
        return best
    }

    /// The earliest deadline among blocked threads.
    private var nextDeadline: UInt64? {
        let d = blocked.compactMap { $0.wait?.deadline }.min()
        var a = nextAlarm
        if let t = nextTimer { a = min(a ?? .max, t) }
        guard let a else { return d }
        return min(d ?? .max, a)
    }

    /// Nothing runnable: jumps to the earliest deadline and times its waiters out.
    private func advanceToNextDeadline() -> Bool {
        guard let d = nextDeadline else { return false }
        for s in slots where s.current == nil { s.clock = max(s.clock, d) }
        expireDeadlines(now: d)
        return true
    }

    private func expireDeadlines(now: UInt64) {
        fireAlarms(now: now)
        fireTimers(now: now)
        for t in blocked where (t.wait?.deadline ?? .max) <= now {
            let w = t.wait!
            if w.retry {
                // A re-run call times out: it completes with its timeout result.
                t.blockedCall = nil
                t.progress = 0
            }
            finishWait(t, result: w.timeoutResult, at: w.deadline!)
        }
    }

    private func runSlice(_ slot: SECPUSlot, limit: UInt64) {
        let t = slot.current!
        let p = t.process
        if p.pendingSignals | t.pendingSignals != 0 && deliverSignals(t, slot: slot) && (!t.alive || slot.current !== t) { return }
        if t.blockedCall != nil {
            // A woken call is re-run before the thread continues.
            let c = t.blockedCall!
            t.blockedCall = nil
            systemCall(t, on: slot, number: c.number, args: c.args, pc: c.pc)
            return
        }
        let competing = !ready.isEmpty || slots.contains { $0 !== slot && $0.current != nil }
        var budget = competing ? step : quantum
        if let d = nextDeadline { budget = min(budget, d > slot.clock ? d - slot.clock : 1) }
        budget = max(1, min(budget, limit - totalInstructions))
        let before = t.cpu.instructions
        t.cpu.dropReservation()
        let stop: SEStop
        var elapsed: UInt64
        if let timing {
            // Timed: the budget and the CPU's counter in cycles; the clock follows the cycles.
            timing.physical.allocationNode = timing.cpuNodes[slot.index]
            slot.cycles = max(slot.cycles, timing.cycles(atNanoseconds: slot.clock))
            t.cpu.attach(timing: timing.cpuTimings[slot.index], cycles: slot.cycles)
            t.cpu.setTimeOffset(0)
            stop = t.cpu.run(budget: max(1, timing.cycles(atNanoseconds: budget)))
            slot.cycles = t.cpu.cycles
            let clock = max(slot.clock, timing.nanoseconds(atCycles: slot.cycles))
            elapsed = clock - slot.clock
        } else {
            t.cpu.setTimeOffset(slot.clock &- before)
            stop = t.cpu.run(budget: budget)
            elapsed = t.cpu.instructions - before
        }
        let ran = t.cpu.instructions - before
        slot.clock += elapsed
        slot.instructions += ran
        totalInstructions += ran
        t.sliceUsed += elapsed
        p.cpuNanoseconds += elapsed
        if let d = nextDeadline, d <= slot.clock { expireDeadlines(now: slot.clock) }
        switch stop {
        case .budget:
            if t.sliceUsed >= timeslice && !ready.isEmpty { preempt(slot) }
        case .syscall(let n, let args, let pc):
            systemCall(t, on: slot, number: n, args: args, pc: pc)
        case .fault(let sig, let detail, _, let address):
            fault(t, signal: sig, detail: detail, address: address)
        }
    }

    private func preempt(_ slot: SECPUSlot) {
        guard let t = slot.current else { return }
        account(t, slot)
        slot.current = nil
        t.readyAt = slot.clock
        ready.append(t)
    }

    /// Adds the thread's op-kind executions since the last accounting to the slot.
    func account(_ t: LinuxThread, _ slot: SECPUSlot) {
        let k = t.cpu.kindCounts
        for i in 0 ..< slot.kinds.count { slot.kinds[i] &+= k[i] }
        // Zeroed, so the next accounting adds only what ran after this one.
        t.cpu.kindCounts.update(repeating: 0, count: slot.kinds.count)
    }

    /// Performs a call for `t` on `slot` and acts on its outcome.
    func systemCall(_ t: LinuxThread, on slot: SECPUSlot, number: UInt64, args: LinuxProcess.Args, pc: UInt64) {
        let p = t.process
        p.currentThread = t
        p.simulatedNanoseconds = slot.clock
        p.currentSlot = slots.firstIndex { $0 === slot } ?? 0
        var callArgs = args
        if t.progress > 0 { callArgs.1 &+= UInt64(t.progress); callArgs.2 &-= UInt64(t.progress) }
        let outcome = p.syscall(number: number, args: callArgs, pc: pc)
        p.currentThread = nil
        guard t.alive else { return }                     // it exited or was killed
        if t.skipCompletion { t.skipCompletion = false; return }   // rt_sigreturn set every register
        if var w = p.pendingBlock {
            if w.partial > 0 { t.progress += w.partial; w.partial = 0 }
            block(t, slot, w, call: w.retry ? (number, args, pc) : nil)
            return
        }
        switch outcome {
        case .returned(let v):
            var value = v
            if t.progress > 0 {                          // a blocking write finished its rest
                if v >= 0 { value = v + t.progress } else { value = t.progress }
                t.progress = 0
            }
            t.callDeadline = nil
            t.cpu.complete(.returned(value))
        case .setThreadPointer:
            t.cpu.complete(outcome)
        case .exited(let status):
            exitGroup(p, status: status)
        case .killed(let sig):
            killProcess(p, signal: sig)
        case .stop(let m):
            stopMessage = m
        }
        if t.alive && slot.current === t && !ready.isEmpty && t.sliceUsed >= timeslice { preempt(slot) }
    }

    // MARK: blocking and waking

    func block(_ t: LinuxThread, _ slot: SECPUSlot?, _ w: LinuxWait, call: (UInt64, LinuxProcess.Args, UInt64)?) {
        if let slot, slot.current === t { account(t, slot); slot.current = nil }
        ready.removeAll { $0 === t }
        t.wait = w
        t.restartCall = w.restartable
        t.blockedCall = call.map { (number: $0.0, args: $0.1, pc: $0.2) }
        blocked.append(t)
        for c in w.channels { waiters[c, default: []].append(t) }
    }

    /// Makes `t` runnable at time `at`; a completed (non-retry) wait returns `result` (generic).
    func finishWait(_ t: LinuxThread, result: Int64?, at: UInt64) {
        guard let w = t.wait else { return }
        for c in w.channels {
            waiters[c]?.removeAll { $0 === t }
            if waiters[c]?.isEmpty == true { waiters[c] = nil }
        }
        blocked.removeAll { $0 === t }
        t.wait = nil
        if t.blockedCall == nil, let result {
            var value = result
            if t.progress > 0 { value = result >= 0 ? result + t.progress : t.progress; t.progress = 0 }
            t.callDeadline = nil
            let guest = value < 0 && value >= -4095 ? -Int64(abi.guestErrno(Int32(-value))) : value
            t.cpu.complete(.returned(guest))
        }
        t.readyAt = at
        ready.append(t)
    }

    /// Wakes up to `count` waiters of a channel (in the order they came); returns how many.
    @discardableResult
    func wake(_ channel: WaitChannel, count: Int = .max, result: Int64? = 0, at: UInt64) -> Int {
        guard let list = waiters[channel] else { return 0 }
        var n = 0
        for t in list where n < count {
            finishWait(t, result: result, at: at)
            n += 1
        }
        return n
    }

    /// The time of the calling thread's CPU (for wake-ups it causes).
    var now: UInt64 {
        var busy = UInt64.max, latest: UInt64 = 0
        for s in slots {
            if s.current != nil { busy = min(busy, s.clock) }
            latest = max(latest, s.clock)
        }
        return busy != .max ? busy : latest
    }

    private func deadlock() {
        let who = blocked.map { "pid \($0.process.pid) tid \($0.tid) \($0.wait?.what ?? "waiting")" }
        root.log("k42sim: deadlock: no thread can run again (\(who.joined(separator: "; "))); killing them")
        for p in processes where p.waitStatus == nil { killProcess(p, signal: abi.SIGKILL) }
    }

    private func rootResult() -> SERunResult {
        let status = root.waitStatus ?? 0
        if status & 0x7f == 0 {
            return SERunResult(exitStatus: (status >> 8) & 0xff, message: nil, instructions: totalInstructions)
        }
        let sig = status & 0x7f
        let message = root.deathMessage
            ?? "k42sim: program killed by \(LinuxProcess.signalName(sig, abi: abi)) at pc 0x\(hex(root.lastPC))"
        return SERunResult(exitStatus: 128 + sig, message: message, instructions: totalInstructions)
    }

    // MARK: statistics

    public func statistics(hostSeconds: Double) -> StatsReport {
        var decoded = retiredDecodedPages, misses = retiredSoftTLBMisses
        var seen: [ObjectIdentifier] = []
        for p in processes where p.waitStatus == nil && !seen.contains(ObjectIdentifier(p.memory)) {
            seen.append(ObjectIdentifier(p.memory))
            decoded += p.memory.decodedPageCount
            misses += p.mmu.slowPathCount
        }
        // Threads off a CPU were accounted when they left it.
        for s in slots { if let t = s.current { account(t, s) } }
        let perCPU = slots.map { s in
            (instructions: s.instructions, cycles: timing.map { _ in s.cycles } ?? s.clock,
             classes: s.kinds.withUnsafeBufferPointer { cpuType.classCounts($0.baseAddress!) })
        }
        return SEStatistics.report(cpus: perCPU, frequency: timing?.description.frequency ?? 1_000_000_000,
                                   decodedPages: decoded, softTLBMisses: misses, hostSeconds: hostSeconds,
                                   memorySystem: timing?.hierarchy.statistics(translation: false) ?? [])
    }
}
