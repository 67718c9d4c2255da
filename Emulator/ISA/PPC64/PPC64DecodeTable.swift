// PPC64DecodeTable: the declarative instruction table (QEMU-style): one row per Power ISA 2.07
// instruction k42sim recognises, giving its mnemonic, op kind, fixed bits (opcode, extended
// opcode, reserved fields that must be zero) and optional OE/Rc bits. Both the pre-decoder and
// the disassembler (`PPC64Decoder.mnemonic`) read it, so they cannot disagree.

struct PPC64Form: Sendable {
    let name: String
    let kind: PPC64OpKind
    let match: UInt32
    let mask: UInt32
    /// The OE bit (0x400) is an operand ("o" form).
    let oe: Bool
    /// The Rc bit (0 = none, else the bit) is an operand ("." form).
    let rcBit: UInt32
}

/// Operand field masks (bit 0 = least significant bit of the word).
enum F {
    static let rt: UInt32 = 0x03E0_0000, ra: UInt32 = 0x001F_0000, rb: UInt32 = 0x0000_F800
    static let rc: UInt32 = 0x0000_07C0, me: UInt32 = 0x0000_003E, d: UInt32 = 0x0000_FFFF
    static let bf: UInt32 = 0x0380_0000, l: UInt32 = 0x0020_0000, bfa: UInt32 = 0x001C_0000
    static let ds: UInt32 = 0x0000_FFFC, li: UInt32 = 0x03FF_FFFC, aa: UInt32 = 2, lk: UInt32 = 1
    static let fxm: UInt32 = 0x000F_F000
    static let tx: UInt32 = 1, bx: UInt32 = 2, ax: UInt32 = 4, cx: UInt32 = 8
    static let rrr = rt | ra | rb
    static let xx3 = rt | ra | rb | ax | bx | tx
    static let xx2 = rt | rb | bx | tx
}

enum PPC64Table {
    static func form(_ name: String, _ kind: PPC64OpKind, _ match: UInt32, _ operands: UInt32,
                     oe: Bool = false, rc: UInt32 = 0) -> PPC64Form {
        let free = operands | (oe ? 0x400 : 0) | rc
        return PPC64Form(name: name, kind: kind, match: match, mask: ~free, oe: oe, rcBit: rc)
    }
    /// D/I/B-form: everything but the primary opcode is an operand.
    static func d(_ op: UInt32, _ name: String, _ kind: PPC64OpKind) -> PPC64Form {
        form(name, kind, op << 26, 0x03FF_FFFF)
    }
    static func ds(_ op: UInt32, _ xo: UInt32, _ name: String, _ kind: PPC64OpKind) -> PPC64Form {
        form(name, kind, op << 26 | xo, F.rt | F.ra | F.ds)
    }
    /// X-form (10-bit extended opcode in bits 1..10).
    static func x(_ xo: UInt32, _ name: String, _ kind: PPC64OpKind, _ ops: UInt32, rc: Bool = false, op: UInt32 = 31) -> PPC64Form {
        form(name, kind, op << 26 | xo << 1, ops, rc: rc ? 1 : 0)
    }
    /// XO-form (9-bit extended opcode, OE bit, Rc bit).
    static func xo(_ xo: UInt32, _ name: String, _ kind: PPC64OpKind, _ ops: UInt32 = F.rrr, oe: Bool = true) -> PPC64Form {
        form(name, kind, 31 << 26 | xo << 1, ops, oe: oe, rc: 1)
    }
    /// A-form (5-bit extended opcode in bits 1..5).
    static func a(_ op: UInt32, _ xo: UInt32, _ name: String, _ kind: PPC64OpKind, _ ops: UInt32, rc: Bool = true) -> PPC64Form {
        form(name, kind, op << 26 | xo << 1, ops, rc: rc ? 1 : 0)
    }
    static func md(_ xo: UInt32, _ name: String, _ kind: PPC64OpKind) -> PPC64Form {
        form(name, kind, 30 << 26 | xo << 2, F.rt | F.ra | F.rb | 0x7E0 | 2, rc: 1)
    }
    static func mds(_ xo: UInt32, _ name: String, _ kind: PPC64OpKind) -> PPC64Form {
        form(name, kind, 30 << 26 | xo << 1, F.rt | F.ra | F.rb | 0x7E0, rc: 1)
    }
    static func vx(_ xo: UInt32, _ name: String, _ kind: PPC64OpKind, _ ops: UInt32 = F.rrr) -> PPC64Form {
        form(name, kind, 4 << 26 | xo, ops)
    }
    static func va(_ xo: UInt32, _ name: String, _ kind: PPC64OpKind, _ ops: UInt32 = F.rrr | F.rc) -> PPC64Form {
        form(name, kind, 4 << 26 | xo, ops)
    }
    static func vc(_ xo: UInt32, _ name: String, _ kind: PPC64OpKind) -> PPC64Form {
        form(name, kind, 4 << 26 | xo, F.rrr, rc: 0x400)
    }
    static func xx1(_ xo: UInt32, _ name: String, _ kind: PPC64OpKind, _ ops: UInt32 = F.rrr | F.tx) -> PPC64Form {
        form(name, kind, 31 << 26 | xo << 1, ops)
    }
    static func xx2(_ xo: UInt32, _ name: String, _ kind: PPC64OpKind, _ ops: UInt32 = F.xx2) -> PPC64Form {
        form(name, kind, 60 << 26 | xo << 2, ops)
    }
    static func xx3(_ xo: UInt32, _ name: String, _ kind: PPC64OpKind, _ ops: UInt32 = F.xx3) -> PPC64Form {
        form(name, kind, 60 << 26 | xo << 3, ops)
    }

