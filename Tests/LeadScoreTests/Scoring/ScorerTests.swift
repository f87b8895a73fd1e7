import XCTest

@testable import LeadScore

/// `Scorer.score` writes its rows from bytes; `referenceScore` below is the
/// same output built from `String`s (`StringRowEncoder`, `LinearPredictor`,
/// `description`, `ModelNumber.fixed`, `ModelNumber.signed`,
/// `ModelNumber.odds`, `CSVWriter.writeRow`). The files
/// must be identical byte for byte, and errors identical, on leads full of
/// awkward values.
final class ScorerTests: XCTestCase {
    func writeCSV(_ header: [String], _ rows: [[String]]) throws -> String {
        let path = temporaryPath("leads.csv")
        let out = try AtomicOutput(path: path)
        let writer = CSVWriter(output: out)
        writer.writeRow(header)
        for row in rows { writer.writeRow(row) }
        try out.commit()
        return path
    }

    /// A model trained on synthetic deals, with rare countries pooled into
    /// "(other)", Deal ID its only id (Account ID left out, as in the
    /// bundled configuration); `groups`: with its columns assigned to fit
    /// and engagement.
    func trainedModel(groups: Bool = false) throws -> ModelCard {
        var rows: [[String]] = []
        SyntheticDeals(rows: 2500, seed: 31).generate { rows.append($0) }
        let path = try writeCSV(SyntheticDeals.header, rows)
        var c = TrainingConfiguration()
        c.target = "Stage"
        c.positive = ["Closed Won"]
        c.negative = ["Closed Lost"]
        c.exclude = ["Account ID", "Company Name"]
        c.ids = ["Deal ID"]
        c.minCategoryCount = 60
        if groups { TrainedCards.assignGroups(&c) }
        let model = try Trainer.train(TrainingRequest(dataPath: path, configuration: c))
        let pooled = model.schema.encoders.columns.contains { if case .categorical(let e) = $0 { !e.pooled.isEmpty } else { false } }
        XCTAssertTrue(pooled, "the model should have pooled levels")
        return model
    }

    /// New leads: synthetic rows with a third of the model's fields replaced by
    /// awkward but valid spellings (spaces, missing markers, unseen and pooled
    /// levels, non-ASCII and quoted text, exponents).
    func awkwardLeads(model: ModelCard, rows count: Int, seed: UInt64) -> [[String]] {
        var rows: [[String]] = []
        SyntheticDeals(rows: count, seed: seed).generate { rows.append($0) }
        let header = SyntheticDeals.header
        var g = SeededGenerator(seed: seed)
        let levels = model.schema.encoders.columns.flatMap { c -> [String] in
            if case .categorical(let e) = c { return e.levels + e.pooled + [e.reference] } else { return [] }
        }
        for r in rows.indices {
            for c in model.schema.encoders.columns {
                guard Int.random(in: 0..<3, using: &g) == 0, let i = header.firstIndex(of: c.column) else { continue }
                let original = rows[r][i]
                let options: [String]
                switch c.kind {
                case .categorical:
                    options = [
                        " \(original) ", "\(original)\t", "NA", "", "n/a", "Select", "(missing)", "(other)", "Atlantis", "Zürich",
                        "Zu\u{308}rich", "A, \"quoted\" level", "\u{212A}", levels.randomElement(using: &g)!, original.lowercased(),
                    ]
                case .numeric:
                    options = [" \(original) ", "", "NA", "1e1", "+2", ".5", "5.", "0.25", "1000000", "-3", "null"]
                case .boolean:
                    options = ["yes", "TRUE", "0", "1.0", "", "n/a", " Y ", "f"]
                case .date:
                    options = ["2024-01-05T10:00", "", "2024-02-29", " 2023-12-31 ", "NA"]
                }
                rows[r][i] = options.randomElement(using: &g)!
            }
            if Int.random(in: 0..<10, using: &g) == 0 { rows[r][0] = "D-\(r), \"special\"" }
        }
        return rows
    }

