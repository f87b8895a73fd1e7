import Foundation
import XCTest

@testable import LeadScore

/// `evaluate` of a model with segment models: its global model as a scorer
/// of its own, and the per-segment rows (`SegmentBreakdown`), against a
/// recomputation from the probabilities `score` writes for the card and
/// for its global model, split by the Region column read from the file.
final class SegmentBreakdownTests: XCTestCase {
    /// Generated deals with regions, some of them with a Region not seen in
    /// training ("Antarctica") or missing.
    func leadsWithUnseenRegions(rows: Int, seed: UInt64) throws -> String {
        let path = temporaryPath("leads.csv")
        try TrainedCards.writeDeals(rows: rows, seed: seed, accountEffect: 0, regions: true, to: path) { i, fields in
            if i % 41 == 0 { fields[fields.count - 1] = "Antarctica" } else if i % 53 == 0 { fields[fields.count - 1] = "" }
        }
        return path
    }

    /// Each closed lead of `leads`: won, its Region as written, and the
    /// probabilities `score` writes for `card` and for its global model.
    struct Lead {
        var won: Bool
        var region: String
        var probability: Double
        var globalProbability: Double
        var probabilityText: String
        var globalText: String
    }

    func scoredLeads(_ card: ModelCard, _ leads: String) throws -> [Lead] {
        let segmented = temporaryPath("segmented.csv"), global = temporaryPath("global.csv")
        _ = try Scorer.score(model: card, inputPath: leads, outputPath: segmented, options: ScoringOptions(reasons: 0))
        _ = try Scorer.score(model: card.globalModel, inputPath: leads, outputPath: global, options: ScoringOptions(reasons: 0))
        var out: [Lead] = []
        for ((lead, s), g) in zip(zip(try csvRows(leads), try csvRows(segmented)), try csvRows(global)) {
            XCTAssertEqual(lead["Deal ID"], s["Deal ID"])
            XCTAssertEqual(lead["Deal ID"], g["Deal ID"])
            guard let stage = lead["Stage"], ["Closed Won", "Closed Lost"].contains(stage) else { continue }
            let p = try XCTUnwrap(s["probability"]), q = try XCTUnwrap(g["probability"])
            out.append(
                Lead(
                    won: stage == "Closed Won", region: lead["Region"] ?? "", probability: try XCTUnwrap(Double(p)),
                    globalProbability: try XCTUnwrap(Double(q)), probabilityText: p, globalText: q))
        }
        return out
    }

    /// DeLong's paired comparison written out from its definition, O(n₁n₀):
    /// V₁₀ and V₀₁ by the Mann–Whitney kernel over every pair, the AUCs as
    /// their means, Var(a − b) = S[a,a] + S[b,b] − 2 S[a,b].
    func delong(won: [Bool], _ a: [Double], _ b: [Double]) -> (aucA: Double, aucB: Double, difference: Double, lower: Double, upper: Double) {
        let pos = won.indices.filter { won[$0] }, neg = won.indices.filter { !won[$0] }
        guard !pos.isEmpty, !neg.isEmpty else { return (.nan, .nan, .nan, .nan, .nan) }
        func psi(_ x: Double, _ y: Double) -> Double { x > y ? 1 : (x == y ? 0.5 : 0) }
        func components(_ s: [Double]) -> (v10: [Double], v01: [Double]) {
            (
                pos.map { i in neg.reduce(0) { $0 + psi(s[i], s[$1]) } / Double(neg.count) },
                neg.map { j in pos.reduce(0) { $0 + psi(s[$1], s[j]) } / Double(pos.count) }
            )
        }
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
        func cov(_ u: [Double], _ v: [Double]) -> Double {
            let mu = mean(u), mv = mean(v)
            return zip(u, v).reduce(0) { $0 + ($1.0 - mu) * ($1.1 - mv) } / Double(u.count - 1)
        }
        let x = components(a), y = components(b)
        let n1 = Double(pos.count), n0 = Double(neg.count)
        let varA = cov(x.v10, x.v10) / n1 + cov(x.v01, x.v01) / n0
        let varB = cov(y.v10, y.v10) / n1 + cov(y.v01, y.v01) / n0
        let covAB = cov(x.v10, y.v10) / n1 + cov(x.v01, y.v01) / n0
        let d = mean(x.v10) - mean(y.v10)
        let half = 1.959963984540054 * max(varA + varB - 2 * covAB, 0).squareRoot()
        return (mean(x.v10), mean(y.v10), d, d - half, d + half)
    }

