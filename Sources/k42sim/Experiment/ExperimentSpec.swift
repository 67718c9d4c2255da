// ExperimentSpec: the experiments `k42sim experiment` knows (docs/experiments/). Each names its
// variants (one boot per variant and CPU count), the kernel boot arguments of a point (the
// kernel's Experiments/*.swift run the workload), and the metrics the collector derives from a
// finished point: the kernel's measurements (sim-call reports) and the emulator's statistics for
// the region of interest. Plots group metrics; every plot has one line per variant (or metric).

struct PointData {
    var variant: String
    var cpus: Int
    var nodes: Int
    var status: Int32
    /// The kernel's measurements by index (Report.measurement + index).
    var measurements: [Int: UInt64]
    /// The statistics of the region of interest (the first dump when the run dumped twice or
    /// more, else the only one), by gem5-style name.
    var stats: [String: Double]
    var frequency: Double

    func m(_ i: Int) -> Double? { measurements[i].map { Double($0) } }
    func stat(_ name: String) -> Double? { stats[name] }
    /// Events per simulated second from an event count and the cycles they took.
    func perSecond(_ events: Int, _ cycles: Int) -> Double? {
        guard let e = m(events), let c = m(cycles), c > 0 else { return nil }
        return e * frequency / c
    }
}

struct Metric {
    var key: String
    var title: String
    var unit: String
    var compute: (PointData) -> Double?
}

struct Plot {
    var name: String
    var title: String
    var unit: String
    var logScale: Bool
    /// Lines: (legend, variant, metric key).
    var series: [(String, String, String)]
}

struct ExperimentSpec {
    var name: String
    var summary: String
    var variants: [String]
    var defaultOps: Int
    var metrics: [Metric]
    var plots: [Plot]
    /// A point's boot arguments (`ops` per CPU; `quiet` keeps the console short).
    func kernelArgs(variant: String, ops: Int) -> String {
        "experiment=\(name)" + (variants == ["all"] ? "" : " variant=\(variant)") + " ops=\(ops) quiet"
            + (variantArgs[variant].map { " " + $0 } ?? "")
    }
    /// A point must also report this for its workload to count as correct (index, value).
    var check: (Int, UInt64)?
    /// Boot arguments a variant needs beyond the experiment's own (e.g. a kernel policy).
    var variantArgs: [String: String] = [:]
    /// The kernel runs K42 user programs for it: the runner passes the initial RAM image.
    var needsPrograms = false

    static let defaultCPUs = [1, 2, 4, 8, 16, 32, 64]

    static var all: [ExperimentSpec] { [counters, cobjCosts, hotswap, pagefaults, numaAlloc, threads] }
    static func named(_ name: String) -> ExperimentSpec? { all.first { $0.name == name } }

    static var counters: ExperimentSpec { ExperimentSpec(
        name: "counters",
        summary: "shared counter under a lock, shared atomic counter, partitioned clustered counter",
        variants: ["lock", "atomic", "partitioned"], defaultOps: 1000,
        metrics: [
            Metric(key: "increments_per_second", title: "increments per simulated second", unit: "1/s") { $0.perSecond(0, 1) },
            Metric(key: "invalidations_per_increment", title: "directory invalidations per increment", unit: "") { p in
                guard let inv = p.stat("system.dir.invalidationsSent::total"), let n = p.m(0), n > 0 else { return nil }
                return inv / n
            },
            Metric(key: "l1d_misses_per_increment", title: "L1D misses per increment", unit: "") { p in
                let misses = p.stats.filter { $0.key.hasSuffix(".dcache.overallMisses::total") }.map(\.value).reduce(0, +)
                guard let n = p.m(0), n > 0 else { return nil }
                return misses / n
            },
            Metric(key: "region_cycles", title: "longest time one CPU spent incrementing (its own clock)", unit: "cycles") { $0.m(1) },
        ],
        plots: [
            Plot(name: "throughput", title: "Counter increments per simulated second", unit: "increments/s", logScale: true,
                 series: [("lock", "lock", "increments_per_second"), ("atomic", "atomic", "increments_per_second"),
                          ("partitioned", "partitioned", "increments_per_second")]),
            Plot(name: "invalidations", title: "Directory invalidations per increment", unit: "invalidations", logScale: false,
                 series: [("lock", "lock", "invalidations_per_increment"), ("atomic", "atomic", "invalidations_per_increment"),
                          ("partitioned", "partitioned", "invalidations_per_increment")]),
        ],
        check: (2, 1)) }

