// MIPS64KnownDisagreements: every kind of word on which k42sim's MIPS64 Release 2 decoder and
// capstone 4 (CS_MODE_MIPS64) are allowed to differ, each with its reason. The reference is the
// MIPS64 Architecture Volume II (Release 2) opcode tables; where capstone is the odd one out, GNU
// objdump (binutils mips64el, -m mips:isa64r2) and/or llvm-objdump (--mcpu=mips64r2) were
// checked by hand and agree with k42sim. Each entry matches a narrow encoding pattern AND the
// specific answer each side must give (k = k42sim's canonical name, c = capstone's; nil = invalid),
// so a decoder bug inside such a pattern still shows up as unexplained.
enum MIPS64KnownDisagreements {
    /// SPECIAL3 functions of the MIPS64r2 base ISA: ext dextm dextu dext ins dinsm dinsu dins, BSHFL,
    /// DBSHFL, rdhwr. Every other function is an ASE (DSP, MT) or reserved.
    static let special3Base: Set<UInt32> = [0, 1, 2, 3, 4, 5, 6, 7, 0x20, 0x24, 0x3b]
    /// SPECIAL2 functions of the base ISA: madd maddu mul msub msubu clz clo dclz dclo sdbbp.
    static let special2Base: Set<UInt32> = [0, 1, 2, 4, 5, 0x20, 0x21, 0x24, 0x25, 0x3f]

    /// DSP ASE accumulator forms: the base HI/LO instructions with an accumulator number 1-3 in a
    /// field that MIPS64r2 fixes at zero (rd bits 12..11, or rs bits 22..21 for mfhi/mflo).
    static func isDSPAccumulatorForm(_ w: MIPSWord) -> Bool {
        let acInRd = (1 ... 3).contains(w.rd) && w.sa == 0
        switch (w.opcode, w.funct) {
        case (0, 0x18), (0, 0x19): return acInRd                               // mult, multu
        case (0x1c, 0), (0x1c, 1), (0x1c, 4), (0x1c, 5): return acInRd         // madd(u), msub(u)
        case (0, 0x11), (0, 0x13): return acInRd && w.rt == 0                 // mthi, mtlo
        case (0, 0x10), (0, 0x12): return (1 ... 3).contains(w.rs) && w.rt == 0 && w.sa == 0  // mfhi, mflo
        default: return false
        }
    }

