import Foundation
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import LeadScore

/// Pair terms in `inspect` (a table of cells × cells with log-odds and
/// training rows, and the screen's candidates) and in the HTML report (an
/// SVG heatmap with the values written in the cells).
final class PairReportTests: XCTestCase {
    static let card = Result {
        try PairEncoderTests.train {
            $0.autoInteractions = 3
            $0.l2 = 1
        }
    }

    func testInspectShowsEachPairAsATable() throws {
        let card = try Self.card.get()
        let text = ModelCardReport.inspection(card)
        let table = try XCTUnwrap(card.pairTables().first)
        XCTAssertEqual(table.rowCells, ["≤ 1", "1 to 2", "2 to 3", "> 3"])
        XCTAssertEqual(table.logOdds[0], [0, 0, 0, 0, 0, 0, 0])
        let pair = card.schema.encoders.pairs[0]
        XCTAssertEqual(table.logOdds[3][2], card.features[card.schema.encoders.pairOffsets[0] + pair.feature(3, 2)!].coefficient)
        XCTAssertEqual(table.counts.flatMap { $0 }.reduce(0, +), 1500)
        XCTAssertTrue(text.contains("Pair Visits × Source (log-odds added to the main effects"), text)
        // The row of "> 3": each cell's value (3 decimals) and training rows.
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("> 3 ") })
        XCTAssertTrue(row.contains("\(ModelNumber.signed(table.logOdds[3][2], 3)) (\(table.counts[3][2]))"), String(row))
        XCTAssertTrue(text.contains("Interaction screen: 5 column pairs scored"), text)
        // The rare cell (2 to 3, Trade show: 9 training rows) is merged into
        // the reference: "·" for its adjustment, and the legend says why.
        XCTAssertEqual(table.merged.flatMap { $0 }.filter { $0 }.count, 1)
        XCTAssertTrue(table.merged[2][6])
        XCTAssertEqual(table.logOdds[2][6], 0)
        XCTAssertEqual(table.counts[2][6], 9)
        let rare = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("2 to 3 ") })
        XCTAssertTrue(rare.hasSuffix("· (9)"), String(rare))
        XCTAssertTrue(text.contains("· a cell with fewer than 10 training rows, merged into the reference cells, 0"), text)
    }

    func testHTMLReportDrawsAHeatmap() throws {
        let card = try Self.card.get()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pairs-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("model.json").path
        try card.write(to: path)
        let report = try Comparison.run(ComparisonRequest(dataPath: PairEncoderTests.csv, scorers: [.model(path: path, card)], bootstrapResamples: 10))
        let tables = try XCTUnwrap(report.scorers[0].pairs)
        XCTAssertEqual(tables, card.pairTables())
        let html = HTMLReport.render(report)
        XCTAssertTrue(html.contains("<section id=\"pairs\">"))
        XCTAssertTrue(html.contains("<title>Visits × Source</title>"))
        XCTAssertTrue(html.contains(">\(ModelNumber.signed(tables[0].logOdds[3][2], 2))</text>"))
        // The rare cells are grey and marked "·".
        let merged = tables.reduce(0) { $0 + $1.merged.flatMap { $0 }.filter { $0 }.count }
        XCTAssertGreaterThanOrEqual(merged, 1)
        XCTAssertEqual(html.components(separatedBy: "fill=\"\(HTMLReport.mergedCellFill)\"").count - 1, merged)
        XCTAssertTrue(html.contains(">·</text>"))
        // The strongest cell is at the end of the scale; 0 is white.
        let top = tables.flatMap { $0.logOdds.flatMap { $0.map(abs) } }.max()!
        XCTAssertEqual(HTMLReport.divergingColour(0, top: top).fill, "#ffffff")
        XCTAssertEqual(HTMLReport.divergingColour(-top, top: top).fill, "#2166ac")
        XCTAssertEqual(HTMLReport.divergingColour(top, top: top).fill, "#b2182b")
        XCTAssertNoThrow(try XMLDocument(xmlString: html, options: []))
    }
}
