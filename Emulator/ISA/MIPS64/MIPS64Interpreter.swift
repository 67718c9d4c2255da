// MIPS64Interpreter: the hot loop. A `switch` over pre-decoded ops with all state in locals and
// unsafe buffers. Control transfers are handled in the loop; every other instruction is in
// `exec`, which is inlined twice: in the loop and for delay slots of taken branches (executed
// before the jump, with BD semantics on exceptions). Memory goes through the soft TLB: one tag
// compare on the fast path, `SoftMMU.access` on a miss. Full system: an instruction
// that leaves the loop with an exception is not counted — it does not complete (nor does the
// branch whose delay slot it is); MIPS64SystemCPU counts the privileged ones it executes.
// Nothing is counted per instruction: the instruction count advances by pointer distance where a
// straight-line run ends, and the per-kind counts come from BlockCounts' entry/exit deltas.

struct MIPS64Context {
    let r: UnsafeMutablePointer<UInt64>
    let f: UnsafeMutablePointer<UInt64>
    let ctl: UnsafeMutablePointer<UInt64>
    let tlb: UnsafeMutablePointer<SoftTLBEntry>
    unowned(unsafe) let mmu: SoftMMU
    /// Timing model (MIPS64TimedMode only; nil otherwise and never touched).
    unowned(unsafe) let timing: MIPS64Timing?
}

enum MIPS64Interpreter<E: GuestByteOrder, M: MIPS64ExecMode> {
    typealias Op = MIPS64Op

