import Foundation
import XCTest

@testable import LeadScore

/// The model card's measurement dates (`ModelCard.Schema.measuredOn`) and
/// the format version they need (`ModelCard.requiredFormatVersion`).
final class ModelCardMeasuredOnTests: XCTestCase {
    static let column = "Days Since Last Activity"
    static let plain: ModelCard = try! TrainedCards.train(rows: 1500, seed: 5)
    static let measured: ModelCard = try! TrainedCards.train(rows: 1500, seed: 5) { $0.measuredOn = [column: "2026-06-30"] }

    func text(_ card: ModelCard) throws -> String { String(decoding: try card.jsonData(), as: UTF8.self) }

    /// Without measurement dates a card is format 2 and its bytes are those
    /// of a card that never heard of them: the same card with the dates
    /// differs only by them, the version and the checksum.
    func testACardWithoutDatesIsFormatTwoByteForByte() throws {
        XCTAssertEqual(Self.plain.formatVersion, 2)
        XCTAssertEqual(Self.plain.requiredFormatVersion, 2)
        let plain = try text(Self.plain)
        XCTAssertFalse(plain.contains("measuredOn"))
        XCTAssertTrue(plain.contains("\n  \"formatVersion\" : 2,\n"))

        var stripped = Self.measured
        stripped.schema.measuredOn = nil
        stripped.formatVersion = stripped.requiredFormatVersion
        // Each training run writes its generated file under its own name.
        XCTAssertNotEqual(stripped.training.source.file, Self.plain.training.source.file)
        stripped.training.source.file = Self.plain.training.source.file
        XCTAssertEqual(try stripped.jsonData(), try Self.plain.jsonData(), "the dates change nothing else in the card")
    }

    func testACardWithDatesIsFormatThreeAndRoundTrips() throws {
        XCTAssertEqual(Self.measured.formatVersion, 3)
        XCTAssertEqual(Self.measured.schema.measuredOn, [Self.column: "2026-06-30"])
        let data = try Self.measured.jsonData()
        let written = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(written.contains("\n  \"formatVersion\" : 3,\n"))
        XCTAssertTrue(written.contains("\"measuredOn\" : {\n      \"Days Since Last Activity\" : \"2026-06-30\"\n    },"), written)
        let back = try ModelCard.decode(data, file: "m.json")
        XCTAssertEqual(back.integrity, .verified)
        XCTAssertEqual(back.schema.measuredOn, Self.measured.schema.measuredOn)
        XCTAssertEqual(back.formatVersion, 3)
        XCTAssertEqual(try back.jsonData(), data, "written again, the same bytes")
    }

    /// A card carrying dates that says it is format 2 would be scored
    /// without them by a reader of format 2: refused, even with a matching
    /// checksum (as a writer that forgot the version would write it).
    func testDatesInAFormatTwoCardAreRefused() throws {
        var lowered = Self.measured
        lowered.formatVersion = 2
        XCTAssertThrowsError(try ModelCard.decode(try lowered.jsonData(), file: "m.json", allowEdited: true)) {
            let e = $0 as! InputError
            XCTAssertEqual(e.kind, .badModel)
            XCTAssertTrue(e.problem.contains("says it is format 2 but carries measurement dates"), e.problem)
        }
        // Lowered by hand in the file, the checksum does not match either.
        let edited = try text(Self.measured).replacingOccurrences(of: "\"formatVersion\" : 3,", with: "\"formatVersion\" : 2,")
        XCTAssertThrowsError(try ModelCard.decode(Data(edited.utf8), file: "m.json")) { XCTAssertEqual(($0 as! InputError).kind, .badModel) }
    }

    /// Dates must name a numeric column of the model, with a real day.
    func testDatesOfOtherColumnsOrNotDaysAreRefused() throws {
        for dates in [["Industry": "2026-06-30"], ["Nowhere": "2026-06-30"], [Self.column: "2026-06-31"]] {
            var card = Self.measured
            card.schema.measuredOn = dates
            XCTAssertThrowsError(try ModelCard.decode(try card.jsonData(), file: "m.json"), "\(dates)") {
                let e = $0 as! InputError
                XCTAssertEqual(e.kind, .badModel)
                XCTAssertEqual(e.location?.column, dates.keys.first)
            }
        }
    }

    /// `leadscore diff` reports a change of measurement dates: it changes
    /// the scores given as of another day.
    func testDiffReportsTheDates() {
        let diff = ModelDiff(old: Self.plain, new: Self.measured)
        XCTAssertEqual(diff.schema.map(\.what), ["measured on"])
        XCTAssertEqual(diff.schema.first?.old, "")
        XCTAssertEqual(diff.schema.first?.new, "Days Since Last Activity on 2026-06-30")
    }
}
