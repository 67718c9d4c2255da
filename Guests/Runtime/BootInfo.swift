// BootInfo: read access to the boot-information block the loader writes at physical 0x2000
// (docs/platform.md): CPU/node counts, memory per node, clock rate and per-node RAM ranges.

enum BootInfo {
    static let physicalAddress: UInt64 = 0x2000
    static let expectedMagic: UInt64 = 0x4B34_3253_494D_0001

    @inline(__always)
    static func word(_ offset: UInt64) -> UInt64 {
        UnsafePointer<UInt64>(bitPattern: Platform.cached(physicalAddress + offset))!.pointee
    }

    static var magic: UInt64 { word(0x00) }
    static var cpuCount: Int { Int(word(0x08)) }
    static var nodeCount: Int { Int(word(0x10)) }
    static var cpusPerNode: Int { Int(word(0x18)) }
    static var memoryPerNode: UInt64 { word(0x20) }
    static var mmioBase: UInt64 { word(0x28) }
    static var cyclesPerSecond: UInt64 { word(0x30) }
    static var timerIntervalHint: UInt64 { word(0x38) }

    /// Physical RAM base and size of node `n`.
    static func nodeRAM(_ n: Int) -> (base: UInt64, size: UInt64) {
        (word(0x40 + 16 * UInt64(n)), word(0x48 + 16 * UInt64(n)))
    }
}
