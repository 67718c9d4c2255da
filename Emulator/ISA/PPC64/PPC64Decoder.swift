// PPC64Decoder: turns an instruction word into a pre-decoded PPC64Op (register slots, extended
// immediates, rotate masks, branch forms specialised) and names instructions for disassembly.
// Unknown words decode to `.illegal` carrying the word; the interpreter raises the program
// interrupt when it reaches one, never earlier.

public enum PPC64Decoder {
    static let byPrimary: [[PPC64Form]] = {
        var t = [[PPC64Form]](repeating: [], count: 64)
        for f in PPC64Table.forms { t[Int(f.match >> 26)].append(f) }
        return t
    }()

    static func lookup(_ w: UInt32) -> PPC64Form? {
        for f in byPrimary[Int(w >> 26)] where w & f.mask == f.match { return f }
        return nil
    }

    /// The mnemonic of a recognised instruction (base form, with "o" and "." suffixes), or nil
    /// when the word is not a valid Power ISA 2.07 instruction known to k42sim.
    public static func mnemonic(_ w: UInt32) -> String? {
        guard let f = lookup(w) else { return nil }
        var s = f.name
        if f.kind == .sync {
            switch (w >> 21) & 3 { case 1: s = "lwsync"; case 2: s = "ptesync"; default: break }
        }
        if f.oe && w & 0x400 != 0 { s += "o" }
        if f.rcBit != 0 && w & f.rcBit != 0 { s += "." }
        return s
    }

