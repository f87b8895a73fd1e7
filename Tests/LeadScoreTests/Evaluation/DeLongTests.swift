import Foundation
import XCTest

@testable import LeadScore

/// Reads Fixtures/comparison.json (written by make_comparison_fixtures.py)
/// and keeps the largest disagreement per quantity, so each test can assert
/// its tolerance and print what it measured.
enum ComparisonFixture {
    static func cases() throws -> [[String: Any]] {
        try XCTUnwrap(Fixtures.json("comparison.json")["cases"] as? [[String: Any]])
    }

    static func root() throws -> [String: Any] { try Fixtures.json("comparison.json") }

    /// A number; JSON null (the script's NaN) is NaN. On Linux,
    /// JSONSerialization returns numbers with 16 or more significant digits
    /// as NSDecimalNumber, whose `doubleValue` can be off by a few ulps; their
    /// decimal text is parsed instead, which restores the exact double.
    static func number(_ any: Any?) throws -> Double {
        if any is NSNull { return .nan }
        if let decimal = any as? NSDecimalNumber { return try XCTUnwrap(Double(decimal.stringValue)) }
        return try XCTUnwrap(any as? NSNumber, "not a number: \(String(describing: any))").doubleValue
    }

    static func numbers(_ any: Any?) throws -> [Double] {
        try XCTUnwrap(any as? [Any]).map { try number($0) }
    }

    static func object(_ any: Any?) throws -> [String: Any] { try XCTUnwrap(any as? [String: Any]) }
}

/// Worst |mine − reference| (or relative difference) per quantity. NaN
/// agrees only with NaN, and equal infinities agree.
final class Agreement {
    private var worst: [String: Double] = [:]
    private var limits: [String: (tolerance: Double, relative: Bool)] = [:]
    let title: String

    init(_ title: String) { self.title = title }

    func check(
        _ key: String, _ mine: Double, _ reference: Double, tolerance: Double, relative: Bool = false,
        _ context: String = "", file: StaticString = #filePath, line: UInt = #line
    ) {
        let d: Double
        if mine.isNaN || reference.isNaN {
            d = mine.isNaN && reference.isNaN ? 0 : .infinity
        } else if mine == reference {
            d = 0
        } else {
            d = abs(mine - reference) / (relative ? abs(reference) : 1)
        }
        worst[key] = max(worst[key] ?? 0, d)
        limits[key] = (tolerance, relative)
        if !(d <= tolerance) {
            XCTFail("\(title) \(key) \(context): \(mine) vs reference \(reference) (difference \(d))", file: file, line: line)
        }
    }

    func check(
        _ key: String, _ mine: [Double], _ reference: [Double], tolerance: Double, relative: Bool = false,
        _ context: String = "", file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(mine.count, reference.count, "\(title) \(key) \(context): lengths", file: file, line: line)
        for (m, r) in zip(mine, reference) {
            check(key, m, r, tolerance: tolerance, relative: relative, context, file: file, line: line)
        }
    }

    /// Prints one line per quantity: worst difference and its tolerance.
    func report() {
        for key in worst.keys.sorted() {
            let (tolerance, relative) = limits[key]!
            print("agreement \(title) \(key): \(worst[key]!) \(relative ? "relative" : "absolute") (tolerance \(tolerance))")
        }
    }
}

