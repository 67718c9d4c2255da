// PPC64Cold: executes the ops the hot switch leaves to its `default:` (floating point, FPSCR
// moves, VMX/VSX loads, stores and ALU ops, string and multiple loads/stores). One call per op;
// returns ok, fault (the fault in cpu.faultSlot), codeModified or illegal.

enum PPC64Cold {
    static let ok: UInt8 = 0, fault: UInt8 = 1, codeModified: UInt8 = 2, illegal: UInt8 = 3

    @inline(never)
    static func execute<E: PPC64ByteOrder>(_ e: E.Type, _ cpu: PPC64CPU, _ mmu: SoftMMU, _ o: PPC64Op, pc: UInt64) -> UInt8 {
        let r = cpu.registers.slots
        if let res = floatingPoint(r, o) { return res }
        if let res = memory(E.self, cpu, mmu, o) { return res }
        return PPC64Vector.execute(r, o) ? ok : illegal
    }

    @inline(__always) static func setCR1(_ r: UnsafeMutablePointer<UInt64>) {
        r[PPC64Reg.cr] = (r[PPC64Reg.cr] & ~(0xF << 24)) | (((r[PPC64Reg.fpscr] >> 28) & 0xF) << 24)
    }

    // MARK: - Floating point

    static func floatingPoint(_ r: UnsafeMutablePointer<UInt64>, _ o: PPC64Op) -> UInt8? {
        let d = Int(o.d), a = r[Int(o.a)], b = r[Int(o.b)], c = r[Int(o.c)]
        let fpu = PPC64FPU.self
        var result: UInt64? = nil
        switch o.kind {
        case .fadd: result = fpu.arith(r, .add, a, b, 0, single: false)
        case .fsub: result = fpu.arith(r, .sub, a, b, 0, single: false)
        case .fmul: result = fpu.arith(r, .mul, a, 0, c, single: false)
        case .fdiv: result = fpu.arith(r, .div, a, b, 0, single: false)
        case .fsqrt: result = fpu.arith(r, .sqrt, 0, b, 0, single: false)
        case .fmadd: result = fpu.arith(r, .madd, a, b, c, single: false)
        case .fmsub: result = fpu.arith(r, .msub, a, b, c, single: false)
        case .fnmadd: result = fpu.arith(r, .nmadd, a, b, c, single: false)
        case .fnmsub: result = fpu.arith(r, .nmsub, a, b, c, single: false)
        case .fre: result = fpu.arith(r, .re, 0, b, 0, single: false)
        case .frsqrte: result = fpu.arith(r, .rsqrte, 0, b, 0, single: false)
        case .fadds: result = fpu.arith(r, .add, a, b, 0, single: true)
        case .fsubs: result = fpu.arith(r, .sub, a, b, 0, single: true)
        case .fmuls: result = fpu.arith(r, .mul, a, 0, c, single: true)
        case .fdivs: result = fpu.arith(r, .div, a, b, 0, single: true)
        case .fsqrts: result = fpu.arith(r, .sqrt, 0, b, 0, single: true)
        case .fmadds: result = fpu.arith(r, .madd, a, b, c, single: true)
        case .fmsubs: result = fpu.arith(r, .msub, a, b, c, single: true)
        case .fnmadds: result = fpu.arith(r, .nmadd, a, b, c, single: true)
        case .fnmsubs: result = fpu.arith(r, .nmsub, a, b, c, single: true)
        case .fres: result = fpu.arith(r, .re, 0, b, 0, single: true)
        case .frsqrtes: result = fpu.arith(r, .rsqrte, 0, b, 0, single: true)
        case .fsel:
            let fm = PPC64Float.self
            result = !fm.isNaN(a) && (fm.isZero(a) || a >> 63 == 0) ? c : b
        case .frsp: result = fpu.toSingle(r, b)
        case .fctiw: result = fpu.toInteger(r, b, signed: true, bits: 32, mode: fpu.rm(r))
        case .fctiwz: result = fpu.toInteger(r, b, signed: true, bits: 32, mode: 1)
        case .fctiwu: result = fpu.toInteger(r, b, signed: false, bits: 32, mode: fpu.rm(r))
        case .fctiwuz: result = fpu.toInteger(r, b, signed: false, bits: 32, mode: 1)
        case .fctid: result = fpu.toInteger(r, b, signed: true, bits: 64, mode: fpu.rm(r))
        case .fctidz: result = fpu.toInteger(r, b, signed: true, bits: 64, mode: 1)
        case .fctidu: result = fpu.toInteger(r, b, signed: false, bits: 64, mode: fpu.rm(r))
        case .fctiduz: result = fpu.toInteger(r, b, signed: false, bits: 64, mode: 1)
        case .fcfid: result = fpu.fromInteger(r, b, signed: true, single: false)
        case .fcfidu: result = fpu.fromInteger(r, b, signed: false, single: false)
        case .fcfids: result = fpu.fromInteger(r, b, signed: true, single: true)
        case .fcfidus: result = fpu.fromInteger(r, b, signed: false, single: true)
        case .frin: result = fpu.roundIntegral(r, b, .toNearestOrAwayFromZero)
        case .friz: result = fpu.roundIntegral(r, b, .towardZero)
        case .frip: result = fpu.roundIntegral(r, b, .up)
        case .frim: result = fpu.roundIntegral(r, b, .down)
        case .fmr: result = b
        case .fneg: result = b ^ (1 << 63)
        case .fabs: result = b & ~(1 << 63)
        case .fnabs: result = b | (1 << 63)
        case .fcpsgn: result = (a & (1 << 63)) | (b & ~(1 << 63))
        case .fmrgew: result = (a & 0xFFFF_FFFF_0000_0000) | (b >> 32)
        case .fmrgow: result = (a << 32) | (b & 0xFFFF_FFFF)
        case .mffs: result = r[PPC64Reg.fpscr] & 0xFFFF_FFFF
        case .mffsx:
            let f = r[PPC64Reg.fpscr]
            switch o.y {
            case 1: result = f & 0xFFFF_FFFF; r[PPC64Reg.fpscr] = PPC64Float.summarize(f & ~0xF8)
            case 22, 23:
                result = f & 0x0000_0007_0000_00FF
                let rn = o.y == 22 ? b & 3 : o.imm & 3
                r[PPC64Reg.fpscr] = (f & ~3) | rn
            case 24: result = f & 0x0000_0007_0007_F0FF
            default: result = f & 0x0000_0007_0000_00FF       // mffscdrn[i]: DRN not modelled (no DFP)
            }
        case .fcmpu, .fcmpo:
            PPC64CPU.setCRFieldRaw(r, o.d, fpu.compare(r, a, b, ordered: o.kind == .fcmpo))
            return PPC64Cold.ok
        case .ftdiv: PPC64CPU.setCRFieldRaw(r, o.d, fpu.testDivide(a, b)); return PPC64Cold.ok
        case .ftsqrt: PPC64CPU.setCRFieldRaw(r, o.d, fpu.testSqrt(b)); return PPC64Cold.ok
        case .mcrfs:
            let f = r[PPC64Reg.fpscr]
            let sh = UInt64(o.a)
            PPC64CPU.setCRFieldRaw(r, o.d, (f >> sh) & 0xF)
            let clear = (0xF << sh) & (FPSCR.exceptions)
            r[PPC64Reg.fpscr] = PPC64Float.summarize(f & ~clear)
            return PPC64Cold.ok
        case .mtfsb0, .mtfsb1:
            let bit: UInt64 = 1 << UInt64(o.d)
            var f = r[PPC64Reg.fpscr]
            if o.kind == .mtfsb0 { f &= ~bit } else {
                if bit & FPSCR.exceptions & ~FPSCR.fx != 0 && f & bit == 0 { f |= FPSCR.fx }
                f |= bit
            }
            r[PPC64Reg.fpscr] = PPC64Float.summarize(f)
            if o.x & 1 != 0 { setCR1(r) }
            return PPC64Cold.ok
        case .mtfsfi:
            let sh = UInt64(60 - 4 * Int(o.d))
            let f = (r[PPC64Reg.fpscr] & ~(0xF << sh)) | (o.imm << sh)
            r[PPC64Reg.fpscr] = PPC64Float.summarize(f)
            if o.x & 1 != 0 { setCR1(r) }
            return PPC64Cold.ok
        case .mtfsf:
            let f = (r[PPC64Reg.fpscr] & ~o.imm) | (b & o.imm)
            r[PPC64Reg.fpscr] = PPC64Float.summarize(f)
            if o.x & 1 != 0 { setCR1(r) }
            return PPC64Cold.ok
        default:
            return vsxScalar(r, o)
        }
        if let v = result { r[d] = v }
        if o.x & 1 != 0 { setCR1(r) }
        return PPC64Cold.ok
    }

