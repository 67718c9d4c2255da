// SVGPlot: a line chart as a standalone SVG file — x = CPU count (log 2 spacing, a tick per
// measured count), y linear or log 10 with labelled ticks and the unit, one coloured line with
// markers per series and a legend. Written by hand: no SVG package is among the project's
// allowed dependencies, and the output must be byte-identical across reruns (fixed number
// formatting, no timestamps).
import Foundation

struct SVGPlot {
    var title: String
    var yLabel: String
    var logScale: Bool
    /// (legend, points (x, y)); points with no value are left out.
    var series: [(String, [(Int, Double)])]

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    func render() -> String {
        let width = 720.0, height = 440.0
        let left = 90.0, right = 190.0, top = 50.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xs = Array(Set(series.flatMap { $0.1.map(\.0) })).sorted()
        let ys = series.flatMap { $0.1.map(\.1) }.filter { $0.isFinite && (!logScale || $0 > 0) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(f(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">\(escape(title))</text>\n"
        guard let xMin = xs.first, let xMax = xs.last, let yLo = ys.min(), let yHi = ys.max() else {
            return out + "<text x=\"\(f(width / 2))\" y=\"\(f(height / 2))\" text-anchor=\"middle\">no data</text>\n</svg>\n"
        }
        // x: log2 of the CPU count.
        let lx0 = log2(Double(xMin)), lx1 = max(log2(Double(xMax)), lx0 + 1)
        func px(_ x: Int) -> Double { left + (log2(Double(x)) - lx0) / (lx1 - lx0) * plotW }
        // y: padded range, log10 or linear from 0.
        var y0: Double, y1: Double
        if logScale {
            y0 = pow(10, floor(log10(yLo))); y1 = pow(10, ceil(log10(yHi)))
            if y1 <= y0 { y1 = y0 * 10 }
        } else {
            y0 = min(0, yLo); y1 = yHi > y0 ? niceCeiling(yHi) : y0 + 1
        }
        func py(_ y: Double) -> Double {
            let t = logScale ? (log10(y) - log10(y0)) / (log10(y1) - log10(y0)) : (y - y0) / (y1 - y0)
            return top + plotH - t * plotH
        }
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#444\"/>\n"
        for x in xs {
            out += "<line x1=\"\(f(px(x)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(px(x)))\" y2=\"\(f(top + plotH + 5))\" stroke=\"#444\"/>"
            out += "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(x)</text>\n"
        }
        out += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 18))\" text-anchor=\"middle\">simulated CPUs</text>\n"
        var ticks: [Double] = []
        if logScale {
            var t = y0
            while t <= y1 * 1.0001 { ticks.append(t); t *= 10 }
        } else {
            for i in 0 ... 5 { ticks.append(y0 + (y1 - y0) * Double(i) / 5) }
        }
        for t in ticks {
            out += "<line x1=\"\(f(left - 5))\" y1=\"\(f(py(t)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(t)))\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(f(left - 8))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(label(t))</text>\n"
        }
        out += "<text transform=\"translate(22,\(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        for (i, (name, points)) in series.enumerated() {
            let color = Self.colors[i % Self.colors.count]
            let valid = points.filter { $0.1.isFinite && (!logScale || $0.1 > 0) }.sorted { $0.0 < $1.0 }
            if valid.count > 1 {
                let d = valid.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
                out += "<polyline points=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            }
            for (x, y) in valid {
                out += "<circle cx=\"\(f(px(x)))\" cy=\"\(f(py(y)))\" r=\"3.5\" fill=\"\(color)\"/>\n"
            }
            let ly = top + 10 + Double(i) * 22
            out += "<line x1=\"\(f(left + plotW + 15))\" y1=\"\(f(ly))\" x2=\"\(f(left + plotW + 40))\" y2=\"\(f(ly))\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            out += "<text x=\"\(f(left + plotW + 46))\" y=\"\(f(ly + 4))\">\(escape(name))</text>\n"
        }
        return out + "</svg>\n"
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    private func niceCeiling(_ v: Double) -> Double {
        let e = pow(10, floor(log10(v)))
        for m in [1.0, 2, 2.5, 5, 10] where m * e >= v { return m * e }
        return 10 * e
    }

    private func label(_ v: Double) -> String {
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e9 { return String(format: "%gG", v / 1e9) }
        if a >= 1e6 { return String(format: "%gM", v / 1e6) }
        if a >= 1e4 { return String(format: "%gk", v / 1e3) }
        return String(format: "%g", v)
    }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
