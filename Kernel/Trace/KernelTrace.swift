// KernelTrace: the kernel's per-CPU trace buffers (docs/traces.md; the runtime is Traces/Guest,
// which the guest toolchain compiles into the kernel). Set up by each CPU in Boot.setUpThreads
// when the machine traces software classes (boot-information word +0x1040 != 0): a ring of 8
// buffers of 2048 words (128 KiB) and a control-block page from the CPU's node, registered with
// sim-call op 7. The control block's address lives in the per-CPU area, so the mask test is two
// loads from a fixed address. Logged: trap entry (cause, pc) and exit, context switches.

extension CPUArea {
    /// Kernel virtual address of this CPU's trace control block (0: not tracing).
    static let traceControl = 0x3F8
}

enum KernelTrace {
    static let bufferShift: UInt64 = 11
    static let countShift: UInt64 = 3

    static func setUp() {
        guard BootInfo.word(0x1040) != 0,
              let control = FrameAllocator.allocate(order: 0),
              let array = FrameAllocator.allocate(order: Int(bufferShift + countShift + 3 - 12)) else { return }
        let buffer = TraceBuffer.setUp(control: UnsafeMutableRawPointer(bitPattern: Arch.kernelBase + UInt(control))!, controlPhysical: control,
                                       array: UnsafeMutableRawPointer(bitPattern: Arch.kernelBase + UInt(array))!, arrayPhysical: array,
                                       bufferShift: bufferShift, countShift: countShift,
                                       simCallPort: Arch.deviceAddress(Devices.mmioBase + 0x3000))
        buffer.heartbeat(cycles: Devices.cycles)
        PCA.local.word(CPUArea.traceControl).pointee = UInt64(UInt(bitPattern: buffer.control))
    }

    @inline(__always) static var buffer: TraceBuffer? {
        let c = PCA.local.word(CPUArea.traceControl).pointee
        return c == 0 ? nil : TraceBuffer(control: UnsafeMutablePointer<UInt64>(bitPattern: UInt(c))!)
    }

    static func code(_ cause: TrapCause) -> UInt64 {
        switch cause {
        case .timer: return 1
        case .external: return 2
        case .systemCall: return 3
        case .translationMiss: return 4
        case .protection: return 5
        case .addressError: return 6
        case .busError: return 7
        case .illegalInstruction: return 8
        case .privilegedInstruction: return 9
        case .breakpoint: return 10
        case .trapInstruction: return 11
        case .floatingPoint: return 12
        case .segmentMiss: return 13
        case .other(let c): return 0x100 | c
        }
    }

    @inline(__always) static func trapEntry(_ cause: TrapCause, pc: UInt64) {
        if let b = buffer, b.isOn(.trapEntry) { b.log(.trapEntry, code(cause), pc) }
    }
    @inline(__always) static func trapExit(_ cause: TrapCause) {
        if let b = buffer, b.isOn(.trapExit) { b.log(.trapExit, code(cause)) }
    }
    @inline(__always) static func contextSwitch(from: UInt64, to: UInt64) {
        buffer?.log(.contextSwitch, from, to)
    }
}
