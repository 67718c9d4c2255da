// SEThreadCPU: the ISA part of a syscall-emulation thread — one CPU core object bound to its
// process's memory, what its run slices end with (a system call with its arguments, or the
// signal a fault raises), how a call's result is written back, and register copies for
// fork/clone. LinuxSystem (the scheduler and process table) is ISA-independent and talks only
// to this protocol, once per slice; the instruction loop itself stays in the cores.

/// How a run slice ended.
enum SEStop {
    case budget
    /// A system call; the CPU is already positioned after it.
    case syscall(number: UInt64, args: LinuxProcess.Args, pc: UInt64)
    /// A synchronous fault: the signal Linux would send and the one-line description.
    case fault(signal: Int32, detail: String, pc: UInt64, address: UInt64?)
}

protocol SEThreadCPU: AnyObject {
    var instructions: UInt64 { get }
    var pc: UInt64 { get }
    func run(budget: UInt64) -> SEStop
    /// Writes a call's result (the ISA's success/error convention) or the thread pointer.
    func complete(_ outcome: SyscallOutcome)
    /// A CPU for a child thread or process in `memory`: every register copied, the call's
    /// result 0, the stack pointer replaced when `stack` is nonzero, the thread pointer when
    /// `tls` is given.
    func child(memory: LinuxMemory, stack: UInt64, tls: UInt64?) -> SEThreadCPU
    /// Drops an LL/larx reservation (every slice start: another thread may have run since).
    func dropReservation()
    /// Time base / cycle counter the guest reads: simulated ns now = instructions + `offset`.
    func setTimeOffset(_ offset: UInt64)
    /// Executions per op kind so far (the table's size is `kindCount`).
    var kindCounts: UnsafeMutablePointer<UInt64> { get }
    static var kindCount: Int { get }
    static func classCounts(_ kinds: UnsafePointer<UInt64>) -> [(String, UInt64)]
    /// A CPU starting a fresh image at `entry` with stack pointer `sp` (all else zero).
    static func start(memory: LinuxMemory, entry: UInt64, sp: UInt64) -> SEThreadCPU
    var stackPointer: UInt64 { get }
    /// Back to a system call instruction (a call restarted after a handler).
    func rewind(to pc: UInt64)
    /// Writes the signal frame and enters the handler (false: the frame could not be written).
    func enterHandler(_ d: SignalDelivery) -> Bool
    /// rt_sigreturn: restores the frame's registers; returns the saved mask, nil for a bad frame.
    func returnFromHandler() -> [UInt64]?
    /// rt_sigreturn's two instructions, placed on the process's trampoline page.
    static var trampolineCode: [UInt32] { get }
    /// Timed runs: the ISA's timing object for simulated CPU `cpu` of the hierarchy.
    static func makeTiming(_ h: MemoryHierarchy, cpu: Int) -> AnyObject
    /// Timed runs: the following slices run on the simulated CPU `timing` belongs to (its L1s
    /// and hit filter) with the cycle counter at `cycles`, budgets in cycles. The line fetched
    /// last is forgotten (another thread or CPU ran in between).
    func attach(timing: AnyObject, cycles: UInt64)
    /// Timed runs: the cycle counter (all costs so far).
    var cycles: UInt64 { get }
}

extension LinuxMemory {
    /// The memory's code cache of op type `Op`, created (and registered) on first use.
    func decodedCache<Op>(_: Op.Type) -> DecodedPageCache<Op> {
        if let c = codeCache as? DecodedPageCache<Op> { return c }
        let c = DecodedPageCache<Op>()
        physical.addListener(c)
        codeCache = c
        decodedPagesCounter = { [unowned c] in c.decodedPages }
        return c
    }
}

final class SEThreadMIPS64: SEThreadCPU {
    let cpu: MIPS64CPU
    let memory: LinuxMemory
    let abi = LinuxABI.mips64n64
    var faultAddress: UInt64?
    static let sigILL: Int32 = 4, sigTRAP: Int32 = 5, sigFPE: Int32 = 8

    init(memory: LinuxMemory) {
        self.memory = memory
        cpu = MIPS64CPU(mmu: memory.mmu, codeCache: memory.decodedCache(MIPS64Op.self))
        memory.pageListeners.append { [weak cpu] _ in cpu?.flushCodeTLB() }
        cpu.fcsr = 0
    }

    static func start(memory: LinuxMemory, entry: UInt64, sp: UInt64) -> SEThreadCPU {
        let t = SEThreadMIPS64(memory: memory)
        t.cpu.pc = entry
        t.cpu.gpr[29] = sp
        return t
    }

