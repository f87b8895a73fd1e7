import Foundation
import XCTest

@testable import LeadScore

/// Isotonic calibration against scikit-learn's
/// IsotonicRegression(out_of_bounds="clip") in Fixtures/comparison.json.
final class IsotonicTests: XCTestCase {
    func testMatchesScikitLearn() throws {
        let log = Agreement("isotonic")
        var fits = 0
        for c in try ComparisonFixture.cases() {
            guard let entries = c["isotonic"] as? [[String: Any]] else { continue }
            let name = c["name"] as? String ?? "?"
            let y = try ComparisonFixture.numbers(c["y"])
            for ref in entries {
                let key = try XCTUnwrap(ref["score"] as? String)
                let s = try ComparisonFixture.numbers(c[key])
                let w = ref["weights"] is NSNull ? nil : try ComparisonFixture.numbers(ref["weights"])
                let context = "\(name).\(key)\(w == nil ? "" : " weighted")"
                let iso = try IsotonicCalibration.fit(scores: s, labels: y, weights: w)
                log.check("breakpoint scores", iso.scores, try ComparisonFixture.numbers(ref["thresholds_x"]), tolerance: 0, context)
                log.check("breakpoint values", iso.probabilities, try ComparisonFixture.numbers(ref["thresholds_y"]), tolerance: 1e-12, context)
                let grid = try ComparisonFixture.numbers(ref["grid"])
                log.check("predictions", iso.predict(grid), try ComparisonFixture.numbers(ref["predictions"]), tolerance: 1e-12, context)
                fits += 1
            }
        }
        XCTAssertEqual(fits, 5)
        log.report()
    }

    /// Worked PAVA examples.
    func testPoolAdjacentViolatorsByHand() throws {
        // 0, 1, 0 → the last two pool to ½.
        let a = try IsotonicCalibration.fit(scores: [1, 2, 3], labels: [0, 1, 0])
        XCTAssertEqual(a.scores, [1, 2, 3])
        XCTAssertEqual(a.probabilities, [0, 0.5, 0.5])
        XCTAssertEqual(a.predict(1.5), 0.25)
        XCTAssertEqual(a.predict(2.7), 0.5)
        XCTAssertEqual(a.predict(-10), 0)  // clipped
        XCTAssertEqual(a.predict(10), 0.5)
        XCTAssertEqual(a.predict(.infinity), 0.5)
        XCTAssertEqual(a.predict(-.infinity), 0)
        XCTAssertTrue(a.predict(.nan).isNaN)
        // 1, 0, 1, 0 → everything pools to ½; interior breakpoints trimmed.
        let b = try IsotonicCalibration.fit(scores: [1, 2, 3, 4], labels: [1, 0, 1, 0])
        XCTAssertEqual(b.scores, [1, 4])
        XCTAssertEqual(b.probabilities, [0.5, 0.5])
        // Weights: 1 (w 3), 0 (w 1) → (3·1 + 1·0)/4.
        let c = try IsotonicCalibration.fit(scores: [1, 2], labels: [1, 0], weights: [3, 1])
        XCTAssertEqual(c.probabilities, [0.75, 0.75])
    }

