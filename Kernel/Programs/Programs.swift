// Programs: K42 user programs — processes made from an ELF file of the initial RAM image
// (RAMImage, ELFLoader) or, for a name the image lacks, of the block device (DiskImage), each
// run by one kernel thread per CPU it has a dispatcher on, with process create (`spawn`), exit
// with a status and `wait` (docs/kernel/programs.md). A process the kernel must end for a fault
// it cannot resolve is killed: its parent's wait sees `killedBit | access`. Bookkeeping lives in
// the process table: 256 slots of 32 words, found
// through the process ID (slot = (pid - 1) mod 256), each claimed and released with atomics —
// no lock; spawning takes an ID from one shared counter.
//   slot words: 0 state (0 free, 1 in use), 1 pid, 2 parent pid (0: the kernel), 3 status,
//   4 join word (0: running and nobody waiting, 1: exited, else the waiting thread), 5 CPU
//   (low 32 bits) and the address-space tag spawn reserved for the process (high 32 bits),
//   6 argument, 7 name length, 8-11 name, 12-15 the program's results (system call 15),
//   16 vehicles running, 17 end (endedBit | status; first CAS wins), 18 the dispatchers
//   (Dispatcher.perCPU per CPU: 0 free, 1 claimed, else the kernel state), 19-22 CPUs with a vehicle (bitmap), 23-25 the image read from the disk until the
//   first vehicle loaded it (physical address, order | offset << 8, size)

enum Programs {
    static let slots: UInt64 = 256
    static let slotWords = 32
    static let endedBit: UInt64 = 1 << 63
    static let eperm: Int64 = 1, esrch: Int64 = 3, ebusy: Int64 = 16
    /// Status bits of `wait`'s result: ended by the kernel for a fault (| the access: 0 read,
    /// 1 write, 2 execute), or never started (| errno).
    static let killedBit: UInt64 = 1 << 32
    static let notStartedBit: UInt64 = 1 << 33

    static let enoent: Int64 = 2, enoexec: Int64 = 8, echild: Int64 = 10, eagain: Int64 = 11
    static let enomem: Int64 = 12, efault: Int64 = 14, einval: Int64 = 22

    /// The process table (allocated by the first caller, published with a CAS).
    static var table: UnsafeMutablePointer<UInt64> {
        let anchor = AtomicWord(KernelWords.processTable)
        if let t = UnsafeMutablePointer<UInt64>(bitPattern: UInt(anchor.load())) { return t }
        let words = Int(slots) * slotWords
        let fresh = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        for i in 0 ..< words { fresh[i] = 0 }
        if anchor.compareExchange(expected: 0, desired: UInt64(UInt(bitPattern: fresh))) { return fresh }
        fresh.deallocate()
        return UnsafeMutablePointer<UInt64>(bitPattern: UInt(anchor.load()))!
    }

    static func slot(_ pid: UInt64) -> UnsafeMutablePointer<UInt64> {
        table + Int((pid &- 1) % slots) * slotWords
    }

    /// Starts program `name` on `cpu` with `argument` as a child of `parent`: its process ID,
    /// or -errno (ENOENT: not in the RAM image; ENOEXEC: not an executable of this ISA;
    /// EINVAL: no such CPU or a bad name; EAGAIN: the table is full, or all 255 address-space
    /// tags are taken — the tag is reserved here, so a process that was started has one).
    static func spawn(name: UnsafeRawBufferPointer, cpu: Int, argument: UInt64, parent: UInt64) -> Int64 {
        guard cpu >= 0, cpu < BootInfo.cpuCount, name.count > 0, name.count < 32 else { return -einval }
        var fromDisk: DiskImage.Loaded? = nil
        if let file = RAMImage.file(named: name) {
            guard ELFLoader.looksExecutable(file) else { return -enoexec }
        } else {
            switch DiskImage.load(named: name) {
            case .success(let loaded): fromDisk = loaded
            case .failure(let f): return -f.errno
            }
            guard ELFLoader.looksExecutable(fromDisk!.bytes) else { fromDisk!.free(); return -enoexec }
        }
        var claimed: UnsafeMutablePointer<UInt64>? = nil
        var pid: UInt64 = 0
        for _ in 0 ..< slots {
            pid = AtomicWord(KernelWords.nextProcessID).add(1) &+ 1
            if pid == 0 { continue }
            let s = slot(pid)
            if AtomicWord(s).compareExchange(expected: 0, desired: 1) { claimed = s; break }
        }
        guard let s = claimed else { fromDisk?.free(); return -eagain }
        guard let tag = AddressTags.allocate() else {
            AtomicWord(s).store(0)
            fromDisk?.free()
            return -eagain
        }
        s[1] = pid; s[2] = parent; s[3] = 0; s[5] = UInt64(cpu) | tag << 32; s[6] = argument; s[7] = UInt64(name.count)
        for i in 8 ..< slotWords { s[i] = 0 }
        s[16] = 1
        s[19 + cpu / 64] = 1 << UInt64(cpu % 64)
        guard let table = Dispatcher.table(s, create: true) else {
            AddressTags.free(tag)
            AtomicWord(s).store(0)
            fromDisk?.free()
            return -enomem
        }
        table[cpu * Dispatcher.perCPU] = 1          // dispatcher 0 there: the first vehicle's
        if let d = fromDisk { s[23] = d.pa; s[24] = UInt64(d.order) | UInt64(d.offset) << 8; s[25] = UInt64(d.size) }
        UnsafeMutableRawPointer(s + 8).copyMemory(from: name.baseAddress!, byteCount: name.count)
        AtomicWord(s + 4).storeSequential(0)
        Counter.programsStarted.add()
        let address = UInt(bitPattern: s)
        CrossCall.post(cpu) {
            _ = Thread.spawn(detached: true) {
                run(UnsafeMutablePointer<UInt64>(bitPattern: address)!)
                return 0
            }
            return 0
        }
        return Int64(pid)
    }

