// MIPS64FPExecute: FPU arithmetic, conversion, compare and conditional-move instructions, and
// the FPU control registers (cfc1/ctc1). Kept out of the integer fast path: FP ops are called
// through one non-inlined function.

enum MIPS64FPControl {
    @inline(never)
    static func move(_ c: MIPS64Context, _ o: MIPS64Op) -> MIPS64Exit {
        let fcsr = c.ctl[MIPS64Ctl.fcsr]
        if o.kind == .cfc1 {
            let v: UInt64
            switch o.rs {
            case 0: v = c.ctl[MIPS64Ctl.fir]
            case 25: v = ((fcsr >> 24) & 0xfe) | ((fcsr >> 23) & 1)
            case 26: v = fcsr & 0x0003_f07c
            case 28: v = (fcsr & 0xf83) | ((fcsr >> 22) & 4)
            case 31: v = fcsr
            default: return .reservedInstruction
            }
            c.r[Int(o.rd)] = MIPS64Interpreter<LittleEndianGuest, MIPS64SEMode>.sx32(v)
            return .none
        }
        let v = c.r[Int(o.rt)] & 0xffff_ffff
        var n = fcsr
        switch o.rs {
        case 25: n = (fcsr & 0x017f_ffff) | ((v & 0xfe) << 24) | ((v & 1) << 23)
        case 26: n = (fcsr & ~UInt64(0x0003_f07c)) | (v & 0x0003_f07c)
        case 28: n = (fcsr & ~UInt64(0x0100_0f83)) | (v & 0xf83) | ((v & 4) << 22)
        case 31: n = v & MIPS64FPU.fcsrWritableMask
        default: return .reservedInstruction
        }
        c.ctl[MIPS64Ctl.fcsr] = n
        // Writing a cause bit whose enable is set (or the always-enabled unimplemented bit) traps.
        let cause = (n >> MIPS64FPU.causeShift) & 0x3f
        let enables = ((n >> MIPS64FPU.enableShift) & 0x1f) | 0x20
        return cause & enables != 0 ? .fpException : .none
    }
}

