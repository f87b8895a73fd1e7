import Foundation

/// The thresholds report as a self-contained HTML page: the cuts and their
/// targets, each part's tiers, the capacity curve with the cuts marked, and
/// the tiers' sizes per month. Same style sheet and charts as the
/// comparison report (`HTMLReport`, `SVGChart`).
public enum ThresholdHTMLReport {
    public static func render(_ r: ThresholdReport) -> String {
        let esc = HTMLReport.esc
        var html = HTMLReport.head(title: "Tier cut-offs: \(r.scorer) on \(r.file)")
        html += "<body>\n<main>\n<header>\n"
        html += "<h1>Tier cut-offs: \(esc(r.scorer)) on \(esc(r.file))</h1>\n"
        html += "<p class=\"subtitle\">\(r.scorerKind == .model ? "A model, cut on its probability of winning" : "A rules file, cut on its points"); "
        html += r.parts.count == 2 ? "chosen on the older leads, reported on the newer ones.</p>\n" : "chosen and reported on the same leads.</p>\n"
        html += "<dl class=\"facts\">\n"
        var facts = [
            ("Leads", ModelNumber.grouped(r.parts.reduce(0) { $0 + $1.leads })), ("Conversions", r.labelled ? "observed" : r.scorerKind == .model ? "expected (sum of probabilities)" : "unknown"),
        ]
        if let source = r.rateSource { facts.append(("Arrival rate", source)) }
        if r.excludedRows > 0 { facts.append(("Rows without an outcome", ModelNumber.grouped(r.excludedRows))) }
        for (k, v) in facts { html += "<div><dt>\(esc(k))</dt><dd>\(esc(v))</dd></div>\n" }
        html += "</dl>\n"
        for note in r.notes { html += "<p class=\"note\">\(esc(note))</p>\n" }
        html += "</header>\n"
        html += cuts(r)
        if let grid = r.grid {
            html += "<p class=\"muted\">" + ThresholdTextReport.gridText(grid, r).split(separator: "\n").map { esc(String($0)) }.joined(separator: "<br/>") + "</p>\n"
        }
        html += "<section id=\"capacity\">\n<h2>Capacity curve</h2>\n"
        if let curve = r.curve {
            let on = r.parts.count == 2 ? ", on the newer leads" : ""
            html += "<div class=\"charts\">\n<figure id=\"capacity-curve\" class=\"chart wide\">\n<h3>\(esc(curve.y)) against \(esc(curve.x.prefix(1).lowercased() + curve.x.dropFirst()))\(on)</h3>\n"
            html += chart(curve, period: r.period)
            html += "\n<figcaption class=\"guide\">Each point works the list down to a lower score; the marks are the cuts. Where the curve flattens, more calls find few more conversions.</figcaption>\n</figure>\n</div>\n"
        } else {
            html += "<p class=\"muted\">No curve: the conversions of these leads are not known.</p>\n"
        }
        html += "</section>\n"
        for part in r.parts { html += partTable(part, r) }
        html += months(r)
        html += HTMLReport.glossary(r.definitions)
        html += "<footer>Written by LeadScore from a \(esc(r.format)) report (format version \(r.formatVersion)). "
        html += "Self-contained: the chart is inline SVG and nothing is fetched from a network.</footer>\n"
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    private static func cuts(_ r: ThresholdReport) -> String {
        let esc = HTMLReport.esc
        let two = r.parts.count == 2
        var s = "<section id=\"cuts\">\n<h2>Tiers</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>Tier</th><th class=\"text\">Action</th>"
        s += "<th>\(r.measure == .points ? "Points at least" : "Probability at least")</th><th class=\"text\">Target</th>"
        s += two ? "<th>On older leads</th><th>On newer leads</th>" : "<th>Reached</th>"
        s += "</tr></thead>\n<tbody>\n"
        for t in r.tiers {
            let cut = t.atLeast == nil ? "the rest" : ThresholdTextReport.cut(t.atLeast, r.measure)
            let checks = t.checks.isEmpty ? [nil] : t.checks.map { Optional($0) }
            for (i, c) in checks.enumerated() {
                s += "<tr>"
                s += i == 0 ? "<td class=\"name\">\(esc(t.name))</td><td class=\"text\">\(esc(t.action ?? ""))</td><td>\(esc(cut))</td>" : "<td></td><td></td><td></td>"
                s += "<td class=\"text\">\(esc(c?.target ?? ""))</td>"
                s += "<td>\(esc(c.map { ThresholdTextReport.reached($0.chosen, $0.target, r.period.rawValue) } ?? ""))</td>"
                if two { s += "<td>\(esc(c.map { $0.reported.map { ThresholdTextReport.reached($0, c!.target, r.period.rawValue) } ?? "—" } ?? ""))</td>" }
                s += "</tr>\n"
            }
        }
        return s + "</tbody></table></div>\n</section>\n"
    }

    private static func partTable(_ part: ThresholdReport.Part, _ r: ThresholdReport) -> String {
        let esc = HTMLReport.esc
        let title = ["choose": "On the older leads (cuts chosen here)", "report": "On the newer leads (cuts reported here)", "both": "On the leads"][part.role] ?? part.role
        var s = "<section id=\"part-\(part.role)\">\n<h2>\(esc(title))</h2>\n<p class=\"muted\">"
        s += esc((part.from.map { "\($0) to \(part.to ?? "")" } ?? "All leads") + ": \(ModelNumber.grouped(part.leads)) leads")
        if let a = part.arrivalsPerPeriod { s += esc(", \(ModelNumber.fixed(a, 1)) arriving per \(r.period.rawValue)") }
        let (header, rows) = ThresholdTextReport.tierColumns(part, r)
        s += ".</p>\n<div class=\"table-wrap\"><table>\n<thead><tr>" + header.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            s += "<tr><td class=\"name\">\(esc(row[0]))</td>" + row.dropFirst().map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n"
        }
        return s + "</tbody></table></div>\n</section>\n"
    }

