// StatsFile: several statistics dumps in one file (gem5 writes one Begin/End block per dump, e.g.
// one per region of interest), as text or JSON, and parsing both back for `k42sim stats`.
// JSON layout: {"dumps": [{"stats": [{"name": ..., "value": ..., "description": ...}, ...]}, ...]}
// (arrays keep gem5's order; values are the same strings as in the text).
import Foundation

public struct StatsFile: Sendable {
    public var dumps: [StatsReport]
    public init(dumps: [StatsReport] = []) { self.dumps = dumps }

    public func text() -> String { dumps.map { $0.text() }.joined() }

    private struct JSONEntry: Codable { var name: String; var value: String; var description: String }
    private struct JSONDump: Codable { var stats: [JSONEntry] }
    private struct JSONFile: Codable { var dumps: [JSONDump] }

    public func json() -> String {
        let f = JSONFile(dumps: dumps.map { JSONDump(stats: $0.entries.map { JSONEntry(name: $0.name, value: $0.value, description: $0.description) }) })
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? enc.encode(f)) ?? Data(), as: UTF8.self) + "\n"
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses text (Begin/End blocks) or JSON (as written by `json()`).
    public static func parse(_ s: String) throws -> StatsFile {
        if s.drop(while: { $0 == " " || $0 == "\n" }).first == "{" {
            do {
                let f = try JSONDecoder().decode(JSONFile.self, from: Data(s.utf8))
                return StatsFile(dumps: f.dumps.map { d in
                    var r = StatsReport()
                    for e in d.stats { r.add(StatsEntry(e.name, e.value, e.description)) }
                    return r
                })
            } catch {
                throw ParseError(description: "not a k42sim statistics JSON file: \(error)")
            }
        }
        var file = StatsFile()
        var current: StatsReport? = nil
        for (i, raw) in s.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("---------- Begin Simulation Statistics") {
                current = StatsReport()
            } else if line.hasPrefix("---------- End Simulation Statistics") {
                if let c = current { file.dumps.append(c) }
                current = nil
            } else if !line.isEmpty, current != nil {
                let parts = line.split(separator: "#", maxSplits: 1)
                let fields = parts[0].split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count >= 2 else { throw ParseError(description: "line \(i + 1): expected 'name value # description'") }
                let desc = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                current!.add(StatsEntry(String(fields[0]), fields[1...].joined(separator: " "), desc))
            }
        }
        if current != nil { throw ParseError(description: "unterminated statistics block (no End line)") }
        if file.dumps.isEmpty { throw ParseError(description: "no statistics blocks found") }
        return file
    }
}
