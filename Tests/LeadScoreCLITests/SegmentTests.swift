import Foundation
import XCTest

/// `train --segment`, `score` and `export --segment` from the command line:
/// the notes a user reads, the refusals, and one segment's points table.
final class SegmentTests: XCTestCase {
    func testTrainScoreAndExportWithSegmentModels() throws {
        let dir = try CLI.temporaryDirectory(self)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let made = try CLI.run(["generate", "--rows", "6000", "--seed", "21", "--account-effect", "0", "--regions", "-o", path("deals.csv")])
        XCTAssertEqual(made.status, 0, made.stderr)
        let train = [
            "train", path("deals.csv"), "--target", "Stage", "--positive", "Closed Won", "--negative", "Closed Lost", "--id", "Deal ID",
            "--exclude", "Account ID", "--exclude", "Company Name", "--exclude", "Created Date", "--exclude", "Region",
            "--segment", "Region", "--min-conversions", "40", "--segment-l2", "4", "--training-date", "2026-12-07", "-o", path("model.json"),
        ]
        let trained = try CLI.run(train)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stderr.contains("Segment models by \"Region\": λ = 4 on the distance from the global model, as given."), trained.stderr)
        XCTAssertTrue(trained.stderr.contains("With fewer than 40 won or lost deals, scored with the global model: \"LATAM\""), trained.stderr)
        let card = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("model.json")))) as? [String: Any])
        XCTAssertEqual(card["formatVersion"] as? Int, 5)

        // A file without the segment column is refused, naming it.
        func quoted(_ field: String) -> String {
            field.contains(",") || field.contains("\"") ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        let table = try ThresholdsTests.table(path("deals.csv"))
        let region = try XCTUnwrap(table.header.firstIndex(of: "Region"))
        var csv = table.header.filter { $0 != "Region" }.joined(separator: ",") + "\n"
        for row in table.rows.prefix(50) {
            csv += row.enumerated().filter { $0.offset != region }.map { quoted($0.element) }.joined(separator: ",") + "\n"
        }
        try csv.write(toFile: path("no-region.csv"), atomically: true, encoding: .utf8)
        let refused = try CLI.run(["score", "--model", path("model.json"), path("no-region.csv"), "-o", path("scores.csv")])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("no-region.csv, line 1, column \"Region\""), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("one model per \"Region\" value"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("scores.csv")))

        // Scoring counts the leads of LATAM (no model) in its note.
        let latam = table.rows.filter { $0[region] == "LATAM" }.count
        XCTAssertGreaterThan(latam, 0)
        let scored = try CLI.run(["score", "--model", path("model.json"), path("deals.csv"), "-o", path("scores.csv")])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        XCTAssertTrue(
            scored.stderr.contains("\(latam) \(latam == 1 ? "lead" : "leads") in segments with too few training deals for a model of their own (\"LATAM\" \(latam))"),
            scored.stderr)

        // A points table is one model's.
        let export = ["export", "--points", "--model", path("model.json"), "--data", path("deals.csv")]
        let whole = try CLI.run(export + ["-o", path("points.yaml")])
        XCTAssertNotEqual(whole.status, 0)
        XCTAssertTrue(whole.stderr.contains("Export one segment's model with --segment"), whole.stderr)
        let apac = try CLI.run(export + ["--segment", "APAC", "-o", path("apac.yaml")])
        XCTAssertEqual(apac.status, 0, apac.stderr)
        let global = try CLI.run(export + ["--segment", "(global)", "-o", path("global.yaml")])
        XCTAssertEqual(global.status, 0, global.stderr)
        XCTAssertNotEqual(try String(contentsOfFile: path("apac.yaml"), encoding: .utf8), try String(contentsOfFile: path("global.yaml"), encoding: .utf8))
        let unknown = try CLI.run(export + ["--segment", "Atlantis", "-o", path("x.yaml")])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("the model has no segment \"Atlantis\""), unknown.stderr)

        // Options that only go with --segment are refused without it.
        let alone = try CLI.run(["train", path("deals.csv"), "--target", "Stage", "--positive", "Closed Won", "--segment-l2", "3", "-o", path("m.json")])
        XCTAssertNotEqual(alone.status, 0)
        XCTAssertTrue(alone.stderr.contains("--segment-l2 and --min-conversions go with --segment."), alone.stderr)
    }

    /// evaluate compares a segmented card with its global model and
    /// segment by segment; --no-global-comparison evaluates the card alone,
    /// with the same figures for it.
    func testEvaluateComparesWithTheGlobalModelUnlessAskedNotTo() throws {
        let dir = try CLI.temporaryDirectory(self)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        XCTAssertEqual(try CLI.run(["generate", "--rows", "4000", "--seed", "23", "--account-effect", "0", "--regions", "-o", path("deals.csv")]).status, 0)
        let trained = try CLI.run([
            "train", path("deals.csv"), "--target", "Stage", "--positive", "Closed Won", "--negative", "Closed Lost", "--id", "Deal ID",
            "--exclude", "Account ID", "--exclude", "Company Name", "--exclude", "Region", "--segment", "Region", "--min-conversions", "30",
            "--segment-l2", "3", "-o", path("model.json"),
        ])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        func report(_ extra: [String]) throws -> [String: Any] {
            let r = try CLI.run(["evaluate", "--model", path("model.json"), path("deals.csv"), "--bootstrap", "50", "--json", path("r.json")] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("r.json")))) as? [String: Any])
        }
        let compared = try report([]), alone = try report(["--no-global-comparison"])
        let names = { (r: [String: Any]) in (r["scorers"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
        XCTAssertEqual(names(compared), ["model.json (global model)", "model.json"])
        XCTAssertEqual(names(alone), ["model.json"])
        XCTAssertNotNil(compared["segments"])
        XCTAssertNil(alone["segments"])
        XCTAssertEqual((alone["comparisons"] as? [Any])?.count, 0)
        func auc(_ r: [String: Any], _ name: String) -> Double? {
            let scorer = (r["scorers"] as? [[String: Any]])?.first { $0["name"] as? String == name }
            return (scorer?["ranking"] as? [String: Any])?["auc"] as? Double
        }
        XCTAssertNotNil(auc(alone, "model.json"))
        XCTAssertEqual(auc(alone, "model.json"), auc(compared, "model.json"))
    }
}
