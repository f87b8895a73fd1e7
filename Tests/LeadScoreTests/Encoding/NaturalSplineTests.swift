import Foundation
import XCTest

@testable import LeadScore

/// Natural cubic splines (`NaturalSpline`) against Fixtures/spline.json
/// (make_spline_fixtures.py): knots against numpy's quantiles with the
/// same rule, the basis against Harrell's formula in numpy, and an
/// unpenalised fit against statsmodels' Logit on patsy's natural cubic
/// regression spline with the same knots.
final class NaturalSplineTests: XCTestCase {
    func fixture() throws -> [String: Any] { try Fixtures.json("spline.json") }

    /// Harrell's probabilities (rcspline.eval), exactly as tabulated.
    func testHarrellsProbabilities() {
        XCTAssertEqual(NaturalSpline.probabilities(count: 3), [0.10, 0.5, 0.90])
        let five = NaturalSpline.probabilities(count: 5)
        for (a, b) in zip(five, [0.05, 0.275, 0.5, 0.725, 0.95]) { XCTAssertEqual(a, b, accuracy: 1e-15) }
        let seven = NaturalSpline.probabilities(count: 7)
        for (a, b) in zip(seven, [0.025, 0.18333333333333333, 0.34166666666666667, 0.5, 0.65833333333333333, 0.81666666666666667, 0.975]) {
            XCTAssertEqual(a, b, accuracy: 1e-15)
        }
    }

