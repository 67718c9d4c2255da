// SEMachineMIPS64: syscall-emulation mode for mips64el n64 programs — one MIPS64CPU running a
// LinuxProcess. It plays the kernel's part: system calls (v0 = number, a0-a5 = r4-r9, result in
// v0 with a3 = 0/1 for success/error), and exceptions turned into the signal Linux would send.
// Simulated time: 1 instruction = 1 ns (a 1 GHz, 1-IPC machine) until the timing model exists.

/// How an SE run ended.
public struct SERunResult: Sendable, Equatable {
    /// Exit status as a shell reports it (128 + signal for a fatal signal).
    public var exitStatus: Int32
    /// The one-line diagnostic for a fatal signal or a limit, nil for a normal exit.
    public var message: String?
    public var instructions: UInt64
}

public final class SEMachineMIPS64 {
    public let process: LinuxProcess
    public let cpu: MIPS64CPU
    public let codeCache = DecodedPageCache<MIPS64Op>()
    /// Instructions between returns to the outer loop (bounds the cost of a budget check).
    public var quantum: UInt64 = 1 << 22

    // Linux/MIPS signal numbers.
    static let sigILL: Int32 = 4, sigTRAP: Int32 = 5, sigFPE: Int32 = 8

    public init(image: ElfImage, options: LinuxSEOptions) throws(ElfError) {
        guard image.isa == .mips64 else { throw ElfError("wrong architecture: \(image.isa.rawValue) image, expected mips64") }
        guard image.littleEndian else { throw ElfError("big-endian MIPS programs are not supported yet; build for mips64el") }
        process = try LinuxProcess(image: image, options: options)
        cpu = MIPS64CPU(mmu: process.mmu, codeCache: codeCache)
        process.physical.addListener(codeCache)
        let mmu = process.mmu
        let previous = process.addressSpace.onUnmapPage
        process.addressSpace.onUnmapPage = { [unowned cpu] page in
            previous?(page)
            mmu.flush(page: page)
            cpu.flushCodeTLB()
        }
        cpu.pc = process.entryPoint
        cpu.gpr[29] = process.initialStackPointer
        // The n64 ABI runs with Status.FR = 1; FCSR starts at round-to-nearest, no traps.
        cpu.fcsr = 0
    }

    /// Runs until the program exits, is killed, or `maxInstructions` have executed.
    public func run(maxInstructions: UInt64? = nil) -> SERunResult {
        let limit = maxInstructions ?? .max
        while true {
            if cpu.instructions >= limit {
                return SyscallEmulation.instructionLimitResult(limit: limit, executed: cpu.instructions, pc: cpu.pc)
            }
            let exit = cpu.run(budget: min(quantum, limit - cpu.instructions))
            codeCache.collectRetired()
            switch exit {
            case .none, .budget, .resync:
                continue
            case .syscall:
                if let result = systemCall() { return result }
            case .breakpoint:
                var code = cpu.ctl[MIPS64Ctl.exceptionCode] & 0xfffff
                if code >= 1 << 10 { code = ((code & 0x3ff) << 10) | (code >> 10) }
                return fatal(code == 6 || code == 7 ? Self.sigFPE : Self.sigTRAP,
                             detail: code == 7 ? "integer divide by zero (break 7)" : code == 6 ? "integer overflow (break 6)" : "break \(code)")
            case .trap:
                let code = cpu.ctl[MIPS64Ctl.exceptionCode]
                return fatal(code == 6 || code == 7 ? Self.sigFPE : Self.sigTRAP,
                             detail: code == 7 ? "integer divide by zero (trap code 7)" : code == 6 ? "integer overflow (trap code 6)" : "trap instruction, code \(code)")
            case .reservedInstruction:
                return fatal(Self.sigILL, detail: "reserved instruction 0x\(hex(UInt64(cpu.exceptionWord), width: 8))")
            case .coprocessorUnusable:
                let word = "0x\(hex(UInt64(cpu.exceptionWord), width: 8))"
                let what = MIPS64Decoder.decode(cpu.exceptionWord).kind == .cop2
                    ? "coprocessor 2 instruction \(word) (this CPU has no coprocessor 2)"
                    : "privileged instruction \(word) in user mode"
                return fatal(Self.sigILL, detail: what)
            case .overflow:
                return fatal(Self.sigFPE, detail: "integer overflow")
            case .fpException:
                return fatal(Self.sigFPE, detail: "floating-point exception, FCSR 0x\(hex(cpu.fcsr, width: 8))")
            case .memoryFault:
                let f = process.mmu.lastFault
                let what = SyscallEmulation.describe(f)
                return fatal(process.signalNumber(forFault: f.kind), detail: what)
            }
        }
    }

    /// Handles a `syscall` exit; returns a result when the process ends.
    private func systemCall() -> SERunResult? {
        let r = cpu.gpr
        process.simulatedNanoseconds = cpu.instructions
        let outcome = process.syscall(number: r[2], args: (r[4], r[5], r[6], r[7], r[8], r[9]), pc: cpu.exceptionPC)
        cpu.pc = cpu.resumeAfterException
        switch outcome {
        case .returned(let v):
            if v < 0 && v > -4096 {
                r[2] = UInt64(-v)
                r[7] = 1
            } else {
                r[2] = UInt64(bitPattern: v)
                r[7] = 0
            }
        case .setThreadPointer(let tp):
            cpu.ctl[MIPS64Ctl.userLocal] = tp
            r[2] = 0
            r[7] = 0
        case .exited(let status):
            return SERunResult(exitStatus: status & 0xff, message: nil, instructions: cpu.instructions)
        case .killed(let sig):
            return SyscallEmulation.killedResult(signal: sig, abi: process.abi, pc: cpu.exceptionPC, instructions: cpu.instructions)
        }
        return nil
    }

    private func fatal(_ sig: Int32, detail: String) -> SERunResult {
        let bd = cpu.inDelaySlot ? " (in the delay slot of the branch at 0x\(hex(cpu.exceptionPC)))" : ""
        let at = cpu.inDelaySlot ? cpu.exceptionPC &+ 4 : cpu.exceptionPC
        return SERunResult(exitStatus: 128 + sig,
                           message: "k42sim: \(LinuxProcess.signalName(sig, abi: process.abi)): \(detail) at pc 0x\(hex(at))\(bd)",
                           instructions: cpu.instructions)
    }
}

/// Lower-case hexadecimal, zero-padded to `width` digits.
public func hex(_ v: UInt64, width: Int = 1) -> String {
    let s = String(v, radix: 16)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
