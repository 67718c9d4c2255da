// PlatformDevices: the MMIO window of docs/platform.md — console UART, power/exit, machine clock,
// sim-call port, the block device (BlockDevice) and the per-CPU interrupt controllers with IPIs
// and device timers. Device accesses
// arrive from a CPU's SoftMMU slow path; anything that changes another CPU's state becomes a
// timed event so that delivery is deterministic. When tracing, sim-calls, IPIs sent and IPIs
// delivered are recorded, and the trace-buffer sim-calls (ops 7 and 8) reach GuestTraceBuffers.
#if canImport(Glibc)
import Glibc
#endif
import Traces

public final class PlatformDevices: DeviceBus {
    public struct InterruptBits {
        public static let ipi: UInt64 = 1
        public static let consoleInput: UInt64 = 2
        public static let deviceTimer: UInt64 = 4
        public static let blockDevice: UInt64 = 8
    }

    struct Controller {
        var pending: UInt64 = 0
        var enable: UInt64 = 0
        var timerPeriod: UInt64 = 0
        var timerNext: UInt64 = 0
    }

    public let config: MachineConfig
    public let signals: MachineSignals
    public var events = EventQueue()
    var controllers: [Controller]
    /// Console output goes here (host fd 1 by default); tests can capture it.
    public var consoleSink: (UInt8) -> Void
    public private(set) var consoleOutput: [UInt8] = []
    public var captureConsole = false
    /// Input bytes the UART delivers (given up front, so runs are deterministic).
    public var consoleInput: [UInt8] = []
    private var inputPosition = 0
    /// The current cycle of a CPU (set by the machine).
    public var cycleOf: (Int) -> UInt64 = { _ in 0 }
    /// Interrupt line changes, delivered to the CPU (set by the machine).
    public var lineChanged: (Int, Bool) -> Void = { _, _ in }
    /// Sim-call hook (statistics reset/dump are the machine owner's business).
    public var onSimCall: (_ op: UInt64, _ arg0: UInt64, _ arg1: UInt64, _ cpu: Int) -> Void = { _, _, _, _ in }
    /// Every sim-call in order: cycle, CPU, op, arguments (region-of-interest marks, markers...).
    public struct SimCallRecord: Sendable, Equatable {
        public var cycle: UInt64, cpu: Int, op: UInt64, arg0: UInt64, arg1: UInt64
    }
    public private(set) var simCallLog: [SimCallRecord] = []
    /// ARG0/ARG1 of the sim-call port, per CPU (so concurrent CPUs never mix their arguments).
    private var simArgs: [UInt64]
    /// The run's trace recorder and the guests' trace buffers (set by the machine when tracing).
    public var tracer: TraceRecorder?
    public var traceBuffers: GuestTraceBuffers?
    /// The disk (nil: none; its registers then read FLAGS 0). DMA reaches RAM through `dma`.
    public var block: BlockDevice?
    /// Performs the block device's request in flight against RAM (set by the machine).
    public var dma: (BlockDevice) -> UInt64 = { _ in BlockDevice.Status.hostError }

    public init(config: MachineConfig, signals: MachineSignals) {
        self.config = config
        self.signals = signals
        controllers = Array(repeating: Controller(), count: config.cpus)
        simArgs = Array(repeating: 0, count: 2 * config.cpus)
        consoleSink = { b in
            var byte = b
            _ = Glibc.write(1, &byte, 1)
        }
    }

    public func read(physical: UInt64, size: Int, cpu: Int) -> UInt64 {
        let off = physical &- MachineConfig.mmioBase
        switch off {
        case 0x0008: // UART RX
            if inputPosition < consoleInput.count {
                inputPosition += 1
                return UInt64(consoleInput[inputPosition - 1])
            }
            return UInt64.max
        case 0x0010: return inputPosition < consoleInput.count ? 1 : 0
        case 0x2000: return cycleOf(cpu)
        case 0x2008: return config.frequency
        case 0x3000: return simArgs[2 * cpu]
        case 0x3008: return simArgs[2 * cpu + 1]
        case 0x4000 ..< 0x4100: return readBlock(off - 0x4000)
        case 0x1_0000 ..< 0x1_0000 + 0x100 * UInt64(config.cpus):
            let c = Int((off - 0x1_0000) / 0x100)
            switch off & 0xff {
            case 0x00: return controllers[c].pending
            case 0x08: return controllers[c].enable
            case 0x20: return controllers[c].timerPeriod
            default: return 0
            }
        default:
            return 0
        }
    }

