// MIPS64Decoder: turns one 32-bit MIPS64 Release 2 instruction word into a MIPS64Op (or the
// `reserved` kind), following the opcode tables of the MIPS64 Architecture Volume II.
// Operands are normalised for the interpreter: a GPR destination is always in `rd` (with $zero
// redirected to the sink slot), branch offsets are in bytes, immediates are pre-extended.
// Paired-single (fmt PS), MDMX, MIPS16/microMIPS, DSP and COP2/COP3 encodings are reserved here.

public enum MIPS64Decoder {
    @inline(__always) static func dest(_ r: UInt32) -> UInt8 { r == 0 ? UInt8(MIPS64Reg.sink) : UInt8(r) }

    public static func decode(_ w: UInt32) -> MIPS64Op {
        let op = w >> 26
        let rs = (w >> 21) & 31, rt = (w >> 16) & 31, rd = (w >> 11) & 31, sa = (w >> 6) & 31, fn = w & 63
        let simm = Int32(Int16(truncatingIfNeeded: w & 0xffff))
        let uimm = Int32(w & 0xffff)
        let boff = simm << 2
        func R(_ k: MIPS64Kind) -> MIPS64Op {
            MIPS64Op(kind: k, rd: dest(rd), rs: UInt8(rs), rt: UInt8(rt), sa: UInt8(sa), word: w)
        }
        func I(_ k: MIPS64Kind, _ imm: Int32) -> MIPS64Op {
            MIPS64Op(kind: k, rd: dest(rt), rs: UInt8(rs), rt: UInt8(rt), imm: imm, word: w)
        }
        func B(_ k: MIPS64Kind) -> MIPS64Op {
            MIPS64Op(kind: k, rd: UInt8(MIPS64Reg.sink), rs: UInt8(rs), rt: UInt8(rt), imm: boff, word: w)
        }
        func M(_ k: MIPS64Kind) -> MIPS64Op {   // load/store: rd = destination, rt = source, rs = base
            MIPS64Op(kind: k, rd: dest(rt), rs: UInt8(rs), rt: UInt8(rt), imm: simm, word: w)
        }
        let bad = MIPS64Op(kind: .reserved, word: w)
        switch op {
        case 0: return decodeSpecial(w, rs: rs, rt: rt, rd: rd, sa: sa, fn: fn, R: R)
        case 1:
            switch rt {
            case 0: return B(.bltz)
            case 1: return B(.bgez)
            case 2: return B(.bltzl)
            case 3: return B(.bgezl)
            case 8: return I(.tgei, simm)
            case 9: return I(.tgeiu, simm)
            case 10: return I(.tlti, simm)
            case 11: return I(.tltiu, simm)
            case 12: return I(.teqi, simm)
            case 14: return I(.tnei, simm)
            case 16: return MIPS64Op(kind: .bltzal, rd: 31, rs: UInt8(rs), imm: boff, word: w)
            case 17: return MIPS64Op(kind: .bgezal, rd: 31, rs: UInt8(rs), imm: boff, word: w)
            case 18: return MIPS64Op(kind: .bltzall, rd: 31, rs: UInt8(rs), imm: boff, word: w)
            case 19: return MIPS64Op(kind: .bgezall, rd: 31, rs: UInt8(rs), imm: boff, word: w)
            case 31: return MIPS64Op(kind: .synci, rs: UInt8(rs), imm: simm, word: w)
            default: return bad
            }
        case 2: return MIPS64Op(kind: .j, imm: Int32(bitPattern: (w & 0x03ff_ffff) << 2), word: w)
        case 3: return MIPS64Op(kind: .jal, rd: 31, imm: Int32(bitPattern: (w & 0x03ff_ffff) << 2), word: w)
        case 4: return B(.beq)
        case 5: return B(.bne)
        case 6: return rt == 0 ? B(.blez) : bad
        case 7: return rt == 0 ? B(.bgtz) : bad
        case 8: return I(.addi, simm)
        case 9: return I(.addiu, simm)
        case 10: return I(.slti, simm)
        case 11: return I(.sltiu, simm)
        case 12: return I(.andi, uimm)
        case 13: return I(.ori, uimm)
        case 14: return I(.xori, uimm)
        case 15: return rs == 0 ? I(.lui, simm << 16) : bad
        case 16: return decodeCOP0(w, rs: rs, rt: rt, rd: rd, fn: fn)
        case 17: return decodeCOP1(w, fmt: rs, ft: rt, fs: rd, fd: sa, fn: fn)
        case 19: return decodeCOP1X(w, base: rs, index: rt, fs: rd, fd: sa, fn: fn)
        case 20: return B(.beql)
        case 21: return B(.bnel)
        case 22: return rt == 0 ? B(.blezl) : bad
        case 23: return rt == 0 ? B(.bgtzl) : bad
        case 24: return I(.daddi, simm)
        case 25: return I(.daddiu, simm)
        case 26: return M(.ldl)
        case 27: return M(.ldr)
        case 28:
            // madd/maddu/msub/msubu have rd = 0 and sa = 0; mul and clz/clo/dclz/dclo have sa = 0.
            if sa != 0 && fn != 63 || rd != 0 && (fn == 0 || fn == 1 || fn == 4 || fn == 5) { return bad }
            switch fn {
            case 0: return R(.madd)
            case 1: return R(.maddu)
            case 2: return R(.mul)
            case 4: return R(.msub)
            case 5: return R(.msubu)
            case 32: return R(.clz)
            case 33: return R(.clo)
            case 36: return R(.dclz)
            case 37: return R(.dclo)
            case 63: return MIPS64Op(kind: .sdbbp, imm: Int32((w >> 6) & 0xfffff), word: w)
            default: return bad
            }
        case 31: return decodeSpecial3(w, rs: rs, rt: rt, rd: rd, sa: sa, fn: fn)
        case 32: return M(.lb)
        case 33: return M(.lh)
        case 34: return M(.lwl)
        case 35: return M(.lw)
        case 36: return M(.lbu)
        case 37: return M(.lhu)
        case 38: return M(.lwr)
        case 39: return M(.lwu)
        case 40: return M(.sb)
        case 41: return M(.sh)
        case 42: return M(.swl)
        case 43: return M(.sw)
        case 44: return M(.sdl)
        case 45: return M(.sdr)
        case 46: return M(.swr)
        case 47: return MIPS64Op(kind: .cache, rs: UInt8(rs), rt: UInt8(rt), imm: simm, word: w)
        case 48: return M(.ll)
        case 49: return MIPS64Op(kind: .lwc1, rd: UInt8(rt), rs: UInt8(rs), rt: UInt8(rt), imm: simm, word: w)
        case 51: return MIPS64Op(kind: .pref, rs: UInt8(rs), rt: UInt8(rt), imm: simm, word: w)
        case 52: return M(.lld)
        case 53: return MIPS64Op(kind: .ldc1, rd: UInt8(rt), rs: UInt8(rs), rt: UInt8(rt), imm: simm, word: w)
        case 55: return M(.ld)
        case 56: return M(.sc)
        case 57: return MIPS64Op(kind: .swc1, rs: UInt8(rs), rt: UInt8(rt), imm: simm, word: w)
        case 60: return M(.scd)
        case 61: return MIPS64Op(kind: .sdc1, rs: UInt8(rs), rt: UInt8(rt), imm: simm, word: w)
        case 63: return M(.sd)
        case 18, 50, 54, 58, 62:
            // COP2 and its loads/stores: valid encodings for a coprocessor this CPU lacks, so they
            // raise Coprocessor Unusable with CE=2 (MIPS64 PRA 6.2.19), not Reserved Instruction.
            return MIPS64Op(kind: .cop2, word: w)
        default: return bad     // COP3, JALX, MDMX, reserved
        }
    }

