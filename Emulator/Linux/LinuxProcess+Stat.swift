// LinuxProcess+Stat: fstat / stat / lstat / newfstatat / statx. Host stat results are re-encoded
// in the guest's kernel layouts: mips64 n64 `struct stat` (104 bytes, 32-bit dev/rdev/times),
// ppc64 `struct stat` (144 bytes) and the generic `struct statx` (256 bytes).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

struct FileStatus {
    var dev: UInt64 = 0, ino: UInt64 = 0, mode: UInt64 = 0, nlink: UInt64 = 0
    var uid: UInt64 = 0, gid: UInt64 = 0, rdev: UInt64 = 0, size: Int64 = 0
    var blksize: UInt64 = 4096, blocks: UInt64 = 0
    var atime: (Int64, UInt64) = (0, 0), mtime: (Int64, UInt64) = (0, 0), ctime: (Int64, UInt64) = (0, 0)

    init() {}

    init(_ s: stat) {
        dev = UInt64(s.st_dev); ino = UInt64(s.st_ino); mode = UInt64(s.st_mode)
        nlink = UInt64(s.st_nlink); uid = UInt64(s.st_uid); gid = UInt64(s.st_gid)
        rdev = UInt64(s.st_rdev); size = Int64(s.st_size); blksize = UInt64(s.st_blksize)
        blocks = UInt64(bitPattern: Int64(s.st_blocks))
        atime = (Int64(s.st_atim.tv_sec), UInt64(s.st_atim.tv_nsec))
        mtime = (Int64(s.st_mtim.tv_sec), UInt64(s.st_mtim.tv_nsec))
        ctime = (Int64(s.st_ctim.tv_sec), UInt64(s.st_ctim.tv_nsec))
    }

    /// The emulator's /dev/urandom: character device 1:9.
    static var randomDevice: FileStatus {
        var f = FileStatus()
        f.dev = 5; f.ino = 9; f.mode = 0o020666; f.nlink = 1; f.rdev = (1 << 8) | 9
        return f
    }

    static func major(_ d: UInt64) -> UInt64 { ((d >> 8) & 0xfff) | ((d >> 32) & ~0xfff) }
    static func minor(_ d: UInt64) -> UInt64 { (d & 0xff) | ((d >> 12) & ~0xff) }
    /// The kernel's new_encode_dev (32 bits).
    static func encode(_ d: UInt64) -> UInt64 {
        let ma = major(d), mi = minor(d)
        return ((mi & 0xff) | (ma << 8) | ((mi & ~0xff) << 12)) & 0xffff_ffff
    }
}

extension LinuxProcess {
    func status(of file: GuestFile) -> Result<FileStatus, SysFailure> {
        switch file.kind {
        case .random: return .success(.randomDevice)
        case .host(let h):
            var st = stat()
            return fstat(h.fd, &st) == 0 ? .success(FileStatus(st)) : .failure(SysFailure(result: hostErr()))
        }
    }

    func status(dirfd: UInt64, pathVA: UInt64, flags: UInt64) -> Result<FileStatus, SysFailure> {
        guard flags & ~UInt64(0x100 | 0x800 | 0x1000 | 0x6000) == 0 else { return .failure(SysFailure(result: err(.EINVAL))) }
        let emptyOK = flags & 0x1000 != 0
        if emptyOK, case .success(let p) = readPath(pathVA), p.isEmpty,
           Int32(truncatingIfNeeded: dirfd) != -100 {
            guard let f = files.get(dirfd) else { return .failure(SysFailure(result: err(.EBADF))) }
            return status(of: f)
        }
        let dir: Int32, path: String
        switch resolve(dirfd: dirfd, pathVA, allowEmpty: emptyOK) {
        case .failed(let e): return .failure(SysFailure(result: e))
        case .random: return .success(.randomDevice)
        case .executable: (dir, path) = (AT_FDCWD, executablePath)
        case .host(let d, let p): (dir, path) = (d, p.isEmpty ? "." : p)
        }
        var st = stat()
        let r = fstatat(dir, path, &st, Int32(truncatingIfNeeded: flags & 0x100))
        return r == 0 ? .success(FileStatus(st)) : .failure(SysFailure(result: hostErr()))
    }