    static let forms: [PPC64Form] = fixedPoint + branchAndSystem + loadStore + floatingPoint + vmx + vsx

    static let fixedPoint: [PPC64Form] = [
        d(2, "tdi", .tdi), d(3, "twi", .twi), d(7, "mulli", .mulli), d(8, "subfic", .subfic),
        form("cmpli", .cmpli, 10 << 26, F.bf | F.l | F.ra | F.d), form("cmpi", .cmpi, 11 << 26, F.bf | F.l | F.ra | F.d),
        d(12, "addic", .addic), d(13, "addic.", .addicRc), d(14, "addi", .addi), d(15, "addis", .addis),
        form("rlwimi", .rlwimi, 20 << 26, F.rrr | F.rc | F.me, rc: 1),
        form("rlwinm", .rlwinm, 21 << 26, F.rrr | F.rc | F.me, rc: 1),
        form("rlwnm", .rlwnm, 23 << 26, F.rrr | F.rc | F.me, rc: 1),
        d(24, "ori", .ori), d(25, "oris", .oris), d(26, "xori", .xori), d(27, "xoris", .xoris),
        d(28, "andi.", .andiRc), d(29, "andis.", .andisRc),
        md(0, "rldicl", .rldicl), md(1, "rldicr", .rldicr), md(2, "rldic", .rldic), md(3, "rldimi", .rldimi),
        mds(8, "rldcl", .rldcl), mds(9, "rldcr", .rldcr),
        x(0, "cmp", .cmp, F.bf | F.l | F.ra | F.rb), x(32, "cmpl", .cmpl, F.bf | F.l | F.ra | F.rb),
        x(4, "tw", .tw, F.rrr), x(68, "td", .td, F.rrr),
        xo(8, "subfc", .subfc), xo(10, "addc", .addc), xo(40, "subf", .subf), xo(104, "neg", .neg, F.rt | F.ra),
        xo(136, "subfe", .subfe), xo(138, "adde", .adde), xo(200, "subfze", .subfze, F.rt | F.ra),
        xo(202, "addze", .addze, F.rt | F.ra), xo(232, "subfme", .subfme, F.rt | F.ra),
        xo(234, "addme", .addme, F.rt | F.ra), xo(266, "add", .add),
        xo(9, "mulhdu", .mulhdu, oe: false), xo(11, "mulhwu", .mulhwu, oe: false),
        xo(73, "mulhd", .mulhd, oe: false), xo(75, "mulhw", .mulhw, oe: false),
        xo(233, "mulld", .mulld), xo(235, "mullw", .mullw),
        xo(457, "divdu", .divdu), xo(459, "divwu", .divwu), xo(489, "divd", .divd), xo(491, "divw", .divw),
        xo(393, "divdeu", .divdeu), xo(395, "divweu", .divweu), xo(425, "divde", .divde), xo(427, "divwe", .divwe),
        x(24, "slw", .slw, F.rrr, rc: true), x(27, "sld", .sld, F.rrr, rc: true),
        x(536, "srw", .srw, F.rrr, rc: true), x(539, "srd", .srd, F.rrr, rc: true),
        x(792, "sraw", .sraw, F.rrr, rc: true), x(794, "srad", .srad, F.rrr, rc: true),
        x(824, "srawi", .srawi, F.rrr, rc: true),
        form("sradi", .sradi, 31 << 26 | 413 << 2, F.rrr | 2, rc: 1),
        x(28, "and", .and, F.rrr, rc: true), x(60, "andc", .andc, F.rrr, rc: true),
        x(124, "nor", .nor, F.rrr, rc: true), x(284, "eqv", .eqv, F.rrr, rc: true),
        x(316, "xor", .xor, F.rrr, rc: true), x(412, "orc", .orc, F.rrr, rc: true),
        x(444, "or", .or, F.rrr, rc: true), x(476, "nand", .nand, F.rrr, rc: true),
        x(26, "cntlzw", .cntlzw, F.rt | F.ra, rc: true), x(58, "cntlzd", .cntlzd, F.rt | F.ra, rc: true),
        x(538, "cnttzw", .cnttzw, F.rt | F.ra, rc: true), x(570, "cnttzd", .cnttzd, F.rt | F.ra, rc: true),
        x(922, "extsh", .extsh, F.rt | F.ra, rc: true), x(954, "extsb", .extsb, F.rt | F.ra, rc: true),
        x(986, "extsw", .extsw, F.rt | F.ra, rc: true),
        x(122, "popcntb", .popcntb, F.rt | F.ra), x(378, "popcntw", .popcntw, F.rt | F.ra),
        x(506, "popcntd", .popcntd, F.rt | F.ra), x(154, "prtyw", .prtyw, F.rt | F.ra),
        x(186, "prtyd", .prtyd, F.rt | F.ra), x(508, "cmpb", .cmpb, F.rrr), x(252, "bpermd", .bpermd, F.rrr),
        a(31, 15, "isel", .isel, F.rrr | F.rc, rc: false),
        // Moves to and from special registers and the condition register.
        x(19, "mfcr", .mfcr, F.rt), form("mfocrf", .mfocrf, 31 << 26 | 0x0010_0000 | 19 << 1, F.rt | F.fxm),
        x(144, "mtcrf", .mtcrf, F.rt | F.fxm), form("mtocrf", .mtocrf, 31 << 26 | 0x0010_0000 | 144 << 1, F.rt | F.fxm),
        x(339, "mfspr", .mfspr, F.rt | F.ra | F.rb), x(467, "mtspr", .mtspr, F.rt | F.ra | F.rb),
        x(371, "mftb", .mftb, F.rt | F.ra | F.rb),
    ]