    static var cobjCosts: ExperimentSpec { ExperimentSpec(
        name: "cobj-costs",
        summary: "clustered-object call, direct call, first-touch miss, create+destroy rate, destroy-to-reclaim time",
        variants: ["all"], defaultOps: 1000,
        metrics: [
            Metric(key: "call_cycles", title: "call through a reference", unit: "cycles") { $0.m(0) },
            Metric(key: "direct_cycles", title: "direct call", unit: "cycles") { $0.m(1) },
            Metric(key: "miss_cycles", title: "first-touch miss", unit: "cycles") { $0.m(2) },
            Metric(key: "create_destroy_per_second", title: "create+destroy pairs per simulated second", unit: "1/s") { $0.perSecond(3, 5) },
            Metric(key: "destroy_to_reclaim_cycles", title: "destroy to reclaim", unit: "cycles") { $0.m(4) },
        ],
        plots: [
            Plot(name: "costs", title: "Clustered-object costs", unit: "cycles", logScale: true,
                 series: [("call through ref", "all", "call_cycles"), ("direct call", "all", "direct_cycles"),
                          ("first-touch miss", "all", "miss_cycles"), ("destroy to reclaim", "all", "destroy_to_reclaim_cycles")]),
            Plot(name: "create-destroy", title: "Create+destroy pairs per simulated second (all CPUs)", unit: "pairs/s", logScale: true,
                 series: [("create+destroy", "all", "create_destroy_per_second")]),
        ],
        check: nil) }

    static var hotswap: ExperimentSpec { ExperimentSpec(
        name: "hotswap",
        summary: "hot swap of a shared counter into a partitioned one under load",
        variants: ["all"], defaultOps: 300,
        metrics: [
            Metric(key: "swap_cycles", title: "swap latency", unit: "cycles") { $0.m(0) },
            Metric(key: "longest_blocked_cycles", title: "longest blocked call", unit: "cycles") { $0.m(1) },
            Metric(key: "before_per_second", title: "increments/s before", unit: "1/s") { $0.perSecond(2, 6) },
            Metric(key: "during_per_second", title: "increments/s during", unit: "1/s") { $0.perSecond(3, 7) },
            Metric(key: "after_per_second", title: "increments/s after", unit: "1/s") { $0.perSecond(4, 8) },
            Metric(key: "lost", title: "increments lost", unit: "") { $0.m(5) },
        ],
        plots: [
            Plot(name: "latency", title: "Hot swap under load", unit: "cycles", logScale: true,
                 series: [("swap latency", "all", "swap_cycles"), ("longest blocked call", "all", "longest_blocked_cycles")]),
            Plot(name: "throughput", title: "Throughput around the swap", unit: "increments/s", logScale: true,
                 series: [("before", "all", "before_per_second"), ("during", "all", "during_per_second"),
                          ("after", "all", "after_per_second")]),
        ],
        check: (5, 0)) }

    static var pagefaults: ExperimentSpec { ExperimentSpec(
        name: "pagefaults",
        summary: "zero-fill page faults on every CPU: private regions, one region with a centralized or distributed FCM, shared Process",
        variants: ["private", "centralized", "distributed", "shared-process"], defaultOps: 1024,
        metrics: [
            Metric(key: "faults_per_second", title: "page faults per simulated second (all CPUs)", unit: "1/s") { $0.perSecond(0, 1) },
            Metric(key: "cycles_per_fault", title: "cycles per fault (one CPU's region time / its faults)", unit: "cycles") { p in
                guard let f = p.m(0), let c = p.m(1), f > 0 else { return nil }
                return c / (f / Double(p.cpus))
            },
            Metric(key: "remote_frame_fraction", title: "frames from another node than the faulting CPU's", unit: "") { p in
                guard let r = p.m(3), let f = p.m(0), f > 0 else { return nil }
                return r / f
            },
            Metric(key: "region_cycles", title: "longest time one CPU spent faulting (its own clock)", unit: "cycles") { $0.m(1) },
        ],
        plots: [
            Plot(name: "throughput", title: "Page faults per simulated second", unit: "faults/s", logScale: true,
                 series: [("private regions", "private", "faults_per_second"), ("shared region, centralized FCM", "centralized", "faults_per_second"),
                          ("shared region, distributed FCM", "distributed", "faults_per_second"),
                          ("private regions, shared Process", "shared-process", "faults_per_second")]),
            Plot(name: "cycles", title: "Cycles per page fault", unit: "cycles", logScale: true,
                 series: [("private regions", "private", "cycles_per_fault"), ("shared region, centralized FCM", "centralized", "cycles_per_fault"),
                          ("shared region, distributed FCM", "distributed", "cycles_per_fault"),
                          ("private regions, shared Process", "shared-process", "cycles_per_fault")]),
        ],
        check: (2, 1)) }