    /// The scores file as the `String` path writes it.
    func referenceScore(model: ModelCard, inputPath: String, outputPath: String, options: ScoringOptions) throws(InputError) -> ScoringSummary {
        let reader = try CSVReader(path: inputPath)
        let parser = ValueParser(missingMarkers: model.schema.missingValues + options.extraMissingValues)
        let encoder = try StringRowEncoder(
            encoder: model.schema.encoders, parser: parser, header: reader.header, file: inputPath,
            asOfDays: options.asOfDays ?? model.schema.asOf.flatMap(ValueParser.isoDate))
        let predictor = LinearPredictor(model: model)
        var features = [Double](repeating: 0, count: model.features.count)
        let idIndices = model.schema.idColumns.compactMap { reader.header.firstIndex(of: $0) }
        let idNames = model.schema.idColumns.filter { reader.header.contains($0) }
        let output = try AtomicOutput(path: outputPath)
        let writer = CSVWriter(output: output)
        // With groups: F and E summed here from the card's coefficients in
        // feature order, each from +0; the sub-scores and the cell computed
        // from their definitions.
        let groups = model.subScores == nil ? nil : model.features.map { $0.group }
        writer.writeRow(
            Scorer.outputHeader(
                idNames: idNames, reasons: options.reasons, modelEdited: Scorer.marksEdited(model), grid: groups != nil,
                provenance: options.provenance != nil))
        let provenance = try options.provenance.map { p throws(InputError) in [try Scorer.modelID(model), p.scoredAt.description] } ?? []
        var summary = ScoringSummary(rows: 0, tierCounts: [:], unseenValues: [:], seconds: 0)
        let columns = model.schema.encoders.columns
        while try reader.nextRecord() {
            try features.withUnsafeMutableBufferPointer { (x) throws(InputError) in
                try encoder.encode(field: { reader.field($0) }, line: reader.recordLine, file: inputPath, into: x.baseAddress!)
            }
            let eta = predictor.logOdds(features: features)
            var contributions: [Double] = []
            var j = 0
            for c in columns {
                var sum = 0.0
                for _ in 0..<c.featureCount { LinearPredictor.add(predictor.coefficients[j], features[j], to: &sum); j += 1 }
                contributions.append(sum)
            }
            if !eta.isFinite {
                let k = contributions.firstIndex { !$0.isFinite } ?? 0
                throw InputError(
                    .invalidValue, at: InputLocation(file: inputPath, line: reader.recordLine, column: columns[k].column, value: reader.field(encoder.fieldIndex[k])),
                    "the lead's log-odds overflow: this value is far outside anything seen in training.",
                    remedy: "Fix the value, or mark it as missing with \(OptionKey.missingValues.mention).")
            }
            summary.rows += 1
            let p = sigmoid(eta)
            let score = Int((p * 100).rounded())
            let tier = options.tiers.tier(score: score)
            summary.tierCounts[tier, default: 0] += 1
            var fields = idIndices.isEmpty ? [String(summary.rows)] : idIndices.map { reader.field($0) }
            fields += [options.probabilityDecimals.map { ModelNumber.fixed(p, $0) } ?? p.description, String(score), tier]
            if let groups, let scale = model.subScores {
                var fit = 0.0, engagement = 0.0
                for j in features.indices {
                    if groups[j] == .fit { fit += predictor.coefficients[j] * features[j] } else { engagement += predictor.coefficients[j] * features[j] }
                }
                let b = model.intercept.coefficient
                let fitScore = Int((100 * sigmoid(b + fit + scale.meanEngagement)).rounded())
                let engagementScore = Int((100 * sigmoid(b + scale.meanFit + engagement)).rounded())
                let cuts = options.tiers.grid ?? scale.grid
                let letter = ["A", "B", "C"].indices.first { Double(fitScore) >= cuts.fit[$0] } ?? 3
                let digit = ["1", "2", "3"].indices.first { Double(engagementScore) >= cuts.engagement[$0] } ?? 3
                fields += [String(fitScore), String(engagementScore), ["A", "B", "C", "D"][letter] + String(digit + 1)]
            }
            for (k, c) in columns.enumerated() where c.kind == .categorical {
                let v = encoder.parser.present(reader.field(encoder.fieldIndex[k]))
                if v != nil, encoder.isUnseen(column: k, value: v) { summary.unseenValues[c.column, default: 0] += 1 }
            }
            if options.reasons > 0 {
                let order = contributions.indices.sorted { contributions[$0] != contributions[$1] ? contributions[$0] > contributions[$1] : $0 < $1 }
                let up = order.filter { contributions[$0] >= Scorer.minimumReason }.prefix(options.reasons)
                let down = order.reversed().filter { contributions[$0] <= -Scorer.minimumReason }.prefix(options.reasons)
                for list in [Array(up), Array(down)] {
                    for r in 0..<options.reasons {
                        guard r < list.count else {
                            fields.append("")
                            continue
                        }
                        let k = list[r]
                        let value = encoder.parser.present(reader.field(encoder.fieldIndex[k]))
                        let words = options.reasonStyle == .words
                        let amount = words ? ": odds ×\(ModelNumber.odds(contributions[k]))" : " (\(ModelNumber.signed(contributions[k])))"
                        if let value {
                            var rare = false
                            if case .categorical(let e) = columns[k] { rare = encoder.isUnseen(column: k, value: value) || e.pooled.contains(value) }
                            fields.append("\(columns[k].column) = \(value)\(rare ? " [rare]" : "")\(amount)")
                        } else {
                            fields.append("\(columns[k].column) \(words ? "missing" : "is missing")\(amount)")
                        }
                    }
                }
            }
            if Scorer.marksEdited(model) { fields.append("true") }
            writer.writeRow(fields + provenance)
        }
        try output.commit()
        return summary
    }

