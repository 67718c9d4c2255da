// PPC64FPU: semantics of the floating-point instructions (classic FP and the VSX scalar and
// vector double/single ops): IEEE arithmetic through CHostFP in the FPSCR rounding mode, PPC NaN
// propagation (first NaN of A, B, C, quieted; default NaN 0x7FF8...), invalid-operation
// classes, FR/FI/FPRF, conversions with saturation and VXCVI, compares, FPSCR moves.
import CHostFP

enum PPC64FPU {
    enum Arith { case add, sub, mul, div, sqrt, madd, msub, nmadd, nmsub, re, rsqrte }

    @inline(__always) static func rm(_ r: UnsafeMutablePointer<UInt64>) -> Int32 { Int32(r[PPC64Reg.fpscr] & 3) }

    /// `single`: the fused multiply-adds round once to single precision (computing them in
    /// double and rounding again could round twice); the other ops are exact enough in double.
    static func host(_ k: Arith, _ a: Double, _ b: Double, _ c: Double, _ rm: Int32, _ fl: inout Int32, single: Bool = false) -> Double {
        var f: Int32 = 0
        let v: Double
        switch k {
        case .madd where single, .nmadd where single: v = Double(k42fp_fma_s(Float(a), Float(c), Float(b), rm, &f))
        case .msub where single, .nmsub where single: v = Double(k42fp_fma_s(Float(a), Float(c), -Float(b), rm, &f))
        case .add: v = k42fp_add_d(a, b, rm, &f)
        case .sub: v = k42fp_sub_d(a, b, rm, &f)
        case .mul: v = k42fp_mul_d(a, c, rm, &f)
        case .div: v = k42fp_div_d(a, b, rm, &f)
        case .sqrt: v = k42fp_sqrt_d(b, rm, &f)
        case .madd, .nmadd: v = k42fp_fma_d(a, c, b, rm, &f)
        case .msub, .nmsub: v = k42fp_fma_d(a, c, -b, rm, &f)
        case .re: v = k42fp_div_d(1.0, b, rm, &f)
        case .rsqrte:
            var f2: Int32 = 0
            let s = k42fp_sqrt_d(b, 0, &f2)
            v = k42fp_div_d(1.0, s, rm, &f)
            f |= f2 & Int32(K42FP_INVALID)
        }
        fl |= f
        return v
    }

    /// One arithmetic op on FPR bit patterns (fmul/fmadd use `c` as the multiplier). Returns nil
    /// when an enabled invalid or zero-divide exception suppresses the result.
    static func arith(_ r: UnsafeMutablePointer<UInt64>, _ k: Arith, _ a: UInt64, _ b: UInt64, _ c: UInt64, single: Bool) -> UInt64? {
        let fm = PPC64Float.self
        let usesA = k != .sqrt && k != .re && k != .rsqrte
        let usesB = k != .mul
        let usesC = k == .mul || k == .madd || k == .msub || k == .nmadd || k == .nmsub
        var exc: UInt64 = 0
        if (usesA && fm.isSNaN(a)) || (usesB && fm.isSNaN(b)) || (usesC && fm.isSNaN(c)) { exc |= FPSCR.vxsnan }
        var result: UInt64
        var flags: Int32 = 0
        var fr = false
        if usesA && fm.isNaN(a) { result = fm.quiet(a) }
        else if usesB && fm.isNaN(b) { result = fm.quiet(b) }
        else if usesC && fm.isNaN(c) { result = fm.quiet(c) }
        else {
            let sa = a >> 63, sb = b >> 63, sc = c >> 63
            switch k {
            case .add: if fm.isInf(a) && fm.isInf(b) && sa != sb { exc |= FPSCR.vxisi }
            case .sub: if fm.isInf(a) && fm.isInf(b) && sa == sb { exc |= FPSCR.vxisi }
            case .mul: if (fm.isInf(a) && fm.isZero(c)) || (fm.isZero(a) && fm.isInf(c)) { exc |= FPSCR.vximz }
            case .div:
                if fm.isInf(a) && fm.isInf(b) { exc |= FPSCR.vxidi }
                if fm.isZero(a) && fm.isZero(b) { exc |= FPSCR.vxzdz }
            case .sqrt, .rsqrte: if sb != 0 && !fm.isZero(b) { exc |= FPSCR.vxsqrt }
            case .madd, .msub, .nmadd, .nmsub:
                if (fm.isInf(a) && fm.isZero(c)) || (fm.isZero(a) && fm.isInf(c)) { exc |= FPSCR.vximz }
                else if (fm.isInf(a) || fm.isInf(c)) && fm.isInf(b) {
                    let sp = sa ^ sc
                    let subtract = k == .msub || k == .nmsub
                    if (sp != sb) != subtract { exc |= FPSCR.vxisi }
                }
            case .re: break
            }
            if exc & (FPSCR.vxAll & ~FPSCR.vxsnan) != 0 {
                result = fm.defaultNaN
            } else {
                let mode = rm(r)
                var v = host(k, fm.d(a), fm.d(b), fm.d(c), mode, &flags, single: single).bitPattern
                if single { v = fm.roundToSingle(v, mode, &flags) }
                if flags & Int32(K42FP_INEXACT) != 0 {
                    var f2: Int32 = 0
                    var z = host(k, fm.d(a), fm.d(b), fm.d(c), 1, &f2, single: single).bitPattern
                    if single { z = fm.roundToSingle(z, 1, &f2) }
                    fr = v & ~(1 << 63) != z & ~(1 << 63)
                }
                if k == .nmadd || k == .nmsub { v ^= 1 << 63 }
                result = v
            }
        }
        exc |= fm.hostBits(flags)
        fm.raise(r, exc)
        let f = r[PPC64Reg.fpscr]
        if (exc & FPSCR.vxAll != 0 && f & FPSCR.ve != 0) || (exc & FPSCR.zx != 0 && f & FPSCR.ze != 0) { return nil }
        fm.setResultBits(r, result: result, fr: fr, fi: flags & Int32(K42FP_INEXACT) != 0)
        return result
    }

