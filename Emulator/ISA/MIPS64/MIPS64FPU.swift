// MIPS64FPU: semantics of the MIPS64 floating-point unit (FR=1, legacy NaN encoding as on
// MIPS64 Release 2: a NaN with the top fraction bit SET is signalling; the default NaN is
// 0x7FBFFFFF / 0x7FF7FFFFFFFFFFFF). Values travel as raw bit patterns. Each operation updates
// FCSR cause and flag bits and returns nil when an enabled IEEE exception must trap instead of
// writing a result. IEEE arithmetic itself runs on the host through CHostFP, which honours the
// FCSR rounding mode and reports exact IEEE flags.
import CHostFP

public enum MIPS64FPU {
    // FCSR fields
    public static let flagShift: UInt64 = 2
    public static let enableShift: UInt64 = 7
    public static let causeShift: UInt64 = 12
    public static let invalid: Int32 = 16
    public static let fcsrWritableMask: UInt64 = 0xFF83_FFFF  // FCC7..1, FS, FCC0, cause, enables, flags, RM (not NAN2008/ABS2008)

    public static let defaultNaND: UInt64 = 0x7FF7_FFFF_FFFF_FFFF
    public static let defaultNaNS: UInt32 = 0x7FBF_FFFF

    @inline(__always) static func isNaN(_ x: UInt64) -> Bool { x & 0x7FFF_FFFF_FFFF_FFFF > 0x7FF0_0000_0000_0000 }
    @inline(__always) static func isSNaN(_ x: UInt64) -> Bool { isNaN(x) && (x >> 51) & 1 == 1 }
    @inline(__always) static func isNaN(_ x: UInt32) -> Bool { x & 0x7FFF_FFFF > 0x7F80_0000 }
    @inline(__always) static func isSNaN(_ x: UInt32) -> Bool { isNaN(x) && (x >> 22) & 1 == 1 }

    @inline(__always) static func rm(_ fcsr: UnsafeMutablePointer<UInt64>) -> Int32 { Int32(truncatingIfNeeded: fcsr.pointee & 3) }

    /// Records `flags` as the cause; traps (returns false) if an enabled exception occurred,
    /// otherwise accumulates them into the sticky flags.
    @inline(__always)
    static func finish(_ flags: Int32, _ fcsr: UnsafeMutablePointer<UInt64>) -> Bool {
        var c = fcsr.pointee & ~(UInt64(0x3f) << causeShift)
        let f = UInt64(UInt32(bitPattern: flags)) & 0x1f
        c |= f << causeShift
        if f & (c >> enableShift) & 0x1f != 0 {
            fcsr.pointee = c
            return false
        }
        fcsr.pointee = c | (f << flagShift)
        return true
    }

    // MARK: NaN propagation (legacy MIPS rules, as QEMU models them)

    /// Result for operands of which at least one is a NaN: any sNaN -> invalid + default NaN,
    /// else the first quiet NaN operand.
    static func propagate(_ ops: UInt64..., fcsr: UnsafeMutablePointer<UInt64>) -> UInt64? {
        if ops.contains(where: isSNaN) { return finish(invalid, fcsr) ? defaultNaND : nil }
        return finish(0, fcsr) ? ops.first(where: isNaN)! : nil
    }

    static func propagate(_ ops: UInt32..., fcsr: UnsafeMutablePointer<UInt64>) -> UInt32? {
        if ops.contains(where: isSNaN) { return finish(invalid, fcsr) ? defaultNaNS : nil }
        return finish(0, fcsr) ? ops.first(where: isNaN)! : nil
    }

    // MARK: Double

    typealias BinD = (Double, Double, Int32, UnsafeMutablePointer<Int32>?) -> Double
    typealias BinS = (Float, Float, Int32, UnsafeMutablePointer<Int32>?) -> Float

    @inline(__always)
    static func binaryD(_ a: UInt64, _ b: UInt64, _ fcsr: UnsafeMutablePointer<UInt64>, _ op: BinD) -> UInt64? {
        if isNaN(a) || isNaN(b) { return propagate(a, b, fcsr: fcsr) }
        var fl: Int32 = 0
        let r = op(Double(bitPattern: a), Double(bitPattern: b), rm(fcsr), &fl)
        let bits = r.isNaN ? defaultNaND : r.bitPattern
        return finish(fl, fcsr) ? bits : nil
    }

    @inline(__always)
    static func binaryS(_ a: UInt32, _ b: UInt32, _ fcsr: UnsafeMutablePointer<UInt64>, _ op: BinS) -> UInt32? {
        if isNaN(a) || isNaN(b) { return propagate(a, b, fcsr: fcsr) }
        var fl: Int32 = 0
        let r = op(Float(bitPattern: a), Float(bitPattern: b), rm(fcsr), &fl)
        let bits = r.isNaN ? defaultNaNS : r.bitPattern
        return finish(fl, fcsr) ? bits : nil
    }