/// DeLong AUC intervals and the paired test against the plain O(n₁n₀)
/// structural-component definition in numpy; Gini and KS against sklearn and
/// scipy.
final class DeLongTests: XCTestCase {
    func testSingleScorerMatchesReference() throws {
        let log = Agreement("DeLong")
        for c in try ComparisonFixture.cases() {
            let name = c["name"] as? String ?? "?"
            let y = try ComparisonFixture.numbers(c["y"])
            let delong = try ComparisonFixture.object(c["delong"])
            let sklearn = try ComparisonFixture.object(c["auc_sklearn"])
            for key in ["a", "b"] {
                let s = try ComparisonFixture.numbers(c[key])
                let ref = try ComparisonFixture.object(delong[key])
                let mine = DeLong.auc(labels: y, scores: s)
                let context = "\(name).\(key)"
                log.check("auc vs sklearn", mine.auc, try ComparisonFixture.number(sklearn[key]), tolerance: 1e-12, context)
                log.check("auc vs BinaryMetrics", mine.auc, BinaryMetrics.auc(labels: y, scores: s), tolerance: 1e-12, context)
                log.check("variance", mine.variance, try ComparisonFixture.number(ref["variance"]), tolerance: 1e-10, context)
                log.check(
                    "variance (relative)", mine.variance, try ComparisonFixture.number(ref["variance"]), tolerance: 1e-10,
                    relative: true, context)
                log.check("interval", mine.lower, try ComparisonFixture.number(ref["lower"]), tolerance: 1e-10, context)
                log.check("interval", mine.upper, try ComparisonFixture.number(ref["upper"]), tolerance: 1e-10, context)
                let logit = mine.logitInterval()
                log.check("logit interval", logit.lower, try ComparisonFixture.number(ref["logit_lower"]), tolerance: 1e-10, context)
                log.check("logit interval", logit.upper, try ComparisonFixture.number(ref["logit_upper"]), tolerance: 1e-10, context)
                XCTAssertEqual(mine.positives, ref["positives"] as? Int, context)
                XCTAssertEqual(mine.negatives, ref["negatives"] as? Int, context)
            }
        }
        log.report()
    }

    func testPairedComparisonMatchesReference() throws {
        let log = Agreement("DeLong paired")
        for c in try ComparisonFixture.cases() {
            let name = c["name"] as? String ?? "?"
            let y = try ComparisonFixture.numbers(c["y"])
            let a = try ComparisonFixture.numbers(c["a"]), b = try ComparisonFixture.numbers(c["b"])
            let delong = try ComparisonFixture.object(c["delong"])
            let ref = try ComparisonFixture.object(delong["difference"])
            let mine = DeLong.compare(labels: y, a, b)
            log.check("difference", mine.difference, try ComparisonFixture.number(ref["difference"]), tolerance: 1e-12, name)
            log.check("variance", mine.variance, try ComparisonFixture.number(ref["variance"]), tolerance: 1e-10, name)
            log.check(
                "variance (relative)", mine.variance, try ComparisonFixture.number(ref["variance"]), tolerance: 1e-9,
                relative: true, name)
            log.check("covariance", mine.covariance, try ComparisonFixture.number(ref["covariance"]), tolerance: 1e-10, name)
            log.check("correlation", mine.correlation, try ComparisonFixture.number(ref["correlation"]), tolerance: 1e-10, name)
            log.check("interval", mine.lower, try ComparisonFixture.number(ref["lower"]), tolerance: 1e-10, name)
            log.check("interval", mine.upper, try ComparisonFixture.number(ref["upper"]), tolerance: 1e-10, name)
            log.check("z", mine.z, try ComparisonFixture.number(ref["z"]), tolerance: 1e-8, relative: true, name)
            log.check("p-value", mine.pValue, try ComparisonFixture.number(ref["p_value"]), tolerance: 1e-8, relative: true, name)
            // The paired call reports the same single-scorer intervals.
            let single = DeLong.auc(labels: y, scores: a)
            XCTAssertEqual(mine.first.auc, single.auc, name)
            XCTAssertEqual(mine.first.variance, single.variance, accuracy: 1e-18, name)
            XCTAssertEqual(mine.second.auc, DeLong.auc(labels: y, scores: b).auc, name)
        }
        log.report()
    }

    /// The midrank pass reproduces the O(n₁n₀) components bit for bit (their
    /// numerators are integers or halves).
    func testComponentsEqualPlainDefinition() throws {
        var compared = 0
        for c in try ComparisonFixture.cases() {
            guard let ref = c["delong"].flatMap({ ($0 as? [String: Any])?["components"] as? [String: Any] }) else { continue }
            let y = try ComparisonFixture.numbers(c["y"])
            for key in ["a", "b"] {
                let s = try ComparisonFixture.numbers(c[key])
                let mine = try XCTUnwrap(DeLong.components(RankedScores(scores: s, labels: y)!, labels: y))
                XCTAssertEqual(mine.v10, try ComparisonFixture.numbers(ref["\(key)_v10"]))
                XCTAssertEqual(mine.v01, try ComparisonFixture.numbers(ref["\(key)_v01"]))
                compared += 1
            }
        }
        XCTAssertEqual(compared, 4)
    }

