// PPC64CPU: one PowerPC64 hardware thread: its register file, soft MMU, code TLB over the shared
// DecodedPageCache, and `run(budget:)`, which executes up to a budget of instructions and
// returns why it stopped (`run` for syscall emulation, `runSystem` for PPC64SystemCPU, which
// switches the data/fetch soft TLBs and code TLBs per translation context between runs;
// `runTimed` for it with the timing model, budget in cycles).

public enum PPC64Exit: Equatable, Sendable {
    case budgetExhausted
    /// `sc` executed; pc is the next instruction.
    case systemCall
    /// A trap instruction's condition held; pc is the trap (SIGTRAP in SE mode).
    case trap
    /// Program interrupt, illegal instruction; pc is the instruction.
    case illegalInstruction(UInt32)
    /// Program interrupt, privileged instruction in problem state; pc is the instruction.
    case privilegedInstruction(UInt32)
    /// Data or instruction storage interrupt (or alignment for larx/stcx.); pc is the instruction.
    case memoryFault(MemoryFault)
    /// A store hit pre-decoded code; pc is the next instruction. Just call `run` again.
    case codeModified
    /// Full system only: a branch to itself (`b .`); pc is the branch. The CPU idles.
    case idle
    /// Full system only: the op needs a facility that is off (PPC64Facility bits: FP -> FP
    /// unavailable, VEC -> vector unavailable, VSX -> VSX unavailable); pc is the instruction.
    case facilityUnavailable(UInt8)
}

public final class PPC64CPU {
    public static let codeTLBSize = 256
    public let registers = PPC64RegisterFile()
    /// Soft TLB for data accesses and for instruction fetches (the same object in SE mode; a
    /// full-system CPU switches them per translation context, only between runs).
    /// Both are unowned(unsafe) so reading them costs no ARC traffic; `homeMMU` (and the
    /// full-system CPU's context list) keeps them alive.
    @exclusivity(unchecked) public internal(set) unowned(unsafe) var mmu: SoftMMU
    @exclusivity(unchecked) public internal(set) unowned(unsafe) var fetchMMU: SoftMMU
    let homeMMU: SoftMMU
    public let codeCache: DecodedPageCache<PPC64Op>
    /// Code TLBs, one per translation context (`codeTLBCount`); `codeTLB` is the one in use.
    static let codeTLBCount = 4
    let codeTLBs: UnsafeMutablePointer<CodeTLBEntry<PPC64Op>>
    @exclusivity(unchecked) var codeTLB: UnsafeMutablePointer<CodeTLBEntry<PPC64Op>>
    var codeGeneration: UInt64 = 0
    /// Address of the next instruction.
    public var pc: UInt64 = 0
    /// Instructions completed so far (also the time base).
    public var instructionCount: UInt64 = 0
    /// Executions per op kind (index: PPC64OpKind.rawValue) folded so far; the interpreter
    /// counts per block in `blockCounts`, so read `kindCounts` (which folds first) outside it.
    let kindTotals: UnsafeMutablePointer<UInt64> = {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        p.initialize(repeating: 0, count: 1024)
        return p
    }()
    /// The interpreter's per-page entry/exit deltas (BlockCounts).
    lazy var blockCounts = BlockCounts(totals: kindTotals)
    /// Block-count deltas of the code page `codePage` returned last.
    var lastCodeDeltas = UnsafeMutablePointer<Int64>(bitPattern: 8).unsafelyUnwrapped
    /// Executions per op kind (index: PPC64OpKind.rawValue), for instruction-class statistics.
    /// Folds the block counts: call outside the interpreter.
    public var kindCounts: UnsafeMutablePointer<UInt64> {
        blockCounts.fold()
        return kindTotals
    }
    /// Timing model (full system with a memory hierarchy only).
    var timing: PPC64Timing?
    /// MSR[LE]: little-endian mode.
    public var littleEndian: Bool { didSet { mmu.bigEndian = !littleEndian } }
    /// Where the interpreter's memory paths leave the fault of a `.memoryFault` exit before the
    /// exit carries it (the slow path returns it explicitly; this is only the hand-over).
    let faultSlot: UnsafeMutablePointer<MemoryFault>

    public init(mmu: SoftMMU, codeCache: DecodedPageCache<PPC64Op>, littleEndian: Bool = true) {
        self.mmu = mmu
        self.fetchMMU = mmu
        self.homeMMU = mmu
        self.codeCache = codeCache
        self.littleEndian = littleEndian
        mmu.bigEndian = !littleEndian
        codeTLBs = .allocate(capacity: Self.codeTLBSize * Self.codeTLBCount)
        codeTLBs.initialize(repeating: CodeTLBEntry(), count: Self.codeTLBSize * Self.codeTLBCount)
        codeTLB = codeTLBs
        faultSlot = .allocate(capacity: 1)
        faultSlot.initialize(to: MemoryFault(address: 0, kind: .unmapped, access: .read))
        registers.slots[PPC64Reg.msr] = (1 << 63) | (1 << 14) | (1 << 13) | (1 << 25) | (1 << 23) | (littleEndian ? 1 : 0)
    }

    deinit {
        faultSlot.deallocate()
        codeTLBs.deallocate()
        kindTotals.deallocate()
    }

