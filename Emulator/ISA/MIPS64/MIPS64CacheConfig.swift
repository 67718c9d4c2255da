// MIPS64CacheConfig: what a MIPS64 guest reads about its caches. CP0 Config1 bits 24:7 (IS IL IA
// for the L1I, DS DL DA for the L1D), Config2 (M, and SS SL SA for the L2) and rdhwr $1
// (SYNCI_Step), encoded from the machine's cache description as the MIPS64 PRA (MD00091,
// "Config1 Register", "Config2 Register") defines them:
//   Config1 IS/DS sets per way: 0..6 = 64 << n, 7 = 32 (Linux reads it so; Release 1 texts say
//     reserved); IL/DL line: 0 = no cache, 1..6 = 2 << n (4...128 bytes); IA/DA ways - 1 (1...8)
//   Config2 SS sets per way: 0..7 = 64 << n (64...8192); SL line: 1..7 = 2 << n (4...256 bytes);
//     SA ways - 1 (1...8); TS/TL/TA 0 (the memory-side L3 is no CPU cache)
// The line size must be encodable (it is the coherence unit: a kernel aligns and steps its
// cache loops by it). Sets and ways are reported exactly when they fit; otherwise as the same
// total size and line size with the nearest encodable associativity (origin-mips64's 4 MiB
// 2-way L2, 16384 sets, reads as 8192 sets x 4 ways), so loops sized from Config1/Config2 still
// cover the cache exactly. A size with no such encoding is an error naming the field.
// Without a cache description (functional machine) the values are the ones k42sim always had:
// 32 KiB 4-way I and D caches with 32-byte lines, no L2, SYNCI_Step 32.

public struct MIPS64CacheConfig: Sendable, Equatable {
    /// Config1 bits 24:7 (IS, IL, IA, DS, DL, DA); the other Config1 bits are the CPU's.
    public var config1Caches: UInt32
    /// The whole Config2 register (M = 1: Config3 exists).
    public var config2: UInt32
    /// rdhwr $1: the step for synci loops (the L1 line size).
    public var synciStep: UInt64

    /// No cache description: 256 sets x 4 ways x 32 bytes for I and D, no L2, SYNCI_Step 32.
    public static let functional = MIPS64CacheConfig(
        config1Caches: (2 << 22) | (4 << 19) | (3 << 16) | (2 << 13) | (4 << 10) | (3 << 7), config2: 1 << 31, synciStep: 32)

    public init(config1Caches: UInt32, config2: UInt32, synciStep: UInt64) {
        self.config1Caches = config1Caches; self.config2 = config2; self.synciStep = synciStep
    }

    /// The encoding of `caches`, or an error naming the field that cannot be encoded.
    public init(_ caches: CacheHierarchyDescription) throws(MachineDescriptionError) {
        let i = try Self.encode(caches.l1i, "caches.l1i", .config1)
        let d = try Self.encode(caches.l1d, "caches.l1d", .config1)
        let l2 = try Self.encode(caches.l2, "caches.l2", .config2)
        config1Caches = i.sets << 22 | i.line << 19 | i.ways << 16 | d.sets << 13 | d.line << 10 | d.ways << 7
        config2 = 1 << 31 | l2.sets << 8 | l2.line << 4 | l2.ways
        synciStep = UInt64(min(caches.l1i.lineSize, caches.l1d.lineSize))
    }

    /// The register whose fields describe a cache level, with the ranges it can encode.
    enum Register {
        case config1, config2
        var name: String { self == .config1 ? "Config1" : "Config2" }
        var sets: [Int] { self == .config1 ? [32] + (0 ... 6).map { 64 << $0 } : (0 ... 7).map { 64 << $0 } }
        var maxLine: Int { self == .config1 ? 128 : 256 }
        func setsField(_ s: Int) -> UInt32 { s == 32 ? 7 : UInt32((s / 64).trailingZeroBitCount) }
    }

    /// One level's (sets, line, ways) fields.
    static func encode(_ c: CacheDescription, _ path: String, _ r: Register) throws(MachineDescriptionError) -> (sets: UInt32, line: UInt32, ways: UInt32) {
        let line = c.lineSize
        guard line >= 4, line <= r.maxLine, line & (line - 1) == 0 else {
            throw MachineDescriptionError("\(path).lineSize", "a MIPS64 \(r.name) describes lines of 4...\(r.maxLine) bytes, got \(line)")
        }
        // The configured associativity first, then the others nearest to it (ties: more ways).
        let ways = (1 ... 8).sorted { a, b in
            let da = abs(a - c.associativity), db = abs(b - c.associativity)
            return da != db ? da < db : a > b
        }
        for w in ways where c.size % (line * w) == 0 && r.sets.contains(c.size / (line * w)) {
            return (r.setsField(c.size / (line * w)), UInt32(line.trailingZeroBitCount - 1), UInt32(w - 1))
        }
        let least = r.sets.min()! * line, most = r.sets.max()! * 8 * line
        throw MachineDescriptionError("\(path).size", "a MIPS64 \(r.name) cannot describe \(c.size) bytes with \(line)-byte lines (\(r.sets.min()!)...\(r.sets.max()!) sets of 1...8 ways: \(least)...\(most) bytes)")
    }
}
