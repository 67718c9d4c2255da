// PPC64Vector: VMX and VSX register-to-register semantics. A vector is two UInt64 slots
// (lo = doubleword 1, hi = doubleword 0); elements are addressed by ISA (big-endian) element
// number through shifts, so the code does not depend on the host's byte order.

struct PPC64V {
    var lo: UInt64, hi: UInt64
    init(_ lo: UInt64, _ hi: UInt64) { self.lo = lo; self.hi = hi }
    init(_ r: UnsafeMutablePointer<UInt64>, _ base: Int) { lo = r[base]; hi = r[base + 1] }
    func store(_ r: UnsafeMutablePointer<UInt64>, _ base: Int) { r[base] = lo; r[base + 1] = hi }

    /// Element `e` (ISA numbering, 0 = most significant) of `bits` width.
    @inline(__always) func get(_ e: Int, _ bits: Int) -> UInt64 {
        let le = 128 / bits - 1 - e
        let pos = le * bits
        let w = pos >= 64 ? hi : lo
        return bits == 64 ? w : (w >> UInt64(pos & 63)) & ((1 << UInt64(bits)) - 1)
    }
    @inline(__always) mutating func set(_ e: Int, _ bits: Int, _ v: UInt64) {
        let le = 128 / bits - 1 - e
        let pos = le * bits
        let m: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        let sh = UInt64(pos & 63)
        if pos >= 64 { hi = (hi & ~(m << sh)) | ((v & m) << sh) } else { lo = (lo & ~(m << sh)) | ((v & m) << sh) }
    }
}

enum PPC64Vector {
    static func setBytes(_ r: UnsafeMutablePointer<UInt64>, _ base: Int, _ leOffset: Int, _ size: Int, _ v: UInt64) {
        var x = PPC64V(r, base)
        for i in 0 ..< size { x.set(15 - (leOffset + i), 8, (v >> UInt64(8 * i)) & 0xFF) }
        x.store(r, base)
    }
    static func getBytes(_ r: UnsafeMutablePointer<UInt64>, _ base: Int, _ leOffset: Int, _ size: Int) -> UInt64 {
        let x = PPC64V(r, base)
        var v: UInt64 = 0
        for i in 0 ..< size { v |= x.get(15 - (leOffset + i), 8) << UInt64(8 * i) }
        return v
    }

    @inline(__always) static func sext(_ v: UInt64, _ bits: Int) -> Int64 {
        Int64(bitPattern: v << UInt64(64 - bits)) >> Int64(64 - bits)
    }

    static func elementwise(_ a: PPC64V, _ b: PPC64V, _ bits: Int, _ f: (UInt64, UInt64) -> UInt64) -> PPC64V {
        var t = PPC64V(0, 0)
        for e in 0 ..< 128 / bits { t.set(e, bits, f(a.get(e, bits), b.get(e, bits))) }
        return t
    }

    static func width(_ k: PPC64OpKind) -> Int {
        switch k {
        case .vaddubm, .vsububm, .vaddubs, .vsububs, .vslb, .vsrb, .vsrab, .vrlb, .vmaxub, .vmaxsb, .vminub, .vminsb,
             .vcmpequb, .vcmpgtub, .vcmpgtsb, .vclzb, .vpopcntb, .vavgub, .vmrghb, .vmrglb, .vspltb, .vspltisb:
            return 8
        case .vadduhm, .vsubuhm, .vadduhs, .vsubuhs, .vslh, .vsrh, .vsrah, .vrlh, .vmaxuh, .vmaxsh, .vminuh, .vminsh,
             .vcmpequh, .vcmpgtuh, .vcmpgtsh, .vclzh, .vpopcnth, .vavguh, .vmrghh, .vmrglh, .vsplth, .vspltish:
            return 16
        case .vaddudm, .vsubudm, .vsld, .vsrd, .vsrad, .vrld, .vmaxud, .vmaxsd, .vminud, .vminsd,
             .vcmpequd, .vcmpgtud, .vcmpgtsd, .vclzd, .vpopcntd:
            return 64
        default: return 32
        }
    }

