// PPC64Interpreter: the hot loop. A `switch` over pre-decoded ops with registers in an unsafe
// buffer and pc as a pointer into the decoded page; fixed-point, branch, CR/SPR and integer/FP
// load-store ops run inline, FP arithmetic, vector and string ops in cold helpers. Instructions
// are counted by pointer distance at control transfers, kinds by BlockCounts' entry/exit deltas
// there (nothing per instruction); the budget is checked at taken branches
// and page ends. PPC64TimedMode (full system with the timing model, PPC64Timing.swift) adds base
// costs, per-line instruction fetch and memory latencies to slots[PPC64Reg.cycles] and stops on
// cycles instead of instructions; the other specialisations do not contain that code.

/// How the inner loop left a page: a far branch, an exit at `op` (the instruction there ran or
/// raised an exception: its kind is counted even if it did not complete), or a stop before `op`.
enum PPC64ExitKind { case none, far, exit, stop }

extension PPC64CPU {
    @inline(__always) static func rotl64(_ x: UInt64, _ n: UInt64) -> UInt64 { (x &<< n) | (x &>> (64 &- n)) }

    @inline(__always) static func setCR0(_ r: UnsafeMutablePointer<UInt64>, _ v: UInt64) {
        let s = Int64(bitPattern: v)
        let bits: UInt64 = s < 0 ? 8 : (s > 0 ? 4 : 2)
        r[PPC64Reg.cr] = (r[PPC64Reg.cr] & 0x0FFF_FFFF) | ((bits | r[PPC64Reg.so]) << 28)
    }

    @inline(__always) static func setCRField(_ r: UnsafeMutablePointer<UInt64>, _ shift: UInt8, _ bits: UInt64) {
        let sh = UInt64(shift)
        r[PPC64Reg.cr] = (r[PPC64Reg.cr] & ~(0xF &<< sh)) | ((bits | r[PPC64Reg.so]) &<< sh)
    }

    @inline(__always) static func cmpBits<T: Comparable>(_ x: T, _ y: T) -> UInt64 { x < y ? 8 : (x > y ? 4 : 2) }

    /// x + y + c with carry out and signed overflow.
    @inline(__always) static func add3(_ x: UInt64, _ y: UInt64, _ c: UInt64) -> (UInt64, UInt64, UInt64) {
        let (s1, o1) = x.addingReportingOverflow(y)
        let (s2, o2) = s1.addingReportingOverflow(c)
        return (s2, (o1 || o2) ? 1 : 0, ((x ^ s2) & (y ^ s2)) >> 63)
    }

    @inline(__always) static func finishXO(_ r: UnsafeMutablePointer<UInt64>, _ o: PPC64Op, _ v: UInt64, _ ov: UInt64) {
        if o.x & 2 != 0 { r[PPC64Reg.ov] = ov; r[PPC64Reg.so] |= ov }
        if o.x & 1 != 0 { setCR0(r, v) }
    }

    @inline(__always) static func trapCond(_ to: UInt8, _ a: Int64, _ b: Int64) -> Bool {
        (to & 0x10 != 0 && a < b) || (to & 0x08 != 0 && a > b) || (to & 0x04 != 0 && a == b)
            || (to & 0x02 != 0 && UInt64(bitPattern: a) < UInt64(bitPattern: b))
            || (to & 0x01 != 0 && UInt64(bitPattern: a) > UInt64(bitPattern: b))
    }

    /// Whether a generic bc/bclr/bcctr condition holds (decrementing CTR when BO says so).
    @inline(__always) static func branchCondition(_ r: UnsafeMutablePointer<UInt64>, _ bo: UInt8, _ biShift: UInt8, decrement: Bool) -> Bool {
        var ctrOK = true
        if bo & 0x04 == 0 && decrement {
            r[PPC64Reg.ctr] &-= 1
            ctrOK = (r[PPC64Reg.ctr] != 0) != (bo & 0x02 != 0)
        }
        let condOK = bo & 0x10 != 0 || ((r[PPC64Reg.cr] >> UInt64(biShift)) & 1) == UInt64((bo >> 3) & 1)
        return ctrOK && condOK
    }

