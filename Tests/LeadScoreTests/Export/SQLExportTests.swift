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
    func leadsModel(in engine: SQLEngine, splines: SplineMode? = nil, monotone: [String: String]? = nil) throws {
        try engine.require()
        guard let leads = Fixtures.leadsCSV else { throw XCTSkip("Leads.csv is not beside the repository") }
        var config = TrainingConfiguration()
        config.target = "Converted"
        config.ids = ["Prospect ID", "Lead Number"]
        config.exclude = ["Tags", "Lead Quality", "Lead Profile"]
        config.missingValues = ["Select"]
        config.splines = splines
        config.monotone = monotone
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

    /// With `splines` auto: 5-knot splines of the counts (TotalVisits and
    /// Page Views Per Visit with missing values, Total Time Spent on
    /// Website with a mass at 0).
    func testLeadsXEducationWithSplinesInSQLite() throws { try leadsModel(in: .sqlite, splines: .auto) }
    func testLeadsXEducationWithSplinesInDuckDB() throws { try leadsModel(in: .duckdb, splines: .auto) }
    func testLeadsXEducationWithSplinesInPostgreSQL() throws { try leadsModel(in: .postgres, splines: .auto) }

    /// Monotone columns (`NaturalSpline.monotone`): TotalVisits and Page
    /// Views Per Visit as ramps (CASE expressions), increasing and
    /// decreasing, with missing values (imputed below, at or above knots),
    /// and "Asymmetrique Activity Score" linear with a bounded slope.
    static let leadsMonotone = ["TotalVisits": "increasing", "Page Views Per Visit": "decreasing", "Asymmetrique Activity Score": "increasing"]
    func testLeadsXEducationMonotoneInSQLite() throws { try leadsModel(in: .sqlite, splines: .auto, monotone: Self.leadsMonotone) }
    func testLeadsXEducationMonotoneInDuckDB() throws { try leadsModel(in: .duckdb, splines: .auto, monotone: Self.leadsMonotone) }
    func testLeadsXEducationMonotoneInPostgreSQL() throws { try leadsModel(in: .postgres, splines: .auto, monotone: Self.leadsMonotone) }
    func testLeadsXEducationMonotoneLinearInSQLite() throws { try leadsModel(in: .sqlite, monotone: Self.leadsMonotone) }

    // MARK: - Splines

    /// Generated deals with a spline on every numeric and date column with
    /// enough values (`splines` auto; "Created Date" on its days ago, with
    /// 4 knots), one on a log1p column, one on a days-since column aged to
    /// the scoring day, and values left blank in a spline column and the
    /// date column (missing: imputed, with an indicator), scored as of
    /// 2026-09-30 so that the new leads' dates and ages reach beyond the
    /// outer knots.
    func splineModel(in engine: SQLEngine) throws {
        try engine.require()
        let dir = FileManager.default.temporaryDirectory
        let training = dir.appendingPathComponent("spline-\(UUID().uuidString).csv").path
        let csv = dir.appendingPathComponent("spline-new-\(UUID().uuidString).csv").path
        defer {
            try? FileManager.default.removeItem(atPath: training)
            try? FileManager.default.removeItem(atPath: csv)
        }
        let columns = SyntheticDeals(rows: 1, seed: 1).columns
        let blanked = [try XCTUnwrap(columns.firstIndex(of: "Website Sessions")), try XCTUnwrap(columns.firstIndex(of: "Created Date"))]
        let blank = { (row: Int, fields: inout [String]) in if row % 13 == 5 { for i in blanked { fields[i] = "" } } }
        try TrainedCards.writeDeals(rows: 4000, seed: 51, to: training, edit: blank)
        try TrainedCards.writeDeals(rows: 1500, seed: 52, to: csv, edit: blank)
        var config = TrainingConfiguration()
        config.target = "Stage"
        config.positive = ["Closed Won"]
        config.negative = ["Closed Lost"]
        config.ids = ["Deal ID"]
        config.exclude = ["Account ID", "Company Name"]
        config.log1p = ["Email Clicks"]
        config.measuredOn = ["Days Since Last Activity": "2026-06-30"]
        config.splines = .auto
        config.spline = ["Created Date:4"]
        var request = TrainingRequest(dataPath: training, configuration: config)
        request.trainingDate = "2026-12-07"
        let card = try Trainer.train(request)
        let splined = card.schema.numericEncoders.filter { $0.encoder.spline != nil }.map { card.schema.encoders.columns[$0.index].column }
        for column in ["Created Date", "Email Clicks", "Days Since Last Activity", "Website Sessions"] { XCTAssertTrue(splined.contains(column), column) }
        let asOf = try XCTUnwrap(ValueParser.isoDate("2026-09-30"))
        let options = SQLExportOptions(dialect: SQLDialect(rawValue: engine.rawValue)!, table: "leads", asOf: .day(asOf))
        XCTAssertEqual(try Self.assertSameScores(card, csv: csv, engine: engine, sql: options, scoring: ScoringOptions(asOfDays: asOf)), 1500)
    }

    func testSplinesInSQLite() throws { try splineModel(in: .sqlite) }
    func testSplinesInDuckDB() throws { try splineModel(in: .duckdb) }
    func testSplinesInPostgreSQL() throws { try splineModel(in: .postgres) }
    // MARK: - Pair terms

    /// A model with pair terms (`PairEncoder`) of a number and a category
    /// (Visits × Source: bins, a missing number in the median's bin, a
    /// rare cell merged into the reference cells), two
    /// categories (Source × Region, "Trade show" pooled into "(other)", its
    /// cell with East rare) and a boolean and a category (Demo × Region),
    /// on the fixture's deals and on leads with missing values, values not
    /// seen in training, and values in the rare cells.
    func pairsModel(in engine: SQLEngine) throws {
        try engine.require()
        let card = try PairEncoderTests.train {
            $0.l2 = 1
            $0.minCategoryCount = 45
            $0.interactions = ["Visits*Source", "Source*Region", "Demo*Region"]
        }
        XCTAssertEqual(card.schema.encoders.pairs.count, 3)
        XCTAssertEqual(card.schema.encoders.pairs.map { $0.minimumCellRows != nil }, [true, true, false])
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("pairs-leads-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: csv) }
        var text = try String(contentsOfFile: PairEncoderTests.csv, encoding: .utf8)
        text += "Q-1,Nowhere,North,7,Yes,No\nQ-2,,West,,,No\nQ-3,Ads,,0,No,No\nQ-4,Email, South ,12.5,TRUE,No\nQ-5,Referral,East,1,N,No\nQ-6,Trade show,East,2,No,No\n"
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        let options = SQLExportOptions(dialect: SQLDialect(rawValue: engine.rawValue)!, table: "leads")
        XCTAssertEqual(try Self.assertSameScores(card, csv: csv, engine: engine, sql: options, scoring: ScoringOptions()), 1506)
    }

    func testPairTermsInSQLite() throws { try pairsModel(in: .sqlite) }
    func testPairTermsInDuckDB() throws { try pairsModel(in: .duckdb) }
    func testPairTermsInPostgreSQL() throws { try pairsModel(in: .postgres) }

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

    // MARK: - Names and values that break naive quoting

    /// Column names with quotes, a backslash, a semicolon and a comment, a
    /// line break, SQL keywords and Unicode; category values likewise; a
    /// table and a view named to end a statement early. Trained on 1,500
    /// generated rows whose outcome depends on every column.
    static func hostileFile() throws -> (csv: String, card: ModelCard) {
        let id = "Deal \"ID\"", category = "it's; DROP TABLE leads; --", amount = "back\\slash \"amount\"", flag = "multi\nline flag"
        let keyword = "select", unicode = "Ünïcödé 数字 🚀", outcome = "order"
        let header = [id, category, amount, flag, keyword, unicode, outcome]
        let levels = ["O'Brien", "a\"b", "x\\y", "semi;colon", "new\nline", "emoji 🚀", "' OR 1=1 --", "NULL", "(other)"]
        let keywords = ["FROM", "where", "NULL", "\"quoted\""]
        var g = SeededGenerator(seed: 99)
        var rows: [[String]] = []
        for i in 0..<1500 {
            let c = g.index(below: levels.count), k = g.index(below: keywords.count)
            let a = g.uniform() * 100, b = g.uniform() < 0.5, u = g.uniform() * 10 - 5
            let eta = -1 + 0.3 * Double(c % 3) + 0.02 * a - 1 + (b ? 0.8 : 0) + 0.4 * Double(k) - 0.5 + 0.1 * u
            let won = g.uniform() < 1 / (1 + exp(-eta))
            rows.append([
                "D;\(i)'\"", levels[c], i % 97 == 0 ? "" : ModelNumber.text((a * 100).rounded() / 100), b ? "Yes" : "no", keywords[k],
                i % 89 == 0 ? "NA" : ModelNumber.text((u * 1000).rounded() / 1000), won ? "yes" : "no",
            ])
        }
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).csv").path
        let out = try AtomicOutput(path: csv)
        let writer = CSVWriter(output: out)
        writer.writeRow(header)
        for row in rows { writer.writeRow(row) }
        try out.commit()
        var config = TrainingConfiguration()
        config.target = outcome
        config.positive = ["yes"]
        config.ids = [id]
        config.minCategoryCount = 5
        var request = TrainingRequest(dataPath: csv, configuration: config)
        request.trainingDate = "2026-12-07"
        let card = try Trainer.train(request)
        XCTAssertEqual(Set(card.schema.encoders.columns.map(\.column)), [category, amount, flag, keyword, unicode])
        return (csv, card)
    }

    func hostileNames(in engine: SQLEngine) throws {
        try engine.require()
        let (csv, card) = try Self.hostileFile()
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let table = "leads \"x\"; DROP TABLE y; --", view = "scores'; --"
        let options = SQLExportOptions(dialect: SQLDialect(rawValue: engine.rawValue)!, table: table, view: view)
        let query = try SQLExport.model(card, name: "hostile.json", options: options)
        let result = try engine.run(query, csv: csv, table: table, select: "SELECT * FROM \(SQLText.identifier(view))")
        let expected = try Self.scored(card, csv, options: ScoringOptions())
        let got = try result.byKey(card.schema.idColumns[0])
        XCTAssertEqual(got.count, 1500)
        for (key, want) in expected.rows {
            let row = try XCTUnwrap(got[key], "\(engine): no row \(key)")
            let p = try XCTUnwrap(Double(try XCTUnwrap(row["probability"] ?? nil)))
            XCTAssertEqual(p, try XCTUnwrap(Double(want["probability"]!)), accuracy: 1e-12, "\(engine) \(key)")
            XCTAssertEqual((row["score"] ?? nil).flatMap(Double.init), Double(want["score"]!), "\(engine) \(key)")
            XCTAssertEqual(row["tier"] ?? nil, want["tier"], "\(engine) \(key)")
        }
    }

    func testHostileNamesAndValuesInSQLite() throws { try hostileNames(in: .sqlite) }
    func testHostileNamesAndValuesInDuckDB() throws { try hostileNames(in: .duckdb) }
    func testHostileNamesAndValuesInPostgreSQL() throws { try hostileNames(in: .postgres) }

    // MARK: - Values that cannot be read

    /// Awkward values in a numeric, a boolean and a date column, one per
    /// lead: where `score` reads the value (a lead file of that row alone
    /// scores), the query gives the same probability; where `score`
    /// refuses it, the query gives NULL and names the column.
    func unreadableValues(in engine: SQLEngine) throws {
        try engine.require()
        let (card, base, scoring, asOf) = try Self.richCard()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let corpus: [String: [String]] = [
            "Pricing Page Visits": [
                "12", " 7 ", "+5", ".5", "5.", "1e3", "2.5E-2", "-0", "0x10", "inf", "nan", "1,234", "1 000", "€5", "-", ".", "1e309", "1e-400",
                "１２", "12abc", "--3", "1e", "e5", "3.14.15", "NULL", "", "  ",
            ],
            "Demo Requested": ["Yes", "YES", "y", "T", "1", "1.0", "0.0", "0e5", "2", "yes please", "Oui", "TRUE ", "N/A", "ja"],
            "Created Date": [
                "2024-07-01", "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "2024-07-01T10:15:00.000Z", "2024-07-01 10:15",
                "2024-07-01 25:00", "2024-07-01T10:15+02:00", "2024-07-01T10:15:30.5 UTC", "2024-07-01T10:15 PM", "07/01/2024", "2024-7-1",
                "2024-07-01Z", "2024-07-01T10:15+15", "2024-07-01T10:15:60", "0000-01-01", "9999-12-31",
            ],
        ]
        try Self.assertCorpus(corpus, card: card, base: base, id: "Deal ID", scoring: scoring, sql: SQLExportOptions(dialect: SQLDialect(rawValue: engine.rawValue)!, asOf: .day(asOf), tiers: scoring.tiers), engine: engine)
    }

    /// One lead per value of `corpus` (column → values), the rest of its
    /// row the first row of `base`: where `score` reads the value (the row
    /// alone scores), the query gives the same probability; where `score`
    /// refuses it, NULL, and the column named.
    static func assertCorpus(
        _ corpus: [String: [String]], card: ModelCard, base: String, id idColumn: String, scoring: ScoringOptions, sql options: SQLExportOptions,
        engine: SQLEngine
    ) throws {
        let reader = try CSVReader(path: base)
        let header = reader.header
        XCTAssertTrue(try reader.nextRecord())
        let first = header.indices.map { reader.field($0) }
        let id = try XCTUnwrap(header.firstIndex(of: idColumn))
        var rows: [[String]] = []
        var expected: [String: Double?] = [:], columnOf: [String: String] = [:]
        let dir = FileManager.default.temporaryDirectory
        let one = dir.appendingPathComponent("one-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: one) }
        for (column, values) in corpus.sorted(by: { $0.key < $1.key }) {
            let k = try XCTUnwrap(header.firstIndex(of: column))
            for value in values {
                var row = first
                row[k] = value
                row[id] = "L\(rows.count)"
                rows.append(row)
                // score on the row alone: its probability, or nil when refused.
                let out = try AtomicOutput(path: one)
                let writer = CSVWriter(output: out)
                writer.writeRow(header)
                writer.writeRow(row)
                try out.commit()
                let scored = try? Self.scored(card, one, options: scoring)
                expected.updateValue(scored.map { Double($0.rows[row[id]]!["probability"]!)! }, forKey: row[id])
                columnOf[row[id]] = column
            }
        }
        XCTAssertGreaterThan(expected.values.filter { $0 == nil }.count, 5, "values score refuses")
        XCTAssertGreaterThan(expected.values.filter { $0 != nil }.count, 5, "values score reads")
        let csv = dir.appendingPathComponent("corpus-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let out = try AtomicOutput(path: csv)
        let writer = CSVWriter(output: out)
        writer.writeRow(header)
        for row in rows { writer.writeRow(row) }
        try out.commit()

        let query = try SQLExport.model(card, name: "model.json", options: options)
        // The corpus's columns hold words, so DuckDB's read_csv types them
        // as text too: each value reaches the query as written.
        let got = try engine.run(query, csv: csv, table: options.table).byKey(idColumn)
        for (key, want) in expected.sorted(by: { $0.key < $1.key }) {
            let row = try XCTUnwrap(got[key])
            let value = rows[Int(key.dropFirst())!][try XCTUnwrap(header.firstIndex(of: columnOf[key]!))]
            if let want {
                let p = try XCTUnwrap((row["probability"] ?? nil).flatMap(Double.init), "\(engine): \(columnOf[key]!) = \"\(value)\" is read by score")
                XCTAssertEqual(p, want, accuracy: 1e-12, "\(engine): \(columnOf[key]!) = \"\(value)\"")
                XCTAssertNil(row["unreadable_columns"] ?? nil, "\(engine): \(columnOf[key]!) = \"\(value)\"")
            } else {
                XCTAssertNil(row["probability"] ?? nil, "\(engine): \(columnOf[key]!) = \"\(value)\" is refused by score")
                XCTAssertNil(row["tier"] ?? nil, "\(engine): \(columnOf[key]!) = \"\(value)\"")
                XCTAssertEqual(row["unreadable_columns"] ?? nil, columnOf[key]! + "; ", "\(engine): \(columnOf[key]!) = \"\(value)\"")
            }
        }
    }

    func testUnreadableValuesInSQLite() throws { try unreadableValues(in: .sqlite) }
    func testUnreadableValuesInDuckDB() throws { try unreadableValues(in: .duckdb) }
    func testUnreadableValuesInPostgreSQL() throws { try unreadableValues(in: .postgres) }

    // MARK: - Rules files

    /// A rules file's SQL against `score --rules` on the same file: points
    /// within 1e-9 (decay is `POWER` there, `pow` here), tier,
    /// disqualify entry and grid cell the same.
    static func assertSameRulePoints(_ rules: String, csv: String, id: String, engine: SQLEngine, options: ScoringOptions = ScoringOptions()) throws -> Int {
        let set = try RuleSet.load(path: rules)
        let query = try SQLExport.rules(set, name: "rules.yaml", ids: [id], options: SQLExportOptions(dialect: SQLDialect(rawValue: engine.rawValue)!))
        let got = try engine.run(query, csv: csv, table: "leads").byKey(id)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("points-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try Scorer.score(rules: set, inputPath: csv, outputPath: out, idColumns: [id], options: options)
        let reader = try CSVReader(path: out)
        var n = 0
        while try reader.nextRecord() {
            n += 1
            var want: [String: String] = [:]
            for (i, name) in reader.header.enumerated() { want[name] = reader.field(i) }
            let key = want[id]!
            let row = try XCTUnwrap(got[key], "\(engine): no row \(key)")
            XCTAssertNil(row["unreadable_columns"] ?? nil, "\(engine) \(key)")
            for column in ["points", "fit_points", "engagement_points"] {
                let v = try XCTUnwrap((row[column] ?? nil).flatMap(Double.init), "\(engine) \(key) \(column)")
                XCTAssertEqual(v, Double(want[column]!)!, accuracy: 1e-9, "\(engine) \(key) \(column)")
            }
            XCTAssertEqual(row["tier"] ?? nil, want["tier"], "\(engine) \(key)")
            XCTAssertEqual((row["disqualified_by"] ?? nil) ?? "", want["disqualified_by"], "\(engine) \(key)")
            if let grid = want["grid"] { XCTAssertEqual(row["grid"] ?? nil, grid, "\(engine) \(key)") }
        }
        XCTAssertEqual(got.count, n)
        return n
    }

    func rulesFiles(in engine: SQLEngine) throws {
        try engine.require()
        let csv = Self.root.appendingPathComponent("datasets/b2b-new-leads.csv").path
        // Hand-set rules with per-occurrence points, decay, disqualify
        // entries, tiers and a grid; and the bundled model's points export.
        for file in ["models/b2b-deals.rules.yaml", "models/b2b-deals.points.yaml"] {
            XCTAssertEqual(try Self.assertSameRulePoints(Self.root.appendingPathComponent(file).path, csv: csv, id: "Deal ID", engine: engine), 5000, file)
        }
        if let leads = Fixtures.leadsCSV {
            let rules = Self.root.appendingPathComponent("models/leads-x-education.rules.yaml").path
            XCTAssertEqual(try Self.assertSameRulePoints(rules, csv: leads, id: "Prospect ID", engine: engine), 9240)
        }
    }

    func testRulesFilesInSQLite() throws { try rulesFiles(in: .sqlite) }
    func testRulesFilesInDuckDB() throws { try rulesFiles(in: .duckdb) }
    func testRulesFilesInPostgreSQL() throws { try rulesFiles(in: .postgres) }

    // MARK: - A HubSpot export

    /// A model trained on a HubSpot-style export as it comes (month-first
    /// dates with times, `closedwon`), and a corpus of dates in its
    /// month-first column.
    func hubSpot(in engine: SQLEngine) throws { try crmExport(.hubspot, in: engine) }

    /// The same for a Salesforce-style export: day-first dates (which
    /// DuckDB types as dates) and amounts with a currency code.
    func salesforce(in engine: SQLEngine) throws { try crmExport(.salesforce, in: engine) }

    func crmExport(_ style: SyntheticDeals.Style, in engine: SQLEngine) throws {
        try engine.require()
        let dir = FileManager.default.temporaryDirectory
        let training = dir.appendingPathComponent("hubspot-\(UUID().uuidString).csv").path, new = dir.appendingPathComponent("hubspot-new-\(UUID().uuidString).csv").path
        defer {
            try? FileManager.default.removeItem(atPath: training)
            try? FileManager.default.removeItem(atPath: new)
        }
        for (path, seed, rows) in [(training, UInt64(51), 4000), (new, UInt64(52), 1500)] {
            let out = try AtomicOutput(path: path)
            let writer = CSVWriter(output: out)
            let deals = SyntheticDeals(rows: rows, seed: seed, style: style)
            writer.writeRow(deals.columns)
            deals.generate { writer.writeRow($0) }
            try out.commit()
        }
        var request = TrainingRequest(dataPath: training, configuration: TrainingConfiguration())
        request.trainingDate = "2026-12-07"
        let card = try Trainer.train(request)
        let order: DateFormat = style == .hubspot ? .monthFirst : .dayFirst
        let dated = card.schema.encoders.columns.compactMap { c -> String? in
            if case .date(let e) = c, e.format == order { return e.column }
            return nil
        }
        let column = try XCTUnwrap(dated.first, "a \(order.rawValue) date column")
        let options = SQLExportOptions(dialect: SQLDialect(rawValue: engine.rawValue)!)
        let id = card.schema.idColumns[0]
        XCTAssertEqual(try Self.assertSameScores(card, csv: new, engine: engine, sql: options, scoring: ScoringOptions()), 1500)
        var corpus = [
            column: [
                "07/01/2024 10:15", "7/1/2024", "07.01.2024", "07-01-2024 9:05 PM", "07/01/2024 13:05 PM", "02/30/2024", "02/29/2024", "02/29/2023",
                "13/01/2024", "07/01/24", "07/01/2024 25:61", "2024-07-01", "07/01/2024T10:15:00Z", "00/10/2024", "07/32/2024", "07/01/2024 10:15 am",
                "07/01/2024 10:15AM +02:00", "07/01/2024 0:05 AM", "07/01/2024 12:00 PM", "07/01/2024 10:15 EST", "7/1/2024 10:15:30.25",
            ]
        ]
        let amounts = card.schema.encoders.columns.compactMap { c -> (String, String?)? in
            if case .numeric(let e) = c, e.amountFormat == .decimalPoint { return (e.column, e.currency) }
            return nil
        }
        if style == .salesforce {
            let (amount, currency) = try XCTUnwrap(amounts.first, "an amount column")
            XCTAssertEqual(currency, "USD")
            corpus[amount] = [
                "USD 18,111.00", "USD18,111.00", "18,111.00 USD", "-USD 1,234.5", "USD -1,234.5", "USD 1,234,567", "$18,111.00", "EUR 5", "18111.00",
                "18111", "1e3", "USD 1,23", "USD 12,3456", "USD ,123", "USD 1,234.", "USD", "USD 1 234", "USD 18.111,00", "--5", "USD 1,234.5 USD",
                "12,345", "(1,234)", "1,234%", "USD 1234,567", "USD 12345,678.9", "USD 0,123",
            ]
        }
        try Self.assertCorpus(corpus, card: card, base: new, id: id, scoring: ScoringOptions(), sql: options, engine: engine)
    }

    func testSalesforceExportInSQLite() throws { try salesforce(in: .sqlite) }
    func testSalesforceExportInDuckDB() throws { try salesforce(in: .duckdb) }
    func testSalesforceExportInPostgreSQL() throws { try salesforce(in: .postgres) }

    func testHubSpotExportInSQLite() throws { try hubSpot(in: .sqlite) }
    func testHubSpotExportInDuckDB() throws { try hubSpot(in: .duckdb) }
    func testHubSpotExportInPostgreSQL() throws { try hubSpot(in: .postgres) }
}
