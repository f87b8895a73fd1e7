import XCTest

/// Validation plans (holdout, out-of-time, k-fold), the leakage guard, and
/// the input slips a CRM export really has.
final class ValidationAndGuardTests: XCTestCase {
    var dir: URL!
    var deals: String!

    override func setUpWithError() throws {
        dir = try CLI.temporaryDirectory(self)
        deals = dir.appendingPathComponent("deals.csv").path
        XCTAssertEqual(try CLI.run(["generate", "--rows", "3000", "--seed", "9", "--output", deals]).status, 0)
    }

    func card(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }

    /// Closed deals created on or after the cutoff, counted from the CSV.
    func closedDeals(since cutoff: String) throws -> Int {
        let text = try String(contentsOfFile: deals, encoding: .utf8)
        // Created Date is the first ISO date on the line; Stage is the last field.
        return text.split(separator: "\n").dropFirst().filter { line in
            guard let r = line.range(of: #"\d{4}-\d{2}-\d{2}"#, options: .regularExpression) else { return false }
            return String(line[r]) >= cutoff && (line.hasSuffix("Closed Won") || line.hasSuffix("Closed Lost"))
        }.count
    }

    func testOutOfTimeSplitTestsOnNewerLeads() throws {
        let model = dir.appendingPathComponent("oot.json").path
        let r = try CLI.run([
            "train", deals, "--target", "Stage", "--positive", "Closed Won", "--exclude", "Company Name",
            "--time-column", "Created Date", "--test-from", "2026-01-01", "--output", model,
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let training = try card(model)["training"] as! [String: Any]
        XCTAssertEqual(training["holdoutRows"] as? Int, try closedDeals(since: "2026-01-01"))
        XCTAssertTrue(((training["options"] as! [String: Any])["validation"] as! String).hasPrefix("out-of-time"))
    }

    func testCrossValidationReportsEveryFold() throws {
        let model = dir.appendingPathComponent("cv.json").path
        let r = try CLI.run(["train", deals, "--target", "Stage", "--positive", "Closed Won", "--exclude", "Company Name", "--folds", "5", "--output", model])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("Cross-validation, 5 folds"), r.stderr)
        let c = try card(model)
        let cv = (c["metrics"] as! [String: Any])["crossValidation"] as! [String: Any]
        let folds = cv["folds"] as! [[String: Any]]
        XCTAssertEqual(folds.count, 5)
        let rows = folds.map { $0["rows"] as! Int }
        XCTAssertEqual(rows.reduce(0, +), (c["training"] as! [String: Any])["rows"] as? Int, "folds partition the rows; the model uses them all")
        XCTAssertLessThanOrEqual(rows.max()! - rows.min()!, 2, "stratified folds have (almost) equal sizes")
        let mean = folds.map { ($0["auc"] as! NSNumber).doubleValue }.reduce(0, +) / 5
        XCTAssertEqual((cv["meanAUC"] as! NSNumber).doubleValue, mean, accuracy: 1e-12)
    }

    /// A column equal to the outcome stops training until confirmed.
    func testLeakageGuardStopsUnlessConfirmed() throws {
        var csv = "Visits,Closed Reason,Converted\n"
        for i in 0..<200 { csv += "\(i % 7),\(i % 3 == 0 ? "Signed" : "No budget"),\(i % 3 == 0 ? 1 : 0)\n" }
        let train = try dir.write(csv, to: "leak.csv")
        let out = dir.appendingPathComponent("leak.json").path
        let stopped = try CLI.run(["train", train, "--output", out])
        XCTAssertEqual(stopped.status, 1)
        for text in ["\"Closed Reason\"", "AUC 1.000", "--exclude \"Closed Reason\"", "--allow-leakage \"Closed Reason\""] {
            XCTAssertTrue(stopped.stderr.contains(text), "\(text): \(stopped.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(try CLI.run(["train", train, "--output", out, "--allow-leakage", "Closed Reason", "-q"]).status, 0)
        XCTAssertEqual(try CLI.run(["train", train, "--output", out, "--exclude", "Closed Reason", "-q"]).status, 0)
    }

    func testStrayTextInANumericColumnIsNamed() throws {
        var csv = "Visits,Converted\n"
        for i in 0..<100 { csv += "\(i == 57 ? "n/a yet" : String(i % 9)),\(i % 2)\n" }
        let train = try dir.write(csv, to: "stray.csv")
        let r = try CLI.run(["train", train, "--output", dir.appendingPathComponent("m.json").path])
        XCTAssertEqual(r.status, 1)
        for text in ["stray.csv", "line 59", "\"Visits\"", "\"n/a yet\"", "--missing"] { XCTAssertTrue(r.stderr.contains(text), "\(text): \(r.stderr)") }
    }

    func testCheckboxExportedAsYesOrBlankIsAFlag() throws {
        var csv = "Demo,Visits,Converted\n"
        for i in 0..<120 { csv += "\(i % 4 == 0 ? "Yes" : ""),\(i % 5),\(i % 4 == 0 || i % 7 == 0 ? 1 : 0)\n" }
        let train = try dir.write(csv, to: "flag.csv")
        let model = dir.appendingPathComponent("flag.json").path
        let r = try CLI.run(["train", train, "--output", model])
        XCTAssertEqual(r.status, 0, r.stderr)
        let names = (try card(model)["features"] as! [[String: Any]]).map { $0["name"] as! String }
        XCTAssertTrue(names.contains("Demo") && names.contains("Demo (missing)"), "\(names)")
    }

    func testOutcomeWithUnclearLostValuesAsksForNegative() throws {
        var csv = "Visits,Stage\n"
        for i in 0..<60 { csv += "\(i % 5),\(["closedwon", "closed-dead", "appointmentscheduled", "contractsent"][i % 4])\n" }
        let train = try dir.write(csv, to: "stages.csv")
        let r = try CLI.run(["train", train, "--positive", "closedwon", "--output", dir.appendingPathComponent("m.json").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("--negative") && r.stderr.contains("\"contractsent\""), r.stderr)
        let ok = try CLI.run(["train", train, "--positive", "closedwon", "--negative", "closed-dead", "--output", dir.appendingPathComponent("m.json").path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stderr.contains("30 rows have no outcome"), ok.stderr)
    }

    func testOutputOverAnInputIsRefused() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: deals))
        let r = try CLI.run(["train", deals, "--target", "Stage", "--output", deals])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("would replace the input"), r.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: deals)), before, "the input is untouched")
    }

