// BlockDevice: the platform's disk (docs/platform.md, "Block device"). A host image file behind
// 512-byte sectors, one request at a time: the guest sets SECTOR, COUNT and ADDRESS (physical)
// and writes COMMAND; the transfer happens by DMA when the request completes, the configured
// latency after the command, and the issuing CPU's interrupt controller gets the completion
// bit. Read-only unless the machine owner allows writes. Reads past the file's last byte (the
// tail of a partial last sector) are zeros. Deterministic: nothing depends on host timing.
#if canImport(Glibc)
import Glibc
#endif

public struct BlockDeviceError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ d: String) { description = d }
}

public final class BlockDevice {
    public static let sectorSize: UInt64 = 512
    /// The most sectors one request may move (1 MiB).
    public static let maxSectorsPerRequest: UInt64 = 2048

    /// STATUS register values.
    public enum Status {
        public static let idle: UInt64 = 0
        public static let busy: UInt64 = 1
        public static let done: UInt64 = 2
        /// SECTOR + COUNT beyond the device, COUNT 0 or above maxSectorsPerRequest.
        public static let badRange: UInt64 = 0x101
        /// ADDRESS ... ADDRESS + COUNT * 512 not inside RAM.
        public static let badAddress: UInt64 = 0x102
        /// A write to a read-only device.
        public static let readOnly: UInt64 = 0x103
        /// COMMAND is neither 1 (read) nor 2 (write).
        public static let badCommand: UInt64 = 0x104
        /// The host read or write failed (the image file changed size or became unreadable).
        public static let hostError: UInt64 = 0x105
    }
    public enum Command {
        public static let read: UInt64 = 1
        public static let write: UInt64 = 2
    }

    public let path: String
    public let writable: Bool
    public let latency: UInt64
    public let bytes: UInt64
    public var sectors: UInt64 { (bytes + Self.sectorSize - 1) / Self.sectorSize }
    private let fd: Int32

    var sector: UInt64 = 0
    var count: UInt64 = 0
    var address: UInt64 = 0
    var status: UInt64 = Status.idle
    /// The request in flight: its command and the CPU that issued it.
    var command: UInt64 = 0
    var requester = 0
    public private(set) var completed: UInt64 = 0
    public private(set) var sectorsRead: UInt64 = 0
    public private(set) var sectorsWritten: UInt64 = 0

    /// Opens `path` (read-only unless `writable`). `latency`: cycles from COMMAND to completion.
    public init(path: String, writable: Bool, latency: UInt64) throws(BlockDeviceError) {
        guard latency >= 1 && latency <= 1 << 40 else {
            throw BlockDeviceError("disk latency must be 1...2^40 cycles, got \(latency)")
        }
        let fd = open(path, writable ? O_RDWR : O_RDONLY)
        guard fd >= 0 else {
            throw BlockDeviceError("\(path): cannot open disk image\(writable ? " for writing" : ""): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw BlockDeviceError("\(path): disk image is not a regular file")
        }
        self.fd = fd
        self.path = path
        self.writable = writable
        self.latency = latency
        self.bytes = UInt64(st.st_size)
    }

    deinit { close(fd) }

    /// Checks a COMMAND (the device is not busy); nil when the request may start, else the error status.
    func check(_ cmd: UInt64, ramBytes: UInt64) -> UInt64? {
        if cmd != Command.read && cmd != Command.write { return Status.badCommand }
        if cmd == Command.write && !writable { return Status.readOnly }
        if count == 0 || count > Self.maxSectorsPerRequest || sector >= sectors || count > sectors - sector {
            return Status.badRange
        }
        let length = count * Self.sectorSize
        if address >= ramBytes || length > ramBytes - address { return Status.badAddress }
        return nil
    }

    /// Performs the request in flight against RAM (`host(frame)` gives a RAM page).
    func transfer(host: (Int) -> UnsafeMutableRawPointer, invalidateCode: (Int) -> Void) -> UInt64 {
        var offset = sector * Self.sectorSize
        var pa = address
        var left = count * Self.sectorSize
        while left > 0 {
            let chunk = min(left, guestPageSize - (pa & guestPageMask))
            let frame = Int(pa >> guestPageShift)
            let p = host(frame) + Int(pa & guestPageMask)
            if command == Command.read {
                let avail = offset < bytes ? min(chunk, bytes - offset) : 0
                if avail > 0 {
                    let n = pread(fd, p, Int(avail), off_t(offset))
                    if n != Int(avail) { return Status.hostError }
                }
                if avail < chunk { memset(p + Int(avail), 0, Int(chunk - avail)) }
                invalidateCode(frame)
            } else {
                let avail = offset < bytes ? min(chunk, bytes - offset) : 0
                // Writes keep the image's size: the padding of a partial last sector is dropped.
                if avail > 0 && pwrite(fd, p, Int(avail), off_t(offset)) != Int(avail) { return Status.hostError }
            }
            offset += chunk; pa += chunk; left -= chunk
        }
        if command == Command.read { sectorsRead += count } else { sectorsWritten += count }
        completed += 1
        return Status.done
    }
}
