import Foundation
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import LeadScore

/// The drift page and text on the bundled data, trained with the bundled
/// configuration, against the new leads with two more pricing-page visits
/// each: well-formed, the moved column's bars and bins drawn with the
/// report's numbers, and the page as headless Chromium builds it.
final class DriftHTMLReportTests: XCTestCase {
    static let report: DriftReport = {
        let root = Fixtures.repositoryRoot
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("drift-page-\(getpid())")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var request = TrainingRequest(
            dataPath: root.appendingPathComponent("datasets/b2b-deals.csv").path,
            configuration: try! TrainingConfiguration.load(path: root.appendingPathComponent("datasets/b2b-deals.config.json").path))
        request.trainingDate = "2026-11-23"
        let card = try! Trainer.train(request)
        let path = directory.appendingPathComponent("shifted.csv")
        let reader = try! CSVReader(path: root.appendingPathComponent("datasets/b2b-new-leads.csv").path)
        let visits = reader.header.firstIndex(of: "Pricing Page Visits")!
        let out = try! AtomicOutput(path: path.path)
        let writer = CSVWriter(output: out)
        writer.writeRow(reader.header)
        while try! reader.nextRecord() {
            var fields = (0..<reader.fieldCount).map(reader.field)
            fields[visits] = String(Int(fields[visits])! + 2)
            writer.writeRow(fields)
        }
        try! out.commit()
        return try! Drift.run(DriftRequest(dataPath: path.path, model: card, modelPath: "b2b-deals.json"))
    }()

    func testPageIsWellFormedAndDrawsTheMovedColumn() throws {
        let r = Self.report
        XCTAssertEqual(r.columns.first?.name, "Pricing Page Visits")
        XCTAssertEqual(r.columns(atLeast: .watch).map(\.name), ["Pricing Page Visits"])
        let html = DriftHTMLReport.render(r)
        let document = try XMLDocument(xmlString: html, options: [])
        XCTAssertEqual(document.rootElement()?.name, "html")
        // The score's bars and the one drifted column's.
        let svgs = HTMLReportTests.svgElements(html)
        XCTAssertEqual(svgs.count, 2)
        let moved = r.columns[0]
        // One training and one new bar per bin.
        for (name, count) in [("training", moved.bins.count), ("new", moved.bins.count)] {
            XCTAssertEqual(svgs[1].components(separatedBy: "data-series=\"\(name)\"").count - 1, count, name)
        }
        // The bin edges under the bars, the bins' table with their shares.
        for edge in try XCTUnwrap(moved.edges) { XCTAssertTrue(svgs[1].contains(">\(ColumnProfile.edgeText(edge))</text>"), "edge \(edge)") }
        for bin in moved.bins {
            XCTAssertTrue(html.contains("<td class=\"text\">\(HTMLReport.esc(bin.label))</td><td>\(ModelNumber.percent(bin.training))</td><td>\(ModelNumber.percent(bin.new))</td>"), bin.label)
        }
        XCTAssertTrue(html.contains("<tr data-column=\"Pricing Page Visits\"><td class=\"name\">Pricing Page Visits</td><td class=\"text\">numeric</td><td>\(DriftTextReport.psi(moved.psi))</td>"))
        XCTAssertTrue(html.contains("id=\"glossary\""))
        let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        XCTAssertFalse(withoutNamespace.contains("http:") || withoutNamespace.contains("https:"), "nothing fetched from a network")
    }

    /// The terminal text: the score line, the columns by PSI, the bins of
    /// the column at act, the numbers as in the report.
    func testTextNamesTheMovedColumnFirstWithItsBins() {
        let r = Self.report, text = DriftTextReport.render(r)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("Drift of shifted.csv (5,000 leads) from the 19,402 training rows of b2b-deals.csv"), lines[0])
        XCTAssertEqual(lines[2], "Score (probability): PSI \(DriftTextReport.psi(r.score.psi)), \(r.score.verdict.rawValue).")
        let first = lines[6]
        XCTAssertTrue(first.hasPrefix("Pricing Page Visits"), first)
        XCTAssertTrue(first.contains("\(DriftTextReport.psi(r.columns[0].psi))  act"), first)
        XCTAssertTrue(text.contains("\"Pricing Page Visits\": PSI \(DriftTextReport.psi(r.columns[0].psi)), act.\nbin        training    new    change  PSI term"))
        XCTAssertTrue(text.contains("≤ 0"))
    }

    func testChromiumRendersThePage() throws {
        let dom = try HTMLReportTests.chromiumDOM(DriftHTMLReport.render(Self.report))
        XCTAssertEqual(dom.components(separatedBy: "<svg").count - 1, 2)
        XCTAssertTrue(dom.contains("data-column=\"Pricing Page Visits\""))
        XCTAssertTrue(dom.contains("id=\"drift-1\""))
        XCTAssertTrue(dom.contains("data-series=\"new\""))
    }
}
