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
                XCTAssertEqual(mine.positives, ref["positives"] as? Int, name)
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
