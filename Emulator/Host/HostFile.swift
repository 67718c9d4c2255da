// HostFile: small, allocation-light helpers for reading host files without Foundation.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

public struct HostFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    /// The OS reason alone, e.g. "No such file or directory".
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

public enum HostFile {
    /// Reads a whole file; the error text names the path and the OS reason.
    public static func readAll(path: String) throws(HostFileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw HostFileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            throw HostFileError(path: path, reason: String(cString: strerror(EISDIR)))
        }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw HostFileError(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            result.append(contentsOf: buffer[0 ..< n])
        }
        return result
    }
}
