// MIPS64CPU: one MIPS64 hardware thread — architectural state in unsafe buffers (so the
// interpreter's hot loop touches no Swift arrays or class properties), the code TLB, exit
// information, and instruction fetch (page decode through the shared DecodedPageCache).
// The interpreter itself is in MIPS64Interpreter.swift.

/// Why `run` returned.
public enum MIPS64Exit: UInt8, Sendable {
    case none = 0
    case budget             // instruction budget used up; `pc` is where to continue
    case syscall            // `syscall`; exceptionPC/inDelaySlot say where
    case breakpoint         // `break` (code in exceptionCode)
    case trap               // conditional trap taken (code in exceptionCode)
    case reservedInstruction
    case coprocessorUnusable
    case overflow           // integer overflow (add, sub, addi, dadd...)
    case memoryFault        // details in `fault`; fetch faults too
    case fpException        // enabled IEEE exception; cause bits in FCSR
    case resync             // a store changed pre-decoded code or device state; `pc` is where to continue
}

/// Indices into the `ctl` buffer of miscellaneous state the interpreter reads and writes.
public enum MIPS64Ctl {
    public static let fcsr = 0
    public static let fir = 1
    public static let llAddress = 2
    public static let llValid = 3
    public static let userLocal = 4
    public static let cpuNumber = 5
    /// Code of the last break/trap/syscall exit.
    public static let exceptionCode = 6
    /// Full-system mode only: nonzero while Status.CU1 = 0 (FPU instructions raise CpU).
    public static let fpuUnusable = 7
    /// Full-system mode only: registers rdhwr may read (HWREna in user mode, all in kernel mode).
    public static let hwrEnable = 8
    /// Full-system mode only: CP0 Count = instruction count + countBias (mod 2^32).
    public static let countBias = 9
    /// Full-system mode only: the instruction count including the executing instruction, kept
    /// current during a run so devices see the exact cycle of an access.
    public static let liveCount = 10
    /// Timing mode only: the CPU's cycle counter, kept current during a run (all costs so far).
    public static let cycles = 11
    /// rdhwr $1 (SYNCI_Step): 32, or the L1 line size of a machine with a cache description.
    public static let synciStep = 12
    /// The fault of a `.memoryFault` exit (MIPS64CPU.fault): its address, then kind | access << 8
    /// | architectural << 16 | ExcCode << 32, then the MIPS64FaultFlags.
    public static let faultAddress = 13
    public static let faultInfo = 14
    public static let faultFlags = 15
    public static let count = 16

    /// Stores `f` in the three fault words.
    @inline(never) static func store(_ f: MemoryFault, _ ctl: UnsafeMutablePointer<UInt64>) {
        ctl[faultAddress] = f.address
        ctl[faultInfo] = UInt64(f.kind.rawValue) | UInt64(f.access.rawValue) << 8 | (f.architectural ? 1 << 16 : 0) | f.code << 32
        ctl[faultFlags] = f.flags
    }

    /// Stores a fault the interpreter found itself (no architectural detail): two plain stores.
    @inline(__always) static func store(address: UInt64, _ kind: MemoryFaultKind, _ access: MemoryAccess,
                                        _ ctl: UnsafeMutablePointer<UInt64>) {
        ctl[faultAddress] = address
        ctl[faultInfo] = UInt64(kind.rawValue) | UInt64(access.rawValue) << 8
    }

    /// Reports the fault in the fault words as a store's (swl/swr/sdl/sdr read first).
    @inline(__always) static func faultIsStore(_ ctl: UnsafeMutablePointer<UInt64>) {
        ctl[faultInfo] = ctl[faultInfo] & ~0xFF00 | UInt64(MemoryAccess.write.rawValue) << 8
    }

    static func fault(_ ctl: UnsafeMutablePointer<UInt64>) -> MemoryFault {
        let info = ctl[faultInfo]
        var f = MemoryFault(address: ctl[faultAddress], kind: MemoryFaultKind(rawValue: UInt8(truncatingIfNeeded: info)) ?? .unmapped,
                            access: MemoryAccess(rawValue: UInt8(truncatingIfNeeded: info >> 8)) ?? .read)
        if info & (1 << 16) != 0 { f.architectural = true; f.code = info >> 32; f.flags = ctl[faultFlags] }
        return f
    }
}

