// Statistics.swift: the robust statistics `tracejit bench` bases its verdicts on.
//
// Benchmarks here run on shared, noisy machines: a neighbour's compile job can add 30 % to one run
// and nothing to the next. Means and standard deviations let one such outlier move the answer, so
// every figure is rank- or order-based:
// - location: the median;
// - spread: the median absolute deviation (MAD, unscaled) and the interquartile range;
// - uncertainty: a percentile bootstrap confidence interval of the median (and of the ratio of two
//   medians), drawn from a fixed-seed SplitMix64 generator so the same samples always give the same
//   interval;
// - significance: the two-sided Mann-Whitney U test (exact distribution for small samples without
//   ties, normal approximation with tie and continuity correction otherwise);
// - verdict: "slower"/"faster" only when the test is significant AND the ratio of medians moves past
//   a minimum effect (default 5 %); everything else is "no significant change". A 1 % shift that
//   the test finds real is still reported as no change: it is below what the tool promises to
//   detect on a shared machine.

import Foundation

/// A small, fast, reproducible generator (Steele, Lea, Flood: SplitMix64).
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in 0..<n (n > 0), by the multiply-high method (bias below 2^-50 for our n).
    @inline(__always) public mutating func index(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }
}

public enum Stats {
    /// The fixed seed every bootstrap starts from (results are reproducible run to run).
    public static let defaultSeed: UInt64 = 0x7472_6163_656A_6974  // "tracejit"

    public static func median(_ xs: [Double]) -> Double { medianSorted(xs.sorted()) }

    static func medianSorted(_ s: [Double]) -> Double {
        let n = s.count
        if n == 0 { return .nan }
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
    }

    /// Quantile with linear interpolation between order statistics (Hyndman & Fan type 7, the
    /// default of R and NumPy). `p` in [0, 1].
    public static func quantile(_ xs: [Double], _ p: Double) -> Double { quantileSorted(xs.sorted(), p) }

    static func quantileSorted(_ s: [Double], _ p: Double) -> Double {
        if s.isEmpty { return .nan }
        let h = Double(s.count - 1) * min(max(p, 0), 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }

    /// Median absolute deviation from the median (unscaled; multiply by 1.4826 for a normal sd).
    public static func mad(_ xs: [Double]) -> Double {
        let m = median(xs)
        return median(xs.map { abs($0 - m) })
    }

    public static func iqr(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return quantileSorted(s, 0.75) - quantileSorted(s, 0.25)
    }

    public static func geometricMean(_ xs: [Double]) -> Double {
        let v = xs.filter { $0 > 0 && $0.isFinite }
        if v.isEmpty { return .nan }
        return exp(v.reduce(0) { $0 + log($1) } / Double(v.count))
    }

    // MARK: bootstrap

    /// Percentile bootstrap interval of the median: `resamples` resamples with replacement, the
    /// (1-level)/2 and (1+level)/2 quantiles of their medians.
    public static func bootstrapMedianCI(_ xs: [Double], level: Double = 0.95, resamples: Int = 2000,
                                         seed: UInt64 = defaultSeed) -> (low: Double, high: Double) {
        let meds = bootstrapMedians(xs, resamples: resamples, seed: seed)
        if meds.isEmpty { return (.nan, .nan) }
        let s = meds.sorted()
        return (quantileSorted(s, (1 - level) / 2), quantileSorted(s, (1 + level) / 2))
    }

    /// The medians of `resamples` bootstrap resamples of `xs`, in draw order.
    public static func bootstrapMedians(_ xs: [Double], resamples: Int = 2000, seed: UInt64 = defaultSeed) -> [Double] {
        if xs.isEmpty || resamples <= 0 { return [] }
        var rng = SplitMix64(seed: seed)
        var buf = [Double](repeating: 0, count: xs.count)
        var out: [Double] = []
        out.reserveCapacity(resamples)
        for _ in 0..<resamples {
            for i in 0..<xs.count { buf[i] = xs[rng.index(xs.count)] }
            buf.sort()
            out.append(medianSorted(buf))
        }
        return out
    }

    /// Percentile bootstrap interval of median(b) / median(a), resampling each side independently.
    public static func bootstrapRatioCI(base a: [Double], new b: [Double], level: Double = 0.95,
                                        resamples: Int = 2000, seed: UInt64 = defaultSeed) -> (low: Double, high: Double) {
        if a.isEmpty || b.isEmpty { return (.nan, .nan) }
        let ma = bootstrapMedians(a, resamples: resamples, seed: seed)
        let mb = bootstrapMedians(b, resamples: resamples, seed: seed ^ 0xA5A5_A5A5_5A5A_5A5A)
        var r: [Double] = []
        r.reserveCapacity(resamples)
        for i in 0..<resamples where ma[i] > 0 { r.append(mb[i] / ma[i]) }
        if r.isEmpty { return (.nan, .nan) }
        r.sort()
        return (quantileSorted(r, (1 - level) / 2), quantileSorted(r, (1 + level) / 2))
    }

    // MARK: Mann-Whitney U

    public struct MannWhitney: Equatable {
        /// U of the first sample: the number of pairs (x, y) with x > y, ties counting one half.
        public var u1: Double
        public var u2: Double
        /// Two-sided p-value.
        public var p: Double
        /// True when the p-value came from the exact null distribution (small samples, no ties).
        public var exact: Bool
    }

    /// Two-sided Mann-Whitney U test of `x` against `y`.
    public static func mannWhitney(_ x: [Double], _ y: [Double]) -> MannWhitney {
        let n1 = x.count, n2 = y.count
        if n1 == 0 || n2 == 0 { return MannWhitney(u1: 0, u2: 0, p: 1, exact: false) }
        // Mid-ranks over the pooled sample.
        var pooled: [(v: Double, first: Bool)] = x.map { ($0, true) } + y.map { ($0, false) }
        pooled.sort { $0.v < $1.v }
        let n = pooled.count
        var r1 = 0.0
        var tieTerm = 0.0  // sum of t^3 - t over tie groups
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && pooled[j + 1].v == pooled[i].v { j += 1 }
            let rank = Double(i + j + 2) / 2  // ranks are 1-based
            let t = Double(j - i + 1)
            if t > 1 { tieTerm += t * t * t - t }
            for k in i...j where pooled[k].first { r1 += rank }
            i = j + 1
        }
        let u1 = r1 - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1
        if tieTerm == 0 && n1 + n2 <= 60 {
            let p = exactTwoSidedP(n1: n1, n2: n2, u: min(u1, u2))
            return MannWhitney(u1: u1, u2: u2, p: p, exact: true)
        }
        let mu = Double(n1 * n2) / 2
        let nn = Double(n)
        let variance = Double(n1 * n2) / 12 * ((nn + 1) - tieTerm / (nn * (nn - 1)))
        if variance <= 0 { return MannWhitney(u1: u1, u2: u2, p: 1, exact: false) }
        let z = max(abs(u1 - mu) - 0.5, 0) / variance.squareRoot()
        let p = min(1, erfc(z / 2.0.squareRoot()))
        return MannWhitney(u1: u1, u2: u2, p: p, exact: false)
    }

