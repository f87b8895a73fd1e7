import Foundation
import XCTest

@testable import LeadScore

/// A recalibrated card (`ModelCard.calibration`): format 4, checksummed
/// with the rest, refused when its version is lowered or its map damaged,
/// and a card without one as before.
final class ModelCardCalibrationTests: XCTestCase {
    static let plain: ModelCard = try! TrainedCards.train(rows: 1500, seed: 5)

    /// Recalibrates `plain` on 2,000 newer generated deals.
    func recalibrated(_ method: ModelCard.Calibration.Method, card: ModelCard = ModelCardCalibrationTests.plain) throws -> ModelCard {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recent-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try TrainedCards.writeDeals(rows: 2000, seed: 9, to: url.path)
        return try Recalibration.run(Recalibration.Request(model: card, modelPath: "m.json", dataPath: url.path, method: method, date: "2026-12-10")).card
    }

    func text(_ card: ModelCard) throws -> String { String(decoding: try card.jsonData(), as: UTF8.self) }

    func testRecalibratedCardIsFormatFourAndRoundTrips() throws {
        XCTAssertEqual(Self.plain.formatVersion, 2)
        for method in ModelCard.Calibration.Method.allCases {
            let card = try recalibrated(method)
            XCTAssertEqual(card.formatVersion, ModelCard.calibrationFormatVersion)
            XCTAssertEqual(card.calibration?.method, method)
            XCTAssertEqual(card.calibration?.data.rows, card.calibration?.before.rows)
            XCTAssertNotNil(card.calibration?.crossValidated)
            let data = try card.jsonData()
            let back = try ModelCard.decode(data, file: "m.json")
            XCTAssertEqual(back.integrity, .verified)
            XCTAssertEqual(back.calibration, card.calibration)
            XCTAssertEqual(try back.jsonData(), data, "written again, the same bytes")
            // The coefficients are the model's: only the map, the version,
            // the notice and the checksum differ.
            var stripped = back
            stripped.calibration = nil
            stripped.training.notices.removeLast()
            stripped.formatVersion = stripped.requiredFormatVersion
            XCTAssertEqual(try stripped.jsonData(), try Self.plain.jsonData())
        }
    }

    /// The checksum covers the map: one digit of the slope changed is an
    /// edit; a format 3 card that carries a map is refused even with a
    /// matching checksum; a damaged map (a negative slope) is refused as
    /// damaged.
    func testTheMapIsCheckedWithTheCard() throws {
        let card = try recalibrated(.logistic)
        guard case .logistic(_, let b)? = card.calibration?.map else { return XCTFail("not logistic") }
        let written = try text(card)
        let slope = "\"slope\" : \(b)\n"
        XCTAssertTrue(written.contains(slope), written)
        let edited = written.replacingOccurrences(of: slope, with: "\"slope\" : \(b + 0.25)\n")
        XCTAssertThrowsError(try ModelCard.decode(Data(edited.utf8), file: "m.json")) { XCTAssertEqual(($0 as? InputError)?.kind, .editedModel) }

        var lowered = card
        lowered.formatVersion = 3
        XCTAssertThrowsError(try ModelCard.decode(try lowered.jsonData(), file: "m.json")) {
            let e = $0 as? InputError
            XCTAssertEqual(e?.kind, .badModel)
            XCTAssertTrue(e?.problem.contains("carries a recalibration") ?? false, e?.problem ?? "")
        }
        let negative = written.replacingOccurrences(of: slope, with: "\"slope\" : -\(b)\n")
        XCTAssertThrowsError(try ModelCard.decode(Data(negative.utf8), file: "m.json", allowEdited: true)) {
            XCTAssertEqual(($0 as? InputError)?.kind, .badModel)
        }
    }

    /// An edited card (used anyway) is not recalibrated: the copy would be
    /// checksummed anew and pass the edit off as trained.
    func testAnEditedCardIsNotRecalibrated() throws {
        var edited = Self.plain
        edited.integrity = .editedAllowed(file: "m.json")
        XCTAssertThrowsError(try recalibrated(.intercept, card: edited)) {
            let e = $0 as? InputError
            XCTAssertEqual(e?.kind, .editedModel)
            XCTAssertEqual(e?.location?.file, "m.json")
        }
    }

    /// Stored tiers are not carried (they were chosen on the probabilities
    /// before); grid cut-offs are carried through the map from the training
    /// quartiles, which the card keeps.
    func testTiersAreDroppedAndTheGridIsCarried() throws {
        let grouped = try TrainedCards.train(rows: 1500, seed: 5) { TrainedCards.assignGroups(&$0) }
        var withTiers = grouped
        withTiers.tiers = TierScheme(labels: ["Hot", "Cold"], valueCuts: [0.4])
        withTiers.formatVersion = withTiers.requiredFormatVersion
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recent-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try TrainedCards.writeDeals(rows: 2000, seed: 9, to: url.path)
        let result = try Recalibration.run(Recalibration.Request(model: withTiers, modelPath: "m.json", dataPath: url.path, method: .logistic))
        XCTAssertNil(result.card.tiers)
        XCTAssertTrue(result.notes.contains { $0.contains("tiers") })
        XCTAssertEqual(result.card.subScores, grouped.subScores, "the training quartiles are kept")
        let map = result.card.probabilityMap
        let carried = try XCTUnwrap(result.card.gridCuts)
        for (before, after) in zip(grouped.subScores!.grid.fit, carried.fit) {
            let q = (before - 0.5) / 100
            XCTAssertEqual(after, Double(SubScoreScale.wholeScore(probability: map.probability(logOdds: log(q / (1 - q))))))
        }
        XCTAssertEqual(grouped.gridCuts, grouped.subScores?.grid, "without a calibration the cut-offs are the quartiles")
    }
}
