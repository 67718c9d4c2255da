// KernelDispatcherTests: dispatchers and user-level threads (Kernel/User/Dispatcher.swift,
// Guests/UserRuntime/Threads.swift, the program Guests/uthreads) on both ISAs, with the program
// on the first, a middle and the last CPU of 1-, 4- and 16-CPU machines:
// - an out-of-core fault is reflected: while thread A waits for the block device, thread B of
//   the same process runs (the program checks the order), the completion arrives by an
//   interrupt upcall and A sees the file's word; the kernel counts exactly one reflected fault,
//   and its disk reads equal the device's own completions;
// - 10,000 user threads cost the kernel nothing per thread: its allocator and thread counters
//   are those of a run that only allocates and touches the same thread objects and stacks;
// - 100 cancelled timeouts make no system call, and the kernel's timer count is the program's;
// - faults the kernel cannot resolve are delivered to the program (trap upcall), not fatal;
// - a save area rewritten to kernel mode is resumed in user mode all the same;
// - 254 dispatchers idling on 4 CPUs all wake from their timers; spawn refuses with EAGAIN
//   once the address tags are taken;
// - a program with a dispatcher on every CPU (1, 4, 16; started from the first, a middle CPU):
//   threads created round-robin run on their dispatcher's CPU, share a mutex, are joined and
//   signalled across dispatchers (the timeout cancelled at the waiter's home, by a poke), and the
//   exit of thread 0 ends the process while a thread on another CPU spins without yielding;
// - system calls numbered 0x100 and up go to the dispatcher's system-call entry, which answers
//   them in user mode (from any of its dispatchers); without a dispatcher, and for unknown kernel
//   numbers, the kernel says ENOSYS;
// - bad dispatcher calls (no dispatcher, bad areas, a second one, unused save areas, unmapping
//   the area) are refused with their errno.
import Emulator
import Foundation
import XCTest

