import Foundation
import XCTest

@testable import LeadScore

/// The fit and engagement split of a model's log-odds, its sub-scores and
/// the grid (`FitEngagement.swift`), against recomputations from the card's
/// coefficients and the leads' features (`StringRowEncoder`).
final class FitEngagementTests: XCTestCase {
    func deals(rows: Int, seed: UInt64) throws -> String { try TrainedCards.dealsFile(rows: rows, seed: seed, for: self) }

    static let grouped: ModelCard = try! TrainedCards.train(rows: 3000, seed: 71) { TrainedCards.assignGroups(&$0) }

    /// The features of every lead of `path` as the reference encoder
    /// writes them.
    func referenceFeatures(_ card: ModelCard, path: String) throws -> [[Double]] {
        let reader = try CSVReader(path: path)
        let reference = try StringRowEncoder(
            encoder: card.schema.encoders, parser: ValueParser(missingMarkers: card.schema.missingValues), header: reader.header, file: path,
            asOfDays: card.schema.asOf.flatMap(ValueParser.isoDate))
        var rows: [[Double]] = []
        var x = [Double](repeating: 0, count: card.features.count)
        while try reader.nextRecord() {
            try x.withUnsafeMutableBufferPointer { (out) throws(InputError) in
                try reference.encode(field: { reader.field($0) }, line: reader.recordLine, file: path, into: out.baseAddress!)
            }
            rows.append(x)
        }
        return rows
    }

    /// Every lead of `path` with the model's η, F and E as the scorer sums
    /// them, and its features as the reference encoder writes them.
    func scoredLeads(_ card: ModelCard, path: String) throws -> [(eta: Double, parts: (fit: Double, engagement: Double)?, x: [Double])] {
        let reader = try CSVReader(path: path)
        var scorer = try ModelScorer(model: card, header: reader.header, file: path, options: ScoringOptions())
        var leads: [(eta: Double, parts: (fit: Double, engagement: Double)?, x: [Double])] = []
        for x in try referenceFeatures(card, path: path) {
            guard try reader.nextRecord() else { break }
            leads.append((try scorer.logOdds(reader: reader), scorer.logOddsParts, x))
        }
        return leads
    }

    /// η = b + F + E. F and E are the sums, from +0 in feature order, of
    /// the terms β_j x_j of the fit and of the engagement features: equal
    /// bit for bit to those sums written out here from the card's
    /// coefficients and the reference encoder's features (the same terms
    /// in the same order; the scorer leaves out a category's inactive
    /// levels, whose terms are ±0, which changes no bit, `LinearPredictor`).
    ///
    /// b + F + E adds the terms of η in another order, so it equals η up to
    /// rounding: each of the three running sums of at most p + 1 terms is
    /// within p·u·M of the exact sum (u = 2⁻⁵³ the unit roundoff, M = |b| +
    /// Σ|β_j x_j|, to first order; Higham, Accuracy and Stability of
    /// Numerical Algorithms, §4.2), and adding b, F and E rounds twice more:
    /// |b + F + E − η| ≤ (2p + 4)·u·M.
    ///
    /// η itself is the one a model without groups computes, bit for bit:
    /// the split adds no step to its sum.
    func testSplitAddsUpToTheLogOddsAndEachPartIsItsCoefficientsSum() throws {
        let card = Self.grouped
        XCTAssertEqual(card.formatVersion, 3)
        let groups = try card.features.map { try XCTUnwrap($0.group) }
        XCTAssertTrue(groups.contains(.fit) && groups.contains(.engagement))
        let path = try deals(rows: 2000, seed: 72)
        var plain = card
        plain.subScores = nil
        for j in plain.features.indices { plain.features[j].group = nil }
        let leads = try scoredLeads(card, path: path), plainLeads = try scoredLeads(plain, path: path)
        let beta = card.coefficients, b = card.intercept.coefficient, p = Double(beta.count)
        let u = Double.ulpOfOne / 2
        var worst = 0.0, unequal = 0
        for (lead, plainLead) in zip(leads, plainLeads) {
            let (fit, engagement) = try XCTUnwrap(lead.parts)
            var f = 0.0, e = 0.0, magnitude = abs(b)
            for j in beta.indices {
                let term = beta[j] * lead.x[j]
                if groups[j] == .fit { f += term } else { e += term }
                magnitude += abs(term)
            }
            XCTAssertEqual(fit.bitPattern, f.bitPattern)
            XCTAssertEqual(engagement.bitPattern, e.bitPattern)
            XCTAssertEqual(lead.eta.bitPattern, plainLead.eta.bitPattern, "η is summed as without groups")
            XCTAssertEqual(lead.eta.bitPattern, LinearPredictor(model: card).logOdds(features: lead.x).bitPattern)
            XCTAssertNil(plainLead.parts)
            let difference = abs(b + fit + engagement - lead.eta)
            XCTAssertLessThanOrEqual(difference, (2 * p + 4) * u * magnitude)
            worst = max(worst, difference / (u * magnitude))
            if difference > 0 { unequal += 1 }
        }
        XCTAssertEqual(leads.count, 2000)
        print("fit + engagement split: largest |b + F + E − η| = \(worst) u·M over \(leads.count) leads, \(unequal) not exactly equal")
    }