    private static func months(_ r: ThresholdReport) -> String {
        guard !r.months.isEmpty else { return "" }
        let esc = HTMLReport.esc
        var s = "<section id=\"months\">\n<h2>Tier sizes per month</h2>\n<p class=\"muted\">"
        s += esc(
            "Share of a complete month's leads: "
                + r.monthlyShareRange.map { "\($0.name) \(ModelNumber.percent($0.lowest))–\(ModelNumber.percent($0.highest))" }.joined(separator: ", ")
                + ". Months marked * are only partly in the file.")
        s += "</p>\n<div class=\"table-wrap\"><table>\n<thead><tr><th>Month</th><th>Leads</th>"
        s += r.tierNames.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for m in r.months {
            s += "<tr><td>\(esc(m.month + (m.complete ? "" : " *")))</td><td>\(ModelNumber.grouped(m.leads))</td>"
            s += m.tiers.map { "<td>\(ModelNumber.grouped($0)) (\(ModelNumber.percent(m.leads > 0 ? Double($0) / Double(m.leads) : .nan, 0)))</td>" }.joined()
            s += "</tr>\n"
        }
        return s + "</tbody></table></div>\n</section>\n"
    }

    /// The curve, the random line (conversions in proportion to leads)
    /// and a dashed vertical at each cut.
    static func chart(_ curve: ThresholdReport.Curve, period: RatePeriod) -> String {
        let xs = curve.points.map { $0[0] }, ys = curve.points.map { $0[1] }
        let scale = curve.perPeriod ? 1.0 : 100.0, suffix = curve.perPeriod ? "" : "%"
        var chart = SVGChart(
            id: "capacity", width: 900, plotHeight: 340,
            x: .nice(title: curve.x, maximum: (xs.max() ?? 1) * scale, suffix: suffix),
            y: .nice(title: curve.y, maximum: (ys.max() ?? 1) * scale * 1.05, suffix: suffix),
            accessibleName: "Capacity curve: \(curve.y) against \(curve.x), with the tier cuts marked")
        let random = SVGChart.Style(colour: HTMLReport.referenceColour, dash: "5 4", width: 1.25)
        if let last = curve.points.last { chart.reference(from: (0, 0), to: (last[0] * scale, last[1] * scale), style: random) }
        chart.line(curve.points.map { ($0[0] * scale, $0[1] * scale) }, style: HTMLReport.style(for: 0), markEvery: max(1, curve.points.count / 12), name: "curve")
        var legend = [
            SVGChart.LegendEntry(label: "Best-scored leads first", sample: .line(HTMLReport.style(for: 0))),
            SVGChart.LegendEntry(label: "Leads in random order", sample: .line(random)),
        ]
        for (i, mark) in curve.marks.enumerated() {
            let style = SVGChart.Style(colour: HTMLReport.palette[(i + 1) % HTMLReport.palette.count], dash: "6 3", width: 1.6, marker: .diamond)
            chart.reference(from: (mark.x * scale, 0), to: (mark.x * scale, chart.y.upper), style: style)
            chart.line([(mark.x * scale, mark.y * scale), (mark.x * scale, mark.y * scale)], style: style, name: mark.tier)
            let what = curve.perPeriod
                ? "\(ModelNumber.fixed(mark.x, 1)) leads/\(period.rawValue) → \(ModelNumber.fixed(mark.y, 1)) conversions/\(period.rawValue)"
                : "\(ModelNumber.percent(mark.x)) of leads → \(ModelNumber.percent(mark.y)) of conversions"
            legend.append(SVGChart.LegendEntry(label: "\(mark.tier) and above: \(what)", sample: .line(style)))
        }
        return chart.render(legend: legend)
    }
}
