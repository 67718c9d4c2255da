// Dispatcher: a K42 user program's side of its dispatchers (the kernel's: Kernel/User/
// Dispatcher.swift; layout and protocol: docs/kernel/dispatchers.md). A program has one
// dispatcher per CPU it runs on: dispatcher 0 on the CPU it started on (`start`), more through
// `prepare` + system call 16 (Threads.addDispatcher). Dispatcher i's 16 KiB area is at
// areaVA + i * stride with its 32 KiB upcall stack after it; the running one's area address is
// read without a trap (`k42_self`: the kernel loads it into UserLocal / SPRG3 at every return to
// user mode). `disabled` (word 1) is set while the thread library changes its queues — the
// kernel never upcalls then — and `enable` looks at the soft-interrupt word itself before it
// returns, so nothing the kernel posted while disabled waits for a later event. Upcalls arrive
// on the upcall stack with the dispatcher disabled; the thread library (Threads.swift) handles
// them. User-owned words past the kernel's: 80 the dispatcher's `DispatcherState` object,
// 81 the incoming list (threads other dispatchers made ready, pushed with a CAS), 82 its index.

@_extern(c, "k42_self") func k42_self() -> UInt64

enum Dispatcher {
    static let areaVA: UInt64 = 0x3000_0000
    static let areaBytes: UInt64 = 16384
    static let stackVA: UInt64 = 0x3000_4000
    static let stackBytes: UInt64 = 32768
    static let stride: UInt64 = 0x1_0000
    static let maxDispatchers = 256
    static let magic: UInt64 = 0x4843_5053_4432_344B
    static let ringBase = 16
    static let ringSize: UInt64 = 64
    static let faultDone: UInt64 = 1
    static let timerBit: UInt64 = 2
    static let pokeBit: UInt64 = 4
    static let preemptBit: UInt64 = 8
    static let stateWord = 80, incomingWord = 81, indexWord = 82

    /// Dispatcher 0 is registered (the program uses the thread library).
    nonisolated(unsafe) static var started = false

