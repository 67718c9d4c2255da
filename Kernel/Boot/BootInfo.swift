// BootInfo: the boot-information block the machine writes at physical 0x2000 (docs/platform.md),
// read through the kernel's linear map: CPU and node counts, memory per node, clock rate,
// per-node RAM ranges, the initial RAM image (+0x1100 base, +0x1108 size) and the boot argument
// string (at +0x1800: length, bytes, NUL).

enum BootInfo {
    static let physicalAddress: UInt64 = 0x2000
    static let size: UInt64 = 0x2000
    static let expectedMagic: UInt64 = 0x4B34_3253_494D_0001
    static let argumentsOffset: UInt64 = 0x1800

    @inline(__always) static func word(_ offset: UInt64) -> UInt64 {
        word_(Arch.kernelBase + UInt(physicalAddress + offset))
    }
    @inline(__always) private static func word_(_ a: UInt) -> UInt64 { UnsafePointer<UInt64>(bitPattern: a)!.pointee }

    static var magic: UInt64 { word(0x00) }
    static var cpuCount: Int { Int(word(0x08)) }
    static var nodeCount: Int { Int(word(0x10)) }
    static var cpusPerNode: Int { Int(word(0x18)) }
    static var memoryPerNode: UInt64 { word(0x20) }
    static var cyclesPerSecond: UInt64 { word(0x30) }
    static func nodeBase(_ n: Int) -> UInt64 { word(0x40 + 16 * UInt64(n)) }
    static func nodeSize(_ n: Int) -> UInt64 { word(0x48 + 16 * UInt64(n)) }

    /// The initial RAM image (Programs/RAMImage.swift): physical base and size in bytes, or
    /// (0, 0) when the loader placed none or what it announced is not a page-aligned range at
    /// the top part of node 0's RAM above the kernel.
    static var ramImage: (base: UInt64, size: UInt64) {
        let base = word(0x1100), size = word(0x1108)
        let end0 = nodeBase(0) + nodeSize(0)
        guard size > 0, base & 0xFFF == 0, base >= physicalAddress + self.size, base < end0, size <= end0 - base else { return (0, 0) }
        return (base, size)
    }

    /// The boot argument string's bytes (not NUL-terminated in the buffer's view).
    static var arguments: UnsafeBufferPointer<UInt8> {
        let length = min(Int(word(argumentsOffset)), Int(size - argumentsOffset) - 9)
        let start = UnsafePointer<UInt8>(bitPattern: Arch.kernelBase + UInt(physicalAddress + argumentsOffset + 8))!
        return UnsafeBufferPointer(start: start, count: max(length, 0))
    }
}
