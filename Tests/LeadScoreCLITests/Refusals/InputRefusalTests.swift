import Foundation
import XCTest

/// The catalogue's cases of hostile and broken input (issue 11): numbers
/// outside the number grammar, dates in other formats and impossible
/// times, repeated column names, missing id columns and a file read with
/// the wrong delimiter. Each is refused with the file, line, column and
/// value, a remedy, and nothing written.
final class InputRefusalTests: XCTestCase {
    // MARK: Helpers

    /// The workspace file `name` with the field of `column` on physical
    /// `line` (one without quotes) replaced by `value`.
    func edited(_ ws: RefusalWorkspace, _ name: String, line: Int, column: String, value: String) throws -> String {
        var lines = try ws.read(name).components(separatedBy: "\n")
        let header = lines[0].components(separatedBy: ",")
        let k = try XCTUnwrap(header.firstIndex(of: column), "no column \(column)")
        XCTAssertFalse(lines[line - 1].contains("\""), "line \(line) of \(name) has quotes")
        var fields = lines[line - 1].components(separatedBy: ",")
        fields[k] = value
        lines[line - 1] = fields.joined(separator: ",")
        return lines.joined(separator: "\n")
    }

    /// The first physical line of `name` from `line` on without quotes (a
    /// company name can be quoted), so that `edited` can split it at its
    /// commas.
    func unquotedLine(_ ws: RefusalWorkspace, _ name: String, from line: Int) throws -> Int {
        let lines = try ws.read(name).components(separatedBy: "\n")
        return try XCTUnwrap((line...lines.count).first { !lines[$0 - 1].contains("\"") && !lines[$0 - 1].isEmpty }, "\(name) has no line without quotes")
    }

    /// The 1-based position of `column` in the header of `name`, and the
    /// number of columns.
    func position(_ ws: RefusalWorkspace, _ name: String, of column: String) throws -> (position: Int, columns: Int) {
        let header = try XCTUnwrap(try ws.read(name).components(separatedBy: "\n").first).components(separatedBy: ",")
        return (try XCTUnwrap(header.firstIndex(of: column), "no column \(column)") + 1, header.count)
    }

    /// `name` with every non-empty line followed by `,` and `suffix(line)`:
    /// an extra column.
    func withExtraColumn(_ ws: RefusalWorkspace, _ name: String, header: String, value: String) throws -> String {
        try ws.read(name).components(separatedBy: "\n").enumerated().map { i, line in
            line.isEmpty ? line : line + "," + (i == 0 ? header : value)
        }.joined(separator: "\n")
    }

    /// `name` with its commas outside quotes replaced by `delimiter`.
    func redelimited(_ ws: RefusalWorkspace, _ name: String, by delimiter: Character) throws -> String {
        var quoted = false
        return String(try ws.read(name).map { c -> Character in
            if c == "\"" { quoted.toggle() }
            return c == "," && !quoted ? delimiter : c
        })
    }

    // MARK: 1. Numbers are read strictly

