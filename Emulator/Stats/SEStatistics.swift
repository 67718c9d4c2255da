// SEStatistics: the statistics report of a syscall-emulation run (instruction counts by class,
// simulated time at 1 instruction per ns, host speed) — the same layout for both ISAs, one
// system.cpuN group per simulated CPU.

public enum SEStatistics {
    static func report(cpus: [(instructions: UInt64, cycles: UInt64, classes: [(String, UInt64)])],
                       decodedPages: UInt64, softTLBMisses: UInt64, hostSeconds: Double) -> StatsReport {
        var r = StatsReport()
        let insts = cpus.reduce(0) { $0 + $1.instructions }
        let ticks = cpus.map(\.cycles).max() ?? 0
        r.add(StatsEntry("simSeconds", Double(ticks) / 1e9, "Number of seconds simulated (Second)"))
        r.add(StatsEntry("simTicks", ticks * 1000, "Number of ticks simulated, 1 ps each (Tick)"))
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
        return r
    }
}
