import XCTest

@testable import LeadScore

/// The row encoder (bytes) against `StringRowEncoder` (the same columns
/// read as `String`s) on the same records: the same features bit for bit,
/// the same log-odds (`LinearPredictor`), the same unseen / rare flags, and
/// the same error wherever the reference throws.
final class RowEncoderTests: XCTestCase {
    func bytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var s = s
        return s.withUTF8(body)
    }

    func testMissingMarkersMatchFieldParser() {
        let parser = ValueParser(missingMarkers: ValueParser.defaultMissingMarkers + ["Select", " n/a ", "not known", "–", "12345678", "123456789"])
        let fields = FieldParser(parser)
        let markers = MissingMarkers(fields)
        var corpus = FieldParserTests.corpus + [
            "Select", "select", "SELECT ", "not known", "not  known", "–", "-", "12345678", "123456789", "1234567", "\u{0}NA", "NA\u{0}",
            "N/A\t", " #N/A", "#N/", "nulL", "n/a", "N/a",
        ]
        var g = SeededGenerator(seed: 3)
        let pieces = ["N", "A", "/", "a", "n", " ", "\t", "#", "u", "l", "S", "e", "1", "2", "–"]
        for _ in 0..<20_000 { corpus.append((0..<Int.random(in: 0...9, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()) }
        for s in corpus {
            let got = bytes(s) { markers.present($0).map { String(decoding: $0, as: UTF8.self) } }
            let expected = bytes(s) { fields.present($0).map { String(decoding: $0, as: UTF8.self) } }
            if got != expected { XCTFail("\"\(s)\": \(String(describing: got)) != \(String(describing: expected))") }
        }
        XCTAssertNil(bytes(" Select ") { markers.present($0) })
        XCTAssertNil(bytes("123456789") { markers.present($0) })
        XCTAssertEqual(bytes(" 1234567 ") { markers.present($0).map { $0.count } }, 7)
    }

    func testBooleanMemoMatchesFieldParser() {
        let memo = BooleanMemo(columns: 3)
        var g = SeededGenerator(seed: 4)
        let spellings = ["Yes", "No", "yes", "TRUE", "false", "Y", "n", "1", "0", "1.0", "0.00", "2", "maybe", "T", "f", "1e0", "yess", "12345678", "tru"]
        for i in 0..<20_000 {
            let s = spellings.randomElement(using: &g)!
            let got = bytes(s) { memo.boolean(column: i % 3, $0) }
            let expected = bytes(s) { FieldParser.boolean($0) }
            if got != expected { XCTFail("\"\(s)\": \(String(describing: got)) != \(String(describing: expected))") }
        }
        XCTAssertEqual(bytes("Yes") { memo.boolean(column: 0, $0) }, true)
        XCTAssertEqual(bytes("0.00") { memo.boolean(column: 1, $0) }, false)
        XCTAssertNil(bytes("maybe") { memo.boolean(column: 2, $0) })
    }

    /// Columns of every kind, with and without missing indicators, log1p,
    /// "(other)" and non-ASCII levels.
    static let encoder = FeatureEncoder(columns: [
        .categorical(
            CategoricalEncoder(
                column: "Source", reference: "Web", levels: ["Event", "(missing)", "(other)", "Referral"], pooled: ["Ads", "Fax"],
                counts: [20, 10, 5, 12, 50])),
        .numeric(NumericEncoder(column: "Visits", median: 3, log1p: true, mean: 1.2, standardDeviation: 0.7, missingIndicator: true)),
        .boolean(BooleanEncoder(column: "Demo", missingIndicator: true)),
        .date(DateEncoder(column: "Created", asOfDays: 19_800, numeric: NumericEncoder(column: "Created", median: 40, log1p: false, mean: 50, standardDeviation: 30, missingIndicator: false))),
        .categorical(CategoricalEncoder(column: "Région", reference: "Nord", levels: ["Zürich", "Sud", "K"], pooled: ["Öst"], counts: [9, 8, 7, 20])),
        .numeric(NumericEncoder(column: "Clicks", median: 0, log1p: false, mean: 2, standardDeviation: 1.5, missingIndicator: false)),
        .boolean(BooleanEncoder(column: "Student", missingIndicator: false)),
        // Formats of CRM exports: US dates, euro amounts with a decimal comma.
        .date(
            DateEncoder(
                column: "Closed", asOfDays: 19_900,
                numeric: NumericEncoder(column: "Closed", median: 30, log1p: false, mean: 40, standardDeviation: 20, missingIndicator: true),
                dateFormat: .monthFirst)),
        .numeric(
            NumericEncoder(
                column: "Amount", median: 900, log1p: true, mean: 6.5, standardDeviation: 1.2, missingIndicator: true, amountFormat: .decimalComma,
                currency: "€")),
    ])

    static let choices: [[String]] = [
        ["Web", "Event", "Referral", "Ads", "Fax", "West", "(missing)", "(other)", " Event ", "NA", "", "web", "Select", "Café, \"Bar\""],
        ["0", "3", " 12 ", "2.5", "-1", "1e3", "+4", ".5", "NA", "", "1e308", "abc", "0x10", "Select"],
        ["Yes", "No", "TRUE", "f", "1", "0.0", "", "n/a", "maybe", "Select"],
        ["2024-01-05", "2023-12-31T10:00", "2024-02-29", "", "NA", "2024-02-30", "05/01/2024", "Select"],
        ["Zürich", "Zu\u{308}rich", "Sud", "K", "\u{212A}", "Öst", "O\u{308}st", "Nord", "Ouest", "", "null"],
        ["0", "1", "7", "1e308", "-1e308", "", "NaN", "two", "Select"],
        ["y", "N", "", "true", "2", "Select"],
        ["07/13/2024", "7/1/2024 9:05 PM", "13/07/2024", "02/30/2024", "2024-07-01", "", "07/01/2024 25:61", "Select", "12.31.2024"],
        ["1.234,50 €", "€ 5", "5", "1,5", "1.5", "$5", "EUR 1.000", "18111.00", "", "NA", "1.234.567,8", "-3 €", "€"],
    ]

    func testFeaturesLogOddsFlagsAndErrorsMatchTheStringReference() throws {
        let header = ["ID", "Région", "Source", "Visits", "Demo", "Created", "Clicks", "Student", "Extra", "Amount", "Closed"]
        let columnField = [2, 3, 4, 5, 1, 6, 7, 10, 9]  // header index of each encoder column
        var g = SeededGenerator(seed: 12)
        var rows: [[String]] = []
        for r in 0..<4000 {
            var row = header.map { _ in "x" }
            row[0] = "L\(r)"
            for (k, options) in Self.choices.enumerated() { row[columnField[k]] = options.randomElement(using: &g)! }
            rows.append(row)
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("byte-encoder-\(UUID().uuidString).csv")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let out = try AtomicOutput(path: url.path)
        let writer = CSVWriter(output: out)
        writer.writeRow(header)
        for row in rows { writer.writeRow(row) }
        try out.commit()

        let parser = ValueParser(missingMarkers: ValueParser.defaultMissingMarkers + ["Select"])
        let reference = try StringRowEncoder(encoder: Self.encoder, parser: parser, header: header, file: url.path, asOfDays: 19_810)
        XCTAssertEqual(reference.fieldIndex, columnField)
        let p = Self.encoder.featureCount
        var g2 = SeededGenerator(seed: 13)
        let beta = (0..<p).map { _ in Double.random(in: -2...2, using: &g2) }
        let intercept = -0.3
        let predictor = LinearPredictor(intercept: intercept, coefficients: beta)
        let encoder = try RowEncoder(encoder: Self.encoder, predictors: [predictor], parser: parser, header: header, file: url.path, asOfDays: 19_810)
        let reader = try CSVReader(path: url.path)
        var a = [Double](repeating: .nan, count: p), b = [Double](repeating: .nan, count: p)
        var encoded = 0, refused = 0, unseen = 0, rare = 0
        while try reader.nextRecord() {
            let line = reader.recordLine
            var thrown: InputError? = nil, eta = Double.nan
            do {
                eta = try a.withUnsafeMutableBufferPointer { (buf) throws(InputError) in try encoder.encode(reader, into: buf.baseAddress!) }
            } catch {
                thrown = error
            }
            do {
                try b.withUnsafeMutableBufferPointer { (buf) throws(InputError) in
                    try reference.encode(field: { reader.field($0) }, line: line, file: url.path, into: buf.baseAddress!)
                }
            } catch {
                XCTAssertEqual(thrown, error, "line \(line): the same error, or none")
                refused += 1
                continue
            }
            XCTAssertNil(thrown, "line \(line): the row encoder refused a row the reference encodes")
            encoded += 1
            XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "line \(line)")
            // The log-odds are the linear predictor's on the reference's features.
            XCTAssertEqual(eta.bitPattern, predictor.logOdds(features: b).bitPattern, "line \(line)")
            var full = intercept
            for j in 0..<p { full += beta[j] * b[j] }
            XCTAssertEqual(eta.bitPattern, full.bitPattern, "and the full sum over every feature")
            var contributions = [Double](repeating: .nan, count: Self.encoder.columns.count)
            a.withUnsafeBufferPointer { x in contributions.withUnsafeMutableBufferPointer { encoder.contributions(features: x, into: $0.baseAddress!) } }
            var j = 0
            for (k, c) in Self.encoder.columns.enumerated() {
                var s = 0.0
                for _ in 0..<c.featureCount { s += beta[j] * b[j]; j += 1 }
                XCTAssertEqual(contributions[k].bitPattern, s.bitPattern, "line \(line), column \(k)")
                let value = parser.present(reader.field(columnField[k]))
                let state = encoder.state(column: k)
                XCTAssertEqual(state.contains(.present), value != nil, "line \(line), column \(k)")
                if case .categorical(let e) = c, let value {
                    let isUnseen = reference.isUnseen(column: k, value: value)
                    XCTAssertEqual(state.contains(.unseen), isUnseen, "line \(line), \"\(value)\"")
                    XCTAssertEqual(state.contains(.rare), isUnseen || e.pooled.contains(value), "line \(line), \"\(value)\"")
                    if isUnseen { unseen += 1 }
                    if state.contains(.rare) { rare += 1 }
                } else {
                    XCTAssertFalse(state.contains(.unseen) || state.contains(.rare))
                }
            }
        }
        // The file exercises every path.
        XCTAssertGreaterThan(encoded, 200)
        XCTAssertGreaterThan(refused, 200)
        XCTAssertGreaterThan(unseen, 100)
        XCTAssertGreaterThan(rare, unseen)
    }

}
