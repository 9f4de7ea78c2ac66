// TextReport.swift: the report `--profile` prints after a run.
//
// Fits in `width` columns (default 100): long names are shortened in the middle so both the
// start (module/type) and the end (function) stay readable. ANSI color only when asked (the CLI
// asks when the stream is a TTY).

import Foundation

public struct TextReport {
    public var width: Int = 100
    public var color: Bool = false
    public var topFunctions: Int = 15
    public var topLines: Int = 10

    public init(width: Int = 100, color: Bool = false, topFunctions: Int = 15, topLines: Int = 10) {
        self.width = max(width, 60)
        self.color = color
        self.topFunctions = topFunctions
        self.topLines = topLines
    }

    private func c(_ code: String, _ s: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    public func render(_ p: Profile) -> String {
        var out: [String] = []
        let total = max(p.totalWeight, 1)
        func pct(_ w: Int) -> String { String(format: "%5.1f%%", 100.0 * Double(w) / Double(total)) }
        let periodMs = Double(p.periodNanoseconds) / 1e6

        out.append(c("1", "tracejit profile"))
        out.append(String(format: "  %d samples (%d periods of %.3g ms), %.3f s CPU, %.3f s wall",
                          p.sampleCount, p.totalWeight, periodMs, p.cpuSeconds, p.wallSeconds))
        out.append(String(format: "  timer: %@ at %d Hz requested, %.0f Hz achieved; %d missed periods; %d dropped",
                          p.timer, p.requestedHz, p.achievedHz, p.missedPeriods, p.dropped))
        if p.handlerSeconds > 0 && p.sampleCount > 0 {
            out.append(String(format: "  sampler cost: %.1f µs per sample in the handler (%.2f%% of CPU), plus signal delivery",
                              p.handlerSeconds * 1e6 / Double(p.sampleCount), 100 * p.handlerSeconds / max(p.cpuSeconds, 1e-9)))
        }
        if p.throttles > 0 {
            out.append(c("33", String(format: "  warning: sampling slowed to %.0f Hz: the handler and its signal took more than a quarter of each period",
                                      1e9 / Double(max(p.finalPeriodNanoseconds, 1)))))
        }
        if p.dropped > 0 {
            out.append(c("33", "  warning: \(p.dropped) samples (\(p.droppedWeight) periods) were dropped: the ring was full"))
        }
        out.append("")

        out.append(c("1", "VM state"))
        let states = p.stateWeights
        let barWidth = min(40, width - 40)
        for st in VMState.allCases {
            guard let w = states[st], w > 0 else { continue }
            let n = Int((Double(w) / Double(total) * Double(barWidth)).rounded())
            let bar = String(repeating: "#", count: n)
            out.append("  " + pad(st.displayName, 20) + lpad(String(w), 8) + "  " + pct(w) + "  " + c("36", bar))
        }
        out.append("")

        let traces = p.traceStats()
        if !traces.isEmpty {
            // Where the JIT code's time went: per trace, its share and the source lines of the
            // compiled code that was running (docs/profiler.md, "JIT code").
            let jw = p.jitWeight
            out.append(c("1", "JIT code by trace") + String(format: "  (%.1f%% of samples in %d trace%@)",
                                                           100.0 * Double(jw) / Double(total), traces.count,
                                                           traces.count == 1 ? "" : "s"))
            let fnW = 28
            out.append(c("2", "  " + lpad("trace", 5) + " " + lpad("samples", 9) + " " + lpad("share", 7) + "  " +
                              pad("function", fnW) + "  lines (share of the trace)"))
            for tr in traces.prefix(topFunctions) {
                let tw = max(tr.weight, 1)
                var fn = tr.function.name
                if let r = fn.range(of: " [trace ") { fn = String(fn[..<r.lowerBound]) }
                if !tr.function.file.isEmpty {
                    fn += " (" + tr.function.file + (tr.function.definedLine > 0 ? ":\(tr.function.definedLine)" : "") + ")"
                }
                var row = "  " + lpad(String(tr.trace), 5) + " " + lpad(String(tr.weight), 9) + " " + pct(tr.weight) + "  " +
                    pad(shorten(fn, fnW), fnW) + "  "
                // lines by weight (file base names: the function column has the path), and the
                // trace's entry/exit handling; as many as fit
                var parts: [(String, Int)] = tr.lines.map {
                    ((($0.function.file as NSString).lastPathComponent + ":\($0.function.line)"), $0.weight)
                }
                if tr.transitionWeight > 0 { parts.append(("entry/exit", tr.transitionWeight)) }
                parts.sort { $0.1 > $1.1 }
                var shown = 0
                for (name, w) in parts {
                    let item = (shown > 0 ? ", " : "") + name + String(format: " %.0f%%", 100.0 * Double(w) / Double(tw))
                    if shown > 0 && row.count + item.count > width { break }
                    row += item
                    shown += 1
                }
                if parts.isEmpty { row += "(no line information)" }
                out.append(String(row.prefix(width)).trimmingTrailing())
            }
            out.append("")
        }

        let stats = p.functionStats()
        // columns: "  self%  total%   samples  name  location"
        let fixed = 2 + 7 + 1 + 7 + 1 + 9 + 2
        let nameW = (width - fixed) * 3 / 5
        let locW = width - fixed - nameW - 2
        let header = "  " + lpad("self", 7) + " " + lpad("total", 7) + " " + lpad("samples", 9) + "  " +
            pad("function", nameW) + "  " + "location"
        func row(_ s: FunctionStat, _ weight: Int) -> String {
            let name = truncateEnd(s.function.displayLabel, nameW)
            let loc = shorten(location(of: s.function), locW)
            let line = "  " + pct(s.selfWeight) + "  " + pct(s.totalWeight) + " " + lpad(String(weight), 9) + "  " +
                pad(name, nameW) + "  " + loc
            return String(line.prefix(width)).trimmingTrailing()
        }
        out.append(c("1", "Top functions by self time"))
        out.append(c("2", header))
        for s in stats.prefix(topFunctions) where s.selfWeight > 0 { out.append(row(s, s.selfWeight)) }
        out.append("")
        out.append(c("1", "Top functions by total time"))
        out.append(c("2", header))
        let byTotal = stats.sorted {
            $0.totalWeight != $1.totalWeight ? $0.totalWeight > $1.totalWeight : $0.function.label < $1.function.label
        }
        for s in byTotal.prefix(topFunctions) { out.append(row(s, s.totalWeight)) }
        out.append("")

        let lines = p.lineStats()
        if !lines.isEmpty {
            out.append(c("1", "Top source lines"))
            let locW2 = (width - 22) / 2
            out.append(c("2", "  " + lpad("self", 7) + " " + lpad("samples", 9) + "  " + pad("line", locW2) + "  function"))
            for l in lines.prefix(topLines) {
                let s = "  " + pct(l.weight) + " " + lpad(String(l.weight), 9) + "  " +
                    pad(shorten(l.function.location, locW2), locW2) + "  " + shorten(l.function.name, width - 22 - locW2)
                out.append(String(s.prefix(width)).trimmingTrailing())
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func location(of f: ProfileFrame) -> String {
        switch f.kind {
        case .lua, .jit: return f.definedLine > 0 ? "\(f.file):\(f.definedLine)" : f.file
        default: return f.file.isEmpty ? "" : (f.file as NSString).lastPathComponent
        }
    }
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }

/// Cuts to at most n characters, marking the cut with "…" (function names: the start names them).
func truncateEnd(_ s: String, _ n: Int) -> String {
    if s.count <= n { return s }
    return n <= 1 ? String(s.prefix(n)) : String(s.prefix(n - 1)) + "…"
}

/// Shortens to at most n characters, eliding the middle (paths: both ends matter).
func shorten(_ s: String, _ n: Int) -> String {
    if s.count <= n { return s }
    if n <= 3 { return String(s.prefix(n)) }
    let keepEnd = (n - 1) / 2, keepStart = n - 1 - keepEnd
    return String(s.prefix(keepStart)) + "…" + String(s.suffix(keepEnd))
}

extension String {
    func trimmingTrailing() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
