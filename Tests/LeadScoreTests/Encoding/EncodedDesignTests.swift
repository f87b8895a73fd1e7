import Foundation
import XCTest

@testable import LeadScore

/// The design encoded on demand, as training reads it: the same values bit
/// for bit as the design encoded whole, and the same compact form.
final class EncodedDesignTests: XCTestCase {
    /// The bundled deals' encoder (with a pair term, so that every kind
    /// of feature writer is used) and table, on the closed deals from row
    /// 17 on (so that design row i is not table row i).
    static func encoded() throws -> (encoder: FeatureEncoder, table: RawTable, rows: [Int]) {
        let root = Fixtures.repositoryRoot
        let config = try TrainingConfiguration.load(path: root.appendingPathComponent("datasets/b2b-deals.config.json").path)
        let parser = ValueParser(missingMarkers: ValueParser.defaultMissingMarkers + (config.missingValues ?? []))
        var table = try RawTable.read(
            path: root.appendingPathComponent("datasets/b2b-deals.csv").path, parser: parser,
            levelCap: { _ in TrainingConfiguration.defaultMaxCategoryLevels + 1 })
        let schema = try SchemaInference.infer(&table, config: config)
        let rows = (17..<table.rowCount).filter { schema.target.label(table.text(column: schema.targetIndex, row: $0)) != nil }
        var notices: [String] = []
        let encoder = try FeatureEncoder.fit(
            table: table, schema: schema, rows: rows, config: config, asOfDays: nil,
            pairs: [ColumnPair(first: "Job Level", second: "Lead Source")], notices: &notices)
        XCTAssertEqual(encoder.pairs.count, 1)
        return (encoder, table, rows)
    }

    func testRowsAreTheWholeDesignsRows() throws {
        let (encoder, table, rows) = try Self.encoded()
        let whole = encoder.design(table: table, rows: rows)
        let onDemand = EncodedDesign(encoder: encoder, table: table, rows: rows)
        XCTAssertEqual(onDemand.rows, whole.rows)
        XCTAssertEqual(onDemand.columns, whole.columns)
        XCTAssertTrue(onDemand.readsAnyRows)
        var blocks: [UInt64] = []
        onDemand.forEachBlock { blocks += $0.values.map(\.bitPattern) }
        XCTAssertTrue(blocks == whole.values.map(\.bitPattern), "the blocks differ from the design")
        // Any rows, in any order.
        let p = whole.columns
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 1_000 * p)
        defer { scratch.deallocate() }
        for range in [5_000..<6_000, 0..<1, rows.count - 3..<rows.count] {
            onDemand.withRows(range, scratch: scratch) { values in
                let got = (0..<range.count * p).map { values[$0].bitPattern }
                XCTAssertTrue(got == whole.values[range.lowerBound * p..<range.upperBound * p].map(\.bitPattern), "rows \(range)")
            }
        }
    }

    /// Compacted as it is encoded, on two threads a chunk at a time: the
    /// compact form of the whole design, which rebuilds it.
    func testCompactFormIsTheWholeDesigns() throws {
        let (encoder, table, rows) = try Self.encoded()
        let whole = encoder.design(table: table, rows: rows)
        let fromWhole = try CompactDesign(whole, holdingAllValues: true)
        let fromEncoded = try CompactDesign(EncodedDesign(encoder: encoder, table: table, rows: rows), holdingAllValues: true)
        XCTAssertEqual(fromEncoded.structure, fromWhole.structure)
        XCTAssertEqual(fromEncoded.start, fromWhole.start)
        XCTAssertEqual(fromEncoded.active, fromWhole.active)
        XCTAssertEqual(fromEncoded.listedValue, fromWhole.listedValue)
        XCTAssertEqual(fromEncoded.denseCopy, fromWhole.denseCopy)
        XCTAssertGreaterThan(fromEncoded.structure.binary.count, fromEncoded.structure.dense.count, "a mostly one-hot design")
        CompactDesignRowsTests.assertRebuilds(fromEncoded, whole, "bundled deals")
    }
}
