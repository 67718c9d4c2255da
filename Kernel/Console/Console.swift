// Console: kernel output on the platform UART, whole lines at a time. Text is collected in the
// current thread's line buffer (or, before this CPU runs threads, its per-CPU buffer) and a
// finished line is written under the console lock, so lines from concurrent CPUs and threads
// never interleave within a line. `raw` writes straight to the UART, for the boot CPU's first
// messages and for panics. Embedded Swift's `print` arrives through `putchar`.

enum Console {
    static let lineCapacity = 240

    // Unbuffered output.
    static func raw(byte: UInt8) { Devices.consoleWrite(byte) }
    static func raw(_ s: StaticString) { s.withUTF8Buffer { for b in $0 { raw(byte: b) } } }
    static func raw(_ b: UnsafeBufferPointer<UInt8>) { for x in b { raw(byte: x) } }
    static func raw(hex v: UInt64) { formatHex(v) { raw(byte: $0) } }
    static func raw(decimal v: UInt64) { formatDecimal(v) { raw(byte: $0) } }

    /// The line buffer in use on this CPU: [length word][bytes]. Every CPU maps its per-CPU
    /// area before it runs any other Swift code, so this is always valid.
    @inline(__always) static var buffer: UnsafeMutablePointer<UInt64> {
        let pca = PCA.local
        let thread = pca.word(CPUArea.currentThread).pointee
        if thread != 0 { return ThreadRecord(UInt(thread)).lineBuffer }
        return pca.word(CPUArea.lineBuffer)
    }

    static func put(_ byte: UInt8) {
        let line = buffer
        let bytes = UnsafeMutableRawPointer(line + 1).assumingMemoryBound(to: UInt8.self)
        var n = Int(line.pointee)
        bytes[n] = byte
        n += 1
        line.pointee = UInt64(n)
        if byte == 0x0A || n == lineCapacity { flush(line) }
    }

    /// Writes a buffered line (whatever it holds) under the console lock.
    static func flush(_ line: UnsafeMutablePointer<UInt64>) {
        let n = Int(line.pointee)
        guard n > 0 else { return }
        let bytes = UnsafeMutableRawPointer(line + 1).assumingMemoryBound(to: UInt8.self)
        let lock = SpinLock(KernelWords.consoleLock)
        let token = lock.lockDisablingInterrupts()
        if KernelWords.panicking.pointee == 0 {
            for i in 0 ..< n { Devices.consoleWrite(bytes[i]) }
        }
        lock.unlock(restoring: token)
        line.pointee = 0
    }

    static func write(_ s: StaticString) { s.withUTF8Buffer { for b in $0 { put(b) } } }
    static func write(_ s: String) { for b in s.utf8 { put(b) } }
    static func write(decimal v: Int) {
        if v < 0 { put(UInt8(ascii: "-")) }
        formatDecimal(v.magnitude.asUInt64) { put($0) }
    }
    static func write(decimal v: UInt64) { formatDecimal(v) { put($0) } }
    static func write(hex v: UInt64) { formatHex(v) { put($0) } }

    static func formatDecimal(_ v: UInt64, _ out: (UInt8) -> Void) {
        var divisor: UInt64 = 1
        while v / divisor >= 10 { divisor *= 10 }
        var rest = v
        while divisor > 0 {
            out(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    static func formatHex(_ v: UInt64, _ out: (UInt8) -> Void) {
        out(UInt8(ascii: "0")); out(UInt8(ascii: "x"))
        var started = false
        for i in stride(from: 15, through: 0, by: -1) {
            let nibble = UInt8(truncatingIfNeeded: v >> UInt64(4 * i)) & 0xF
            if nibble != 0 || i == 0 || started {
                started = true
                out(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
            }
        }
    }
}

extension UInt {
    var asUInt64: UInt64 { UInt64(self) }
}

/// Embedded Swift's `print` writes through `putchar`.
@_cdecl("putchar")
func putchar(_ c: Int32) -> Int32 {
    Console.put(UInt8(truncatingIfNeeded: c))
    return c
}
