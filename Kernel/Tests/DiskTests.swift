// DiskTests (test=disk, needs `k42sim boot --disk FILE`): file-backed memory objects on the
// platform block device, from real user mode. The image's sector s starts with the word
// marker(s) = 0xD15C << 48 | s (Tests/EmulatorTests/Kernel/KernelDiskTests.swift writes it);
// its size must not be a multiple of 8 sectors, so the last page is partly past the end.
// Checks, in order (the failing one's number is the result):
//  1   a block device with at least 9 sectors is present;
//  2   a read-only file mapping: the first word of every page is its first sector's marker,
//      each page read from the device exactly once (the per-CPU diskReads counter);
//  3   in the last page, a sector inside the file has its marker and one past the end reads 0;
//  4   a page wholly past the file, and a write to the read-only mapping, are the process's
//      faults, and it runs on;
//  5   every CPU reads every page (in-core faults on frames CPU 0 filled): no device reads;
//  6   a writable (private) mapping: a write is seen, and a fresh mapping of the file still
//      sees the device's data (no write-back);
//  7   every frame came back when the processes were destroyed.
// Measurement 0 = cycles per file-page fault (check 2: device latency plus the copy-free DMA).

enum DiskTests {
    static let region: UInt64 = 0x2000_0000
    static let other: UInt64 = 0x3000_0000

    static func marker(_ sector: UInt64) -> UInt64 { 0xD15C_0000_0000_0000 | sector }
    static func sum(_ pages: UInt64) -> UInt64 {
        var s: UInt64 = 0
        for p in 0 ..< pages { s &+= marker(8 * p) }
        return s
    }
    static func reads() -> UInt64 {
        var n: UInt64 = 0
        for c in 0 ..< BootInfo.cpuCount { n &+= Counter.diskReads.value(on: c) }
        return n
    }

    static func run() -> UInt64 {
        let sectors = Disk.sectors
        var check: UInt64 = 0
        func expect(_ ok: Bool) -> Bool { check += 1; return ok }
        let framesBefore = VMTests.framesOut()

        guard expect(sectors >= 9 && sectors % 8 != 0) else {
            Console.write("disk: needs a block device of 9+ sectors, not a multiple of 8 (k42sim boot --disk FILE)\n")
            return check
        }
        let pages = (sectors + 7) / 8
        guard let p = UserProbes.process() else { return check + 1 }
        guard p.mapFile(firstSector: 0, sectors: sectors, base: region, size: (pages + 1) * 4096, writable: false) == nil else {
            return check + 1
        }
        let r0 = reads(), t0 = Devices.cycles
        let summed = UserProbes.run(p, .sum, region, pages)
        Report.value(.measurement, index: 0, (Devices.cycles - t0) / pages)
        guard expect(summed == .exited(status: sum(pages)) && reads() - r0 == pages) else { return check }

        let last = region + (pages - 1) * 4096
        let inside = (sectors - 1) % 8, outside = sectors % 8
        guard expect(UserProbes.run(p, .read, last + inside * 512) == .exited(status: marker(sectors - 1))
                     && UserProbes.run(p, .read, last + outside * 512) == .exited(status: 0)) else { return check }

        let past = region + pages * 4096
        guard expect(UserProbes.run(p, .read, past) == .fault(address: past, access: .read)
                     && UserProbes.run(p, .write, region, 1) == .fault(address: region, access: .write)
                     && UserProbes.run(p, .exit, 1, 2) == .exited(status: 3)) else { return check }

        let r1 = reads()
        let bad = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        bad.pointee = 0
        let badAddress = UInt(bitPattern: bad)
        runOnCPUs(BootInfo.cpuCount) { _, _ in
            if UserProbes.run(p, .sum, region, pages) != .exited(status: sum(pages)) {
                AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: badAddress)!).or(1)
            }
        }
        let failed = bad.pointee
        bad.deallocate()
        guard expect(failed == 0 && reads() == r1) else { return check }

        guard p.mapFile(firstSector: 0, sectors: sectors, base: other, size: 4096, writable: true) == nil,
              let q = UserProbes.process() else { return check + 1 }
        guard q.mapFile(firstSector: 0, sectors: sectors, base: other, size: 4096, writable: false) == nil else { return check + 1 }
        guard expect(UserProbes.run(p, .write, other, 77) == .exited(status: 0)
                     && UserProbes.run(p, .read, other) == .exited(status: 77)
                     && UserProbes.run(q, .read, other) == .exited(status: marker(0))) else { return check }
        q.destroy()
        p.destroy()
        guard expect(VMTests.framesOut() == framesBefore) else { return check }
        Console.write("disk: file pages from the block device, read once, shared in core by every CPU, private writes, faults past the end\n")
        return 0
    }
}