    public func write(physical: UInt64, size: Int, value: UInt64, cpu: Int) {
        let off = physical &- MachineConfig.mmioBase
        switch off {
        case 0x0000:
            emit(UInt8(truncatingIfNeeded: value))
        case 0x1000:
            if signals.powerOffStatus == nil { signals.powerOffStatus = Int32(truncatingIfNeeded: value & 0xff) }
        case 0x3000: simArgs[2 * cpu] = value
        case 0x3008: simArgs[2 * cpu + 1] = value
        case 0x3010:
            let a0 = simArgs[2 * cpu], a1 = simArgs[2 * cpu + 1]
            simCallLog.append(SimCallRecord(cycle: cycleOf(cpu), cpu: cpu, op: value, arg0: a0, arg1: a1))
            if let t = tracer {
                if t.wants(TraceMajor.hwSimCall) { t.record(cpu: cpu, cycle: cycleOf(cpu), .simCall, value, a0, a1) }
                if value == TraceSimCall.register || value == TraceSimCall.bufferFull {
                    traceBuffers?.simCall(value, a0, a1, cpu: cpu)
                }
            }
            if value == 6 {
                // Debug print: ARG0 as hexadecimal on the console.
                for b in Array("0x\(hex(a0))\n".utf8) { emit(b) }
            }
            onSimCall(value, a0, a1, cpu)
        case 0x4000 ..< 0x4100: writeBlock(off - 0x4000, value, cpu: cpu)
        case 0x1_0000 ..< 0x1_0000 + 0x100 * UInt64(config.cpus):
            let c = Int((off - 0x1_0000) / 0x100)
            switch off & 0xff {
            case 0x08:
                controllers[c].enable = value
                updateLine(c)
            case 0x10:
                controllers[c].pending &= ~value
                updateLine(c)
            case 0x18:
                let target = Int(truncatingIfNeeded: value)
                if target >= 0 && target < config.cpus {
                    if let t = tracer, t.wants(TraceMajor.hwIPI) {
                        t.record(cpu: cpu, cycle: cycleOf(cpu), .ipiSend, UInt64(target), cycleOf(cpu) &+ config.ipiLatency)
                    }
                    events.schedule(at: cycleOf(cpu) &+ config.ipiLatency, cpu: target, .ipi)
                    signals.eventScheduled = true
                }
            case 0x20:
                controllers[c].timerPeriod = value
                if value > 0 {
                    controllers[c].timerNext = cycleOf(cpu) &+ value
                    events.schedule(at: controllers[c].timerNext, cpu: c, .deviceTimer)
                    signals.eventScheduled = true
                }
            default: break
            }
        default:
            break
        }
    }

    private func emit(_ b: UInt8) {
        if captureConsole { consoleOutput.append(b) } else { consoleSink(b) }
    }

    /// Applies a due event to its CPU's controller.
    public func deliver(_ e: MachineEvent) {
        switch e.kind {
        case .ipi:
            controllers[e.cpu].pending |= InterruptBits.ipi
            if let t = tracer, t.wants(TraceMajor.hwIPI) { t.record(cpu: e.cpu, cycle: e.time, .ipiDeliver, controllers[e.cpu].pending) }
        case .deviceTimer:
            let period = controllers[e.cpu].timerPeriod
            // A stale tick from before the last TIMER write is dropped.
            guard period > 0, e.time == controllers[e.cpu].timerNext else { return }
            controllers[e.cpu].pending |= InterruptBits.deviceTimer
            controllers[e.cpu].timerNext = e.time &+ period
            events.schedule(at: e.time &+ period, cpu: e.cpu, .deviceTimer)
        case .blockDone:
            guard let d = block else { return }
            d.status = dma(d)
            controllers[e.cpu].pending |= InterruptBits.blockDevice
        }
        updateLine(e.cpu)
    }

    /// Block device registers (docs/platform.md): +0x00 SECTORS, +0x08 FLAGS, +0x10 SECTOR,
    /// +0x18 COUNT, +0x20 ADDRESS, +0x28 COMMAND, +0x30 STATUS, +0x38 LATENCY, +0x40 COMPLETED.
    private func readBlock(_ r: UInt64) -> UInt64 {
        guard let d = block else { return 0 }
        switch r {
        case 0x00: return d.sectors
        case 0x08: return 1 | (d.writable ? 2 : 0)
        case 0x10: return d.sector
        case 0x18: return d.count
        case 0x20: return d.address
        case 0x28: return d.command
        case 0x30: return d.status
        case 0x38: return d.latency
        case 0x40: return d.completed
        default: return 0
        }
    }

    private func writeBlock(_ r: UInt64, _ value: UInt64, cpu: Int) {
        guard let d = block else { return }
        switch r {
        case 0x10: if d.status != BlockDevice.Status.busy { d.sector = value }
        case 0x18: if d.status != BlockDevice.Status.busy { d.count = value }
        case 0x20: if d.status != BlockDevice.Status.busy { d.address = value }
        case 0x28:
            // One request at a time: a command while one is in flight is ignored.
            if d.status == BlockDevice.Status.busy { return }
            if let error = d.check(value, ramBytes: config.totalMemory) {
                d.status = error
                return
            }
            d.command = value
            d.requester = cpu
            d.status = BlockDevice.Status.busy
            events.schedule(at: cycleOf(cpu) &+ d.latency, cpu: cpu, .blockDone)
            signals.eventScheduled = true
        default: break
        }
    }

    private func updateLine(_ c: Int) {
        lineChanged(c, controllers[c].pending & controllers[c].enable != 0)
    }

    /// Console input becomes pending on CPU 0's controller when present.
    public func startConsoleInput() {
        if !consoleInput.isEmpty {
            controllers[0].pending |= InterruptBits.consoleInput
            updateLine(0)
        }
    }
}
