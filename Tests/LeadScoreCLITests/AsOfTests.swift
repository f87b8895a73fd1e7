import Foundation
import XCTest

/// `score --as-of` and `evaluate --as-of` with the bundled configuration,
/// which names the export date of "Days Since Last Activity": the README's
/// "Aging scores" commands.
final class AsOfTests: XCTestCase {
    static let root = CLI.repositoryRoot
    static let deals = root.appendingPathComponent("datasets/b2b-deals.csv").path
    static let newLeads = root.appendingPathComponent("datasets/b2b-new-leads.csv").path
    static let config = root.appendingPathComponent("datasets/b2b-deals.config.json").path
    static let rules = root.appendingPathComponent("models/b2b-deals.rules.yaml").path
    /// The export date, then 30, 60 and 90 days after it.
    static let days = ["2026-06-30", "2026-07-30", "2026-08-29", "2026-09-28"]

    /// The README's model, trained with the bundled configuration.
    static let model: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("decay-\(getpid())-b2b-deals.json").path
        let r = try! CLI.run(["train", deals, "--config", config, "--validation", newLeads, "--training-date", "2026-11-23", "--output", path, "-q"])
        precondition(r.status == 0, r.stderr)
        return path
    }()

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: model)
        super.tearDown()
    }

    /// A CSV's values in `column`, by its first column (the id).
    func column(_ csv: String, _ name: String) throws -> [String: String] {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let i = try XCTUnwrap(lines.first?.firstIndex(of: name), name)
        return Dictionary(uniqueKeysWithValues: lines.dropFirst().map { ($0[0], $0[i]) })
    }

    func scores(_ arguments: [String]) throws -> String {
        let r = try CLI.run(["score"] + arguments + [Self.newLeads, "--reasons", "0", "-q", "-o", "-"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout
    }

    /// The card names the date (format 3); scored as of the export date
    /// it gives the scores without `--as-of`, and every later day lowers
    /// every lead's probability, the model's coefficient of a day being
    /// negative.
    func testTheBundledModelAgesWithAsOf() throws {
        let card = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.model))) as? [String: Any])
        XCTAssertEqual(card["formatVersion"] as? Int, 3)
        let schema = try XCTUnwrap(card["schema"] as? [String: Any])
        XCTAssertEqual(schema["measuredOn"] as? [String: String], ["Days Since Last Activity": "2026-06-30"])

        let plain = try scores(["--model", Self.model])
        XCTAssertEqual(try scores(["--model", Self.model, "--as-of", Self.days[0]]), plain, "as of the export date: as exported")
        var previous = try column(plain, "probability").mapValues { try XCTUnwrap(Double($0)) }
        XCTAssertEqual(previous.count, 5000)
        for day in Self.days.dropFirst() {
            let aged = try column(try scores(["--model", Self.model, "--as-of", day]), "probability").mapValues { try XCTUnwrap(Double($0)) }
            for (id, p) in aged { XCTAssertLessThan(p, try XCTUnwrap(previous[id]), "\(id) on \(day)") }
            previous = aged
        }
    }

    /// Leads exported on another day than the model names are aged from
    /// their own export date: exported on 2026-07-10 and scored as of
    /// 2026-07-30, 20 days, as the model's own leads as of 2026-07-20.
    func testExportedOnReplacesTheModelsDate() throws {
        let shifted = try scores(["--model", Self.model, "--as-of", "2026-07-30", "--exported-on", "2026-07-10"])
        XCTAssertEqual(shifted, try scores(["--model", Self.model, "--as-of", "2026-07-20"]))
        XCTAssertNotEqual(shifted, try scores(["--model", Self.model, "--as-of", "2026-07-30"]))
        XCTAssertEqual(try scores(["--model", Self.model, "--as-of", "2026-07-30", "--exported-on", "2026-07-30"]), try scores(["--model", Self.model]))
        let r = try CLI.run(["score", "--model", Self.model, Self.newLeads, "--exported-on", "2026-07-10", "-o", "/dev/null"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--exported-on goes with --as-of"), r.stderr)
    }

    /// `evaluate --as-of` scores each lead as `score --as-of` does.
    func testEvaluateAgesAsScoreDoes() throws {
        let dir = try CLI.temporaryDirectory(self)
        let predictions = dir.appendingPathComponent("p.csv").path
        let r = try CLI.run(["evaluate", "--model", Self.model, Self.newLeads, "--as-of", Self.days[2], "--predictions", predictions])
        XCTAssertEqual(r.status, 0, r.stderr)
        let scored = try column(try scores(["--model", Self.model, "--as-of", Self.days[2]]), "probability")
        let evaluated = try column(try String(contentsOfFile: predictions, encoding: .utf8), "probability")
        XCTAssertEqual(evaluated.count, 4861, "the closed deals (1,025 won, 3,836 lost; 139 open)")
        for (id, p) in evaluated { XCTAssertEqual(scored[id], p, id) }
    }

    /// The bundled rules file names the same date: its 14-day half-life
    /// and its 30- and 90-day penalties see the days since the export.
    func testTheBundledRulesAgeWithAsOf() throws {
        func points(_ day: String?) throws -> [String: String] {
            let r = try CLI.run(["score", "--rules", Self.rules, "--id", "Deal ID", Self.newLeads, "-q", "-o", "-"] + (day.map { ["--as-of", $0] } ?? []))
            XCTAssertEqual(r.status, 0, r.stderr)
            return try column(r.stdout, "points")
        }
        let plain = try points(nil)
        XCTAssertEqual(try points(Self.days[0]), plain)
        // D-0000003: 4 days since its last activity at the export. Recent
        // activity gives 15 × 0.5^(4/14) there, and 15 × 0.5^(34/14) − 10
        // (no activity in 30 days) 30 days later; everything else is the
        // same 23 points (Manager 5, 5000+ employees 15, United States 5,
        // free email −10, 4 email clicks 8).
        let later = try points(Self.days[1])
        let before = try XCTUnwrap(Double(try XCTUnwrap(plain["D-0000003"])))
        let after = try XCTUnwrap(Double(try XCTUnwrap(later["D-0000003"])))
        XCTAssertEqual(before, 23 + 15 * pow(0.5, 4.0 / 14), accuracy: 1e-9)
        XCTAssertEqual(after, 23 + 15 * pow(0.5, 34.0 / 14) - 10, accuracy: 1e-9)
    }

    func testAMalformedMeasuredOnFlagIsAUsageError() throws {
        let r = try CLI.run(["train", Self.deals, "--target", "Stage", "--measured-on", "Days Since Last Activity", "-o", "/dev/null"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--measured-on takes column=YYYY-MM-DD"), r.stderr)
    }
}
