// SplitMix64: the tiny fixed-seed PRNG (Steele, Lea, Flood 2014) that generates the decoder
// oracle's random instruction words, so every run tests the same words.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` 32-bit words (the low half of each output).
    static func words(seed: UInt64, count: Int) -> [UInt32] {
        var g = SplitMix64(seed: seed)
        return (0 ..< count).map { _ in UInt32(truncatingIfNeeded: g.next()) }
    }
}