    func testHoldoutWithOneClassNamesTheOption() throws {
        var csv = "Visits,Converted\n"
        // 5 won (the fewest training takes) and 15 lost: a holdout of one row has one class.
        for i in 0..<20 { csv += "\(i % 6),\(i < 5 ? 1 : 0)\n" }
        let train = try dir.write(csv, to: "rare.csv")
        let r = try CLI.run(["train", train, "--holdout", "0.05", "--output", dir.appendingPathComponent("m.json").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("--holdout"), r.stderr)
    }

    func testHugeValuesAreRefusedNotCrashed() throws {
        let model = dir.appendingPathComponent("m.json").path
        XCTAssertEqual(try CLI.run(["train", deals, "--target", "Stage", "--exclude", "Company Name", "--output", model, "-q"]).status, 0)
        var text = try String(contentsOfFile: deals, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Email Clicks is the 11th column of the generated export.
        var fields = lines[5].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if fields.count == 19 {
            fields[10] = "1e309"  // beyond Double: not a finite number
            var all = lines.map(String.init)
            all[5] = fields.joined(separator: ",")
            text = all.joined(separator: "\n")
            let bad = try dir.write(text, to: "huge.csv")
            let r = try CLI.run(["score", "--model", model, bad, "--output", dir.appendingPathComponent("s.csv").path])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("line 6") && r.stderr.contains("1e309"), r.stderr)
        }
        XCTAssertEqual(try CLI.run(["inspect", model, "--top", "0"]).status, 2)
    }
}
