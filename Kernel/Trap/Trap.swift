// Trap: where every exception and interrupt arrives in Swift (the vectors call k42_trap with the
// saved frame, interrupts disabled), dispatched by cause: the tick, the interrupt controller
// (IPIs, device timer), system calls and faults from user mode (User/UserMode.swift), MIPS TLB
// misses on user addresses; anything else in kernel mode is a kernel fault and panics with one
// line. At the end a requested reschedule happens if the interrupted context allows it.
// Interrupt handlers run with PCA.interruptDepth > 0 and must not allocate.

@_cdecl("k42_trap")
func k42Trap(_ address: UInt) {
    let frame = TrapFrame(address)
    let cause = Arch.cause(of: frame)
    let pca = PCA.local
    KernelTrace.trapEntry(cause, pc: frame.pc)
    switch cause {
    case .timer:
        interrupt { Tick.handle() }
    case .external:
        interrupt { handleExternal() }
    case .translationMiss(let address, _) where !frame.fromUser && LocalTable.contains(address):
        LocalTable.fault(address)
    default:
        if frame.fromUser {
            UserMode.handleTrap(frame, cause)
        } else {
            Panic.kernelFault(frame, cause)
        }
    }
    if pca.word(CPUArea.needReschedule).pointee != 0 && frame.interruptsWereEnabled {
        Scheduler.preemptIfNeeded()
    }
    if frame.fromUser { Dispatcher.beforeReturn(frame) }
    KernelTrace.trapExit(cause)
}

@inline(__always) private func interrupt(_ body: () -> Void) {
    let depth = PCA.local.word(CPUArea.interruptDepth)
    depth.pointee += 1
    Counter.interrupts.add()
    body()
    depth.pointee -= 1
}

/// The interrupt controller's line: acknowledge what is pending; IPIs only mean "look at your
/// queues", which the next schedule does.
private func handleExternal() {
    let cpu = PCA.cpu
    let pending = Devices.pending(cpu: cpu)
    if pending != 0 { Devices.acknowledge(cpu: cpu, bits: pending) }
    if pending & Disk.completionBit != 0 { Disk.interrupt() }
    if Domains.shouldPreempt(tick: false) { PCA.local.word(CPUArea.needReschedule).pointee = 1 }
}

/// The per-CPU tick.
enum Tick {
    static func handle() {
        Arch.acknowledgeTimer()
        Counter.ticks.add()
        COS.pokeDaemon()
        Dispatcher.tick()
        if Domains.shouldPreempt(tick: true) { PCA.local.word(CPUArea.needReschedule).pointee = 1 }
    }
}
