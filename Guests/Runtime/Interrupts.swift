// InterruptController: the per-CPU interrupt controller (docs/platform.md): pending/enable/ack
// bits, inter-processor interrupts and the per-CPU device timer. The CPU's own interrupt enable
// (MIPS Status.IE/IM2, PPC MSR[EE]) and vectors are the kernel's business.

enum InterruptController {
    /// Pending/enable/ack bits.
    static let ipi: UInt64 = 1 << 0
    static let consoleInput: UInt64 = 1 << 1
    static let timer: UInt64 = 1 << 2

    static func base(_ cpu: Int) -> UInt64 { Platform.interruptControllerPage + 0x100 * UInt64(cpu) }

    /// Pending sources of `cpu` (default: the executing CPU).
    static func pending(cpu: Int = CPU.number) -> UInt64 { Platform.read(base(cpu)) }

    /// The enabled sources of `cpu`.
    static func enabled(cpu: Int = CPU.number) -> UInt64 { Platform.read(base(cpu) + 0x08) }

    /// Sets the enable mask of `cpu`.
    static func enable(_ mask: UInt64, cpu: Int = CPU.number) { Platform.write(base(cpu) + 0x08, mask) }

    /// Clears the given pending bits of `cpu`.
    static func acknowledge(_ bits: UInt64, cpu: Int = CPU.number) { Platform.write(base(cpu) + 0x10, bits) }

    /// Sends an IPI to CPU `target` (through the sender's own controller page).
    static func sendIPI(to target: Int) { Platform.write(base(CPU.number) + 0x18, UInt64(target)) }

    /// Raises the timer bit every `interval` cycles on `cpu` (0 stops the timer).
    static func setTimer(interval: UInt64, cpu: Int = CPU.number) { Platform.write(base(cpu) + 0x20, interval) }
}
