import XCTest

/// The whole path from a CSV export to a model, scores and metrics, run
/// through the command-line tool on generated data and, when present, on
/// the real Leads X Education export.
final class EndToEndTests: XCTestCase {
    /// Reads a CSV written by the tool (no quoted commas in these columns).
    func column(_ csv: String, _ name: String) throws -> [String] {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let i = try XCTUnwrap(lines.first?.firstIndex(of: name), "no column \(name)")
        return lines.dropFirst().map { $0[i] }
    }

    /// Probabilities from `score` are exactly those `evaluate` computes, and
    /// training is deterministic to the byte.
    func testScoreAgreesWithEvaluateAndTrainingIsDeterministic() throws {
        let dir = try CLI.temporaryDirectory(self)
        let data = dir.appendingPathComponent("deals.csv").path
        XCTAssertEqual(try CLI.run(["generate", "--rows", "4000", "--seed", "5", "--output", data]).status, 0)
        let m1 = dir.appendingPathComponent("m1.json").path, m2 = dir.appendingPathComponent("m2.json").path
        for m in [m1, m2] {
            let r = try CLI.run(["train", data, "--target", "Stage", "--positive", "Closed Won", "--holdout", "0.25", "--seed", "3", "--output", m])
            XCTAssertEqual(r.status, 0, r.stderr)
            // Both id-like columns are taken as ids, passed through to the scores.
            for id in ["Deal ID", "Account ID"] { XCTAssertTrue(r.stderr.contains("\"\(id)\" looks like an identifier"), r.stderr) }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: m1)), try Data(contentsOf: URL(fileURLWithPath: m2)), "same input and options must give identical model files")

        let scores = dir.appendingPathComponent("scores.csv").path, preds = dir.appendingPathComponent("preds.csv").path
        let s = try CLI.run(["score", "--model", m1, data, "--output", scores])
        XCTAssertEqual(s.status, 0, s.stderr)
        let e = try CLI.run(["evaluate", "--model", m1, data, "--predictions", preds, "--json", "-"])
        XCTAssertEqual(e.status, 0, e.stderr)
        let scored = try String(contentsOfFile: scores, encoding: .utf8)
        let predicted = try String(contentsOfFile: preds, encoding: .utf8)
        // Evaluation leaves out open deals; match by Deal ID.
        let scoreByID = Dictionary(uniqueKeysWithValues: zip(try column(scored, "Deal ID"), try column(scored, "probability")))
        let ids = try column(predicted, "Deal ID"), probs = try column(predicted, "probability")
        XCTAssertGreaterThan(ids.count, 3500)
        for (id, p) in zip(ids, probs) { XCTAssertEqual(scoreByID[id], p, id) }
        XCTAssertEqual(scoreByID.count, 4000)

        // Every scored row has a 0–100 score equal to round(100 p) and a tier.
        let p = try column(scored, "probability").map { Double($0)! }, sc = try column(scored, "score").map { Int($0)! }
        for (pi, si) in zip(p, sc) { XCTAssertEqual(si, Int((pi * 100).rounded())) }
        XCTAssertTrue(try column(scored, "tier").allSatisfy { ["A", "B", "C", "D"].contains($0) })
        XCTAssertTrue(scored.contains("Demo Requested = Yes: odds ×"), "reasons should name columns and values")

        // Standard output with -: the id columns, in file order, then the scores.
        let toStdout = try CLI.run(["score", "--model", m1, data, "--output", "-", "--reasons", "0", "--quiet"])
        XCTAssertEqual(toStdout.status, 0)
        XCTAssertEqual(toStdout.stdout.split(separator: "\n").first, "Deal ID,Account ID,probability,score,tier")

        // inspect prints coefficients with SE, odds ratios and p-values.
        let i = try CLI.run(["inspect", m1])
        XCTAssertEqual(i.status, 0, i.stderr)
        for word in ["odds ratio", "Demo Requested", "Holdout", "converged"] { XCTAssertTrue(i.stdout.contains(word), word) }
    }

    /// Scoring the bundled sample gives the probabilities evaluate computes.
    func testBundledSampleScoresMatchEvaluate() throws {
        let dir = try CLI.temporaryDirectory(self)
        let root = CLI.repositoryRoot
        let model = root.appendingPathComponent("models/b2b-deals.json").path
        let data = root.appendingPathComponent("datasets/b2b-deals.csv").path
        let scores = dir.appendingPathComponent("s.csv").path, preds = dir.appendingPathComponent("p.csv").path
        XCTAssertEqual(try CLI.run(["score", "--model", model, data, "--output", scores, "--quiet"]).status, 0)
        XCTAssertEqual(try CLI.run(["evaluate", "--model", model, data, "--predictions", preds]).status, 0)
        let scored = try String(contentsOfFile: scores, encoding: .utf8), predicted = try String(contentsOfFile: preds, encoding: .utf8)
        let byID = Dictionary(uniqueKeysWithValues: zip(try column(scored, "Deal ID"), try column(scored, "probability")))
        XCTAssertEqual(byID.count, 20000)
        let ids = try column(predicted, "Deal ID"), probs = try column(predicted, "probability")
        XCTAssertEqual(ids.count, 19402, "the closed deals (4,138 won, 15,264 lost; 598 open)")
        for (id, p) in zip(ids, probs) { XCTAssertEqual(byID[id], p, id) }
    }

    /// Issue acceptance: on Leads.csv without the sales-filled columns, a
    /// stratified 70/30 holdout gives an AUC within 0.01 of scikit-learn's
    /// on the same split and encoding (Fixtures/leads_reference.json).
    func testLeadsHoldoutAUCMatchesScikitLearn() throws {
        guard let leads = CLI.leadsCSV else { throw XCTSkip("../shared/datasets/leads-x-education/Leads.csv not present") }
        let dir = try CLI.temporaryDirectory(self)
        let model = dir.appendingPathComponent("leads.json").path
        let r = try CLI.run([
            "train", leads, "--target", "Converted", "--id", "Prospect ID", "--id", "Lead Number", "--exclude", "Tags",
            "--exclude", "Lead Quality", "--exclude", "Lead Profile", "--missing", "Select", "--holdout", "0.3", "--seed", "42",
            "--output", model,
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let card = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as! [String: Any]
        let holdout = ((card["metrics"] as! [String: Any])["holdout"] as! [String: Any])
        let auc = (holdout["auc"] as! NSNumber).doubleValue
        let refURL = CLI.repositoryRoot.appendingPathComponent("Tests/LeadScoreTests/Fixtures/leads_reference.json")
        let ref = try JSONSerialization.jsonObject(with: Data(contentsOf: refURL)) as! [String: Any]
        let refAUC = (ref["holdout_auc"] as! NSNumber).doubleValue
        // The issue asks for 0.01; with the same encoding and split the fits agree far closer.
        XCTAssertEqual(auc, refAUC, accuracy: 1e-4)
        XCTAssertEqual(holdout["rows"] as? Int, ref["holdout_rows"] as? Int)
        let names = (card["features"] as! [[String: Any]]).map { $0["name"] as! String }
        XCTAssertEqual(Set(names), Set(ref["feature_names"] as! [String]), "same encoding as the reference")
        XCTAssertFalse(r.stderr.contains("Possible leakage"), r.stderr)

        // Scoring all 9,240 rows gives the probabilities evaluate computes.
        let scores = dir.appendingPathComponent("scores.csv").path, preds = dir.appendingPathComponent("preds.csv").path
        XCTAssertEqual(try CLI.run(["score", "--model", model, leads, "--output", scores, "--quiet"]).status, 0)
        XCTAssertEqual(try CLI.run(["evaluate", "--model", model, leads, "--predictions", preds]).status, 0)
        let a = try column(String(contentsOfFile: scores, encoding: .utf8), "probability")
        let b = try column(String(contentsOfFile: preds, encoding: .utf8), "probability")
        XCTAssertEqual(a.count, 9240)
        XCTAssertEqual(a, b)
    }

    /// The model card's holdout metrics are `evaluate`'s on the held-out
    /// leads, AUC and deciles alike. Leads.csv's holdout has 25 tied
    /// probabilities across the boundary of deciles 5 and 6: their
    /// conversions are shared pro rata in both, so decile 5 converts at
    /// 0.3893 whatever the order of the rows.
    func testCardHoldoutMetricsAreEvaluatesOnLeads() throws {
        guard let leads = CLI.leadsCSV else { throw XCTSkip("../shared/datasets/leads-x-education/Leads.csv not present") }
        let dir = try CLI.temporaryDirectory(self)
        let model = dir.appendingPathComponent("leads.json").path, holdout = dir.appendingPathComponent("holdout.csv").path
        let report = dir.appendingPathComponent("report.json").path
        let r = try CLI.run([
            "train", leads, "--target", "Converted", "--id", "Prospect ID", "--id", "Lead Number", "--exclude", "Tags",
            "--exclude", "Lead Quality", "--exclude", "Lead Profile", "--missing", "Select", "--holdout", "0.3", "--seed", "42",
            "--output", model, "--holdout-output", holdout,
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let e = try CLI.run(["evaluate", "--model", model, holdout, "--json", report])
        XCTAssertEqual(e.status, 0, e.stderr)
        let card = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as! [String: Any]
        let cardHoldout = (card["metrics"] as! [String: Any])["holdout"] as! [String: Any]
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as! [String: Any]
        let scorer = (json["scorers"] as! [[String: Any]])[0]
        let cardDeciles = cardHoldout["deciles"] as! [[String: Any]], reportDeciles = scorer["deciles"] as! [[String: Any]]
        XCTAssertEqual(cardDeciles.count, 10)
        func number(_ any: Any?) -> Double { (any as! NSNumber).doubleValue }
        XCTAssertEqual(number(cardHoldout["auc"]), number((scorer["ranking"] as! [String: Any])["auc"]))
        for (a, b) in zip(cardDeciles, reportDeciles) {
            for key in ["count", "positives", "minPredicted", "maxPredicted", "meanPredicted", "observedRate", "lift", "cumulativeGain", "cumulativeLift"] {
                XCTAssertEqual(number(a[key]), number(b[key]), "decile \(a["decile"]!) \(key)")
            }
        }
        // 108 conversions in expectation among decile 5's 277 leads.
        XCTAssertEqual(number(cardDeciles[4]["observedRate"]), 0.38931407942238266, accuracy: 1e-15)
        XCTAssertEqual(number(cardDeciles[4]["positives"]), 108)
    }

    /// With the sales-filled columns left in, the tool warns that they
    /// nearly separate the outcome.
    func testLeadsWithSalesColumnsWarnsOfLeakage() throws {
        guard let leads = CLI.leadsCSV else { throw XCTSkip("../shared/datasets/leads-x-education/Leads.csv not present") }
        let dir = try CLI.temporaryDirectory(self)
        let r = try CLI.run([
            "train", leads, "--target", "Converted", "--missing", "Select", "--holdout", "0.3", "--output", dir.appendingPathComponent("leaky.json").path,
            // Tags (AUC 0.92 alone) stops training unless confirmed; confirmed, it is still warned about.
            "--allow-leakage", "Tags",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("Possible leakage"), r.stderr)
        for column in ["Tags", "Lead Quality", "Lead Profile"] { XCTAssertTrue(r.stderr.contains("\"\(column)\" (filled for"), column) }
        XCTAssertTrue(r.stderr.contains("Tags = Closed by Horizzon"), "near-pure levels are named")
    }
}

/// Training uses every core (the file is read in parts, the design encoded
/// in blocks, each block of the fit split in two halves): the model must be
/// the same, byte for byte, on one core, and when the design is streamed
/// from a disk cache.
final class ThreadIndependenceTests: XCTestCase {
    func testModelIsTheSameOnOneCoreAndFromTheDiskCache() throws {
        let taskset = "/usr/bin/taskset"
        guard FileManager.default.isExecutableFile(atPath: taskset) else { throw XCTSkip("taskset is not installed") }
        let dir = try CLI.temporaryDirectory(self)
        let data = dir.appendingPathComponent("deals.csv").path
        // 60,000 rows (about 8 MB): read in two parts on two cores.
        XCTAssertEqual(try CLI.run(["generate", "--rows", "60000", "--seed", "5", "-o", data]).status, 0)
        let config = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.config.json").path
        func train(_ output: String, _ extra: [String] = [], oneCore: Bool = false) throws {
            let arguments = ["train", data, "--config", config, "--holdout", "0.3", "--training-date", "2026-11-23", "-q", "-o", output] + extra
            let process = Process()
            process.executableURL = URL(fileURLWithPath: oneCore ? taskset : CLI.executable.path)
            process.arguments = oneCore ? ["-c", "0", CLI.executable.path] + arguments : arguments
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, arguments.joined(separator: " "))
        }
        let both = dir.appendingPathComponent("both.json").path
        let one = dir.appendingPathComponent("one.json").path
        let streamed = dir.appendingPathComponent("streamed.json").path
        try train(both)
        try train(one, oneCore: true)
        try train(streamed, ["--memory-budget", "256K", "--cache-dir", dir.path])
        let reference = try Data(contentsOf: URL(fileURLWithPath: both))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: one)), reference, "one core")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: streamed)), reference, "streamed from the disk cache")
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.hasPrefix("leadscore-design-") })
    }
}
