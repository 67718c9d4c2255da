// SEStatistics: the statistics report of a syscall-emulation run (instruction counts by class,
// simulated time — 1 instruction per ns, or the cycles of a timed run — host speed, and a timed
// run's caches and coherence) — the same layout for both ISAs, one system.cpuN group per
// simulated CPU.

public enum SEStatistics {
    /// `cycles` per CPU at `frequency` (untimed runs: ns at 1 GHz); `memorySystem` are the
    /// memory hierarchy's entries of a timed run, added after the CPUs'.
    static func report(cpus: [(instructions: UInt64, cycles: UInt64, classes: [(String, UInt64)])], frequency: UInt64,
                       decodedPages: UInt64, softTLBMisses: UInt64, hostSeconds: Double,
                       memorySystem: [StatsEntry] = []) -> StatsReport {
        var r = StatsReport()
        let insts = cpus.reduce(0) { $0 + $1.instructions }
        let cycles = cpus.map(\.cycles).max() ?? 0
        let (hi, lo) = cycles.multipliedFullWidth(by: 1_000_000_000_000)
        let ticks = hi >= frequency ? UInt64.max : frequency.dividingFullWidth((hi, lo)).quotient
        r.add(StatsEntry("simSeconds", Double(cycles) / Double(frequency), "Number of seconds simulated (Second)"))
        r.add(StatsEntry("simTicks", ticks, "Number of ticks simulated, 1 ps each (Tick)"))
        r.add(StatsEntry("simFreq", UInt64(1_000_000_000_000), "The number of ticks per simulated second ((Tick/Second))"))
        r.add(StatsEntry("simInsts", insts, "Number of instructions simulated (Count)"))
        r.add(StatsEntry("hostSeconds", hostSeconds, "Real time elapsed on the host (Second)"))
        r.add(StatsEntry("hostInstRate", hostSeconds > 0 ? Double(insts) / hostSeconds : 0,
                         "Simulator instruction rate (inst/s) ((Count/Second))"))
        for (i, c) in cpus.enumerated() {
            let cpu = "system.cpu\(i)"
            r.add(StatsEntry("\(cpu).numCycles", c.cycles, "Number of cpu cycles simulated (Cycle)"))
            r.add(StatsEntry("\(cpu).committedInsts", c.instructions, "Number of instructions committed (Count)"))
            for (cls, n) in c.classes {
                r.add(StatsEntry("\(cpu).committedInstType::\(cls)", n, "Instructions committed by class (Count)"))
            }
            r.add(StatsEntry("\(cpu).committedInstType::total", c.instructions, "Instructions committed by class (Count)"))
        }
        r.add(StatsEntry("system.cpu0.decodedPages", decodedPages, "Guest pages pre-decoded (Count)"))
        r.add(StatsEntry("system.cpu0.mmu.softTLBMisses", softTLBMisses, "Software TLB slow-path accesses (Count)"))
        for e in memorySystem { r.add(e) }
        return r
    }
}
