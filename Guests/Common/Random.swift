// Random: the deterministic `arc4random_buf` Embedded Swift uses to seed hashing, for every
// guest but the kernel.
import Synchronization

/// SplitMix64 over one shared counter: the same sequence on every run, from any CPU.
private let randomState = Atomic<UInt64>(0x4B34_3253_494D_0001)

@_cdecl("arc4random_buf")
func arc4random_buf(_ buffer: UnsafeMutableRawPointer?, _ count: Int) {
    guard let buffer else { return }
    var i = 0
    while i < count {
        var z = randomState.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        var b = 0
        while b < 8 && i < count {
            buffer.storeBytes(of: UInt8(truncatingIfNeeded: z >> UInt64(8 * b)), toByteOffset: i, as: UInt8.self)
            b += 1
            i += 1
        }
    }
}
