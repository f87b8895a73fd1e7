import Foundation
import XCTest

@testable import LeadScore

/// `export --sql` run in the real engines (`SQLEngine`: SQLite, DuckDB,
/// PostgreSQL) against `leadscore score` on the same file: probabilities
/// within 1e-12, scores, tiers and grid cells identical, for the bundled
/// model, a model of the real Leads X Education export, a model with
/// everything an export must carry (dates, aging, segments, a
/// recalibration, tiers on the probability), and names and values chosen
/// to break quoting.
final class SQLExportTests: XCTestCase {
    static let root = Fixtures.repositoryRoot

    /// `score`'s rows of `csv` (reasons off), by the first id column.
    static func scored(_ card: ModelCard, _ csv: String, options: ScoringOptions) throws -> (header: [String], rows: [String: [String: String]]) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("scores-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        var options = options
        options.reasons = 0
        _ = try Scorer.score(model: card, inputPath: csv, outputPath: out, options: options)
        let reader = try CSVReader(path: out)
        var rows: [String: [String: String]] = [:]
        while try reader.nextRecord() {
            var row: [String: String] = [:]
            for (i, name) in reader.header.enumerated() { row[name] = reader.field(i) }
            rows[reader.field(0)] = row
        }
        return (reader.header, rows)
    }

