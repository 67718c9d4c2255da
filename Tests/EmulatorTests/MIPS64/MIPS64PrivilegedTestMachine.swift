// MIPS64PrivilegedTestMachine: one or more full-system MIPS64 CPUs on a small RAM (no devices),
// for hand-assembled kernel code. The image is assembled at physical address 0 with fixed
// offsets: exception vectors at 0x000 (TLB refill), 0x080 (XTLB refill), 0x180 (general),
// 0x200 (interrupt, Cause.IV = 1); `halt` (a branch to itself) at 0xF00; kernel entry at 0x1000
// (ckseg0 0xFFFF_FFFF_8000_1000); user code at 0x3000 (the kernel maps it at 0x400000).
import XCTest
@testable import Emulator

final class MIPS64PrivilegedTestMachine {
    static let kseg0: UInt64 = 0xFFFF_FFFF_8000_0000
    static let halt: UInt64 = kseg0 + 0xF00
    static let entry: UInt64 = kseg0 + 0x1000
    let ram = PhysicalMemory(maxBytes: 8 << 20)
    let cache = DecodedPageCache<MIPS64Op>()
    let monitor: ReservationMonitor
    let signals = MachineSignals()
    var cpus: [MIPS64SystemCPU] = []

    /// Sections: `refill`, `xrefill`, `general`, `interrupt`, `kernel` (entry), `user`.
    init(refill: String = "b halt\n nop", xrefill: String = "b halt\n nop", general: String = "b halt\n nop",
         interrupt: String = "b halt\n nop", kernel: String, user: String = "nop", cpuCount: Int = 1,
         file: StaticString = #filePath, line: UInt = #line) throws {
        let source = """
        .org 0x000
        \(refill)
        .org 0x080
        \(xrefill)
        .org 0x180
        \(general)
        .org 0x200
        \(interrupt)
        .org 0xF00
        halt: b halt
        nop
        .org 0x1000
        \(kernel)
        .org 0x3000
        \(user)
        """
        let words = try MIPS64Assembler.assemble(source, file: file, line: line)
        let frames = Int((8 << 20) >> guestPageShift)
        for _ in 0 ..< frames { _ = ram.allocateFrame() }
        ram.addListener(cache)
        for (i, w) in words.enumerated() {
            let pa = UInt64(i * 4)
            (ram.host(frame: Int(pa >> 12)) + Int(pa & 0xFFF)).storeBytes(of: w.littleEndian, as: UInt32.self)
        }
        monitor = ReservationMonitor(physical: ram, cpus: cpuCount)
        let map = PhysicalAddressMap(ramBytes: 8 << 20)
        for i in 0 ..< cpuCount {
            let cpu = MIPS64SystemCPU(index: i, ram: ram, map: map, devices: nil, codeCache: cache,
                                      reservations: monitor, signals: signals)
            cpu.core.pc = Self.entry
            cpu.core.gpr[5] = UInt64(i)
            cpus.append(cpu)
        }
    }

    var cpu: MIPS64SystemCPU { cpus[0] }

    /// Runs CPU `c` one instruction (or branch + delay slot) at a time until it reaches `halt`
    /// or `pc`; false if `limit` cycles pass first.
    @discardableResult
    func runToHalt(cpu c: Int = 0, pc: UInt64 = halt, limit: UInt64 = 100_000) -> Bool {
        let cpu = cpus[c]
        let end = cpu.cycles + limit
        while cpu.cycles < end {
            if cpu.pc == pc { return true }
            _ = cpu.run(until: cpu.cycles + 1)
        }
        return false
    }

    func physical64(_ pa: UInt64) -> UInt64 {
        UInt64(littleEndian: (ram.host(frame: Int(pa >> 12)) + Int(pa & 0xFFF)).loadUnaligned(as: UInt64.self))
    }

    subscript(reg: Int) -> UInt64 { cpu.core.gpr[reg] }
}