    var instructions: UInt64 { cpu.instructions }
    var pc: UInt64 { cpu.pc }
    var kindCounts: UnsafeMutablePointer<UInt64> { cpu.kindCounts }
    static var kindCount: Int { 256 }
    static func classCounts(_ kinds: UnsafePointer<UInt64>) -> [(String, UInt64)] { MIPS64CPU.classCounts(kinds) }
    func dropReservation() { cpu.ctl[MIPS64Ctl.llValid] = 0 }
    func setTimeOffset(_ offset: UInt64) {}

    static func makeTiming(_ h: MemoryHierarchy, cpu: Int) -> AnyObject { MIPS64Timing(hierarchy: h, cpu: cpu) }

    func attach(timing: AnyObject, cycles: UInt64) {
        let t = unsafeDowncast(timing, to: MIPS64Timing.self)
        cpu.timing = t
        cpu.ctl[MIPS64Ctl.cycles] = cycles
        cpu.ctl[MIPS64Ctl.synciStep] = UInt64(t.hierarchy.description.caches.l1i.lineSize)
        cpu.fetchLinePA = .max
    }

    var cycles: UInt64 { cpu.ctl[MIPS64Ctl.cycles] }

    func child(memory: LinuxMemory, stack: UInt64, tls: UInt64?) -> SEThreadCPU {
        let c = SEThreadMIPS64(memory: memory)
        c.cpu.gpr.update(from: cpu.gpr, count: MIPS64Reg.count)
        c.cpu.fpr.update(from: cpu.fpr, count: 32)
        c.cpu.ctl.update(from: cpu.ctl, count: MIPS64Ctl.count)
        c.cpu.ctl[MIPS64Ctl.llValid] = 0
        c.cpu.pc = cpu.pc
        c.cpu.gpr[2] = 0
        c.cpu.gpr[7] = 0
        if stack != 0 { c.cpu.gpr[29] = stack }
        if let tls { c.cpu.ctl[MIPS64Ctl.userLocal] = tls }
        return c
    }

    func run(budget: UInt64) -> SEStop {
        faultAddress = nil
        while true {
            let exit = cpu.timing != nil ? cpu.runSETimed(budget: budget) : cpu.run(budget: budget)
            cpu.codeCache.collectRetired()
            switch exit {
            case .none, .budget: return .budget
            case .resync: continue
            case .syscall:
                let r = cpu.gpr
                let at = cpu.exceptionPC
                cpu.pc = cpu.resumeAfterException
                return .syscall(number: r[2], args: (r[4], r[5], r[6], r[7], r[8], r[9]), pc: at)
            case .breakpoint:
                var code = cpu.ctl[MIPS64Ctl.exceptionCode] & 0xfffff
                if code >= 1 << 10 { code = ((code & 0x3ff) << 10) | (code >> 10) }
                return fault(code == 6 || code == 7 ? Self.sigFPE : Self.sigTRAP,
                             code == 7 ? "integer divide by zero (break 7)" : code == 6 ? "integer overflow (break 6)" : "break \(code)")
            case .trap:
                let code = cpu.ctl[MIPS64Ctl.exceptionCode]
                return fault(code == 6 || code == 7 ? Self.sigFPE : Self.sigTRAP,
                             code == 7 ? "integer divide by zero (trap code 7)" : code == 6 ? "integer overflow (trap code 6)" : "trap instruction, code \(code)")
            case .reservedInstruction:
                return fault(Self.sigILL, "reserved instruction 0x\(hex(UInt64(cpu.exceptionWord), width: 8))")
            case .coprocessorUnusable:
                let word = "0x\(hex(UInt64(cpu.exceptionWord), width: 8))"
                return fault(Self.sigILL, MIPS64Decoder.decode(cpu.exceptionWord).kind == .cop2
                             ? "coprocessor 2 instruction \(word) (this CPU has no coprocessor 2)"
                             : "privileged instruction \(word) in user mode")
            case .overflow:
                return fault(Self.sigFPE, "integer overflow")
            case .fpException:
                return fault(Self.sigFPE, "floating-point exception, FCSR 0x\(hex(cpu.fcsr, width: 8))")
            case .memoryFault:
                let f = cpu.fault
                faultAddress = f.address
                return fault(LinuxProcess.signalNumber(forFault: f.kind, abi: abi), SyscallEmulation.describe(f))
            }
        }
    }

    private func fault(_ sig: Int32, _ detail: String) -> SEStop {
        let bd = cpu.inDelaySlot ? " (in the delay slot of the branch at 0x\(hex(cpu.exceptionPC)))" : ""
        let at = cpu.inDelaySlot ? cpu.exceptionPC &+ 4 : cpu.exceptionPC
        return .fault(signal: sig, detail: detail + " at pc 0x\(hex(at))" + bd, pc: at, address: faultAddress)
    }

    func complete(_ outcome: SyscallOutcome) {
        let r = cpu.gpr
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
        case .exited, .killed, .stop: break
        }
    }
}