    func testScoreRefusesAHexadecimalNumber() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try edited(ws, "new.csv", line: 4, column: "Pricing Page Visits", value: "0x10"), to: "leads.csv")
        try ws.refuses(
            ["score", "--model", "model.json", "leads.csv", "-o", "scores.csv"],
            mentions: ["leads.csv", "line 4", "\"Pricing Page Visits\"", "\"0x10\"", "a number", "--missing"])
    }

    func testScoreRefusesAnInfinitySpelling() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try edited(ws, "new.csv", line: 5, column: "Email Clicks", value: "Infinity"), to: "leads.csv")
        try ws.refuses(
            ["score", "--model", "model.json", "leads.csv", "-o", "scores.csv"],
            mentions: ["leads.csv", "line 5", "\"Email Clicks\"", "\"Infinity\"", "a number"])
    }

    func testScoreExplainsAThousandsSeparator() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try edited(ws, "new.csv", line: 3, column: "Website Sessions", value: "\"1,234\""), to: "leads.csv")
        try ws.refuses(
            ["score", "--model", "model.json", "leads.csv", "-o", "scores.csv"],
            mentions: ["leads.csv", "line 3", "\"Website Sessions\"", "\"1,234\"", "thousands separator", "Clean the column", "--type", "--exclude"])
    }

    func testScoreExplainsACurrencySign() throws {
        let ws = try RefusalWorkspace(self)
        let line = try unquotedLine(ws, "new.csv", from: 6)
        try ws.write(try edited(ws, "new.csv", line: line, column: "Days Since Last Activity", value: "$120"), to: "leads.csv")
        try ws.refuses(
            ["score", "--model", "model.json", "leads.csv", "-o", "scores.csv"],
            mentions: ["leads.csv", "line \(line)", "\"Days Since Last Activity\"", "\"$120\"", "currency", "Clean the column"])
    }

    func testEvaluateExplainsADecimalComma() throws {
        let ws = try RefusalWorkspace(self)
        let line = try unquotedLine(ws, "new.csv", from: 7)
        try ws.write(try edited(ws, "new.csv", line: line, column: "Email Clicks", value: "\"3,5\""), to: "labelled.csv")
        try ws.refuses(
            ["evaluate", "--model", "model.json", "labelled.csv"],
            mentions: ["labelled.csv", "line \(line)", "\"Email Clicks\"", "\"3,5\"", "decimal comma", "Clean the column"])
    }

    func testExportPointsRefusesAHexadecimalFloat() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try edited(ws, "deals.csv", line: 6, column: "Webinars Attended", value: "0x1p3"), to: "data.csv")
        try ws.refuses(
            ["export", "--points", "--model", "model.json", "--data", "data.csv", "-o", "out.yaml"],
            mentions: ["data.csv", "line 6", "\"Webinars Attended\"", "\"0x1p3\"", "a number"])
    }

    func testRulesRefuseAHexadecimalNumber() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try edited(ws, "new.csv", line: 4, column: "Pricing Page Visits", value: "0x10"), to: "leads.csv")
        try ws.refuses(
            ["score", "--rules", "rules.yaml", "leads.csv", "-o", "scores.csv"],
            mentions: ["leads.csv", "line 4", "\"Pricing Page Visits\"", "\"0x10\"", "not a number", "missingValues"])
    }

    func testRulesExplainAThousandsSeparator() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try edited(ws, "new.csv", line: 3, column: "Email Clicks", value: "1 000"), to: "leads.csv")
        try ws.refuses(
            ["score", "--rules", "rules.yaml", "leads.csv", "-o", "scores.csv"],
            mentions: ["leads.csv", "line 3", "\"Email Clicks\"", "\"1 000\"", "thousands separator", "Clean the column"])
    }

    func testTrainRefusesAStrayHexadecimalNumberInANumericColumn() throws {
        let ws = try RefusalWorkspace(self)
        let line = try unquotedLine(ws, "deals.csv", from: 7)
        try ws.write(try edited(ws, "deals.csv", line: line, column: "Website Sessions", value: "0x10"), to: "train.csv")
        try ws.refuses(
            ["train", "train.csv", "--config", "config.json", "-o", "out.json"],
            mentions: ["train.csv", "line \(line)", "\"Website Sessions\"", "\"0x10\"", "are numbers, but this one is not"])
    }

    func testTrainExplainsACurrencyInAColumnDeclaredNumeric() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try edited(ws, "deals.csv", line: 4, column: "Email Clicks", value: "€5"), to: "train.csv")
        try ws.refuses(
            ["train", "train.csv", "--config", "config.json", "--type", "Email Clicks=numeric", "-o", "out.json"],
            mentions: [
                "train.csv", "line 4", "\"Email Clicks\"", "\"€5\"", "currency", "--exclude", "--type", "Email Clicks=categorical",
                "--amount-format \"Email Clicks=1,234.56\"",
            ])
    }

    // MARK: 2. Dates

    /// Dates written month first or day first whose values never say
    /// which (here every day is the 1st) are refused, and the option that
    /// gives the format is named.
    func testTrainRefusesAnAmbiguousDateColumnAndAsksForItsFormat() throws {
        let ws = try RefusalWorkspace(self)
        var lines = try ws.read("deals.csv").components(separatedBy: "\n")
        for i in 1..<lines.count where !lines[i].isEmpty {
            // 2024-07-13 → 07/01/2024 10:15 in every row.
            lines[i] = lines[i].replacingOccurrences(
                of: #",(\d{4})-(\d{2})-(\d{2}),"#, with: ",$2/01/$1 10:15,", options: .regularExpression)
        }
        try ws.write(lines.joined(separator: "\n"), to: "train.csv")
        try ws.write(#"{"formatVersion": 1, "target": "Stage", "ids": ["Deal ID"], "exclude": ["Company Name"]}"#, to: "dates.json")
        try ws.refuses(
            ["train", "train.csv", "--config", "dates.json", "--type", "Created Date=date", "-o", "out.json"],
            mentions: [
                "train.csv", "line 2", "\"Created Date\"", "\"07/01/2024 10:15\"", "month first and day first alike",
                "--date-format \"Created Date=MM/DD/YYYY\"", "--date-format \"Created Date=DD/MM/YYYY\"",
            ])
    }

    /// An impossible date in a column of US dates is refused by name.
    func testTrainRefusesAnImpossibleUSDate() throws {
        let ws = try RefusalWorkspace(self)
        var lines = try ws.read("deals.csv").components(separatedBy: "\n")
        for i in 1..<lines.count where !lines[i].isEmpty {
            lines[i] = lines[i].replacingOccurrences(of: #",(\d{4})-(\d{2})-(\d{2}),"#, with: ",$2/$3/$1,", options: .regularExpression)
        }
        try ws.write(lines.joined(separator: "\n"), to: "us.csv")
        let line = try unquotedLine(ws, "deals.csv", from: 9)
        try ws.write(try edited(ws, "us.csv", line: line, column: "Created Date", value: "02/30/2025"), to: "train.csv")
        try ws.write(#"{"formatVersion": 1, "target": "Stage", "ids": ["Deal ID"], "exclude": ["Company Name"]}"#, to: "dates.json")
        try ws.refuses(
            ["train", "train.csv", "--config", "dates.json", "-o", "out.json"],
            mentions: ["train.csv", "line \(line)", "\"Created Date\"", "\"02/30/2025\"", "names no day", "--missing"])
    }

    func testTrainRefusesAnImpossibleTimeInADateColumn() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try edited(ws, "deals.csv", line: 6, column: "Created Date", value: "2024-07-01T25:61"), to: "train.csv")
        try ws.write(#"{"formatVersion": 1, "target": "Stage", "ids": ["Deal ID"], "exclude": ["Company Name"]}"#, to: "dates.json")
        try ws.refuses(
            ["train", "train.csv", "--config", "dates.json", "-o", "out.json"],
            mentions: ["train.csv", "line 6", "\"Created Date\"", "\"2024-07-01T25:61\"", "ISO 8601"])
    }

    /// A model with a date column, trained in the workspace before the case.
    func trainDateModel(_ ws: RefusalWorkspace) throws {
        try ws.write(#"{"formatVersion": 1, "target": "Stage", "ids": ["Deal ID"], "exclude": ["Company Name"]}"#, to: "dates.json")
        let r = try ws.run(["train", "deals.csv", "--config", "dates.json", "--training-date", "2026-12-01", "-o", "dated.json", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testScoreRefusesAnImpossibleTime() throws {
        let ws = try RefusalWorkspace(self)
        try trainDateModel(ws)
        try ws.write(try edited(ws, "new.csv", line: 5, column: "Created Date", value: "2024-07-01T25:61"), to: "leads.csv")
        try ws.refuses(
            ["score", "--model", "dated.json", "leads.csv", "-o", "scores.csv"],
            mentions: ["leads.csv", "line 5", "\"Created Date\"", "\"2024-07-01T25:61\"", "HH:MM"])
    }

    func testEvaluateRefusesANonISODate() throws {
        let ws = try RefusalWorkspace(self)
        try trainDateModel(ws)
        try ws.write(try edited(ws, "new.csv", line: 3, column: "Created Date", value: "01.07.2024"), to: "labelled.csv")
        try ws.refuses(
            ["evaluate", "--model", "dated.json", "labelled.csv"],
            mentions: ["labelled.csv", "line 3", "\"Created Date\"", "\"01.07.2024\"", "another format", "YYYY-MM-DD"])
    }

    /// The counterpart of the refusals above: the zones CRMs and databases
    /// write after a time are read. Every "Created Date" of the training
    /// file written as Salesforce writes it (`2024-07-01T10:15:30.000+0000`)
    /// is a date column in the model card, not free text, and leads whose
    /// dates are written as Salesforce, PostgreSQL (`…10:15:30.123456+00`)
    /// and some reports (`… 10:15:30 UTC`) write them are scored.
    func testTimestampsWithAZoneAreDates() throws {
        let ws = try RefusalWorkspace(self)
        let zones = ["T10:15:30.000+0000", " 10:15:30.123456+00", " 10:15:30 UTC"]
        func stamped(_ name: String, zone: (Int) -> String) throws -> String {
            let date = try NSRegularExpression(pattern: #"^([^\n]*?),(\d{4}-\d{2}-\d{2}),"#, options: [.anchorsMatchLines])
            let lines = try ws.read(name).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return lines.enumerated().map { k, line in
                date.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: "$1,$2" + NSRegularExpression.escapedTemplate(for: zone(k)) + ",")
            }.joined(separator: "\n")
        }
        let training = try stamped("deals.csv") { _ in zones[0] }
        XCTAssertTrue(training.contains(",2024-07-01T10:15:30.000+0000,"), String(training.prefix(400)))
        try ws.write(training, to: "salesforce.csv")
        try ws.write(try stamped("new.csv") { zones[$0 % 3] }, to: "leads.csv")
        try ws.write(#"{"formatVersion": 1, "target": "Stage", "ids": ["Deal ID"], "exclude": ["Company Name"]}"#, to: "dates.json")
        let trained = try ws.run(["train", "salesforce.csv", "--config", "dates.json", "--training-date", "2026-12-01", "-o", "dated.json", "-q"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let card = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try ws.read("dated.json").utf8)) as? [String: Any])
        let columns = try XCTUnwrap(((card["schema"] as? [String: Any])?["encoders"] as? [String: Any])?["columns"] as? [[String: Any]])
        let created = try XCTUnwrap(columns.first { $0["column"] as? String == "Created Date" }, "Created Date is a model column")
        XCTAssertEqual(created["kind"] as? String, "date")
        let scored = try ws.run(["score", "--model", "dated.json", "leads.csv", "-o", "scores.csv", "-q"])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        XCTAssertEqual(try ws.read("scores.csv").split(separator: "\n").count, 201, "a header and one row per lead")
    }

    // MARK: 3. Repeated column names

    func testScoreRefusesARepeatedColumnName() throws {
        let ws = try RefusalWorkspace(self)
        let (k, n) = try position(ws, "new.csv", of: "Country")
        try ws.write(try withExtraColumn(ws, "new.csv", header: "Country", value: "France"), to: "leads.csv")
        try ws.refuses(
            ["score", "--model", "model.json", "leads.csv", "-o", "scores.csv"],
            mentions: ["leads.csv", "line 1", "\"Country\" (columns \(k) and \(n + 1))", "unique"])
    }

    func testEvaluateRefusesARepeatedColumnName() throws {
        let ws = try RefusalWorkspace(self)
        let (k, n) = try position(ws, "new.csv", of: "Stage")
        try ws.write(try withExtraColumn(ws, "new.csv", header: "Stage", value: "Closed Won"), to: "labelled.csv")
        try ws.refuses(
            ["evaluate", "--model", "model.json", "labelled.csv"],
            mentions: ["labelled.csv", "line 1", "\"Stage\" (columns \(k) and \(n + 1))", "unique"])
    }

    func testExportPointsRefusesARepeatedColumnName() throws {
        let ws = try RefusalWorkspace(self)
        let (k, n) = try position(ws, "deals.csv", of: "Email Clicks")
        try ws.write(try withExtraColumn(ws, "deals.csv", header: "Email Clicks", value: "0"), to: "data.csv")
        try ws.refuses(
            ["export", "--points", "--model", "model.json", "--data", "data.csv", "-o", "out.yaml"],
            mentions: ["data.csv", "line 1", "\"Email Clicks\" (columns \(k) and \(n + 1))", "unique"])
    }

    func testRulesRefuseARepeatedColumnName() throws {
        let ws = try RefusalWorkspace(self)
        let (k, n) = try position(ws, "new.csv", of: "Job Level")
        try ws.write(try withExtraColumn(ws, "new.csv", header: "Job Level", value: "VP"), to: "leads.csv")
        try ws.refuses(
            ["score", "--rules", "rules.yaml", "leads.csv", "-o", "scores.csv"],
            mentions: ["leads.csv", "line 1", "\"Job Level\" (columns \(k) and \(n + 1))", "unique"])
    }

    func testTrainNamesEveryRepeatedColumn() throws {
        let ws = try RefusalWorkspace(self)
        let (k, n) = try position(ws, "deals.csv", of: "Country")
        let once = try withExtraColumn(ws, "deals.csv", header: "Country", value: "France")
        try ws.write(once, to: "once.csv")
        try ws.write(try withExtraColumn(ws, "once.csv", header: "Deal ID", value: "X"), to: "train.csv")
        try ws.refuses(
            ["train", "train.csv", "--config", "config.json", "-o", "out.json"],
            mentions: ["train.csv", "line 1", "2 columns more than once", "\"Deal ID\" (columns 1 and \(n + 2))", "\"Country\" (columns \(k) and \(n + 1))"])
    }

    // MARK: 4. The id column is checked before scoring

    func testScoreRefusesAFileWithoutTheModelsIdColumn() throws {
        let ws = try RefusalWorkspace(self)
        let text = try ws.read("new.csv").replacingOccurrences(of: "Deal ID,", with: "Ref,")
        try ws.write(text, to: "leads.csv")
        try ws.refuses(
            ["score", "--model", "model.json", "leads.csv", "-o", "scores.csv"],
            mentions: ["leads.csv", "line 1", "\"Deal ID\" is the model's id column", "Export the file with these columns"])
    }

    func testScoreNamesTheMissingIdWithTheMissingFeatures() throws {
        let ws = try RefusalWorkspace(self)
        let text = try ws.read("new.csv").replacingOccurrences(of: "Deal ID,", with: "Ref,")
            .replacingOccurrences(of: ",Lead Source,", with: ",Channel,")
        try ws.write(text, to: "leads.csv")
        try ws.refuses(
            ["score", "--model", "model.json", "leads.csv", "-o", "-"],
            mentions: ["leads.csv", "2 columns", "\"Deal ID\"", "\"Lead Source\""])
    }

    /// Not a refusal: a model without an id column writes row numbers, and
    /// says so once (not with -q).
    func testScoreWithAModelWithoutIdsNotesTheRowNumbers() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(#"{"formatVersion": 1, "target": "Stage", "exclude": ["Deal ID", "Account ID", "Company Name", "Created Date"]}"#, to: "noids.json")
        let trained = try ws.run(["train", "deals.csv", "--config", "noids.json", "-o", "noids-model.json", "-q"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let scored = try ws.run(["score", "--model", "noids-model.json", "new.csv", "-o", "scores.csv"])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        XCTAssertEqual(scored.stderr.components(separatedBy: "no id column").count - 1, 1, scored.stderr)
        XCTAssertTrue(scored.stderr.contains("--id"), scored.stderr)
        XCTAssertTrue(try ws.read("scores.csv").hasPrefix("row,probability"))
        let quiet = try ws.run(["score", "--model", "noids-model.json", "new.csv", "-o", "scores.csv", "-q"])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertFalse(quiet.stderr.contains("no id column"), quiet.stderr)
    }

    /// Not a refusal: rules scoring without `--id` writes row numbers and
    /// says so once; with `--id` it says nothing of the kind.
    func testScoreWithRulesWithoutIdNotesTheRowNumbers() throws {
        let ws = try RefusalWorkspace(self)
        let scored = try ws.run(["score", "--rules", "rules.yaml", "new.csv", "-o", "scores.csv"])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        XCTAssertEqual(scored.stderr.components(separatedBy: "no id column").count - 1, 1, scored.stderr)
        XCTAssertTrue(scored.stderr.contains("--id"), scored.stderr)
        XCTAssertTrue(try ws.read("scores.csv").hasPrefix("row,points"))
        let named = try ws.run(["score", "--rules", "rules.yaml", "new.csv", "--id", "Deal ID", "-o", "scores.csv"])
        XCTAssertEqual(named.status, 0, named.stderr)
        XCTAssertFalse(named.stderr.contains("no id column"), named.stderr)
        XCTAssertTrue(try ws.read("scores.csv").hasPrefix("Deal ID,points"))
    }

    // MARK: 5. The wrong delimiter

    func testScoreNamesAPipeDelimiter() throws {
        let ws = try RefusalWorkspace(self)
        let (_, n) = try position(ws, "new.csv", of: "Deal ID")
        try ws.write(try redelimited(ws, "new.csv", by: "|"), to: "leads.csv")
        try ws.refuses(
            ["score", "--model", "model.json", "leads.csv", "-o", "scores.csv"],
            mentions: ["leads.csv", "line 1", "seems to use \"|\"", "\(n) fields", "commas, semicolons or tabs"])
    }

    func testEvaluateNamesAPipeDelimiter() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try redelimited(ws, "new.csv", by: "|"), to: "labelled.csv")
        try ws.refuses(["evaluate", "--model", "model.json", "labelled.csv"], mentions: ["labelled.csv", "line 1", "seems to use \"|\""])
    }

    func testRulesNameAPipeDelimiter() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try redelimited(ws, "new.csv", by: "|"), to: "leads.csv")
        try ws.refuses(["score", "--rules", "rules.yaml", "leads.csv", "-o", "scores.csv"], mentions: ["leads.csv", "seems to use \"|\""])
    }

    func testExportPointsNamesAPipeDelimiter() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write(try redelimited(ws, "deals.csv", by: "|"), to: "data.csv")
        try ws.refuses(
            ["export", "--points", "--model", "model.json", "--data", "data.csv", "-o", "out.yaml"], mentions: ["data.csv", "seems to use \"|\""])
    }

    /// A tab-separated file whose header names hold as many commas as tabs:
    /// the header alone picks the comma; the lines say tab.
    func testTrainNamesTabsWhenTheHeaderHoldsCommas() throws {
        let ws = try RefusalWorkspace(self)
        var text = "Revenue, USD\tStage\tRegion, country\n"
        for i in 0..<40 { text += "\(i * 10)\t\(i % 3 == 0 ? "Won" : "Lost")\t\(i % 2 == 0 ? "EU" : "US")\n" }
        try ws.write(text, to: "train.tsv")
        try ws.refuses(
            ["train", "train.tsv", "-o", "out.json"],
            mentions: ["train.tsv", "line 1", "seems to use tab", "3 fields", "comma was taken", "double quotes"])
    }

    func testScoreNamesSemicolonsWhenTheHeaderHoldsMoreCommas() throws {
        let ws = try RefusalWorkspace(self)
        try ws.write("Deal ID;Country, region, area;Stage, final\nD1;FR;Won\nD2;DE;Lost\n", to: "leads.csv")
        try ws.refuses(
            ["score", "--model", "model.json", "leads.csv", "-o", "scores.csv"], mentions: ["leads.csv", "seems to use semicolon", "3 fields"])
    }
}
