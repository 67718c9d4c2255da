// MIPS64InstClass: the statistics class (gem5 op-class names) of each MIPS64 op kind, and the
// per-CPU instruction-count statistics derived from the interpreter's per-kind counters.

extension MIPS64Kind {
    public var instClass: String {
        switch self {
        case .nop: return "No_OpClass"
        case _ where rawValue <= MIPS64Kind.lastControl.rawValue: return "Branch"
        case .mult, .multu, .dmult, .dmultu, .madd, .maddu, .msub, .msubu, .mul: return "IntMult"
        case .div, .divu, .ddiv, .ddivu: return "IntDiv"
        case .lb, .lbu, .lh, .lhu, .lw, .lwu, .ld, .lwl, .lwr, .ldl, .ldr, .ll, .lld: return "MemRead"
        case .sb, .sh, .sw, .sd, .swl, .swr, .sdl, .sdr, .sc, .scd: return "MemWrite"
        case .lwc1, .ldc1, .lwxc1, .ldxc1, .luxc1: return "FloatMemRead"
        case .swc1, .sdc1, .swxc1, .sdxc1, .suxc1: return "FloatMemWrite"
        case .addS, .subS, .addD, .subD: return "FloatAdd"
        case .mulS, .mulD, .maddS, .maddD, .msubS, .msubD, .nmaddS, .nmaddD, .nmsubS, .nmsubD: return "FloatMult"
        case .divS, .divD, .recipS, .recipD: return "FloatDiv"
        case .sqrtS, .sqrtD, .rsqrtS, .rsqrtD: return "FloatSqrt"
        case .cS, .cD: return "FloatCmp"
        case .cvtDS, .cvtWS, .cvtLS, .cvtSD, .cvtWD, .cvtLD, .cvtSW, .cvtDW, .cvtSL, .cvtDL,
             .roundLS, .truncLS, .ceilLS, .floorLS, .roundWS, .truncWS, .ceilWS, .floorWS,
             .roundLD, .truncLD, .ceilLD, .floorLD, .roundWD, .truncWD, .ceilWD, .floorWD: return "FloatCvt"
        case .absS, .absD, .negS, .negD, .movS, .movD, .movfS, .movtS, .movzS, .movnS, .movfD, .movtD, .movzD,
             .movnD, .mfc1, .dmfc1, .cfc1, .mfhc1, .mtc1, .dmtc1, .ctc1, .mthc1: return "FloatMisc"
        case .syscall, .breakInst, .sdbbp, .tge, .tgeu, .tlt, .tltu, .teq, .tne, .tgei, .tgeiu, .tlti, .tltiu,
             .teqi, .tnei, .sync, .synci, .pref, .prefx, .cache, .rdhwr, .mfc0, .dmfc0, .mtc0, .dmtc0, .tlbr,
             .tlbwi, .tlbwr, .tlbp, .eret, .deret, .wait, .di, .ei, .rdpgpr, .wrpgpr, .reserved, .pageEnd, .cop2:
            return "System"
        default: return "IntAlu"
        }
    }
}

extension MIPS64CPU {
    /// Executed instructions per class, in a stable order.
    public func instructionClassCounts() -> [(String, UInt64)] { Self.classCounts(kindCounts) }

    /// Instructions per class of a kind-count table (index: MIPS64Kind.rawValue).
    public static func classCounts(_ kindCounts: UnsafePointer<UInt64>) -> [(String, UInt64)] {
        var byClass: [String: UInt64] = [:]
        for k in MIPS64Kind.allCases where k != .pageEnd {
            let n = kindCounts[Int(k.rawValue)]
            if n > 0 { byClass[k.instClass, default: 0] += n }
        }
        return byClass.sorted { $0.key < $1.key }
    }
}