final class SEThreadPPC64: SEThreadCPU {
    let cpu: PPC64CPU
    let memory: LinuxMemory
    let abi = LinuxABI.ppc64le

    init(memory: LinuxMemory) {
        self.memory = memory
        cpu = PPC64CPU(mmu: memory.mmu, codeCache: memory.decodedCache(PPC64Op.self), littleEndian: true)
        memory.pageListeners.append { [weak cpu] _ in cpu?.flushCodeTLB() }
    }

    static func start(memory: LinuxMemory, entry: UInt64, sp: UInt64) -> SEThreadCPU {
        let t = SEThreadPPC64(memory: memory)
        t.cpu.pc = entry
        t.cpu.registers[gpr: 1] = sp
        t.cpu.registers[gpr: 12] = entry
        return t
    }

    var instructions: UInt64 { cpu.instructionCount }
    var pc: UInt64 { cpu.pc }
    var kindCounts: UnsafeMutablePointer<UInt64> { cpu.kindCounts }
    static var kindCount: Int { 1024 }
    static func classCounts(_ kinds: UnsafePointer<UInt64>) -> [(String, UInt64)] { PPC64CPU.classCounts(kinds) }
    func dropReservation() { cpu.registers.slots[PPC64Reg.resValid] = 0 }
    /// Untimed, the time base is instructions + offset; timed, cycles + offset.
    func setTimeOffset(_ offset: UInt64) { cpu.registers.slots[PPC64Reg.tbOffset] = offset }

    static func makeTiming(_ h: MemoryHierarchy, cpu: Int) -> AnyObject { PPC64Timing(hierarchy: h, cpu: cpu) }

    func attach(timing: AnyObject, cycles: UInt64) {
        cpu.timing = unsafeDowncast(timing, to: PPC64Timing.self)
        cpu.registers.slots[PPC64Reg.cycles] = cycles
        cpu.registers.slots[PPC64Reg.fetchLine] = .max
    }

    var cycles: UInt64 { cpu.registers.slots[PPC64Reg.cycles] }

    func child(memory: LinuxMemory, stack: UInt64, tls: UInt64?) -> SEThreadCPU {
        let c = SEThreadPPC64(memory: memory)
        c.cpu.registers.slots.update(from: cpu.registers.slots, count: PPC64Reg.count)
        c.cpu.registers.slots[PPC64Reg.resValid] = 0
        c.cpu.pc = cpu.pc
        c.cpu.registers[gpr: 3] = 0
        c.cpu.registers.cr &= ~(UInt32(1) << 28)
        if stack != 0 { c.cpu.registers[gpr: 1] = stack }
        if let tls { c.cpu.registers[gpr: 13] = tls }
        return c
    }

    private func word(_ pc: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: memory.mmu.loadValue(pc, size: 4) ?? 0) }

    func run(budget: UInt64) -> SEStop {
        while true {
            let exit = cpu.timing != nil ? cpu.runSETimed(budget: budget) : cpu.run(budget: budget)
            cpu.codeCache.collectRetired()
            let at = " at pc 0x\(hex(cpu.pc))"
            switch exit {
            case .budgetExhausted: return .budget
            case .codeModified: continue
            case .systemCall:
                let r = cpu.registers
                return .syscall(number: r[gpr: 0], args: (r[gpr: 3], r[gpr: 4], r[gpr: 5], r[gpr: 6], r[gpr: 7], r[gpr: 8]),
                                pc: cpu.pc &- 4)
            case .trap:
                return .fault(signal: abi.SIGTRAP, detail: "trap instruction 0x\(hex(UInt64(word(cpu.pc)), width: 8))" + at, pc: cpu.pc, address: nil)
            case .illegalInstruction(let w):
                let name = PPC64Decoder.mnemonic(w).map { " (\($0), not implemented)" } ?? ""
                return .fault(signal: abi.SIGILL, detail: "illegal instruction 0x\(hex(UInt64(w), width: 8))\(name)" + at, pc: cpu.pc, address: nil)
            case .idle, .facilityUnavailable:
                return .fault(signal: abi.SIGILL, detail: "full-system exit in syscall-emulation mode" + at, pc: cpu.pc, address: nil)
            case .privilegedInstruction(let w):
                return .fault(signal: abi.SIGILL, detail: "privileged instruction 0x\(hex(UInt64(w), width: 8)) in problem state" + at, pc: cpu.pc, address: nil)
            case .memoryFault(let f):
                return .fault(signal: LinuxProcess.signalNumber(forFault: f.kind, abi: abi), detail: SyscallEmulation.describe(f) + at, pc: cpu.pc, address: f.address)
            }
        }
    }

    func complete(_ outcome: SyscallOutcome) {
        let regs = cpu.registers
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
        case .exited, .killed, .stop: break
        }
    }
}