public final class MIPS64CPU {
    public let gpr: UnsafeMutablePointer<UInt64>
    public let fpr: UnsafeMutablePointer<UInt64>
    public let ctl: UnsafeMutablePointer<UInt64>
    /// Executions per op kind (index: MIPS64Kind.rawValue) folded so far; the interpreter
    /// counts per block in `blockCounts`, so read `kindCounts` (which folds first) outside it.
    let kindTotals: UnsafeMutablePointer<UInt64>
    /// The interpreter's per-page entry/exit deltas (BlockCounts).
    let blockCounts: BlockCounts
    /// Executions per op kind (index: MIPS64Kind.rawValue); the total is the instruction count.
    /// Folds the block counts: call outside the interpreter (full system: `foldKindCounts(live:)`).
    public var kindCounts: UnsafeMutablePointer<UInt64> {
        blockCounts.fold()
        return kindTotals
    }
    /// The soft TLB in use. SE mode has one; a full-system CPU switches between one per privilege
    /// mode (only between `run` calls, never while the interpreter runs).
    public internal(set) var mmu: SoftMMU
    public let codeCache: DecodedPageCache<MIPS64Op>
    static let codeTLBSize = 256
    /// Code TLBs: one per privilege mode (`codeTLBCount`), `codeTLB` is the one in use.
    static let codeTLBCount = 3
    let codeTLBs: UnsafeMutablePointer<CodeTLBEntry<MIPS64Op>>
    var codeTLB: UnsafeMutablePointer<CodeTLBEntry<MIPS64Op>>
    var seenCodeGeneration: UInt64 = .max

    /// Next instruction to execute (or, after an exception exit, the restart address).
    public var pc: UInt64 = 0
    public var instructions: UInt64 = 0
    public var bigEndian = false
    /// Physical page of the code page `codePage` returned last (timing mode charges fetches by it).
    var lastCodePA: UInt64 = 0
    /// Block-count deltas of the code page `codePage` returned last.
    var lastCodeDeltas = UnsafeMutablePointer<Int64>(bitPattern: 8).unsafelyUnwrapped
    /// Timing mode: physical address of the instruction-cache line fetched last (a run that
    /// resumes inside it does not fetch it again).
    var fetchLinePA: UInt64 = .max
    /// Timing model (full system with a memory hierarchy only).
    var timing: MIPS64Timing?

    // Exception information of the last exit (like EPC / Cause.BD / BadVAddr).
    public var exceptionPC: UInt64 = 0
    public var inDelaySlot = false
    public var branchTarget: UInt64 = 0
    public var exceptionCode: UInt32 = 0
    public var exceptionWord: UInt32 = 0
    /// The fault of a `.memoryFault` exit, as the slow path (or the fetch) returned it (kept in
    /// the ctl words MIPS64Ctl.faultAddress/faultInfo/faultFlags, which the interpreter writes).
    public var fault: MemoryFault {
        get { MIPS64Ctl.fault(ctl) }
        set { MIPS64Ctl.store(newValue, ctl) }
    }

    public init(mmu: SoftMMU, codeCache: DecodedPageCache<MIPS64Op>) {
        self.mmu = mmu
        self.codeCache = codeCache
        gpr = .allocate(capacity: MIPS64Reg.count)
        gpr.initialize(repeating: 0, count: MIPS64Reg.count)
        fpr = .allocate(capacity: 32)
        fpr.initialize(repeating: 0, count: 32)
        ctl = .allocate(capacity: MIPS64Ctl.count)
        ctl.initialize(repeating: 0, count: MIPS64Ctl.count)
        // FIR as a MIPS64 R2 FPU with F64, L, W, D, S formats (no PS, no 3D), legacy NaN.
        ctl[MIPS64Ctl.fir] = (1 << 22) | (1 << 21) | (1 << 20) | (1 << 17) | (1 << 16) | (0x81 << 8)
        ctl[MIPS64Ctl.synciStep] = MIPS64CacheConfig.functional.synciStep
        kindTotals = .allocate(capacity: 256)
        kindTotals.initialize(repeating: 0, count: 256)
        blockCounts = BlockCounts(totals: kindTotals)
        codeTLBs = .allocate(capacity: Self.codeTLBSize * Self.codeTLBCount)
        codeTLBs.initialize(repeating: CodeTLBEntry(), count: Self.codeTLBSize * Self.codeTLBCount)
        codeTLB = codeTLBs
    }

    deinit {
        gpr.deallocate(); fpr.deallocate(); ctl.deallocate(); kindTotals.deallocate(); codeTLBs.deallocate()
    }

    public var fcsr: UInt64 {
        get { ctl[MIPS64Ctl.fcsr] }
        set { ctl[MIPS64Ctl.fcsr] = newValue }
    }

    /// Drops every code-TLB entry (all privilege modes).
    public func flushCodeTLB() {
        for i in 0 ..< Self.codeTLBSize * Self.codeTLBCount { codeTLBs[i] = CodeTLBEntry() }
    }

    /// The decoded-page cache changed: its pages may be gone, so drop their code-TLB entries
    /// and block counts (folded first).
    func codeChanged() {
        flushCodeTLB()
        blockCounts.reset()
        seenCodeGeneration = codeCache.generation
    }

    /// Full system: makes `mmu` and the code TLB of privilege mode `mode` (0...2) current.
    func selectTranslation(mode: Int, mmu: SoftMMU) {
        self.mmu = mmu
        codeTLB = codeTLBs + mode * Self.codeTLBSize
    }

    /// Where execution continues after the exception of the last exit is handled by skipping
    /// the excepting instruction (syscall, break, trap emulation in SE mode).
    public var resumeAfterException: UInt64 { inDelaySlot ? branchTarget : exceptionPC &+ 4 }

