// SEMachine: the ISA-independent face of syscall-emulation mode, used by `k42sim run` and
// `k42sim bench` (called once per run, so an existential is fine here).

public protocol SEMachine: AnyObject {
    /// Runs until the program exits, is killed, or `maxInstructions` have executed.
    func run(maxInstructions: UInt64?) -> SERunResult
    /// gem5-style statistics of the run so far.
    func statistics(hostSeconds: Double) -> StatsReport
}

extension SEMachineMIPS64: SEMachine {
    public func statistics(hostSeconds: Double) -> StatsReport { SEStatistics.report(cpu: cpu, hostSeconds: hostSeconds) }
}

extension SEMachinePPC64: SEMachine {
    public func statistics(hostSeconds: Double) -> StatsReport { SEStatistics.report(cpu: cpu, hostSeconds: hostSeconds) }
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
        switch image.isa {
        case .mips64: return try SEMachineMIPS64(image: image, options: options)
        case .ppc64: return try SEMachinePPC64(image: image, options: options)
        }
    }
}
