import Foundation
import XCTest

@testable import LeadScore

/// The prior correction of the intercept (`PriorCorrection`) against King &
/// Zeng's formula computed from scikit-learn's and statsmodels' fits, and
/// against the unweighted fit it approximates
/// (Fixtures/make_recalibration_fixtures.py, `priorCorrection`: 3,000
/// deals of a correctly specified logistic model, 12.1% won, and a sample
/// of 1,213 of them keeping every won deal and a third of the lost).
final class PriorCorrectionTests: XCTestCase {
    func fixture() throws -> [String: Any] {
        try XCTUnwrap(try Fixtures.json("recalibration.json")["priorCorrection"] as? [String: Any])
    }

    func train(_ file: String, _ change: (inout TrainingConfiguration) -> Void) throws -> ModelCard {
        var c = TrainingConfiguration()
        c.target = "Won"
        c.positive = ["Yes"]
        c.ids = ["Deal ID"]
        c.l2 = 0
        change(&c)
        return try Trainer.train(TrainingRequest(dataPath: Fixtures.directory.appendingPathComponent(file).path, configuration: c))
    }

    /// The intercept and slopes per original unit: the fixtures' fits are on
    /// the raw columns.
    func perUnit(_ card: ModelCard) -> (intercept: Double, slopes: [Double]) {
        let rows = card.coefficientSummaries().dropLast()
        return (card.interceptPerUnit, ["Visits", "Tenure", "Score", "Demo"].map { name in
            let r = rows.first { $0.name == name }!
            return r.perUnit?.coefficient ?? r.coefficient
        })
    }

    func testFormula() {
        for (tau, ybar) in [(0.21, 0.5), (0.05, 0.3), (0.5, 0.5), (0.9, 0.2)] {
            XCTAssertEqual(PriorCorrection.shift(populationRate: tau, sampleRate: ybar), log(((1 - tau) / tau) * (ybar / (1 - ybar))), accuracy: 1e-14)
        }
        XCTAssertEqual(PriorCorrection.shift(populationRate: 0.3, sampleRate: 0.3), 0)
        let c = PriorCorrection(populationRate: 0.2, populationRateGiven: false, sampleRate: 0.5, fittedIntercept: -0.5)
        XCTAssertEqual(c.correctedIntercept, -0.5 + log(0.2 / 0.8), accuracy: 1e-15)
    }

    /// Balanced class weights, unpenalised: the fitted intercept is
    /// scikit-learn's `class_weight="balanced"` fit (to the solvers'
    /// tolerance, 1e-6 on the raw scale), the corrected one that minus
    /// ln((1 − τ)/τ), τ the file's rate; the slopes are untouched.
    func testBalancedIsCorrectedToTheFilesRate() throws {
        let f = try fixture()
        let balanced = try XCTUnwrap(f["balanced"] as? [String: Any])
        let card = try train("prior_correction.csv") { $0.classWeight = .balanced }
        let correction = try XCTUnwrap(card.training.priorCorrection)
        XCTAssertEqual(correction.sampleRate, 0.5, accuracy: 1e-12)
        XCTAssertEqual(correction.populationRate, try Fixtures.double(f["populationRate"]), accuracy: 1e-15)
        XCTAssertFalse(correction.populationRateGiven)
        let (intercept, slopes) = perUnit(card)
        XCTAssertEqual(intercept, try Fixtures.double(balanced["correctedIntercept"]), accuracy: 1e-6)
        assertClose(slopes, try Fixtures.doubles(balanced["coef"]), absolute: 1e-6)
        XCTAssertEqual(card.intercept.coefficient, correction.fittedIntercept - correction.shift)

        // Off: the intercept as fitted, and no record.
        let raw = try train("prior_correction.csv") {
            $0.classWeight = .balanced
            $0.priorCorrection = false
        }
        XCTAssertNil(raw.training.priorCorrection)
        XCTAssertEqual(perUnit(raw).intercept, try Fixtures.double(balanced["intercept"]), accuracy: 1e-6)
        XCTAssertEqual(raw.intercept.coefficient, correction.fittedIntercept)
    }

