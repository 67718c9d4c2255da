// MIPS64ExecMode: a compile-time parameter of the interpreter that separates syscall-emulation
// runs from full-system runs, so the checks only full-system mode needs (exact per-instruction
// stop, Status.CU1 for FPU instructions, HWREna for rdhwr, LL/SC through the machine's
// reservation monitor) cost nothing in SE mode: they sit behind `M.isSystem`, a static constant.
// `M.isTimed` adds the timing model (cycle costs, caches; see MIPS64Timing.swift) — only the
// timed specialisations contain that code, so SE and functional full-system runs pay nothing.

protocol MIPS64ExecMode {
    static var isSystem: Bool { get }
    static var isTimed: Bool { get }
}

/// Syscall-emulation: user mode only, budget checked at block boundaries.
enum MIPS64SEMode: MIPS64ExecMode {
    @inline(__always) static var isSystem: Bool { false }
    @inline(__always) static var isTimed: Bool { false }
}

/// Full system: stops exactly at the requested instruction count (a taken branch and its delay
/// slot are indivisible), FPU/rdhwr permission checks, cross-CPU LL/SC.
enum MIPS64SystemMode: MIPS64ExecMode {
    @inline(__always) static var isSystem: Bool { true }
    @inline(__always) static var isTimed: Bool { false }
}

/// Full system with the timing model: the budget is in cycles (`ctl[MIPS64Ctl.cycles]`), every
/// instruction adds its base cost, every fetched cache line, load and store its memory latency.
enum MIPS64TimedMode: MIPS64ExecMode {
    @inline(__always) static var isSystem: Bool { true }
    @inline(__always) static var isTimed: Bool { true }
}

/// Syscall emulation with the timing model (`k42sim run --config`): user mode only, as
/// MIPS64SEMode, with the budget in cycles, checked at block boundaries.
enum MIPS64SETimedMode: MIPS64ExecMode {
    @inline(__always) static var isSystem: Bool { false }
    @inline(__always) static var isTimed: Bool { true }
}
