import Foundation
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import LeadScore

/// The thresholds page on the bundled history: well-formed, the capacity
/// curve drawn with a mark at each cut whose numbers are the report's, the
/// grid's cut-offs named, and the page as headless Chromium builds it.
final class ThresholdHTMLReportTests: XCTestCase {
    static func bundledReport() throws -> ThresholdReport {
        let root = Fixtures.repositoryRoot
        let card = try ModelCard.load(path: root.appendingPathComponent("models/b2b-deals.json").path)
        let request = ThresholdRequest(
            dataPath: root.appendingPathComponent("datasets/b2b-deals.csv").path, scorer: .model(path: "b2b-deals.json", card),
            tiers: [
                try ThresholdTier(parsing: "Sales-ready (SQL): capacity=40/week"), try ThresholdTier(parsing: "MQL: recall=80%"),
                ThresholdTier(name: "Nurture", targets: []),
            ],
            timeColumn: "Created Date", gridShares: [0.25, 0.5, 0.75])
        return try Thresholds.run(request).report
    }

    func testPageIsWellFormedAndMarksTheCuts() throws {
        let report = try Self.bundledReport()
        let html = ThresholdHTMLReport.render(report)
        let document = try XMLDocument(xmlString: html, options: [])
        XCTAssertEqual(document.rootElement()?.name, "html")
        let svgs = HTMLReportTests.svgElements(html)
        XCTAssertEqual(svgs.count, 1, "one chart: the capacity curve")
        let curve = try XCTUnwrap(report.curve)
        XCTAssertTrue(curve.perPeriod)
        XCTAssertEqual(curve.marks.map(\.tier), ["Sales-ready", "MQL"])
        // Each mark is where the tiers above end on the newer leads: its
        // leads per week are the tiers' summed leads per week.
        let newer = report.parts[1].tiers
        XCTAssertEqual(curve.marks[0].x, try XCTUnwrap(newer[0].leadsPerPeriod), accuracy: 1e-9)
        XCTAssertEqual(curve.marks[1].x, try XCTUnwrap(newer[0].leadsPerPeriod) + (newer[1].leadsPerPeriod ?? .nan), accuracy: 1e-9)
        // …and its conversions per week the tiers' conversions per week.
        XCTAssertEqual(curve.marks[0].y, try XCTUnwrap(newer[0].conversionsPerPeriod), accuracy: 1e-9)
        for mark in curve.marks {
            XCTAssertTrue(html.contains("\(mark.tier) and above: \(ModelNumber.fixed(mark.x, 1)) leads/week"), mark.tier)
        }
        XCTAssertTrue(html.contains("Grid cut-offs for at most 25%, 50%, 75% of the leads"))
        XCTAssertTrue(html.contains("on the newer leads"))
        let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        XCTAssertFalse(withoutNamespace.contains("http:") || withoutNamespace.contains("https:"), "nothing fetched from a network")
    }

    func testChromiumRendersThePage() throws {
        let dom = try HTMLReportTests.chromiumDOM(ThresholdHTMLReport.render(try Self.bundledReport()))
        XCTAssertEqual(dom.components(separatedBy: "<svg").count - 1, 1)
        XCTAssertTrue(dom.contains("id=\"capacity-curve\""))
        XCTAssertTrue(dom.contains("data-series=\"Sales-ready\""))
        XCTAssertTrue(dom.contains("id=\"months\""))
    }
}
