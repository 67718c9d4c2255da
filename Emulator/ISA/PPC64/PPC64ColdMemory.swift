// PPC64ColdMemory: loads and stores outside the hot loop: VMX (lvx, lve*x, lvsl/lvsr, stvx,
// stve*x), VSX (lxvd2x, lxvw4x, lxvdsx, scalar lxs*/stxs*, register moves mfvsr*/mtvsr*), and
// the string/multiple forms (lmw, stmw, lswi, lswx, stswi, stswx; an alignment interrupt in
// little-endian mode, as on POWER hardware and QEMU).

extension PPC64Cold {
    static func memory<E: PPC64ByteOrder>(_ e: E.Type, _ cpu: PPC64CPU, _ mmu: SoftMMU, _ o: PPC64Op) -> UInt8? {
        let r = cpu.registers.slots
        let ea = r[Int(o.a)] &+ r[Int(o.b)]
        let d = Int(o.d)
        let slot = cpu.faultSlot
        @inline(__always) func ld(_ addr: UInt64, _ size: Int) -> UInt64? { PPC64Mem.slowLoad(mmu, addr, size, slot) }
        @inline(__always) func st(_ addr: UInt64, _ size: Int, _ v: UInt64) -> UInt8 {
            PPC64Mem.slowStore(mmu, addr, size, v, slot)
        }
        @inline(__always) func writable(_ addr: UInt64) -> Bool {
            if case .fault(let f) = mmu.access(addr, size: 1, access: .write, alignment: false) { slot.pointee = f; return false }
            return true
        }
        /// Stores a pair of doublewords (first at addr) and merges the result codes.
        func st2(_ addr: UInt64, _ v0: UInt64, _ v1: UInt64) -> UInt8 {
            // Probe both halves for faults before writing anything.
            guard writable(addr), writable(addr &+ 15) else { return Self.fault }
            let a = st(addr, 8, v0), b = st(addr &+ 8, 8, v1)
            if a == Self.fault || b == Self.fault { return Self.fault }
            return (a == codeModified || b == codeModified || mmu.storeNeedsCompletion) ? codeModified : ok
        }
        switch o.kind {
        case .lvx:
            let q = ea & ~15
            guard let x = ld(q, 8), let y = ld(q &+ 8, 8) else { return fault }
            if E.isBigEndian { r[d + 1] = x; r[d] = y } else { r[d] = x; r[d + 1] = y }
        case .stvx:
            let q = ea & ~15
            return E.isBigEndian ? st2(q, r[d + 1], r[d]) : st2(q, r[d], r[d + 1])
        case .lvebx, .lvehx, .lvewx:
            let size = o.kind == .lvebx ? 1 : (o.kind == .lvehx ? 2 : 4)
            let q = ea & ~UInt64(size - 1)
            guard let v = ld(q, size) else { return fault }
            // Host-LE byte position the element occupies under lvx of the same quadword.
            let off = E.isBigEndian ? 16 - Int(q & 15) - size : Int(q & 15)
            PPC64Vector.setBytes(r, d, off, size, v)
        case .stvebx, .stvehx, .stvewx:
            let size = o.kind == .stvebx ? 1 : (o.kind == .stvehx ? 2 : 4)
            let q = ea & ~UInt64(size - 1)
            let off = E.isBigEndian ? 16 - Int(q & 15) - size : Int(q & 15)
            return st(q, size, PPC64Vector.getBytes(r, d, off, size))
        case .lvsl, .lvsr:
            let sh = Int(ea & 15)
            var lo: UInt64 = 0, hi: UInt64 = 0
            for i in 0 ..< 16 {
                let v = UInt64(o.kind == .lvsl ? sh + i : 16 - sh + i)
                let le = 15 - i
                if le < 8 { lo |= v << UInt64(8 * le) } else { hi |= v << UInt64(8 * (le - 8)) }
            }
            r[d] = lo; r[d + 1] = hi
        case .lxvd2x:
            guard let x = ld(ea, 8), let y = ld(ea &+ 8, 8) else { return fault }
            r[d + 1] = x; r[d] = y
        case .stxvd2x: return st2(ea, r[d + 1], r[d])
        case .lxvw4x:
            var w: [UInt64] = [0, 0, 0, 0]
            for i in 0 ..< 4 { guard let v = ld(ea &+ UInt64(4 * i), 4) else { return fault }; w[i] = v }
            r[d + 1] = w[0] << 32 | w[1]; r[d] = w[2] << 32 | w[3]
        case .stxvw4x:
            let hi = r[d + 1], lo = r[d]
            if E.isBigEndian { return st2(ea, hi, lo) }
            return st2(ea, hi >> 32 | hi << 32, lo >> 32 | lo << 32)
        case .lxvdsx:
            guard let x = ld(ea, 8) else { return fault }
            r[d] = x; r[d + 1] = x
        case .lxsdx:
            guard let x = ld(ea, 8) else { return fault }
            r[d + 1] = x
        case .stxsdx: return st(ea, 8, r[d + 1])
        case .lxsiwzx, .lxsiwax, .lxsspx:
            guard let x = ld(ea, 4) else { return fault }
            switch o.kind {
            case .lxsiwzx: r[d + 1] = x
            case .lxsiwax: r[d + 1] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: x)))
            default: r[d + 1] = PPC64Float.singleToDoubleBits(UInt32(truncatingIfNeeded: x))
            }
        case .stxsiwx: return st(ea, 4, r[d + 1])
        case .stxsspx: return st(ea, 4, UInt64(PPC64Float.doubleToSingleBits(r[d + 1])))
        case .mfvsrd: r[d] = r[Int(o.a) + 1]
        case .mfvsrwz: r[d] = r[Int(o.a) + 1] & 0xFFFF_FFFF
        case .mtvsrd: r[d + 1] = r[Int(o.a)]
        case .mtvsrwa: r[d + 1] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: r[Int(o.a)])))
        case .mtvsrwz: r[d + 1] = r[Int(o.a)] & 0xFFFF_FFFF
        case .lmw, .stmw, .lswi, .lswx, .stswi, .stswx:
            if !E.isBigEndian {
                slot.pointee = MemoryFault(address: ea, kind: .misaligned, access: o.kind == .lmw || o.kind == .lswi || o.kind == .lswx ? .read : .write)
                return Self.fault
            }
            return string(cpu, mmu, o)
        default:
            return nil
        }
        return ok
    }

    /// Big-endian-mode string and multiple loads/stores.
    static func string(_ cpu: PPC64CPU, _ mmu: SoftMMU, _ o: PPC64Op) -> UInt8 {
        let r = cpu.registers.slots
        let slot = cpu.faultSlot
        switch o.kind {
        case .lmw, .stmw:
            var ea = r[Int(o.a)] &+ o.imm
            for reg in Int(o.d) ... 31 {
                if o.kind == .lmw {
                    guard let v = PPC64Mem.slowLoad(mmu, ea, 4, slot) else { return fault }
                    r[reg] = v
                } else if PPC64Mem.slowStore(mmu, ea, 4, r[reg], slot) == fault { return fault }
                ea &+= 4
            }
        default:
            let indexed = o.kind == .lswx || o.kind == .stswx
            var ea = indexed ? r[Int(o.a)] &+ r[Int(o.b)] : r[Int(o.a)]
            let n = indexed ? Int(r[PPC64Reg.xerRest] & 0x7F) : Int(o.b)
            var reg = (Int(o.d) + 31) & 31
            var i = 32
            for _ in 0 ..< n {
                if i == 32 { reg = (reg + 1) & 31; if o.kind == .lswi || o.kind == .lswx { r[reg] = 0 } }
                let sh = UInt64(56 - i)
                if o.kind == .lswi || o.kind == .lswx {
                    guard let v = PPC64Mem.slowLoad(mmu, ea, 1, slot) else { return fault }
                    r[reg] |= v << sh
                } else if PPC64Mem.slowStore(mmu, ea, 1, (r[reg] >> sh) & 0xFF, slot) == fault { return fault }
                i += 8
                if i == 64 { i = 32 }
                ea &+= 1
            }
        }
        return ok
    }
}
