// Analysis.swift: from a session's raw runs to the figures the reports show: per-program summaries
// for every subject, ratios to the peers (and their geometric mean), the VM's own figures, the
// warm-up curve of in-process iterations, and comparisons against a base (a `--vs` build or a saved
// baseline) with verdicts.

import Foundation

public struct ComparisonRow: Codable, Equatable {
    public var program: String
    public var baseMedian: Double
    public var newMedian: Double
    public var comparison: Comparison
}

public struct ProgramAnalysis: Codable, Equatable {
    public var program: String
    public var args: [String]
    /// Summary of the chosen metric per subject name.
    public var summaries: [String: Summary]
    /// Peak RSS (median over runs, KiB) per subject name.
    public var maxRSSKiB: [String: Double]
    /// median(main) / median(peer) per peer name: 2.0 means the main subject took twice as long.
    public var ratios: [String: Double]
    /// Median over runs of each VM figure the main subject reported (nil: none reported).
    public var vm: VMStats?
    /// The same for every subject that reported any figure (main included), by subject name: a
    /// second tracejit (the JIT next to the interpreter) shows its own traces, exits and JIT share.
    public var vmBySubject: [String: VMStats]? = nil
    /// Median over runs of each in-process iteration's seconds (main subject), when supported.
    public var iterations: [Double]?
}

public struct Analysis: Codable, Equatable {
    public var metric: Metric
    public var mainSubject: String
    public var peers: [String]
    public var programs: [ProgramAnalysis]
    /// Geometric mean over programs of each peer ratio.
    public var geomeanRatios: [String: Double]
    /// What the comparison is against ("--vs 'cmd'" or "baseline NAME"), nil when none.
    public var baseLabel: String?
    public var comparisons: [ComparisonRow]
    public var minEffect: Double
    public var alpha: Double
    /// nil: iterations were not requested; false: requested but no subject reported them.
    public var iterationsSupported: Bool?
    /// Subjects each program failed under (with --keep-going).
    public var failures: [String: [String]] = [:]

    public var regressions: [ComparisonRow] { comparisons.filter { $0.comparison.verdict == .slower } }

    /// `baseline`: a saved result to compare the main subject against (by program name); without
    /// it, a `vs` subject in `result` is the base.
    public static func make(_ result: BenchResult, baseline: BenchResult? = nil, baselineName: String? = nil,
                            minEffect: Double = 0.05, alpha: Double = 0.05) -> Analysis {
        let metric = result.metric
        let main = result.mainSubject?.name ?? ""
        let peers = result.subjects.filter { $0.role == .peer }.map(\.name)
        let vsSubject = result.subjects.first { $0.role == .vs }
        var progs: [ProgramAnalysis] = []
        var comps: [ComparisonRow] = []
        var anyIterations = false
        for pr in result.programs {
            var sums: [String: Summary] = [:]
            var rss: [String: Double] = [:]
            for s in result.subjects {
                let v = pr.values(s.name, metric)
                if v.isEmpty { continue }
                sums[s.name] = Summary(v)
                rss[s.name] = Stats.median((pr.samples[s.name] ?? []).map { Double($0.maxRSSKiB) })
            }
            var ratios: [String: Double] = [:]
            if let m = sums[main]?.median {
                for p in peers { if let pm = sums[p]?.median, pm > 0 { ratios[p] = m / pm } }
            }
            var vmBy: [String: VMStats] = [:]
            for s in result.subjects {
                if let v = medianVM((pr.samples[s.name] ?? []).compactMap(\.vm)) { vmBy[s.name] = v }
            }
            let vm = vmBy[main]
            var iters: [Double]?
            if let it = vm?.iterations, !it.isEmpty {
                iters = it
                anyIterations = true
            }
            progs.append(ProgramAnalysis(program: pr.program.name, args: pr.program.args, summaries: sums,
                                         maxRSSKiB: rss, ratios: ratios, vm: vm, vmBySubject: vmBy.isEmpty ? nil : vmBy,
                                         iterations: iters))
            // The base samples for this program.
            var base: [Double] = []
            if let b = baseline {
                if let bm = b.mainSubject?.name, let bp = b.runs(of: pr.program.name) { base = bp.values(bm, metric) }
            } else if let vs = vsSubject {
                base = pr.values(vs.name, metric)
            }
            let new = pr.values(main, metric)
            if !base.isEmpty && !new.isEmpty {
                comps.append(ComparisonRow(program: pr.program.name, baseMedian: Stats.median(base),
                                           newMedian: Stats.median(new),
                                           comparison: Comparison(base: base, new: new, alpha: alpha, minEffect: minEffect)))
            }
        }
        var geo: [String: Double] = [:]
        for p in peers { geo[p] = Stats.geometricMean(progs.compactMap { $0.ratios[p] }) }
        var failures: [String: [String]] = [:]
        for pr in result.programs { if let f = pr.failures, !f.isEmpty { failures[pr.program.name] = f.keys.sorted() } }
        var label: String?
        if baseline != nil { label = "baseline " + (baselineName ?? "") } else if let vs = vsSubject { label = "--vs '\(vs.command)'" }
        return Analysis(metric: metric, mainSubject: main, peers: peers, programs: progs, geomeanRatios: geo,
                        baseLabel: label, comparisons: comps, minEffect: minEffect, alpha: alpha,
                        iterationsSupported: result.iterations == nil ? nil : anyIterations, failures: failures)
    }

    /// Field-wise median over the runs that reported each field.
    static func medianVM(_ xs: [VMStats]) -> VMStats? {
        if xs.isEmpty { return nil }
        func med(_ k: KeyPath<VMStats, Double?>) -> Double? {
            let v = xs.compactMap { $0[keyPath: k] }
            return v.isEmpty ? nil : Stats.median(v)
        }
        var out = VMStats()
        out.traces = med(\.traces)
        out.aborts = med(\.aborts)
        out.exits = med(\.exits)
        out.samples = med(\.samples)
        out.jitSampleShare = med(\.jitSampleShare)
        out.compileSeconds = med(\.compileSeconds)
        out.sideTraces = med(\.sideTraces)
        out.firstTraceSeconds = med(\.firstTraceSeconds)
        out.gcCount = med(\.gcCount)
        out.gcSeconds = med(\.gcSeconds)
        let its = xs.compactMap(\.iterations).filter { !$0.isEmpty }
        if let n = its.map(\.count).min() {
            out.iterations = (0..<n).map { i in Stats.median(its.map { $0[i] }) }
        }
        return out.isEmpty ? nil : out
    }
}

/// JSON coding that survives NaN and infinities (a ratio with a zero median, an empty CI).
public enum BenchJSON {
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}

/// The `--json` export: the raw result and its analysis.
public struct BenchReport: Codable, Equatable {
    public var result: BenchResult
    public var analysis: Analysis

    public init(result: BenchResult, analysis: Analysis) {
        self.result = result
        self.analysis = analysis
    }
}
