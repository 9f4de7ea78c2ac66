// Statistics on synthetic samples with known answers. Nothing here measures time.
import XCTest
@testable import Bench

final class StatisticsTests: XCTestCase {
    func testMedianQuantileSpread() {
        XCTAssertEqual(Stats.median([3, 1, 2]), 2)
        XCTAssertEqual(Stats.median([4, 1, 3, 2]), 2.5)
        XCTAssertTrue(Stats.median([]).isNaN)
        XCTAssertEqual(Stats.quantile([1, 2, 3, 4], 0.25), 1.75, accuracy: 1e-12)  // type 7
        XCTAssertEqual(Stats.iqr([1, 2, 3, 4]), 1.5, accuracy: 1e-12)
        // An outlier moves neither the median nor the MAD much.
        XCTAssertEqual(Stats.mad([1, 2, 3, 4, 100]), 1)
        XCTAssertEqual(Stats.geometricMean([1, 4]), 2, accuracy: 1e-12)
    }

    func testMannWhitneyExactHandComputed() {
        // Complete separation, 5 vs 5: only 2 of C(10,5) = 252 arrangements are as extreme.
        let a = Stats.mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        XCTAssertTrue(a.exact)
        XCTAssertEqual(a.u1, 0)
        XCTAssertEqual(a.u2, 25)
        XCTAssertEqual(a.p, 2.0 / 252, accuracy: 1e-12)
        // 3 vs 3: U1 = #(x > y) = 3; the null distribution of U over C(6,3) = 20 arrangements is
        // 1,1,2,3,3,3,3,2,1,1 for U = 0...9, so P(U <= 3) = 7/20 and the two-sided p is 0.7.
        let b = Stats.mannWhitney([1, 3, 5], [2, 4, 6])
        XCTAssertEqual(b.u1, 3)
        XCTAssertEqual(b.p, 0.7, accuracy: 1e-12)
        // Symmetric in its arguments.
        XCTAssertEqual(Stats.mannWhitney([2, 4, 6], [1, 3, 5]).p, 0.7, accuracy: 1e-12)
        // 3 vs 3 can never reach 0.05: the smallest two-sided p is 2/20.
        XCTAssertEqual(Stats.mannWhitney([1, 2, 3], [4, 5, 6]).p, 0.1, accuracy: 1e-12)
    }

    func testMannWhitneyTiesNormalApproximation() {
        // x = 1 2 2 3, y = 2 3 4 5: mid-ranks 1, 3, 3 | 3, 5.5 | 5.5, 7, 8; R1 = 12.5, U1 = 2.5.
        // Tie groups of 3 and 2: sum(t^3 - t) = 30; var = 16/12 * (9 - 30/56) = 11.2857;
        // z = (|2.5 - 8| - 0.5) / sqrt(var) = 1.48835; p = erfc(z / sqrt 2) = 0.136658.
        let r = Stats.mannWhitney([1, 2, 2, 3], [2, 3, 4, 5])
        XCTAssertFalse(r.exact)
        XCTAssertEqual(r.u1, 2.5)
        XCTAssertEqual(r.p, 0.13665824773814753, accuracy: 1e-9)
        // All equal: no evidence at all.
        XCTAssertEqual(Stats.mannWhitney([1, 1, 1], [1, 1, 1]).p, 1)
    }

    func testBootstrapAgainstExactDistribution() {
        // Bootstrap medians of [1, 2, 3]: P(median = 1) = P(at least two 1s in 3 draws) = 7/27,
        // likewise 3; P(2) = 13/27. So the 95% percentile interval is [1, 3].
        let meds = Stats.bootstrapMedians([1, 2, 3], resamples: 20000)
        let ones = Double(meds.filter { $0 == 1 }.count) / Double(meds.count)
        let twos = Double(meds.filter { $0 == 2 }.count) / Double(meds.count)
        XCTAssertEqual(ones, 7.0 / 27, accuracy: 0.02)
        XCTAssertEqual(twos, 13.0 / 27, accuracy: 0.02)
        let ci = Stats.bootstrapMedianCI([1, 2, 3])
        XCTAssertEqual(ci.low, 1)
        XCTAssertEqual(ci.high, 3)
        // Constant samples: a zero-width interval.
        let c = Stats.bootstrapMedianCI([5, 5, 5, 5])
        XCTAssertEqual(c.low, 5)
        XCTAssertEqual(c.high, 5)
    }

