import Foundation
import XCTest

@testable import LeadScore

/// Monotone columns through every fit the trainer makes: each segment's
/// coefficients (β_g + δ) and the cross-validated penalty's final fit keep
/// the bounds, and the points table's bands of a monotone column rise with
/// the value.
final class TrainerMonotoneTests: XCTestCase {
    /// "Website Sessions" (a spline, held decreasing) and "Days Since Last
    /// Activity" (linear, held increasing): directions against the
    /// generated deals' truth, so that the bounds bind (asserted on the
    /// segments' unconstrained fit).
    static let monotone = ["Website Sessions": "decreasing", "Days Since Last Activity": "increasing"]

    func signs(_ card: ModelCard, _ beta: [Double]) -> [(String, Double)] {
        card.features.indices.compactMap { j in
            let f = card.features[j]
            guard let direction = Self.monotone[f.column], !f.name.hasSuffix("(missing)") else { return nil }
            return (f.name, direction == "increasing" ? beta[j] : -beta[j])
        }
    }

    func testSegmentModelsKeepTheBounds() throws {
        let data = temporaryPath("deals.csv")
        try TrainedCards.writeDeals(rows: 6000, seed: 321, accountEffect: 0, regions: true, to: data)
        var config = TrainingConfiguration()
        config.target = "Stage"
        config.positive = ["Closed Won"]
        config.exclude = ["Company Name", "Account ID", SyntheticDeals.regionColumn]
        config.segment = SyntheticDeals.regionColumn
        config.segmentL2 = 0.01
        config.spline = ["Website Sessions"]
        let free = try Trainer.train(TrainingRequest(dataPath: data, configuration: config))
        XCTAssertTrue(signs(free, free.features.map(\.coefficient)).contains { $0.1 < 0 }, "the unconstrained fit breaks a sign")
        config.monotone = Self.monotone
        let card = try Trainer.train(TrainingRequest(dataPath: data, configuration: config))
        for (name, s) in signs(card, card.features.map(\.coefficient)) { XCTAssertGreaterThanOrEqual(s, 0, "global \(name)") }
        let segments = try XCTUnwrap(card.segments?.segments.filter { $0.coefficients != nil })
        XCTAssertFalse(segments.isEmpty)
        for segment in segments {
            // Exactly within the bounds, up to the rounding of β_g + δ.
            for (name, s) in signs(card, segment.coefficients!) { XCTAssertGreaterThanOrEqual(s, -1e-15, "\(segment.value) \(name)") }
        }
    }

    func testCrossValidatedPenaltyKeepsTheBounds() throws {
        let card = try TrainedCards.train(rows: 2000, seed: 12) {
            $0.spline = ["Website Sessions"]
            $0.monotone = Self.monotone
            $0.penalty = .l1
            $0.cv = 3
        }
        XCTAssertNotNil(card.training.penalty?.selection)
        for (name, s) in signs(card, card.features.map(\.coefficient)) { XCTAssertGreaterThanOrEqual(s, 0, name) }
    }

    /// The points bands of a monotone spline column, in value order, never
    /// fall (each is its leads' mean contribution, rounded: monotone
    /// contributions give monotone means).
    func testPointsBandsFollowTheDirection() throws {
        let data = temporaryPath("deals.csv")
        try TrainedCards.writeDeals(rows: 3000, seed: 11, to: data)
        var config = TrainingConfiguration()
        config.target = "Stage"
        config.positive = ["Closed Won"]
        config.exclude = ["Company Name", "Account ID"]
        config.spline = ["Website Sessions"]
        config.monotone = ["Website Sessions": "increasing"]
        let card = try Trainer.train(TrainingRequest(dataPath: data, configuration: config))
        let export = try PointsExport.make(model: card, modelName: "m.json", data: data)
        var bands: [(lo: Double, points: Double)] = []
        for rule in export.rules.rules where rule.name.hasPrefix("Website Sessions ") && !rule.name.hasSuffix("is missing") {
            guard case .column(_, let tests) = rule.when else { return XCTFail(rule.name) }
            var lo = -Double.infinity
            for t in tests { if case .atLeast(let x) = t { lo = x } }
            bands.append((lo, rule.points ?? 0))
        }
        bands.sort { $0.lo < $1.lo }
        XCTAssertGreaterThanOrEqual(bands.count, 3)
        for i in 1..<bands.count { XCTAssertGreaterThanOrEqual(bands[i].points, bands[i - 1].points, "\(bands)") }
    }

    /// The training summary names the solver that ran: a bounded fit
    /// (monotone columns, L2 penalty) is the proximal Newton method, a
    /// plain fit Newton's.
    func testSummaryNamesTheSolver() throws {
        let data = temporaryPath("deals.csv")
        try TrainedCards.writeDeals(rows: 1500, seed: 322, accountEffect: 0, regions: false, to: data)
        var config = TrainingConfiguration()
        config.target = "Stage"
        config.positive = ["Closed Won"]
        config.exclude = ["Company Name", "Account ID"]
        let plain = try Trainer.train(TrainingRequest(dataPath: data, configuration: config))
        config.monotone = Self.monotone
        let bounded = try Trainer.train(TrainingRequest(dataPath: data, configuration: config))
        let summary = { (card: ModelCard) in ModelCardReport.trainingSummary(card, path: "m.json").split(separator: "\n").first { $0.hasPrefix("Solver:") }.map(String.init) ?? "" }
        XCTAssertTrue(summary(plain).contains(" Newton iterations") && !summary(plain).contains("proximal"), summary(plain))
        XCTAssertTrue(summary(bounded).contains("proximal Newton iterations"), summary(bounded))
        XCTAssertTrue(bounded.training.solver.method.hasPrefix("Proximal"))
    }
}
