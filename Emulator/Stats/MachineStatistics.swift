// MachineStatistics: the statistics of a full-system run in gem5's layout — one dump per
// sim-call "dump statistics" (platform op 4) plus the final one, values counted since the last
// "reset statistics" (op 3) or the start. Per dump: sim* totals, host* figures (the only
// host-dependent lines), per CPU numCycles / committedInsts / ipc / cpi / idleCycles, and in
// timing mode the memory hierarchy's statistics (caches, coherence, NUMA, system.cpuN.mmu.*
// with TLB accesses = executed instructions / loads / stores and misses = TLB refills).
// Host time comes from the caller (`hostSeconds`), so the emulator itself never reads a clock.

public final class MachineStatistics {
    public let machine: Machine
    public private(set) var file = StatsFile()
    private var base: [MachineCPUCounters]
    private var hostBase: Double
    private let hostSeconds: () -> Double

    /// Installs itself as the machine's sim-call handler for ops 3 (reset) and 4 (dump); a region
    /// of interest is the same pair: op 1 (ROI begin) resets, op 2 (ROI end) dumps.
    public init(machine: Machine, hostSeconds: @escaping () -> Double = { 0 }) {
        self.machine = machine
        self.hostSeconds = hostSeconds
        base = machine.cpus.map { $0.counters }
        hostBase = hostSeconds()
        let previous = machine.devices.onSimCall
        machine.devices.onSimCall = { [unowned self] op, a0, a1, cpu in
            switch op {
            case 1, 3: self.reset()
            case 2, 4: self.dump()
            default: break
            }
            previous(op, a0, a1, cpu)
        }
    }

    /// Starts counting from now (caches and coherence state are kept).
    public func reset() {
        base = machine.cpus.map { $0.counters }
        hostBase = hostSeconds()
        machine.shared.hierarchy?.resetStatistics()
    }

    /// Appends the current statistics as one dump.
    public func dump() { file.dumps.append(report()) }

    /// The statistics since the last reset.
    public func report() -> StatsReport {
        var r = StatsReport()
        let now = machine.cpus.map { $0.counters }
        var ticks: UInt64 = 0, insts: UInt64 = 0
        for (n, b) in zip(now, base) {
            ticks = max(ticks, n.cycles &- b.cycles)
            insts &+= n.instructions &- b.instructions
        }
        let freq = machine.config.frequency
        let host = max(0, hostSeconds() - hostBase)
        r.add(StatsEntry("simSeconds", Double(ticks) / Double(freq), "Number of seconds simulated (Second)"))
        r.add(StatsEntry("simTicks", ticks, "Number of ticks simulated: cycles of the CPU that ran longest (Tick)"))
        r.add(StatsEntry("simFreq", freq, "Number of ticks per simulated second: the clock frequency ((Tick/Second))"))
        r.add(StatsEntry("simInsts", insts, "Number of instructions simulated (Count)"))
        r.add(StatsEntry("hostSeconds", host, "Real time elapsed on the host (Second)"))
        r.add(StatsEntry("hostInstRate", host > 0 ? Double(insts) / host : 0, "Simulator instruction rate (inst/s) ((Count/Second))"))
        let h = machine.shared.hierarchy
        for (i, (n, b)) in zip(now, base).enumerated() {
            let p = "system.cpu\(i)"
            let cyc = n.cycles &- b.cycles, ins = n.instructions &- b.instructions
            r.add(StatsEntry("\(p).numCycles", cyc, "Number of cpu cycles simulated (Cycle)"))
            r.add(StatsEntry("\(p).idleCycles", n.idleCycles &- b.idleCycles, "Cycles spent idle in wait (Cycle)"))
            r.add(StatsEntry("\(p).committedInsts", ins, "Number of instructions committed (Count)"))
            r.add(StatsEntry("\(p).ipc", cyc == 0 ? 0 : Double(ins) / Double(cyc), "IPC: instructions per cycle ((Count/Cycle))"))
            r.add(StatsEntry("\(p).cpi", ins == 0 ? 0 : Double(cyc) / Double(ins), "CPI: cycles per instruction ((Cycle/Count))"))
            if let h, i < h.tlb.count {
                var t = TLBCounters()
                t.itbAccesses = ins
                t.itbMisses = n.itbMisses &- b.itbMisses
                t.dtbReadAccesses = n.loads &- b.loads
                t.dtbReadMisses = n.dtbReadMisses &- b.dtbReadMisses
                t.dtbWriteAccesses = n.stores &- b.stores
                t.dtbWriteMisses = n.dtbWriteMisses &- b.dtbWriteMisses
                t.invalidations = n.tlbInvalidations &- b.tlbInvalidations
                h.tlb[i] = t
            }
        }
        if let h {
            for e in h.statistics() { r.add(e) }
        } else {
            for (i, (n, b)) in zip(now, base).enumerated() {
                let p = "system.cpu\(i).mmu"
                r.add(StatsEntry("\(p).itb.rdMisses", n.itbMisses &- b.itbMisses, "TLB refills for instruction fetches (Count)"))
                r.add(StatsEntry("\(p).dtb.rdMisses", n.dtbReadMisses &- b.dtbReadMisses, "TLB refills for loads (Count)"))
                r.add(StatsEntry("\(p).dtb.wrMisses", n.dtbWriteMisses &- b.dtbWriteMisses, "TLB refills for stores (Count)"))
                r.add(StatsEntry("\(p).invalidations", n.tlbInvalidations &- b.tlbInvalidations, "Translations the software invalidated on this CPU (MIPS tlbwi/tlbwr of an invalid entry over a valid one; PPC tlbiel, tlbie on the issuer) (Count)"))
            }
        }
        return r
    }
}
