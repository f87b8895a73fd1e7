import Foundation
import XCTest

@testable import LeadScore

/// The points export (`PointsExport`) of a model with splines, on the
/// real Leads X Education export.
final class PointsExportTests: XCTestCase {
    static let column = "Total Time Spent on Website"

    static func splineCard(_ leads: String) throws -> ModelCard {
        var config = TrainingConfiguration()
        config.target = "Converted"
        config.ids = ["Prospect ID", "Lead Number"]
        config.exclude = ["Tags", "Lead Quality", "Lead Profile"]
        config.missingValues = ["Select"]
        config.splines = .auto
        var request = TrainingRequest(dataPath: leads, configuration: config)
        request.trainingDate = "2026-12-07"
        return try Trainer.train(request)
    }

    /// A spline column becomes decile bands, each worth round(F · the mean
    /// of its leads' contributions), F = 20 / ln 2, the contributions as
    /// `score` computes them for reasons (`ModelScorer.contributions`);
    /// and the points rank the leads almost as the model does: AUC within
    /// 0.003 of the model's (0.9234 and 0.9212 measured; a points table of the linear model: 0.9176).
    func testSplineBandsAndTheirCost() throws {
        guard let leads = Fixtures.leadsCSV else { throw XCTSkip("Leads.csv is not beside the repository") }
        let card = try Self.splineCard(leads)
        // A spline's terms are nearly collinear by construction: the
        // training notes do not call them derived columns.
        XCTAssertFalse(card.training.notices.contains { $0.contains("(spline ") }, "\(card.training.notices)")
        XCTAssertTrue(card.training.notices.contains { $0.contains("linear combination") }, "the notice itself remains for other columns")
        let k = try XCTUnwrap(card.schema.encoders.columns.firstIndex { $0.column == Self.column })
        guard case .numeric(let e) = card.schema.encoders.columns[k], e.spline != nil else { return XCTFail("no spline") }

        // Each lead's value and the column's contribution to its log-odds.
        let reader = try CSVReader(path: leads)
        var scorer = try ModelScorer(model: card, header: reader.header, file: leads, options: ScoringOptions(reasons: 0))
        let field = try XCTUnwrap(reader.header.firstIndex(of: Self.column))
        var leadsByValue: [(value: Double, contribution: Double)] = []
        while try reader.nextRecord() {
            _ = try scorer.logOdds(reader: reader)
            if let v = Double(reader.field(field)) { leadsByValue.append((v, scorer.contributions()[k])) }
        }

        let export = try PointsExport.make(model: card, modelName: "leads.json", data: leads)
        let factor = 20 / log(2.0)
        let bands = export.rules.rules.filter { $0.name.hasPrefix(Self.column + " ") && !$0.name.hasSuffix("is missing") }
        XCTAssertGreaterThanOrEqual(bands.count, 6)
        for rule in bands {
            guard case .column(_, let tests) = rule.when else { return XCTFail(rule.name) }
            var lo = -Double.infinity, hi = Double.infinity
            for t in tests {
                switch t {
                case .atLeast(let x): lo = x
                case .below(let x): hi = x
                default: XCTFail("\(rule.name): \(t)")
                }
            }
            let inBand = leadsByValue.filter { $0.value >= lo && $0.value < hi }
            XCTAssertFalse(inBand.isEmpty, rule.name)
            let mean = inBand.reduce(0) { $0 + $1.contribution } / Double(inBand.count)
            XCTAssertEqual(rule.points, (factor * mean).rounded(), rule.name)
        }
        XCTAssertEqual(export.pointsAUC, export.modelAUC, accuracy: 0.003)
    }
}
