import Foundation
import XCTest

@testable import LeadScore

/// A pair term in the points export: one rule per cell, an `all` of its two
/// sides' conditions, worth round(F · coefficient) with F = 20 / ln 2,
/// read back from the YAML and scored by `RuleScorer` on leads in known
/// cells (a bin, a missing number in the median's bin, a rare cell merged
/// into the reference cells: no rule).
final class PointsExportPairTests: XCTestCase {
    func testPairCellsBecomeRules() throws {
        let card = try PairEncoderTests.train {
            $0.l2 = 1
            $0.interactions = ["Visits*Source", "Source*Region"]
        }
        let export = try PointsExport.make(model: card, modelName: "pairs.json", data: PairEncoderTests.csv)
        let yaml = try XCTUnwrap(export.rules.yamlText())
        let rules = try RuleSet.decode(yaml: yaml, file: "pairs.points.yaml")
        XCTAssertTrue(yaml.contains("all:"), yaml)
        let pair = card.schema.encoders.pairs[0], offset = card.schema.encoders.pairOffsets[0]
        XCTAssertEqual(pair.name, "Visits × Source")
        let factor = 20 / log(2.0)
        func points(_ i: Int, _ j: Int) -> Double { pair.feature(i, j).map { (factor * card.features[offset + $0].coefficient).rounded() } ?? 0 }
        let cells = rules.rules.filter { $0.name.hasPrefix("Visits × Source: ") }
        XCTAssertEqual(cells.count, (1..<4).flatMap { i in (1..<7).map { (i, $0) } }.filter { points($0.0, $0.1) != 0 }.count)
        // The rare cell (2 to 3, Trade show: 9 training rows) has no rule.
        XCTAssertNil(pair.feature(2, 6))
        XCTAssertFalse(rules.rules.contains { $0.name == "Visits × Source: 2 to 3, Trade show" })

        let scores = try RulesTestSupport.score(
            "Deal ID,Source,Region,Visits,Demo\nL1,Email,North,7,No\nL2,Email,North,,No\nL3,Ads,North,7,No\nL4,Referral,North,0,No\nL5,Trade show,North,3,No\n", rules: rules, in: self)
        func fired(_ k: Int) -> [String: Double] { scores[k].points.filter { $0.key.hasPrefix("Visits × Source") } }
        // 7 is above the last edge (3): cell 3; Email is cell 2.
        XCTAssertEqual(fired(0), points(3, 2) == 0 ? [:] : ["Visits × Source: > 3, Email": points(3, 2)])
        // Missing: the median's (2) bin, "1 to 2", cell 1.
        XCTAssertEqual(fired(1), points(1, 2) == 0 ? [:] : ["Visits × Source: 1 to 2, Email": points(1, 2)])
        // Ads has a cell of its own (5).
        XCTAssertEqual(fired(2), points(3, 5) == 0 ? [:] : ["Visits × Source: > 3, Ads": points(3, 5)])
        XCTAssertEqual(fired(3), [:])  // 0 is in bin 0.
        XCTAssertEqual(fired(4), [:])  // The rare cell.
        XCTAssertNotEqual(points(3, 2), 0)
        // Rounding costs little ranking.
        XCTAssertEqual(export.pointsAUC, export.modelAUC, accuracy: 0.01)
    }
}
