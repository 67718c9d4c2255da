// TraceText: `k42sim trace dump` (one event a line, filtered) and `k42sim trace stats` (counts
// per event and CPU, losses, time span).

public struct TraceFilter: Sendable {
    public var cpus: Set<Int>? = nil
    /// Major classes to keep (nil: all).
    public var mask: UInt64? = nil
    /// Cycle range [from, to).
    public var from: UInt64 = 0
    public var to: UInt64 = .max
    public init() {}

    public func keeps(_ e: TraceEvent) -> Bool {
        if let cpus, !cpus.contains(e.cpu) { return false }
        if let mask, mask & (1 << e.major) == 0 { return false }
        return e.cycle >= from && e.cycle < to
    }
}

public enum TraceText {
    /// `cycle cpu class event text`, one line per event, all CPUs merged by cycle.
    public static func dump(_ t: TraceFile, filter: TraceFilter, write: (String) -> Void) {
        write("# k42sim trace: \(t.isa.name), \(t.cpus) CPUs, \(t.nodes) nodes, \(t.frequency) cycles/s, classes \(TraceCatalog.names(of: t.mask))\n")
        write("# cycle cpu event text\n")
        var chunk = ""
        for e in t.merged where filter.keeps(e) {
            chunk += line(e, isa: t.isa)
            chunk += "\n"
            if chunk.utf8.count > 1 << 16 { write(chunk); chunk = "" }
        }
        write(chunk)
    }

    public static func line(_ e: TraceEvent, isa: TraceISA) -> String {
        "\(e.cycle) \(e.cpu) \(TraceCatalog.eventName(major: e.major, minor: e.minor)) \(TraceCatalog.text(e, isa: isa))"
    }

    public static func stats(_ t: TraceFile, filter: TraceFilter) -> String {
        var counts: [UInt64: [Int]] = [:]          // major << 14 | minor -> per CPU
        var first = UInt64.max, last: UInt64 = 0
        var lost: [UInt64: (events: UInt64, words: UInt64)] = [:]
        var kept = 0
        for cpu in 0 ..< t.cpus {
            for e in t.events[cpu] where filter.keeps(e) {
                kept += 1
                counts[e.major << 14 | e.minor, default: [Int](repeating: 0, count: t.cpus)][cpu] += 1
                first = min(first, e.cycle); last = max(last, e.cycle)
                if e.major == TraceMajor.control && e.minor == TraceEventID.lost.minor {
                    let r = lost[e[2], default: (0, 0)]
                    lost[e[2]] = (r.events &+ e[0], r.words &+ e[1])
                }
            }
        }
        var s = "trace: \(t.isa.name), \(t.cpus) CPUs, \(t.nodes) nodes, \(t.frequency) cycles/s\n"
        s += "classes recorded: \(TraceCatalog.names(of: t.mask))\n"
        s += kept == 0 ? "events: 0\n" : "events: \(kept), cycles \(first) ... \(last)\n"
        let columns = t.cpus <= 16
        var header = pad("event", 28) + pad("total", 10, right: true)
        if columns { for c in 0 ..< t.cpus { header += pad("cpu\(c)", 9, right: true) } }
        s += header + "\n"
        for key in counts.keys.sorted() {
            let per = counts[key]!
            var row = pad(TraceCatalog.eventName(major: key >> 14, minor: key & 0x3FFF), 28) + pad("\(per.reduce(0, +))", 10, right: true)
            if columns { for n in per { row += pad("\(n)", 9, right: true) } }
            s += row + "\n"
        }
        if !columns {
            s += "per CPU:\n"
            for c in 0 ..< t.cpus {
                let n = counts.values.reduce(0) { $0 + $1[c] }
                s += "  cpu\(c): \(n) events\n"
            }
        }
        let reasons: [UInt64: String] = [1: "guest ring full", 2: "torn or corrupt in a guest buffer", 3: "uncommitted at the end of the run",
                                         4: "bad buffer registration"]
        if lost.isEmpty {
            s += "lost: none\n"
        } else {
            for (r, v) in lost.sorted(by: { $0.key < $1.key }) {
                s += "lost: \(v.events) events (\(v.words) words): \(reasons[r] ?? "reason \(r)")\n"
            }
        }
        return s
    }

    static func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, n - s.count))
        return right ? fill + s : s + fill
    }
}
