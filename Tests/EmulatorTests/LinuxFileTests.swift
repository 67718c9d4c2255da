// LinuxFileTests: guest file descriptors: pipes, temp files with and without allowWrites,
// stat/statx layouts checked against the cross compiler's offsetof run under qemu-user,
// /proc/self/exe, EFAULT on wild pointers, /dev/urandom determinism.
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Emulator

final class LinuxFileTests: XCTestCase {
    let abis: [LinuxABI] = [.mips64n64, .ppc64le]

    func openFlags(_ abi: LinuxABI) -> (wronly: UInt64, creat: UInt64, trunc: UInt64) {
        abi == .mips64n64 ? (1, 0x100, 0x200) : (1, 0o100, 0o1000)
    }

    func testPipeWriteAndRead() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi)
            let buf = p.scratch
            XCTAssertEqual(p.ret("pipe2", buf, 0), 0)
            let r = p.mmu.loadValue(buf, size: 4) ?? 0, w = p.mmu.loadValue(buf + 4, size: 4) ?? 0
            XCTAssertEqual([r, w], [3, 4])
            p.put(buf + 64, "ping pong")
            XCTAssertEqual(p.ret("write", w, buf + 64, 9), 9)
            // writev of two pieces
            XCTAssertTrue(p.mmu.storeValue(buf + 128, size: 8, buf + 64))
            XCTAssertTrue(p.mmu.storeValue(buf + 136, size: 8, 4))
            XCTAssertTrue(p.mmu.storeValue(buf + 144, size: 8, buf + 69))
            XCTAssertTrue(p.mmu.storeValue(buf + 152, size: 8, 4))
            XCTAssertEqual(p.ret("writev", w, buf + 128, 2), 8)
            XCTAssertEqual(p.ret("read", r, buf + 256, 100), 17)
            XCTAssertEqual(p.mmu.readBytes(buf + 256, count: 17), Array("ping pongpingpong".utf8))
            // dup shares the pipe; closing one end keeps the other.
            let d = p.ret("dup", w)
            XCTAssertEqual(d, 5)
            XCTAssertEqual(p.ret("close", w), 0)
            XCTAssertEqual(p.ret("write", u(d), buf + 64, 4), 4)
            XCTAssertEqual(p.ret("read", r, buf + 256, 100), 4)
            XCTAssertEqual(p.ret("close", w), p.errno(9))
            XCTAssertEqual(p.ret("fcntl", r, 1), 0)
            XCTAssertEqual(p.ret("fcntl", r, 2, 1), 0)
            XCTAssertEqual(p.ret("fcntl", r, 1), 1)
            XCTAssertEqual(p.ret("fcntl", r, 1030, 10), 10)
            XCTAssertEqual(p.ret("ioctl", r, 0x540d, buf), p.errno(25), "ENOTTY")
            XCTAssertEqual(p.ret("ioctl", 77, 0x540d, buf), p.errno(9))
            // Closing guest stdin must not close the host's.
            XCTAssertEqual(p.ret("close", 0), 0)
            XCTAssertNotEqual(fcntl(0, F_GETFD), -1)
        }
    }

    /// A blocking read of an empty pipe (or a write to a full one) could only be unblocked by the
    /// process itself, so it would hang forever: the process is killed instead, at once. With
    /// O_NONBLOCK it is EAGAIN; a write with no reader left raises SIGPIPE (k42sim survives).
    func testPipeThatCanNeverBeReadyKillsInsteadOfHanging() throws {
        for abi in abis {
            let nonblock: UInt64 = abi == .mips64n64 ? 0x80 : 0o4000
            let (p, _, _) = try LinuxTestSupport.process(abi)
            let buf = p.scratch
            XCTAssertEqual(p.ret("pipe2", buf, nonblock), 0)
            let r = p.mmu.loadValue(buf, size: 4) ?? 0, w = p.mmu.loadValue(buf + 4, size: 4) ?? 0
            XCTAssertEqual(p.ret("read", r, buf + 64, 10), p.errno(11), "EAGAIN")
            XCTAssertEqual(p.ret("fcntl", r, 4, 0), 0)                     // F_SETFL: blocking again
            XCTAssertEqual(p.call("read", r, buf + 64, 10), .killed(signal: abi.SIGKILL))

            let (q, _, _) = try LinuxTestSupport.process(abi)
            XCTAssertEqual(q.ret("pipe2", buf, 0), 0)
            let qw = q.mmu.loadValue(buf + 4, size: 4) ?? 0
            // 1 MiB into a 64 KiB pipe nobody reads: Linux would block forever.
            let big = u(q.ret("mmap", 0, 1 << 20, 3, abi == .mips64n64 ? 0x802 : 0x22, u(-1), 0))
            let first = q.ret("write", qw, big, 1 << 20)
            XCTAssertGreaterThan(first, 0, "fills the pipe")
            XCTAssertEqual(q.call("write", qw, big, 1 << 20), .killed(signal: abi.SIGKILL))

            let (s, _, _) = try LinuxTestSupport.process(abi)
            XCTAssertEqual(s.ret("pipe2", buf, 0), 0)
            let sr = s.mmu.loadValue(buf, size: 4) ?? 0, sw = s.mmu.loadValue(buf + 4, size: 4) ?? 0
            XCTAssertEqual(s.ret("close", sr), 0)
            XCTAssertEqual(s.call("write", sw, buf, 4), .killed(signal: abi.SIGPIPE))
            _ = w
        }
    }

    func testTempFileWithAllowWrites() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi, allowWrites: true)
            let dir = LinuxTestSupport.tempDir()
            let path = dir + "/out.txt"
            let o = openFlags(abi)
            p.put(p.scratch, path)
            let fd = p.ret("openat", u(-100), p.scratch, o.wronly | o.creat | o.trunc, 0o644)
            XCTAssertGreaterThanOrEqual(fd, 3)
            p.put(p.scratch + 512, "written by the guest\n")
            XCTAssertEqual(p.ret("write", u(fd), p.scratch + 512, 21), 21)
            XCTAssertEqual(p.ret("pwrite64", u(fd), p.scratch + 512, 7, 100), 7)
            XCTAssertEqual(p.ret("close", u(fd)), 0)
            let content = try HostFile.readAll(path: path)
            XCTAssertEqual(Array(content[0 ..< 21]), Array("written by the guest\n".utf8))
            XCTAssertEqual(content.count, 107)
            // Read it back with lseek and pread.
            let rfd = p.ret("openat", u(-100), p.scratch, 0, 0)
            XCTAssertEqual(p.ret("lseek", u(rfd), 8, 0), 8)
            XCTAssertEqual(p.ret("read", u(rfd), p.scratch + 1024, 2), 2)
            XCTAssertEqual(p.string(p.scratch + 1024).map { String($0.prefix(2)) }, "by")
            XCTAssertEqual(p.ret("pread64", u(rfd), p.scratch + 1024, 7, 100), 7)
            XCTAssertEqual(p.ret("lseek", u(rfd), 0, 2), 107)
            XCTAssertEqual(p.ret("unlinkat", u(-100), p.scratch, 0), 0)
            XCTAssertEqual(access(path, F_OK), -1)
        }
    }

    func testReadOnlyWithoutAllowWrites() throws {
        for abi in abis {
            let (p, _, progPath) = try LinuxTestSupport.process(abi)
            let dir = LinuxTestSupport.tempDir()
            let o = openFlags(abi)
            p.put(p.scratch, dir + "/nope.txt")
            XCTAssertEqual(p.ret("openat", u(-100), p.scratch, o.wronly | o.creat, 0o644), p.errno(30), "EROFS")
            XCTAssertEqual(access(dir + "/nope.txt", F_OK), -1)
            p.put(p.scratch, progPath)
            XCTAssertEqual(p.ret("openat", u(-100), p.scratch, 2, 0), p.errno(30))
            XCTAssertEqual(p.ret("openat", u(-100), p.scratch, o.trunc, 0), p.errno(30))
            XCTAssertEqual(p.ret("faccessat", u(-100), p.scratch, 2), p.errno(30))
            XCTAssertEqual(p.ret("faccessat", u(-100), p.scratch, 4), 0)
            XCTAssertEqual(p.ret("unlinkat", u(-100), p.scratch, 0), p.errno(30))
            XCTAssertEqual(access(progPath, F_OK), 0)
            let fd = p.ret("openat", u(-100), p.scratch, 0, 0)
            XCTAssertGreaterThanOrEqual(fd, 3)
            XCTAssertEqual(p.ret("write", u(fd), p.scratch, 1), p.errno(9), "read-only fd")
            p.put(p.scratch, dir + "/missing")
            XCTAssertEqual(p.ret("openat", u(-100), p.scratch, 0, 0), p.errno(2))
            XCTAssertEqual(p.ret("faccessat", u(-100), p.scratch, 0), p.errno(2))
        }
    }

    func testWildPointersGiveEFAULT() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi)
            let wild: UInt64 = 0xdead_0000
            XCTAssertEqual(p.ret("write", 1, wild, 10), p.errno(14))
            XCTAssertEqual(p.ret("read", 0, wild, 0), 0)
            XCTAssertEqual(p.ret("uname", wild), p.errno(14))
            XCTAssertEqual(p.ret("clock_gettime", 1, wild), p.errno(14))
            XCTAssertEqual(p.ret("openat", u(-100), wild, 0, 0), p.errno(14))
            XCTAssertEqual(p.ret("fstat", 1, wild), p.errno(14))
            XCTAssertEqual(p.ret("getrandom", wild, 16, 0), p.errno(14))
            XCTAssertEqual(p.ret("writev", 1, wild, 1), p.errno(14))
            XCTAssertEqual(p.ret("writev", 1, p.scratch, 1 << 40), p.errno(22))
            XCTAssertEqual(p.ret("write", 1, u(-4096), u(-1)), p.errno(14))
            XCTAssertEqual(p.ret("rt_sigaction", 2, wild, 0, UInt64(abi.sigsetBytes)), p.errno(14))
            XCTAssertEqual(p.ret("pipe2", wild, 0), p.errno(14))
            XCTAssertEqual(p.ret("futex", wild, 0, 0, 0), p.errno(14))
            XCTAssertEqual(p.ret("getcwd", wild, 4096), p.errno(14))
            XCTAssertEqual(p.ret("readlinkat", u(-100), wild, p.scratch, 100), p.errno(14))
            XCTAssertEqual(p.ret("nanosleep", wild, 0), p.errno(14))
            // Writes to read-only memory fault too.
            XCTAssertEqual(p.ret("uname", p.entryPoint & ~0xfff), p.errno(14))
        }
    }

    func testProcSelfExeAndHiddenProc() throws {
        for abi in abis {
            let (p, _, path) = try LinuxTestSupport.process(abi)
            p.put(p.scratch, "/proc/self/exe")
            let n = p.ret("readlinkat", u(-100), p.scratch, p.scratch + 256, 4096)
            XCTAssertEqual(n, Int64(path.utf8.count))
            XCTAssertEqual(p.mmu.readBytes(p.scratch + 256, count: Int(max(n, 0))), Array(path.utf8))
            XCTAssertEqual(p.ret("readlinkat", u(-100), p.scratch, p.scratch + 256, 4), 4)
            p.put(p.scratch, "/proc/cpuinfo")
            XCTAssertEqual(p.ret("openat", u(-100), p.scratch, 0, 0), p.errno(2))
            p.put(p.scratch, "/sys/devices/system/cpu/online")
            XCTAssertEqual(p.ret("openat", u(-100), p.scratch, 0, 0), p.errno(2))
        }
    }

    func testDevUrandomIsDeterministic() throws {
        func sample(_ seed: UInt64) throws -> [UInt8]? {
            let (p, _, _) = try LinuxTestSupport.process(.ppc64le, seed: seed)
            p.put(p.scratch, "/dev/urandom")
            let fd = p.ret("openat", u(-100), p.scratch, 0, 0)
            XCTAssertEqual(p.ret("read", u(fd), p.scratch + 64, 32), 32)
            return p.mmu.readBytes(p.scratch + 64, count: 32)
        }
        XCTAssertEqual(try sample(1), try sample(1))
        XCTAssertNotEqual(try sample(1), try sample(2))
    }

    /// Offsets of the kernel's struct stat / struct statx as the cross compiler lays them out,
    /// printed by a program run under qemu-user.
    func oracleOffsets(_ abi: LinuxABI) throws -> [String: (offset: Int, size: Int)] {
        let isa = GuestISA(abi)
        let qemu = try HostTools.qemu(for: isa)
        let src = """
        #include <stdio.h>
        #include <stddef.h>
        #include <asm/stat.h>
        #include <linux/stat.h>
        #define F(s, f) printf(#s "." #f " %zu %zu\\n", offsetof(struct s, f), sizeof(((struct s*)0)->f));
        int main(void) {
          printf("stat.SIZE 0 %zu\\n", sizeof(struct stat));
          printf("statx.SIZE 0 %zu\\n", sizeof(struct statx));
          F(stat, st_dev) F(stat, st_ino) F(stat, st_mode) F(stat, st_nlink) F(stat, st_uid) F(stat, st_gid)
          F(stat, st_size) F(stat, st_blksize) F(stat, st_blocks) F(stat, st_mtime) F(stat, st_mtime_nsec)
          F(statx, stx_mask) F(statx, stx_blksize) F(statx, stx_nlink) F(statx, stx_mode) F(statx, stx_ino)
          F(statx, stx_size) F(statx, stx_blocks) F(statx, stx_mtime) F(statx, stx_uid)
          return 0;
        }
        """
        let exe = try LinuxTestSupport.compile(abi, source: src, flags: ["-static", "-O1"])
        let r = try ProcessRunner.run(qemu, isa.qemuOptions + [exe])
        XCTAssertEqual(r.status, 0, r.stdoutText + r.stderrText)
        var out: [String: (Int, Int)] = [:]
        for line in r.stdoutText.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 3, let o = Int(f[1]), let s = Int(f[2]) { out[String(f[0])] = (o, s) }
        }
        return out
    }

    func checkStatLayout(_ abi: LinuxABI) throws {
        let off = try oracleOffsets(abi)
        let (p, _, path) = try LinuxTestSupport.process(abi)
        var hs = stat()
        XCTAssertEqual(fstatat(AT_FDCWD, path, &hs, 0), 0)
        p.put(p.scratch, path)
        let buf = p.scratch + 1024
        XCTAssertEqual(p.ret("newfstatat", u(-100), p.scratch, buf, 0), 0)
        func field(_ name: String) -> UInt64? {
            guard let f = off[name] else { XCTFail("oracle lacks \(name)"); return nil }
            return p.mmu.loadValue(buf + UInt64(f.offset), size: f.size)
        }
        let size = off["stat.SIZE"]?.size ?? 0
        XCTAssertEqual(size, abi == .mips64n64 ? 104 : 144)
        XCTAssertEqual(field("stat.st_ino"), UInt64(hs.st_ino))
        XCTAssertEqual(field("stat.st_mode"), UInt64(hs.st_mode))
        XCTAssertEqual(field("stat.st_nlink"), UInt64(hs.st_nlink))
        XCTAssertEqual(field("stat.st_uid"), UInt64(hs.st_uid))
        XCTAssertEqual(field("stat.st_gid"), UInt64(hs.st_gid))
        XCTAssertEqual(field("stat.st_size"), UInt64(hs.st_size))
        XCTAssertEqual(field("stat.st_blksize"), UInt64(hs.st_blksize))
        XCTAssertEqual(field("stat.st_blocks"), UInt64(hs.st_blocks))
        XCTAssertEqual(field("stat.st_mtime"), UInt64(hs.st_mtim.tv_sec))
        XCTAssertEqual(field("stat.st_mtime_nsec"), UInt64(hs.st_mtim.tv_nsec))
        // fstat of an open fd gives the same bytes.
        let fd = p.ret("openat", u(-100), p.scratch, 0, 0)
        XCTAssertEqual(p.ret("fstat", u(fd), buf + 2048), 0)
        XCTAssertEqual(p.mmu.readBytes(buf + 2048, count: size), p.mmu.readBytes(buf, count: size))
        // statx with AT_EMPTY_PATH on the fd, as glibc's fstat does on mips64.
        p.put(p.scratch, "")
        XCTAssertEqual(p.ret("statx", u(fd), p.scratch, 0x1000, 0x7ff, buf), 0)
        XCTAssertEqual(off["statx.SIZE"]?.size, 256)
        XCTAssertEqual(field("statx.stx_mask").map { $0 & 0x7ff }, 0x7ff)
        XCTAssertEqual(field("statx.stx_ino"), UInt64(hs.st_ino))
        XCTAssertEqual(field("statx.stx_mode"), UInt64(hs.st_mode))
        XCTAssertEqual(field("statx.stx_size"), UInt64(hs.st_size))
        XCTAssertEqual(field("statx.stx_nlink"), UInt64(hs.st_nlink))
        XCTAssertEqual(field("statx.stx_uid"), UInt64(hs.st_uid))
        XCTAssertEqual(field("statx.stx_blocks"), UInt64(hs.st_blocks))
        XCTAssertEqual(field("statx.stx_blksize"), UInt64(hs.st_blksize))
        if let m = off["statx.stx_mtime"] {
            XCTAssertEqual(p.mmu.loadValue(buf + UInt64(m.offset), size: 8), UInt64(hs.st_mtim.tv_sec))
        }
        XCTAssertEqual(p.ret("newfstatat", u(-100), p.scratch, buf, 0), p.errno(2), "empty path")
    }

    func testMIPSStatLayoutMatchesOracle() throws { try checkStatLayout(.mips64n64) }
    func testPPCStatLayoutMatchesOracle() throws { try checkStatLayout(.ppc64le) }
}
