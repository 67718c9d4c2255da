// Checking mode: per-line invariants verified after every transaction (and over every line by
// verifyAll()): single writer or many readers across agents; the directory's owner and sharers
// equal the agents' states; L2 inclusion of the L1s and the L2's L1 bookkeeping; the L1 hit
// filter never claims more than the L1 holds; with value tracking, every valid copy (and memory
// when no cache owns the line) holds the last written version, and every read returns it.

extension MemoryHierarchy {
    func violation(_ s: @autoclosure () -> String) {
        if violations.count < 100 { violations.append(s()) }
    }

    func checkRead(_ cpu: Int, _ line: UInt64, _ v: UInt64, fetch: Bool) {
        let g = golden[line] ?? 0
        if v != g { violation("cpu\(cpu) \(fetch ? "fetch" : "read") of line 0x\(String(line << lineShift, radix: 16)) returned version \(v), last written \(g)") }
    }

    /// Checks every line present anywhere; returns the violations recorded so far.
    @discardableResult
    public func verifyAll() -> [String] {
        var lines = Set(directory.keys)
        for c in l1i + l1d + l2 { for s in c.validSlots() { lines.insert(c.tags[s]) } }
        for c in 0 ..< cpuCount {
            let f = filters[c]
            for i in 0 ..< f.dSets where f.readTags[i] != .max { lines.insert(f.readTags[i]) }
            for i in 0 ..< f.iSets where f.fetchTags[i] != .max { lines.insert(f.fetchTags[i]) }
        }
        for l in lines.sorted() { checkLine(l) }
        for (l, e) in directory where e.isEmpty { violation("directory keeps an empty entry for line 0x\(String(l << lineShift, radix: 16))") }
        return violations
    }

    func checkLine(_ line: UInt64) {
        let name = "line 0x\(String(line << lineShift, radix: 16))"
        let g = valueTracking ? (golden[line] ?? 0) : 0
        var owners: [Int] = []
        var sharers = AgentSet()
        for a in 0 ..< agentCount {
            let l2c = l2[a]
            let s2 = l2c.find(line)
            let first = agentFirstCPU[a]
            var writers = 0
            var l1Copies = 0
            for i in 0 ..< agentCPUCount[a] {
                let cpu = first + i
                let bit: UInt64 = 1 << UInt64(i)
                let ds = l1d[cpu].find(line), isl = l1i[cpu].find(line)
                let f = filters[cpu]
                if f.readTags[Int(line & f.dMask)] == line && ds < 0 { violation("\(name): cpu\(cpu) filter claims read permission the L1D does not have") }
                if f.writeTags[Int(line & f.dMask)] == line && (ds < 0 || l1d[cpu].state[ds] != Self.l1Write) {
                    violation("\(name): cpu\(cpu) filter claims write permission the L1D does not have")
                }
                if f.fetchTags[Int(line & f.iMask)] == line && isl < 0 { violation("\(name): cpu\(cpu) filter claims an L1I copy that is absent") }
                if s2 < 0 {
                    if ds >= 0 || isl >= 0 { violation("\(name): cpu\(cpu) L1 holds a line its L2 does not (inclusion)") }
                    continue
                }
                if (ds >= 0) != (l2c.l1dMask![s2] & bit != 0) { violation("\(name): L2 L1D mask disagrees with cpu\(cpu)'s L1D") }
                if (isl >= 0) != (l2c.l1iMask![s2] & bit != 0) { violation("\(name): L2 L1I mask disagrees with cpu\(cpu)'s L1I") }
                if ds >= 0 {
                    l1Copies += 1
                    if l1d[cpu].state[ds] == Self.l1Write {
                        writers += 1
                        if Int(l2c.l1Writer![s2]) != i { violation("\(name): cpu\(cpu) L1D writable but the L2 records writer \(l2c.l1Writer![s2])") }
                        if l2c.state[s2] != Self.sM { violation("\(name): cpu\(cpu) L1D writable while its L2 is in state \(l2c.state[s2])") }
                        if valueTracking && l1d[cpu].version[ds] != g { violation("\(name): cpu\(cpu) L1D dirty version \(l1d[cpu].version[ds]) != last written \(g)") }
                    } else if valueTracking && l1d[cpu].version[ds] != g {
                        violation("\(name): cpu\(cpu) L1D version \(l1d[cpu].version[ds]) != last written \(g)")
                    }
                }
                if isl >= 0 {
                    l1Copies += 1
                    if valueTracking && l1i[cpu].version[isl] != g { violation("\(name): cpu\(cpu) L1I version \(l1i[cpu].version[isl]) != last written \(g)") }
                }
            }
            guard s2 >= 0 else { continue }
            if writers > 1 || (writers == 1 && l1Copies > 1) { violation("\(name): agent \(a) has a writable L1 copy alongside other L1 copies") }
            if writers == 0 && l2c.l1Writer![s2] >= 0 { violation("\(name): agent \(a) records an L1 writer that is not writable") }
            let st = l2c.state[s2]
            switch st {
            case Self.sS: sharers.insert(a)
            case Self.sE, Self.sO, Self.sM: owners.append(a)
            default: violation("\(name): agent \(a) holds the line in state \(st)")
            }
            if valueTracking && writers == 0 && l2c.version[s2] != g { violation("\(name): agent \(a) L2 version \(l2c.version[s2]) != last written \(g)") }
            if valueTracking && st == Self.sE && (memVersion[line] ?? 0) != g { violation("\(name): agent \(a) is clean-exclusive but memory is stale") }
        }
        if owners.count > 1 { violation("\(name): several owners \(owners)") }
        if let o = owners.first, l2[o].state[l2[o].find(line)] != Self.sO, !sharers.isEmpty {
            violation("\(name): agent \(o) is exclusive but agents \(sharers.members) share the line")
        }
        if owners.isEmpty && valueTracking && (memVersion[line] ?? 0) != g {
            violation("\(name): no cache owns the line but memory holds version \(memVersion[line] ?? 0), last written \(g)")
        }
        let e = directory[line] ?? DirectoryEntry()
        if Int(e.owner) != (owners.first ?? -1) { violation("\(name): directory owner \(e.owner), caches say \(owners)") }
        if e.sharers != sharers { violation("\(name): directory sharers \(e.sharers.members), caches say \(sharers.members)") }
    }
}
