// Entry: where a K42 user program arrives from Arch/*/entry.S: runs the program's
// `programMain(argument:)` and returns its result, which the glue passes to exit. Also the
// runtime's fatal-error path (message, then exit status 255).

@_cdecl("k42_user_main")
func k42UserMain(_ argument: UInt64, _ pid: UInt64) -> UInt64 {
    UInt64(truncatingIfNeeded: programMain(argument: argument))
}

/// Prints "k42 user: fatal: MESSAGE (pid N)" and exits with status 255.
func fatal(_ message: StaticString) -> Never {
    print("k42 user: fatal: \(message) (pid \(System.pid))")
    System.exit(255)
}

@_cdecl("k42_stack_check_failed")
func k42StackCheckFailed() { fatal("stack smashing detected") }

/// Embedded Swift's `print` writes through `putchar`; the kernel buffers each thread's output
/// until a newline, so lines from programs on several CPUs do not interleave.
@_cdecl("putchar")
func putchar(_ c: Int32) -> Int32 {
    System.putchar(UInt8(truncatingIfNeeded: c))
    return c
}
