import XCTest

@testable import LeadScore

final class ModelCardReportTests: XCTestCase {
    static let card = try! TrainedCards.train(seed: 17) { $0.log1p = ["Email Clicks"] }

    /// The per-unit column names its unit where it is not the column's
    /// own: per unit of log1p(x) for a log1p column, per day for a date.
    func testPerUnitNamesLog1pAndDays() throws {
        let text = ModelCardReport.inspection(Self.card)
        let clicks = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("Email Clicks ") })
        XCTAssertTrue(clicks.hasSuffix("per unit of log1p(Email Clicks)"), String(clicks))
        let summary = try XCTUnwrap(Self.card.coefficientSummaries().first { $0.name == "Email Clicks" })
        let perUnit = try XCTUnwrap(summary.perUnit)
        XCTAssertTrue(clicks.contains(ModelNumber.signed(perUnit.coefficient, 4) + " ± "), String(clicks))
        guard case .numeric(let e) = try XCTUnwrap(Self.card.schema.encoders.columns.first { $0.column == "Email Clicks" }) else { return XCTFail() }
        XCTAssertEqual(perUnit.coefficient, summary.coefficient / e.standardDeviation, "per unit of log1p(x): divided by the SD of log1p(x)")
        let days = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("Created Date (days ago) ") })
        XCTAssertTrue(days.hasSuffix(" per day"), String(days))
        let pages = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("Pricing Page Visits ") })
        XCTAssertFalse(pages.contains("per "), "a plain number is per unit of its own column")
    }

    /// A model with groups: inspect lists each group's columns, the
    /// sub-scores' scale and cut-offs, and a group column in the
    /// coefficients; a model without groups shows none of it.
    func testInspectionShowsTheGroups() throws {
        let plain = ModelCardReport.inspection(Self.card)
        XCTAssertFalse(plain.contains("Fit columns") || plain.contains("Sub-scores") || plain.contains(" group\n"), plain)
        let card = try TrainedCards.train(rows: 1500, seed: 18) { TrainedCards.assignGroups(&$0) }
        let text = ModelCardReport.inspection(card)
        XCTAssertTrue(text.contains("Fit columns: \"Country\", \"Industry\""), text)
        XCTAssertTrue(text.contains("Engagement columns: \"Created Date\", \"Pricing Page Visits\""), text)
        XCTAssertTrue(text.contains("Sub-scores: fit_score = 100·σ(b + F + Ē), engagement_score = 100·σ(b + F̄ + E)"), text)
        XCTAssertTrue(text.contains(try XCTUnwrap(card.subScores).grid.description), text)
        let header = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("feature ") })
        XCTAssertTrue(header.hasSuffix("group"), String(header))
        let demo = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("Demo Requested ") })
        XCTAssertTrue(demo.hasSuffix("engagement"), String(demo))
        XCTAssertTrue(ModelCardReport.trainingSummary(card, path: "m.json").contains("Sub-scores: "))
    }

    /// Library text names options by key; the summary states the data, the
    /// solver and the metrics.
    func testTrainingSummary() {
        let summary = ModelCardReport.trainingSummary(Self.card, path: "m.json")
        XCTAssertFalse(summary.contains("--"), summary)
        XCTAssertTrue(summary.contains("Solver: converged in"), summary)
        XCTAssertTrue(summary.contains("Holdout: \(ModelNumber.grouped(Self.card.metrics.holdout!.rows)) rows, AUC "), summary)
        XCTAssertTrue(summary.hasSuffix("Model written to m.json."))
    }
}
