// LinuxProcess+Dirs: the working directory (a host directory fd per process, so forked
// processes keep their own), directory reading (getdents64, and MIPS's old getdents converted
// from it), _llseek, poll/ppoll/select/pselect6 (guest pipes wait in the system; other host fds
// are asked with a host poll), sendfile, closing (waking a pipe's other end), and the calls that
// change the file system — refused with EROFS without --allow-writes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CHostFP

/// utimensat's UTIME_NOW.
let utimeNow = (1 << 30) - 1

extension LinuxProcess {
    func closeDescriptor(_ fd: UInt64) -> Int64 {
        guard let f = files.get(fd) else { return err(.EBADF) }
        _ = files.close(fd)
        if case .host(let h) = f.kind, h.isPipe { system?.wake(.pipe(h.pipeID), at: simulatedNanoseconds) }
        return 0
    }

    // MARK: working directory

    func sysChdir(_ pathVA: UInt64) -> Int64 {
        guard case .success(let path) = readPath(pathVA) else { return err(.EFAULT) }
        if path.isEmpty { return err(.ENOENT) }
        let fd = openat(cwdFD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { return hostErr() }
        return adoptDirectory(fd)
    }

    func sysFchdir(_ gfd: UInt64) -> Int64 {
        guard let f = files.get(gfd) else { return err(.EBADF) }
        guard let h = f.hostFD else { return err(.ENOTDIR) }
        let fd = openat(h, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { return hostErr() }
        return adoptDirectory(fd)
    }

    private func adoptDirectory(_ fd: Int32) -> Int64 {
        var b = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/fd/\(fd)", &b, 4095)
        if n <= 0 { _ = close(fd); return err(.ENOENT) }
        if cwdFD != AT_FDCWD { _ = close(cwdFD) }
        cwdFD = fd
        cwdPath = String(decoding: b[0 ..< n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return 0
    }

    // MARK: directories and offsets

    /// getdents64 passes the host's linux_dirent64 records through (the layout is the same on
    /// every 64-bit little-endian ABI); getdents (MIPS) rewrites them as linux_dirent
    /// {ino, off, reclen, name, pad, type}.
    func sysGetdents(_ fd: UInt64, _ buf: UInt64, _ count: UInt64, wide: Bool) -> Int64 {
        guard let f = files.get(fd) else { return err(.EBADF) }
        guard let h = f.hostFD else { return err(.ENOTDIR) }
        let want = Int(min(count, 1 << 20))
        var host = [UInt8](repeating: 0, count: want)
        // Old records are never longer than dirent64 ones, so reading `want` bytes fits either way.
        let n = host.withUnsafeMutableBytes { k42host_getdents64(h, $0.baseAddress, UInt(want)) }
        if n < 0 { return hostErr() }
        if n == 0 { return 0 }
        if wide {
            return mmu.writeBytes(buf, Array(host[0 ..< n])) ? Int64(n) : err(.EFAULT)
        }
        var out: [UInt8] = []
        var i = 0
        while i + 19 <= n {
            let reclen = Int(GuestStruct.get(host, i + 16, size: 2, bigEndian: false))
            guard reclen > 0 else { break }
            let type = host[i + 18]
            let name = host[(i + 19) ..< (i + reclen)].prefix { $0 != 0 }
            let len = (8 + 8 + 2 + name.count + 2 + 7) & ~7
            var rec = GuestStruct(size: len, bigEndian: mmu.bigEndian)
            rec.put64(0, GuestStruct.get(host, i, size: 8, bigEndian: false))
            rec.put64(8, GuestStruct.get(host, i + 8, size: 8, bigEndian: false))
            rec.put16(16, UInt64(len))
            for (k, c) in name.enumerated() { rec.bytes[18 + k] = c }
            rec.bytes[len - 1] = type
            out += rec.bytes
            i += reclen
        }
        return mmu.writeBytes(buf, out) ? Int64(out.count) : err(.EFAULT)
    }

    /// _llseek(fd, offset_high, offset_low, result*, whence) (ppc64le keeps it).
    func sysLlseek(_ fd: UInt64, _ high: UInt64, _ low: UInt64, _ result: UInt64, _ whence: UInt64) -> Int64 {
        let offset = (high << 32) | (low & 0xffff_ffff)
        let r = sysLseek(fd, offset, whence)
        if r < 0 { return r }
        return mmu.storeValue(result, size: 8, UInt64(r)) ? 0 : err(.EFAULT)
    }

    // MARK: poll and select

    struct PollEntry { var fd: Int32; var events: Int16; var revents: Int16 = 0 }

    /// Fills revents; returns how many are ready. `waitOn` collects guest pipes that may become
    /// ready; `external` tells whether a non-pipe host fd is in the set.
    func pollOnce(_ entries: inout [PollEntry], waitOn: inout [WaitChannel], external: inout Bool) -> Int {
        var ready = 0
        for i in entries.indices {
            entries[i].revents = 0
            let gfd = entries[i].fd
            if gfd < 0 { continue }
            guard let f = files.get(UInt64(gfd)) else { entries[i].revents = 0x20; ready += 1; continue }   // POLLNVAL
            switch f.kind {
            case .random:
                entries[i].revents = entries[i].events & 0x5                              // POLLIN | POLLOUT
            case .host(let h):
                var p = pollfd(fd: h.fd, events: entries[i].events, revents: 0)
                _ = Glibc.poll(&p, 1, 0)
                entries[i].revents = p.revents
                if p.revents == 0 {
                    if h.isPipe { waitOn.append(.pipe(h.pipeID)) } else { external = true }
                }
            }
            if entries[i].revents != 0 { ready += 1 }
        }
        return ready
    }

    /// The common part of poll, ppoll, select and pselect6: nil timeout waits forever.
    func pollWait(_ entries: inout [PollEntry], timeoutNs: UInt64?) -> Int64 {
        var channels: [WaitChannel] = []
        var external = false
        let n = pollOnce(&entries, waitOn: &channels, external: &external)
        if n > 0 || timeoutNs == 0 { currentThread?.callDeadline = nil; return Int64(n) }
        if system != nil, !external, let t = currentThread {
            let deadline = t.callDeadline ?? timeoutNs.map { simulatedNanoseconds &+ $0 }
            t.callDeadline = deadline
            pendingBlock = LinuxWait(channels: channels + [.signal(pid)], deadline: deadline, timeoutResult: 0, what: "poll")
            return 0
        }
        // Host descriptors (a terminal, a host pipe): the host says when they are ready.
        var host = entries.compactMap { e -> pollfd? in
            guard e.fd >= 0, let h = files.get(UInt64(e.fd))?.hostFD else { return nil }
            return pollfd(fd: h, events: e.events, revents: 0)
        }
        let ms = timeoutNs.map { Int32(min($0 / 1_000_000, UInt64(Int32.max))) } ?? -1
        _ = Glibc.poll(&host, nfds_t(host.count), ms)
        return Int64(pollOnce(&entries, waitOn: &channels, external: &external))
    }

    func readPollfds(_ va: UInt64, _ nfds: UInt64) -> [PollEntry]? {
        if nfds == 0 { return [] }
        guard let raw = mmu.readBytes(va, count: Int(nfds) * 8) else { return nil }
        return (0 ..< Int(nfds)).map { i in
            PollEntry(fd: Int32(truncatingIfNeeded: GuestStruct.get(raw, i * 8, size: 4, bigEndian: mmu.bigEndian)),
                      events: Int16(truncatingIfNeeded: GuestStruct.get(raw, i * 8 + 4, size: 2, bigEndian: mmu.bigEndian)))
        }
    }

    func writeRevents(_ va: UInt64, _ entries: [PollEntry]) -> Bool {
        for (i, e) in entries.enumerated() where !mmu.storeValue(va + UInt64(i * 8 + 6), size: 2, UInt64(UInt16(bitPattern: e.revents))) {
            return false
        }
        return true
    }

    func sysPoll(_ fds: UInt64, _ nfds: UInt64, timeoutMs: Int64) -> Int64 {
        guard nfds <= UInt64(GuestFileTable.limit) else { return err(.EINVAL) }
        guard var entries = readPollfds(fds, nfds) else { return err(.EFAULT) }
        let r = pollWait(&entries, timeoutNs: timeoutMs < 0 ? nil : UInt64(timeoutMs) * 1_000_000)
        if pendingBlock != nil { return r }
        return writeRevents(fds, entries) ? r : err(.EFAULT)
    }

    func sysPpoll(_ fds: UInt64, _ nfds: UInt64, _ tsp: UInt64) -> Int64 {
        guard nfds <= UInt64(GuestFileTable.limit) else { return err(.EINVAL) }
        var timeout: UInt64?
        if tsp != 0 {
            switch readTimespec(tsp) {
            case .success(let ns): timeout = ns
            case .failure(let e): return err(e)
            }
        }
        guard var entries = readPollfds(fds, nfds) else { return err(.EFAULT) }
        let r = pollWait(&entries, timeoutNs: timeout)
        if pendingBlock != nil { return r }
        return writeRevents(fds, entries) ? r : err(.EFAULT)
    }

    /// select / pselect6 over fd_set bitmaps of 64-bit words.
    func sysSelect(_ nfds: UInt64, _ readVA: UInt64, _ writeVA: UInt64, _ exceptVA: UInt64,
                   timeval: UInt64, nanoseconds: Bool) -> Int64 {
        guard Int64(bitPattern: nfds) >= 0, nfds <= UInt64(GuestFileTable.limit) else { return err(.EINVAL) }
        let words = (Int(nfds) + 63) / 64
        func bits(_ va: UInt64) -> [UInt64]? {
            if va == 0 { return [UInt64](repeating: 0, count: words) }
            guard let raw = mmu.readBytes(va, count: words * 8) else { return nil }
            return (0 ..< words).map { GuestStruct.get(raw, $0 * 8, size: 8, bigEndian: mmu.bigEndian) }
        }
        guard let rd = bits(readVA), let wr = bits(writeVA), let ex = bits(exceptVA) else { return err(.EFAULT) }
        var timeout: UInt64?
        if timeval != 0 {
            guard let raw = mmu.readBytes(timeval, count: 16) else { return err(.EFAULT) }
            let sec = Int64(bitPattern: GuestStruct.get(raw, 0, size: 8, bigEndian: mmu.bigEndian))
            let frac = Int64(bitPattern: GuestStruct.get(raw, 8, size: 8, bigEndian: mmu.bigEndian))
            guard sec >= 0, frac >= 0, frac < (nanoseconds ? 1_000_000_000 : 1_000_000) else { return err(.EINVAL) }
            timeout = UInt64(sec) * 1_000_000_000 + UInt64(frac) * (nanoseconds ? 1 : 1000)
        }
        var entries: [PollEntry] = []
        for fd in 0 ..< Int(nfds) {
            let bit = UInt64(1) << UInt64(fd % 64)
            var ev: Int16 = 0
            if rd[fd / 64] & bit != 0 { ev |= 0x1 }
            if wr[fd / 64] & bit != 0 { ev |= 0x4 }
            if ex[fd / 64] & bit != 0 { ev |= 0x2 }
            if ev != 0 {
                if files.get(UInt64(fd)) == nil { return err(.EBADF) }
                entries.append(PollEntry(fd: Int32(fd), events: ev))
            }
        }
        _ = pollWait(&entries, timeoutNs: timeout)
        if pendingBlock != nil { return 0 }
        var ro = [UInt64](repeating: 0, count: words), wo = ro, eo = ro
        var count: Int64 = 0
        for e in entries {
            let w = Int(e.fd) / 64, bit = UInt64(1) << UInt64(e.fd % 64)
            if e.events & 0x1 != 0 && e.revents & (0x1 | 0x10 | 0x8) != 0 { ro[w] |= bit; count += 1 }
            if e.events & 0x4 != 0 && e.revents & (0x4 | 0x8) != 0 { wo[w] |= bit; count += 1 }
            if e.events & 0x2 != 0 && e.revents & 0x2 != 0 { eo[w] |= bit; count += 1 }
        }
        func put(_ va: UInt64, _ v: [UInt64]) -> Bool {
            if va == 0 { return true }
            var b = GuestStruct(size: words * 8, bigEndian: mmu.bigEndian)
            for (i, x) in v.enumerated() { b.put64(i * 8, x) }
            return mmu.writeBytes(va, b.bytes)
        }
        return put(readVA, ro) && put(writeVA, wo) && put(exceptVA, eo) ? count : err(.EFAULT)
    }

    // MARK: sendfile

    /// sendfile: read from a seekable host file, write to any descriptor. Bytes read but not
    /// written (a full pipe) are given back by seeking, so nothing is lost; a blocking pipe
    /// that is full makes the call wait like write. Non-seekable input: EINVAL (callers fall
    /// back to read/write, as for Linux before 2.6.33).
    func sysSendfile(_ outFD: UInt64, _ inFD: UInt64, _ offsetVA: UInt64, _ count: UInt64) -> Int64 {
        guard let fin = files.get(inFD), let hin = fin.hostFD, let fout = files.get(outFD),
              case .host(let hout) = fout.kind else {
            return err(.EBADF)
        }
        var pos: Int64?
        if offsetVA != 0 {
            guard let v = mmu.loadValue(offsetVA, size: 8) else { return err(.EFAULT) }
            pos = Int64(bitPattern: v)
            if pos! < 0 { return err(.EINVAL) }
        } else if lseek(hin, 0, SEEK_CUR) < 0 {
            return err(.EINVAL)
        }
        var total: Int64 = 0
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        var failure: Int64 = 0
        while UInt64(total) < min(count, maxTransfer) {
            let want = Int(min(UInt64(buf.count), count - UInt64(total)))
            let n = buf.withUnsafeMutableBytes { b in
                pos.map { pread(hin, b.baseAddress, want, off_t($0 + total)) } ?? Glibc.read(hin, b.baseAddress, want)
            }
            if n < 0 { failure = hostErr(); break }
            if n == 0 { break }
            let w = buf.withUnsafeBytes { Glibc.write(hout.fd, $0.baseAddress, n) }
            let written = max(w, 0)
            if written < n && pos == nil { _ = lseek(hin, off_t(written - n), SEEK_CUR) }
            total += Int64(written)
            if w < 0 { failure = hostErr(); break }
            if written < n { break }
        }
        if let pos, !mmu.storeValue(offsetVA, size: 8, UInt64(bitPattern: pos + total)) { return err(.EFAULT) }
        if total > 0 {
            if hout.isPipe { system?.wake(.pipe(hout.pipeID), at: simulatedNanoseconds) }
            return total
        }
        return failure != 0 ? pipeResult(failure, fout, hout, "write to a full pipe") : 0
    }

    // MARK: changing the file system

    private func hostPath(_ dirfd: UInt64, _ va: UInt64, allowEmpty: Bool = false) -> Result<(Int32, String), SysFailure> {
        switch resolve(dirfd: dirfd, va, allowEmpty: allowEmpty) {
        case .failed(let e): return .failure(SysFailure(result: e))
        case .random, .executable: return .failure(SysFailure(result: err(.EROFS)))
        case .host(let d, let p): return .success((d, p))
        }
    }

    func sysPathPair(_ op: String, _ d1: UInt64, _ p1: UInt64, _ d2: UInt64, _ p2: UInt64, flags: UInt64) -> Int64 {
        let a: (Int32, String), b: (Int32, String)
        switch hostPath(d1, p1, allowEmpty: op == "link" && flags & 0x1000 != 0) {
        case .failure(let e): return e.result
        case .success(let x): a = x
        }
        switch hostPath(d2, p2) {
        case .failure(let e): return e.result
        case .success(let x): b = x
        }
        guard options.allowWrites else { return err(.EROFS) }
        let r: Int32
        if op == "rename" {
            r = flags == 0 ? renameat(a.0, a.1, b.0, b.1)
                : k42host_renameat2(a.0, a.1, b.0, b.1, UInt32(truncatingIfNeeded: flags))
        } else {
            r = linkat(a.0, a.1, b.0, b.1, Int32(truncatingIfNeeded: flags & 0x1400))
        }
        return r == 0 ? 0 : hostErr()
    }

    func sysSymlinkat(_ targetVA: UInt64, _ dirfd: UInt64, _ linkVA: UInt64) -> Int64 {
        guard case .success(let target) = readPath(targetVA) else { return err(.EFAULT) }
        switch hostPath(dirfd, linkVA) {
        case .failure(let e): return e.result
        case .success(let (d, p)):
            guard options.allowWrites else { return err(.EROFS) }
            return symlinkat(target, d, p) == 0 ? 0 : hostErr()
        }
    }

    func sysChmodat(_ dirfd: UInt64, _ pathVA: UInt64, _ mode: UInt64) -> Int64 {
        switch hostPath(dirfd, pathVA) {
        case .failure(let e): return e.result
        case .success(let (d, p)):
            guard options.allowWrites else { return err(.EROFS) }
            return fchmodat(d, p, mode_t(truncatingIfNeeded: mode & 0o7777), 0) == 0 ? 0 : hostErr()
        }
    }

    func sysFchmod(_ fd: UInt64, _ mode: UInt64) -> Int64 {
        guard let f = files.get(fd) else { return err(.EBADF) }
        guard let h = f.hostFD else { return err(.EROFS) }
        guard options.allowWrites else { return err(.EROFS) }
        return fchmod(h, mode_t(truncatingIfNeeded: mode & 0o7777)) == 0 ? 0 : hostErr()
    }

    /// utimensat(dirfd, path, times[2], flags); a NULL path changes the file of dirfd.
    func sysUtimensat(_ dirfd: UInt64, _ pathVA: UInt64, _ timesVA: UInt64, _ flags: UInt64) -> Int64 {
        var ts = [timespec(tv_sec: 0, tv_nsec: utimeNow), timespec(tv_sec: 0, tv_nsec: utimeNow)]
        if timesVA != 0 {
            guard let raw = mmu.readBytes(timesVA, count: 32) else { return err(.EFAULT) }
            for i in 0 ..< 2 {
                ts[i].tv_sec = Int(Int64(bitPattern: GuestStruct.get(raw, i * 16, size: 8, bigEndian: mmu.bigEndian)))
                ts[i].tv_nsec = Int(Int64(bitPattern: GuestStruct.get(raw, i * 16 + 8, size: 8, bigEndian: mmu.bigEndian)))
            }
        }
        // UTIME_NOW is the simulated realtime, never the host's.
        let now = realtimeNanoseconds
        for i in 0 ..< 2 where ts[i].tv_nsec == utimeNow {
            ts[i] = timespec(tv_sec: Int(now / 1_000_000_000), tv_nsec: Int(now % 1_000_000_000))
        }
        if pathVA == 0 {
            guard let f = files.get(dirfd), let h = f.hostFD else { return err(.EBADF) }
            guard options.allowWrites else { return err(.EROFS) }
            return futimens(h, ts) == 0 ? 0 : hostErr()
        }
        switch hostPath(dirfd, pathVA) {
        case .failure(let e): return e.result
        case .success(let (d, p)):
            guard options.allowWrites else { return err(.EROFS) }
            return utimensat(d, p, ts, Int32(truncatingIfNeeded: flags & 0x100)) == 0 ? 0 : hostErr()
        }
    }

    /// chown family: only to the ids the guest already has (an unprivileged owner may do that).
    func sysChown(_ name: String, _ a: Args) -> Int64 {
        let (uidArg, gidArg) = name == "fchownat" ? (a.2, a.3) : (a.1, a.2)
        let ok = { (v: UInt64, mine: UInt64) in v & 0xffff_ffff == 0xffff_ffff || v == mine || self.uids.1 == 0 }
        if name == "fchown" {
            guard files.get(a.0) != nil else { return err(.EBADF) }
        } else {
            let dirfd = name == "fchownat" ? a.0 : atFDCWD
            let pathVA = name == "fchownat" ? a.1 : a.0
            if case .failure(let e) = hostPath(dirfd, pathVA, allowEmpty: name == "fchownat" && a.4 & 0x1000 != 0) { return e.result }
        }
        guard options.allowWrites else { return err(.EROFS) }
        return ok(uidArg, uids.1) && ok(gidArg, gids.1) ? 0 : err(.EPERM)
    }
}
