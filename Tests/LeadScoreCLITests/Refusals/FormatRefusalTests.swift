import Foundation
import XCTest

/// The catalogue's file formats: CSV structure, rules files, configuration
/// files, model files, and usage errors. Each case names what the message
/// must say: the file, the line or key, the value, and what to do.
final class FormatRefusalTests: XCTestCase {
    /// `deals.csv` with line `line` (1-based, the header is 1) replaced.
    private func deals(_ ws: RefusalWorkspace, line: Int, with text: String, name: String = "bad.csv") throws -> String {
        var lines = try ws.read("deals.csv").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[line - 1] = text
        return try ws.write(lines.joined(separator: "\n"), to: name)
    }

    // MARK: CSV structure

    func testQuoteLeftOpenAtTheEndIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try ws.read("new.csv") + "\"D-999,Acme", to: "bad.csv")
        try ws.refuses(["score", "--model", "model.json", "bad.csv", "-o", "s.csv"], mentions: ["bad.csv", "line 202", "quote"])
    }

    func testTextAfterAClosingQuoteIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        let header = try ws.read("deals.csv").split(separator: "\n")[0]
        let fields = header.split(separator: ",").count
        let row = ["\"D-1\"x"] + Array(repeating: "", count: fields - 1)
        try deals(ws, line: 7, with: row.joined(separator: ","))
        try ws.refuses(["train", "bad.csv", "--config", "config.json", "-o", "m.json"], mentions: ["bad.csv", "line 7", "quote"])
    }

    func testRecordWithTooManyFieldsIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        let line = try ws.read("new.csv").split(separator: "\n")[9]
        var lines = try ws.read("new.csv").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[9] = line + ",extra"
        try ws.write(lines.joined(separator: "\n"), to: "bad.csv")
        try ws.refuses(["score", "--model", "model.json", "bad.csv", "-o", "s.csv"], mentions: ["bad.csv", "line 10", "fields"])
    }

    func testInvalidUTF8InAModelColumnIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        var bytes = Array(try ws.read("new.csv").utf8)
        // The first byte of line 5's Country value becomes 0xFF.
        var line = 1, at = 0
        while line < 5 { if bytes[at] == 10 { line += 1 }; at += 1 }
        let header = try ws.read("new.csv").split(separator: "\n")[0].split(separator: ",", omittingEmptySubsequences: false)
        let countryIndex = header.firstIndex(of: "Country")!
        var commas = 0
        while commas < countryIndex { if bytes[at] == 44 { commas += 1 }; at += 1 }
        bytes[at] = 0xFF
        try ws.write(bytes: bytes, to: "bad.csv")
        try ws.refuses(["score", "--model", "model.json", "bad.csv", "-o", "s.csv"], mentions: ["bad.csv", "line 5", "Country", "UTF-8"])
    }

    func testEmptyFileIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write("", to: "empty.csv")
        try ws.refuses(["score", "--model", "model.json", "empty.csv", "-o", "s.csv"], mentions: ["empty.csv", "empty", "header"])
    }

    func testTrainingFileWithOnlyAHeaderIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(String(try ws.read("deals.csv").split(separator: "\n")[0]) + "\n", to: "header.csv")
        try ws.refuses(["train", "header.csv", "--config", "config.json", "-o", "m.json"], mentions: ["header.csv", "rows"])
    }

    func testModelColumnsMissingFromTheLeadsAreAllNamed() throws {
        let ws = try RefusalWorkspace(self)
        let lines = try ws.read("new.csv").split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let keep = lines[0].indices.filter { !["Industry", "Job Level"].contains(lines[0][$0]) }
        try ws.write(lines.map { row in keep.map { String(row[$0]) }.joined(separator: ",") }.joined(separator: "\n") + "\n", to: "cut.csv")
        try ws.refuses(["score", "--model", "model.json", "cut.csv", "-o", "s.csv"], mentions: ["cut.csv", "\"Industry\"", "\"Job Level\"", "What to do"])
    }

    /// A file whose fields are separated by spaces reads as one column:
    /// each command that looks for its columns says so, and what to do.
    private func spaceSeparated(_ ws: RefusalWorkspace, from name: String) throws {
        let text = try ws.read(name).split(separator: "\n").prefix(50).map { $0.replacingOccurrences(of: ",", with: " ") }
        try ws.write(text.joined(separator: "\n") + "\n", to: "spaces.csv")
    }

    func testHeaderOfOneColumnIsExplainedWhenScoring() throws {
        let ws = try RefusalWorkspace(self)
        try spaceSeparated(ws, from: "new.csv")
        try ws.refuses(["score", "--model", "model.json", "spaces.csv", "-o", "s.csv"], mentions: ["spaces.csv", "reads as one column", "comma, semicolon or tab"])
    }

    func testHeaderOfOneColumnIsExplainedWhenTraining() throws {
        let ws = try RefusalWorkspace(self)
        try spaceSeparated(ws, from: "deals.csv")
        try ws.refuses(["train", "spaces.csv", "--target", "Stage", "-o", "m.json"], mentions: ["spaces.csv", "\"Stage\"", "reads as one column"])
    }

    func testHeaderOfOneColumnIsExplainedWhenEvaluatingRules() throws {
        let ws = try RefusalWorkspace(self)
        try spaceSeparated(ws, from: "deals.csv")
        try ws.refuses(["evaluate", "--rules", "rules.yaml", "--target", "Stage", "spaces.csv"], mentions: ["spaces.csv", "reads as one column"])
        try ws.refuses(["score", "--rules", "rules.yaml", "spaces.csv", "-o", "s.csv"], mentions: ["spaces.csv", "line 1", "reads as one column"])
    }

    // MARK: Training and evaluation data

    func testUnknownTargetColumnIsRefusedWithTheColumns() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["train", "deals.csv", "--target", "Outcome Stage", "-o", "m.json"], mentions: ["deals.csv", "Outcome Stage", "\"Stage\"", "--target"])
    }

    func testOutcomeWithOneClassIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        var csv = "Visits,Converted\n"
        for i in 0..<40 { csv += "\(i % 7),1\n" }
        try ws.write(csv, to: "won.csv")
        try ws.refuses(["train", "won.csv", "-o", "m.json"], mentions: ["won.csv", "Converted"])
    }

    func testPositiveValueAbsentFromTheOutcomeIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(
            ["train", "deals.csv", "--target", "Stage", "--positive", "Closed-Won", "-o", "m.json"], mentions: ["deals.csv", "Stage", "Closed-Won"])
    }

    func testEvaluateWithoutTheOutcomeColumnIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["evaluate", "--model", "model.json", "--target", "Won", "deals.csv"], mentions: ["deals.csv", "\"Won\"", "--target"])
    }

    // MARK: Rules files

    func testRulesFileWithoutItsHeaderIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write("target: Stage\nbogus: 1\n", to: "r.yaml")
        try ws.refuses(["score", "--rules", "r.yaml", "new.csv", "-o", "s.csv"], mentions: ["r.yaml", "not a LeadScore rules file", "formatVersion"])
    }

    func testRuleWithAnUnknownKeyIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        let text = try ws.read("rules.yaml").replacingOccurrences(of: "    points: 20\n", with: "    pionts: 20\n")
        try ws.write(text, to: "r.yaml")
        try ws.refuses(["score", "--rules", "r.yaml", "new.csv", "-o", "s.csv"], mentions: ["r.yaml", "pionts"])
    }

    func testRuleOnAColumnTheLeadsLackIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        let text = try ws.read("rules.yaml").replacingOccurrences(of: "{column: Job Level, oneOf: [VP, C-Level]}", with: "{column: Seniority, oneOf: [VP, C-Level]}")
        try ws.write(text, to: "r.yaml")
        try ws.refuses(["score", "--rules", "r.yaml", "new.csv", "-o", "s.csv"], mentions: ["Seniority"])
    }

    func testRulesFileThatIsNotYAMLIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write("format: leadscore-rules\nformatVersion: 1\nrules:\n  - name: [unclosed\n", to: "r.yaml")
        try ws.refuses(["score", "--rules", "r.yaml", "new.csv", "-o", "s.csv"], mentions: ["r.yaml", "line"])
    }

    func testRulesFileOfANewerFormatIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try ws.read("rules.yaml").replacingOccurrences(of: "formatVersion: 1", with: "formatVersion: 9"), to: "r.yaml")
        try ws.refuses(["score", "--rules", "r.yaml", "new.csv", "-o", "s.csv"], mentions: ["r.yaml", "9", "Upgrade"])
    }

    // MARK: Configuration files

    func testConfigurationWithAnUnknownKeyIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write("{\"target\": \"Stage\", \"l2Penalty\": 1}", to: "c.json")
        try ws.refuses(["train", "deals.csv", "--config", "c.json", "-o", "m.json"], mentions: ["c.json", "\"l2Penalty\"", "Known keys", "l2"])
    }

    func testConfigurationValueOfTheWrongTypeIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write("{\"target\": \"Stage\", \"l2\": \"strong\"}", to: "c.json")
        let r = try ws.refuses(["train", "deals.csv", "--config", "c.json", "-o", "m.json"], mentions: ["c.json", "\"l2\"", "README"])
        XCTAssertFalse(r.stderr.contains(".."), r.stderr)
    }

    func testConfigurationThatIsNotJSONIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write("target: Stage\n", to: "c.json")
        try ws.refuses(["train", "deals.csv", "--config", "c.json", "-o", "m.json"], mentions: ["c.json", "not valid JSON"])
    }

    /// Fit and engagement groups that do not split the log-odds: a column
    /// in both, and feature columns in neither (all named).
    func testConfigurationWithAColumnInBothGroupsIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(#"{"target": "Stage", "fit": ["Industry"], "engagement": ["Email Clicks", "Industry"]}"#, to: "c.json")
        try ws.refuses(["train", "deals.csv", "--config", "c.json", "-o", "m.json"], mentions: ["c.json", "\"Industry\" is in both --fit and --engagement", "Keep"])
    }

    func testConfigurationLeavingFeatureColumnsInNeitherGroupIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        let config = try ws.read("config.json")
        let trimmed = config.replacingOccurrences(of: ", \"Competitor\"", with: "").replacingOccurrences(of: ", \"Unsubscribed\"", with: "")
        XCTAssertEqual(trimmed.count, config.count - ", \"Competitor\"".count - ", \"Unsubscribed\"".count, "the bundled configuration lists both")
        try ws.write(trimmed, to: "c.json")
        try ws.refuses(
            ["train", "deals.csv", "--config", "c.json", "-o", "m.json"],
            mentions: ["deals.csv", "2 feature columns are in neither --fit nor --engagement", "\"Competitor\", \"Unsubscribed\"", "--exclude"])
    }

    // MARK: Model files

    func testTruncatedModelIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        let text = try ws.read("model.json")
        try ws.write(String(text.prefix(text.count / 2)), to: "half.json")
        try ws.refuses(["score", "--model", "half.json", "new.csv", "-o", "s.csv"], mentions: ["half.json", "not valid JSON", "Retrain"])
    }

    func testModelOfANewerFormatIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        let text = try ws.read("model.json")
        let newer = text.replacingOccurrences(of: #"("formatVersion"\s*:\s*)\d+"#, with: "$199", options: .regularExpression)
        XCTAssertNotEqual(newer, text)
        try ws.write(newer, to: "newer.json")
        try ws.refuses(["score", "--model", "newer.json", "new.csv", "-o", "s.csv"], mentions: ["newer.json", "99", "Upgrade LeadScore"])
    }

    func testRulesFileGivenAsAModelIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["inspect", "rules.yaml"], mentions: ["rules.yaml", "leadscore train"])
    }

    func testMissingModelFileIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["score", "--model", "nothere.json", "new.csv", "-o", "s.csv"], mentions: ["nothere.json", "model file"])
    }

    func testDiffOfANonModelIsAnErrorNotADifference() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["diff", "model.json", "config.json"], status: 2, mentions: ["config.json", "not a LeadScore model file"])
    }

    // MARK: Usage

    func testUnknownOptionIsAUsageError() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "--ouput", "s.csv"], status: 2, mentions: ["--ouput"])
    }

    func testAsOfThatIsNotADateIsAUsageError() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "--as-of", "1/7/2026", "-o", "s.csv"], status: 2, mentions: ["--as-of", "YYYY-MM-DD", "1/7/2026"])
    }

    func testModelAndRulesTogetherAreAUsageError() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["score", "--model", "model.json", "--rules", "rules.yaml", "new.csv", "-o", "s.csv"], status: 2, mentions: ["--model", "--rules"])
    }

    func testHoldoutOfOneIsAUsageError() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["train", "deals.csv", "--config", "config.json", "--holdout", "1", "-o", "m.json"], status: 2, mentions: ["--holdout", "below 1"])
    }
}

