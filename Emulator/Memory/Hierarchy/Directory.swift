// Directory state: per cached line, the owning agent (an L2 in E/M/O) and the set of sharing
// agents (L2s in S), kept at the line's home node. An "agent" is one L2 instance: a CPU's
// private L2, or a node's shared L2. Lines with no owner and no sharers have no entry.

/// A set of up to 256 agents as four 64-bit words.
struct AgentSet: Equatable {
    var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    @inline(__always) private func word(_ i: Int) -> UInt64 {
        switch i >> 6 { case 0: return w0; case 1: return w1; case 2: return w2; default: return w3 }
    }
    @inline(__always) private mutating func update(_ i: Int, _ f: (inout UInt64) -> Void) {
        switch i >> 6 { case 0: f(&w0); case 1: f(&w1); case 2: f(&w2); default: f(&w3) }
    }
    func contains(_ a: Int) -> Bool { word(a) & (1 << UInt64(a & 63)) != 0 }
    mutating func insert(_ a: Int) { update(a) { $0 |= 1 << UInt64(a & 63) } }
    mutating func remove(_ a: Int) { update(a) { $0 &= ~(1 << UInt64(a & 63)) } }
    var isEmpty: Bool { (w0 | w1 | w2 | w3) == 0 }
    var count: Int { w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount + w3.nonzeroBitCount }
    /// Members in increasing order.
    var members: [Int] {
        var r: [Int] = []
        for (i, w) in [w0, w1, w2, w3].enumerated() {
            var x = w
            while x != 0 {
                let b = x.trailingZeroBitCount
                r.append(i * 64 + b)
                x &= x - 1
            }
        }
        return r
    }
}

struct DirectoryEntry: Equatable {
    /// Agent holding the line in E, M or O; -1 when none.
    var owner: Int32 = -1
    /// Agents holding the line in S.
    var sharers = AgentSet()
    /// When the last transaction on the line completes: ownership moves one requester at a
    /// time, so a request that reaches the home earlier waits (MemoryHierarchy+Coherence).
    var busyUntil: UInt64 = 0
    var isEmpty: Bool { owner < 0 && sharers.isEmpty }
}

/// Coherence message types, for statistics.
enum CoherenceMessage: Int, CaseIterable {
    case getS, getM, upgrade, fwdGetS, fwdGetM, inv, invAck, data, grant, putM, putClean, sharingWriteback,
         maintenance, maintenanceAck
    var name: String {
        switch self {
        case .getS: return "GetS"
        case .getM: return "GetM"
        case .upgrade: return "Upgrade"
        case .fwdGetS: return "Fwd_GetS"
        case .fwdGetM: return "Fwd_GetM"
        case .inv: return "Inv"
        case .invAck: return "InvAck"
        case .data: return "Data"
        case .grant: return "Grant"
        case .putM: return "PutM"
        case .putClean: return "PutClean"
        case .sharingWriteback: return "SharingWriteback"
        case .maintenance: return "CacheOp"
        case .maintenanceAck: return "CacheOpAck"
        }
    }
}
