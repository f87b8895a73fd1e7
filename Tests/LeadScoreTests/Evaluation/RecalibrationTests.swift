import Foundation
import XCTest

@testable import LeadScore

/// The recalibration maps against statsmodels and scikit-learn
/// (Fixtures/make_recalibration_fixtures.py, `recalibration`): 800 log-odds
/// of a model that predicts too many wins and too extreme probabilities
/// (the truth is σ(0.4 + 0.7·η)).
final class RecalibrationTests: XCTestCase {
    struct Case {
        var eta: [Double]
        var y: [Double]
        var fixture: [String: Any]
    }

    func load() throws -> Case {
        let root = try Fixtures.json("recalibration.json")
        let c = try XCTUnwrap(root["recalibration"] as? [String: Any])
        return Case(eta: try Fixtures.doubles(c["eta"]), y: try Fixtures.doubles(c["y"]), fixture: c)
    }

    func fit(_ method: ModelCard.Calibration.Method, _ c: Case) throws -> ProbabilityMap {
        try Recalibration.fit(method, logOdds: c.eta, labels: c.y, file: "deals.csv", column: "Won")
    }

    /// The intercept method is statsmodels' `Logit(y, 1, offset=η)`: both
    /// solve Σ y = Σ σ(a + η) by Newton's method to 1e-14, so they agree to
    /// far below 1e-9.
    func testInterceptIsStatsmodelsOffsetFit() throws {
        let c = try load()
        let expected = try Fixtures.double((c.fixture["intercept"] as? [String: Any])?["a"])
        guard case .logistic(let a, let b) = try fit(.intercept, c) else { return XCTFail("not a logistic map") }
        XCTAssertEqual(b, 1)
        XCTAssertEqual(a, expected, accuracy: 1e-9)
        // The score equation: the recalibrated probabilities add up to the wins.
        let total = c.eta.reduce(0) { $0 + sigmoid(a + $1) }
        XCTAssertEqual(total, c.y.reduce(0, +), accuracy: 1e-8)
    }

