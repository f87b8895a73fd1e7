import Foundation
import XCTest

@testable import LeadScore

final class TierSchemeLoadingTests: XCTestCase {
    private func file(_ measure: String, _ tiers: String, extra: String = "", version: Int = 1) -> Data {
        Data(#"{"format": "leadscore-tiers", "formatVersion": \#(version), "measure": "\#(measure)"\#(extra), "tiers": [\#(tiers)]}"#.utf8)
    }

    private func refusal(_ data: Data, file: String = "t.json") -> String {
        do {
            _ = try TierScheme.decode(json: data, file: file)
            return "accepted"
        } catch {
            XCTAssertEqual(error.kind, .badConfiguration)
            XCTAssertEqual(error.location?.file, file)
            return error.problem
        }
    }

    func testProbabilitySchemeIsReadWithActions() throws {
        let t = try TierScheme.decode(
            json: file("probability", #"{"name": "Sales-ready", "action": "SQL", "atLeast": 0.41}, {"name": "MQL", "action": "MQL", "atLeast": 0.2}, {"name": "Nurture"}"#))
        XCTAssertEqual(t.measure, .probability)
        XCTAssertEqual(t.labels, ["Sales-ready", "MQL", "Nurture"])
        XCTAssertEqual(t.valueCuts, [0.41, 0.2])
        XCTAssertEqual(t.actions, ["SQL", "MQL", nil])
    }

    /// Cuts are inclusive on the probability itself: leads of one whole
    /// score (41: p in [0.405, 0.415)) fall on both sides of 0.41.
    func testProbabilityCutsAreInclusiveAndSplitOneScore() throws {
        let t = TierScheme(labels: ["Hot", "Warm", "Cold"], valueCuts: [0.41, 0.2])
        let cases: [(Double, String)] = [(1, "Hot"), (0.41, "Hot"), (0.4099999, "Warm"), (0.2, "Warm"), (0.19999, "Cold"), (0, "Cold"), (.nan, "Cold")]
        for (p, tier) in cases {
            XCTAssertEqual(t.tier(probability: p, score: p.isNaN ? 0 : Int((p * 100).rounded())), tier, "\(p)")
        }
        XCTAssertEqual(t.tier(probability: 0.412, score: 41), "Hot")
        XCTAssertEqual(t.tier(probability: 0.406, score: 41), "Warm")
    }

    func testScoreSchemeEqualsTheInlineOne() throws {
        let t = try TierScheme.decode(json: file("score", #"{"name": "A", "atLeast": 50}, {"name": "B", "atLeast": 30}, {"name": "C", "atLeast": 15}, {"name": "D"}"#))
        XCTAssertEqual(t, TierScheme.standard)
        for score in 0...100 {
            XCTAssertEqual(t.tier(probability: Double(score) / 100, score: score), TierScheme.standard.tier(score: score))
        }
    }

    func testBadFilesAreRefusedNamingTheKey() {
        let two = #"{"name": "A", "atLeast": 0.5}, {"name": "B"}"#
        let cases: [(Data, String)] = [
            (file("probability", two, extra: #", "colour": "red""#), "\"colour\""),
            (file("probability", #"{"name": "A", "atLeast": 0.5, "atMost": 1}, {"name": "B"}"#), "tiers[0].atMost"),
            (file("probability", two, version: 2), "formatVersion 2, newer"),
            (file("probability", #"{"name": "A", "atLeast": 0.2}, {"name": "B", "atLeast": 0.3}, {"name": "C"}"#), "tiers[1].atLeast"),
            (file("probability", #"{"name": "A", "atLeast": 0.2}, {"name": "B", "atLeast": 0.2}, {"name": "C"}"#), "not below"),
            (file("probability", #"{"name": "A", "atLeast": 0.5}, {"name": "A"}"#), "appears twice"),
            (file("probability", #"{"name": "A", "atLeast": 1.5}, {"name": "B"}"#), "from 0 to 1"),
            (file("probability", #"{"name": "A", "atLeast": -0.1}, {"name": "B"}"#), "from 0 to 1"),
            (file("score", #"{"name": "A", "atLeast": 50.5}, {"name": "B"}"#), "whole 0–100"),
            (file("score", #"{"name": "A", "atLeast": 50}, {"name": "B", "atLeast": 10}"#), "the last tier"),
            (file("score", #"{"name": "A"}, {"name": "B"}"#), "tiers[0].atLeast"),
            (file("score", #"{"name": "A", "atLeast": 50}"#), "fewer than two"),
            (file("votes", two), "\"measure\""),
            (file("points", #"{"name": "A", "atLeast": "40"}, {"name": "B"}"#), "tiers[0].atLeast"),
            (file("probability", #"{"name": "A", "action": 3, "atLeast": 0.5}, {"name": "B"}"#), "tiers[0].action"),
            (Data(#"{"format": "leadscore-rules", "formatVersion": 1}"#.utf8), "\"format\""),
            (Data("A:50,B:30,C".utf8), "not valid JSON"),
            (Data("[1, 2]".utf8), "not a JSON object"),
        ]
        for (data, words) in cases {
            let problem = refusal(data)
            XCTAssertTrue(problem.contains(words), "\(String(decoding: data, as: UTF8.self)): \(problem)")
        }
    }

    /// A tiers file's `grid` sets the grid's cut-offs on the fit and
    /// engagement scores; the tiers are read as without it.
    func testGridIsReadAndCheckedNamingTheKey() throws {
        let two = #"{"name": "A", "atLeast": 50}, {"name": "B"}"#
        let t = try TierScheme.decode(json: file("score", two, extra: #", "grid": {"fit": [60, 40, 25], "engagement": [50, 30, 0]}"#))
        XCTAssertEqual(t.grid, GridCuts(fit: [60, 40, 25], engagement: [50, 30, 0]))
        XCTAssertEqual(t.labels, ["A", "B"])
        XCTAssertNil(try TierScheme.decode(json: file("score", two)).grid)
        let cases: [(String, String)] = [
            (#""grid": [60, 40, 25]"#, "key \"grid\": the grid is not a JSON object"),
            (#""grid": {"fit": [60, 40, 25]}"#, "key \"grid.engagement\": the grid has no \"engagement\""),
            (#""grid": {"fit": [60, 40], "engagement": [50, 30, 10]}"#, "needs 3"),
            (#""grid": {"fit": [60, 40, 25], "engagement": [50, 50, 10]}"#, "grid.engagement\": the grid's engagement cut-off 50 is not below"),
            (#""grid": {"fit": [160, 40, 25], "engagement": [50, 30, 10]}"#, "not a whole 0–100 score"),
            (#""grid": {"fit": [60, 40.5, 25], "engagement": [50, 30, 10]}"#, "not a whole 0–100 score"),
            (#""grid": {"fit": [60, 40, 25], "engagement": [50, 30, 10], "recency": [1, 2, 3]}"#, "unknown key \"recency\" in the grid"),
        ]
        for (grid, words) in cases {
            let problem = refusal(file("score", two, extra: ", " + grid))
            XCTAssertTrue(problem.contains(words), "\(grid): \(problem)")
        }
    }

    /// The option's value: a file when one of that name exists, else inline
    /// text; neither names both readings.
    func testOptionReadsAFileOrInlineText() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tiers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.json").path
        try file("probability", #"{"name": "A", "atLeast": 0.5}, {"name": "B"}"#).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try TierScheme.read(option: path).valueCuts, [0.5])
        XCTAssertEqual(try TierScheme.read(option: "Hot:70,Cold"), try TierScheme(parsing: "Hot:70,Cold"))
        XCTAssertThrowsError(try TierScheme.read(option: dir.appendingPathComponent("missing.json").path)) { error in
            let e = error as! InputError
            XCTAssertTrue(e.problem.contains("Nor is there a tiers file"), e.problem)
            XCTAssertTrue(e.remedy.contains("A:50,B:30,C:15,D") && e.remedy.contains(OptionKey.tiers.mention), e.remedy)
        }
    }
}
