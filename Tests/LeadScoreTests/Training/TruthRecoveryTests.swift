import XCTest

@testable import LeadScore

/// The bundled sample was generated from a known logistic model
/// (datasets/README.md). Fitted on it, the model's 95% intervals should
/// cover the true coefficients for most features: about 95% of them if
/// the intervals are right.
///
/// The true coefficients are conditional on the account: the generator
/// adds each account's hidden effect, 0.6 × a standard normal draw, to the
/// log-odds of its contacts. The bundled configuration leaves Account ID
/// out, so the model estimates the marginal coefficients, which averaging
/// over the account effect makes closer to 0: averaging σ(η + 0.6·Z) over
/// Z is close to σ(η / √(1 + c²·0.6²)), c = 16√3 / (15π), the logistic
/// function approximated by a scaled normal distribution function (Zeger,
/// Liang and Albert, Biometrics 44 (1988) 1049–1060). The intervals are
/// therefore compared with truth × `SyntheticDeals.marginalShrinkage`
/// (0.943): against the unshrunk truth 8 intervals miss, among them those
/// of the strongest effects (Demo Requested, Is Student).
/// On 582,000 generated closed deals (600,000 rows, seed 99, fitted with
/// statsmodels) the fitted coefficients are the true ones times 0.941
/// (their slope on the true ones, weighted by 1/SE²), and times 0.997 with
/// --account-effect 0: the approximation holds to a few thousandths.
///
/// The intervals treat the contacts of an account as independent, so for
/// the account's own columns (Country, Industry, Company Size) they are
/// too narrow: standard errors clustered by account are 4–13% wider for
/// them (statsmodels, cov_type="cluster"). On the bundled sample 6 of the
/// 44 marginal true values fall outside their intervals (Country = Canada,
/// Industry = Healthcare, Company Size = (missing), Job Level = Director
/// and Individual Contributor, Email Domain Type = Free, none beyond 2.8
/// standard errors); statsmodels, fitting the same encoding, misses the
/// same 6. With 44 right intervals, 7 or more misses has probability
/// 0.6%; with the account's columns' intervals 8% too narrow, about 1.5%.
/// The sharper check is the slope of the fitted coefficients on the true
/// ones, which must be the shrinkage, not 1.
final class TruthRecoveryTests: XCTestCase {
    func testBundledSampleRecoversTrueCoefficients() throws {
        let shrinkage = SyntheticDeals.marginalShrinkage(accountEffect: SyntheticDeals.defaultAccountEffect)
        XCTAssertEqual(shrinkage, 0.943, accuracy: 0.0005)
        let root = Fixtures.repositoryRoot
        let data = root.appendingPathComponent("datasets/b2b-deals.csv").path
        let config = try TrainingConfiguration.load(path: root.appendingPathComponent("datasets/b2b-deals.config.json").path)
        let card = try Trainer.train(TrainingRequest(dataPath: data, configuration: config))
        let fitted = Dictionary(uniqueKeysWithValues: card.coefficientSummaries().map { ($0.name, $0) })
        var covered: [String] = [], missed: [String] = []
        for truth in SyntheticDeals.trueEffects {
            guard let s = fitted[truth.feature] else { continue }  // e.g. a pooled rare level, or an excluded column
            let (lo, hi, b) = s.perUnit.map { ($0.lower95, $0.upper95, $0.coefficient) } ?? (s.lower95, s.upper95, s.coefficient)
            let marginal = truth.coefficient * shrinkage
            if lo <= marginal && marginal <= hi { covered.append(truth.feature) } else {
                missed.append("\(truth.feature): true \(truth.coefficient), marginal \(marginal), fitted \(b) [\(lo), \(hi)]")
            }
        }
        // Every feature the model fits has a documented true value.
        XCTAssertEqual(Set(card.features.map(\.name)).subtracting(SyntheticDeals.trueEffects.map(\.feature)), [])
        XCTAssertGreaterThanOrEqual(covered.count + missed.count, 40)
        // With ~44 intervals at 95%, two or three misses are expected by
        // chance; more than 6 is unlikely (see above).
        XCTAssertLessThanOrEqual(missed.count, 6, "missed: \(missed)")

        // The slope of the fitted coefficients on the true ones, weighted by
        // 1/SE², and its standard error 1/√Σ(t/SE)² (0.017; the estimates'
        // correlation, left out, makes it 0.018): on the bundled sample
        // 0.925, about 1 standard error from the shrinkage 0.943 and 4 from 1.
        var weighted = 0.0, information = 0.0
        for truth in SyntheticDeals.trueEffects where truth.coefficient != 0 {
            guard let s = fitted[truth.feature] else { continue }
            let (b, se) = s.perUnit.map { ($0.coefficient, $0.standardError) } ?? (s.coefficient, s.standardError)
            weighted += b * truth.coefficient / (se * se)
            information += truth.coefficient * truth.coefficient / (se * se)
        }
        let slope = weighted / information, slopeError = 1 / information.squareRoot()
        XCTAssertLessThan(slopeError, 0.02)
        XCTAssertEqual(slope, shrinkage, accuracy: 3 * slopeError, "fitted = \(slope) × truth")
        print("truth recovery: \(covered.count) of \(covered.count + missed.count) marginal true coefficients inside their 95% intervals; missed: \(missed); slope \(slope) ± \(slopeError)")
    }
}
