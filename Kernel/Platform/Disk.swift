// Disk: the platform block device (docs/platform.md, "Block device") as the kernel uses it —
// 512-byte sectors read by DMA into a frame. The device takes one request at a time, so
// requests are serialised by one ticket lock (the disk is one device; no common path takes it)
// and the caller polls STATUS until the completion, then acknowledges the completion bit on its
// own interrupt controller. Blocking only the faulting thread while others run (an out-of-core
// fault reflected to the dispatcher) comes with dispatchers.

enum Disk {
    static let base: UInt64 = 0x4000
    static let completionBit: UInt64 = 8
    static let sectorSize: UInt64 = 512

    static var lock: SpinLock { SpinLock(KernelWords.diskLock) }
    static var present: Bool { Devices.read(base + 0x08) & 1 != 0 }
    /// The device's size in sectors (0 without a device).
    static var sectors: UInt64 { present ? Devices.read(base) : 0 }

    /// Reads `count` sectors from `sector` into physical memory at `pa`; false if the device
    /// refused the request or there is none.
    static func read(sector: UInt64, count: UInt64, into pa: UInt64) -> Bool {
        guard present else { return false }
        lock.lock()
        Devices.write(base + 0x10, sector)
        Devices.write(base + 0x18, count)
        Devices.write(base + 0x20, pa)
        Devices.write(base + 0x28, 1)
        var status = Devices.read(base + 0x30)
        while status == 1 {
            Arch.pause()
            status = Devices.read(base + 0x30)
        }
        Devices.acknowledge(cpu: PCA.cpu, bits: completionBit)
        lock.unlock()
        if status == 2 { Counter.diskReads.add() }
        return status == 2
    }
}
