// Memory-system statistics in gem5's names and layout: system.cpuN.{icache,dcache}.*,
// system.l2.* with ::cpuN / ::total vectors, system.l3.* (::nodeN), system.cpuN.mmu.{itb,dtb}.*,
// plus k42sim's NUMA and coherence figures (system.numa.*, system.dir.*, system.mem_ctrls.*,
// system.coherence.*). Miss latencies are in cycles.

extension MemoryHierarchy {
    /// Zeroes every counter (cache contents and coherence state are kept), e.g. at an ROI start.
    public func resetStatistics() {
        for c in l1i + l1d + l2 + l3 { c.counters = CacheCounters() }
        for f in filters { f.resetCounters() }
        stats = HierarchyCounters(cpus: cpuCount, nodes: nodeCount)
        tlb = [TLBCounters](repeating: TLBCounters(), count: cpuCount)
    }

    /// The statistics entries, in a fixed order.
    /// `translation: false` leaves out the TLB entries (syscall emulation has no architected TLB).
    public func statistics(translation: Bool = true) -> [StatsEntry] {
        var out: [StatsEntry] = []
        func ratio(_ a: UInt64, _ b: UInt64) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        for cpu in 0 ..< cpuCount {
            let f = filters[cpu]
            cacheEntries(&out, "system.cpu\(cpu).icache", l1i[cpu].counters, extraReadHits: f.hits[0], extraWriteHits: 0, isI: true)
            cacheEntries(&out, "system.cpu\(cpu).dcache", l1d[cpu].counters, extraReadHits: f.hits[1], extraWriteHits: f.hits[2], isI: false)
            out.append(StatsEntry("system.cpu\(cpu).dcache.fastPathHits", f.hits[1] &+ f.hits[2], "L1D hits served by the L1 hit filter (Count)"))
            out.append(StatsEntry("system.cpu\(cpu).icache.fastPathHits", f.hits[0], "L1I hits served by the L1 hit filter (Count)"))
            guard translation else { continue }
            let t = tlb[cpu]
            let p = "system.cpu\(cpu).mmu"
            out.append(StatsEntry("\(p).itb.rdAccesses", t.itbAccesses, "TLB accesses on instruction fetch (Count)"))
            out.append(StatsEntry("\(p).itb.rdMisses", t.itbMisses, "TLB misses on instruction fetch (Count)"))
            out.append(StatsEntry("\(p).dtb.rdAccesses", t.dtbReadAccesses, "TLB accesses on read requests (Count)"))
            out.append(StatsEntry("\(p).dtb.wrAccesses", t.dtbWriteAccesses, "TLB accesses on write requests (Count)"))
            out.append(StatsEntry("\(p).dtb.rdMisses", t.dtbReadMisses, "TLB misses on read requests (Count)"))
            out.append(StatsEntry("\(p).dtb.wrMisses", t.dtbWriteMisses, "TLB misses on write requests (Count)"))
            out.append(StatsEntry("\(p).invalidations", t.invalidations, "Translations the software invalidated on this CPU (MIPS tlbwi/tlbwr of an invalid entry over a valid one; PPC tlbiel, tlbie on the issuer) (Count)"))
        }
        // L2: vectors by requesting CPU.
        func vector(_ name: String, _ v: [UInt64], _ desc: String) {
            for (i, x) in v.enumerated() { out.append(StatsEntry("\(name)::cpu\(i)", x, desc)) }
            out.append(StatsEntry("\(name)::total", v.reduce(0, &+), desc))
        }
        func nodeVector(_ name: String, _ v: [UInt64], _ desc: String) {
            for (i, x) in v.enumerated() { out.append(StatsEntry("\(name)::node\(i)", x, desc)) }
            out.append(StatsEntry("\(name)::total", v.reduce(0, &+), desc))
        }
        let acc = zip(stats.l2Hits, stats.l2Misses).map { $0 &+ $1 }
        vector("system.l2.overallHits", stats.l2Hits, "number of overall hits (Count)")
        vector("system.l2.overallMisses", stats.l2Misses, "number of overall misses (Count)")
        vector("system.l2.overallAccesses", acc, "number of overall (read+write) accesses (Count)")
        for i in 0 ..< cpuCount {
            out.append(StatsEntry("system.l2.overallMissRate::cpu\(i)", ratio(stats.l2Misses[i], acc[i]), "miss rate for overall accesses (Ratio)"))
        }
        let totalMiss = stats.l2Misses.reduce(0, &+), totalLat = stats.l2MissLatency.reduce(0, &+)
        out.append(StatsEntry("system.l2.overallMissRate::total", ratio(totalMiss, acc.reduce(0, &+)), "miss rate for overall accesses (Ratio)"))
        vector("system.l2.overallMissLatency", stats.l2MissLatency, "number of overall miss cycles (Cycle)")
        out.append(StatsEntry("system.l2.overallAvgMissLatency::total", ratio(totalLat, totalMiss), "average overall miss latency (Cycle/Count)"))
        let l2c = l2.map(\.counters)
        out.append(StatsEntry("system.l2.writebacks::total", l2c.map(\.writebacks).reduce(0, &+), "number of writebacks (Count)"))
        out.append(StatsEntry("system.l2.replacements", l2c.map(\.replacements).reduce(0, &+), "number of replacements (Count)"))
        if !l3.isEmpty {
            let c = l3.map(\.counters)
            let hits = c.map { $0.readHits &+ $0.writeHits }, misses = c.map { $0.readMisses &+ $0.writeMisses }
            nodeVector("system.l3.overallHits", hits, "memory-side L3 hits at each home node (Count)")
            nodeVector("system.l3.overallMisses", misses, "memory-side L3 misses at each home node (Count)")
            let th = hits.reduce(0, &+), tm = misses.reduce(0, &+)
            out.append(StatsEntry("system.l3.overallMissRate::total", ratio(tm, th &+ tm), "miss rate for overall accesses (Ratio)"))
            out.append(StatsEntry("system.l3.overallAvgMissLatency::total", ratio(c.map(\.missLatency).reduce(0, &+), c.map(\.readMisses).reduce(0, &+)),
                                  "average read miss latency (Cycle/Count)"))
            out.append(StatsEntry("system.l3.writebacks::total", c.map(\.writebacks).reduce(0, &+), "number of writebacks to DRAM (Count)"))
        }
        nodeVector("system.numa.localFills", stats.localFills, "L2 fills whose data came from the requester's node (Count)")
        nodeVector("system.numa.remoteFills", stats.remoteFills, "L2 fills whose data came from another node (Count)")
        nodeVector("system.numa.cacheToCacheFills", stats.cacheToCacheFills, "L2 fills supplied by another cache (Count)")
        for i in 0 ..< cpuCount {
            out.append(StatsEntry("system.numa.remoteAccessFraction::cpu\(i)", ratio(stats.remoteTransactions[i], stats.transactions[i]),
                                  "fraction of coherence transactions sent to a remote home (Ratio)"))
        }
        out.append(StatsEntry("system.numa.remoteAccessFraction::total",
                              ratio(stats.remoteTransactions.reduce(0, &+), stats.transactions.reduce(0, &+)),
                              "fraction of coherence transactions sent to a remote home (Ratio)"))
        nodeVector("system.dir.lookups", stats.directoryLookups, "directory lookups at each home node (Count)")
        nodeVector("system.dir.busyCycles", stats.directoryBusyCycles, "directory occupancy (Cycle)")
        nodeVector("system.dir.waitCycles", stats.directoryWaitCycles, "cycles requests queued at the directory (Cycle)")
        nodeVector("system.dir.lineWaitCycles", stats.lineWaitCycles, "cycles requests waited for the line's previous transfer (Cycle)")
        nodeVector("system.dir.invalidationsSent", stats.invalidationsSent, "invalidations sent by each home directory (Count)")
        nodeVector("system.mem_ctrls.accesses", stats.controllerAccesses, "DRAM accesses at each memory controller (Count)")
        nodeVector("system.mem_ctrls.waitCycles", stats.controllerWaitCycles, "cycles queued at the memory controller (Cycle)")
        var received = [UInt64](repeating: 0, count: cpuCount)
        for a in 0 ..< agentCount { received[agentFirstCPU[a]] &+= l2[a].counters.invalidations }
        vector("system.coherence.invalidationsReceived", received, "invalidations received by each CPU's L2 (shared L2: its first CPU) (Count)")
        for m in CoherenceMessage.allCases {
            out.append(StatsEntry("system.coherence.messages::\(m.name)", stats.messages[m.rawValue], "coherence messages by type (Count)"))
        }
        out.append(StatsEntry("system.coherence.messages::total", stats.messages.reduce(0, &+), "coherence messages by type (Count)"))
        out.append(StatsEntry("system.coherence.maintenanceOps", stats.maintenanceOps, "cache-maintenance operations (Count)"))
        return out
    }

