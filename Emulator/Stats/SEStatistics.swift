// SEStatistics: the statistics report of a syscall-emulation run (instruction counts by class,
// simulated time at 1 instruction per ns, host speed) — the same layout for both ISAs.

public enum SEStatistics {
    public static func report(cpu: MIPS64CPU, hostSeconds: Double) -> StatsReport {
        report(instructions: cpu.instructions, classes: cpu.instructionClassCounts(),
               decodedPages: cpu.codeCache.decodedPages, softTLBMisses: cpu.mmu.slowPathCount, hostSeconds: hostSeconds)
    }

    public static func report(cpu: PPC64CPU, hostSeconds: Double) -> StatsReport {
        report(instructions: cpu.instructionCount, classes: cpu.instructionClassCounts(),
               decodedPages: cpu.codeCache.decodedPages, softTLBMisses: cpu.mmu.slowPathCount, hostSeconds: hostSeconds)
    }

    static func report(instructions insts: UInt64, classes: [(String, UInt64)], decodedPages: UInt64,
                       softTLBMisses: UInt64, hostSeconds: Double) -> StatsReport {
        var r = StatsReport()
        r.add(StatsEntry("simSeconds", Double(insts) / 1e9, "Number of seconds simulated (Second)"))
        r.add(StatsEntry("simTicks", insts * 1000, "Number of ticks simulated, 1 ps each (Tick)"))
        r.add(StatsEntry("simFreq", UInt64(1_000_000_000_000), "The number of ticks per simulated second ((Tick/Second))"))
        r.add(StatsEntry("simInsts", insts, "Number of instructions simulated (Count)"))
        r.add(StatsEntry("hostSeconds", hostSeconds, "Real time elapsed on the host (Second)"))
        r.add(StatsEntry("hostInstRate", hostSeconds > 0 ? Double(insts) / hostSeconds : 0,
                         "Simulator instruction rate (inst/s) ((Count/Second))"))
        r.add(StatsEntry("system.cpu0.numCycles", insts, "Number of cpu cycles simulated (Cycle)"))
        r.add(StatsEntry("system.cpu0.committedInsts", insts, "Number of instructions committed (Count)"))
        for (cls, n) in classes {
            r.add(StatsEntry("system.cpu0.committedInstType::\(cls)", n, "Instructions committed by class (Count)"))
        }
        r.add(StatsEntry("system.cpu0.committedInstType::total", insts, "Instructions committed by class (Count)"))
        r.add(StatsEntry("system.cpu0.decodedPages", decodedPages, "Guest pages pre-decoded (Count)"))
        r.add(StatsEntry("system.cpu0.mmu.softTLBMisses", softTLBMisses, "Software TLB slow-path accesses (Count)"))
        return r
    }
}
