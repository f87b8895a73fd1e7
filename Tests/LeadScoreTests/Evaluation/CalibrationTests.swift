import Foundation
import XCTest

@testable import LeadScore

/// Reliability tables (statsmodels Wilson intervals), ECE, the Brier
/// decomposition, calibration-in-the-large and slope (statsmodels Logit),
/// Hosmer–Lemeshow (scipy chi2.sf) against Fixtures/comparison.json.
final class CalibrationTests: XCTestCase {
    func testReportMatchesReference() throws {
        let log = Agreement("calibration")
        var checked = 0
        for c in try ComparisonFixture.cases() {
            guard let ref = c["calibration_a"] as? [String: Any] else { continue }
            checked += 1
            let name = c["name"] as? String ?? "?"
            let y = try ComparisonFixture.numbers(c["y"]), p = try ComparisonFixture.numbers(c["a"])
            let report = CalibrationReport.compute(labels: y, probabilities: p)
            XCTAssertEqual(report.rows, ref["rows"] as? Int, name)
            XCTAssertEqual(report.positives, ref["positives"] as? Int, name)
            log.check("mean predicted, observed rate", report.meanPredicted, try ComparisonFixture.number(ref["mean_predicted"]), tolerance: 1e-12, name)
            log.check("mean predicted, observed rate", report.observedRate, try ComparisonFixture.number(ref["observed_rate"]), tolerance: 1e-12, name)

            for (table, key) in [(report.equalWidth, "equal_width"), (report.equalCount, "equal_count")] {
                let refTable = try ComparisonFixture.object(ref[key])
                let refBins = try XCTUnwrap(refTable["bins"] as? [[String: Any]])
                let context = "\(name).\(key)"
                XCTAssertEqual(table.bins.count, 10, context)
                XCTAssertEqual(table.bins.map(\.count), refBins.map { $0["count"] as! Int }, context)
                XCTAssertEqual(table.bins.map(\.positives), refBins.map { $0["positives"] as! Int }, context)
                for (mine, r) in zip(table.bins, refBins) {
                    log.check("bin means", mine.meanPredicted, try ComparisonFixture.number(r["mean_predicted"]), tolerance: 1e-12, context)
                    log.check("bin means", mine.observedRate, try ComparisonFixture.number(r["observed_rate"]), tolerance: 1e-12, context)
                    log.check("bin min/max", mine.minPredicted, try ComparisonFixture.number(r["min_predicted"]), tolerance: 0, context)
                    log.check("bin min/max", mine.maxPredicted, try ComparisonFixture.number(r["max_predicted"]), tolerance: 0, context)
                    log.check("Wilson", mine.wilsonLower, try ComparisonFixture.number(r["wilson_lower"]), tolerance: 1e-12, context)
                    log.check("Wilson", mine.wilsonUpper, try ComparisonFixture.number(r["wilson_upper"]), tolerance: 1e-12, context)
                }
                log.check("ECE \(key)", table.ece, try ComparisonFixture.number(refTable["ece"]), tolerance: 1e-12, context)
                log.check("MCE \(key)", table.mce, try ComparisonFixture.number(refTable["mce"]), tolerance: 1e-12, context)
                let alone = ReliabilityTable.compute(labels: y, probabilities: p, binning: table.binning)
                XCTAssertEqual(alone.bins.map(\.count), table.bins.map(\.count), context)
                XCTAssertEqual(alone.ece, table.ece, context)
            }

            let brier = try ComparisonFixture.object(ref["brier"])
            let b = report.brier
            for (mine, key) in [
                (b.brier, "brier"), (b.reliability, "reliability"), (b.resolution, "resolution"),
                (b.uncertainty, "uncertainty"), (b.withinBinVariance, "within_bin_variance"),
                (b.withinBinCovariance, "within_bin_covariance"),
            ] {
                log.check("Brier parts", mine, try ComparisonFixture.number(brier[key]), tolerance: 1e-12, "\(name).\(key)")
            }
            log.check("Brier identity", b.reliability - b.resolution + b.uncertainty + b.residual, b.brier, tolerance: 4e-15, name)
            log.check("Brier vs BinaryMetrics", b.brier, BinaryMetrics.compute(labels: y, probabilities: p).brier, tolerance: 1e-15, name)
            XCTAssertEqual(BrierDecomposition.compute(labels: y, probabilities: p), b, name)

            log.check("calibration-in-the-large", report.calibrationInTheLarge, try ComparisonFixture.number(ref["calibration_in_the_large"]), tolerance: 1e-12, name)
            let r = report.recalibration
            log.check("calibration intercept (offset)", r.offsetIntercept, try ComparisonFixture.number(ref["calibration_intercept"]), tolerance: 1e-8, name)
            log.check("calibration slope", r.slope, try ComparisonFixture.number(ref["calibration_slope"]), tolerance: 1e-8, name)
            log.check("calibration slope", r.intercept, try ComparisonFixture.number(ref["slope_intercept"]), tolerance: 1e-8, name)
            log.check("slope standard error", r.slopeStandardError, try ComparisonFixture.number(ref["slope_standard_error"]), tolerance: 1e-7, relative: true, name)

            let hl = try ComparisonFixture.object(ref["hosmer_lemeshow"])
            log.check("HL statistic", report.hosmerLemeshow.statistic, try ComparisonFixture.number(hl["statistic"]), tolerance: 1e-12, relative: true, name)
            log.check("HL p-value", report.hosmerLemeshow.pValue, try ComparisonFixture.number(hl["p_value"]), tolerance: 1e-8, relative: true, name)
            XCTAssertEqual(report.hosmerLemeshow.degreesOfFreedom, hl["df"] as? Int, name)
            XCTAssertEqual(report.hosmerLemeshow.groups, hl["groups"] as? Int, name)
        }
        XCTAssertEqual(checked, 4)
        log.report()
    }

