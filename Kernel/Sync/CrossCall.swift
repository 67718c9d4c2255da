// CrossCall: run a function on another CPU. A message (from the sender's heap) goes onto the
// target CPU's cross-call stack (one compare-and-swap) and the target's service thread is woken
// (an IPI if the target has to notice). The service thread runs messages oldest first, in thread
// context, so they may allocate, block and take locks. `call` waits (sleeping) for the result;
// `post` returns at once and the target frees the message.
// Message layout: 0 next, 1 function, 2 argument, 3 result, 4 done, 5 waiting thread, 6 flags.

enum CrossCall {
    static let messageBytes = 64
    static let flagAsync: UInt64 = 1

    /// Runs `function(argument)` on `cpu` and returns its result (directly when `cpu` is this one).
    static func call(_ cpu: Int, _ function: ThreadEntry, _ argument: UInt = 0) -> UInt {
        if cpu == PCA.cpu { return function(argument) }
        let m = message(function, argument, flags: 0)
        let me = Scheduler.current
        m[5] = UInt64(me.address)
        Scheduler.prepareToBlock()
        send(m, to: cpu)
        Scheduler.block()
        while AtomicWord(m + 4).load() == 0 { Scheduler.yield() }
        let result = UInt(m[3])
        SmallAllocator.free(UnsafeMutableRawPointer(m))
        return result
    }

    /// Runs `function(argument)` on `cpu` some time later.
    static func post(_ cpu: Int, _ function: ThreadEntry, _ argument: UInt = 0) {
        send(message(function, argument, flags: flagAsync), to: cpu)
    }

    /// Runs `body` on `cpu` and returns its result.
    static func call(_ cpu: Int, _ body: @escaping () -> UInt) -> UInt {
        let box = Unmanaged.passRetained(ClosureBox(body)).toOpaque()
        return call(cpu, { arg in
            Unmanaged<ClosureBox>.fromOpaque(UnsafeRawPointer(bitPattern: arg)!).takeRetainedValue().body()
        }, UInt(bitPattern: box))
    }

    /// Runs `body` on `cpu` some time later.
    static func post(_ cpu: Int, _ body: @escaping () -> UInt) {
        let box = Unmanaged.passRetained(ClosureBox(body)).toOpaque()
        post(cpu, { arg in
            Unmanaged<ClosureBox>.fromOpaque(UnsafeRawPointer(bitPattern: arg)!).takeRetainedValue().body()
        }, UInt(bitPattern: box))
    }

    private static func message(_ function: ThreadEntry, _ argument: UInt, flags: UInt64) -> UnsafeMutablePointer<UInt64> {
        guard let raw = SmallAllocator.allocate(size: messageBytes, alignment: 64) else {
            Panic.panic("out of memory for a cross-CPU call")
        }
        let m = raw.assumingMemoryBound(to: UInt64.self)
        m[0] = 0
        m[1] = UInt64(UInt(bitPattern: unsafeBitCast(function, to: UnsafeRawPointer.self)))
        m[2] = UInt64(argument)
        m[3] = 0
        m[4] = 0
        m[5] = 0
        m[6] = flags
        return m
    }

    private static func send(_ m: UnsafeMutablePointer<UInt64>, to cpu: Int) {
        guard cpu >= 0 && cpu < BootInfo.cpuCount else { Panic.panic("cross-CPU call to a CPU that does not exist:", value: UInt64(bitPattern: Int64(cpu))) }
        let target = PCA.of(cpu)
        let queue = target.atomic(CPUArea.crossCallQueue)
        var old: UInt64
        repeat {
            old = queue.load()
            m[0] = old
        } while !queue.compareExchange(expected: old, desired: UInt64(UInt(bitPattern: m)))
        Counter.crossCallsSent.add()
        Scheduler.unblock(ThreadRecord(UInt(target.word(CPUArea.serviceThread).pointee)))
    }

    /// The per-CPU service thread.
    static func serviceLoop() -> UInt {
        let queue = PCA.local.atomic(CPUArea.crossCallQueue)
        while true {
            var list = queue.exchange(0)
            if list == 0 {
                Scheduler.prepareToBlock()
                if queue.loadSequential() != 0 { Scheduler.cancelBlock(); continue }
                Scheduler.block()
                continue
            }
            var ordered: UInt64 = 0
            while list != 0 {
                let m = word(UInt(list))
                list = m[0]
                m[0] = ordered
                ordered = UInt64(UInt(bitPattern: m))
            }
            while ordered != 0 {
                let m = word(UInt(ordered))
                ordered = m[0]
                let function = unsafeBitCast(UnsafeRawPointer(bitPattern: UInt(m[1]))!, to: ThreadEntry.self)
                let result = function(UInt(m[2]))
                Counter.crossCallsRun.add()
                if m[6] & flagAsync != 0 {
                    SmallAllocator.free(UnsafeMutableRawPointer(m))
                } else {
                    let waiter = ThreadRecord(UInt(m[5]))
                    m[3] = UInt64(result)
                    AtomicWord(m + 4).store(1)
                    Scheduler.unblock(waiter)
                }
            }
        }
    }
}