    @inline(__always) static func sext16(_ w: UInt32) -> UInt64 { UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: w))) }

    /// The mask of IBM bits x...y (bit 0 = most significant), wrapping when x > y.
    static func mask64(_ x: Int, _ y: Int) -> UInt64 {
        let hi = UInt64.max >> UInt64(x)
        let lo = UInt64.max << UInt64(63 - y)
        return x <= y ? hi & lo : hi | lo
    }

    /// Decodes `w`, which sits at byte `offset` (0...4092) of its page.
    public static func decode(_ w: UInt32, offset: Int) -> PPC64Op {
        let illegal = PPC64Op(kind: .illegal, imm: UInt64(w))
        guard let f = lookup(w) else { return illegal }
        let rt = Int((w >> 21) & 31), ra = Int((w >> 16) & 31), rb = Int((w >> 11) & 31), rc5 = Int((w >> 6) & 31)
        let raz = ra == 0 ? PPC64Reg.zero : ra
        let rcFlag = UInt8(f.rcBit != 0 && w & f.rcBit != 0 ? 1 : 0) | UInt8(f.oe && w & 0x400 != 0 ? 2 : 0)
        @inline(__always) func s(_ n: Int) -> UInt8 { UInt8(truncatingIfNeeded: n) }
        let fr = { (n: Int) -> UInt8 in s(PPC64Reg.fpr(n)) }
        let vr = { (n: Int) -> UInt8 in s(PPC64Reg.vr(n)) }
        var op = PPC64Op(kind: f.kind, d: s(rt), a: s(ra), b: s(rb), c: s(rc5), x: rcFlag, imm: 0)
        switch f.kind {
        case .addi: op.a = s(raz); op.imm = sext16(w)
        case .addis: op.a = s(raz); op.imm = sext16(w) << 16
        case .addic, .addicRc, .subfic, .mulli, .tdi, .twi: op.imm = sext16(w)
        case .cmpi, .cmpli:
            let l = (w >> 21) & 1
            op.c = s(28 - 4 * (rt >> 2))
            if f.kind == .cmpi { op.kind = l != 0 ? .cmpdi : .cmpwi; op.imm = sext16(w) }
            else { op.kind = l != 0 ? .cmpldi : .cmplwi; op.imm = UInt64(w & 0xFFFF) }
        case .cmp, .cmpl:
            let l = (w >> 21) & 1
            op.c = s(28 - 4 * (rt >> 2))
            op.kind = f.kind == .cmp ? (l != 0 ? .cmpd : .cmpw) : (l != 0 ? .cmpld : .cmplw)
        case .ori, .xori, .andiRc: op.d = s(ra); op.a = s(rt); op.imm = UInt64(w & 0xFFFF)
        case .oris, .xoris, .andisRc: op.d = s(ra); op.a = s(rt); op.imm = UInt64(w & 0xFFFF) << 16
        case .and, .andc, .nor, .eqv, .xor, .orc, .or, .nand, .slw, .sld, .srw, .srd, .sraw, .srad,
             .cmpb, .bpermd:
            op.d = s(ra); op.a = s(rt)
        case .srawi: op.d = s(ra); op.a = s(rt); op.b = s(rb)
        case .sradi: op.d = s(ra); op.a = s(rt); op.b = s(rb | Int((w >> 1) & 1) << 5)
        case .cntlzw, .cntlzd, .cnttzw, .cnttzd, .extsh, .extsb, .extsw, .popcntb, .popcntw, .popcntd,
             .prtyw, .prtyd:
            op.d = s(ra); op.a = s(rt)
        case .isel: op.a = s(raz); op.c = s(31 - rc5)
        case .rlwinm, .rlwnm, .rlwimi:
            op.d = s(ra); op.a = s(rt)
            op.imm = mask64(rc5 + 32, Int((w >> 1) & 31) + 32)
        case .rldicl, .rldicr, .rldic, .rldimi, .rldcl, .rldcr:
            op.d = s(ra); op.a = s(rt)
            let sh = rb | Int((w >> 1) & 1) << 5
            let m = rc5 | Int((w >> 5) & 1) << 5
            switch f.kind {
            case .rldicl: op.b = s(sh); op.imm = mask64(m, 63)
            case .rldicr: op.b = s(sh); op.imm = mask64(0, m)
            case .rldic, .rldimi: op.b = s(sh); op.imm = mask64(m, 63 - sh)
            case .rldcl: op.imm = mask64(m, 63)
            default: op.imm = mask64(0, m)
            }
        case .b:
            let disp = UInt64(bitPattern: Int64(Int32(bitPattern: (w & 0x03FF_FFFC) << 6) >> 6))
            op.x = UInt8(w & 1)
            if w & 2 != 0 { op.kind = .bAbs; op.imm = disp }
            else { op.imm = disp; op.x |= inPage(offset, disp) }
        case .bc:
            let disp = sext16(w & 0xFFFC)
            op.x = UInt8(w & 1)
            op.imm = disp
            op.y = s(rt); op.c = s(31 - ra)
            if w & 2 != 0 { op.x |= 4 }            // absolute: generic path
            else {
                op.x |= inPage(offset, disp)
                if rt & 0x14 == 0x14 { op.kind = .bcAlways }
                else if rt & 0x04 != 0 { op.kind = .bcCR; op.y = s((rt >> 3) & 1) }
                else if rt & 0x10 != 0 { op.kind = .bdnz; op.y = s((rt >> 1) & 1) }
            }
        case .bclr, .bcctr, .bctar:
            op.x = UInt8(w & 1); op.y = s(rt); op.c = s(31 - ra)
            if f.kind == .bclr && rt & 0x14 == 0x14 { op.kind = .blr }
        case .crand, .crandc, .creqv, .crnand, .crnor, .cror, .crorc, .crxor:
            op.d = s(31 - rt); op.a = s(31 - ra); op.b = s(31 - rb)
        case .mcrf: op.d = s(28 - 4 * (rt >> 2)); op.a = s(28 - 4 * (ra >> 2))
        case .mfocrf, .mtcrf, .mtocrf:
            let fxm = (w >> 12) & 0xFF
            var m: UInt64 = 0
            for i in 0 ..< 8 where fxm & (0x80 >> UInt32(i)) != 0 { m |= 0xF << UInt64(28 - 4 * i) }
            op.imm = m
        case .mfspr, .mtspr, .mftb:
            let spr = ra | rb << 5
            var slot = -1
            if f.kind == .mtspr { op.a = s(rt) }
            switch spr {
            case 1: op.kind = f.kind == .mfspr ? .mfxer : .mtxer
            case 8: slot = PPC64Reg.lr
            case 9: slot = PPC64Reg.ctr
            case 256: slot = PPC64Reg.vrsave
            case 815: slot = PPC64Reg.tar
            case 3: slot = PPC64Reg.dscr
            case 896: slot = PPC64Reg.ppr
            case 268, 269:
                if f.kind == .mtspr { op.kind = .privileged } else { op.kind = .mftb; op.y = s(spr - 268) }
            default: op.kind = spr & 0x10 != 0 ? .privileged : .illegal
            }
            if f.kind == .mftb && spr != 268 && spr != 269 { op.kind = .illegal }
            if slot >= 0 { if f.kind == .mfspr { op.a = s(slot) } else { op.d = s(slot) } }
            if op.kind == .illegal || op.kind == .privileged { op.imm = UInt64(w) }
        // Loads and stores.
        case .lbz, .lhz, .lha, .lwz, .stb, .sth, .stw, .lmw, .stmw, .lfs, .lfd, .stfs, .stfd:
            op.a = s(raz); op.imm = sext16(w)
            if f.kind == .lmw && ra >= rt && ra != 0 { return illegal }
            if f.kind == .lfs || f.kind == .lfd || f.kind == .stfs || f.kind == .stfd { op.d = fr(rt) }
        case .lbzu, .lhzu, .lhau, .lwzu:
            if ra == 0 || ra == rt { return illegal }
            op.imm = sext16(w)
        case .stbu, .sthu, .stwu, .lfsu, .lfdu, .stfsu, .stfdu:
            if ra == 0 { return illegal }
            op.imm = sext16(w)
            if f.kind == .lfsu || f.kind == .lfdu || f.kind == .stfsu || f.kind == .stfdu { op.d = fr(rt) }
        case .ld, .lwa, .std:
            op.a = s(raz); op.imm = sext16(w & 0xFFFC)
        case .ldu:
            if ra == 0 || ra == rt { return illegal }
            op.imm = sext16(w & 0xFFFC)
        case .stdu:
            if ra == 0 { return illegal }
            op.imm = sext16(w & 0xFFFC)
        case .ldx, .lwzx, .lbzx, .lhzx, .lhax, .lwax, .stdx, .stwx, .stbx, .sthx, .lhbrx, .lwbrx, .ldbrx,
             .sthbrx, .stwbrx, .stdbrx, .lbarx, .lharx, .lwarx, .ldarx, .stbcx, .sthcx, .stwcx, .stdcx,
             .dcbz, .lswx, .stswx, .dcbst, .dcbf, .icbi:
            op.a = s(raz)
            if f.kind == .lswx && (rt == ra || rt == rb) { /* invalid form if the range covers RA/RB: checked at run time */ }
        case .ldux, .lwzux, .lbzux, .lhzux, .lhaux, .lwaux:
            if ra == 0 || ra == rt { return illegal }
        case .stdux, .stwux, .stbux, .sthux:
            if ra == 0 { return illegal }
        case .lfsx, .lfdx, .stfsx, .stfdx, .stfiwx, .lfiwax, .lfiwzx:
            op.a = s(raz); op.d = fr(rt)
        case .lfsux, .lfdux, .stfsux, .stfdux:
            if ra == 0 { return illegal }
            op.d = fr(rt)
        case .lswi, .stswi:
            op.a = s(raz); op.b = s(rb == 0 ? 32 : rb)
            if f.kind == .lswi {
                // Invalid form: RA in the range of registers loaded.
                let n = (rb == 0 ? 32 : rb), regs = (n + 3) / 4
                for k in 0 ..< regs where (rt + k) & 31 == ra && ra != 0 { return illegal }
            }
        case .sc:
            if (w >> 5) & 0x7F != 0 { op.kind = .privileged; op.imm = UInt64(w) }
        case .privileged: op.imm = UInt64(w)
        case .tw, .td: break
        // Floating point.
        case .fdiv, .fsub, .fadd, .fsqrt, .fsel, .fre, .fmul, .frsqrte, .fmsub, .fmadd, .fnmsub, .fnmadd,
             .fdivs, .fsubs, .fadds, .fsqrts, .fres, .fmuls, .frsqrtes, .fmsubs, .fmadds, .fnmsubs, .fnmadds,
             .fcfids, .fcfidus, .frsp, .fctiw, .fctiwz, .fctiwu, .fctiwuz, .fctid, .fctidz, .fctidu, .fctiduz,
             .fcfid, .fcfidu, .fneg, .fmr, .fnabs, .fabs, .fcpsgn, .frin, .friz, .frip, .frim, .mffs,
             .fmrgew, .fmrgow:
            op.d = fr(rt); op.a = fr(ra); op.b = fr(rb); op.c = fr(rc5)
        case .fcmpu, .fcmpo, .ftdiv, .ftsqrt:
            op.d = s(28 - 4 * (rt >> 2)); op.a = fr(ra); op.b = fr(rb)
        case .mffsx:
            op.d = fr(rt); op.b = fr(rb); op.y = s(ra); op.imm = UInt64((w >> 11) & 7)
        case .mcrfs: op.d = s(28 - 4 * (rt >> 2)); op.a = s(28 - 4 * (ra >> 2))
        case .mtfsb0, .mtfsb1: op.d = s(31 - rt)
        case .mtfsfi:
            let w1 = (w >> 16) & 1
            op.d = s(Int(rt >> 2) + 8 * Int(1 - w1)); op.imm = UInt64((w >> 12) & 0xF)
        case .mtfsf:
            op.b = fr(rb); op.y = UInt8((w >> 25) & 1)
            let flm = (w >> 17) & 0xFF, w1 = (w >> 16) & 1
            var m: UInt64 = 0
            for i in 0 ..< 8 where flm & (0x80 >> UInt32(i)) != 0 {
                m |= 0xF << UInt64(28 - 4 * i + (w1 == 1 ? 32 : 0))
            }
            op.imm = op.y != 0 ? .max : m
        // VMX: vector registers.
        case .lvsl, .lvsr, .lvebx, .lvehx, .lvewx, .lvx, .stvebx, .stvehx, .stvewx, .stvx:
            op.d = vr(rt); op.a = s(raz)
        case .mfvscr: op.d = vr(rt)
        case .mtvscr: op.b = vr(rb)
        case .vspltb, .vsplth, .vspltw:
            op.d = vr(rt); op.b = vr(rb); op.y = s(ra)
        case .vspltisb, .vspltish, .vspltisw:
            op.d = vr(rt); op.imm = UInt64(bitPattern: Int64(ra << 59) >> 59)
        case .vsldoi:
            op.d = vr(rt); op.a = vr(ra); op.b = vr(rb); op.y = s(rc5 & 15)
        case .vcmpequb, .vcmpequh, .vcmpequw, .vcmpequd, .vcmpgtub, .vcmpgtuh, .vcmpgtuw, .vcmpgtud,
             .vcmpgtsb, .vcmpgtsh, .vcmpgtsw, .vcmpgtsd:
            op.d = vr(rt); op.a = vr(ra); op.b = vr(rb); op.x = UInt8((w >> 10) & 1)
        // VSX.
        case .lxsiwzx, .lxsiwax, .stxsiwx, .lxsspx, .stxsspx, .lxsdx, .stxsdx, .lxvd2x, .stxvd2x,
             .lxvw4x, .stxvw4x, .lxvdsx:
            op.d = s(PPC64Reg.vsrLow(rt | Int(w & 1) << 5)); op.a = s(raz)
        case .mfvsrd, .mfvsrwz:
            op.d = s(ra); op.a = s(PPC64Reg.vsrLow(rt | Int(w & 1) << 5))
        case .mtvsrd, .mtvsrwa, .mtvsrwz:
            op.d = s(PPC64Reg.vsrLow(rt | Int(w & 1) << 5)); op.a = s(ra)
        case .xxspltw:
            op.d = s(PPC64Reg.vsrLow(rt | Int(w & 1) << 5)); op.b = s(PPC64Reg.vsrLow(rb | Int((w >> 1) & 1) << 5))
            op.y = UInt8((w >> 16) & 3)
        case .xscmpudp, .xscmpodp:
            op.d = s(28 - 4 * (rt >> 2))
            op.a = s(PPC64Reg.vsrLow(ra | Int((w >> 2) & 1) << 5) + 1)
            op.b = s(PPC64Reg.vsrLow(rb | Int((w >> 1) & 1) << 5) + 1)
        default:
            if f.match >> 26 == 60 {
                // XX2/XX3/XX4 register fields; `y` keeps DM/SHW.
                op.d = s(PPC64Reg.vsrLow(rt | Int(w & 1) << 5))
                op.a = s(PPC64Reg.vsrLow(ra | Int((w >> 2) & 1) << 5))
                op.b = s(PPC64Reg.vsrLow(rb | Int((w >> 1) & 1) << 5))
                op.c = s(PPC64Reg.vsrLow(rc5 | Int((w >> 3) & 1) << 5))
                op.y = UInt8((w >> 8) & 3)
                op.x = 0
            } else if f.match >> 26 == 4 {
                op.d = vr(rt); op.a = vr(ra); op.b = vr(rb); op.c = vr(rc5)
            }
        }
        return op
    }

    @inline(__always) static func inPage(_ offset: Int, _ disp: UInt64) -> UInt8 {
        let t = Int64(offset) &+ Int64(bitPattern: disp)
        return t >= 0 && t < Int64(guestPageSize) ? 2 : 0
    }
}