    /// Runs at most about `budget` instructions (it stops at the first block boundary after).
    public func run(budget: UInt64) -> MIPS64Exit {
        if codeCache.generation != seenCodeGeneration { codeChanged() }
        return bigEndian ? MIPS64Interpreter<BigEndianGuest, MIPS64SEMode>.run(self, budget: budget)
                         : MIPS64Interpreter<LittleEndianGuest, MIPS64SEMode>.run(self, budget: budget)
    }

    /// Full system: runs exactly `budget` instructions (one more if the last is a taken branch,
    /// whose delay slot is indivisible from it) or until an exit.
    func runSystem(budget: UInt64) -> MIPS64Exit {
        if codeCache.generation != seenCodeGeneration { codeChanged() }
        return bigEndian ? MIPS64Interpreter<BigEndianGuest, MIPS64SystemMode>.run(self, budget: budget)
                         : MIPS64Interpreter<LittleEndianGuest, MIPS64SystemMode>.run(self, budget: budget)
    }

    /// Full system with the timing model: runs until `ctl[cycles]` advanced by at least `budget`
    /// cycles (stopping between instructions; the last one may overshoot by its cost) or an exit.
    func runTimed(budget: UInt64) -> MIPS64Exit {
        if codeCache.generation != seenCodeGeneration { codeChanged() }
        return bigEndian ? MIPS64Interpreter<BigEndianGuest, MIPS64TimedMode>.run(self, budget: budget)
                         : MIPS64Interpreter<LittleEndianGuest, MIPS64TimedMode>.run(self, budget: budget)
    }

    /// Syscall emulation with the timing model: runs until `ctl[cycles]` advanced by at least
    /// `budget` cycles (checked at block boundaries) or an exit. Little-endian only, as SE mode is.
    func runSETimed(budget: UInt64) -> MIPS64Exit {
        precondition(!bigEndian, "timed syscall emulation runs little-endian programs only")
        if codeCache.generation != seenCodeGeneration { codeChanged() }
        return MIPS64Interpreter<LittleEndianGuest, MIPS64SETimedMode>.run(self, budget: budget)
    }

    /// The pre-decoded page holding `va` (which must be 4-byte aligned), decoding it if needed.
    /// nil with `fault` set when the page is not executable.
    @inline(never)
    func codePage(_ va: UInt64) -> UnsafeMutablePointer<MIPS64Op>? {
        let page = va & ~guestPageMask
        let slot = Int(truncatingIfNeeded: (va >> guestPageShift) & UInt64(Self.codeTLBSize - 1))
        if codeTLB[slot].tag == page, let ops = codeTLB[slot].ops {
            lastCodePA = codeTLB[slot].physicalPage
            lastCodeDeltas = codeTLB[slot].deltas.unsafelyUnwrapped
            blockCounts.touch(lastCodeDeltas)
            return ops
        }
        switch mmu.translator.translate(va, access: .execute) {
        case .failure(let f):
            fault = f
            return nil
        case .success(let t):
            guard t.permissions.contains(.execute), t.frame >= 0 else {
                fault = MemoryFault(address: va, kind: .protection, access: .execute)
                return nil
            }
            let ops: UnsafeMutablePointer<MIPS64Op>
            if let cached = codeCache.lookup(frame: t.frame) {
                ops = cached
            } else {
                ops = decodePage(frame: t.frame)
            }
            codeTLB[slot] = CodeTLBEntry()
            codeTLB[slot].tag = page
            codeTLB[slot].ops = ops
            codeTLB[slot].physicalPage = t.physicalPage
            let d = blockCounts.deltas(page: ops) { UInt16(ops[$0].kind.index) }
            codeTLB[slot].deltas = d
            lastCodePA = t.physicalPage
            lastCodeDeltas = d
            blockCounts.touch(d)
            return ops
        }
    }

    private func decodePage(frame: Int) -> UnsafeMutablePointer<MIPS64Op> {
        let n = DecodedPageCache<MIPS64Op>.opsPerPage
        let ops = UnsafeMutablePointer<MIPS64Op>.allocate(capacity: DecodedPageCache<MIPS64Op>.slotsPerPage)
        let host = UnsafeRawPointer(mmu.physical.host(frame: frame))
        for i in 0 ..< n {
            let w = bigEndian ? BigEndianGuest.load32(host + 4 * i) : LittleEndianGuest.load32(host + 4 * i)
            (ops + i).initialize(to: MIPS64Decoder.decode(w))
        }
        (ops + n).initialize(to: MIPS64Op(kind: .pageEnd, word: 0))
        (ops + n + 1).initialize(to: MIPS64Op(kind: .pageEnd, word: 0))
        codeCache.insert(frame: frame, ops: ops)
        mmu.physical.markHasCode(frame: frame)
        if let rm = mmu.reservations { rm.revokeWriteEverywhere(frame: frame) } else { mmu.revokeWrite(frame: frame) }
        return ops
    }
}
