import XCTest

@testable import LeadScore

/// The solver against statsmodels (unpenalised) and scikit-learn
/// (penalised), on designs committed in Fixtures/.
final class LogisticRegressionTests: XCTestCase {
    /// Issue requirement: probabilities within 1e-6 of statsmodels Logit,
    /// standard errors within 1e-5 relative.
    func testUnpenalisedMatchesStatsmodelsLogit() throws {
        let f = try Fixtures.json("logit_unpenalised.json")
        let x = try Fixtures.matrix(f["X"])
        let y = try Fixtures.doubles(f["y"])
        let sm = try XCTUnwrap(f["statsmodels"] as? [String: Any])
        let fit = try LogisticRegression.fit(design: x, labels: y, options: SolverOptions(l2: 0))
        XCTAssertTrue(fit.converged)
        XCTAssertEqual(fit.stopReason, .converged)
        let eta = try LinearPredictor(intercept: fit.intercept, coefficients: fit.coefficients).logOdds(design: x)
        assertClose(eta.map(sigmoid), try Fixtures.doubles(sm["probabilities"]), absolute: 1e-6, "probabilities")
        assertClose(fit.coefficients, try Fixtures.doubles(sm["coef"]), absolute: 1e-7, "coefficients")
        XCTAssertEqual(fit.intercept, try Fixtures.double(sm["intercept"]), accuracy: 1e-7)
        assertClose(Array(fit.standardErrors.prefix(x.columns)), try Fixtures.doubles(sm["se"]), relative: 1e-5, "standard errors")
        XCTAssertEqual(fit.standardErrors.last!, try Fixtures.double(sm["se_intercept"]), accuracy: 1e-5 * (try Fixtures.double(sm["se_intercept"])))
        XCTAssertEqual(fit.logLikelihood, try Fixtures.double(sm["llf"]), accuracy: 1e-8)
        XCTAssertLessThanOrEqual(fit.gradientNorm, 1e-10)
    }

    /// Wald statistics of the model card's summaries against statsmodels'.
    func testWaldSummariesMatchStatsmodels() throws {
        let f = try Fixtures.json("logit_unpenalised.json")
        let sm = try XCTUnwrap(f["statsmodels"] as? [String: Any])
        let coef = try Fixtures.doubles(sm["coef"]), se = try Fixtures.doubles(sm["se"])
        let p = try Fixtures.doubles(sm["p"]), lo = try Fixtures.doubles(sm["ci_low"]), z = try Fixtures.doubles(sm["z"])
        for j in coef.indices {
            let s = CoefficientSummary(name: "x", column: "x", coefficient: coef[j], standardError: se[j], scale: nil, unit: "")
            XCTAssertEqual(s.z, z[j], accuracy: 1e-12)
            XCTAssertEqual(s.pValue, p[j], accuracy: 1e-12 + 1e-9 * p[j])
            XCTAssertEqual(s.lower95, lo[j], accuracy: 1e-12)
        }
    }

    func testWeightedMatchesStatsmodelsGLMWithFrequencyWeights() throws {
        let f = try Fixtures.json("logit_weighted.json")
        let x = try Fixtures.matrix(f["X"])
        let sm = try XCTUnwrap(f["statsmodels"] as? [String: Any])
        let fit = try LogisticRegression.fit(
            design: x, labels: try Fixtures.doubles(f["y"]), weights: try Fixtures.doubles(f["w"]), options: SolverOptions(l2: 0))
        assertClose(fit.coefficients, try Fixtures.doubles(sm["coef"]), absolute: 1e-7, "coefficients")
        assertClose(Array(fit.standardErrors.prefix(x.columns)), try Fixtures.doubles(sm["se"]), relative: 1e-5, "standard errors")
        XCTAssertEqual(fit.logLikelihood, try Fixtures.double(sm["llf"]), accuracy: 1e-8)
    }

