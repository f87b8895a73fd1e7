import Foundation
import XCTest

@testable import LeadScore

/// Monotone columns (`NaturalSpline.monotone`, `train --monotone`): the
/// ramp basis against its closed form, a bounded fit of Leads.csv against
/// scipy's L-BFGS-B (Fixtures/monotone.json, make_monotone_fixture.py) and
/// the bounded KKT conditions recomputed from the design, the curve's
/// shape, the card's format, and the refusals.
final class MonotoneSplineTests: XCTestCase {
    /// Knots 0, 1, 3, 4, 10: r_j(x) = min(max(x − t_j, 0), t_{j+1} − t_j),
    /// written out by hand at points below, inside each piece, on knots
    /// and beyond.
    func testRampBasisIsTheClosedForm() {
        let spline = NaturalSpline(knots: [0, 1, 3, 4, 10], means: [0, 0, 0, 0], standardDeviations: [1, 1, 1, 1], quantiles: [], monotone: .increasing)
        let expected: [(Double, [Double])] = [
            (-2, [0, 0, 0, 0]),
            (0, [0, 0, 0, 0]),
            (0.25, [0.25, 0, 0, 0]),
            (1, [1, 0, 0, 0]),
            (2.5, [1, 1.5, 0, 0]),
            (3, [1, 2, 0, 0]),
            (3.75, [1, 2, 0.75, 0]),
            (7, [1, 2, 1, 3]),
            (10, [1, 2, 1, 6]),
            (251, [1, 2, 1, 6]),
        ]
        for (x, r) in expected { XCTAssertEqual(spline.rampBasis(x), r, "x = \(x)") }
        // Standardised with each ramp's own mean and SD.
        var s = spline
        s.means = [0.5, 1, 0.25, 2]
        s.standardDeviations = [0.5, 2, 0.25, 4]
        var out = [Double](repeating: .nan, count: 4)
        out.withUnsafeMutableBufferPointer { s.ramps(3.75, into: $0.baseAddress!) }
        XCTAssertEqual(out, [1, 0.5, 2, -0.5])
    }