    /// Runs `card`'s SQL for `dialect` over `csv` in `engine` and compares
    /// every row with `score`'s. Returns the number of rows compared.
    @discardableResult
    static func assertSameScores(
        _ card: ModelCard, csv: String, engine: SQLEngine, sql options: SQLExportOptions, scoring: ScoringOptions,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> Int {
        let query = try SQLExport.model(card, name: "model.json", options: options)
        let result = try engine.run(query, csv: csv, table: options.table)
        let expected = try scored(card, csv, options: scoring)
        let id = card.schema.idColumns[0]
        XCTAssertEqual(Set(result.header), Set(expected.header + ["unreadable_columns"]), "\(engine): the columns of score", file: file, line: line)
        let got = try result.byKey(id)
        XCTAssertEqual(got.count, expected.rows.count, "\(engine): rows", file: file, line: line)
        var worst = 0.0
        for (key, want) in expected.rows {
            guard let row = got[key] else {
                XCTFail("\(engine): no row \(key)", file: file, line: line)
                continue
            }
            XCTAssertNil(row["unreadable_columns"] ?? nil, "\(engine) \(key)", file: file, line: line)
            let p = try XCTUnwrap(Double(try XCTUnwrap(row["probability"] ?? nil)), file: file, line: line)
            let q = try XCTUnwrap(Double(try XCTUnwrap(want["probability"])), file: file, line: line)
            worst = max(worst, abs(p - q))
            for column in expected.header where column != "probability" && column != id {
                let value = row[column] ?? nil
                // Numbers come back as numbers (7 or 7.0).
                if let w = Int(want[column]!), let v = value.flatMap(Double.init) {
                    XCTAssertEqual(v, Double(w), "\(engine) \(key) \(column)", file: file, line: line)
                } else {
                    XCTAssertEqual(value, want[column], "\(engine) \(key) \(column)", file: file, line: line)
                }
            }
        }
        XCTAssertLessThanOrEqual(worst, 1e-12, "\(engine): the largest probability difference", file: file, line: line)
        return expected.rows.count
    }

    // MARK: - The bundled model

    func bundledModel(in engine: SQLEngine) throws {
        try engine.require()
        let card = try ModelCard.load(path: Self.root.appendingPathComponent("models/b2b-deals.json").path)
        let csv = Self.root.appendingPathComponent("datasets/b2b-new-leads.csv").path
        let n = try Self.assertSameScores(
            card, csv: csv, engine: engine, sql: SQLExportOptions(dialect: SQLDialect(rawValue: engine.rawValue)!, table: "new_leads"),
            scoring: ScoringOptions(tiers: card.tiers ?? .standard))
        XCTAssertEqual(n, 5000)
    }

    func testBundledModelInSQLite() throws { try bundledModel(in: .sqlite) }
    func testBundledModelInDuckDB() throws { try bundledModel(in: .duckdb) }
    func testBundledModelInPostgreSQL() throws { try bundledModel(in: .postgres) }

    // MARK: - Leads X Education

    /// The real CRM export, trained as the README trains it: Yes/No flags
    /// (BOOLEAN in DuckDB), "Select" as a missing marker, counts with
    /// decimals, 96 features.
    func leadsModel(in engine: SQLEngine) throws {
        try engine.require()
        guard let leads = Fixtures.leadsCSV else { throw XCTSkip("Leads.csv is not beside the repository") }
        var config = TrainingConfiguration()
        config.target = "Converted"
        config.ids = ["Prospect ID", "Lead Number"]
        config.exclude = ["Tags", "Lead Quality", "Lead Profile"]
        config.missingValues = ["Select"]
        var request = TrainingRequest(dataPath: leads, configuration: config)
        request.trainingDate = "2026-12-07"
        let card = try Trainer.train(request)
        let n = try Self.assertSameScores(
            card, csv: leads, engine: engine, sql: SQLExportOptions(dialect: SQLDialect(rawValue: engine.rawValue)!, table: "crm leads"),
            scoring: ScoringOptions())
        XCTAssertEqual(n, 9240)
    }

    func testLeadsXEducationInSQLite() throws { try leadsModel(in: .sqlite) }
    func testLeadsXEducationInDuckDB() throws { try leadsModel(in: .duckdb) }
    func testLeadsXEducationInPostgreSQL() throws { try leadsModel(in: .postgres) }

    // MARK: - Everything a card can carry

    /// Generated deals with regions: a date column, a days-since column
    /// aged to a later day, log1p, fit and engagement groups (the grid),
    /// segment models, an isotonic recalibration and tiers on the
    /// probability, scored as of 2026-09-30.
    static func richCard() throws -> (card: ModelCard, csv: String, scoring: ScoringOptions, asOf: Int) {
        let dir = FileManager.default.temporaryDirectory
        let training = dir.appendingPathComponent("rich-\(UUID().uuidString).csv").path
        let recent = dir.appendingPathComponent("rich-recent-\(UUID().uuidString).csv").path
        defer {
            try? FileManager.default.removeItem(atPath: training)
            try? FileManager.default.removeItem(atPath: recent)
        }
        try TrainedCards.writeDeals(rows: 6000, seed: 41, accountEffect: 0, regions: true, to: training)
        try TrainedCards.writeDeals(rows: 3000, seed: 42, accountEffect: 0, regions: true, to: recent)
        var config = TrainingConfiguration()
        config.target = "Stage"
        config.positive = ["Closed Won"]
        config.negative = ["Closed Lost"]
        config.ids = ["Deal ID"]
        config.exclude = ["Account ID", "Company Name", "Region"]
        config.log1p = ["Email Clicks"]
        config.measuredOn = ["Days Since Last Activity": "2026-06-30"]
        config.fit = TrainedCards.fitColumns
        config.engagement = TrainedCards.engagementColumns
        config.segment = "Region"
        config.segmentL2 = 3
        config.minConversions = 40
        var request = TrainingRequest(dataPath: training, configuration: config)
        request.trainingDate = "2026-12-07"
        let trained = try Trainer.train(request)
        let card = try Recalibration.run(
            Recalibration.Request(model: trained, modelPath: "rich.json", dataPath: recent, method: .isotonic, date: "2026-12-07")).card
        XCTAssertNotNil(card.segments)
        XCTAssertNotNil(card.subScores)
        XCTAssertTrue(card.schema.encoders.columns.contains { $0.kind == .date })
        let asOf = try XCTUnwrap(ValueParser.isoDate("2026-09-30"))
        let tiers = TierScheme(labels: ["Hot", "Warm", "Cold"], valueCuts: [0.4, 0.15])
        let csv = dir.appendingPathComponent("rich-new-\(UUID().uuidString).csv").path
        try TrainedCards.writeDeals(rows: 2000, seed: 43, accountEffect: 0, regions: true, to: csv)
        return (card, csv, ScoringOptions(tiers: tiers, asOfDays: asOf), asOf)
    }

    func richModel(in engine: SQLEngine) throws {
        try engine.require()
        let (card, csv, scoring, asOf) = try Self.richCard()
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let options = SQLExportOptions(dialect: SQLDialect(rawValue: engine.rawValue)!, table: "leads", asOf: .day(asOf), tiers: scoring.tiers)
        XCTAssertEqual(try Self.assertSameScores(card, csv: csv, engine: engine, sql: options, scoring: scoring), 2000)
    }

    func testEverythingACardCarriesInSQLite() throws { try richModel(in: .sqlite) }
    func testEverythingACardCarriesInDuckDB() throws { try richModel(in: .duckdb) }
    func testEverythingACardCarriesInPostgreSQL() throws { try richModel(in: .postgres) }
}