    /// numpy.quantile (linear) with the knot rule, K = 3 … 7 and the cases
    /// of the rule: a mass at the minimum and at the maximum (knots among
    /// the values beyond it), 9 distinct values (linear), a mass inside
    /// the range (K reduced to 3). Within 1e-12 relative: numpy
    /// interpolates from the nearer side.
    func testKnotsAreNumpysQuantilesWithTheRule() throws {
        let cases = try XCTUnwrap(try fixture()["knots"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 9)
        for c in cases {
            let name = c["name"] as! String
            let values = try Fixtures.doubles(c["values"]).sorted()
            let k = c["k"] as! Int
            let knots = NaturalSpline.knots(sorted: values, count: k)
            guard let expected = c["knots"] as? [Any] else {
                XCTAssertNil(knots, name)
                continue
            }
            let t = try XCTUnwrap(knots, name)
            let e = try Fixtures.doubles(expected)
            XCTAssertEqual(t.count, e.count, name)
            for (a, b) in zip(t, e) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b)), name) }
        }
    }

    /// The basis against Harrell's formula (numpy), below the first knot,
    /// at and between the knots, and far beyond the last: 1e-12 relative.
    func testBasisIsHarrellsFormula() throws {
        let f = try XCTUnwrap(try fixture()["basis"] as? [String: Any])
        let knots = try Fixtures.doubles(f["knots"])
        let spline = NaturalSpline(knots: knots, means: [0, 0, 0], standardDeviations: [1, 1, 1], quantiles: [])
        let rows = try XCTUnwrap(f["basis"] as? [[Any]])
        for (x, row) in zip(try Fixtures.doubles(f["x"]), rows) {
            let expected = try Fixtures.doubles(row)
            for (a, b) in zip(spline.basis(x), expected) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b)), "x = \(x)") }
        }
    }

    /// Linear beyond the boundary knots (the natural spline's defining
    /// property): 0 below t₁, and equal steps beyond t_K.
    func testLinearBeyondTheBoundaryKnots() {
        let spline = NaturalSpline(knots: [1, 2, 4, 7, 11], means: [0, 0, 0], standardDeviations: [1, 1, 1], quantiles: [])
        XCTAssertEqual(spline.basis(0.5), [0, 0, 0])
        for x in [11.0, 20, 300] {
            let (a, b, c) = (spline.basis(x), spline.basis(x + 1), spline.basis(x + 2))
            for j in 0..<3 { XCTAssertEqual(c[j] - 2 * b[j] + a[j], 0, accuracy: 1e-9 * max(1, abs(c[j])), "second difference at \(x)") }
        }
        // Inside, the terms do bend.
        let (a, b, c) = (spline.basis(5), spline.basis(6), spline.basis(7))
        XCTAssertGreaterThan(abs(c[0] - 2 * b[0] + a[0]), 0.01)
    }

    /// The encoder's order: impute the median → log1p → basis →
    /// standardise; the features are x, the C_j, then the missing
    /// indicator, and the standardised terms have mean 0 and SD 1 over the
    /// training rows (imputed ones included).
    func testEncoderStandardisesEachTerm() throws {
        let present = (0..<200).map { Double($0 % 37) * 1.5 + Double($0 / 37) }
        let e = try XCTUnwrap(NumericEncoder.fit(column: "v", present: present, missing: 20, log1p: true, splineKnots: 4))
        let spline = try XCTUnwrap(e.spline)
        XCTAssertEqual(e.featureCount, 1 + 2 + 1)
        XCTAssertEqual(e.featureNames, ["v", "v (spline 1)", "v (spline 2)", "v (missing)"])
        // The knots are on the log1p scale: quantiles of the transformed values.
        let transformed = present.map { log1p($0) }.sorted()
        XCTAssertEqual(spline.knots, NaturalSpline.knots(sorted: transformed, count: 4))
        var rows: [[Double]] = []
        for v in present.map(Optional.some) + [Double?](repeating: nil, count: 20) {
            var out = [Double](repeating: .nan, count: e.featureCount)
            out.withUnsafeMutableBufferPointer { e.encode(v, into: $0.baseAddress!) }
            rows.append(out)
        }
        for j in 0..<3 {
            let column = rows.map { $0[j] }
            let mean = column.reduce(0, +) / Double(column.count)
            let sd = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)).squareRoot()
            XCTAssertEqual(mean, 0, accuracy: 1e-12)
            XCTAssertEqual(sd, 1, accuracy: 1e-12)
        }
        // A missing value is encoded at the median, with the indicator.
        let median = NumericEncoder.median(present)
        var imputed = [Double](repeating: 0, count: 4), atMedian = imputed
        imputed.withUnsafeMutableBufferPointer { e.encode(nil, into: $0.baseAddress!) }
        atMedian.withUnsafeMutableBufferPointer { e.encode(median, into: $0.baseAddress!) }
        XCTAssertEqual(Array(imputed[0..<3]), Array(atMedian[0..<3]))
        XCTAssertEqual(imputed[3], 1)
        XCTAssertEqual(atMedian[3], 0)
        let c = spline.basis(log1p(median))
        XCTAssertEqual(imputed[1], (c[0] - spline.means[0]) / spline.standardDeviations[0], accuracy: 1e-15)
        // Too few distinct values: linear.
        let few = try XCTUnwrap(NumericEncoder.fit(column: "v", present: (0..<100).map { Double($0 % 9) }, missing: 0, log1p: false, splineKnots: 5))
        XCTAssertNil(few.spline)
        XCTAssertEqual(few.featureCount, 1)
    }

    /// An unpenalised fit (λ = 0) with a 5-knot spline gives statsmodels'
    /// probabilities on patsy's cr() basis with the same knots (1e-6), and
    /// `score` of the training file gives the training fit's.
    func testUnpenalisedFitMatchesPatsysNaturalSpline() throws {
        let f = try XCTUnwrap(try fixture()["fit"] as? [String: Any])
        let card = try SplineCards.fixtureFit()
        guard case .numeric(let e) = card.schema.encoders.columns[0], let spline = e.spline else { return XCTFail("no spline") }
        let knots = try Fixtures.doubles(f["knots"])
        for (a, b) in zip(spline.knots, knots) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b))) }
        let expected = try Fixtures.doubles(f["probabilities"])
        let scored = try SplineCards.probabilities(card, Fixtures.directory.appendingPathComponent("spline_fit.csv").path)
        XCTAssertEqual(scored.count, expected.count)
        var worst = 0.0
        for (a, b) in zip(scored, expected) { worst = max(worst, abs(a - b)) }
        XCTAssertLessThan(worst, 1e-6, "largest difference from statsmodels on patsy's basis")
        XCTAssertEqual(card.training.solver.logLikelihood, try Fixtures.double(f["llf"]), accuracy: 1e-6)
    }
}

/// Spline models for the tests.
enum SplineCards {
    /// Fixtures/spline_fit.csv: "Score" with a 5-knot spline, unpenalised.
    static func fixtureFit(l2: Double = 0, splines: Bool = true) throws -> ModelCard {
        var c = TrainingConfiguration()
        c.target = "Won"
        c.positive = ["Yes"]
        c.ids = ["Deal ID"]
        c.l2 = l2
        c.spline = splines ? ["Score"] : nil
        var request = TrainingRequest(dataPath: Fixtures.directory.appendingPathComponent("spline_fit.csv").path, configuration: c)
        request.trainingDate = "2026-12-07"
        return try Trainer.train(request)
    }

    /// The probabilities `score` gives the rows of `path`.
    static func probabilities(_ card: ModelCard, _ path: String) throws -> [Double] {
        let reader = try CSVReader(path: path)
        var scorer = try ModelScorer(model: card, header: reader.header, file: path, options: ScoringOptions(reasons: 0))
        var out: [Double] = []
        while try reader.nextRecord() { out.append(scorer.probability(logOdds: try scorer.logOdds(reader: reader))) }
        return out
    }
}