    @inline(never) public static func add(_ a: UInt64, _ b: UInt64, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? { binaryD(a, b, c, k42fp_add_d) }
    @inline(never) public static func sub(_ a: UInt64, _ b: UInt64, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? { binaryD(a, b, c, k42fp_sub_d) }
    @inline(never) public static func mul(_ a: UInt64, _ b: UInt64, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? { binaryD(a, b, c, k42fp_mul_d) }
    @inline(never) public static func div(_ a: UInt64, _ b: UInt64, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? { binaryD(a, b, c, k42fp_div_d) }
    @inline(never) public static func add(_ a: UInt32, _ b: UInt32, _ c: UnsafeMutablePointer<UInt64>) -> UInt32? { binaryS(a, b, c, k42fp_add_s) }
    @inline(never) public static func sub(_ a: UInt32, _ b: UInt32, _ c: UnsafeMutablePointer<UInt64>) -> UInt32? { binaryS(a, b, c, k42fp_sub_s) }
    @inline(never) public static func mul(_ a: UInt32, _ b: UInt32, _ c: UnsafeMutablePointer<UInt64>) -> UInt32? { binaryS(a, b, c, k42fp_mul_s) }
    @inline(never) public static func div(_ a: UInt32, _ b: UInt32, _ c: UnsafeMutablePointer<UInt64>) -> UInt32? { binaryS(a, b, c, k42fp_div_s) }

    @inline(never) public static func sqrt(_ a: UInt64, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? {
        if isNaN(a) { return propagate(a, fcsr: c) }
        var fl: Int32 = 0
        let r = k42fp_sqrt_d(Double(bitPattern: a), rm(c), &fl)
        return finish(fl, c) ? (r.isNaN ? defaultNaND : r.bitPattern) : nil
    }

    @inline(never) public static func sqrt(_ a: UInt32, _ c: UnsafeMutablePointer<UInt64>) -> UInt32? {
        if isNaN(a) { return propagate(a, fcsr: c) }
        var fl: Int32 = 0
        let r = k42fp_sqrt_s(Float(bitPattern: a), rm(c), &fl)
        return finish(fl, c) ? (r.isNaN ? defaultNaNS : r.bitPattern) : nil
    }

    /// recip.fmt: 1/x with one rounding; rsqrt.fmt: 1/sqrt(x), two roundings (as QEMU).
    public static func recip(_ a: UInt64, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? { div(Double(1).bitPattern, a, c) }
    public static func recip(_ a: UInt32, _ c: UnsafeMutablePointer<UInt64>) -> UInt32? { div(Float(1).bitPattern, a, c) }
    public static func rsqrt(_ a: UInt64, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? {
        guard let s = sqrt(a, c) else { return nil }
        let cause = (c.pointee >> causeShift) & 0x1f
        guard let r = div(Double(1).bitPattern, s, c) else { return nil }
        c.pointee |= cause << causeShift
        return r
    }
    public static func rsqrt(_ a: UInt32, _ c: UnsafeMutablePointer<UInt64>) -> UInt32? {
        guard let s = sqrt(a, c) else { return nil }
        let cause = (c.pointee >> causeShift) & 0x1f
        guard let r = div(Float(1).bitPattern, s, c) else { return nil }
        c.pointee |= cause << causeShift
        return r
    }

    /// madd/msub/nmadd/nmsub (MIPS64 R2, unfused: the product is rounded, then the sum).
    /// `kind`: 0 madd (fs*ft+fr), 1 msub (fs*ft-fr), 2 nmadd -(fs*ft+fr), 3 nmsub -(fs*ft-fr).
    public static func multiplyAdd(_ fs: UInt64, _ ft: UInt64, _ fr: UInt64, kind: Int, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? {
        guard let p = mul(fs, ft, c) else { return nil }
        let causeMul = (c.pointee >> causeShift) & 0x1f
        guard let s = (kind & 1 == 0) ? add(p, fr, c) : sub(p, fr, c) else { return nil }
        c.pointee |= causeMul << causeShift
        return kind >= 2 && !isNaN(s) ? s ^ (1 << 63) : s
    }

    public static func multiplyAdd(_ fs: UInt32, _ ft: UInt32, _ fr: UInt32, kind: Int, _ c: UnsafeMutablePointer<UInt64>) -> UInt32? {
        guard let p = mul(fs, ft, c) else { return nil }
        let causeMul = (c.pointee >> causeShift) & 0x1f
        guard let s = (kind & 1 == 0) ? add(p, fr, c) : sub(p, fr, c) else { return nil }
        c.pointee |= causeMul << causeShift
        return kind >= 2 && !isNaN(s) ? s ^ (1 << 31) : s
    }

    // MARK: Conversions

    /// Rounds to an integer in `mode` (0 nearest, 1 zero, 2 up, 3 down); 32- or 64-bit result.
    /// Invalid (NaN or out of range) gives the legacy MIPS result 2^31-1 / 2^63-1.
    @inline(never)
    public static func toInteger(_ x: Double, isNaN nan: Bool, mode: Int32, wide: Bool, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? {
        let maxResult: UInt64 = wide ? 0x7FFF_FFFF_FFFF_FFFF : 0x7FFF_FFFF
        if nan || x.isInfinite { return finish(invalid, c) ? maxResult : nil }
        var fl: Int32 = 0
        let r = k42fp_round_d(x, mode, &fl)
        let limit: Double = wide ? 9223372036854775808.0 : 2147483648.0
        if r >= limit || r < -limit { return finish(invalid, c) ? maxResult : nil }
        guard finish(fl & 1, c) else { return nil }
        return wide ? UInt64(bitPattern: Int64(r)) : UInt64(UInt32(bitPattern: Int32(r)))
    }

    public static func toInteger(d a: UInt64, mode: Int32, wide: Bool, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? {
        toInteger(Double(bitPattern: a), isNaN: isNaN(a), mode: mode, wide: wide, c)
    }

    public static func toInteger(s a: UInt32, mode: Int32, wide: Bool, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? {
        toInteger(Double(Float(bitPattern: a)), isNaN: isNaN(a), mode: mode, wide: wide, c)
    }

    @inline(never) public static func doubleToSingle(_ a: UInt64, _ c: UnsafeMutablePointer<UInt64>) -> UInt32? {
        if isNaN(a) {
            if isSNaN(a) { return finish(invalid, c) ? defaultNaNS : nil }
            let frac = UInt32(truncatingIfNeeded: (a >> 29) & 0x7F_FFFF)
            let bits = UInt32(truncatingIfNeeded: a >> 32) & 0x8000_0000 | 0x7F80_0000 | frac
            return finish(0, c) ? (frac == 0 ? defaultNaNS : bits) : nil
        }
        var fl: Int32 = 0
        let r = k42fp_d_to_s(Double(bitPattern: a), rm(c), &fl)
        return finish(fl, c) ? r.bitPattern : nil
    }

    @inline(never) public static func singleToDouble(_ a: UInt32, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? {
        if isNaN(a) {
            if isSNaN(a) { return finish(invalid, c) ? defaultNaND : nil }
            let bits = UInt64(a & 0x8000_0000) << 32 | 0x7FF0_0000_0000_0000 | UInt64(a & 0x7F_FFFF) << 29
            return finish(0, c) ? bits : nil
        }
        return finish(0, c) ? Double(Float(bitPattern: a)).bitPattern : nil
    }

    @inline(never) public static func fromInteger(_ v: Int64, toSingle: Bool, _ c: UnsafeMutablePointer<UInt64>) -> UInt64? {
        var fl: Int32 = 0
        if toSingle {
            let r = k42fp_i64_to_s(v, rm(c), &fl)
            return finish(fl, c) ? UInt64(r.bitPattern) : nil
        }
        let r = k42fp_i64_to_d(v, rm(c), &fl)
        return finish(fl, c) ? r.bitPattern : nil
    }

    // MARK: Compare

    /// c.cond.fmt: returns the condition, or nil when an enabled invalid exception traps.
    @inline(never)
    public static func compare(_ x: Double, _ y: Double, aNaN: Bool, bNaN: Bool, aSignalling: Bool, bSignalling: Bool,
                               cond: UInt8, _ c: UnsafeMutablePointer<UInt64>) -> Bool? {
        let unordered = aNaN || bNaN
        let inv = aSignalling || bSignalling || (unordered && cond & 8 != 0)
        let less = !unordered && x < y
        let equal = !unordered && x == y
        let result = (cond & 4 != 0 && less) || (cond & 2 != 0 && equal) || (cond & 1 != 0 && unordered)
        return finish(inv ? invalid : 0, c) ? result : nil
    }

    public static func compare(d a: UInt64, _ b: UInt64, cond: UInt8, _ c: UnsafeMutablePointer<UInt64>) -> Bool? {
        compare(Double(bitPattern: a), Double(bitPattern: b), aNaN: isNaN(a), bNaN: isNaN(b),
                aSignalling: isSNaN(a), bSignalling: isSNaN(b), cond: cond, c)
    }

    public static func compare(s a: UInt32, _ b: UInt32, cond: UInt8, _ c: UnsafeMutablePointer<UInt64>) -> Bool? {
        compare(Double(Float(bitPattern: a)), Double(Float(bitPattern: b)), aNaN: isNaN(a), bNaN: isNaN(b),
                aSignalling: isSNaN(a), bSignalling: isSNaN(b), cond: cond, c)
    }

    /// FCSR bit of condition code `cc` (0 -> bit 23, 1..7 -> bits 25..31).
    @inline(__always) public static func ccBit(_ cc: UInt8) -> UInt64 { cc == 0 ? 1 << 23 : 1 << (24 + UInt64(cc)) }
}