    /// Tied scores are pooled before PAVA: points 10 (won, lost, lost) and
    /// 20 (won) give ⅓ and 1, not a violation inside the tie.
    func testTiesArePooledFirst() throws {
        let iso = try IsotonicCalibration.fit(scores: [10, 20, 10, 10], labels: [1, 1, 0, 0])
        XCTAssertEqual(iso.scores, [10, 20])
        XCTAssertEqual(iso.probabilities[0], 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(iso.probabilities[1], 1)
        XCTAssertEqual(iso.predict(15), (1.0 / 3 + 1) / 2, accuracy: 1e-15)
        // Scores within 1e-15 of a run's first score are ties (scikit-learn's tolerance).
        let near = try IsotonicCalibration.fit(scores: [0.5, 0.5.nextUp, 0.6], labels: [0, 1, 1])
        XCTAssertEqual(near.scores, [0.5, 0.6])
        XCTAssertEqual(near.probabilities, [0.5, 1])
    }

    func testSingleDistinctScoreIsConstant() throws {
        let iso = try IsotonicCalibration.fit(scores: [3, 3, 3, 3], labels: [1, 0, 0, 0])
        XCTAssertEqual(iso.scores, [3])
        XCTAssertEqual(iso.predict([-5, 3, 100]), [0.25, 0.25, 0.25])
    }

    func testFitErrors() {
        XCTAssertThrowsError(try IsotonicCalibration.fit(scores: [], labels: [])) {
            XCTAssertEqual($0 as? IsotonicCalibration.FitError, .empty)
        }
        XCTAssertThrowsError(try IsotonicCalibration.fit(scores: [1, .nan], labels: [0, 1])) {
            XCTAssertEqual($0 as? IsotonicCalibration.FitError, .nonFinite(row: 1))
        }
        XCTAssertThrowsError(try IsotonicCalibration.fit(scores: [1, .infinity], labels: [0, 1])) {
            XCTAssertEqual($0 as? IsotonicCalibration.FitError, .nonFinite(row: 1))
        }
        XCTAssertThrowsError(try IsotonicCalibration.fit(scores: [1, 2], labels: [0, 1], weights: [1, -1])) {
            XCTAssertEqual($0 as? IsotonicCalibration.FitError, .invalidWeight(row: 1))
        }
        XCTAssertThrowsError(try IsotonicCalibration.fit(scores: [1, 2], labels: [0, 1], weights: [0, 0])) {
            XCTAssertEqual($0 as? IsotonicCalibration.FitError, .empty)
        }
    }

    /// Zero-weight rows are ignored, as if absent.
    func testZeroWeightRowsAreDropped() throws {
        let with = try IsotonicCalibration.fit(scores: [1, 2, 3, 4], labels: [0, 1, 0, 1], weights: [1, 0, 1, 1])
        let without = try IsotonicCalibration.fit(scores: [1, 3, 4], labels: [0, 0, 1])
        XCTAssertEqual(with, without)
    }

    /// Rule-based points become monotone probabilities in [0, 1].
    func testPointsBecomeMonotoneProbabilities() throws {
        var g = SeededGenerator(seed: 9)
        let points = (0..<2000).map { _ in Double(5 * g.index(below: 21) - 20) }
        let labels = points.map { g.uniform() < sigmoid(($0 - 30) / 15) ? 1.0 : 0.0 }
        let iso = try IsotonicCalibration.fit(scores: points, labels: labels)
        let grid = stride(from: -40.0, through: 100, by: 0.5).map { $0 }
        let p = iso.predict(grid)
        XCTAssertTrue(zip(p, p.dropFirst()).allSatisfy { $0 <= $1 })
        XCTAssertTrue(p.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertTrue(zip(iso.scores, iso.scores.dropFirst()).allSatisfy { $0 < $1 })
    }

    func testCodableRoundTripAndValidation() throws {
        let iso = try IsotonicCalibration.fit(scores: [1, 2, 3, 5], labels: [0, 1, 0, 1])
        let data = try JSONEncoder().encode(iso)
        XCTAssertEqual(try JSONDecoder().decode(IsotonicCalibration.self, from: data), iso)
        for bad in [
            #"{"scores":[2,1],"probabilities":[0,1]}"#, #"{"scores":[1,2],"probabilities":[0]}"#,
            #"{"scores":[],"probabilities":[]}"#,
        ] {
            XCTAssertThrowsError(try JSONDecoder().decode(IsotonicCalibration.self, from: Data(bad.utf8)), bad)
        }
        XCTAssertNil(IsotonicCalibration(scores: [1, 1], probabilities: [0, 1]))
        XCTAssertEqual(try XCTUnwrap(IsotonicCalibration(scores: [0, 10], probabilities: [0.1, 0.5])).predict(5), 0.3, accuracy: 1e-15)
    }
}
