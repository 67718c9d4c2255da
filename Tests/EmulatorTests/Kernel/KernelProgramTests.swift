// KernelProgramTests: K42 user programs (Guests/init, built with Guests/UserRuntime) from the
// initial RAM image on both ISAs at 1, 4 and 16 CPUs: `init` starts a worker on every CPU
// (each must exit with 100 + the CPU it ran on) and six protection probes (killed for the
// right access, or refused); the kernel's counters must show exactly those processes started,
// exited and killed, on the CPUs they were started on, and the run must repeat bit for bit.
// Bad RAM images — an "init" that is not ELF, a truncated ELF — are refused, never fatal.
// Programs from the block device: with a RAM image lacking them, `uthreads` (kernel spawn) and
// `init` with its workers (spawns from user mode) load from a disk holding the RAM-image layout;
// a disk without it, an entry that is not ELF, a directory or file range beyond the image are
// refused with their errno, and the kernel survives.
import Emulator
import Foundation
import XCTest

final class KernelProgramTests: XCTestCase {
    func check(_ isa: Emulator.GuestISA) throws {
        let image = try KernelImages.programs(isa)
        for (cpus, nodes) in [(1, 1), (4, 2), (16, 4)] {
            let b = try KernelImages.boot(isa, cpus: cpus, nodes: nodes, args: "test=programs quiet", ramImage: image)
            assertPassed(b)
            XCTAssertEqual(b.value(KernelReport.programStatus), 0, b.describe)
            XCTAssertTrue(b.console.contains("init: \(cpus) workers exited with 100 + their CPU"), b.describe)
            XCTAssertTrue(b.console.contains("init: 0 failures"), b.describe)
            // init, one worker per CPU, six probes; three of them killed (text write, wild read,
            // kernel read); the bad-call probe's own spawns are refused and start nothing.
            XCTAssertEqual(b.counter(.programsStarted), UInt64(1 + cpus + 6), b.describe)
            XCTAssertEqual(b.counter(.programsKilled), 3, b.describe)
            XCTAssertEqual(b.counter(.programsExited), UInt64(1 + cpus + 3), b.describe)
            XCTAssertEqual(b.counter(.programsKilled, cpu: cpus - 1), 3, "the probes run on the last CPU")
            for c in 1 ..< max(cpus - 1, 1) {
                XCTAssertEqual(b.counter(.programsExited, cpu: c), 1, "CPU \(c) ran its worker only")
            }
            XCTAssertGreaterThanOrEqual(b.counter(.faultNotifications), 3)
            if cpus == 4 {
                let again = try KernelImages.boot(isa, cpus: cpus, nodes: nodes, args: "test=programs quiet", ramImage: image)
                XCTAssertEqual(again.console, b.console)
                XCTAssertEqual(again.reports.map { [$0.cycle, UInt64($0.cpu), $0.arg0, $0.arg1] },
                               b.reports.map { [$0.cycle, UInt64($0.cpu), $0.arg0, $0.arg1] })
            }
        }
    }

