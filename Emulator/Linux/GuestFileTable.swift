// GuestFileTable: the guest's file descriptors. A guest fd names either a host file descriptor
// (shared by dup'ed guest fds, like one open file description) or the emulator's deterministic
// random device (/dev/urandom, /dev/random). Guest 0/1/2 start as host 0/1/2, which the table
// never closes; other host fds are owned and closed when their last guest fd goes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

final class HostDescriptor {
    let fd: Int32
    /// Whether closing the last guest reference closes the host fd (false for host stdio).
    let owned: Bool
    var references = 0
    /// An end of a pipe the guest made (pipe2): host side non-blocking, see sysRead/sysWrite.
    let isPipe: Bool
    /// Both ends of one guest pipe share this number (the wait channel of its readers and writers).
    let pipeID: Int
    init(fd: Int32, owned: Bool, isPipe: Bool = false, pipeID: Int = 0) {
        self.fd = fd; self.owned = owned; self.isPipe = isPipe; self.pipeID = pipeID
    }
}

enum GuestFileKind {
    case host(HostDescriptor)
    case random
}

struct GuestFile {
    var kind: GuestFileKind
    var closeOnExec: Bool
    /// O_RDONLY/O_WRONLY/O_RDWR and status bits in GUEST numbering, for F_GETFL.
    var guestStatusFlags: UInt64
    var hostFD: Int32? {
        if case .host(let h) = kind { return h.fd }
        return nil
    }
}

struct GuestFileTable {
    /// RLIMIT_NOFILE: guest fds are 0 ..< limit.
    static let limit = 1024
    private var slots: [GuestFile?] = []

    /// Guest 0/1/2 -> host 0/1/2 (not owned).
    static func withStandardStreams(statusFlags: (Int32) -> UInt64) -> GuestFileTable {
        var t = GuestFileTable()
        for fd in Int32(0) ... 2 {
            let h = HostDescriptor(fd: fd, owned: false)
            _ = t.install(GuestFile(kind: .host(h), closeOnExec: false, guestStatusFlags: statusFlags(fd)))
        }
        return t
    }

    func get(_ fd: UInt64) -> GuestFile? {
        guard fd < UInt64(slots.count) else { return nil }
        return slots[Int(fd)]
    }

    mutating func setStatusFlags(_ fd: UInt64, _ value: UInt64) {
        guard fd < UInt64(slots.count), slots[Int(fd)] != nil else { return }
        slots[Int(fd)]!.guestStatusFlags = value
    }

    mutating func setCloseOnExec(_ fd: UInt64, _ value: Bool) {
        guard fd < UInt64(slots.count), slots[Int(fd)] != nil else { return }
        slots[Int(fd)]!.closeOnExec = value
    }

    /// Installs at the lowest free fd >= `lowest`; nil (EMFILE) when the table is full.
    mutating func install(_ file: GuestFile, lowest: Int = 0) -> Int32? {
        var i = max(0, lowest)
        while i < slots.count && slots[i] != nil { i += 1 }
        if i >= Self.limit { return nil }
        place(file, at: i)
        return Int32(i)
    }

    /// Installs at exactly `fd`, closing what was there (dup2/dup3). `fd` < limit.
    mutating func install(_ file: GuestFile, at fd: Int) {
        if get(UInt64(fd)) != nil { _ = close(UInt64(fd)) }
        place(file, at: fd)
    }

    private mutating func place(_ file: GuestFile, at i: Int) {
        while slots.count <= i { slots.append(nil) }
        if case .host(let h) = file.kind { h.references += 1 }
        slots[i] = file
    }

    /// False (EBADF) when `fd` is not open.
    mutating func close(_ fd: UInt64) -> Bool {
        guard let f = get(fd) else { return false }
        slots[Int(fd)] = nil
        if case .host(let h) = f.kind {
            h.references -= 1
            if h.references == 0 && h.owned { _ = Glibc.close(h.fd) }
        }
        while let last = slots.last, last == nil { slots.removeLast() }
        return true
    }

    /// fork: the same open files (each host descriptor gains a reference).
    func copy() -> GuestFileTable {
        var t = GuestFileTable()
        for (fd, f) in slots.enumerated() { if let f { t.place(f, at: fd) } }
        return t
    }

    /// execve: closes the close-on-exec descriptors; returns the pipe ids it closed.
    mutating func closeOnExec() -> [Int] {
        var pipes: [Int] = []
        for fd in 0 ..< slots.count {
            guard let f = slots[fd], f.closeOnExec else { continue }
            if case .host(let h) = f.kind, h.isPipe { pipes.append(h.pipeID) }
            _ = close(UInt64(fd))
        }
        return pipes
    }

    /// Pipe ids of the open descriptors (their waiters are woken when the table closes).
    var pipeIDs: [Int] {
        slots.compactMap { f in
            if case .host(let h)? = f?.kind, h.isPipe { return h.pipeID }
            return nil
        }
    }

    /// Open descriptors, lowest first.
    var openDescriptors: [Int] { slots.indices.filter { slots[$0] != nil } }

    mutating func closeAll() {
        for fd in 0 ..< slots.count where slots[fd] != nil { _ = close(UInt64(fd)) }
    }
}
