// ProtectionTest (test=protect): user mode cannot touch kernel memory, and the kernel survives
// the attempt. User probes (Arch/*/usercode.S) run in a fresh user space: a plain exit; a read
// and a write of a kernel word (both must fault, the word must keep its value); a read of the
// user's own data page (must work); a write to its read-only code page and a read of the
// per-CPU range (must fault). Checks are numbered in order; each fault is also reported with
// its address and access (Report.userFault*).

@_extern(c, "k42_user_code") func k42_user_code(_ which: Int32) -> UInt

enum ProtectionTest {
    static let codeVA: UInt64 = 0x1000_0000
    static let dataVA: UInt64 = 0x1000_1000
    static let stackTop: UInt64 = 0x1000_3000
    static let kernelMagic: UInt64 = 0x4B42_5052_4F54_4543
    static let userMagic: UInt64 = 0x1234_5678_9ABC

    static func run() -> UInt64 {
        let space = UserSpace.create(tag: 1)
        let code = space.mapNewPage(at: codeVA, flags: UserSpace.executable)
        let start = k42_user_code(0)
        let length = Int(k42_user_code(1) - start)
        code.copyMemory(from: UnsafeRawPointer(bitPattern: start)!, byteCount: length)
        let data = space.mapNewPage(at: dataVA, flags: UserSpace.writable)
        data.storeBytes(of: userMagic, as: UInt64.self)
        _ = space.mapNewPage(at: stackTop - 0x1000, flags: UserSpace.writable)
        func entry(_ which: Int32) -> UInt64 { codeVA + UInt64(k42_user_code(which) - start) }
        let read = entry(2), write = entry(3), exit = entry(4)

        KernelWords.protectedWord.pointee = kernelMagic
        let kernelWord = UInt64(UInt(bitPattern: KernelWords.protectedWord))
        var check: UInt64 = 0
        func expect(_ ok: Bool) -> Bool { check += 1; return ok }

        defer { space.destroy() }
        // 1: user mode runs and exits with a status.
        guard expect(UserMode.run(space, pc: exit, sp: stackTop, 40, 2) == .exited(status: 42)) else { return check }
        // 2: reading kernel memory faults.
        guard expect(UserMode.run(space, pc: read, sp: stackTop, kernelWord, 0) == .fault(address: kernelWord, access: .read)) else { return check }
        // 3: writing kernel memory faults ...
        guard expect(UserMode.run(space, pc: write, sp: stackTop, kernelWord, 0xBAD) == .fault(address: kernelWord, access: .write)) else { return check }
        // 4: ... and leaves it unchanged.
        guard expect(KernelWords.protectedWord.pointee == kernelMagic) else { return check }
        // 5: the user's own data page is readable.
        guard expect(UserMode.run(space, pc: read, sp: stackTop, dataVA, 0) == .exited(status: userMagic)) else { return check }
        // 6: its code page is not writable.
        guard expect(UserMode.run(space, pc: write, sp: stackTop, codeVA, 1) == .fault(address: codeVA, access: .write)) else { return check }
        // 7: the per-CPU range is kernel memory too.
        let perCPU = UInt64(Arch.perCPUBase)
        guard expect(UserMode.run(space, pc: read, sp: stackTop, perCPU, 0) == .fault(address: perCPU, access: .read)) else { return check }
        // 8: kernel text cannot be read either.
        let text = UInt64(k42_user_code(0))
        guard expect(UserMode.run(space, pc: read, sp: stackTop, text, 0) == .fault(address: text, access: .read)) else { return check }
        print("protection: 7 user faults caught, kernel word intact, user exits 42 and 0x\(hex(userMagic))")
        return 0
    }
}

enum PanicTest {
    /// test=panic: a deliberate kernel-mode read of an unmapped address.
    static func run() -> Never {
        print("panic test: reading address 0x8 in kernel mode")
        let p = UnsafeMutablePointer<UInt64>(bitPattern: 0x8)!
        let v = p.pointee
        Panic.panic("the kernel read of 0x8 did not fault:", value: v)
    }
}
