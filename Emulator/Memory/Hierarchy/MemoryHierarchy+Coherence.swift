// Directory-based MESI/MOESI transactions between agents (L2s) and the home node's directory,
// memory controller and memory-side L3. Latency of a transaction (from the L2 miss):
//   request  msg(req, home) + directory (queueing if contention) + directoryLatency, then waiting
//            until the line's last transfer (a write, or a read forwarded from an owner) has
//            completed: ownership moves one requester at a time
//   then the slowest of: data from the owner  msg(home, owner) + owner L2 latency + msg(owner, req)
//                        data from memory     [L3 lookup] + [queueing] + accessLatency + msg(home, req)
//                        each invalidation    msg(home, sharer) + sharer L2 latency + msg(sharer, req)
//                        a grant (no data)    msg(home, req)
// with msg(a, b) = 0 on one node, else routerLatency + hops(a, b) * hopLatency. Write-backs and
// replacement hints (PutM / PutClean) update the directory at once and charge no requester.
import Traces

extension MemoryHierarchy {
    enum Want { case read, write, upgrade, zero }

    struct TransactionResult {
        var latency: UInt32
        var state: UInt8
        var version: UInt64
    }

    @inline(__always) func msg(_ m: CoherenceMessage) { stats.messages[m.rawValue] &+= 1 }

    func transaction(agent a: Int, cpu: Int, line: UInt64, want: Want, start: UInt64) -> TransactionResult {
        let n = agentNode[a]
        let h = home(line)
        stats.transactions[cpu] &+= 1
        if h != n { stats.remoteTransactions[cpu] &+= 1 }
        switch want {
        case .read: msg(.getS)
        case .write, .zero: msg(.getM)
        case .upgrade: msg(.upgrade)
        }
        let looked = directoryLookup(h, start &+ UInt64(net.message(n, h)))
        var entry = directory[line] ?? DirectoryEntry()
        // One transfer of a line at a time: wait for the one in progress (contended atomics and
        // locks then cost what a real machine's queue of requests costs).
        let t = max(looked, entry.busyUntil)
        stats.lineWaitCycles[h] &+= t &- looked
        var done = t
        var forwarded = false
        var version: UInt64 = 0
        var state = Self.sM
        var invalidations: UInt64 = 0
        var source = UInt64.max
        if want == .read {
            if entry.owner >= 0 {
                let o = Int(entry.owner)
                let on = agentNode[o]
                let l2o = l2[o]
                let so = l2o.find(line)
                msg(.fwdGetS); msg(.data)
                forwarded = true
                recallWriter(o, so)
                version = l2o.version[so]
                done = t &+ UInt64(net.message(h, on) &+ l2o.hitLatency &+ net.message(on, n))
                countFill(requesterNode: n, sourceNode: on, cacheToCache: true)
                source = UInt64(on)
                switch l2o.state[so] {
                case Self.sM where moesi:
                    l2o.state[so] = Self.sO
                    entry.sharers.insert(a)
                case Self.sM:
                    // MESI: the owner keeps a shared copy and writes the data back to the home.
                    l2o.state[so] = Self.sS
                    msg(.sharingWriteback)
                    l2o.counters.writebacks &+= 1
                    memoryWrite(h, line, version, at: done)
                    entry.owner = -1
                    entry.sharers.insert(o); entry.sharers.insert(a)
                case Self.sE:
                    l2o.state[so] = Self.sS
                    entry.owner = -1
                    entry.sharers.insert(o); entry.sharers.insert(a)
                default: // O stays the owner
                    entry.sharers.insert(a)
                }
                state = Self.sS
            } else {
                let r = memoryRead(h, line, at: t, cpu: cpu)
                version = r.version
                msg(.data)
                done = r.time &+ UInt64(net.message(h, n))
                countFill(requesterNode: n, sourceNode: h, cacheToCache: false)
                if entry.sharers.isEmpty {
                    state = Self.sE
                    entry.owner = Int32(a)
                } else {
                    state = Self.sS
                    entry.sharers.insert(a)
                }
            }
        } else {
            var dataSent = false
            if entry.owner >= 0 && Int(entry.owner) != a {
                let o = Int(entry.owner)
                let on = agentNode[o]
                let l2o = l2[o]
                let so = l2o.find(line)
                msg(.fwdGetM); msg(.data)
                recallWriter(o, so)
                version = l2o.version[so]
                done = max(done, t &+ UInt64(net.message(h, on) &+ l2o.hitLatency &+ net.message(on, n)))
                if want == .write { countFill(requesterNode: n, sourceNode: on, cacheToCache: true) }
                invalidateAgent(o, so)
                stats.invalidationsSent[h] &+= 1
                invalidations &+= 1
                source = UInt64(on)
                dataSent = true
            } else if entry.owner < 0 && want == .write {
                let r = memoryRead(h, line, at: t, cpu: cpu)
                version = r.version
                msg(.data)
                done = max(done, r.time &+ UInt64(net.message(h, n)))
                countFill(requesterNode: n, sourceNode: h, cacheToCache: false)
                dataSent = true
            } else if want == .zero {
                version = memVersion[line] ?? 0
            }
            for s in entry.sharers.members where s != a {
                let sn = agentNode[s]
                let l2s = l2[s]
                msg(.inv); msg(.invAck)
                done = max(done, t &+ UInt64(net.message(h, sn) &+ l2s.hitLatency &+ net.message(sn, n)))
                invalidateAgent(s, l2s.find(line))
                stats.invalidationsSent[h] &+= 1
                invalidations &+= 1
            }
            if !dataSent {
                msg(.grant)
                done = max(done, t &+ UInt64(net.message(h, n)))
            }
            entry.owner = Int32(a)
            entry.sharers = AgentSet()
        }
        // Writes and owner-forwarded reads move the line: the next request waits for them.
        // Reads served by memory or the home's shared copy do not (readers proceed together).
        if want != .read || forwarded { entry.busyUntil = max(entry.busyUntil, done) }
        directory[line] = entry
        let latency = UInt32(truncatingIfNeeded: done &- start)
        if let tr = tracer, tr.wants(TraceMajor.hwCoherence) {
            let kind: UInt64 = want == .read ? 0 : want == .write ? 1 : want == .upgrade ? 2 : 3
            tr.record(cpu: cpu, cycle: start, .coherenceRequest, kind, line << lineShift, UInt64(h), UInt64(n), source, invalidations, UInt64(latency))
        }
        return TransactionResult(latency: latency, state: state, version: version)
    }

