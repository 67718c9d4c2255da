// Platform: the k42sim platform contract (docs/platform.md) as seen from guest Swift code:
// physical-to-virtual address conversion per ISA, and 64-bit MMIO register access.
//
// MMIO goes through `_Volatile.VolatileMappedRegister` (volatile, naturally aligned 64-bit
// loads and stores that the compiler may neither merge nor drop nor reorder with each other).
// MIPS reaches devices through xkphys uncached (0x9000_0000_0000_0000 | pa) and RAM below
// 512 MiB through the identity-mapped xuseg window the entry glue wires into the TLB (Swift
// needs pointers with bits 60..63 clear, so ckseg0/xkphys addresses must never hold Swift
// objects); RAM beyond is only reachable raw, through xkphys cached (0x9800_... | pa).
// PPC runs in real mode (MSR[IR|DR] = 0), where virtual = physical for both.
import _Volatile

enum Platform {
    /// Physical base of the MMIO window (a device occupies one 4 KiB page of it).
    static let mmioBase: UInt64 = 0xFF_F000_0000

    static let consolePage: UInt64 = 0x0000
    static let powerPage: UInt64 = 0x1000
    static let clockPage: UInt64 = 0x2000
    static let simCallPage: UInt64 = 0x3000
    static let interruptControllerPage: UInt64 = 0x1_0000

    /// MIPS: RAM below this is identity-mapped in xuseg by Arch/MIPS64/entry.S.
    static let mappedRAM: UInt64 = 0x2000_0000

    /// The uncached virtual address of physical address `pa` (for devices).
    @inline(__always)
    static func uncached(_ pa: UInt64) -> UInt {
        #if K42_MIPS64
        return UInt(0x9000_0000_0000_0000 | pa)
        #else
        return UInt(pa)
        #endif
    }

    /// The cached virtual address of physical RAM address `pa`.
    @inline(__always)
    static func cached(_ pa: UInt64) -> UInt {
        #if K42_MIPS64
        return pa < mappedRAM ? UInt(pa) : UInt(0x9800_0000_0000_0000 | pa)
        #else
        return UInt(pa)
        #endif
    }

    /// The physical address of a RAM virtual address produced by `cached` (or a linker symbol).
    @inline(__always)
    static func physical(_ va: UInt) -> UInt64 {
        #if K42_MIPS64
        let v = UInt64(va)
        return v < mappedRAM ? v : v & 0x0000_00FF_FFFF_FFFF
        #else
        return UInt64(va)
        #endif
    }

    /// The device register at `offset` inside the MMIO window.
    @inline(__always)
    static func register(_ offset: UInt64) -> VolatileMappedRegister<UInt64> {
        VolatileMappedRegister<UInt64>(unsafeBitPattern: uncached(mmioBase + offset))
    }

    @inline(__always)
    static func read(_ offset: UInt64) -> UInt64 { register(offset).load() }

    @inline(__always)
    static func write(_ offset: UInt64, _ value: UInt64) { register(offset).store(value) }
}

/// Power-off device.
enum Power {
    /// Powers the machine off; `k42sim boot` exits with `status & 0xff`.
    static func off(status: UInt64) -> Never {
        Platform.write(Platform.powerPage, status)
        while true { CPU.idle() }
    }
}

/// Machine clock device.
enum Clock {
    /// The reading CPU's current cycle count.
    static var cycles: UInt64 { Platform.read(Platform.clockPage) }
    /// Cycles per simulated second.
    static var frequency: UInt64 { Platform.read(Platform.clockPage + 0x08) }
}