    /// Ways of reading the input: one thread, and segments small enough
    /// that a file of a few hundred kilobytes is cut dozens of times.
    static let plans: [(SegmentPlan.Choice, String)] = [
        (.sequential, "one thread"), (.segments(bytes: 8192, workers: 3), "8 KiB segments, 3 workers"),
        (.segments(bytes: 1000, workers: 2), "1000-byte segments, 2 workers"), (.automatic, "automatic"),
    ]

    func assertSameOutput(model: ModelCard, input: String, options: ScoringOptions, _ message: String, line: UInt = #line) throws {
        let expected = temporaryPath("expected.csv")
        let b = try referenceScore(model: model, inputPath: input, outputPath: expected, options: options)
        let expectedBytes = try Data(contentsOf: URL(fileURLWithPath: expected))
        for (plan, name) in Self.plans {
            let message = "\(message), \(name)"
            let got = temporaryPath("got.csv")
            let a = try Scorer.score(model: model, inputPath: input, outputPath: got, options: options, progress: nil, plan: plan)
            let gotBytes = try Data(contentsOf: URL(fileURLWithPath: got))
            XCTAssertEqual(gotBytes.count, expectedBytes.count, message, line: line)
            if gotBytes != expectedBytes {
                let x = String(decoding: gotBytes, as: UTF8.self).split(separator: "\n"), y = String(decoding: expectedBytes, as: UTF8.self).split(separator: "\n")
                let first = zip(x, y).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                XCTFail("\(message): outputs differ at line \(first.map { $0 + 1 } ?? min(x.count, y.count)): \(first.map { "\(x[$0])\n\(y[$0])" } ?? "")", line: line)
            }
            XCTAssertEqual(a.rows, b.rows, message, line: line)
            XCTAssertEqual(a.tierCounts, b.tierCounts, message, line: line)
            XCTAssertEqual(a.unseenValues, b.unseenValues, message, line: line)
        }
    }

