// MIPS64Execute: semantics of every non-control MIPS64 instruction (integer, HI/LO, bit field,
// loads/stores incl. unaligned and LL/SC, traps, FPU). `exec` returns `.none` when the
// instruction completed, otherwise the exit that the interpreter loop reports.

extension MIPS64Interpreter {
    @_transparent
    static func exec(_ c: MIPS64Context, _ o: Op, count: UInt64) -> MIPS64Exit {
        let r = c.r
        @inline(__always) func rs() -> UInt64 { r[Int(o.rs)] }
        @inline(__always) func rt() -> UInt64 { r[Int(o.rt)] }
        @inline(__always) func set(_ v: UInt64) { r[Int(o.rd)] = v }
        @inline(__always) func ea() -> UInt64 { r[Int(o.rs)] &+ UInt64(bitPattern: Int64(o.imm)) }

        if M.isSystem { c.ctl[MIPS64Ctl.liveCount] = count }
        if M.isSystem, _slowPath(c.ctl[MIPS64Ctl.fpuUnusable] != 0),
           o.kind.tag &- MIPS64Kind.lwc1.tag <= MIPS64Kind.nmsubD.tag &- MIPS64Kind.lwc1.tag
            || o.kind == .movf || o.kind == .movt {
            return .coprocessorUnusable     // Status.CU1 = 0 (full-system mode)
        }

        switch o.kind {
        // MARK: shifts and rotates
        case .nop: break
        case .sll: set(sx32(UInt32(truncatingIfNeeded: rt()) << UInt32(o.sa)))
        case .srl: set(sx32(UInt32(truncatingIfNeeded: rt()) >> UInt32(o.sa)))
        case .sra: set(sx32(Int32(truncatingIfNeeded: rt()) >> Int32(o.sa)))
        case .rotr:
            let v = UInt32(truncatingIfNeeded: rt()), s = UInt32(o.sa)
            set(sx32(v >> s | v << ((32 &- s) & 31)))
        case .sllv: set(sx32(UInt32(truncatingIfNeeded: rt()) << UInt32(rs() & 31)))
        case .srlv: set(sx32(UInt32(truncatingIfNeeded: rt()) >> UInt32(rs() & 31)))
        case .srav: set(sx32(Int32(truncatingIfNeeded: rt()) >> Int32(rs() & 31)))
        case .rotrv:
            let v = UInt32(truncatingIfNeeded: rt()), s = UInt32(rs() & 31)
            set(sx32(v >> s | v << ((32 &- s) & 31)))
        case .dsll: set(rt() << UInt64(o.sa))
        case .dsrl: set(rt() >> UInt64(o.sa))
        case .dsra: set(UInt64(bitPattern: Int64(bitPattern: rt()) >> Int64(o.sa)))
        case .drotr:
            let v = rt(), s = UInt64(o.sa)
            set(v >> s | v << ((64 &- s) & 63))
        case .dsll32: set(rt() << (UInt64(o.sa) + 32))
        case .dsrl32: set(rt() >> (UInt64(o.sa) + 32))
        case .dsra32: set(UInt64(bitPattern: Int64(bitPattern: rt()) >> (Int64(o.sa) + 32)))
        case .drotr32:
            let v = rt(), s = UInt64(o.sa) + 32
            set(v >> s | v << (64 - s))
        case .dsllv: set(rt() << (rs() & 63))
        case .dsrlv: set(rt() >> (rs() & 63))
        case .dsrav: set(UInt64(bitPattern: Int64(bitPattern: rt()) >> Int64(rs() & 63)))
        case .drotrv:
            let v = rt(), s = rs() & 63
            set(v >> s | v << ((64 &- s) & 63))

        // MARK: arithmetic and logic
        case .add:
            let (s, ov) = Int32(truncatingIfNeeded: rs()).addingReportingOverflow(Int32(truncatingIfNeeded: rt()))
            if ov { return .overflow }
            set(sx32(s))
        case .addu: set(sx32(rs() &+ rt()))
        case .sub:
            let (s, ov) = Int32(truncatingIfNeeded: rs()).subtractingReportingOverflow(Int32(truncatingIfNeeded: rt()))
            if ov { return .overflow }
            set(sx32(s))
        case .subu: set(sx32(rs() &- rt()))
        case .dadd:
            let (s, ov) = Int64(bitPattern: rs()).addingReportingOverflow(Int64(bitPattern: rt()))
            if ov { return .overflow }
            set(UInt64(bitPattern: s))
        case .daddu: set(rs() &+ rt())
        case .dsub:
            let (s, ov) = Int64(bitPattern: rs()).subtractingReportingOverflow(Int64(bitPattern: rt()))
            if ov { return .overflow }
            set(UInt64(bitPattern: s))
        case .dsubu: set(rs() &- rt())
        case .and: set(rs() & rt())
        case .or: set(rs() | rt())
        case .xor: set(rs() ^ rt())
        case .nor: set(~(rs() | rt()))
        case .slt: set(Int64(bitPattern: rs()) < Int64(bitPattern: rt()) ? 1 : 0)
        case .sltu: set(rs() < rt() ? 1 : 0)
        case .addi:
            let (s, ov) = Int32(truncatingIfNeeded: rs()).addingReportingOverflow(o.imm)
            if ov { return .overflow }
            set(sx32(s))
        case .addiu: set(sx32(rs() &+ UInt64(bitPattern: Int64(o.imm))))
        case .daddi:
            let (s, ov) = Int64(bitPattern: rs()).addingReportingOverflow(Int64(o.imm))
            if ov { return .overflow }
            set(UInt64(bitPattern: s))
        case .daddiu: set(rs() &+ UInt64(bitPattern: Int64(o.imm)))
        case .slti: set(Int64(bitPattern: rs()) < Int64(o.imm) ? 1 : 0)
        case .sltiu: set(rs() < UInt64(bitPattern: Int64(o.imm)) ? 1 : 0)
        case .andi: set(rs() & UInt64(UInt32(bitPattern: o.imm)))
        case .ori: set(rs() | UInt64(UInt32(bitPattern: o.imm)))
        case .xori: set(rs() ^ UInt64(UInt32(bitPattern: o.imm)))
        case .lui: set(UInt64(bitPattern: Int64(o.imm)))
        case .movz: if rt() == 0 { set(rs()) }
        case .movn: if rt() != 0 { set(rs()) }
        case .movf: if c.ctl[MIPS64Ctl.fcsr] & MIPS64FPU.ccBit(o.aux) == 0 { set(rs()) }
        case .movt: if c.ctl[MIPS64Ctl.fcsr] & MIPS64FPU.ccBit(o.aux) != 0 { set(rs()) }

        // MARK: HI/LO
        case .mfhi: set(r[MIPS64Reg.hi])
        case .mflo: set(r[MIPS64Reg.lo])
        case .mthi: r[MIPS64Reg.hi] = rs()
        case .mtlo: r[MIPS64Reg.lo] = rs()
        case .mult:
            let p = Int64(Int32(truncatingIfNeeded: rs())) * Int64(Int32(truncatingIfNeeded: rt()))
            r[MIPS64Reg.lo] = sx32(UInt64(bitPattern: p))
            r[MIPS64Reg.hi] = sx32(UInt64(bitPattern: p) >> 32)
        case .multu:
            let p = UInt64(UInt32(truncatingIfNeeded: rs())) * UInt64(UInt32(truncatingIfNeeded: rt()))
            r[MIPS64Reg.lo] = sx32(p)
            r[MIPS64Reg.hi] = sx32(p >> 32)
        case .mul:
            set(sx32(UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: rs())) &* Int64(Int32(truncatingIfNeeded: rt())))))
        case .madd, .msub:
            let acc = Int64(bitPattern: (r[MIPS64Reg.hi] << 32) | (r[MIPS64Reg.lo] & 0xffff_ffff))
            let p = Int64(Int32(truncatingIfNeeded: rs())) &* Int64(Int32(truncatingIfNeeded: rt()))
            let v = UInt64(bitPattern: o.kind == .madd ? acc &+ p : acc &- p)
            r[MIPS64Reg.lo] = sx32(v)
            r[MIPS64Reg.hi] = sx32(v >> 32)
        case .maddu, .msubu:
            let acc = (r[MIPS64Reg.hi] << 32) | (r[MIPS64Reg.lo] & 0xffff_ffff)
            let p = UInt64(UInt32(truncatingIfNeeded: rs())) &* UInt64(UInt32(truncatingIfNeeded: rt()))
            let v = o.kind == .maddu ? acc &+ p : acc &- p
            r[MIPS64Reg.lo] = sx32(v)
            r[MIPS64Reg.hi] = sx32(v >> 32)
        case .div:
            let a = Int32(truncatingIfNeeded: rs()), b = Int32(truncatingIfNeeded: rt())
            if b != 0 {
                if a == .min && b == -1 {
                    r[MIPS64Reg.lo] = sx32(a); r[MIPS64Reg.hi] = 0
                } else {
                    r[MIPS64Reg.lo] = sx32(a / b); r[MIPS64Reg.hi] = sx32(a % b)
                }
            }
        case .divu:
            let a = UInt32(truncatingIfNeeded: rs()), b = UInt32(truncatingIfNeeded: rt())
            if b != 0 { r[MIPS64Reg.lo] = sx32(a / b); r[MIPS64Reg.hi] = sx32(a % b) }
        case .dmult:
            let (h, l) = Int64(bitPattern: rs()).multipliedFullWidth(by: Int64(bitPattern: rt()))
            r[MIPS64Reg.lo] = l; r[MIPS64Reg.hi] = UInt64(bitPattern: h)
        case .dmultu:
            let (h, l) = rs().multipliedFullWidth(by: rt())
            r[MIPS64Reg.lo] = l; r[MIPS64Reg.hi] = h
        case .ddiv:
            let a = Int64(bitPattern: rs()), b = Int64(bitPattern: rt())
            if b != 0 {
                if a == .min && b == -1 {
                    r[MIPS64Reg.lo] = UInt64(bitPattern: a); r[MIPS64Reg.hi] = 0
                } else {
                    r[MIPS64Reg.lo] = UInt64(bitPattern: a / b); r[MIPS64Reg.hi] = UInt64(bitPattern: a % b)
                }
            }
        case .ddivu:
            let a = rs(), b = rt()
            if b != 0 { r[MIPS64Reg.lo] = a / b; r[MIPS64Reg.hi] = a % b }

        // MARK: bit fields and byte shuffles
        case .clz: set(UInt64(UInt32(truncatingIfNeeded: rs()).leadingZeroBitCount))
        case .clo: set(UInt64((~UInt32(truncatingIfNeeded: rs())).leadingZeroBitCount))
        case .dclz: set(UInt64(rs().leadingZeroBitCount))
        case .dclo: set(UInt64((~rs()).leadingZeroBitCount))
        case .ext:
            set(sx32((rs() >> UInt64(o.sa)) & mask(UInt64(o.aux) + 1)))
        case .dext: set((rs() >> UInt64(o.sa)) & mask(UInt64(o.aux) + 1))
        case .dextm: set((rs() >> UInt64(o.sa)) & mask(UInt64(o.aux) + 33))
        case .dextu: set((rs() >> (UInt64(o.sa) + 32)) & mask(UInt64(o.aux) + 1))
        case .ins, .dins, .dinsm, .dinsu:
            var pos = UInt64(o.sa), msb = UInt64(o.aux)
            if o.kind == .dinsm { msb += 32 }
            if o.kind == .dinsu { pos += 32; msb += 32 }
            if msb < pos { return .reservedInstruction }
            let m = mask(msb - pos + 1) << pos
            let v = (rt() & ~m) | ((rs() << pos) & m)
            set(o.kind == .ins ? sx32(v) : v)
        case .wsbh:
            let v = UInt32(truncatingIfNeeded: rt())
            set(sx32(((v & 0x00ff_00ff) << 8) | ((v >> 8) & 0x00ff_00ff)))
        case .seb: set(UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: rt()))))
        case .seh: set(UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: rt()))))
        case .dsbh:
            let v = rt()
            set(((v & 0x00ff_00ff_00ff_00ff) << 8) | ((v >> 8) & 0x00ff_00ff_00ff_00ff))
        case .dshd:
            let v = rt()
            set((v << 48) | ((v & 0xffff_0000) << 16) | ((v >> 16) & 0xffff_0000) | (v >> 48))

        // MARK: system, traps, hints
        case .syscall:
            c.ctl[MIPS64Ctl.exceptionCode] = UInt64(UInt32(bitPattern: o.imm))
            return .syscall
        case .breakInst:
            c.ctl[MIPS64Ctl.exceptionCode] = UInt64(UInt32(bitPattern: o.imm))
            return .breakpoint
        case .sdbbp:
            return .reservedInstruction
        case .tge, .tgeu, .tlt, .tltu, .teq, .tne, .tgei, .tgeiu, .tlti, .tltiu, .teqi, .tnei:
            let a = rs()
            let immediate = o.kind.tag >= MIPS64Kind.tgei.tag
            let b = immediate ? UInt64(bitPattern: Int64(o.imm)) : rt()
            let sa = Int64(bitPattern: a), sb = Int64(bitPattern: b)
            let taken: Bool
            switch o.kind {
            case .tge, .tgei: taken = sa >= sb
            case .tgeu, .tgeiu: taken = a >= b
            case .tlt, .tlti: taken = sa < sb
            case .tltu, .tltiu: taken = a < b
            case .teq, .teqi: taken = a == b
            default: taken = a != b
            }
            if taken {
                c.ctl[MIPS64Ctl.exceptionCode] = immediate ? 0 : UInt64(UInt32(bitPattern: o.imm))
                return .trap
            }
        case .sync, .synci, .pref, .prefx: break
        case .rdhwr:
            if M.isSystem {
                // User mode may read only the registers enabled in HWREna (ctl holds the effective mask).
                guard o.sa < 64, (c.ctl[MIPS64Ctl.hwrEnable] >> UInt64(o.sa)) & 1 != 0 else { return .reservedInstruction }
                if o.sa == 2 { set(sx32((M.isTimed ? c.ctl[MIPS64Ctl.cycles] : count) &+ c.ctl[MIPS64Ctl.countBias])); break }
            }
            switch o.sa {
            case 0: set(c.ctl[MIPS64Ctl.cpuNumber])
            case 1: set(c.ctl[MIPS64Ctl.synciStep])
            case 2: set(count)
            case 3: set(1)
            case 29: set(c.ctl[MIPS64Ctl.userLocal])
            default: return .reservedInstruction
            }
        case .cache, .mfc0, .dmfc0, .mtc0, .dmtc0, .tlbr, .tlbwi, .tlbwr, .tlbp, .eret, .deret, .wait, .di, .ei,
             .rdpgpr, .wrpgpr, .cop2:
            return .coprocessorUnusable

        // MARK: loads
        case .lb:
            guard let p = load(c, ea(), 1) else { return .memoryFault }
            set(UInt64(bitPattern: Int64(Int8(bitPattern: E.load8(p)))))
        case .lbu:
            guard let p = load(c, ea(), 1) else { return .memoryFault }
            set(UInt64(E.load8(p)))
        case .lh:
            guard let p = load(c, ea(), 2) else { return .memoryFault }
            set(UInt64(bitPattern: Int64(Int16(bitPattern: E.load16(p)))))
        case .lhu:
            guard let p = load(c, ea(), 2) else { return .memoryFault }
            set(UInt64(E.load16(p)))
        case .lw:
            guard let p = load(c, ea(), 4) else { return .memoryFault }
            set(sx32(E.load32(p)))
        case .lwu:
            guard let p = load(c, ea(), 4) else { return .memoryFault }
            set(UInt64(E.load32(p)))
        case .ld:
            guard let p = load(c, ea(), 8) else { return .memoryFault }
            set(E.load64(p))
        case .ll:
            let va = ea()
            guard let p = load(c, va, 4, atomic: true) else { return .memoryFault }
            set(sx32(E.load32(p)))
            c.ctl[MIPS64Ctl.llAddress] = va
            c.ctl[MIPS64Ctl.llValid] = 1
            if M.isSystem && !c.mmu.linkedLoad(va) { c.ctl[MIPS64Ctl.llValid] = 0 }
        case .lld:
            let va = ea()
            guard let p = load(c, va, 8, atomic: true) else { return .memoryFault }
            set(E.load64(p))
            c.ctl[MIPS64Ctl.llAddress] = va
            c.ctl[MIPS64Ctl.llValid] = 1
            if M.isSystem && !c.mmu.linkedLoad(va) { c.ctl[MIPS64Ctl.llValid] = 0 }
        case .lwl, .lwr:
            let va = ea()
            guard let p = load(c, va & ~3, 4) else { return .memoryFault }
            let w = UInt32(E.load32(p))
            let b = UInt32(E.isBigEndian ? 3 - (va & 3) : va & 3)
            let old = UInt32(truncatingIfNeeded: rt())
            let v: UInt32
            if o.kind == .lwl {
                let sh = 8 * (3 - b)
                v = (w << sh) | (old & UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(sh)) &- 1))
            } else {
                let sh = 8 * b
                v = (w >> sh) | (old & ~UInt32(truncatingIfNeeded: UInt64(0xffff_ffff) >> UInt64(sh)))
            }
            set(sx32(v))
        case .ldl, .ldr:
            let va = ea()
            guard let p = load(c, va & ~7, 8) else { return .memoryFault }
            let w = E.load64(p)
            let b = E.isBigEndian ? 7 - (va & 7) : va & 7
            let old = rt()
            if o.kind == .ldl {
                let sh = 8 * (7 - b)
                set((w << sh) | (old & mask(sh)))
            } else {
                let sh = 8 * b
                set((w >> sh) | (old & ~(UInt64.max >> sh)))
            }

        // MARK: stores
        case .sb:
            let v = UInt8(truncatingIfNeeded: rt())
            return store(c, ea(), 1) { E.store8($0, v) }
        case .sh:
            let v = UInt16(truncatingIfNeeded: rt())
            return store(c, ea(), 2) { E.store16($0, v) }
        case .sw:
            let v = UInt32(truncatingIfNeeded: rt())
            return store(c, ea(), 4) { E.store32($0, v) }
        case .sd:
            let v = rt()
            return store(c, ea(), 8) { E.store64($0, v) }
        case .sc, .scd:
            if M.isSystem { return storeConditionalSystem(c, o) }
            let va = ea()
            let ok = c.ctl[MIPS64Ctl.llValid] != 0 && c.ctl[MIPS64Ctl.llAddress] == va
            c.ctl[MIPS64Ctl.llValid] = 0
            let v = rt()
            var st = MIPS64Exit.none
            if ok {
                st = o.kind == .sc ? store(c, va, 4) { E.store32($0, UInt32(truncatingIfNeeded: v)) }
                                   : store(c, va, 8) { E.store64($0, v) }
                if st == .memoryFault { return st }
            } else if va & (o.kind == .sc ? 3 : 7) != 0 {
                MIPS64Ctl.store(address: va, .misaligned, .write, c.ctl)
                return .memoryFault
            }
            set(ok ? 1 : 0)
            return st
        case .swl, .swr:
            let va = ea()
            guard let rp = load(c, va & ~3, 4) else {
                MIPS64Ctl.faultIsStore(c.ctl)
                return .memoryFault
            }
            let w = E.load32(rp)
            let b = UInt32(E.isBigEndian ? 3 - (va & 3) : va & 3)
            let v = UInt32(truncatingIfNeeded: rt())
            let nw: UInt32
            if o.kind == .swl {
                let sh = 8 * (3 - b)
                let keep = ~UInt32(truncatingIfNeeded: UInt64(0xffff_ffff) >> UInt64(sh))
                nw = (w & keep) | (v >> sh)
            } else {
                let sh = 8 * b
                nw = (w & UInt32(truncatingIfNeeded: (UInt64(1) << UInt64(sh)) &- 1)) | (v << sh)
            }
            return store(c, va & ~3, 4) { E.store32($0, nw) }
        case .sdl, .sdr:
            let va = ea()
            guard let rp = load(c, va & ~7, 8) else {
                MIPS64Ctl.faultIsStore(c.ctl)
                return .memoryFault
            }
            let w = E.load64(rp)
            let b = E.isBigEndian ? 7 - (va & 7) : va & 7
            let v = rt()
            let nw: UInt64
            if o.kind == .sdl {
                let sh = 8 * (7 - b)
                nw = (w & ~(UInt64.max >> sh)) | (v >> sh)
            } else {
                let sh = 8 * b
                nw = (w & mask(sh)) | (v << sh)
            }
            return store(c, va & ~7, 8) { E.store64($0, nw) }

        // MARK: FPU loads/stores and moves
        case .lwc1:
            guard let p = load(c, ea(), 4) else { return .memoryFault }
            let d = Int(o.rd)
            c.f[d] = (c.f[d] & 0xffff_ffff_0000_0000) | UInt64(E.load32(p))
        case .ldc1:
            guard let p = load(c, ea(), 8) else { return .memoryFault }
            c.f[Int(o.rd)] = E.load64(p)
        case .swc1:
            let v = UInt32(truncatingIfNeeded: c.f[Int(o.rt)])
            return store(c, ea(), 4) { E.store32($0, v) }
        case .sdc1:
            let v = c.f[Int(o.rt)]
            return store(c, ea(), 8) { E.store64($0, v) }
        case .lwxc1:
            guard let p = load(c, rs() &+ rt(), 4) else { return .memoryFault }
            let d = Int(o.rd)
            c.f[d] = (c.f[d] & 0xffff_ffff_0000_0000) | UInt64(E.load32(p))
        case .ldxc1:
            guard let p = load(c, rs() &+ rt(), 8) else { return .memoryFault }
            c.f[Int(o.rd)] = E.load64(p)
        case .luxc1:
            guard let p = load(c, (rs() &+ rt()) & ~7, 8) else { return .memoryFault }
            c.f[Int(o.rd)] = E.load64(p)
        case .swxc1:
            let v = UInt32(truncatingIfNeeded: c.f[Int(o.rd)])
            return store(c, rs() &+ rt(), 4) { E.store32($0, v) }
        case .sdxc1:
            let v = c.f[Int(o.rd)]
            return store(c, rs() &+ rt(), 8) { E.store64($0, v) }
        case .suxc1:
            let v = c.f[Int(o.rd)]
            return store(c, (rs() &+ rt()) & ~7, 8) { E.store64($0, v) }
        case .mfc1: set(sx32(c.f[Int(o.rs)]))
        case .dmfc1: set(c.f[Int(o.rs)])
        case .mfhc1: set(sx32(c.f[Int(o.rs)] >> 32))
        case .mtc1:
            let d = Int(o.rs)
            c.f[d] = (c.f[d] & 0xffff_ffff_0000_0000) | (rt() & 0xffff_ffff)
        case .dmtc1: c.f[Int(o.rs)] = rt()
        case .mthc1:
            let d = Int(o.rs)
            c.f[d] = (c.f[d] & 0xffff_ffff) | (rt() << 32)
        case .cfc1, .ctc1:
            return MIPS64FPControl.move(c, o)

        default:
            return MIPS64FPArith.exec(c, o)
        }
        return .none
    }
}
