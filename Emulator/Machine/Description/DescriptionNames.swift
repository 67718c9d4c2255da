// DescriptionNames: the enumerated fields of a MachineDescription (ISA, topology, coherence
// protocol, replacement policy) as enums whose raw values are the names the JSON uses. Decoding an
// unknown name fails with "must be one of <every allowed name>, got '<name>'"; the loader adds the
// field's dotted path (e.g. "caches.l2.replacement: must be one of lru, tree-plru, random, got
// 'fifo' (in --set)"). No name is ever mapped to a default.

/// A description field whose value is one of a fixed set of names.
public protocol DescriptionName: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension DescriptionName {
    /// Every accepted name, in declaration order, comma-separated.
    public static var allowedNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let name = try c.decode(String.self)
        guard let v = Self(rawValue: name) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be one of \(Self.allowedNames), got '\(name)'")
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

extension GuestISA: DescriptionName {}

/// `topology.kind`.
public enum TopologyKind: String, DescriptionName {
    /// Nodes on a bidirectional ring.
    case ring
    /// 2D mesh of `topology.meshColumns` columns.
    case mesh
    /// Binary hypercube (power-of-two node count).
    case hypercube
    /// Every pair of nodes one hop apart.
    case crossbar
}

/// `memory.coherence`.
public enum CoherenceProtocol: String, DescriptionName {
    case mesi = "MESI"
    case moesi = "MOESI"
}

/// `caches.<level>.replacement`.
public enum ReplacementPolicy: String, DescriptionName {
    /// True LRU (age stamps).
    case lru
    /// Tree pseudo-LRU (power-of-two ways, at most 64).
    case treePLRU = "tree-plru"
    /// Seeded random (SplitMix64 per cache instance).
    case random
}
