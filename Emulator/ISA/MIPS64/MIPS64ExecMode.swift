// MIPS64ExecMode: a compile-time parameter of the interpreter that separates syscall-emulation
// runs from full-system runs, so the checks only full-system mode needs (exact per-instruction
// stop, Status.CU1 for FPU instructions, HWREna for rdhwr, LL/SC through the machine's
// reservation monitor) cost nothing in SE mode: they sit behind `M.isSystem`, a static constant.

protocol MIPS64ExecMode {
    static var isSystem: Bool { get }
}

/// Syscall-emulation: user mode only, budget checked at block boundaries.
enum MIPS64SEMode: MIPS64ExecMode {
    @inline(__always) static var isSystem: Bool { false }
}

/// Full system: stops exactly at the requested instruction count (a taken branch and its delay
/// slot are indivisible), FPU/rdhwr permission checks, cross-CPU LL/SC.
enum MIPS64SystemMode: MIPS64ExecMode {
    @inline(__always) static var isSystem: Bool { true }
}
