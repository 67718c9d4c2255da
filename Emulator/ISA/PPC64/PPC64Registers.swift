// PPC64Registers: the layout of a PowerPC64 CPU's architectural state in one flat buffer of
// UInt64 slots, so the interpreter addresses every register by a pre-scaled index decoded once.
// GPRs, a constant-zero slot (rA=0 forms), user SPRs, CR, XER pieces, FPSCR/VSCR, the 64 VSRs
// (two slots each, host-little-endian 128-bit value: slot 2n = doubleword 1, slot 2n+1 =
// doubleword 0 = FPR n) and the privileged-mode hooks (MSR, SRR0/1) for full-system mode later.

public enum PPC64Reg {
    public static let gpr = 0              // 0...31
    public static let zero = 32            // always 0; rA=0 operands point here
    public static let lr = 33
    public static let ctr = 34
    public static let cr = 35              // low 32 bits: CR0 in bits 31..28
    public static let so = 36              // XER[SO] as 0/1
    public static let ov = 37              // XER[OV] as 0/1
    public static let ca = 38              // XER[CA] as 0/1
    public static let xerRest = 39         // other XER bits (byte count in 0..6)
    public static let fpscr = 40
    public static let vscr = 41
    public static let vrsave = 42
    public static let tar = 43
    public static let dscr = 44
    public static let ppr = 45
    public static let msr = 46
    public static let srr0 = 47
    public static let srr1 = 48
    public static let resAddr = 49         // reservation address (larx/stcx.)
    public static let resValid = 50        // 0 or the reservation's size in bytes
    public static let scratch = 51         // write sink for decoded-away destinations
    public static let tbOffset = 52        // time base = instruction count + offset
    public static let liveCount = 53       // full system: instructions completed in the current run
    public static let facilityOff = 54     // full system: PPC64Facility bits currently unavailable
    public static let cycles = 55          // timing mode: the CPU's cycle counter (all costs so far)
    public static let fetchLine = 56       // timing mode: physical address of the last fetched I-cache line
    public static let blockMask = 57       // cache block size - 1: dcbz zeroes the block (127, or the L1 line size - 1)
    public static let vsr = 64             // VSR n: slots 64+2n (dw1) and 64+2n+1 (dw0)
    public static let count = 64 + 128

    @inline(__always) public static func fpr(_ n: Int) -> Int { vsr + 2 * n + 1 }
    @inline(__always) public static func vsrLow(_ n: Int) -> Int { vsr + 2 * n }
    @inline(__always) public static func vr(_ n: Int) -> Int { vsr + 2 * (32 + n) }
}

/// Owns the register buffer of one CPU and offers checked accessors for runners and tests.
public final class PPC64RegisterFile {
    public let slots: UnsafeMutablePointer<UInt64>

    public init() {
        slots = .allocate(capacity: PPC64Reg.count)
        slots.initialize(repeating: 0, count: PPC64Reg.count)
        slots[PPC64Reg.blockMask] = PPC64Mem.defaultBlockSize - 1
    }
    deinit { slots.deallocate() }

    public subscript(gpr n: Int) -> UInt64 {
        get { slots[n & 31] }
        set { slots[n & 31] = newValue }
    }
    public var lr: UInt64 { get { slots[PPC64Reg.lr] } set { slots[PPC64Reg.lr] = newValue } }
    public var ctr: UInt64 { get { slots[PPC64Reg.ctr] } set { slots[PPC64Reg.ctr] = newValue } }
    public var cr: UInt32 {
        get { UInt32(truncatingIfNeeded: slots[PPC64Reg.cr]) }
        set { slots[PPC64Reg.cr] = UInt64(newValue) }
    }
    public var fpscr: UInt64 { get { slots[PPC64Reg.fpscr] } set { slots[PPC64Reg.fpscr] = newValue } }
    /// XER composed from its pieces (SO bit 31, OV bit 30, CA bit 29, low bits).
    public var xer: UInt64 {
        get { PPC64Registers.composeXER(slots) }
        set { PPC64Registers.setXER(slots, newValue) }
    }
    public subscript(fpr n: Int) -> UInt64 {
        get { slots[PPC64Reg.fpr(n & 31)] }
        set { slots[PPC64Reg.fpr(n & 31)] = newValue }
    }
    /// VSR n as (doubleword 0, doubleword 1) in ISA numbering.
    public subscript(vsr n: Int) -> (UInt64, UInt64) {
        get { (slots[PPC64Reg.vsr + 2 * (n & 63) + 1], slots[PPC64Reg.vsr + 2 * (n & 63)]) }
        set { slots[PPC64Reg.vsr + 2 * (n & 63) + 1] = newValue.0; slots[PPC64Reg.vsr + 2 * (n & 63)] = newValue.1 }
    }
}

public enum PPC64Registers {
    @inline(__always)
    static func composeXER(_ r: UnsafeMutablePointer<UInt64>) -> UInt64 {
        (r[PPC64Reg.so] << 31) | (r[PPC64Reg.ov] << 30) | (r[PPC64Reg.ca] << 29) | r[PPC64Reg.xerRest]
    }
    @inline(__always)
    static func setXER(_ r: UnsafeMutablePointer<UInt64>, _ v: UInt64) {
        r[PPC64Reg.so] = (v >> 31) & 1
        r[PPC64Reg.ov] = (v >> 30) & 1
        r[PPC64Reg.ca] = (v >> 29) & 1
        r[PPC64Reg.xerRest] = v & 0x7F
    }
}
