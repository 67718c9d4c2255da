// SEMachine: the ISA-independent face of syscall-emulation mode, used by `k42sim run` and
// `k42sim bench` (called once per run, so an existential is fine here). LinuxSystem is the one
// implementation; SEThreadCPU holds the ISA parts.

/// How an SE run ended.
public struct SERunResult: Sendable, Equatable {
    /// Exit status as a shell reports it (128 + signal for a fatal signal).
    public var exitStatus: Int32
    /// The one-line diagnostic for a fatal signal or a limit, nil for a normal exit.
    public var message: String?
    public var instructions: UInt64
}

/// Lower-case hexadecimal, zero-padded to `width` digits.
public func hex(_ v: UInt64, width: Int = 1) -> String {
    let s = String(v, radix: 16)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

public protocol SEMachine: AnyObject {
    /// Runs until the program exits, is killed, or `maxInstructions` have executed.
    func run(maxInstructions: UInt64?) -> SERunResult
    /// gem5-style statistics of the run so far.
    func statistics(hostSeconds: Double) -> StatsReport
}

public enum SyscallEmulation {
    /// The words a fatal-signal line uses for a memory fault ("write of unmapped address 0x0").
    public static func describe(_ f: MemoryFault) -> String {
        switch f.kind {
        case .misaligned: return "misaligned \(f.access) at address 0x\(hex(f.address))"
        case .unmapped: return "\(f.access) of unmapped address 0x\(hex(f.address))"
        case .protection: return "\(f.access) of protected address 0x\(hex(f.address))"
        case .outOfMemory: return "out of guest memory at address 0x\(hex(f.address))"
        }
    }

    /// The result of a process killed by a signal it sent itself (abort()).
    public static func killedResult(signal: Int32, abi: LinuxABI, pc: UInt64, instructions: UInt64) -> SERunResult {
        SERunResult(exitStatus: 128 + signal,
                    message: "k42sim: program killed by \(LinuxProcess.signalName(signal, abi: abi)) at pc 0x\(hex(pc))",
                    instructions: instructions)
    }

    /// Result of a run stopped by `--max-insts`. The CPU stops at the first taken branch or page
    /// end at or after the limit, so the executed count can exceed it slightly; both are stated.
    public static func instructionLimitResult(limit: UInt64, executed: UInt64, pc: UInt64) -> SERunResult {
        SERunResult(exitStatus: 124,
                    message: "k42sim: instruction limit of \(limit) reached after \(executed) instructions at pc 0x\(hex(pc))",
                    instructions: executed)
    }

    /// The SE machine for the image's ISA.
    public static func makeMachine(image: ElfImage, options: LinuxSEOptions) throws(ElfError) -> SEMachine {
        try LinuxSystem(image: image, options: options)
    }
}
