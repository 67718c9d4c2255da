// VMTests (test=vm): processes, memory objects and the fault path from real user mode, on every
// CPU. Checks, in order (the failing one's number is the result):
//  1-2   zero-fill: a probe writes and reads back 64 fresh pages of an anonymous region;
//  3-6   every CPU at once, in one process (shared variant, then replicated), in one region
//        with a centralized FCM and one with a distributed FCM: each CPU touches its own 16
//        pages, then reads its neighbour's (in-core faults on frames another CPU filled);
//  7-9   unmap shoots down exactly the CPUs that used a region: a region touched by the odd
//        CPUs (and CPU 0) is unmapped from CPU 0; the per-CPU shootdown counters move on
//        exactly those CPUs; each of them then faults on the old address (no stale TLB/PTE);
//        the unmap is bracketed by statistics reset/dump sim-calls (ops 3/4), so the machine's
//        own per-CPU TLB invalidation counts of exactly that unmap are in the first dump;
//  10-14 copy-on-write: a process sees a parent object's pages, writes its own copies, the
//        parent keeps its data, a second process still sees the parent's; with 2+ CPUs a
//        page CPU 1 read (parent's frame, read-only) and CPU 0 then wrote is seen by CPU 1;
//  15-20 protection: write to a read-only region, read of an unmapped user address and of an
//        address above user space fault with the right address and access (PPC: executing a
//        data page too), and the process still runs afterwards;
//  21-25 isolation: another process does not see the first one's pages at the same address
//        (same CPU, right after it ran), maps its own there (fresh, zero) by system call, and
//        cannot map kernel addresses or overlapping ranges; unmap by system call;
//  26    every frame a process got came back when the processes were destroyed;
//  27    the port spreads one page of 256 CPUs' translations (PPC: at most 8 CPUs' per-CPU
//        VSIDs put a page into one hashed-page-table group; MIPS: TLBs are per CPU).
// Measurements: 0 = CPUs shot down by the unmap of check 7, 1 = cycles per zero-fill fault
// (check 1, one CPU), 2 = cycles per in-core fault (check 4's neighbour reads, CPU 0).

enum VMTests {
    static let regionA: UInt64 = 0x2000_0000
    static let regionB: UInt64 = 0x3000_0000
    static let regionC: UInt64 = 0x4000_0000
    static let regionD: UInt64 = 0x5000_0000
    static let pagesPerCPU: UInt64 = 16

    static func sum(_ base: UInt64, _ pages: UInt64) -> UInt64 {
        var s: UInt64 = 0
        for i in 0 ..< pages { s &+= base + i * 4096 }
        return s
    }

    static func framesOut() -> UInt64 {
        var n: UInt64 = 0
        for c in 0 ..< BootInfo.cpuCount {
            n &+= Counter.processFrames.value(on: c) &- Counter.processFramesFreed.value(on: c)
        }
        return n
    }

    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let framesBefore = framesOut()
        var check: UInt64 = 0
        func expect(_ ok: Bool) -> Bool { check += 1; return ok }

        // 1-2: zero-fill on one CPU.
        guard let p = UserProbes.process() else { return 1 }
        guard expect(p.mapAnonymous(base: regionA, size: 64 * 4096, writable: true, executable: false) == nil) else { return check }
        let t0 = Devices.cycles
        let touched = UserProbes.run(p, .touch, regionA, 64)
        Report.value(.measurement, index: 1, (Devices.cycles - t0) / 64)
        guard expect(touched == .exited(status: sum(regionA, 64))) else { return check }

