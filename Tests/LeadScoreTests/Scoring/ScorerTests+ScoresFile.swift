import Foundation
import XCTest

@testable import LeadScore

/// The scores file as a CRM imports it: JSON Lines holding the CSV's
/// fields, the provenance columns, the probability's decimals and reasons
/// in words, each checked against values recomputed here.
extension ScorerTests {
    /// 2026-12-07T10:15:00Z.
    static let scoredAt = UTCTimestamp(seconds: 1_796_638_500)

    /// A CSV file as its header and rows.
    func csvTable(_ path: String) throws -> (header: [String], rows: [[String]]) {
        let reader = try CSVReader(path: path)
        var rows: [[String]] = []
        while try reader.nextRecord() { rows.append((0..<reader.fieldCount).map { reader.field($0) }) }
        return (reader.header, rows)
    }

    /// The keys of a flat JSON object, in the order the line writes them:
    /// each string token followed by a colon.
    static func keyOrder(_ line: Substring) throws -> [String] {
        let b = Array(line.utf8)
        var keys: [String] = []
        var i = 0
        while i < b.count {
            guard b[i] == 0x22 else {
                i += 1
                continue
            }
            var j = i + 1
            while b[j] != 0x22 { j += b[j] == 0x5C ? 2 : 1 }
            if j + 1 < b.count, b[j + 1] == 0x3A {
                keys.append(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(b[i...j]), options: .fragmentsAllowed) as? String))
            }
            i = j + 1
        }
        return keys
    }

    /// Checks a JSON Lines file against the CSV file of the same leads:
    /// one object per row, the CSV's columns as keys in the same order,
    /// text as strings, empty fields as null, numbers as JSON numbers
    /// with the CSV's own digits, `model_edited` as `true`.
    func assertJSONLinesHoldTheCSV(jsonl: String, csv: String, numbers: Set<String>, _ message: String, line: UInt = #line) throws {
        let table = try csvTable(csv)
        let text = try String(contentsOfFile: jsonl, encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("}\n"), message, line: line)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, table.rows.count, message, line: line)
        for (r, (jsonLine, row)) in zip(lines, table.rows).enumerated() {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(jsonLine.utf8)) as? [String: Any], "\(message), line \(r + 1)")
            XCTAssertEqual(try Self.keyOrder(jsonLine), table.header, "\(message), line \(r + 1)", line: line)
            for (name, field) in zip(table.header, row) {
                let value = object[name]
                let at = "\(message), line \(r + 1), \(name)"
                if name == Scorer.editedColumn {
                    XCTAssertEqual(field, "true", at, line: line)
                    XCTAssertTrue(jsonLine.hasSuffix(",\"model_edited\":true}") || jsonLine.contains(",\"model_edited\":true,"), at, line: line)
                } else if numbers.contains(name) {
                    // The CSV's digits, exactly, as a JSON number. (Foundation's
                    // JSONSerialization on Linux reads some doubles a few units
                    // in the last place off, so the value it gives is checked
                    // to 1e-14, relative.)
                    XCTAssertTrue(jsonLine.contains("\"\(name)\":\(field),") || jsonLine.hasSuffix("\"\(name)\":\(field)}"), at, line: line)
                    let number = try XCTUnwrap((value as? NSNumber)?.doubleValue, at), expected = try XCTUnwrap(Double(field), at)
                    XCTAssertEqual(number, expected, accuracy: 1e-14 * abs(expected), at, line: line)
                } else if field.isEmpty {
                    XCTAssertTrue(value is NSNull, "\(at): \(String(describing: value))", line: line)
                } else {
                    XCTAssertEqual(value as? String, field, at, line: line)
                }
            }
        }
    }

    /// Ids a CRM export can hold: quotes, backslashes, control characters,
    /// line breaks, accents, other scripts and emoji.
    static let awkwardIDs = [
        "D-\"quoted\"", #"back\slash\"#, "tab\there", "bell\u{07}and\u{1F}unit", "line\nbreak\r\nCRLF", "Zürich", "東京-7", "😀 lead",
        "del\u{7F}", "slash/ok", "",
    ]

    func leadsWithAwkwardIDs(_ model: ModelCard, rows: Int, seed: UInt64) -> [[String]] {
        var leads = awkwardLeads(model: model, rows: rows, seed: seed)
        for (k, id) in Self.awkwardIDs.enumerated() {
            for r in stride(from: 7 * k, to: leads.count, by: 97) { leads[r][0] = id }
        }
        return leads
    }

    /// JSON Lines: the CSV's fields, row for row, and the same bytes on one
    /// thread and in segments, with ids and with row numbers (put in front
    /// of each row after the segment is written), with sub-scores, an edited
    /// card's `model_edited` and the provenance columns.
    func testJSONLinesHoldTheCSVFieldsOnEveryPlan() throws {
        let model = try trainedModel(groups: true)
        let leads = leadsWithAwkwardIDs(model, rows: 2500, seed: 40)
        let input = try writeCSV(SyntheticDeals.header, leads)
        var anonymous = model
        anonymous.schema.idColumns = []
        anonymous.integrity = .editedAllowed(file: "m.json")
        let noID = try writeCSV(Array(SyntheticDeals.header.dropFirst()), leads.map { Array($0.dropFirst()) })
        let numbers: Set<String> = ["row", "probability", "score", "fit_score", "engagement_score"]
        for (card, file, options, name) in [
            (model, input, ScoringOptions(reasons: 3, provenance: ScoresProvenance(scoredAt: Self.scoredAt)), "ids, provenance"),
            (model, input, ScoringOptions(reasons: 2, reasonStyle: .raw, probabilityDecimals: 3), "raw reasons, 3 decimals"),
            (anonymous, noID, ScoringOptions(reasons: 1, provenance: ScoresProvenance(scoredAt: Self.scoredAt)), "row numbers, edited"),
        ] {
            let csv = temporaryPath("scores.csv")
            _ = try Scorer.score(model: card, inputPath: file, outputPath: csv, options: options, progress: nil, plan: .sequential)
            var jsonOptions = options
            jsonOptions.format = .jsonl
            var first: Data?
            for (plan, planName) in Self.plans {
                let jsonl = temporaryPath("scores.jsonl")
                let summary = try Scorer.score(model: card, inputPath: file, outputPath: jsonl, options: jsonOptions, progress: nil, plan: plan)
                XCTAssertEqual(summary.rows, leads.count, "\(name), \(planName)")
                let bytes = try Data(contentsOf: URL(fileURLWithPath: jsonl))
                if let first {
                    XCTAssertEqual(bytes, first, "\(name), \(planName): the bytes of one thread")
                } else {
                    first = bytes
                    try assertJSONLinesHoldTheCSV(jsonl: jsonl, csv: csv, numbers: numbers, name)
                }
            }
        }
        // The awkward ids come back as they were read.
        let jsonl = temporaryPath("ids.jsonl")
        _ = try Scorer.score(model: model, inputPath: input, outputPath: jsonl, options: ScoringOptions(reasons: 0, format: .jsonl))
        let ids = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n").map { line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["Deal ID"]
        }
        for (k, id) in Self.awkwardIDs.enumerated() {
            if id.isEmpty { XCTAssertTrue(ids[7 * k] is NSNull, "an empty id is null") } else { XCTAssertEqual(ids[7 * k] as? String, id) }
        }
        // Control characters are escaped, UTF-8 is written as it is.
        let text = try String(contentsOfFile: jsonl, encoding: .utf8)
        for escaped in [#""D-\"quoted\"""#, #""back\\slash\\""#, #""tab\there""#, #""bell\u0007and\u001funit""#, #""line\nbreak\r\nCRLF""#, "\"東京-7\""] {
            XCTAssertTrue(text.contains(escaped), escaped)
        }
    }

    /// Rules scores in JSON Lines: the CSV's fields; the rules that fired in
    /// words and raw; and `model_id` the SHA-256 of the rules file's bytes,
    /// as `sha256sum` computes it.
    func testRulesScoresInJSONLinesHoldTheCSVFieldsAndTheRulesFileDigest() throws {
        let rulesPath = Fixtures.repositoryRoot.appendingPathComponent("models/b2b-deals.rules.yaml").path
        let leads = Fixtures.repositoryRoot.appendingPathComponent("datasets/b2b-new-leads.csv").path
        let (rules, digest) = try RuleSet.loadWithDigest(path: rulesPath)
        XCTAssertEqual(digest, try Self.sha256sum(Data(contentsOf: URL(fileURLWithPath: rulesPath))))
        let numbers: Set<String> = ["row", "points", "fit_points", "engagement_points"]
        for (ids, style) in [(["Deal ID"], ReasonStyle.words), ([], .raw)] {
            let options = ScoringOptions(reasonStyle: style, provenance: ScoresProvenance(scoredAt: Self.scoredAt))
            let csv = temporaryPath("rules.csv"), jsonl = temporaryPath("rules.jsonl")
            _ = try Scorer.score(rules: rules, inputPath: leads, outputPath: csv, idColumns: ids, options: options, rulesID: digest)
            var jsonOptions = options
            jsonOptions.format = .jsonl
            _ = try Scorer.score(rules: rules, inputPath: leads, outputPath: jsonl, idColumns: ids, options: jsonOptions, rulesID: digest)
            try assertJSONLinesHoldTheCSV(jsonl: jsonl, csv: csv, numbers: numbers, "\(ids), \(style)")
            let table = try csvTable(csv)
            let reasons = try XCTUnwrap(table.header.firstIndex(of: "reasons")), id = try XCTUnwrap(table.header.firstIndex(of: "model_id"))
            XCTAssertEqual(Set(table.rows.map { $0[id] }), [digest])
            XCTAssertEqual(Set(table.rows.map { $0[id + 1] }), ["2026-12-07T10:15:00Z"])
            // Each lead's reasons are the rules that fired, in either style.
            let reader = try CSVReader(path: leads)
            let scorer = try RuleScorer(rules: rules, header: reader.header, file: leads, parser: options.rulesParser)
            for row in table.rows.prefix(300) {
                XCTAssertTrue(try reader.nextRecord())
                let fired = try scorer.score(field: { reader.field($0) }, line: reader.recordLine).fired
                XCTAssertEqual(row[reasons], fired.map { style == .words ? $0.words : $0.description }.joined(separator: "; "))
                if style == .words, let f = fired.first { XCTAssertTrue(row[reasons].hasPrefix("\(f.rule): +") || row[reasons].hasPrefix("\(f.rule): -")) }
            }
        }
        // Without the file's digest: that of the rules as JSON.
        let out = temporaryPath("rules-memory.csv")
        _ = try Scorer.score(rules: rules, inputPath: leads, outputPath: out, options: ScoringOptions(provenance: ScoresProvenance()))
        let json = try JSONOutput.data(rules, nonFiniteAsStrings: false, what: "rules")
        XCTAssertEqual(try csvTable(out).rows.first?.dropLast().last, try Self.sha256sum(json))
    }

    /// SHA-256 of `data` as lowercase hex, by the system's `sha256sum`, not
    /// by LeadScore.
    static func sha256sum(_ data: Data) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }

    /// `model_id` is the checksum of the card as trained: the SHA-256 of
    /// the written file without its checksum line (by `sha256sum`); for a
    /// card changed after training and used anyway, that of its content as
    /// it scores, not the checksum it claims. `scored_at` is the run's one
    /// timestamp.
    func testModelIDIsTheCardsChecksum() throws {
        let trained = try trainedModel()
        let path = temporaryPath("model.json")
        try trained.write(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines[1].hasPrefix("  \"checksum\" : \""))
        lines.remove(at: 1)
        let expected = try Self.sha256sum(Data(lines.joined(separator: "\n").utf8))
        let card = try ModelCard.load(path: path)
        XCTAssertEqual(card.checksum, expected)
        let leads = try writeCSV(SyntheticDeals.header, awkwardLeads(model: card, rows: 400, seed: 41))
        let options = ScoringOptions(reasons: 0, provenance: ScoresProvenance(scoredAt: Self.scoredAt))
        for (model, id, name) in [(card, expected, "as trained"), (trained, expected, "in memory, not yet written")] {
            let out = temporaryPath("scores.csv")
            _ = try Scorer.score(model: model, inputPath: leads, outputPath: out, options: options)
            let table = try csvTable(out)
            XCTAssertEqual(Array(table.header.suffix(2)), ["model_id", "scored_at"], name)
            XCTAssertEqual(Set(table.rows.map { $0[$0.count - 2] }), [id], name)
            XCTAssertEqual(Set(table.rows.map { $0[$0.count - 1] }), ["2026-12-07T10:15:00Z"], name)
        }
        var edited = card
        edited.intercept.coefficient += 0.25
        edited.integrity = .editedAllowed(file: path)
        let out = temporaryPath("edited.csv")
        _ = try Scorer.score(model: edited, inputPath: leads, outputPath: out, options: options)
        let table = try csvTable(out)
        XCTAssertEqual(Array(table.header.suffix(3)), ["model_edited", "model_id", "scored_at"])
        let editedID = try XCTUnwrap(table.rows.first?[table.header.count - 2])
        XCTAssertNotEqual(editedID, expected)
        var content = edited
        content.checksum = nil
        XCTAssertEqual(editedID, try Self.sha256sum(JSONOutput.data(content, nonFiniteAsStrings: false, what: "card")))
    }

    /// `probabilityDecimals` d: every probability written with exactly d
    /// decimals, the value round(p · 10^d) / 10^d (half away from zero) of
    /// the probability the shortest text gives, within half a unit of the
    /// last decimal of it; out of range, refused naming the option.
    func testProbabilityDecimalsAreTheProbabilityRounded() throws {
        let model = try trainedModel()
        let input = try writeCSV(SyntheticDeals.header, awkwardLeads(model: model, rows: 1500, seed: 42))
        let exact = temporaryPath("exact.csv")
        _ = try Scorer.score(model: model, inputPath: input, outputPath: exact, options: ScoringOptions(reasons: 0))
        let probabilities = try csvTable(exact).rows.map { Double($0[1])! }
        XCTAssertTrue(probabilities.contains { $0 < 0.01 }, "small probabilities are exercised")
        for d in [1, 2, 4, 15] {
            for (plan, name) in [(SegmentPlan.Choice.sequential, "one thread"), (.segments(bytes: 8192, workers: 3), "segments")] {
                let out = temporaryPath("rounded.csv")
                let options = ScoringOptions(reasons: 0, probabilityDecimals: d)
                _ = try Scorer.score(model: model, inputPath: input, outputPath: out, options: options, progress: nil, plan: plan)
                let rows = try csvTable(out).rows
                XCTAssertEqual(rows.count, probabilities.count)
                let scale = pow(10, Double(d))
                for (row, p) in zip(rows, probabilities) {
                    let text = row[1]
                    XCTAssertEqual(text.split(separator: ".").last?.count, d, "\(text): \(d) decimals, \(name)")
                    let written = try XCTUnwrap(Double(text))
                    XCTAssertEqual(written, (p * scale).rounded(.toNearestOrAwayFromZero) / scale, "\(p) with \(d) decimals, \(name)")
                    // Half a unit of the last decimal, and the last bits of two doubles.
                    XCTAssertLessThanOrEqual(abs(written - p), 0.5 / scale + 2 * p.ulp, "\(p) with \(d) decimals")
                    XCTAssertEqual(Int(row[2]), Int((p * 100).rounded()), "the score is that of the exact probability")
                }
            }
        }
        for d in [0, 16, -1] {
            XCTAssertThrowsError(
                try Scorer.score(model: model, inputPath: input, outputPath: temporaryPath("bad.csv"), options: ScoringOptions(probabilityDecimals: d))
            ) { error in
                XCTAssertEqual((error as? InputError)?.kind, .badConfiguration)
                XCTAssertTrue((error as? InputError)?.remedy.contains(OptionKey.precision.mention) ?? false, "\(error)")
            }
        }
    }

    /// A reason in words is the factor e^c its column's contribution c
    /// multiplies the odds by, c recomputed here from the card's
    /// coefficients and the lead's features (`StringRowEncoder`), written
    /// with two significant digits (whole from 10 up): for, above 1;
    /// against, below 1.
    func testReasonsInWordsAreTheOddsFactorsOfTheContributions() throws {
        let model = try trainedModel()
        let input = try writeCSV(SyntheticDeals.header, awkwardLeads(model: model, rows: 300, seed: 43))
        let out = temporaryPath("words.csv")
        _ = try Scorer.score(model: model, inputPath: input, outputPath: out, options: ScoringOptions(reasons: 3))
        let table = try csvTable(out)
        let reader = try CSVReader(path: input)
        let encoder = try StringRowEncoder(
            encoder: model.schema.encoders, parser: ValueParser(missingMarkers: model.schema.missingValues), header: reader.header, file: input,
            asOfDays: model.schema.asOf.flatMap(ValueParser.isoDate))
        let columns = model.schema.encoders.columns
        var x = [Double](repeating: 0, count: model.features.count)
        var checked = 0
        for row in table.rows {
            XCTAssertTrue(try reader.nextRecord())
            try x.withUnsafeMutableBufferPointer { (x) throws(InputError) in
                try encoder.encode(field: { reader.field($0) }, line: reader.recordLine, file: input, into: x.baseAddress!)
            }
            var contribution: [String: Double] = [:]
            var j = 0
            for c in columns {
                var sum = 0.0
                for _ in 0..<c.featureCount {
                    sum += model.features[j].coefficient * x[j]
                    j += 1
                }
                contribution[c.column] = sum
            }
            for (k, reason) in row[1...].enumerated() where table.header[k + 1].contains("_reason_") && !reason.isEmpty {
                let parts = reason.components(separatedBy: ": odds ×")
                XCTAssertEqual(parts.count, 2, reason)
                let column = try XCTUnwrap(columns.map(\.column).first { parts[0].hasPrefix($0 + " = ") || parts[0] == $0 + " missing" }, reason)
                let c = try XCTUnwrap(contribution[column])
                let factor = try XCTUnwrap(Double(parts[1]), reason)
                let decimals = parts[1].split(separator: ".").dropFirst().first?.count ?? 0
                XCTAssertEqual(factor, exp(c), accuracy: 0.5 * pow(10, -Double(decimals)) * (1 + 1e-9), reason)
                // Two significant digits, or a whole number from 10 up, or for
                // a value far outside training 12 decimals at most.
                let digits = parts[1].filter(\.isNumber).drop { $0 == "0" }.count
                XCTAssertTrue(factor >= 10 ? decimals == 0 : digits == 2 || decimals == 12, reason)
                XCTAssertTrue(table.header[k + 1].hasPrefix("positive") ? factor > 1 : factor < 1, reason)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 1000)
        XCTAssertTrue(table.rows.joined().contains { $0.contains(" missing: odds ×") }, "missing values are reasons too")
    }
}
