import XCTest

@testable import LeadScore

/// Metrics against scikit-learn (AUC, log loss, Brier) and a pandas decile
/// table, committed in Fixtures/metrics.json.
final class BinaryMetricsTests: XCTestCase {
    func testMetricsMatchScikitLearn() throws {
        let f = try Fixtures.json("metrics.json")
        let cases = try XCTUnwrap(f["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 3)
        for c in cases {
            let name = c["name"] as? String ?? "?"
            let y = try Fixtures.doubles(c["y"]), p = try Fixtures.doubles(c["p"])
            let m = BinaryMetrics.compute(labels: y, probabilities: p)
            XCTAssertEqual(m.auc, try Fixtures.double(c["auc"]), accuracy: 1e-12, name)
            XCTAssertEqual(m.logLoss, try Fixtures.double(c["log_loss"]), accuracy: 1e-12, name)
            XCTAssertEqual(m.brier, try Fixtures.double(c["brier"]), accuracy: 1e-12, name)
            guard let deciles = c["deciles"] as? [[String: Any]] else { continue }
            XCTAssertEqual(m.deciles.count, deciles.count, name)
            for (mine, ref) in zip(m.deciles, deciles) {
                XCTAssertEqual(mine.decile, ref["group"] as? Int, name)
                XCTAssertEqual(mine.count, ref["count"] as? Int, name)
                // Pro rata where ties straddle a boundary: fractional, shown rounded.
                let positives = try Fixtures.double(ref["positives"])
                XCTAssertEqual(mine.positives, Int(positives.rounded()), name)
                XCTAssertEqual(mine.observedRate * Double(mine.count), positives, accuracy: 1e-10, name)
                XCTAssertEqual(mine.meanPredicted, try Fixtures.double(ref["mean_predicted"]), accuracy: 1e-12, name)
                XCTAssertEqual(mine.observedRate, try Fixtures.double(ref["observed_rate"]), accuracy: 1e-12, name)
                XCTAssertEqual(mine.lift, try Fixtures.double(ref["lift"]), accuracy: 1e-12, name)
                XCTAssertEqual(mine.cumulativeGain, try Fixtures.double(ref["cumulative_gain"]), accuracy: 1e-12, name)
                XCTAssertEqual(mine.cumulativeLift, try Fixtures.double(ref["cumulative_lift"]), accuracy: 1e-12, name)
            }
        }
    }

    func testAUCEdgeCases() {
        // Constant scores: every pair is a tie, AUC ½.
        XCTAssertEqual(BinaryMetrics.auc(labels: [1, 0, 1, 0], scores: [0.3, 0.3, 0.3, 0.3]), 0.5)
        // Perfect and reversed ranking.
        XCTAssertEqual(BinaryMetrics.auc(labels: [0, 0, 1, 1], scores: [0.1, 0.2, 0.8, 0.9]), 1)
        XCTAssertEqual(BinaryMetrics.auc(labels: [1, 1, 0, 0], scores: [0.1, 0.2, 0.8, 0.9]), 0)
        // One class only: undefined.
        XCTAssertTrue(BinaryMetrics.auc(labels: [1, 1], scores: [0.1, 0.2]).isNaN)
    }

    /// Log loss from log-odds is exact where probabilities round to 1.
    func testLogLossFromLogOddsAvoidsRounding() {
        let m = BinaryMetrics.compute(labels: [0, 1], probabilities: [sigmoid(40), sigmoid(-3)], logOdds: [40, -3])
        XCTAssertEqual(m.logLoss, (40 + exp(-40) + log1p(exp(3))) / 2, accuracy: 1e-12)
    }

    /// Every field of a decile row as bits (NaN equal to NaN, −0 unequal
    /// to +0).
    static func bits(_ rows: [BinaryMetrics.DecileRow]) -> [[UInt64]] {
        rows.map { r in
            [UInt64(r.decile), UInt64(r.count), UInt64(r.positives)]
                + [r.minPredicted, r.maxPredicted, r.meanPredicted, r.observedRate, r.lift, r.cumulativeGain, r.cumulativeLift].map(\.bitPattern)
        }
    }

    /// The ranked AUC equals the midrank definition bit for bit (both are
    /// U / (n₁n₀) computed exactly, then rounded once), and the deciles the
    /// expected-membership definition within 1e-12: ties, −0 beside +0, one
    /// class only, fewer rows than deciles.
    func testRankedMetricsEqualTheirDefinitions() {
        var rng = SeededGenerator(seed: 23)
        for trial in 0..<40 {
            let n = trial < 5 ? 1 + trial * 3 : 1 + rng.index(below: 600)
            let signedZeros = trial % 5 == 0
            let steps = signedZeros ? 4 : [4.0, 50, 1e6, 1e15][trial % 4]
            var p = (0..<n).map { _ in (rng.uniform() * steps).rounded(.down) / steps }
            if signedZeros { p = p.map { $0 == 0 && rng.index(below: 2) == 0 ? -0.0 : $0 } }
            let rate = trial % 7 == 3 ? 0 : 0.4
            let y = p.map { rng.uniform() < rate + 0.5 * $0 ? 1.0 : 0.0 }
            let m = BinaryMetrics.compute(labels: y, probabilities: p)
            let auc = RankingReference.auc(labels: y, scores: p)
            XCTAssertEqual(m.auc.bitPattern, auc.bitPattern, "trial \(trial)")
            XCTAssertEqual(BinaryMetrics.auc(labels: y, scores: p).bitPattern, auc.bitPattern, "trial \(trial)")
            assertDecilesClose(m.deciles, RankingReference.deciles(labels: y, probabilities: p), tolerance: 1e-12, "trial \(trial)")
            XCTAssertEqual(Self.bits(BinaryMetrics.deciles(labels: y, probabilities: p)), Self.bits(m.deciles), "trial \(trial)")
        }
    }

    /// Tied leads have no order: the AUC and the deciles are the same, bit
    /// for bit, whatever the order of the rows (tied scores cut by a decile
    /// boundary share their conversions pro rata).
    func testMetricsDoNotDependOnRowOrder() {
        var rng = SeededGenerator(seed: 31)
        let n = 997
        let p = (0..<n).map { _ in (rng.uniform() * 12).rounded(.down) / 12 }
        let y = p.map { rng.uniform() < 0.2 + 0.6 * $0 ? 1.0 : 0.0 }
        let reference = BinaryMetrics.compute(labels: y, probabilities: p)
        XCTAssertTrue(reference.deciles.contains { Double($0.positives) != $0.observedRate * Double($0.count) }, "some decile boundary cuts a tie group")
        for _ in 0..<5 {
            var order = Array(0..<n)
            rng.shuffle(&order)
            let m = BinaryMetrics.compute(labels: order.map { y[$0] }, probabilities: order.map { p[$0] })
            XCTAssertEqual(m.auc.bitPattern, reference.auc.bitPattern)
            XCTAssertEqual(Self.bits(m.deciles), Self.bits(reference.deciles))
        }
        // By hand: 4 rows tied at 0.5 (2 won) across the boundary of two
        // groups of 2 after one row above: the second group holds 2 of the
        // 4 tied rows, so 1 expected conversion, whatever the row order.
        let d = BinaryMetrics.deciles(labels: [1, 1, 0, 1, 0], probabilities: [0.9, 0.5, 0.5, 0.5, 0.5], groups: 2)
        XCTAssertEqual(d.map(\.count), [3, 2])
        XCTAssertEqual(d.map(\.observedRate), [2.0 / 3, 0.5])
        XCTAssertEqual(d[0].meanPredicted, (0.9 + 0.5 + 0.5) / 3)
    }

    /// A NaN probability has no rank: the ranking is undefined.
    func testNaNProbabilityLeavesTheRankingUndefined() {
        let y: [Double] = [1, 0, 1, 0, 1]
        let p: [Double] = [0.9, .nan, 0.4, 0.2, 0.6]
        let m = BinaryMetrics.compute(labels: y, probabilities: p)
        XCTAssertTrue(m.auc.isNaN)
        XCTAssertEqual(m.deciles, [])
        XCTAssertTrue(BinaryMetrics.auc(labels: y, scores: p).isNaN)
        XCTAssertFalse(m.brier.isNaN && m.rows == 0, "the other metrics are still computed")
    }

    func testStratifiedSplitIsSeededAndStratified() {
        let labels = (0..<1000).map { Double($0 % 4 == 0 ? 1 : 0) }
        let rows = Array(0..<1000)
        let a = StratifiedSplit.split(rows: rows, labels: labels, fraction: 0.3, seed: 7)
        let b = StratifiedSplit.split(rows: rows, labels: labels, fraction: 0.3, seed: 7)
        let c = StratifiedSplit.split(rows: rows, labels: labels, fraction: 0.3, seed: 8)
        XCTAssertEqual(a.holdout, b.holdout)
        XCTAssertNotEqual(a.holdout, c.holdout)
        XCTAssertEqual(a.holdout.count, 300)
        XCTAssertEqual(a.holdout.filter { labels[$0] == 1 }.count, 75)  // round(0.3 × 250)
        XCTAssertEqual(Set(a.train).union(a.holdout).count, 1000)
    }
}
