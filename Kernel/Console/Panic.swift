// Panic: the kernel's fatal-error path. Prints exactly one line,
//   k42 panic: cpu N: WHAT[: CAUSE] pc 0x... address 0x...
// reports it through the sim-call port (Report.panic), and powers the machine off with status
// 250 (docs/kernel/README.md). The first CPU to panic wins; a CPU that panics while another is
// already panicking stops silently, so the line is never cut. Never hangs: no lock is waited
// for longer than a bounded spin.

enum Panic {
    static let status: UInt64 = 250

    /// Claims the panic; false when another CPU already did (this one then just stops).
    private static func claim() -> Bool {
        _ = Arch.disableInterrupts()
        return AtomicWord(KernelWords.panicking).compareExchange(expected: 0, desired: 1)
    }

    private static func stop() -> Never {
        while true { Arch.waitForInterrupt() }
    }

    /// Lets a line another CPU is writing finish (bounded), so the panic line starts on its own.
    private static func settleConsole() {
        let lock = SpinLock(KernelWords.consoleLock)
        var spins = 0
        while lock.isLocked && spins < 100_000 { spins += 1 }
    }

    private static func begin() {
        settleConsole()
        Console.raw("\nk42 panic: cpu ")
        Console.raw(decimal: UInt64(Arch.hardwareCPUNumber))
        Console.raw(": ")
    }

    static func panic(_ message: StaticString) -> Never {
        guard claim() else { stop() }
        Report.value(.panic, 0)
        begin()
        Console.raw(message)
        Console.raw("\n")
        Devices.powerOff(status)
    }

    static func panic(_ message: StaticString, value: UInt64) -> Never {
        guard claim() else { stop() }
        Report.value(.panic, value)
        begin()
        Console.raw(message)
        Console.raw(" ")
        Console.raw(hex: value)
        Console.raw("\n")
        Devices.powerOff(status)
    }

    /// A trap the kernel cannot handle in kernel mode.
    static func kernelFault(_ frame: TrapFrame, _ cause: TrapCause) -> Never {
        guard claim() else { stop() }
        let (name, address) = describe(cause)
        Report.value(.panic, frame.pc)
        begin()
        Console.raw("kernel fault: ")
        Console.raw(name)
        Console.raw(" pc ")
        Console.raw(hex: frame.pc)
        Console.raw(" address ")
        Console.raw(hex: address)
        Console.raw(" return address ")
        Console.raw(hex: frame.returnAddress)
        Console.raw("\n")
        Devices.powerOff(status)
    }

    /// A name and the faulting address (0 when the cause has none) of a trap cause.
    static func describe(_ cause: TrapCause) -> (StaticString, UInt64) {
        switch cause {
        case .timer: return ("timer interrupt", 0)
        case .external: return ("external interrupt", 0)
        case .systemCall: return ("system call", 0)
        case .translationMiss(let a, let access):
            switch access {
            case .read: return ("no translation (read)", a)
            case .write: return ("no translation (write)", a)
            case .execute: return ("no translation (fetch)", a)
            }
        case .protection(let a, let access):
            return (access == .write ? "protection (write)" : access == .read ? "protection (read)" : "protection (fetch)", a)
        case .addressError(let a, let access):
            return (access == .write ? "address error (write)" : access == .read ? "address error (read)" : "address error (fetch)", a)
        case .segmentMiss(let a, _): return ("segment miss", a)
        case .busError(let a, _): return ("bus error", a)
        case .illegalInstruction: return ("illegal instruction", 0)
        case .privilegedInstruction: return ("privileged instruction", 0)
        case .breakpoint: return ("breakpoint", 0)
        case .trapInstruction: return ("trap instruction", 0)
        case .floatingPoint: return ("floating-point exception", 0)
        case .other(let code): return ("unexpected exception", code)
        }
    }
}

/// A kernel stack pointer outside the linear map (the vectors found it; MIPS) or an overflow.
@_cdecl("k42_panic_bad_stack")
func k42PanicBadStack(_ sp: UInt64, _ pc: UInt64, _ cause: UInt64) {
    Panic.panic("kernel stack pointer outside the linear map:", value: sp)
}

@_cdecl("k42_panic_stack_check")
func k42PanicStackCheck() {
    Panic.panic("stack smashing detected")
}
