import XCTest

@testable import LeadScore

final class LinearPredictorTests: XCTestCase {
    /// Leaving out the terms of zero features changes no bit: the sum
    /// starts at +0 or a nonzero intercept and is never −0.
    func testZeroTermsCanBeLeftOut() {
        var g = SeededGenerator(seed: 41)
        for trial in 0..<2000 {
            let p = 1 + g.index(below: 12)
            // Small integers, so that sums cancel to exactly zero often.
            let beta = (0..<p).map { _ in Double(g.index(below: 7)) - 3 }
            let x = (0..<p).map { _ in g.index(below: 3) == 0 ? (g.index(below: 2) == 0 ? 0.0 : -0.0) : Double(g.index(below: 5)) - 2 }
            let intercept = [0.0, -0.0, 1, -2][trial % 4]
            let predictor = LinearPredictor(intercept: intercept, coefficients: beta)
            var sparse = intercept + 0
            for j in 0..<p where x[j] != 0 { sparse += beta[j] * x[j] }
            XCTAssertEqual(predictor.logOdds(features: x).bitPattern, sparse.bitPattern, "trial \(trial)")
            XCTAssertNotEqual(predictor.logOdds(features: x).bitPattern, (-0.0).bitPattern)
        }
        XCTAssertEqual(LinearPredictor(intercept: -0.0, coefficients: []).intercept.bitPattern, 0.0.bitPattern)
    }

    /// A block of rows gives each row's `logOdds(features:)`.
    func testRowsAtATimeEqualOneRow() {
        var g = SeededGenerator(seed: 42)
        let p = 13
        let predictor = LinearPredictor(intercept: -1.25, coefficients: (0..<p).map { _ in g.uniform() * 4 - 2 })
        for count in [0, 1, 3, 4, 5, 8, 11, 1000] {
            let x = (0..<(count * p)).map { _ in g.index(below: 3) == 0 ? 0 : g.uniform() * 100 - 50 }
            var out = [Double](repeating: .nan, count: count)
            x.withUnsafeBufferPointer { xs in
                out.withUnsafeMutableBufferPointer { predictor.logOdds(rows: xs.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: count, into: $0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!) }
            }
            for i in 0..<count {
                XCTAssertEqual(out[i].bitPattern, predictor.logOdds(features: Array(x[i * p..<(i + 1) * p])).bitPattern, "\(count) rows, row \(i)")
            }
        }
    }

    /// η = b + Σ β x in feature order, by hand.
    func testByHand() {
        let predictor = LinearPredictor(intercept: 0.5, coefficients: [2, -1, 0.25])
        XCTAssertEqual(predictor.logOdds(features: [1, 3, 4]), 0.5 + 2 - 3 + 1)
        XCTAssertEqual(LinearPredictor(intercept: 0.1, coefficients: []).logOdds(features: []), 0.1)
    }
}
