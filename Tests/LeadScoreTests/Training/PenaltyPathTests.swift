import XCTest

@testable import LeadScore

/// The cross-validated penalty path (`PenaltyPath`) against glum fitted on
/// the same folds (make_penalty_fixture.py, penalty.json "cv").
final class PenaltyPathTests: XCTestCase {
    /// The fixture's folds and λ path (λ_max·10^(−3k/29), α = 1): the
    /// summed out-of-fold deviance of every λ within 1e-5 relative of glum's
    /// fits, and the same λ chosen.
    func testChoiceMatchesAnIndependentLoop() throws {
        let f = try Fixtures.json("penalty.json")
        let x = try Fixtures.matrix(f["x"]), y = try Fixtures.doubles(f["y"])
        let cv = try XCTUnwrap(f["cv"] as? [String: Any])
        let foldOf = try XCTUnwrap(cv["folds"] as? [Int])
        let lambdas = try Fixtures.doubles(cv["lambdas"]), reference = try Fixtures.doubles(cv["cvDeviance"])
        let folds = (0..<5).map { k in Self.fold(x: x, y: y, test: foldOf.indices.filter { foldOf[$0] == k }) }
        let candidates = [PenaltyPath.Candidate(l1Ratio: 1, lambdas: lambdas)]
        let points = try folds.map { try PenaltyPath.fit($0, candidates: candidates, solver: SolverOptions(), metric: .deviance) }
        for i in lambdas.indices {
            let total = points.reduce(0) { $0 + $1[0][i].deviance }
            XCTAssertEqual(total, reference[i], accuracy: 1e-5 * reference[i], "λ = \(lambdas[i])")
        }
        let selection = PenaltyPath.select(points, candidates: candidates, metric: .deviance, rule: .min, seed: 7)
        XCTAssertEqual(selection.minimum, try XCTUnwrap(cv["best"] as? Int))
        XCTAssertEqual(selection.chosen, selection.minimum)
        // The path fits stop at ‖∇ˢf‖∞ / n ≤ 1e-6 (`PenaltyPath.gradientTolerance`).
        XCTAssertEqual(selection.path[selection.chosen].mean, reference[selection.minimum] / Double(x.rows), accuracy: 1e-6)
        // λ_max: every fold keeps no coefficient at the first λ.
        XCTAssertEqual(selection.path[0].nonzeros, 0)

        // The 1-SE rule: a λ at least the minimum's, within one SE of it, and
        // the largest such.
        let oneSE = PenaltyPath.select(points, candidates: candidates, metric: .deviance, rule: .oneStandardError, seed: 7)
        let best = oneSE.path[oneSE.minimum]
        XCTAssertGreaterThan(oneSE.path[oneSE.chosen].lambda, best.lambda)
        XCTAssertLessThanOrEqual(oneSE.path[oneSE.chosen].mean, best.mean + best.standardError)
        XCTAssertGreaterThan(oneSE.path[oneSE.chosen - 1].mean, best.mean + best.standardError)
        // The SE: the folds' standard deviation of Σℓ/n_fold over √5.
        let perFold = points.map { $0[0][oneSE.minimum].deviance / $0[0][oneSE.minimum].weight }
        let m = perFold.reduce(0, +) / 5
        let sd = (perFold.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 4).squareRoot()
        XCTAssertEqual(best.standardError, sd / 5.0.squareRoot(), accuracy: 1e-12)

        // AUC: the mean of the folds' AUCs, maximised.
        let withAUC = try folds.map { try PenaltyPath.fit($0, candidates: candidates, solver: SolverOptions(), metric: .auc) }
        XCTAssertTrue(points[0][0][5].auc.isNaN, "no AUC computed for the deviance")
        let auc = PenaltyPath.select(withAUC, candidates: candidates, metric: .auc, rule: .min, seed: 7)
        XCTAssertEqual(auc.path[3].mean, withAUC.reduce(0) { $0 + $1[0][3].auc } / 5, accuracy: 1e-12)
        XCTAssertEqual(auc.path[auc.minimum].mean, auc.path.map(\.mean).max()!)
    }

    static func fold(x: DenseMatrix, y: [Double], test: [Int]) -> PenaltyFold {
        let testSet = Set(test)
        let fit = (0..<x.rows).filter { !testSet.contains($0) }
        func rows(_ r: [Int]) -> DenseMatrix {
            var m = DenseMatrix(rows: r.count, columns: x.columns)
            for (i, row) in r.enumerated() { for j in 0..<x.columns { m[i, j] = x[row, j] } }
            return m
        }
        return PenaltyFold(
            design: try! CompactDesign(rows(fit), holdingAllValues: true), labels: fit.map { y[$0] }, weights: nil, test: rows(test), testLabels: test.map { y[$0] },
            testWeights: [Double](repeating: 1, count: test.count), scoringIntercept: { $0 })
    }
}
