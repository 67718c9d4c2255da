// KernelMain: what the kernel does once every CPU is online — the kernel test or workload the
// boot arguments select (`test=NAME`, `workload=NAME`; docs/kernel/boot-arguments.md). Each test
// reports its result through the sim-call port (Report.testResult: 0 = passed, else the failing
// check's number) and prints one summary line; the machine then powers off with status 0 when
// everything passed and 1 otherwise.

enum KernelMain {
    static func run() -> UInt {
        waitForCPUs()
        var failed: UInt64 = 0
        if let name = BootArgs.value("test") {
            failed = KernelTests.run(name)
        } else if let name = BootArgs.value("experiment") {
            failed = Experiments.run(name)
        } else if BootArgs.value("workload", is: "none") {
            failed = 0
        } else if BootArgs.has("program") {
            failed = RunProgram.run()
        } else {
            failed = Demo.run()
            if failed == 0 { failed = RunProgram.run() }
        }
        // Every CPU reports its own counters (the reports carry the CPU that made them).
        for c in 0 ..< BootInfo.cpuCount { _ = CrossCall.call(c) { Report.counters(); return 0 } }
        Devices.powerOff(failed == 0 ? 0 : 1)
    }

    /// Waits (bounded by simulated time) until every CPU reported in.
    static func waitForCPUs() {
        let start = Devices.cycles
        let cpus = UInt64(BootInfo.cpuCount)
        while AtomicWord(KernelWords.cpusOnline).load() < cpus {
            if Devices.cycles - start > 2_000_000_000 {
                Panic.panic("CPUs missing after 2e9 cycles; online:", value: AtomicWord(KernelWords.cpusOnline).load())
            }
            Scheduler.yield()
        }
        KernelBench.bootCycles = Devices.cycles
        // What the CPUs reported, not the count waited for (a CPU counted twice shows).
        let online = AtomicWord(KernelWords.cpusOnline).load()
        Report.value(.allOnline, online)
        if !BootArgs.has("quiet") {
            print("all \(online) CPUs online at cycle \(Devices.cycles)")
        }
    }
}

enum KernelTests {
    /// Runs test `name` (or "all"); returns 0 when it passed, else the failing check.
    static func run(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        if BootArgs.equal(name, "boot") { return finish("boot", 0) }
        if BootArgs.equal(name, "protect") { return finish("protect", ProtectionTest.run()) }
        if BootArgs.equal(name, "alloc") { return finish("alloc", AllocatorTest.run()) }
        if BootArgs.equal(name, "threads") { return finish("threads", ThreadTests.run()) }
        if BootArgs.equal(name, "lock") { return finish("lock", LockTest.run()) }
        if BootArgs.equal(name, "xcall") { return finish("xcall", CrossCallTest.run()) }
        if BootArgs.equal(name, "bench") { return finish("bench", KernelBench.run()) }
        if BootArgs.equal(name, "cobj") { return finish("cobj", ClusteredObjectTests.run()) }
        if BootArgs.equal(name, "vm") { return finish("vm", VMTests.run()) }
        if BootArgs.equal(name, "disk") { return finish("disk", DiskTests.run()) }
        if BootArgs.equal(name, "programs") { return finish("programs", RunProgram.run()) }
        if BootArgs.equal(name, "panic") { PanicTest.run() }
        if BootArgs.equal(name, "all") {
            var r = finish("protect", ProtectionTest.run())
            if r == 0 { r = finish("threads", ThreadTests.run()) }
            if r == 0 { r = finish("lock", LockTest.run()) }
            if r == 0 { r = finish("xcall", CrossCallTest.run()) }
            if r == 0 { r = finish("alloc", AllocatorTest.run()) }
            if r == 0 { r = finish("cobj", ClusteredObjectTests.run()) }
            if r == 0 { r = finish("vm", VMTests.run()) }
            return r
        }
        Console.write("k42: unknown test '")
        for b in name { Console.put(b) }
        Console.write("' (tests: boot, protect, alloc, threads, lock, xcall, cobj, vm, disk, programs, bench, panic, all)\n")
        Devices.powerOff(2)
    }

    static func finish(_ name: StaticString, _ failed: UInt64) -> UInt64 {
        Report.testResult(failed)
        Console.write("test ")
        Console.write(name)
        if failed == 0 {
            Console.write(": passed\n")
        } else {
            Console.write(": FAILED at check ")
            Console.write(decimal: failed)
            Console.write("\n")
        }
        return failed
    }
}
