// LinuxMemoryTests: brk growth and shrink, anonymous and file mmap, munmap, mprotect, mremap
// and madvise through the syscall interface, for both ABIs.
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Emulator

final class LinuxMemoryTests: XCTestCase {
    let abis: [LinuxABI] = [.mips64n64, .ppc64le]

    func testBrkGrowsAndShrinks() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi)
            let start = u(p.ret("brk", 0))
            XCTAssertEqual(start & 0xfff, 0)
            XCTAssertNil(p.mmu.loadValue(start, size: 8))
            XCTAssertEqual(u(p.ret("brk", start + 100_000)), start + 100_000)
            XCTAssertTrue(p.mmu.storeValue(start + 99_992, size: 8, 0x1234))
            XCTAssertEqual(p.mmu.loadValue(start + 99_992, size: 8), 0x1234)
            XCTAssertEqual(u(p.ret("brk", start + 10)), start + 10)
            XCTAssertNil(p.mmu.loadValue(start + 99_992, size: 8))
            XCTAssertNotNil(p.mmu.loadValue(start, size: 8))
            XCTAssertEqual(u(p.ret("brk", start - 4096)), start + 10, "below start: unchanged")
            XCTAssertEqual(u(p.ret("brk", 1 << 62)), start + 10, "absurd: unchanged")
            // Regrown memory is zero again.
            XCTAssertEqual(u(p.ret("brk", start + 100_000)), start + 100_000)
            XCTAssertEqual(p.mmu.loadValue(start + 99_992, size: 8), 0)
        }
    }

    func mapFlags(_ abi: LinuxABI) -> (anon: UInt64, fixed: UInt64, noreplace: UInt64) {
        (abi == .mips64n64 ? 0x802 : 0x22, 0x10, 0x100000)
    }

    func testAnonymousMmapMunmapMprotect() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi)
            let f = mapFlags(abi)
            let a = u(p.ret("mmap", 0, 3 * 4096, 3, f.anon, u(-1), 0))
            XCTAssertEqual(a & 0xfff, 0)
            XCTAssertLessThan(a, abi.stackTop - LinuxABI.stackSize)
            XCTAssertEqual(p.mmu.loadValue(a + 9000, size: 8), 0)
            XCTAssertTrue(p.mmu.storeValue(a + 9000, size: 8, 77))
            let b = u(p.ret("mmap", 0, 4096, 3, f.anon, u(-1), 0))
            XCTAssertNotEqual(a, b)
            XCTAssertTrue(b + 4096 <= a || b >= a + 3 * 4096)
            XCTAssertEqual(p.ret("mprotect", a, 4096, 1), 0)
            XCTAssertFalse(p.mmu.storeValue(a, size: 8, 1))
            XCTAssertNotNil(p.mmu.loadValue(a, size: 8))
            XCTAssertEqual(p.ret("mprotect", a, 4096, 0), 0)
            XCTAssertNil(p.mmu.loadValue(a, size: 8))
            XCTAssertEqual(p.ret("munmap", a + 4096, 4096), 0)
            XCTAssertNil(p.mmu.loadValue(a + 4096, size: 8))
            XCTAssertEqual(p.mmu.loadValue(a + 9000, size: 8), 77)
            XCTAssertEqual(p.ret("mprotect", a, 3 * 4096, 3), p.errno(12), "hole: ENOMEM")
            XCTAssertEqual(p.ret("mmap", 0, 0, 3, f.anon, u(-1), 0), p.errno(22))
            XCTAssertEqual(p.ret("mmap", 0, 1 << 62, 3, f.anon, u(-1), 0), p.errno(12))
            XCTAssertEqual(p.ret("munmap", a + 1, 4096), p.errno(22))
            // MAP_FIXED replaces; MAP_FIXED_NOREPLACE refuses.
            XCTAssertEqual(u(p.ret("mmap", a + 8192, 4096, 3, f.anon | f.fixed, u(-1), 0)), a + 8192)
            XCTAssertEqual(p.mmu.loadValue(a + 9000, size: 8), 0)
            XCTAssertEqual(p.ret("mmap", a + 8192, 4096, 3, f.anon | f.noreplace, u(-1), 0), p.errno(17))
            // MADV_DONTNEED zeroes.
            XCTAssertTrue(p.mmu.storeValue(b, size: 8, 5))
            XCTAssertEqual(p.ret("madvise", b, 4096, 4), 0)
            XCTAssertEqual(p.mmu.loadValue(b, size: 8), 0)
        }
    }

    func testMremap() throws {
        for abi in abis {
            let (p, _, _) = try LinuxTestSupport.process(abi)
            let f = mapFlags(abi)
            let a = u(p.ret("mmap", 0, 2 * 4096, 3, f.anon, u(-1), 0))
            XCTAssertTrue(p.mmu.storeValue(a + 4100, size: 8, 0xabc))
            // Block growth in place.
            XCTAssertEqual(u(p.ret("mmap", a + 2 * 4096, 4096, 3, f.anon | f.fixed, u(-1), 0)), a + 2 * 4096)
            XCTAssertEqual(p.ret("mremap", a, 2 * 4096, 4 * 4096, 0, 0), p.errno(12))
            let moved = u(p.ret("mremap", a, 2 * 4096, 4 * 4096, 1, 0))
            XCTAssertNotEqual(moved, a)
            XCTAssertEqual(p.mmu.loadValue(moved + 4100, size: 8), 0xabc)
            XCTAssertEqual(p.mmu.loadValue(moved + 4 * 4096 - 8, size: 8), 0)
            XCTAssertNil(p.mmu.loadValue(a, size: 8))
            // Shrink in place.
            XCTAssertEqual(u(p.ret("mremap", moved, 4 * 4096, 4096, 0, 0)), moved)
            XCTAssertNil(p.mmu.loadValue(moved + 4096, size: 8))
            // Unmapped source.
            XCTAssertEqual(p.ret("mremap", a, 4096, 8192, 1, 0), p.errno(14))
        }
    }

    func testPrivateFileMmapCopiesContent() throws {
        for abi in abis {
            let (p, image, path) = try LinuxTestSupport.process(abi)
            let name = p.scratch
            p.put(name, path)
            let fd = p.ret("openat", u(-100), name, 0, 0)
            XCTAssertGreaterThanOrEqual(fd, 3)
            let a = u(p.ret("mmap", 0, 8192, 1, 2, u(fd), 0))
            XCTAssertEqual(p.mmu.readBytes(a, count: 64), Array(image.bytes[0 ..< 64]))
            XCTAssertFalse(p.mmu.storeValue(a, size: 1, 0), "PROT_READ")
            if image.bytes.count < 8192 {
                XCTAssertEqual(p.mmu.loadValue(a + 8184, size: 8), 0, "past EOF")
            }
            XCTAssertEqual(p.ret("mmap", 0, 4096, 3, 1, u(fd), 0), p.errno(19), "shared writable file mapping")
            XCTAssertEqual(p.ret("mmap", 0, 4096, 1, 2, 99, 0), p.errno(9))
            XCTAssertEqual(p.ret("close", u(fd)), 0)
        }
    }

    func testManyMmapsReuseFreedSpace() throws {
        let (p, _, _) = try LinuxTestSupport.process(.mips64n64)
        let f = mapFlags(.mips64n64)
        var first: UInt64 = 0
        for i in 0 ..< 200 {
            let a = u(p.ret("mmap", 0, 1 << 20, 3, f.anon, u(-1), 0))
            if i == 0 { first = a }
            XCTAssertEqual(p.ret("munmap", a, 1 << 20), 0)
        }
        XCTAssertEqual(u(p.ret("mmap", 0, 1 << 20, 3, f.anon, u(-1), 0)), first)
        XCTAssertEqual(p.physical.allocatedFrames < 4000, true, "anonymous memory is demand-zero")
    }
}

extension LinuxMemoryTests {
    func testHugeReservationIsBoundedAndCheap() throws {
        let (p, _, _) = try LinuxTestSupport.process(.ppc64le)
        XCTAssertEqual(p.ret("mmap", 0, 1 << 45, 0, 0x22, u(-1), 0), p.errno(12), "beyond the guest memory budget")
        let t0 = clock()
        let a = u(p.ret("mmap", 0, 1 << 30, 0, 0x22, u(-1), 0))
        XCTAssertEqual(p.ret("munmap", a, 1 << 30), 0)
        XCTAssertEqual(p.ret("madvise", a - (1 << 35), 1 << 35, 4), p.errno(12))
        print("1 GiB PROT_NONE reserve+release: \(Double(clock() - t0) / Double(CLOCKS_PER_SEC)) s")
    }
}