    func sysFstat(_ fd: UInt64, _ buf: UInt64) -> Int64 {
        guard let f = files.get(fd) else { return err(.EBADF) }
        switch status(of: f) {
        case .success(let s): return writeStat(s, to: buf)
        case .failure(let e): return e.result
        }
    }

    func sysFstatat(dirfd: UInt64, path: UInt64, _ buf: UInt64, flags: UInt64) -> Int64 {
        switch status(dirfd: dirfd, pathVA: path, flags: flags) {
        case .success(let s): return writeStat(s, to: buf)
        case .failure(let e): return e.result
        }
    }

    func sysStatx(_ dirfd: UInt64, _ pathVA: UInt64, _ flags: UInt64, _ mask: UInt64, _ buf: UInt64) -> Int64 {
        if mask & 0x8000_0000 != 0 { return err(.EINVAL) }      // STATX__RESERVED
        switch status(dirfd: dirfd, pathVA: pathVA, flags: flags) {
        case .failure(let e): return e.result
        case .success(let s):
            var b = GuestStruct(size: 256, bigEndian: mmu.bigEndian)
            b.put32(0, 0x7ff)                                   // STATX_BASIC_STATS
            b.put32(4, s.blksize)
            b.put32(16, s.nlink)
            b.put32(20, s.uid)
            b.put32(24, s.gid)
            b.put16(28, s.mode)
            b.put64(32, s.ino)
            b.put64(40, s.size)
            b.put64(48, s.blocks)
            for (off, t) in [(64, s.atime), (96, s.ctime), (112, s.mtime)] {
                b.put64(off, t.0)
                b.put32(off + 8, t.1)
            }
            b.put32(128, FileStatus.major(s.rdev))
            b.put32(132, FileStatus.minor(s.rdev))
            b.put32(136, FileStatus.major(s.dev))
            b.put32(140, FileStatus.minor(s.dev))
            return mmu.writeBytes(buf, b.bytes) ? 0 : err(.EFAULT)
        }
    }

    /// Encodes the kernel's `struct stat` of the guest ABI.
    func writeStat(_ s: FileStatus, to buf: UInt64) -> Int64 {
        var b: GuestStruct
        switch abi {
        case .mips64n64:
            b = GuestStruct(size: 104, bigEndian: mmu.bigEndian)
            b.put32(0, FileStatus.encode(s.dev))
            b.put64(16, s.ino)
            b.put32(24, s.mode)
            b.put32(28, s.nlink)
            b.put32(32, s.uid)
            b.put32(36, s.gid)
            b.put32(40, FileStatus.encode(s.rdev))
            b.put64(56, s.size)
            for (off, t) in [(64, s.atime), (72, s.mtime), (80, s.ctime)] {
                b.put32(off, UInt64(bitPattern: t.0))
                b.put32(off + 4, t.1)
            }
            b.put32(88, s.blksize)
            b.put64(96, s.blocks)
        case .ppc64le:
            b = GuestStruct(size: 144, bigEndian: mmu.bigEndian)
            b.put64(0, FileStatus.encode(s.dev))
            b.put64(8, s.ino)
            b.put64(16, s.nlink)
            b.put32(24, s.mode)
            b.put32(28, s.uid)
            b.put32(32, s.gid)
            b.put64(40, FileStatus.encode(s.rdev))
            b.put64(48, s.size)
            b.put64(56, s.blksize)
            b.put64(64, s.blocks)
            for (off, t) in [(72, s.atime), (88, s.mtime), (104, s.ctime)] {
                b.put64(off, t.0)
                b.put64(off + 8, t.1)
            }
        }
        return mmu.writeBytes(buf, b.bytes) ? 0 : err(.EFAULT)
    }
}
