// SEMachinePPC64: syscall-emulation mode for ppc64le ELFv2 programs — one PPC64CPU running a
// LinuxProcess. It plays the kernel's part: `sc` (r0 = number, r3-r8 = arguments, result in r3,
// CR0.SO set with r3 = positive errno on error), the initial registers (r1 = stack pointer,
// r12 = entry for the ELFv2 global entry point; r13, the thread pointer, is set by the guest)
// and program/storage interrupts turned into the signal Linux would send.
// Simulated time: 1 instruction = 1 ns; the time base ticks once per instruction.

public final class SEMachinePPC64 {
    public let process: LinuxProcess
    public let cpu: PPC64CPU
    public let codeCache = DecodedPageCache<PPC64Op>()
    /// Instructions between returns to the outer loop (bounds the cost of a budget check).
    public var quantum: UInt64 = 1 << 22

    public init(image: ElfImage, options: LinuxSEOptions) throws(ElfError) {
        guard image.isa == .ppc64 else { throw ElfError("wrong architecture: \(image.isa.rawValue) image, expected ppc64") }
        guard image.littleEndian else { throw ElfError("big-endian PowerPC programs are not supported yet; build for ppc64le") }
        process = try LinuxProcess(image: image, options: options)
        cpu = PPC64CPU(mmu: process.mmu, codeCache: codeCache, littleEndian: true)
        process.physical.addListener(codeCache)
        let mmu = process.mmu
        let previous = process.addressSpace.onUnmapPage
        process.addressSpace.onUnmapPage = { [unowned cpu] page in
            previous?(page)
            mmu.flush(page: page)
            cpu.flushCodeTLB()
        }
        cpu.pc = process.entryPoint
        cpu.registers[gpr: 1] = process.initialStackPointer
        cpu.registers[gpr: 12] = process.entryPoint
    }

    /// Runs until the program exits, is killed, or `maxInstructions` have executed.
    public func run(maxInstructions: UInt64? = nil) -> SERunResult {
        let limit = maxInstructions ?? .max
        let abi = process.abi
        while true {
            if cpu.instructionCount >= limit {
                return SyscallEmulation.instructionLimitResult(limit: limit, executed: cpu.instructionCount, pc: cpu.pc)
            }
            let exit = cpu.run(budget: min(quantum, limit - cpu.instructionCount))
            codeCache.collectRetired()
            switch exit {
            case .budgetExhausted, .codeModified:
                continue
            case .systemCall:
                if let result = systemCall() { return result }
            case .trap:
                return fatal(abi.SIGTRAP, detail: "trap instruction 0x\(hex(UInt64(word(cpu.pc)), width: 8))")
            case .illegalInstruction(let w):
                let name = PPC64Decoder.mnemonic(w).map { " (\($0), not implemented)" } ?? ""
                return fatal(abi.SIGILL, detail: "illegal instruction 0x\(hex(UInt64(w), width: 8))\(name)")
            case .idle, .facilityUnavailable:
                return fatal(abi.SIGILL, detail: "full-system exit in syscall-emulation mode")
            case .privilegedInstruction(let w):
                return fatal(abi.SIGILL, detail: "privileged instruction 0x\(hex(UInt64(w), width: 8)) in problem state")
            case .memoryFault(let f):
                let what = SyscallEmulation.describe(f)
                return fatal(process.signalNumber(forFault: f.kind), detail: what)
            }
        }
    }

    private func word(_ pc: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: process.mmu.loadValue(pc, size: 4) ?? 0) }

    /// Handles an `sc` exit (pc already points after it); returns a result when the process ends.
    private func systemCall() -> SERunResult? {
        let regs = cpu.registers
        process.simulatedNanoseconds = cpu.instructionCount
        let scPC = cpu.pc &- 4
        let outcome = process.syscall(number: regs[gpr: 0], args: (regs[gpr: 3], regs[gpr: 4], regs[gpr: 5], regs[gpr: 6], regs[gpr: 7], regs[gpr: 8]), pc: scPC)
        let soBit: UInt32 = 1 << 28
        switch outcome {
        case .returned(let v):
            if v < 0 && v > -4096 {
                regs[gpr: 3] = UInt64(-v)
                regs.cr |= soBit
            } else {
                regs[gpr: 3] = UInt64(bitPattern: v)
                regs.cr &= ~soBit
            }
        case .setThreadPointer(let tp):
            regs[gpr: 13] = tp
            regs[gpr: 3] = 0
            regs.cr &= ~soBit
        case .exited(let status):
            return SERunResult(exitStatus: status & 0xff, message: nil, instructions: cpu.instructionCount)
        case .killed(let sig):
            return SyscallEmulation.killedResult(signal: sig, abi: process.abi, pc: scPC, instructions: cpu.instructionCount)
        }
        return nil
    }

    private func fatal(_ sig: Int32, detail: String) -> SERunResult {
        SERunResult(exitStatus: 128 + sig,
                    message: "k42sim: \(LinuxProcess.signalName(sig, abi: process.abi)): \(detail) at pc 0x\(hex(cpu.pc))",
                    instructions: cpu.instructionCount)
    }
}