    func countFill(requesterNode n: Int, sourceNode s: Int, cacheToCache: Bool) {
        if n == s { stats.localFills[n] &+= 1 } else { stats.remoteFills[n] &+= 1 }
        if cacheToCache { stats.cacheToCacheFills[n] &+= 1 }
    }

    /// Time the directory at `h` finishes looking up a request arriving at `t`.
    func directoryLookup(_ h: Int, _ t: UInt64) -> UInt64 {
        stats.directoryLookups[h] &+= 1
        var start = t
        if contention {
            start = max(t, dirBusyUntil[h])
            stats.directoryWaitCycles[h] &+= start &- t
            dirBusyUntil[h] = start &+ dirOccupancy
            stats.directoryBusyCycles[h] &+= dirOccupancy
        }
        return start &+ UInt64(dirLatency)
    }

    /// A DRAM access at the memory controller of node `h` starting at `t`; returns when it completes.
    func controllerAccess(_ h: Int, _ t: UInt64) -> UInt64 {
        stats.controllerAccesses[h] &+= 1
        var start = t
        if contention {
            start = max(t, mcBusyUntil[h])
            stats.controllerWaitCycles[h] &+= start &- t
            mcBusyUntil[h] = start &+ mcOccupancy
        }
        return start &+ UInt64(memLatency)
    }

