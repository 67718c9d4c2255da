// TraceExport: `k42sim trace export` — a trace file as a timeline, written as Perfetto's protobuf
// trace format (hand-encoded: the few messages needed, field numbers from Perfetto's
// protos/perfetto/trace/perfetto_trace.proto) or as Chrome's JSON trace event format.
//   Tracks: one per CPU ("cpu N": hardware events), a child "cpu N software" for guest events,
//   and per CPU a counter track per counted event ("cpu N l1d.miss per 10000 cycles").
//   Slices: events whose definition says sliceBegin / sliceEnd (exception or interrupt entry to
//   its return, idle to wake, kernel trap entry to exit); a nested MIPS exception (flags bit 0)
//   is an instant; an end with no open slice is dropped, slices still open at the end of the
//   trace are closed at its last timestamp. Instants: every other exported event, its data words
//   as debug annotations. Counters: events marked `counter` (cache misses, coherence), counted
//   per interval; the value at an interval's start is that interval's count, and a 0 follows the
//   last interval of a run of non-empty ones.
// Timestamps are nanoseconds: cycle * 10^9 / frequency (the cycle itself at 1 GHz).

public struct TimelineItem {
    public enum Kind { case begin, end, instant, counter }
    public var ns: UInt64
    public var track: UInt64
    public var kind: Kind
    public var name: String
    public var category: String
    public var args: [(String, UInt64)]
    public var value: Int64
}

public struct TimelineTrack {
    public var uuid: UInt64
    public var name: String
    public var parent: UInt64?
    public var isCounter: Bool
    /// Chrome JSON thread id.
    public var tid: Int
}

public struct Timeline {
    public var tracks: [TimelineTrack] = []
    public var items: [TimelineItem] = []

    public static func cpuTrack(_ c: Int) -> UInt64 { 0x1000 + UInt64(c) }
    public static func softwareTrack(_ c: Int) -> UInt64 { 0x2000 + UInt64(c) }

    public static func nanoseconds(_ cycle: UInt64, frequency: UInt64) -> UInt64 {
        if frequency == 1_000_000_000 { return cycle }
        let (hi, lo) = cycle.multipliedFullWidth(by: 1_000_000_000)
        if hi >= frequency { return .max }
        return frequency.dividingFullWidth((hi, lo)).quotient
    }