    /// The encoder of a monotone spline column writes K−1 ramps (not x and
    /// the C_j), standardised over the training rows (mean 0, SD 1 within
    /// 1e-12), named "v", "v (ramp 2)" …; a monotone column with too few
    /// values for a spline keeps its linear feature and the direction.
    func testEncoderWritesRamps() throws {
        let present = (0..<300).map { Double($0 % 41) + Double($0 / 41) * 0.5 }
        let e = try XCTUnwrap(NumericEncoder.fit(column: "v", present: present, missing: 15, log1p: false, splineKnots: 5, monotone: .decreasing))
        let spline = try XCTUnwrap(e.spline)
        XCTAssertEqual(spline.monotone, .decreasing)
        XCTAssertNil(e.monotone, "the direction is the spline's")
        XCTAssertEqual(e.direction, .decreasing)
        XCTAssertEqual(e.featureNames, ["v", "v (ramp 2)", "v (ramp 3)", "v (ramp 4)", "v (missing)"])
        XCTAssertNil(spline.problem)
        var rows: [[Double]] = []
        for v in present.map(Optional.some) + [Double?](repeating: nil, count: 15) {
            var out = [Double](repeating: .nan, count: e.featureCount)
            out.withUnsafeMutableBufferPointer { e.encode(v, into: $0.baseAddress!) }
            rows.append(out)
        }
        // Each ramp over the training rows: mean 0, population SD 1.
        for j in 0..<4 {
            let column = rows.map { $0[j] }
            let mean = column.reduce(0, +) / Double(column.count)
            XCTAssertEqual(mean, 0, accuracy: 1e-12)
            XCTAssertEqual(column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count), 1, accuracy: 1e-12)
        }
        let t = spline.knots
        let x = 20.5
        XCTAssertEqual(rows[0].count, 5)
        var at = [Double](repeating: 0, count: 5)
        at.withUnsafeMutableBufferPointer { e.encode(x, into: $0.baseAddress!) }
        for j in 0..<4 {
            XCTAssertEqual(at[j], (min(max(x - t[j], 0), t[j + 1] - t[j]) - spline.means[j]) / spline.standardDeviations[j], accuracy: 1e-15)
        }
        let few = try XCTUnwrap(NumericEncoder.fit(column: "v", present: (0..<100).map { Double($0 % 9) }, missing: 0, log1p: false, splineKnots: 5, monotone: .increasing))
        XCTAssertNil(few.spline)
        XCTAssertEqual(few.monotone, .increasing)
        XCTAssertEqual(few.featureCount, 1)
    }

    static let leadsColumns = ["TotalVisits": "increasing", "Page Views Per Visit": "decreasing"]

    /// Leads.csv with only TotalVisits and Page Views Per Visit, each a
    /// 5-knot spline (monotone when `monotone`), λ = 1, all rows.
    static func leadsConfig(path: String, monotone: Bool) throws -> TrainingConfiguration {
        let header = try CSVReader(path: path).header
        var config = TrainingConfiguration()
        config.target = "Converted"
        config.missingValues = ["Select"]
        config.exclude = header.filter { !["Converted", "TotalVisits", "Page Views Per Visit"].contains($0) && !$0.isEmpty }
        config.spline = ["TotalVisits", "Page Views Per Visit"]
        config.monotone = monotone ? leadsColumns : nil
        return config
    }

    static func train(_ config: TrainingConfiguration, path: String) throws -> ModelCard {
        var request = TrainingRequest(dataPath: path, configuration: config)
        request.trainingDate = "2026-12-07"
        return try Trainer.train(request)
    }

    /// The bounded fit against scipy's L-BFGS-B on the design rebuilt in
    /// Python from the definitions: knots, means and SDs within 1e-12,
    /// coefficients and intercept within 1e-6. The bounded KKT conditions
    /// on the design `train` encodes (g the gradient of the loss plus
    /// λ/2‖β‖²): g_j ≥ 0 where an increasing ramp's β_j = 0, g_j ≤ 0 where
    /// a decreasing one's is, |g_j| ≈ 0 elsewhere (1e-7 × n). The curves
    /// never fall (rise) over 1,000 points across the training range,
    /// while the unconstrained spline's TotalVisits curve does fall.
    func testLeadsFitMatchesLBFGSBAndKKT() throws {
        guard let leads = Fixtures.leadsCSV else { throw XCTSkip("Leads.csv is not beside the repository") }
        let f = try Fixtures.json("monotone.json")
        let config = try Self.leadsConfig(path: leads, monotone: true)
        let card = try Self.train(config, path: leads)
        XCTAssertEqual(card.formatVersion, ModelCard.monotoneFormatVersion)
        let columns = try XCTUnwrap(f["columns"] as? [[String: Any]])
        let encoders = card.schema.numericEncoders.map(\.encoder)
        XCTAssertEqual(encoders.map(\.column), ["TotalVisits", "Page Views Per Visit"])
        for (e, c) in zip(encoders, columns) {
            let s = try XCTUnwrap(e.spline)
            XCTAssertEqual(e.median, try Fixtures.double(c["median"]))
            assertClose(s.knots, try Fixtures.doubles(c["knots"]), absolute: 1e-12, e.column)
            assertClose(s.means, try Fixtures.doubles(c["means"]), absolute: 1e-12, e.column)
            assertClose(s.standardDeviations, try Fixtures.doubles(c["standardDeviations"]), absolute: 1e-12, e.column)
        }
        let beta = card.features.map(\.coefficient)
        assertClose(beta, try Fixtures.doubles(f["coefficients"]), absolute: 1e-6, "coefficients against L-BFGS-B")
        XCTAssertEqual(card.intercept.coefficient, try Fixtures.double(f["intercept"]), accuracy: 1e-6)
        XCTAssertEqual(beta[0], 0, "TotalVisits' first ramp is held at its bound")

        // KKT on the design `train` fits.
        let (x, y) = try LogisticRegressionPenaltyTests.encode(path: leads, config: config)
        XCTAssertEqual(x.columns, beta.count)
        // g = Xᵀ(μ − y) + λβ (λ = 1), and Σ(μ − y) for the intercept.
        var g = [Double](repeating: 0, count: x.columns + 1)
        for i in 0..<x.rows {
            var eta = card.intercept.coefficient
            for j in 0..<x.columns { eta += x[i, j] * beta[j] }
            let r = 1 / (1 + exp(-eta)) - y[i]
            for j in 0..<x.columns { g[j] += x[i, j] * r }
            g[x.columns] += r
        }
        for j in 0..<x.columns { g[j] += beta[j] }
        let tolerance = 1e-7 * Double(y.count)
        let sign: [Double] = [1, 1, 1, 1, 0, -1, -1, -1, -1, 0]
        var held = 0
        for j in 0..<x.columns {
            XCTAssertGreaterThanOrEqual(sign[j] * beta[j], 0, "β\(j) within its bound")
            if sign[j] != 0 && beta[j] == 0 {
                held += 1
                XCTAssertGreaterThanOrEqual(sign[j] * g[j], -tolerance, "feature \(j) at its bound: moving it inside would not lower the objective")
            } else {
                XCTAssertEqual(g[j], 0, accuracy: tolerance, "feature \(j)")
            }
        }
        XCTAssertGreaterThan(held, 0, "a bound binds")
        XCTAssertEqual(g[x.columns], 0, accuracy: tolerance, "intercept")

        // The curves on 1,000 points from the smallest to the largest training value.
        func grid(_ c: SplineCurve) -> [Double] {
            let lo = c.points.first!.value, hi = c.points.last!.value
            return (0..<1000).map { c.point(at: lo + (hi - lo) * Double($0) / 999).logOdds }
        }
        let curves = card.splineCurves
        let visits = grid(curves[0]), views = grid(curves[1])
        for i in 1..<1000 {
            XCTAssertGreaterThanOrEqual(visits[i], visits[i - 1], "TotalVisits never lowers the score")
            XCTAssertLessThanOrEqual(views[i], views[i - 1], "Page Views Per Visit never raises it")
        }
        XCTAssertGreaterThan(visits[999], visits[0])
        let free = try Self.train(try Self.leadsConfig(path: leads, monotone: false), path: leads)
        let unconstrained = grid(free.splineCurves[0])
        XCTAssertTrue((1..<1000).contains { unconstrained[$0] < unconstrained[$0 - 1] - 1e-9 }, "the unconstrained TotalVisits curve falls somewhere")
        XCTAssertLessThanOrEqual(free.formatVersion, ModelCard.penaltyFormatVersion)
    }

    /// A monotone card round-trips exactly and is format 10; lowered to 9
    /// it is refused; a card without a monotone column carries no
    /// "monotone" key and keeps its older version.
    func testCardFormat() throws {
        let card = try TrainedCards.train(rows: 1500, seed: 12) { $0.monotone = ["Website Sessions": "increasing", "Days Since Last Activity": "decreasing"]; $0.spline = ["Website Sessions"] }
        XCTAssertEqual(card.formatVersion, ModelCard.monotoneFormatVersion)
        let data = try card.jsonData()
        let back = try ModelCard.decode(data, file: "m.json")
        XCTAssertEqual(try back.jsonData(), data)
        let sessions = try XCTUnwrap(back.schema.numericEncoders.first { $0.encoder.column == "Website Sessions" }?.encoder)
        XCTAssertEqual(sessions.spline?.monotone, .increasing)
        let days = try XCTUnwrap(back.schema.numericEncoders.first { $0.encoder.column == "Days Since Last Activity" }?.encoder)
        XCTAssertEqual(days.monotone, .decreasing)
        let j = try XCTUnwrap(back.features.firstIndex { $0.name == "Days Since Last Activity" })
        XCTAssertLessThanOrEqual(back.features[j].coefficient, 0)
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"formatVersion\" : 10,", with: "\"formatVersion\" : 9,")
        XCTAssertThrowsError(try ModelCard.decode(Data(text.utf8), file: "m.json", allowEdited: true)) {
            XCTAssertEqual(($0 as? InputError)?.kind, .badModel)
        }
        let plain = try TrainedCards.train(rows: 1500, seed: 12) { $0.spline = ["Website Sessions"] }
        XCTAssertEqual(plain.formatVersion, ModelCard.splinesFormatVersion)
        XCTAssertFalse(String(decoding: try plain.jsonData(), as: UTF8.self).contains("monotone"))
        // `diff` names the change.
        let d = ModelDiff(old: plain, new: card)
        XCTAssertTrue(d.encoders.contains(ModelDiff.Change(what: "\"Website Sessions\" monotone", old: "no", new: "increasing")), "\(d.encoders)")
    }

    /// Refused, naming the column or the word: a column the file lacks, a
    /// categorical column, a direction that is not one.
    func testRefusals() throws {
        func refusal(_ monotone: [String: String]) -> InputError? {
            do {
                _ = try TrainedCards.train(rows: 300, seed: 3) { $0.monotone = monotone }
                return nil
            } catch { return error as? InputError }
        }
        let missing = try XCTUnwrap(refusal(["Visitz": "increasing"]))
        XCTAssertTrue(missing.description.contains("Visitz") && missing.description.contains("monotone"), missing.description)
        let categorical = try XCTUnwrap(refusal(["Lead Source": "increasing"]))
        XCTAssertTrue(categorical.description.contains("Lead Source") && categorical.description.contains("numeric column"), categorical.description)
        let word = try XCTUnwrap(refusal(["Website Sessions": "up"]))
        XCTAssertTrue(word.description.contains("\"up\"") && word.description.contains("Website Sessions"), word.description)
    }
}
