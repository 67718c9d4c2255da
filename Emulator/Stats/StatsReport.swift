// StatsReport: statistics in gem5's text layout (`name  value  # description (unit)` between
// Begin/End delimiters). Host-dependent entries are named `host*` so that determinism checks
// can ignore exactly those lines.

public struct StatsEntry: Sendable {
    public var name: String
    public var value: String
    public var description: String

    public init(_ name: String, _ value: String, _ description: String) {
        self.name = name; self.value = value; self.description = description
    }
    public init(_ name: String, _ value: UInt64, _ description: String) {
        self.init(name, String(value), description)
    }
    public init(_ name: String, _ value: Double, _ description: String) {
        self.init(name, StatsReport.format(value), description)
    }
}

public struct StatsReport: Sendable {
    public var entries: [StatsEntry] = []
    public init() {}

    public mutating func add(_ e: StatsEntry) { entries.append(e) }

    public static func format(_ v: Double) -> String {
        if v.isNaN || v.isInfinite { return String(v) }
        // Six decimals, like gem5's default precision.
        let scaled = (v * 1_000_000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let a = Swift.abs(scaled)
        let whole = UInt64(a / 1_000_000)
        let frac = UInt64(a.truncatingRemainder(dividingBy: 1_000_000))
        let fs = String(frac)
        return "\(sign)\(whole).\(String(repeating: "0", count: 6 - fs.count))\(fs)"
    }

    public func text() -> String {
        var out = "\n---------- Begin Simulation Statistics ----------\n"
        for e in entries {
            let name = e.name.count < 46 ? e.name + String(repeating: " ", count: 46 - e.name.count) : e.name + " "
            let value = e.value.count < 16 ? e.value + String(repeating: " ", count: 16 - e.value.count) : e.value + " "
            out += "\(name)\(value)# \(e.description)\n"
        }
        out += "\n---------- End Simulation Statistics   ----------\n"
        return out
    }
}
