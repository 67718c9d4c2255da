// ProtectionTest (test=protect): user mode cannot touch kernel memory, and the kernel survives
// the attempt. User probes (Arch/*/usercode.S, User/UserProbes.swift) run in a fresh process: a plain exit; a read
// and a write of a kernel word (both must fault, the word must keep its value); a read of the
// user's own data page (must work); a write to its read-only code page and a read of the
// per-CPU range (must fault). Checks are numbered in order; each fault is also reported with
// its address and access (Report.userFault*).

enum ProtectionTest {
    static let dataVA: UInt64 = 0x1000_8000
    static let kernelMagic: UInt64 = 0x4B42_5052_4F54_4543
    static let userMagic: UInt64 = 0x1234_5678_9ABC

    static func run() -> UInt64 {
        guard let p = UserProbes.process() else { return 1 }
        defer { p.destroy() }
        guard p.mapAnonymous(base: dataVA, size: 4096, writable: true, executable: false) == nil,
              let data = p.kernelPage(at: dataVA) else { return 1 }
        data.storeBytes(of: userMagic, as: UInt64.self)
        let codeVA = UserProbes.codeVA

        KernelWords.protectedWord.pointee = kernelMagic
        let kernelWord = UInt64(UInt(bitPattern: KernelWords.protectedWord))
        var check: UInt64 = 0
        func expect(_ ok: Bool) -> Bool { check += 1; return ok }

        // 1: user mode runs and exits with a status.
        guard expect(UserProbes.run(p, .exit, 40, 2) == .exited(status: 42)) else { return check }
        // 2: reading kernel memory faults.
        guard expect(UserProbes.run(p, .read, kernelWord) == .fault(address: kernelWord, access: .read)) else { return check }
        // 3: writing kernel memory faults ...
        guard expect(UserProbes.run(p, .write, kernelWord, 0xBAD) == .fault(address: kernelWord, access: .write)) else { return check }
        // 4: ... and leaves it unchanged.
        guard expect(KernelWords.protectedWord.pointee == kernelMagic) else { return check }
        // 5: the user's own data page is readable.
        guard expect(UserProbes.run(p, .read, dataVA) == .exited(status: userMagic)) else { return check }
        // 6: its code page is not writable.
        guard expect(UserProbes.run(p, .write, codeVA, 1) == .fault(address: codeVA, access: .write)) else { return check }
        // 7: the per-CPU range is kernel memory too.
        let perCPU = UInt64(Arch.perCPUBase)
        guard expect(UserProbes.run(p, .read, perCPU) == .fault(address: perCPU, access: .read)) else { return check }
        // 8: kernel text cannot be read either.
        let text = UInt64(k42_user_code(0))
        guard expect(UserProbes.run(p, .read, text) == .fault(address: text, access: .read)) else { return check }
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