    func testChiSquaredSurvivalMatchesScipy() throws {
        let log = Agreement("chi2.sf")
        let grid = try XCTUnwrap(try ComparisonFixture.root()["chi2_sf"] as? [[Any]])
        XCTAssertGreaterThan(grid.count, 250)
        for row in grid {
            let df = try ComparisonFixture.number(row[0]), x = try ComparisonFixture.number(row[1])
            let ref = try ComparisonFixture.number(row[2])
            log.check("Q(df/2, x/2)", ChiSquared.survival(x, degreesOfFreedom: df), ref, tolerance: 1e-12, relative: true, "df \(df) x \(x)")
        }
        log.report()
    }

    func testIncompleteGammaClosedForms() {
        for x in [0.001, 0.3, 1, 2.5, 7, 30, 200] {
            // Q(1, x) = e^(−x); Q(½, x) = erfc(√x); Q(2, x) = (1 + x) e^(−x).
            XCTAssertEqual(ChiSquared.regularizedGammaQ(1, x), exp(-x), accuracy: 1e-13 * exp(-x), "x \(x)")
            XCTAssertEqual(ChiSquared.regularizedGammaQ(0.5, x), erfc(x.squareRoot()), accuracy: 1e-13 * erfc(x.squareRoot()), "x \(x)")
            XCTAssertEqual(ChiSquared.regularizedGammaQ(2, x), (1 + x) * exp(-x), accuracy: 1e-13 * (1 + x) * exp(-x), "x \(x)")
        }
        XCTAssertEqual(ChiSquared.regularizedGammaQ(3, 0), 1)
        XCTAssertEqual(ChiSquared.regularizedGammaQ(3, .infinity), 0)
        XCTAssertTrue(ChiSquared.regularizedGammaQ(0, 1).isNaN)
        XCTAssertTrue(ChiSquared.regularizedGammaQ(1, -1).isNaN)
        XCTAssertTrue(ChiSquared.regularizedGammaQ(.nan, 1).isNaN)
        XCTAssertEqual(ChiSquared.survival(-1, degreesOfFreedom: 3), 1)
        XCTAssertEqual(ChiSquared.survival(.infinity, degreesOfFreedom: 3), 0)
        XCTAssertTrue(ChiSquared.survival(1, degreesOfFreedom: 0).isNaN)
    }

    // MARK: - Binning conventions and edge cases

    /// Bin k is [k/10, (k+1)/10): a value on an edge goes up; 1 is in the last bin.
    func testEqualWidthEdgesAreInclusiveBelow() {
        let p: [Double] = [0, 0.1, 0.3, 0.7, 0.6, 0.99999, 1, 0.0999999, 0.3 - 1e-17, 0.30000000000000004]
        let expected = [0, 1, 3, 7, 6, 9, 9, 0, 3, 3]
        XCTAssertEqual(p.map { Binning.equalWidthIndex($0, bins: 10) }, expected)
        // 0.29999999999999993 is the double below 0.3.
        XCTAssertEqual(Binning.equalWidthIndex(0.3.nextDown, bins: 10), 2)
        XCTAssertEqual(Binning.equalWidthIndex(0.5, bins: 2), 1)
        XCTAssertEqual(Binning.equalWidthIndex(0.5.nextDown, bins: 2), 0)
    }

