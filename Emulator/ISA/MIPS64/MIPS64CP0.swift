// MIPS64CP0: the system-control coprocessor state of a full-system MIPS64 CPU (MIPS64 PRA ch. 9,
// "CP0 Registers"), the joint TLB, and the detail of the last translation fault (which exception
// the MMU wants: refill, invalid, modified, address error, bus error). Register read/write
// semantics live in MIPS64SystemCPU+COP0.swift; the field layouts are documented there.

public enum MIPS64ExcCode {
    public static let interrupt: UInt64 = 0, mod: UInt64 = 1, tlbl: UInt64 = 2, tlbs: UInt64 = 3
    public static let adel: UInt64 = 4, ades: UInt64 = 5, ibe: UInt64 = 6, dbe: UInt64 = 7
    public static let sys: UInt64 = 8, bp: UInt64 = 9, ri: UInt64 = 10, cpu: UInt64 = 11
    public static let ov: UInt64 = 12, tr: UInt64 = 13, fpe: UInt64 = 15
}

/// Status register bits (MIPS64 PRA 9.30).
public enum MIPS64Status {
    public static let ie: UInt64 = 1 << 0, exl: UInt64 = 1 << 1, erl: UInt64 = 1 << 2
    public static let ksuShift: UInt64 = 3, ksu: UInt64 = 3 << 3
    public static let ux: UInt64 = 1 << 5, sx: UInt64 = 1 << 6, kx: UInt64 = 1 << 7
    public static let im: UInt64 = 0xFF << 8
    public static let bev: UInt64 = 1 << 22
    public static let fr: UInt64 = 1 << 26
    public static let cu0: UInt64 = 1 << 28, cu1: UInt64 = 1 << 29
    /// Writable: CU1, CU0, FR, BEV, IM, KX, SX, UX, KSU, ERL, EXL, IE.
    public static let writable: UInt64 = 0x3440_FFFF
    /// Platform reset value (docs/platform.md): kernel mode, 64-bit segments, FR=1, IE=0.
    public static let reset: UInt64 = fr | kx | sx | ux
}

/// Cause register bits (MIPS64 PRA 9.31).
public enum MIPS64Cause {
    public static let bd: UInt64 = 1 << 31, ti: UInt64 = 1 << 30
    public static let ceShift: UInt64 = 28
    public static let iv: UInt64 = 1 << 23
    public static let ip2: UInt64 = 1 << 10, ip7: UInt64 = 1 << 15
    public static let softIP: UInt64 = 3 << 8
    public static let writable: UInt64 = iv | softIP
}

/// `MemoryFault.flags` of a fault the MIPS64 system MMU described (`MemoryFault.code` is the
/// ExcCode).
public enum MIPS64FaultFlags {
    /// TLB refill (no matching entry): uses the refill vector when EXL = 0.
    public static let refill: UInt64 = 1
    /// TLB exception: BadVAddr, Context, XContext and EntryHi.VPN2 are loaded.
    public static let tlb: UInt64 = 2
    /// BadVAddr is loaded (bus errors leave it unchanged).
    public static let setsBadVAddr: UInt64 = 4
}

public final class MIPS64CP0 {
    public var index: UInt64 = 0
    public var entryLo0: UInt64 = 0
    public var entryLo1: UInt64 = 0
    public var context: UInt64 = 0
    public var pageMask: UInt64 = 0
    public var wired: UInt64 = 0
    public var hwrEna: UInt64 = 0
    public var badVAddr: UInt64 = 0
    public var entryHi: UInt64 = 0
    public var compare: UInt32 = 0
    public var status: UInt64 = MIPS64Status.reset
    /// Cause without IP7..IP2 and TI, which are computed (timer, external line).
    public var cause: UInt64 = 0
    public var epc: UInt64 = 0
    public var errorEPC: UInt64 = 0
    public var ebase: UInt64
    public var config0K0: UInt64 = 3
    public var xcontext: UInt64 = 0
    public let tlb: MIPS64TLB

    public init(cpuNumber: Int, tlbEntries: Int) {
        ebase = 0x8000_0000 | UInt64(cpuNumber & 0x3FF)
        tlb = MIPS64TLB(size: tlbEntries)
    }

    public var asid: UInt64 { entryHi & 0xFF }

    /// Kernel mode: KSU = 0 or EXL or ERL.
    public var privilegeMode: Int {
        if status & (MIPS64Status.exl | MIPS64Status.erl) != 0 { return 0 }
        let ksu = Int((status >> MIPS64Status.ksuShift) & 3)
        return ksu == 3 ? 2 : ksu   // KSU = 3 is reserved; treated as user
    }
}
