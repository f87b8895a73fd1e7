import Foundation
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import LeadScore

/// The HTML comparison report: well-formed, self-contained, escaped,
/// deterministic, with the five chart figures (the fifth holds one small
/// chart per scorer, so a report of n scorers has 4 + n SVGs), and drawn by
/// a real browser (headless Chromium, skipped when it is not installed; CI
/// installs it).
final class HTMLReportTests: XCTestCase {
    // MARK: Structure

    func testWholePageIsWellFormedXML() throws {
        let report = Self.makeReport()
        let html = HTMLReport.render(report)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        let document = try XMLDocument(xmlString: html, options: [])
        XCTAssertEqual(document.rootElement()?.name, "html")
        // Every <svg> also parses on its own, as a standalone SVG file.
        let svgs = Self.svgElements(html)
        XCTAssertEqual(svgs.count, 4 + report.scorers.count)
        for svg in svgs {
            let parser = XMLParser(data: Data(svg.utf8))
            XCTAssertTrue(parser.parse(), "SVG does not parse: \(parser.parserError.map { "\($0)" } ?? "?")")
        }
    }

    func testFiveChartFiguresWithGuidesTitlesAndAxes() throws {
        let report = Self.makeReport()
        let document = try XMLDocument(xmlString: HTMLReport.render(report), options: [])
        let figures = try document.nodes(forXPath: "//figure")
        XCTAssertEqual(figures.count, 5, "four shared charts plus one figure of small distribution charts")
        let guides = [
            HTMLReport.Guide.reliability, HTMLReport.Guide.gains, HTMLReport.Guide.lift,
            HTMLReport.Guide.decileRate, HTMLReport.Guide.distributions,
        ]
        let ids = ["fig-reliability", "fig-gains", "fig-lift", "fig-decile-rate", "fig-distributions"]
        for (figure, (id, guide)) in zip(figures, zip(ids, guides)) {
            let element = try XCTUnwrap(figure as? XMLElement)
            XCTAssertEqual(element.attribute(forName: "id")?.stringValue, id)
            XCTAssertEqual(try figure.nodes(forXPath: "figcaption").first?.stringValue, guide, id)
            XCTAssertFalse(try figure.nodes(forXPath: "h3").first?.stringValue?.isEmpty ?? true, "\(id) has no title")
            let svgs = try figure.nodes(forXPath: ".//*[local-name()='svg']")
            XCTAssertEqual(svgs.count, id == "fig-distributions" ? report.scorers.count : 1, id)
            for svg in svgs {
                // Two axis titles, tick labels, and a legend.
                let axisTexts = try svg.nodes(forXPath: ".//*[local-name()='g'][@class='axes']/*[local-name()='text']")
                XCTAssertGreaterThanOrEqual(axisTexts.count, 2 + 6, id)
                XCTAssertTrue(axisTexts.allSatisfy { !($0.stringValue ?? "").isEmpty }, id)
                XCTAssertFalse(try svg.nodes(forXPath: ".//*[local-name()='g'][@class='legend']").isEmpty, id)
            }
        }
        XCTAssertTrue(HTMLReport.Guide.reliability.hasPrefix("Points above the diagonal: the scorer under-predicts conversion"))
    }

    func testEveryScorerIsNamedInTheLegends() throws {
        let report = Self.makeReport()
        let document = try XMLDocument(xmlString: HTMLReport.render(report), options: [])
        let shared = ["fig-reliability", "fig-gains", "fig-lift", "fig-decile-rate"]
        for id in shared {
            let legend = try document.nodes(forXPath: "//figure[@id='\(id)']//*[local-name()='g'][@class='legend']/*[local-name()='text']")
                .compactMap(\.stringValue)
            for scorer in report.scorers {
                XCTAssertTrue(legend.contains(scorer.name), "\(scorer.name) missing from the legend of \(id): \(legend)")
            }
        }
        // Each small distribution chart is titled with its scorer and has a won/lost legend.
        let panels = try document.nodes(forXPath: "//figure[@id='fig-distributions']//*[local-name()='svg']")
        for (panel, scorer) in zip(panels, report.scorers) {
            let texts = try panel.nodes(forXPath: "./*[local-name()='text']").compactMap(\.stringValue)
            XCTAssertEqual(texts.first, scorer.name)
            let legend = try panel.nodes(forXPath: ".//*[local-name()='g'][@class='legend']/*[local-name()='text']").compactMap(\.stringValue)
            XCTAssertEqual(legend.count, 2)
            XCTAssertTrue(legend[0].hasPrefix("Won (") && legend[1].hasPrefix("Lost ("), "\(legend)")
        }
        // Reference lines are in the legends too.
        let gains = try document.nodes(forXPath: "//figure[@id='fig-gains']//*[local-name()='g'][@class='legend']/*[local-name()='text']")
            .compactMap(\.stringValue)
        XCTAssertTrue(gains.contains("Random selection"))
        XCTAssertTrue(gains.contains("Perfect model (100% at \(HTMLReport.percent(report.baseRate)) of leads)"), "\(gains)")
    }