    static let branchAndSystem: [PPC64Form] = [
        form("bc", .bc, 16 << 26, 0x03FF_FFFF), form("sc", .sc, 17 << 26 | 2, 0x03FF_FFFC),
        form("b", .b, 18 << 26, 0x03FF_FFFF),
        x(0, "mcrf", .mcrf, F.bf | F.bfa, op: 19),
        form("bclr", .bclr, 19 << 26 | 16 << 1, F.rt | F.ra | 0x1800 | 1),
        form("bcctr", .bcctr, 19 << 26 | 528 << 1, F.rt | F.ra | 0x1800 | 1),
        form("bctar", .bctar, 19 << 26 | 560 << 1, F.rt | F.ra | 0x1800 | 1),
        x(33, "crnor", .crnor, F.rrr, op: 19), x(129, "crandc", .crandc, F.rrr, op: 19),
        x(193, "crxor", .crxor, F.rrr, op: 19), x(225, "crnand", .crnand, F.rrr, op: 19),
        x(257, "crand", .crand, F.rrr, op: 19), x(289, "creqv", .creqv, F.rrr, op: 19),
        x(417, "crorc", .crorc, F.rrr, op: 19), x(449, "cror", .cror, F.rrr, op: 19),
        x(150, "isync", .nop, 0, op: 19),
        x(598, "sync", .sync, 0x0060_0000), x(854, "eieio", .nop, 0),
        x(54, "dcbst", .dcbst, F.ra | F.rb), x(86, "dcbf", .dcbf, F.ra | F.rb | 0x00E0_0000),
        x(246, "dcbtst", .nop, F.rrr), x(278, "dcbt", .nop, F.rrr), x(22, "icbt", .nop, 0x01E0_0000 | F.ra | F.rb),
        x(982, "icbi", .icbi, F.ra | F.rb), x(1014, "dcbz", .dcbz, F.ra | F.rb),
        x(822, "dss", .nop, 0x0060_0000 | 0x0200_0000), x(342, "dst", .nop, 0x0260_0000 | F.ra | F.rb), x(374, "dstst", .nop, 0x0260_0000 | F.ra | F.rb),
        x(62, "wait", .nop, 0x0060_0000),
        // Privileged (Book III) instructions: a privileged-instruction program interrupt in problem state.
        x(83, "mfmsr", .privileged, F.rt), x(146, "mtmsr", .privileged, F.rt | 0x0001_0000),
        x(178, "mtmsrd", .privileged, F.rt | 0x0001_0000), x(18, "rfid", .privileged, 0, op: 19),
        x(274, "hrfid", .privileged, 0, op: 19), x(306, "tlbie", .privileged, F.rt | F.rb),
        x(470, "dcbi", .privileged, F.ra | F.rb),
        x(274, "tlbiel", .privileged, F.rt | F.rb),
        x(566, "tlbsync", .privileged, 0), x(402, "slbmte", .privileged, F.rt | F.rb),
        x(434, "slbie", .privileged, F.rb), x(498, "slbia", .privileged, 0x00E0_0000),
        x(915, "slbmfee", .privileged, F.rt | F.rb), x(851, "slbmfev", .privileged, F.rt | F.rb),
        form("slbfee.", .privileged, 31 << 26 | 979 << 1 | 1, F.rt | F.rb),
        x(434, "nap", .privileged, 0, op: 19), x(402, "doze", .privileged, 0, op: 19),
        x(466, "sleep", .privileged, 0, op: 19), x(498, "rvwinkle", .privileged, 0, op: 19),
    ]

