// TrapFrame (PPC64): the registers vectors.S saves on a kernel stack at each interrupt (offsets
// TF_* of layout.h): gpr[32], CR, LR, CTR, XER, SRR0, SRR1, DAR, DSISR, the vector, FPSCR,
// fpr[32]. System-call convention of the K42 port: r0 = number, r3-r6 = arguments, r3 = result;
// `sc` leaves SRR0 at the next instruction already.

struct TrapFrame {
    static let size = 592
    let raw: UnsafeMutablePointer<UInt64>

    init(_ address: UInt) { raw = UnsafeMutablePointer<UInt64>(bitPattern: address)! }
    var address: UInt { UInt(bitPattern: raw) }

    @inline(__always) func gpr(_ i: Int) -> UInt64 { raw[i] }
    var pc: UInt64 { get { raw[36] } nonmutating set { raw[36] = newValue } }
    var msr: UInt64 { get { raw[37] } nonmutating set { raw[37] = newValue } }
    var dar: UInt64 { raw[38] }
    var dsisr: UInt64 { raw[39] }
    var vector: UInt64 { raw[40] }
    /// The interrupted code's return address (MIPS ra, PPC LR), for panic messages.
    var returnAddress: UInt64 { raw[33] }
    var stackPointer: UInt64 { get { raw[1] } nonmutating set { raw[1] = newValue } }

    var fromUser: Bool { msr & 0x4000 != 0 }
    var interruptsWereEnabled: Bool { msr & 0x8000 != 0 }

    var systemCallNumber: UInt64 { raw[0] }
    func argument(_ i: Int) -> UInt64 { raw[3 + i] }
    func setArgument(_ i: Int, _ v: UInt64) { raw[3 + i] = v }
    func setResult(_ v: UInt64) { raw[3] = v }
    func skipInstruction() {}

    /// A frame that enters problem state at `pc` with stack `sp`, arguments in r3-r6, external
    /// interrupts on. (The address space is the SLB's: segments of the process's tag, loaded on
    /// segment misses, Arch.hatSegmentMiss.)
    static func user(at frame: TrapFrame, pc: UInt64, sp: UInt64, arguments: (UInt64, UInt64, UInt64, UInt64), tag: UInt64) {
        for i in 0 ..< size / 8 { frame.raw[i] = 0 }
        frame.pc = pc
        frame.stackPointer = sp
        frame.raw[3] = arguments.0
        frame.raw[4] = arguments.1
        frame.raw[5] = arguments.2
        frame.raw[6] = arguments.3
        // SF HV | EE PR FP ME | IR DR RI LE
        frame.msr = 0x9000_0000_0000_F033
    }
}

extension TrapFrame {
    /// Redirects the return to problem state to an upcall: `pc` with stack `sp` and `argument`
    /// in r3; r12 holds the entry too (ELFv2 global entry) and LR is 0 (it never returns).
    func redirect(pc: UInt64, sp: UInt64, argument: UInt64) {
        self.pc = pc
        stackPointer = sp
        raw[3] = argument
        raw[12] = pc
        raw[33] = 0
    }

    /// Makes a frame copied from user memory safe to return with: problem state with external
    /// interrupts on (the template's MSR); every other field is the user's own.
    func sanitizeForUser(tag: UInt64) {
        msr = 0x9000_0000_0000_F033
    }
}
