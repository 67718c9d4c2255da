// PPC64FixedPoint: the less frequent fixed-point semantics kept out of the hot switch:
// multiply-high and all divides (division by zero and overflow give an architecturally
// undefined result — k42sim returns 0 and sets OV — never a host trap), counting, population,
// parity, cmpb and bpermd.

enum PPC64FixedPoint {
    static func multiplyDivide(_ r: UnsafeMutablePointer<UInt64>, _ o: PPC64Op) {
        let a = r[Int(o.a)], b = r[Int(o.b)]
        var v: UInt64 = 0
        var ov: UInt64 = 0
        switch o.kind {
        case .mulhw:
            let p = Int64(Int32(truncatingIfNeeded: a)) &* Int64(Int32(truncatingIfNeeded: b))
            v = UInt64(bitPattern: p) >> 32
        case .mulhwu:
            v = ((a & 0xFFFF_FFFF) &* (b & 0xFFFF_FFFF)) >> 32
        case .mulhd:
            v = UInt64(bitPattern: Int64(bitPattern: a).multipliedFullWidth(by: Int64(bitPattern: b)).high)
        case .mulhdu:
            v = a.multipliedFullWidth(by: b).high
        case .divw:
            let x = Int32(truncatingIfNeeded: a), y = Int32(truncatingIfNeeded: b)
            if y == 0 || (x == .min && y == -1) { ov = 1 } else { v = UInt64(UInt32(bitPattern: x / y)) }
        case .divwu:
            let x = UInt32(truncatingIfNeeded: a), y = UInt32(truncatingIfNeeded: b)
            if y == 0 { ov = 1 } else { v = UInt64(x / y) }
        case .divd:
            let x = Int64(bitPattern: a), y = Int64(bitPattern: b)
            if y == 0 || (x == .min && y == -1) { ov = 1 } else { v = UInt64(bitPattern: x / y) }
        case .divdu:
            if b == 0 { ov = 1 } else { v = a / b }
        case .divwe:
            // (RA[32:63] || 0^32) / RB[32:63], quotient must fit in 32 bits.
            let x = Int64(Int32(truncatingIfNeeded: a)) << 32, y = Int64(Int32(truncatingIfNeeded: b))
            if y == 0 || (x == .min && y == -1) { ov = 1 } else {
                let q = x / y
                if q != Int64(Int32(truncatingIfNeeded: q)) { ov = 1 } else { v = UInt64(UInt32(truncatingIfNeeded: q)) }
            }
        case .divweu:
            let x = (a & 0xFFFF_FFFF) << 32, y = b & 0xFFFF_FFFF
            if y == 0 { ov = 1 } else {
                let q = x / y
                if q > 0xFFFF_FFFF { ov = 1 } else { v = q }
            }
        case .divdeu:
            if b == 0 || a >= b { ov = 1 } else { v = b.dividingFullWidth((high: a, low: 0)).quotient }
        case .divde:
            let x = Int64(bitPattern: a), y = Int64(bitPattern: b)
            let mx = x.magnitude, my = y.magnitude
            if y == 0 || mx >= my { ov = 1 } else {
                let q = my.dividingFullWidth((high: mx, low: 0)).quotient
                let neg = (x < 0) != (y < 0)
                if neg ? q > (1 << 63) : q >= (1 << 63) { ov = 1 } else { v = neg ? 0 &- q : q }
            }
        default: break
        }
        r[Int(o.d)] = v
        if o.x & 2 != 0 { r[PPC64Reg.ov] = ov; r[PPC64Reg.so] |= ov }
        if o.x & 1 != 0 { PPC64CPU.setCR0(r, v) }
    }

    static func bitOp(_ r: UnsafeMutablePointer<UInt64>, _ o: PPC64Op) {
        let a = r[Int(o.a)]
        var v: UInt64 = 0
        switch o.kind {
        case .cntlzw: v = UInt64(UInt32(truncatingIfNeeded: a).leadingZeroBitCount)
        case .cntlzd: v = UInt64(a.leadingZeroBitCount)
        case .cnttzw: v = UInt64(UInt32(truncatingIfNeeded: a).trailingZeroBitCount)
        case .cnttzd: v = UInt64(a.trailingZeroBitCount)
        case .popcntb:
            for i in 0 ..< 8 { v |= UInt64(((a >> UInt64(8 * i)) & 0xFF).nonzeroBitCount) << UInt64(8 * i) }
        case .popcntw:
            v = UInt64((a & 0xFFFF_FFFF).nonzeroBitCount) | UInt64((a >> 32).nonzeroBitCount) << 32
        case .popcntd: v = UInt64(a.nonzeroBitCount)
        case .prtyw:
            let lo = (a ^ (a >> 8) ^ (a >> 16) ^ (a >> 24)) & 1
            let hi = ((a >> 32) ^ (a >> 40) ^ (a >> 48) ^ (a >> 56)) & 1
            v = lo | hi << 32
        case .prtyd:
            var p: UInt64 = 0
            for i in 0 ..< 8 { p ^= (a >> UInt64(8 * i)) & 1 }
            v = p
        case .cmpb:
            let b = r[Int(o.b)]
            for i in 0 ..< 8 where (a >> UInt64(8 * i)) & 0xFF == (b >> UInt64(8 * i)) & 0xFF { v |= 0xFF << UInt64(8 * i) }
        case .bpermd:
            let b = r[Int(o.b)]
            for i in 0 ..< 8 {
                let idx = (a >> UInt64(8 * (7 - i))) & 0xFF
                if idx < 64 { v |= ((b >> (63 - idx)) & 1) << UInt64(7 - i) }
            }
        default: break
        }
        r[Int(o.d)] = v
        if o.x & 1 != 0 { PPC64CPU.setCR0(r, v) }
    }
}

extension PPC64Mem {
    /// The dcbz block size without a cache description (and in SE mode): POWER8's 128 bytes.
    static let defaultBlockSize: UInt64 = 128

    /// dcbz: zeroes the `size`-byte block at `ea` (block aligned, a power of two of at most a
    /// page, so it never crosses a page).
    static func zeroBlock(_ tlb: UnsafeMutablePointer<SoftTLBEntry>, _ mmu: SoftMMU, _ ea: UInt64, _ size: Int,
                          _ fault: UnsafeMutablePointer<MemoryFault>) -> UInt8 {
        let t = tlb + SoftMMU.index(ea)
        if t.pointee.writeTag == ea & ~guestPageMask {
            UnsafeMutableRawPointer(bitPattern: t.pointee.addend &+ UInt(truncatingIfNeeded: ea))!
                .initializeMemory(as: UInt8.self, repeating: 0, count: size)
            return PPC64StoreResult.ok
        }
        let zeros = [UInt8](repeating: 0, count: size)
        return zeros.withUnsafeBytes { writeBytes(mmu, ea, $0.baseAddress!, size, fault) }
    }
}