    /// Against the unweighted fit (statsmodels Logit on all deals), which
    /// the corrected intercept estimates: for a correctly specified model
    /// both are consistent for the population's intercept and differ by
    /// sampling noise, of the order of the intercept's standard error
    /// (0.197 here; they differ by 0.097), so they are checked to within one
    /// standard error. The probabilities are checked where it matters: the
    /// mean predicted probability on the training deals is the file's rate
    /// (within 0.005), where the balanced fit without correction predicts
    /// about 0.3.
    func testBalancedCorrectedApproximatesTheUnweightedFit() throws {
        let f = try fixture()
        let unweighted = try XCTUnwrap(f["unweighted"] as? [String: Any])
        let se = try Fixtures.doubles(unweighted["se"])[0]
        let card = try train("prior_correction.csv") { $0.classWeight = .balanced }
        XCTAssertEqual(perUnit(card).intercept, try Fixtures.double(unweighted["intercept"]), accuracy: se)
        let tau = try Fixtures.double(f["populationRate"])
        func meanPredicted(_ m: BinaryMetrics) -> Double {
            m.deciles.reduce(0) { $0 + Double($1.count) * $1.meanPredicted } / Double(m.rows)
        }
        XCTAssertEqual(meanPredicted(card.metrics.training), tau, accuracy: 0.005)
        let raw = try train("prior_correction.csv") {
            $0.classWeight = .balanced
            $0.priorCorrection = false
        }
        XCTAssertGreaterThan(meanPredicted(raw.metrics.training), tau + 0.1)
    }

    /// A sample that kept fewer lost deals, with the population's rate
    /// given: the corrected intercept is the sample's unweighted fit
    /// (statsmodels) less ln[((1 − τ)/τ)·(ȳ/(1 − ȳ))], to 1e-6; and within
    /// two of the sample fit's standard errors (0.29 here) of the fit on
    /// all deals (the sample's noise dominates: it has 1,213 of the 3,000).
    func testGivenPopulationRateCorrectsASample() throws {
        let f = try fixture()
        let sample = try XCTUnwrap(f["sample"] as? [String: Any])
        let unweighted = try XCTUnwrap(f["unweighted"] as? [String: Any])
        let tau = try Fixtures.double(f["populationRate"])
        let card = try train("prior_correction_sample.csv") { $0.populationRate = tau }
        let correction = try XCTUnwrap(card.training.priorCorrection)
        XCTAssertTrue(correction.populationRateGiven)
        XCTAssertEqual(correction.sampleRate, try Fixtures.double(sample["sampleRate"]), accuracy: 1e-12)
        let (intercept, slopes) = perUnit(card)
        XCTAssertEqual(intercept, try Fixtures.double(sample["correctedIntercept"]), accuracy: 1e-6)
        assertClose(slopes, try Fixtures.doubles(sample["coef"]), absolute: 1e-6)
        let se = try Fixtures.doubles(sample["se"])[0]
        XCTAssertEqual(intercept, try Fixtures.double(unweighted["intercept"]), accuracy: 2 * se)
        XCTAssertGreaterThan(abs(try Fixtures.double(sample["intercept"]) - (try Fixtures.double(unweighted["intercept"]))), 2 * se, "uncorrected, the sample's intercept is far off")
    }

    /// Without balanced weights or a population rate there is nothing to
    /// correct: no record, and the card is as before, its intercept and
    /// slopes per unit statsmodels' unweighted fit.
    func testNoCorrectionWithoutASamplingToCorrect() throws {
        let card = try train("prior_correction.csv") { _ in }
        XCTAssertNil(card.training.priorCorrection)
        let unweighted = try XCTUnwrap(try fixture()["unweighted"] as? [String: Any])
        XCTAssertEqual(perUnit(card).intercept, try Fixtures.double(unweighted["intercept"]), accuracy: 1e-6)
        assertClose(perUnit(card).slopes, try Fixtures.doubles(unweighted["coef"]), absolute: 1e-6)
        XCTAssertFalse(String(decoding: try card.jsonData(), as: UTF8.self).contains("priorCorrection"))
    }

    func testPopulationRateOutOfRangeIsRefused() throws {
        for rate in [0.0, 1.0, -0.2, .nan] {
            XCTAssertThrowsError(try train("prior_correction.csv") { $0.populationRate = rate }) { error in
                XCTAssertTrue((error as? InputError)?.problem.contains("populationRate") ?? false)
            }
        }
    }
}
