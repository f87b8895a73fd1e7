import XCTest

/// `leadscore drift` as a scheduled job runs it: a model trained with the
/// bundled configuration, the bundled new leads (stable) and the same leads
/// with two more pricing-page visits each (at act); the exit status of
/// --fail-on, the files written either way, and the refusal of a card
/// without a training profile.
final class DriftTests: XCTestCase {
    private var deals: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.csv").path }
    private var config: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-deals.config.json").path }
    private var newLeads: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-new-leads.csv").path }

    /// A model trained on the bundled deals, and the new leads with two
    /// more pricing-page visits each, in `dir`.
    private func setUp(_ dir: URL) throws -> (model: String, shifted: String) {
        let model = dir.appendingPathComponent("model.json").path
        let r = try CLI.run(["train", deals, "--config", config, "--training-date", "2026-11-23", "-o", model, "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let (header, rows) = try ThresholdsTests.table(newLeads)
        let visits = try XCTUnwrap(header.firstIndex(of: "Pricing Page Visits"))
        // RFC 4180: a field with a comma or a quote is quoted, its quotes doubled.
        func record(_ fields: [String]) -> String {
            fields.map { $0.contains(",") || $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }
                .joined(separator: ",")
        }
        let shifted = rows.map { row -> String in
            var row = row
            row[visits] = String(Int(row[visits])! + 2)
            return record(row)
        }
        return (model, try dir.write(([record(header)] + shifted).joined(separator: "\n") + "\n", to: "shifted.csv"))
    }

    private func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    func testStableLeadsExitZeroAndShiftedOnesThreeWithFailOn() throws {
        let dir = try CLI.temporaryDirectory(self)
        let (model, shifted) = try setUp(dir)
        let report = dir.appendingPathComponent("drift.json").path, page = dir.appendingPathComponent("drift.html").path

        // The bundled new leads: every column stable, even at --fail-on watch.
        let stable = try CLI.run(["drift", "--model", model, newLeads, "--fail-on", "watch", "--json", report])
        XCTAssertEqual(stable.status, 0, stable.stderr)
        XCTAssertTrue(stable.stdout.contains("Score (probability): PSI 0.00"), stable.stdout)
        let doc = try json(report)
        XCTAssertEqual(doc["format"] as? String, "leadscore-drift")
        XCTAssertEqual(doc["verdict"] as? String, "stable")
        let columns = try XCTUnwrap(doc["columns"] as? [[String: Any]])
        XCTAssertEqual(columns.count, 15, "every feature column of the bundled model")
        for c in columns {
            XCTAssertEqual(c["verdict"] as? String, "stable", "\(c["name"] ?? "")")
            XCTAssertLessThan(try XCTUnwrap(c["psi"] as? Double), 0.01)
        }

        // Shifted: without --fail-on, status 0 and the report says act.
        let told = try CLI.run(["drift", "--model", model, shifted])
        XCTAssertEqual(told.status, 0, told.stderr)
        let rows = told.stdout.split(separator: "\n")
        let first = try XCTUnwrap(rows.firstIndex { $0.hasPrefix("------") })
        XCTAssertTrue(rows[first + 1].hasPrefix("Pricing Page Visits"), String(rows[first + 1]))
        XCTAssertTrue(rows[first + 1].contains(" act "), String(rows[first + 1]))
        // With --fail-on act: status 3, said on standard error, the files written all the same.
        let failed = try CLI.run(["drift", "--model", model, shifted, "--fail-on", "act", "--json", report, "--html", page])
        XCTAssertEqual(failed.status, 3, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("\"Pricing Page Visits\" at act or above (exit status 3)"), failed.stderr)
        let shiftedDoc = try json(report)
        XCTAssertEqual(shiftedDoc["verdict"] as? String, "act")
        let top = try XCTUnwrap((shiftedDoc["columns"] as? [[String: Any]])?.first)
        XCTAssertEqual(top["name"] as? String, "Pricing Page Visits")
        XCTAssertEqual(top["verdict"] as? String, "act")
        XCTAssertTrue(try String(contentsOfFile: page, encoding: .utf8).contains("data-column=\"Pricing Page Visits\""))
        // -q: nothing printed, the status alone tells.
        let quiet = try CLI.run(["drift", "--model", model, shifted, "--fail-on", "act", "-q"])
        XCTAssertEqual(quiet.status, 3)
        XCTAssertEqual(quiet.stdout + quiet.stderr, "")
        // The JSON on standard output, and nothing else there.
        let piped = try CLI.run(["drift", "--model", model, shifted, "--json", "-"])
        XCTAssertEqual(piped.status, 0)
        let stdoutDoc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(piped.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(stdoutDoc["verdict"] as? String, "act")
    }

    /// A card without a training profile (as written before LeadScore kept
    /// one: here its key removed, the card then read with
    /// --allow-edited-model) is refused with status 1 and the advice to retrain.
    func testCardWithoutAProfileIsRefused() throws {
        let dir = try CLI.temporaryDirectory(self)
        let (model, _) = try setUp(dir)
        var card = try json(model)
        XCTAssertNotNil(card.removeValue(forKey: "trainingProfile"))
        let old = dir.appendingPathComponent("old.json")
        try JSONSerialization.data(withJSONObject: card, options: [.sortedKeys]).write(to: old)
        let r = try CLI.run(["drift", "--model", old.path, newLeads, "--allow-edited-model", "--json", dir.appendingPathComponent("d.json").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("no training profile"), r.stderr)
        XCTAssertTrue(r.stderr.contains("Retrain the model with `leadscore train`"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("d.json").path), "no report written")
    }

    func testUsageErrors() throws {
        let dir = try CLI.temporaryDirectory(self)
        let model = CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path
        for (arguments, message) in [
            (["--fail-on", "stable"], "--fail-on"),
            (["--fail-on", "sometimes"], "--fail-on"),
            (["--html", "-"], "--html needs a file name"),
        ] {
            let r = try CLI.run(["drift", "--model", model, newLeads] + arguments, in: dir)
            XCTAssertEqual(r.status, 2, "\(arguments)")
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
        }
        let help = try CLI.run(["drift", "--help"])
        XCTAssertTrue(help.stdout.contains("Exit status: 0 when the report is written"), help.stdout)
        XCTAssertTrue(help.stdout.contains("3 with --fail-on"), help.stdout)
    }
}
