// Demo: the default workload (`k42sim boot` with no test): shows the kernel's mechanisms at
// work on the machine it booted on. Every CPU runs two threads that allocate and free objects
// (some freed on another CPU), call a neighbour CPU synchronously, and meet under one blocking
// lock; then each CPU's counters are printed as one line per CPU, and the machine powers off.

enum Demo {
    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: 8)
        for i in 0 ..< 8 { words[i] = 0 }
        BlockingLock.initialise(words)
        let w = UInt(bitPattern: words)
        print("demo: 2 threads per CPU allocate, free across CPUs, call a neighbour and share a lock")
        runOnCPUs(cpus, threadsPerCPU: 2) { cpu, index in
            let p = UnsafeMutablePointer<UInt64>(bitPattern: w)!
            var keep: [UnsafeMutableRawPointer] = []
            for r in 0 ..< 40 {
                keep.append(UnsafeMutableRawPointer.allocate(byteCount: 32 + 24 * (r % 20), alignment: 16))
                if keep.count > 8 {
                    let victim = keep.removeFirst()
                    // Half of the frees happen on the neighbour CPU.
                    if r % 2 == 0 {
                        let v = UInt(bitPattern: victim)
                        _ = CrossCall.call((cpu + 1) % cpus) {
                            UnsafeMutableRawPointer(bitPattern: v)!.deallocate()
                            return 0
                        }
                    } else {
                        victim.deallocate()
                    }
                }
                BlockingLock(p).lock()
                p[4] += 1
                BlockingLock(p).unlock()
            }
            for v in keep { v.deallocate() }
            _ = index
        }
        for c in 0 ..< cpus { _ = CrossCall.call(c) { SmallAllocator.flush(); return 0 } }
        print("demo: lock taken \(words[4]) times")
        words.deallocate()
        print("cpu  node  allocs  frees  remote-frees  switches  ticks  xcalls-run  pages(local/remote)")
        for c in 0 ..< cpus {
            print("\(pad(c, 3))  \(pad(Int(PCA.of(c).word(CPUArea.nodeOffset).pointee), 4))  "
                + "\(pad(Counter.allocations.value(on: c), 6))  \(pad(Counter.frees.value(on: c), 5))  "
                + "\(pad(Counter.remoteFrees.value(on: c), 12))  \(pad(Counter.contextSwitches.value(on: c), 8))  "
                + "\(pad(Counter.ticks.value(on: c), 5))  \(pad(Counter.crossCallsRun.value(on: c), 10))  "
                + "\(Counter.localPages.value(on: c))/\(Counter.remotePages.value(on: c))")
        }
        print("demo: done at cycle \(Devices.cycles)")
        return 0
    }

    static func pad(_ v: Int, _ width: Int) -> String { pad(UInt64(v), width) }
    static func pad(_ v: UInt64, _ width: Int) -> String {
        let s = "\(v)"
        return String(repeating: " ", count: max(0, width - s.utf8.count)) + s
    }
}