    static let loadStore: [PPC64Form] = [
        d(32, "lwz", .lwz), d(33, "lwzu", .lwzu), d(34, "lbz", .lbz), d(35, "lbzu", .lbzu),
        d(36, "stw", .stw), d(37, "stwu", .stwu), d(38, "stb", .stb), d(39, "stbu", .stbu),
        d(40, "lhz", .lhz), d(41, "lhzu", .lhzu), d(42, "lha", .lha), d(43, "lhau", .lhau),
        d(44, "sth", .sth), d(45, "sthu", .sthu), d(46, "lmw", .lmw), d(47, "stmw", .stmw),
        d(48, "lfs", .lfs), d(49, "lfsu", .lfsu), d(50, "lfd", .lfd), d(51, "lfdu", .lfdu),
        d(52, "stfs", .stfs), d(53, "stfsu", .stfsu), d(54, "stfd", .stfd), d(55, "stfdu", .stfdu),
        ds(58, 0, "ld", .ld), ds(58, 1, "ldu", .ldu), ds(58, 2, "lwa", .lwa),
        ds(62, 0, "std", .std), ds(62, 1, "stdu", .stdu),
        x(21, "ldx", .ldx, F.rrr), x(53, "ldux", .ldux, F.rrr), x(23, "lwzx", .lwzx, F.rrr),
        x(55, "lwzux", .lwzux, F.rrr), x(87, "lbzx", .lbzx, F.rrr), x(119, "lbzux", .lbzux, F.rrr),
        x(279, "lhzx", .lhzx, F.rrr), x(311, "lhzux", .lhzux, F.rrr), x(343, "lhax", .lhax, F.rrr),
        x(375, "lhaux", .lhaux, F.rrr), x(341, "lwax", .lwax, F.rrr), x(373, "lwaux", .lwaux, F.rrr),
        x(149, "stdx", .stdx, F.rrr), x(181, "stdux", .stdux, F.rrr), x(151, "stwx", .stwx, F.rrr),
        x(183, "stwux", .stwux, F.rrr), x(215, "stbx", .stbx, F.rrr), x(247, "stbux", .stbux, F.rrr),
        x(407, "sthx", .sthx, F.rrr), x(439, "sthux", .sthux, F.rrr),
        x(790, "lhbrx", .lhbrx, F.rrr), x(534, "lwbrx", .lwbrx, F.rrr), x(532, "ldbrx", .ldbrx, F.rrr),
        x(918, "sthbrx", .sthbrx, F.rrr), x(662, "stwbrx", .stwbrx, F.rrr), x(660, "stdbrx", .stdbrx, F.rrr),
        x(597, "lswi", .lswi, F.rrr), x(533, "lswx", .lswx, F.rrr),
        x(725, "stswi", .stswi, F.rrr), x(661, "stswx", .stswx, F.rrr),
        x(52, "lbarx", .lbarx, F.rrr | 1), x(116, "lharx", .lharx, F.rrr | 1),
        x(20, "lwarx", .lwarx, F.rrr | 1), x(84, "ldarx", .ldarx, F.rrr | 1),
        form("stbcx.", .stbcx, 31 << 26 | 694 << 1 | 1, F.rrr), form("sthcx.", .sthcx, 31 << 26 | 726 << 1 | 1, F.rrr),
        form("stwcx.", .stwcx, 31 << 26 | 150 << 1 | 1, F.rrr), form("stdcx.", .stdcx, 31 << 26 | 214 << 1 | 1, F.rrr),
        x(535, "lfsx", .lfsx, F.rrr), x(567, "lfsux", .lfsux, F.rrr), x(599, "lfdx", .lfdx, F.rrr),
        x(631, "lfdux", .lfdux, F.rrr), x(663, "stfsx", .stfsx, F.rrr), x(695, "stfsux", .stfsux, F.rrr),
        x(727, "stfdx", .stfdx, F.rrr), x(759, "stfdux", .stfdux, F.rrr), x(983, "stfiwx", .stfiwx, F.rrr),
        x(855, "lfiwax", .lfiwax, F.rrr), x(887, "lfiwzx", .lfiwzx, F.rrr),
    ]

