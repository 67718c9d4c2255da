// SEThreadCPU+Signals: the ISA parts of signal delivery — each ABI's rt_sigframe as Linux lays
// it out (MIPS n64: argument save area, siginfo, ucontext with the 64-bit sigcontext; ppc64:
// ucontext first with the sigcontext's gp_regs/fp_regs/VMX/VSX areas, siginfo after it, a
// 128-byte frame header with the back chain below), entering the handler with the ABI's
// argument registers and the return address at the signal trampoline, and rt_sigreturn.

/// What a handler entry needs besides the registers.
struct SignalDelivery {
    var signal: Int32
    var handler: UInt64
    var info: [UInt8]          // 128-byte siginfo in guest layout
    var savedMask: [UInt64]    // the mask to restore at sigreturn
    var stackTop: UInt64       // where the frame goes below (the current sp or the alternate stack's top)
    var altStack: (UInt64, UInt64, UInt64)
    var trampoline: UInt64
}

extension SEThreadMIPS64 {
    static let infoOffset: UInt64 = 24, ucOffset: UInt64 = 152, frameSize: UInt64 = 816
    static let mcontext: UInt64 = 40, maskOffset: UInt64 = 640

    var stackPointer: UInt64 { cpu.gpr[29] }
    func rewind(to pc: UInt64) { cpu.pc = pc }

    func enterHandler(_ d: SignalDelivery) -> Bool {
        let frame = (d.stackTop &- 32 &- Self.frameSize) & ~15
        var b = GuestStruct(size: Int(Self.frameSize), bigEndian: false)
        for (i, x) in d.info.prefix(128).enumerated() { b.bytes[Int(Self.infoOffset) + i] = x }
        let uc = Int(Self.ucOffset), mc = uc + Int(Self.mcontext)
        b.put64(uc + 16, d.altStack.0)
        b.put64(uc + 24, d.altStack.1)
        b.put32(uc + 32, d.altStack.2)
        for i in 0 ..< 32 { b.put64(mc + i * 8, i == 0 ? 0 : cpu.gpr[i]) }
        for i in 0 ..< 32 { b.put64(mc + 256 + i * 8, cpu.fpr[i]) }
        b.put64(mc + 512, cpu.gpr[MIPS64Reg.hi])
        b.put64(mc + 544, cpu.gpr[MIPS64Reg.lo])
        b.put64(mc + 576, cpu.pc)
        b.put32(mc + 584, cpu.fcsr)
        b.put32(mc + 588, 1)
        for (i, w) in d.savedMask.prefix(2).enumerated() { b.put64(uc + Int(Self.maskOffset) + i * 8, w) }
        guard memory.mmu.writeBytes(frame, b.bytes) else { return false }
        let r = cpu.gpr
        r[4] = UInt64(d.signal)
        r[5] = frame + Self.infoOffset
        r[6] = frame + Self.ucOffset
        r[29] = frame
        r[31] = d.trampoline
        r[25] = d.handler
        cpu.pc = d.handler
        return true
    }

    func returnFromHandler() -> [UInt64]? {
        let frame = cpu.gpr[29]
        guard let raw = memory.mmu.readBytes(frame, count: Int(Self.frameSize)) else { return nil }
        let uc = Int(Self.ucOffset), mc = uc + Int(Self.mcontext)
        func g(_ o: Int, _ size: Int = 8) -> UInt64 { GuestStruct.get(raw, o, size: size, bigEndian: false) }
        for i in 1 ..< 32 { cpu.gpr[i] = g(mc + i * 8) }
        for i in 0 ..< 32 { cpu.fpr[i] = g(mc + 256 + i * 8) }
        cpu.gpr[MIPS64Reg.hi] = g(mc + 512)
        cpu.gpr[MIPS64Reg.lo] = g(mc + 544)
        cpu.pc = g(mc + 576)
        cpu.fcsr = g(mc + 584, 4)
        return [g(uc + Int(Self.maskOffset)), g(uc + Int(Self.maskOffset) + 8)]
    }

    static let trampolineCode: [UInt32] = [0x2402_145B, 0x0000_000C]     // li v0, 5211 (rt_sigreturn); syscall
}

extension SEThreadPPC64 {
    static let mcontext = 168, gpRegs = 168 + 64, fpRegs = 168 + 448, vRegsPtr = 168 + 712, vRegs = 896
    static let infoOffset: UInt64 = 1712, frameSize: UInt64 = 1840, frameHeader: UInt64 = 128

    var stackPointer: UInt64 { cpu.registers[gpr: 1] }
    func rewind(to pc: UInt64) { cpu.pc = pc }

