// CacheArray: one set-associative cache's tag store (line numbers, state, data version) with its
// replacement policy (true LRU by age stamps, tree pseudo-LRU, seeded random) and counters.
// Storage is flat unsafe buffers so a lookup is a short linear scan with no ARC traffic.
// Victims are always an invalid way first (lowest index), then the policy's choice.

/// ReplacementRandom (SplitMix64): the deterministic generator behind random replacement.
struct ReplacementRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Hit/miss counters of one cache (reads include instruction fetches).
struct CacheCounters {
    var readHits: UInt64 = 0, readMisses: UInt64 = 0
    var writeHits: UInt64 = 0, writeMisses: UInt64 = 0
    var missLatency: UInt64 = 0
    var writebacks: UInt64 = 0, replacements: UInt64 = 0, invalidations: UInt64 = 0
}

final class CacheArray {
    static let invalidTag = UInt64.max
    let sets: Int
    let ways: Int
    let setMask: UInt64
    let hitLatency: UInt32
    let policy: ReplacementPolicy
    let tags: UnsafeMutablePointer<UInt64>
    let state: UnsafeMutablePointer<UInt8>
    let version: UnsafeMutablePointer<UInt64>
    private let stamp: UnsafeMutablePointer<UInt64>
    private let plru: UnsafeMutablePointer<UInt64>
    private var clock: UInt64 = 0
    private var rng: ReplacementRandom
    /// L2 only: which local CPUs' L1D / L1I hold the line, and which local CPU's L1D holds it writable (-1: none).
    let l1dMask: UnsafeMutablePointer<UInt64>?
    let l1iMask: UnsafeMutablePointer<UInt64>?
    let l1Writer: UnsafeMutablePointer<Int8>?
    var counters = CacheCounters()

    init(_ d: CacheDescription, seed: UInt64, tracksL1: Bool) {
        sets = d.sets
        ways = d.associativity
        setMask = UInt64(sets - 1)
        hitLatency = UInt32(d.hitLatency)
        policy = d.replacement
        let n = sets * ways
        tags = .allocate(capacity: n); tags.initialize(repeating: Self.invalidTag, count: n)
        state = .allocate(capacity: n); state.initialize(repeating: 0, count: n)
        version = .allocate(capacity: n); version.initialize(repeating: 0, count: n)
        stamp = .allocate(capacity: n); stamp.initialize(repeating: 0, count: n)
        plru = .allocate(capacity: sets); plru.initialize(repeating: 0, count: sets)
        rng = ReplacementRandom(state: seed)
        if tracksL1 {
            l1dMask = .allocate(capacity: n); l1dMask!.initialize(repeating: 0, count: n)
            l1iMask = .allocate(capacity: n); l1iMask!.initialize(repeating: 0, count: n)
            l1Writer = .allocate(capacity: n); l1Writer!.initialize(repeating: -1, count: n)
        } else {
            l1dMask = nil; l1iMask = nil; l1Writer = nil
        }
    }

    deinit {
        tags.deallocate(); state.deallocate(); version.deallocate(); stamp.deallocate(); plru.deallocate()
        l1dMask?.deallocate(); l1iMask?.deallocate(); l1Writer?.deallocate()
    }

    @inline(__always) func setIndex(_ line: UInt64) -> Int { Int(truncatingIfNeeded: line & setMask) }

    /// Slot (set * ways + way) holding `line`, or -1.
    @inline(__always) func find(_ line: UInt64) -> Int {
        let base = setIndex(line) &* ways
        var s = base
        let end = base &+ ways
        while s < end {
            if tags[s] == line { return s }
            s &+= 1
        }
        return -1
    }

    /// Marks a slot most recently used.
    @inline(__always) func touch(_ slot: Int) {
        switch policy {
        case .lru:
            clock &+= 1
            stamp[slot] = clock
        case .treePLRU:
            let set = slot / ways
            let way = slot - set * ways
            var bits = plru[set]
            var node = 1
            var span = ways >> 1
            // Walk from the root; at each node point the bit away from the touched half.
            while span >= 1 {
                let right = (way & span) != 0
                if right { bits &= ~(1 << UInt64(node)) } else { bits |= 1 << UInt64(node) }
                node = node * 2 + (right ? 1 : 0)
                span >>= 1
            }
            plru[set] = bits
        case .random:
            break
        }
    }

    /// The slot to fill for `line`: an invalid way if any, else the policy's victim.
    func victim(_ line: UInt64) -> Int {
        let set = setIndex(line)
        let base = set * ways
        for w in 0 ..< ways where tags[base + w] == Self.invalidTag { return base + w }
        switch policy {
        case .lru:
            var best = base
            for s in base + 1 ..< base + ways where stamp[s] < stamp[best] { best = s }
            return best
        case .treePLRU:
            let bits = plru[set]
            var node = 1
            while node < ways { node = node * 2 + Int((bits >> UInt64(node)) & 1) }
            return base + (node - ways)
        case .random:
            return base + Int(rng.next() % UInt64(ways))
        }
    }

    /// Installs `line` in `slot` (the caller has evicted the previous occupant) and touches it.
    @inline(__always) func fill(_ slot: Int, _ line: UInt64, state st: UInt8, version v: UInt64) {
        tags[slot] = line
        state[slot] = st
        version[slot] = v
        if let m = l1dMask { m[slot] = 0; l1iMask![slot] = 0; l1Writer![slot] = -1 }
        touch(slot)
    }

    @inline(__always) func clear(_ slot: Int) {
        tags[slot] = Self.invalidTag
        state[slot] = 0
        if let m = l1dMask { m[slot] = 0; l1iMask![slot] = 0; l1Writer![slot] = -1 }
    }

    /// All valid slots, for checking.
    func validSlots() -> [Int] { (0 ..< sets * ways).filter { tags[$0] != Self.invalidTag } }
}
