import Foundation
import XCTest

@testable import LeadScore

/// The fit × engagement grid of `evaluate` (`ScorerReport.Grid`): its
/// counts against a recount from each lead's scores, for a model (its
/// scores file) and a rules file (its points), on the leads evaluated.
final class GridReportTests: XCTestCase {
    func deals(rows: Int, seed: UInt64) throws -> String { try TrainedCards.dealsFile(rows: rows, seed: seed, for: self) }

    /// Wilson's 95% interval, written out: (q + z²/2n ± z √(q(1−q)/n + z²/4n²)) / (1 + z²/n).
    func wilson(_ won: Int, _ n: Int) -> (Double, Double) {
        let z = 1.959963984540054, q = Double(won) / Double(n), m = Double(n)
        let centre = (q + z * z / (2 * m)) / (1 + z * z / m)
        let half = z * (q * (1 - q) / m + z * z / (4 * m * m)).squareRoot() / (1 + z * z / m)
        return (max(centre - half, 0), min(centre + half, 1))
    }

    /// Checks `grid` against leads, conversions and rates recounted from
    /// `cells` (each evaluated lead's cell label) and `won`.
    func assertGrid(_ grid: ScorerReport.Grid, cells: [String], won: [Bool], _ name: String) {
        XCTAssertEqual(grid.cells.map(\.cell), GridCell.all.map(\.label), name)
        XCTAssertEqual(grid.cells.map(\.count).reduce(0, +), cells.count, name)
        let totalWon = won.filter { $0 }.count
        for c in grid.cells {
            let members = cells.indices.filter { cells[$0] == c.cell }
            let conversions = members.filter { won[$0] }.count
            XCTAssertEqual(c.count, members.count, "\(name) \(c.cell)")
            XCTAssertEqual(c.conversions, conversions, "\(name) \(c.cell)")
            XCTAssertEqual(c.shareOfConversions, Double(conversions) / Double(totalWon), accuracy: 1e-15, "\(name) \(c.cell)")
            if members.isEmpty {
                XCTAssertTrue(c.rate.isNaN && c.wilsonLower.isNaN && c.wilsonUpper.isNaN, "\(name) \(c.cell)")
            } else {
                XCTAssertEqual(c.rate, Double(conversions) / Double(members.count), "\(name) \(c.cell)")
                let (lo, hi) = wilson(conversions, members.count)
                XCTAssertEqual(c.wilsonLower, lo, accuracy: 1e-12, "\(name) \(c.cell)")
                XCTAssertEqual(c.wilsonUpper, hi, accuracy: 1e-12, "\(name) \(c.cell)")
                XCTAssertTrue(c.wilsonLower <= c.rate + 1e-12 && c.rate <= c.wilsonUpper + 1e-12, "\(name) \(c.cell)")
            }
        }
    }

