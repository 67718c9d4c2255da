// init: the K42 kernel's default user program (docs/kernel/programs.md). Started with argument
// 0 it is the driver: it starts itself as a worker on every CPU (argument 1), waits for each and
// checks the status (100 + the worker's CPU), then starts one probe per protection rule on the
// last CPU and checks how each ended — killed for the right access, or refused by the kernel —
// and exits with the number of failed checks. Every other argument selects one probe.

/// Written by the driver before it starts probe 5, which must still see the initial value:
/// processes share no memory.
nonisolated(unsafe) var marker: UInt64 = 0x1234_5678

enum Mode: UInt64 {
    case driver = 0, worker, writeText, readWild, readKernel, isolation, mapKernel, badCalls
}

#if K42_MIPS64
let kernelBase: UInt64 = 0x80_0000_0000
#else
let kernelBase: UInt64 = 0x100_0000_0000
#endif
let textBase: UInt64 = 0x1000_0000

func programMain(argument: UInt64) -> Int {
    switch Mode(rawValue: argument) {
    case .driver: return driver()
    case .worker: return worker()
    case .writeText:
        UnsafeMutablePointer<UInt64>(bitPattern: UInt(textBase))!.pointee = 0
        return 1
    case .readWild:
        return Int(truncatingIfNeeded: UnsafePointer<UInt64>(bitPattern: 0x5_0000_0000)!.pointee)
    case .readKernel:
        return Int(truncatingIfNeeded: UnsafePointer<UInt64>(bitPattern: UInt(kernelBase + 0x10000))!.pointee)
    case .isolation:
        return marker == 0x1234_5678 ? 0 : 1
    case .mapKernel:
        let a = System.map(base: kernelBase, size: 4096, .writable)
        let b = System.map(base: 0, size: 4096, .writable)
        let c = System.map(base: textBase, size: 4096, .writable)    // overlaps the text
        return a == -22 && b == -22 && c == -17 ? 0 : 1
    case .badCalls:
        let a = System.spawn("no-such-program", cpu: 0)
        let b = System.spawn("init", cpu: 1 << 20)
        let c = System.wait(1 << 40)
        return a == -2 && b == -22 && c == -10 ? 0 : 1
    case nil:
        return 2
    }
}

/// Fills and sums 64 KiB of fresh heap; exits with 100 + its CPU when the sum is right.
func worker() -> Int {
    let cpu = System.cpu
    var a = [UInt64](repeating: 0, count: 8192)
    for i in 0 ..< a.count { a[i] = UInt64(i) &* UInt64(cpu + 1) }
    var sum: UInt64 = 0
    for v in a { sum &+= v }
    return sum == 8191 * 8192 / 2 * UInt64(cpu + 1) && System.pid > 0 ? 100 + cpu : 1
}

func driver() -> Int {
    let cpus = System.cpuCount
    print("init: pid \(System.pid) on CPU \(System.cpu) of \(cpus) CPUs")
    var failures = 0
    var pids: [Int64] = []
    for c in 0 ..< cpus { pids.append(System.spawn("init", cpu: c, argument: Mode.worker.rawValue)) }
    var good = 0
    for (c, pid) in pids.enumerated() {
        let status = System.wait(pid)
        if status != Int64(100 + c) {
            print("init: worker on CPU \(c) (pid \(pid)) ended with \(status), expected \(100 + c)")
            failures += 1
        } else {
            good += 1
        }
    }
    print("init: \(good) workers exited with 100 + their CPU")
    marker = 0xDEAD
    let last = cpus - 1
    let probes: [(Mode, Int64, StaticString)] = [
        (.writeText, System.killedBit | 1, "write to its text: killed (write)"),
        (.readWild, System.killedBit | 0, "read an unmapped address: killed (read)"),
        (.readKernel, System.killedBit | 0, "read kernel memory: killed (read)"),
        (.isolation, 0, "another process's data: its own copy"),
        (.mapKernel, 0, "map over the kernel, page 0 or its text: refused"),
        (.badCalls, 0, "bad spawn and wait: refused"),
    ]
    for (mode, expected, what) in probes {
        let status = System.wait(System.spawn("init", cpu: last, argument: mode.rawValue))
        if status == expected {
            print("init: probe \(mode.rawValue) on CPU \(last): \(what)")
        } else {
            print("init: probe \(mode.rawValue) on CPU \(last): ended with \(status), expected \(expected) (\(what))")
            failures += 1
        }
    }
    print("init: \(failures) failures")
    return failures
}