    /// Empty bins are reported with count 0 and NaN, and skipped by ECE.
    func testEmptyBins() {
        let y: [Double] = [0, 1, 1]
        let p: [Double] = [0.05, 0.95, 0.95]
        let t = ReliabilityTable.compute(labels: y, probabilities: p, binning: .equalWidth(10))
        XCTAssertEqual(t.bins.map(\.count), [1, 0, 0, 0, 0, 0, 0, 0, 0, 2])
        XCTAssertTrue(t.bins[4].meanPredicted.isNaN && t.bins[4].observedRate.isNaN && t.bins[4].wilsonLower.isNaN)
        XCTAssertEqual(t.bins[4].lowerEdge, 0.4)
        XCTAssertEqual(t.bins[4].upperEdge, 0.5)
        XCTAssertEqual(t.bins[9].upperEdge, 1)
        XCTAssertEqual(t.ece, (1.0 / 3) * 0.05 + (2.0 / 3) * 0.05, accuracy: 1e-15)
        XCTAssertEqual(t.mce, 0.05, accuracy: 1e-15)
        // Wilson for 0 of 1 and 2 of 2.
        XCTAssertEqual(t.bins[0].wilsonLower, 0)
        XCTAssertEqual(t.bins[9].wilsonUpper, 1)
        // Fewer rows than groups: sizes 1, 1, 1, then empty groups.
        let c = ReliabilityTable.compute(labels: y, probabilities: p, binning: .equalCount(5))
        XCTAssertEqual(c.bins.map(\.count), [1, 1, 1, 0, 0])
        XCTAssertEqual(c.bins[2].lowerEdge, 0.95)  // equal count: the group's smallest and largest p
        XCTAssertTrue(c.bins[3].lowerEdge.isNaN)
    }

    /// Equal-count groups follow numpy.array_split of a stable ascending sort.
    func testEqualCountGroupsSplitTiesByRowOrder() {
        let p: [Double] = [0.5, 0.2, 0.5, 0.2, 0.5, 0.9, 0.2]
        let groups = Binning.equalCount(3).groups(p)
        XCTAssertEqual(groups, [[1, 3, 6], [0, 2], [4, 5]])
    }

    /// Wilson interval against a value computed by hand (4 of 10).
    func testWilsonInterval() {
        let (lower, upper) = CalibrationSupport.wilson(positives: 4, count: 10)
        let z = 1.959963984540054, n = 10.0, q = 0.4
        let centre = (q + z * z / (2 * n)) / (1 + z * z / n)
        let half = z / (1 + z * z / n) * (q * (1 - q) / n + z * z / (4 * n * n)).squareRoot()
        XCTAssertEqual(lower, centre - half, accuracy: 1e-15)
        XCTAssertEqual(upper, centre + half, accuracy: 1e-15)
        XCTAssertEqual(lower, 0.16818, accuracy: 1e-5)  // textbook value
        XCTAssertEqual(upper, 0.68732, accuracy: 1e-5)
    }

    /// One class: the tables, ECE, Brier parts and Hosmer–Lemeshow are
    /// defined; the logistic recalibration is NaN.
    func testOneClass() {
        let y = [Double](repeating: 0, count: 30)
        let p = (0..<30).map { Double($0) / 60 }
        let r = CalibrationReport.compute(labels: y, probabilities: p)
        XCTAssertEqual(r.positives, 0)
        XCTAssertEqual(r.brier.uncertainty, 0)
        XCTAssertEqual(r.brier.resolution, 0)
        XCTAssertFalse(r.equalWidth.ece.isNaN)
        XCTAssertEqual(r.equalCount.bins.map(\.count), [Int](repeating: 3, count: 10))
        XCTAssertTrue(r.recalibration.slope.isNaN)
        XCTAssertTrue(r.recalibration.offsetIntercept.isNaN)
        XCTAssertFalse(r.hosmerLemeshow.statistic.isNaN)
        XCTAssertEqual(r.calibrationInTheLarge, -p.reduce(0, +) / 30, accuracy: 1e-15)
    }

    /// Constant probabilities: no slope (the design is constant), but the
    /// offset intercept is logit(ȳ) − logit(p).
    func testConstantProbabilities() {
        let y: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
        let p = [Double](repeating: 0.4, count: 10)
        let r = CalibrationReport.compute(labels: y, probabilities: p)
        XCTAssertTrue(r.recalibration.slope.isNaN)
        XCTAssertEqual(r.recalibration.offsetIntercept, log(0.2 / 0.8) - log(0.4 / 0.6), accuracy: 1e-14)
        XCTAssertEqual(r.equalWidth.bins[4].count, 10)
        XCTAssertEqual(r.brier.withinBinVariance, 0, accuracy: 1e-30)
        XCTAssertEqual(r.brier.brier, r.brier.reliability - r.brier.resolution + r.brier.uncertainty, accuracy: 1e-16)
    }