    func interpret<E: PPC64ByteOrder, M: PPC64ExecMode>(_ order: E.Type, _ mode: M.Type, budget: UInt64) -> PPC64Exit {
        let r = registers.slots
        let tlb = mmu.entries
        let mmu = self.mmu
        let fault = faultSlot
        let fac: UnsafeMutablePointer<UInt8>? = M.isSystem ? PPC64Facility.table : nil
        unowned(unsafe) let bc = blockCounts
        var executed: UInt64 = 0
        var pc = self.pc
        // Timing mode: the budget is in cycles (slots[cycles]); full system stops at the first
        // instruction boundary at or after stopCycle, a timed SE run at the first taken branch
        // or page end at or after it (`seCycles`); the instruction budget checks never fire.
        unowned(unsafe) let tm: PPC64Timing? = M.isTimed ? timing : nil
        let cyc = r + PPC64Reg.cycles
        let stopCycle = M.isTimed ? cyc.pointee &+ budget : 0
        let budget = M.isTimed ? UInt64.max : budget
        let costs = M.isTimed ? tm.unsafelyUnwrapped.costs : kindTotals
        let lineOps = M.isTimed ? tm.unsafelyUnwrapped.lineOps : 1
        let takenExtra = M.isTimed ? tm.unsafelyUnwrapped.takenExtra : 0
        var exit = PPC64Exit.budgetExhausted
        defer { instructionCount &+= executed }
        let seCycles = M.isTimed && !M.isSystem

        outer: while true {
            guard let page = codePage(pc) else {
                exit = .memoryFault(fault.pointee)
                break outer
            }
            let pageVA = pc & ~guestPageMask
            var op = page + Int((pc & guestPageMask) >> 2)
            var blockStart = op
            // Block counts (BlockCounts): +1 where a run starts, -1 after its last op.
            let d = lastCodeDeltas
            @inline(__always) func open() {
                blockStart = op
                d[op - page] &+= 1
                if M.isSystem { bc.openDelta = d + (op - page); bc.openCount = executed }
            }
            open()
            // Timing mode: the ops of the instruction-cache line being executed are
            // [fetchStart, fetchEnd) (empty: the next instruction fetches its line); pagePA is the
            // physical page of `page`. The line fetched last is not fetched again on re-entry.
            var fetchStart = page, fetchEnd = page
            let pagePA = M.isTimed ? codeTLB[Int((pc >> guestPageShift) & UInt64(Self.codeTLBSize - 1))].physicalPage : 0
            var kind = PPC64ExitKind.none
            var completed = false
            var far: UInt64 = 0

            inner: while true {
                let o = op.pointee
                if M.isSystem {
                    // Full system: exact stop before the instruction, live count for devices,
                    // facility availability (MSR[FP], MSR[VEC], MSR[VSX]).
                    let n = executed &+ UInt64(op - blockStart)
                    r[PPC64Reg.liveCount] = n
                    if _slowPath(M.isTimed ? cyc.pointee >= stopCycle : n >= budget) { kind = .stop; exit = .budgetExhausted; break inner }
                    let off = fac.unsafelyUnwrapped[o.kind.index] & UInt8(truncatingIfNeeded: r[PPC64Reg.facilityOff])
                    if _slowPath(off != 0) { kind = .stop; exit = .facilityUnavailable(off); break inner }
                }
                if M.isTimed {
                    // Pointer bounds compared as integers (a generic pointer `>=` can stay a call).
                    let at = UInt(bitPattern: op)
                    if _slowPath(at >= UInt(bitPattern: fetchEnd) || at < UInt(bitPattern: fetchStart)), o.kind != .pageEnd {
                        let first = (op - page) & ~(lineOps &- 1)
                        fetchStart = page + first
                        fetchEnd = fetchStart + lineOps
                        let pa = pagePA | UInt64(truncatingIfNeeded: first &<< 2)
                        if pa != r[PPC64Reg.fetchLine] {
                            r[PPC64Reg.fetchLine] = pa
                            cyc.pointee &+= tm.unsafelyUnwrapped.fetch(pa, now: cyc.pointee)
                        }
                    }
                    cyc.pointee &+= costs[o.kind.index]
                }
                switch o.kind {
                // MARK: control flow
                case .pageEnd:
                    executed &+= UInt64(op - blockStart)
                    pc = pageVA &+ guestPageSize
                    if seCycles ? cyc.pointee >= stopCycle : executed >= budget { self.pc = pc; return .budgetExhausted }
                    continue outer
                case .b, .bcAlways:
                    if M.isSystem && o.imm == 0 && o.x & 1 == 0 {
                        // Branch to self: the CPU idles until an interrupt (PPC64SystemCPU).
                        kind = .exit; exit = .idle; break inner
                    }
                    if o.x & 1 != 0 { r[PPC64Reg.lr] = pageVA &+ UInt64(op - page + 1) << 2 }
                    if o.x & 2 != 0 {
                        if M.isTimed { cyc.pointee &+= takenExtra }
                        executed &+= UInt64(op - blockStart) &+ 1
                        d[op - page + 1] &-= 1
                        op += Int(Int64(bitPattern: o.imm) >> 2)
                        open()
                        if seCycles ? cyc.pointee >= stopCycle : executed >= budget { kind = .stop; exit = .budgetExhausted; break inner }
                        continue inner
                    }
                    far = pageVA &+ UInt64(op - page) << 2 &+ o.imm
                    kind = .far; break inner
                case .bAbs:
                    if o.x & 1 != 0 { r[PPC64Reg.lr] = pageVA &+ UInt64(op - page + 1) << 2 }
                    far = o.imm; kind = .far; break inner
                case .bcCR:
                    if o.x & 1 != 0 { r[PPC64Reg.lr] = pageVA &+ UInt64(op - page + 1) << 2 }
                    if (r[PPC64Reg.cr] >> UInt64(o.c)) & 1 == UInt64(o.y) {
                        if o.x & 2 != 0 {
                            if M.isTimed { cyc.pointee &+= takenExtra }
                            executed &+= UInt64(op - blockStart) &+ 1
                            d[op - page + 1] &-= 1
                            op += Int(Int64(bitPattern: o.imm) >> 2)
                            open()
                            if seCycles ? cyc.pointee >= stopCycle : executed >= budget { kind = .stop; exit = .budgetExhausted; break inner }
                            continue inner
                        }
                        far = pageVA &+ UInt64(op - page) << 2 &+ o.imm
                        kind = .far; break inner
                    }
                    op += 1
                case .bdnz:
                    if o.x & 1 != 0 { r[PPC64Reg.lr] = pageVA &+ UInt64(op - page + 1) << 2 }
                    r[PPC64Reg.ctr] &-= 1
                    if (r[PPC64Reg.ctr] == 0) == (o.y != 0) {
                        if o.x & 2 != 0 {
                            if M.isTimed { cyc.pointee &+= takenExtra }
                            executed &+= UInt64(op - blockStart) &+ 1
                            d[op - page + 1] &-= 1
                            op += Int(Int64(bitPattern: o.imm) >> 2)
                            open()
                            if seCycles ? cyc.pointee >= stopCycle : executed >= budget { kind = .stop; exit = .budgetExhausted; break inner }
                            continue inner
                        }
                        far = pageVA &+ UInt64(op - page) << 2 &+ o.imm
                        kind = .far; break inner
                    }
                    op += 1
                case .bc:
                    let here = pageVA &+ UInt64(op - page) << 2
                    if o.x & 1 != 0 { r[PPC64Reg.lr] = here &+ 4 }
                    if Self.branchCondition(r, o.y, o.c, decrement: true) {
                        far = o.x & 4 != 0 ? o.imm : here &+ o.imm
                        kind = .far; break inner
                    }
                    op += 1
                case .blr:
                    far = r[PPC64Reg.lr] & ~3
                    if o.x & 1 != 0 { r[PPC64Reg.lr] = pageVA &+ UInt64(op - page + 1) << 2 }
                    kind = .far; break inner
                case .bclr:
                    let target = r[PPC64Reg.lr] & ~3
                    if o.x & 1 != 0 { r[PPC64Reg.lr] = pageVA &+ UInt64(op - page + 1) << 2 }
                    if Self.branchCondition(r, o.y, o.c, decrement: true) { far = target; kind = .far; break inner }
                    op += 1
                case .bcctr:
                    let target = r[PPC64Reg.ctr] & ~3
                    if o.x & 1 != 0 { r[PPC64Reg.lr] = pageVA &+ UInt64(op - page + 1) << 2 }
                    if Self.branchCondition(r, o.y | 4, o.c, decrement: false) { far = target; kind = .far; break inner }
                    op += 1
                case .bctar:
                    let target = r[PPC64Reg.tar] & ~3
                    if o.x & 1 != 0 { r[PPC64Reg.lr] = pageVA &+ UInt64(op - page + 1) << 2 }
                    if Self.branchCondition(r, o.y, o.c, decrement: true) { far = target; kind = .far; break inner }
                    op += 1
                case .sc:
                    if !M.isSystem { r[PPC64Reg.resValid] = 0 }
                    exit = .systemCall; completed = true; kind = .exit; break inner
                case .tw, .twi:
                    let bv = o.kind == .tw ? r[Int(o.b)] : o.imm
                    if Self.trapCond(o.d, Int64(Int32(truncatingIfNeeded: r[Int(o.a)])), Int64(Int32(truncatingIfNeeded: bv))) {
                        exit = .trap; kind = .exit; break inner
                    }
                    op += 1
                case .td, .tdi:
                    let bv = o.kind == .td ? r[Int(o.b)] : o.imm
                    if Self.trapCond(o.d, Int64(bitPattern: r[Int(o.a)]), Int64(bitPattern: bv)) {
                        exit = .trap; kind = .exit; break inner
                    }
                    op += 1
                case .illegal:
                    exit = .illegalInstruction(UInt32(truncatingIfNeeded: o.imm)); kind = .exit; break inner
                case .privileged:
                    exit = .privilegedInstruction(UInt32(truncatingIfNeeded: o.imm)); kind = .exit; break inner
                case .nop, .sync, .dcbst, .dcbf, .icbi:
                    // dcbst/dcbf/icbi are no-ops except in the timing model (SE: the same case as before).
                    if M.isTimed, o.kind != .nop, o.kind != .sync {
                        PPC64TimedMem.cacheBlock(o.kind, tlb, mmu, r[Int(o.a)] &+ r[Int(o.b)], tm.unsafelyUnwrapped, cyc)
                    }
                    op += 1

                // MARK: fixed-point arithmetic
                case .addi, .addis:
                    r[Int(o.d)] = r[Int(o.a)] &+ o.imm; op += 1
                case .addic, .addicRc:
                    let (v, ca, _) = Self.add3(r[Int(o.a)], o.imm, 0)
                    r[Int(o.d)] = v; r[PPC64Reg.ca] = ca
                    if o.kind == .addicRc { Self.setCR0(r, v) }
                    op += 1
                case .subfic:
                    let (v, ca, _) = Self.add3(~r[Int(o.a)], o.imm, 1)
                    r[Int(o.d)] = v; r[PPC64Reg.ca] = ca; op += 1
                case .mulli:
                    r[Int(o.d)] = r[Int(o.a)] &* o.imm; op += 1
                case .add:
                    let x = r[Int(o.a)], y = r[Int(o.b)]
                    let v = x &+ y
                    r[Int(o.d)] = v
                    if o.x != 0 { Self.finishXO(r, o, v, ((x ^ v) & (y ^ v)) >> 63) }
                    op += 1
                case .subf:
                    let x = ~r[Int(o.a)], y = r[Int(o.b)]
                    let v = x &+ y &+ 1
                    r[Int(o.d)] = v
                    if o.x != 0 { Self.finishXO(r, o, v, ((x ^ v) & (y ^ v)) >> 63) }
                    op += 1
                case .addc, .adde, .subfc, .subfe, .addme, .subfme, .addze, .subfze, .neg:
                    let a = r[Int(o.a)], b = r[Int(o.b)], ca = r[PPC64Reg.ca]
                    let res: (UInt64, UInt64, UInt64)
                    switch o.kind {
                    case .addc: res = Self.add3(a, b, 0)
                    case .adde: res = Self.add3(a, b, ca)
                    case .subfc: res = Self.add3(~a, b, 1)
                    case .subfe: res = Self.add3(~a, b, ca)
                    case .addme: res = Self.add3(a, .max, ca)
                    case .subfme: res = Self.add3(~a, .max, ca)
                    case .addze: res = Self.add3(a, 0, ca)
                    case .subfze: res = Self.add3(~a, 0, ca)
                    default: res = Self.add3(~a, 0, 1)
                    }
                    r[Int(o.d)] = res.0
                    if o.kind != .neg { r[PPC64Reg.ca] = res.1 }
                    if o.x != 0 { Self.finishXO(r, o, res.0, res.2) }
                    op += 1
                case .mullw:
                    let p = Int64(Int32(truncatingIfNeeded: r[Int(o.a)])) &* Int64(Int32(truncatingIfNeeded: r[Int(o.b)]))
                    let v = UInt64(bitPattern: p)
                    r[Int(o.d)] = v
                    if o.x != 0 { Self.finishXO(r, o, v, p != Int64(Int32(truncatingIfNeeded: p)) ? 1 : 0) }
                    op += 1
                case .mulld:
                    let (p, ovf) = Int64(bitPattern: r[Int(o.a)]).multipliedReportingOverflow(by: Int64(bitPattern: r[Int(o.b)]))
                    let v = UInt64(bitPattern: p)
                    r[Int(o.d)] = v
                    if o.x != 0 { Self.finishXO(r, o, v, ovf ? 1 : 0) }
                    op += 1
                case .mulhw, .mulhwu, .mulhd, .mulhdu, .divw, .divwu, .divd, .divdu, .divwe, .divweu, .divde, .divdeu:
                    PPC64FixedPoint.multiplyDivide(r, o); op += 1

                // MARK: compare
                case .cmpwi:
                    Self.setCRField(r, o.c, Self.cmpBits(Int32(truncatingIfNeeded: r[Int(o.a)]), Int32(truncatingIfNeeded: o.imm))); op += 1
                case .cmpdi:
                    Self.setCRField(r, o.c, Self.cmpBits(Int64(bitPattern: r[Int(o.a)]), Int64(bitPattern: o.imm))); op += 1
                case .cmplwi:
                    Self.setCRField(r, o.c, Self.cmpBits(UInt32(truncatingIfNeeded: r[Int(o.a)]), UInt32(truncatingIfNeeded: o.imm))); op += 1
                case .cmpldi:
                    Self.setCRField(r, o.c, Self.cmpBits(r[Int(o.a)], o.imm)); op += 1
                case .cmpw:
                    Self.setCRField(r, o.c, Self.cmpBits(Int32(truncatingIfNeeded: r[Int(o.a)]), Int32(truncatingIfNeeded: r[Int(o.b)]))); op += 1
                case .cmpd:
                    Self.setCRField(r, o.c, Self.cmpBits(Int64(bitPattern: r[Int(o.a)]), Int64(bitPattern: r[Int(o.b)]))); op += 1
                case .cmplw:
                    Self.setCRField(r, o.c, Self.cmpBits(UInt32(truncatingIfNeeded: r[Int(o.a)]), UInt32(truncatingIfNeeded: r[Int(o.b)]))); op += 1
                case .cmpld:
                    Self.setCRField(r, o.c, Self.cmpBits(r[Int(o.a)], r[Int(o.b)])); op += 1

                // MARK: logical
                case .ori, .oris: r[Int(o.d)] = r[Int(o.a)] | o.imm; op += 1
                case .xori, .xoris: r[Int(o.d)] = r[Int(o.a)] ^ o.imm; op += 1
                case .andiRc, .andisRc:
                    let v = r[Int(o.a)] & o.imm
                    r[Int(o.d)] = v; Self.setCR0(r, v); op += 1
                case .or:
                    let v = r[Int(o.a)] | r[Int(o.b)]
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .and:
                    let v = r[Int(o.a)] & r[Int(o.b)]
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .xor:
                    let v = r[Int(o.a)] ^ r[Int(o.b)]
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .andc, .nor, .eqv, .orc, .nand:
                    let x = r[Int(o.a)], y = r[Int(o.b)]
                    let v: UInt64
                    switch o.kind {
                    case .andc: v = x & ~y
                    case .nor: v = ~(x | y)
                    case .eqv: v = ~(x ^ y)
                    case .orc: v = x | ~y
                    default: v = ~(x & y)
                    }
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .extsb:
                    let v = UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: r[Int(o.a)])))
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .extsh:
                    let v = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: r[Int(o.a)])))
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .extsw:
                    let v = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: r[Int(o.a)])))
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .cntlzw, .cntlzd, .cnttzw, .cnttzd, .popcntb, .popcntw, .popcntd, .prtyw, .prtyd, .cmpb, .bpermd:
                    PPC64FixedPoint.bitOp(r, o); op += 1
                case .isel:
                    r[Int(o.d)] = (r[PPC64Reg.cr] >> UInt64(o.c)) & 1 != 0 ? r[Int(o.a)] : r[Int(o.b)]; op += 1

                // MARK: rotate and shift
                case .rlwinm:
                    let x = r[Int(o.a)] & 0xFFFF_FFFF
                    let v = Self.rotl64(x | x << 32, UInt64(o.b)) & o.imm
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .rlwnm:
                    let x = r[Int(o.a)] & 0xFFFF_FFFF
                    let v = Self.rotl64(x | x << 32, r[Int(o.b)] & 31) & o.imm
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .rlwimi:
                    let x = r[Int(o.a)] & 0xFFFF_FFFF
                    let v = (Self.rotl64(x | x << 32, UInt64(o.b)) & o.imm) | (r[Int(o.d)] & ~o.imm)
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .rldicl, .rldicr, .rldic:
                    let v = Self.rotl64(r[Int(o.a)], UInt64(o.b)) & o.imm
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .rldimi:
                    let v = (Self.rotl64(r[Int(o.a)], UInt64(o.b)) & o.imm) | (r[Int(o.d)] & ~o.imm)
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .rldcl, .rldcr:
                    let v = Self.rotl64(r[Int(o.a)], r[Int(o.b)] & 63) & o.imm
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .slw:
                    let n = r[Int(o.b)] & 63
                    let v = n >= 32 ? 0 : (r[Int(o.a)] &<< n) & 0xFFFF_FFFF
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .srw:
                    let n = r[Int(o.b)] & 63
                    let v = n >= 32 ? 0 : (r[Int(o.a)] & 0xFFFF_FFFF) &>> n
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .sld:
                    let n = r[Int(o.b)] & 127
                    let v = n >= 64 ? 0 : r[Int(o.a)] &<< n
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .srd:
                    let n = r[Int(o.b)] & 127
                    let v = n >= 64 ? 0 : r[Int(o.a)] &>> n
                    r[Int(o.d)] = v; if o.x != 0 { Self.setCR0(r, v) }; op += 1
                case .sraw, .srawi:
                    let n = o.kind == .srawi ? UInt64(o.b) : r[Int(o.b)] & 63
                    let s = Int64(Int32(truncatingIfNeeded: r[Int(o.a)]))
                    let v = n >= 32 ? (s >> 63) : (s >> Int64(n))
                    let lost = n >= 32 ? s != 0 : (s & ((1 << Int64(n)) - 1)) != 0
                    r[PPC64Reg.ca] = s < 0 && lost ? 1 : 0
                    r[Int(o.d)] = UInt64(bitPattern: v); if o.x != 0 { Self.setCR0(r, UInt64(bitPattern: v)) }; op += 1
                case .srad, .sradi:
                    let n = o.kind == .sradi ? UInt64(o.b) : r[Int(o.b)] & 127
                    let s = Int64(bitPattern: r[Int(o.a)])
                    let v = n >= 64 ? (s >> 63) : (s >> Int64(n))
                    let lost = n >= 64 ? s != 0 : n != 0 && (UInt64(bitPattern: s) &<< (64 &- n)) != 0
                    r[PPC64Reg.ca] = s < 0 && lost ? 1 : 0
                    r[Int(o.d)] = UInt64(bitPattern: v); if o.x != 0 { Self.setCR0(r, UInt64(bitPattern: v)) }; op += 1

                // MARK: CR and SPR moves
                case .crand, .crandc, .creqv, .crnand, .crnor, .cror, .crorc, .crxor:
                    let cr = r[PPC64Reg.cr]
                    let x = (cr >> UInt64(o.a)) & 1, y = (cr >> UInt64(o.b)) & 1
                    let v: UInt64
                    switch o.kind {
                    case .crand: v = x & y
                    case .crandc: v = x & ~y & 1
                    case .creqv: v = ~(x ^ y) & 1
                    case .crnand: v = ~(x & y) & 1
                    case .crnor: v = ~(x | y) & 1
                    case .cror: v = x | y
                    case .crorc: v = (x | ~y) & 1
                    default: v = x ^ y
                    }
                    r[PPC64Reg.cr] = (cr & ~(1 << UInt64(o.d))) | (v << UInt64(o.d)); op += 1
                case .mcrf:
                    let f = (r[PPC64Reg.cr] >> UInt64(o.a)) & 0xF
                    r[PPC64Reg.cr] = (r[PPC64Reg.cr] & ~(0xF << UInt64(o.d))) | (f << UInt64(o.d)); op += 1
                case .mfcr: r[Int(o.d)] = r[PPC64Reg.cr] & 0xFFFF_FFFF; op += 1
                case .mfocrf: r[Int(o.d)] = r[PPC64Reg.cr] & o.imm; op += 1
                case .mtcrf, .mtocrf:
                    r[PPC64Reg.cr] = (r[Int(o.d)] & o.imm) | (r[PPC64Reg.cr] & ~o.imm & 0xFFFF_FFFF); op += 1
                case .mfspr: r[Int(o.d)] = r[Int(o.a)]; op += 1
                case .mtspr: r[Int(o.d)] = r[Int(o.a)]; op += 1
                case .mfxer: r[Int(o.d)] = PPC64Registers.composeXER(r); op += 1
                case .mtxer: PPC64Registers.setXER(r, r[Int(o.a)]); op += 1
                case .mftb:
                    // Full system: the time base counts this instruction, as CYCLES and MIPS64 Count do
                    // (timing mode charged its cost already).
                    let tb = (M.isTimed ? cyc.pointee : instructionCount &+ executed &+ UInt64(op - blockStart) &+ (M.isSystem ? 1 : 0))
                        &+ r[PPC64Reg.tbOffset]
                    r[Int(o.d)] = o.y != 0 ? tb >> 32 : tb; op += 1

                // MARK: integer loads
                case .lbz, .lbzx, .lhz, .lhzx, .lwz, .lwzx, .ld, .ldx, .lha, .lhax, .lwa, .lwax:
                    let ea = r[Int(o.a)] &+ (Self.isIndexed(o.kind) ? r[Int(o.b)] : o.imm)
                    let size = Self.loadSize(o.kind)
                    guard let raw = M.isTimed ? PPC64TimedMem.load(E.self, tlb, mmu, ea, size, tm.unsafelyUnwrapped, cyc, fault) : PPC64Mem.load(E.self, tlb, mmu, ea, size, fault) else {
                        exit = .memoryFault(fault.pointee); kind = .exit; break inner
                    }
                    var v = raw
                    if o.kind == .lha || o.kind == .lhax { v = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: raw))) }
                    else if o.kind == .lwa || o.kind == .lwax { v = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: raw))) }
                    r[Int(o.d)] = v; op += 1
                case .lbzu, .lbzux, .lhzu, .lhzux, .lwzu, .lwzux, .ldu, .ldux, .lhau, .lhaux, .lwaux:
                    let ea = r[Int(o.a)] &+ (Self.isIndexed(o.kind) ? r[Int(o.b)] : o.imm)
                    let size = Self.loadSize(o.kind)
                    guard let raw = M.isTimed ? PPC64TimedMem.load(E.self, tlb, mmu, ea, size, tm.unsafelyUnwrapped, cyc, fault) : PPC64Mem.load(E.self, tlb, mmu, ea, size, fault) else {
                        exit = .memoryFault(fault.pointee); kind = .exit; break inner
                    }
                    var v = raw
                    if o.kind == .lhau || o.kind == .lhaux { v = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: raw))) }
                    else if o.kind == .lwaux { v = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: raw))) }
                    r[Int(o.d)] = v; r[Int(o.a)] = ea; op += 1
                case .lhbrx, .lwbrx, .ldbrx:
                    let ea = r[Int(o.a)] &+ r[Int(o.b)]
                    let size: UInt64 = o.kind == .lhbrx ? 2 : (o.kind == .lwbrx ? 4 : 8)
                    guard let raw = M.isTimed ? PPC64TimedMem.load(E.self, tlb, mmu, ea, size, tm.unsafelyUnwrapped, cyc, fault) : PPC64Mem.load(E.self, tlb, mmu, ea, size, fault) else {
                        exit = .memoryFault(fault.pointee); kind = .exit; break inner
                    }
                    r[Int(o.d)] = raw.byteSwapped >> (64 - 8 * size); op += 1
                case .lfd, .lfdx, .lfdu, .lfdux, .lfs, .lfsx, .lfsu, .lfsux, .lfiwax, .lfiwzx:
                    let indexed = o.kind == .lfdx || o.kind == .lfdux || o.kind == .lfsx || o.kind == .lfsux || o.kind == .lfiwax || o.kind == .lfiwzx
                    let ea = r[Int(o.a)] &+ (indexed ? r[Int(o.b)] : o.imm)
                    let dbl = o.kind == .lfd || o.kind == .lfdx || o.kind == .lfdu || o.kind == .lfdux
                    guard let raw = M.isTimed ? PPC64TimedMem.load(E.self, tlb, mmu, ea, dbl ? 8 : 4, tm.unsafelyUnwrapped, cyc, fault) : PPC64Mem.load(E.self, tlb, mmu, ea, dbl ? 8 : 4, fault) else {
                        exit = .memoryFault(fault.pointee); kind = .exit; break inner
                    }
                    switch o.kind {
                    case .lfiwax: r[Int(o.d)] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: raw)))
                    case .lfiwzx: r[Int(o.d)] = raw
                    default: r[Int(o.d)] = dbl ? raw : PPC64Float.singleToDoubleBits(UInt32(truncatingIfNeeded: raw))
                    }
                    if o.kind == .lfdu || o.kind == .lfdux || o.kind == .lfsu || o.kind == .lfsux { r[Int(o.a)] = ea }
                    op += 1

                // MARK: integer and FP stores
                case .stb, .stbx, .sth, .sthx, .stw, .stwx, .std, .stdx, .stbu, .stbux, .sthu, .sthux, .stwu, .stwux,
                     .stdu, .stdux, .sthbrx, .stwbrx, .stdbrx, .stfd, .stfdx, .stfdu, .stfdux, .stfs, .stfsx, .stfsu,
                     .stfsux, .stfiwx:
                    let ea = r[Int(o.a)] &+ (Self.isIndexed(o.kind) ? r[Int(o.b)] : o.imm)
                    let size = Self.storeSize(o.kind)
                    var v = r[Int(o.d)]
                    switch o.kind {
                    case .sthbrx, .stwbrx, .stdbrx: v = v.byteSwapped >> (64 - 8 * size)
                    case .stfs, .stfsx, .stfsu, .stfsux: v = UInt64(PPC64Float.doubleToSingleBits(v))
                    default: break
                    }
                    let res = M.isTimed ? PPC64TimedMem.store(E.self, tlb, mmu, ea, size, v, tm.unsafelyUnwrapped, cyc, fault)
                                        : PPC64Mem.store(E.self, tlb, mmu, ea, size, v, fault)
                    if res == PPC64StoreResult.fault { exit = .memoryFault(fault.pointee); kind = .exit; break inner }
                    if Self.isUpdate(o.kind) { r[Int(o.a)] = ea }
                    op += 1
                    if res == PPC64StoreResult.codeModified { exit = .codeModified; kind = .exit; op -= 1; completed = true; break inner }

                // MARK: reservations
                case .lbarx, .lharx, .lwarx, .ldarx:
                    let ea = r[Int(o.a)] &+ r[Int(o.b)]
                    let size: UInt64 = o.kind == .lbarx ? 1 : (o.kind == .lharx ? 2 : (o.kind == .lwarx ? 4 : 8))
                    if ea & (size - 1) != 0 {
                        exit = .memoryFault(MemoryFault(address: ea, kind: .misaligned, access: .read)); kind = .exit; break inner
                    }
                    guard let v = M.isTimed ? PPC64TimedMem.load(E.self, tlb, mmu, ea, size, tm.unsafelyUnwrapped, cyc, fault, .atomic)
                                            : PPC64Mem.load(E.self, tlb, mmu, ea, size, fault) else {
                        exit = .memoryFault(fault.pointee); kind = .exit; break inner
                    }
                    r[Int(o.d)] = v; r[PPC64Reg.resAddr] = ea; r[PPC64Reg.resValid] = size
                    if M.isSystem { _ = mmu.linkedLoad(ea) }
                    op += 1
                case .stbcx, .sthcx, .stwcx, .stdcx:
                    let ea = r[Int(o.a)] &+ r[Int(o.b)]
                    let size: UInt64 = o.kind == .stbcx ? 1 : (o.kind == .sthcx ? 2 : (o.kind == .stwcx ? 4 : 8))
                    if ea & (size - 1) != 0 {
                        exit = .memoryFault(MemoryFault(address: ea, kind: .misaligned, access: .write)); kind = .exit; break inner
                    }
                    var res = PPC64StoreResult.ok
                    if M.isSystem {
                        res = Self.storeConditionalSystem(E.self, r, mmu, ea, size, r[Int(o.d)], fault, M.isTimed ? tm : nil, cyc)
                        if res == PPC64StoreResult.fault { exit = .memoryFault(fault.pointee); kind = .exit; break inner }
                        op += 1
                        if res == PPC64StoreResult.codeModified { exit = .codeModified; kind = .exit; op -= 1; completed = true; break inner }
                        continue inner
                    }
                    let ok = r[PPC64Reg.resValid] != 0 && r[PPC64Reg.resAddr] == ea
                    if ok {
                        res = M.isTimed ? PPC64TimedMem.store(E.self, tlb, mmu, ea, size, r[Int(o.d)], tm.unsafelyUnwrapped, cyc, fault)
                                        : PPC64Mem.store(E.self, tlb, mmu, ea, size, r[Int(o.d)], fault)
                        if res == PPC64StoreResult.fault { exit = .memoryFault(fault.pointee); kind = .exit; break inner }
                    }
                    r[PPC64Reg.resValid] = 0
                    r[PPC64Reg.cr] = (r[PPC64Reg.cr] & 0x0FFF_FFFF) | (((ok ? 2 : 0) | r[PPC64Reg.so]) << 28)
                    op += 1
                    if res == PPC64StoreResult.codeModified { exit = .codeModified; kind = .exit; op -= 1; completed = true; break inner }
                case .dcbz:
                    let mask = r[PPC64Reg.blockMask]
                    let ea = (r[Int(o.a)] &+ r[Int(o.b)]) & ~mask
                    let res = PPC64Mem.zeroBlock(tlb, mmu, ea, Int(truncatingIfNeeded: mask) &+ 1, fault)
                    if res == PPC64StoreResult.fault { exit = .memoryFault(fault.pointee); kind = .exit; break inner }
                    if M.isTimed { PPC64TimedMem.cacheBlock(.dcbz, tlb, mmu, ea, tm.unsafelyUnwrapped, cyc) }
                    op += 1
                    if res == PPC64StoreResult.codeModified { exit = .codeModified; kind = .exit; op -= 1; completed = true; break inner }

                // MARK: VSX/VMX ops gcc emits in integer code (GPR<->VSR moves for spills, logical
                // moves, doubleword swaps, quadword copies); the rest of VMX/VSX is cold.
                case .mfvsrd: r[Int(o.d)] = r[Int(o.a) + 1]; op += 1
                case .mfvsrwz: r[Int(o.d)] = r[Int(o.a) + 1] & 0xFFFF_FFFF; op += 1
                case .mtvsrd: r[Int(o.d) + 1] = r[Int(o.a)]; op += 1
                case .mtvsrwa: r[Int(o.d) + 1] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: r[Int(o.a)]))); op += 1
                case .mtvsrwz: r[Int(o.d) + 1] = r[Int(o.a)] & 0xFFFF_FFFF; op += 1
                case .vand, .xxland, .vandc, .xxlandc, .vor, .xxlor, .vxor, .xxlxor:
                    let a = Int(o.a), b = Int(o.b), d = Int(o.d)
                    let (lo, hi) = Self.logical128(o.kind, r[a], r[a + 1], r[b], r[b + 1])
                    r[d] = lo; r[d + 1] = hi; op += 1
                case .xxpermdi:
                    let a = Int(o.a), b = Int(o.b), d = Int(o.d)
                    let hi = (o.y >> 1) & 1 != 0 ? r[a] : r[a + 1]
                    let lo = o.y & 1 != 0 ? r[b] : r[b + 1]
                    r[d] = lo; r[d + 1] = hi; op += 1
                case .lvx, .stvx, .lxvd2x, .stxvd2x:
                    // The soft-TLB fast path when the quadword lies in one mapped page; a miss, a
                    // page crossing or a fault takes the cold path below. Timing mode keeps the
                    // cold path for all of them (VMX/VSX accesses cost their issue cycle there).
                    if !M.isTimed, Self.quadword(E.self, tlb, r, o) { op += 1; continue inner }
                    fallthrough
                default:
                    // Cold ops: FP arithmetic, vector, string and multiple loads/stores.
                    let here = pageVA &+ UInt64(op - page) << 2
                    let res = PPC64Cold.execute(E.self, self, mmu, o, pc: here)
                    if res == PPC64Cold.ok { op += 1; continue inner }
                    switch res {
                    case PPC64Cold.fault: exit = .memoryFault(fault.pointee)
                    case PPC64Cold.codeModified: exit = .codeModified; completed = true
                    default: exit = .illegalInstruction(UInt32(truncatingIfNeeded: mmu.loadValue(here, size: 4) ?? 0))
                    }
                    kind = .exit; break inner
                }
            }

            // Left the page: a far branch, or an exit at `op`.
            if kind == .far {
                if M.isTimed { cyc.pointee &+= takenExtra }
                executed &+= UInt64(op - blockStart) &+ 1
                d[op - page + 1] &-= 1
                pc = far
                if seCycles ? cyc.pointee >= stopCycle : executed >= budget { exit = .budgetExhausted; break outer }
                continue outer
            }
            let done = completed ? 1 : 0
            executed &+= UInt64(op - blockStart + done)
            d[op - page + done] &-= 1
            if kind == .exit && done == 0 { kindTotals[op.pointee.kind.index] &+= 1 }
            pc = pageVA &+ UInt64(op - page + done) << 2
            break outer
        }
        self.pc = pc
        return exit
    }

    /// The two doublewords (lo, hi) of a 128-bit and/andc/or/xor.
    @inline(__always) static func logical128(_ k: PPC64OpKind, _ alo: UInt64, _ ahi: UInt64, _ blo: UInt64, _ bhi: UInt64) -> (UInt64, UInt64) {
        switch k {
        case .vand, .xxland: return (alo & blo, ahi & bhi)
        case .vandc, .xxlandc: return (alo & ~blo, ahi & ~bhi)
        case .vor, .xxlor: return (alo | blo, ahi | bhi)
        default: return (alo ^ blo, ahi ^ bhi)
        }
    }

    /// lvx / stvx / lxvd2x / stxvd2x on the soft-TLB fast path, with the register layout of
    /// PPC64ColdMemory (which handles everything this declines: false = nothing was done).
    @inline(__always) static func quadword<E: PPC64ByteOrder>(_ e: E.Type, _ tlb: UnsafeMutablePointer<SoftTLBEntry>,
                                                             _ r: UnsafeMutablePointer<UInt64>, _ o: PPC64Op) -> Bool {
        let vmx = o.kind == .lvx || o.kind == .stvx
        let isStore = o.kind == .stvx || o.kind == .stxvd2x
        let ea = (r[Int(o.a)] &+ r[Int(o.b)]) & (vmx ? ~15 : ~0)
        guard ea & guestPageMask <= guestPageSize &- 16 else { return false }
        let t = tlb + SoftMMU.index(ea)
        guard (isStore ? t.pointee.writeTag : t.pointee.readTag) == ea & ~guestPageMask else { return false }
        let p = UnsafeMutableRawPointer(bitPattern: t.pointee.addend &+ UInt(truncatingIfNeeded: ea)).unsafelyUnwrapped
        let d = Int(o.d)
        switch o.kind {
        case .lvx:
            let x = E.load64(p), y = E.load64(p + 8)
            if E.isBigEndian { r[d + 1] = x; r[d] = y } else { r[d] = x; r[d + 1] = y }
        case .lxvd2x:
            let x = E.load64(p), y = E.load64(p + 8)
            r[d + 1] = x; r[d] = y
        case .stvx:
            let lo = r[d], hi = r[d + 1]
            if E.isBigEndian { E.store64(p, hi); E.store64(p + 8, lo) } else { E.store64(p, lo); E.store64(p + 8, hi) }
        default:    // stxvd2x
            E.store64(p, r[d + 1]); E.store64(p + 8, r[d])
        }
        return true
    }

    @inline(__always) static func isIndexed(_ k: PPC64OpKind) -> Bool {
        switch k {
        case .lbzx, .lhzx, .lwzx, .ldx, .lhax, .lwax, .lbzux, .lhzux, .lwzux, .ldux, .lhaux, .lwaux,
             .stbx, .sthx, .stwx, .stdx, .stbux, .sthux, .stwux, .stdux, .sthbrx, .stwbrx, .stdbrx,
             .stfdx, .stfdux, .stfsx, .stfsux, .stfiwx:
            return true
        default: return false
        }
    }

    @inline(__always) static func isUpdate(_ k: PPC64OpKind) -> Bool {
        switch k {
        case .stbu, .stbux, .sthu, .sthux, .stwu, .stwux, .stdu, .stdux, .stfdu, .stfdux, .stfsu, .stfsux: return true
        default: return false
        }
    }

    @inline(__always) static func loadSize(_ k: PPC64OpKind) -> UInt64 {
        switch k {
        case .lbz, .lbzx, .lbzu, .lbzux: return 1
        case .lhz, .lhzx, .lha, .lhax, .lhzu, .lhzux, .lhau, .lhaux: return 2
        case .lwz, .lwzx, .lwa, .lwax, .lwzu, .lwzux, .lwaux: return 4
        default: return 8
        }
    }

    @inline(__always) static func storeSize(_ k: PPC64OpKind) -> UInt64 {
        switch k {
        case .stb, .stbx, .stbu, .stbux: return 1
        case .sth, .sthx, .sthu, .sthux, .sthbrx: return 2
        case .stw, .stwx, .stwu, .stwux, .stwbrx, .stfs, .stfsx, .stfsu, .stfsux, .stfiwx: return 4
        default: return 8
        }
    }
}
