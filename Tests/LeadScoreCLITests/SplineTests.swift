import XCTest

/// `train --spline` and `--splines`, and `inspect` of a spline model, as a
/// user runs them.
final class SplineTests: XCTestCase {
    var dir: URL!
    var deals: String!

    override func setUpWithError() throws {
        dir = try CLI.temporaryDirectory(self)
        deals = dir.appendingPathComponent("deals.csv").path
        XCTAssertEqual(try CLI.run(["generate", "--rows", "3000", "--seed", "9", "--output", deals]).status, 0)
    }

    func train(_ options: [String], to model: String) throws -> CLIResult {
        try CLI.run(["train", deals, "--target", "Stage", "--positive", "Closed Won", "--exclude", "Company Name", "--output", model] + options)
    }

    /// `--splines auto` with one column's knots given: the card's encoders
    /// carry the splines (4 knots for that column), the columns kept linear
    /// are named, and `inspect` prints each curve and writes the charts.
    func testSplinesEndToEnd() throws {
        let model = dir.appendingPathComponent("splines.json").path
        let r = try train(["--splines", "auto", "--spline", "Email Clicks:4"], to: model)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue((r.stdout + r.stderr).contains("kept linear (fewer knots may fit: --spline COLUMN:3)"), r.stdout + r.stderr)
        let card = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as! [String: Any]
        XCTAssertEqual(card["formatVersion"] as? Int, 7)
        let columns = ((card["schema"] as! [String: Any])["encoders"] as! [String: Any])["columns"] as! [[String: Any]]
        let clicks = try XCTUnwrap(columns.first { $0["column"] as? String == "Email Clicks" })
        XCTAssertEqual(((clicks["spline"] as? [String: Any])?["knots"] as? [Any])?.count, 4)
        let html = dir.appendingPathComponent("splines.html").path
        let inspect = try CLI.run(["inspect", model, "--html", html])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        XCTAssertTrue(inspect.stdout.contains("Spline \"Email Clicks\": natural cubic, 4 knots"), inspect.stdout)
        XCTAssertTrue(inspect.stdout.contains("Spline \"Created Date (days ago)\": natural cubic, 5 knots"), inspect.stdout)
        XCTAssertTrue(try String(contentsOfFile: html, encoding: .utf8).contains("<h3>Email Clicks</h3>"))
    }

    /// A column that is not numeric, knots out of 3…7, and an unknown
    /// --splines value are refused, naming what to fix.
    func testRefusals() throws {
        let model = dir.appendingPathComponent("bad.json").path
        let category = try train(["--spline", "Industry"], to: model)
        XCTAssertNotEqual(category.status, 0)
        XCTAssertTrue(category.stderr.contains("Industry") && category.stderr.contains("--spline names a column read as categorical"), category.stderr)
        let knots = try train(["--spline", "Email Clicks:9"], to: model)
        XCTAssertNotEqual(knots.status, 0)
        XCTAssertTrue(knots.stderr.contains("Email Clicks") && knots.stderr.contains("from 3 to 7"), knots.stderr)
        XCTAssertNotEqual(try train(["--splines", "all"], to: model).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model))
    }

    /// `--monotone`: a monotone spline is written as format 10 with its
    /// direction, `inspect` names its shape and the band's caveat, and
    /// the refusals name the column or the word.
    func testMonotone() throws {
        let model = dir.appendingPathComponent("monotone.json").path
        let r = try train(["--spline", "Email Clicks", "--monotone", "Email Clicks:increasing", "--monotone", "Website Sessions:increasing"], to: model)
        XCTAssertEqual(r.status, 0, r.stderr)
        let card = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as! [String: Any]
        XCTAssertEqual(card["formatVersion"] as? Int, 10)
        let columns = ((card["schema"] as! [String: Any])["encoders"] as! [String: Any])["columns"] as! [[String: Any]]
        let clicks = try XCTUnwrap(columns.first { $0["column"] as? String == "Email Clicks" })
        XCTAssertEqual((clicks["spline"] as? [String: Any])?["monotone"] as? String, "increasing")
        let sessions = try XCTUnwrap(columns.first { $0["column"] as? String == "Website Sessions" })
        XCTAssertEqual(sessions["monotone"] as? String, "increasing")
        let inspect = try CLI.run(["inspect", model])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        XCTAssertTrue(inspect.stdout.contains("Spline \"Email Clicks\": monotone (increasing) piecewise linear, 5 knots"), inspect.stdout)
        XCTAssertTrue(inspect.stdout.contains("flat ones fixed, too narrow"), inspect.stdout)
        for (option, words) in [
            ("Email Clicks:up", ["\"up\"", "Email Clicks", "increasing"]), ("Industry:increasing", ["Industry", "numeric column"]),
            ("Nowhere:decreasing", ["Nowhere", "--monotone"]),
        ] {
            let refused = try train(["--monotone", option], to: dir.appendingPathComponent("refused.json").path)
            XCTAssertNotEqual(refused.status, 0, option)
            for w in words { XCTAssertTrue(refused.stderr.contains(w), "\(option): \(refused.stderr)") }
        }
    }
}