    /// Round to integral (frin/friz/frip/frim, xsrdpi*): no XX/FI change, FR=FI=0.
    static func roundIntegral(_ r: UnsafeMutablePointer<UInt64>, _ b: UInt64, _ rule: FloatingPointRoundingRule, setInexact: Bool = false) -> UInt64 {
        let fm = PPC64Float.self
        if fm.isNaN(b) {
            if fm.isSNaN(b) { fm.raise(r, FPSCR.vxsnan) }
            let v = fm.quiet(b)
            fm.setResultBits(r, result: v, fr: false, fi: false)
            return v
        }
        let x = fm.d(b)
        let y = x.rounded(rule)
        let v = y.bitPattern
        let inexact = setInexact && y != x
        if inexact { fm.raise(r, FPSCR.xx) }
        fm.setResultBits(r, result: v, fr: false, fi: inexact)
        return v
    }

    /// Float to integer with saturation. `bits` 32 or 64; rounding mode `mode` (1 = toward zero).
    static func toInteger(_ r: UnsafeMutablePointer<UInt64>, _ b: UInt64, signed: Bool, bits: Int, mode: Int32) -> UInt64 {
        let fm = PPC64Float.self
        let (minV, maxV): (Double, Double) = signed
            ? (bits == 32 ? (-2147483648.0, 2147483647.0) : (-9223372036854775808.0, 9223372036854775807.0))
            : (0, bits == 32 ? 4294967295.0 : 18446744073709551615.0)
        let minBits: UInt64 = signed ? (bits == 32 ? 0xFFFF_FFFF_8000_0000 : 1 << 63) : 0
        let maxBits: UInt64 = signed ? (bits == 32 ? 0x7FFF_FFFF : 0x7FFF_FFFF_FFFF_FFFF) : (bits == 32 ? 0xFFFF_FFFF : .max)
        if fm.isNaN(b) {
            fm.raise(r, FPSCR.vxcvi | (fm.isSNaN(b) ? FPSCR.vxsnan : 0))
            fm.setResultBits(r, result: 0, fr: false, fi: false, classify: false)
            return signed ? (bits == 32 ? 0x8000_0000 : 1 << 63) : 0
        }
        var fl: Int32 = 0
        let y = k42fp_round_d(fm.d(b), mode, &fl)
        if y < minV || (y >= maxV && y != maxV) || (!signed && y < 0) {
            fm.raise(r, FPSCR.vxcvi)
            fm.setResultBits(r, result: 0, fr: false, fi: false, classify: false)
            return y < minV ? minBits : maxBits
        }
        // maxV for 64-bit is not exactly representable; 2^63 / 2^64 saturate.
        if (bits == 64 && signed && y >= 9223372036854775808.0) || (bits == 64 && !signed && y >= 18446744073709551616.0) {
            fm.raise(r, FPSCR.vxcvi)
            fm.setResultBits(r, result: 0, fr: false, fi: false, classify: false)
            return maxBits
        }
        let inexact = y != fm.d(b)
        if inexact { fm.raise(r, FPSCR.xx) }
        fm.setResultBits(r, result: 0, fr: inexact && y.magnitude > fm.d(b).magnitude, fi: inexact, classify: false)
        if signed {
            let i = Int64(y)
            return bits == 32 ? UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: i))) : UInt64(bitPattern: i)
        }
        return UInt64(y)
    }

    /// Integer to float (fcfid family, xscv[su]xd[ds]p).
    static func fromInteger(_ r: UnsafeMutablePointer<UInt64>, _ v: UInt64, signed: Bool, single: Bool) -> UInt64 {
        let fm = PPC64Float.self
        var fl: Int32 = 0
        let mode = rm(r)
        var res: UInt64
        if single {
            let f = signed ? k42fp_i64_to_s(Int64(bitPattern: v), mode, &fl) : k42fp_u64_to_s(v, mode, &fl)
            res = fm.singleToDoubleBits(f.bitPattern)
        } else {
            res = (signed ? k42fp_i64_to_d(Int64(bitPattern: v), mode, &fl) : k42fp_u64_to_d(v, mode, &fl)).bitPattern
        }
        var fr = false
        if fl != 0 {
            var f2: Int32 = 0
            let z: UInt64 = single
                ? fm.singleToDoubleBits((signed ? k42fp_i64_to_s(Int64(bitPattern: v), 1, &f2) : k42fp_u64_to_s(v, 1, &f2)).bitPattern)
                : (signed ? k42fp_i64_to_d(Int64(bitPattern: v), 1, &f2) : k42fp_u64_to_d(v, 1, &f2)).bitPattern
            fr = res & ~(1 << 63) != z & ~(1 << 63)
        }
        fm.raise(r, fm.hostBits(fl))
        fm.setResultBits(r, result: res, fr: fr, fi: fl & Int32(K42FP_INEXACT) != 0)
        return res
    }

    /// frsp / xsrsp / xscvdpsp rounding with flags.
    static func toSingle(_ r: UnsafeMutablePointer<UInt64>, _ b: UInt64) -> UInt64 {
        let fm = PPC64Float.self
        if fm.isSNaN(b) { fm.raise(r, FPSCR.vxsnan) }
        var fl: Int32 = 0
        let v = fm.roundToSingle(b, rm(r), &fl)
        var fr = false
        if fl & Int32(K42FP_INEXACT) != 0 {
            var f2: Int32 = 0
            fr = v & ~(1 << 63) != fm.roundToSingle(b, 1, &f2) & ~(1 << 63)
        }
        fm.raise(r, fm.hostBits(fl))
        fm.setResultBits(r, result: v, fr: fr, fi: fl & Int32(K42FP_INEXACT) != 0)
        return v
    }

    /// fcmpu/fcmpo/xscmp[uo]dp: the 4-bit result (also stored in FPCC).
    static func compare(_ r: UnsafeMutablePointer<UInt64>, _ a: UInt64, _ b: UInt64, ordered: Bool) -> UInt64 {
        let fm = PPC64Float.self
        var bits: UInt64
        if fm.isNaN(a) || fm.isNaN(b) {
            bits = 1
            var exc: UInt64 = 0
            let snan = fm.isSNaN(a) || fm.isSNaN(b)
            if snan { exc |= FPSCR.vxsnan }
            if ordered && (!snan || r[PPC64Reg.fpscr] & FPSCR.ve == 0) { exc |= FPSCR.vxvc }
            fm.raise(r, exc)
        } else {
            let x = fm.d(a), y = fm.d(b)
            bits = x < y ? 8 : (x > y ? 4 : 2)
        }
        r[PPC64Reg.fpscr] = (r[PPC64Reg.fpscr] & ~(0xF << 12)) | bits << 12
        return bits
    }

    static func exponent(_ b: UInt64) -> Int { Int((b >> 52) & 0x7FF) - 1023 }

    static func testDivide(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let fm = PPC64Float.self
        var fe = false, fg = false
        let ea = exponent(a), eb = exponent(b)
        if fm.isNaN(a) || fm.isInf(a) || fm.isNaN(b) || fm.isInf(b) || fm.isZero(b) { fe = true }
        else if eb <= -1022 || eb >= 1021 { fe = true }
        else if !fm.isZero(a) && (ea - eb >= 1023 || ea - eb <= -1021 || ea <= -970) { fe = true }
        if fm.isInf(a) || fm.isInf(b) || fm.isZero(b) || (b & 0x7FF0_0000_0000_0000 == 0) { fg = true }
        return 8 | (fg ? 4 : 0) | (fe ? 2 : 0)
    }

    static func testSqrt(_ b: UInt64) -> UInt64 {
        let fm = PPC64Float.self
        var fe = false, fg = false
        if fm.isZero(b) || fm.isInf(b) || fm.isNaN(b) || b >> 63 != 0 || exponent(b) <= -970 { fe = true }
        if fm.isZero(b) || fm.isInf(b) || (b & 0x7FF0_0000_0000_0000 == 0) { fg = true }
        return 8 | (fg ? 4 : 0) | (fe ? 2 : 0)
    }

    /// max/min with the VSX rule: a quiet NaN operand loses to a number.
    static func maxMin(_ r: UnsafeMutablePointer<UInt64>, _ a: UInt64, _ b: UInt64, max: Bool) -> UInt64 {
        let fm = PPC64Float.self
        if fm.isSNaN(a) || fm.isSNaN(b) { fm.raise(r, FPSCR.vxsnan) }
        if fm.isNaN(a) { return fm.isNaN(b) ? fm.quiet(a) : b }
        if fm.isNaN(b) { return a }
        let x = fm.d(a), y = fm.d(b)
        if x == y && x == 0 { return max ? (a & b) : (a | b) }
        return (x > y) == max ? a : b
    }
}
