import Foundation
import XCTest

/// `leadscore export --sql` from the command line: the file it writes, the
/// usage it refuses, and the README's SQLite recipe run as written.
final class ExportSQLTests: XCTestCase {
    func testExportWritesOneQueryPerDialectAndRefusesWhatDoesNotGo() throws {
        let dir = try CLI.temporaryDirectory(self)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let model = CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path
        let rules = CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.rules.yaml").path
        for dialect in ["duckdb", "sqlite", "postgres", "ansi"] {
            let r = try CLI.run(["export", "--sql", "--dialect", dialect, "--model", model, "--view", "lead_scores", "-o", path("\(dialect).sql")])
            XCTAssertEqual(r.status, 0, r.stderr)
            let text = try String(contentsOfFile: path("\(dialect).sql"), encoding: .utf8)
            XCTAssertTrue(text.contains("CREATE VIEW \"lead_scores\" AS"), dialect)
            XCTAssertTrue(text.contains("FROM \"leads\""), dialect)
            XCTAssertTrue(text.hasSuffix(";\n"), dialect)
        }
        let today = try CLI.run(["export", "--sql", "--dialect", "postgres", "--model", model, "--as-of", "today", "-o", "-"])
        XCTAssertEqual(today.status, 0, today.stderr)
        XCTAssertTrue(today.stdout.contains("CURRENT_DATE - DATE '1970-01-01'"))

        let refusals: [([String], String)] = [
            (["export", "--sql", "--model", model], "--sql needs --dialect"),
            (["export", "--sql", "--dialect", "oracle", "--model", model], "--dialect must be one of duckdb, sqlite, postgres, ansi"),
            (["export", "--sql", "--dialect", "sqlite", "--model", model, "--rules", rules], "Pass one of --model and --rules."),
            (["export", "--sql", "--dialect", "sqlite", "--rules", rules], "--rules needs --id"),
            (["export", "--points", "--rules", rules, "--data", model], "a rules file is already points"),
            (["export", "--sql", "--dialect", "sqlite", "--model", model, "--as-of", "yesterday"], "--as-of takes YYYY-MM-DD or today"),
            (["export", "--points", "--model", model], "--points needs --data"),
        ]
        for (arguments, message) in refusals {
            let r = try CLI.run(arguments + ["-o", path("refused.sql")])
            XCTAssertNotEqual(r.status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains(message), "\(arguments): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("refused.sql")))
        }
    }

    /// The README's recipe: `.import` the new leads into a table and `.read`
    /// the query in the sqlite3 shell; the scores are `leadscore score`'s.
    func testTheSQLiteRecipeGivesTheScoresOfScore() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else {
            if ProcessInfo.processInfo.environment["LEADSCORE_REQUIRE_ENGINES"] != nil { XCTFail("sqlite3 is not installed") }
            throw XCTSkip("sqlite3 is not installed")
        }
        let dir = try CLI.temporaryDirectory(self)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let model = CLI.repositoryRoot.appendingPathComponent("models/b2b-deals.json").path
        let leads = CLI.repositoryRoot.appendingPathComponent("datasets/b2b-new-leads.csv").path
        XCTAssertEqual(try CLI.run(["export", "--sql", "--dialect", "sqlite", "--model", model, "-o", path("b2b.sql")]).status, 0)
        XCTAssertEqual(try CLI.run(["score", "--model", model, leads, "--reasons", "0", "-o", path("scores.csv")]).status, 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path("leads.db"), ".import --csv \(leads) leads", ".mode csv", ".headers on", ".output \(path("sql.csv"))", ".read \(path("b2b.sql"))"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        // The shell's CSV mode ends rows with CR LF.
        let text = try String(contentsOfFile: path("sql.csv"), encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
        try text.write(toFile: path("sql.csv"), atomically: true, encoding: .utf8)
        let got = try ThresholdsTests.table(path("sql.csv")), want = try ThresholdsTests.table(path("scores.csv"))
        XCTAssertEqual(got.rows.count, 5000)
        XCTAssertEqual(Array(got.header.prefix(want.header.count)), want.header)
        for (a, b) in zip(got.rows, want.rows) {
            XCTAssertEqual(a[0], b[0])
            XCTAssertEqual(Double(a[1])!, Double(b[1])!, accuracy: 1e-12, a[0])
            XCTAssertEqual(Array(a[2..<want.header.count]), Array(b[2...]), a[0])
        }
    }
}