    /// The hand-worked 8-row case (see the comments in the fixture script).
    func testHandCaseEqualsExactFractions() throws {
        let c = try XCTUnwrap(try ComparisonFixture.cases().first { $0["name"] as? String == "hand" })
        let exact = try ComparisonFixture.object(c["hand_exact"]).mapValues { any -> Double in
            let pair = (any as! [Int])
            return Double(pair[0]) / Double(pair[1])
        }
        let y = try ComparisonFixture.numbers(c["y"])
        let a = try ComparisonFixture.numbers(c["a"]), b = try ComparisonFixture.numbers(c["b"])
        let d = DeLong.compare(labels: y, a, b)
        XCTAssertEqual(d.first.auc, exact["auc_a"]!, accuracy: 1e-15)  // 5/6
        XCTAssertEqual(d.first.variance, exact["var_a"]!, accuracy: 1e-15)  // 11/450
        XCTAssertEqual(d.second.auc, exact["auc_b"]!, accuracy: 1e-15)  // 23/30
        XCTAssertEqual(d.second.variance, exact["var_b"]!, accuracy: 1e-15)  // 11/300
        XCTAssertEqual(d.covariance, exact["covariance"]!, accuracy: 1e-15)  // 71/3600
        XCTAssertEqual(d.difference, exact["difference"]!, accuracy: 1e-15)  // 1/15
        XCTAssertEqual(d.variance, exact["var_difference"]!, accuracy: 1e-15)  // 13/600
        let c10 = try XCTUnwrap(DeLong.components(RankedScores(scores: a, labels: y)!, labels: y))
        XCTAssertEqual(c10.v10, [1, 0.8, 0.7])
        XCTAssertEqual(c10.v01, [1.0 / 3, 2.5 / 3, 1, 1, 1])
    }

    /// Fast components against a direct O(n₁n₀) evaluation in Swift, on data
    /// with many ties, ±∞ and −0.0.
    func testFastComponentsEqualQuadraticDefinition() throws {
        var g = SeededGenerator(seed: 5)
        for trial in 0..<20 {
            let n = 2 + trial * 7
            var y = (0..<n).map { _ in Double(g.index(below: 2)) }
            y[0] = 1
            y[1] = 0
            var s = (0..<n).map { _ in Double(g.index(below: 7) - 3) / 2 }
            if n > 5 { s[2] = .infinity; s[3] = -.infinity; s[4] = -0.0 }
            let fast = try XCTUnwrap(DeLong.components(RankedScores(scores: s, labels: y)!, labels: y))
            let won = s.indices.filter { y[$0] == 1 }.map { s[$0] }, lost = s.indices.filter { y[$0] == 0 }.map { s[$0] }
            func psi(_ x: Double, _ v: Double) -> Double { x > v ? 1 : (x == v ? 0.5 : 0) }
            let v10 = won.map { x in lost.reduce(0) { $0 + psi(x, $1) } / Double(lost.count) }
            let v01 = lost.map { v in won.reduce(0) { $0 + psi($1, v) } / Double(won.count) }
            XCTAssertEqual(fast.v10, v10, "trial \(trial)")
            XCTAssertEqual(fast.v01, v01, "trial \(trial)")
        }
    }

