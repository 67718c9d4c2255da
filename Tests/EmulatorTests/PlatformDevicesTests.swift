// PlatformDevicesTests: the MMIO devices of docs/platform.md driven register by register —
// UART output/input, power-off, the clock, the sim-call port (log and debug print), interrupt
// controllers (enable/ack, line changes) and timed events (IPI latency, periodic timer, a timer
// rewrite dropping stale ticks), and the documented default IPI latency on a booted machine of
// each ISA. Expectations come from docs/platform.md.
import Foundation
import XCTest
@testable import Emulator

final class PlatformDevicesTests: XCTestCase {
    let base = MachineConfig.mmioBase

    func makeDevices(cpus: Int = 4) -> (PlatformDevices, MachineSignals, [UInt64]) {
        var config = MachineConfig(isa: .mips64, cpus: cpus, nodes: 1)
        config.ipiLatency = 1000
        let signals = MachineSignals()
        let d = PlatformDevices(config: config, signals: signals)
        d.captureConsole = true
        return (d, signals, [])
    }

    func testConsoleOutputInputAndPowerOff() {
        let (d, signals, _) = makeDevices()
        for b in Array("hi\n".utf8) { d.write(physical: base, size: 8, value: UInt64(b), cpu: 0) }
        XCTAssertEqual(d.consoleOutput, Array("hi\n".utf8))
        XCTAssertEqual(d.read(physical: base + 0x10, size: 8, cpu: 0), 0, "no input")
        XCTAssertEqual(d.read(physical: base + 0x08, size: 8, cpu: 0), UInt64.max, "RX empty reads -1")
        d.consoleInput = [0x41]
        XCTAssertEqual(d.read(physical: base + 0x10, size: 8, cpu: 0), 1)
        XCTAssertEqual(d.read(physical: base + 0x08, size: 8, cpu: 0), 0x41)
        XCTAssertEqual(d.read(physical: base + 0x08, size: 8, cpu: 0), UInt64.max)
        XCTAssertFalse(signals.stopRequested)
        d.write(physical: base + 0x1000, size: 8, value: 0x1_0007, cpu: 2)
        XCTAssertEqual(signals.powerOffStatus, 7, "exit status is the low 8 bits")
    }

    func testClockAndSimCalls() {
        let (d, _, _) = makeDevices()
        d.cycleOf = { c in UInt64(100 + c) }
        XCTAssertEqual(d.read(physical: base + 0x2000, size: 8, cpu: 3), 103)
        XCTAssertEqual(d.read(physical: base + 0x2008, size: 8, cpu: 0), 1_000_000_000)
        var hooked: [UInt64] = []
        d.onSimCall = { op, _, _, _ in hooked.append(op) }
        d.write(physical: base + 0x3000, size: 8, value: 0xbeef, cpu: 1)
        d.write(physical: base + 0x3008, size: 8, value: 5, cpu: 1)
        d.write(physical: base + 0x3010, size: 8, value: 5, cpu: 1)      // trace marker
        d.write(physical: base + 0x3010, size: 8, value: 6, cpu: 1)      // debug print of ARG0
        XCTAssertEqual(hooked, [5, 6])
        XCTAssertEqual(d.simCallLog, [
            .init(cycle: 101, cpu: 1, op: 5, arg0: 0xbeef, arg1: 5),
            .init(cycle: 101, cpu: 1, op: 6, arg0: 0xbeef, arg1: 5),
        ])
        XCTAssertEqual(d.consoleOutput, Array("0xbeef\n".utf8))
    }

    /// The default IPI latency docs/platform.md states ("`ipiLatency` cycles (default N)").
    func documentedDefaultIPILatency() throws -> UInt64 {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/platform.md")
        let text = try String(contentsOf: doc, encoding: .utf8).replacingOccurrences(of: "\n", with: " ")
        let m = try XCTUnwrap(text.firstMatch(of: /`ipiLatency` cycles \(default (\d+)\)/), "platform.md names the default")
        return try XCTUnwrap(UInt64(m.1))
    }

    // docs/platform.md: "An IPI becomes pending at the target exactly ipiLatency cycles (default
    // N) after the sending store" and delivery is precise. On a default machine of each ISA (the
    // functional one `k42sim boot` builds), CPU 0 reads CYCLES and sends an IPI in the next
    // instruction; CPU 1, idle, takes the interrupt exactly N cycles after that store.
    func testTimedIPIArrivesAtTheDocumentedDefaultLatency() throws {
        let documented = try documentedDefaultIPILatency()
        for (isa, set) in [(Emulator.GuestISA.mips64, BareMetalImageSet.mips64), (.ppc64, .ppc64)] {
            let config = MachineConfig(isa: isa, cpus: 2)
            XCTAssertEqual(config.ipiLatency, documented, "\(isa): MachineConfig's default")
            let m = try Machine(config: config, image: try ElfImage(path: try set.build("ipi_latency")),
                                makeCPU: SystemCPUFactory.make)
            XCTAssertEqual(m.run(maxCycles: 100_000), .poweredOff(status: 0), "\(isa)")
            let sent = m.readPhysical64(0x8000) + 1          // the IPI store: the instruction after the CYCLES read
            let taken: UInt64?
            switch m.cpus[1] {
            case let c as MIPS64SystemCPU: taken = c.history.first?.cycle
            case let c as PPC64SystemCPU: taken = c.history.first?.cycle
            default: taken = nil
            }
            XCTAssertEqual(try XCTUnwrap(taken, "\(isa): CPU 1 took no interrupt") - sent, documented, "\(isa)")
        }
    }

