// Disk: the platform block device (docs/platform.md, "Block device") as the kernel uses it —
// 512-byte sectors read by DMA into a frame. The device takes one request at a time, so
// requests are serialised by one blocking lock (the disk is one device; no common path takes
// it). The requesting thread sleeps until the completion interrupt (PENDING bit 3, raised on
// the issuing CPU: `Disk.interrupt` from the external-interrupt handler wakes it), so the CPU
// runs other threads meanwhile — the out-of-core fault a dispatcher is told about
// (User/Dispatcher.swift) waits here in a kernel I/O thread. Where sleeping is impossible (no
// scheduler yet, interrupt context) it polls STATUS instead.

enum Disk {
    static let base: UInt64 = 0x4000
    static let completionBit: UInt64 = 8
    static let sectorSize: UInt64 = 512

    static var lock: BlockingLock { BlockingLock(KernelWords.diskLock) }
    /// The thread waiting for the current request (0: none) and the request's final status.
    static var waiter: AtomicWord { AtomicWord(KernelWords.diskLock + BlockingLock.wordCount) }
    static var finalStatus: AtomicWord { AtomicWord(KernelWords.diskLock + BlockingLock.wordCount + 1) }
    static var present: Bool { Devices.read(base + 0x08) & 1 != 0 }
    /// The device's size in sectors (0 without a device).
    static var sectors: UInt64 { present ? Devices.read(base) : 0 }

    /// Reads `count` sectors from `sector` into physical memory at `pa`; false if the device
    /// refused the request or there is none.
    static func read(sector: UInt64, count: UInt64, into pa: UInt64) -> Bool {
        guard present else { return false }
        let canSleep = PCA.local.word(CPUArea.interruptDepth).pointee == 0 && !Scheduler.current.isIdle
        lock.lock()
        Devices.write(base + 0x10, sector)
        Devices.write(base + 0x18, count)
        Devices.write(base + 0x20, pa)
        var status: UInt64
        if canSleep {
            finalStatus.storeSequential(0)
            Scheduler.prepareToBlock()
            waiter.storeSequential(UInt64(Scheduler.current.address))
            Devices.write(base + 0x28, 1)
            Scheduler.block()
            while finalStatus.loadSequential() == 0 { Scheduler.yield() }
            status = finalStatus.load()
        } else {
            Devices.write(base + 0x28, 1)
            status = Devices.read(base + 0x30)
            while status == 1 {
                Arch.pause()
                status = Devices.read(base + 0x30)
            }
            Devices.acknowledge(cpu: PCA.cpu, bits: completionBit)
        }
        lock.unlock()
        if status == 2 { Counter.diskReads.add() }
        return status == 2
    }

    /// The completion interrupt (already acknowledged): record the status, wake the requester.
    static func interrupt() {
        let status = Devices.read(base + 0x30)
        guard status != 1, waiter.loadSequential() != 0 else { return }
        finalStatus.storeSequential(status)
        let t = waiter.exchange(0)
        if t != 0 { Scheduler.unblock(ThreadRecord(UInt(t))) }
    }
}