    public init(_ t: TraceFile, interval: UInt64 = 10_000) {
        let interval = max(1, interval)
        var end: UInt64 = 0
        var counterKeys: [Int: Set<UInt64>] = [:]                 // cpu -> major << 14 | minor
        var buckets: [Int: [UInt64: [UInt64: Int64]]] = [:]      // cpu -> key -> bucket -> count
        var softwareUsed = Set<Int>()
        for cpu in 0 ..< t.cpus {
            var depth: [UInt64: Int] = [:]
            for e in t.events[cpu] {
                let ns = Timeline.nanoseconds(e.cycle, frequency: t.frequency)
                end = max(end, ns)
                guard let d = TraceCatalog.definition(major: e.major, minor: e.minor) else {
                    items.append(TimelineItem(ns: ns, track: Timeline.cpuTrack(cpu), kind: .instant,
                                              name: TraceCatalog.eventName(major: e.major, minor: e.minor), category: TraceCatalog.className(e.major),
                                              args: e.data.enumerated().map { ("d\($0.offset)", $0.element) }, value: 0))
                    continue
                }
                let software = e.layer >= TraceLayer.kernel
                if software { softwareUsed.insert(cpu) }
                let track = software ? Timeline.softwareTrack(cpu) : Timeline.cpuTrack(cpu)
                let fields = TraceCatalog.fieldNames(d)
                let args = e.data.enumerated().map { ($0.offset < fields.count ? fields[$0.offset] : "d\($0.offset)", $0.element) }
                var kind = d.timeline
                if e.major == TraceMajor.hwExceptions && e.minor == TraceEventID.exception.minor && e[4] & 1 != 0 { kind = .instant }
                let category = TraceCatalog.className(e.major)
                switch kind {
                case .hidden: continue
                case .counter:
                    let key = e.major << 14 | e.minor
                    counterKeys[cpu, default: []].insert(key)
                    buckets[cpu, default: [:]][key, default: [:]][e.cycle / interval, default: 0] += 1
                case .sliceBegin:
                    depth[track, default: 0] += 1
                    var name = "\(d.name)"
                    if e.major == TraceMajor.hwExceptions { name = TraceCatalog.causeName(e[0], isa: t.isa) }
                    items.append(TimelineItem(ns: ns, track: track, kind: .begin, name: name, category: category, args: args, value: 0))
                case .sliceEnd:
                    guard let open = depth[track], open > 0 else { continue }
                    depth[track] = open - 1
                    items.append(TimelineItem(ns: ns, track: track, kind: .end, name: "\(d.name)", category: category, args: args, value: 0))
                case .instant:
                    items.append(TimelineItem(ns: ns, track: track, kind: .instant, name: TraceCatalog.eventName(major: e.major, minor: e.minor),
                                              category: category, args: args, value: 0))
                }
            }
            for (track, open) in depth.sorted(by: { $0.key < $1.key }) where open > 0 {
                for _ in 0 ..< open { items.append(TimelineItem(ns: .max, track: track, kind: .end, name: "", category: "", args: [], value: 0)) }
            }
        }
        for i in items.indices where items[i].ns == .max { items[i].ns = end }
        for cpu in 0 ..< t.cpus {
            tracks.append(TimelineTrack(uuid: Timeline.cpuTrack(cpu), name: "cpu \(cpu)", parent: nil, isCounter: false, tid: cpu))
            if softwareUsed.contains(cpu) {
                tracks.append(TimelineTrack(uuid: Timeline.softwareTrack(cpu), name: "cpu \(cpu) software", parent: Timeline.cpuTrack(cpu),
                                            isCounter: false, tid: 1000 + cpu))
            }
            for (k, key) in (counterKeys[cpu] ?? []).sorted().enumerated() {
                let uuid = 0x10_0000 + UInt64(cpu) * 64 + UInt64(k)
                let name = "cpu \(cpu) \(TraceCatalog.eventName(major: key >> 14, minor: key & 0x3FFF)) per \(interval) cycles"
                tracks.append(TimelineTrack(uuid: uuid, name: name, parent: Timeline.cpuTrack(cpu), isCounter: true, tid: cpu))
                let counts = buckets[cpu]![key]!
                for b in counts.keys.sorted() {
                    let ns = Timeline.nanoseconds(b * interval, frequency: t.frequency)
                    items.append(TimelineItem(ns: ns, track: uuid, kind: .counter, name: name, category: "counter", args: [], value: counts[b]!))
                    if counts[b + 1] == nil {
                        items.append(TimelineItem(ns: Timeline.nanoseconds((b + 1) * interval, frequency: t.frequency), track: uuid,
                                                  kind: .counter, name: name, category: "counter", args: [], value: 0))
                    }
                }
            }
        }
        // One time-ordered stream (stable: ties keep track order, then event order).
        items = items.enumerated().sorted { a, b in a.element.ns != b.element.ns ? a.element.ns < b.element.ns : a.offset < b.offset }.map(\.element)
    }
}

// MARK: Perfetto (protobuf)

struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    mutating func key(_ field: Int, _ wire: UInt64) { varint(UInt64(field) << 3 | wire) }
    mutating func uint(_ field: Int, _ v: UInt64) { key(field, 0); varint(v) }
    mutating func int(_ field: Int, _ v: Int64) { key(field, 0); varint(UInt64(bitPattern: v)) }
    mutating func string(_ field: Int, _ s: String) { bytes(field, Array(s.utf8)) }
    mutating func bytes(_ field: Int, _ b: [UInt8]) { key(field, 2); varint(UInt64(b.count)); bytes += b }
    mutating func message(_ field: Int, _ body: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        body(&inner)
        bytes(field, inner.bytes)
    }
}

public enum PerfettoExport {
    // perfetto.protos field numbers.
    enum Trace { static let packet = 1 }
    enum TracePacket {
        static let timestamp = 8, trustedPacketSequenceID = 10, trackEvent = 11, sequenceFlags = 13, trackDescriptor = 60
    }
    enum TrackDescriptor { static let uuid = 1, name = 2, parentUUID = 5, counter = 8 }
    enum TrackEvent { static let debugAnnotations = 4, type = 9, trackUUID = 11, categories = 22, name = 23, counterValue = 30 }
    enum DebugAnnotation { static let uintValue = 3, name = 10 }
    enum EventType { static let sliceBegin: UInt64 = 1, sliceEnd: UInt64 = 2, instant: UInt64 = 3, counter: UInt64 = 4 }
    static let sequenceID: UInt64 = 1

