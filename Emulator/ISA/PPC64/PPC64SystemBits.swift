// PPC64SystemBits: named bits of the Book III-S registers a full-system PPC64 CPU models (MSR,
// SRR1 interrupt-specific bits, DSISR, LPCR) and the SPR numbers it implements, in the ISA's
// values (Power ISA 2.07; IBM bit n of a 64-bit register is 1 << (63 - n)).

public enum PPC64MSR {
    public static let sf: UInt64 = 1 << 63, hv: UInt64 = 1 << 60
    public static let vec: UInt64 = 1 << 25, vsx: UInt64 = 1 << 23
    public static let ee: UInt64 = 1 << 15, pr: UInt64 = 1 << 14, fp: UInt64 = 1 << 13, me: UInt64 = 1 << 12
    public static let fe0: UInt64 = 1 << 11, se: UInt64 = 1 << 10, be: UInt64 = 1 << 9, fe1: UInt64 = 1 << 8
    public static let ir: UInt64 = 1 << 5, dr: UInt64 = 1 << 4, pmm: UInt64 = 1 << 2, ri: UInt64 = 1 << 1, le: UInt64 = 1
    /// Bits that read as 1 whatever is written (docs/ppc64-system.md: 64-bit, hypervisor,
    /// little-endian only).
    public static let fixedOn: UInt64 = sf | hv | le
    /// Bits k42sim keeps; the others read 0.
    public static let implemented: UInt64 = sf | hv | vec | vsx | ee | pr | fp | me | fe0 | se | be | fe1 | ir | dr | pmm | ri | le
}

public enum PPC64Bits {
    // SRR1 bits 33:36 and 42:47 are interrupt-specific; the rest come from the MSR.
    public static let srr1Specific: UInt64 = 0x0000_0000_783F_0000
    // Program interrupt (SRR1).
    public static let programFP: UInt64 = 0x0010_0000, programIllegal: UInt64 = 0x0008_0000
    public static let programPrivileged: UInt64 = 0x0004_0000, programTrap: UInt64 = 0x0002_0000
    // DSISR (data storage) and SRR1 (instruction storage).
    public static let noTranslation: UInt64 = 0x4000_0000, noExecute: UInt64 = 0x1000_0000
    public static let protection: UInt64 = 0x0800_0000, dsisrStore: UInt64 = 0x0200_0000
    // Machine check (SRR1, implementation-specific as on POWER8: bit 42 load/store, 45 fetch).
    public static let mcLoadStore: UInt64 = 0x0020_0000, mcInstruction: UInt64 = 0x0004_0000
    // Power-saving wake-up (SRR1 42:45 reason, 46:47 state loss), POWER8 encoding.
    public static let wakeExternal: UInt64 = 0x0020_0000, wakeDecrementer: UInt64 = 0x0018_0000
    public static let wakeNoLoss: UInt64 = 0x0001_0000
    // LPCR.
    public static let lpcrILE: UInt64 = 0x0200_0000, lpcrLPES0: UInt64 = 0x8
}

public enum PPC64SPR {
    public static let xer = 1, dscrUser = 3, lr = 8, ctr = 9, dscr = 17, dsisr = 18, dar = 19, dec = 22
    public static let sdr1 = 25, srr0 = 26, srr1 = 27, cfar = 28
    public static let ctrlRead = 136, ctrlWrite = 152, vrsave = 256, sprg3User = 259
    public static let tbRead = 268, tbuRead = 269
    public static let sprg0 = 272, sprg1 = 273, sprg2 = 274, sprg3 = 275, tbl = 284, tbu = 285, pvr = 287
    public static let hsprg0 = 304, hsprg1 = 305, hrmor = 313, hsrr0 = 314, hsrr1 = 315, lpcr = 318, lpidr = 319
    public static let tar = 815, ppr = 896, pir = 1023
    public static let pvrPOWER8: UInt64 = 0x004D_0200
}

/// Interrupt vector offsets (Book III-S 6.5).
public enum PPC64IntVector {
    public static let systemReset: UInt64 = 0x100, machineCheck: UInt64 = 0x200
    public static let dataStorage: UInt64 = 0x300, dataSegment: UInt64 = 0x380
    public static let instructionStorage: UInt64 = 0x400, instructionSegment: UInt64 = 0x480
    public static let external: UInt64 = 0x500, alignment: UInt64 = 0x600, program: UInt64 = 0x700
    public static let fpUnavailable: UInt64 = 0x800, decrementer: UInt64 = 0x900, systemCall: UInt64 = 0xC00
    public static let trace: UInt64 = 0xD00, vectorUnavailable: UInt64 = 0xF20, vsxUnavailable: UInt64 = 0xF40

    static func name(_ v: UInt64) -> String {
        switch v {
        case systemReset: return "system reset"
        case machineCheck: return "machine check"
        case dataStorage: return "DSI"
        case dataSegment: return "data segment"
        case instructionStorage: return "ISI"
        case instructionSegment: return "instruction segment"
        case external: return "external"
        case alignment: return "alignment"
        case program: return "program"
        case fpUnavailable: return "FP unavailable"
        case decrementer: return "decrementer"
        case systemCall: return "system call"
        case trace: return "trace"
        case vectorUnavailable: return "vector unavailable"
        case vsxUnavailable: return "VSX unavailable"
        default: return "0x\(String(v, radix: 16))"
        }
    }
}
