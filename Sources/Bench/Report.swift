// Report.swift: the terminal table and the Markdown, CSV and JSON exports.
//
// Terminal: one table of times (the main subject's median, spread, confidence interval and peak
// memory; every other subject's median; the ratios to the peers, with their geometric mean), the
// VM's own figures ("-" where the build did not report them), the warm-up curve when iterations were
// requested, and the comparison against the base with verdicts. Markdown carries the same tables;
// CSV carries every run's raw values (one row per run), JSON the raw result plus the analysis.

import Foundation

public enum Reports {
    // MARK: formatting helpers

    static func secs(_ x: Double) -> String {
        guard x.isFinite else { return "-" }
        if x >= 100 { return String(format: "%.1f", x) }
        if x >= 10 { return String(format: "%.2f", x) }
        return String(format: "%.3f", x)
    }

    static func opt(_ x: Double?, _ f: (Double) -> String) -> String { x.map(f) ?? "-" }

    static func ratio(_ x: Double?) -> String {
        guard let x = x, x.isFinite else { return "-" }
        return String(format: "%.2fx", x)
    }

    static func percentChange(_ r: Double) -> String {
        guard r.isFinite else { return "-" }
        return String(format: "%+.1f%%", (r - 1) * 100)
    }

    static func pValue(_ p: Double) -> String {
        p < 0.001 ? "<0.001" : String(format: "%.3f", p)
    }

