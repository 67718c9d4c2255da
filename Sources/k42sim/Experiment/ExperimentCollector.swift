// ExperimentCollector: turns an experiment directory's finished points into results.csv and the
// SVG plots. Per point it reads `status`, the kernel's measurements from simcalls.txt (sim-call
// op 5, keys 0x4B44_0000 + index), and the statistics of the region of interest from stats.json
// (the first dump when there are two or more), and applies the experiment's metrics. A point that
// did not exit 0 — or whose workload check failed — is named with the end of its console log;
// its row says why and has no figures. Returns 0 when every point succeeded, else 1. The output
// depends only on the points' files (no host times), so reruns and any --jobs give the same bytes.
import Foundation

enum ExperimentCollector {
    static func collect(directory: String) throws -> Int32 {
        let plan: ExperimentPlan
        do { plan = try ExperimentPlan.load(directory: directory) } catch {
            fail("\(directory): not an experiment directory (no readable \(ExperimentPlan.fileName))")
        }
        guard let spec = ExperimentSpec.named(plan.experiment) else { fail("\(directory): unknown experiment '\(plan.experiment)'") }
        var rows: [[String]] = []
        var data: [PointData] = []
        var failed = 0
        let header = ["experiment", "isa", "config", "variant", "cpus", "nodes", "status"] + spec.metrics.map(\.key)
        for v in plan.variants {
            for c in plan.cpus {
                let d = directory + "/points/\(v)-\(c)cpu"
                var p = read(point: d, variant: v, cpus: c)
                var status = p.status == 0 ? "ok" : "failed (exit \(p.status))"
                if p.status == 0, let (index, want) = spec.check, p.measurements[index] != want {
                    status = "failed (check)"
                    p.status = -2
                }
                if p.status != 0 {
                    failed += 1
                    let tail = ((try? String(contentsOfFile: d + "/console.log", encoding: .utf8)) ?? "")
                        .split(separator: "\n").suffix(3).joined(separator: " | ")
                    printError("point \(v) at \(c) CPUs \(status): \(tail.isEmpty ? "(no output)" : tail); log: \(d)/console.log")
                }
                let values = spec.metrics.map { m -> String in
                    guard p.status == 0, let x = m.compute(p), x.isFinite else { return "" }
                    return format(x)
                }
                rows.append([plan.experiment, plan.isa, plan.config, v, "\(c)", "\(p.nodes)", status] + values)
                data.append(p)
            }
        }
        let csv = ([header] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        try csv.write(toFile: directory + "/results.csv", atomically: true, encoding: .utf8)
        for plot in spec.plots {
            let series = plot.series.map { (legend, variant, key) -> (String, [(Int, Double)]) in
                let metric = spec.metrics.first { $0.key == key }!
                let pts = data.filter { $0.variant == variant && $0.status == 0 }.compactMap { p in metric.compute(p).map { (p.cpus, $0) } }
                return (legend, pts)
            }.filter { !$0.1.isEmpty || plan.variants.contains($0.0) }
            let svg = SVGPlot(title: "\(plot.title) — \(plan.isa), \(plan.config)", yLabel: plot.unit, logScale: plot.logScale, series: series)
            try svg.render().write(toFile: directory + "/plot-\(plot.name).svg", atomically: true, encoding: .utf8)
        }
        printTable(header: header, rows: rows)
        return failed == 0 ? 0 : 1
    }

    static func read(point d: String, variant: String, cpus: Int) -> PointData {
        let statusText = (try? String(contentsOfFile: d + "/status", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = statusText.flatMap { Int32($0) } ?? -1
        var measurements: [Int: UInt64] = [:]
        if let log = try? String(contentsOfFile: d + "/simcalls.txt", encoding: .utf8) {
            for line in log.split(separator: "\n") where !line.hasPrefix("#") {
                let f = line.split(separator: " ")
                guard f.count == 5, f[2] == "5", let key = UInt64(f[3].dropFirst(2), radix: 16),
                      let value = UInt64(f[4].dropFirst(2), radix: 16), key >= 0x4B44_0000, key < 0x4B45_0000 else { continue }
                measurements[Int(key - 0x4B44_0000)] = value
            }
        }
        var stats: [String: Double] = [:]
        var frequency = 1e9
        if let raw = try? Data(contentsOf: URL(fileURLWithPath: d + "/stats.json")),
           let json = try? JSONSerialization.jsonObject(with: raw) as? [String: Any],
           let dumps = json["dumps"] as? [[String: Any]], let dump = dumps.first,
           let list = dump["stats"] as? [[String: Any]] {
            for s in list {
                guard let name = s["name"] as? String else { continue }
                if let v = s["value"] as? String, let x = Double(v) { stats[name] = x }
                else if let x = s["value"] as? Double { stats[name] = x }
            }
            frequency = stats["simFreq"] ?? frequency
        }
        let nodes = (try? String(contentsOfFile: d + "/config.json", encoding: .utf8)).flatMap(nodesFromConfig) ?? 0
        return PointData(variant: variant, cpus: cpus, nodes: nodes, status: status, measurements: measurements,
                         stats: stats, frequency: frequency)
    }

    static func nodesFromConfig(_ text: String) -> Int? {
        guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return json["nodes"] as? Int
    }

    static func format(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }

    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func printTable(header: [String], rows: [[String]]) {
        let cols = Array(3 ..< header.count)
        let widths = cols.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ r: [String]) -> String {
            zip(cols, widths).map { c, w in r[c].padding(toLength: w, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        writeAll(1, line(header) + "\n" + rows.map(line).joined(separator: "\n") + "\n")
    }
}
