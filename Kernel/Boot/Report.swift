// Report: how the kernel tells the host what it measured or checked — sim-call op 5 (trace
// marker) with ARG0 = key and ARG1 = value; the machine records each with its cycle and CPU
// (PlatformDevices.simCallLog), so host tests and experiments read numbers, never prose.
// The keys are listed in docs/kernel/reporting.md; Tests/EmulatorTests/Kernel/KernelReport.swift
// mirrors them. A key's low 16 bits may carry an index (a counter number, a test step).

enum ReportKey: UInt64 {
    /// Boot: this CPU's node; the physical address behind its per-CPU range (read back from
    /// the MMU); a word this CPU wrote through that range; the cycle at which it came online.
    case cpuNode = 0x4B42_0001
    case perCPUPhysical = 0x4B42_0002
    case perCPUMagic = 0x4B42_0003
    case cpuOnlineCycle = 0x4B42_0004
    /// Boot CPU: all CPUs online (value = count); total boot cycles.
    case allOnline = 0x4B42_0010
    /// A kernel test finished: value 0 = passed, otherwise the failing check's number.
    case testResult = 0x4B42_0020
    /// A test's measured figure: key = measurement + index (the test documents its indexes).
    case measurement = 0x4B44_0000
    /// Per-CPU counters at the end of a test: key = counterBase + Counter.rawValue.
    case counterBase = 0x4B43_0000
    /// User mode: a fault (value = address), its access (0 read, 1 write, 2 fetch), an exit status.
    case userFaultAddress = 0x4B42_0040
    case userFaultAccess = 0x4B42_0041
    case userExit = 0x4B42_0042
    /// Programs: how a program the kernel started ended (what `wait` returned; Programs.swift).
    case programStatus = 0x4B42_0043
    /// Clustered objects: the token stalled on this CPU (value: CPU); a partition is full.
    case tokenStalled = 0x4B42_0050
    case tableFull = 0x4B42_0051
    /// The kernel panicked (value: pc or detail).
    case panic = 0x4B42_00FF
}

enum Report {
    static let traceMarker: UInt64 = 5

    @inline(__always) static func value(_ key: ReportKey, _ v: UInt64) {
        Devices.simCall(traceMarker, key.rawValue, v)
    }

    /// A keyed value with an index (counters, measurements): key.rawValue + index.
    @inline(__always) static func value(_ key: ReportKey, index: Int, _ v: UInt64) {
        Devices.simCall(traceMarker, key.rawValue + UInt64(index), v)
    }

    /// Every counter of this CPU.
    static func counters() {
        for i in 0 ..< Counter.count.rawValue {
            value(.counterBase, index: i, PCA.local.word(CPUArea.counters + 8 * i).pointee)
        }
    }

    static func testResult(_ failedCheck: UInt64) { value(.testResult, failedCheck) }
}
