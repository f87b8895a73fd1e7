import XCTest

@testable import LeadScore

/// A file read in parts on several threads must give exactly the table, line
/// numbers and errors of a read on one thread, wherever the cuts fall
/// (inside quoted fields that span lines, next to blank lines, CRLF).
final class RawTableTests: XCTestCase {
    func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rawtable-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func read(_ path: String, parts: Int, cap: Int = 51, storage: TableStorage = .memory) throws -> RawTable {
        try RawTable.read(
            path: path, parser: ValueParser(missingMarkers: ValueParser.defaultMissingMarkers + ["Select"]),
            levelCap: { $0 == "Note" ? 5 : cap }, parts: parts, storage: storage)
    }

    /// A messy export: multi-line quoted notes, CRLF and LF, blank lines,
    /// missing markers, a numeric column with one stray text value, dates,
    /// US dates with times (one impossible), amounts with a currency and
    /// thousands marks, and euro amounts that start as plain integers.
    func messyFile(rows: Int, seed: UInt64) -> String {
        var g = SeededGenerator(seed: seed)
        var text = "Id,Visits,Source,Note,Created,Flag,Score,Closed,Amount,Deposit\n"
        for i in 0..<rows {
            let visits = i == rows / 2 ? "n/a" : (Int.random(in: 0..<10, using: &g) == 0 ? "lots" : String(Int.random(in: 0..<40, using: &g)))
            let source = ["Web", "Event", "Select", "", " Partner ", "Ads"][Int.random(in: 0..<6, using: &g)]
            let note: String
            switch Int.random(in: 0..<4, using: &g) {
            case 0: note = "\"line one\nline two, with comma\r\nline \"\"three\"\"\""
            case 1: note = "\"short\""
            case 2: note = "plain \(i % 9)"
            default: note = ""
            }
            let created = String(format: "2024-%02d-%02d", Int.random(in: 1...12, using: &g), Int.random(in: 1...28, using: &g))
            let flag = ["Yes", "No", "TRUE", "false", ""][Int.random(in: 0..<5, using: &g)]
            let score = String(Double(Int.random(in: -5000...5000, using: &g)) / 100)
            let end = Int.random(in: 0..<3, using: &g) == 0 ? "\r\n" : "\n"
            let closed = i == rows * 2 / 3 ? "02/30/2024" : String(format: "%d/%d/2024 %d:%02d PM", Int.random(in: 1...12, using: &g), Int.random(in: 1...28, using: &g), Int.random(in: 1...12, using: &g), Int.random(in: 0...59, using: &g))
            let whole = Int.random(in: 0...99_999, using: &g)
            let amount = Int.random(in: 0..<20, using: &g) == 0 ? "" : "\"$\(whole >= 1000 ? "\(whole / 1000),\(String(format: "%03d", whole % 1000))" : "\(whole)").\(whole % 100)\""
            let deposit = i < rows / 3 ? "\(whole)" : "\"\(whole >= 1000 ? "\(whole / 1000).\(String(format: "%03d", whole % 1000))" : "\(whole)"),5 €\""
            text += "id-\(i),\(visits),\(source),\(note),\(created),\(flag),\(score),\(closed),\(amount),\(deposit)\(end)"
            if Int.random(in: 0..<25, using: &g) == 0 { text += "\n" }
        }
        return text
    }