    /// With one log-odds value c for every deal the intercept has a closed
    /// form: σ(a + c) = ȳ, a = logit(ȳ) − c.
    func testInterceptClosedFormForOneLogOdds() throws {
        let y: [Double] = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0]
        let eta = [Double](repeating: 0.75, count: y.count)
        let map = try Recalibration.fit(.intercept, logOdds: eta, labels: y, file: "f.csv", column: "Won")
        guard case .logistic(let a, _) = map else { return XCTFail("not a logistic map") }
        XCTAssertEqual(a, log(0.3 / 0.7) - 0.75, accuracy: 1e-12)
        XCTAssertEqual(map.probability(logOdds: 0.75), 0.3, accuracy: 1e-12)
    }

    /// Platt scaling on the log-odds is statsmodels' `Logit(y, [1, η])`;
    /// LeadScore's Newton solver stops at a gradient of 1e-10 per unit of
    /// weight, so the parameters agree to about 1e-9.
    func testLogisticIsStatsmodelsPlatt() throws {
        let c = try load()
        let platt = try XCTUnwrap(c.fixture["platt"] as? [String: Any])
        guard case .logistic(let a, let b) = try fit(.logistic, c) else { return XCTFail("not a logistic map") }
        XCTAssertEqual(a, try Fixtures.double(platt["a"]), accuracy: 1e-8)
        XCTAssertEqual(b, try Fixtures.double(platt["b"]), accuracy: 1e-8)
        // Too extreme before: the slope is well below 1.
        XCTAssertLessThan(b, 0.8)
    }

    /// The isotonic map is scikit-learn's IsotonicRegression(out_of_bounds=
    /// "clip", y_min = 1/(2n), y_max = 1 − 1/(2n)): the same steps and the
    /// same predictions, inside and outside the fitted range, to rounding.
    func testIsotonicIsScikitLearn() throws {
        let c = try load()
        let iso = try XCTUnwrap(c.fixture["isotonic"] as? [String: Any])
        guard case .isotonic(let f) = try fit(.isotonic, c) else { return XCTFail("not an isotonic map") }
        let query = try Fixtures.doubles(iso["query"]), expected = try Fixtures.doubles(iso["predictions"])
        let map = ProbabilityMap.isotonic(f)
        for (t, p) in zip(query, expected) { XCTAssertEqual(map.probability(logOdds: t), p, accuracy: 1e-12, "at \(t)") }
        // Every value inside (0, 1), so the log loss is finite.
        let floor = try Fixtures.double(iso["floor"])
        XCTAssertTrue(f.probabilities.allSatisfy { $0 >= floor && $0 <= 1 - floor })
        XCTAssertEqual(map.logComplement(query[0]), log1p(-map.probability(logOdds: query[0])))
    }

    /// The figures of the model's own probabilities σ(η) against
    /// statsmodels: the Wilson interval of ȳ (proportion_confint), and the
    /// calibration intercept and slope with their Wald intervals (Logit
    /// fits' conf_int).
    func testFiguresMatchStatsmodels() throws {
        let c = try load()
        let f = try XCTUnwrap(c.fixture["figures"] as? [String: Any])
        let p = c.eta.map(sigmoid)
        let figures = ModelCard.Calibration.Figures.measure(labels: c.y, logOdds: c.eta, probabilities: p)
        XCTAssertEqual(figures.meanPredicted, try Fixtures.double(f["meanPredicted"]), accuracy: 1e-12)
        XCTAssertEqual(figures.calibrationInTheLarge.value, try Fixtures.double(f["calibrationInTheLarge"]), accuracy: 1e-12)
        XCTAssertEqual(figures.calibrationInTheLarge.lower, try Fixtures.double(f["citlLower"]), accuracy: 1e-12)
        XCTAssertEqual(figures.calibrationInTheLarge.upper, try Fixtures.double(f["citlUpper"]), accuracy: 1e-12)
        let intercept = try XCTUnwrap(figures.calibrationIntercept), slope = try XCTUnwrap(figures.calibrationSlope)
        let interceptCI = try Fixtures.doubles(f["calibrationInterceptCI"]), slopeCI = try Fixtures.doubles(f["calibrationSlopeCI"])
        XCTAssertEqual(intercept.value, try Fixtures.double(f["calibrationIntercept"]), accuracy: 1e-8)
        XCTAssertEqual(intercept.lower, interceptCI[0], accuracy: 1e-8)
        XCTAssertEqual(intercept.upper, interceptCI[1], accuracy: 1e-8)
        XCTAssertEqual(slope.value, try Fixtures.double(f["calibrationSlope"]), accuracy: 1e-8)
        XCTAssertEqual(slope.lower, slopeCI[0], accuracy: 1e-8)
        XCTAssertEqual(slope.upper, slopeCI[1], accuracy: 1e-8)
        XCTAssertEqual(figures.brier, try Fixtures.double(f["brier"]), accuracy: 1e-12)
        XCTAssertEqual(figures.logLoss, try Fixtures.double(f["logLoss"]), accuracy: 1e-12)
    }

    /// In sample, every method keeps the wins: calibration-in-the-large 0
    /// (the isotonic map within its clipping of half a deal), and the
    /// logistic map's slope 1.
    func testAfterInSampleIsCalibratedByConstruction() throws {
        let c = try load()
        for method in ModelCard.Calibration.Method.allCases {
            let map = try fit(method, c)
            let figures = ModelCard.Calibration.Figures.measure(
                labels: c.y, logOdds: c.eta.map(map.logOdds), probabilities: c.eta.map { map.probability(logOdds: $0) })
            XCTAssertEqual(figures.calibrationInTheLarge.value, 0, accuracy: method == .isotonic ? 0.5 / Double(c.y.count) : 1e-9, method.rawValue)
            if method == .logistic { XCTAssertEqual(try XCTUnwrap(figures.calibrationSlope).value, 1, accuracy: 1e-6) }
        }
    }

    /// A model whose log-odds rank the deals the wrong way round cannot be
    /// recalibrated by a logistic map (it would reverse the ranking).
    func testReversedRankingIsRefused() throws {
        let c = try load()
        let reversed = c.eta.map { -$0 }
        XCTAssertThrowsError(try Recalibration.fit(.logistic, logOdds: reversed, labels: c.y, file: "deals.csv", column: "Won")) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.location?.file, "deals.csv")
            XCTAssertTrue(e?.problem.contains("wrong way round") ?? false, e?.problem ?? "")
        }
        // Constant log-odds: no slope.
        XCTAssertThrowsError(
            try Recalibration.fit(.logistic, logOdds: [Double](repeating: 1, count: 20), labels: (0..<20).map { Double($0 % 2) }, file: "f.csv", column: "Won"))
    }

    func testDefaultMethodBySmallerClass() {
        XCTAssertEqual(Recalibration.defaultMethod(won: 99, lost: 5000), .intercept)
        XCTAssertEqual(Recalibration.defaultMethod(won: 100, lost: 100), .logistic)
        XCTAssertEqual(Recalibration.defaultMethod(won: 4000, lost: 60), .intercept)
    }

    /// The one road: a card without a calibration gives σ(η) bit for bit,
    /// and log(1 − p) as the account roll-up always summed it.
    func testIdentityMapIsSigmoidBitForBit() {
        for eta in [-800.0, -37.5, -2.25, -0.0, 0, 1e-300, 0.3, 18.5, 40, 800] {
            XCTAssertEqual(ProbabilityMap.identity.probability(logOdds: eta).bitPattern, sigmoid(eta).bitPattern)
            XCTAssertEqual(ProbabilityMap.identity.logComplement(eta).bitPattern, (-log1pexp(eta)).bitPattern)
            XCTAssertEqual(ProbabilityMap.identity.logOdds(eta).bitPattern, eta.bitPattern)
        }
        XCTAssertTrue(ProbabilityMap.identity.probability(logOdds: .nan).isNaN)
        // The intercept method's σ(a + 1·η) is σ(a + η).
        XCTAssertEqual(ProbabilityMap.logistic(intercept: -0.4, slope: 1).probability(logOdds: 1.3), sigmoid(-0.4 + 1.3))
    }

    /// The isotonic map's inverse, which the points export uses for its
    /// thresholds: the smallest log-odds whose probability reaches q.
    func testIsotonicSmallestScoreReaching() throws {
        let f = try XCTUnwrap(IsotonicCalibration(scores: [-2, 0, 1, 3], probabilities: [0.1, 0.1, 0.5, 0.9]))
        XCTAssertEqual(f.smallestScore(reaching: 0.05), -.infinity)
        XCTAssertEqual(f.smallestScore(reaching: 0.1), -.infinity)
        XCTAssertEqual(try XCTUnwrap(f.smallestScore(reaching: 0.3)), 0.5, accuracy: 1e-15)
        XCTAssertEqual(f.smallestScore(reaching: 0.5), 1)
        XCTAssertEqual(try XCTUnwrap(f.smallestScore(reaching: 0.7)), 2, accuracy: 1e-15)
        XCTAssertNil(f.smallestScore(reaching: 0.95))
        for q in [0.2, 0.35, 0.6, 0.85] {
            let t = try XCTUnwrap(f.smallestScore(reaching: q))
            XCTAssertEqual(f.predict(t), q, accuracy: 1e-15)
            XCTAssertLessThan(f.predict(t - 1e-6), q)
        }
    }
}
