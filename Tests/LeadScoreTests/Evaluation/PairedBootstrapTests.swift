import XCTest

@testable import LeadScore

/// The weighted statistics behind the paired bootstrap: a row of weight w
/// must count exactly as w copies of it.
final class PairedBootstrapTests: XCTestCase {
    func testWeightedAUCEqualsAUCOfRepeatedRows() throws {
        let f = try Fixtures.json("metrics.json")
        let cases = try XCTUnwrap(f["cases"] as? [[String: Any]])
        var rng = SeededGenerator(seed: 5)
        for c in cases {
            let y = try Fixtures.doubles(c["y"]), p = try Fixtures.doubles(c["p"])
            let ranked = try XCTUnwrap(RankedScores(scores: p, labels: y))
            XCTAssertEqual(ranked.auc(weights: [Double](repeating: 1, count: y.count)).bitPattern, BinaryMetrics.auc(labels: y, scores: p).bitPattern)
            // A bootstrap-like resample: multiplicities 0, 1, 2, 3.
            let w = y.indices.map { _ in Double(rng.index(below: 4)) }
            var yy: [Double] = [], pp: [Double] = []
            for i in y.indices { for _ in 0..<Int(w[i]) { yy.append(y[i]); pp.append(p[i]) } }
            // Whole weights keep every sum exact: the same bits.
            XCTAssertEqual(ranked.auc(weights: w).bitPattern, BinaryMetrics.auc(labels: yy, scores: pp).bitPattern)
        }
    }

    /// Capture in the top k shares a tie group cut by k pro rata, and counts
    /// each row with its weight.
    func testConversionsInTopCountsFractionalBoundary() throws {
        let ranked = try XCTUnwrap(RankedScores(scores: [0.9, 0.8, 0.7, 0.1], labels: [1, 0, 1, 1]))
        XCTAssertEqual(ranked.conversionsInTop(2), 1)
        XCTAssertEqual(ranked.conversionsInTop(2.5), 1.5)
        XCTAssertEqual(ranked.conversionsInTop(2, weights: [2, 0, 1, 1]), 2)
        let tied = try XCTUnwrap(RankedScores(scores: [0.9, 0.5, 0.5, 0.5], labels: [0, 1, 1, 0]))
        XCTAssertEqual(tied.conversionsInTop(2), 2.0 / 3, accuracy: 1e-15, "one of the three tied rows, two of them won")
    }

    func testPercentileMatchesNumpyLinear() {
        // numpy.percentile([1, 2, 3, 4, 10], [2.5, 50, 97.5]) = [1.1, 3.0, 9.4]
        XCTAssertEqual(Percentile.of([4, 1, 10, 3, 2], 0.025), 1.1, accuracy: 1e-12)
        XCTAssertEqual(Percentile.of([4, 1, 10, 3, 2], 0.5), 3, accuracy: 1e-12)
        XCTAssertEqual(Percentile.of([4, 1, 10, 3, 2], 0.975), 9.4, accuracy: 1e-12)
    }
}