    /// The card's F̄ and Ē are the means of F and E over the training rows
    /// (here every closed deal: no holdout), and its grid cut-offs the
    /// quartiles q(0.75), q(0.5), q(0.25) of the training rows' whole
    /// sub-scores, q(p) the ⌈p·n⌉-th smallest: recomputed here from the
    /// file, the card's coefficients and the reference encoder.
    func testMeansAndDefaultCutsAreThoseOfTheTrainingRows() throws {
        let path = try deals(rows: 3000, seed: 73)
        var config = TrainingConfiguration()
        config.target = "Stage"
        config.positive = ["Closed Won"]
        config.negative = ["Closed Lost"]
        config.exclude = ["Company Name"]
        TrainedCards.assignGroups(&config)
        let card = try Trainer.train(TrainingRequest(dataPath: path, configuration: config))
        let scale = try XCTUnwrap(card.subScores)
        let stages = try closedStages(path)
        let leads = try referenceFeatures(card, path: path)
        let beta = card.coefficients, b = card.intercept.coefficient
        var fits: [Double] = [], engagements: [Double] = []
        for (x, stage) in zip(leads, stages) where stage {
            var f = 0.0, e = 0.0
            for j in beta.indices {
                if card.features[j].group == .fit { f += beta[j] * x[j] } else { e += beta[j] * x[j] }
            }
            fits.append(f)
            engagements.append(e)
        }
        XCTAssertEqual(fits.count, card.training.rows)
        let n = Double(fits.count)
        let meanFit = fits.reduce(0, +) / n, meanEngagement = engagements.reduce(0, +) / n
        // The same sums in the same order: equal but for the last bits of
        // the two roads' features (1e-12 is far above them).
        XCTAssertEqual(scale.meanFit, meanFit, accuracy: 1e-12)
        XCTAssertEqual(scale.meanEngagement, meanEngagement, accuracy: 1e-12)
        func score(_ x: Double) -> Int { Int((100 / (1 + exp(-x))).rounded()) }
        func quartiles(_ scores: [Int]) -> [Double] {
            let sorted = scores.sorted()
            return [0.75, 0.5, 0.25].map { Double(sorted[Int((($0 * Double(sorted.count))).rounded(.up)) - 1]) }
        }
        XCTAssertEqual(scale.grid.fit, quartiles(fits.map { score(b + $0 + meanEngagement) }))
        XCTAssertEqual(scale.grid.engagement, quartiles(engagements.map { score(b + meanFit + $0) }))
        // About a quarter of the training rows reach each axis's first cut-off.
        let topFit = fits.filter { Double(score(b + $0 + meanEngagement)) >= scale.grid.fit[0] }.count
        XCTAssertEqual(Double(topFit) / n, 0.25, accuracy: 0.05)
    }

    /// Whether each row of `path` is a closed deal (Closed Won or Closed Lost).
    func closedStages(_ path: String) throws -> [Bool] {
        let reader = try CSVReader(path: path)
        let stage = try XCTUnwrap(reader.header.firstIndex(of: "Stage"))
        var closed: [Bool] = []
        while try reader.nextRecord() { closed.append(["Closed Won", "Closed Lost"].contains(reader.field(stage))) }
        return closed
    }

    /// A card without groups is the format 2 card of before, with no group
    /// or sub-score key; a card with groups is format 3, every feature with
    /// its column's group, and round-trips exactly.
    func testCardsWithAndWithoutGroups() throws {
        let plain = try TrainedCards.train(rows: 1500, seed: 74)
        XCTAssertEqual(plain.formatVersion, 2)
        XCTAssertEqual(plain.requiredFormatVersion, 2)
        let text = String(decoding: try plain.jsonData(), as: UTF8.self)
        XCTAssertFalse(text.contains("\"group\""))
        XCTAssertFalse(text.contains("\"subScores\""))
        XCTAssertNil(plain.columnGroups)

        let card = Self.grouped
        XCTAssertEqual(card.requiredFormatVersion, 3)
        let data = try card.jsonData()
        let back = try ModelCard.decode(data, file: "m.json")
        XCTAssertEqual(back.features.map(\.group), card.features.map(\.group))
        XCTAssertEqual(back.subScores, card.subScores)
        XCTAssertEqual(try back.jsonData(), data)
        let groups = try XCTUnwrap(card.columnGroups)
        for (column, group) in zip(card.schema.encoders.columns, groups) {
            XCTAssertEqual(group, TrainedCards.fitColumns.contains(column.column) ? .fit : .engagement, column.column)
            XCTAssertTrue(card.features.filter { $0.column == column.column }.allSatisfy { $0.group == group })
        }
    }