enum MIPS64FPArith {
    @inline(never)
    static func exec(_ c: MIPS64Context, _ o: MIPS64Op) -> MIPS64Exit {
        let f = c.f
        let fcsr = c.ctl + MIPS64Ctl.fcsr
        let fs = f[Int(o.rs)], ft = f[Int(o.rt)]
        let s32 = UInt32(truncatingIfNeeded: fs), t32 = UInt32(truncatingIfNeeded: ft)
        let d = Int(o.rd)
        @inline(__always) func setS(_ v: UInt32?) -> MIPS64Exit {
            guard let v else { return .fpException }
            f[d] = (f[d] & 0xffff_ffff_0000_0000) | UInt64(v)
            return .none
        }
        @inline(__always) func setD(_ v: UInt64?) -> MIPS64Exit {
            guard let v else { return .fpException }
            f[d] = v
            return .none
        }
        @inline(__always) func setW(_ v: UInt64?) -> MIPS64Exit {
            guard let v else { return .fpException }
            f[d] = (f[d] & 0xffff_ffff_0000_0000) | (v & 0xffff_ffff)
            return .none
        }
        let rm = Int32(truncatingIfNeeded: fcsr.pointee & 3)
        switch o.kind {
        case .addS: return setS(MIPS64FPU.add(s32, t32, fcsr))
        case .subS: return setS(MIPS64FPU.sub(s32, t32, fcsr))
        case .mulS: return setS(MIPS64FPU.mul(s32, t32, fcsr))
        case .divS: return setS(MIPS64FPU.div(s32, t32, fcsr))
        case .sqrtS: return setS(MIPS64FPU.sqrt(s32, fcsr))
        case .absS: return setS(s32 & 0x7fff_ffff)
        case .negS: return setS(s32 ^ 0x8000_0000)
        case .movS: return setS(s32)
        case .recipS: return setS(MIPS64FPU.recip(s32, fcsr))
        case .rsqrtS: return setS(MIPS64FPU.rsqrt(s32, fcsr))
        case .addD: return setD(MIPS64FPU.add(fs, ft, fcsr))
        case .subD: return setD(MIPS64FPU.sub(fs, ft, fcsr))
        case .mulD: return setD(MIPS64FPU.mul(fs, ft, fcsr))
        case .divD: return setD(MIPS64FPU.div(fs, ft, fcsr))
        case .sqrtD: return setD(MIPS64FPU.sqrt(fs, fcsr))
        case .absD: return setD(fs & 0x7fff_ffff_ffff_ffff)
        case .negD: return setD(fs ^ 0x8000_0000_0000_0000)
        case .movD: return setD(fs)
        case .recipD: return setD(MIPS64FPU.recip(fs, fcsr))
        case .rsqrtD: return setD(MIPS64FPU.rsqrt(fs, fcsr))

        case .roundLS: return setD(MIPS64FPU.toInteger(s: s32, mode: 0, wide: true, fcsr))
        case .truncLS: return setD(MIPS64FPU.toInteger(s: s32, mode: 1, wide: true, fcsr))
        case .ceilLS: return setD(MIPS64FPU.toInteger(s: s32, mode: 2, wide: true, fcsr))
        case .floorLS: return setD(MIPS64FPU.toInteger(s: s32, mode: 3, wide: true, fcsr))
        case .cvtLS: return setD(MIPS64FPU.toInteger(s: s32, mode: rm, wide: true, fcsr))
        case .roundWS: return setW(MIPS64FPU.toInteger(s: s32, mode: 0, wide: false, fcsr))
        case .truncWS: return setW(MIPS64FPU.toInteger(s: s32, mode: 1, wide: false, fcsr))
        case .ceilWS: return setW(MIPS64FPU.toInteger(s: s32, mode: 2, wide: false, fcsr))
        case .floorWS: return setW(MIPS64FPU.toInteger(s: s32, mode: 3, wide: false, fcsr))
        case .cvtWS: return setW(MIPS64FPU.toInteger(s: s32, mode: rm, wide: false, fcsr))
        case .roundLD: return setD(MIPS64FPU.toInteger(d: fs, mode: 0, wide: true, fcsr))
        case .truncLD: return setD(MIPS64FPU.toInteger(d: fs, mode: 1, wide: true, fcsr))
        case .ceilLD: return setD(MIPS64FPU.toInteger(d: fs, mode: 2, wide: true, fcsr))
        case .floorLD: return setD(MIPS64FPU.toInteger(d: fs, mode: 3, wide: true, fcsr))
        case .cvtLD: return setD(MIPS64FPU.toInteger(d: fs, mode: rm, wide: true, fcsr))
        case .roundWD: return setW(MIPS64FPU.toInteger(d: fs, mode: 0, wide: false, fcsr))
        case .truncWD: return setW(MIPS64FPU.toInteger(d: fs, mode: 1, wide: false, fcsr))
        case .ceilWD: return setW(MIPS64FPU.toInteger(d: fs, mode: 2, wide: false, fcsr))
        case .floorWD: return setW(MIPS64FPU.toInteger(d: fs, mode: 3, wide: false, fcsr))
        case .cvtWD: return setW(MIPS64FPU.toInteger(d: fs, mode: rm, wide: false, fcsr))

        case .cvtSD: return setS(MIPS64FPU.doubleToSingle(fs, fcsr))
        case .cvtDS: return setD(MIPS64FPU.singleToDouble(s32, fcsr))
        case .cvtSW: return setS(MIPS64FPU.fromInteger(Int64(Int32(bitPattern: s32)), toSingle: true, fcsr).map { UInt32(truncatingIfNeeded: $0) })
        case .cvtDW: return setD(MIPS64FPU.fromInteger(Int64(Int32(bitPattern: s32)), toSingle: false, fcsr))
        case .cvtSL: return setS(MIPS64FPU.fromInteger(Int64(bitPattern: fs), toSingle: true, fcsr).map { UInt32(truncatingIfNeeded: $0) })
        case .cvtDL: return setD(MIPS64FPU.fromInteger(Int64(bitPattern: fs), toSingle: false, fcsr))

        case .movfS, .movtS, .movfD, .movtD:
            let set = fcsr.pointee & MIPS64FPU.ccBit(o.aux) != 0
            let want = o.kind == .movtS || o.kind == .movtD
            if set == want { return o.kind == .movfS || o.kind == .movtS ? setS(s32) : setD(fs) }
            return .none
        case .movzS, .movzD, .movnS, .movnD:
            let g = c.r[Int(o.rt)]
            let want = o.kind == .movnS || o.kind == .movnD
            if (g != 0) == want { return o.kind == .movzS || o.kind == .movnS ? setS(s32) : setD(fs) }
            return .none

        case .cS, .cD:
            let res = o.kind == .cD ? MIPS64FPU.compare(d: fs, ft, cond: o.sa, fcsr)
                                    : MIPS64FPU.compare(s: s32, t32, cond: o.sa, fcsr)
            guard let res else { return .fpException }
            let bit = MIPS64FPU.ccBit(o.aux)
            if res { fcsr.pointee |= bit } else { fcsr.pointee &= ~bit }
            return .none

        case .maddS, .msubS, .nmaddS, .nmsubS:
            let fr = UInt32(truncatingIfNeeded: f[Int(o.aux)])
            let k = o.kind == .maddS ? 0 : o.kind == .msubS ? 1 : o.kind == .nmaddS ? 2 : 3
            return setS(MIPS64FPU.multiplyAdd(s32, t32, fr, kind: k, fcsr))
        case .maddD, .msubD, .nmaddD, .nmsubD:
            let fr = f[Int(o.aux)]
            let k = o.kind == .maddD ? 0 : o.kind == .msubD ? 1 : o.kind == .nmaddD ? 2 : 3
            return setD(MIPS64FPU.multiplyAdd(fs, ft, fr, kind: k, fcsr))
        default:
            return .reservedInstruction
        }
    }
}