    // FullSystemCPU: both ISAs count cycles the same way. clock.S reads CYCLES as its sixth
    // instruction from reset (an instruction reading the clock counts itself: 6, on both ISAs,
    // in functional mode), then starts its own device timer and spins; the interrupt comes
    // exactly TIMER = 100 cycles after the store, not at the end of the CPU's slice.
    func testBothISAsReadTheSameClockAndGetTheirOwnTimerOnTime() throws {
        for (isa, set) in [(Emulator.GuestISA.mips64, BareMetalImageSet.mips64), (.ppc64, .ppc64)] {
            let m = try Machine(config: MachineConfig(isa: isa, cpus: 1), image: try ElfImage(path: try set.build("clock")),
                                makeCPU: SystemCPUFactory.make)
            XCTAssertEqual(m.run(maxCycles: 100_000), .poweredOff(status: 0), "\(isa)")
            XCTAssertEqual(m.readPhysical64(0x8000), 6, "\(isa): CYCLES read by the instruction at index 5")
            let stored = m.readPhysical64(0x8008) + 1     // the TIMER store: the instruction after the read
            let taken: UInt64?
            switch m.cpus[0] {
            case let c as MIPS64SystemCPU: taken = c.history.first?.cycle; XCTAssertEqual(c.history.first?.code, 0, "an interrupt")
            case let c as PPC64SystemCPU: taken = c.history.first?.cycle; XCTAssertEqual(c.history.first?.vector, 0x500, "external")
            default: taken = nil
            }
            XCTAssertEqual(try XCTUnwrap(taken, "\(isa): no interrupt") &- stored, 100, "\(isa)")
        }
    }

    /// One guest load of the UART's RX register consumes exactly one input byte (PPC64 device
    /// loads used to perform the device read twice, losing every other byte).
    func testConsoleInputIsReadOncePerLoad() throws {
        let m = try Machine(config: MachineConfig(isa: .ppc64, cpus: 1),
                            image: try ElfImage(path: try BareMetalImageSet.ppc64.build("console_echo")),
                            makeCPU: SystemCPUFactory.make)
        m.devices.captureConsole = true
        m.devices.consoleInput = Array("tst\nK42".utf8)
        XCTAssertEqual(m.run(maxCycles: 100_000), .poweredOff(status: 0))
        XCTAssertEqual(String(decoding: m.devices.consoleOutput, as: UTF8.self), "tst\nK42")
    }

    func testIPIArrivesAfterLatencyAndControllerGatesTheLine() {
        let (d, signals, _) = makeDevices()
        var now: [UInt64] = [500, 0, 0, 0]
        d.cycleOf = { now[$0] }
        var lines: [(Int, Bool)] = []
        d.lineChanged = { lines.append(($0, $1)) }
        let ctl2 = base + 0x1_0000 + 0x200
        d.write(physical: base + 0x1_0000 + 0x18, size: 8, value: 2, cpu: 0)  // CPU 0 -> IPI to CPU 2
        XCTAssertTrue(signals.eventScheduled)
        XCTAssertEqual(d.events.nextTime(for: 2), 1500, "sent at cycle 500 + latency 1000")
        XCTAssertEqual(d.events.takeDue(for: 2, upTo: 1499), [])
        let due = d.events.takeDue(for: 2, upTo: 1500)
        XCTAssertEqual(due.count, 1)
        due.forEach(d.deliver)
        XCTAssertEqual(d.read(physical: ctl2, size: 8, cpu: 2), PlatformDevices.InterruptBits.ipi, "pending")
        XCTAssertEqual(lines.last?.1, false, "masked: line stays low")
        d.write(physical: ctl2 + 0x08, size: 8, value: 1, cpu: 2)            // enable IPIs
        XCTAssertEqual(lines.last?.0, 2)
        XCTAssertEqual(lines.last?.1, true)
        d.write(physical: ctl2 + 0x10, size: 8, value: 1, cpu: 2)            // ack
        XCTAssertEqual(lines.last?.1, false)
        XCTAssertEqual(d.read(physical: ctl2, size: 8, cpu: 2), 0)
        now[0] = 0
        d.write(physical: base + 0x1_0000 + 0x18, size: 8, value: 99, cpu: 0)  // no such CPU: ignored
        XCTAssertNil(d.events.nextTime(for: 99))
    }

    func testPeriodicTimerAndRewriteDropsStaleTicks() {
        let (d, _, _) = makeDevices(cpus: 1)
        var now: UInt64 = 0
        d.cycleOf = { _ in now }
        let ctl = base + 0x1_0000
        d.write(physical: ctl + 0x20, size: 8, value: 300, cpu: 0)
        var ticks: [UInt64] = []
        for t in stride(from: UInt64(0), through: 1000, by: 50) {
            now = t
            for e in d.events.takeDue(for: 0, upTo: t) {
                d.deliver(e)
                ticks.append(e.time)
                d.write(physical: ctl + 0x10, size: 8, value: PlatformDevices.InterruptBits.deviceTimer, cpu: 0)
            }
        }
        XCTAssertEqual(ticks, [300, 600, 900])
        // Rewrite at 1000 with period 250: the tick the old period scheduled for 1200 is stale.
        d.write(physical: ctl + 0x20, size: 8, value: 250, cpu: 0)
        var raised: [UInt64] = []
        for t in stride(from: UInt64(1000), through: 1600, by: 50) {
            now = t
            for e in d.events.takeDue(for: 0, upTo: t) {
                let before = d.read(physical: ctl, size: 8, cpu: 0)
                d.deliver(e)
                if d.read(physical: ctl, size: 8, cpu: 0) != before { raised.append(e.time) }
                d.write(physical: ctl + 0x10, size: 8, value: PlatformDevices.InterruptBits.deviceTimer, cpu: 0)
            }
        }
        XCTAssertEqual(raised, [1250, 1500], "only the new period's ticks raise the line")
    }
}
