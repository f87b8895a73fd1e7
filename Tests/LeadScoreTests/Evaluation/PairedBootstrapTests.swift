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
            let ranked = RankedScores(scores: p)
            XCTAssertEqual(ranked.auc(labels: y, weights: [Double](repeating: 1, count: y.count)), BinaryMetrics.auc(labels: y, scores: p), accuracy: 1e-12)
            // A bootstrap-like resample: multiplicities 0, 1, 2, 3.
            let w = y.indices.map { _ in Double(rng.index(below: 4)) }
            var yy: [Double] = [], pp: [Double] = []
            for i in y.indices { for _ in 0..<Int(w[i]) { yy.append(y[i]); pp.append(p[i]) } }
            XCTAssertEqual(ranked.auc(labels: y, weights: w), BinaryMetrics.auc(labels: yy, scores: pp), accuracy: 1e-12)
        }
    }

    /// The radix-sorted order and tie groups are those of the comparison
    /// sort: highest first, ties by row index.
    func testRankedOrderEqualsComparisonSort() {
        var rng = SeededGenerator(seed: 9)
        for n in [1, 2, 10, 3000] {
            let s = (0..<n).map { _ in (rng.uniform() * 20).rounded() - 10 }.map { $0 == 0 && rng.index(below: 2) == 0 ? -0.0 : $0 }
            let ranked = RankedScores(scores: s)
            let order = s.indices.sorted { s[$0] != s[$1] ? s[$0] > s[$1] : $0 < $1 }
            XCTAssertEqual(ranked.descending, order)
            for k in 0..<n {
                XCTAssertEqual(s[order[ranked.tieStart[k]]], s[order[k]])
                XCTAssertEqual(s[order[ranked.tieEnd[k]]], s[order[k]])
                if ranked.tieStart[k] > 0 { XCTAssertNotEqual(s[order[ranked.tieStart[k] - 1]], s[order[k]]) }
                if ranked.tieEnd[k] < n - 1 { XCTAssertNotEqual(s[order[ranked.tieEnd[k] + 1]], s[order[k]]) }
            }
        }
        let withNaN = RankedScores(scores: [0.2, .nan, 0.7])
        XCTAssertEqual(withNaN.descending, ScoreSort.descendingOrderByComparison([0.2, .nan, 0.7]))
    }

    func testConversionsInTopCountsFractionalBoundary() {
        let ranked = RankedScores(scores: [0.9, 0.8, 0.7, 0.1])
        let y: [Double] = [1, 0, 1, 1]
        XCTAssertEqual(ranked.conversionsInTop(2, labels: y, weights: [1, 1, 1, 1]), 1)
        XCTAssertEqual(ranked.conversionsInTop(2.5, labels: y, weights: [1, 1, 1, 1]), 1.5)
        XCTAssertEqual(ranked.conversionsInTop(2, labels: y, weights: [2, 0, 1, 1]), 2)
    }

    func testPercentileMatchesNumpyLinear() {
        // numpy.percentile([1, 2, 3, 4, 10], [2.5, 50, 97.5]) = [1.1, 3.0, 9.4]
        XCTAssertEqual(Percentile.of([4, 1, 10, 3, 2], 0.025), 1.1, accuracy: 1e-12)
        XCTAssertEqual(Percentile.of([4, 1, 10, 3, 2], 0.5), 3, accuracy: 1e-12)
        XCTAssertEqual(Percentile.of([4, 1, 10, 3, 2], 0.975), 9.4, accuracy: 1e-12)
    }
}