    /// Checks the means of per-lead `mine` and `theirs` and the paired
    /// difference: the mean of mine − theirs with the 95% interval
    /// mean ± 1.96·sd/√n (sd with n − 1), to 1e-12.
    func assertPaired(
        _ a: Double, _ b: Double, _ difference: PairComparison.Difference, mine: [Double], theirs: [Double], _ name: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let n = Double(mine.count)
        XCTAssertEqual(a, mine.reduce(0, +) / n, accuracy: 1e-12, name, file: file, line: line)
        XCTAssertEqual(b, theirs.reduce(0, +) / n, accuracy: 1e-12, name, file: file, line: line)
        let d = zip(mine, theirs).map { $0 - $1 }
        let mean = d.reduce(0, +) / n
        let half = 1.959963984540054 * (d.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot() / n.squareRoot()
        XCTAssertEqual(difference.estimate, mean, accuracy: 1e-12, name, file: file, line: line)
        XCTAssertEqual(difference.lower, mean - half, accuracy: 1e-12, name, file: file, line: line)
        XCTAssertEqual(difference.upper, mean + half, accuracy: 1e-12, name, file: file, line: line)
    }

    func logLoss(_ won: Bool, _ p: Double) -> Double { won ? -log(p) : -log(1 - p) }

    /// Every row of the breakdown against the leads of its segment, split
    /// by the Region column and recomputed from the two scores files: the
    /// counts, both AUCs and DeLong's interval of their difference, log
    /// loss and Brier with the paired intervals, calibration-in-the-large.
    func testSegmentRowsEqualARecomputationFromTheScoresFiles() throws {
        let card = try TrainedCards.segmented(seed: 301)
        let models = try XCTUnwrap(card.segments)
        XCTAssertEqual(Set(models.segments.map(\.value)), ["North America", "EMEA", "APAC", "LATAM"])
        XCTAssertEqual(models.modelled.map(\.value).sorted(), ["APAC", "EMEA", "North America"], "LATAM is below 100 conversions")
        let path = try leadsWithUnseenRegions(rows: 6000, seed: 302)
        let report = try Comparison.run(ComparisonRequest(dataPath: path, scorers: [.model(path: "dir/seg.json", card)], bootstrapResamples: 0))
        let breakdown = try XCTUnwrap(report.segments?.first)
        XCTAssertEqual(report.segments?.count, 1)
        XCTAssertEqual(breakdown.scorer, "seg.json")
        XCTAssertEqual(breakdown.globalScorer, "seg.json (global model)")
        XCTAssertEqual(breakdown.column, "Region")
        XCTAssertEqual(breakdown.l2, 3)
        XCTAssertEqual(breakdown.segments.map(\.value), models.segments.map(\.value) + [nil], "the card's segments, then the missing or unseen values")

        let leads = try scoredLeads(card, path)
        XCTAssertEqual(leads.count, report.rows)
        let known = Set(models.segments.map(\.value))
        for row in breakdown.segments {
            let name = row.value ?? "(missing or unseen)"
            let members = leads.filter { lead in row.value.map { lead.region == $0 } ?? !known.contains(lead.region) }
            let won = members.map(\.won), p = members.map(\.probability), g = members.map(\.globalProbability)
            XCTAssertFalse(members.isEmpty, name)
            XCTAssertEqual(row.leads, members.count, name)
            XCTAssertEqual(row.conversions, won.filter { $0 }.count, name)
            XCTAssertEqual(row.rate, Double(row.conversions) / Double(members.count), name)
            let segment = models.segments.first { $0.value == row.value }
            XCTAssertEqual(row.ownModel, segment?.hasModel ?? false, name)
            XCTAssertEqual(row.trainingRows, segment?.rows, name)
            XCTAssertEqual(row.trainingConversions, segment?.conversions, name)
            if !row.ownModel {
                // The global model scores these leads: the same probabilities
                // to the last digit, so every difference is 0.
                XCTAssertEqual(members.map(\.probabilityText), members.map(\.globalText), name)
                XCTAssertEqual(row.logLossDifference.estimate, 0, name)
                XCTAssertEqual(row.brierDifference.lower, 0, name)
                XCTAssertEqual(row.brierDifference.upper, 0, name)
            } else {
                XCTAssertGreaterThan(zip(p, g).filter { $0 != $1 }.count, members.count / 2, "\(name): its own model scores its leads")
            }

            let d = delong(won: won, p, g)
            let tolerance = 1e-12
            if won.allSatisfy({ $0 }) || !won.contains(true) {
                XCTAssertTrue(row.auc.isNaN && row.globalAUC.isNaN, name)
            } else {
                XCTAssertEqual(row.auc, d.aucA, accuracy: tolerance, name)
                XCTAssertEqual(row.globalAUC, d.aucB, accuracy: tolerance, name)
                XCTAssertEqual(row.aucDifference.estimate, d.difference, accuracy: tolerance, name)
                if won.filter({ $0 }).count > 1 && won.filter({ !$0 }).count > 1 {
                    XCTAssertEqual(row.aucDifference.lower, d.lower, accuracy: 1e-9, name)
                    XCTAssertEqual(row.aucDifference.upper, d.upper, accuracy: 1e-9, name)
                }
            }
            assertPaired(
                row.logLoss, row.globalLogLoss, row.logLossDifference, mine: zip(won, p).map { logLoss($0, $1) },
                theirs: zip(won, g).map { logLoss($0, $1) }, "\(name) log loss")
            let y = won.map { $0 ? 1.0 : 0.0 }
            assertPaired(
                row.brier, row.globalBrier, row.brierDifference, mine: zip(y, p).map { ($1 - $0) * ($1 - $0) },
                theirs: zip(y, g).map { ($1 - $0) * ($1 - $0) }, "\(name) Brier")
            XCTAssertEqual(row.calibrationInTheLarge, y.reduce(0, +) / Double(y.count) - p.reduce(0, +) / Double(p.count), accuracy: tolerance, name)
        }
        XCTAssertEqual(breakdown.segments.map(\.leads).reduce(0, +), report.rows, "every lead in one row")

        // The text report lists the rows; the definitions explain them.
        let text = TextReport.render(report)
        XCTAssertTrue(text.contains("Segments (\"Region\", λ = 3) of seg.json"), text)
        XCTAssertTrue(text.contains("(missing or unseen)"))
        XCTAssertNotNil(report.definitions["segments"])
    }

    /// The global model's scorer is the global model evaluated alone, and
    /// the card's scorer the card evaluated without the comparison; the
    /// pair's DeLong interval is the one written out over every lead.
    func testGlobalModelScorerEqualsTheGlobalModelEvaluatedAlone() throws {
        let card = try TrainedCards.segmented(seed: 303)
        let path = try leadsWithUnseenRegions(rows: 4000, seed: 304)
        let report = try Comparison.run(ComparisonRequest(dataPath: path, scorers: [.model(path: "seg.json", card)], bootstrapResamples: 50))
        XCTAssertEqual(report.scorers.map(\.name), ["seg.json (global model)", "seg.json"])
        let alone = try Comparison.run(ComparisonRequest(dataPath: path, scorers: [.model(path: "global.json", card.globalModel)], bootstrapResamples: 0))
        let without = try Comparison.run(
            ComparisonRequest(dataPath: path, scorers: [.model(path: "seg.json", card)], bootstrapResamples: 0, compareSegmentsWithGlobal: false))
        XCTAssertEqual(without.scorers.map(\.name), ["seg.json"])
        XCTAssertNil(without.segments)
        XCTAssertNil(without.definitions["segments"])
        for (mine, theirs) in [(report.scorers[0], alone.scorers[0]), (report.scorers[1], without.scorers[0])] {
            XCTAssertEqual(mine.ranking.auc, theirs.ranking.auc)
            XCTAssertEqual(mine.ranking.aucLower, theirs.ranking.aucLower)
            XCTAssertEqual(mine.calibration.logLoss, theirs.calibration.logLoss)
            XCTAssertEqual(mine.calibration.brier, theirs.calibration.brier)
            XCTAssertEqual(mine.deciles, theirs.deciles)
        }
        XCTAssertNotEqual(report.scorers[0].ranking.auc, report.scorers[1].ranking.auc, "the segment models score differently")

        let leads = try scoredLeads(card, path)
        let won = leads.map(\.won)
        let d = delong(won: won, leads.map(\.probability), leads.map(\.globalProbability))
        XCTAssertEqual(report.scorers[1].ranking.auc, d.aucA, accuracy: 1e-12)
        XCTAssertEqual(report.scorers[0].ranking.auc, d.aucB, accuracy: 1e-12)
        let pair = try XCTUnwrap(report.comparisons.first)
        XCTAssertEqual(report.comparisons.count, 1)
        XCTAssertEqual([pair.a, pair.b], ["seg.json (global model)", "seg.json"], "b − a: segment models − global model")
        XCTAssertEqual(pair.auc.estimate, d.difference, accuracy: 1e-12)
        XCTAssertEqual(pair.aucDeLongLower, d.lower, accuracy: 1e-9)
        XCTAssertEqual(pair.aucDeLongUpper, d.upper, accuracy: 1e-9)

        // Per account: the global model is still compared, the segments
        // (a lead's) are not.
        let accounts = try Comparison.run(
            ComparisonRequest(
                dataPath: path, scorers: [.model(path: "seg.json", card)], bootstrapResamples: 0,
                scoring: ScoringOptions(accounts: AccountOptions(column: "Account ID"))))
        XCTAssertEqual(accounts.scorers.map(\.name), ["seg.json (global model)", "seg.json"])
        XCTAssertNil(accounts.segments)

        // Predictions are the card's, not its global model's.
        let predictions = temporaryPath("predictions.csv")
        _ = try Comparison.run(ComparisonRequest(dataPath: path, scorers: [.model(path: "seg.json", card)], bootstrapResamples: 0, predictionsPath: predictions))
        XCTAssertEqual(try csvRows(predictions).map { $0["probability"] }, leads.map(\.probabilityText))
    }

    /// A model without segments: one scorer, no breakdown, no glossary entry.
    func testModelWithoutSegmentsHasNoBreakdown() throws {
        let card = try TrainedCards.train(rows: 2000, seed: 305)
        let path = try TrainedCards.dealsFile(rows: 1500, seed: 306, for: self)
        let report = try Comparison.run(ComparisonRequest(dataPath: path, scorers: [.model(path: "m.json", card)], bootstrapResamples: 0))
        XCTAssertEqual(report.scorers.map(\.name), ["m.json"])
        XCTAssertNil(report.segments)
        XCTAssertFalse(String(decoding: try report.jsonData(), as: UTF8.self).contains("\"segments\""))
        XCTAssertFalse(TextReport.render(report).contains("Segments ("))
    }

    /// The edges, on leads made up here: a segment with one class (AUC NaN),
    /// a segment without leads (NaN throughout), a segment using the global
    /// model (differences 0), and no row for missing or unseen values when
    /// every lead has a segment.
    func testEdgesOneClassNoLeadsAndTheGlobalModel() {
        let none: [Double] = []
        let segments: [SegmentModels.Segment] = [
            SegmentModels.Segment(value: "A", rows: 10, conversions: 4, intercept: 0, coefficients: none),
            SegmentModels.Segment(value: "B", rows: 10, conversions: 0, intercept: 0, coefficients: none),
            SegmentModels.Segment(value: "C", rows: 10, conversions: 3),
            SegmentModels.Segment(value: "D", rows: 5, conversions: 1, intercept: 0, coefficients: none),
        ]
        let models = SegmentModels(
            column: "Region", l2: 1, selection: SegmentModels.Selection(method: SegmentModels.Selection.given), minConversions: 1, segments: segments)
        let y: [Double] = [1, 0, 1, 0, 0, 0, 1, 0]
        let p = [0.9, 0.2, 0.6, 0.1, 0.3, 0.25, 0.5, 0.5]
        let g = [0.8, 0.3, 0.5, 0.2, 0.35, 0.2, 0.5, 0.5]
        let s: [Int?] = [0, 0, 0, 0, 1, 1, 2, 2]
        let b = SegmentBreakdown(scorer: "s", globalScorer: "g", models: models, labels: y, probabilities: p, global: g, segments: s)
        XCTAssertEqual(b.segments.map(\.value), ["A", "B", "C", "D"])
        let a = b.segments[0]
        XCTAssertEqual(a.auc, 1)
        XCTAssertEqual(a.globalAUC, 1)
        // Per-lead log-loss differences of A, by hand.
        let d = [-log(0.9) + log(0.8), -log(0.8) + log(0.7), -log(0.6) + log(0.5), -log(0.9) + log(0.8)]
        let mean = d.reduce(0, +) / 4
        let sd = (d.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
        XCTAssertEqual(a.logLossDifference.estimate, mean, accuracy: 1e-15)
        XCTAssertEqual(a.logLossDifference.lower, mean - 1.959963984540054 * sd / 2, accuracy: 1e-15)
        XCTAssertEqual(a.logLossDifference.upper, mean + 1.959963984540054 * sd / 2, accuracy: 1e-15)
        XCTAssertEqual(a.calibrationInTheLarge, 0.5 - 0.45, accuracy: 1e-15)
        XCTAssertTrue(b.segments[1].auc.isNaN && b.segments[1].aucDifference.estimate.isNaN, "one class: no AUC")
        XCTAssertEqual(b.segments[1].conversions, 0)
        XCTAssertEqual(b.segments[1].rate, 0)
        XCTAssertEqual(b.segments[1].brier, (0.09 + 0.0625) / 2, accuracy: 1e-15)
        XCTAssertFalse(b.segments[2].ownModel)
        XCTAssertEqual(b.segments[3].leads, 0)
        XCTAssertTrue(b.segments[3].rate.isNaN && b.segments[3].logLoss.isNaN && b.segments[3].logLossDifference.lower.isNaN)

        XCTAssertEqual(SegmentBreakdown.pairedMean([0.25]).estimate, 0.25)
        XCTAssertTrue(SegmentBreakdown.pairedMean([0.25]).lower.isNaN, "one lead: no interval")
        XCTAssertEqual(SegmentBreakdown.pairedMean([0.1, 0.1, 0.1]).lower, 0.1, accuracy: 1e-16)
    }
}
