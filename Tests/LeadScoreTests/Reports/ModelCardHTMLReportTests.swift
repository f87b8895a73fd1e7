import Foundation
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import LeadScore

/// `inspect --html`: a spline column's curve with its band, as an SVG
/// chart, and its table.
final class ModelCardHTMLReportTests: XCTestCase {
    /// Well-formed; one chart with the curve at `curvePoints` points and
    /// the band as a polygon along both edges; the table's rows are the
    /// curve's points at the training deciles (tested against statsmodels
    /// in ModelCardSplinesTests), and the band's edges lie around the
    /// curve at every point drawn.
    func testSplineCurveWithItsBand() throws {
        let card = try SplineCards.fixtureFit()
        let html = ModelCardHTMLReport.render(card, name: "spline.json")
        let document = try XMLDocument(xmlString: html, options: [])
        XCTAssertEqual(document.rootElement()?.name, "html")
        let svgs = HTMLReportTests.svgElements(html)
        XCTAssertEqual(svgs.count, 1)
        let polyline = try XCTUnwrap(svgs[0].components(separatedBy: "data-series=\"Score\"><polyline points=\"").dropFirst().first)
        let points = polyline.prefix { $0 != "\"" }.split(separator: " ")
        XCTAssertEqual(points.count, ModelCardHTMLReport.curvePoints)
        let polygon = try XCTUnwrap(svgs[0].components(separatedBy: "<polygon points=\"").dropFirst().first)
        let corners = polygon.prefix { $0 != "\"" }.split(separator: " ").map { $0.split(separator: ",").map { Double($0)! } }
        XCTAssertEqual(corners.count, 2 * ModelCardHTMLReport.curvePoints)
        // Pixels grow downwards: the lower edge below the curve, the upper above.
        let curve = points.map { $0.split(separator: ",").map { Double($0)! } }
        for (i, p) in curve.enumerated() {
            let lower = corners[i], upper = corners[corners.count - 1 - i]
            XCTAssertEqual(lower[0], p[0])
            XCTAssertEqual(upper[0], p[0])
            XCTAssertGreaterThanOrEqual(lower[1], p[1])
            XCTAssertLessThanOrEqual(upper[1], p[1])
        }
        for p in try XCTUnwrap(card.splineCurves.first).points {
            XCTAssertTrue(
                html.contains("<td>\(String(format: "%.6g", p.value))</td><td>\(ModelNumber.signed(p.logOdds, 3))</td><td>[\(ModelNumber.signed(p.lower95!, 3)), \(ModelNumber.signed(p.upper95!, 3))]</td>"),
                "\(p)")
        }
        // A card without splines says it has none.
        XCTAssertFalse(ModelCardHTMLReport.render(try SplineCards.fixtureFit(splines: false), name: "plain.json").contains("id=\"splines\""))
    }
}
