// `k42sim trace dump|stats|export`: reads a trace file written by `k42sim boot --trace` (docs/traces.md).
//   dump FILE [--cpu LIST] [--events LIST] [--from C] [--to C]   one event a line, by cycle
//   stats FILE [same filters]                                     counts per event and CPU, losses
//   export FILE --perfetto OUT | --chrome-json OUT [--interval C] a timeline for ui.perfetto.dev / chrome://tracing
// A truncated or corrupt file is an error naming the byte offset of the first problem (status 2).
import ArgumentParser
import Foundation
import Traces

struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect or export a trace file written by `k42sim boot --trace`.",
        subcommands: [TraceDump.self, TraceStats.self, TraceExportCommand.self])
}

struct TraceFilterOptions: ParsableArguments {
    @Option(help: "Only these CPUs (comma-separated numbers).")
    var cpu: String?

    @Option(help: "Only these event classes (as --trace-events: hw.exceptions, sw.all, ...).")
    var events: String?

    @Option(help: "Only events at or after this cycle.")
    var from: UInt64?

    @Option(help: "Only events before this cycle.")
    var to: UInt64?

    func filter() -> TraceFilter {
        var f = TraceFilter()
        if let cpu {
            var set = Set<Int>()
            for part in cpu.split(separator: ",") {
                guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 0 else { fail("--cpu: '\(part)' is not a CPU number") }
                set.insert(n)
            }
            f.cpus = set
        }
        if let events {
            do { f.mask = try TraceCatalog.mask(events) } catch { fail("--events: \(error)") }
        }
        if let from { f.from = from }
        if let to { f.to = to }
        return f
    }
}

func loadTrace(_ path: String) -> TraceFile {
    guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read") }
    do { return try TraceFile.parse([UInt8](data)) } catch { fail("\(path): \(error)") }
}

struct TraceDump: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dump", abstract: "Print one event a line: cycle, CPU, event, its fields.")

    @Argument(help: "The trace file.")
    var file: String

    @OptionGroup var filters: TraceFilterOptions

    func run() throws {
        let t = loadTrace(file)
        TraceText.dump(t, filter: filters.filter()) { writeAll(1, $0) }
    }
}

struct TraceStats: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Count events per event and CPU; list losses.")

    @Argument(help: "The trace file.")
    var file: String

    @OptionGroup var filters: TraceFilterOptions

    func run() throws {
        writeAll(1, TraceText.stats(loadTrace(file), filter: filters.filter()))
    }
}

struct TraceExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write the trace as a Perfetto protobuf trace or Chrome JSON.")

    @Argument(help: "The trace file.")
    var file: String

    @Option(help: "Write Perfetto's protobuf trace format here (open it in ui.perfetto.dev).")
    var perfetto: String?

    @Option(name: .customLong("chrome-json"), help: "Write Chrome's JSON trace event format here.")
    var chromeJSON: String?

    @Option(help: "Counter-track interval in cycles (cache misses and coherence per interval).")
    var interval: UInt64 = 10_000

    func run() throws {
        guard perfetto != nil || chromeJSON != nil else { fail("export needs --perfetto OUT and/or --chrome-json OUT") }
        guard interval >= 1 else { fail("--interval must be at least 1") }
        let t = loadTrace(file)
        if let perfetto {
            guard FileManager.default.createFile(atPath: perfetto, contents: Data(PerfettoExport.bytes(t, interval: interval))) else {
                fail("\(perfetto): cannot write")
            }
        }
        if let chromeJSON {
            guard FileManager.default.createFile(atPath: chromeJSON, contents: Data(ChromeJSONExport.text(t, interval: interval).utf8)) else {
                fail("\(chromeJSON): cannot write")
            }
        }
    }
}