    /// A model alone: every lead with an outcome is evaluated; its cell is
    /// the `grid` column `score` writes for it.
    func testModelGridCountsEqualARecountFromTheScoresFile() throws {
        let card = try TrainedCards.train(rows: 3000, seed: 91) { TrainedCards.assignGroups(&$0) }
        let leads = try deals(rows: 4000, seed: 92)
        let report = try Comparison.run(ComparisonRequest(dataPath: leads, scorers: [.model(path: "m.json", card)], bootstrapResamples: 0))
        let grid = try XCTUnwrap(report.scorers[0].grid)
        XCTAssertEqual(grid.cuts, try XCTUnwrap(card.subScores).grid)
        XCTAssertTrue(grid.measure.contains("fit_score"))

        let scores = temporaryPath("scores.csv")
        _ = try Scorer.score(model: card, inputPath: leads, outputPath: scores, options: ScoringOptions(reasons: 0))
        var cells: [String] = [], won: [Bool] = []
        for (lead, scored) in zip(try csvRows(leads), try csvRows(scores)) where ["Closed Won", "Closed Lost"].contains(lead["Stage"]) {
            XCTAssertEqual(lead["Deal ID"], scored["Deal ID"])
            cells.append(try XCTUnwrap(scored["grid"]))
            won.append(lead["Stage"] == "Closed Won")
        }
        XCTAssertEqual(cells.count, report.rows)
        assertGrid(grid, cells: cells, won: won, "model")
        XCTAssertGreaterThan(grid.cells.filter { $0.count > 0 }.count, 12, "the leads spread over the grid")

        // A tiers file's grid replaces the model's cut-offs.
        var tiers = TierScheme.standard
        tiers.grid = GridCuts(fit: [90, 80, 70], engagement: [90, 80, 70])
        let strict = try Comparison.run(
            ComparisonRequest(dataPath: leads, scorers: [.model(path: "m.json", card)], bootstrapResamples: 0, scoring: ScoringOptions(tiers: tiers, reasons: 0)))
        XCTAssertEqual(strict.scorers[0].grid?.cuts, tiers.grid)
        XCTAssertEqual(strict.scorers[0].grid?.cells.last?.count, report.rows - (strict.scorers[0].grid?.cells.dropLast().map(\.count).reduce(0, +) ?? 0))

        // A model without groups has no grid.
        let plain = try TrainedCards.train(rows: 1500, seed: 93)
        let none = try Comparison.run(ComparisonRequest(dataPath: leads, scorers: [.model(path: "p.json", plain)], bootstrapResamples: 0))
        XCTAssertNil(none.scorers[0].grid)
        XCTAssertFalse(String(decoding: try none.jsonData(), as: UTF8.self).contains("\"grid\" :"))
    }

    /// With a rules file, the leads set aside to calibrate its points are
    /// left out (the split is `StratifiedSplit`'s, seeded): the rules' grid
    /// counts the rest, by each lead's fit and engagement points at the
    /// file's cut-offs; the model's grid counts the same leads.
    func testRulesGridCountsEqualARecountOnTheEvaluatedLeads() throws {
        let card = try TrainedCards.train(rows: 3000, seed: 94) { TrainedCards.assignGroups(&$0) }
        var rules = try RuleSet.load(path: Fixtures.repositoryRoot.appendingPathComponent("models/b2b-deals.rules.yaml").path)
        XCTAssertNotNil(rules.grid, "the bundled rules have a grid")
        rules.grid = GridCuts(fit: [35, 20, 5], engagement: [40, 20, 10])
        let leads = try deals(rows: 4000, seed: 95)
        let report = try Comparison.run(
            ComparisonRequest(dataPath: leads, scorers: [.model(path: "m.json", card), .rules(path: "r.yaml", rules)], bootstrapResamples: 0))
        let grid = try XCTUnwrap(report.scorers[1].grid)
        XCTAssertEqual(grid.cuts, rules.grid)
        XCTAssertTrue(grid.measure.contains("points"))

        let all = try csvRows(leads).filter { ["Closed Won", "Closed Lost"].contains($0["Stage"]) }
        let labels = all.map { $0["Stage"] == "Closed Won" ? 1.0 : 0.0 }
        let (evaluated, _) = StratifiedSplit.split(rows: Array(labels.indices), labels: labels, fraction: 0.3, seed: SeededGenerator.defaultSeed)
        XCTAssertEqual(evaluated.count, report.rows)
        let header = SyntheticDeals.header
        let scorer = try RuleScorer(rules: rules, header: header, file: leads)
        var cells: [String] = []
        for r in evaluated {
            let s = try scorer.score(field: { all[r][header[$0]] ?? "" }, line: r + 2)
            let letter = rules.grid!.fit.firstIndex { s.fit >= $0 } ?? 3, digit = rules.grid!.engagement.firstIndex { s.engagement >= $0 } ?? 3
            cells.append(["A", "B", "C", "D"][letter] + String(digit + 1))
        }
        assertGrid(grid, cells: cells, won: evaluated.map { labels[$0] > 0.5 }, "rules")
        XCTAssertEqual(report.scorers[0].grid?.cells.map(\.count).reduce(0, +), report.rows, "the model's grid counts the same leads")
    }
}
