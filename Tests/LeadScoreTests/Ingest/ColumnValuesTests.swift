import XCTest

@testable import LeadScore

/// Column values spilled to a part's scratch file and joined into a column
/// in memory or in a mapped cache file come back exactly as appended.
final class ColumnValuesTests: XCTestCase {
    func cacheDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("column-values-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testSpilledPartsJoinInOrderWithTheirAdjustment() throws {
        let dir = try cacheDirectory()
        let spill = try SpillFile(directory: dir, columns: 7)
        // Two parts: one spilled (several full chunks and a tail), one in memory.
        let chunk = spill.chunkValues
        XCTAssertEqual(chunk, 32_768)
        var a = SpilledValues<Int>(spill: spill), b = SpilledValues<Int>(spill: nil)
        let countA = 3 * chunk + 123, countB = 1000
        for i in 0..<countA { a.append(i * 7) }
        for i in 0..<countB { b.append(-i) }
        XCTAssertEqual(a.count, countA)
        XCTAssertEqual(a.tail.count, 123, "full chunks are written out, only the tail stays in memory")
        let expected = (0..<countA).map { $0 * 7 } + (0..<countB).map { -$0 + 5 }
        for storage in [TableStorage.memory, .disk(directory: dir)] {
            let column = try SpilledValues.join([a, b], storage) { k, values in
                guard k == 1 else { return }
                for i in values.indices { values[i] += 5 }
            }
            XCTAssertEqual(Array(column), expected, "\(storage)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "cache files are unlinked when made")
    }

    /// In memory, values go into chunks of 2 MiB that are never moved (the
    /// first grows up to one): many chunks' worth join back in order.
    func testValuesInMemorySpanningChunks() throws {
        let perChunk = SpilledValues<Double>.memoryChunkBytes / MemoryLayout<Double>.stride
        XCTAssertEqual(perChunk, 262_144)
        var a = SpilledValues<Double>(spill: nil), b = SpilledValues<Double>(spill: nil)
        let countA = 3 * perChunk + 17
        for i in 0..<countA { a.append(Double(i) * 0.5) }
        b.append(-1)
        XCTAssertEqual(a.count, countA)
        XCTAssertEqual(a.tail.count, 17, "full chunks are sealed, the tail holds the rest")
        let column = try SpilledValues.join([a, b], .memory)
        XCTAssertEqual(column.count, countA + 1)
        for i in [0, 1, perChunk - 1, perChunk, 2 * perChunk + 5, countA - 1] { XCTAssertEqual(column[i], Double(i) * 0.5, "value \(i)") }
        XCTAssertEqual(column[countA], -1)
        XCTAssertEqual(Array(column), (0..<countA).map { Double($0) * 0.5 } + [-1])
    }

    /// Chunks shrink with the number of columns, so that a part's chunk
    /// buffers stay near 16 MiB for a wide file.
    func testChunksOfWideFiles() {
        XCTAssertEqual(SpillFile.chunkValues(columns: 19), 32_768)
        XCTAssertEqual(SpillFile.chunkValues(columns: 500), 1_024)
        XCTAssertEqual(SpillFile.chunkValues(columns: 100), 8_192)  // 16 MiB / 2,000 B = 8,388 values
        XCTAssertEqual(SpillFile.chunkValues(columns: 5_000), 1_024)
    }

    func testEmptyColumnsAndLiterals() throws {
        let dir = try cacheDirectory()
        let empty = try SpilledValues.join([SpilledValues<Double>(spill: nil)], .disk(directory: dir))
        XCTAssertTrue(empty.isEmpty)
        let column: ColumnValues<Int32> = [3, 5, 6]
        XCTAssertEqual(column, ColumnValues([3, 5, 6]))
        XCTAssertNotEqual(column, [3, 5])
        XCTAssertEqual(column.withUnsafeBufferPointer { $0.reduce(0, +) }, 14)
    }
}