    /// What a reader refuses: groups on some features only, a scale
    /// without groups, a column split between groups, bad cut-offs, and a
    /// card with groups that says format 2.
    func testInconsistentGroupsAreRefused() throws {
        let card = Self.grouped
        XCTAssertNil(card.groupsProblem)
        var some = card
        some.features[0].group = nil
        XCTAssertTrue(some.groupsProblem?.contains("of its \(card.features.count) features have a fit or engagement group") ?? false)
        var noScale = card
        noScale.subScores = nil
        XCTAssertNotNil(noScale.groupsProblem)
        var split = card
        let offsets = card.schema.encoders.offsets
        let k = try XCTUnwrap(card.schema.encoders.columns.firstIndex { $0.featureCount > 1 })
        split.features[offsets[k] + 1].group = card.features[offsets[k]].group == .fit ? .engagement : .fit
        XCTAssertTrue(split.groupsProblem?.contains("are in different groups") ?? false, "\(split.groupsProblem ?? "")")
        var badCuts = card
        badCuts.subScores?.grid.fit = [10, 20, 5]
        XCTAssertTrue(badCuts.groupsProblem?.contains("not listed best first") ?? false)
        badCuts.subScores?.grid.fit = [30, 20]
        XCTAssertTrue(badCuts.groupsProblem?.contains("needs 3") ?? false)

        let lowered = String(decoding: try card.jsonData(), as: UTF8.self).replacingOccurrences(of: "\"formatVersion\" : 3,", with: "\"formatVersion\" : 2,")
        for allowEdited in [false, true] {
            XCTAssertThrowsError(try ModelCard.decode(Data(lowered.utf8), file: "m.json", allowEdited: allowEdited)) {
                let error = $0 as! InputError
                XCTAssertEqual(error.kind, .badModel)
                XCTAssertTrue(error.problem.contains("only format 3 cards have"), error.problem)
            }
        }
    }

    /// Cut-offs are inclusive lower bounds, best first; NaN reaches none;
    /// equal cut-offs leave the band between them empty.
    func testGridCellsAndQuartiles() {
        let cuts = GridCuts(fit: [60, 40, 25], engagement: [50, 30, 30])
        XCTAssertNil(cuts.problem)
        let cases: [(Double, Double, String)] = [
            (100, 100, "A1"), (60, 50, "A1"), (59.9, 49.9, "B2"), (40, 30, "B2"), (39, 29, "C4"), (25, 0, "C4"), (24, -5, "D4"), (.nan, .nan, "D4"),
            (-1e300, 1e300, "D1"),
        ]
        for (x, y, label) in cases { XCTAssertEqual(cuts.cell(fit: x, engagement: y).label, label, "\(x), \(y)") }
        XCTAssertEqual(GridCell.all.map(\.label), ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "D1", "D2", "D3", "D4"])
        XCTAssertEqual(GridCell.all.map(\.index), Array(0..<16))
        XCTAssertEqual(GridCuts(fit: [1, 2, 0], engagement: [3, 2, 1]).problem?.contains("fit"), true)
        XCTAssertEqual(GridCuts(fit: [3, 2, 1], engagement: [3, .infinity, 1]).problem?.contains("engagement"), true)

        // q(p) = the ⌈p·n⌉-th smallest.
        XCTAssertEqual(SubScoreScale.quartileCuts([8, 1, 7, 2, 6, 3, 5, 4]), [6, 4, 2])
        XCTAssertEqual(SubScoreScale.quartileCuts([5]), [5, 5, 5])
        XCTAssertEqual(SubScoreScale.quartileCuts([1, 2, 3, 4, 5]), [4, 3, 2])
        XCTAssertNil(SubScoreScale.quartileCuts([]))
        // Counted (a range of 101 or of 60,001 values) or sorted (wider):
        // the order statistics of the sorted values, every time.
        var g = SeededGenerator(seed: 5)
        for (count, range) in [(1, 0...100), (2, 0...100), (7, 0...100), (10_000, 0...100), (999, -30_000...30_000), (500, 0...1_000_000)] {
            let values = (0..<count).map { _ in Int.random(in: range, using: &g) }
            let sorted = values.sorted()
            let expected = [0.75, 0.5, 0.25].map { p in Double(sorted[max(Int((p * Double(count)).rounded(.up)), 1) - 1]) }
            XCTAssertEqual(SubScoreScale.quartileCuts(values), expected, "\(count) values in \(range)")
        }
        // Sub-scores: whole percentages of σ, at average engagement (fit) and
        // average fit (engagement).
        let scale = SubScoreScale(meanFit: -0.5, meanEngagement: 0.25, grid: cuts)
        let s = scale.scores(intercept: -1, fit: 2, engagement: -1)
        XCTAssertEqual(s.fit, Int((100 * sigmoid(-1 + 2 + 0.25)).rounded()))
        XCTAssertEqual(s.engagement, Int((100 * sigmoid(-1 - 0.5 - 1)).rounded()))
        XCTAssertEqual(SubScoreScale.wholeScore(probability: 0.005), 1, "halves round up, as score does")
        XCTAssertEqual(SubScoreScale.wholeScore(probability: 0.00499), 0)
    }
}