    private static func decodeSpecial(_ w: UInt32, rs: UInt32, rt: UInt32, rd: UInt32, sa: UInt32, fn: UInt32,
                                      R: (MIPS64Kind) -> MIPS64Op) -> MIPS64Op {
        let bad = MIPS64Op(kind: .reserved, word: w)
        switch fn {
        case 0:
            if w == 0 { return MIPS64Op(kind: .nop, word: w) }
            return rs == 0 ? R(.sll) : bad
        case 1:
            if (w >> 17) & 1 != 0 || sa != 0 { return bad }
            var o = R((w >> 16) & 1 == 1 ? .movt : .movf)
            o.aux = UInt8((w >> 18) & 7)
            return o
        case 2:
            if rs == 0 { return R(.srl) }
            return rs == 1 ? R(.rotr) : bad
        case 3: return rs == 0 ? R(.sra) : bad
        case 4: return sa == 0 ? R(.sllv) : bad
        case 6:
            if sa == 0 { return R(.srlv) }
            return sa == 1 ? R(.rotrv) : bad
        case 7: return sa == 0 ? R(.srav) : bad
        case 8:
            if rt != 0 || rd != 0 || (sa & 0xf) != 0 { return bad }
            return MIPS64Op(kind: .jr, rs: UInt8(rs), sa: UInt8(sa), word: w)
        case 9:
            if rt != 0 || (sa & 0xf) != 0 { return bad }
            return MIPS64Op(kind: .jalr, rd: dest(rd), rs: UInt8(rs), sa: UInt8(sa), word: w)
        case 10: return sa == 0 ? R(.movz) : bad
        case 11: return sa == 0 ? R(.movn) : bad
        case 12: return MIPS64Op(kind: .syscall, imm: Int32((w >> 6) & 0xfffff), word: w)
        case 13: return MIPS64Op(kind: .breakInst, imm: Int32((w >> 6) & 0xfffff), word: w)
        case 15: return (rs | rt | rd) == 0 ? MIPS64Op(kind: .sync, sa: UInt8(sa), word: w) : bad
        case 16: return (rs | rt | sa) == 0 ? R(.mfhi) : bad
        case 17: return (rt | rd | sa) == 0 ? R(.mthi) : bad
        case 18: return (rs | rt | sa) == 0 ? R(.mflo) : bad
        case 19: return (rt | rd | sa) == 0 ? R(.mtlo) : bad
        case 20: return sa == 0 ? R(.dsllv) : bad
        case 22:
            if sa == 0 { return R(.dsrlv) }
            return sa == 1 ? R(.drotrv) : bad
        case 23: return sa == 0 ? R(.dsrav) : bad
        case 24, 25, 26, 27, 28, 29, 30, 31:
            if rd != 0 || sa != 0 { return bad }
            let k: [MIPS64Kind] = [.mult, .multu, .div, .divu, .dmult, .dmultu, .ddiv, .ddivu]
            return R(k[Int(fn - 24)])
        case 32, 33, 34, 35, 36, 37, 38, 39, 42, 43, 44, 45, 46, 47:
            if sa != 0 { return bad }
            switch fn {
            case 32: return R(.add)
            case 33: return R(.addu)
            case 34: return R(.sub)
            case 35: return R(.subu)
            case 36: return R(.and)
            case 37: return R(.or)
            case 38: return R(.xor)
            case 39: return R(.nor)
            case 42: return R(.slt)
            case 43: return R(.sltu)
            case 44: return R(.dadd)
            case 45: return R(.daddu)
            case 46: return R(.dsub)
            default: return R(.dsubu)
            }
        case 48, 49, 50, 51, 52, 54:
            let k: [UInt32: MIPS64Kind] = [48: .tge, 49: .tgeu, 50: .tlt, 51: .tltu, 52: .teq, 54: .tne]
            var o = MIPS64Op(kind: k[fn]!, rs: UInt8(rs), rt: UInt8(rt), word: w)
            o.imm = Int32((w >> 6) & 0x3ff)
            return o
        case 56: return rs == 0 ? R(.dsll) : bad
        case 58:
            if rs == 0 { return R(.dsrl) }
            return rs == 1 ? R(.drotr) : bad
        case 59: return rs == 0 ? R(.dsra) : bad
        case 60: return rs == 0 ? R(.dsll32) : bad
        case 62:
            if rs == 0 { return R(.dsrl32) }
            return rs == 1 ? R(.drotr32) : bad
        case 63: return rs == 0 ? R(.dsra32) : bad
        default: return bad
        }
    }

