// PPC64InstClass: the statistics class (gem5 op-class names) of each PPC64 op kind, derived from
// the kind's mnemonic, and the per-CPU instruction-count statistics.

extension PPC64OpKind {
    public var instClass: String {
        let n = String(describing: self)
        switch self {
        case .nop, .dcbst, .dcbf, .icbi: return "No_OpClass"
        case .illegal, .pageEnd, .privileged, .sc, .sync, .tw, .td, .twi, .tdi, .mfspr, .mtspr, .mftb, .mfcr, .mfocrf,
             .mtcrf, .mtocrf, .mfxer, .mtxer, .mfvscr, .mtvscr, .stcxDone:
            return "System"
        case .b, .bAbs, .bc, .bcCR, .bdnz, .blr, .bclr, .bcctr, .bctar, .bcAlways: return "Branch"
        case .mulli, .mulhdu, .mulhwu, .mulhd, .mulhw, .mulld, .mullw: return "IntMult"
        case .divdu, .divwu, .divd, .divw, .divdeu, .divweu, .divde, .divwe: return "IntDiv"
        default: break
        }
        let vectorOrFP = n.hasPrefix("xs") || n.hasPrefix("f") || n.hasPrefix("mtfs") || n.hasPrefix("mffs") || n.hasPrefix("mcrfs")
        let memory = n.hasPrefix("l") && !n.hasPrefix("li") || n.hasPrefix("st") || n.hasPrefix("dcbz") || n.hasPrefix("lxs") || n.hasPrefix("lxv") || n.hasPrefix("stx")
        if n.hasPrefix("lf") || n.hasPrefix("lxs") || n.hasPrefix("lxv") || n.hasPrefix("lv") { return "FloatMemRead" }
        if n.hasPrefix("stf") || n.hasPrefix("stxs") || n.hasPrefix("stxv") || n.hasPrefix("stv") { return "FloatMemWrite" }
        if memory { return n.hasPrefix("st") || n.hasPrefix("dcbz") ? "MemWrite" : "MemRead" }
        if n.hasPrefix("v") || n.hasPrefix("xv") || n.hasPrefix("xx") || n.hasPrefix("mtvsr") || n.hasPrefix("mfvsr") { return "SimdMisc" }
        if vectorOrFP {
            if n.contains("div") || n.hasPrefix("fre") || n.contains("sqrt") { return "FloatDiv" }
            if n.contains("mul") || n.contains("madd") || n.contains("msub") { return "FloatMult" }
            if n.contains("add") || n.contains("sub") { return "FloatAdd" }
            if n.contains("cmp") { return "FloatCmp" }
            if n.contains("cv") || n.contains("cti") || n.contains("cfid") || n.hasPrefix("fri") || n == "frsp" || n.hasPrefix("xsrdpi") { return "FloatCvt" }
            return "FloatMisc"
        }
        return "IntAlu"
    }
}

extension PPC64CPU {
    /// Executed instructions per class, in a stable order.
    public func instructionClassCounts() -> [(String, UInt64)] { Self.classCounts(kindCounts) }

    /// Instructions per class of a kind-count table (index: PPC64OpKind.rawValue, 1024 entries).
    public static func classCounts(_ kindCounts: UnsafePointer<UInt64>) -> [(String, UInt64)] {
        var byClass: [String: UInt64] = [:]
        for raw in 0 ..< 1024 {
            let n = kindCounts[raw]
            guard n > 0, let k = PPC64OpKind(rawValue: UInt16(raw)), k != .pageEnd else { continue }
            byClass[k.instClass, default: 0] += n
        }
        return byClass.sorted { $0.key < $1.key }
    }
}
