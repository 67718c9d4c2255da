// ArchInterface: the small interface between the machine-independent kernel and its two ports
// (Kernel/Arch/MIPS64, Kernel/Arch/PPC64). Exactly one `enum Arch: ArchInterface` is compiled
// into an image (the build picks the ISA's Arch folder); the conformance makes the compiler
// check that both ports provide the same API. Everything here is called statically
// (`Arch.x`), never through the protocol. Machine-independent code never sees TLB entries,
// page-table formats or register numbers: those stay behind this interface (K42's rule).

/// What kind of access faulted.
enum Access: UInt64 {
    case read = 0, write = 1, execute = 2
    var name: StaticString {
        switch self {
        case .read: return "read"
        case .write: return "write"
        case .execute: return "execute"
        }
    }
}

/// Why the CPU entered the kernel, as the machine-independent trap handler sees it.
enum TrapCause {
    /// The per-CPU tick (MIPS Count/Compare, PPC decrementer).
    case timer
    /// The platform interrupt controller's line (IPIs, device timer, console input).
    case external
    /// A system call instruction; the number and arguments are in the frame.
    case systemCall
    /// No translation for `address` (MIPS TLB miss / invalid, PPC DSI/ISI without a PTE).
    case translationMiss(address: UInt64, access: Access)
    /// A translation exists but forbids the access (MIPS TLB modified, PPC protection DSI).
    case protection(address: UInt64, access: Access)
    /// An address the mode may never use (MIPS address error, misalignment).
    case addressError(address: UInt64, access: Access)
    /// PPC: no SLB entry for the address's segment (the access kind is not reported: read).
    case segmentMiss(address: UInt64, access: Access)
    /// A bus error or machine check: no memory or device at the physical address.
    case busError(address: UInt64, access: Access)
    case illegalInstruction
    case privilegedInstruction
    case breakpoint
    case trapInstruction
    case floatingPoint
    /// Anything else, with the architecture's code (MIPS ExcCode, PPC vector).
    case other(code: UInt64)
}

protocol ArchInterface {
    /// Name printed at boot ("mips64", "ppc64").
    static var name: StaticString { get }
    /// Kernel linear map: kernel virtual address = kernelBase + physical address.
    static var kernelBase: UInt { get }
    static var linearMapSize: UInt64 { get }
    /// Processor-specific memory: the same virtual range on every CPU, a different physical
    /// range (on the CPU's own node) behind it on each.
    static var perCPUBase: UInt { get }
    static var perCPUSize: UInt { get }
    /// Physical alignment the per-CPU range needs.
    static var perCPUAlignment: UInt64 { get }
    /// The clustered-object local translation table: a processor-specific range at the same
    /// virtual address on every CPU, paged in on demand (ClusteredObjects/LocalTable.swift).
    static var localTableBase: UInt { get }
    /// Maps page `index` of this CPU's local table to `physical` (zeroed by the caller).
    static func mapLocalTablePage(_ index: Int, physical: UInt64)
    /// User virtual addresses: [userBase, userTop).
    static var userBase: UInt64 { get }
    static var userTop: UInt64 { get }
    /// Whether user pages can forbid instruction fetches (PPC's no-execute bit; MIPS64 without
    /// RI/XI cannot).
    static var userNoExecute: Bool { get }
    /// The ELF e_machine of user programs for this ISA (EM_MIPS 8, EM_PPC64 21).
    static var elfMachine: UInt16 { get }
    /// The kernel virtual address of a device register at physical address `pa`.
    static func deviceAddress(_ pa: UInt64) -> UInt

    /// This CPU's number (from the hardware, for code that runs before the per-CPU area).
    static var hardwareCPUNumber: Int { get }
    /// Disables interrupts; returns a token for `restoreInterrupts`.
    static func disableInterrupts() -> UInt64
    static func restoreInterrupts(_ token: UInt64)
    /// Waits, with interrupts disabled, until an interrupt is pending (it is taken when the
    /// caller re-enables interrupts).
    static func waitForInterrupt()
    /// A full memory barrier.
    static func memoryBarrier()
    /// A spin-wait hint.
    static func pause()

    /// Boot CPU, before anything else in Swift: map what the entry glue did not (PPC: the whole
    /// linear map and the device window).
    static func earlyInit(memoryBytes: UInt64)
    /// Every CPU: map this CPU's processor-specific range to `physical` and make the vectors
    /// use the per-CPU area at that address.
    static func mapPerCPU(physical: UInt64)
    /// The physical address the MMU translates the per-CPU range to on this CPU (read back
    /// from the hardware's own structures: MIPS TLB entry, PPC hashed page table).
    static func perCPUPhysical() -> UInt64

    /// Starts the periodic tick on this CPU; `acknowledgeTimer` re-arms it from the handler.
    static func startTimer(interval: UInt64)
    static func acknowledgeTimer()

    /// Saves the callee-saved context on the current stack, stores the stack pointer at
    /// `save` and continues on the stack `to` (written by an earlier switch or by
    /// `prepareThreadStack`).
    static func switchContext(save: UnsafeMutablePointer<UInt>, to: UInt)
    /// Builds the first switch frame of a new thread on a stack whose top is `top`; the
    /// thread starts in `k42_thread_main(thread)` with interrupts disabled.
    static func prepareThreadStack(top: UInt, thread: UInt) -> UInt

    /// The HAT's hardware side (VM/HAT.swift), on this CPU, interrupts off: enter the
    /// translation of user page `va` that `hat` (this CPU's view) now holds as `entry`, or drop
    /// the one it no longer holds (MIPS: rewrite the TLB pair from the view; PPC: this CPU's own
    /// page-table entry and a local TLB invalidation).
    static func hatEnter(_ hat: HATRep, va: UInt64, entry: UInt64)
    static func hatRemove(_ hat: HATRep, va: UInt64)
    /// Self-check for test=vm: one user page of many CPUs does not crowd one shared MMU
    /// structure (PPC hashed-page-table group).
    static func userTranslationsSpread() -> Bool
    /// The process with address-space tag `tag` starts running on this CPU.
    static func hatActivate(tag: UInt64)
    /// PPC: a segment miss on `va` while `tag` runs: load the segment (false: not a user address).
    static func hatSegmentMiss(tag: UInt64, va: UInt64) -> Bool

    /// Classifies a trap frame.
    static func cause(of frame: TrapFrame) -> TrapCause
}