    private static func decodeSpecial3(_ w: UInt32, rs: UInt32, rt: UInt32, rd: UInt32, sa: UInt32, fn: UInt32) -> MIPS64Op {
        let bad = MIPS64Op(kind: .reserved, word: w)
        // ext/ins family: rt = destination, rs = source, sa = lsb/pos, rd = msbd/msb.
        func F(_ k: MIPS64Kind) -> MIPS64Op {
            MIPS64Op(kind: k, rd: dest(rt), rs: UInt8(rs), rt: UInt8(rt), sa: UInt8(sa), aux: UInt8(rd), word: w)
        }
        switch fn {
        case 0: return F(.ext)
        case 1: return F(.dextm)
        case 2: return F(.dextu)
        case 3: return F(.dext)
        case 4: return rd >= sa ? F(.ins) : bad
        case 5: return F(.dinsm)
        case 6: return rd >= sa ? F(.dinsu) : bad
        case 7: return rd >= sa ? F(.dins) : bad
        case 32:
            if rs != 0 { return bad }
            let o = MIPS64Op(kind: .nop, rd: dest(rd), rt: UInt8(rt), word: w)
            switch sa {
            case 2: return MIPS64Op(kind: .wsbh, rd: o.rd, rt: o.rt, word: w)
            case 16: return MIPS64Op(kind: .seb, rd: o.rd, rt: o.rt, word: w)
            case 24: return MIPS64Op(kind: .seh, rd: o.rd, rt: o.rt, word: w)
            default: return bad
            }
        case 36:
            if rs != 0 { return bad }
            switch sa {
            case 2: return MIPS64Op(kind: .dsbh, rd: dest(rd), rt: UInt8(rt), word: w)
            case 5: return MIPS64Op(kind: .dshd, rd: dest(rd), rt: UInt8(rt), word: w)
            default: return bad
            }
        case 59:
            if rs != 0 || sa != 0 { return bad }
            return MIPS64Op(kind: .rdhwr, rd: dest(rt), sa: UInt8(rd), word: w)
        default: return bad
        }
    }

