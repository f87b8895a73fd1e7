import Foundation
import XCTest

/// `score --format jsonl`, `--provenance`, `--scored-at`, `--precision`
/// and `--reason-style`, run as a user would, on the bundled model, rules
/// file and new leads.
final class ScoresFileTests: XCTestCase {
    private var model: String { CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path }
    private var rules: String { CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.rules.yaml").path }
    private var leads: String { CLI.repositoryRoot.appendingPathComponent("datasets/b2b-new-leads.csv").path }

    /// SHA-256 of a file, by the system's `sha256sum`.
    func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }

    /// Checks JSON Lines text against the CSV table of the same leads: the
    /// header's names as keys, in its order; numbers with the CSV's digits;
    /// empty fields as null; other fields as strings.
    func assertJSONLines(_ text: String, hold table: (header: [String], rows: [[String]]), numbers: Set<String>, line: UInt = #line) throws {
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, table.rows.count, line: line)
        for (jsonLine, row) in zip(lines, table.rows) {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(jsonLine.utf8)) as? [String: Any])
            XCTAssertEqual(Set(object.keys), Set(table.header), line: line)
            var previous = jsonLine.startIndex
            for (name, field) in zip(table.header, row) {
                let key = try XCTUnwrap(jsonLine.range(of: "\"\(name)\":", range: previous..<jsonLine.endIndex), "\(name) in order", line: line)
                previous = key.upperBound
                if numbers.contains(name) {
                    XCTAssertTrue(jsonLine[key.upperBound...].hasPrefix(field + ",") || jsonLine[key.upperBound...] == field + "}", name, line: line)
                } else if field.isEmpty {
                    XCTAssertTrue(object[name] is NSNull, name, line: line)
                } else {
                    XCTAssertEqual(object[name] as? String, field, name, line: line)
                }
            }
        }
    }

    /// A model's scores as JSON Lines, to standard output and to a file:
    /// the same bytes, the CSV's fields, and the provenance columns, the
    /// model id being the card's checksum and the time the one given, in
    /// UTC.
    func testModelScoresAsJSONLinesWithProvenance() throws {
        let dir = try CLI.temporaryDirectory(self)
        let csv = dir.appendingPathComponent("s.csv").path, jsonl = dir.appendingPathComponent("s.jsonl").path
        let common = ["score", "--model", model, leads, "--scored-at", "2026-12-07T11:15:00+01:00", "-q"]
        XCTAssertEqual(try CLI.run(common + ["-o", csv]).status, 0)
        let file = try CLI.run(common + ["--format", "jsonl", "-o", jsonl])
        XCTAssertEqual(file.status, 0, file.stderr)
        let stdout = try CLI.run(common + ["--format", "jsonl", "-o", "-"])
        XCTAssertEqual(stdout.status, 0, stdout.stderr)
        let text = try String(contentsOfFile: jsonl, encoding: .utf8)
        XCTAssertEqual(stdout.stdout, text)
        let table = try ThresholdsTests.table(csv)
        XCTAssertEqual(Array(table.header.suffix(2)), ["model_id", "scored_at"])
        XCTAssertEqual(table.rows.count, 5000)
        try assertJSONLines(text, hold: table, numbers: ["probability", "score", "fit_score", "engagement_score"])
        let card = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])
        let checksum = try XCTUnwrap(card["checksum"] as? String)
        XCTAssertEqual(Set(table.rows.map { $0[$0.count - 2] }), [checksum])
        XCTAssertEqual(Set(table.rows.map { $0[$0.count - 1] }), ["2026-12-07T10:15:00Z"])
        // Without --provenance or --scored-at, the header is as before.
        let plain = try CLI.run(["score", "--model", model, leads, "--reasons", "0", "-q", "-o", "-"])
        XCTAssertEqual(plain.stdout.split(separator: "\n").first, "Deal ID,probability,score,tier,fit_score,engagement_score,grid")
        // --provenance alone: this run's time, to the second, in UTC.
        let before = Date()
        let now = try CLI.run(["score", "--model", model, leads, "--reasons", "0", "--provenance", "-q", "-o", "-"])
        let stamp = try XCTUnwrap(now.stdout.split(separator: "\n").dropFirst().first?.split(separator: ",").last)
        let formatter = ISO8601DateFormatter()
        let when = try XCTUnwrap(formatter.date(from: String(stamp)), String(stamp))
        XCTAssertTrue(stamp.hasSuffix("Z") && stamp.count == 20, String(stamp))
        XCTAssertLessThanOrEqual(abs(when.timeIntervalSince(before)), 120)
    }

    /// Rules scores as JSON Lines: the CSV's fields, the rules in words or
    /// raw, and the rules file's SHA-256 as the model id.
    func testRulesScoresAsJSONLinesNameTheRulesFile() throws {
        let dir = try CLI.temporaryDirectory(self)
        let csv = dir.appendingPathComponent("r.csv").path
        let common = ["score", "--rules", rules, "--id", "Deal ID", leads, "--provenance", "--scored-at", "2026-12-07", "-q"]
        XCTAssertEqual(try CLI.run(common + ["-o", csv]).status, 0)
        let json = try CLI.run(common + ["--format", "jsonl", "-o", "-"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let table = try ThresholdsTests.table(csv)
        try assertJSONLines(json.stdout, hold: table, numbers: ["points", "fit_points", "engagement_points"])
        XCTAssertEqual(Set(table.rows.map { $0[$0.count - 2] }), [try sha256sum(rules)])
        XCTAssertEqual(Set(table.rows.map { $0[$0.count - 1] }), ["2026-12-07T00:00:00Z"])
        let reasons = try XCTUnwrap(table.header.firstIndex(of: "reasons"))
        XCTAssertTrue(table.rows.allSatisfy { $0[reasons].isEmpty || $0[reasons].hasSuffix(" points") || $0[reasons].hasSuffix(" point") })
        let raw = try CLI.run(["score", "--rules", rules, "--id", "Deal ID", leads, "--reason-style", "raw", "-q", "-o", "-"])
        let rawRows = raw.stdout.split(separator: "\n").dropFirst().map { ThresholdsTests.fields($0) }
        XCTAssertEqual(rawRows.count, table.rows.count)
        for (rawRow, row) in zip(rawRows, table.rows) where !row[reasons].isEmpty {
            // `Demo requested: +30 points` raw is `Demo requested (+30)`.
            let words = row[reasons].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let expected = words.map { w -> String in
                let colon = w.range(of: ": ", options: .backwards)!
                let points = w[colon.upperBound...].split(separator: " ")[0]
                return "\(w[..<colon.lowerBound]) (\(points))"
            }
            XCTAssertEqual(rawRow.last, expected.joined(separator: "; "))
        }
    }

    /// --precision n: every probability with n decimals, the default run's
    /// rounded half away from zero; --reason-style raw: the log-odds form,
    /// each contribution the log of the words form's factor to within
    /// their roundings.
    func testPrecisionAndReasonStyle() throws {
        let exact = try CLI.run(["score", "--model", model, leads, "-q", "-o", "-"])
        let three = try CLI.run(["score", "--model", model, leads, "--precision", "3", "-q", "-o", "-"])
        let raw = try CLI.run(["score", "--model", model, leads, "--reason-style", "raw", "-q", "-o", "-"])
        for r in [exact, three, raw] { XCTAssertEqual(r.status, 0, r.stderr) }
        let rows = { (r: CLIResult) in r.stdout.split(separator: "\n").dropFirst().map { ThresholdsTests.fields($0) } }
        let exactRows = rows(exact), threeRows = rows(three), rawRows = rows(raw)
        XCTAssertEqual(threeRows.count, 5000)
        for (e, t) in zip(exactRows, threeRows) {
            let p = try XCTUnwrap(Double(e[1]))
            XCTAssertEqual(t[1].split(separator: ".").last?.count, 3, t[1])
            XCTAssertEqual(Double(t[1]), (p * 1000).rounded(.toNearestOrAwayFromZero) / 1000, e[1])
            XCTAssertEqual(Array(t[2...]), Array(e[2...]), "only the probability changes")
        }
        var compared = 0
        for (w, r) in zip(exactRows, rawRows) {
            XCTAssertEqual(Array(r[..<7]), Array(w[..<7]))
            for (wordReason, rawReason) in zip(w[7...], r[7...]) where !wordReason.isEmpty {
                // `Demo Requested = Yes: odds ×4.6` and `Demo Requested = Yes (+1.5)`.
                let words = wordReason.components(separatedBy: ": odds ×")
                XCTAssertEqual(words.count, 2, wordReason)
                let open = try XCTUnwrap(rawReason.range(of: " (", options: .backwards), rawReason)
                let name = rawReason[..<open.lowerBound].replacingOccurrences(of: " is missing", with: " missing")
                XCTAssertEqual(words[0], name)
                let logOdds = try XCTUnwrap(Double(rawReason[open.upperBound...].dropLast()), rawReason)
                let factor = try XCTUnwrap(Double(words[1]), wordReason)
                // raw has 1 decimal (±0.05); words 2 significant digits (≤ 5% off).
                XCTAssertEqual(log(factor), logOdds, accuracy: 0.05 + 0.051, "\(wordReason) / \(rawReason)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 20000)
    }
}