    /// The running dispatcher's area (0: none registered on this vehicle).
    @inline(__always) static var base: UInt64 { k42_self() }
    @inline(__always) static func area(_ index: Int) -> UInt64 { areaVA + UInt64(index) * stride }
    @inline(__always) static func word(_ area: UInt64, _ i: Int) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutablePointer<UInt64>(bitPattern: UInt(area))! + i
    }
    @inline(__always) static func word(_ i: Int) -> UnsafeMutablePointer<UInt64> { word(base, i) }

    /// Maps dispatcher `index`'s area and upcall stack and fills in the entry points and the
    /// user words (`state`: its DispatcherState, retained); false when the kernel refused.
    static func prepare(_ index: Int, state: UnsafeMutableRawPointer) -> Bool {
        let a = area(index)
        guard index < maxDispatchers, System.map(base: a, size: areaBytes + stackBytes, .writable) == 0 else { return false }
        word(a, 0).pointee = magic
        word(a, 1).pointee = 1
        let interrupt: @convention(c) (UInt64) -> Void = k42UpcallInterrupt
        let fault: @convention(c) (UInt64) -> Void = k42UpcallFault
        let trap: @convention(c) (UInt64, UInt64, UInt64) -> Void = k42UpcallTrap
        let systemCall: @convention(c) (UInt64, UInt64) -> Void = k42UpcallSystemCall
        word(a, 8).pointee = UInt64(UInt(bitPattern: unsafeBitCast(systemCall, to: UnsafeRawPointer.self)))
        word(a, 6).pointee = UInt64(UInt(bitPattern: unsafeBitCast(trap, to: UnsafeRawPointer.self)))
        word(a, 5).pointee = UInt64(UInt(bitPattern: unsafeBitCast(interrupt, to: UnsafeRawPointer.self)))
        word(a, 7).pointee = UInt64(UInt(bitPattern: unsafeBitCast(fault, to: UnsafeRawPointer.self)))
        word(a, 9).pointee = stackTop(index)
        word(a, stateWord).pointee = UInt64(UInt(bitPattern: state))
        word(a, incomingWord).pointee = 0
        word(a, indexWord).pointee = UInt64(index)
        return true
    }

    static func stackTop(_ index: Int) -> UInt64 { area(index) + areaBytes + stackBytes - 64 }

    /// Registers the prepared area `area` for the calling vehicle (system call 9).
    static func register(_ area: UInt64) -> Bool { k42_syscall(System.dispatcherCall, area, 0, 0, 0) == 0 }

    @inline(__always) static var disabled: Bool { word(1).pointee != 0 }
    @inline(__always) static func disable() { word(1).pointee = 1 }

    /// Clears `disabled`, then handles what the kernel posted meanwhile (with `disabled` set
    /// again while it does), until nothing is pending.
    static func enable() {
        let a = base
        while true {
            word(a, 1).pointee = 0
            if atomicLoad(word(a, 2)) == 0 { return }
            word(a, 1).pointee = 1
            Threads.handleSoftInterrupts()
        }
    }

    /// Takes the pending soft-interrupt bits (atomically: the kernel sets them at any trap).
    static func takeSoftInterrupts() -> UInt64 { atomicExchange(word(2), 0) }

    /// The next completed fault's save area (and whether it failed), or nil.
    static func nextCompletion() -> (slot: Int, failed: Bool)? {
        let a = base
        let produced = atomicLoad(word(a, 10)), consumed = word(a, 11).pointee
        guard consumed < produced else { return nil }
        let e = word(a, ringBase + Int(consumed % ringSize)).pointee
        word(a, 11).pointee = consumed + 1
        return (Int(e & 0xFF), e >> 63 != 0)
    }

    /// Continues the state in save area `slot` (the kernel enables the dispatcher as it does).
    static func resume(_ slot: Int) -> Never {
        _ = k42_syscall(System.resumeCall, UInt64(slot), 0, 0, 0)
        fatal("resume of an unused save area")
    }

    /// Arms the dispatcher's one kernel timer (0 cancels).
    static func setTimer(_ deadline: UInt64) { _ = k42_syscall(System.timerCall, deadline, 0, 0, 0) }

    /// Sleeps in the kernel until a soft interrupt is pending (its bits), or -ECHILD when none
    /// can come.
    static func idle() -> Int64 { k42_syscall(System.idleCall, 0, 0, 0, 0) }

    /// Soft interrupt 4 for this process's dispatcher `kernelName` (cpu | number << 32; system
    /// call 17).
    static func poke(_ kernelName: UInt64) { _ = k42_syscall(System.pokeCall, kernelName, 0, 0, 0) }

    /// Word `i` of save area `slot` of the running dispatcher (the kernel's trap frame layout).
    @inline(__always) static func saved(_ slot: Int, _ i: Int) -> UnsafeMutablePointer<UInt64> {
        word(base, 512 + 80 * slot + i)
    }
    #if K42_MIPS64
    static let firstArgumentWord = 4, resultWord = 2
    #else
    static let firstArgumentWord = 3, resultWord = 3
    #endif

    /// Page faults the kernel reflected to the running dispatcher, interrupt upcalls and trap
    /// upcalls it made (its own counts).
    static var trapUpcalls: UInt64 { word(15).pointee }
    static var faultsReflected: UInt64 { word(12).pointee }
    static var interruptUpcalls: UInt64 { word(13).pointee }
}

import Synchronization

@inline(__always) func atomicWord(_ p: UnsafeMutablePointer<UInt64>) -> UnsafeMutablePointer<Atomic<UInt64>> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Atomic<UInt64>.self)
}
@inline(__always) func atomicLoad(_ p: UnsafeMutablePointer<UInt64>) -> UInt64 {
    atomicWord(p).pointee.load(ordering: .sequentiallyConsistent)
}
@inline(__always) func atomicStore(_ p: UnsafeMutablePointer<UInt64>, _ v: UInt64) {
    atomicWord(p).pointee.store(v, ordering: .sequentiallyConsistent)
}
@inline(__always) func atomicExchange(_ p: UnsafeMutablePointer<UInt64>, _ v: UInt64) -> UInt64 {
    atomicWord(p).pointee.exchange(v, ordering: .sequentiallyConsistent)
}
@inline(__always) func atomicCompareExchange(_ p: UnsafeMutablePointer<UInt64>, _ expected: UInt64, _ desired: UInt64) -> Bool {
    atomicWord(p).pointee.compareExchange(expected: expected, desired: desired, ordering: .sequentiallyConsistent).exchanged
}
@inline(__always) func atomicAdd(_ p: UnsafeMutablePointer<UInt64>, _ v: UInt64) {
    _ = atomicWord(p).pointee.wrappingAdd(v, ordering: .sequentiallyConsistent)
}

/// A spin lock word for structures shared by several dispatchers (held with the dispatcher
/// disabled, so no upcall switches threads while it is held).
struct SpinLock {
    let word: UnsafeMutablePointer<UInt64>
    init() {
        word = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        word.pointee = 0
    }
    @inline(__always) func lock() { while !atomicCompareExchange(word, 0, 1) {} }
    @inline(__always) func unlock() { atomicStore(word, 0) }
    func free() { word.deallocate() }
}