    func enterHandler(_ d: SignalDelivery) -> Bool {
        let r = cpu.registers
        let frame = (d.stackTop &- 512 &- Self.frameSize) & ~15
        var b = GuestStruct(size: Int(Self.frameSize), bigEndian: false)
        b.put64(16, d.altStack.0)
        b.put32(24, d.altStack.2)
        b.put64(32, d.altStack.1)
        b.put64(40, d.savedMask.first ?? 0)
        let sc = Self.mcontext
        b.put32(sc + 32, UInt64(d.signal))
        b.put64(sc + 40, d.handler)
        b.put64(sc + 48, d.savedMask.first ?? 0)
        b.put64(sc + 56, frame + UInt64(Self.gpRegs))
        for i in 0 ..< 32 { b.put64(Self.gpRegs + i * 8, r[gpr: i]) }
        b.put64(Self.gpRegs + 32 * 8, cpu.pc)
        b.put64(Self.gpRegs + 33 * 8, r.slots[PPC64Reg.msr])
        b.put64(Self.gpRegs + 34 * 8, r[gpr: 3])
        b.put64(Self.gpRegs + 35 * 8, r.ctr)
        b.put64(Self.gpRegs + 36 * 8, r.lr)
        b.put64(Self.gpRegs + 37 * 8, r.xer)
        b.put64(Self.gpRegs + 38 * 8, UInt64(r.cr))
        for i in 0 ..< 32 { b.put64(Self.fpRegs + i * 8, r[vsr: i].0) }
        b.put64(Self.fpRegs + 32 * 8, r.fpscr)
        b.put64(Self.vRegsPtr, frame + UInt64(Self.vRegs))
        for k in 0 ..< 32 {
            let v = r[vsr: 32 + k]
            b.put64(Self.vRegs + k * 16, v.1)
            b.put64(Self.vRegs + k * 16 + 8, v.0)
        }
        b.put32(Self.vRegs + 32 * 16, r.slots[PPC64Reg.vscr])
        b.put32(Self.vRegs + 33 * 16, r.slots[PPC64Reg.vrsave])
        for i in 0 ..< 32 { b.put64(Self.vRegs + 34 * 16 + i * 8, r[vsr: i].1) }
        for (i, x) in d.info.prefix(128).enumerated() { b.bytes[Int(Self.infoOffset) + i] = x }
        let sp = frame - Self.frameHeader
        guard memory.mmu.writeBytes(frame, b.bytes), memory.mmu.storeValue(sp, size: 8, r[gpr: 1]) else { return false }
        r[gpr: 1] = sp
        r[gpr: 3] = UInt64(d.signal)
        r[gpr: 4] = frame + Self.infoOffset
        r[gpr: 5] = frame
        r[gpr: 6] = frame
        r[gpr: 12] = d.handler
        r.lr = d.trampoline
        cpu.pc = d.handler
        return true
    }

    func returnFromHandler() -> [UInt64]? {
        let r = cpu.registers
        let frame = r[gpr: 1] &+ Self.frameHeader
        guard let raw = memory.mmu.readBytes(frame, count: Int(Self.frameSize)) else { return nil }
        func g(_ o: Int, _ size: Int = 8) -> UInt64 { GuestStruct.get(raw, o, size: size, bigEndian: false) }
        for i in 0 ..< 32 { r[gpr: i] = g(Self.gpRegs + i * 8) }
        cpu.pc = g(Self.gpRegs + 32 * 8)
        r.ctr = g(Self.gpRegs + 35 * 8)
        r.lr = g(Self.gpRegs + 36 * 8)
        r.xer = g(Self.gpRegs + 37 * 8)
        r.cr = UInt32(truncatingIfNeeded: g(Self.gpRegs + 38 * 8))
        for i in 0 ..< 32 { r[vsr: i] = (g(Self.fpRegs + i * 8), g(Self.vRegs + 34 * 16 + i * 8)) }
        r.fpscr = g(Self.fpRegs + 32 * 8)
        for k in 0 ..< 32 { r[vsr: 32 + k] = (g(Self.vRegs + k * 16 + 8), g(Self.vRegs + k * 16)) }
        r.slots[PPC64Reg.vscr] = g(Self.vRegs + 32 * 16, 4)
        r.slots[PPC64Reg.vrsave] = g(Self.vRegs + 33 * 16, 4)
        return [g(40)]
    }

    static let trampolineCode: [UInt32] = [0x3800_00AC, 0x4400_0002]     // li r0, 172 (rt_sigreturn); sc
}
