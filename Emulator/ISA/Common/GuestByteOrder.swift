// GuestByteOrder: guest memory byte order as a compile-time parameter of the interpreters, so
// endianness is a property of the CPU mode (MIPS Status.RE/Config.BE, PPC MSR[LE]) at no run-time
// cost: each interpreter is specialised once per byte order.

public protocol GuestByteOrder {
    static var isBigEndian: Bool { get }
}

public enum LittleEndianGuest: GuestByteOrder {
    @inline(__always) public static var isBigEndian: Bool { false }
}

public enum BigEndianGuest: GuestByteOrder {
    @inline(__always) public static var isBigEndian: Bool { true }
}

extension GuestByteOrder {
    // Byte access through these wrappers: the stdlib's generic `load(as:)` / `storeBytes(of:as:)`
    // were left out of line (a call per lb/sb) in the MIPS64 loop, which is past the inliner's
    // size budget; wrapped, they inline (scripts/check-hot-loop).
    @inline(__always) public static func load8(_ p: UnsafeRawPointer) -> UInt8 {
        p.load(as: UInt8.self)
    }
    @inline(__always) public static func store8(_ p: UnsafeMutableRawPointer, _ v: UInt8) {
        p.storeBytes(of: v, as: UInt8.self)
    }
    @inline(__always) public static func load16(_ p: UnsafeRawPointer) -> UInt16 {
        let v = p.loadUnaligned(as: UInt16.self)
        return isBigEndian ? UInt16(bigEndian: v) : UInt16(littleEndian: v)
    }
    @inline(__always) public static func load32(_ p: UnsafeRawPointer) -> UInt32 {
        let v = p.loadUnaligned(as: UInt32.self)
        return isBigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
    }
    @inline(__always) public static func load64(_ p: UnsafeRawPointer) -> UInt64 {
        let v = p.loadUnaligned(as: UInt64.self)
        return isBigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
    }
    @inline(__always) public static func store16(_ p: UnsafeMutableRawPointer, _ v: UInt16) {
        p.storeBytes(of: isBigEndian ? v.bigEndian : v.littleEndian, as: UInt16.self)
    }
    @inline(__always) public static func store32(_ p: UnsafeMutableRawPointer, _ v: UInt32) {
        p.storeBytes(of: isBigEndian ? v.bigEndian : v.littleEndian, as: UInt32.self)
    }
    @inline(__always) public static func store64(_ p: UnsafeMutableRawPointer, _ v: UInt64) {
        p.storeBytes(of: isBigEndian ? v.bigEndian : v.littleEndian, as: UInt64.self)
    }
}