    static let all: [KnownDisagreement] = [
        // --- Encodings outside the MIPS64r2 base ISA that capstone 4 decodes; k42sim reserves them.
        KnownDisagreement(
            name: "MSA (SIMD ASE, Release 5)",
            reason: "capstone decodes MSA: opcode 0x1e (MDMX/ASE slot in MIPS64r2), COP1 rs 0x0b/0x0f/0x18-0x1f "
                + "(bz/bnz.v/.df), SPECIAL funct 0x05/0x15 (lsa/dlsa); all reserved in MIPS64r2 without MSA"
        ) { w, k, c in
            k == nil && c != nil && (w.opcode == 0x1e
                || w.opcode == 0x11 && (w.rs == 0x0b || w.rs == 0x0f || w.rs >= 0x18)
                || w.opcode == 0 && (w.funct == 0x05 || w.funct == 0x15))
        },
        KnownDisagreement(
            name: "DSP ASE",
            reason: "capstone decodes DSP r1/r2: SPECIAL3 functions outside ext/ins/bshfl/dbshfl/rdhwr, REGIMM "
                + "bposge32/64, and mult/madd/msub/mfhi/mthi/... with an accumulator ($ac1-3) in a field MIPS64r2 fixes at 0"
        ) { w, k, c in
            k == nil && c != nil && (w.opcode == 0x1f && !special3Base.contains(w.funct)
                || w.opcode == 0x01 && (w.rt == 0x1c || w.rt == 0x1d)
                || isDSPAccumulatorForm(w))
        },
        KnownDisagreement(
            name: "Cavium Octeon (cnMIPS)",
            reason: "capstone 4 enables Octeon in MIPS64 mode: SPECIAL2 functions outside the base set (cins, exts, "
                + "seq(i), sne(i), dmul, pop, baddu, mtm/mtp, v3mulu...) and bbit0/bbit032/bbit1/bbit132 in the "
                + "LWC2/LDC2/SWC2/SDC2 opcodes; k42sim has no Octeon and no coprocessor 2"
        ) { w, k, c in
            k == nil && c != nil && (w.opcode == 0x1c && !special2Base.contains(w.funct)
                || [0x32, 0x36, 0x3a, 0x3e].contains(w.opcode) && c!.hasPrefix("bbit"))
        },
        KnownDisagreement(
            name: "COP2",
            reason: "coprocessor 2 is implementation-defined in MIPS64r2 and k42sim implements none (its decoder "
                + "reserves opcode 0x12); capstone decodes mfc2/mtc2/dmfc2/dmtc2/bc2f/bc2t..."
        ) { w, k, c in w.opcode == 0x12 && k == nil && c != nil },
        KnownDisagreement(
            name: "JALX",
            reason: "JALX (opcode 0x1d) exists only with MIPS16e or microMIPS, which k42sim does not implement: "
                + "Reserved Instruction on MIPS64r2 without them; capstone always decodes it"
        ) { w, k, c in w.opcode == 0x1d && k == nil && c == "jalx" },

        // --- Capstone 4 decodes encodings that are reserved in MIPS64r2.
        KnownDisagreement(
            name: "capstone: bc0f/bc0t",
            reason: "COP0 rs=8 (BC0x) existed in MIPS I-III only; reserved in MIPS64r2 (GNU objdump: not decoded)"
        ) { w, k, c in w.opcode == 0x10 && w.rs == 8 && k == nil && (c?.hasPrefix("bc0") ?? false) },
        KnownDisagreement(
            name: "capstone: bc3f/bc3t in COP1X",
            reason: "opcode 0x13 was COP3 in MIPS I-III; MIPS64 made it COP1X, where bits 25..21 are a base or fr "
                + "register, so rs=8 is lwxc1/madd.s/... or reserved, never bc3 (GNU objdump, llvm: not bc3)"
        ) { w, _, c in w.opcode == 0x13 && w.rs == 8 && (c?.hasPrefix("bc3") ?? false) },
        KnownDisagreement(
            name: "capstone: sync with nonzero bits 25..11",
            reason: "SYNC is SPECIAL 0(15 bits) stype 0x0f; capstone (and llvm) ignore bits 25..11, GNU objdump "
                + "and k42sim reserve such words"
        ) { w, k, c in w.opcode == 0 && w.funct == 0x0f && (w.raw >> 11) & 0x7fff != 0 && k == nil && c == "sync" },
        KnownDisagreement(
            name: "ins/dins/dinsu with msb < lsb",
            reason: "UNPREDICTABLE in the manual (field size would be <= 0); capstone prints a negative size, "
                + "k42sim reserves the word"
        ) { w, k, c in w.opcode == 0x1f && [4, 6, 7].contains(w.funct) && w.rd < w.sa && k == nil && c != nil },

        // --- MIPS64r2 instructions capstone 4 cannot decode; k42sim decodes them.
        KnownDisagreement(
            name: "capstone: c.cond.fmt with cc != 0",
            reason: "capstone 4 only decodes c.cond.fmt writing $fcc0; MIPS IV and later have 8 condition codes "
                + "(gcc emits c.ule.d $fcc1 in glibc; GNU objdump and llvm decode it)"
        ) { w, k, c in
            w.opcode == 0x11 && (w.rs == 0x10 || w.rs == 0x11) && w.funct >= 0x30 && w.sa & 3 == 0 && w.sa >> 2 != 0
                && c == nil && (k?.hasPrefix("c.") ?? false)
        },
        KnownDisagreement(
            name: "capstone: recip.fmt/rsqrt.fmt",
            reason: "recip.s/d and rsqrt.s/d are MIPS64 (MIPS IV) instructions capstone 4 lacks (GNU objdump, llvm decode them)"
        ) { w, k, c in
            w.opcode == 0x11 && (w.funct == 0x15 || w.funct == 0x16) && w.rt == 0 && c == nil
                && ["recip.s", "recip.d", "rsqrt.s", "rsqrt.d"].contains(k ?? "")
        },
        KnownDisagreement(
            name: "capstone: prefx",
            reason: "PREFX (COP1X funct 0x0f) is in MIPS64r2; capstone 4 lacks it (GNU objdump decodes it)"
        ) { w, k, c in w.opcode == 0x13 && w.funct == 0x0f && w.sa == 0 && c == nil && k == "prefx" },
        KnownDisagreement(
            name: "capstone: rdpgpr/wrpgpr",
            reason: "shadow-register moves (COP0 rs 10/14) are Release 2 instructions capstone 4 lacks (GNU objdump decodes them)"
        ) { w, k, c in
            w.opcode == 0x10 && w.raw & 0x7ff == 0 && c == nil && (w.rs == 10 && k == "rdpgpr" || w.rs == 14 && k == "wrpgpr")
        },
        KnownDisagreement(
            name: "capstone: wait with a code",
            reason: "WAIT's bits 24..6 are an implementation-dependent code, not zero bits; capstone 4 requires "
                + "zero (GNU objdump prints `wait 0x...`)"
        ) { w, k, c in
            w.opcode == 0x10 && w.rs >= 16 && w.funct == 0x20 && (w.raw >> 6) & 0x7ffff != 0 && c == nil && k == "wait"
        },
        KnownDisagreement(
            name: "capstone: rdhwr other than $29",
            reason: "capstone 4 decodes rdhwr only for hardware register 29 (UserLocal); MIPS64r2 defines 0-3 "
                + "and 29 and leaves the rest to the execution-time check (Reserved Instruction when not enabled)"
        ) { w, k, c in
            w.opcode == 0x1f && w.funct == 0x3b && w.rs == 0 && w.sa == 0 && w.rd != 29 && c == nil && k == "rdhwr"
        },
    ]
}