        // 3-6: all CPUs in one process, centralized then distributed FCM, shared then replicated.
        var variant = 0
        while variant < 4 {
            let replicated = variant >= 2, distributed = variant & 1 != 0
            guard let q = UserProbes.process(replicated ? .replicated : .shared) else { return check + 1 }
            let size = UInt64(cpus) * pagesPerCPU * 4096
            guard q.mapAnonymous(base: regionB, size: size, writable: true, executable: false, distributed: distributed) == nil else {
                return check + 1
            }
            let bad = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
            bad.pointee = 0
            let badAddress = UInt(bitPattern: bad)
            runOnCPUs(cpus) { cpu, _ in
                let flag = AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: badAddress)!)
                let mine = regionB + UInt64(cpu) * pagesPerCPU * 4096
                if UserProbes.run(q, .touch, mine, pagesPerCPU) != .exited(status: sum(mine, pagesPerCPU)) { flag.or(1) }
            }
            runOnCPUs(cpus) { cpu, _ in
                let flag = AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: badAddress)!)
                let theirs = regionB + UInt64((cpu + 1) % cpus) * pagesPerCPU * 4096
                let c0 = Devices.cycles
                if UserProbes.run(q, .sum, theirs, pagesPerCPU) != .exited(status: sum(theirs, pagesPerCPU)) { flag.or(2) }
                if cpu == 0 && variant == 0 { Report.value(.measurement, index: 2, (Devices.cycles - c0) / pagesPerCPU) }
            }
            let failed = bad.pointee
            bad.deallocate()
            q.destroy()
            guard expect(failed == 0) else { return check }
            variant += 1
        }

        // 7-9: unmap shoots down exactly the CPUs that used the region.
        guard let s = UserProbes.process() else { return check + 1 }
        let users = CPUSet.make()
        users.insert(0)
        for c in 0 ..< cpus where c % 2 == 1 { users.insert(c) }
        guard s.mapAnonymous(base: regionC, size: UInt64(cpus) * 4096, writable: true, executable: false) == nil else { return check + 1 }
        let before = UnsafeMutablePointer<UInt64>.allocate(capacity: cpus)
        for c in 0 ..< cpus { before[c] = Counter.shootdowns.value(on: c) }
        runOnCPUs(cpus) { cpu, _ in
            if users.contains(cpu) { _ = UserProbes.run(s, .touch, regionC + UInt64(cpu) * 4096, 1) }
        }
        Devices.simCall(3)                      // statistics from here: the emulator's TLB counts
        let served = s.unmap(base: regionC) ?? 0
        Devices.simCall(4)
        Report.value(.measurement, index: 0, UInt64(served))
        guard expect(served == users.count) else { return check }
        var exact = true
        for c in 0 ..< cpus {
            let delta = Counter.shootdowns.value(on: c) - before[c]
            if delta != (users.contains(c) ? 1 : 0) { exact = false }
        }
        before.deallocate()
        guard expect(exact) else { return check }
        let stale = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        stale.pointee = 0
        let staleAddress = UInt(bitPattern: stale)
        runOnCPUs(cpus) { cpu, _ in
            guard users.contains(cpu) else { return }
            let va = regionC + UInt64(cpu) * 4096
            if UserProbes.run(s, .read, va) != .fault(address: va, access: .read) {
                _ = AtomicWord(UnsafeMutablePointer<UInt64>(bitPattern: staleAddress)!).add(1)
            }
        }
        guard expect(stale.pointee == 0) else { return check }
        stale.deallocate()
        users.words.deallocate()
        s.destroy()

        // 10-14: copy-on-write.
        guard let parentFR = FR.zeroFill(), let parent = FCM.centralized(parentFR) else { return check + 1 }
        let magic: UInt64 = 0x4B42_C0C0_0000_0000
        for i in 0 ..< UInt64(8) {
            guard let page = parent.call({ $0.page(i, write: true) }) else { return check + 1 }
            PM.kernelAddress(page.pa).storeBytes(of: magic + i, as: UInt64.self)
        }
        let parentSum = (0 ..< UInt64(8)).reduce(UInt64(0)) { $0 &+ magic + $1 }
        guard p.mapCopyOnWrite(of: parent, base: regionD, size: 8 * 4096, writable: true) == nil else { return check + 1 }
        guard expect(UserProbes.run(p, .sum, regionD, 8) == .exited(status: parentSum)) else { return check }
        guard expect(UserProbes.run(p, .touch, regionD, 8) == .exited(status: sum(regionD, 8))) else { return check }
        var parentIntact = true
        for i in 0 ..< UInt64(8) {
            guard let page = parent.call({ $0.page(i, write: false) }) else { return check + 1 }
            if PM.kernelAddress(page.pa).load(as: UInt64.self) != magic + i { parentIntact = false }
        }
        guard expect(parentIntact) else { return check }
        guard let r = UserProbes.process() else { return check + 1 }
        guard r.mapCopyOnWrite(of: parent, base: regionD, size: 8 * 4096, writable: true) == nil else { return check + 1 }
        guard expect(UserProbes.run(r, .sum, regionD, 8) == .exited(status: parentSum)) else { return check }
        if cpus >= 2 {
            // CPU 1 maps the parent's page read-only; CPU 0 writes (its copy); CPU 1 must see it.
            let va = regionD + 7 * 4096
            let first = CrossCall.call(1) { UserProbes.run(r, .read, va) == .exited(status: magic + 7) ? 1 : 0 }
            let wrote = UserProbes.run(r, .write, va, 0x5EE) == .exited(status: 0)
            let seen = CrossCall.call(1) { UserProbes.run(r, .read, va) == .exited(status: 0x5EE) ? 1 : 0 }
            guard expect(first == 1 && wrote && seen == 1) else { return check }
        } else {
            check += 1
        }
        r.destroy()

        // 15-20: protection and bad addresses, and the process survives them.
        guard p.mapAnonymous(base: regionB, size: 4096, writable: false, executable: false) == nil else { return check + 1 }
        guard expect(UserProbes.run(p, .write, regionB, 1) == .fault(address: regionB, access: .write)) else { return check }
        let hole = regionB + 0x10_0000
        guard expect(UserProbes.run(p, .read, hole) == .fault(address: hole, access: .read)) else { return check }
        let high = Arch.userTop + 0x1000
        guard expect(UserProbes.run(p, .read, high) == .fault(address: high, access: .read)) else { return check }
        guard expect(UserProbes.run(p, .read, regionB) == .exited(status: 0)) else { return check }
        if Arch.userNoExecute {
            guard expect(UserProbes.run(p, .jump, regionA) == .fault(address: regionA, access: .execute)) else { return check }
        } else {
            check += 1
        }
        guard expect(UserProbes.run(p, .exit, 40, 2) == .exited(status: 42)) else { return check }

        // 21-25: isolation between processes; system calls.
        guard let o = UserProbes.process() else { return check + 1 }
        guard expect(UserProbes.run(o, .read, regionA) == .fault(address: regionA, access: .read)) else { return check }
        let mapped = UserProbes.run(o, .syscall, UserMode.systemMap, regionA, 4096, 1)
        guard expect(mapped == .exited(status: 0) && UserProbes.run(o, .read, regionA) == .exited(status: 0)) else { return check }
        let kernel = UInt64(Arch.kernelBase)
        guard expect(UserProbes.run(o, .syscall, UserMode.systemMap, kernel, 4096, 1) == .exited(status: 0 &- 22)) else { return check }
        guard expect(UserProbes.run(o, .syscall, UserMode.systemMap, regionA, 8192, 1) == .exited(status: 0 &- 17)) else { return check }
        guard expect(UserProbes.run(o, .syscall, UserMode.systemUnmap, regionA) == .exited(status: 1)
                     && UserProbes.run(o, .read, regionA) == .fault(address: regionA, access: .read)) else { return check }
        o.destroy()

        // 26: every frame came back.
        p.destroy()
        parent.call { $0.releasePages() }
        _ = Destruction.destroy(index: parent.index)
        _ = Destruction.destroy(index: parentFR.index)
        guard expect(framesOut() == framesBefore) else { return check }
        // 27: the port spreads the same page of many CPUs' translations over the MMU's
        // structures (PPC: per-CPU VSIDs must not hash one page of every CPU into one group).
        guard expect(Arch.userTranslationsSpread()) else { return check }
        print("vm: zero-fill, shared and replicated processes, centralized and distributed FCMs on \(cpus) CPUs, exact shootdowns, copy-on-write, protection and isolation hold")
        return 0
    }
}
