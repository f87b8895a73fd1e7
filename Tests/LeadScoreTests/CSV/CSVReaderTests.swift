import Foundation
import XCTest

@testable import LeadScore

final class CSVReaderTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "csvreader-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Helpers

    private func file(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func file(_ text: String, name: String = "input.csv") throws -> String {
        try file(Array(text.utf8), name: name)
    }

    private struct Parsed: Equatable {
        var header: [String]
        var records: [[String]]
        var lines: [Int]
    }

    private func parse(_ path: String, delimiter: UInt8? = nil, bufferSize: Int = 1 << 20) throws -> Parsed {
        let reader = try CSVReader(path: path, delimiter: delimiter, bufferSize: bufferSize)
        var parsed = Parsed(header: reader.header, records: [], lines: [])
        while try reader.nextRecord() {
            XCTAssertEqual(reader.fieldCount, reader.header.count)
            parsed.records.append((0..<reader.fieldCount).map(reader.field))
            parsed.lines.append(reader.recordLine)
        }
        XCTAssertEqual(reader.recordNumber, parsed.records.count)
        if let size = reader.fileSize { XCTAssertEqual(reader.bytesConsumed, size) }
        return parsed
    }

    /// The InputError thrown while opening and reading the whole file.
    private func failure(_ path: String, bufferSize: Int = 1 << 20) -> InputError? {
        do {
            let reader = try CSVReader(path: path, delimiter: nil, bufferSize: bufferSize)
            while try reader.nextRecord() {}
            return nil
        } catch {
            return error
        }
    }

    // MARK: Quoting

    func testQuotedFieldWithDelimiter() throws {
        let parsed = try parse(file("name,city\n\"Doe, Jane\",Paris\n"))
        XCTAssertEqual(parsed.records, [["Doe, Jane", "Paris"]])
    }

    func testDoubledQuotes() throws {
        let parsed = try parse(file("a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n\"\",x\n"))
        XCTAssertEqual(parsed.records, [["say \"hi\"", "\""], ["", "x"]])
    }

    func testEmbeddedLineBreaksCountLines() throws {
        let text = "id,note\n1,\"first\nsecond\"\n2,\"a\r\nb\"\n3,\"x\ry\"\n4,end\n"
        let parsed = try parse(file(text))
        XCTAssertEqual(parsed.records, [["1", "first\nsecond"], ["2", "a\r\nb"], ["3", "x\ry"], ["4", "end"]])
        XCTAssertEqual(parsed.lines, [2, 4, 6, 8])
    }

    func testBareQuoteInsideUnquotedFieldIsLiteral() throws {
        let parsed = try parse(file("a,b\nab\"c,5\" screen\n x \"y\",z\n"))
        XCTAssertEqual(parsed.records, [["ab\"c", "5\" screen"], [" x \"y\"", "z"]])
    }

    func testTextAfterClosingQuoteIsAnError() throws {
        let path = try file("a,b\n1,\"He said \"hi\" to me\"\n")
        let error = try XCTUnwrap(failure(path))
        XCTAssertEqual(error.kind, .malformedCSV)
        XCTAssertEqual(error.location?.file, path)
        XCTAssertEqual(error.location?.line, 2)
        XCTAssertEqual(error.location?.column, "b")
        XCTAssertEqual(error.location?.value, "He said ")
        XCTAssertTrue(error.problem.contains("\"h\""), error.problem)
    }

    func testUnterminatedQuoteNamesWhereItStarted() throws {
        let path = try file("a,b\n1,2\n3,\"abc\ndef\n5,6\n")
        let error = try XCTUnwrap(failure(path))
        XCTAssertEqual(error.kind, .malformedCSV)
        XCTAssertEqual(error.location?.line, 3)
        XCTAssertEqual(error.location?.column, "b")
        XCTAssertEqual(error.location?.value, "abc")
        XCTAssertEqual(error.problem, "the quoted field starting on line 3 has no closing quote before the end of the file.")
        XCTAssertTrue(error.description.hasPrefix("\(path), line 3, column \"b\""), error.description)
    }

    // MARK: Line endings and blank lines

    func testCRLFFile() throws {
        let parsed = try parse(file("a,b\r\n1,2\r\n3,4\r\n"))
        XCTAssertEqual(parsed.header, ["a", "b"])
        XCTAssertEqual(parsed.records, [["1", "2"], ["3", "4"]])
        XCTAssertEqual(parsed.lines, [2, 3])
    }

    func testLoneCRLineEndings() throws {
        let parsed = try parse(file("a,b\r1,2\r3,4"))
        XCTAssertEqual(parsed.records, [["1", "2"], ["3", "4"]])
        XCTAssertEqual(parsed.lines, [2, 3])
    }

    func testLastLineWithoutNewline() throws {
        let parsed = try parse(file("a,b\n1,2\n3,"))
        XCTAssertEqual(parsed.records, [["1", "2"], ["3", ""]])
    }

    func testBlankLinesAreSkippedAndCounted() throws {
        let parsed = try parse(file("\n\r\na,b\n\n1,2\n\r\n\n3,4\n\n"))
        XCTAssertEqual(parsed.header, ["a", "b"])
        XCTAssertEqual(parsed.records, [["1", "2"], ["3", "4"]])
        XCTAssertEqual(parsed.lines, [5, 8])
    }

    func testLineOfDelimitersIsARecord() throws {
        let parsed = try parse(file("a,b,c\n,,\n"))
        XCTAssertEqual(parsed.records, [["", "", ""]])
    }

    // MARK: Encoding

    func testByteOrderMarkIsDropped() throws {
        let parsed = try parse(file([0xEF, 0xBB, 0xBF] + Array("id,name\n1,x\n".utf8)))
        XCTAssertEqual(parsed.header, ["id", "name"])
        XCTAssertEqual(parsed.records, [["1", "x"]])
    }

    func testNonASCIIText() throws {
        let parsed = try parse(file("city,note\nZürich,\"東京, 日本\"\nSão Paulo,🙂\n"))
        XCTAssertEqual(parsed.records, [["Zürich", "東京, 日本"], ["São Paulo", "🙂"]])
    }

    func testInvalidUTF8NamesLineAndColumn() throws {
        let path = try file(Array("a,b\n1,ok\n2,caf".utf8) + [0xE9] + Array("\n".utf8))
        let error = try XCTUnwrap(failure(path))
        XCTAssertEqual(error.kind, .malformedCSV)
        XCTAssertEqual(error.location?.file, path)
        XCTAssertEqual(error.location?.line, 3)
        XCTAssertEqual(error.location?.column, "b")
        XCTAssertEqual(error.location?.value, "caf\u{FFFD}")
        XCTAssertTrue(error.problem.contains("0xE9"), error.problem)
    }

    func testUTF8Validator() {
        func firstInvalid(_ bytes: [UInt8]) -> Int? {
            bytes.withUnsafeBufferPointer { CSVScanner.firstInvalidUTF8($0.baseAddress!, count: $0.count) }
        }
        XCTAssertNil(firstInvalid(Array("aé東🙂".utf8)))
        XCTAssertEqual(firstInvalid([0x61, 0xC0, 0x80]), 1)  // overlong
        XCTAssertEqual(firstInvalid([0xED, 0xA0, 0x80]), 0)  // surrogate
        XCTAssertEqual(firstInvalid([0xF4, 0x90, 0x80, 0x80]), 0)  // above U+10FFFF
        XCTAssertEqual(firstInvalid([0x61, 0x62, 0xE6, 0x9D]), 2)  // truncated
        XCTAssertEqual(firstInvalid([0x80]), 0)
    }

    // MARK: Delimiter and header

    func testSemicolonDetection() throws {
        let path = try file("a;b;c\n1;2,5;3\n")
        let parsed = try parse(path)
        XCTAssertEqual(try CSVReader(path: path).delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(parsed.records, [["1", "2,5", "3"]])
    }

    func testTabDetection() throws {
        let path = try file("a\tb, c\td\n1\t2\t3\n")
        XCTAssertEqual(try CSVReader(path: path).delimiter, UInt8(ascii: "\t"))
        XCTAssertEqual(try parse(path).header, ["a", "b, c", "d"])
    }

    func testDetectionTiesAndQuotes() throws {
        XCTAssertEqual(try CSVReader(path: file("a,b;c\n")).delimiter, UInt8(ascii: ","))
        XCTAssertEqual(try CSVReader(path: file("\"x;y;z\",a\n")).delimiter, UInt8(ascii: ","))
        XCTAssertEqual(try CSVReader(path: file("single\n1\n")).delimiter, UInt8(ascii: ","))
        XCTAssertEqual(try CSVReader(path: file("a;b\tc;d\n")).delimiter, UInt8(ascii: ";"))
    }

    func testRepeatedNamesAreRefusedWithTheirPositions() throws {
        XCTAssertThrowsError(try CSVReader(path: file("a,b,a,c,b,a\n1,2,3,4,5,6\n"))) { error in
            let e = error as! InputError
            XCTAssertEqual(e.kind, .malformedCSV)
            XCTAssertEqual(e.location?.line, 1)
            XCTAssertEqual(e.location?.column, "a")
            XCTAssertEqual(e.problem, "the header names 2 columns more than once: \"a\" (columns 1, 3 and 6), \"b\" (columns 2 and 5).")
        }
        // Empty names are not names: left to the readers that need them.
        XCTAssertEqual(try CSVReader(path: file("a,,b,\n1,,2,\n")).header, ["a", "", "b", ""])
    }

    /// The wrong delimiter is refused at the header, naming the one the
    /// file seems to use; a file that fits its delimiter is not.
    func testAFileThatSeemsToUseAnotherDelimiterIsRefused() throws {
        let cases: [(String, String)] = [
            ("a|b|c\n1|2|3\n4|5|6\n", "seems to use \"|\" as its delimiter (it splits the header and the first lines into 3 fields each), but comma"),
            ("Revenue, USD\tStage\tRegion, country\n1\tWon\tEU\n2\tLost\tUS\n", "seems to use tab"),
            ("id;a, b;c, d\n1;2;3\n", "seems to use semicolon"),
        ]
        for (text, words) in cases {
            XCTAssertThrowsError(try CSVReader(path: file(text)), text) { error in
                let e = error as! InputError
                XCTAssertEqual(e.location?.line, 1)
                XCTAssertTrue(e.problem.contains(words), e.problem)
            }
        }
        // Fits its own delimiter: quoted delimiters and line breaks, a
        // one-column file with commas in its values, a ragged line further on.
        for text in [
            "a,b\n\"x,y\",\"1\n2\"\n3,4\n", "name\nSmith, John\nDoe, Jane\n", "a,b|c\n1,2|3\n",
            "a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11\n",
        ] {
            XCTAssertNoThrow(try CSVReader(path: file(text)), text)
        }
        XCTAssertEqual(DelimiterSniffer.fieldCounts(UnsafeBufferPointer(start: nil, count: 0), delimiter: 0x2C, complete: true), [])
        var bytes = Array("a;b\n\"1;\n2\";3\n\n4;5".utf8)
        bytes.withUnsafeBufferPointer { b in
            XCTAssertEqual(DelimiterSniffer.fieldCounts(b, delimiter: UInt8(ascii: ";"), complete: true), [2, 2, 2])
            XCTAssertEqual(DelimiterSniffer.fieldCounts(b, delimiter: UInt8(ascii: ";"), complete: false), [2, 2])
        }
        bytes = []
    }

    func testGivenDelimiterOverridesDetection() throws {
        let parsed = try parse(file("a;b,c\n1;2,3\n"), delimiter: UInt8(ascii: ";"))
        XCTAssertEqual(parsed.header, ["a", "b,c"])
        XCTAssertEqual(parsed.records, [["1", "2,3"]])
    }

    func testInvalidGivenDelimiter() throws {
        let path = try file("a,b\n")
        XCTAssertThrowsError(try CSVReader(path: path, delimiter: UInt8(ascii: "\""))) { error in
            XCTAssertEqual((error as? InputError)?.kind, .badConfiguration)
        }
    }

    func testHeaderNamesKeptExactly() throws {
        let parsed = try parse(file("Prospect ID, Total Time (min) ,\"Spend, USD\",What's up?\n1,2,3,4\n"))
        XCTAssertEqual(parsed.header, ["Prospect ID", " Total Time (min) ", "Spend, USD", "What's up?"])
    }

    func testTrailingEmptyColumnIsKept() throws {
        let parsed = try parse(file("a,b,\n1,2,\n"))
        XCTAssertEqual(parsed.header, ["a", "b", ""])
        XCTAssertEqual(parsed.records, [["1", "2", ""]])
    }

    // MARK: Whole-file cases

    func testEmptyFileIsAnError() throws {
        for content in ["", "\n\r\n\n", "\u{FEFF}"] {
            let path = try file(content)
            XCTAssertThrowsError(try CSVReader(path: path)) { error in
                let error = error as? InputError
                XCTAssertEqual(error?.kind, .malformedCSV)
                XCTAssertEqual(error?.location?.file, path)
                XCTAssertEqual(error?.problem, "the file is empty: it has no header line.")
            }
        }
    }

    func testHeaderOnlyFileHasNoRecords() throws {
        for content in ["a,b\n", "a,b", "a,b\r\n\r\n"] {
            let reader = try CSVReader(path: file(content))
            XCTAssertEqual(reader.header, ["a", "b"])
            XCTAssertFalse(try reader.nextRecord())
            XCTAssertFalse(try reader.nextRecord())
            XCTAssertEqual(reader.recordNumber, 0)
            XCTAssertEqual(reader.fieldCount, 0)
        }
    }

    func testMissingFileIsAnIOError() {
        let path = directory + "/nope.csv"
        XCTAssertThrowsError(try CSVReader(path: path)) { error in
            let error = error as? InputError
            XCTAssertEqual(error?.kind, .io)
            XCTAssertEqual(error?.location?.file, path)
            XCTAssertTrue(error?.problem.contains("No such file") ?? false, error?.problem ?? "")
        }
        XCTAssertThrowsError(try CSVReader(path: directory)) { error in
            XCTAssertEqual((error as? InputError)?.kind, .io)
        }
    }

    // MARK: Field counts

    func testTooFewFields() throws {
        let path = try file("id,Lead Source,Converted\n1,Google,1\n2,Direct\n")
        let error = try XCTUnwrap(failure(path))
        XCTAssertEqual(error.kind, .malformedCSV)
        XCTAssertEqual(error.location, InputLocation(file: path, line: 3, column: "Converted"))
        XCTAssertEqual(error.problem, "line 3 has 2 fields but the header has 3.")
        XCTAssertEqual(
            error.remedy,
            "Check for an unquoted delimiter or a missing quote on this line; fields containing the comma must be in double quotes.")
        XCTAssertTrue(error.description.contains(path))
    }

    func testTooManyFields() throws {
        let path = try file("id,note,\n1,\"a\nb\",\n2,x,y,Extra\n")
        let error = try XCTUnwrap(failure(path))
        XCTAssertEqual(error.location, InputLocation(file: path, line: 4, column: "#4", value: "Extra"))
        XCTAssertEqual(error.problem, "line 4 has 4 fields but the header has 3.")
    }

    func testMissingTrailingUnnamedColumnIsNamedByPosition() throws {
        let path = try file("a,b,\n1,2\n")
        let error = try XCTUnwrap(failure(path))
        XCTAssertEqual(error.location?.column, "#3")
        XCTAssertEqual(error.problem, "line 2 has 2 fields but the header has 3.")
    }

    // MARK: Buffer boundaries

    /// A file with every tricky construct, read with read sizes from 1 byte
    /// up, so that buffer boundaries fall inside the BOM, quoted fields,
    /// doubled quotes, CRLF pairs (inside and outside quotes) and UTF-8
    /// sequences.
    func testBufferBoundariesEverywhere() throws {
        let text = "\u{FEFF}id,\"na,me\",note\r\n"
            + "1,\"a \"\"quoted\"\" word\",\"multi\r\nline\"\r\n"
            + "\r\n"
            + "2,,\"x\ny\"\n"
            + "3,\"\",plain\r"
            + "4,Zürich,\"東京, 日本\""
        let path = try file(text)
        let expected = Parsed(
            header: ["id", "na,me", "note"],
            records: [["1", "a \"quoted\" word", "multi\r\nline"], ["2", "", "x\ny"], ["3", "", "plain"], ["4", "Zürich", "東京, 日本"]],
            lines: [2, 5, 7, 8])
        for size in Array(1...16) + [64, 1 << 20] {
            XCTAssertEqual(try parse(path, bufferSize: size), expected, "buffer size \(size)")
        }
    }

    func testLongQuotedFieldAcrossManyBuffers() throws {
        let long = String(repeating: "ab\"\"c,\r\n", count: 2000)
        let value = String(repeating: "ab\"c,\r\n", count: 2000)
        let path = try file("a,b\n\"\(long)\",2\n3,4\n")
        for size in [1, 7, 4096] {
            let parsed = try parse(path, bufferSize: size)
            XCTAssertEqual(parsed.records, [[value, "2"], ["3", "4"]])
            XCTAssertEqual(parsed.lines, [2, 2003])
        }
    }

    func testErrorsWithTinyBuffers() throws {
        let unterminated = try file("a,b\n1,2\n3,\"abc\ndef\n")
        let badText = try file(Array("a,b\n1,caf".utf8) + [0xE9] + Array("\n".utf8), name: "latin1.csv")
        for size in [1, 2, 3, 5] {
            XCTAssertEqual(failure(unterminated, bufferSize: size)?.location?.line, 3)
            XCTAssertEqual(failure(badText, bufferSize: size)?.location, InputLocation(file: badText, line: 2, column: "b", value: "caf\u{FFFD}"))
        }
    }

    // MARK: Accessors

    func testFieldBytesAndProgress() throws {
        let path = try file("a,b\n\"x\"\"y\",zz\n")
        let reader = try CSVReader(path: path)
        XCTAssertEqual(reader.recordLine, 1)
        XCTAssertEqual(reader.bytesConsumed, 4)
        XCTAssertEqual(reader.fileSize, 14)
        XCTAssertTrue(try reader.nextRecord())
        XCTAssertEqual(reader.withFieldBytes(0) { Array($0) }, Array("x\"y".utf8))
        XCTAssertEqual(reader.withFieldBytes(1) { $0.count }, 2)
        XCTAssertEqual(reader.recordNumber, 1)
        XCTAssertEqual(reader.bytesConsumed, 14)
        XCTAssertFalse(try reader.nextRecord())
    }

    func testDashReadsStandardInput() throws {
        let path = try file("a;b\n1;2\n")
        let source = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(source, 0)
        let saved = dup(STDIN_FILENO)
        dup2(source, STDIN_FILENO)
        defer {
            dup2(saved, STDIN_FILENO)
            close(saved)
            close(source)
        }
        let reader = try CSVReader(path: "-")
        XCTAssertEqual(reader.path, "-")
        XCTAssertEqual(reader.delimiter, UInt8(ascii: ";"))
        XCTAssertTrue(try reader.nextRecord())
        XCTAssertEqual([reader.field(0), reader.field(1)], ["1", "2"])
        XCTAssertFalse(try reader.nextRecord())
    }

    // MARK: The real CRM export

    /// `Tests/LeadScoreTests/CSV/` → up four levels is the directory holding
    /// the repository, where `shared/datasets/` lives when present.
    private static let leadsPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../../shared/datasets/leads-x-education/Leads.csv").standardized.path

    func testLeadsExport() throws {
        let path = CSVReaderTests.leadsPath
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("\(path) is not present") }
        let reader = try CSVReader(path: path)
        XCTAssertEqual(reader.delimiter, UInt8(ascii: ","))
        XCTAssertEqual(reader.header.count, 38)
        XCTAssertEqual(reader.header.first, "Prospect ID")
        XCTAssertEqual(reader.header[7], "TotalVisits")
        XCTAssertEqual(reader.header.last, "")
        let converted = try XCTUnwrap(reader.header.firstIndex(of: "Converted"))
        let specialization = try XCTUnwrap(reader.header.firstIndex(of: "Specialization"))
        var firstID = "", won = 0, banking = 0, lastLine = 0
        while try reader.nextRecord() {
            if reader.recordNumber == 1 { firstID = reader.field(0) }
            if reader.field(converted) == "1" { won += 1 }
            if reader.field(specialization) == "Banking, Investment And Insurance" { banking += 1 }
            XCTAssertEqual(reader.field(37), "")
            lastLine = reader.recordLine
        }
        XCTAssertEqual(reader.recordNumber, 9240)
        XCTAssertEqual(lastLine, 9241)
        XCTAssertEqual(firstID, "7927b2df-8bba-4d29-b9a2-b6e0beafe620")
        XCTAssertEqual(won, 3561)
        XCTAssertGreaterThan(banking, 0)
        XCTAssertEqual(reader.bytesConsumed, reader.fileSize)
    }
}