    static func spawn(_ name: StaticString, cpu: Int, argument: UInt64 = 0) -> Int64 {
        name.withUTF8Buffer { spawn(name: UnsafeRawBufferPointer($0), cpu: cpu, argument: argument, parent: 0) }
    }

    /// The program's first vehicle: load, run in user mode until the process ends, leave.
    private static func run(_ s: UnsafeMutablePointer<UInt64>) {
        let me = Scheduler.current
        let pid = s[1]
        me.processID = pid
        let name = UnsafeRawBufferPointer(start: UnsafeRawPointer(s + 8), count: Int(s[7]))
        let tag = s[5] >> 32
        let disk = s[23] == 0 ? nil : DiskImage.Loaded(pa: s[23], order: Int(s[24] & 0xFF), offset: Int(s[24] >> 8), size: Int(s[25]))
        s[23] = 0
        let file = disk?.bytes ?? RAMImage.file(named: name)
        if file == nil { AddressTags.free(tag) }
        guard let file, let process = Process.create(tag: tag) else {
            disk?.free()
            return finish(s, nil, status: notStartedBit | UInt64(enomem))
        }
        let outcome = ELFLoader.load(file, into: process)
        disk?.free()                                // the image is in the process's pages now
        switch outcome {
        case .entry(let pc):
            let exit = UserMode.run(process, pc: pc, sp: ELFLoader.stackTop, s[6], pid)
            leave(s, process, exit)
        case .notExecutable: finish(s, process, status: notStartedBit | UInt64(enoexec))
        case .noMemory: finish(s, process, status: notStartedBit | UInt64(enomem))
        }
    }

    /// Ends process `pid` with `status` unless it has ended already; true for the first end.
    /// Its other vehicles leave user mode at their next return to it (an idle one is woken,
    /// a running one interrupted now).
    @discardableResult
    static func end(_ pid: UInt64, status: UInt64) -> Bool {
        let s = slot(pid)
        guard s[1] == pid, AtomicWord(s + 17).compareExchange(expected: 0, desired: endedBit | status) else { return false }
        let here = PCA.cpu
        for cpu in 0 ..< BootInfo.cpuCount where s[19 + cpu / 64] & (1 << UInt64(cpu % 64)) != 0 {
            for n in 0 ..< Dispatcher.perCPU {
                if let st = Dispatcher.ofProcess(s, cpu: cpu, number: n) { Dispatcher.wakeIdle(st) }
            }
            if cpu != here { Devices.sendIPI(from: here, to: cpu) }
        }
        return true
    }

    /// Whether process `pid` has ended (its vehicles must leave user mode).
    @inline(__always) static func ended(_ pid: UInt64) -> Bool {
        pid != 0 && AtomicWord(slot(pid) + 17).load() != 0
    }

