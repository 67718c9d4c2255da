// TrapFrame (MIPS64): the registers vectors.S saves on a kernel stack at each exception
// (offsets TF_* of layout.h): gpr[32], hi, lo, EPC, Status, Cause, BadVAddr, EntryHi, FCSR,
// fpr[32]. The machine-independent kernel uses the accessors; only the MIPS port knows the
// register numbers of the system-call convention (v0 = number, a0-a3 = arguments, v0 = result).

struct TrapFrame {
    static let size = 576
    let raw: UnsafeMutablePointer<UInt64>

    init(_ address: UInt) { raw = UnsafeMutablePointer<UInt64>(bitPattern: address)! }
    var address: UInt { UInt(bitPattern: raw) }

    @inline(__always) func gpr(_ i: Int) -> UInt64 { raw[i] }
    @inline(__always) func setGPR(_ i: Int, _ v: UInt64) { raw[i] = v }
    var pc: UInt64 { get { raw[34] } nonmutating set { raw[34] = newValue } }
    var status: UInt64 { get { raw[35] } nonmutating set { raw[35] = newValue } }
    var cause: UInt64 { raw[36] }
    var badVAddr: UInt64 { raw[37] }
    var entryHi: UInt64 { get { raw[38] } nonmutating set { raw[38] = newValue } }
    /// The interrupted code's return address (MIPS ra, PPC LR), for panic messages.
    var returnAddress: UInt64 { raw[31] }
    var stackPointer: UInt64 { get { raw[29] } nonmutating set { raw[29] = newValue } }

    /// True when the trap came from user mode (Status.KSU = user).
    var fromUser: Bool { status & 0x18 == 0x10 }
    /// True when the interrupted code had interrupts enabled.
    var interruptsWereEnabled: Bool { status & 1 != 0 }

    var systemCallNumber: UInt64 { raw[2] }
    func argument(_ i: Int) -> UInt64 { raw[4 + i] }
    func setArgument(_ i: Int, _ v: UInt64) { raw[4 + i] = v }
    func setResult(_ v: UInt64) { raw[2] = v }
    /// Skips the trapping instruction (system call return).
    func skipInstruction() { pc &+= 4 }

    /// A frame that enters user mode at `pc` with stack `sp`, arguments in a0-a3 and the user
    /// address-space tag `tag` (the ASID), interrupts on.
    static func user(at frame: TrapFrame, pc: UInt64, sp: UInt64, arguments: (UInt64, UInt64, UInt64, UInt64), tag: UInt64) {
        for i in 0 ..< size / 8 { frame.raw[i] = 0 }
        frame.pc = pc
        frame.stackPointer = sp
        frame.raw[4] = arguments.0
        frame.raw[5] = arguments.1
        frame.raw[6] = arguments.2
        frame.raw[7] = arguments.3
        // CU1 | FR | IM7 | IM2 | KX SX UX | KSU = user | EXL | IE
        frame.status = 0x2400_84E0 | 0x10 | 0x2 | 0x1
        frame.entryHi = tag & 0xFF
    }
}

extension TrapFrame {
    /// Redirects the return to user mode to an upcall: `pc` with stack `sp` and `argument` in
    /// a0; t9 holds the entry too and ra is 0 (the entry never returns).
    func redirect(pc: UInt64, sp: UInt64, argument: UInt64) {
        self.pc = pc
        stackPointer = sp
        raw[4] = argument
        raw[25] = pc
        raw[31] = 0
    }

    /// Makes a frame copied from user memory safe to return with: user mode with interrupts on
    /// (the template's Status) and the process's ASID; every other field is the user's own.
    func sanitizeForUser(tag: UInt64) {
        status = 0x2400_84E0 | 0x10 | 0x2 | 0x1
        entryHi = tag & 0xFF
    }
}
