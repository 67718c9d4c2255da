// LinuxSupport: small pieces the syscall layer shares: generic errno names, a byte builder for
// guest structs in guest byte order, the deterministic random generator (seeded SplitMix64)
// and a stderr writer that needs no global C FILE state.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Generic Linux errno values (the host's numbering); LinuxABI.guestErrno maps them per ABI.
enum LinuxErrno: Int32, Error {
    case EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, E2BIG = 7, ENOEXEC = 8, EBADF = 9, ECHILD = 10
    case EAGAIN = 11, ENOMEM = 12
    case EACCES = 13, EFAULT = 14, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22
    case ENFILE = 23, EMFILE = 24, ENOTTY = 25, ETXTBSY = 26, ENOSPC = 28, ESPIPE = 29, EROFS = 30, ERANGE = 34, EDEADLK = 35
    case EPIPE = 32, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, EOVERFLOW = 75, EOPNOTSUPP = 95, EAFNOSUPPORT = 97, ETIMEDOUT = 110
}

/// A guest struct being built: little or big endian per the guest, fixed size, zero filled.
struct GuestStruct {
    var bytes: [UInt8]
    let bigEndian: Bool

    init(size: Int, bigEndian: Bool) {
        bytes = [UInt8](repeating: 0, count: size)
        self.bigEndian = bigEndian
    }

    mutating func put(_ offset: Int, _ value: UInt64, size: Int) {
        for i in 0 ..< size {
            let shift = bigEndian ? (size - 1 - i) * 8 : i * 8
            bytes[offset + i] = UInt8(truncatingIfNeeded: value >> UInt64(shift))
        }
    }
    mutating func put8(_ offset: Int, _ v: UInt64) { put(offset, v, size: 1) }
    mutating func put16(_ offset: Int, _ v: UInt64) { put(offset, v, size: 2) }
    mutating func put32(_ offset: Int, _ v: UInt64) { put(offset, v, size: 4) }
    mutating func put64(_ offset: Int, _ v: UInt64) { put(offset, v, size: 8) }
    mutating func put64(_ offset: Int, _ v: Int64) { put(offset, UInt64(bitPattern: v), size: 8) }
    mutating func putString(_ offset: Int, _ s: String, field: Int) {
        let u = Array(s.utf8.prefix(field - 1))
        for (i, b) in u.enumerated() { bytes[offset + i] = b }
    }

    /// Reads a field of a guest struct held in `raw` (guest byte order).
    static func get(_ raw: [UInt8], _ offset: Int, size: Int, bigEndian: Bool) -> UInt64 {
        var v: UInt64 = 0
        for i in 0 ..< size {
            let shift = bigEndian ? (size - 1 - i) * 8 : i * 8
            v |= UInt64(raw[offset + i]) << UInt64(shift)
        }
        return v
    }
}

/// SplitMix64: a tiny deterministic generator; the stream depends only on the seed.
struct DeterministicRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { raw in
            var i = 0
            while i < count {
                let w = next().littleEndian
                let n = min(8, count - i)
                withUnsafeBytes(of: w) { raw.baseAddress!.advanced(by: i).copyMemory(from: $0.baseAddress!, byteCount: n) }
                i += n
            }
        }
        return out
    }
}

/// Writes a line (plus newline) to the host's stderr.
func hostStderrLine(_ s: String) { hostLogLine(s, fd: 2) }

/// Writes a line (plus newline) to a host file descriptor.
func hostLogLine(_ s: String, fd: Int32) {
    var line = Array(s.utf8)
    line.append(10)
    line.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
            done += n
        }
    }
}


/// A failed step inside a system call, carrying its -errno result (generic numbering).
struct SysFailure: Error {
    var result: Int64
}

/// The host's current directory.
func hostCurrentDirectory() -> String? {
    var buf = [UInt8](repeating: 0, count: 4096)
    let ok = buf.withUnsafeMutableBufferPointer { p in
        p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { getcwd($0, p.count) } != nil
    }
    guard ok, let end = buf.firstIndex(of: 0) else { return nil }
    return String(decoding: buf[0 ..< end], as: UTF8.self)
}

/// "0x" + lower-case hexadecimal.
func hex0x(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
