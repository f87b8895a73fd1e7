import Foundation

/// The drift report as a self-contained HTML page: what was compared, every
/// column's PSI and verdict, then bars of the score and of every column at
/// watch or act, the training shares beside the new ones per bin, with the
/// bins' table. Same style sheet, charts and glossary as the other reports
/// (`HTMLReport`, `SVGChart`); the same report gives the same bytes.
public enum DriftHTMLReport {
    public static func render(_ r: DriftReport) -> String {
        let esc = HTMLReport.esc
        var html = HTMLReport.head(title: "Drift: \(r.file) against \(r.model)")
        html += "<body>\n<main>\n<header>\n"
        html += "<h1>Drift: \(esc(r.file)) against \(esc(r.model))</h1>\n"
        html += "<p class=\"subtitle\">\(esc(DriftTextReport.heading(r)))</p>\n<dl class=\"facts\">\n"
        let facts = [
            ("New leads", ModelNumber.grouped(r.rows)), ("Training rows", ModelNumber.grouped(r.trainingRows)),
            ("Score PSI", "\(DriftTextReport.psi(r.score.psi)) (\(r.score.verdict.rawValue))"),
            ("Columns at act", "\(r.columns(atLeast: .act).count) of \(r.columns.count)"),
            ("Columns at watch", "\(r.columns.filter { $0.verdict == .watch }.count) of \(r.columns.count)"),
        ]
        for (k, v) in facts { html += "<div><dt>\(esc(k))</dt><dd>\(esc(v))</dd></div>\n" }
        html += "</dl>\n"
        for note in r.notes { html += "<p class=\"note\">\(esc(note))</p>\n" }
        html += "</header>\n"
        html += summary(r)
        html += "<section id=\"drifted\">\n<h2>Training against new</h2>\n"
        let drifted = r.columns(atLeast: .watch)
        html += "<p class=\"muted\">"
        html += esc(drifted.isEmpty ? "No column is at watch or act; the score's bins are shown." : "The score's bins, then every column at watch or act, largest PSI first.")
        html += "</p>\n<div class=\"charts\">\n"
        for (i, c) in ([r.score] + drifted).enumerated() { html += figure(c, index: i, r) }
        html += "</div>\n</section>\n"
        html += HTMLReport.glossary(r.definitions)
        html += "<footer>Written by LeadScore from a \(esc(r.format)) report (format version \(r.formatVersion)). "
        html += "Self-contained: the charts are inline SVG and nothing is fetched from a network.</footer>\n"
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    /// The background of a verdict's tag.
    static func colour(_ v: DriftVerdict) -> String {
        switch v {
        case .stable: "#dcefe3"
        case .watch: "#fde9b8"
        case .act: "#f8cfc4"
        }
    }

    static func tag(_ v: DriftVerdict) -> String {
        "<span class=\"tag\" style=\"background:\(colour(v))\">\(v.rawValue)</span>"
    }

    /// Every column's PSI, verdict and missing and unseen shares, the score first.
    private static func summary(_ r: DriftReport) -> String {
        let esc = HTMLReport.esc
        var s = "<section id=\"summary\">\n<h2>Columns by PSI</h2>\n<p class=\"muted\">\(esc(DriftTextReport.legend(r)))</p>\n"
        s += "<div class=\"table-wrap\"><table>\n<thead><tr><th>Column</th><th class=\"text\">Kind</th><th>PSI</th><th class=\"text\">Verdict</th>"
        s += "<th>Missing, training</th><th>Missing, new</th><th>Change</th><th>Unseen values</th></tr></thead>\n<tbody>\n"
        for c in [r.score] + r.columns {
            s += "<tr data-column=\"\(esc(c.name))\"><td class=\"name\">\(esc(c.kind == "score" ? "Score (\(c.name))" : c.name))</td><td class=\"text\">\(esc(c.kind))</td>"
            s += "<td>\(DriftTextReport.psi(c.psi))</td><td class=\"text\">\(tag(c.verdict))</td>"
            s += "<td>\(ModelNumber.percent(c.trainingMissingShare))</td><td>\(ModelNumber.percent(c.newMissingShare))</td>"
            s += "<td>\(esc(DriftTextReport.points(c.missingShareChange)))</td><td>\(c.unseenShare.map(DriftReport.percent) ?? "")</td></tr>\n"
        }
        return s + "</tbody></table></div>\n</section>\n"
    }

    /// One column's bars and bins.
    private static func figure(_ c: DriftReport.Column, index: Int, _ r: DriftReport) -> String {
        let esc = HTMLReport.esc
        let title = c.kind == "score" ? "Score (\(c.name))" : c.name
        var s = "<figure id=\"drift-\(index)\" class=\"chart wide\" data-column=\"\(esc(c.name))\">\n"
        s += "<h3>\(esc(title)): PSI \(DriftTextReport.psi(c.psi)) \(tag(c.verdict))</h3>\n"
        s += chart(c, id: "drift-\(index)-bars", r)
        let (header, rows) = DriftTextReport.binColumns(c)
        s += "\n<div class=\"table-wrap\"><table>\n<thead><tr>" + header.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows { s += "<tr><td class=\"text\">\(esc(row[0]))</td>" + row.dropFirst().map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n" }
        s += "</tbody></table></div>\n"
        s += "<figcaption class=\"guide\">Each pair of bars is a bin: the share of the training rows in it, then the share of the new leads. Bins whose bars differ most add most to the PSI.</figcaption>\n"
        return s + "</figure>\n"
    }

    static let trainingColour = HTMLReport.palette[0], newColour = HTMLReport.palette[1]

    /// Side-by-side bars per bin, training then new, on a share axis.
    /// Under a category's pairs, its levels; under a number's, the edges
    /// between its bins, and "(missing)" under the last pair. Labels are
    /// shortened to a pair's width.
    static func chart(_ c: DriftReport.Column, id: String, _ r: DriftReport) -> String {
        let n = c.bins.count
        let highest = c.bins.map { max($0.training, $0.new) }.max() ?? 1
        let ticks: [(at: Double, label: String)] =
            c.edges.map { edges in
                edges.enumerated().map { (Double($0 + 1), ColumnProfile.edgeText($1)) }
                    + [(Double(n) - 0.5, c.bins[n - 1].label)]
            } ?? c.bins.enumerated().map { (Double($0) + 0.5, $1.label) }
        // Filled once the plot's width is known.
        var labels: [Double: String] = [:]
        let x = SVGChart.Axis(
            title: c.edges == nil ? "Level" : c.kind == "score" ? "Probability, cut at the training deciles" : "Value, cut at the training deciles",
            lower: 0, upper: Double(n), ticks: ticks.map(\.at), tickLabel: { labels[$0] ?? "" })
        var chart = SVGChart(
            id: id, width: 900, plotHeight: 260, x: x,
            y: .nice(title: "Share of rows", maximum: max(highest, 0.01) * 1.05, scale: 100, suffix: "%"),
            accessibleName: "\(c.name): share of the training rows and of the new leads per bin")
        for t in ticks { labels[t.at] = SVGChart.fit(t.label, width: chart.plotWidth / Double(n) - 4, fontSize: chart.fontSize) }
        for (i, b) in c.bins.enumerated() {
            chart.bar(from: Double(i) + 0.12, to: Double(i) + 0.5, height: b.training, fill: trainingColour, name: "training")
            chart.bar(from: Double(i) + 0.5, to: Double(i) + 0.88, height: b.new, fill: newColour, name: "new")
        }
        return chart.render(legend: [
            SVGChart.LegendEntry(label: "Training rows (\(ModelNumber.grouped(r.trainingRows)))", sample: .box(fill: trainingColour, opacity: 1, stroke: trainingColour)),
            SVGChart.LegendEntry(label: "New leads (\(ModelNumber.grouped(r.rows)))", sample: .box(fill: newColour, opacity: 1, stroke: newColour)),
        ])
    }
}