    func testReliabilityOmitsEmptyBins() throws {
        let report = Self.makeReport()
        let rules = report.scorers[2]
        let nonEmpty = rules.calibration.reliabilityEqualWidth.filter { $0.count > 0 }.count
        XCTAssertEqual(rules.calibration.reliabilityEqualWidth.count, 10)
        XCTAssertLessThan(nonEmpty, 10, "the fixture should have empty bins")
        let svg = HTMLReport.reliabilityChart(report, report.scorers.indices.map(HTMLReport.style(for:)))
        let document = try XMLDocument(xmlString: String(svg.prefix(upTo: svg.range(of: "</svg>")!.upperBound)), options: [])
        let line = try XCTUnwrap(try document.nodes(forXPath: "//*[@data-series='\(rules.name)']/*[local-name()='polyline']").first as? XMLElement)
        // (FoundationXML's attribute(forName:) misses attributes of elements in the SVG namespace.)
        let points = line.attributes?.first { $0.name == "points" }?.stringValue?.split(separator: " ") ?? []
        XCTAssertEqual(points.count, nonEmpty)
    }

    // MARK: Text

    func testUserTextIsEscaped() throws {
        var report = Self.makeReport()
        let hostile = "<b>\"A&B\"</b>"
        let old = report.scorers[2].name
        report.scorers[2].name = hostile
        report.scorers[2].tiers[0].tier = "Hot & <i>ready</i>"
        report.scorers[2].source = "rules.json'><script>alert(1)</script>"
        for i in report.comparisons.indices {
            if report.comparisons[i].a == old { report.comparisons[i].a = hostile }
            if report.comparisons[i].b == old { report.comparisons[i].b = hostile }
        }
        report.definitions["<script>"] = "x < y && y > z"
        report.file = "leads <2024> & co.csv"
        let html = HTMLReport.render(report)
        XCTAssertFalse(html.contains(hostile))
        XCTAssertFalse(html.contains("<i>ready"))
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertTrue(html.contains("&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;"))
        XCTAssertTrue(html.contains("Hot &amp; &lt;i&gt;ready&lt;/i&gt;"))
        XCTAssertTrue(html.contains("x &lt; y &amp;&amp; y &gt; z"))
        // Parsed back, the legends hold the name exactly as the user wrote it.
        let document = try XMLDocument(xmlString: html, options: [])
        let legend = try document.nodes(forXPath: "//figure[@id='fig-gains']//*[local-name()='g'][@class='legend']/*[local-name()='text']")
            .compactMap(\.stringValue)
        XCTAssertTrue(legend.contains(hostile))
        XCTAssertEqual(try document.nodes(forXPath: "//*[local-name()='script' or local-name()='b' or local-name()='i']").count, 0)
    }

    func testControlCharactersKeepThePageWellFormed() throws {
        var report = Self.makeReport()
        report.scorers[0].name = "Model\u{0}\u{7} one\u{FFFF}"
        let html = HTMLReport.render(report)
        XCTAssertNoThrow(try XMLDocument(xmlString: html, options: []))
        XCTAssertTrue(html.contains("Model\u{FFFD}\u{FFFD} one\u{FFFD}"))
    }

