// TraceCatalog: the host's view of TraceEvents.swift — class and event lookup by id and name,
// `--trace-events` lists, and the text of an event (its definition's format string).

public enum TraceCatalog {
    /// Definitions by (major << 14 | minor).
    static let byID: [UInt64: TraceEventDefinition] = {
        var d: [UInt64: TraceEventDefinition] = [:]
        for e in TraceEventDefinition.all { d[e.id.major << 14 | e.id.minor] = e }
        return d
    }()

    public static func definition(major: UInt64, minor: UInt64) -> TraceEventDefinition? { byID[major << 14 | minor] }

    public static func className(_ major: UInt64) -> String {
        TraceClassDefinition.all.first { $0.major == major }.map { "\($0.name)" } ?? "class\(major)"
    }

    /// "hw.exceptions.exception"; unknown events "class20.minor7".
    public static func eventName(major: UInt64, minor: UInt64) -> String {
        guard let d = definition(major: major, minor: minor) else { return "\(className(major)).minor\(minor)" }
        return "\(className(major)).\(d.name)"
    }

    /// The default of `k42sim boot --trace` without --trace-events.
    public static let defaultEvents = "hw.exceptions,hw.ipi,hw.tlb,hw.simcall,hw.idle,sw.all"

    /// The mask of a comma-separated list of class names, "hw.all", "sw.all" or "all".
    public static func mask(_ list: String) throws(TraceListError) -> UInt64 {
        var m: UInt64 = 1 << TraceMajor.control
        for raw in list.split(separator: ",", omittingEmptySubsequences: false) {
            let name = raw.trimmingCharacters()
            switch name {
            case "all": m |= ~0
            case "hw.all": m |= TraceMajor.hardwareMask
            case "sw.all": m |= TraceMajor.softwareMask
            default:
                guard let c = TraceClassDefinition.all.first(where: { "\($0.name)" == name }) else {
                    throw TraceListError(name: name, known: TraceClassDefinition.all.map { "\($0.name)" } + ["hw.all", "sw.all", "all"])
                }
                m |= 1 << c.major
            }
        }
        return m
    }

    /// The class names a mask holds ("all" classes defined: listed one by one).
    public static func names(of mask: UInt64) -> String {
        TraceClassDefinition.all.filter { mask & (1 << $0.major) != 0 }.map { "\($0.name)" }.joined(separator: ",")
    }

    // MARK: text

    static let mipsCauses = ["Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE", "Sys", "Bp", "RI", "CpU", "Ov", "Tr", "14", "FPE",
                             "16", "17", "C2E", "19", "20", "21", "MDMX", "WATCH", "MCheck", "25", "26", "27", "28", "29", "CacheErr", "31"]

    public static func causeName(_ v: UInt64, isa: TraceISA) -> String {
        if isa == .mips64 { return v < 32 ? mipsCauses[Int(v)] : "\(v)" }
        switch v {
        case 0x100: return "system-reset"
        case 0x200: return "machine-check"
        case 0x300: return "DSI"
        case 0x380: return "data-segment"
        case 0x400: return "ISI"
        case 0x480: return "instruction-segment"
        case 0x500: return "external"
        case 0x600: return "alignment"
        case 0x700: return "program"
        case 0x800: return "FP-unavailable"
        case 0x900: return "decrementer"
        case 0xC00: return "system-call"
        case 0xD00: return "trace"
        case 0xF20: return "vector-unavailable"
        case 0xF40: return "VSX-unavailable"
        default: return "0x" + String(v, radix: 16)
        }
    }

    /// The event's text: its format string with the data words filled in, or the raw words.
    public static func text(_ e: TraceEvent, isa: TraceISA) -> String {
        guard let d = definition(major: e.major, minor: e.minor) else {
            return e.data.map { "0x" + String($0, radix: 16) }.joined(separator: " ")
        }
        let format = "\(d.format)"
        var out = ""
        var i = format.startIndex
        while i < format.endIndex {
            let ch = format[i]
            guard ch == "{", let close = format[i...].firstIndex(of: "}") else { out.append(ch); i = format.index(after: i); continue }
            let spec = format[format.index(after: i) ..< close].split(separator: ":", maxSplits: 1).map(String.init)
            let n = Int(spec.first ?? "") ?? 0
            let v = e[n]
            switch spec.count > 1 ? spec[1] : "" {
            case "x": out += "0x" + String(v, radix: 16)
            case "cause": out += causeName(v, isa: isa)
            case "access": out += v == 0 ? "fetch" : v == 1 ? "read" : v == 2 ? "write" : "access\(v)"
            case "coh":
                if e.minor == TraceEventID.coherenceWriteback.minor { out += v == 0 ? "PutM" : "PutClean" }
                else { out += ["GetS", "GetM", "Upgrade", "Zero"][Int(min(v, 3))] }
            case "node": out += v == UInt64.max ? "memory" : "node \(v)"
            default: out += "\(v)"
            }
            i = format.index(after: close)
        }
        if e.data.count > fieldNames(d).count {
            out += " +" + e.data.dropFirst(fieldNames(d).count).map { "0x" + String($0, radix: 16) }.joined(separator: ",")
        }
        return out
    }

    public static func fieldNames(_ d: TraceEventDefinition) -> [String] {
        "\(d.fields)".split(separator: " ").map(String.init)
    }
}

public struct TraceListError: Error, CustomStringConvertible {
    public let name: String
    public let known: [String]
    public var description: String {
        "unknown trace event class '\(name)' (classes: \(known.joined(separator: ", ")))"
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