    static let floatingPoint: [PPC64Form] = [
        a(63, 18, "fdiv", .fdiv, F.rrr), a(63, 20, "fsub", .fsub, F.rrr), a(63, 21, "fadd", .fadd, F.rrr),
        a(63, 22, "fsqrt", .fsqrt, F.rt | F.rb), a(63, 23, "fsel", .fsel, F.rrr | F.rc),
        a(63, 24, "fre", .fre, F.rt | F.rb), a(63, 25, "fmul", .fmul, F.rt | F.ra | F.rc),
        a(63, 26, "frsqrte", .frsqrte, F.rt | F.rb), a(63, 28, "fmsub", .fmsub, F.rrr | F.rc),
        a(63, 29, "fmadd", .fmadd, F.rrr | F.rc), a(63, 30, "fnmsub", .fnmsub, F.rrr | F.rc),
        a(63, 31, "fnmadd", .fnmadd, F.rrr | F.rc),
        a(59, 18, "fdivs", .fdivs, F.rrr), a(59, 20, "fsubs", .fsubs, F.rrr), a(59, 21, "fadds", .fadds, F.rrr),
        a(59, 22, "fsqrts", .fsqrts, F.rt | F.rb), a(59, 24, "fres", .fres, F.rt | F.rb),
        a(59, 25, "fmuls", .fmuls, F.rt | F.ra | F.rc), a(59, 26, "frsqrtes", .frsqrtes, F.rt | F.rb),
        a(59, 28, "fmsubs", .fmsubs, F.rrr | F.rc), a(59, 29, "fmadds", .fmadds, F.rrr | F.rc),
        a(59, 30, "fnmsubs", .fnmsubs, F.rrr | F.rc), a(59, 31, "fnmadds", .fnmadds, F.rrr | F.rc),
        x(846, "fcfids", .fcfids, F.rt | F.rb, rc: true, op: 59), x(974, "fcfidus", .fcfidus, F.rt | F.rb, rc: true, op: 59),
        x(0, "fcmpu", .fcmpu, F.bf | F.ra | F.rb, op: 63), x(32, "fcmpo", .fcmpo, F.bf | F.ra | F.rb, op: 63),
        x(128, "ftdiv", .ftdiv, F.bf | F.ra | F.rb, op: 63), x(160, "ftsqrt", .ftsqrt, F.bf | F.rb, op: 63),
        x(12, "frsp", .frsp, F.rt | F.rb, rc: true, op: 63),
        x(14, "fctiw", .fctiw, F.rt | F.rb, rc: true, op: 63), x(15, "fctiwz", .fctiwz, F.rt | F.rb, rc: true, op: 63),
        x(142, "fctiwu", .fctiwu, F.rt | F.rb, rc: true, op: 63), x(143, "fctiwuz", .fctiwuz, F.rt | F.rb, rc: true, op: 63),
        x(814, "fctid", .fctid, F.rt | F.rb, rc: true, op: 63), x(815, "fctidz", .fctidz, F.rt | F.rb, rc: true, op: 63),
        x(942, "fctidu", .fctidu, F.rt | F.rb, rc: true, op: 63), x(943, "fctiduz", .fctiduz, F.rt | F.rb, rc: true, op: 63),
        x(846, "fcfid", .fcfid, F.rt | F.rb, rc: true, op: 63), x(974, "fcfidu", .fcfidu, F.rt | F.rb, rc: true, op: 63),
        x(38, "mtfsb1", .mtfsb1, F.rt, rc: true, op: 63), x(70, "mtfsb0", .mtfsb0, F.rt, rc: true, op: 63),
        x(64, "mcrfs", .mcrfs, F.bf | F.bfa, op: 63),
        x(134, "mtfsfi", .mtfsfi, F.bf | 0x10000 | 0xF000, rc: true, op: 63),
        x(711, "mtfsf", .mtfsf, 0x0200_0000 | 0x01FE_0000 | 0x10000 | F.rb, rc: true, op: 63),
        x(583, "mffs", .mffs, F.rt, rc: true, op: 63),
        // ISA 3.0 mffs variants (RA selects; older processors ignore the field and act as mffs,
        // which glibc relies on): mffsce 1, mffscdrn 20, mffscdrni 21, mffscrn 22, mffscrni 23, mffsl 24.
        form("mffsce", .mffsx, 63 << 26 | 1 << 16 | 583 << 1, F.rt),
        form("mffscdrn", .mffsx, 63 << 26 | 20 << 16 | 583 << 1, F.rt | F.rb),
        form("mffscdrni", .mffsx, 63 << 26 | 21 << 16 | 583 << 1, F.rt | 0x3800),
        form("mffscrn", .mffsx, 63 << 26 | 22 << 16 | 583 << 1, F.rt | F.rb),
        form("mffscrni", .mffsx, 63 << 26 | 23 << 16 | 583 << 1, F.rt | 0x1800),
        form("mffsl", .mffsx, 63 << 26 | 24 << 16 | 583 << 1, F.rt),
        x(40, "fneg", .fneg, F.rt | F.rb, rc: true, op: 63), x(72, "fmr", .fmr, F.rt | F.rb, rc: true, op: 63),
        x(136, "fnabs", .fnabs, F.rt | F.rb, rc: true, op: 63), x(264, "fabs", .fabs, F.rt | F.rb, rc: true, op: 63),
        x(8, "fcpsgn", .fcpsgn, F.rrr, rc: true, op: 63),
        x(392, "frin", .frin, F.rt | F.rb, rc: true, op: 63), x(424, "friz", .friz, F.rt | F.rb, rc: true, op: 63),
        x(456, "frip", .frip, F.rt | F.rb, rc: true, op: 63), x(488, "frim", .frim, F.rt | F.rb, rc: true, op: 63),
        x(966, "fmrgew", .fmrgew, F.rrr, op: 63), x(838, "fmrgow", .fmrgow, F.rrr, op: 63),
    ]