    /// 2 * P(U <= u) under the null hypothesis, from the exact distribution of U (no ties):
    /// the number of arrangements with U = k satisfies f(m, n, k) = f(m-1, n, k-n) + f(m, n-1, k).
    static func exactTwoSidedP(n1: Int, n2: Int, u: Double) -> Double {
        let maxU = n1 * n2
        // f[m][n] as flat rows for the current m; iterate m from 0 to n1 keeping all n.
        // counts[n][k] for the current m.
        var prev = [[Double]](repeating: [], count: n2 + 1)
        for nn in 0...n2 { prev[nn] = [1] }  // m = 0: only U = 0
        if n1 > 0 {
            for m in 1...n1 {
                var cur = [[Double]](repeating: [], count: n2 + 1)
                cur[0] = [1]  // n = 0: only U = 0
                if n2 > 0 {
                    for nn in 1...n2 {
                        var row = [Double](repeating: 0, count: m * nn + 1)
                        // f(m-1, nn, k - nn): the largest value is from the first sample
                        let a = prev[nn]
                        for k in 0..<a.count where k + nn < row.count { row[k + nn] += a[k] }
                        // f(m, nn-1, k): the largest value is from the second sample
                        let b = cur[nn - 1]
                        for k in 0..<b.count { row[k] += b[k] }
                        cur[nn] = row
                    }
                }
                prev = cur
            }
        }
        let dist = prev[n2]
        let total = dist.reduce(0, +)
        let limit = Int(u.rounded(.down))
        var tail = 0.0
        var k = 0
        while k <= limit && k <= maxU && k < dist.count {
            tail += dist[k]
            k += 1
        }
        return min(1, 2 * tail / total)
    }
}

// MARK: summary and verdict

/// The summary of one set of samples (seconds, or whatever the unit of the metric is).
public struct Summary: Codable, Equatable {
    public var count: Int
    public var median: Double
    public var mad: Double
    public var iqr: Double
    public var min: Double
    public var max: Double
    public var ciLow: Double
    public var ciHigh: Double

    public init(_ xs: [Double], level: Double = 0.95, resamples: Int = 2000) {
        count = xs.count
        median = Stats.median(xs)
        mad = xs.isEmpty ? .nan : Stats.mad(xs)
        iqr = xs.isEmpty ? .nan : Stats.iqr(xs)
        min = xs.min() ?? .nan
        max = xs.max() ?? .nan
        let ci = Stats.bootstrapMedianCI(xs, level: level, resamples: resamples)
        ciLow = ci.low
        ciHigh = ci.high
    }
}

public enum Verdict: String, Codable, Equatable {
    case slower
    case faster
    case noChange = "no significant change"
}

/// The comparison of a new set of samples against a base set.
public struct Comparison: Codable, Equatable {
    /// median(new) / median(base): 1.10 means 10 % slower (for a time metric).
    public var ratio: Double
    public var ratioCILow: Double
    public var ratioCIHigh: Double
    public var p: Double
    public var exactTest: Bool
    public var significant: Bool
    public var verdict: Verdict
    /// Significant by the test, but the change is smaller than the minimum effect.
    public var belowMinimumEffect: Bool

    /// `alpha`: significance level of the Mann-Whitney test; `minEffect`: the smallest relative
    /// change reported (0.05: slower needs ratio >= 1.05, faster needs ratio <= 1/1.05).
    public init(base: [Double], new: [Double], alpha: Double = 0.05, minEffect: Double = 0.05) {
        let mb = Stats.median(base), mn = Stats.median(new)
        ratio = mb > 0 ? mn / mb : .nan
        let ci = Stats.bootstrapRatioCI(base: base, new: new)
        ratioCILow = ci.low
        ratioCIHigh = ci.high
        let mw = Stats.mannWhitney(new, base)
        p = mw.p
        exactTest = mw.exact
        significant = mw.p < alpha
        let bigEnough = ratio >= 1 + minEffect || ratio <= 1 / (1 + minEffect)
        if significant && bigEnough && ratio.isFinite {
            verdict = ratio > 1 ? .slower : .faster
        } else {
            verdict = .noChange
        }
        belowMinimumEffect = significant && !bigEnough
    }
}