    /// Pads columns: `right[i]` right-aligns column i. Header separated by dashes.
    static func grid(_ header: [String], _ rows: [[String]], right: Set<Int>) -> String {
        var w = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < w.count { w[i] = max(w[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: max(0, w[i] - c.count))
                return right.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = line(header) + "\n" + w.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }

    static func markdownTable(_ header: [String], _ rows: [[String]], right: Set<Int>) -> String {
        func esc(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "| " + header.map(esc).joined(separator: " | ") + " |\n|"
        for i in header.indices { out += right.contains(i) ? "---:|" : "---|" }
        out += "\n"
        for r in rows { out += "| " + r.map(esc).joined(separator: " | ") + " |\n" }
        return out
    }

    // MARK: tables (shared by terminal and Markdown)

    struct Table {
        var title: String
        var header: [String]
        var rows: [[String]]
        var right: Set<Int>
    }

    static func tables(_ r: BenchResult, _ a: Analysis) -> [Table] {
        var out: [Table] = []
        let others = r.subjects.filter { $0.name != a.mainSubject }.map(\.name)
        // Times.
        var h = ["program", "\(a.mainSubject) (\(a.metric.label))", "±MAD", "95% CI", "RSS MB"]
        h += others.map { "\($0)" }
        h += a.peers.map { "\(a.mainSubject)/\($0)" }
        var rows: [[String]] = []
        for p in a.programs {
            let s = p.summaries[a.mainSubject]
            var row = [p.program + (p.args.isEmpty ? "" : " " + p.args.joined(separator: " "))]
            let failed = a.failures[p.program] ?? []
            row.append(failed.contains(a.mainSubject) ? "FAILED" : opt(s?.median, secs))
            row.append(opt(s?.mad, secs))
            row.append(s.map { "\(secs($0.ciLow))–\(secs($0.ciHigh))" } ?? "-")
            row.append(opt(p.maxRSSKiB[a.mainSubject]) { String(format: "%.1f", $0 / 1024) })
            row += others.map { failed.contains($0) ? "FAILED" : opt(p.summaries[$0]?.median, secs) }
            row += a.peers.map { ratio(p.ratios[$0]) }
            rows.append(row)
        }
        if !a.peers.isEmpty {
            var g = ["geometric mean", "", "", "", ""] + others.map { _ in "" }
            g += a.peers.map { ratio(a.geomeanRatios[$0]) }
            rows.append(g)
        }
        let nCols = h.count
        out.append(Table(title: "Times: median of \(r.runs) runs (\(r.warmup) warm-up), \(a.metric.label), size \(r.size)",
                         header: h, rows: rows, right: Set(1..<nCols)))
        // VM figures: the main subject's table always (saying so when nothing was reported), then
        // one per other subject that reported anything (a second tracejit: the JIT next to the
        // interpreter).
        let vh = ["program", "traces", "side", "aborts", "exits", "JIT samples", "1st trace ms", "compile ms", "GC count", "GC ms"]
        func vmRows(_ subject: String) -> [[String]] {
            a.programs.map { p -> [String] in
                let v = p.vmBySubject?[subject] ?? (subject == a.mainSubject ? p.vm : nil)
                return [p.program,
                        opt(v?.traces) { String(format: "%.0f", $0) },
                        opt(v?.sideTraces) { String(format: "%.0f", $0) },
                        opt(v?.aborts) { String(format: "%.0f", $0) },
                        opt(v?.exits) { String(format: "%.0f", $0) },
                        opt(v?.jitSampleShare) { String(format: "%.1f%%", $0 * 100) },
                        opt(v?.firstTraceSeconds) { String(format: "%.1f", $0 * 1000) },
                        opt(v?.compileSeconds) { String(format: "%.1f", $0 * 1000) },
                        opt(v?.gcCount) { String(format: "%.0f", $0) },
                        opt(v?.gcSeconds) { String(format: "%.1f", $0 * 1000) }]
            }
        }
        let anyVM = a.programs.contains { $0.vm != nil }
        out.append(Table(title: "VM figures of \(a.mainSubject) (median over runs)"
                            + (anyVM ? "" : "; none reported by this build (stats channel, docs/bench.md)"),
                         header: vh, rows: vmRows(a.mainSubject), right: Set(1..<vh.count)))
        for s in others where a.programs.contains(where: { $0.vmBySubject?[s] != nil }) {
            out.append(Table(title: "VM figures of \(s) (median over runs)", header: vh, rows: vmRows(s),
                             right: Set(1..<vh.count)))
        }
        // Warm-up curve.
        if let it = r.iterations {
            if a.iterationsSupported == true {
                let ih = ["program", "iterations", "first s", "last s", "first/last", "median s"]
                let irows = a.programs.compactMap { p -> [String]? in
                    guard let xs = p.iterations, let f = xs.first, let l = xs.last else { return nil }
                    return [p.program, String(xs.count), secs(f), secs(l), ratio(l > 0 ? f / l : nil), secs(Stats.median(xs))]
                }
                out.append(Table(title: "In-process iterations (--iterations \(it))", header: ih, rows: irows,
                                 right: Set(1..<ih.count)))
            } else {
                out.append(Table(title: "In-process iterations (--iterations \(it)): not supported by this build "
                                    + "(no subject reported per-iteration times through the stats channel)",
                                 header: [], rows: [], right: []))
            }
        }
        // Comparison.
        if let label = a.baseLabel {
            let ch = ["program", "base", "new", "change", "95% CI of ratio", "p", "verdict"]
            let crows = a.comparisons.map { c -> [String] in
                let k = c.comparison
                var verdict = k.verdict.rawValue
                if k.belowMinimumEffect { verdict += " (significant, below \(Int((a.minEffect * 100).rounded()))%)" }
                return [c.program, secs(c.baseMedian), secs(c.newMedian), percentChange(k.ratio),
                        "\(percentChange(k.ratioCILow)) .. \(percentChange(k.ratioCIHigh))", pValue(k.p), verdict]
            }
            let reg = a.regressions.count
            out.append(Table(title: String(format: "Against %@ (Mann-Whitney alpha %.2f, minimum effect %.0f%%): %d slower, %d faster",
                                           label, a.alpha, a.minEffect * 100, reg,
                                           a.comparisons.filter { $0.comparison.verdict == .faster }.count),
                             header: ch, rows: crows, right: [1, 2, 3, 5]))
        }
        return out
    }

    static func machineLine(_ r: BenchResult) -> String {
        let m = r.machine
        return "\(m.cpuModel), \(m.cores) cores, \(m.kernel), load \(String(format: "%.2f", m.loadAverage)), tracejit \(m.tracejitCommit), \(r.date)"
    }

    /// The terminal report.
    public static func text(_ r: BenchResult, _ a: Analysis) -> String {
        var out = machineLine(r) + "\n"
        for t in tables(r, a) {
            out += "\n" + t.title + "\n"
            if !t.header.isEmpty { out += grid(t.header, t.rows, right: t.right) }
        }
        return out
    }

    public static func markdown(_ r: BenchResult, _ a: Analysis) -> String {
        var out = "# tracejit bench\n\n" + machineLine(r) + "\n\nSubjects: "
            + r.subjects.map { "`\($0.name)` = `\($0.command)`" }.joined(separator: ", ") + "\n"
        for t in tables(r, a) {
            out += "\n**" + t.title + "**\n\n"
            if !t.header.isEmpty { out += markdownTable(t.header, t.rows, right: t.right) }
        }
        return out
    }

    public static let csvHeader = ["program", "args", "subject", "role", "run", "wall_s", "cpu_s", "user_s", "sys_s",
                                   "max_rss_kib", "traces", "aborts", "exits", "jit_sample_share", "compile_s",
                                   "gc_count", "gc_s", "side_traces", "first_trace_s"]

    /// One row per run (RFC 4180 quoting).
    public static func csv(_ r: BenchResult) -> String {
        func q(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func num(_ x: Double?) -> String { x.map { String($0) } ?? "" }
        var out = csvHeader.joined(separator: ",") + "\n"
        for p in r.programs {
            for s in r.subjects {
                for (i, x) in (p.samples[s.name] ?? []).enumerated() {
                    let v = x.vm
                    let cells = [p.program.name, p.program.args.joined(separator: " "), s.name, s.role.rawValue, String(i + 1),
                                 String(x.wallSeconds), String(x.cpuSeconds), String(x.userSeconds), String(x.systemSeconds),
                                 String(x.maxRSSKiB), num(v?.traces), num(v?.aborts), num(v?.exits), num(v?.jitSampleShare),
                                 num(v?.compileSeconds), num(v?.gcCount), num(v?.gcSeconds), num(v?.sideTraces),
                                 num(v?.firstTraceSeconds)]
                    out += cells.map(q).joined(separator: ",") + "\n"
                }
            }
        }
        return out
    }

    /// Parses CSV text (RFC 4180: quoted fields, doubled quotes) into rows of fields.
    public static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var chars = Array(text)
        chars.append("\n")
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" {
                if !(row.isEmpty && field.isEmpty) { row.append(field); rows.append(row) }
                row = []; field = ""
            } else if c != "\r" {
                field.append(c)
            }
            i += 1
        }
        return rows
    }

    public static func json(_ r: BenchResult, _ a: Analysis) throws -> Data {
        try BenchJSON.encoder().encode(BenchReport(result: r, analysis: a))
    }
}
