import Foundation
import XCTest

/// Catalogue: what a model card that cannot be trusted gets (a format 1
/// card, a format version lowered, an edited card used anyway), and the id
/// columns of the predictions file.
final class ModelIntegrityRefusalTests: XCTestCase {
    // MARK: Helpers

    /// The workspace's card without groups with its checksum line deleted
    /// and its format version set to 1: a format 1 card, or a format 2 card
    /// downgraded.
    func formatOne(_ ws: RefusalWorkspace, keepingChecksum: Bool = false, to name: String) throws {
        let text = try ws.read("plain.json").split(separator: "\n", omittingEmptySubsequences: false)
            .filter { keepingChecksum || !$0.hasPrefix("  \"checksum\" : ") }.joined(separator: "\n")
            .replacingOccurrences(of: "\"formatVersion\" : 2,", with: "\"formatVersion\" : 1,")
        try ws.write(text, to: name)
    }

    /// The workspace's card with one digit changed.
    func edited(_ ws: RefusalWorkspace, to name: String) throws {
        try ws.writeEditedModel(to: name)
    }

    /// The workspace's card with other id columns (an edit: read with the
    /// override).
    func withIds(_ ws: RefusalWorkspace, _ ids: [String], to name: String) throws {
        let text = try ws.read("model.json")
        let ids = ids.isEmpty ? "[]" : "[\n" + ids.map { "      \"\($0)\"" }.joined(separator: ",\n") + "\n    ]"
        let replaced = text.replacingOccurrences(of: "\"idColumns\" : [\n      \"Deal ID\"\n    ]", with: "\"idColumns\" : \(ids)")
        XCTAssertNotEqual(replaced, text, "the card's id columns are where the test expects them")
        try ws.write(replaced, to: name)
    }

    func lines(_ ws: RefusalWorkspace, _ name: String) throws -> [Substring] {
        try ws.read(name).split(separator: "\n")
    }

    // MARK: Format 1 cards and lowered versions

