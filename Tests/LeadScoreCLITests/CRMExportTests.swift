import Foundation
import XCTest

/// HubSpot and Salesforce exports, as `generate --style` writes them, read
/// as they come: trained with no options, and, the ground truth that their
/// formats were read right, trained to the very model of the plain file of
/// the same deals, whose scores they then give lead for lead.
final class CRMExportTests: XCTestCase {
    static let rows = "6000", seed = "77"

    func generate(_ style: String, in dir: URL, rows: String = CRMExportTests.rows) throws -> String {
        let path = dir.appendingPathComponent("\(style).csv").path
        let r = try CLI.run(["generate", "--rows", rows, "--seed", Self.seed, "--style", style, "-o", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        return path
    }

    func train(_ data: String, _ args: [String], to card: String) throws -> CLIResult {
        let r = try CLI.run(["train", data, "--training-date", "2026-11-23", "-o", card] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
        return r
    }

    func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// A card's coefficients and standard errors, the intercept last.
    func coefficients(_ card: String) throws -> (names: [String], values: [Double], errors: [Double]) {
        let c = try json(card)
        let features = try XCTUnwrap(c["features"] as? [[String: Any]]), intercept = try XCTUnwrap(c["intercept"] as? [String: Any])
        return (
            features.map { $0["name"] as! String }, features.map { $0["coefficient"] as! Double } + [intercept["coefficient"] as! Double],
            features.map { $0["standardError"] as! Double } + [intercept["standardError"] as! Double]
        )
    }

    /// The encoder of `column` in a card.
    func encoder(_ card: [String: Any], _ column: String) throws -> [String: Any] {
        let schema = try XCTUnwrap(card["schema"] as? [String: Any])
        let columns = try XCTUnwrap((schema["encoders"] as? [String: Any])?["columns"] as? [[String: Any]])
        return try XCTUnwrap(columns.first { $0["column"] as? String == column }, column)
    }

    func assertSame(_ a: [Double], _ b: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for (k, (x, y)) in zip(a, b).enumerated() {
            XCTAssertLessThanOrEqual(abs(x - y), 1e-9 * max(1, abs(x)), "\(what) \(k)", file: file, line: line)
        }
    }

    /// With no option at all: the outcome, the ids, the dates' and the
    /// amounts' formats are found, the open deals are left out and counted
    /// (recounted here from the file), and the card records what scoring
    /// must read the same way (format 6).
    func testCRMExportsTrainWithNoOptions() throws {
        let dir = try CLI.temporaryDirectory(self)
        let hubspot = try generate("hubspot", in: dir), salesforce = try generate("salesforce", in: dir)

        let h = try train(hubspot, [], to: dir.appendingPathComponent("h.json").path)
        let hubspotRows = try ThresholdsTests.table(hubspot)
        let openHubSpot = hubspotRows.rows.filter { $0[20] != "closedwon" && $0[20] != "closedlost" }.count
        XCTAssertGreaterThan(openHubSpot, 50)
        for note in [
            "Using \"Deal Stage\" as the outcome column", "\"Last Activity Date\" holds dates written month first (MM/DD/YYYY)",
            "\(openHubSpot) rows have no outcome (missing, or open: \"Deal Stage\" neither closedwon nor closedlost): left out.",
            "\"Deal ID\" looks like an identifier",
        ] {
            XCTAssertTrue(h.stderr.contains(note), note + "\n" + h.stderr)
        }
        let hCard = try json(dir.appendingPathComponent("h.json").path)
        XCTAssertEqual(hCard["formatVersion"] as? Int, 6)
        XCTAssertEqual(try encoder(hCard, "Last Activity Date")["dateFormat"] as? String, "MM/DD/YYYY")
        XCTAssertNil(try encoder(hCard, "Create Date")["dateFormat"], "ISO needs no format")
        XCTAssertNil(try encoder(hCard, "Amount")["amountFormat"], "18111.00 is a plain number")

        let s = try train(salesforce, [], to: dir.appendingPathComponent("s.json").path)
        let salesforceRows = try ThresholdsTests.table(salesforce)
        let openSalesforce = salesforceRows.rows.filter { $0[21] == "false" }.count
        XCTAssertEqual(openSalesforce, openHubSpot, "the same deals are open")
        for note in [
            "Using \"IsWon\" as the outcome column", "\"IsClosed\" says which deals are closed",
            "\(openSalesforce) rows are open deals (\"IsClosed\" is not true): left out",
            "\"StageName\" is named like an outcome column, and the outcome is \"IsWon\": left out",
            "\"LastActivityDate\" holds dates written day first (DD/MM/YYYY)", "\"Amount\" holds amounts written with a decimal point (1,234.56) in USD",
        ] {
            XCTAssertTrue(s.stderr.contains(note), note + "\n" + s.stderr)
        }
        let sCard = try json(dir.appendingPathComponent("s.json").path)
        XCTAssertEqual(sCard["formatVersion"] as? Int, 6)
        let target = try XCTUnwrap((sCard["schema"] as? [String: Any])?["target"] as? [String: Any])
        XCTAssertEqual(target["column"] as? String, "IsWon")
        XCTAssertEqual(target["closedColumn"] as? String, "IsClosed")
        XCTAssertEqual(try encoder(sCard, "LastActivityDate")["dateFormat"] as? String, "DD/MM/YYYY")
        XCTAssertEqual(try encoder(sCard, "Amount")["amountFormat"] as? String, "1,234.56")
        XCTAssertEqual(try encoder(sCard, "Amount")["currency"] as? String, "USD")
        let training = try XCTUnwrap(sCard["training"] as? [String: Any])
        XCTAssertEqual(training["excludedRows"] as? Int, openSalesforce)
        XCTAssertEqual(training["rows"] as? Int, 6000 - openSalesforce)

        // The amounts, written 18111.00 and USD 18,111.00, are the same numbers.
        let (_, hValues, hErrors) = try coefficients(dir.appendingPathComponent("h.json").path)
        let (_, sValues, sErrors) = try coefficients(dir.appendingPathComponent("s.json").path)
        assertSame(hValues, sValues, "HubSpot and Salesforce coefficients")
        assertSame(hErrors, sErrors, "HubSpot and Salesforce standard errors")
    }

    /// The ground truth: trained as of the export date without Amount, each
    /// CRM's file gives the plain file's model, coefficient for coefficient
    /// and standard error for standard error, and scores its leads as the
    /// plain model scores the plain file's.
    func testCRMExportsGiveThePlainFilesModelAndScores() throws {
        let dir = try CLI.temporaryDirectory(self)
        let plain = try generate("plain", in: dir)
        let plainCard = dir.appendingPathComponent("plain.json").path
        _ = try train(plain, ["--as-of", "2026-06-30", "-q"], to: plainCard)
        let truth = try coefficients(plainCard)
        let plainScores = dir.appendingPathComponent("plain-scores.csv").path
        XCTAssertEqual(try CLI.run(["score", "--model", plainCard, plain, "--reasons", "0", "-q", "-o", plainScores]).status, 0)
        let expected = try ThresholdsTests.table(plainScores)

        for style in ["hubspot", "salesforce"] {
            let data = try generate(style, in: dir)
            let card = dir.appendingPathComponent("\(style).json").path
            _ = try train(data, ["--as-of", "2026-06-30", "--exclude", "Amount", "-q"], to: card)
            let got = try coefficients(card)
            XCTAssertEqual(got.values.count, 46)
            assertSame(got.values, truth.values, "\(style) coefficients")
            assertSame(got.errors, truth.errors, "\(style) standard errors")
            // Renamed columns, the same features.
            XCTAssertEqual(got.names.count, truth.names.count)
            let lastActivity = style == "hubspot" ? "Last Activity Date (days ago)" : "LastActivityDate (days ago)"
            XCTAssertEqual(got.names[truth.names.firstIndex(of: "Days Since Last Activity")!], lastActivity)

            let scores = dir.appendingPathComponent("\(style)-scores.csv").path
            let r = try CLI.run(["score", "--model", card, data, "--reasons", "0", "-q", "-o", scores])
            XCTAssertEqual(r.status, 0, r.stderr)
            let t = try ThresholdsTests.table(scores)
            XCTAssertEqual(t.rows.count, expected.rows.count)
            let p = try XCTUnwrap(t.header.firstIndex(of: "probability")), q = try XCTUnwrap(expected.header.firstIndex(of: "probability"))
            assertSame(t.rows.map { Double($0[p])! }, expected.rows.map { Double($0[q])! }, "\(style) probabilities")
        }
    }

    /// evaluate, review and recalibrate read the Salesforce card's outcome
    /// as training did: deals whose IsClosed is false are left out, not
    /// lost.
    func testSalesforceOpenDealsAreLeftOutByEveryReader() throws {
        let dir = try CLI.temporaryDirectory(self)
        let salesforce = try generate("salesforce", in: dir)
        let card = dir.appendingPathComponent("s.json").path
        _ = try train(salesforce, ["-q"], to: card)
        let rows = try ThresholdsTests.table(salesforce).rows
        let open = rows.filter { $0[21] == "false" }.count, won = rows.filter { $0[22] == "true" }.count

        let evaluated = try CLI.run(["evaluate", "--model", card, salesforce])
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        XCTAssertTrue(
            evaluated.stdout.contains("Evaluated \(6000 - open) leads of salesforce.csv (\(won) won, "), evaluated.stdout)
        XCTAssertTrue(evaluated.stdout.contains("\(open) without an outcome left out"), evaluated.stdout)

        let review = dir.appendingPathComponent("review.json").path
        XCTAssertEqual(try CLI.run(["review", "--model", card, salesforce, "--json", review]).status, 0)
        XCTAssertEqual(try json(review)["excludedRows"] as? Int, open)

        let report = dir.appendingPathComponent("recal.json").path
        let recal = try CLI.run([
            "recalibrate", "--model", card, salesforce, "-o", dir.appendingPathComponent("r.json").path, "--date", "2026-12-10", "--json", report,
        ])
        XCTAssertEqual(recal.status, 0, recal.stderr)
        let calibration = try XCTUnwrap(try json(dir.appendingPathComponent("r.json").path)["calibration"] as? [String: Any])
        XCTAssertEqual((calibration["data"] as? [String: Any])?["rows"] as? Int, 6000 - open)

        // A file without IsClosed cannot tell open deals from lost ones.
        let text = try String(contentsOfFile: salesforce, encoding: .utf8).replacingOccurrences(of: ",IsClosed,", with: ",Closed Flag,")
        let renamed = try dir.write(text, to: "renamed.csv")
        let refused = try CLI.run(["evaluate", "--model", card, renamed])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("column \"IsClosed\""), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("open deals cannot be told from lost ones"), refused.stderr)
    }

    /// A column of dates whose days are all 12 or less cannot say whether
    /// it is month first: training refuses and names the option; given it,
    /// the model is the plain file's on the same deals.
    func testAmbiguousDatesNeedTheirFormatAndThenGiveThePlainModel() throws {
        let dir = try CLI.temporaryDirectory(self)
        let hubspot = try ThresholdsTests.table(try generate("hubspot", in: dir)), plain = try ThresholdsTests.table(try generate("plain", in: dir))
        // The deals whose last activity was on day 1 to 12 of a month.
        let keep = hubspot.rows.indices.filter { Int(hubspot.rows[$0][14].dropFirst(3).prefix(2))! <= 12 }
        XCTAssertGreaterThan(keep.count, 1000)
        func csv(_ t: (header: [String], rows: [[String]]), _ name: String) throws -> String {
            func quote(_ f: String) -> String { f.contains(",") || f.contains("\"") ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f }
            let lines = [t.header] + keep.map { t.rows[$0] }
            return try dir.write(lines.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n", to: name)
        }
        let ambiguous = try csv(hubspot, "ambiguous.csv"), same = try csv(plain, "same.csv")
        let refused = try CLI.run(["train", ambiguous, "--as-of", "2026-06-30", "--exclude", "Amount", "-o", dir.appendingPathComponent("x.json").path])
        XCTAssertEqual(refused.status, 1)
        for word in ["ambiguous.csv", "\"Last Activity Date\"", "month first and day first alike", "--date-format \"Last Activity Date=MM/DD/YYYY\""] {
            XCTAssertTrue(refused.stderr.contains(word), word + "\n" + refused.stderr)
        }
        let card = dir.appendingPathComponent("given.json").path
        _ = try train(ambiguous, ["--as-of", "2026-06-30", "--exclude", "Amount", "--date-format", "Last Activity Date=MM/DD/YYYY", "-q"], to: card)
        let plainCard = dir.appendingPathComponent("same.json").path
        _ = try train(same, ["--as-of", "2026-06-30", "-q"], to: plainCard)
        assertSame(try coefficients(card).values, try coefficients(plainCard).values, "coefficients")
        // Read day first instead, the same text is other days: another model.
        let wrong = dir.appendingPathComponent("wrong.json").path
        _ = try train(ambiguous, ["--as-of", "2026-06-30", "--exclude", "Amount", "--date-format", "Last Activity Date=DD/MM/YYYY", "-q"], to: wrong)
        XCTAssertNotEqual(try coefficients(wrong).values, try coefficients(plainCard).values)
    }

    /// Scoring reads a column in the card's format and refuses, by file,
    /// line, column and value, a value it cannot read so.
    func testScoringRefusesValuesNotInTheCardsFormats() throws {
        let dir = try CLI.temporaryDirectory(self)
        let salesforce = try generate("salesforce", in: dir, rows: "1500")
        let card = dir.appendingPathComponent("s.json").path
        _ = try train(salesforce, ["-q"], to: card)
        let lines = try String(contentsOfFile: salesforce, encoding: .utf8).components(separatedBy: "\n")
        func edit(_ line: Int, _ from: String, _ to: String) throws -> String {
            var copy = lines
            XCTAssertTrue(copy[line - 1].contains(from), copy[line - 1])
            copy[line - 1] = copy[line - 1].replacingOccurrences(of: from, with: to)
            return copy.joined(separator: "\n")
        }
        let line = try XCTUnwrap((2...lines.count).first { lines[$0 - 1].contains("\"USD ") && !lines[$0 - 1].dropFirst(20).hasPrefix("\"") })
        let amount = String(lines[line - 1].split(separator: "\"")[1])
        let euros = try dir.write(try edit(line, amount, amount.replacingOccurrences(of: "USD", with: "EUR")), to: "euros.csv")
        let r = try CLI.run(["score", "--model", card, euros, "-o", dir.appendingPathComponent("e.csv").path])
        XCTAssertEqual(r.status, 1)
        for word in ["euros.csv", "line \(line)", "column \"Amount\"", "value \"EUR ", "in EUR, and the model was trained on amounts in USD"] {
            XCTAssertTrue(r.stderr.contains(word), word + "\n" + r.stderr)
        }
        let date = try XCTUnwrap(lines[line - 1].range(of: #",\d\d/\d\d/\d{4},"#, options: .regularExpression)).lowerBound
        let day = String(lines[line - 1][date...].dropFirst().prefix(10))
        let impossible = try dir.write(try edit(line, "," + day + ",", ",31/02/2026,"), to: "impossible.csv")
        let d = try CLI.run(["score", "--model", card, impossible, "-o", dir.appendingPathComponent("d.csv").path])
        XCTAssertEqual(d.status, 1)
        for word in ["impossible.csv", "line \(line)", "column \"LastActivityDate\"", "value \"31/02/2026\"", "day first (DD/MM/YYYY)"] {
            XCTAssertTrue(d.stderr.contains(word), word + "\n" + d.stderr)
        }
    }

    func testStylesAreListedInTheHelp() throws {
        let r = try CLI.run(["generate", "--help"])
        XCTAssertTrue(r.stdout.contains("--style"), r.stdout)
        XCTAssertTrue(r.stdout.contains("salesforce"), r.stdout)
        let t = try CLI.run(["train", "--help"])
        for flag in ["--date-format", "--amount-format", "--closed-column"] { XCTAssertTrue(t.stdout.contains(flag), flag) }
    }
}
