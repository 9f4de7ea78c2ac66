// History.swift: `tracejit bench history FILES... -o chart.svg`.
//
// A chart of saved results over time: one line per program, the median of the main subject's metric
// in each result, drawn relative to that program's first appearance (1.0 = as fast as then), so
// programs of very different lengths share one axis; a thick black line is the geometric mean over
// the programs present in each result. Every point's tooltip (<title>) gives the absolute median, the
// result's date and commit. Results are ordered by their date. The SVG is self-contained and
// well-formed XML (checked by the tests with XMLParser).

import Foundation
import Profiler

public enum HistoryChart {
    public struct Series: Equatable {
        public var program: String
        /// (result index, median seconds)
        public var points: [(index: Int, median: Double)]

        public static func == (a: Series, b: Series) -> Bool {
            a.program == b.program && a.points.map(\.index) == b.points.map(\.index) && a.points.map(\.median) == b.points.map(\.median)
        }
    }

    /// Results sorted by date (stable), and each program's medians across them.
    public static func series(_ results: [BenchResult]) -> (ordered: [BenchResult], series: [Series]) {
        let ordered = results.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        var names: [String] = []
        for r in ordered { for p in r.programs where !names.contains(p.program.name) { names.append(p.program.name) } }
        let series = names.map { name -> Series in
            var pts: [(Int, Double)] = []
            for (i, r) in ordered.enumerated() {
                guard let main = r.mainSubject?.name, let p = r.runs(of: name) else { continue }
                let v = p.values(main, r.metric)
                if !v.isEmpty { pts.append((i, Stats.median(v))) }
            }
            return Series(program: name, points: pts)
        }
        return (ordered, series)
    }

    static func esc(_ s: String) -> String { xmlEscaped(s) }

    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                          "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
                          "#e6550d", "#31a354", "#756bb1", "#636363", "#9c9ede", "#cedb9c"]

    public static func svg(_ results: [BenchResult], title: String = "tracejit bench history") -> String {
        let (ordered, series) = series(results)
        let n = ordered.count
        let plotW = 760.0, plotH = 380.0, left = 60.0, top = 50.0, legendW = 220.0
        let width = left + plotW + 20 + legendW, height = top + plotH + 90
        // Relative values.
        var rel: [(Series, [(Int, Double, Double)])] = []
        for s in series {
            guard let first = s.points.first?.median, first > 0 else { continue }
            rel.append((s, s.points.map { ($0.index, $0.median, $0.median / first) }))
        }
        var geo: [(Int, Double)] = []
        for i in 0..<n {
            let vals = rel.compactMap { r in r.1.first { $0.0 == i }?.2 }
            if !vals.isEmpty { geo.append((i, Stats.geometricMean(vals))) }
        }
        let all = rel.flatMap { $0.1.map(\.2) } + [1.0]
        var lo = all.min() ?? 0.9, hi = all.max() ?? 1.1
        if hi - lo < 0.1 { lo -= 0.05; hi += 0.05 }
        let pad = (hi - lo) * 0.08
        lo -= pad; hi += pad
        func x(_ i: Int) -> Double { n <= 1 ? left + plotW / 2 : left + plotW * Double(i) / Double(n - 1) }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / (hi - lo)) }
        func f(_ d: Double) -> String { String(format: "%.1f", d) }

        var o = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="sans-serif" font-size="12">
        <rect x="0" y="0" width="\(f(width))" height="\(f(height))" fill="white"/>
        <text x="\(f(left))" y="24" font-size="16">\(esc(title))</text>
        <text x="\(f(left))" y="40" fill="#555">median per program relative to its first result (lower is faster); black: geometric mean</text>

        """
        // Axes and grid.
        let ticks = 5
        for t in 0...ticks {
            let v = lo + (hi - lo) * Double(t) / Double(ticks)
            o += "<line x1=\"\(f(left))\" y1=\"\(f(y(v)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y(v)))\" stroke=\"#e5e5e5\"/>\n"
            o += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(String(format: "%.2f", v))</text>\n"
        }
        o += "<line x1=\"\(f(left))\" y1=\"\(f(y(1)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y(1)))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
        o += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#333\"/>\n"
        for (i, r) in ordered.enumerated() {
            let label = String(r.date.prefix(16)).replacingOccurrences(of: "T", with: " ")
            let commit = String(r.machine.tracejitCommit.prefix(8))
            o += "<text transform=\"translate(\(f(x(i))),\(f(top + plotH + 14))) rotate(30)\" font-size=\"10\">\(esc(label)) \(esc(commit))</text>\n"
        }
        // Series.
        for (k, (s, pts)) in rel.enumerated() {
            let color = palette[k % palette.count]
            o += "<g class=\"series\" stroke=\"\(color)\" fill=\"\(color)\">\n<title>\(esc(s.program))</title>\n"
            if pts.count > 1 {
                let d = pts.map { "\(f(x($0.0))),\(f(y($0.2)))" }.joined(separator: " ")
                o += "<polyline points=\"\(d)\" fill=\"none\" stroke-width=\"1.5\"/>\n"
            }
            for p in pts {
                let r = ordered[p.0]
                let tip = "\(s.program): \(Reports.secs(p.1)) \(r.metric.label) (\(String(format: "%.3f", p.2))x of first), \(r.date), \(r.machine.tracejitCommit)"
                o += "<circle cx=\"\(f(x(p.0)))\" cy=\"\(f(y(p.2)))\" r=\"3\"><title>\(esc(tip))</title></circle>\n"
            }
            o += "</g>\n"
            let ly = top + 14 * Double(k)
            o += "<rect x=\"\(f(left + plotW + 20))\" y=\"\(f(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            o += "<text x=\"\(f(left + plotW + 36))\" y=\"\(f(ly))\">\(esc(s.program))</text>\n"
        }
        if geo.count > 1 {
            let d = geo.map { "\(f(x($0.0))),\(f(y($0.1)))" }.joined(separator: " ")
            o += "<polyline class=\"geomean\" points=\"\(d)\" fill=\"none\" stroke=\"black\" stroke-width=\"3\"><title>geometric mean</title></polyline>\n"
        }
        o += "</svg>\n"
        return o
    }
}
