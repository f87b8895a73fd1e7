import Foundation
import XCTest

@testable import LeadScore

final class CSVWriterTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "csvwriter-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func contents(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    private func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    private func written(delimiter: UInt8 = UInt8(ascii: ","), _ rows: [[String]]) throws -> String {
        let path = directory + "/out.csv"
        let output = try AtomicOutput(path: path)
        let writer = CSVWriter(output: output, delimiter: delimiter)
        for row in rows { writer.writeRow(row) }
        try output.commit()
        return try contents(path)
    }

    // MARK: CSVWriter

    func testPlainFieldsAreNotQuoted() throws {
        XCTAssertEqual(try written([["id", "Lead Source", "x y"], ["1", "Google", ""]]), "id,Lead Source,x y\n1,Google,\n")
    }

    func testSpecialFieldsAreQuoted() throws {
        let text = try written([["a,b", "say \"hi\"", "two\nlines", "cr\rhere", "ok", " lead space", "Zürich"]])
        XCTAssertEqual(text, "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",ok, lead space,Zürich\n")
    }

    func testSemicolonDelimiterQuotesSemicolonsOnly() throws {
        XCTAssertEqual(try written(delimiter: UInt8(ascii: ";"), [["a;b", "c,d"]]), "\"a;b\";c,d\n")
    }

    /// In memory, from a 16-byte buffer that grows many times: the same
    /// bytes as the file, and `bytesWritten` counts them on both.
    func testByteBufferHoldsWhatTheFileGets() throws {
        var rows: [[String]] = [["id", "text", "note"], [""]]
        for i in 0..<300 { rows.append(["\(i)", String(repeating: "ab,\"c\n", count: i % 40), "Zürich \(i * i)"]) }
        let path = directory + "/out.csv"
        let file = try AtomicOutput(path: path, bufferSize: 64)
        let buffer = ByteBuffer(capacity: 16)
        for row in rows {
            CSVWriter(output: file).writeRow(row)
            CSVWriter(output: buffer).writeRow(row)
            XCTAssertEqual(file.bytesWritten, buffer.bytesWritten)
        }
        try file.commit()
        let expected = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertGreaterThan(expected.count, 20_000)
        XCTAssertEqual(Data(buffer.bytes), expected)
        XCTAssertEqual(buffer.bytesWritten, expected.count)
        buffer.removeAll()
        XCTAssertEqual(buffer.bytesWritten, 0)
        CSVWriter(output: buffer).writeRow(["x", "y"])
        XCTAssertEqual(String(decoding: buffer.bytes, as: UTF8.self), "x,y\n")
    }

    func testSingleEmptyFieldIsQuoted() throws {
        XCTAssertEqual(try written([["name"], [""], ["x"]]), "name\n\"\"\nx\n")
    }

    func testRoundTripThroughReader() throws {
        let rows: [[String]] = [
            ["id", "text, with comma", "note"],
            ["1", "\"quoted\"", "line1\nline2"],
            ["2", "", "crlf\r\ninside"],
            ["3", "ab\"c", " padded "],
            ["4", "東京, 日本 🙂", "\"\""],
            ["5", "\r", ","],
        ]
        for delimiter in [",", ";", "\t"].map({ UInt8(ascii: Unicode.Scalar($0)!) }) {
            _ = try written(delimiter: delimiter, rows)
            for size in [1, 3, 1 << 20] {
                let reader = try CSVReader(path: directory + "/out.csv", delimiter: nil, bufferSize: size)
                XCTAssertEqual(reader.delimiter, delimiter)
                var read = [reader.header]
                while try reader.nextRecord() { read.append((0..<reader.fieldCount).map(reader.field)) }
                XCTAssertEqual(read, rows, "delimiter \(delimiter), buffer \(size)")
            }
        }
    }

    func testOneColumnRoundTripKeepsEmptyValues() throws {
        _ = try written([["v"], [""], ["a"], [""]])
        let reader = try CSVReader(path: directory + "/out.csv")
        var values: [String] = []
        while try reader.nextRecord() { values.append(reader.field(0)) }
        XCTAssertEqual(values, ["", "a", ""])
    }

    /// Random fields made of the troublesome characters, written and read
    /// back with read sizes that put buffer boundaries everywhere.
    func testRandomRoundTrip() throws {
        var state: UInt64 = 42
        func random(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let pieces = ["a", "b", ",", ";", "\"", "\n", "\r", "\r\n", " ", "é", "東", "🙂", "\t", "xyzzy"]
        var rows = [["c1", "c2", "c3", "c4", "c5"]]
        for _ in 0..<300 {
            rows.append((0..<5).map { _ in (0..<random(6)).map { _ in pieces[random(pieces.count)] }.joined() })
        }
        _ = try written(rows)
        for size in [1, 2, 3, 7, 8, 9, 64, 1 << 20] {
            let reader = try CSVReader(path: directory + "/out.csv", delimiter: UInt8(ascii: ","), bufferSize: size)
            var read = [reader.header]
            while try reader.nextRecord() { read.append((0..<reader.fieldCount).map(reader.field)) }
            XCTAssertEqual(read, rows, "buffer \(size)")
        }
    }

    // MARK: AtomicOutput

    func testFileAppearsOnlyAtCommit() throws {
        let path = directory + "/scores.csv"
        let output = try AtomicOutput(path: path)
        output.write("a,b\n")
        output.write(Array("1,2\n".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        let pending = try entries()
        XCTAssertEqual(pending.count, 1)
        XCTAssertTrue(pending.first?.hasPrefix(".scores.csv.tmp-\(getpid())-") ?? false, "\(pending)")
        try output.commit()
        XCTAssertEqual(try contents(path), "a,b\n1,2\n")
        XCTAssertEqual(try entries(), ["scores.csv"])
        try output.commit()  // a second commit does nothing
        XCTAssertEqual(try contents(path), "a,b\n1,2\n")
    }

    func testUncommittedOutputLeavesNothing() throws {
        let path = directory + "/scores.csv"
        try "previous\n".write(toFile: path, atomically: false, encoding: .utf8)
        do {
            let output = try AtomicOutput(path: path)
            output.write(String(repeating: "x", count: 3 << 20))
            XCTAssertEqual(try entries().count, 2)
        }
        XCTAssertEqual(try entries(), ["scores.csv"])
        XCTAssertEqual(try contents(path), "previous\n")
    }

    func testCommitReplacesExistingFileAndKeepsPermissions() throws {
        let path = directory + "/model.json"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let output = try AtomicOutput(path: path)
        output.write("new")
        try output.commit()
        XCTAssertEqual(try contents(path), "new")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o640)
    }

    func testLargeAndUnbufferedWrites() throws {
        let path = directory + "/big.bin"
        let output = try AtomicOutput(path: path, bufferSize: 100)
        var expected: [UInt8] = []
        for i in 0..<2000 {
            let chunk = [UInt8](repeating: UInt8(i % 251), count: i % 7 == 0 ? 250 : i % 13)
            output.write(chunk)
            expected += chunk
        }
        output.write((0..<10).lazy.map { UInt8($0) })  // not contiguous
        expected += (0..<10).map { UInt8($0) }
        try output.commit()
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data(expected))
    }

    /// Past 16 MiB the file's written ranges are handed to the kernel's
    /// writeback as they go (`startWriteback`): advice that changes no
    /// byte, of the file or of what replaces the previous one.
    func testOutputBeyondTheWritebackRangesIsWhole() throws {
        let path = directory + "/scores.csv"
        try "previous\n".write(toFile: path, atomically: false, encoding: .utf8)
        let output = try AtomicOutput(path: path, bufferSize: 1 << 20)
        var expected = Data()
        var g = SeededGenerator(seed: 16)
        let random = (0..<(1 << 20) - 7).map { _ in UInt8(g.index(below: 256)) }
        for i in 0..<45 {
            let chunk = random.map { $0 &+ UInt8(i) }
            output.write(chunk)
            expected.append(contentsOf: chunk)
        }
        XCTAssertEqual(try contents(path), "previous\n", "the previous file stays until the commit")
        try output.commit()
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), expected)
    }

    func testMissingDirectoriesAreCreated() throws {
        let path = directory + "/reports/2024/scores.csv"
        let output = try AtomicOutput(path: path)
        output.write("x\n")
        try output.commit()
        XCTAssertEqual(try contents(path), "x\n")
    }

    func testUncreatableDirectoryIsAnIOError() throws {
        let blocker = directory + "/file.txt"
        try "x".write(toFile: blocker, atomically: false, encoding: .utf8)
        let path = blocker + "/sub/scores.csv"
        XCTAssertThrowsError(try AtomicOutput(path: path)) { error in
            let error = error as? InputError
            XCTAssertEqual(error?.kind, .io)
            XCTAssertEqual(error?.location?.file, path)
            XCTAssertFalse(error?.remedy.isEmpty ?? true)
        }
        XCTAssertThrowsError(try AtomicOutput(path: directory)) { error in
            XCTAssertEqual((error as? InputError)?.kind, .io)
        }
    }

    func testDashWritesStandardOutput() throws {
        let path = directory + "/stdout.txt"
        let target = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        XCTAssertGreaterThanOrEqual(target, 0)
        fflush(nil)
        let saved = dup(STDOUT_FILENO)
        dup2(target, STDOUT_FILENO)
        let output = try AtomicOutput(path: "-")
        CSVWriter(output: output).writeRow(["a", "b c"])
        try output.commit()
        dup2(saved, STDOUT_FILENO)
        close(saved)
        close(target)
        XCTAssertEqual(try contents(path), "a,b c\n")
    }

    func testRelativePathUsesCurrentDirectory() throws {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(directory)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let output = try AtomicOutput(path: "plain.csv")
        output.write("1\n")
        try output.commit()
        XCTAssertEqual(try contents(directory + "/plain.csv"), "1\n")
        XCTAssertEqual(try entries(), ["plain.csv"])
    }
}
