import XCTest

@testable import LeadScore

/// The bundled sample was generated from a known logistic model
/// (datasets/README.md). Fitted on it, the model's 95% intervals should
/// cover the true coefficients for most features: about 95% of them if
/// the intervals are right.
final class TruthRecoveryTests: XCTestCase {
    func testBundledSampleRecoversTrueCoefficients() throws {
        let root = Fixtures.repositoryRoot
        let data = root.appendingPathComponent("datasets/b2b-deals.csv").path
        let config = try TrainingConfiguration.load(path: root.appendingPathComponent("datasets/b2b-deals.config.json").path)
        let card = try Trainer.train(TrainingRequest(dataPath: data, configuration: config))
        let fitted = Dictionary(uniqueKeysWithValues: card.coefficientSummaries().map { ($0.name, $0) })
        var covered: [String] = [], missed: [String] = []
        for truth in SyntheticDeals.trueEffects {
            guard let s = fitted[truth.feature] else { continue }  // e.g. a pooled rare level, or an excluded column
            let (lo, hi, b) = s.perUnit.map { ($0.lower95, $0.upper95, $0.coefficient) } ?? (s.lower95, s.upper95, s.coefficient)
            if lo <= truth.coefficient && truth.coefficient <= hi { covered.append(truth.feature) } else {
                missed.append("\(truth.feature): true \(truth.coefficient), fitted \(b) [\(lo), \(hi)]")
            }
        }
        // Every feature the model fits has a documented true value.
        XCTAssertEqual(Set(card.features.map(\.name)).subtracting(SyntheticDeals.trueEffects.map(\.feature)), [])
        XCTAssertGreaterThanOrEqual(covered.count + missed.count, 40)
        // With ~44 intervals at 95%, two or three misses are expected by chance.
        XCTAssertLessThanOrEqual(missed.count, 4, "missed: \(missed)")
        print("truth recovery: \(covered.count) of \(covered.count + missed.count) true coefficients inside their 95% intervals; missed: \(missed)")
    }
}
