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

/// The formats of CRM exports a card records on its encoders (dates
/// written month first, amounts with a currency) and the format version
/// they need.
final class ModelCardExportFormatsTests: XCTestCase {
    /// The bundled generator's deals with Created Date written month first
    /// and Email Clicks as dollar amounts: the same card as the plain file's
    /// but for the formats, the version, the file and the checksum.
    static let plain: ModelCard = try! TrainedCards.train(rows: 1500, seed: 5)
    static let formatted: ModelCard = try! {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("formats-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let created = SyntheticDeals.header.firstIndex(of: "Created Date")!, clicks = SyntheticDeals.header.firstIndex(of: "Email Clicks")!
        try TrainedCards.writeDeals(rows: 1500, seed: 5, to: url.path) { _, fields in
            let d = fields[created].split(separator: "-")
            fields[created] = "\(d[1])/\(d[2])/\(d[0]) 10:15"
            fields[clicks] = "$\(fields[clicks]).00"
        }
        var config = TrainingConfiguration()
        config.target = "Stage"
        config.positive = ["Closed Won"]
        config.exclude = ["Company Name"]
        config.holdout = 0.2
        var request = TrainingRequest(dataPath: url.path, configuration: config)
        request.trainingDate = "2026-11-23"
        return try Trainer.train(request)
    }()

    func testFormatsAreRecordedInAFormatSixCard() throws {
        let card = Self.formatted
        XCTAssertEqual(card.formatVersion, ModelCard.exportFormatsFormatVersion)
        XCTAssertEqual(card.schema.columnFormats, ["\"Created Date\" month first (MM/DD/YYYY)", "\"Email Clicks\" with a decimal point (1,234.56) in $"])
        XCTAssertEqual(Self.plain.formatVersion, 2)
        // The same model: the formats are read to the same values.
        XCTAssertEqual(card.coefficients.map(\.bitPattern), Self.plain.coefficients.map(\.bitPattern))
        var stripped = card
        for (k, c) in stripped.schema.encoders.columns.enumerated() {
            switch c {
            case .date(var e):
                e.dateFormat = nil
                stripped.schema.encoders.columns[k] = .date(e)
            case .numeric(var e):
                (e.amountFormat, e.currency) = (nil, nil)
                stripped.schema.encoders.columns[k] = .numeric(e)
            default: break
            }
        }
        stripped.formatVersion = stripped.requiredFormatVersion
        stripped.training.source = Self.plain.training.source
        stripped.training.notices = Self.plain.training.notices
        XCTAssertEqual(try stripped.jsonData(), try Self.plain.jsonData(), "the formats change nothing else in the card")

        let data = try card.jsonData()
        let written = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(written.contains("\"dateFormat\" : \"MM/DD/YYYY\""), written)
        XCTAssertTrue(written.contains("\"amountFormat\" : \"1,234.56\""), written)
        XCTAssertTrue(written.contains("\"currency\" : \"$\""), written)
        let back = try ModelCard.decode(data, file: "m.json")
        XCTAssertEqual(back.schema, card.schema)
        XCTAssertEqual(try back.jsonData(), data, "written again, the same bytes")
    }

    /// A card reading formats that says it is format 5 would be read by a
    /// reader of format 5 as ISO dates and plain numbers: refused.
    func testFormatsInAFormatFiveCardAreRefused() throws {
        var lowered = Self.formatted
        lowered.formatVersion = 5
        XCTAssertThrowsError(try ModelCard.decode(try lowered.jsonData(), file: "m.json", allowEdited: true)) {
            let e = $0 as! InputError
            XCTAssertEqual(e.kind, .badModel)
            XCTAssertTrue(e.problem.contains("says it is format 5 but reads a column in a format of a CRM export"), e.problem)
        }
    }

    func testDiffAndInspectShowTheFormats() {
        let diff = ModelDiff(old: Self.plain, new: Self.formatted)
        XCTAssertEqual(diff.schema.map(\.what), ["column formats"])
        XCTAssertEqual(diff.schema.first?.new, "\"Created Date\" month first (MM/DD/YYYY), \"Email Clicks\" with a decimal point (1,234.56) in $")
        XCTAssertTrue(ModelCardReport.inspection(Self.formatted).contains("Formats: \"Created Date\" month first (MM/DD/YYYY), \"Email Clicks\" with a decimal point"))
    }
}