    @inline(__always) static func sx32(_ v: UInt64) -> UInt64 { UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v))) }
    @inline(__always) static func sx32(_ v: UInt32) -> UInt64 { UInt64(bitPattern: Int64(Int32(bitPattern: v))) }
    @inline(__always) static func sx32(_ v: Int32) -> UInt64 { UInt64(bitPattern: Int64(v)) }
    @inline(__always) static func mask(_ bits: UInt64) -> UInt64 { bits >= 64 ? .max : (1 << bits) &- 1 }

    // MARK: memory

    /// Timing mode: charges a data access that hit the soft TLB (frame = physical page).
    @inline(__always)
    static func chargeData(_ c: MIPS64Context, _ frame: Int, _ va: UInt64, _ size: Int, _ kind: MemoryHierarchy.AccessKind) {
        let t = c.timing.unsafelyUnwrapped
        let pa = UInt64(truncatingIfNeeded: frame) &<< guestPageShift | (va & guestPageMask)
        let hit = kind == .read ? t.filter.read(pa, size: size) : t.filter.write(pa, size: size)
        let cyc = c.ctl + MIPS64Ctl.cycles
        cyc.pointee &+= _fastPath(hit) ? t.dataLatency : t.dataMiss(pa, size, kind, now: cyc.pointee)
    }

    /// Timing mode: charges an access that went through the soft-TLB slow path, at the place
    /// the slow path found.
    @inline(__always)
    static func chargeSlow(_ c: MIPS64Context, _ place: AccessPlace, _ size: Int, _ kind: MemoryHierarchy.AccessKind) {
        let cyc = c.ctl + MIPS64Ctl.cycles
        cyc.pointee &+= c.timing.unsafelyUnwrapped.slowAccess(place, size, kind, now: cyc.pointee)
    }

    /// The slow path of a load or store: the bytes to access (charged in timing mode), or nil
    /// with the fault in the ctl fault words (MIPS64CPU.fault). Takes only what it uses, so
    /// that a call site in the loop keeps no more values live than the soft-TLB compare does.
    @inline(never)
    static func slow(_ mmu: SoftMMU, _ ctl: UnsafeMutablePointer<UInt64>, _ timing: MIPS64Timing?, _ va: UInt64, _ size: Int,
                     _ access: MemoryAccess, _ kind: MemoryHierarchy.AccessKind) -> UnsafeMutableRawPointer? {
        switch mmu.accessInline(va, size: size, access: access, alignment: true) {
        case .ram(let p, let pa):
            if M.isTimed {
                let cyc = ctl + MIPS64Ctl.cycles
                cyc.pointee &+= timing.unsafelyUnwrapped.slowAccess(AccessPlace(physical: pa, device: false), size, kind, now: cyc.pointee)
            }
            return p
        case .device(let p, let pa):
            if M.isTimed {
                let cyc = ctl + MIPS64Ctl.cycles
                cyc.pointee &+= timing.unsafelyUnwrapped.slowAccess(AccessPlace(physical: pa, device: true), size, kind, now: cyc.pointee)
            }
            return p
        case .fault(let f):
            MIPS64Ctl.store(f, ctl)
            return nil
        }
    }

    @inline(__always)
    static func load(_ c: MIPS64Context, _ va: UInt64, _ size: Int, atomic: Bool = false) -> UnsafeRawPointer? {
        let e = c.tlb + SoftMMU.index(va)
        if _fastPath(e.pointee.readTag == va & (~guestPageMask | UInt64(size &- 1))) {
            if M.isTimed { chargeData(c, e.pointee.frame, va, size, atomic ? .atomic : .read) }
            return UnsafeRawPointer(bitPattern: e.pointee.addend &+ UInt(truncatingIfNeeded: va))
        }
        return UnsafeRawPointer(slow(c.mmu, c.ctl, M.isTimed ? c.timing : nil, va, size, .read, atomic ? .atomic : .read))
    }

    @inline(__always)
    static func store(_ c: MIPS64Context, _ va: UInt64, _ size: Int, _ body: (UnsafeMutableRawPointer) -> Void) -> MIPS64Exit {
        let e = c.tlb + SoftMMU.index(va)
        if _fastPath(e.pointee.writeTag == va & (~guestPageMask | UInt64(size &- 1))) {
            if M.isTimed { chargeData(c, e.pointee.frame, va, size, .write) }
            body(UnsafeMutableRawPointer(bitPattern: e.pointee.addend &+ UInt(truncatingIfNeeded: va)).unsafelyUnwrapped)
            return .none
        }
        guard let p = slow(c.mmu, c.ctl, M.isTimed ? c.timing : nil, va, size, .write, .write) else { return .memoryFault }
        body(p)
        if c.mmu.storeNeedsCompletion {
            c.mmu.completeStore()
            return .resync
        }
        return .none
    }

    // MARK: the loop

    static func run(_ cpu: MIPS64CPU, budget: UInt64) -> MIPS64Exit {
        let c = MIPS64Context(r: cpu.gpr, f: cpu.fpr, ctl: cpu.ctl, tlb: cpu.mmu.entries, mmu: cpu.mmu,
                              timing: M.isTimed ? cpu.timing : nil)
        let r = c.r
        unowned(unsafe) let bc = cpu.blockCounts
        // Instructions completed (current at block boundaries and exits; inside a straight-line
        // run the count before `op` is live(0), from `cbase`, which open() sets).
        var count = cpu.instructions
        // Timing mode: the budget is in cycles (ctl[cycles]), otherwise in instructions.
        let cyc = c.ctl + MIPS64Ctl.cycles
        let stop = (M.isTimed ? cyc.pointee : count) &+ budget
        var pc = cpu.pc

        func fetchFault(_ at: UInt64, epc: UInt64, bd: Bool, target: UInt64, count: UInt64) -> MIPS64Exit {
            cpu.exceptionPC = epc
            cpu.inDelaySlot = bd
            cpu.branchTarget = target
            cpu.pc = epc
            cpu.instructions = count
            return .memoryFault
        }

        if pc & 3 != 0 {
            MIPS64Ctl.store(address: pc, .misaligned, .execute, c.ctl)
            return fetchFault(pc, epc: pc, bd: false, target: 0, count: count)
        }
        guard var base = cpu.codePage(pc) else { return fetchFault(pc, epc: pc, bd: false, target: 0, count: count) }
        var d = cpu.lastCodeDeltas
        var pageVA = pc & ~guestPageMask
        var op = base + Int(truncatingIfNeeded: (pc & guestPageMask) >> 2)
        var cbase: UInt64 = 0
        var target: UInt64 = 0
        var exit = MIPS64Exit.none

        // Block counts (BlockCounts): +1 where a run starts, -1 after its last op; a run's ops are
        // counted when it ends, `n` ops from `op` on (0: `op` itself did not complete). Inside a
        // run the instruction count is (cbase + address of op) / stride: one add and a shift,
        // with nothing to update per instruction.
        let stride = UInt64(MemoryLayout<Op>.stride)
        @inline(__always) func live(_ k: UInt64) -> UInt64 {
            (cbase &+ UInt64(UInt(bitPattern: op))) / stride &+ k
        }
        @inline(__always) func open() {
            cbase = count &* stride &- UInt64(UInt(bitPattern: op))
            d[op - base] &+= 1
            if M.isSystem { bc.openDelta = d + (op - base); bc.openCount = count }
        }
        @inline(__always) func close(_ n: Int) {
            count = live(UInt64(n))
            d[op - base + n] &-= 1
        }
        // Full system: an instruction that raised an exception did not complete, but its kind is
        // counted (the class counts and the TLB-access statistics count attempts).
        @inline(__always) func attempted(_ x: Op) { cpu.kindTotals[x.kind.index] &+= 1 }
        open()

        // Timing mode: the ops of the instruction-cache line being executed are
        // [fetchStart, fetchEnd) (empty: the next instruction fetches its line); pagePA is the
        // physical page of `base`. A line still current from the last run is not fetched again.
        let costs = M.isTimed ? c.timing.unsafelyUnwrapped.costs : cpu.kindTotals
        let lineOpsT = M.isTimed ? c.timing.unsafelyUnwrapped.lineOps : 1
        let lineOps = lineOpsT < DecodedPageCache<MIPS64Op>.opsPerPage ? lineOpsT : DecodedPageCache<MIPS64Op>.opsPerPage
        var pagePA: UInt64 = M.isTimed ? cpu.lastCodePA : 0
        var fetchStart = base, fetchEnd = base
        @inline(__always) func fetchLine(_ at: UnsafeMutablePointer<Op>) {
            let first = (at - base) & ~(lineOps &- 1)
            fetchStart = base + first
            fetchEnd = fetchStart + lineOps
            let pa = pagePA | UInt64(truncatingIfNeeded: first &<< 2)
            if pa == cpu.fetchLinePA { return }
            cpu.fetchLinePA = pa
            let t = c.timing.unsafelyUnwrapped
            cyc.pointee &+= _fastPath(t.filter.fetch(pa, size: 4)) ? t.fetchLatency : t.fetchMiss(pa, now: cyc.pointee)
        }

        loop: while true {
            if M.isSystem, _slowPath((M.isTimed ? cyc.pointee : live(0)) >= stop) {
                // Full system: stop exactly between two instructions.
                pc = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2
                close(0)
                exit = .budget
                break loop
            }
            let o = op.pointee
            if M.isTimed {
                // Pointer comparisons as integers: the generic `>=` on pointers stayed a call here.
                let at = UInt(bitPattern: op)
                if _slowPath(at >= UInt(bitPattern: fetchEnd) || at < UInt(bitPattern: fetchStart)), o.kind != .pageEnd { fetchLine(op) }
                cyc.pointee &+= costs[o.kind.index]
            }
            switch o.kind {
            case .beq:
                guard r[Int(o.rs)] == r[Int(o.rt)] else { op += 1; continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .bne:
                guard r[Int(o.rs)] != r[Int(o.rt)] else { op += 1; continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .blez:
                guard Int64(bitPattern: r[Int(o.rs)]) <= 0 else { op += 1; continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .bgtz:
                guard Int64(bitPattern: r[Int(o.rs)]) > 0 else { op += 1; continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .bltz:
                guard Int64(bitPattern: r[Int(o.rs)]) < 0 else { op += 1; continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .bgez:
                guard Int64(bitPattern: r[Int(o.rs)]) >= 0 else { op += 1; continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .beql:
                guard r[Int(o.rs)] == r[Int(o.rt)] else { close(1); op += 2; open(); continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .bnel:
                guard r[Int(o.rs)] != r[Int(o.rt)] else { close(1); op += 2; open(); continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .blezl:
                guard Int64(bitPattern: r[Int(o.rs)]) <= 0 else { close(1); op += 2; open(); continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .bgtzl:
                guard Int64(bitPattern: r[Int(o.rs)]) > 0 else { close(1); op += 2; open(); continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .bltzl:
                guard Int64(bitPattern: r[Int(o.rs)]) < 0 else { close(1); op += 2; open(); continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .bgezl:
                guard Int64(bitPattern: r[Int(o.rs)]) >= 0 else { close(1); op += 2; open(); continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .bltzal, .bgezal:
                let v = Int64(bitPattern: r[Int(o.rs)])
                r[31] = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 8
                guard (o.kind == .bltzal) == (v < 0) else { op += 1; continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .bltzall, .bgezall:
                let v = Int64(bitPattern: r[Int(o.rs)])
                r[31] = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 8
                guard (o.kind == .bltzall) == (v < 0) else { close(1); op += 2; open(); continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .j:
                let here = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2
                target = ((here &+ 4) & ~0x0FFF_FFFF) | UInt64(UInt32(bitPattern: o.imm))
            case .jal:
                let here = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2
                r[31] = here &+ 8
                target = ((here &+ 4) & ~0x0FFF_FFFF) | UInt64(UInt32(bitPattern: o.imm))
            case .jr:
                target = r[Int(o.rs)]
            case .jalr:
                target = r[Int(o.rs)]
                r[Int(o.rd)] = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 8
            case .bc1f, .bc1t:
                if M.isSystem, _slowPath(c.ctl[MIPS64Ctl.fpuUnusable] != 0) {
                    // Status.CU1 = 0: Coprocessor Unusable (full-system mode only).
                    pc = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2
                    cpu.exceptionPC = pc; cpu.inDelaySlot = false; cpu.exceptionWord = o.word
                    close(0)                    // raises CpU: does not complete
                    attempted(o)
                    exit = .coprocessorUnusable
                    break loop
                }
                let set = c.ctl[MIPS64Ctl.fcsr] & MIPS64FPU.ccBit(o.aux) != 0
                guard set == (o.kind == .bc1t) else { op += 1; continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .bc1fl, .bc1tl:
                if M.isSystem, _slowPath(c.ctl[MIPS64Ctl.fpuUnusable] != 0) {
                    // Status.CU1 = 0: Coprocessor Unusable (full-system mode only).
                    pc = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2
                    cpu.exceptionPC = pc; cpu.inDelaySlot = false; cpu.exceptionWord = o.word
                    close(0)                    // raises CpU: does not complete
                    attempted(o)
                    exit = .coprocessorUnusable
                    break loop
                }
                let set = c.ctl[MIPS64Ctl.fcsr] & MIPS64FPU.ccBit(o.aux) != 0
                guard set == (o.kind == .bc1tl) else { close(1); op += 2; open(); continue loop }
                target = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2 &+ 4 &+ UInt64(bitPattern: Int64(o.imm))
            case .pageEnd:
                // A sentinel: not an instruction; the run is left open (BlockCounts).
                count = live(0)
                let npc = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2
                if (M.isTimed ? cyc.pointee : count) >= stop { pc = npc; exit = .budget; break loop }
                guard let nb = cpu.codePage(npc) else { return fetchFault(npc, epc: npc, bd: false, target: 0, count: count) }
                base = nb
                d = cpu.lastCodeDeltas
                pageVA = npc & ~guestPageMask
                op = base + Int(truncatingIfNeeded: (npc & guestPageMask) >> 2)
                open()
                if M.isTimed { pagePA = cpu.lastCodePA; fetchStart = base; fetchEnd = base }
                continue loop
            default:
                let here = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2
                let st = exec(c, o, count: live(1))
                if _fastPath(st == .none) { op += 1; continue loop }
                if st == .resync { close(1); pc = here &+ 4; exit = st; break loop }
                cpu.exceptionPC = here
                cpu.inDelaySlot = false
                cpu.exceptionWord = o.word
                // Full system: an exception, so the instruction did not complete (a privileged
                // one the CPU executes is counted there). SE mode: syscalls complete.
                if M.isSystem { close(0); attempted(o) } else { close(1) }
                pc = here
                exit = st
                break loop
            }
            // A taken branch or jump: run the delay slot, then continue at `target`.
            let branchPC = pageVA &+ UInt64(truncatingIfNeeded: op - base) &<< 2
            if M.isTimed { cyc.pointee &+= c.timing.unsafelyUnwrapped.takenExtra }
            var ds = op[1]
            let dsHere = ds.kind != .pageEnd
            if !dsHere {
                guard let nb = cpu.codePage(branchPC &+ 4) else {
                    // Full system: the branch is re-executed after the handler.
                    if M.isSystem { close(0); attempted(o) } else { close(1) }
                    return fetchFault(branchPC &+ 4, epc: branchPC, bd: true, target: target, count: count)
                }
                ds = nb.pointee
                if M.isTimed {
                    // The delay slot starts the next page: fetch its first line.
                    let pa = cpu.lastCodePA, t = c.timing.unsafelyUnwrapped
                    cpu.fetchLinePA = pa
                    fetchStart = base; fetchEnd = base
                    cyc.pointee &+= t.filter.fetch(pa, size: 4) ? t.fetchLatency : t.fetchMiss(pa, now: cyc.pointee)
                }
            } else if M.isTimed, _slowPath(UInt(bitPattern: op + 1) >= UInt(bitPattern: fetchEnd)) {
                fetchLine(op + 1)
            }
            // Ends the run with the branch and its delay slot (one on the next page is counted here).
            @inline(__always) func closeBranch() {
                if _fastPath(dsHere) { close(2) } else {
                    close(1)
                    count &+= 1
                    cpu.kindTotals[ds.kind.index] &+= 1
                }
            }
            if ds.kind.tag <= MIPS64Kind.lastControl.tag {
                // A branch in a delay slot is UNPREDICTABLE; treat it as reserved.
                cpu.exceptionPC = branchPC; cpu.inDelaySlot = true; cpu.branchTarget = target
                cpu.exceptionWord = ds.word
                // Full system: the branch does not complete either.
                if M.isSystem { close(0); attempted(o) } else { close(1) }
                pc = branchPC; exit = .reservedInstruction; break loop
            }
            if M.isTimed { cyc.pointee &+= costs[ds.kind.index] }
            let st = exec(c, ds, count: live(2))
            if _slowPath(st != .none) {
                if st == .resync { closeBranch(); pc = target; exit = st; break loop }
                cpu.exceptionPC = branchPC; cpu.inDelaySlot = true; cpu.branchTarget = target
                cpu.exceptionWord = ds.word
                // Full system: neither the branch nor its delay slot completes.
                if M.isSystem { close(0); attempted(o); attempted(ds) } else { closeBranch() }
                pc = branchPC; exit = st; break loop
            }
            closeBranch()
            if _fastPath(target & ~guestPageMask == pageVA && target & 3 == 0) {
                op = base + Int(truncatingIfNeeded: (target & guestPageMask) >> 2)
                if _slowPath((M.isTimed ? cyc.pointee : count) >= stop) { pc = target; exit = .budget; break loop }
                open()
                continue loop
            }
            if (M.isTimed ? cyc.pointee : count) >= stop { pc = target; exit = .budget; break loop }
            if target & 3 != 0 {
                MIPS64Ctl.store(address: target, .misaligned, .execute, c.ctl)
                return fetchFault(target, epc: target, bd: false, target: 0, count: count)
            }
            guard let nb = cpu.codePage(target) else { return fetchFault(target, epc: target, bd: false, target: 0, count: count) }
            base = nb
            d = cpu.lastCodeDeltas
            pageVA = target & ~guestPageMask
            op = base + Int(truncatingIfNeeded: (target & guestPageMask) >> 2)
            open()
            if M.isTimed { pagePA = cpu.lastCodePA; fetchStart = base; fetchEnd = base }
        }
        cpu.pc = pc
        cpu.instructions = count
        return exit
    }
}