    private static func decodeCOP0(_ w: UInt32, rs: UInt32, rt: UInt32, rd: UInt32, fn: UInt32) -> MIPS64Op {
        let bad = MIPS64Op(kind: .reserved, word: w)
        let sel = UInt8(w & 7)
        switch rs {
        case 0: return (w >> 3) & 0xff == 0 ? MIPS64Op(kind: .mfc0, rd: dest(rt), rs: UInt8(rd), rt: UInt8(rt), sa: sel, word: w) : bad
        case 1: return (w >> 3) & 0xff == 0 ? MIPS64Op(kind: .dmfc0, rd: dest(rt), rs: UInt8(rd), rt: UInt8(rt), sa: sel, word: w) : bad
        case 4: return (w >> 3) & 0xff == 0 ? MIPS64Op(kind: .mtc0, rs: UInt8(rd), rt: UInt8(rt), sa: sel, word: w) : bad
        case 5: return (w >> 3) & 0xff == 0 ? MIPS64Op(kind: .dmtc0, rs: UInt8(rd), rt: UInt8(rt), sa: sel, word: w) : bad
        case 10: return w & 0x7ff == 0 ? MIPS64Op(kind: .rdpgpr, rd: dest(rd), rt: UInt8(rt), word: w) : bad
        case 11:
            if rd != 12 || (w & 0x7ff) != 0 && (w & 0x7ff) != 0x20 { return bad }
            return MIPS64Op(kind: (w >> 5) & 1 == 1 ? .ei : .di, rd: dest(rt), word: w)
        case 14: return w & 0x7ff == 0 ? MIPS64Op(kind: .wrpgpr, rd: UInt8(rd), rt: UInt8(rt), word: w) : bad
        case 16 ... 31:
            // CO instructions have bits 24..6 zero, except WAIT, where they are an implementation code.
            if (w >> 6) & 0x7ffff != 0 && fn != 32 { return bad }
            switch fn {
            case 1: return MIPS64Op(kind: .tlbr, word: w)
            case 2: return MIPS64Op(kind: .tlbwi, word: w)
            case 6: return MIPS64Op(kind: .tlbwr, word: w)
            case 8: return MIPS64Op(kind: .tlbp, word: w)
            case 24: return MIPS64Op(kind: .eret, word: w)
            case 31: return MIPS64Op(kind: .deret, word: w)
            case 32: return MIPS64Op(kind: .wait, word: w)
            default: return bad
            }
        default: return bad
        }
    }