    func assertSame(_ a: RawTable, _ b: RawTable, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.rowCount, b.rowCount, file: file, line: line)
        XCTAssertEqual(a.lines, b.lines, file: file, line: line)
        XCTAssertEqual(a.selectCounts, b.selectCounts, file: file, line: line)
        for (x, y) in zip(a.columns, b.columns) {
            XCTAssertEqual(x.numbers?.map(\.bitPattern), y.numbers?.map(\.bitPattern), x.name, file: file, line: line)
            XCTAssertEqual(x.days, y.days, x.name, file: file, line: line)
            XCTAssertEqual(x.codes, y.codes, x.name, file: file, line: line)
            XCTAssertEqual(x.levels, y.levels, x.name, file: file, line: line)
            XCTAssertEqual(x.missingCount, y.missingCount, x.name, file: file, line: line)
            XCTAssertEqual(x.numericCount, y.numericCount, x.name, file: file, line: line)
            XCTAssertEqual(x.dateCount, y.dateCount, x.name, file: file, line: line)
            XCTAssertEqual(x.firstNonNumber?.value, y.firstNonNumber?.value, x.name, file: file, line: line)
            XCTAssertEqual(x.firstNonNumber?.line, y.firstNonNumber?.line, x.name, file: file, line: line)
            XCTAssertEqual(x.firstNonDate?.value, y.firstNonDate?.value, x.name, file: file, line: line)
            XCTAssertEqual(x.firstNonDate?.line, y.firstNonDate?.line, x.name, file: file, line: line)
            XCTAssertEqual(x.dateFields, y.dateFields, x.name, file: file, line: line)
            XCTAssertEqual(x.firstNonDateFields?.line, y.firstNonDateFields?.line, x.name, file: file, line: line)
            for (e, f) in [(x.dateEvidence, y.dateEvidence)] {
                for (u, v) in [(e.impossible, f.impossible), (e.monthFirstOnly, f.monthFirstOnly), (e.dayFirstOnly, f.dayFirstOnly), (e.either, f.either)] {
                    XCTAssertEqual(u?.value, v?.value, x.name, file: file, line: line)
                    XCTAssertEqual(u?.line, v?.line, x.name, file: file, line: line)
                }
            }
            let (a, b) = (x.amounts, y.amounts)
            XCTAssertEqual(a.formatted, b.formatted, x.name, file: file, line: line)
            XCTAssertEqual(a.allAmounts, b.allAmounts, x.name, file: file, line: line)
            for format in AmountFormat.allCases {
                XCTAssertEqual(a.values[format]?.map(\.bitPattern), b.values[format]?.map(\.bitPattern), "\(x.name) \(format)", file: file, line: line)
                XCTAssertEqual(a.firstFailure[format]?.value, b.firstFailure[format]?.value, "\(x.name) \(format)", file: file, line: line)
                XCTAssertEqual(a.firstFailure[format]?.line, b.firstFailure[format]?.line, "\(x.name) \(format)", file: file, line: line)
            }
            XCTAssertEqual(a.currency?.currency, b.currency?.currency, x.name, file: file, line: line)
            XCTAssertEqual(a.currency?.line, b.currency?.line, x.name, file: file, line: line)
            XCTAssertEqual(a.firstDiffering?.line, b.firstDiffering?.line, x.name, file: file, line: line)
        }
    }

    /// What the messy file's CRM columns read as, recomputed from its text:
    /// the US dates' fields and the impossible one, the amounts in the one
    /// format that reads them all, the euro amounts with their prefix of
    /// plain integers.
    func testDatesAndAmountsAreKeptForTheirFormat() throws {
        let text = messyFile(rows: 3000, seed: 11)
        // Every column keeps its text, to recompute the values from.
        let t = try read(try write(text), parts: 3, cap: 1 << 20)
        let closed = try XCTUnwrap(t.index(of: "Closed")), amount = try XCTUnwrap(t.index(of: "Amount")), deposit = try XCTUnwrap(t.index(of: "Deposit"))
        XCTAssertNil(t.columns[closed].days)
        XCTAssertEqual(t.columns[closed].dateEvidence.impossible?.value, "02/30/2024")
        XCTAssertEqual(t.columns[closed].dateEvidence.impossible?.line, t.line(ofRow: 2000))
        XCTAssertNotNil(t.columns[closed].dateEvidence.monthFirstOnly)
        // Each row's fields, from the text.
        let fields = try XCTUnwrap(t.columns[closed].dateFields)
        XCTAssertEqual(fields[2000], DateFields(first: 2, second: 30, year: 2024).packed)
        let amounts = t.columns[amount].amounts
        XCTAssertNil(t.columns[amount].numbers)
        XCTAssertNil(amounts.values[.decimalComma])
        XCTAssertEqual(amounts.firstFailure[.decimalComma]?.line, t.line(ofRow: (0..<3000).first { t.text(column: amount, row: $0) != nil }!))
        XCTAssertEqual(amounts.currency?.currency, Currency("$"))
        let point = try XCTUnwrap(amounts.values[.decimalPoint])
        for r in 0..<t.rowCount {
            let expected = t.text(column: amount, row: r).map { Double($0.replacingOccurrences(of: "$", with: "").replacingOccurrences(of: ",", with: ""))! }
            XCTAssertEqual(point[r].isNaN ? nil : point[r], expected, "row \(r)")
        }
        let euros = t.columns[deposit].amounts
        XCTAssertNil(euros.values[.decimalPoint])
        XCTAssertEqual(euros.firstFailure[.decimalPoint]?.line, t.line(ofRow: 1000))
        let comma = try XCTUnwrap(euros.values[.decimalComma])
        XCTAssertEqual(comma[999], Double(t.text(column: deposit, row: 999) ?? "x"))
        XCTAssertEqual(euros.currency?.currency, Currency("€"))
    }

    func testPartsGiveTheSingleThreadedTable() throws {
        let path = try write(messyFile(rows: 3000, seed: 11))
        let one = try read(path, parts: 1)
        XCTAssertEqual(one.rowCount, 3000)
        for parts in [2, 3, 7, 16] { assertSame(one, try read(path, parts: parts)) }
    }

    /// Columns kept in cache files on disk (a file beyond the memory
    /// budget) are the columns read into memory. 120,000 rows make every
    /// part, of one or of three, spill at least one full chunk to its
    /// scratch file, and later parts' codes are renumbered on the way to
    /// the final files. The cache files are unlinked as soon as they are
    /// made, so the directory stays empty even while the table is in use.
    func testTableOnDiskIsTheTableInMemory() throws {
        let path = try write(messyFile(rows: 120_000, seed: 5))
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("rawtable-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: cache) }
        let inMemory = try read(path, parts: 1)
        XCTAssertGreaterThan(inMemory.rowCount / 3, SpillFile.chunkValues(columns: inMemory.columns.count))
        for parts in [1, 3] {
            let onDisk = try read(path, parts: parts, storage: .disk(directory: cache.path))
            assertSame(inMemory, onDisk)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.path), [])
        }
    }

    func testCacheDirectoryThatCannotBeWrittenIsNamed() throws {
        let path = try write(messyFile(rows: 10, seed: 5))
        let absent = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-dir-\(UUID().uuidString)").path
        XCTAssertThrowsError(try read(path, parts: 1, storage: .disk(directory: absent))) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.kind, .io)
            XCTAssertEqual(e?.location?.file, absent)
            XCTAssertTrue(e?.remedy.contains(OptionKey.cacheDirectory.mention) ?? false, "\(String(describing: e))")
        }
    }

    func testValuesAsReadOnOneThread() throws {
        let path = try write("Id,Visits,Source,Note\n\n1, 12 ,Web,\"a\nb\"\r\n2,Select,Select,x\n3,,\"Web\",y\n")
        let t = try read(path, parts: 3)
        XCTAssertEqual(t.rowCount, 3)
        XCTAssertEqual(t.lines, [3, 5, 6], "the blank line and the two-line quoted field count as lines")
        let visits = t.columns[1], source = t.columns[2]
        XCTAssertEqual(visits.numbers?.map { $0.isNaN ? -1 : $0 }, [12, -1, -1], "\"Select\" and the empty field are missing")
        XCTAssertEqual(visits.firstNonNumber?.value, nil)
        XCTAssertEqual(visits.missingCount, 2)
        XCTAssertEqual(source.levels, ["Web"])
        XCTAssertEqual(source.codes, [0, RawTable.missingCode, 0])
        XCTAssertEqual(t.selectCounts, [0, 1, 1, 0])
    }

    func testLevelsEqualAsTextAreOneLevel() throws {
        // "Café" with a precomposed é and with e + combining acute accent.
        let path = try write("Source,Stage\nCaf\u{E9},Won\nCafe\u{301},Lost\nBar,Won\nCaf\u{E9},Lost\n")
        let t = try read(path, parts: 1)
        XCTAssertEqual(t.columns[0].levels.count, 2)
        XCTAssertEqual(t.columns[0].codes, [0, 0, 1, 0])
    }

    func testLevelCapOverflowMatchesAcrossParts() throws {
        // "Note" is capped at 5 levels: its codes are dropped, and the first
        // cap + 1 distinct values are kept, in file order.
        let path = try write(messyFile(rows: 2000, seed: 5))
        let one = try read(path, parts: 1)
        let note = one.columns[3]
        XCTAssertNil(note.codes)
        XCTAssertEqual(note.levels.count, 6)
        assertSame(one, try read(path, parts: 4))
    }

    func testErrorsInLaterPartsNameTheFileLine() throws {
        var text = messyFile(rows: 1500, seed: 3)
        text += "id-x,1,Web,\"unterminated\n"
        text += "id-y,2,Web,z,2024-01-01,Yes,1\n"
        let path = try write(text)
        let expectedLine = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).count - 2
        var messages: [String] = []
        for parts in [1, 2, 5] {
            XCTAssertThrowsError(try read(path, parts: parts)) { error in
                guard let e = error as? InputError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.kind, .malformedCSV)
                XCTAssertEqual(e.location?.line, expectedLine)
                messages.append(e.description)
            }
        }
        XCTAssertEqual(Set(messages).count, 1, "the same error whatever the number of parts: \(messages)")
    }
}