    func testBootstrapIsReproducible() {
        let xs: [Double] = [1.02, 0.98, 1.31, 1.0, 0.97, 1.05, 1.4, 0.99]
        let a = Stats.bootstrapMedianCI(xs), b = Stats.bootstrapMedianCI(xs)
        XCTAssertEqual(a.low, b.low)
        XCTAssertEqual(a.high, b.high)
        XCTAssertLessThanOrEqual(a.low, Stats.median(xs))
        XCTAssertGreaterThanOrEqual(a.high, Stats.median(xs))
        let r1 = Stats.bootstrapRatioCI(base: xs, new: xs.map { $0 * 1.1 })
        let r2 = Stats.bootstrapRatioCI(base: xs, new: xs.map { $0 * 1.1 })
        XCTAssertEqual(r1.low, r2.low)
        XCTAssertEqual(r1.high, r2.high)
        XCTAssertLessThanOrEqual(r1.low, 1.1 + 1e-9)
        XCTAssertGreaterThanOrEqual(r1.high, 1.1 - 1e-9)
    }

    // Deterministic "noise": a fixed jitter pattern in [-1, 1].
    static let jitter: [Double] = [0.3, -0.7, 0.9, -0.1, 0.5, -0.9, 0.1, 0.7, -0.5, -0.3]

    func testVerdictNoChange() {
        let base = Self.jitter.map { 1 + 0.01 * $0 }
        let c = Comparison(base: base, new: base)
        XCTAssertEqual(c.ratio, 1)
        XCTAssertEqual(c.verdict, .noChange)
        XCTAssertFalse(c.significant)
    }

    func testVerdictTenPercentSlowerAndFaster() {
        let base = Self.jitter.map { 1 + 0.01 * $0 }
        let slower = base.reversed().map { $0 * 1.10 }
        let c = Comparison(base: base, new: slower)
        XCTAssertEqual(c.ratio, 1.10, accuracy: 1e-9)
        XCTAssertTrue(c.significant)
        XCTAssertLessThan(c.p, 0.001)
        XCTAssertEqual(c.verdict, .slower)
        XCTAssertGreaterThan(c.ratioCILow, 1.05)
        let f = Comparison(base: base, new: base.map { $0 * 0.8 })
        XCTAssertEqual(f.verdict, .faster)
    }

    func testVerdictNoisyButUnchanged() {
        // Heavy noise with outliers on both sides (a shared machine), the same distribution:
        // the medians differ by chance and the test does not call it.
        let base: [Double] = [1.00, 1.35, 0.97, 1.80, 1.05, 0.99, 1.22, 1.01, 2.40, 1.10]
        let new: [Double] = [1.03, 0.98, 1.60, 1.00, 1.28, 2.10, 0.96, 1.12, 1.04, 1.40]
        let c = Comparison(base: base, new: new)
        XCTAssertGreaterThan(c.p, 0.3)
        XCTAssertEqual(c.verdict, .noChange)
        XCTAssertFalse(c.belowMinimumEffect)
    }

    func testTinyEffectSignificantButBelowMinimumEffect() {
        // 2% slower with almost no noise: the test is certain, the effect is under 5%.
        let base = Self.jitter.map { 1 + 0.0005 * $0 }
        let new = base.map { $0 * 1.02 }
        let c = Comparison(base: base, new: new)
        XCTAssertTrue(c.significant)
        XCTAssertEqual(c.verdict, .noChange)
        XCTAssertTrue(c.belowMinimumEffect)
        // With a 1% minimum effect the same samples are a regression.
        XCTAssertEqual(Comparison(base: base, new: new, minEffect: 0.01).verdict, .slower)
    }

    func testLargeEffectWithTooFewRunsIsNotCalled() {
        // 3 vs 3 cannot be significant at 0.05 whatever the effect: no verdict on thin evidence.
        let c = Comparison(base: [1, 1.01, 0.99], new: [2, 2.01, 1.99])
        XCTAssertEqual(c.verdict, .noChange)
        XCTAssertFalse(c.significant)
    }

    func testSplitMixKnownSequence() {
        // Reference values of SplitMix64 seeded with 0 (from the published algorithm).
        var r = SplitMix64(seed: 0)
        XCTAssertEqual(r.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(r.next(), 0x6E78_9E6A_A1B9_65F4)
        var g = SplitMix64(seed: 42)
        for _ in 0..<1000 { XCTAssertLessThan(g.index(7), 7) }
    }
}