    func diskFile(_ bytes: [UInt8]) -> String {
        let path = NSTemporaryDirectory() + "k42sim-progdisk-\(getpid())-\(UUID().uuidString).img"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func checkFromDisk(_ isa: Emulator.GuestISA) throws {
        let all = try KernelImages.programs(isa)
        let files = try InitialRAMImage.parse(all).files
        func only(_ name: String) throws -> [UInt8] { try InitialRAMImage(files: files.filter { $0.name == name }).pack() }
        let disk = diskFile(all)
        func boot(_ args: String, ram: [UInt8], disk path: String, cpus: Int = 4) throws -> KernelBoot {
            try KernelImages.boot(isa, cpus: cpus, nodes: 2, args: args + " quiet",
                                  disk: try BlockDevice(path: path, writable: false, latency: 20_000), ramImage: ram)
        }
        // The kernel starts uthreads from the disk; it runs threads on every CPU.
        let u = try boot("program=uthreads program-arg=13", ram: try only("init"), disk: disk)
        XCTAssertEqual(u.exitStatus, 0, u.describe)
        XCTAssertTrue(u.console.contains("4 dispatchers on CPUs 0,1,2,3"), u.describe)
        XCTAssertGreaterThanOrEqual(u.counter(.diskReads), 3, "header, directory, file")
        // init from the disk, and its workers and probes spawned from user mode, from the disk too.
        let i = try boot("test=programs", ram: try only("uthreads"), disk: disk)
        assertPassed(i)
        XCTAssertTrue(i.console.contains("init: 4 workers exited with 100 + their CPU"), i.describe)
        XCTAssertTrue(i.console.contains("init: 0 failures"), i.describe)
        XCTAssertEqual(i.counter(.programsStarted), 1 + 4 + 6, i.describe)
        XCTAssertGreaterThanOrEqual(i.counter(.diskReads), 3 * 11, "every spawn read its image")
        // Without the program anywhere, or with a disk that is not an image: ENOENT.
        let ram = try only("init")
        let none = try boot("program=uthreads", ram: ram, disk: diskFile([UInt8](repeating: 0xFF, count: 8192)))
        XCTAssertEqual(none.exitStatus, 1, none.describe)
        XCTAssertTrue(none.console.contains("k42: program 'uthreads' not started: error 2"), none.describe)
        // An entry that is not ELF: ENOEXEC.
        let junk = try InitialRAMImage(files: [.init(name: "uthreads", bytes: [UInt8](repeating: 0x5A, count: 5000))]).pack()
        let bad = try boot("program=uthreads", ram: ram, disk: diskFile(junk))
        XCTAssertTrue(bad.console.contains("k42: program 'uthreads' not started: error 8"), bad.describe)
        // A file range or total size beyond the image: ENOENT; the kernel survives each.
        var past = junk
        past[0x18 + 40] = 0xFF; past[0x18 + 41] = 0xFF           // size of file 0: past the end
        let p = try boot("program=uthreads", ram: ram, disk: diskFile(past))
        XCTAssertTrue(p.console.contains("k42: program 'uthreads' not started: error 2"), p.describe)
        var huge = junk
        huge[0x10 + 5] = 0x7F                                    // total size far beyond the device
        let h = try boot("program=uthreads", ram: ram, disk: diskFile(huge))
        XCTAssertTrue(h.console.contains("k42: program 'uthreads' not started: error 2"), h.describe)
    }

    func testProgramsFromTheBlockDeviceOnMIPS64() throws { try checkFromDisk(.mips64) }
    func testProgramsFromTheBlockDeviceOnPPC64() throws { try checkFromDisk(.ppc64) }

    func testInitOnMIPS64() throws { try check(.mips64) }
    func testInitOnPPC64() throws { try check(.ppc64) }

    /// An "init" that is not an executable, and one cut short after its headers.
    func testBadProgramsAreRefused() throws {
        for isa in [Emulator.GuestISA.mips64, .ppc64] {
            let good = try InitialRAMImage.parse(try KernelImages.programs(isa)).files.first { $0.name == "init" }!.bytes
            let cases: [([UInt8], String)] = [
                (Array("#!/bin/sh\necho not an ELF file\n".utf8), "not started: error 8"),
                (Array(good.prefix(200)), "not started: error 8"),
                (good, "exited with status 0"),
            ]
            for (bytes, expected) in cases {
                let ram = try InitialRAMImage(files: [.init(name: "init", bytes: bytes)]).pack()
                let b = try KernelImages.boot(isa, cpus: 2, args: "test=programs quiet", ramImage: ram)
                XCTAssertTrue(b.console.contains(expected), "\(isa): \(b.describe)")
                XCTAssertEqual(b.exitStatus, expected.contains("exited") ? 0 : 1, b.describe)
            }
            // No RAM image: the default workload's init is optional, a named program is not.
            let none = try KernelImages.boot(isa, cpus: 1, args: "test=programs quiet")
            XCTAssertEqual(none.exitStatus, 0, none.describe)
            let named = try KernelImages.boot(isa, cpus: 1, args: "program=init quiet")
            XCTAssertEqual(named.exitStatus, 1, named.describe)
            XCTAssertTrue(named.console.contains("not started: error 2"), named.describe)
        }
    }
}
