// PPC64Memory: guest memory access for the PPC64 interpreter: byte-order policies (MSR[LE] is a
// generic parameter of the interpreter loop) and the soft-TLB fast path with its slow fallbacks
// (page-crossing accesses go byte-wise through SoftMMU, misses refill it, faults return nil).

public protocol PPC64ByteOrder {
    static var isBigEndian: Bool { get }
    static func load16(_ p: UnsafeRawPointer) -> UInt64
    static func load32(_ p: UnsafeRawPointer) -> UInt64
    static func load64(_ p: UnsafeRawPointer) -> UInt64
    static func store16(_ p: UnsafeMutableRawPointer, _ v: UInt64)
    static func store32(_ p: UnsafeMutableRawPointer, _ v: UInt64)
    static func store64(_ p: UnsafeMutableRawPointer, _ v: UInt64)
}

public enum PPC64LittleEndian: PPC64ByteOrder {
    public static var isBigEndian: Bool { false }
    @inline(__always) public static func load16(_ p: UnsafeRawPointer) -> UInt64 { UInt64(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self))) }
    @inline(__always) public static func load32(_ p: UnsafeRawPointer) -> UInt64 { UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self))) }
    @inline(__always) public static func load64(_ p: UnsafeRawPointer) -> UInt64 { UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) }
    @inline(__always) public static func store16(_ p: UnsafeMutableRawPointer, _ v: UInt64) { p.storeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian, as: UInt16.self) }
    @inline(__always) public static func store32(_ p: UnsafeMutableRawPointer, _ v: UInt64) { p.storeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian, as: UInt32.self) }
    @inline(__always) public static func store64(_ p: UnsafeMutableRawPointer, _ v: UInt64) { p.storeBytes(of: v.littleEndian, as: UInt64.self) }
}

public enum PPC64BigEndian: PPC64ByteOrder {
    public static var isBigEndian: Bool { true }
    @inline(__always) public static func load16(_ p: UnsafeRawPointer) -> UInt64 { UInt64(UInt16(bigEndian: p.loadUnaligned(as: UInt16.self))) }
    @inline(__always) public static func load32(_ p: UnsafeRawPointer) -> UInt64 { UInt64(UInt32(bigEndian: p.loadUnaligned(as: UInt32.self))) }
    @inline(__always) public static func load64(_ p: UnsafeRawPointer) -> UInt64 { UInt64(bigEndian: p.loadUnaligned(as: UInt64.self)) }
    @inline(__always) public static func store16(_ p: UnsafeMutableRawPointer, _ v: UInt64) { p.storeBytes(of: UInt16(truncatingIfNeeded: v).bigEndian, as: UInt16.self) }
    @inline(__always) public static func store32(_ p: UnsafeMutableRawPointer, _ v: UInt64) { p.storeBytes(of: UInt32(truncatingIfNeeded: v).bigEndian, as: UInt32.self) }
    @inline(__always) public static func store64(_ p: UnsafeMutableRawPointer, _ v: UInt64) { p.storeBytes(of: v.bigEndian, as: UInt64.self) }
}

/// Store outcome codes of `PPC64Mem.store`.
enum PPC64StoreResult { static let ok: UInt8 = 0, fault: UInt8 = 1, codeModified: UInt8 = 2 }

enum PPC64Mem {
    /// Loads `size` (1, 2, 4, 8) bytes, zero-extended; nil on a fault (left in `fault`).
    @inline(__always)
    static func load<E: PPC64ByteOrder>(_ e: E.Type, _ tlb: UnsafeMutablePointer<SoftTLBEntry>, _ mmu: SoftMMU,
                                        _ ea: UInt64, _ size: UInt64, _ fault: UnsafeMutablePointer<MemoryFault>) -> UInt64? {
        let t = tlb + SoftMMU.index(ea)
        if _fastPath(t.pointee.readTag == ea & ~guestPageMask && ea & guestPageMask <= guestPageSize &- size) {
            let p = UnsafeRawPointer(bitPattern: t.pointee.addend &+ UInt(truncatingIfNeeded: ea))!
            switch size {
            case 1: return UInt64(p.load(as: UInt8.self))
            case 2: return E.load16(p)
            case 4: return E.load32(p)
            default: return E.load64(p)
            }
        }
        return slowLoad(mmu, ea, Int(size), fault)
    }

    /// The slow path of a load: the value, or nil with the fault in `fault`.
    @inline(never)
    static func slowLoad(_ mmu: SoftMMU, _ ea: UInt64, _ size: Int, _ fault: UnsafeMutablePointer<MemoryFault>) -> UInt64? {
        switch mmu.load(ea, size: size) {
        case .success(let r): return r.value
        case .failure(let f): fault.pointee = f; return nil
        }
    }

    /// Stores the low `size` bytes of `v`; returns a PPC64StoreResult code.
    @inline(__always)
    static func store<E: PPC64ByteOrder>(_ e: E.Type, _ tlb: UnsafeMutablePointer<SoftTLBEntry>, _ mmu: SoftMMU,
                                         _ ea: UInt64, _ size: UInt64, _ v: UInt64, _ fault: UnsafeMutablePointer<MemoryFault>) -> UInt8 {
        let t = tlb + SoftMMU.index(ea)
        if _fastPath(t.pointee.writeTag == ea & ~guestPageMask && ea & guestPageMask <= guestPageSize &- size) {
            let p = UnsafeMutableRawPointer(bitPattern: t.pointee.addend &+ UInt(truncatingIfNeeded: ea))!
            switch size {
            case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
            case 2: E.store16(p, v)
            case 4: E.store32(p, v)
            default: E.store64(p, v)
            }
            return PPC64StoreResult.ok
        }
        return slowStore(mmu, ea, Int(size), v, fault)
    }

    /// The slow path of a store; the fault, if any, in `fault`.
    @inline(never)
    static func slowStore(_ mmu: SoftMMU, _ ea: UInt64, _ size: Int, _ v: UInt64, _ fault: UnsafeMutablePointer<MemoryFault>) -> UInt8 {
        if case .failure(let f) = mmu.store(ea, size: size, v) { fault.pointee = f; return PPC64StoreResult.fault }
        if mmu.storeNeedsCompletion {
            mmu.completeStore()
            return PPC64StoreResult.codeModified
        }
        return PPC64StoreResult.ok
    }

    /// Writes raw bytes (already in memory order); same result codes as `store`.
    static func writeBytes(_ mmu: SoftMMU, _ ea: UInt64, _ bytes: UnsafeRawPointer, _ count: Int,
                           _ fault: UnsafeMutablePointer<MemoryFault>) -> UInt8 {
        if case .failure(let f) = mmu.copyOut(ea, from: bytes, count: count) { fault.pointee = f; return PPC64StoreResult.fault }
        if mmu.storeNeedsCompletion {
            mmu.completeStore()
            return PPC64StoreResult.codeModified
        }
        return PPC64StoreResult.ok
    }
}
