// PageMap: a small hash map from a page number to one word, the building block of the memory
// objects' page lists (FCM) and of each CPU's HAT view. Open addressing with linear probing and
// backward-shift deletion (no tombstones), power-of-two capacity, grown at 3/4 load. Keys are
// stored + 1 so that 0 marks an empty slot; values must be nonzero. Not synchronised: the owner
// (a rep under its lock, or one CPU with interrupts off) serialises access. Memory comes from
// the kernel heap of the CPU that creates or grows the map, so a per-CPU map lives on its node.

struct PageMap {
    private(set) var keys: UnsafeMutablePointer<UInt64>
    private(set) var values: UnsafeMutablePointer<UInt64>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity requested: Int = 16) {
        var c = 16
        while c < requested { c <<= 1 }
        capacity = c
        keys = UnsafeMutablePointer<UInt64>.allocate(capacity: c)
        values = UnsafeMutablePointer<UInt64>.allocate(capacity: c)
        for i in 0 ..< c { keys[i] = 0 }
    }

    func release() {
        keys.deallocate()
        values.deallocate()
    }

    @inline(__always) private static func hash(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The value stored for `page`, or 0.
    func lookup(_ page: UInt64) -> UInt64 {
        let k = page &+ 1, mask = capacity - 1
        var i = Self.hash(k, mask)
        while true {
            let s = keys[i]
            if s == k { return values[i] }
            if s == 0 { return 0 }
            i = (i + 1) & mask
        }
    }

    /// Stores `value` (nonzero) for `page`, replacing what was there.
    mutating func insert(_ page: UInt64, _ value: UInt64) {
        if (count + 1) * 4 > capacity * 3 { grow() }
        let k = page &+ 1, mask = capacity - 1
        var i = Self.hash(k, mask)
        while true {
            let s = keys[i]
            if s == k { values[i] = value; return }
            if s == 0 { keys[i] = k; values[i] = value; count += 1; return }
            i = (i + 1) & mask
        }
    }

    /// Removes `page`; returns its value, or 0 if it was absent.
    @discardableResult mutating func remove(_ page: UInt64) -> UInt64 {
        let k = page &+ 1, mask = capacity - 1
        var i = Self.hash(k, mask)
        while keys[i] != k {
            if keys[i] == 0 { return 0 }
            i = (i + 1) & mask
        }
        let old = values[i]
        // Backward shift: move later members of the probe run into the hole.
        var hole = i
        var j = (i + 1) & mask
        while keys[j] != 0 {
            let home = Self.hash(keys[j], mask)
            // Move j into the hole unless its home lies cyclically in (hole, j].
            let between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
            if !between {
                keys[hole] = keys[j]
                values[hole] = values[j]
                hole = j
            }
            j = (j + 1) & mask
        }
        keys[hole] = 0
        count -= 1
        return old
    }

    /// Calls `body(page, value)` for every entry (the map must not change meanwhile).
    func forEach(_ body: (UInt64, UInt64) -> Void) {
        for i in 0 ..< capacity where keys[i] != 0 { body(keys[i] &- 1, values[i]) }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values, oldCapacity = capacity
        capacity = oldCapacity * 2
        keys = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        values = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        for i in 0 ..< capacity { keys[i] = 0 }
        count = 0
        for i in 0 ..< oldCapacity where oldKeys[i] != 0 { insert(oldKeys[i] &- 1, oldValues[i]) }
        oldKeys.deallocate()
        oldValues.deallocate()
    }
}