    /// Reads a line at its home: memory-side L3 first if configured (`cpu`: the requester, for traces).
    func memoryRead(_ h: Int, _ line: UInt64, at t: UInt64, cpu: Int) -> (version: UInt64, time: UInt64) {
        let v = valueTracking ? (memVersion[line] ?? 0) : 0
        guard !l3.isEmpty else { return (v, controllerAccess(h, t)) }
        let c = l3[h]
        let s = c.find(line)
        if s >= 0 {
            c.touch(s)
            c.counters.readHits &+= 1
            return (v, t &+ UInt64(c.hitLatency))
        }
        c.counters.readMisses &+= 1
        let done = controllerAccess(h, t &+ UInt64(c.hitLatency))
        c.counters.missLatency &+= done &- t
        if let tr = tracer, tr.wants(TraceMajor.hwCache) { tr.record(cpu: cpu, cycle: t, .l3Miss, line << lineShift, UInt64(h), done &- t) }
        installL3(h, line, dirty: false, at: done)
        return (v, done)
    }

    /// Writes a line back to its home (into the memory-side L3 if configured, else DRAM).
    func memoryWrite(_ h: Int, _ line: UInt64, _ version: UInt64, at t: UInt64) {
        if valueTracking { memVersion[line] = version }
        guard !l3.isEmpty else { _ = controllerAccess(h, t); return }
        let c = l3[h]
        let s = c.find(line)
        if s >= 0 {
            c.touch(s)
            c.state[s] = 2
            c.counters.writeHits &+= 1
        } else {
            c.counters.writeMisses &+= 1
            installL3(h, line, dirty: true, at: t)
        }
    }

    func installL3(_ h: Int, _ line: UInt64, dirty: Bool, at t: UInt64) {
        let c = l3[h]
        let s = c.victim(line)
        if c.tags[s] != CacheArray.invalidTag {
            c.counters.replacements &+= 1
            if c.state[s] == 2 {
                c.counters.writebacks &+= 1
                _ = controllerAccess(h, t)
            }
        }
        c.fill(s, line, state: dirty ? 2 : 1, version: 0)
    }

    /// Removes the line in `s2` from agent `a` (and its L1s) on the directory's behalf.
    func invalidateAgent(_ a: Int, _ s2: Int) {
        guard s2 >= 0 else { return }
        let l2c = l2[a]
        backInvalidate(a, s2)
        l2c.clear(s2)
        l2c.counters.invalidations &+= 1
    }

    /// Evicts the occupant of `slot` in agent `a`'s L2 (inclusion: its L1 copies go first);
    /// `cpu` is the requester whose miss caused it (for traces).
    func evictL2(_ a: Int, _ slot: Int, _ now: UInt64, cpu: Int) {
        let l2c = l2[a]
        let old = l2c.tags[slot]
        guard old != CacheArray.invalidTag else { return }
        l2c.counters.replacements &+= 1
        backInvalidate(a, slot)
        let h = home(old)
        let t = now &+ UInt64(net.message(agentNode[a], h))
        var e = directory[old] ?? DirectoryEntry()
        stats.directoryLookups[h] &+= 1
        if let tr = tracer, tr.wants(TraceMajor.hwCoherence) {
            let dirty = l2c.state[slot] == Self.sM || l2c.state[slot] == Self.sO
            tr.record(cpu: cpu, cycle: now, .coherenceWriteback, dirty ? 0 : 1, old << lineShift, UInt64(h))
        }
        switch l2c.state[slot] {
        case Self.sM, Self.sO:
            msg(.putM)
            l2c.counters.writebacks &+= 1
            memoryWrite(h, old, l2c.version[slot], at: t)
            e.owner = -1
        case Self.sE:
            msg(.putClean)
            e.owner = -1
        default:
            msg(.putClean)
            e.sharers.remove(a)
        }
        if e.isEmpty { directory[old] = nil } else { directory[old] = e }
        l2c.clear(slot)
        if checking { checkLine(old) }
    }
}
