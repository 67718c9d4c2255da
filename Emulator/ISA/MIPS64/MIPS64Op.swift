// MIPS64Op: the pre-decoded form of one MIPS64 instruction — a dense opcode enum and unpacked
// operand fields in 16 bytes. Control-transfer kinds come first so "is this a branch" is one
// compare (`kind.tag <= MIPS64Kind.lastControl.tag`; `tag` is the case number without the raw-value
// getter, which Swift does not inline for an enum this large).

public enum MIPS64Kind: UInt8, CaseIterable, Sendable {
    // --- control transfer (have a delay slot) ---
    case beq, bne, blez, bgtz, bltz, bgez
    case beql, bnel, blezl, bgtzl, bltzl, bgezl
    case bltzal, bgezal, bltzall, bgezall
    case j, jal, jr, jalr
    case bc1f, bc1t, bc1fl, bc1tl
    // --- pseudo ops placed by the decoder ---
    case pageEnd            // sentinel after the last op of a page
    // --- integer ALU ---
    case sll, srl, sra, rotr, sllv, srlv, srav, rotrv
    case dsll, dsrl, dsra, drotr, dsll32, dsrl32, dsra32, drotr32, dsllv, dsrlv, dsrav, drotrv
    case add, addu, sub, subu, and, or, xor, nor, slt, sltu
    case dadd, daddu, dsub, dsubu
    case addi, addiu, slti, sltiu, andi, ori, xori, lui, daddi, daddiu
    case movz, movn, movf, movt
    case mfhi, mthi, mflo, mtlo
    case mult, multu, div, divu, dmult, dmultu, ddiv, ddivu
    case madd, maddu, msub, msubu, mul
    case clz, clo, dclz, dclo
    case ext, dextm, dextu, dext, ins, dinsm, dinsu, dins
    case wsbh, seb, seh, dsbh, dshd
    case rdhwr
    case nop
    // --- traps and system ---
    case syscall, breakInst, sdbbp
    case tge, tgeu, tlt, tltu, teq, tne
    case tgei, tgeiu, tlti, tltiu, teqi, tnei
    case sync, synci, pref, cache
    // --- loads and stores ---
    case lb, lbu, lh, lhu, lw, lwu, ld
    case sb, sh, sw, sd
    case lwl, lwr, ldl, ldr, swl, swr, sdl, sdr
    case ll, lld, sc, scd
    case lwc1, ldc1, swc1, sdc1
    case lwxc1, ldxc1, luxc1, swxc1, sdxc1, suxc1, prefx
    // --- FPU moves and control ---
    case mfc1, dmfc1, cfc1, mfhc1, mtc1, dmtc1, ctc1, mthc1
    // --- FPU arithmetic, fmt in the name ---
    case addS, subS, mulS, divS, sqrtS, absS, movS, negS
    case addD, subD, mulD, divD, sqrtD, absD, movD, negD
    case roundLS, truncLS, ceilLS, floorLS, roundWS, truncWS, ceilWS, floorWS
    case roundLD, truncLD, ceilLD, floorLD, roundWD, truncWD, ceilWD, floorWD
    case movfS, movtS, movzS, movnS, movfD, movtD, movzD, movnD
    case recipS, rsqrtS, recipD, rsqrtD
    case cvtDS, cvtWS, cvtLS, cvtSD, cvtWD, cvtLD
    case cvtSW, cvtDW, cvtSL, cvtDL
    case cS, cD
    case maddS, maddD, msubS, msubD, nmaddS, nmaddD, nmsubS, nmsubD
    // --- privileged (coprocessor 0): unusable in user mode ---
    case mfc0, dmfc0, mtc0, dmtc0, tlbr, tlbwi, tlbwr, tlbp, eret, deret, wait, di, ei, rdpgpr, wrpgpr
    // --- coprocessor 2 (COP2, LWC2/LDC2/SWC2/SDC2): no CP2 on this CPU -> Coprocessor Unusable, CE=2 ---
    case cop2
    // --- everything else ---
    case reserved

    public static let lastControl = MIPS64Kind.bc1tl
}

extension MIPS64Kind {
    /// The case's number, read from the enum's one-byte representation: the same as `rawValue`
    /// (the raw values are the default 0, 1, 2...; MIPS64KindTagTests checks every case), but
    /// without a call to the raw-value getter in the interpreter's loop.
    @inline(__always) public var tag: UInt8 { unsafeBitCast(self, to: UInt8.self) }
    @inline(__always) public var index: Int { Int(tag) }
}

/// 16 bytes: kind, three register fields, a fourth small field, an extra byte, a 32-bit immediate
/// and the raw instruction word (for diagnostics and the slow paths).
public struct MIPS64Op: Sendable {
    public var kind: MIPS64Kind
    /// Destination register (GPR index, writes to $zero redirected to the sink slot) or fd.
    public var rd: UInt8
    public var rs: UInt8
    public var rt: UInt8
    /// Shift amount, bit position, FP condition, cc number, hardware register...
    public var sa: UInt8
    /// Second small field: ext/ins size, FP fr register, cc for c.cond.
    public var aux: UInt8
    public var pad: UInt16 = 0
    /// Sign-extended immediate, branch offset in bytes, or jump target low bits.
    public var imm: Int32
    public var word: UInt32

    public init(kind: MIPS64Kind, rd: UInt8 = 0, rs: UInt8 = 0, rt: UInt8 = 0, sa: UInt8 = 0, aux: UInt8 = 0, imm: Int32 = 0, word: UInt32) {
        self.kind = kind; self.rd = rd; self.rs = rs; self.rt = rt; self.sa = sa; self.aux = aux
        self.imm = imm; self.word = word
    }
}

/// Slots of the GPR buffer beyond the 32 architectural registers.
public enum MIPS64Reg {
    public static let hi = 32
    public static let lo = 33
    /// Writes to $zero land here so slot 0 always reads 0.
    public static let sink = 34
    public static let count = 40
}