    /// VSX scalar ops: operands in doubleword 0 (slot + 1) of the VSRs.
    static func vsxScalar(_ r: UnsafeMutablePointer<UInt64>, _ o: PPC64Op) -> UInt8? {
        let t = Int(o.d) + 1
        let a = r[Int(o.a) + 1], b = r[Int(o.b) + 1], tv = r[t]
        let fpu = PPC64FPU.self
        var result: UInt64? = nil
        switch o.kind {
        case .xsadddp: result = fpu.arith(r, .add, a, b, 0, single: false)
        case .xssubdp: result = fpu.arith(r, .sub, a, b, 0, single: false)
        case .xsmuldp: result = fpu.arith(r, .mul, a, 0, b, single: false)
        case .xsdivdp: result = fpu.arith(r, .div, a, b, 0, single: false)
        case .xssqrtdp: result = fpu.arith(r, .sqrt, 0, b, 0, single: false)
        case .xsredp: result = fpu.arith(r, .re, 0, b, 0, single: false)
        case .xsrsqrtedp: result = fpu.arith(r, .rsqrte, 0, b, 0, single: false)
        case .xsaddsp: result = fpu.arith(r, .add, a, b, 0, single: true)
        case .xssubsp: result = fpu.arith(r, .sub, a, b, 0, single: true)
        case .xsmulsp: result = fpu.arith(r, .mul, a, 0, b, single: true)
        case .xsdivsp: result = fpu.arith(r, .div, a, b, 0, single: true)
        case .xssqrtsp: result = fpu.arith(r, .sqrt, 0, b, 0, single: true)
        case .xsresp: result = fpu.arith(r, .re, 0, b, 0, single: true)
        case .xsrsqrtesp: result = fpu.arith(r, .rsqrte, 0, b, 0, single: true)
        // A-type: T = A*B + T; M-type: T = A*T + B.
        case .xsmaddadp: result = fpu.arith(r, .madd, a, tv, b, single: false)
        case .xsmaddmdp: result = fpu.arith(r, .madd, a, b, tv, single: false)
        case .xsmsubadp: result = fpu.arith(r, .msub, a, tv, b, single: false)
        case .xsmsubmdp: result = fpu.arith(r, .msub, a, b, tv, single: false)
        case .xsnmaddadp: result = fpu.arith(r, .nmadd, a, tv, b, single: false)
        case .xsnmaddmdp: result = fpu.arith(r, .nmadd, a, b, tv, single: false)
        case .xsnmsubadp: result = fpu.arith(r, .nmsub, a, tv, b, single: false)
        case .xsnmsubmdp: result = fpu.arith(r, .nmsub, a, b, tv, single: false)
        case .xsmaddasp: result = fpu.arith(r, .madd, a, tv, b, single: true)
        case .xsmaddmsp: result = fpu.arith(r, .madd, a, b, tv, single: true)
        case .xsmsubasp: result = fpu.arith(r, .msub, a, tv, b, single: true)
        case .xsmsubmsp: result = fpu.arith(r, .msub, a, b, tv, single: true)
        case .xsnmaddasp: result = fpu.arith(r, .nmadd, a, tv, b, single: true)
        case .xsnmaddmsp: result = fpu.arith(r, .nmadd, a, b, tv, single: true)
        case .xsnmsubasp: result = fpu.arith(r, .nmsub, a, tv, b, single: true)
        case .xsnmsubmsp: result = fpu.arith(r, .nmsub, a, b, tv, single: true)
        case .xscmpudp, .xscmpodp:
            PPC64CPU.setCRFieldRaw(r, o.d, fpu.compare(r, r[Int(o.a)], r[Int(o.b)], ordered: o.kind == .xscmpodp))
            return PPC64Cold.ok
        case .xscpsgndp: result = (a & (1 << 63)) | (b & ~(1 << 63))
        case .xsmaxdp: result = fpu.maxMin(r, a, b, max: true)
        case .xsmindp: result = fpu.maxMin(r, a, b, max: false)
        case .xsabsdp: result = b & ~(1 << 63)
        case .xsnabsdp: result = b | (1 << 63)
        case .xsnegdp: result = b ^ (1 << 63)
        case .xscvdpsxds: result = fpu.toInteger(r, b, signed: true, bits: 64, mode: 1)
        case .xscvdpuxds: result = fpu.toInteger(r, b, signed: false, bits: 64, mode: 1)
        case .xscvdpsxws: result = fpu.toInteger(r, b, signed: true, bits: 32, mode: 1) & 0xFFFF_FFFF
        case .xscvdpuxws: result = fpu.toInteger(r, b, signed: false, bits: 32, mode: 1)
        case .xscvsxddp: result = fpu.fromInteger(r, b, signed: true, single: false)
        case .xscvuxddp: result = fpu.fromInteger(r, b, signed: false, single: false)
        case .xscvsxdsp: result = fpu.fromInteger(r, b, signed: true, single: true)
        case .xscvuxdsp: result = fpu.fromInteger(r, b, signed: false, single: true)
        case .xsrsp: result = fpu.toSingle(r, b)
        case .xscvdpsp:
            let s = UInt64(PPC64Float.doubleToSingleBits(fpu.toSingle(r, b)))
            result = s << 32 | s
        case .xscvdpspn:
            var fl: Int32 = 0
            let s = UInt64(PPC64Float.doubleToSingleBits(PPC64Float.roundToSingle(b, 0, &fl)))
            result = s << 32 | s
        case .xscvspdp:
            let v = PPC64Float.singleToDoubleBits(UInt32(truncatingIfNeeded: b >> 32))
            if PPC64Float.isSNaN(v) { PPC64Float.raise(r, FPSCR.vxsnan) }
            result = PPC64Float.isNaN(v) ? PPC64Float.quiet(v) : v
            PPC64Float.setResultBits(r, result: result!, fr: false, fi: false)
        case .xscvspdpn: result = PPC64Float.singleToDoubleBits(UInt32(truncatingIfNeeded: b >> 32))
        case .xsrdpi: result = fpu.roundIntegral(r, b, .toNearestOrAwayFromZero)
        case .xsrdpiz: result = fpu.roundIntegral(r, b, .towardZero)
        case .xsrdpip: result = fpu.roundIntegral(r, b, .up)
        case .xsrdpim: result = fpu.roundIntegral(r, b, .down)
        case .xsrdpic:
            let rules: [FloatingPointRoundingRule] = [.toNearestOrEven, .towardZero, .up, .down]
            result = fpu.roundIntegral(r, b, rules[Int(fpu.rm(r))], setInexact: true)
        case .xvadddp, .xvsubdp, .xvmuldp, .xvdivdp:
            let k: PPC64FPU.Arith = o.kind == .xvadddp ? .add : (o.kind == .xvsubdp ? .sub : (o.kind == .xvmuldp ? .mul : .div))
            var out: [UInt64] = [0, 0]
            for i in 0 ..< 2 {
                let x = r[Int(o.a) + i], y = r[Int(o.b) + i]
                out[i] = fpu.arith(r, k, x, k == .mul ? 0 : y, k == .mul ? y : 0, single: false) ?? r[Int(o.d) + i]
            }
            r[Int(o.d)] = out[0]; r[Int(o.d) + 1] = out[1]
            return PPC64Cold.ok
        case .xvabsdp, .xvnegdp:
            let m: UInt64 = 1 << 63
            for i in 0 ..< 2 { r[Int(o.d) + i] = o.kind == .xvabsdp ? r[Int(o.b) + i] & ~m : r[Int(o.b) + i] ^ m }
            return PPC64Cold.ok
        case .xvabssp, .xvnegsp:
            let m: UInt64 = 0x8000_0000_8000_0000
            for i in 0 ..< 2 { r[Int(o.d) + i] = o.kind == .xvabssp ? r[Int(o.b) + i] & ~m : r[Int(o.b) + i] ^ m }
            return PPC64Cold.ok
        case .xvcvsxddp, .xvcvuxddp, .xvcvdpsxds, .xvcvdpuxds:
            var out: [UInt64] = [0, 0]
            for i in 0 ..< 2 {
                let x = r[Int(o.b) + i]
                switch o.kind {
                case .xvcvsxddp: out[i] = fpu.fromInteger(r, x, signed: true, single: false)
                case .xvcvuxddp: out[i] = fpu.fromInteger(r, x, signed: false, single: false)
                case .xvcvdpsxds: out[i] = fpu.toInteger(r, x, signed: true, bits: 64, mode: 1)
                default: out[i] = fpu.toInteger(r, x, signed: false, bits: 64, mode: 1)
                }
            }
            r[Int(o.d)] = out[0]; r[Int(o.d) + 1] = out[1]
            return PPC64Cold.ok
        case .xvcvsxwdp, .xvcvuxwdp, .xvcvspdp:
            // Source words 0 and 2 (BE numbering): the high halves of each doubleword.
            var out: [UInt64] = [0, 0]
            for i in 0 ..< 2 {
                let w = r[Int(o.b) + i] >> 32
                switch o.kind {
                case .xvcvsxwdp: out[i] = Double(Int32(truncatingIfNeeded: w)).bitPattern
                case .xvcvuxwdp: out[i] = Double(UInt32(truncatingIfNeeded: w)).bitPattern
                default: out[i] = PPC64Float.singleToDoubleBits(UInt32(truncatingIfNeeded: w))
                }
            }
            r[Int(o.d)] = out[0]; r[Int(o.d) + 1] = out[1]
            return PPC64Cold.ok
        case .xvaddsp, .xvsubsp, .xvmulsp, .xvdivsp:
            var out: [UInt64] = [0, 0]
            let k: PPC64FPU.Arith = o.kind == .xvaddsp ? .add : (o.kind == .xvsubsp ? .sub : (o.kind == .xvmulsp ? .mul : .div))
            for i in 0 ..< 2 {
                var res: UInt64 = 0
                for h in 0 ..< 2 {
                    let sh = UInt64(32 * h)
                    let x = PPC64Float.singleToDoubleBits(UInt32(truncatingIfNeeded: r[Int(o.a) + i] >> sh))
                    let y = PPC64Float.singleToDoubleBits(UInt32(truncatingIfNeeded: r[Int(o.b) + i] >> sh))
                    let v = fpu.arith(r, k, x, k == .mul ? 0 : y, k == .mul ? y : 0, single: true) ?? PPC64Float.defaultNaN
                    res |= UInt64(PPC64Float.doubleToSingleBits(v)) << sh
                }
                out[i] = res
            }
            r[Int(o.d)] = out[0]; r[Int(o.d) + 1] = out[1]
            return PPC64Cold.ok
        default:
            return nil
        }
        if let v = result { r[t] = v }
        return PPC64Cold.ok
    }
}

extension PPC64CPU {
    /// Sets a CR field to `bits` (no SO merge), `shift` = 28 - 4*BF.
    @inline(__always) static func setCRFieldRaw(_ r: UnsafeMutablePointer<UInt64>, _ shift: UInt8, _ bits: UInt64) {
        let sh = UInt64(shift)
        r[PPC64Reg.cr] = (r[PPC64Reg.cr] & ~(0xF &<< sh)) | ((bits & 0xF) &<< sh)
    }
}
