// BootArgs: the kernel's boot arguments (`k42sim boot --kernel-args "..."`): words separated by
// spaces, each `key=value` or `key`. Parsed in place from the boot-information block, without
// allocating (the allocator is not up yet when the tick interval is read). The known keys and
// their meaning are in docs/kernel/boot-arguments.md; an unknown key or a malformed value stops
// the boot with one line naming it (status 2), never a silent default.

enum BootArgs {
    /// Every key the kernel understands (no array: this runs before the allocator exists).
    static func isKnown(_ k: UnsafeBufferPointer<UInt8>) -> Bool {
        equal(k, "test") || equal(k, "tick") || equal(k, "workload") || equal(k, "quiet")
            || equal(k, "threads") || equal(k, "rounds") || equal(k, "seed") || equal(k, "cocheck")
            || equal(k, "costall") || equal(k, "experiment") || equal(k, "variant") || equal(k, "ops")
            || equal(k, "pm") || equal(k, "pm-frames") || equal(k, "program") || equal(k, "program-arg") || equal(k, "program-cpu")
    }

    /// Calls `body(key, value)` for each word (value empty for a bare key).
    static func forEach(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        let args = BootInfo.arguments
        var i = 0
        while i < args.count {
            while i < args.count && args[i] == 0x20 { i += 1 }
            let start = i
            while i < args.count && args[i] != 0x20 { i += 1 }
            if i == start { break }
            var eq = start
            while eq < i && args[eq] != UInt8(ascii: "=") { eq += 1 }
            let base = args.baseAddress!
            let key = UnsafeBufferPointer(start: base + start, count: eq - start)
            let value = eq < i ? UnsafeBufferPointer(start: base + eq + 1, count: i - eq - 1)
                               : UnsafeBufferPointer(start: base + i, count: 0)
            body(key, value)
        }
    }

    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: StaticString) -> Bool {
        guard a.count == b.utf8CodeUnitCount else { return false }
        let p = b.utf8Start
        for i in 0 ..< a.count where a[i] != p[i] { return false }
        return true
    }

    /// The value of `key`, if given.
    static func value(_ key: StaticString) -> UnsafeBufferPointer<UInt8>? {
        var found: UnsafeBufferPointer<UInt8>? = nil
        forEach { k, v in if equal(k, key) { found = v } }
        return found
    }

    static func has(_ key: StaticString) -> Bool { value(key) != nil }

    /// `key`'s value equals `expected`.
    static func value(_ key: StaticString, is expected: StaticString) -> Bool {
        guard let v = value(key) else { return false }
        return equal(v, expected)
    }

    /// `key`'s decimal (or 0x hex) value, `fallback` when absent; a malformed number stops the boot.
    static func integer(_ key: StaticString, default fallback: UInt64) -> UInt64 {
        guard let v = value(key) else { return fallback }
        guard let n = parse(v) else { badArgument(key, "is not a number") }
        return n
    }

    static func parse(_ v: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var n: UInt64 = 0
        var i = 0
        var radix: UInt64 = 10
        if v.count > 2 && v[0] == UInt8(ascii: "0") && (v[1] == UInt8(ascii: "x") || v[1] == UInt8(ascii: "X")) {
            radix = 16; i = 2
        }
        if i == v.count { return nil }
        while i < v.count {
            let c = v[i]
            var d: UInt64
            switch c {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): d = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): d = UInt64(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): d = UInt64(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            if d >= radix { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: radix)
            let (s, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            n = s
            i += 1
        }
        return n
    }

    /// Refuses unknown keys (status 2, one line).
    static func validate() {
        forEach { k, v in
            if !isKnown(k) {
                Console.raw("k42: unknown boot argument '")
                Console.raw(k)
                Console.raw("' (known: test, tick, workload, quiet, threads, rounds, seed, cocheck, costall, experiment, variant, ops, pm, program, program-arg, program-cpu; docs/kernel/boot-arguments.md)\n")
                Devices.powerOff(2)
            }
            if equal(k, "pm") && !equal(v, "node") && !equal(v, "global") { badArgument("pm", "must be node or global") }
        }
    }

    static func badArgument(_ key: StaticString, _ why: StaticString) -> Never {
        Console.raw("k42: boot argument '")
        Console.raw(key)
        Console.raw("' ")
        Console.raw(why)
        Console.raw("\n")
        Devices.powerOff(2)
    }
}
