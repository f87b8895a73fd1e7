import XCTest

@testable import LeadScore

final class ModelCardTests: XCTestCase {
    /// A model trained on 3,000 generated deals, through the library API.
    func trainedCard(l2: Double = 1) throws -> ModelCard {
        try TrainedCards.train(seed: 11) { $0.l2 = l2 }
    }

    /// Doubles survive the JSON round trip bit for bit.
    func testRoundTripIsExact() throws {
        let card = try trainedCard()
        let data = try card.jsonData()
        let back = try ModelCard.decode(data, file: "m.json")
        var written = card
        written.checksum = try card.contentChecksum()
        XCTAssertEqual(back, written, "the card as written: with its checksum")
        for (a, b) in zip(back.features, card.features) {
            XCTAssertEqual(a.coefficient.bitPattern, b.coefficient.bitPattern)
            XCTAssertEqual(a.standardError.bitPattern, b.standardError.bitPattern)
        }
        XCTAssertEqual(try back.jsonData(), data, "writing again gives the same bytes")
        XCTAssertEqual(card.schema.asOf, "2026-06-30", "dates default to the latest date in the file")
        XCTAssertTrue(card.training.solver.converged)
        XCTAssertNotNil(card.metrics.holdout)
        XCTAssertEqual(card.training.source.sha256.count, 64)
    }

    func testNewerVersionAndDamageAreRefused() throws {
        let card = try trainedCard()
        let data = try card.jsonData()
        var text = String(decoding: data, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"formatVersion\" : \(card.formatVersion),", with: "\"formatVersion\" : \(ModelCard.formatVersion + 1),")
        XCTAssertThrowsError(try ModelCard.decode(Data(text.utf8), file: "m.json")) {
            XCTAssertEqual(($0 as! InputError).kind, .unsupportedModelVersion)
        }
        XCTAssertThrowsError(try ModelCard.decode(data.prefix(data.count - 40), file: "m.json")) {
            XCTAssertEqual(($0 as! InputError).kind, .badModel)
        }
        text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"name\" : \"Demo Requested\"", with: "\"name\" : \"Demo\"")
        XCTAssertThrowsError(try ModelCard.decode(Data(text.utf8), file: "m.json")) {
            XCTAssertEqual(($0 as! InputError).kind, .badModel, "features must match the encoders")
        }
    }

    /// Per-unit coefficients undo the standardisation: β_unit = β / SD.
    func testPerUnitCoefficients() throws {
        let card = try trainedCard()
        let summaries = card.coefficientSummaries()
        for case .numeric(let e) in card.schema.encoders.columns {
            let s = try XCTUnwrap(summaries.first { $0.name == e.column })
            XCTAssertEqual(try XCTUnwrap(s.perUnit).coefficient, s.coefficient / e.standardDeviation, accuracy: 1e-15)
        }
        XCTAssertEqual(summaries.last?.name, "(intercept)")
    }
}