    /// The account file is folded in file order: the same bytes however
    /// the file is cut and on however many threads.
    func testAccountFileIsTheSameForEveryPlan() throws {
        let model = try trainedModel()
        let leads = awkwardLeads(model: model, rows: 3000, seed: 33)
        let input = try writeCSV(SyntheticDeals.header, leads)
        let options = ScoringOptions(reasons: 0, accounts: AccountOptions(column: "Company Name"))
        var files: [Data] = []
        for (plan, name) in Self.plans {
            let path = temporaryPath("accounts-\(files.count).csv")
            let s = try Scorer.score(model: model, inputPath: input, outputPath: temporaryPath("s.csv"), options: options, accountsPath: path, progress: nil, plan: plan)
            XCTAssertNotNil(s.accounts, name)
            files.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        XCTAssertGreaterThan(files[0].count, 1000)
        for (k, f) in files.enumerated() { XCTAssertEqual(f, files[0], Self.plans[k].1) }
    }

    func testOutputEqualsTheStringPathByteForByte() throws {
        let model = try trainedModel()
        let leads = awkwardLeads(model: model, rows: 3000, seed: 32)
        let input = try writeCSV(SyntheticDeals.header, leads)
        let hot = try TierScheme(parsing: "Hot:70,Warm:40,Cold")
        for (options, name) in [
            (ScoringOptions(reasons: 0), "no reasons"),
            (ScoringOptions(reasons: 3), "3 reasons"),
            (ScoringOptions(reasons: 20), "20 reasons"),
            (ScoringOptions(reasons: 3, reasonStyle: .raw), "3 raw reasons"),
            (ScoringOptions(reasons: 2, probabilityDecimals: 4, provenance: ScoresProvenance(scoredAt: UTCTimestamp(seconds: 1_796_638_500))), "4 decimals, provenance"),
            (ScoringOptions(tiers: hot, reasons: 2, asOfDays: 19_900, extraMissingValues: ["Select", "Atlantis"]), "options"),
        ] {
            try assertSameOutput(model: model, input: input, options: options, name)
        }
        // Without the model's id column: refused, naming it.
        let noID = try writeCSV(Array(SyntheticDeals.header.dropFirst()), leads.map { Array($0.dropFirst()) })
        XCTAssertThrowsError(try Scorer.score(model: model, inputPath: noID, outputPath: temporaryPath("no-id.csv"))) { error in
            XCTAssertEqual((error as? InputError)?.kind, .missingColumn)
            XCTAssertTrue((error as? InputError)?.problem.contains("\"Deal ID\" is the model's id column") ?? false, "\(error)")
        }
        // A model without id columns: rows are numbered, and a note says so.
        var anonymous = model
        anonymous.schema.idColumns = []
        try assertSameOutput(model: anonymous, input: noID, options: ScoringOptions(reasons: 1), "row numbers")
        let numbered = try Scorer.score(model: anonymous, inputPath: noID, outputPath: temporaryPath("numbered.csv"))
        XCTAssertEqual(numbered.notes.count, 1)
        XCTAssertTrue(numbered.notes[0].contains("no id column"))
        // A card edited and used anyway: every row ends with
        // `model_edited`, `true`, in every plan, with ids or row numbers.
        var edited = model
        edited.integrity = .editedAllowed(file: "m.json")
        try assertSameOutput(model: edited, input: input, options: ScoringOptions(reasons: 2), "edited")
        anonymous.integrity = .editedAllowed(file: "m.json")
        try assertSameOutput(model: anonymous, input: noID, options: ScoringOptions(reasons: 0), "edited, row numbers")
        let editedOut = temporaryPath("edited.csv")
        _ = try Scorer.score(model: anonymous, inputPath: noID, outputPath: editedOut, options: ScoringOptions(reasons: 0))
        let editedRows = try String(contentsOfFile: editedOut, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(editedRows.first, "row,probability,score,tier,model_edited")
        XCTAssertTrue(editedRows.last?.hasSuffix(",true") ?? false)

        // The file does exercise unseen values, rare levels and missing values.
        let out = temporaryPath("check.csv")
        let summary = try Scorer.score(model: model, inputPath: input, outputPath: out, options: ScoringOptions(reasons: 20))
        XCTAssertGreaterThan(summary.unseenValues.values.reduce(0, +), 100)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(text.contains("[rare]"))
        XCTAssertTrue(text.contains(" missing: odds ×"))
        XCTAssertTrue(text.contains("\"\"special\"\""), "quoted ids")
    }

    /// A model with fit and engagement groups writes `fit_score`,
    /// `engagement_score` and `grid` after the tier, as the String path
    /// computes them from their definitions, on every plan; with a tiers
    /// file's grid, at its cut-offs.
    func testGroupedModelWritesSubScoresAndTheGridAsTheStringPath() throws {
        let model = try trainedModel(groups: true)
        let leads = awkwardLeads(model: model, rows: 2000, seed: 36)
        let input = try writeCSV(SyntheticDeals.header, leads)
        var wide = TierScheme.standard
        wide.grid = GridCuts(fit: [40, 20, 10], engagement: [60, 30, 5])
        for (options, name) in [(ScoringOptions(reasons: 2), "default cut-offs"), (ScoringOptions(tiers: wide, reasons: 0), "a tiers file's grid")] {
            try assertSameOutput(model: model, input: input, options: options, name)
        }
        let out = temporaryPath("grid.csv")
        _ = try Scorer.score(model: model, inputPath: input, outputPath: out, options: ScoringOptions(reasons: 1))
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(
            rows.first, "Deal ID,probability,score,tier,fit_score,engagement_score,grid,positive_reason_1,negative_reason_1")
        // The file's cells cover the grid.
        let grid = try XCTUnwrap(rows.first?.split(separator: ",").firstIndex(of: "grid"))
        let cells = Set(try csvRows(out).map { $0[grid] })
        XCTAssertEqual(cells.count, 16, "\(cells.sorted())")
    }

    /// The rows of a CSV file, header left out.
    func csvRows(_ path: String) throws -> [[String]] {
        let reader = try CSVReader(path: path)
        var rows: [[String]] = []
        while try reader.nextRecord() { rows.append((0..<reader.fieldCount).map { reader.field($0) }) }
        return rows
    }

    /// Equal contributions are ranked by column order for the reasons for,
    /// and by reversed column order for the reasons against.
    func testTiedContributionsAreOrderedAsTheStringPath() throws {
        var model = try trainedModel()
        let encoders = model.schema.encoders
        let booleans = encoders.columns.indices.filter { encoders.columns[$0].kind == .boolean }
        XCTAssertGreaterThanOrEqual(booleans.count, 4)
        for (n, k) in booleans.prefix(4).enumerated() { model.features[encoders.offsets[k]].coefficient = n % 2 == 0 ? 0.8 : -0.8 }
        var leads = awkwardLeads(model: model, rows: 1500, seed: 34)
        // Half the leads with every boolean true: their two +0.8 and two −0.8 tie.
        for r in stride(from: 0, to: leads.count, by: 2) {
            for k in booleans { leads[r][SyntheticDeals.header.firstIndex(of: encoders.columns[k].column)!] = "Yes" }
        }
        let input = try writeCSV(SyntheticDeals.header, leads)
        for reasons in [1, 3, 6] { try assertSameOutput(model: model, input: input, options: ScoringOptions(reasons: reasons), "\(reasons) reasons") }
    }

    /// A bad value: the same error (file, line, column, value, remedy) as
    /// the String path, and no output file.
    func testErrorsAreThoseOfTheStringPath() throws {
        let model = try trainedModel()
        let numeric = try XCTUnwrap(model.schema.encoders.columns.first { $0.kind == .numeric }).column
        let boolean = try XCTUnwrap(model.schema.encoders.columns.first { $0.kind == .boolean }).column
        for (column, bad) in [(numeric, "lots"), (numeric, " 1,5 "), (numeric, "1e400"), (boolean, "maybe"), (numeric, "1e300")] {
            var leads = awkwardLeads(model: model, rows: 200, seed: 33)
            leads[137][SyntheticDeals.header.firstIndex(of: column)!] = bad
            leads[150][SyntheticDeals.header.firstIndex(of: column)!] = bad
            let input = try writeCSV(SyntheticDeals.header, leads)
            var reference: InputError?
            do { _ = try referenceScore(model: model, inputPath: input, outputPath: temporaryPath("expected.csv"), options: ScoringOptions(reasons: 3)) } catch {
                reference = error
            }
            if bad == "1e300" && reference == nil {
                // Finite after standardising: scored like any value.
                try assertSameOutput(model: model, input: input, options: ScoringOptions(reasons: 3), bad)
                continue
            }
            let expected = try XCTUnwrap(reference, "\"\(bad)\" should be refused")
            XCTAssertEqual(expected.location?.line, 139, "\"\(bad)\"")
            for (plan, name) in Self.plans {
                let got = temporaryPath("got.csv")
                var fast: InputError?
                do { _ = try Scorer.score(model: model, inputPath: input, outputPath: got, options: ScoringOptions(reasons: 3), progress: nil, plan: plan) } catch {
                    fast = error
                }
                XCTAssertEqual(fast, expected, "\"\(bad)\", \(name)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: got))
            }
        }
    }

    /// Fields with line breaks inside quotes, so that segment cuts land
    /// inside them: the output, and the line of an error after them, are
    /// those of the String path on one thread. Also with CR line ends,
    /// where no cut finds a line feed.
    func testSegmentsCutInsideQuotedFieldsGiveTheSameOutputAndErrors() throws {
        let model = try trainedModel()
        var leads = awkwardLeads(model: model, rows: 1200, seed: 35)
        let company = try XCTUnwrap(SyntheticDeals.header.firstIndex(of: "Company Name"))
        for r in stride(from: 0, to: leads.count, by: 3) {
            leads[r][company] = "\(leads[r][company])\nline two, \"quoted\"\r\n\nline four" + String(repeating: "\n", count: r % 5)
        }
        let input = try writeCSV(SyntheticDeals.header, leads)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: input)))
        // How many of the 1000-byte plan's cuts fall inside a quoted field.
        var quoted = [Bool](repeating: false, count: bytes.count + 1), inside = false
        for (i, c) in bytes.enumerated() {
            quoted[i] = inside
            if c == 0x22 { inside.toggle() }
        }
        let plan = try XCTUnwrap(SegmentPlan(reader: try CSVReader(path: input), choice: .segments(bytes: 1000, workers: 2)))
        let insideCuts = (1..<plan.count).filter { quoted[plan.cut($0)] }.count
        XCTAssertGreaterThan(insideCuts, 20, "cuts inside quoted fields")
        try assertSameOutput(model: model, input: input, options: ScoringOptions(reasons: 2), "quoted line breaks")

        let carriageReturns = temporaryPath("cr.csv")
        try Data(bytes.map { $0 == 0x0A ? 0x0D : $0 }).write(to: URL(fileURLWithPath: carriageReturns))
        try assertSameOutput(model: model, input: carriageReturns, options: ScoringOptions(reasons: 2), "CR line ends")

        let numeric = try XCTUnwrap(model.schema.encoders.columns.first { $0.kind == .numeric }).column
        leads[1000][SyntheticDeals.header.firstIndex(of: numeric)!] = "lots"
        let bad = try writeCSV(SyntheticDeals.header, leads)
        var reference: InputError?
        do { _ = try referenceScore(model: model, inputPath: bad, outputPath: temporaryPath("expected.csv"), options: ScoringOptions(reasons: 2)) } catch {
            reference = error
        }
        let expected = try XCTUnwrap(reference)
        XCTAssertGreaterThan(try XCTUnwrap(expected.location?.line), 1500, "lines counted across quoted line breaks")
        for (plan, name) in Self.plans {
            var fast: InputError?
            do { _ = try Scorer.score(model: model, inputPath: bad, outputPath: temporaryPath("got.csv"), options: ScoringOptions(reasons: 2), progress: nil, plan: plan) } catch {
                fast = error
            }
            XCTAssertEqual(fast, expected, name)
        }
    }

