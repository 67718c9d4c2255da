// KernelBench (test=bench): the kernel's basic costs in simulated cycles, measured on CPU 0
// with the platform clock and reported as measurements (scripts/kernel-bench prints them):
//  0 boot: cycles until every CPU was online     1 thread create + join
//  2 yield to another thread and back (per pair) 3 small allocation + free (64 bytes)
//  4 cross-CPU synchronous call to the next CPU (round trip; 0 on one CPU)
//  5 blocking lock + unlock, uncontended

enum KernelBench {
    static func run() -> UInt64 {
        Report.value(.measurement, index: 0, bootCycles)
        let n = 200
        var t = Devices.cycles
        for _ in 0 ..< n { _ = Thread.join(Thread.spawn { 1 }) }
        Report.value(.measurement, index: 1, (Devices.cycles - t) / UInt64(n))

        let flag = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        flag[0] = 0
        let fp = UInt(bitPattern: flag)
        let partner = Thread.spawn {
            let w = UnsafeMutablePointer<UInt64>(bitPattern: fp)!
            while w[0] == 0 { Scheduler.yield() }
            return 0
        }
        Scheduler.yield()                        // let the partner start
        t = Devices.cycles
        for _ in 0 ..< n { Scheduler.yield() }
        Report.value(.measurement, index: 2, (Devices.cycles - t) / UInt64(n))
        flag[0] = 1
        _ = Thread.join(partner)
        flag.deallocate()

        t = Devices.cycles
        for _ in 0 ..< n {
            let p = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
            p.deallocate()
        }
        Report.value(.measurement, index: 3, (Devices.cycles - t) / UInt64(n))

        if BootInfo.cpuCount > 1 {
            t = Devices.cycles
            for _ in 0 ..< 50 { _ = CrossCall.call(1, { UInt(PCA.cpu) }) }
            Report.value(.measurement, index: 4, (Devices.cycles - t) / 50)
        } else {
            Report.value(.measurement, index: 4, 0)
        }

        let lock = UnsafeMutablePointer<UInt64>.allocate(capacity: BlockingLock.wordCount)
        BlockingLock.initialise(lock)
        t = Devices.cycles
        for _ in 0 ..< n { BlockingLock(lock).lock(); BlockingLock(lock).unlock() }
        Report.value(.measurement, index: 5, (Devices.cycles - t) / UInt64(n))
        lock.deallocate()
        return 0
    }

    /// Cycles from reset until the last CPU came online (set by KernelMain.waitForCPUs).
    nonisolated(unsafe) static var bootCycles: UInt64 = 0
}