    static let vmx: [PPC64Form] = [
        x(6, "lvsl", .lvsl, F.rrr), x(38, "lvsr", .lvsr, F.rrr), x(7, "lvebx", .lvebx, F.rrr),
        x(39, "lvehx", .lvehx, F.rrr), x(71, "lvewx", .lvewx, F.rrr), x(103, "lvx", .lvx, F.rrr),
        x(359, "lvxl", .lvx, F.rrr), x(135, "stvebx", .stvebx, F.rrr), x(167, "stvehx", .stvehx, F.rrr),
        x(199, "stvewx", .stvewx, F.rrr), x(231, "stvx", .stvx, F.rrr), x(487, "stvxl", .stvx, F.rrr),
        vx(1540, "mfvscr", .mfvscr, F.rt), vx(1604, "mtvscr", .mtvscr, F.rb),
        va(42, "vsel", .vsel), va(43, "vperm", .vperm), va(44, "vsldoi", .vsldoi, F.rrr | 0x3C0),
        va(45, "vpermxor", .vpermxor),
        vx(1028, "vand", .vand), vx(1092, "vandc", .vandc), vx(1156, "vor", .vor), vx(1220, "vxor", .vxor),
        vx(1284, "vnor", .vnor), vx(1348, "vorc", .vorc), vx(1412, "vnand", .vnand), vx(1668, "veqv", .veqv),
        vx(0, "vaddubm", .vaddubm), vx(64, "vadduhm", .vadduhm), vx(128, "vadduwm", .vadduwm), vx(192, "vaddudm", .vaddudm),
        vx(1024, "vsububm", .vsububm), vx(1088, "vsubuhm", .vsubuhm), vx(1152, "vsubuwm", .vsubuwm), vx(1216, "vsubudm", .vsubudm),
        vx(384, "vaddcuw", .vaddcuw), vx(1408, "vsubcuw", .vsubcuw),
        vx(512, "vaddubs", .vaddubs), vx(576, "vadduhs", .vadduhs), vx(640, "vadduws", .vadduws),
        vx(1536, "vsububs", .vsububs), vx(1600, "vsubuhs", .vsubuhs), vx(1664, "vsubuws", .vsubuws),
        vx(260, "vslb", .vslb), vx(324, "vslh", .vslh), vx(388, "vslw", .vslw), vx(1476, "vsld", .vsld),
        vx(516, "vsrb", .vsrb), vx(580, "vsrh", .vsrh), vx(644, "vsrw", .vsrw), vx(1732, "vsrd", .vsrd),
        vx(772, "vsrab", .vsrab), vx(836, "vsrah", .vsrah), vx(900, "vsraw", .vsraw), vx(964, "vsrad", .vsrad),
        vx(4, "vrlb", .vrlb), vx(68, "vrlh", .vrlh), vx(132, "vrlw", .vrlw), vx(196, "vrld", .vrld),
        vx(452, "vsl", .vsl), vx(708, "vsr", .vsr), vx(1036, "vslo", .vslo), vx(1100, "vsro", .vsro),
        vx(12, "vmrghb", .vmrghb), vx(76, "vmrghh", .vmrghh), vx(140, "vmrghw", .vmrghw),
        vx(268, "vmrglb", .vmrglb), vx(332, "vmrglh", .vmrglh), vx(396, "vmrglw", .vmrglw),
        vx(1932, "vmrgew", .vmrgew), vx(1676, "vmrgow", .vmrgow),
        vx(524, "vspltb", .vspltb), vx(588, "vsplth", .vsplth), vx(652, "vspltw", .vspltw),
        vx(780, "vspltisb", .vspltisb, F.rt | F.ra), vx(844, "vspltish", .vspltish, F.rt | F.ra),
        vx(908, "vspltisw", .vspltisw, F.rt | F.ra),
        vx(2, "vmaxub", .vmaxub), vx(66, "vmaxuh", .vmaxuh), vx(130, "vmaxuw", .vmaxuw), vx(194, "vmaxud", .vmaxud),
        vx(258, "vmaxsb", .vmaxsb), vx(322, "vmaxsh", .vmaxsh), vx(386, "vmaxsw", .vmaxsw), vx(450, "vmaxsd", .vmaxsd),
        vx(514, "vminub", .vminub), vx(578, "vminuh", .vminuh), vx(642, "vminuw", .vminuw), vx(706, "vminud", .vminud),
        vx(770, "vminsb", .vminsb), vx(834, "vminsh", .vminsh), vx(898, "vminsw", .vminsw), vx(962, "vminsd", .vminsd),
        vc(6, "vcmpequb", .vcmpequb), vc(70, "vcmpequh", .vcmpequh), vc(134, "vcmpequw", .vcmpequw), vc(199, "vcmpequd", .vcmpequd),
        vc(518, "vcmpgtub", .vcmpgtub), vc(582, "vcmpgtuh", .vcmpgtuh), vc(646, "vcmpgtuw", .vcmpgtuw), vc(711, "vcmpgtud", .vcmpgtud),
        vc(774, "vcmpgtsb", .vcmpgtsb), vc(838, "vcmpgtsh", .vcmpgtsh), vc(902, "vcmpgtsw", .vcmpgtsw), vc(967, "vcmpgtsd", .vcmpgtsd),
        vx(14, "vpkuhum", .vpkuhum), vx(78, "vpkuwum", .vpkuwum), vx(1102, "vpkudum", .vpkudum),
        vx(526, "vupkhsb", .vupkhsb, F.rt | F.rb), vx(654, "vupklsb", .vupklsb, F.rt | F.rb),
        vx(590, "vupkhsh", .vupkhsh, F.rt | F.rb), vx(718, "vupklsh", .vupklsh, F.rt | F.rb),
        vx(1614, "vupkhsw", .vupkhsw, F.rt | F.rb), vx(1742, "vupklsw", .vupklsw, F.rt | F.rb),
        vx(1794, "vclzb", .vclzb, F.rt | F.rb), vx(1858, "vclzh", .vclzh, F.rt | F.rb),
        vx(1922, "vclzw", .vclzw, F.rt | F.rb), vx(1986, "vclzd", .vclzd, F.rt | F.rb),
        vx(1795, "vpopcntb", .vpopcntb, F.rt | F.rb), vx(1859, "vpopcnth", .vpopcnth, F.rt | F.rb),
        vx(1923, "vpopcntw", .vpopcntw, F.rt | F.rb), vx(1987, "vpopcntd", .vpopcntd, F.rt | F.rb),
        vx(1292, "vgbbd", .vgbbd, F.rt | F.rb), vx(1356, "vbpermq", .vbpermq),
        vx(1026, "vavgub", .vavgub), vx(1090, "vavguh", .vavguh), vx(1154, "vavguw", .vavguw),
        vx(137, "vmuluwm", .vmuluwm),
        vx(256, "vadduqm", .vadduqm), vx(320, "vaddcuq", .vaddcuq), vx(1280, "vsubuqm", .vsubuqm),
        vx(1344, "vsubcuq", .vsubcuq), va(60, "vaddeuqm", .vaddeuqm), va(61, "vaddecuq", .vaddecuq),
        va(62, "vsubeuqm", .vsubeuqm), va(63, "vsubecuq", .vsubecuq),
        vx(1928, "vsumsws", .vsumsws), vx(1672, "vsum2sws", .vsum2sws), vx(1800, "vsum4sbs", .vsum4sbs),
        vx(1544, "vsum4ubs", .vsum4ubs), vx(1608, "vsum4shs", .vsum4shs),
    ]

