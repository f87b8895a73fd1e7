import Foundation
import XCTest

@testable import LeadScore

/// Assigning columns to fit and engagement (`TrainingConfiguration.fit`,
/// `.engagement`): what is refused, where, and with what remedy.
final class FeatureGroupTests: XCTestCase {
    /// The refusal of `body`.
    func refusal(_ body: () throws -> Void) -> InputError? {
        do { try body() } catch { return error as? InputError }
        XCTFail("not refused")
        return nil
    }

    /// A configuration file with the bundled target and `extra` keys.
    func configFile(_ extra: String) throws -> String {
        let path = temporaryPath("config.json")
        try Data(#"{"formatVersion": 1, "target": "Stage", "ids": ["Deal ID"], "exclude": ["Company Name"], \#(extra)}"#.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Checked when the file is read, naming the file, the column and the
    /// keys: a column in both groups or twice in one, and one that is the
    /// outcome, an id, left out or the weights.
    func testConflictsAreRefusedWhenTheConfigurationIsRead() throws {
        let both = try configFile(#""fit": ["Industry"], "engagement": ["Email Clicks", "Industry"]"#)
        let e = try XCTUnwrap(refusal { _ = try TrainingConfiguration.load(path: both) })
        XCTAssertEqual(e.kind, .badConfiguration)
        XCTAssertEqual(e.location?.file, both)
        XCTAssertEqual(e.location?.column, "Industry")
        XCTAssertTrue(e.problem.contains("is in both `fit` and `engagement`"), e.problem)
        XCTAssertTrue(e.remedy.contains("Keep \"Industry\" in one of"), e.remedy)

        let twice = try configFile(#""fit": ["Industry", "Industry"]"#)
        XCTAssertTrue(refusal { _ = try TrainingConfiguration.load(path: twice) }?.problem.contains("lists \"Industry\" twice") ?? false)

        for (column, key) in [("Deal ID", "ids"), ("Company Name", "exclude"), ("Stage", "target")] {
            let path = try configFile(#""engagement": ["\#(column)"]"#)
            let e = try XCTUnwrap(refusal { _ = try TrainingConfiguration.load(path: path) }, column)
            XCTAssertEqual(e.location?.file, path)
            XCTAssertTrue(e.problem.contains("`engagement` lists \"\(column)\", which is also given as `\(key)`"), e.problem)
            XCTAssertTrue(e.remedy.contains("Remove \"\(column)\" from `engagement`"), e.remedy)
        }
        var c = TrainingConfiguration()
        c.weight = "W"
        c.fit = ["W"]
        XCTAssertTrue(refusal { try c.validate(source: "the training options") }?.problem.contains("also given as `weight`") ?? false)
        // Flags add to the file's lists (`overridden(by:)`).
        var file = TrainingConfiguration(), flags = TrainingConfiguration()
        file.fit = ["Industry"]
        flags.fit = ["Country"]
        flags.engagement = ["Email Clicks"]
        let merged = file.overridden(by: flags)
        XCTAssertEqual(merged.fit, ["Industry", "Country"])
        XCTAssertEqual(merged.engagement, ["Email Clicks"])
        XCTAssertTrue(merged.hasGroups)
        XCTAssertFalse(TrainingConfiguration().hasGroups)
    }

    func trainingFile() throws -> String { try TrainedCards.dealsFile(rows: 600, seed: 81, for: self) }

    func train(_ path: String, _ adjust: (inout TrainingConfiguration) -> Void) throws {
        var c = TrainingConfiguration()
        c.target = "Stage"
        c.positive = ["Closed Won"]
        c.exclude = ["Company Name"]
        TrainedCards.assignGroups(&c)
        adjust(&c)
        _ = try Trainer.train(TrainingRequest(dataPath: path, configuration: c))
    }

    /// Checked against the file: a column it does not have, a column read
    /// as an identifier, and feature columns in neither group, all named.
    func testColumnsAreCheckedAgainstTheData() throws {
        let path = try trainingFile()
        let unknown = try XCTUnwrap(refusal { try self.train(path) { $0.fit! += ["Industy"] } })
        XCTAssertEqual(unknown.kind, .missingColumn)
        XCTAssertEqual(unknown.location?.column, "Industy")
        XCTAssertTrue(unknown.problem.contains("`fit` names the column \"Industy\", which is not in the header"), unknown.problem)

        // Deal ID is not named as an id here: inferred as one.
        let id = try XCTUnwrap(refusal { try self.train(path) { $0.fit! += ["Deal ID"] } })
        XCTAssertEqual(id.kind, .badConfiguration)
        XCTAssertTrue(id.problem.contains("`fit` lists \"Deal ID\", which LeadScore read as an identifier"), id.problem)
        XCTAssertTrue(id.remedy.contains("`types`"), id.remedy)

        let missing = try XCTUnwrap(refusal { try self.train(path) { c in c.engagement!.removeAll { $0 == "Email Clicks" || $0 == "Created Date" } } })
        XCTAssertEqual(missing.kind, .badConfiguration)
        XCTAssertEqual(missing.location?.file, path)
        XCTAssertTrue(missing.problem.contains("2 feature columns are in neither `fit` nor `engagement`: \"Created Date\", \"Email Clicks\""), missing.problem)
        XCTAssertTrue(missing.remedy.contains("`exclude`"), missing.remedy)

        // Only one group given: the other columns are not assumed to be in the other.
        let one = try XCTUnwrap(refusal { try self.train(path) { $0.engagement = nil } })
        XCTAssertTrue(one.problem.contains("8 feature columns are in neither"), one.problem)

        // Excluded with the flag: trains, and the model has no such feature.
        var c = TrainingConfiguration()
        c.target = "Stage"
        c.positive = ["Closed Won"]
        c.exclude = ["Company Name", "Created Date"]
        TrainedCards.assignGroups(&c)
        c.engagement!.removeAll { $0 == "Created Date" }
        let card = try Trainer.train(TrainingRequest(dataPath: path, configuration: c))
        XCTAssertNotNil(card.subScores)
        XCTAssertFalse(card.features.contains { $0.column == "Created Date" })
    }
}
