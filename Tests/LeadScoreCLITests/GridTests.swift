import XCTest

/// Fit and engagement from the command line: `train --fit --engagement`,
/// the sub-scores and grid of `score`, the grid tables of `evaluate`
/// (terminal, JSON, HTML), `inspect`, the points export, and the grid of a
/// rules file.
final class GridTests: XCTestCase {
    static let fit = ["Country", "Industry", "Company Size", "Job Level", "Email Domain Type", "Lead Source", "Is Student", "Competitor"]
    static let engagement = ["Pricing Page Visits", "Email Clicks", "Webinars Attended", "Website Sessions", "Days Since Last Activity", "Demo Requested", "Unsubscribed"]

    /// Generated deals and new leads, and a model trained on them with its
    /// columns assigned by flags and the bundled configuration's ids and
    /// exclusions (Deal ID the only id).
    func trained(_ dir: URL) throws -> (model: String, deals: String, leads: String) {
        let deals = dir.appendingPathComponent("deals.csv").path, leads = dir.appendingPathComponent("new.csv").path
        XCTAssertEqual(try CLI.run(["generate", "--rows", "4000", "--seed", "7", "-o", deals]).status, 0)
        XCTAssertEqual(try CLI.run(["generate", "--rows", "3000", "--seed", "8", "-o", leads]).status, 0)
        let model = dir.appendingPathComponent("model.json").path
        let r = try CLI.run(
            ["train", deals, "--target", "Stage", "--positive", "Closed Won", "--negative", "Closed Lost", "--id", "Deal ID", "--exclude", "Account ID",
             "--exclude", "Company Name", "--exclude", "Created Date", "--training-date", "2026-12-01", "-o", model]
                + Self.fit.flatMap { ["--fit", $0] } + Self.engagement.flatMap { ["--engagement", $0] })
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("Sub-scores: fit_score = 100·σ(b + F + Ē)"), r.stderr)
        return (model, deals, leads)
    }

    func testTrainScoreEvaluateInspectAndExport() throws {
        let dir = try CLI.temporaryDirectory(self)
        let (model, deals, leads) = try trained(dir)
        let card = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as! [String: Any]
        XCTAssertEqual(card["formatVersion"] as? Int, 3)
        XCTAssertNotNil(card["subScores"])

        let scored = try CLI.run(["score", "--model", model, leads, "-o", "-", "--reasons", "0"])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        let lines = scored.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "Deal ID,probability,score,tier,fit_score,engagement_score,grid")
        XCTAssertEqual(lines.count, 3001)

        let json = dir.appendingPathComponent("r.json").path, html = dir.appendingPathComponent("r.html").path
        let evaluated = try CLI.run(["evaluate", "--model", model, leads, "--json", json, "--html", html])
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        XCTAssertTrue(evaluated.stdout.contains("Fit × engagement grid (A best fit, 1 most engaged; fit_score and engagement_score (0–100) cut at fit ≥ "), evaluated.stdout)
        let tableHeader = try XCTUnwrap(evaluated.stdout.split(separator: "\n").first { $0.hasPrefix("fit \\ engagement") })
        XCTAssertTrue(tableHeader.hasSuffix("4"), String(tableHeader))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        let scorer = (report["scorers"] as! [[String: Any]])[0]
        let grid = try XCTUnwrap(scorer["grid"] as? [String: Any])
        let cells = try XCTUnwrap(grid["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.map { $0["cell"] as! String }.joined(separator: " "), "A1 A2 A3 A4 B1 B2 B3 B4 C1 C2 C3 C4 D1 D2 D3 D4")
        XCTAssertEqual(cells.map { $0["count"] as! Int }.reduce(0, +), report["rows"] as? Int)
        XCTAssertEqual(cells.map { $0["conversions"] as! Int }.reduce(0, +), report["positives"] as? Int)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.contains("<section id=\"grid\">") && page.contains("<table class=\"heatmap\">"))

        let inspected = try CLI.run(["inspect", model, "--top", "3"])
        XCTAssertTrue(inspected.stdout.contains("Fit columns: \"Country\""), inspected.stdout)
        XCTAssertTrue(inspected.stdout.contains("Engagement columns: \"Pricing Page Visits\""), inspected.stdout)

        // The points export: each rule in its column's group, and the grid's
        // cut-offs in points.
        let points = dir.appendingPathComponent("points.yaml").path
        let exported = try CLI.run(["export", "--points", "--model", model, "--data", deals, "--output", points])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let yaml = try String(contentsOfFile: points, encoding: .utf8)
        XCTAssertTrue(yaml.contains("grid:\n  fit:\n"), yaml)
        let rules = yaml.components(separatedBy: "\n- name: ").dropFirst()
        let domain = try XCTUnwrap(rules.first { $0.hasPrefix("Email Domain Type = ") })
        XCTAssertTrue(domain.contains("category: fit"), domain)
        let unsubscribed = try XCTUnwrap(rules.first { $0.hasPrefix("Unsubscribed\n") })
        XCTAssertTrue(unsubscribed.contains("category: engagement"), unsubscribed)
        let both = try CLI.run(["evaluate", "--model", model, "--rules", points, leads, "--bootstrap", "0"])
        XCTAssertEqual(both.status, 0, both.stderr)
        XCTAssertEqual(both.stdout.components(separatedBy: "Fit × engagement grid").count - 1, 2, "the model's grid and the points'")
        XCTAssertTrue(both.stdout.contains("fit_points and engagement_points cut at fit ≥ "), both.stdout)
    }

    /// `score --rules` with a rules file that has a grid writes the cell of
    /// each lead's fit and engagement points, after `disqualified_by`.
    func testScoreWithRulesWritesTheGridCell() throws {
        let dir = try CLI.temporaryDirectory(self)
        let rules = try dir.write(
            """
            formatVersion: 1
            rules:
              - {name: Demo requested, category: engagement, when: {column: Demo, equals: true}, points: 20}
              - {name: Executive, category: fit, when: {column: Title, oneOf: [VP, CTO]}, points: 15}
            tiers:
              - {name: Hot, atLeast: 30}
              - {name: Cold}
            grid: {fit: [15, 10, 0], engagement: [20, 10, 5]}
            """, to: "r.yaml")
        let leads = try dir.write("Lead,Demo,Title\nL1,Yes,VP\nL2,No,Student\nL3,yes,Analyst\n", to: "leads.csv")
        let r = try CLI.run(["score", "--rules", rules, leads, "--id", "Lead", "-o", "-"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(
            r.stdout.split(separator: "\n").map(String.init),
            [
                "Lead,points,fit_points,engagement_points,tier,disqualified_by,grid,reasons", "L1,35,15,20,Hot,,A1,Demo requested: +20 points; Executive: +15 points",
                "L2,0,0,0,Cold,,C4,", "L3,20,0,20,Cold,,C1,Demo requested: +20 points",
            ])
    }

    /// Refused with the key named: a column in both groups, a feature
    /// column in neither (all listed), a column the file does not have.
    func testGroupsThatDoNotAddUpAreRefused() throws {
        let dir = try CLI.temporaryDirectory(self)
        let deals = dir.appendingPathComponent("deals.csv").path
        XCTAssertEqual(try CLI.run(["generate", "--rows", "500", "--seed", "9", "-o", deals]).status, 0)
        let base = ["train", deals, "--target", "Stage", "--positive", "Closed Won", "--id", "Deal ID", "--exclude", "Company Name", "--exclude", "Created Date", "-o", dir.appendingPathComponent("m.json").path]
        let both = try CLI.run(base + ["--fit", "Industry", "--engagement", "Industry"])
        XCTAssertEqual(both.status, 1)
        XCTAssertTrue(both.stderr.contains("\"Industry\" is in both --fit and --engagement"), both.stderr)
        let partial = try CLI.run(base + Self.fit.flatMap { ["--fit", $0] } + ["--engagement", "Email Clicks"])
        XCTAssertEqual(partial.status, 1)
        XCTAssertTrue(partial.stderr.contains("6 feature columns are in neither --fit nor --engagement: \"Pricing Page Visits\", \"Webinars Attended\""), partial.stderr)
        XCTAssertTrue(partial.stderr.contains("--exclude"), partial.stderr)
        let unknown = try CLI.run(base + ["--fit", "Industy"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("--fit names the column \"Industy\""), unknown.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.json").path))
    }
}
