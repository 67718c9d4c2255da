// Malloc: the C allocation entry points Embedded Swift's runtime calls (swift_slowAlloc ->
// posix_memalign, swift_slowDealloc -> free), served by the per-CPU SmallAllocator.

@_cdecl("posix_memalign")
func posix_memalign(_ result: UnsafeMutablePointer<UnsafeMutableRawPointer?>, _ alignment: Int, _ size: Int) -> Int32 {
    // Swift's runtime cannot recover from a failed allocation; say so here, in one line.
    guard let p = SmallAllocator.allocate(size: size, alignment: alignment) else {
        Panic.panic("out of memory: no frames left for an allocation of bytes:", value: UInt64(size))
    }
    result.pointee = p
    return 0
}

@_cdecl("free")
func free(_ pointer: UnsafeMutableRawPointer?) {
    if let pointer { SmallAllocator.free(pointer) }
}

/// Deterministic bytes for Embedded Swift's hashing seed: a per-CPU SplitMix64 stream (the
/// same sequence on every run, whatever the interleaving of CPUs).
@_cdecl("arc4random_buf")
func arc4random_buf(_ buffer: UnsafeMutableRawPointer?, _ count: Int) {
    guard let buffer else { return }
    let state = PCA.local.word(CPUArea.randomState)
    var i = 0
    while i < count {
        state.pointee &+= 0x9E37_79B9_7F4A_7C15
        var z = state.pointee
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
