// Cache-maintenance operations, system-wide as PowerPC's dcbf/dcbst/dcbi/dcbz/icbi are:
//   flush      write back a dirty copy to memory, then invalidate every copy
//   clean      write back a dirty copy, keep the copies (M -> E, O -> S)
//   invalidate discard every copy without writing back (dirty data is lost, as with dcbi)
//   zero       establish the line modified in the requester's L1D without reading memory
//   invalidateInstruction  drop the line from every CPU's L1I
// Latency of flush/clean/invalidate: L1 + L2 lookup + msg(req, home) + directory, then the slowest
// holder's msg(home, holder) + L2 latency + msg(holder, home), plus a DRAM write when dirty
// data is written back, then msg(home, req).

extension MemoryHierarchy {
    public func maintain(cpu: Int, pa: UInt64, _ op: Maintenance, now: UInt64) -> UInt32 {
        let line = pa &>> lineShift
        switch op {
        case .zero:
            stats.maintenanceOps &+= 1
            return write(cpu, line, now, zero: true)
        case .invalidateInstruction:
            stats.maintenanceOps &+= 1
            for c in 0 ..< cpuCount {
                let ic = l1i[c]
                let s = ic.find(line)
                if s >= 0 {
                    let a = cpuAgent[c]
                    let s2 = l2[a].find(line)
                    if s2 >= 0 { l2[a].l1iMask![s2] &= ~(1 << UInt64(cpuLocal[c])) }
                    ic.clear(s)
                    ic.counters.invalidations &+= 1
                }
                filters[c].removeFetch(line)
            }
            if checking { checkLine(line) }
            return l1i[cpu].hitLatency
        case .flush, .clean, .invalidate:
            return dataMaintenance(cpu, line, op, now)
        }
    }

    private func dataMaintenance(_ cpu: Int, _ line: UInt64, _ op: Maintenance, _ now: UInt64) -> UInt32 {
        stats.maintenanceOps &+= 1
        let a = cpuAgent[cpu]
        let n = agentNode[a]
        let h = home(line)
        let start = now &+ UInt64(l1d[cpu].hitLatency &+ l2[a].hitLatency)
        msg(.maintenance)
        let t = directoryLookup(h, start &+ UInt64(net.message(n, h)))
        var done = t
        var entry = directory[line] ?? DirectoryEntry()
        var dirtyVersion: UInt64? = nil
        var holders = entry.sharers.members
        if entry.owner >= 0 { holders.append(Int(entry.owner)) }
        for x in holders {
            let l2x = l2[x]
            let sx = l2x.find(line)
            guard sx >= 0 else { continue }
            let xn = agentNode[x]
            msg(.maintenanceAck)
            done = max(done, t &+ UInt64(net.message(h, xn) &+ l2x.hitLatency &+ net.message(xn, h)))
            recallWriter(x, sx)
            let st = l2x.state[sx]
            if st == Self.sM || st == Self.sO {
                dirtyVersion = l2x.version[sx]
                if op != .invalidate { l2x.counters.writebacks &+= 1 }
            }
            if op == .clean {
                if st == Self.sM { l2x.state[sx] = Self.sE }
                if st == Self.sO { l2x.state[sx] = Self.sS; entry.owner = -1; entry.sharers.insert(x) }
            } else {
                invalidateAgent(x, sx)
            }
        }
        if let v = dirtyVersion, op != .invalidate {
            msg(.putM)
            done = controllerAccess(h, done)
            if valueTracking { memVersion[line] = v }
            if !l3.isEmpty {
                let c = l3[h]
                let s = c.find(line)
                if s >= 0 { c.state[s] = 1 }
            }
        }
        if op == .invalidate && valueTracking {
            // Discarded writes are gone: memory's value is the last value again.
            golden[line] = memVersion[line] ?? 0
        }
        if op != .clean { entry = DirectoryEntry() }
        if entry.isEmpty { directory[line] = nil } else { directory[line] = entry }
        done &+= UInt64(net.message(h, n))
        if checking { checkLine(line) }
        return UInt32(truncatingIfNeeded: done &- now)
    }
}
