// Dispatcher: a K42 user program's side of its dispatcher (the kernel's: Kernel/User/
// Dispatcher.swift; layout and protocol: docs/kernel/dispatchers.md). `Dispatcher.start` maps
// the 16 KiB dispatcher area and a 32 KiB upcall stack, fills in the entry points and registers
// the area. `disabled` (word 1) is set while the thread library changes its queues — the kernel
// never upcalls then — and `enable` looks at the soft-interrupt word itself before it returns,
// so nothing the kernel posted while disabled waits for a later event. Upcalls arrive on the
// upcall stack with the dispatcher disabled; the thread library (Threads.swift) handles them.


enum Dispatcher {
    static let areaVA: UInt64 = 0x3000_0000
    static let areaBytes: UInt64 = 16384
    static let stackVA: UInt64 = 0x3000_4000
    static let stackBytes: UInt64 = 32768
    static let magic: UInt64 = 0x4843_5053_4432_344B
    static let ringBase = 16
    static let ringSize: UInt64 = 64
    static let faultDone: UInt64 = 1
    static let timerBit: UInt64 = 2

    nonisolated(unsafe) static var started = false

    @inline(__always) static func word(_ i: Int) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutablePointer<UInt64>(bitPattern: UInt(areaVA))! + i
    }

    /// Maps and registers the area (once); false when the kernel refused.
    static func start() -> Bool {
        if started { return true }
        guard System.map(base: areaVA, size: areaBytes + stackBytes, .writable) == 0 else { return false }
        word(0).pointee = magic
        word(1).pointee = 1
        let interrupt: @convention(c) (UInt64) -> Void = k42UpcallInterrupt
        let fault: @convention(c) (UInt64) -> Void = k42UpcallFault
        let trap: @convention(c) (UInt64, UInt64, UInt64) -> Void = k42UpcallTrap
        word(6).pointee = UInt64(UInt(bitPattern: unsafeBitCast(trap, to: UnsafeRawPointer.self)))
        word(5).pointee = UInt64(UInt(bitPattern: unsafeBitCast(interrupt, to: UnsafeRawPointer.self)))
        word(7).pointee = UInt64(UInt(bitPattern: unsafeBitCast(fault, to: UnsafeRawPointer.self)))
        word(9).pointee = stackVA + stackBytes - 64
        guard k42_syscall(System.dispatcherCall, areaVA, 0, 0, 0) == 0 else { return false }
        started = true
        return true
    }

    @inline(__always) static var disabled: Bool { word(1).pointee != 0 }
    @inline(__always) static func disable() { word(1).pointee = 1 }

    /// Clears `disabled`, then handles what the kernel posted meanwhile (with `disabled` set
    /// again while it does), until nothing is pending.
    static func enable() {
        while true {
            word(1).pointee = 0
            if atomicLoad(word(2)) == 0 { return }
            word(1).pointee = 1
            Threads.handleSoftInterrupts()
        }
    }

    /// Takes the pending soft-interrupt bits (atomically: the kernel sets them at any trap).
    static func takeSoftInterrupts() -> UInt64 { atomicExchange(word(2), 0) }

    /// The next completed fault's save area (and whether it failed), or nil.
    static func nextCompletion() -> (slot: Int, failed: Bool)? {
        let produced = atomicLoad(word(10)), consumed = word(11).pointee
        guard consumed < produced else { return nil }
        let e = word(ringBase + Int(consumed % ringSize)).pointee
        word(11).pointee = consumed + 1
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

    /// Page faults the kernel reflected here, interrupt upcalls and trap upcalls it made (its
    /// own counts).
    static var trapUpcalls: UInt64 { word(15).pointee }
    static var faultsReflected: UInt64 { word(12).pointee }
    static var interruptUpcalls: UInt64 { word(13).pointee }
}

import Synchronization

@inline(__always) func atomicLoad(_ p: UnsafeMutablePointer<UInt64>) -> UInt64 {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Atomic<UInt64>.self).pointee.load(ordering: .acquiring)
}
@inline(__always) func atomicExchange(_ p: UnsafeMutablePointer<UInt64>, _ v: UInt64) -> UInt64 {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Atomic<UInt64>.self).pointee.exchange(v, ordering: .acquiringAndReleasing)
}