    func testRankingMetricsMatchReference() throws {
        let log = Agreement("ranking")
        for c in try ComparisonFixture.cases() {
            let name = c["name"] as? String ?? "?"
            let y = try ComparisonFixture.numbers(c["y"])
            let ks = try ComparisonFixture.object(c["ks"]), gini = try ComparisonFixture.object(c["gini"])
            for key in ["a", "b"] {
                let s = try ComparisonFixture.numbers(c[key])
                let ref = try ComparisonFixture.object(ks[key])
                let mine = RankingMetrics.kolmogorovSmirnov(labels: y, scores: s)
                let context = "\(name).\(key)"
                log.check("KS vs scipy ks_2samp", mine.statistic, try ComparisonFixture.number(ref["statistic"]), tolerance: 1e-12, context)
                log.check("KS on the distinct-score grid", mine.statistic, try ComparisonFixture.number(ref["statistic_on_grid"]), tolerance: 0, context)
                log.check("KS threshold", mine.threshold, try ComparisonFixture.number(ref["threshold"]), tolerance: 0, context)
                log.check("KS CDFs", mine.wonAtOrBelow, try ComparisonFixture.number(ref["won_at_or_below"]), tolerance: 1e-15, context)
                log.check("KS CDFs", mine.lostAtOrBelow, try ComparisonFixture.number(ref["lost_at_or_below"]), tolerance: 1e-15, context)
                log.check("Gini", RankingMetrics.gini(labels: y, scores: s), try ComparisonFixture.number(gini[key]), tolerance: 1e-12, context)
            }
        }
        log.report()
    }

    // MARK: - Edge cases

    func testConstantScores() {
        let y: [Double] = [1, 0, 1, 0, 0]
        let s = [Double](repeating: 0.4, count: 5)
        let r = DeLong.auc(labels: y, scores: s)
        XCTAssertEqual(r.auc, 0.5)
        XCTAssertEqual(r.variance, 0)  // every component is ½
        XCTAssertEqual(r.lower, 0.5)
        XCTAssertEqual(r.upper, 0.5)
        XCTAssertEqual(RankingMetrics.gini(labels: y, scores: s), 0)
        let ks = RankingMetrics.kolmogorovSmirnov(labels: y, scores: s)
        XCTAssertEqual(ks.statistic, 0)
        XCTAssertEqual(ks.threshold, 0.4)
    }

    /// One class: everything NaN, nothing traps or throws.
    func testOneClassIsNaN() {
        for y: [Double] in [[1, 1, 1], [0, 0, 0], []] {
            let s = [Double](repeating: 0.3, count: y.count)
            let r = DeLong.auc(labels: y, scores: s)
            XCTAssertTrue(r.auc.isNaN && r.variance.isNaN && r.lower.isNaN && r.upper.isNaN)
            let d = DeLong.compare(labels: y, s, s)
            XCTAssertTrue(d.difference.isNaN && d.variance.isNaN && d.z.isNaN && d.pValue.isNaN)
            XCTAssertTrue(RankingMetrics.gini(labels: y, scores: s).isNaN)
            XCTAssertTrue(RankingMetrics.kolmogorovSmirnov(labels: y, scores: s).statistic.isNaN)
        }
    }

    /// A single row of a class: the AUC is defined, its variance is not.
    func testSingleRowOfAClassHasNaNVariance() {
        let r = DeLong.auc(labels: [1, 0, 0, 0], scores: [0.9, 0.1, 0.95, 0.2])
        XCTAssertEqual(r.auc, 2.0 / 3, accuracy: 1e-15)
        XCTAssertTrue(r.variance.isNaN)
        XCTAssertTrue(r.lower.isNaN && r.upper.isNaN)
    }

    /// A NaN score makes that scorer's results NaN; the other scorer of a
    /// paired comparison keeps its own interval.
    func testNaNScoresPropagate() {
        let y: [Double] = [1, 0, 1, 0, 1, 0]
        let good: [Double] = [0.9, 0.2, 0.7, 0.4, 0.6, 0.1]
        var bad = good
        bad[3] = .nan
        XCTAssertTrue(DeLong.auc(labels: y, scores: bad).auc.isNaN)
        XCTAssertTrue(RankingMetrics.gini(labels: y, scores: bad).isNaN)
        XCTAssertTrue(RankingMetrics.kolmogorovSmirnov(labels: y, scores: bad).statistic.isNaN)
        let d = DeLong.compare(labels: y, good, bad)
        XCTAssertEqual(d.first.auc, 1)
        XCTAssertTrue(d.second.auc.isNaN)
        XCTAssertTrue(d.difference.isNaN && d.pValue.isNaN && d.lower.isNaN)
    }