    func testNoNetworkReferences() {
        let html = HTMLReport.render(Self.makeReport())
        let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        XCTAssertFalse(withoutNamespace.contains("http://"))
        XCTAssertFalse(withoutNamespace.contains("https://"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("<img"))
        XCTAssertFalse(html.contains("src="))
        XCTAssertFalse(html.contains("@import"))
        XCTAssertFalse(html.contains("//fonts"))
        // The only url() references are to clip paths inside the page.
        XCTAssertEqual(html.components(separatedBy: "url(").count - 1, html.components(separatedBy: "url(#").count - 1)
    }

    func testHeaderSummaryAndTables() {
        let report = Self.makeReport()
        let html = HTMLReport.render(report)
        XCTAssertTrue(html.contains("<code title=\"\(report.sha256)\">\(report.sha256.prefix(16))</code>"))
        for text in ["5,000", "167", "1,000", "3,833", "20260301", "2,000"] {
            XCTAssertTrue(html.contains("<dd>\(text)") || html.contains("<dd>\(text) ("), text)
        }
        XCTAssertTrue(html.contains("were turned into probabilities by isotonic calibration"))
        XCTAssertTrue(html.contains("separate split of 1,000 rows"))
        // Fixed decimals, locale-independent.
        let a = report.scorers[0].ranking
        XCTAssertTrue(html.contains("<td>\(ModelNumber.fixed(a.auc, 3)) [\(ModelNumber.fixed(a.aucLower, 3)), \(ModelNumber.fixed(a.aucUpper, 3))]</td>"))
        XCTAssertTrue(html.contains("<td>\(ModelNumber.fixed(report.scorers[0].calibration.brier, 4))</td>"))
        XCTAssertTrue(html.contains("&lt;0.0001"), "a p-value below 0.0001")
        // Pairwise: the interval excluding zero is marked, the other is not.
        let c0 = report.comparisons[0].auc, c1 = report.comparisons[1].brier
        XCTAssertTrue(HTMLReport.excludesZero(c0.lower, c0.upper))
        XCTAssertFalse(HTMLReport.excludesZero(c1.lower, c1.upper))
        XCTAssertTrue(html.contains("<span class=\"excl\">\(ModelNumber.signed(c0.estimate, 3)) [\(ModelNumber.signed(c0.lower, 3)), \(ModelNumber.signed(c0.upper, 3))]*</span>"))
        XCTAssertTrue(html.contains("<td>\(ModelNumber.signed(c1.estimate, 4)) [\(ModelNumber.signed(c1.lower, 4)), \(ModelNumber.signed(c1.upper, 4))]</td>"))
        // Sales view, points bands and glossary.
        for tier in report.scorers.flatMap(\.tiers) { XCTAssertTrue(html.contains("<td class=\"text\">\(HTMLReport.esc(tier.tier))</td>"), tier.tier) }
        XCTAssertTrue(html.contains("<section id=\"points\">"))
        XCTAssertEqual(html.components(separatedBy: "<th>Points</th>").count - 1, 1)
        for key in report.definitions.keys { XCTAssertTrue(html.contains("<dt>\(HTMLReport.esc(key))</dt>"), key) }
        let keys = HTMLReport.glossaryOrder(report.definitions.keys)
        XCTAssertEqual(HTMLReport.glossaryOrder(["lift", "AUC", "Brier", "capture at k", "ECE"]), ["AUC", "Brier", "capture at k", "ECE", "lift"])
        let positions = keys.map { html.range(of: "<dt>\(HTMLReport.esc($0))</dt>")!.lowerBound }
        XCTAssertEqual(positions, positions.sorted(), "glossary in key order")
    }

    /// A model with segment models: a Segments section with one row per
    /// segment, its values those of the report's breakdown; none without.
    func testSegmentsTable() throws {
        XCTAssertFalse(HTMLReport.render(Self.makeReport()).contains("id=\"segments\""))
        let card = try TrainedCards.segmented(rows: 4000, seed: 341)
        let path = try TrainedCards.dealsFile(rows: 2000, seed: 342, regions: true, for: self)
        let report = try Comparison.run(ComparisonRequest(dataPath: path, scorers: [.model(path: "seg.json", card)], bootstrapResamples: 20))
        let breakdown = try XCTUnwrap(report.segments?.first)
        let html = HTMLReport.render(report)
        XCTAssertTrue(html.contains("<a href=\"#segments\">Segments</a>"))
        let document = try XMLDocument(xmlString: html, options: [])
        XCTAssertEqual(try document.nodes(forXPath: "//section[@id='segments']/h3").first?.stringValue, "seg.json by Region (λ = 3)")
        let rows = try document.nodes(forXPath: "//section[@id='segments']//tbody/tr")
        XCTAssertEqual(rows.count, breakdown.segments.count)
        for (row, segment) in zip(rows, breakdown.segments) {
            let cells = (row.children ?? []).map { $0.stringValue ?? "" }
            XCTAssertEqual(cells.count, 15)
            XCTAssertEqual(cells[0], segment.value)
            XCTAssertEqual(cells[1], segment.ownModel ? "own" : "global")
            XCTAssertEqual(cells[2], HTMLReport.count(segment.leads))
            XCTAssertEqual(cells[5], segment.auc.isFinite ? ModelNumber.fixed(segment.auc, 3) : "—")
            let d = segment.logLossDifference
            XCTAssertTrue(cells[10].hasPrefix("\(ModelNumber.signed(d.estimate, 4)) [\(ModelNumber.signed(d.lower, 4)), \(ModelNumber.signed(d.upper, 4))]"), cells[10])
            XCTAssertEqual(cells[14], ModelNumber.signed(segment.calibrationInTheLarge, 4))
        }
    }

    func testFormatting() {
        XCTAssertEqual(HTMLReport.count(0), "0")
        XCTAssertEqual(HTMLReport.count(999), "999")
        XCTAssertEqual(HTMLReport.count(19418), "19,418")
        XCTAssertEqual(HTMLReport.count(-1234567), "-1,234,567")
        XCTAssertEqual(HTMLReport.percent(0.2134), "21.3%")
        XCTAssertEqual(HTMLReport.percent(.nan), "—")
        XCTAssertEqual(HTMLReport.pValue(0.00005), "&lt;0.0001")
        XCTAssertEqual(HTMLReport.pValue(0.04321), "0.0432")
        XCTAssertEqual(HTMLReport.points(12.5), "12.5")
        XCTAssertEqual(HTMLReport.points(-10), "-10")
        XCTAssertEqual(SVGChart.niceStep(0.17), 0.2)
        XCTAssertEqual(SVGChart.niceStep(2.2), 2.5)
        XCTAssertEqual(SVGChart.niceStep(30), 50)
        XCTAssertEqual(SVGChart.Axis.nice(title: "", maximum: 3.7).ticks, [0, 1, 2, 3, 4])
        let fallback = SVGChart.Axis.nice(title: "", maximum: .nan)
        XCTAssertEqual(fallback.ticks.map(fallback.tickLabel), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(SVGChart.Axis.nice(title: "", maximum: 64, suffix: "%").tickLabel(20), "20%")
        XCTAssertEqual(HTMLReport.spanAxis(title: "", lower: -17, upper: 63).ticks, [0, 20, 40, 60])
    }

    // MARK: The fit × engagement grid

    /// `report` with a grid on its first scorer: cell i has 10·(i+1) leads
    /// and i conversions, so rates rise from A1 to D4; B3 is empty.
    static func withGrid(_ report: ComparisonReport) -> ComparisonReport {
        var report = report
        report.scorers[0].grid = ScorerReport.Grid(
            measure: "fit_score and engagement_score (0–100)", fitCuts: [40, 25, 10], engagementCuts: [50, 30, 15],
            cells: GridCell.all.map { cell in
                let n = cell.label == "B3" ? 0 : 10 * (cell.index + 1), won = cell.label == "B3" ? 0 : cell.index
                return .init(
                    cell: cell.label, count: n, conversions: won, rate: n > 0 ? Double(won) / Double(n) : .nan, wilsonLower: n > 0 ? 0.01 : .nan,
                    wilsonUpper: n > 0 ? 0.2 : .nan, shareOfConversions: Double(won) / 120)
            })
        return report
    }

    /// A heatmap per scorer with a grid: a table of 16 cells, each with its
    /// rate and counts, coloured on one scale (the highest rate darkest),
    /// white text only on dark cells; an empty cell says so. None without
    /// a grid.
    func testGridHeatmap() throws {
        XCTAssertFalse(HTMLReport.render(Self.makeReport()).contains("id=\"grid\""))
        let report = Self.withGrid(Self.makeReport())
        let html = HTMLReport.render(report)
        let document = try XMLDocument(xmlString: html, options: [])
        XCTAssertEqual(Self.svgElements(html).count, 4 + report.scorers.count, "the heatmap is a table, not a chart")
        XCTAssertTrue(html.contains("<a href=\"#grid\">"))
        let tables = try document.nodes(forXPath: "//section[@id='grid']//table[@class='heatmap']")
        XCTAssertEqual(tables.count, 1)
        let cells = try tables[0].nodes(forXPath: ".//td")
        XCTAssertEqual(cells.count, 16)
        let titles = cells.compactMap { ($0 as? XMLElement)?.attribute(forName: "title")?.stringValue }
        XCTAssertEqual(titles, GridCell.all.map(\.label))
        let grid = try XCTUnwrap(report.scorers[0].grid)
        let top = grid.cells.filter { $0.count > 0 }.map(\.rate).max()!
        for (node, cell) in zip(cells, grid.cells) {
            let text = node.stringValue ?? ""
            let style = (node as? XMLElement)?.attribute(forName: "style")?.stringValue ?? ""
            if cell.count == 0 {
                XCTAssertEqual(text, "no leads")
                XCTAssertEqual((node as? XMLElement)?.attribute(forName: "class")?.stringValue, "empty")
                continue
            }
            XCTAssertTrue(text.contains(HTMLReport.percent(cell.rate)), text)
            XCTAssertTrue(text.contains("\(cell.conversions) / \(HTMLReport.count(cell.count))"), text)
            let colour = HTMLReport.heatColour(cell.rate, top: top)
            XCTAssertTrue(style.contains("background:\(colour.fill)"), style)
            XCTAssertTrue(style.contains(colour.lightText ? "color:#ffffff" : "color:#1d1f23"), style)
        }
        XCTAssertEqual(HTMLReport.heatColour(top, top: top).fill, "#08306b")
        XCTAssertEqual(HTMLReport.heatColour(0, top: top).fill, "#f7fbff")
        XCTAssertEqual(HTMLReport.heatColour(.nan, top: top).fill, "#f7fbff")
        XCTAssertTrue(html.contains("≥ 40") && html.contains("&lt; 15"), "the bands' ranges")
        XCTAssertTrue(html.contains(HTMLReport.Guide.grid))
        let text = TextReport.render(report)
        XCTAssertTrue(text.contains("fit ≥ 40/25/10, engagement ≥ 50/30/15"), text)
        XCTAssertTrue(text.contains("0.0% (0/10)") && text.contains("–"), text)
    }

    // MARK: Determinism and odd reports

    func testSameReportSameBytes() throws {
        let report = Self.makeReport()
        let first = HTMLReport.render(report)
        XCTAssertEqual(first, HTMLReport.render(report))
        // Through JSON and back (dictionary order changes): still the same bytes.
        let decoded = try JSONDecoder().decode(ComparisonReport.self, from: JSONEncoder().encode(report))
        XCTAssertEqual(first, HTMLReport.render(decoded))
    }

    func testDegenerateReportsStillRender() throws {
        var report = Self.makeReport()
        report.scorers = [report.scorers[0]]
        report.comparisons = []
        report.definitions = [:]
        report.scorers[0].ranking.auc = .nan
        report.scorers[0].gainsCurve = []
        report.scorers[0].deciles = []
        report.scorers[0].calibration.reliabilityEqualWidth = []
        report.scorers[0].distribution = .init(edges: [], won: [], lost: [])
        let html = HTMLReport.render(report)
        let document = try XMLDocument(xmlString: html, options: [])
        XCTAssertEqual(try document.nodes(forXPath: "//figure").count, 5)
        XCTAssertTrue(html.contains("Not shown, having no probabilities: Logistic model (all signals)."))
        XCTAssertTrue(html.contains("nothing to compare"))
        XCTAssertFalse(html.contains("nan"))

        report.scorers = []
        let empty = HTMLReport.render(report)
        XCTAssertNoThrow(try XMLDocument(xmlString: empty, options: []))
        XCTAssertEqual(Self.svgElements(empty).count, 4)
    }

    // MARK: In a browser

    func testChromiumRendersTheReport() throws {
        guard let chromium = Self.executable("chromium") else {
            throw XCTSkip("chromium is not on PATH; CI installs it (apt-get install -y chromium) to run this test.")
        }
        let report = Self.withGrid(Self.makeReport())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("htmlreport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("report.html")
        try Data(HTMLReport.render(report).utf8).write(to: page)

        // The DOM as Chromium builds it: every chart is there as SVG.
        let profile = directory.appendingPathComponent("profile").path
        let dump = try Self.run(
            "/usr/bin/env",
            ["timeout", "120", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
             "--dump-dom", page.absoluteString])
        XCTAssertEqual(dump.status, 0, "chromium --dump-dom failed")
        let dom = dump.output
        XCTAssertEqual(dom.components(separatedBy: "<svg").count - 1, 4 + report.scorers.count, "SVG charts in Chromium's DOM")
        XCTAssertGreaterThanOrEqual(dom.components(separatedBy: "<svg").count - 1, 5)
        for id in ["fig-reliability", "fig-gains", "fig-lift", "fig-decile-rate", "fig-distributions"] {
            XCTAssertTrue(dom.contains("id=\"\(id)\""), id)
        }
        XCTAssertTrue(dom.contains(HTMLReport.Guide.gains))
        XCTAssertTrue(dom.contains("id=\"grid\""), "the grid's heatmap")
        XCTAssertEqual(dom.components(separatedBy: "<td style=\"background:").count - 1, 15, "15 coloured cells, one empty")

        // The screenshot script: a real PNG of the size asked for.
        let script = Self.packageRoot.appendingPathComponent("scripts/screenshot-report.sh").path
        let png = directory.appendingPathComponent("shot.png")
        let shot = try Self.run("/bin/bash", [script, page.path, png.path, "1280", "2400"])
        XCTAssertEqual(shot.status, 0, "screenshot-report.sh failed")
        XCTAssertEqual(shot.output.trimmingCharacters(in: .whitespacesAndNewlines), png.path)
        let bytes = try Data(contentsOf: png)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        XCTAssertGreaterThan(bytes.count, 20_000, "a screenshot of the charts is more than a few KB")
        if bytes.count >= 24 {
            let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
            let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
            XCTAssertEqual(width, 1280)
            XCTAssertEqual(height, 2400)
        }

        // And the script fails cleanly on a missing page.
        let missing = try Self.run("/bin/bash", [script, directory.appendingPathComponent("none.html").path, png.path])
        XCTAssertNotEqual(missing.status, 0)
    }

    // MARK: Helpers

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every `<svg …>…</svg>` element of the page, as text.
    static func svgElements(_ html: String) -> [String] {
        var result: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg "), let end = rest[start.lowerBound...].range(of: "</svg>") {
            result.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return result
    }

    static func executable(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The DOM headless Chromium builds from `html`, written to a page in a
    /// temporary directory (removed afterwards); skips the test when
    /// chromium is not on PATH.
    static func chromiumDOM(_ html: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard let chromium = executable("chromium") else {
            throw XCTSkip("chromium is not on PATH; CI installs it (apt-get install -y chromium) to run this test.")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("page.html")
        try Data(html.utf8).write(to: page)
        let dump = try run(
            "/usr/bin/env",
            ["timeout", "120", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
             "--dump-dom", page.absoluteString])
        XCTAssertEqual(dump.status, 0, "chromium --dump-dom failed", file: file, line: line)
        return dump.output
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    // MARK: A realistic report

    /// Three scorers on 3,833 simulated holdout leads (plus 1,000 calibration
    /// leads): a logistic model on all signals, one on fit signals only, and
    /// a points system whose points are turned into probabilities by an
    /// isotonic fit on the calibration leads. Every table and curve is
    /// computed from the simulated leads; the interval widths, calibration
    /// slopes and p-values are plausible stand-ins.
    static func makeReport() -> ComparisonReport {
        var random = FixtureRandom(seed: 20_260_301)
        struct Lead { var demo, visits, freeEmail, cLevel, days, student: Double; var won: Bool }
        func lead() -> Lead {
            let demo = random.uniform() < 0.25 ? 1.0 : 0
            let visits = Double(min(8, Int(-log(1 - random.uniform()) * 1.6)))
            let freeEmail = random.uniform() < 0.3 ? 1.0 : 0
            let cLevel = random.uniform() < 0.15 ? 1.0 : 0
            let days = (random.uniform() * 90).rounded(.down)
            let student = random.uniform() < 0.05 ? 1.0 : 0
            let eta = -1.0 + 1.6 * demo + 0.35 * visits - 0.9 * freeEmail + 0.8 * cLevel - 0.03 * days - 1.6 * student
            return Lead(demo: demo, visits: visits, freeEmail: freeEmail, cLevel: cLevel, days: days, student: student,
                        won: random.uniform() < sigmoid(eta))
        }
        let calibrationLeads = (0..<1000).map { _ in lead() }
        let leads = (0..<3833).map { _ in lead() }
        let y = leads.map { $0.won ? 1.0 : 0 }

        func modelAll(_ l: Lead) -> Double {
            sigmoid(-0.95 + 1.55 * l.demo + 0.36 * l.visits - 0.85 * l.freeEmail + 0.82 * l.cLevel - 0.031 * l.days - 1.5 * l.student)
        }
        func modelFit(_ l: Lead) -> Double {
            sigmoid(-0.6 - 0.9 * l.freeEmail + 0.8 * l.cLevel - 1.6 * l.student + 0.3 * l.demo + 0.12 * l.visits - 0.012 * l.days)
        }
        func points(_ l: Lead) -> Double {
            25 * l.demo + 5 * min(l.visits, 6) - 10 * l.freeEmail + 15 * l.cLevel - 20 * l.student - (l.days > 30 ? 10 : 0)
        }
        // Isotonic fit of outcomes to points on the calibration leads (pool adjacent violators).
        var blocks: [(points: Double, won: Double, n: Double)] = []
        for (p, group) in Dictionary(grouping: calibrationLeads, by: points).sorted(by: { $0.key < $1.key }) {
            blocks.append((p, Double(group.filter(\.won).count), Double(group.count)))
            while blocks.count > 1, blocks[blocks.count - 2].won / blocks[blocks.count - 2].n >= blocks[blocks.count - 1].won / blocks[blocks.count - 1].n {
                let last = blocks.removeLast()
                blocks[blocks.count - 1].won += last.won
                blocks[blocks.count - 1].n += last.n
            }
        }
        func isotonic(_ p: Double) -> Double {
            let block = blocks.last { $0.points <= p } ?? blocks[0]
            return min(max(block.won / block.n, 0.005), 0.995)
        }

        let modelTiers: [(String, Double)] = [("A", 0.5), ("B", 0.25), ("C", 0.1), ("D", -1.0)]
        let ruleTiers: [(String, Double)] = [("Sales-ready (40+ points)", 40.0), ("MQL (20–39 points)", 20), ("Nurture (under 20)", -.infinity)]
        let all = scorer(
            name: "Logistic model (all signals)", kind: .model, source: "models/b2b-deals.json",
            probabilitySource: "the model's own probabilities", labels: y, probabilities: leads.map(modelAll),
            scores: leads.map(modelAll), tiers: modelTiers, edges: (0...20).map { Double($0) / 20 },
            slope: 1.03, hlP: 0.4127)
        let fit = scorer(
            name: "Logistic model (fit signals only)", kind: .model, source: "models/fit-only.json",
            probabilitySource: "the model's own probabilities", labels: y, probabilities: leads.map(modelFit),
            scores: leads.map(modelFit), tiers: modelTiers, edges: (0...20).map { Double($0) / 20 },
            slope: 0.91, hlP: 0.0213)
        var rules = scorer(
            name: "Marketing points (MQL at 40)", kind: .rules, source: "rules/marketing-points.json",
            probabilitySource: "isotonic calibration of points on 1,000 calibration rows",
            labels: y, probabilities: leads.map { isotonic(points($0)) }, scores: leads.map(points),
            tiers: ruleTiers, edges: stride(from: -40.0, through: 70, by: 5).map { $0 }, slope: 0.97, hlP: 0.00003)
        rules.pointsBands = stride(from: -40.0, to: 70, by: 20).map { lower in
            let upper = min(lower + 20, 70)
            let inBand = leads.indices.filter { points(leads[$0]) >= lower && (points(leads[$0]) < upper || upper == 70) }
            let conversions = inBand.filter { leads[$0].won }.count
            return .init(lower: lower, upper: upper, count: inBand.count, conversions: conversions,
                         rate: inBand.isEmpty ? 0 : Double(conversions) / Double(inBand.count))
        }
        let scorers = [all, fit, rules]
        func difference(_ a: Double, _ b: Double, _ halfWidth: Double) -> PairComparison.Difference {
            .init(estimate: b - a, lower: b - a - halfWidth, upper: b - a + halfWidth)
        }
        func compare(_ a: ScorerReport, _ b: ScorerReport, p: Double) -> PairComparison {
            let d = b.ranking.auc - a.ranking.auc
            return PairComparison(
                a: a.name, b: b.name, auc: difference(a.ranking.auc, b.ranking.auc, 0.012),
                aucDeLongLower: d - 0.0115, aucDeLongUpper: d + 0.0115, aucDeLongP: p,
                topDecileLift: difference(a.deciles[0].lift, b.deciles[0].lift, 0.21),
                brier: difference(a.calibration.brier, b.calibration.brier, abs(b.calibration.brier - a.calibration.brier) + 0.002),
                captureAtK: difference(a.topK.shareOfConversions, b.topK.shareOfConversions, 0.03))
        }
        let positives = y.filter { $0 > 0.5 }.count
        return ComparisonReport(
            file: "b2b-new-leads.csv", sha256: "9f2c4e1ab37d05c88e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f",
            fileRows: 5000, excludedRows: 167, calibrationRows: 1000, rows: leads.count, positives: positives,
            baseRate: Double(positives) / Double(leads.count), seed: 20_260_301, bootstrapResamples: 2000, topK: 500,
            scorers: scorers,
            comparisons: [compare(all, fit, p: 0.00001), compare(all, rules, p: 0.0342)],
            definitions: [
                "AUC": "The probability that a random won lead scores above a random lost one (ties count half).",
                "Gini": "2·AUC − 1: 0 for a random ranking, 1 for a perfect one.",
                "KS": "The largest gap between the score distributions of won and lost leads (Kolmogorov–Smirnov statistic).",
                "Brier score": "Mean squared difference between the predicted probability and the outcome (0 or 1).",
                "ECE": "Expected calibration error: the mean absolute gap between predicted and observed rates over 10 bins, weighted by bin size.",
                "Calibration slope": "Slope of the logit of the prediction in a logistic regression of the outcome on it; 1 is ideal, below 1 predictions are too extreme.",
                "Hosmer–Lemeshow": "Chi-squared test of observed against predicted conversions in 10 groups of equal size.",
                "Lift": "A group's conversion rate divided by the overall conversion rate.",
                "Cumulative gain": "The share of all conversions among the best-scored leads called so far.",
                "Capture at k": "Conversions among the k best-scored leads, the number sales can call.",
                "Wilson interval": "A 95% interval for a conversion rate that stays inside [0, 1] and works for small bins.",
                "DeLong test": "A paired test of the difference between two AUCs on the same leads.",
                "Isotonic calibration": "A monotone step function from rule points to conversion rate, fitted on a separate calibration split.",
            ])
    }

    private static func scorer(
        name: String, kind: ScorerReport.Kind, source: String, probabilitySource: String, labels y: [Double],
        probabilities p: [Double], scores: [Double], tiers: [(String, Double)], edges: [Double], slope: Double, hlP: Double
    ) -> ScorerReport {
        let n = y.count, positives = y.reduce(0, +)
        let auc = BinaryMetrics.auc(labels: y, scores: scores)
        let se = 0.0075
        // KS over the score thresholds.
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var ks = 0.0, ksThreshold = 0.0, won = 0.0, lost = 0.0
        for (rank, i) in order.enumerated() {
            if y[i] > 0.5 { won += 1 } else { lost += 1 }
            if rank + 1 < n && scores[order[rank + 1]] == scores[i] { continue }
            let gap = abs(won / positives - lost / (Double(n) - positives))
            if gap > ks { (ks, ksThreshold) = (gap, scores[i]) }
        }
        func reliability(_ groups: [[Int]], bounds: [(Double, Double)]) -> [CalibrationSummary.ReliabilityRow] {
            zip(groups, bounds).map { group, bound in
                let count = group.count
                guard count > 0 else {
                    return .init(lower: bound.0, upper: bound.1, count: 0, meanPredicted: 0, observedRate: 0, wilsonLower: 0, wilsonUpper: 1)
                }
                let rate = group.reduce(0.0) { $0 + y[$1] } / Double(count)
                let mean = group.reduce(0.0) { $0 + p[$1] } / Double(count)
                let z = 1.959964, m = Double(count)
                let centre = (rate + z * z / (2 * m)) / (1 + z * z / m)
                let half = z / (1 + z * z / m) * (rate * (1 - rate) / m + z * z / (4 * m * m)).squareRoot()
                return .init(lower: bound.0, upper: bound.1, count: count, meanPredicted: mean, observedRate: rate,
                             wilsonLower: centre - half, wilsonUpper: centre + half)
            }
        }
        let widthGroups = (0..<10).map { b in p.indices.filter { min(Int(p[$0] * 10), 9) == b } }
        let widthRows = reliability(widthGroups, bounds: (0..<10).map { (Double($0) / 10, Double($0 + 1) / 10) })
        let byP = p.indices.sorted { p[$0] < p[$1] }
        let countGroups = (0..<10).map { g in Array(byP[(g * n / 10)..<((g + 1) * n / 10)]) }
        let countRows = reliability(countGroups, bounds: countGroups.map { (p[$0.first!], p[$0.last!]) })
        func ece(_ rows: [CalibrationSummary.ReliabilityRow]) -> Double {
            rows.filter { $0.count > 0 }.reduce(0.0) { $0 + Double($1.count) / Double(n) * abs($1.observedRate - $1.meanPredicted) }
        }
        let brier = zip(p, y).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(n)
        let base = positives / Double(n)
        let rel = widthRows.filter { $0.count > 0 }.reduce(0.0) { $0 + Double($1.count) / Double(n) * pow($1.meanPredicted - $1.observedRate, 2) }
        let res = widthRows.filter { $0.count > 0 }.reduce(0.0) { $0 + Double($1.count) / Double(n) * pow($1.observedRate - base, 2) }
        let unc = base * (1 - base)
        let meanP = p.reduce(0, +) / Double(n)

        // Deciles and gains by the score (ties in input order).
        var rank = [Int](repeating: 0, count: n)
        for (r, i) in order.enumerated() { rank[i] = r }
        let deciles = BinaryMetrics.deciles(labels: y, probabilities: rank.map { -Double($0) })
            .enumerated().map { (g, row) -> BinaryMetrics.DecileRow in
                var row = row
                let start = (0..<g).reduce(0) { $0 + n / 10 + ($1 < n % 10 ? 1 : 0) }
                let members = order[start..<(start + row.count)]
                row.minPredicted = members.map { p[$0] }.min()!
                row.maxPredicted = members.map { p[$0] }.max()!
                row.meanPredicted = members.reduce(0.0) { $0 + p[$1] } / Double(row.count)
                return row
            }
        var gains: [Double] = []
        var cumulative = [0.0]
        for i in order { cumulative.append(cumulative.last! + y[i]) }
        for pct in 0...100 { gains.append(cumulative[Int((Double(pct) * Double(n) / 100).rounded())] / positives) }

        let tierRows: [ScorerReport.TierRow] = tiers.enumerated().map { t, tier in
            let upper = t == 0 ? Double.infinity : tiers[t - 1].1
            let members = scores.indices.filter { (kind == .model ? p[$0] : scores[$0]) >= tier.1 && (kind == .model ? p[$0] : scores[$0]) < upper }
            let conversions = members.filter { y[$0] > 0.5 }.count
            return .init(tier: tier.0, count: members.count, conversions: conversions,
                         rate: members.isEmpty ? 0 : Double(conversions) / Double(members.count), shareOfConversions: Double(conversions) / positives)
        }
        let topConversions = Int(cumulative[500])
        let bins = edges.count - 1
        var wonHistogram = [Int](repeating: 0, count: bins), lostHistogram = [Int](repeating: 0, count: bins)
        for i in 0..<n {
            let b = min(max(Int(((scores[i] - edges[0]) / (edges[bins] - edges[0]) * Double(bins)).rounded(.down)), 0), bins - 1)
            if y[i] > 0.5 { wonHistogram[b] += 1 } else { lostHistogram[b] += 1 }
        }
        return ScorerReport(
            name: name, kind: kind, source: source, probabilitySource: probabilitySource,
            ranking: .init(auc: auc, aucVariance: se * se, aucLower: auc - 1.96 * se, aucUpper: auc + 1.96 * se,
                           gini: 2 * auc - 1, ks: ks, ksThreshold: ksThreshold),
            calibration: CalibrationSummary(
                reliabilityEqualWidth: widthRows, reliabilityEqualCount: countRows, eceEqualWidth: ece(widthRows),
                eceEqualCount: ece(countRows), logLoss: 0.41, brier: brier, brierReliability: rel, brierResolution: res,
                brierUncertainty: unc, brierResidual: brier - (rel - res + unc), calibrationInTheLarge: base - meanP,
                calibrationSlope: slope, calibrationIntercept: (base - meanP) * 4, hosmerLemeshow: 9.4,
                hosmerLemeshowDF: 8, hosmerLemeshowP: hlP),
            deciles: deciles, gainsCurve: gains, pointsBands: nil, tiers: tierRows,
            topK: .init(k: 500, conversions: topConversions, rate: Double(topConversions) / 500,
                        shareOfConversions: Double(topConversions) / positives),
            distribution: .init(edges: edges, won: wonHistogram, lost: lostHistogram))
    }
}

/// FixtureRandom64, for a reproducible simulated report.
private struct FixtureRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
