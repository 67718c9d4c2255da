// UserProbes: processes that run the tiny user-mode probes of Arch/*/usercode.S — the code
// copied into a read-only, executable page at `codeVA` and a two-page stack below `stackTop`,
// both anonymous regions of the process. Kernel tests use them to exercise protection, the
// fault path and the system calls from real user mode on both ISAs.

@_extern(c, "k42_user_code") func k42_user_code(_ which: Int32) -> UInt

enum UserProbes {
    static let codeVA: UInt64 = 0x1000_0000
    static let stackTop: UInt64 = 0x1000_4000

    enum Probe: Int32 {
        case read = 2, write, exit, touch, sum, syscall, jump
    }

    /// A process holding the probes' code and a stack, or nil when memory or tags ran out.
    static func process(_ variant: Process.Variant = .shared) -> Process? {
        guard let p = Process.create(variant) else { return nil }
        let start = k42_user_code(0)
        let length = Int(k42_user_code(1) - start)
        guard length <= 4096,
              p.mapAnonymous(base: codeVA, size: 4096, writable: false, executable: true) == nil,
              p.mapAnonymous(base: stackTop - 0x2000, size: 0x2000, writable: true, executable: false) == nil,
              let page = p.kernelPage(at: codeVA) else {
            p.destroy()
            return nil
        }
        page.copyMemory(from: UnsafeRawPointer(bitPattern: start)!, byteCount: length)
        return p
    }

    static func entry(_ probe: Probe) -> UInt64 { codeVA + UInt64(k42_user_code(probe.rawValue) - k42_user_code(0)) }

    static func run(_ p: Process, _ probe: Probe, _ a0: UInt64 = 0, _ a1: UInt64 = 0, _ a2: UInt64 = 0, _ a3: UInt64 = 0) -> UserMode.Exit {
        UserMode.run(p, pc: entry(probe), sp: stackTop, a0, a1, a2, a3)
    }
}