    /// A vehicle is out of user mode: the process ends (if it had not), the vehicle's dispatcher
    /// is released, and the last vehicle out finishes the process.
    private static func leave(_ s: UnsafeMutablePointer<UInt64>, _ process: Process, _ exit: UserMode.Exit) {
        let me = Scheduler.current
        switch exit {
        case .exited(let code): end(s[1], status: code & 0xFFFF_FFFF)
        case .fault(_, let access): end(s[1], status: killedBit | access.rawValue)
        }
        Dispatcher.release(me)                      // after its I/O threads are done
        me.processID = 0
        if AtomicWord(s + 16).add(UInt64.max) == 1 {
            finish(s, process, status: AtomicWord(s + 17).load() & ~endedBit)
        }
    }

    /// The process is over: destroy it, publish the status, wake the parent.
    private static func finish(_ s: UnsafeMutablePointer<UInt64>, _ process: Process?, status: UInt64) {
        Dispatcher.releaseAll(s)
        if let process {
            process.destroy()
            if status & notStartedBit == 0 {
                if status & killedBit != 0 { Counter.programsKilled.add() } else { Counter.programsExited.add() }
            }
        }
        Scheduler.current.processID = 0
        s[3] = status
        let waiter = AtomicWord(s + 4).exchange(1)
        if waiter > 1 { Scheduler.unblock(ThreadRecord(UInt(waiter))) }
    }

    /// System call 16: a further dispatcher of the calling process on `cpu` — a new vehicle
    /// there enters user mode at `entry` with stack `sp` and `argument` in the first argument
    /// register (the program's own code registers its dispatcher area, system call 9). 0, or
    /// -EINVAL (no such CPU, an entry or stack outside user space), -EBUSY (the process has a
    /// vehicle on that CPU), -ESRCH (the process is ending).
    static func startDispatcher(_ process: Process, pid: UInt64, cpu word: UInt64, entry: UInt64, sp: UInt64, argument: UInt64) -> Int64 {
        let cpu = word & 0xFFFF_FFFF, number = word >> 32
        guard cpu < UInt64(BootInfo.cpuCount), number < UInt64(Dispatcher.perCPU), entry >= Arch.userBase, entry < Arch.userTop,
              sp >= Arch.userBase, sp <= Arch.userTop, sp & 15 == 0 else { return -einval }
        let s = slot(pid)
        guard s[1] == pid, let table = Dispatcher.table(s, create: true) else { return -esrch }
        let c = Int(cpu)
        let claim = AtomicWord(table + c * Dispatcher.perCPU + Int(number))
        guard claim.compareExchange(expected: 0, desired: 1) else { return -ebusy }
        _ = AtomicWord(s + 19 + c / 64).or(1 << UInt64(c % 64))
        _ = AtomicWord(s + 16).add(1)               // the caller's own vehicle holds one, so never 0 here
        if ended(pid) {
            _ = claim.compareExchange(expected: 1, desired: 0)
            _ = AtomicWord(s + 16).add(UInt64.max)
            return -esrch
        }
        Counter.dispatchersStarted.add()
        let address = UInt(bitPattern: s)
        let context = process
        CrossCall.post(c) {
            _ = Thread.spawn(detached: true) {
                let s = UnsafeMutablePointer<UInt64>(bitPattern: address)!
                let me = Scheduler.current
                me.processID = s[1]
                me.dispatcherNumber = number
                let exit = UserMode.run(context, pc: entry, sp: sp, argument, s[1], word)
                leave(s, context, exit)
                return 0
            }
            return 0
        }
        return 0
    }


    /// System call 15: result `index` (0-3) of the calling program, for whoever waits for it.
    static func setResult(pid: UInt64, index: UInt64, value: UInt64) -> Int64 {
        guard pid != 0, index < 4 else { return -einval }
        let s = slot(pid)
        guard s[1] == pid else { return -einval }
        s[12 + Int(index)] = value
        return 0
    }

    /// Waits for child `pid` of `parent` to end; its status, or -ECHILD. With `results`, its
    /// four results (system call 15) are copied there.
    static func wait(_ pid: UInt64, parent: UInt64, results: UnsafeMutablePointer<UInt64>? = nil) -> Int64 {
        guard pid != 0 else { return -echild }
        let s = slot(pid)
        guard AtomicWord(s).load() == 1, s[1] == pid, s[2] == parent else { return -echild }
        let join = AtomicWord(s + 4)
        Scheduler.prepareToBlock()
        if join.compareExchange(expected: 0, desired: UInt64(Scheduler.current.address)) {
            Scheduler.block()
        } else {
            Scheduler.cancelBlock()
        }
        while join.load() != 1 { Scheduler.yield() }
        let status = s[3]
        if let results { for i in 0 ..< 4 { results[i] = s[12 + i] } }
        s[1] = 0
        AtomicWord(s).store(0)
        return Int64(status)
    }
}