    /// Issue requirement: penalised coefficients within 1e-5 of
    /// scikit-learn LogisticRegression(C) with λ = 1/C.
    func testPenalisedMatchesScikitLearn() throws {
        let f = try Fixtures.json("logit_penalised.json")
        let x = try Fixtures.matrix(f["X"])
        let y = try Fixtures.doubles(f["y"])
        let w = try Fixtures.doubles(f["w"])
        let cases = try XCTUnwrap(f["sklearn"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 5)
        for c in cases {
            let C = try Fixtures.double(c["C"])
            let balanced = (c["class_weight"] as? String) == "balanced"
            let weighted = (c["sample_weight"] as? Bool) == true
            let fit = try LogisticRegression.fit(
                design: x, labels: y, weights: weighted ? w : nil,
                options: SolverOptions(l2: 1 / C, classWeight: balanced ? .balanced : .none))
            let label = "C=\(C) balanced=\(balanced) weighted=\(weighted)"
            XCTAssertTrue(fit.converged, label)
            assertClose(fit.coefficients, try Fixtures.doubles(c["coef"]), absolute: 1e-5, label)
            XCTAssertEqual(fit.intercept, try Fixtures.double(c["intercept"]), accuracy: 1e-5, label)
        }
    }

    func testCollinearDesignIsRefusedUnpenalisedAndFitsPenalised() throws {
        let f = try Fixtures.json("collinear.json")
        let x = try Fixtures.matrix(f["X"])
        let y = try Fixtures.doubles(f["y"])
        XCTAssertThrowsError(try LogisticRegression.fit(design: x, labels: y, options: SolverOptions(l2: 0))) { error in
            guard case DesignProblem.collinear(let columns) = error else { return XCTFail("\(error)") }
            // Any one of the three columns in the exact relation may be named.
            XCTAssertEqual(columns.count, 1)
            XCTAssertTrue([0, 1, 3].contains(columns[0]))
        }
        let c = try XCTUnwrap((f["sklearn"] as? [[String: Any]])?.first)
        let fit = try LogisticRegression.fit(design: x, labels: y, options: SolverOptions(l2: 1 / (try Fixtures.double(c["C"]))))
        assertClose(fit.coefficients, try Fixtures.doubles(c["coef"]), absolute: 1e-5, "penalised collinear")
    }

    /// A constant, non-zero column duplicates the intercept.
    func testConstantColumnIsReportedAsCollinear() throws {
        let x = DenseMatrix(rowArrays: (0..<50).map { i in [Double(i % 7), -0.4054651081081644, Double(i % 3)] })
        let y = (0..<50).map { Double($0 % 2) }
        XCTAssertThrowsError(try LogisticRegression.fit(design: x, labels: y, options: SolverOptions(l2: 0))) {
            XCTAssertEqual($0 as? DesignProblem, .collinear(columns: [1]))
        }
    }

    func testQuasiCompleteSeparationIsDetectedUnpenalisedAndFinitePenalised() throws {
        let f = try Fixtures.json("separation.json")
        let x = try Fixtures.matrix(f["X"])
        let y = try Fixtures.doubles(f["y"])
        let separating = try XCTUnwrap(f["separating_feature"] as? Int)
        XCTAssertThrowsError(try LogisticRegression.fit(design: x, labels: y, options: SolverOptions(l2: 0))) { error in
            guard case DesignProblem.separation(let columns) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(columns, [separating])
        }
        let fit = try LogisticRegression.fit(design: x, labels: y, options: SolverOptions(l2: 1))
        XCTAssertTrue(fit.converged)
        XCTAssertTrue(fit.coefficients.allSatisfy(\.isFinite))
        XCTAssertTrue(fit.standardErrors.allSatisfy(\.isFinite))
    }

    func testSingleClassAndEmptyDesignsAreRefused() {
        let x = DenseMatrix(rowArrays: [[1], [2], [3]])
        XCTAssertThrowsError(try LogisticRegression.fit(design: x, labels: [1, 1, 1])) { XCTAssertEqual($0 as? DesignProblem, .singleClass) }
        XCTAssertThrowsError(try LogisticRegression.fit(design: DenseMatrix(rows: 0, columns: 1), labels: [])) {
            XCTAssertEqual($0 as? DesignProblem, .empty)
        }
    }

    /// Intercept-only closed form: b = logit(base rate), SE = 1/√(n p (1−p)).
    func testInterceptOnlyClosedForm() throws {
        let y: [Double] = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0]
        let fit = try LogisticRegression.fit(design: DenseMatrix(rows: 10, columns: 0), labels: y, options: SolverOptions(l2: 0))
        XCTAssertEqual(fit.intercept, log(0.3 / 0.7), accuracy: 1e-14)
        XCTAssertEqual(fit.standardErrors[0], 1 / (10 * 0.3 * 0.7).squareRoot(), accuracy: 1e-12)
    }

    func testStableLossAndSigmoidAtExtremes() {
        XCTAssertEqual(sigmoid(800), 1)
        XCTAssertEqual(sigmoid(-800), 0)
        XCTAssertEqual(sigmoid(-40), exp(-40) / (1 + exp(-40)), accuracy: 1e-30)
        XCTAssertEqual(logisticLoss(label: 1, logOdds: 800), 0)
        XCTAssertEqual(logisticLoss(label: 0, logOdds: 800), 800)
        XCTAssertEqual(logisticLoss(label: 1, logOdds: -800), 800)
        XCTAssertEqual(logisticLoss(label: 1, logOdds: 40), exp(-40), accuracy: 1e-30)
        XCTAssertEqual(log1pexp(0), log(2), accuracy: 1e-16)
    }
}