    /// NaN or out-of-range probabilities make the whole report undefined.
    func testInvalidProbabilitiesGiveUndefinedReport() {
        let y: [Double] = [1, 0, 1, 0]
        for bad: Double in [.nan, 1.5, -0.1] {
            let r = CalibrationReport.compute(labels: y, probabilities: [0.2, bad, 0.6, 0.4])
            XCTAssertEqual(r.rows, 4)
            XCTAssertTrue(r.equalWidth.bins.isEmpty && r.equalCount.bins.isEmpty)
            XCTAssertTrue(r.equalWidth.ece.isNaN && r.brier.brier.isNaN && r.recalibration.slope.isNaN)
            XCTAssertTrue(r.hosmerLemeshow.pValue.isNaN && r.meanPredicted.isNaN)
        }
        let empty = CalibrationReport.compute(labels: [], probabilities: [])
        XCTAssertEqual(empty.rows, 0)
        XCTAssertTrue(empty.equalWidth.ece.isNaN && empty.brier.brier.isNaN && empty.hosmerLemeshow.statistic.isNaN)
    }

    /// Hosmer–Lemeshow groups with mean prediction 0: 0/0 adds 0, a win
    /// there adds +∞ (p-value 0).
    func testHosmerLemeshowDegenerateGroups() {
        let p: [Double] = [0, 0, 0.3, 0.35, 0.6, 0.65, 0.8, 0.85]
        var y: [Double] = [0, 0, 0, 1, 1, 0, 1, 1]
        let hl = HosmerLemeshow.compute(labels: y, probabilities: p, groups: 4)
        // Groups {0, 0}, {.3, .35}, {.6, .65}, {.8, .85}; the first adds 0.
        func term(_ o: Double, _ ps: [Double]) -> Double {
            let n = Double(ps.count), m = ps.reduce(0, +) / n
            return (o - n * m) * (o - n * m) / (n * m * (1 - m))
        }
        let expected = term(1, [0.3, 0.35]) + term(1, [0.6, 0.65]) + term(2, [0.8, 0.85])
        XCTAssertEqual(hl.statistic, expected, accuracy: 1e-14)
        XCTAssertEqual(hl.degreesOfFreedom, 2)
        XCTAssertEqual(hl.pValue, exp(-expected / 2), accuracy: 1e-14)  // χ²₂ survival is e^(−x/2)
        y[0] = 1
        let inf = HosmerLemeshow.compute(labels: y, probabilities: p, groups: 4)
        XCTAssertEqual(inf.statistic, .infinity)
        XCTAssertEqual(inf.pValue, 0)
        // Two groups leave no degrees of freedom.
        XCTAssertTrue(HosmerLemeshow.compute(labels: y, probabilities: p, groups: 2).pValue.isNaN)
    }

    /// The recalibration of σ(α + β·logit) data recovers α and β roughly,
    /// and of the true probabilities gives slope ≈ 1, intercepts ≈ 0.
    func testRecalibrationOfKnownMiscalibration() {
        var g = SeededGenerator(seed: 3)
        let n = 20_000
        var y: [Double] = [], p: [Double] = [], q: [Double] = []
        for _ in 0..<n {
            let eta = 4 * g.uniform() - 2
            let truth = sigmoid(eta)
            y.append(g.uniform() < truth ? 1 : 0)
            p.append(truth)
            q.append(sigmoid(2 * eta + 0.5))  // over-confident and too high
        }
        let good = LogisticRecalibration.fit(labels: y, probabilities: p)
        XCTAssertEqual(good.slope, 1, accuracy: 4 * good.slopeStandardError)
        XCTAssertEqual(good.offsetIntercept, 0, accuracy: 0.05)
        let bad = LogisticRecalibration.fit(labels: y, probabilities: q)
        XCTAssertEqual(bad.slope, 0.5, accuracy: 4 * bad.slopeStandardError)
        XCTAssertEqual(bad.intercept, -0.25, accuracy: 0.1)
        XCTAssertLessThan(bad.offsetIntercept, -0.2)
    }

    /// Probabilities of exactly 0 and 1 are clipped to 1e-15 before the logit.
    func testClippingAtZeroAndOne() {
        let y: [Double] = [0, 0, 1, 0, 1, 1, 0, 1]
        let p: [Double] = [0, 0.2, 0.3, 0.5, 0.5, 0.7, 0.8, 1]
        let r = LogisticRecalibration.fit(labels: y, probabilities: p)
        XCTAssertFalse(r.offsetIntercept.isNaN)
        let logits = p.map { v -> Double in let q = min(max(v, 1e-15), 1 - 1e-15); return log(q / (1 - q)) }
        var score = 0.0
        for i in y.indices { score += y[i] - sigmoid(r.offsetIntercept + logits[i]) }
        XCTAssertEqual(score, 0, accuracy: 1e-12)
    }
}
