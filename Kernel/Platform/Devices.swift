// Devices: the k42sim platform's MMIO devices (docs/platform.md) as the kernel uses them:
// console UART, power-off, machine clock, sim-call port, and each CPU's interrupt controller
// (pending/enable/acknowledge, IPIs, device timer). Register addresses come from
// Arch.deviceAddress (MIPS: xkphys uncached; PPC: the linear map's cache-inhibited window).
import _Volatile

enum Devices {
    static let mmioBase: UInt64 = 0xFF_F000_0000

    @inline(__always) static func register(_ offset: UInt64) -> VolatileMappedRegister<UInt64> {
        VolatileMappedRegister<UInt64>(unsafeBitPattern: Arch.deviceAddress(mmioBase + offset))
    }
    @inline(__always) static func read(_ offset: UInt64) -> UInt64 { register(offset).load() }
    @inline(__always) static func write(_ offset: UInt64, _ value: UInt64) { register(offset).store(value) }

    // Console UART.
    @inline(__always) static func consoleWrite(_ byte: UInt8) { write(0x0000, UInt64(byte)) }
    static func consoleRead() -> UInt8? {
        let v = read(0x0008)
        return v == UInt64.max ? nil : UInt8(truncatingIfNeeded: v)
    }

    /// Powers the machine off; `k42sim boot` exits with `status & 0xff`.
    static func powerOff(_ status: UInt64) -> Never {
        write(0x1000, status)
        while true { Arch.waitForInterrupt() }
    }

    /// The reading CPU's cycle counter, and cycles per simulated second.
    @inline(__always) static var cycles: UInt64 { read(0x2000) }
    static var frequency: UInt64 { read(0x2008) }

    /// Sim-call: ARG0, ARG1, then OP performs it (ARG registers are per CPU).
    @inline(__always) static func simCall(_ op: UInt64, _ a0: UInt64 = 0, _ a1: UInt64 = 0) {
        write(0x3000, a0)
        write(0x3008, a1)
        write(0x3010, op)
    }

    // Interrupt controller of CPU `cpu`.
    static let ipiBit: UInt64 = 1
    static let consoleInputBit: UInt64 = 2
    static let deviceTimerBit: UInt64 = 4
    @inline(__always) static func controller(_ cpu: Int) -> UInt64 { 0x1_0000 + 0x100 * UInt64(cpu) }
    static func pending(cpu: Int) -> UInt64 { read(controller(cpu)) }
    static func enable(cpu: Int, mask: UInt64) { write(controller(cpu) + 0x08, mask) }
    static func acknowledge(cpu: Int, bits: UInt64) { write(controller(cpu) + 0x10, bits) }
    /// Sends an IPI to `target` (through the sender's own controller page).
    static func sendIPI(from cpu: Int, to target: Int) { write(controller(cpu) + 0x18, UInt64(target)) }
}
