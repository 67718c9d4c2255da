// PPC64Op: the pre-decoded form of one PowerPC instruction (16 bytes): a dense opcode kind plus
// operand fields already turned into register-file slot indices (see PPC64Reg), immediates
// sign-extended, rotate masks and branch displacements computed once at decode time.

public struct PPC64Op {
    public var kind: PPC64OpKind
    /// Destination slot (RT/FRT/VRT/XT, or RS of stores; RA of logical forms).
    public var d: UInt8
    /// First source slot (RA, or RS of logical forms; rA=0 forms point at PPC64Reg.zero).
    public var a: UInt8
    /// Second source slot (RB) or a small field (shift amount, SPR slot, ...).
    public var b: UInt8
    /// Third source slot (FRC/VRC) or a small field (CR field shift, BI shift, ...).
    public var c: UInt8
    /// Flags: bit 0 Rc (record form), bit 1 OE; for branches bit 0 LK, bit 1 target in page.
    public var x: UInt8
    /// Kind-specific small field (BO, element index, ...).
    public var y: UInt8
    /// Immediate (sign-extended), mask, displacement, or the raw instruction word for illegal ops.
    public var imm: UInt64

    @inline(__always)
    public init(kind: PPC64OpKind, d: UInt8 = 0, a: UInt8 = 0, b: UInt8 = 0, c: UInt8 = 0, x: UInt8 = 0, y: UInt8 = 0, imm: UInt64 = 0) {
        self.kind = kind; self.d = d; self.a = a; self.b = b; self.c = c; self.x = x; self.y = y; self.imm = imm
    }
}