    /// Runs until `budget` instructions completed (checked at taken branches and page ends) or
    /// an exit condition.
    public func run(budget: UInt64) -> PPC64Exit {
        littleEndian ? interpret(PPC64LittleEndian.self, PPC64SEMode.self, budget: budget)
                     : interpret(PPC64BigEndian.self, PPC64SEMode.self, budget: budget)
    }

    /// Full system: runs exactly `budget` instructions or until an exit.
    func runSystem(budget: UInt64) -> PPC64Exit {
        littleEndian ? interpret(PPC64LittleEndian.self, PPC64SystemMode.self, budget: budget)
                     : interpret(PPC64BigEndian.self, PPC64SystemMode.self, budget: budget)
    }

    /// Full system with the timing model: runs until slots[cycles] advanced by at least `budget`
    /// cycles (stopping between instructions; the last one may overshoot by its cost) or an exit.
    func runTimed(budget: UInt64) -> PPC64Exit {
        littleEndian ? interpret(PPC64LittleEndian.self, PPC64TimedMode.self, budget: budget)
                     : interpret(PPC64BigEndian.self, PPC64TimedMode.self, budget: budget)
    }

    /// Syscall emulation with the timing model: runs until slots[cycles] advanced by at least
    /// `budget` cycles (checked at taken branches and page ends) or an exit. Little-endian only,
    /// as SE mode is.
    func runSETimed(budget: UInt64) -> PPC64Exit {
        precondition(littleEndian, "timed syscall emulation runs little-endian programs only")
        return interpret(PPC64LittleEndian.self, PPC64SETimedMode.self, budget: budget)
    }

    /// Full system: makes the data and fetch soft TLBs and the code TLB of fetch context
    /// `fetchContext` (0 ..< codeTLBCount) current.
    func selectTranslation(data: SoftMMU, fetch: SoftMMU, fetchContext: Int) {
        mmu = data
        fetchMMU = fetch
        codeTLB = codeTLBs + fetchContext * Self.codeTLBSize
    }

    /// The pre-decoded page holding `pc`, decoding it on first use; nil with the fault in `faultSlot`.
    @inline(never)
    func codePage(_ pc: UInt64) -> UnsafeMutablePointer<PPC64Op>? {
        if codeGeneration != codeCache.generation {
            // Its pages may be gone: drop their code-TLB entries and block counts (folded first).
            flushCodeTLB()
            blockCounts.reset()
            codeGeneration = codeCache.generation
        }
        let page = pc & ~guestPageMask
        let slot = Int((pc >> guestPageShift) & UInt64(Self.codeTLBSize - 1))
        if codeTLB[slot].tag == page, let ops = codeTLB[slot].ops {
            lastCodeDeltas = codeTLB[slot].deltas.unsafelyUnwrapped
            blockCounts.touch(lastCodeDeltas)
            return ops
        }
        let mmu = fetchMMU
        let host: UnsafeMutableRawPointer
        switch mmu.access(pc & ~3, size: 4, access: .execute, alignment: false) {
        case .ram(let p, _): host = p
        case .fault(let f): faultSlot.pointee = f; return nil
        case .device: faultSlot.pointee = MemoryFault(address: pc, kind: .unmapped, access: .execute); return nil
        }
        let frame = mmu.entries[SoftMMU.index(pc)].frame
        var ops = codeCache.lookup(frame: frame)
        if ops == nil {
            let base = UnsafeRawPointer(host - Int(pc & guestPageMask & ~3))
            let n = DecodedPageCache<PPC64Op>.opsPerPage
            let p = UnsafeMutablePointer<PPC64Op>.allocate(capacity: DecodedPageCache<PPC64Op>.slotsPerPage)
            for i in 0 ..< n {
                let raw = base.load(fromByteOffset: 4 * i, as: UInt32.self)
                let w = littleEndian ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)
                (p + i).initialize(to: PPC64Decoder.decode(w, offset: 4 * i))
            }
            (p + n).initialize(to: PPC64Op(kind: .pageEnd))
            (p + n + 1).initialize(to: PPC64Op(kind: .pageEnd))
            codeCache.insert(frame: frame, ops: p)
            mmu.physical.markHasCode(frame: frame)
            if let rm = mmu.reservations { rm.revokeWriteEverywhere(frame: frame) } else { mmu.revokeWrite(frame: frame) }
            ops = p
        }
        codeTLB[slot] = CodeTLBEntry()
        codeTLB[slot].tag = page
        codeTLB[slot].ops = ops
        codeTLB[slot].physicalPage = UInt64(truncatingIfNeeded: frame) << guestPageShift
        let decoded = ops.unsafelyUnwrapped
        let d = blockCounts.deltas(page: decoded) { UInt16(decoded[$0].kind.index) }
        codeTLB[slot].deltas = d
        lastCodeDeltas = d
        blockCounts.touch(d)
        return ops
    }

    /// Forgets decoded code (after the caller changed code behind the MMU's back).
    public func flushCodeTLB() {
        for i in 0 ..< Self.codeTLBSize * Self.codeTLBCount { codeTLBs[i] = CodeTLBEntry() }
    }

    /// Drops, in every translation context, the code-TLB entry in the slot `va`'s page maps
    /// to, whatever page it holds (tlbie on any CPU).
    public func flushCodeTLBSlot(of va: UInt64) {
        let slot = Int((va >> guestPageShift) & UInt64(Self.codeTLBSize - 1))
        for c in 0 ..< Self.codeTLBCount { codeTLBs[c * Self.codeTLBSize + slot] = CodeTLBEntry() }
    }
}