    static let vsx: [PPC64Form] = [
        xx1(12, "lxsiwzx", .lxsiwzx), xx1(76, "lxsiwax", .lxsiwax), xx1(140, "stxsiwx", .stxsiwx),
        xx1(524, "lxsspx", .lxsspx), xx1(652, "stxsspx", .stxsspx), xx1(588, "lxsdx", .lxsdx),
        xx1(716, "stxsdx", .stxsdx), xx1(844, "lxvd2x", .lxvd2x), xx1(972, "stxvd2x", .stxvd2x),
        xx1(780, "lxvw4x", .lxvw4x), xx1(908, "stxvw4x", .stxvw4x), xx1(332, "lxvdsx", .lxvdsx),
        xx1(51, "mfvsrd", .mfvsrd, F.rt | F.ra | F.tx), xx1(115, "mfvsrwz", .mfvsrwz, F.rt | F.ra | F.tx),
        xx1(179, "mtvsrd", .mtvsrd, F.rt | F.ra | F.tx), xx1(211, "mtvsrwa", .mtvsrwa, F.rt | F.ra | F.tx),
        xx1(243, "mtvsrwz", .mtvsrwz, F.rt | F.ra | F.tx),
        xx3(130, "xxland", .xxland), xx3(138, "xxlandc", .xxlandc), xx3(146, "xxlor", .xxlor),
        xx3(154, "xxlxor", .xxlxor), xx3(162, "xxlnor", .xxlnor), xx3(170, "xxlorc", .xxlorc),
        xx3(178, "xxlnand", .xxlnand), xx3(186, "xxleqv", .xxleqv),
        form("xxsel", .xxsel, 60 << 26 | 3 << 4, F.xx3 | F.rc | F.cx),
        form("xxpermdi", .xxpermdi, 60 << 26 | 10 << 3, F.xx3 | 0x300),
        form("xxsldwi", .xxsldwi, 60 << 26 | 2 << 3, F.xx3 | 0x300),
        xx3(18, "xxmrghw", .xxmrghw), xx3(50, "xxmrglw", .xxmrglw),
        xx2(164, "xxspltw", .xxspltw, F.xx2 | 0x0003_0000),
        // Scalar double precision.
        xx3(32, "xsadddp", .xsadddp), xx3(40, "xssubdp", .xssubdp), xx3(48, "xsmuldp", .xsmuldp),
        xx3(56, "xsdivdp", .xsdivdp),
        xx3(33, "xsmaddadp", .xsmaddadp), xx3(41, "xsmaddmdp", .xsmaddmdp),
        xx3(49, "xsmsubadp", .xsmsubadp), xx3(57, "xsmsubmdp", .xsmsubmdp),
        xx3(161, "xsnmaddadp", .xsnmaddadp), xx3(169, "xsnmaddmdp", .xsnmaddmdp),
        xx3(177, "xsnmsubadp", .xsnmsubadp), xx3(185, "xsnmsubmdp", .xsnmsubmdp),
        xx3(35, "xscmpudp", .xscmpudp, F.bf | F.ra | F.rb | F.ax | F.bx),
        xx3(43, "xscmpodp", .xscmpodp, F.bf | F.ra | F.rb | F.ax | F.bx),
        xx3(176, "xscpsgndp", .xscpsgndp), xx3(160, "xsmaxdp", .xsmaxdp), xx3(168, "xsmindp", .xsmindp),
        xx2(345, "xsabsdp", .xsabsdp), xx2(361, "xsnabsdp", .xsnabsdp), xx2(377, "xsnegdp", .xsnegdp),
        xx2(75, "xssqrtdp", .xssqrtdp),
        xx2(344, "xscvdpsxds", .xscvdpsxds), xx2(88, "xscvdpsxws", .xscvdpsxws),
        xx2(328, "xscvdpuxds", .xscvdpuxds), xx2(72, "xscvdpuxws", .xscvdpuxws),
        xx2(376, "xscvsxddp", .xscvsxddp), xx2(360, "xscvuxddp", .xscvuxddp),
        xx2(312, "xscvsxdsp", .xscvsxdsp), xx2(296, "xscvuxdsp", .xscvuxdsp),
        xx2(265, "xscvdpsp", .xscvdpsp), xx2(329, "xscvspdp", .xscvspdp),
        xx2(267, "xscvdpspn", .xscvdpspn), xx2(331, "xscvspdpn", .xscvspdpn),
        xx2(73, "xsrdpi", .xsrdpi), xx2(89, "xsrdpiz", .xsrdpiz), xx2(105, "xsrdpip", .xsrdpip),
        xx2(121, "xsrdpim", .xsrdpim), xx2(107, "xsrdpic", .xsrdpic),
        xx2(90, "xsredp", .xsredp), xx2(74, "xsrsqrtedp", .xsrsqrtedp),
        // Scalar single precision (ISA 2.07).
        xx3(0, "xsaddsp", .xsaddsp), xx3(8, "xssubsp", .xssubsp), xx3(16, "xsmulsp", .xsmulsp),
        xx3(24, "xsdivsp", .xsdivsp), xx2(11, "xssqrtsp", .xssqrtsp), xx2(281, "xsrsp", .xsrsp),
        xx3(1, "xsmaddasp", .xsmaddasp), xx3(9, "xsmaddmsp", .xsmaddmsp),
        xx3(17, "xsmsubasp", .xsmsubasp), xx3(25, "xsmsubmsp", .xsmsubmsp),
        xx3(129, "xsnmaddasp", .xsnmaddasp), xx3(137, "xsnmaddmsp", .xsnmaddmsp),
        xx3(145, "xsnmsubasp", .xsnmsubasp), xx3(153, "xsnmsubmsp", .xsnmsubmsp),
        xx2(26, "xsresp", .xsresp), xx2(10, "xsrsqrtesp", .xsrsqrtesp),
        // Vector double precision (the few gcc's vectoriser emits at -O2).
        xx3(96, "xvadddp", .xvadddp), xx3(104, "xvsubdp", .xvsubdp), xx3(112, "xvmuldp", .xvmuldp),
        xx3(120, "xvdivdp", .xvdivdp),
        xx3(64, "xvaddsp", .xvaddsp), xx3(72, "xvsubsp", .xvsubsp), xx3(80, "xvmulsp", .xvmulsp),
        xx3(88, "xvdivsp", .xvdivsp),
        xx2(473, "xvabsdp", .xvabsdp), xx2(409, "xvabssp", .xvabssp),
        xx2(441, "xvnegsp", .xvnegsp), xx2(505, "xvnegdp", .xvnegdp),
        xx2(504, "xvcvsxddp", .xvcvsxddp), xx2(488, "xvcvuxddp", .xvcvuxddp),
        xx2(248, "xvcvsxwdp", .xvcvsxwdp), xx2(232, "xvcvuxwdp", .xvcvuxwdp),
        xx2(472, "xvcvdpsxds", .xvcvdpsxds), xx2(456, "xvcvdpuxds", .xvcvdpuxds),
        xx2(457, "xvcvspdp", .xvcvspdp),
    ]
}
