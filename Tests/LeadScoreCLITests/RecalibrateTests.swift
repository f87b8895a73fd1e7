import XCTest

/// `leadscore recalibrate` end to end on the bundled data: one road for a
/// recalibrated card's probabilities (score, evaluate --predictions, the
/// account file, thresholds and the points export all apply the map), and
/// its refusals.
final class RecalibrateTests: XCTestCase {
    private var model: String { CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path }
    private var newLeads: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-new-leads.csv").path }
    private var deals: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.csv").path }

    func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// The probabilities of `model` on `leads`, by Deal ID.
    func scores(_ model: String, _ leads: String, in dir: URL, name: String, extra: [String] = []) throws -> [String: Double] {
        let out = dir.appendingPathComponent(name).path
        let r = try CLI.run(["score", "--model", model, leads, "--reasons", "0", "-q", "-o", out] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        let t = try ThresholdsTests.table(out)
        let p = try XCTUnwrap(t.header.firstIndex(of: "probability"))
        return Dictionary(uniqueKeysWithValues: t.rows.map { ($0[0], Double($0[p])!) })
    }

    func recalibrate(_ args: [String], in dir: URL, name: String) throws -> (card: String, result: CLIResult) {
        let card = dir.appendingPathComponent(name).path
        let r = try CLI.run(["recalibrate", "--model", model, newLeads, "-o", card, "--date", "2026-12-10"] + args)
        return (card, r)
    }

    /// The default method on 4,861 deals is logistic; the map's
    /// probabilities are those of `score`, of `evaluate --predictions` and
    /// σ(a + b·η) of the card before's log-odds η, lead by lead; the
    /// account file is the noisy-or of the recalibrated leads.
    func testLogisticRecalibrationTakesOneRoad() throws {
        let dir = try CLI.temporaryDirectory(self)
        let (card, r) = try recalibrate(["--json", dir.appendingPathComponent("report.json").path], in: dir, name: "recal.json")
        XCTAssertEqual(r.status, 0, r.stderr)
        for word in ["Method: logistic (the default", "before", "after (in sample)", "after (5-fold cross-validated)", "calibration-in-the-large"] {
            XCTAssertTrue(r.stdout.contains(word), word + "\n" + r.stdout)
        }
        let written = try json(card)
        XCTAssertEqual(written["formatVersion"] as? Int, 4)
        let calibration = try XCTUnwrap(written["calibration"] as? [String: Any])
        XCTAssertEqual(calibration["method"] as? String, "logistic")
        let a = try XCTUnwrap(calibration["intercept"] as? Double), b = try XCTUnwrap(calibration["slope"] as? Double)
        let data = try XCTUnwrap(calibration["data"] as? [String: Any])
        XCTAssertEqual(data["rows"] as? Int, 4861)
        XCTAssertEqual(data["file"] as? String, "b2b-new-leads.csv")
        XCTAssertEqual((data["sha256"] as? String)?.count, 64)
        let report = try json(dir.appendingPathComponent("report.json").path)
        XCTAssertEqual(report["format"] as? String, "leadscore-recalibration")

        let before = try scores(model, newLeads, in: dir, name: "before.csv")
        let accounts = dir.appendingPathComponent("accounts.csv").path
        let after = try scores(card, newLeads, in: dir, name: "after.csv", extra: ["--account", "Account ID", "--accounts-output", accounts])
        XCTAssertEqual(after.count, 5000)
        for (id, p) in before {
            let eta = log(p / (1 - p))
            XCTAssertEqual(try XCTUnwrap(after[id]), 1 / (1 + exp(-(a + b * eta))), accuracy: 1e-12, id)
        }
        let predictions = dir.appendingPathComponent("predictions.csv").path
        let e = try CLI.run(["evaluate", "--model", card, newLeads, "--predictions", predictions])
        XCTAssertEqual(e.status, 0, e.stderr)
        let predicted = try ThresholdsTests.table(predictions)
        XCTAssertEqual(predicted.rows.count, 4861)
        // The same text: the same double, bit for bit.
        for row in predicted.rows { XCTAssertEqual(row[2], after[row[0]].map { "\($0)" }, row[0]) }

        // Accounts: 1 − Π(1 − p) over the account's recalibrated leads.
        let leadFile = try ThresholdsTests.table(newLeads), accountFile = try ThresholdsTests.table(accounts)
        let account = try XCTUnwrap(leadFile.header.firstIndex(of: "Account ID"))
        var byAccount: [String: [Double]] = [:]
        for row in leadFile.rows { byAccount[row[account], default: []].append(after[row[0]]!) }
        for row in accountFile.rows.prefix(500) {
            let leads = try XCTUnwrap(byAccount[row[0]])
            XCTAssertEqual(Double(row[2])!, 1 - leads.reduce(1.0) { $0 * (1 - $1) }, accuracy: 1e-12, row[0])
        }

        // thresholds cuts the recalibrated probabilities: the cut for the
        // top 20% is one of them, and 20% of the leads reach it.
        let tiers = dir.appendingPathComponent("tiers.json").path
        let t = try CLI.run(["thresholds", "--model", card, newLeads, "--tier", "Top: share=20%", "--tier", "Rest", "-o", tiers])
        XCTAssertEqual(t.status, 0, t.stderr)
        let cut = try XCTUnwrap(((try json(tiers)["tiers"] as? [[String: Any]])?.first?["atLeast"]) as? Double)
        // (Foundation's JSON reader may round the last bit differently.)
        XCTAssertTrue(after.values.contains { abs($0 - cut) <= 1e-15 }, "\(cut)")
        XCTAssertFalse(before.values.contains { abs($0 - cut) <= 1e-12 }, "\(cut)")

        // inspect and diff show it.
        let i = try CLI.run(["inspect", card])
        XCTAssertTrue(i.stdout.contains("Recalibrated on 2026-12-10 (logistic)"), i.stdout)
        let d = try CLI.run(["diff", model, card])
        XCTAssertEqual(d.status, 1)
        XCTAssertTrue(d.stdout.contains("Recalibration:\n  recalibration: (none) → logistic"), d.stdout)
    }

    /// Isotonic: score gives the card's steps interpolated at η (numpy.interp
    /// written out here); the points export keeps η's points and moves the
    /// tier thresholds, and says so.
    func testIsotonicRecalibrationScoresByItsSteps() throws {
        let dir = try CLI.temporaryDirectory(self)
        let (card, r) = try recalibrate(["--method", "isotonic"], in: dir, name: "iso.json")
        XCTAssertEqual(r.status, 0, r.stderr)
        let steps = try XCTUnwrap((try json(card)["calibration"] as? [String: Any])?["isotonic"] as? [String: Any])
        let xs = try XCTUnwrap(steps["scores"] as? [Double]), ys = try XCTUnwrap(steps["probabilities"] as? [Double])
        func interpolate(_ t: Double) -> Double {
            if t <= xs[0] { return ys[0] }
            if t >= xs[xs.count - 1] { return ys[ys.count - 1] }
            let j = xs.lastIndex { $0 <= t }!
            return xs[j] == t ? ys[j] : ys[j] + (ys[j + 1] - ys[j]) * (t - xs[j]) / (xs[j + 1] - xs[j])
        }
        let before = try scores(model, newLeads, in: dir, name: "before.csv")
        let after = try scores(card, newLeads, in: dir, name: "after.csv")
        for (id, p) in before.prefix(1000) {
            // η from σ(η) loses a few ulps: within 1e-9 of the step.
            XCTAssertEqual(try XCTUnwrap(after[id]), interpolate(log(p / (1 - p))), accuracy: 1e-9, id)
        }
        let points = dir.appendingPathComponent("points.yaml").path
        let x = try CLI.run(["export", "--points", "--model", card, "--data", deals, "--output", points])
        XCTAssertEqual(x.status, 0, x.stderr)
        XCTAssertTrue(x.stderr.contains("recalibrated by isotonic steps"), x.stderr)
        let plain = dir.appendingPathComponent("plain.yaml").path
        XCTAssertEqual(try CLI.run(["export", "--points", "--model", model, "--data", deals, "--output", plain]).status, 0)
        let pointsText = try String(contentsOfFile: points, encoding: .utf8), plainText = try String(contentsOfFile: plain, encoding: .utf8)
        func rules(_ s: String) -> [Substring] { s.split(separator: "\n").filter { $0.contains("points:") } }
        XCTAssertEqual(rules(pointsText), rules(plainText), "the rules' points are η's")
        func thresholds(_ s: String) -> [Substring] { s.split(separator: "\n").filter { $0.contains("atLeast") } }
        XCTAssertNotEqual(thresholds(pointsText), thresholds(plainText))
    }

    /// The refusals: an edited card, an unknown method (usage), deals of one
    /// class, too few deals; each names the file (and the column) and leaves
    /// no output.
    func testRefusals() throws {
        let dir = try CLI.temporaryDirectory(self)
        let out = dir.appendingPathComponent("out.json").path
        let text = try String(contentsOfFile: model, encoding: .utf8)
        let edited = try dir.write(text.replacingOccurrences(of: "\"coefficient\" : -1.89", with: "\"coefficient\" : -1.79"), to: "edited.json")
        XCTAssertNotEqual(try String(contentsOfFile: edited, encoding: .utf8), text)
        var r = try CLI.run(["recalibrate", "--model", edited, "--allow-edited-model", newLeads, "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("edited.json") && r.stderr.contains("checksum holds"), r.stderr)

        r = try CLI.run(["recalibrate", "--model", model, newLeads, "-o", out, "--method", "platt"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("intercept") && r.stderr.contains("isotonic"), r.stderr)

        let lines = try String(contentsOfFile: newLeads, encoding: .utf8).split(separator: "\n")
        let won = lines.dropFirst().filter { $0.hasSuffix(",Closed Won") }, lost = lines.dropFirst().filter { $0.hasSuffix(",Closed Lost") }
        let onlyWon = try dir.write(([lines[0]] + won).joined(separator: "\n") + "\n", to: "won.csv")
        r = try CLI.run(["recalibrate", "--model", model, onlyWon, "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("won.csv") && r.stderr.contains("\"Stage\"") && r.stderr.contains("both won and lost"), r.stderr)

        let few = try dir.write(([lines[0]] + won.prefix(3) + lost.prefix(300)).joined(separator: "\n") + "\n", to: "few.csv")
        r = try CLI.run(["recalibrate", "--model", model, few, "-o", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("few.csv") && r.stderr.contains("3 won and 300 lost") && r.stderr.contains("intercept"), r.stderr)
        let isotonic = try dir.write(([lines[0]] + won.prefix(30) + lost.prefix(300)).joined(separator: "\n") + "\n", to: "iso.csv")
        r = try CLI.run(["recalibrate", "--model", model, isotonic, "-o", out, "--method", "isotonic"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("at least 50 of each"), r.stderr)
        // 30 won: the default is the intercept method, which fits.
        r = try CLI.run(["recalibrate", "--model", model, isotonic, "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Method: intercept (the default for fewer than 100"), r.stdout)
        try FileManager.default.removeItem(atPath: out)

        r = try CLI.run(["recalibrate", "--model", model, "-", "-o", out])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["edited.json", "few.csv", "iso.csv", "won.csv"])
    }

    /// Training with balanced class weights: the intercept is prior-corrected
    /// by default and the output says so; --no-prior-correction keeps it.
    func testBalancedTrainingIsPriorCorrected() throws {
        let dir = try CLI.temporaryDirectory(self)
        let config = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.config.json").path
        let corrected = dir.appendingPathComponent("c.json").path, raw = dir.appendingPathComponent("r.json").path
        var r = try CLI.run(["train", deals, "--config", config, "--class-weight", "balanced", "--training-date", "2026-11-23", "-o", corrected])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("Prior correction (King & Zeng 2001)") && r.stderr.contains("--no-prior-correction"), r.stderr)
        r = try CLI.run(["train", deals, "--config", config, "--class-weight", "balanced", "--no-prior-correction", "--training-date", "2026-11-23", "-o", raw])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stderr.contains("Prior correction"))
        let c = try json(corrected), u = try json(raw)
        let record = try XCTUnwrap((c["training"] as? [String: Any])?["priorCorrection"] as? [String: Any])
        XCTAssertNil((u["training"] as? [String: Any])?["priorCorrection"])
        XCTAssertEqual(try XCTUnwrap(record["sampleRate"] as? Double), 0.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(record["populationRate"] as? Double), 4091.0 / 19402.0, accuracy: 1e-15)
        XCTAssertEqual(c["formatVersion"] as? Int, 3, "the record needs no newer format")
        // Calibration-in-the-large on the new leads: about −0.19 as fitted,
        // about 0 corrected.
        func citl(_ card: String) throws -> Double {
            let e = try CLI.run(["evaluate", "--model", card, newLeads, "--json", "-"])
            XCTAssertEqual(e.status, 0, e.stderr)
            let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])
            let scorer = try XCTUnwrap((report["scorers"] as? [[String: Any]])?.first)
            return try XCTUnwrap((scorer["calibration"] as? [String: Any])?["calibrationInTheLarge"] as? Double)
        }
        XCTAssertEqual(try citl(raw), -0.19, accuracy: 0.01)
        XCTAssertEqual(try citl(corrected), 0, accuracy: 0.01)
    }
}