    /// A format 1 card (or a format 2 card with its checksum line deleted
    /// and its version set to 1: the two cannot be told apart) is read with
    /// a warning that -q does not hide.
    func testAFormatOneCardIsScoredWithAWarningThatQuietDoesNotHide() throws {
        let ws = try RefusalWorkspace(self)
        try formatOne(ws, to: "old.json")
        let result = try ws.run(["score", "--model", "old.json", "new.csv", "-o", "scores.csv", "-q"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("warning: old.json is a format 1 model card"), result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot be checked"), result.stderr)
        XCTAssertTrue(result.stderr.contains("Retrain"), result.stderr)
        let inspected = try ws.run(["inspect", "old.json"])
        XCTAssertTrue(inspected.stdout.hasPrefix("warning: old.json is a format 1 model card"), inspected.stdout)
    }

    /// A card that says format 1 but carries a checksum, which only format
    /// 2 writes, had its version lowered: refused as edited.
    func testAFormatOneCardWithAChecksumIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        try formatOne(ws, keepingChecksum: true, to: "lowered.json")
        try ws.refuses(
            ["score", "--model", "lowered.json", "new.csv", "-o", "scores.csv"],
            mentions: ["lowered.json", "format 1", "carries a checksum", "changed after training", "Retrain", "--allow-edited-model"])
        try ws.refuses(["inspect", "lowered.json"], mentions: ["lowered.json", "carries a checksum"])
    }

    /// A card with fit and engagement groups says format 3; with its
    /// version lowered to 2, which has no groups, it is refused as
    /// inconsistent (before its checksum is looked at), even with
    /// --allow-edited-model: no LeadScore ever wrote such a card.
    func testAGroupedCardLoweredToFormatTwoIsRefused() throws {
        let ws = try RefusalWorkspace(self)
        let text = try ws.read("model.json")
        XCTAssertTrue(text.contains("\"formatVersion\" : 3,"), "the catalogue's model has groups")
        try ws.write(text.replacingOccurrences(of: "\"formatVersion\" : 3,", with: "\"formatVersion\" : 2,"), to: "lowered.json")
        try ws.refuses(
            ["score", "--model", "lowered.json", "new.csv", "-o", "scores.csv", "--allow-edited-model"],
            mentions: ["lowered.json", "inconsistent", "format 2", "groups", "format 3", "Retrain"])
    }

    // MARK: An edited card used anyway is recorded in the scores

    func testScoresOfAnEditedCardUsedAnywayCarryModelEditedOnEveryRow() throws {
        let ws = try RefusalWorkspace(self)
        try edited(ws, to: "edited.json")
        for reasons in ["0", "3"] {
            let result = try ws.run(
                ["score", "--model", "edited.json", "new.csv", "-o", "scores.csv", "--reasons", reasons, "-q", "--allow-edited-model"])
            XCTAssertEqual(result.status, 0, result.stderr)
            let rows = try lines(ws, "scores.csv")
            XCTAssertEqual(rows.count, 201)
            XCTAssertTrue(rows[0].hasSuffix(",model_edited"), String(rows[0]))
            XCTAssertTrue(rows.dropFirst().allSatisfy { $0.hasSuffix(",true") }, "every row says the card was edited")
        }
        // The same file scored with the card as trained: no such column.
        let plain = try ws.run(["score", "--model", "model.json", "new.csv", "-o", "plain.csv", "-q", "--allow-edited-model"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let rows = try lines(ws, "plain.csv")
        XCTAssertFalse(rows[0].contains("model_edited"), String(rows[0]))
        XCTAssertEqual(rows.count, 201)
    }

    func testPredictionsOfAnEditedCardUsedAnywayCarryModelEditedOnEveryRow() throws {
        let ws = try RefusalWorkspace(self)
        try edited(ws, to: "edited.json")
        let result = try ws.run(["evaluate", "--model", "edited.json", "deals.csv", "--predictions", "p.csv", "--allow-edited-model"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try lines(ws, "p.csv")
        XCTAssertEqual(rows[0], "Deal ID,label,probability,model_edited")
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0.hasSuffix(",true") })
        let plain = try ws.run(["evaluate", "--model", "model.json", "deals.csv", "--predictions", "plain.csv"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertEqual(try lines(ws, "plain.csv")[0], "Deal ID,label,probability")
    }

    // MARK: The predictions file's id columns

    /// The model's id column is required, as `score` requires it: no
    /// predictions file written with row numbers instead.
    func testPredictionsWithoutTheModelsIdColumnAreRefused() throws {
        let ws = try RefusalWorkspace(self)
        let text = try ws.read("deals.csv")
        let header = try XCTUnwrap(text.split(separator: "\n").first)
        try ws.write(text.replacingOccurrences(of: String(header), with: header.replacingOccurrences(of: "Deal ID", with: "Deal")), to: "renamed.csv")
        try ws.refuses(
            ["evaluate", "--model", "model.json", "renamed.csv", "--predictions", "p.csv"],
            mentions: ["renamed.csv", "line 1", "\"Deal ID\"", "id column", "Export the file with these columns"])
    }

    /// With two id columns and one missing, it is named; the other is not
    /// dropped silently. The card names Deal ID and Account ID; the file is
    /// deals.csv without its Account ID column (the second: Deal ID and
    /// Account ID are never quoted, so the line splits at its first two
    /// commas).
    func testPredictionsWithOneOfTwoIdColumnsMissingAreRefused() throws {
        let ws = try RefusalWorkspace(self)
        try withIds(ws, ["Deal ID", "Account ID"], to: "two.json")
        let rows = try ws.read("deals.csv").split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard !line.isEmpty else { return "" }
            let fields = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
            XCTAssertEqual(fields.count, 3, String(line))
            XCTAssertFalse(fields.prefix(2).joined().contains("\""), String(line))
            return fields[0] + "," + fields[2]
        }
        XCTAssertTrue(rows[0].hasPrefix("Deal ID,Company Name,"), rows[0])
        XCTAssertTrue(rows[1].hasPrefix("D-0000001,"), rows[1])
        try ws.write(rows.joined(separator: "\n"), to: "accountless.csv")
        let result = try ws.refuses(
            ["evaluate", "--model", "two.json", "accountless.csv", "--predictions", "p.csv", "--allow-edited-model"],
            mentions: ["accountless.csv", "\"Account ID\"", "id column"])
        XCTAssertFalse(result.stderr.contains("\"Deal ID\" is"), result.stderr)
        // With both columns in the file, the predictions carry both.
        let both = try ws.run(["evaluate", "--model", "two.json", "deals.csv", "--predictions", "p.csv", "--allow-edited-model"])
        XCTAssertEqual(both.status, 0, both.stderr)
        XCTAssertEqual(try lines(ws, "p.csv")[0], "Deal ID,Account ID,label,probability,model_edited")
    }

    /// A model without id columns: predictions by row number, said once.
    func testPredictionsOfAModelWithoutIdColumnsAreNumberedWithANote() throws {
        let ws = try RefusalWorkspace(self)
        try withIds(ws, [], to: "anonymous.json")
        let result = try ws.run(["evaluate", "--model", "anonymous.json", "deals.csv", "--predictions", "p.csv", "--allow-edited-model"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr.components(separatedBy: "the model has no id column").count, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("predictions"), result.stderr)
        let rows = try lines(ws, "p.csv")
        XCTAssertEqual(rows[0], "row,label,probability,model_edited")
        XCTAssertTrue(rows[1].hasPrefix("1,"), String(rows[1]))
        // Without --predictions, nothing to say.
        let plain = try ws.run(["evaluate", "--model", "anonymous.json", "deals.csv", "--allow-edited-model"])
        XCTAssertFalse(plain.stderr.contains("no id column"), plain.stderr)
    }
}