    static var numaAlloc: ExperimentSpec { ExperimentSpec(
        name: "numa-alloc",
        summary: "frame allocation and first write on every CPU: per-node frame supply vs one global pool",
        variants: ["per-node", "global"], defaultOps: 256,
        metrics: [
            Metric(key: "allocations_per_second", title: "frames allocated, written and freed per simulated second (all CPUs)", unit: "1/s") { $0.perSecond(0, 1) },
            Metric(key: "remote_frame_fraction", title: "frames from another node than the allocating CPU's", unit: "") { p in
                guard let r = p.m(2), let f = p.m(0), f > 0 else { return nil }
                return r / f
            },
            Metric(key: "remote_fill_fraction", title: "L2 fills served by another node (emulator)", unit: "") { p in
                guard let r = p.stat("system.numa.remoteFills::total"), let l = p.stat("system.numa.localFills::total"), r + l > 0 else { return nil }
                return r / (r + l)
            },
            Metric(key: "region_cycles", title: "longest time one CPU spent (its own clock)", unit: "cycles") { $0.m(1) },
        ],
        plots: [
            Plot(name: "throughput", title: "Frames allocated and written per simulated second", unit: "frames/s", logScale: true,
                 series: [("per-node supply", "per-node", "allocations_per_second"), ("global pool", "global", "allocations_per_second")]),
            Plot(name: "remote", title: "Remote fraction", unit: "fraction", logScale: false,
                 series: [("remote frames, per-node", "per-node", "remote_frame_fraction"), ("remote frames, global", "global", "remote_frame_fraction"),
                          ("remote L2 fills, per-node", "per-node", "remote_fill_fraction"), ("remote L2 fills, global", "global", "remote_fill_fraction")]),
        ],
        check: (3, 1),
        variantArgs: ["global": "pm=global"]) }

    static var threads: ExperimentSpec { ExperimentSpec(
        name: "threads",
        summary: "user-level threads: one process of uthreads per CPU creating+joining and yielding threads on its dispatcher",
        variants: ["all"], defaultOps: 1000,
        metrics: [
            Metric(key: "create_join_per_second_per_cpu", title: "thread create+join per simulated second, per CPU (slowest CPU)", unit: "1/s") { $0.perSecond(0, 1) },
            Metric(key: "yields_per_second_per_cpu", title: "yields per simulated second, per CPU (slowest CPU)", unit: "1/s") { $0.perSecond(2, 3) },
            Metric(key: "create_join_cycles", title: "cycles per create+join (slowest CPU)", unit: "cycles") { p in
                guard let n = p.m(0), let c = p.m(1), n > 0 else { return nil }
                return c / n
            },
            Metric(key: "yield_cycles", title: "cycles per yield (slowest CPU)", unit: "cycles") { p in
                guard let n = p.m(2), let c = p.m(3), n > 0 else { return nil }
                return c / n
            },
            Metric(key: "create_join_spread", title: "slowest / fastest CPU's create+join time", unit: "") { p in
                guard let hi = p.m(1), let lo = p.m(4), lo > 0 else { return nil }
                return hi / lo
            },
        ],
        plots: [
            Plot(name: "rates", title: "User-level thread operations per CPU", unit: "1/s", logScale: true,
                 series: [("create+join", "all", "create_join_per_second_per_cpu"), ("yield", "all", "yields_per_second_per_cpu")]),
            Plot(name: "cycles", title: "Cycles per operation", unit: "cycles", logScale: true,
                 series: [("create+join", "all", "create_join_cycles"), ("yield", "all", "yield_cycles")]),
        ],
        check: (5, 1),
        needsPrograms: true) }
}