    /// Scorers that rank the rows identically have identical components:
    /// difference 0, variance exactly 0, z 0, p 1.
    func testRankEquivalentScorersGivePValueOne() {
        let y: [Double] = [1, 0, 1, 0, 1, 0, 0, 1]
        let a: [Double] = [0.9, 0.2, 0.7, 0.4, 0.6, 0.1, 0.65, 0.3]
        let b = a.map { 100 * log($0) + 7 }  // strictly increasing transform
        let d = DeLong.compare(labels: y, a, b)
        XCTAssertEqual(d.difference, 0)
        XCTAssertEqual(d.variance, 0)
        XCTAssertEqual(d.z, 0)
        XCTAssertEqual(d.pValue, 1)
        XCTAssertEqual(d.correlation, 1, accuracy: 1e-15)
    }

    /// A perfect scorer: AUC 1 with zero variance, interval [1, 1], the logit
    /// interval undefined; against constant scores the difference has zero
    /// variance and p = 0.
    func testPerfectScorer() {
        let y: [Double] = [0, 0, 0, 1, 1]
        let perfect: [Double] = [0.1, 0.2, 0.3, 0.8, 0.9]
        let r = DeLong.auc(labels: y, scores: perfect)
        XCTAssertEqual(r.auc, 1)
        XCTAssertEqual(r.variance, 0)
        XCTAssertEqual(r.lower, 1)
        XCTAssertEqual(r.upper, 1)
        XCTAssertTrue(r.logitInterval().lower.isNaN)
        XCTAssertEqual(r.gini, 1)
        let d = DeLong.compare(labels: y, perfect, [Double](repeating: 0.5, count: 5))
        XCTAssertEqual(d.difference, 0.5)
        XCTAssertEqual(d.variance, 0)
        XCTAssertEqual(d.z, .infinity)
        XCTAssertEqual(d.pValue, 0)
    }

    /// The interval is truncated to [0, 1].
    func testIntervalIsTruncated() {
        let r = DeLong.auc(labels: [0, 1, 0, 1, 1], scores: [0.1, 0.2, 0.3, 0.8, 0.9])
        XCTAssertEqual(r.auc, 5.0 / 6, accuracy: 1e-15)
        XCTAssertGreaterThan(r.auc + DeLong.z95 * r.standardError, 1)
        XCTAssertEqual(r.upper, 1)
        XCTAssertEqual(r.lower, r.auc - DeLong.z95 * r.standardError)
        let logit = r.logitInterval()
        XCTAssertTrue(logit.lower > 0 && logit.upper < 1 && logit.lower < r.auc && r.auc < logit.upper)
    }

    /// KS: the threshold is the smallest of several maximisers, and is
    /// never inside a tie group.
    func testKSTiesAndThreshold() {
        // F_won − F_lost over distinct scores 1, 2, 3, 4: |0 − ½| = ½ at 1 and 2 (tie) ...
        let y: [Double] = [0, 0, 1, 1, 0, 1]
        let s: [Double] = [1, 3, 3, 4, 1, 4]
        // t = 1: F_won 0, F_lost 2/3 → 2/3; t = 3: F_won 1/3, F_lost 1 → 2/3; t = 4: 0.
        let ks = RankingMetrics.kolmogorovSmirnov(labels: y, scores: s)
        XCTAssertEqual(ks.statistic, 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(ks.threshold, 1)
        XCTAssertEqual(ks.wonAtOrBelow, 0)
        XCTAssertEqual(ks.lostAtOrBelow, 2.0 / 3, accuracy: 1e-15)
    }

    /// The O(n log n) pass handles a large sample quickly.
    func testLargeSample() {
        var g = SeededGenerator(seed: 11)
        let n = 200_000
        let y = (0..<n).map { _ in g.uniform() < 0.2 ? 1.0 : 0.0 }
        let a = y.map { $0 + 2 * g.uniform() }
        let b = y.map { 0.5 * $0 + 2 * g.uniform() }
        let d = DeLong.compare(labels: y, a, b)
        XCTAssertGreaterThan(d.first.auc, d.second.auc)
        XCTAssertLessThan(d.pValue, 1e-10)
        XCTAssertEqual(d.first.auc, BinaryMetrics.auc(labels: y, scores: a), accuracy: 1e-12)
    }
}