    public static func bytes(_ t: TraceFile, interval: UInt64 = 10_000) -> [UInt8] {
        let tl = Timeline(t, interval: interval)
        var out = ProtoWriter()
        var first = true
        func packet(_ body: (inout ProtoWriter) -> Void) {
            out.message(Trace.packet) { p in
                p.uint(TracePacket.trustedPacketSequenceID, sequenceID)
                if first { p.uint(TracePacket.sequenceFlags, 1); first = false }   // SEQ_INCREMENTAL_STATE_CLEARED
                body(&p)
            }
        }
        for track in tl.tracks {
            packet { p in
                p.message(TracePacket.trackDescriptor) { d in
                    d.uint(TrackDescriptor.uuid, track.uuid)
                    d.string(TrackDescriptor.name, track.name)
                    if let parent = track.parent { d.uint(TrackDescriptor.parentUUID, parent) }
                    if track.isCounter { d.message(TrackDescriptor.counter) { _ in } }
                }
            }
        }
        for item in tl.items {
            packet { p in
                p.uint(TracePacket.timestamp, item.ns)
                p.message(TracePacket.trackEvent) { e in
                    switch item.kind {
                    case .begin: e.uint(TrackEvent.type, EventType.sliceBegin)
                    case .end: e.uint(TrackEvent.type, EventType.sliceEnd)
                    case .instant: e.uint(TrackEvent.type, EventType.instant)
                    case .counter: e.uint(TrackEvent.type, EventType.counter)
                    }
                    e.uint(TrackEvent.trackUUID, item.track)
                    if item.kind == .begin || item.kind == .instant {
                        e.string(TrackEvent.categories, item.category)
                        e.string(TrackEvent.name, item.name)
                        for (name, value) in item.args {
                            e.message(TrackEvent.debugAnnotations) { a in
                                a.string(DebugAnnotation.name, name)
                                a.uint(DebugAnnotation.uintValue, value)
                            }
                        }
                    }
                    if item.kind == .counter { e.int(TrackEvent.counterValue, item.value) }
                }
            }
        }
        return out.bytes
    }
}

// MARK: Chrome JSON

public enum ChromeJSONExport {
    public static func text(_ t: TraceFile, interval: UInt64 = 10_000) -> String {
        let tl = Timeline(t, interval: interval)
        var tid: [UInt64: Int] = [:]
        var s = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n"
        var lines: [String] = []
        lines.append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":0,\"tid\":0,\"args\":{\"name\":\"k42sim \(t.isa.name) \(t.cpus) CPUs\"}}")
        for track in tl.tracks {
            tid[track.uuid] = track.tid
            if !track.isCounter {
                lines.append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":0,\"tid\":\(track.tid),\"args\":{\"name\":\(quote(track.name))}}")
                lines.append("{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":0,\"tid\":\(track.tid),\"args\":{\"sort_index\":\(track.tid)}}")
            }
        }
        for item in tl.items {
            let ts = microseconds(item.ns)
            let thread = tid[item.track] ?? 0
            switch item.kind {
            case .begin:
                lines.append("{\"name\":\(quote(item.name)),\"cat\":\(quote(item.category)),\"ph\":\"B\",\"ts\":\(ts),\"pid\":0,\"tid\":\(thread),\"args\":\(args(item.args))}")
            case .end:
                lines.append("{\"ph\":\"E\",\"ts\":\(ts),\"pid\":0,\"tid\":\(thread)}")
            case .instant:
                lines.append("{\"name\":\(quote(item.name)),\"cat\":\(quote(item.category)),\"ph\":\"i\",\"s\":\"t\",\"ts\":\(ts),\"pid\":0,\"tid\":\(thread),\"args\":\(args(item.args))}")
            case .counter:
                lines.append("{\"name\":\(quote(item.name)),\"ph\":\"C\",\"ts\":\(ts),\"pid\":0,\"tid\":\(thread),\"args\":{\"value\":\(item.value)}}")
            }
        }
        s += lines.joined(separator: ",\n")
        s += "\n]}\n"
        return s
    }

    /// Nanoseconds as microseconds with three decimals (exact).
    static func microseconds(_ ns: UInt64) -> String {
        let frac = ns % 1000
        return "\(ns / 1000)." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + "\(frac)"
    }

    static func args(_ a: [(String, UInt64)]) -> String {
        "{" + a.map { "\(quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if u.value < 0x20 { out += "\\u00" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