// MARK: Tiers files

extension FormatRefusalTests {
    private func tiersFile(_ ws: RefusalWorkspace, _ body: String, measure: String = "probability", version: Int = 1) throws {
        try ws.write(#"{"format": "leadscore-tiers", "formatVersion": \#(version), "measure": "\#(measure)", \#(body)}"#, to: "tiers.json")
    }

    func testTiersFileWithAnUnknownKeyIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try tiersFile(ws, #""tiers": [{"name": "A", "atleast": 0.5}, {"name": "B"}]"#)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "--tiers", "tiers.json", "-o", "s.csv"], mentions: ["tiers.json", "tiers[0].atleast", "unknown key"])
    }

    func testNewerTiersFileIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try tiersFile(ws, #""tiers": [{"name": "A", "atLeast": 0.5}, {"name": "B"}], "capacity": 200"#, version: 2)
        try ws.refuses(["evaluate", "--model", "model.json", "deals.csv", "--tiers", "tiers.json"], mentions: ["tiers.json", "formatVersion 2", "Upgrade"])
    }

    func testTiersFileWithCutsNotDecreasingIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try tiersFile(ws, #""tiers": [{"name": "A", "atLeast": 0.2}, {"name": "B", "atLeast": 0.4}, {"name": "C"}]"#)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "--tiers", "tiers.json", "-o", "s.csv"], mentions: ["tiers.json", "tiers[1].atLeast", "not below", "best first"])
    }

    func testTiersFileWithATierNamedTwiceIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try tiersFile(ws, #""tiers": [{"name": "Hot", "atLeast": 0.5}, {"name": "Hot"}]"#)
        try ws.refuses(["evaluate", "--model", "model.json", "deals.csv", "--tiers", "tiers.json"], mentions: ["tiers.json", "\"Hot\"", "appears twice"])
    }

    func testProbabilityCutOutsideZeroToOneIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try tiersFile(ws, #""tiers": [{"name": "A", "atLeast": 41}, {"name": "B"}]"#)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "--tiers", "tiers.json", "-o", "s.csv"], mentions: ["tiers.json", "41", "from 0 to 1", "\"score\""])
    }

    func testTiersFileThatIsNotJSONIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write("tiers:\n  - Hot: 0.5\n  - Cold\n", to: "tiers.json")
        try ws.refuses(["score", "--model", "model.json", "new.csv", "--tiers", "tiers.json", "-o", "s.csv"], mentions: ["tiers.json", "line 1", "not valid JSON"])
    }

    func testProbabilityTiersFileWithRulesIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try tiersFile(ws, #""tiers": [{"name": "A", "atLeast": 0.5}, {"name": "B"}]"#)
        try ws.refuses(["score", "--rules", "rules.yaml", "new.csv", "--tiers", "tiers.json", "-o", "s.csv"], mentions: ["tiers.json", "probability", "rules"])
    }

    func testTiersThatAreNeitherTextNorAFileAreRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "--tiers", "tier.json", "-o", "s.csv"], status: 2, mentions: ["tier.json", "A:50,B:30,C:15,D", "Nor is there a tiers file", "--tiers"])
    }

    func testTiersFileWithAGridOfTwoCutsIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try tiersFile(ws, #""tiers": [{"name": "A", "atLeast": 50}, {"name": "B"}], "grid": {"fit": [40, 20], "engagement": [50, 30, 10]}"#, measure: "score")
        try ws.refuses(["score", "--model", "model.json", "new.csv", "--tiers", "tiers.json", "-o", "s.csv"], mentions: ["tiers.json", "grid.fit", "needs 3", "four bands"])
    }

    func testRulesFileWithAGridNotBestFirstIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try ws.read("rules.yaml").replacingOccurrences(of: "fit: [35, 25, 10]", with: "fit: [10, 25, 35]"), to: "r.yaml")
        try ws.refuses(["score", "--rules", "r.yaml", "new.csv", "--id", "Deal ID", "-o", "s.csv"], mentions: ["r.yaml", "grid", "25 is not below the one before it (10)", "best first"])
    }

    func testTiersFileCannotBeTheOutput() throws {
        let ws = try RefusalWorkspace(self)
        try tiersFile(ws, #""tiers": [{"name": "A", "atLeast": 0.5}, {"name": "B"}]"#)
        try ws.refuses(["score", "--model", "model.json", "new.csv", "--tiers", "tiers.json", "-o", "tiers.json"], mentions: ["tiers.json", "input"])
    }
}
