import Foundation
import XCTest

@testable import LeadScore

/// Training with segment models (`Trainer+Segments.swift`), measured as
/// `evaluate` measures the card.
final class TrainerSegmentsTests: XCTestCase {
    /// The card's holdout metrics are those of the segment models, each
    /// held-out deal scored with its segment's model: the figures
    /// `evaluate` gives for the card on the held-out rows, and not those
    /// of the global model alone.
    func testHoldoutMetricsAreTheSegmentModelsOnTheHeldOutDeals() throws {
        let data = temporaryPath("deals.csv"), holdout = temporaryPath("holdout.csv")
        try TrainedCards.writeDeals(rows: 6000, seed: 321, accountEffect: 0, regions: true, to: data)
        var config = TrainingConfiguration()
        config.target = "Stage"
        config.positive = ["Closed Won"]
        config.exclude = ["Company Name", "Account ID", SyntheticDeals.regionColumn]
        config.holdout = 0.3
        config.segment = SyntheticDeals.regionColumn
        config.segmentL2 = 1
        var request = TrainingRequest(dataPath: data, configuration: config)
        request.holdoutOutputPath = holdout
        let card = try Trainer.train(request)
        let held = try XCTUnwrap(card.metrics.holdout)

        let report = try Comparison.run(ComparisonRequest(dataPath: holdout, scorers: [.model(path: "seg.json", card)], bootstrapResamples: 0))
        XCTAssertEqual(report.scorers.map(\.name), ["seg.json (global model)", "seg.json"])
        let (global, segmented) = (report.scorers[0], report.scorers[1])
        XCTAssertEqual(report.rows, held.rows)
        XCTAssertEqual(segmented.ranking.auc, held.auc, accuracy: 1e-12)
        XCTAssertEqual(segmented.calibration.logLoss, held.logLoss, accuracy: 1e-12)
        XCTAssertEqual(segmented.calibration.brier, held.brier, accuracy: 1e-12)
        XCTAssertGreaterThan(abs(global.calibration.logLoss - held.logLoss), 1e-6, "the global model alone gives other figures")
    }
}