    private static func decodeCOP1(_ w: UInt32, fmt: UInt32, ft: UInt32, fs: UInt32, fd: UInt32, fn: UInt32) -> MIPS64Op {
        let bad = MIPS64Op(kind: .reserved, word: w)
        // Register moves: rd = GPR destination (for mf*), rt = GPR, rs = fs.
        func mv(_ k: MIPS64Kind, toGPR: Bool) -> MIPS64Op {
            if w & 0x7ff != 0 { return bad }
            return MIPS64Op(kind: k, rd: toGPR ? dest(ft) : UInt8(fs), rs: UInt8(fs), rt: UInt8(ft), word: w)
        }
        func F(_ k: MIPS64Kind) -> MIPS64Op {
            MIPS64Op(kind: k, rd: UInt8(fd), rs: UInt8(fs), rt: UInt8(ft), word: w)
        }
        switch fmt {
        case 0: return mv(.mfc1, toGPR: true)
        case 1: return mv(.dmfc1, toGPR: true)
        case 2: return mv(.cfc1, toGPR: true)
        case 3: return mv(.mfhc1, toGPR: true)
        case 4: return mv(.mtc1, toGPR: false)
        case 5: return mv(.dmtc1, toGPR: false)
        case 6: return mv(.ctc1, toGPR: false)
        case 7: return mv(.mthc1, toGPR: false)
        case 8:
            let k: [MIPS64Kind] = [.bc1f, .bc1t, .bc1fl, .bc1tl]
            let off = Int32(Int16(truncatingIfNeeded: w & 0xffff)) << 2
            return MIPS64Op(kind: k[Int((w >> 16) & 3)], rd: UInt8(MIPS64Reg.sink), aux: UInt8((w >> 18) & 7), imm: off, word: w)
        case 16, 17:
            let d = fmt == 17
            switch fn {
            case 0: return F(d ? .addD : .addS)
            case 1: return F(d ? .subD : .subS)
            case 2: return F(d ? .mulD : .mulS)
            case 3: return F(d ? .divD : .divS)
            case 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 21, 22:
                if ft != 0 { return bad }
                let s: [UInt32: MIPS64Kind] = [4: .sqrtS, 5: .absS, 6: .movS, 7: .negS, 8: .roundLS, 9: .truncLS,
                                               10: .ceilLS, 11: .floorLS, 12: .roundWS, 13: .truncWS, 14: .ceilWS,
                                               15: .floorWS, 21: .recipS, 22: .rsqrtS]
                let dd: [UInt32: MIPS64Kind] = [4: .sqrtD, 5: .absD, 6: .movD, 7: .negD, 8: .roundLD, 9: .truncLD,
                                                10: .ceilLD, 11: .floorLD, 12: .roundWD, 13: .truncWD, 14: .ceilWD,
                                                15: .floorWD, 21: .recipD, 22: .rsqrtD]
                return F(d ? dd[fn]! : s[fn]!)
            case 17:
                if (ft >> 1) & 1 != 0 { return bad }
                var o = F(ft & 1 == 1 ? (d ? .movtD : .movtS) : (d ? .movfD : .movfS))
                o.aux = UInt8(ft >> 2)
                return o
            case 18: return F(d ? .movzD : .movzS)
            case 19: return F(d ? .movnD : .movnS)
            case 32: return d && ft == 0 ? F(.cvtSD) : bad
            case 33: return !d && ft == 0 ? F(.cvtDS) : bad
            case 36: return ft == 0 ? F(d ? .cvtWD : .cvtWS) : bad
            case 37: return ft == 0 ? F(d ? .cvtLD : .cvtLS) : bad
            case 48 ... 63:
                if fd & 3 != 0 { return bad }
                var o = F(d ? .cD : .cS)
                o.sa = UInt8(fn & 15)
                o.aux = UInt8(fd >> 2)
                return o
            default: return bad
            }
        case 20, 21:
            if ft != 0 { return bad }
            switch fn {
            case 32: return F(fmt == 20 ? .cvtSW : .cvtSL)
            case 33: return F(fmt == 20 ? .cvtDW : .cvtDL)
            default: return bad
            }
        default: return bad
        }
    }

    private static func decodeCOP1X(_ w: UInt32, base: UInt32, index: UInt32, fs: UInt32, fd: UInt32, fn: UInt32) -> MIPS64Op {
        let bad = MIPS64Op(kind: .reserved, word: w)
        switch fn {
        case 0, 1, 5:
            if fs != 0 { return bad }
            let k: MIPS64Kind = fn == 0 ? .lwxc1 : (fn == 1 ? .ldxc1 : .luxc1)
            return MIPS64Op(kind: k, rd: UInt8(fd), rs: UInt8(base), rt: UInt8(index), word: w)
        case 8, 9, 13:
            if fd != 0 { return bad }
            let k: MIPS64Kind = fn == 8 ? .swxc1 : (fn == 9 ? .sdxc1 : .suxc1)
            return MIPS64Op(kind: k, rd: UInt8(fs), rs: UInt8(base), rt: UInt8(index), word: w)
        case 15:
            if fd != 0 { return bad }
            return MIPS64Op(kind: .prefx, rs: UInt8(base), rt: UInt8(index), word: w)
        case 32, 33, 40, 41, 48, 49, 56, 57:
            let k: [UInt32: MIPS64Kind] = [32: .maddS, 33: .maddD, 40: .msubS, 41: .msubD,
                                           48: .nmaddS, 49: .nmaddD, 56: .nmsubS, 57: .nmsubD]
            // madd.fmt fd, fr, fs, ft: fr in bits 25..21
            return MIPS64Op(kind: k[fn]!, rd: UInt8(fd), rs: UInt8(fs), rt: UInt8(index), aux: UInt8(base), word: w)
        default: return bad
        }
    }
}
