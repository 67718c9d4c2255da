// Console: output to (and input from) the console UART: bytes, strings, integers in decimal and
// hex. `putchar` is defined here too, so Embedded Swift's `print(...)` writes to the console.
// Output from several CPUs interleaves byte by byte; guests order it themselves.

enum Console {
    static func write(byte: UInt8) { Platform.write(Platform.consolePage, UInt64(byte)) }

    static func write(_ s: StaticString) {
        s.withUTF8Buffer { for b in $0 { write(byte: b) } }
    }

    static func write(_ s: String) {
        for b in s.utf8 { write(byte: b) }
    }

    /// `v` in decimal.
    static func write(decimal v: Int) {
        if v < 0 { write(byte: UInt8(ascii: "-")) }
        write(unsignedDecimal: v.magnitude.asUInt64)
    }

    static func write(unsignedDecimal v: UInt64) {
        var divisor: UInt64 = 1
        while v / divisor >= 10 { divisor *= 10 }
        var rest = v
        while divisor > 0 {
            write(byte: UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// `v` in hex with a 0x prefix, at least `digits` digits.
    static func write(hex v: UInt64, digits: Int = 1) {
        write("0x")
        var started = false
        for i in stride(from: 15, through: 0, by: -1) {
            let nibble = UInt8(truncatingIfNeeded: v >> UInt64(4 * i)) & 0xF
            if nibble != 0 || i < digits || started {
                started = true
                write(byte: nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
            }
        }
    }

    /// The next input byte, or nil when none is waiting.
    static func readByte() -> UInt8? {
        let v = Platform.read(Platform.consolePage + 0x08)
        return v == UInt64.max ? nil : UInt8(truncatingIfNeeded: v)
    }

    /// True when an input byte is waiting.
    static var inputAvailable: Bool { Platform.read(Platform.consolePage + 0x10) & 1 != 0 }
}

extension UInt {
    var asUInt64: UInt64 { UInt64(self) }
}

/// Embedded Swift's `print` writes through `putchar`.
@_cdecl("putchar")
func putchar(_ c: Int32) -> Int32 {
    Console.write(byte: UInt8(truncatingIfNeeded: c))
    return c
}
