// Trace: per-CPU trace buffers for runtime guests (docs/traces.md). `Trace.start` allocates the
// calling CPU's control block and buffer ring from the heap (below 512 MiB: physically
// contiguous, virtual = physical on MIPS's identity window and PPC real mode), registers them
// with the machine and returns the CPU's TraceBuffer (Traces/Guest/TraceLog.swift), which the
// guest keeps and logs through on that CPU. A heartbeat with the clock's full cycle count anchors
// the 32-bit timestamps at once.

enum Trace {
    /// 2^countShift buffers of 2^bufferShift words (8 ... 16 and 1 ... 8).
    static func start(bufferShift: UInt64 = 12, countShift: UInt64 = 2) -> TraceBuffer {
        let controlBytes = Int(TraceControlWord.controlBytes(countShift: countShift))
        let arrayBytes = 8 << Int(bufferShift + countShift)
        let control = UnsafeMutableRawPointer.allocate(byteCount: controlBytes, alignment: 64)
        let array = UnsafeMutableRawPointer.allocate(byteCount: arrayBytes, alignment: 4096)
        let buffer = TraceBuffer.setUp(control: control, controlPhysical: Platform.physical(UInt(bitPattern: control)),
                                       array: array, arrayPhysical: Platform.physical(UInt(bitPattern: array)),
                                       bufferShift: bufferShift, countShift: countShift,
                                       simCallPort: Platform.uncached(Platform.mmioBase + Platform.simCallPage))
        buffer.heartbeat(cycles: Clock.cycles)
        return buffer
    }
}
