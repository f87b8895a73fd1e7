import XCTest

@testable import LeadScore

/// Offsets: a fixed term of each row's log-odds, fitted around.
final class LogisticRegressionOffsetTests: XCTestCase {
    /// Against statsmodels `Logit(y, [x, 1], offset=o)` (make_offset_fixture.py).
    func testMatchesStatsmodelsWithAnOffset() throws {
        let f = try Fixtures.json("offset.json")
        let x = try Fixtures.matrix(f["x"])
        let fit = try LogisticRegression.fit(
            design: x, labels: try Fixtures.doubles(f["y"]), offsets: try Fixtures.doubles(f["offset"]), options: SolverOptions(l2: 0))
        XCTAssertTrue(fit.converged)
        let beta = try Fixtures.doubles(f["coefficients"]), se = try Fixtures.doubles(f["standardErrors"])
        for j in 0..<3 { XCTAssertEqual(fit.coefficients[j], beta[j], accuracy: 1e-8, "β\(j)") }
        XCTAssertEqual(fit.intercept, try XCTUnwrap(f["intercept"] as? Double), accuracy: 1e-8)
        for j in 0..<4 { XCTAssertEqual(fit.standardErrors[j], se[j], accuracy: 1e-7, "SE\(j)") }
        XCTAssertEqual(fit.logLikelihood, try XCTUnwrap(f["logLikelihood"] as? Double), accuracy: 1e-8)
    }

    /// Unpenalised, an offset in the span of the columns, o = X·v, only moves
    /// the estimate: the fit with it is the plain fit minus v, exactly in
    /// exact arithmetic (the likelihood depends on β + v alone).
    func testAnOffsetInTheColumnsShiftsTheEstimate() throws {
        let f = try Fixtures.json("offset.json")
        let x = try Fixtures.matrix(f["x"]), y = try Fixtures.doubles(f["y"])
        let v = [0.4, -1.1, 0.25]
        let o = (0..<x.rows).map { i in (0..<3).reduce(0.0) { $0 + x[i, $1] * v[$1] } }
        let plain = try LogisticRegression.fit(design: x, labels: y, options: SolverOptions(l2: 0))
        let shifted = try LogisticRegression.fit(design: x, labels: y, offsets: o, options: SolverOptions(l2: 0))
        for j in 0..<3 { XCTAssertEqual(shifted.coefficients[j] + v[j], plain.coefficients[j], accuracy: 1e-9, "β\(j)") }
        XCTAssertEqual(shifted.intercept, plain.intercept, accuracy: 1e-9)
    }

    /// A very strong penalty holds β at 0, leaving the intercept a of
    /// Σ σ(a + o_i) = Σ y_i, which `LogisticRecalibration` solves on its own.
    func testAStrongPenaltyLeavesTheOffsetAndTheIntercept() throws {
        let f = try Fixtures.json("offset.json")
        let x = try Fixtures.matrix(f["x"]), y = try Fixtures.doubles(f["y"]), o = try Fixtures.doubles(f["offset"])
        let fit = try LogisticRegression.fit(design: x, labels: y, offsets: o, options: SolverOptions(l2: 1e12))
        for j in 0..<3 { XCTAssertEqual(fit.coefficients[j], 0, accuracy: 1e-9) }
        XCTAssertEqual(fit.intercept, LogisticRecalibration.offsetIntercept(labels: y, offsets: o), accuracy: 1e-8)
    }
}