    /// The real CRM export (a trailing comma on every line, `Select`
    /// placeholders, quoted text): scored in segments of 64 KiB, 37
    /// of them, on two and on three threads, and on one thread, it gives
    /// the String path's file.
    func testRealExportScoredInSegmentsEqualsTheStringPath() throws {
        guard let leads = Fixtures.leadsCSV else { throw XCTSkip("Leads.csv is not present beside the repository") }
        var c = TrainingConfiguration()
        c.target = "Converted"
        c.ids = ["Prospect ID", "Lead Number"]
        c.exclude = ["Tags", "Lead Quality", "Lead Profile"]
        c.missingValues = ["Select"]
        let model = try Trainer.train(TrainingRequest(dataPath: leads, configuration: c))
        let expected = temporaryPath("expected.csv")
        let reference = try referenceScore(model: model, inputPath: leads, outputPath: expected, options: ScoringOptions(reasons: 3))
        XCTAssertEqual(reference.rows, 9240)
        let expectedBytes = try Data(contentsOf: URL(fileURLWithPath: expected))
        for (plan, name) in [(SegmentPlan.Choice.segments(bytes: 65536, workers: 2), "2 workers"), (.segments(bytes: 65536, workers: 3), "3 workers"), (.sequential, "one thread")] {
            let got = temporaryPath("got.csv")
            let summary = try Scorer.score(model: model, inputPath: leads, outputPath: got, options: ScoringOptions(reasons: 3), progress: nil, plan: plan)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: got)), expectedBytes, name)
            XCTAssertEqual(summary.tierCounts, reference.tierCounts, name)
            XCTAssertEqual(summary.unseenValues, reference.unseenValues, name)
        }
        let segments = try XCTUnwrap(SegmentPlan(reader: try CSVReader(path: leads), choice: .segments(bytes: 65536, workers: 2)))
        XCTAssertEqual(segments.count, 37, "a 2.4 MB file in 64 KiB segments")
    }
}
