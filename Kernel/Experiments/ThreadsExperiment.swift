// ThreadsExperiment (experiment=threads ops=N, default 1000): user-level thread costs as CPUs
// grow. One process of the user program `uthreads` (mode 6) per CPU, each with its own
// dispatcher and threads: N threads created and joined one after the other, then two threads
// yielding to each other N times each — all in user mode, so the rates per CPU should not
// depend on the number of CPUs. Needs the initial RAM image (the host's experiment runner
// passes it). Measurements: 0 creates+joins per CPU (N), 1 the longest create/join time of one
// CPU (its program's own clock), 2 yields per CPU (2N), 3 the longest yield time, 4 the shortest
// create/join time, 5 every program exited 0 (1).

enum ThreadsExperiment {
    static func run() -> UInt64 {
        let cpus = BootInfo.cpuCount
        let ops = min(BootArgs.integer("ops", default: 1000), 1 << 40)
        Devices.simCall(Experiments.roiBegin, 1)
        var pids: [Int64] = []
        for c in 0 ..< cpus { pids.append(Programs.spawn("uthreads", cpu: c, argument: 6 | ops << 8)) }
        var ok = pids.allSatisfy { $0 > 0 }
        var longestCreate: UInt64 = 0, shortestCreate = UInt64.max, longestYield: UInt64 = 0
        let results = UnsafeMutablePointer<UInt64>.allocate(capacity: 4)
        for pid in pids where pid > 0 {
            let status = Programs.wait(UInt64(pid), parent: 0, results: results)
            if status != 0 { ok = false }
            longestCreate = max(longestCreate, results[0])
            shortestCreate = min(shortestCreate, results[0])
            longestYield = max(longestYield, results[1])
        }
        Devices.simCall(Experiments.roiEnd, 1)
        results.deallocate()
        if !ok { print("k42: threads: a uthreads process did not run (is the initial RAM image there?)") }
        Report.value(.measurement, index: 0, ops)
        Report.value(.measurement, index: 1, longestCreate)
        Report.value(.measurement, index: 2, 2 * ops)
        Report.value(.measurement, index: 3, longestYield)
        Report.value(.measurement, index: 4, ok ? shortestCreate : 0)
        Report.value(.measurement, index: 5, ok ? 1 : 0)
        if !BootArgs.has("quiet") {
            print("threads: \(cpus) CPUs x \(ops) creates+joins in at most \(longestCreate) cycles, \(2 * ops) yields in at most \(longestYield)")
        }
        return ok ? 0 : 1
    }
}
