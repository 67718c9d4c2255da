// LinuxProcess+Files: file-descriptor system calls over the guest fd table: read/write and their
// vector and positioned forms (moved page by page straight between host fds and guest frames),
// open/openat with guest->host flag translation and the read-only policy, lseek, readlink,
// access, getcwd, dup/dup2/dup3, fcntl, pipe2, ftruncate, unlinkat, mkdirat. Paths under /proc
// and /sys are hidden (host facts would leak into the guest) except /proc/self/exe, and
// /dev/urandom and /dev/random read the deterministic generator.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Linux's MAX_RW_COUNT: one read/write moves at most this many bytes.
let maxTransfer: UInt64 = 0x7fff_f000

enum ResolvedPath {
    case host(dirfd: Int32, path: String)
    /// /proc/self/exe: a link to the program's absolute host path.
    case executable
    case random
    case failed(Int64)
}

extension LinuxProcess {
    /// N for "/dev/fd/N", "/proc/self/fd/N" and "/proc/<own pid>/fd/N".
    static func descriptorPath(_ p: String) -> Int? {
        for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"] where p.hasPrefix(prefix) {
            return Int(p.dropFirst(prefix.count))
        }
        return nil
    }

    // MARK: guest memory <-> host

    /// Runs `body` over host pointers covering the guest range page by page. `body` returns bytes
    /// moved or -errno. Returns the total, or -EFAULT / the error when nothing was moved.
    func transfer(_ va: UInt64, _ count: UInt64, access: MemoryAccess,
                  _ body: (UnsafeMutableRawPointer, Int) -> Int64) -> Int64 {
        var done: UInt64 = 0
        let total = min(count, maxTransfer)
        while done < total {
            let a = va &+ done
            let chunk = min(total - done, guestPageSize - (a & guestPageMask))
            guard case .ram(let p, _) = mmu.access(a, size: 1, access: access, alignment: false) else {
                return done == 0 ? err(.EFAULT) : Int64(done)
            }
            let n = body(p, Int(chunk))
            if n < 0 { return done == 0 ? n : Int64(done) }
            done += UInt64(n)
            if UInt64(n) < chunk { break }
        }
        return Int64(done)
    }

    /// Reads a NUL-terminated path (EFAULT / ENAMETOOLONG).
    func readPath(_ va: UInt64) -> Result<String, LinuxErrno> {
        if let bytes = mmu.readCString(va, limit: 4096) {
            return .success(String(decoding: bytes, as: UTF8.self))
        }
        return mmu.readBytes(va, count: 1) == nil ? .failure(.EFAULT) : .failure(.ENAMETOOLONG)
    }

    /// Host dirfd for a guest dirfd argument (AT_FDCWD passes through).
    func hostDirFD(_ dirfd: UInt64) -> Result<Int32, LinuxErrno> {
        if Int32(truncatingIfNeeded: dirfd) == -100 { return .success(cwdFD) }
        guard let f = files.get(dirfd) else { return .failure(.EBADF) }
        guard let h = f.hostFD else { return .failure(.ENOTDIR) }
        return .success(h)
    }

    func resolve(dirfd: UInt64, _ pathVA: UInt64, allowEmpty: Bool = false) -> ResolvedPath {
        let path: String
        switch readPath(pathVA) {
        case .success(let p): path = p
        case .failure(let e): return .failed(err(e))
        }
        if path.isEmpty && !allowEmpty { return .failed(err(.ENOENT)) }
        let dir: Int32
        switch hostDirFD(dirfd) {
        case .success(let d): dir = d
        case .failure(let e): return .failed(err(e))
        }
        let absolute = path.hasPrefix("/") ? path : nil
        if let p = absolute.map(normalizeSlashes) {
            if p == "/proc/self/exe" || p == "/proc/\(LinuxProcess.pid)/exe" || p == "/proc/thread-self/exe" {
                return .executable
            }
            if p == "/dev/urandom" || p == "/dev/random" { return .random }
            if let n = LinuxProcess.descriptorPath(p) {
                // /dev/fd/N and /proc/self/fd/N name the guest's descriptor N.
                guard let h = files.get(UInt64(n))?.hostFD else { return .failed(err(.ENOENT)) }
                return .host(dirfd: AT_FDCWD, path: "/proc/self/fd/\(h)")
            }
            if p == "/proc" || p.hasPrefix("/proc/") || p == "/sys" || p.hasPrefix("/sys/") {
                return .failed(err(.ENOENT))
            }
        }
        return .host(dirfd: dir, path: path)
    }

    private func normalizeSlashes(_ p: String) -> String {
        var out = ""
        var lastSlash = false
        for c in p {
            if c == "/" { if lastSlash { continue }; lastSlash = true } else { lastSlash = false }
            out.append(c)
        }
        if out.count > 1 && out.hasSuffix("/") { out.removeLast() }
        return out
    }

    // MARK: read / write

    func sysRead(_ fd: UInt64, _ buf: UInt64, _ count: UInt64, offset: UInt64?) -> Int64 {
        guard let f = files.get(fd) else { return err(.EBADF) }
        if let offset, Int64(bitPattern: offset) < 0 { return err(.EINVAL) }
        if count == 0 { return 0 }
        switch f.kind {
        case .random:
            return transfer(buf, min(count, 0x1ff_ffff), access: .write) { p, n in
                let bytes = random.bytes(n)
                bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: n) }
                return Int64(n)
            }
        case .host(let h):
            var pos = offset.map { Int64(bitPattern: $0) }
            let r = transfer(buf, count, access: .write) { p, n in
                while true {
                    let r = pos.map { pread(h.fd, p, n, off_t($0)) } ?? Glibc.read(h.fd, p, n)
                    if r < 0 && errno == EINTR { continue }
                    if r < 0 { return hostErr() }
                    if let q = pos { pos = q &+ Int64(r) }
                    return Int64(r)
                }
            }
            return pipeResult(r, f, h, "read from an empty pipe")
        }
    }

    /// A guest pipe's host ends are non-blocking: the process is single-threaded and cannot
    /// fork, so when a blocking read finds the pipe empty (or a blocking write finds it full)
    /// only the process itself could ever unblock it — Linux would hang forever. The process
    /// is killed instead (one line), as for a futex wait nobody can wake. A write to a pipe
    /// with no reader raises SIGPIPE (the host's SIGPIPE is ignored, so the write sees EPIPE).
    func pipeResult(_ r: Int64, _ f: GuestFile, _ h: HostDescriptor, _ what: String, requested: UInt64 = 0) -> Int64 {
        if r == -Int64(EPIPE) { pendingSignal = abi.SIGPIPE }
        let blocking = h.isPipe && f.guestStatusFlags & abi.openFlags.nonblock == 0
        if h.isPipe && r > 0 { system?.wake(.pipe(h.pipeID), at: simulatedNanoseconds) }
        if system != nil && blocking {
            // In a system another process may fill or drain the pipe: the call waits. A
            // blocking write moves everything before it returns.
            if r == -Int64(EAGAIN) {
                pendingBlock = LinuxWait(channels: [.pipe(h.pipeID), .signal(pid)], restartable: true, what: what)
                return r
            }
            if what.hasPrefix("write"), r > 0, UInt64(r) < min(requested, maxTransfer) {
                pendingBlock = LinuxWait(channels: [.pipe(h.pipeID), .signal(pid)], partial: r, restartable: true, what: what)
                return r
            }
        }
        guard h.isPipe, r == -Int64(EAGAIN), f.guestStatusFlags & abi.openFlags.nonblock == 0 else { return r }
        pendingDeadlock = "\(what) that only this process could \(what.hasPrefix("read") ? "fill" : "drain")"
        return r
    }

    func sysWrite(_ fd: UInt64, _ buf: UInt64, _ count: UInt64, offset: UInt64?) -> Int64 {
        guard let f = files.get(fd) else { return err(.EBADF) }
        if let offset, Int64(bitPattern: offset) < 0 { return err(.EINVAL) }
        if count == 0 { return 0 }
        switch f.kind {
        case .random:
            return Int64(min(count, maxTransfer))
        case .host(let h):
            var pos = offset.map { Int64(bitPattern: $0) }
            let r = transfer(buf, count, access: .read) { p, n in
                var done = 0
                while done < n {
                    let r = pos.map { pwrite(h.fd, p + done, n - done, off_t($0)) } ?? Glibc.write(h.fd, p + done, n - done)
                    if r < 0 && errno == EINTR { continue }
                    if r < 0 { return done > 0 ? Int64(done) : hostErr() }
                    if r == 0 { break }
                    done += r
                    if let q = pos { pos = q &+ Int64(r) }
                }
                return Int64(done)
            }
            return pipeResult(r, f, h, "write to a full pipe", requested: count)
        }
    }

    /// readv / writev: at most 1024 iovecs {base, len} of 16 bytes.
    func sysVector(_ fd: UInt64, _ iov: UInt64, _ count: UInt64, write: Bool) -> Int64 {
        guard files.get(fd) != nil else { return err(.EBADF) }
        guard count <= 1024 else { return err(.EINVAL) }
        if count == 0 { return 0 }
        guard let raw = mmu.readBytes(iov, count: Int(count) * 16) else { return err(.EFAULT) }
        var total: Int64 = 0
        for i in 0 ..< Int(count) {
            let base = GuestStruct.get(raw, i * 16, size: 8, bigEndian: mmu.bigEndian)
            let len = GuestStruct.get(raw, i * 16 + 8, size: 8, bigEndian: mmu.bigEndian)
            if Int64(bitPattern: len) < 0 { return err(.EINVAL) }
            if len == 0 { continue }
            let want = min(len, maxTransfer - UInt64(total))
            let r = write ? sysWrite(fd, base, want, offset: nil) : sysRead(fd, base, want, offset: nil)
            if let b = pendingBlock, b.partial > 0 || total > 0 {
                // A vector transfer that moved something returns short instead of waiting.
                pendingBlock = nil
                return total + max(r, 0)
            }
            if r < 0 {
                if total > 0 { pendingDeadlock = nil; pendingSignal = nil }   // a short transfer, not a block
                return total > 0 ? total : r
            }
            total += r
            if UInt64(r) < len || UInt64(total) >= maxTransfer { break }
        }
        return total
    }

    // MARK: open / close / seek

    /// Guest open flags -> host flags; nil for unsupported combinations (O_TMPFILE).
    func hostOpenFlags(_ g: UInt64) -> Int32? {
        let f = abi.openFlags
        if g & f.tmpfile != 0 { return nil }
        var h = Int32(truncatingIfNeeded: g & 3)
        let pairs: [(UInt64, Int32)] = [
            (f.creat, O_CREAT), (f.excl, O_EXCL), (f.noctty, O_NOCTTY), (f.trunc, O_TRUNC),
            (f.append, O_APPEND), (f.nonblock, O_NONBLOCK), (f.directory, O_DIRECTORY),
            (f.nofollow, O_NOFOLLOW), (f.cloexec, O_CLOEXEC), (f.path, 0o10000000),
        ]
        for (gb, hb) in pairs where g & gb != 0 { h |= hb }
        if g & f.sync == f.sync { h |= O_SYNC } else if g & f.dsync != 0 { h |= O_DSYNC }
        return h
    }

    func wantsWrite(_ g: UInt64) -> Bool {
        let f = abi.openFlags
        return g & 3 != 0 || g & (f.creat | f.trunc | f.tmpfile) != 0
    }

    func sysOpenat(dirfd: UInt64, _ pathVA: UInt64, _ flags: UInt64, _ mode: UInt64) -> Int64 {
        let f = abi.openFlags
        let status = flags & ~(f.creat | f.excl | f.noctty | f.trunc | f.cloexec)
        let cloexec = flags & f.cloexec != 0
        if case .success(let path) = readPath(pathVA), let n = LinuxProcess.descriptorPath(path),
           var file = files.get(UInt64(n)) {
            // Opening /dev/fd/N of a pipe or the random device: another descriptor for it.
            if case .host(let h) = file.kind, !h.isPipe {} else {
                file.closeOnExec = cloexec
                file.guestStatusFlags = status
                guard let fd = files.install(file) else { return err(.EMFILE) }
                return Int64(fd)
            }
        }
        let target = resolve(dirfd: dirfd, pathVA)
        let hostTarget: (Int32, String)
        switch target {
        case .failed(let e): return e
        case .executable: hostTarget = (AT_FDCWD, executablePath)
        case .host(let dir, let path): hostTarget = (dir, path)
        case .random:
            guard let fd = files.install(GuestFile(kind: .random, closeOnExec: cloexec, guestStatusFlags: status)) else {
                return err(.EMFILE)
            }
            return Int64(fd)
        }
        if wantsWrite(flags) && !options.allowWrites { return err(.EROFS) }
        guard var hflags = hostOpenFlags(flags) else { return err(.EOPNOTSUPP) }
        hflags |= O_CLOEXEC
        let hfd = openat(hostTarget.0, hostTarget.1, hflags, mode_t(truncatingIfNeeded: mode & 0o7777))
        if hfd < 0 { return hostErr() }
        let file = GuestFile(kind: .host(HostDescriptor(fd: hfd, owned: true)), closeOnExec: cloexec,
                             guestStatusFlags: status)
        guard let fd = files.install(file) else { _ = close(hfd); return err(.EMFILE) }
        return Int64(fd)
    }

    func sysLseek(_ fd: UInt64, _ offset: UInt64, _ whence: UInt64) -> Int64 {
        guard let f = files.get(fd) else { return err(.EBADF) }
        guard whence <= 4 else { return err(.EINVAL) }
        guard let h = f.hostFD else { return 0 }
        let r = lseek(h, off_t(Int64(bitPattern: offset)), Int32(whence))
        return r < 0 ? hostErr() : Int64(r)
    }

    // MARK: paths

    func sysReadlinkat(dirfd: UInt64, _ pathVA: UInt64, _ buf: UInt64, _ size: UInt64) -> Int64 {
        guard Int64(bitPattern: size) > 0 else { return err(.EINVAL) }
        let target: [UInt8]
        switch resolve(dirfd: dirfd, pathVA) {
        case .failed(let e): return e
        case .random: return err(.EINVAL)
        case .executable: target = Array(executablePath.utf8)
        case .host(let dir, let path):
            var out = [UInt8](repeating: 0, count: 4096)
            let n = out.withUnsafeMutableBytes { readlinkat(dir, path, $0.baseAddress!.assumingMemoryBound(to: CChar.self), 4096) }
            if n < 0 { return hostErr() }
            target = Array(out[0 ..< n])
        }
        let n = min(Int(min(size, 4096)), target.count)
        return mmu.writeBytes(buf, Array(target[0 ..< n])) ? Int64(n) : err(.EFAULT)
    }

    func sysFaccessat(dirfd: UInt64, _ pathVA: UInt64, _ mode: UInt64, _ flags: UInt64) -> Int64 {
        guard mode & ~7 == 0, flags & ~UInt64(0x200 | 0x100 | 0x1000) == 0 else { return err(.EINVAL) }
        switch resolve(dirfd: dirfd, pathVA, allowEmpty: flags & 0x1000 != 0) {
        case .failed(let e): return e
        case .random: return mode & 1 != 0 ? err(.EACCES) : 0
        case .executable: return mode & 2 != 0 ? err(.EROFS) : 0
        case .host(let dir, let path):
            let hflags = Int32(truncatingIfNeeded: flags & 0x300)
            if faccessat(dir, path, Int32(mode & ~2), hflags) != 0 { return hostErr() }
            if mode & 2 != 0 {
                if !options.allowWrites { return err(.EROFS) }
                if faccessat(dir, path, W_OK, hflags) != 0 { return hostErr() }
            }
            return 0
        }
    }

    func sysGetcwd(_ buf: UInt64, _ size: UInt64) -> Int64 {
        guard let cwd = cwdPath ?? hostCurrentDirectory() else { return hostErr() }
        let bytes = Array(cwd.utf8) + [0]
        guard UInt64(bytes.count) <= size else { return err(.ERANGE) }
        return mmu.writeBytes(buf, bytes) ? Int64(bytes.count) : err(.EFAULT)
    }

    // MARK: descriptors

    func sysDup(_ fd: UInt64) -> Int64 {
        guard var f = files.get(fd) else { return err(.EBADF) }
        f.closeOnExec = false
        guard let n = files.install(f) else { return err(.EMFILE) }
        return Int64(n)
    }

    func sysDup3(_ old: UInt64, _ new: UInt64, _ flags: UInt64, isDup2: Bool) -> Int64 {
        let cloexecBit = abi.openFlags.cloexec
        guard var f = files.get(old) else { return err(.EBADF) }
        guard flags & ~cloexecBit == 0 else { return err(.EINVAL) }
        guard new < UInt64(GuestFileTable.limit) else { return err(.EBADF) }
        if old == new { return isDup2 ? Int64(new) : err(.EINVAL) }
        f.closeOnExec = flags & cloexecBit != 0
        files.install(f, at: Int(new))
        return Int64(new)
    }

    func sysFcntl(_ fd: UInt64, _ cmd: UInt64, _ arg: UInt64) -> Int64 {
        guard let f = files.get(fd) else { return err(.EBADF) }
        switch cmd {
        case 0, 1030:                                    // F_DUPFD, F_DUPFD_CLOEXEC
            guard arg < UInt64(GuestFileTable.limit) else { return err(.EINVAL) }
            var c = f
            c.closeOnExec = cmd == 1030
            guard let n = files.install(c, lowest: Int(arg)) else { return err(.EMFILE) }
            return Int64(n)
        case 1: return f.closeOnExec ? 1 : 0               // F_GETFD
        case 2: files.setCloseOnExec(fd, arg & 1 != 0); return 0   // F_SETFD
        case 3: return Int64(f.guestStatusFlags)             // F_GETFL
        case 4:                                              // F_SETFL: only O_NONBLOCK is kept (pipes use it)
            let nb = abi.openFlags.nonblock
            files.setStatusFlags(fd, (f.guestStatusFlags & ~nb) | (arg & nb))
            return 0
        case 6, 7: return 0                                  // F_SETLK, F_SETLKW: one process owns every lock
        case abi.fGetLk:                                     // F_GETLK: l_type = F_UNLCK
            var s = GuestStruct(size: 2, bigEndian: mmu.bigEndian)
            s.put16(0, 2)
            return mmu.writeBytes(arg, s.bytes) ? 0 : err(.EFAULT)
        case 1032: return 65536                              // F_GETPIPE_SZ
        case 1031: return Int64(max(arg, 4096))              // F_SETPIPE_SZ
        default: return err(.EINVAL)
        }
    }

    func sysPipe2(_ fdsVA: UInt64, _ flags: UInt64) -> Int64 {
        let f = abi.openFlags
        guard flags & ~(f.cloexec | f.nonblock) == 0 else { return err(.EINVAL) }
        var host: [Int32] = [0, 0]
        if pipe(&host) != 0 { return hostErr() }
        for h in host {
            _ = fcntl(h, F_SETFD, FD_CLOEXEC)
            _ = fcntl(h, F_SETFL, O_NONBLOCK)       // always: see pipeResult
        }
        let cloexec = flags & f.cloexec != 0
        let status = flags & f.nonblock
        let id = Int(host[0]) + 1
        guard let r = files.install(GuestFile(kind: .host(HostDescriptor(fd: host[0], owned: true, isPipe: true, pipeID: id)),
                                             closeOnExec: cloexec, guestStatusFlags: status)) else {
            _ = close(host[0]); _ = close(host[1]); return err(.EMFILE)
        }
        guard let w = files.install(GuestFile(kind: .host(HostDescriptor(fd: host[1], owned: true, isPipe: true, pipeID: id)),
                                             closeOnExec: cloexec, guestStatusFlags: status | 1)) else {
            _ = files.close(UInt64(r)); _ = close(host[1]); return err(.EMFILE)
        }
        var s = GuestStruct(size: 8, bigEndian: mmu.bigEndian)
        s.put32(0, UInt64(r))
        s.put32(4, UInt64(w))
        if !mmu.writeBytes(fdsVA, s.bytes) {
            _ = files.close(UInt64(r)); _ = files.close(UInt64(w))
            return err(.EFAULT)
        }
        return 0
    }

    // MARK: changing the file system (only with allowWrites)

    func sysFtruncate(_ fd: UInt64, _ length: UInt64) -> Int64 {
        guard let f = files.get(fd) else { return err(.EBADF) }
        guard case .host(let h) = f.kind, h.owned else { return err(.EINVAL) }
        guard options.allowWrites else { return err(.EROFS) }
        guard Int64(bitPattern: length) >= 0 else { return err(.EINVAL) }
        return ftruncate(h.fd, off_t(Int64(bitPattern: length))) == 0 ? 0 : hostErr()
    }

    func sysUnlinkat(_ dirfd: UInt64, _ pathVA: UInt64, _ flags: UInt64) -> Int64 {
        guard flags & ~UInt64(0x200) == 0 else { return err(.EINVAL) }
        switch resolve(dirfd: dirfd, pathVA) {
        case .failed(let e): return e
        case .random, .executable: return err(.EROFS)
        case .host(let dir, let path):
            guard options.allowWrites else { return err(.EROFS) }
            return unlinkat(dir, path, Int32(flags)) == 0 ? 0 : hostErr()
        }
    }

    func sysMkdirat(_ dirfd: UInt64, _ pathVA: UInt64, _ mode: UInt64) -> Int64 {
        switch resolve(dirfd: dirfd, pathVA) {
        case .failed(let e): return e
        case .random, .executable: return err(.EEXIST)
        case .host(let dir, let path):
            guard options.allowWrites else { return err(.EROFS) }
            return mkdirat(dir, path, mode_t(truncatingIfNeeded: mode & 0o7777)) == 0 ? 0 : hostErr()
        }
    }
}