    /// Executes a VMX/VSX ALU op; false when the kind is not implemented (illegal).
    static func execute(_ r: UnsafeMutablePointer<UInt64>, _ o: PPC64Op) -> Bool {
        let a = PPC64V(r, Int(o.a)), b = PPC64V(r, Int(o.b)), c = PPC64V(r, Int(o.c))
        let bits = width(o.kind)
        let mask: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        var t = PPC64V(0, 0)
        var sat = false
        switch o.kind {
        case .vand, .xxland: t = PPC64V(a.lo & b.lo, a.hi & b.hi)
        case .vandc, .xxlandc: t = PPC64V(a.lo & ~b.lo, a.hi & ~b.hi)
        case .vor, .xxlor: t = PPC64V(a.lo | b.lo, a.hi | b.hi)
        case .vxor, .xxlxor: t = PPC64V(a.lo ^ b.lo, a.hi ^ b.hi)
        case .vnor, .xxlnor: t = PPC64V(~(a.lo | b.lo), ~(a.hi | b.hi))
        case .vorc, .xxlorc: t = PPC64V(a.lo | ~b.lo, a.hi | ~b.hi)
        case .vnand, .xxlnand: t = PPC64V(~(a.lo & b.lo), ~(a.hi & b.hi))
        case .veqv, .xxleqv: t = PPC64V(~(a.lo ^ b.lo), ~(a.hi ^ b.hi))
        case .vsel: t = PPC64V((a.lo & ~c.lo) | (b.lo & c.lo), (a.hi & ~c.hi) | (b.hi & c.hi))
        case .xxsel: t = PPC64V((a.lo & ~c.lo) | (b.lo & c.lo), (a.hi & ~c.hi) | (b.hi & c.hi))
        case .vaddubm, .vadduhm, .vadduwm, .vaddudm: t = elementwise(a, b, bits) { $0 &+ $1 }
        case .vsububm, .vsubuhm, .vsubuwm, .vsubudm: t = elementwise(a, b, bits) { $0 &- $1 }
        case .vaddcuw: t = elementwise(a, b, 32) { ($0 + $1) >> 32 }
        case .vsubcuw: t = elementwise(a, b, 32) { $0 >= $1 ? 1 : 0 }
        case .vaddubs, .vadduhs, .vadduws:
            t = elementwise(a, b, bits) { x, y in let s = x + y; if s > mask { sat = true; return mask }; return s }
        case .vsububs, .vsubuhs, .vsubuws:
            t = elementwise(a, b, bits) { x, y in if y > x { sat = true; return 0 }; return x - y }
        case .vslb, .vslh, .vslw, .vsld: t = elementwise(a, b, bits) { ($0 << ($1 & UInt64(bits - 1))) & mask }
        case .vsrb, .vsrh, .vsrw, .vsrd: t = elementwise(a, b, bits) { $0 >> ($1 & UInt64(bits - 1)) }
        case .vsrab, .vsrah, .vsraw, .vsrad:
            t = elementwise(a, b, bits) { UInt64(bitPattern: sext($0, bits) >> Int64($1 & UInt64(bits - 1))) & mask }
        case .vrlb, .vrlh, .vrlw, .vrld:
            t = elementwise(a, b, bits) { x, y in
                let n = y & UInt64(bits - 1)
                return n == 0 ? x : ((x << n) | (x >> (UInt64(bits) - n))) & mask
            }
        case .vmaxub, .vmaxuh, .vmaxuw, .vmaxud: t = elementwise(a, b, bits) { max($0, $1) }
        case .vminub, .vminuh, .vminuw, .vminud: t = elementwise(a, b, bits) { min($0, $1) }
        case .vmaxsb, .vmaxsh, .vmaxsw, .vmaxsd: t = elementwise(a, b, bits) { sext($0, bits) > sext($1, bits) ? $0 : $1 }
        case .vminsb, .vminsh, .vminsw, .vminsd: t = elementwise(a, b, bits) { sext($0, bits) < sext($1, bits) ? $0 : $1 }
        case .vavgub, .vavguh, .vavguw: t = elementwise(a, b, bits) { ($0 + $1 + 1) >> 1 }
        case .vmuluwm: t = elementwise(a, b, 32) { ($0 &* $1) & 0xFFFF_FFFF }
        case .vcmpequb, .vcmpequh, .vcmpequw, .vcmpequd, .vcmpgtub, .vcmpgtuh, .vcmpgtuw, .vcmpgtud,
             .vcmpgtsb, .vcmpgtsh, .vcmpgtsw, .vcmpgtsd:
            let k = o.kind
            t = elementwise(a, b, bits) { x, y in
                let res: Bool
                switch k {
                case .vcmpequb, .vcmpequh, .vcmpequw, .vcmpequd: res = x == y
                case .vcmpgtub, .vcmpgtuh, .vcmpgtuw, .vcmpgtud: res = x > y
                default: res = sext(x, bits) > sext(y, bits)
                }
                return res ? mask : 0
            }
            if o.x & 1 != 0 {
                let all = t.lo == .max && t.hi == .max, none = t.lo == 0 && t.hi == 0
                PPC64CPU.setCRFieldRaw(r, 4, (all ? 8 : 0) | (none ? 2 : 0))
            }
        case .vclzb, .vclzh, .vclzw, .vclzd:
            t = elementwise(b, b, bits) { x, _ in UInt64(x.leadingZeroBitCount - (64 - bits)) }
        case .vpopcntb, .vpopcnth, .vpopcntw, .vpopcntd:
            t = elementwise(b, b, bits) { x, _ in UInt64(x.nonzeroBitCount) }
        case .vmrghb, .vmrghh, .vmrghw, .vmrglb, .vmrglh, .vmrglw, .xxmrghw, .xxmrglw:
            let n = 128 / bits
            let low = o.kind == .vmrglb || o.kind == .vmrglh || o.kind == .vmrglw || o.kind == .xxmrglw
            for i in 0 ..< n / 2 {
                let src = low ? i + n / 2 : i
                t.set(2 * i, bits, a.get(src, bits)); t.set(2 * i + 1, bits, b.get(src, bits))
            }
        case .vmrgew, .vmrgow:
            let odd = o.kind == .vmrgow ? 1 : 0
            t.set(0, 32, a.get(odd, 32)); t.set(1, 32, b.get(odd, 32))
            t.set(2, 32, a.get(2 + odd, 32)); t.set(3, 32, b.get(2 + odd, 32))
        case .vspltb, .vsplth, .vspltw:
            let n = 128 / bits
            let v = b.get(Int(o.y) & (n - 1), bits)
            for e in 0 ..< n { t.set(e, bits, v) }
        case .xxspltw:
            let v = b.get(Int(o.y), 32)
            for e in 0 ..< 4 { t.set(e, 32, v) }
        case .vspltisb, .vspltish, .vspltisw:
            let n = 128 / bits
            for e in 0 ..< n { t.set(e, bits, o.imm & mask) }
        case .vperm, .vpermxor:
            for i in 0 ..< 16 {
                let sel = Int(c.get(i, 8))
                if o.kind == .vperm {
                    let idx = sel & 31
                    t.set(i, 8, idx < 16 ? a.get(idx, 8) : b.get(idx - 16, 8))
                } else {
                    t.set(i, 8, a.get(sel >> 4, 8) ^ b.get(sel & 15, 8))
                }
            }
        case .vsldoi:
            let sh = Int(o.y)
            for i in 0 ..< 16 { let k = i + sh; t.set(i, 8, k < 16 ? a.get(k, 8) : b.get(k - 16, 8)) }
        case .xxsldwi:
            let sh = Int(o.y)
            for i in 0 ..< 4 { let k = i + sh; t.set(i, 32, k < 4 ? a.get(k, 32) : b.get(k - 4, 32)) }
        case .xxpermdi:
            t.hi = (o.y >> 1) & 1 != 0 ? a.lo : a.hi
            t.lo = o.y & 1 != 0 ? b.lo : b.hi
        case .vsl, .vsr:
            let n = UInt64(b.lo & 7)
            if n == 0 { t = a }
            else if o.kind == .vsl { t = PPC64V(a.lo << n, (a.hi << n) | (a.lo >> (64 - n))) }
            else { t = PPC64V((a.lo >> n) | (a.hi << (64 - n)), a.hi >> n) }
        case .vslo, .vsro:
            let n = Int((b.lo >> 3) & 15)
            for i in 0 ..< 16 {
                if o.kind == .vslo { t.set(i, 8, i + n < 16 ? a.get(i + n, 8) : 0) }
                else { t.set(i, 8, i - n >= 0 ? a.get(i - n, 8) : 0) }
            }
        case .vpkuhum, .vpkuwum, .vpkudum:
            let sb = o.kind == .vpkuhum ? 16 : (o.kind == .vpkuwum ? 32 : 64)
            let n = 128 / sb
            for i in 0 ..< n { t.set(i, sb / 2, a.get(i, sb)); t.set(i + n, sb / 2, b.get(i, sb)) }
        case .vupkhsb, .vupklsb, .vupkhsh, .vupklsh, .vupkhsw, .vupklsw:
            let sb = (o.kind == .vupkhsb || o.kind == .vupklsb) ? 8 : ((o.kind == .vupkhsh || o.kind == .vupklsh) ? 16 : 32)
            let n = 128 / (2 * sb)
            let low = o.kind == .vupklsb || o.kind == .vupklsh || o.kind == .vupklsw
            for i in 0 ..< n { t.set(i, 2 * sb, UInt64(bitPattern: sext(b.get(low ? i + n : i, sb), sb))) }
        case .vgbbd:
            for dw in 0 ..< 2 {
                let x = dw == 0 ? b.hi : b.lo
                var y: UInt64 = 0
                for j in 0 ..< 8 { for k in 0 ..< 8 {
                    let bit = (x >> UInt64(63 - (8 * k + j))) & 1
                    y |= bit << UInt64(63 - (8 * j + k))
                } }
                if dw == 0 { t.hi = y } else { t.lo = y }
            }
        case .vbpermq:
            var v: UInt64 = 0
            for i in 0 ..< 16 {
                // Bit indices come from VRB's bytes, the bits from VRA.
                let idx = Int(b.get(i, 8))
                if idx < 128 {
                    let bit = idx < 64 ? (a.hi >> UInt64(63 - idx)) & 1 : (a.lo >> UInt64(127 - idx)) & 1
                    v |= bit << UInt64(15 - i)
                }
            }
            t = PPC64V(0, v)
        case .vadduqm, .vaddcuq, .vsubuqm, .vsubcuq, .vaddeuqm, .vaddecuq, .vsubeuqm, .vsubecuq:
            // 128-bit add/subtract: a + b' + cin with b' = ~b for subtracts; carry-out forms return it.
            let sub = o.kind == .vsubuqm || o.kind == .vsubcuq || o.kind == .vsubeuqm || o.kind == .vsubecuq
            let extended = o.kind == .vaddeuqm || o.kind == .vaddecuq || o.kind == .vsubeuqm || o.kind == .vsubecuq
            let y = sub ? PPC64V(~b.lo, ~b.hi) : b
            let cin: UInt64 = extended ? c.lo & 1 : (sub ? 1 : 0)
            let (l1, o1) = a.lo.addingReportingOverflow(y.lo)
            let (l2, o2) = l1.addingReportingOverflow(cin)
            let carryLo: UInt64 = (o1 || o2) ? 1 : 0
            let (h1, o3) = a.hi.addingReportingOverflow(y.hi)
            let (h2, o4) = h1.addingReportingOverflow(carryLo)
            let carry: UInt64 = (o3 || o4) ? 1 : 0
            let wantsCarry = o.kind == .vaddcuq || o.kind == .vsubcuq || o.kind == .vaddecuq || o.kind == .vsubecuq
            t = wantsCarry ? PPC64V(carry, 0) : PPC64V(l2, h2)
        case .vsumsws, .vsum2sws, .vsum4sbs, .vsum4shs, .vsum4ubs:
            @inline(__always) func satS(_ v: Int64) -> UInt64 {
                if v > Int64(Int32.max) { sat = true; return 0x7FFF_FFFF }
                if v < Int64(Int32.min) { sat = true; return 0x8000_0000 }
                return UInt64(bitPattern: v) & 0xFFFF_FFFF
            }
            switch o.kind {
            case .vsumsws:
                var sum = sext(b.get(3, 32), 32)
                for i in 0 ..< 4 { sum += sext(a.get(i, 32), 32) }
                t.set(3, 32, satS(sum))
            case .vsum2sws:
                for i in 0 ..< 2 {
                    let sum = sext(a.get(2 * i, 32), 32) + sext(a.get(2 * i + 1, 32), 32) + sext(b.get(2 * i + 1, 32), 32)
                    t.set(2 * i + 1, 32, satS(sum))
                }
            case .vsum4ubs:
                for i in 0 ..< 4 {
                    var sum = b.get(i, 32)
                    for k in 0 ..< 4 { sum += a.get(4 * i + k, 8) }
                    if sum > 0xFFFF_FFFF { sat = true; sum = 0xFFFF_FFFF }
                    t.set(i, 32, sum)
                }
            default:
                let eb = o.kind == .vsum4sbs ? 8 : 16
                for i in 0 ..< 4 {
                    var sum = sext(b.get(i, 32), 32)
                    for k in 0 ..< 32 / eb { sum += sext(a.get(i * (32 / eb) + k, eb), eb) }
                    t.set(i, 32, satS(sum))
                }
            }
        case .mfvscr: t = PPC64V(r[PPC64Reg.vscr] & 0xFFFF_FFFF, 0)
        case .mtvscr: r[PPC64Reg.vscr] = b.lo & 0x0001_0001; return true
        default: return false
        }
        if sat { r[PPC64Reg.vscr] |= 1 }
        t.store(r, Int(o.d))
        return true
    }
}
