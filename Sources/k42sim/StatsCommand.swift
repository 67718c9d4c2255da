// `k42sim stats FILE [FILE2]`: pretty-prints a statistics file (text or JSON, one or more dumps),
// or compares two side by side: both values and the relative difference (FILE2 - FILE) / FILE.
// Dumps are paired by position; names missing from one side show "-".
import ArgumentParser
import Emulator
import Foundation

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a statistics file, or compare two side by side.")

    @Argument(help: "A stats.txt or stats.json file.")
    var file: String

    @Argument(help: "A second statistics file to compare against the first.")
    var other: String?

    @Option(help: "Only statistics whose name contains this text.")
    var filter: String?

    func run() throws {
        let a = load(file)
        if let other {
            writeAll(1, Self.compare(a, load(other), filter: filter))
        } else {
            writeAll(1, Self.render(a, filter: filter))
        }
    }

    private func load(_ path: String) -> StatsFile {
        guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read") }
        do { return try StatsFile.parse(String(decoding: data, as: UTF8.self)) } catch { fail("\(path): \(error)") }
    }

    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
    static func padLeft(_ s: String, _ w: Int) -> String { s.count >= w ? " " + s : String(repeating: " ", count: w - s.count) + s }

    static func render(_ f: StatsFile, filter: String?) -> String {
        var out = ""
        for (i, d) in f.dumps.enumerated() {
            let entries = d.entries.filter { filter == nil || $0.name.contains(filter!) }
            let w = max(20, entries.map(\.name.count).max() ?? 0)
            if f.dumps.count > 1 { out += "== dump \(i + 1) of \(f.dumps.count)\n" }
            for e in entries { out += pad(e.name, w) + " " + padLeft(e.value, 16) + "  # \(e.description)\n" }
        }
        return out
    }

    /// Relative difference (b - a) / a as a percentage string.
    static func relative(_ a: String, _ b: String) -> String {
        guard let x = Double(a), let y = Double(b) else { return a == b ? "" : "differs" }
        if x == y { return "0.00%" }
        if x == 0 { return "new" }
        let r = (y - x) / Swift.abs(x) * 100
        return (r > 0 ? "+" : "") + String(format: "%.2f%%", r)
    }

    static func compare(_ a: StatsFile, _ b: StatsFile, filter: String?) -> String {
        var out = ""
        let n = max(a.dumps.count, b.dumps.count)
        for i in 0 ..< n {
            let da = i < a.dumps.count ? a.dumps[i].entries : [], db = i < b.dumps.count ? b.dumps[i].entries : []
            var vb: [String: String] = [:]
            for e in db { vb[e.name] = e.value }
            var names = da.map(\.name)
            let seen = Set(names)
            names += db.map(\.name).filter { !seen.contains($0) }
            var va: [String: String] = [:]
            for e in da { va[e.name] = e.value }
            names = names.filter { filter == nil || $0.contains(filter!) }
            let w = max(20, names.map(\.count).max() ?? 0)
            if n > 1 { out += "== dump \(i + 1) of \(n)\n" }
            out += pad("name", w) + " " + padLeft("first", 16) + " " + padLeft("second", 16) + " " + padLeft("rel.diff", 10) + "\n"
            for name in names {
                let x = va[name] ?? "-", y = vb[name] ?? "-"
                let rel = (x == "-" || y == "-") ? "" : relative(x, y)
                out += pad(name, w) + " " + padLeft(x, 16) + " " + padLeft(y, 16) + " " + padLeft(rel, 10) + "\n"
            }
        }
        return out
    }
}
