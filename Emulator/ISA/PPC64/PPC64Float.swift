// PPC64Float: floating-point data formats and the FPSCR model: single<->double bit conversions
// of loads and stores (exact, NaN payloads kept), classification (FPRF), NaN propagation and
// the sticky/summary bits (FX, FEX, VX) every FP instruction updates.
import CHostFP

enum FPSCR {
    static let fx: UInt64 = 1 << 31, fex: UInt64 = 1 << 30, vx: UInt64 = 1 << 29, ox: UInt64 = 1 << 28
    static let ux: UInt64 = 1 << 27, zx: UInt64 = 1 << 26, xx: UInt64 = 1 << 25, vxsnan: UInt64 = 1 << 24
    static let vxisi: UInt64 = 1 << 23, vxidi: UInt64 = 1 << 22, vxzdz: UInt64 = 1 << 21, vximz: UInt64 = 1 << 20
    static let vxvc: UInt64 = 1 << 19, fr: UInt64 = 1 << 18, fi: UInt64 = 1 << 17
    static let fprfShift: UInt64 = 12, fprfMask: UInt64 = 0x1F << 12
    static let vxsoft: UInt64 = 1 << 10, vxsqrt: UInt64 = 1 << 9, vxcvi: UInt64 = 1 << 8
    static let ve: UInt64 = 1 << 7, ze: UInt64 = 1 << 4
    static let vxAll: UInt64 = vxsnan | vxisi | vxidi | vxzdz | vximz | vxvc | vxsoft | vxsqrt | vxcvi
    static let exceptions: UInt64 = fx | ox | ux | zx | xx | vxAll
}

enum PPC64Float {
    static let defaultNaN: UInt64 = 0x7FF8_0000_0000_0000

    @inline(__always) static func isNaN(_ b: UInt64) -> Bool { b & 0x7FFF_FFFF_FFFF_FFFF > 0x7FF0_0000_0000_0000 }
    @inline(__always) static func isSNaN(_ b: UInt64) -> Bool { isNaN(b) && b & (1 << 51) == 0 }
    @inline(__always) static func isInf(_ b: UInt64) -> Bool { b & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF0_0000_0000_0000 }
    @inline(__always) static func isZero(_ b: UInt64) -> Bool { b & 0x7FFF_FFFF_FFFF_FFFF == 0 }
    @inline(__always) static func quiet(_ b: UInt64) -> UInt64 { b | (1 << 51) }
    @inline(__always) static func d(_ b: UInt64) -> Double { Double(bitPattern: b) }

    /// lfs / xscvspdpn: single to double, exact, NaNs keep their payload and signalling bit.
    static func singleToDoubleBits(_ w: UInt32) -> UInt64 {
        let sign = UInt64(w >> 31) << 63
        let exp = (w >> 23) & 0xFF
        var frac = UInt64(w & 0x7F_FFFF)
        if exp == 0xFF { return sign | 0x7FF0_0000_0000_0000 | frac << 29 }
        if exp == 0 {
            if frac == 0 { return sign }
            var e: Int64 = 1023 - 126
            while frac & 0x80_0000 == 0 { frac <<= 1; e -= 1 }
            return sign | UInt64(e) << 52 | (frac & 0x7F_FFFF) << 29
        }
        return sign | UInt64(Int64(exp) - 127 + 1023) << 52 | frac << 29
    }

    /// stfs: double to single by the ISA's store conversion (truncating bits, denormalising).
    static func doubleToSingleBits(_ b: UInt64) -> UInt32 {
        let e = Int((b >> 52) & 0x7FF)
        if e > 896 || b & 0x7FFF_FFFF_FFFF_FFFF == 0 || e < 874 {
            return UInt32(truncatingIfNeeded: (b >> 62) << 30 | (b >> 29) & 0x3FFF_FFFF)
        }
        var exp = e - 1023
        var frac = (1 << 52) | (b & 0x000F_FFFF_FFFF_FFFF)
        while exp < -126 { frac >>= 1; exp += 1 }
        return UInt32(truncatingIfNeeded: (b >> 63) << 31 | (frac >> 29) & 0x7F_FFFF)
    }

    /// FPRF class code of a double.
    static func fprf(_ b: UInt64) -> UInt64 {
        let neg = b >> 63 != 0
        if isNaN(b) { return 0x11 }
        if isInf(b) { return neg ? 0x09 : 0x05 }
        if isZero(b) { return neg ? 0x12 : 0x02 }
        if b & 0x7FF0_0000_0000_0000 == 0 { return neg ? 0x18 : 0x14 }
        return neg ? 0x08 : 0x04
    }

    /// Rounds a double result to single precision (the value stays in double format).
    static func roundToSingle(_ b: UInt64, _ rm: Int32, _ flags: inout Int32) -> UInt64 {
        if isNaN(b) { return singleToDoubleBits(doubleToSingleBits(quiet(b))) }
        var f: Int32 = 0
        let s = k42fp_d_to_s(d(b), rm, &f)
        flags |= f
        return singleToDoubleBits(s.bitPattern)
    }

    /// ORs newly raised exception bits into FPSCR and recomputes FX, VX and FEX.
    static func raise(_ r: UnsafeMutablePointer<UInt64>, _ bits: UInt64) {
        var f = r[PPC64Reg.fpscr]
        let exc = bits & FPSCR.exceptions & ~FPSCR.fx
        if exc & ~f != 0 { f |= FPSCR.fx }
        f |= exc
        r[PPC64Reg.fpscr] = summarize(f)
    }

    static func summarize(_ f0: UInt64) -> UInt64 {
        var f = f0 & ~(FPSCR.vx | FPSCR.fex)
        if f & FPSCR.vxAll != 0 { f |= FPSCR.vx }
        if (f >> 22) & f & 0xF8 != 0 { f |= FPSCR.fex }
        return f
    }

    /// Sets FR, FI and FPRF after an arithmetic result.
    static func setResultBits(_ r: UnsafeMutablePointer<UInt64>, result: UInt64, fr: Bool, fi: Bool, classify: Bool = true) {
        var f = r[PPC64Reg.fpscr] & ~(FPSCR.fr | FPSCR.fi)
        if fr { f |= FPSCR.fr }
        if fi { f |= FPSCR.fi }
        if classify { f = (f & ~FPSCR.fprfMask) | fprf(result) << FPSCR.fprfShift }
        r[PPC64Reg.fpscr] = f
    }

    /// Host flags -> FPSCR exception bits (inexact, overflow, underflow, zero divide).
    static func hostBits(_ flags: Int32) -> UInt64 {
        var b: UInt64 = 0
        if flags & Int32(K42FP_INEXACT) != 0 { b |= FPSCR.xx }
        if flags & Int32(K42FP_OVERFLOW) != 0 { b |= FPSCR.ox | FPSCR.xx }
        if flags & Int32(K42FP_UNDERFLOW) != 0 { b |= FPSCR.ux }
        if flags & Int32(K42FP_DIVZERO) != 0 { b |= FPSCR.zx }
        return b
    }
}
