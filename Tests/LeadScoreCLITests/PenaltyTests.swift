import Foundation
import XCTest

/// `train --penalty`, `--l1-ratio` and `--cv` from the command line: the
/// refusals, the card, cross-validation on the training rows alone, and
/// zeroed features in reasons and points.
final class PenaltyTests: XCTestCase {
    static var deals: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.csv").path }
    static var config: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.config.json").path }

    enum Fixtures {
        static func double(_ any: Any?) throws -> Double { try XCTUnwrap((any as? NSNumber)?.doubleValue) }
    }

    static func card(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// Each mistake is refused before reading the data, naming the option
    /// and the value.
    func testRefusals() throws {
        let dir = try CLI.temporaryDirectory(self)
        let base = ["train", Self.deals, "--config", Self.config, "-o", dir.appendingPathComponent("m.json").path]
        let cases: [([String], [String])] = [
            (["--penalty", "elasticnet", "--l1-ratio", "1.5"], ["--l1-ratio must be between 0 and 1 (got 1.5)"]),
            (["--penalty", "l1", "--cv", "1"], ["--cv must be at least 2 folds (got 1)"]),
            (["--l1-ratio", "0.5"], ["value \"0.5\"", "--l1-ratio is the mix of the elastic net, and the penalty is l2", "Set --penalty to elasticnet"]),
            (["--penalty", "l1", "--l1-ratio", "0.5"], ["--l1-ratio is the mix of the elastic net, and the penalty is l1"]),
            (["--penalty", "elasticnet"], ["value \"elasticnet\"", "the elastic net needs its mix α: --l1-ratio, or --cv"]),
            (["--cv", "5", "--l2", "2"], ["value \"2\"", "--cv chooses λ, and --l2 gives it"]),
            (["--cv-metric", "auc"], ["--cv-metric goes with --cv"]),
            (["--cv", "5", "--cv-rule", "max"], ["max"]),
            (["--penalty", "lasso"], ["lasso"]),
        ]
        for (extra, expected) in cases {
            let r = try CLI.run(base + extra)
            XCTAssertNotEqual(r.status, 0, "\(extra)")
            for e in expected { XCTAssertTrue(r.stderr.contains(e), "\(extra): \(r.stderr)") }
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.json").path))
        }
    }

    /// With a holdout, the cross-validation sees the training rows only:
    /// the path chosen equals the one of a run on exactly those rows
    /// (the held-out rows removed from the file), bit for bit.
    func testCrossValidationUsesTrainingRowsOnly() throws {
        let dir = try CLI.temporaryDirectory(self)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let options = ["--config", Self.config, "--penalty", "l1", "--cv", "3", "--training-date", "2026-12-07", "-q"]
        let held = try CLI.run(["train", Self.deals, "--holdout", "0.3", "--holdout-output", path("held.csv"), "-o", path("held.json")] + options)
        XCTAssertEqual(held.status, 0, held.stderr)
        // The file without its held-out rows (matched by Deal ID, the first field).
        let heldIDs = Set(try String(contentsOfFile: path("held.csv"), encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] })
        let lines = try String(contentsOfFile: Self.deals, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let kept = [lines[0]] + lines.dropFirst().filter { !$0.isEmpty && !heldIDs.contains($0.split(separator: ",")[0]) }
        try (kept.joined(separator: "\n") + "\n").write(toFile: path("train.csv"), atomically: true, encoding: .utf8)
        let alone = try CLI.run(["train", path("train.csv"), "-o", path("alone.json")] + options)
        XCTAssertEqual(alone.status, 0, alone.stderr)

        let a = try Self.card(path("held.json")), b = try Self.card(path("alone.json"))
        XCTAssertEqual(a["formatVersion"] as? Int, 9)
        let ta = try XCTUnwrap(a["training"] as? [String: Any]), tb = try XCTUnwrap(b["training"] as? [String: Any])
        XCTAssertEqual(ta["rows"] as? Int, tb["rows"] as? Int)
        let pa = try XCTUnwrap(ta["penalty"] as? [String: Any]), pb = try XCTUnwrap(tb["penalty"] as? [String: Any])
        XCTAssertEqual(pa["kind"] as? String, "l1")
        XCTAssertEqual(pa["l1Ratio"] as? Double, 1)
        let sa = try XCTUnwrap(pa["selection"] as? [String: Any])
        XCTAssertEqual(sa["folds"] as? Int, 3)
        XCTAssertEqual(sa["metric"] as? String, "deviance")
        XCTAssertEqual(sa["rule"] as? String, "min")
        XCTAssertEqual((sa["path"] as? [Any])?.count, 30)
        // The same choice and path from the training rows alone, within the
        // last bits of the sums of the encoding (the files differ in rows).
        let sb = try XCTUnwrap(pb["selection"] as? [String: Any])
        XCTAssertEqual(pa["lambda"] as? Double, pb["lambda"] as? Double)
        XCTAssertEqual(sa["chosen"] as? Int, sb["chosen"] as? Int)
        XCTAssertEqual(sa["minimum"] as? Int, sb["minimum"] as? Int)
        let patha = try XCTUnwrap(sa["path"] as? [[String: Any]]), pathb = try XCTUnwrap(sb["path"] as? [[String: Any]])
        for (x, y) in zip(patha, pathb) {
            XCTAssertEqual(x["lambda"] as? Double, y["lambda"] as? Double)
            for key in ["mean", "standardError", "nonzeros"] {
                XCTAssertEqual(try Fixtures.double(x[key]), try Fixtures.double(y[key]), accuracy: 1e-9 * max(1, abs(try Fixtures.double(x[key]))), key)
            }
        }
        XCTAssertEqual((ta["options"] as? [String: Any])?["l2"] as? Double, pa["lambda"] as? Double)

        // inspect shows the curve, the chosen λ marked; --html draws it.
        let shown = try CLI.run(["inspect", path("held.json"), "--html", path("held.html")])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("Penalty chosen by 3-fold stratified cross-validation on the training rows (seed 42): L1 (lasso)"), shown.stdout)
        XCTAssertEqual(shown.stdout.split(separator: "\n").filter { $0.hasSuffix("chosen") || $0.hasSuffix("chosen, best") }.count, 1, shown.stdout)
        let html = try String(contentsOfFile: path("held.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<svg") && html.contains("chosen λ = "), html)

        // diff compares the penalty.
        let plain = try CLI.run(["train", path("train.csv"), "--config", Self.config, "--training-date", "2026-12-07", "-q", "-o", path("plain.json")])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertEqual(try Self.card(path("plain.json"))["formatVersion"] as? Int, 3, "a plain L2 card keeps its version")
        let diff = try CLI.run(["diff", path("plain.json"), path("alone.json")])
        XCTAssertTrue(diff.stdout.contains("penalty kind (penalty)"), diff.stdout)
        XCTAssertTrue(diff.stdout.contains("3-fold cross-validation, deviance, rule min, seed 42"), diff.stdout)
    }