final class KernelDispatcherTests: XCTestCase {
    func disk() throws -> String {
        var bytes = [UInt8](repeating: 0, count: 128 * 512)
        for s in 0 ..< 128 {
            let v: UInt64 = 0xD15C_0000_0000_0000 | UInt64(s)
            for b in 0 ..< 8 { bytes[s * 512 + b] = UInt8(truncatingIfNeeded: v >> (8 * b)) }
        }
        let path = NSTemporaryDirectory() + "k42sim-disp-\(getpid())-\(UUID().uuidString).img"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func boot(_ isa: Emulator.GuestISA, cpus: Int, nodes: Int, arg: UInt64, cpu: Int, disk: BlockDevice? = nil) throws -> KernelBoot {
        try KernelImages.boot(isa, cpus: cpus, nodes: nodes, args: "program=uthreads program-arg=\(arg) program-cpu=\(cpu) quiet",
                              disk: disk, ramImage: try KernelImages.programs(isa))
    }

    func checkOutOfCore(_ isa: Emulator.GuestISA) throws {
        let path = try disk()
        for (cpus, nodes) in [(1, 1), (4, 2), (16, 4)] {
            for cpu in Set([0, cpus / 2, cpus - 1]).sorted() {
                let device = try BlockDevice(path: path, writable: false, latency: 100_000)
                let b = try boot(isa, cpus: cpus, nodes: nodes, arg: 1, cpu: cpu, disk: device)
                XCTAssertEqual(b.exitStatus, 0, b.describe)
                XCTAssertTrue(b.console.contains("events 1,2,3; fault upcalls 1, interrupt upcalls"), b.describe)
                XCTAssertEqual(b.counter(.faultsReflected), 1, b.describe)
                XCTAssertEqual(b.counter(.faultsReflected, cpu: cpu), 1, "reflected on the program's CPU")
                XCTAssertGreaterThanOrEqual(b.counter(.upcalls, cpu: cpu), 1, "the completion came by an interrupt upcall")
                XCTAssertEqual(b.counter(.dispatchersRegistered), 1)
                XCTAssertEqual(b.counter(.diskReads), 1, "one page read")
                XCTAssertEqual(device.completed, 1, "the device's own count")
            }
        }
        // The same run twice: the same console and reports, cycle for cycle.
        let runs = try (0 ..< 2).map { _ in
            try boot(isa, cpus: 4, nodes: 2, arg: 1, cpu: 3, disk: try BlockDevice(path: path, writable: false, latency: 100_000))
        }
        XCTAssertEqual(runs[0].console, runs[1].console)
        XCTAssertEqual(runs[0].reports.map { [$0.cycle, UInt64($0.cpu), $0.arg0, $0.arg1] },
                       runs[1].reports.map { [$0.cycle, UInt64($0.cpu), $0.arg0, $0.arg1] })
    }

    func checkThreadsCostNoKernelMemory(_ isa: Emulator.GuestISA) throws {
        // 10,000 threads created, run, yielded and joined; and the control: the same thread
        // objects and stacks, touched as a running thread touches its stack, never run.
        let many = try boot(isa, cpus: 4, nodes: 2, arg: 2 | 10_000 << 8, cpu: 1)
        let control = try boot(isa, cpus: 4, nodes: 2, arg: 5 | 10_000 << 8, cpu: 1)
        XCTAssertEqual(many.exitStatus, 0, many.describe)
        XCTAssertEqual(control.exitStatus, 0, control.describe)
        XCTAssertTrue(many.console.contains("10000 threads created, yielded and joined: sum 49995000, 20001 switches"), many.describe)
        XCTAssertTrue(many.console.contains(", 1 thread objects left"), "every finished thread's object freed: \(many.describe)")
        // The kernel's cost is the threads' user memory (page bookkeeping), not the threads.
        let a = many.counter(.allocations, cpu: 1), b = control.counter(.allocations, cpu: 1)
        XCTAssertLessThanOrEqual(max(a, b) - min(a, b), max(16, b / 50), "kernel allocations: 10,000 threads \(a), their memory alone \(b)")
        XCTAssertEqual(many.counter(.largeAllocations, cpu: 1), control.counter(.largeAllocations, cpu: 1))
        XCTAssertEqual(many.counter(.threadsCreated), control.counter(.threadsCreated), "no kernel thread per user thread")
        XCTAssertEqual(many.counter(.dispatchersRegistered), 1)
        XCTAssertGreaterThan(many.counter(.processFrames), 10_000, "the threads' stacks are user memory")
    }

    func checkTimeouts(_ isa: Emulator.GuestISA) throws {
        let b = try boot(isa, cpus: 4, nodes: 2, arg: 3, cpu: 2)
        XCTAssertEqual(b.exitStatus, 0, b.describe)
        XCTAssertTrue(b.console.contains("100 timeouts cancelled (100) with 0 system calls"), b.describe)
        guard let line = b.console.split(separator: "\n").first(where: { $0.contains("timer calls in all") }),
              let n = line.split(separator: " ").reversed().dropFirst(4).first.flatMap({ UInt64($0) }) else {
            return XCTFail("no summary line: \(b.describe)")
        }
        XCTAssertEqual(b.counter(.timersSet), n, "the kernel saw exactly the program's timer calls")
        XCTAssertLessThanOrEqual(n, 12, "one kernel timer per dispatcher, not one per timeout (110 timeouts)")
    }

    /// Every bad dispatcher call gets its errno (the program checks each), the kernel survives.
    func testBadDispatcherCallsAreRefused() throws {
        for isa in Emulator.GuestISA.allCases {
            let b = try boot(isa, cpus: 2, nodes: 1, arg: 7, cpu: 1)
            XCTAssertEqual(b.exitStatus, 0, b.describe)
            XCTAssertTrue(b.console.contains("bad dispatcher calls refused: 0 failures"), b.describe)
            XCTAssertEqual(b.counter(.dispatchersRegistered), 1)
            XCTAssertEqual(b.counter(.dispatchersStarted), 0, "no refused dispatcher was started")
            XCTAssertEqual(b.counter(.pokes), 0, "no refused poke was counted")
        }
    }

    /// Faults the kernel cannot resolve reach the program by trap upcalls: two threads end
    /// faulted with the right address and access while a third and the program go on; a fault
    /// in thread 0 ends the program with status 139. The kernel kills nothing.
    func testFaultsAreDeliveredToTheProgram() throws {
        for isa in Emulator.GuestISA.allCases {
            let b = try boot(isa, cpus: 4, nodes: 2, arg: 8, cpu: 3)
            XCTAssertEqual(b.exitStatus, 0, b.describe)
            XCTAssertTrue(b.console.contains("A faulted (read 0x500000000), B faulted (write 0x10000000), C returned 7; 2 trap upcalls"), b.describe)
            XCTAssertEqual(b.counter(.faultNotifications), 2)
            XCTAssertEqual(b.counter(.programsKilled), 0)
            XCTAssertEqual(b.value(KernelReport.programStatus), 0)
            let main = try boot(isa, cpus: 2, nodes: 1, arg: 9, cpu: 1)
            XCTAssertTrue(main.console.contains("k42 user: thread 0 faulted at pc 0x"), main.describe)
            XCTAssertTrue(main.console.contains("on address 0x500000008 (access 0)"), main.describe)
            XCTAssertEqual(main.value(KernelReport.programStatus), 139, main.describe)
            XCTAssertEqual(main.counter(.programsKilled), 0)
        }
    }

    /// The save areas are user memory: a thread resumed from one whose Status / MSR was
    /// rewritten to kernel mode still runs in user mode (its kernel read faults). Without the
    /// kernel's sanitising the kernel panics instead (checked by hand when this was written).
    func testTamperedSaveAreaStaysInUserMode() throws {
        let path = try disk()
        for isa in Emulator.GuestISA.allCases {
            let b = try boot(isa, cpus: 2, nodes: 1, arg: 10, cpu: 1, disk: try BlockDevice(path: path, writable: false, latency: 20_000))
            XCTAssertEqual(b.exitStatus, 0, b.describe)
            XCTAssertTrue(b.console.contains("tampered save area: resumed 1 times, A still in user mode (kernel read faulted)"), b.describe)
        }
    }

    /// Many idle dispatchers on each CPU: 254 sleeping children (the address tags run out first:
    /// spawn says EAGAIN) all wake from their timers, exit 12 and are waited for; a new child
    /// starts afterwards.
    func testProcessTableAndManyIdleDispatchers() throws {
        for isa in Emulator.GuestISA.allCases {
            let b = try boot(isa, cpus: 4, nodes: 2, arg: 11, cpu: 0)
            XCTAssertEqual(b.exitStatus, 0, b.describe)
            XCTAssertTrue(b.console.contains("process table: 254 children, then -11; 0 ended badly; after waiting, a new one ended with 12"), b.describe)
            XCTAssertEqual(b.counter(.programsStarted), 256)
            XCTAssertEqual(b.counter(.programsExited), 256)
            XCTAssertEqual(b.counter(.dispatchersRegistered), 255, "every child registers one; the parent none")
        }
    }

    func checkSeveralDispatchers(_ isa: Emulator.GuestISA) throws {
        for (cpus, nodes, cpu) in [(1, 1, 0), (4, 2, 2), (16, 4, 5)] {
            let b = try boot(isa, cpus: cpus, nodes: nodes, arg: 13, cpu: cpu)
            XCTAssertEqual(b.exitStatus, 0, b.describe)
            let n = cpus, total = 4 * n * 50
            XCTAssertTrue(b.console.contains("\(n) dispatchers on CPUs \(cpu)"), b.describe)
            XCTAssertTrue(b.console.contains("counter \(total) of \(total), 0 threads off their dispatcher's CPU; "
                + "across dispatchers: signalled true, 1 timeout cancelled, short timeout expired"), b.describe)
            XCTAssertTrue(b.console.contains("refused"), "a second dispatcher on a CPU is refused: \(b.describe)")
            XCTAssertEqual(b.counter(.dispatchersStarted), UInt64(n - 1), b.describe)
            XCTAssertEqual(b.counter(.dispatchersStarted, cpu: cpu), UInt64(n - 1), "started from the program's CPU")
            XCTAssertEqual(b.counter(.dispatchersRegistered), UInt64(n), b.describe)
            for c in 0 ..< cpus { XCTAssertEqual(b.counter(.dispatchersRegistered, cpu: c), 1, "one dispatcher on CPU \(c)") }
            if n > 1 {
                XCTAssertTrue(b.console.contains("a thread spins on CPU \((cpu + n - 1) % n); thread 0 exits"), b.describe)
                XCTAssertGreaterThan(b.counter(.pokes), 0, "threads made ready on another dispatcher poke it")
            } else {
                XCTAssertEqual(b.counter(.pokes), 0, "one dispatcher never pokes")
            }
        }
        let runs = try (0 ..< 2).map { _ in try boot(isa, cpus: 4, nodes: 2, arg: 13, cpu: 1) }
        XCTAssertEqual(runs[0].console, runs[1].console)
        XCTAssertEqual(runs[0].reports.map { [$0.cycle, UInt64($0.cpu), $0.arg0, $0.arg1] },
                       runs[1].reports.map { [$0.cycle, UInt64($0.cpu), $0.arg0, $0.arg1] })
    }

    func testOwnSystemCallsAreUpcalls() throws {
        for isa in Emulator.GuestISA.allCases {
            for cpus in [1, 4] {
                let b = try boot(isa, cpus: cpus, nodes: 1, arg: 17, cpu: cpus - 1)
                let upcalls = cpus == 1 ? 2 : 3
                XCTAssertEqual(b.exitStatus, 0, b.describe)
                XCTAssertTrue(b.console.contains("before a dispatcher -38, 0x1234 -> 30, 0x1235 -> -38, kernel 20 -> -38, "
                    + "on another dispatcher right; \(upcalls) upcalls"), b.describe)
                XCTAssertEqual(b.counter(.systemCallUpcalls), UInt64(upcalls), "kernel 20 and the call before the dispatcher are not upcalls")
            }
        }
    }

    func testSeveralDispatchersOnMIPS64() throws { try checkSeveralDispatchers(.mips64) }
    func testSeveralDispatchersOnPPC64() throws { try checkSeveralDispatchers(.ppc64) }
    func testOutOfCoreFaultOnMIPS64() throws { try checkOutOfCore(.mips64) }
    func testOutOfCoreFaultOnPPC64() throws { try checkOutOfCore(.ppc64) }
    func testManyThreadsOnMIPS64() throws { try checkThreadsCostNoKernelMemory(.mips64) }
    func testManyThreadsOnPPC64() throws { try checkThreadsCostNoKernelMemory(.ppc64) }
    func testTimeoutsOnMIPS64() throws { try checkTimeouts(.mips64) }
    func testTimeoutsOnPPC64() throws { try checkTimeouts(.ppc64) }
}
