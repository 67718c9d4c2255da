// PPC64ExecMode: a compile-time parameter of the PPC64 interpreter that separates
// syscall-emulation runs from full-system runs (as MIPS64ExecMode does for MIPS), so the checks
// only full-system mode needs cost nothing in SE mode: they sit behind `M.isSystem`, a static
// constant. Full-system checks: exact stop before every instruction (and the live instruction
// count devices read), facility availability (MSR[FP], MSR[VEC], MSR[VSX]), branch-to-self idle
// exits, and larx/stcx. through the machine's ReservationMonitor.
// `M.isTimed` adds the timing model (cycle costs, caches; see PPC64Timing.swift): only the timed
// specialisation contains that code, so SE and functional full-system runs pay nothing.

protocol PPC64ExecMode {
    static var isSystem: Bool { get }
    static var isTimed: Bool { get }
}

/// Syscall emulation: problem state only, budget checked at taken branches and page ends.
enum PPC64SEMode: PPC64ExecMode {
    @inline(__always) static var isSystem: Bool { false }
    @inline(__always) static var isTimed: Bool { false }
}

/// Full system (PPC64SystemCPU).
enum PPC64SystemMode: PPC64ExecMode {
    @inline(__always) static var isSystem: Bool { true }
    @inline(__always) static var isTimed: Bool { false }
}

/// Full system with the timing model: the budget is in cycles (`slots[PPC64Reg.cycles]`), every
/// instruction adds its base cost, every fetched cache line, load and store its memory latency.
enum PPC64TimedMode: PPC64ExecMode {
    @inline(__always) static var isSystem: Bool { true }
    @inline(__always) static var isTimed: Bool { true }
}

/// Syscall emulation with the timing model (`k42sim run --config`): problem state only, as
/// PPC64SEMode, with the budget in cycles, checked at taken branches and page ends.
enum PPC64SETimedMode: PPC64ExecMode {
    @inline(__always) static var isSystem: Bool { false }
    @inline(__always) static var isTimed: Bool { true }
}

/// Facility bits an op needs (full-system mode): the interpreter exits with
/// `.facilityUnavailable` when `needs & PPC64Reg.facilityOff` is nonzero.
public enum PPC64Facility {
    public static let fp: UInt8 = 1, vec: UInt8 = 2, vsx: UInt8 = 4

    /// The facility table, indexed by PPC64OpKind.rawValue (1024 entries), built from the
    /// kinds' mnemonics: FP loads/stores/arithmetic and FPSCR moves need FP, VMX needs VEC,
    /// VSX (lxv*, stxv*, xs*, xv*, xx*, mtvsr*, mfvsr*) needs VSX.
    nonisolated(unsafe) static let table: UnsafeMutablePointer<UInt8> = makeTable()

    static func makeTable() -> UnsafeMutablePointer<UInt8> {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 1024)
        t.initialize(repeating: 0, count: 1024)
        for raw in 0 ..< 1024 {
            guard let k = PPC64OpKind(rawValue: UInt16(raw)) else { continue }
            t[raw] = needs(k)
        }
        return t
    }

    static func needs(_ k: PPC64OpKind) -> UInt8 {
        let n = String(describing: k)
        if n == "xor" || n == "xori" || n == "xoris" { return 0 }
        for p in ["lxs", "lxv", "stxs", "stxv", "xs", "xv", "xx", "mtvsr", "mfvsr"] where n.hasPrefix(p) { return vsx }
        for p in ["lf", "stf", "mtfs", "mffs", "mcrfs", "f"] where n.hasPrefix(p) { return fp }
        for p in ["lv", "stv", "mfvscr", "mtvscr", "v"] where n.hasPrefix(p) { return vec }
        return 0
    }
}
