import Foundation
import XCTest

@testable import LeadScore

/// Scoring a model with a spline: `score` reproduces the training fit, and
/// a reason names the column and its value with the odds factor of the
/// whole spline (the sum over its features).
final class SplineScoringTests: XCTestCase {
    /// The probabilities `score` gives the training file have the log loss
    /// and Brier score the card records for the training fit (1e-12).
    func testScoreReproducesTheTrainingFit() throws {
        let card = try SplineCards.fixtureFit(l2: 1)
        let path = Fixtures.directory.appendingPathComponent("spline_fit.csv").path
        let p = try SplineCards.probabilities(card, path)
        let reader = try CSVReader(path: path)
        let won = try XCTUnwrap(reader.header.firstIndex(of: "Won"))
        var y: [Double] = []
        while try reader.nextRecord() { y.append(reader.field(won) == "Yes" ? 1 : 0) }
        var logLoss = 0.0, brier = 0.0
        for (pi, yi) in zip(p, y) {
            logLoss -= yi == 1 ? log(pi) : log(1 - pi)
            brier += (pi - yi) * (pi - yi)
        }
        XCTAssertEqual(logLoss / Double(y.count), card.metrics.training.logLoss, accuracy: 1e-12)
        XCTAssertEqual(brier / Double(y.count), card.metrics.training.brier, accuracy: 1e-12)
    }

    /// The reason of each lead against a recomputation from the card with
    /// Harrell's formula written here as max(0, u)³ sums: "Score = 4.2568:
    /// odds ×4.2", for or against by the sign, none below the minimum.
    func testReasonsNameTheColumnWithTheWholeSplinesOdds() throws {
        let card = try SplineCards.fixtureFit(l2: 1)
        guard case .numeric(let e) = card.schema.encoders.columns[0], let s = e.spline else { return XCTFail("no spline") }
        let beta = card.coefficients
        let t = s.knots, k = t.count
        func contribution(_ x: Double) -> Double {
            func p3(_ u: Double) -> Double { pow(max(u, 0), 3) }
            var c = beta[0] * (x - e.mean) / e.standardDeviation
            for j in 0..<(k - 2) {
                let term = (p3(x - t[j]) - p3(x - t[k - 2]) * (t[k - 1] - t[j]) / (t[k - 1] - t[k - 2])
                    + p3(x - t[k - 1]) * (t[k - 2] - t[j]) / (t[k - 1] - t[k - 2])) / pow(t[k - 1] - t[0], 2)
                c += beta[j + 1] * (term - s.means[j]) / s.standardDeviations[j]
            }
            return c
        }
        let data = Fixtures.directory.appendingPathComponent("spline_fit.csv").path
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("spline-scores-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try Scorer.score(model: card, inputPath: data, outputPath: out, options: ScoringOptions(reasons: 1))
        let input = try CSVReader(path: data), scores = try CSVReader(path: out)
        let score = try XCTUnwrap(input.header.firstIndex(of: "Score"))
        XCTAssertEqual(scores.header, ["Deal ID", "probability", "score", "tier", "positive_reason_1", "negative_reason_1"])
        var checked = 0
        while try input.nextRecord() {
            XCTAssertTrue(try scores.nextRecord())
            let text = input.field(score)
            let c = contribution(try XCTUnwrap(Double(text)))
            let expected = "Score = \(text): odds ×\(ModelNumber.odds(c))"
            XCTAssertEqual(scores.field(4), c >= Scorer.minimumReason ? expected : "", text)
            XCTAssertEqual(scores.field(5), c <= -Scorer.minimumReason ? expected : "", text)
            checked += 1
        }
        XCTAssertEqual(checked, 800)
    }
}
