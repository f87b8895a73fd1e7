import Foundation
import XCTest

@testable import LeadScore

/// The rules files shipped in models/ score every row of their datasets.
final class RuleDatasetTests: XCTestCase {
    struct Scored {
        var scores: [RuleScore]
        /// The outcome column of each row, as written.
        var outcomes: [String]
    }

    func scoreFile(rules rulesPath: String, data: String, outcome: String) throws -> Scored {
        let rules = try RuleSet.load(path: rulesPath)
        let reader = try CSVReader(path: data)
        let scorer = try RuleScorer(rules: rules, header: reader.header, file: data)
        let outcomeIndex = try XCTUnwrap(reader.header.firstIndex(of: outcome))
        var result = Scored(scores: [], outcomes: [])
        while try reader.nextRecord() {
            result.scores.append(try scorer.score(reader))
            result.outcomes.append(reader.field(outcomeIndex))
        }
        return result
    }

    /// The probability that a random positive outranks a random negative (ties count half).
    func auc(_ scores: [Double], positive: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0, i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let midRank = Double(i + j) / 2 + 1
            for k in i...j where positive[order[k]] { rankSum += midRank }
            i = j + 1
        }
        let p = Double(positive.filter { $0 }.count), n = Double(positive.count) - p
        return (rankSum - p * (p + 1) / 2) / (p * n)
    }

    func checkConsistency(_ s: [RuleScore], tiers: Set<String>) {
        for score in s {
            XCTAssertEqual(score.fit + score.engagement, score.total)
            XCTAssertTrue(tiers.contains(score.tier), score.tier)
        }
    }

    func testB2BRulesScoreEveryRow() throws {
        let root = Fixtures.repositoryRoot
        let scored = try scoreFile(
            rules: root.appendingPathComponent("models/b2b-deals.rules.yaml").path,
            data: root.appendingPathComponent("datasets/b2b-deals.csv").path, outcome: "Stage")
        XCTAssertEqual(scored.scores.count, 20_000)
        checkConsistency(scored.scores, tiers: ["Sales-ready", "Nurture", "Low", "Disqualified"])
        for tier in ["Sales-ready", "Nurture", "Low", "Disqualified"] {
            XCTAssertGreaterThan(scored.scores.filter { $0.tier == tier }.count, 0, tier)
        }
        // Hand-set points are no fitted model, but they should still rank won deals above lost ones.
        let closed = scored.outcomes.indices.filter { scored.outcomes[$0].hasPrefix("Closed") }
        let rate = auc(closed.map { scored.scores[$0].total }, positive: closed.map { scored.outcomes[$0] == "Closed Won" })
        XCTAssertGreaterThan(rate, 0.7)
    }

    func testLeadsXEducationRulesScoreEveryRow() throws {
        guard let leads = Fixtures.leadsCSV else { throw XCTSkip("Leads.csv is not present beside the repository") }
        let scored = try scoreFile(
            rules: Fixtures.repositoryRoot.appendingPathComponent("models/leads-x-education.rules.yaml").path, data: leads, outcome: "Converted")
        XCTAssertEqual(scored.scores.count, 9_240)
        checkConsistency(scored.scores, tiers: ["Hot", "Warm", "Cold", "Do not contact"])
        let rate = auc(scored.scores.map(\.total), positive: scored.outcomes.map { $0 == "1" })
        XCTAssertGreaterThan(rate, 0.7)
    }
}