    /// The cross-validated card is the same, byte for byte, on one core and
    /// on two (the folds run side by side on two threads).
    func testCrossValidationIsTheSameOnOneCore() throws {
        let taskset = "/usr/bin/taskset"
        guard FileManager.default.isExecutableFile(atPath: taskset) else { throw XCTSkip("taskset is not installed") }
        let dir = try CLI.temporaryDirectory(self)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let arguments = [
            "train", Self.deals, "--config", Self.config, "--penalty", "elasticnet", "--l1-ratio", "0.5", "--cv", "4", "--training-date", "2026-12-07", "-q",
        ]
        XCTAssertEqual(try CLI.run(arguments + ["-o", path("two.json")]).status, 0)
        let one = try CLI.run(["-c", "0", CLI.executable.path] + arguments + ["-o", path("one.json")], executable: URL(fileURLWithPath: taskset))
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("one.json"))), try Data(contentsOf: URL(fileURLWithPath: path("two.json"))))
    }

    /// A feature column whose coefficients the lasso set to 0 is never a
    /// reason in `score` and has no rule in `export --points`.
    func testZeroedColumnsLeaveReasonsAndPoints() throws {
        let dir = try CLI.temporaryDirectory(self)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let trained = try CLI.run(["train", Self.deals, "--config", Self.config, "--penalty", "l1", "--l2", "15", "-q", "-o", path("l1.json")])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let features = try XCTUnwrap(try Self.card(path("l1.json"))["features"] as? [[String: Any]])
        var nonzero: [String: Int] = [:]
        for f in features { nonzero[f["column"] as! String, default: 0] += (f["coefficient"] as! Double) != 0 ? 1 : 0 }
        let zeroed = nonzero.filter { $0.value == 0 }.keys.sorted()
        XCTAssertEqual(zeroed, ["Website Sessions"])
        let leads = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-new-leads.csv").path
        let scored = try CLI.run(["score", "--model", path("l1.json"), leads, "--reasons", "3", "-q", "-o", path("scores.csv")])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        let scores = try String(contentsOfFile: path("scores.csv"), encoding: .utf8)
        XCTAssertTrue(scores.contains("Pricing Page Visits = "), "other engagement columns are reasons")
        for column in zeroed { XCTAssertFalse(scores.contains(column), column) }
        let points = try CLI.run(["export", "--points", "--model", path("l1.json"), "--data", Self.deals, "-o", path("points.yaml")])
        XCTAssertEqual(points.status, 0, points.stderr)
        let rules = try String(contentsOfFile: path("points.yaml"), encoding: .utf8)
        XCTAssertTrue(rules.contains("Pricing Page Visits"))
        for column in zeroed { XCTAssertFalse(rules.contains(column), column) }
    }
}