    private func cacheEntries(_ out: inout [StatsEntry], _ p: String, _ c: CacheCounters, extraReadHits: UInt64, extraWriteHits: UInt64, isI: Bool) {
        let rh = c.readHits &+ extraReadHits, wh = c.writeHits &+ extraWriteHits
        let hits = rh &+ wh, misses = c.readMisses &+ c.writeMisses, acc = hits &+ misses
        out.append(StatsEntry("\(p).ReadReq.hits::total", rh, "number of ReadReq hits (Count)"))
        out.append(StatsEntry("\(p).ReadReq.misses::total", c.readMisses, "number of ReadReq misses (Count)"))
        if !isI {
            out.append(StatsEntry("\(p).WriteReq.hits::total", wh, "number of WriteReq hits (Count)"))
            out.append(StatsEntry("\(p).WriteReq.misses::total", c.writeMisses, "number of WriteReq misses (Count)"))
        }
        out.append(StatsEntry("\(p).demandHits::total", hits, "number of demand (read+write) hits (Count)"))
        out.append(StatsEntry("\(p).demandMisses::total", misses, "number of demand (read+write) misses (Count)"))
        out.append(StatsEntry("\(p).overallHits::total", hits, "number of overall hits (Count)"))
        out.append(StatsEntry("\(p).overallMisses::total", misses, "number of overall misses (Count)"))
        out.append(StatsEntry("\(p).overallAccesses::total", acc, "number of overall (read+write) accesses (Count)"))
        out.append(StatsEntry("\(p).overallMissRate::total", acc == 0 ? 0 : Double(misses) / Double(acc), "miss rate for overall accesses (Ratio)"))
        out.append(StatsEntry("\(p).overallMissLatency::total", c.missLatency, "number of overall miss cycles (Cycle)"))
        out.append(StatsEntry("\(p).overallAvgMissLatency::total", misses == 0 ? 0 : Double(c.missLatency) / Double(misses), "average overall miss latency (Cycle/Count)"))
        out.append(StatsEntry("\(p).writebacks::total", c.writebacks, "number of writebacks (Count)"))
        out.append(StatsEntry("\(p).replacements", c.replacements, "number of replacements (Count)"))
        out.append(StatsEntry("\(p).invalidations", c.invalidations, "lines invalidated by coherence or inclusion (Count)"))
    }
}
