import XCTest

@testable import LeadScore

/// Training with splines: which columns get one (`spline`, `splines`
/// auto), the columns kept linear and the notice that says so, and the
/// columns a spline may not name.
final class TrainerSplineTests: XCTestCase {
    func error(_ adjust: @escaping (inout TrainingConfiguration) -> Void) -> InputError? {
        do { _ = try TrainedCards.train(rows: 600, seed: 5, adjust: adjust) } catch { return error as? InputError }
        return nil
    }

    func spline(_ card: ModelCard, _ column: String) -> NaturalSpline? {
        card.schema.numericEncoders.first { card.schema.encoders.columns[$0.index].column == column }?.encoder.spline
    }

    /// `splines` auto: every numeric and date column with at least 10
    /// distinct values gets 5 knots (a date on its days ago); the others
    /// stay linear, named in one notice; `spline` COLUMN:3 sets a column's
    /// knots.
    func testAutoSplinesEveryColumnWithEnoughValues() throws {
        let card = try TrainedCards.train(rows: 2000, seed: 7) {
            $0.splines = .auto
            $0.spline = ["Pricing Page Visits:3"]
        }
        let numeric = card.schema.numericEncoders
        XCTAssertFalse(numeric.isEmpty)
        var linear: [String] = []
        for (k, e) in numeric {
            let column = card.schema.encoders.columns[k].column
            let distinct = Set(try values(column, card: card)).count
            if let s = e.spline {
                XCTAssertGreaterThanOrEqual(distinct, 2 * s.knotCount, column)
                XCTAssertEqual(s.knotCount, column == "Pricing Page Visits" ? 3 : 5, column)
            } else {
                linear.append(column)
            }
        }
        XCTAssertNotNil(spline(card, "Created Date"), "a date column's days ago")
        XCTAssertTrue(card.features.map(\.name).contains("Created Date (days ago) (spline 3)"))
        XCTAssertFalse(linear.isEmpty)
        let notice = try XCTUnwrap(card.training.notices.first { $0.contains("kept linear") })
        for column in linear { XCTAssertTrue(notice.contains("\"\(column)\""), notice) }
        XCTAssertEqual(card.formatVersion, ModelCard.splinesFormatVersion)
        // Without splines, the same columns are one feature each.
        let plain = try TrainedCards.train(rows: 2000, seed: 7)
        XCTAssertFalse(plain.schema.usesSplines)
        XCTAssertLessThan(plain.features.count, card.features.count)
    }

    /// The column's present values in the deals the card was trained on.
    func values(_ column: String, card: ModelCard) throws -> [String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spline-values-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try TrainedCards.writeDeals(rows: 2000, seed: 7, to: path)
        let reader = try CSVReader(path: path)
        let i = try XCTUnwrap(reader.header.firstIndex(of: column))
        var out: [String] = []
        while try reader.nextRecord() { out.append(reader.field(i)) }
        return out
    }

    /// A column that is not in the file, one that is not a number, and
    /// knots out of 3…7 are refused, naming the column.
    func testColumnsASplineMayNotName() throws {
        let unknown = try XCTUnwrap(error { $0.spline = ["Pricing Visits"] })
        XCTAssertEqual(unknown.kind, .missingColumn)
        XCTAssertEqual(unknown.location?.column, "Pricing Visits")
        let category = try XCTUnwrap(error { $0.spline = ["Industry"] })
        XCTAssertEqual(category.kind, .badConfiguration)
        XCTAssertEqual(category.location?.column, "Industry")
        XCTAssertTrue(category.problem.contains("read as categorical"), category.problem)
        let excluded = try XCTUnwrap(error { $0.spline = ["Company Name"] })
        XCTAssertEqual(excluded.location?.column, "Company Name")
        let knots = try XCTUnwrap(error { $0.spline = ["Email Clicks:9"] })
        XCTAssertEqual(knots.kind, .badConfiguration)
        XCTAssertEqual(knots.location?.column, "Email Clicks")
        XCTAssertEqual(TrainingConfiguration.splineEntry("Score:2:5").column, "Score:2")
        XCTAssertEqual(TrainingConfiguration.splineEntry("Score:2:5").knots, 5)
        XCTAssertNil(TrainingConfiguration.splineEntry("Ratio 3:x").knots)
    }
}
