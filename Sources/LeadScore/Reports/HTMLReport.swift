/// The comparison of scorers (`ComparisonReport`) as one self-contained HTML
/// page: inline CSS, charts drawn as inline SVG, no scripts, no fonts or
/// other resources to fetch, so it opens anywhere without a network.
///
/// Contents, in order: a header (file, SHA-256 prefix, row counts, seed,
/// bootstrap resamples, where each scorer's probabilities come from); the
/// summary table; five charts (reliability diagram with Wilson intervals,
/// cumulative gains, cumulative lift, conversion rate by decile, and the
/// score distributions of won and lost leads, one small chart per scorer),
/// each with a reading guide; the pairwise differences; the sales view
/// (capture of the top k leads, tiers); the fit × engagement grid of the
/// scorers that have one, as heatmaps (tables coloured by conversion rate);
/// the points bands of rule scorers; and the glossary from `definitions`.
///
/// All text from the report is escaped, and the page is well-formed XML as
/// well as HTML. Numbers are written with fixed decimals through
/// `ModelNumber` (no locale), and dictionary entries are sorted, so the same
/// report always gives the same bytes.
public enum HTMLReport {
    public static func render(_ report: ComparisonReport) -> String {
        let styles = report.scorers.indices.map(style(for:))
        var html = head(title: "Lead scorer comparison: \(report.file)")
        html += "<body>\n<main>\n"
        html += header(report, styles)
        html += summary(report, styles)
        html += charts(report, styles)
        html += comparisons(report)
        html += segments(report)
        html += sales(report, styles)
        html += grids(report, styles)
        html += pairTerms(report, styles)
        html += pointsBands(report, styles)
        html += glossary(report.definitions)
        html += "<footer>Written by LeadScore from a \(esc(report.format)) report (format version \(report.formatVersion)). "
        html += "Self-contained: the charts are inline SVG and nothing is fetched from a network.</footer>\n"
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    // MARK: Reading guides

    /// The one-line reading guide under each chart.
    enum Guide {
        static let reliability = "Points above the diagonal: the scorer under-predicts conversion; below it: it over-predicts."
        static let gains = "The higher the curve, the more conversions sales finds for the same number of calls."
        static let lift =
            "How many times the average conversion rate the leads called so far convert at: the higher above 1, the better the top of the list."
        static let decileRate =
            "A scorer that ranks well has a falling staircase: high rates in the first deciles, low ones in the last."
        static let distributions =
            "The less the won and lost histograms overlap, the better the score separates leads that convert from those that do not."
        static let grid =
            "Each row is a fit band (A best), each column an engagement band (1 most engaged). A dark A4 cell says that leads of great fit convert even before they engage: worth calling rather than nurturing."
    }

    // MARK: Styles

    /// Okabe–Ito colours, distinguishable with the common colour-vision
    /// deficiencies, ordered for contrast on white (yellow last).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    static let dashes: [String?] = [nil, "7 4", "2 3", "9 3 2 3"]
    static let wonColour = "#0072B2", lostColour = "#E69F00"
    static let referenceColour = "#6b6b6b"

    /// Scorer `i`'s colour, dash pattern and marker: three cues, so lines
    /// stay apart in grey print too.
    static func style(for i: Int) -> SVGChart.Style {
        SVGChart.Style(
            colour: palette[i % palette.count], dash: dashes[(i + i / palette.count) % dashes.count], width: 2,
            marker: SVGChart.Marker.allCases[i % SVGChart.Marker.allCases.count])
    }

    // MARK: Page

    /// The page's head, titled `title`, with the style sheet.
    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="LeadScore"/>
        <title>\(esc(title))</title>
        <style>
        \(css)
        </style>
        </head>

        """
    }

    /// The page's style sheet (no `<` or `&`, so it is also valid XML text).
    static let css = """
        :root { color-scheme: light; }
        body { margin: 0; background: #f5f6f8; color: #1d1f23;
          font: 14px/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 22px 28px 36px; }
        h1 { font-size: 23px; margin: 0 0 2px; }
        h2 { font-size: 18px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #d7dbe0; }
        h3 { font-size: 15px; margin: 0 0 6px; }
        p { margin: 6px 0; }
        code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
        .subtitle { color: #555b63; margin: 0 0 10px; }
        nav { margin: 8px 0 4px; font-size: 13px; }
        nav a { color: #0b5394; margin-right: 14px; text-decoration: none; }
        .facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 8px; margin: 12px 0; }
        .facts div { background: #fff; border: 1px solid #e0e3e7; border-radius: 6px; padding: 6px 10px; }
        .facts dt { font-size: 12px; color: #596069; }
        .facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
        .note { background: #fff7e0; border-left: 4px solid #E69F00; padding: 8px 12px; margin: 12px 0; }
        .muted { color: #596069; font-size: 13px; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; background: #fff; font-size: 13px; margin: 4px 0 8px; }
        th, td { padding: 5px 9px; border-bottom: 1px solid #e5e7ea; text-align: right; white-space: nowrap;
          font-variant-numeric: tabular-nums; }
        th { background: #eceff3; font-weight: 600; vertical-align: bottom; white-space: normal; }
        th:first-child, td:first-child, th.text { text-align: left; }
        td.text { text-align: left; white-space: normal; min-width: 140px; }
        td.name { text-align: left; white-space: normal; font-weight: 600; min-width: 190px; }
        .sw { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
        .tag { display: inline-block; font-size: 11px; font-weight: 400; color: #444; background: #eceff3;
          border-radius: 3px; padding: 0 5px; margin-left: 6px; }
        .excl { font-weight: 700; background: #e3eefa; }
        table.heatmap td { text-align: center; min-width: 96px; padding: 7px 8px; line-height: 1.3; }
        table.heatmap td.empty { background: #eceff3; color: #596069; }
        table.heatmap th { vertical-align: middle; }
        table.heatmap th.band { text-align: left; white-space: nowrap; }
        .heat-rate { font-size: 15px; font-weight: 700; }
        .heat-small { font-size: 11px; }
        .heat-scale { display: inline-block; width: 160px; height: 10px; border: 1px solid #c9ced4; vertical-align: -1px; margin: 0 6px; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(540px, 1fr)); gap: 16px; }
        figure { margin: 0; background: #fff; border: 1px solid #e0e3e7; border-radius: 8px; padding: 14px 16px 10px; }
        figure.wide { grid-column: 1 / -1; }
        figure svg { display: block; max-width: 100%; height: auto; }
        figcaption { color: #3b4047; font-size: 13px; margin-top: 8px; font-style: italic; }
        .multiples { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 8px 16px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 14px; }
        .card { background: #fff; border: 1px solid #e0e3e7; border-radius: 8px; padding: 12px 14px; overflow-x: auto; }
        .card table { width: 100%; }
        dl.glossary { display: grid; grid-template-columns: minmax(160px, max-content) 1fr; gap: 6px 18px; margin: 0;
          background: #fff; border: 1px solid #e0e3e7; border-radius: 8px; padding: 12px 16px; }
        dl.glossary dt { font-weight: 600; }
        dl.glossary dd { margin: 0; }
        footer { margin-top: 28px; color: #596069; font-size: 12px; }
        @media print { body { background: #fff; } figure, .card, table { break-inside: avoid; } }
        """

    // MARK: Header

    private static func header(_ report: ComparisonReport, _ styles: [SVGChart.Style]) -> String {
        var s = "<header>\n"
        s += "<h1>Lead scorer comparison: \(esc(report.file))</h1>\n"
        s += "<p class=\"subtitle\">\(report.scorers.count) scorer\(report.scorers.count == 1 ? "" : "s") on the same "
        if let column = report.accountColumn {
            s += "\(count(report.rows)) held-out accounts (\(esc(column)), from \(count(report.accountLeads ?? 0)) leads): an account is won when any of its leads is, "
            s += "and a model's account probability is the chance that at least one lead converts, assuming independence. Every interval is a 95% interval.</p>\n"
        } else {
            s += "\(count(report.rows)) held-out leads. Every interval is a 95% interval.</p>\n"
        }
        for warning in report.warnings ?? [] { s += "<p class=\"warning\"><strong>Warning:</strong> \(esc(warning))</p>\n" }
        s += "<nav><a href=\"#summary\">Summary</a><a href=\"#charts\">Charts</a><a href=\"#comparisons\">Differences</a>"
        if report.segments != nil { s += "<a href=\"#segments\">Segments</a>" }
        s += "<a href=\"#sales\">Sales view</a>"
        if report.scorers.contains(where: { $0.grid != nil }) { s += "<a href=\"#grid\">Fit × engagement grid</a>" }
        if report.scorers.contains(where: { $0.pointsBands != nil }) { s += "<a href=\"#points\">Points bands</a>" }
        s += "<a href=\"#glossary\">Glossary</a></nav>\n"
        let shaPrefix = String(report.sha256.prefix(16))
        let facts: [(String, String)] = [
            ("File", esc(report.file)),
            ("SHA-256 (first 16 digits)", "<code title=\"\(esc(report.sha256))\">\(esc(shaPrefix))</code>"),
            ("Rows in the file", count(report.fileRows)),
            ("Left out: no outcome", count(report.excludedRows)),
            ("Set aside to calibrate rule points", count(report.calibrationRows)),
            (report.accountColumn == nil ? "Rows evaluated" : "Accounts evaluated", count(report.rows)),
            ("Conversions (base rate)", "\(count(report.positives)) (\(percent(report.baseRate)))"),
            ("Sales capacity k (leads called)", count(report.topK)),
            ("Seed", String(report.seed)),
            ("Bootstrap resamples", count(report.bootstrapResamples)),
        ]
        s += "<dl class=\"facts\">\n"
        for (term, value) in facts { s += "<div><dt>\(esc(term))</dt><dd>\(value)</dd></div>\n" }
        s += "</dl>\n"
        for sentence in probabilityNotes(report) { s += "<p class=\"note\">\(sentence)</p>\n" }
        s += "<div class=\"table-wrap\"><table>\n<thead><tr><th>Scorer</th><th class=\"text\">Kind</th><th class=\"text\">Source</th><th class=\"text\">Probabilities</th></tr></thead>\n<tbody>\n"
        for (i, scorer) in report.scorers.enumerated() {
            s += "<tr><td class=\"name\">\(swatch(styles[i]))\(esc(scorer.name))</td><td class=\"text\">\(scorer.kind == .model ? "learned model" : "rule points")</td>"
            s += "<td class=\"text\">\(esc(scorer.source))</td><td class=\"text\">\(esc(scorer.probabilitySource))</td></tr>\n"
        }
        s += "</tbody></table></div>\n</header>\n"
        return s
    }

    /// Whether a rule scorer's probabilities come from an isotonic fit of its
    /// points (as `probabilitySource` says).
    static func isIsotonic(_ scorer: ScorerReport) -> Bool {
        scorer.kind == .rules && scorer.probabilitySource.lowercased().contains("isotonic")
    }

    /// Sentences (HTML) on where probabilities come from, when rule points
    /// were turned into probabilities on a separate split.
    static func probabilityNotes(_ report: ComparisonReport) -> [String] {
        let isotonic = report.scorers.filter(isIsotonic)
        if isotonic.isEmpty {
            guard report.calibrationRows > 0 else { return [] }
            return [
                "\(count(report.calibrationRows)) rows were set aside to calibrate rule points into probabilities; "
                    + "they are left out of every scorer's evaluation."
            ]
        }
        let names = isotonic.map { "<strong>\(esc($0.name))</strong>" }
        let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
        return [
            "The rule points of \(list) were turned into probabilities by isotonic calibration "
                + "(a monotone fit of the conversion rate to the points) on a separate split of "
                + "\(count(report.calibrationRows)) rows. Those rows are left out of every scorer's evaluation, so "
                + "the probabilities are judged on leads they were not fitted to; the ranking by points is unchanged."
        ]
    }

    // MARK: Summary

    private static func summary(_ report: ComparisonReport, _ styles: [SVGChart.Style]) -> String {
        var s = "<section id=\"summary\">\n<h2>Summary</h2>\n"
        s += "<p class=\"muted\">Ranking: AUC, Gini and KS (higher is better). Probabilities: log loss, Brier score and ECE (lower is better), "
        s += "calibration slope (1 is ideal) and the Hosmer–Lemeshow p-value (small means miscalibrated). "
        s += "Lift and capture: what calling the best-scored leads first yields.</p>\n"
        s += "<div class=\"table-wrap\"><table>\n<thead><tr><th>Scorer</th><th>AUC [95% interval]</th><th>Gini</th><th>KS</th>"
        s += "<th>Log loss</th><th>Brier</th><th>ECE, equal-width bins</th><th>ECE, equal-count bins</th><th>Calibration slope</th>"
        s += "<th>Hosmer–Lemeshow p</th><th>Top-decile lift</th><th>Conversions in the top \(count(report.topK))</th></tr></thead>\n<tbody>\n"
        for (i, scorer) in report.scorers.enumerated() {
            let r = scorer.ranking, c = scorer.calibration
            s += "<tr><td class=\"name\">\(swatch(styles[i]))\(esc(scorer.name))<span class=\"tag\">\(scorer.kind.rawValue)</span></td>"
            s += "<td>\(fixed(r.auc, 3)) \(interval(r.aucLower, r.aucUpper, 3))</td>"
            s += "<td>\(fixed(r.gini, 3))</td><td>\(fixed(r.ks, 3))</td><td>\(fixed(c.logLoss, 4))</td><td>\(fixed(c.brier, 4))</td>"
            s += "<td>\(fixed(c.eceEqualWidth, 4))</td><td>\(fixed(c.eceEqualCount, 4))</td><td>\(fixed(c.calibrationSlope, 2))</td>"
            s += "<td>\(pValue(c.hosmerLemeshowP)) <span class=\"muted\">(df \(c.hosmerLemeshowDF))</span></td>"
            s += "<td>\(scorer.deciles.first.map { fixed($0.lift, 2) } ?? "—")</td>"
            s += "<td>\(count(scorer.topK.conversions)) (\(percent(scorer.topK.shareOfConversions)))</td></tr>\n"
        }
        s += "</tbody></table></div>\n</section>\n"
        return s
    }

    // MARK: Charts

    private static func charts(_ report: ComparisonReport, _ styles: [SVGChart.Style]) -> String {
        var s = "<section id=\"charts\">\n<h2>Charts</h2>\n<div class=\"charts\">\n"
        s += figure(id: "fig-reliability", title: "Reliability diagram (equal-width bins)", guide: Guide.reliability,
                    body: reliabilityChart(report, styles))
        s += figure(id: "fig-gains", title: "Cumulative gains", guide: Guide.gains, body: gainsChart(report, styles))
        s += figure(id: "fig-lift", title: "Cumulative lift by decile", guide: Guide.lift, body: liftChart(report, styles))
        s += figure(id: "fig-decile-rate", title: "Conversion rate by decile", guide: Guide.decileRate,
                    body: decileRateChart(report, styles))
        var multiples = "<div class=\"multiples\">\n"
        for (i, scorer) in report.scorers.enumerated() {
            multiples += distributionChart(scorer, index: i) + "\n"
        }
        multiples += "</div>\n"
        s += figure(id: "fig-distributions", title: "Score distributions of won and lost leads", guide: Guide.distributions,
                    body: multiples, wide: true)
        s += "</div>\n</section>\n"
        return s
    }

    /// A `<figure>`: title, chart(s), reading guide as the caption.
    private static func figure(id: String, title: String, guide: String, body: String, wide: Bool = false) -> String {
        "<figure id=\"\(id)\" class=\"chart\(wide ? " wide" : "")\">\n<h3>\(esc(title))</h3>\n\(body)\n"
            + "<figcaption class=\"guide\">\(esc(guide))</figcaption>\n</figure>\n"
    }

    private static let chartWidth = 600.0, chartPlotHeight = 320.0

    private static func scorerLegend(_ report: ComparisonReport, _ styles: [SVGChart.Style], only: [Int]? = nil) -> [SVGChart.LegendEntry] {
        (only ?? Array(report.scorers.indices)).map { SVGChart.LegendEntry(label: report.scorers[$0].name, sample: .line(styles[$0])) }
    }

    private static func percentAxis(_ title: String) -> SVGChart.Axis {
        SVGChart.Axis(title: title, lower: 0, upper: 100, ticks: stride(from: 0.0, through: 100, by: 20).map { $0 }) {
            ModelNumber.fixed($0, 0) + "%"
        }
    }

    private static func probabilityAxis(_ title: String) -> SVGChart.Axis {
        SVGChart.Axis(title: title, lower: 0, upper: 1, ticks: (0...5).map { Double($0) / 5 }) { ModelNumber.fixed($0, 1) }
    }

    /// Observed rate against mean predicted probability per equal-width bin
    /// (empty bins left out), Wilson intervals as bars, the diagonal; scorers
    /// without probabilities (no non-empty bins) are named under the chart.
    static func reliabilityChart(_ report: ComparisonReport, _ styles: [SVGChart.Style]) -> String {
        var chart = SVGChart(
            id: "reliability", width: chartWidth, plotHeight: chartPlotHeight,
            x: probabilityAxis("Mean predicted probability in the bin"), y: probabilityAxis("Observed conversion rate"),
            accessibleName: "Reliability diagram: observed conversion rate against mean predicted probability, per bin and scorer")
        let diagonal = SVGChart.Style(colour: referenceColour, dash: "5 4", width: 1.25)
        chart.reference(from: (0, 0), to: (1, 1), style: diagonal)
        var shown: [Int] = [], missing: [String] = []
        for (i, scorer) in report.scorers.enumerated() {
            let bins = scorer.calibration.reliabilityEqualWidth.filter { $0.count > 0 && $0.meanPredicted.isFinite && $0.observedRate.isFinite }
            guard !bins.isEmpty else {
                missing.append(scorer.name)
                continue
            }
            shown.append(i)
            let faint = SVGChart.Style(colour: styles[i].colour, width: 1.3, opacity: 0.75)
            for bin in bins {
                chart.intervalBar(x: bin.meanPredicted, lower: bin.wilsonLower, upper: bin.wilsonUpper, style: faint)
            }
            chart.line(bins.map { ($0.meanPredicted, $0.observedRate) }, style: styles[i], name: scorer.name)
        }
        var legend = scorerLegend(report, styles, only: shown)
        legend.append(SVGChart.LegendEntry(label: "Perfect calibration", sample: .line(diagonal)))
        var s = chart.render(legend: legend)
        s += "\n<p class=\"muted\">Vertical bars: Wilson 95% intervals of the observed rate. Empty bins are left out."
        if !missing.isEmpty {
            s += " Not shown, having no probabilities: " + missing.map { esc($0) }.joined(separator: ", ") + "."
        }
        s += "</p>"
        return s
    }

    /// Cumulative share of conversions against share of leads called, with
    /// the random diagonal and the perfect model (100% at x = base rate).
    static func gainsChart(_ report: ComparisonReport, _ styles: [SVGChart.Style]) -> String {
        var chart = SVGChart(
            id: "gains", width: chartWidth, plotHeight: chartPlotHeight,
            x: percentAxis("Leads called, best-scored first (% of all leads)"), y: percentAxis("Conversions found (% of all)"),
            accessibleName: "Cumulative gains: share of conversions found against share of leads called, per scorer")
        let random = SVGChart.Style(colour: referenceColour, dash: "5 4", width: 1.25)
        let perfect = SVGChart.Style(colour: "#222222", dash: "1.5 3", width: 1.6)
        chart.reference(from: (0, 0), to: (100, 100), style: random)
        if report.baseRate.isFinite, report.baseRate > 0 {
            chart.line([(0, 0), (min(report.baseRate, 1) * 100, 100), (100, 100)], style: perfect)
        }
        for (i, scorer) in report.scorers.enumerated() where scorer.gainsCurve.count > 1 {
            let last = Double(scorer.gainsCurve.count - 1)
            let points = scorer.gainsCurve.enumerated().map { (Double($0.offset) * 100 / last, $0.element * 100) }
            chart.line(points, style: styles[i], markEvery: max(1, scorer.gainsCurve.count / 10), name: scorer.name)
        }
        var legend = scorerLegend(report, styles)
        legend.append(SVGChart.LegendEntry(label: "Perfect model (100% at \(percent(report.baseRate)) of leads)", sample: .line(perfect)))
        legend.append(SVGChart.LegendEntry(label: "Random selection", sample: .line(random)))
        return chart.render(legend: legend)
    }

    /// The number of deciles drawn: the longest decile table.
    private static func decileCount(_ report: ComparisonReport) -> Int {
        max(1, report.scorers.map(\.deciles.count).max() ?? 1)
    }

    private static func decileAxis(_ report: ComparisonReport, _ title: String) -> SVGChart.Axis {
        let n = decileCount(report)
        return SVGChart.Axis(title: title, lower: 0.5, upper: Double(n) + 0.5, ticks: (1...n).map(Double.init)) {
            ModelNumber.fixed($0, 0)
        }
    }

    /// Cumulative lift by decile, with the line of no lift at 1.
    static func liftChart(_ report: ComparisonReport, _ styles: [SVGChart.Style]) -> String {
        let top = report.scorers.flatMap { $0.deciles.map(\.cumulativeLift) }.filter(\.isFinite).max() ?? 1
        var chart = SVGChart(
            id: "lift", width: chartWidth, plotHeight: chartPlotHeight,
            x: decileAxis(report, "Deciles called, best first (1 = top 10% of scores)"),
            y: .nice(title: "Cumulative lift (× overall rate)", maximum: max(top * 1.05, 1.5)),
            accessibleName: "Cumulative lift by decile, per scorer, with the line of no lift at 1")
        let random = SVGChart.Style(colour: referenceColour, dash: "5 4", width: 1.25)
        chart.reference(from: (chart.x.lower, 1), to: (chart.x.upper, 1), style: random)
        for (i, scorer) in report.scorers.enumerated() {
            chart.line(scorer.deciles.map { (Double($0.decile), $0.cumulativeLift) }, style: styles[i], name: scorer.name)
        }
        var legend = scorerLegend(report, styles)
        legend.append(SVGChart.LegendEntry(label: "Random selection (lift 1)", sample: .line(random)))
        return chart.render(legend: legend)
    }

    /// Observed conversion rate per decile, one bar per scorer in each
    /// decile, with the overall rate as a dashed line.
    static func decileRateChart(_ report: ComparisonReport, _ styles: [SVGChart.Style]) -> String {
        let top = report.scorers.flatMap { $0.deciles.map(\.observedRate) }.filter(\.isFinite).max() ?? 0
        let overall = report.baseRate.isFinite ? report.baseRate : 0
        var chart = SVGChart(
            id: "decile-rate", width: chartWidth, plotHeight: chartPlotHeight,
            x: decileAxis(report, "Decile of the score (1 = top 10% of scores)"),
            y: .nice(title: "Conversion rate", maximum: max(top, overall, 0.01) * 100 * 1.04, suffix: "%"),
            accessibleName: "Conversion rate by decile of each scorer, with the overall conversion rate")
        let n = max(report.scorers.count, 1)
        let groupWidth = 0.8, barWidth = 0.8 / Double(n)
        for (i, scorer) in report.scorers.enumerated() {
            for row in scorer.deciles {
                let left = Double(row.decile) - groupWidth / 2 + Double(i) * barWidth
                chart.bar(from: left + 0.01, to: left + barWidth - 0.01, height: row.observedRate * 100, fill: styles[i].colour, name: scorer.name)
            }
        }
        let level = SVGChart.Style(colour: "#222222", dash: "5 4", width: 1.4)
        chart.reference(from: (chart.x.lower, overall * 100), to: (chart.x.upper, overall * 100), style: level)
        var legend = report.scorers.indices.map {
            SVGChart.LegendEntry(label: report.scorers[$0].name, sample: .box(fill: styles[$0].colour, opacity: 1, stroke: styles[$0].colour))
        }
        legend.append(SVGChart.LegendEntry(label: "Overall conversion rate (\(percent(overall)))", sample: .line(level)))
        return chart.render(legend: legend)
    }

    /// One small chart: the scorer's won and lost histograms, each as a
    /// share of its class, on the report's shared bins.
    static func distributionChart(_ scorer: ScorerReport, index: Int) -> String {
        let d = scorer.distribution
        let valid = d.edges.count == d.won.count + 1 && d.won.count == d.lost.count && !d.won.isEmpty
            && d.edges.allSatisfy(\.isFinite) && d.edges.last! > d.edges.first!
        let wonTotal = Double(d.won.reduce(0, +)), lostTotal = Double(d.lost.reduce(0, +))
        let won = valid ? d.won.map { wonTotal > 0 ? Double($0) / wonTotal * 100 : 0 } : []
        let lost = valid ? d.lost.map { lostTotal > 0 ? Double($0) / lostTotal * 100 : 0 } : []
        let lower = valid ? d.edges.first! : 0, upper = valid ? d.edges.last! : 1
        let isProbability = scorer.kind == .model && lower >= 0 && upper <= 1
        let xTitle = scorer.kind == .rules ? "Rule points" : isProbability ? "Predicted probability" : "Score"
        var chart = SVGChart(
            id: "distribution-\(index + 1)", width: 420, plotHeight: 170,
            x: spanAxis(title: xTitle, lower: lower, upper: upper),
            y: .nice(title: "Share of its class", maximum: max((won + lost).max() ?? 1, 1) * 1.04, count: 4, suffix: "%"),
            title: scorer.name,
            accessibleName: "Score distribution of won and lost leads for \(scorer.name)")
        let wonOutline = SVGChart.Style(colour: wonColour, width: 1.6)
        let lostOutline = SVGChart.Style(colour: "#b36b00", dash: "5 3", width: 1.6)
        if valid {
            chart.histogram(edges: d.edges, heights: lost, fill: lostColour, fillOpacity: 0.35, outline: lostOutline)
            chart.histogram(edges: d.edges, heights: won, fill: wonColour, fillOpacity: 0.3, outline: wonOutline)
        }
        let legend = [
            SVGChart.LegendEntry(label: "Won (\(count(Int(wonTotal))) leads)", sample: .box(fill: wonColour, opacity: 0.3, stroke: wonColour)),
            SVGChart.LegendEntry(label: "Lost (\(count(Int(lostTotal))) leads)", sample: .box(fill: lostColour, opacity: 0.35, stroke: "#b36b00")),
        ]
        return chart.render(legend: legend)
    }

    /// An axis over exactly `lower`…`upper` with ticks at round steps inside it.
    static func spanAxis(title: String, lower: Double, upper: Double) -> SVGChart.Axis {
        let step = SVGChart.niceStep((upper - lower) / 5)
        let first = (lower / step - 1e-9).rounded(.up)
        var ticks: [Double] = []
        var k = first
        while k * step <= upper + step * 1e-9 {
            ticks.append(k * step)
            k += 1
        }
        let digits = SVGChart.decimals(step)
        return SVGChart.Axis(title: title, lower: lower, upper: upper, ticks: ticks) { ModelNumber.fixed($0, digits) }
    }

    // MARK: Pairwise differences

    private static func comparisons(_ report: ComparisonReport) -> String {
        var s = "<section id=\"comparisons\">\n<h2>Pairwise differences</h2>\n"
        guard !report.comparisons.isEmpty else {
            return s + "<p>There is only one scorer, so there is nothing to compare.</p>\n</section>\n"
        }
        s += "<p class=\"muted\">Each row is the second scorer minus the first, with paired-bootstrap 95% intervals "
        s += "(\(count(report.bootstrapResamples)) resamples of the same leads for both) and DeLong's paired test for the AUC. "
        s += "Higher AUC, top-decile lift and capture are better; a lower Brier score is better. "
        s += "<span class=\"excl\">Highlighted*</span> intervals exclude zero.</p>\n"
        s += "<div class=\"table-wrap\"><table>\n<thead><tr><th>Difference</th><th>AUC [bootstrap]</th><th>AUC [DeLong]</th>"
        s += "<th>DeLong p</th><th>Top-decile lift</th><th>Brier</th><th>Capture in the top \(count(report.topK)) (percentage points)</th></tr></thead>\n<tbody>\n"
        for c in report.comparisons {
            s += "<tr><td class=\"name\">\(esc(c.b)) − \(esc(c.a))</td>"
            s += "<td>\(difference(c.auc, 3))</td>"
            s += "<td>\(differenceCell(estimate: nil, lower: c.aucDeLongLower, upper: c.aucDeLongUpper, digits: 3))</td>"
            s += "<td>\(pValue(c.aucDeLongP))</td>"
            s += "<td>\(difference(c.topDecileLift, 2))</td><td>\(difference(c.brier, 4))</td>"
            s += "<td>\(difference(c.captureAtK, 1, scale: 100))</td></tr>\n"
        }
        s += "</tbody></table></div>\n</section>\n"
        return s
    }

    static func excludesZero(_ lower: Double, _ upper: Double) -> Bool {
        lower.isFinite && upper.isFinite && (lower > 0 || upper < 0)
    }

    private static func difference(_ d: PairComparison.Difference, _ digits: Int, scale: Double = 1) -> String {
        differenceCell(estimate: d.estimate * scale, lower: d.lower * scale, upper: d.upper * scale, digits: digits)
    }

    /// `+0.021 [+0.012, +0.030]`, highlighted with a star when the interval
    /// excludes zero.
    private static func differenceCell(estimate: Double?, lower: Double, upper: Double, digits: Int) -> String {
        var text = ""
        if let estimate { text += signed(estimate, digits) + " " }
        text += "[\(signed(lower, digits)), \(signed(upper, digits))]"
        return excludesZero(lower, upper) ? "<span class=\"excl\">\(text)*</span>" : text
    }

    // MARK: Segments

    /// Each model with segment models against its global model, segment by
    /// segment (`SegmentBreakdown`); nothing for a report without one.
    private static func segments(_ report: ComparisonReport) -> String {
        guard let breakdowns = report.segments else { return "" }
        var s = "<section id=\"segments\">\n<h2>Segments</h2>\n"
        s += "<p class=\"muted\">Each segment's leads scored by the card (its segment's model; the global model for a segment without one "
        s += "and for values missing or not seen in training) and by its global model alone. Differences are segment models minus global model, "
        s += "with 95% intervals: DeLong's paired test for the AUC, the mean of the per-lead differences ± 1.96 SD/√n for log loss and Brier. "
        s += "Higher AUC is better; lower log loss and Brier are better. <span class=\"excl\">Highlighted*</span> intervals exclude zero.</p>\n"
        for b in breakdowns {
            s += "<h3>\(esc(b.scorer)) by \(esc(b.column)) (λ = \(esc(ModelNumber.text(b.l2))))</h3>\n"
            s += "<div class=\"table-wrap\"><table>\n<thead><tr><th>Segment</th><th class=\"text\">Model</th><th>Leads</th><th>Conversions</th><th>Rate</th>"
            s += "<th>AUC</th><th>Global AUC</th><th>AUC difference [DeLong]</th><th>Log loss</th><th>Global log loss</th><th>Log-loss difference</th>"
            s += "<th>Brier</th><th>Global Brier</th><th>Brier difference</th><th>Calibration-in-the-large</th></tr></thead>\n<tbody>\n"
            for r in b.segments {
                s += "<tr><td class=\"name\">\(esc(r.value ?? "(missing or unseen)"))</td><td class=\"text\">\(r.ownModel ? "own" : "global")</td>"
                s += "<td>\(count(r.leads))</td><td>\(count(r.conversions))</td><td>\(r.leads > 0 ? percent(r.rate) : "—")</td>"
                s += "<td>\(fixed(r.auc, 3))</td><td>\(fixed(r.globalAUC, 3))</td><td>\(difference(r.aucDifference, 3))</td>"
                s += "<td>\(fixed(r.logLoss, 4))</td><td>\(fixed(r.globalLogLoss, 4))</td><td>\(difference(r.logLossDifference, 4))</td>"
                s += "<td>\(fixed(r.brier, 4))</td><td>\(fixed(r.globalBrier, 4))</td><td>\(difference(r.brierDifference, 4))</td>"
                s += "<td>\(signed(r.calibrationInTheLarge, 4))</td></tr>\n"
            }
            s += "</tbody></table></div>\n"
        }
        s += "</section>\n"
        return s
    }

    // MARK: Sales view

    private static func sales(_ report: ComparisonReport, _ styles: [SVGChart.Style]) -> String {
        var s = "<section id=\"sales\">\n<h2>Sales view</h2>\n"
        s += "<h3>Calling the top \(count(report.topK)) leads</h3>\n"
        s += "<div class=\"table-wrap\"><table>\n<thead><tr><th>Scorer</th><th>Leads called</th><th>Conversions found</th>"
        s += "<th>Conversion rate</th><th>Share of all conversions</th></tr></thead>\n<tbody>\n"
        for (i, scorer) in report.scorers.enumerated() {
            let t = scorer.topK
            s += "<tr><td class=\"name\">\(swatch(styles[i]))\(esc(scorer.name))</td><td>\(count(t.k))</td><td>\(count(t.conversions))</td>"
            s += "<td>\(percent(t.rate))</td><td>\(percent(t.shareOfConversions))</td></tr>\n"
        }
        s += "</tbody></table></div>\n"
        s += "<h3>Tiers</h3>\n<p class=\"muted\">How each scorer's tiers route the leads, best tier first.</p>\n<div class=\"cards\">\n"
        for (i, scorer) in report.scorers.enumerated() {
            s += "<div class=\"card\">\n<h3>\(swatch(styles[i]))\(esc(scorer.name))</h3>\n"
            guard !scorer.tiers.isEmpty else {
                s += "<p class=\"muted\">No tiers.</p>\n</div>\n"
                continue
            }
            s += "<table>\n<thead><tr><th>Tier</th><th>Leads</th><th>Conversions</th><th>Rate</th><th>Share of conversions</th></tr></thead>\n<tbody>\n"
            for tier in scorer.tiers {
                s += "<tr><td class=\"text\">\(esc(tier.tier))</td><td>\(count(tier.count))</td><td>\(count(tier.conversions))</td>"
                s += "<td>\(percent(tier.rate))</td><td>\(percent(tier.shareOfConversions))</td></tr>\n"
            }
            s += "</tbody></table>\n</div>\n"
        }
        s += "</div>\n</section>\n"
        return s
    }

    // MARK: Fit × engagement grid

    /// The light and dark ends of the heatmap's colour scale (ColorBrewer
    /// Blues: one hue, so that it reads in grey print and with colour-vision
    /// deficiencies).
    static let heatLow = (red: 0xf7, green: 0xfb, blue: 0xff), heatHigh = (red: 0x08, green: 0x30, blue: 0x6b)

    /// The colour of a conversion rate `rate` on the scale from 0 to `top`,
    /// as `#rrggbb`, and whether text on it should be white: from 60% of
    /// the scale, where white text starts to contrast more than dark.
    static func heatColour(_ rate: Double, top: Double) -> (fill: String, lightText: Bool) {
        let t = top > 0 && rate.isFinite ? min(max(rate / top, 0), 1) : 0
        func mix(_ a: Int, _ b: Int) -> Int { Int((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        let rgb = [mix(heatLow.red, heatHigh.red), mix(heatLow.green, heatHigh.green), mix(heatLow.blue, heatHigh.blue)]
        return ("#" + rgb.map { String(format: "%02x", $0) }.joined(), t >= 0.6)
    }

    /// The diverging colour of a log-odds adjustment v on a scale of ±top:
    /// blue below 0, white at 0, orange-red above (ColorBrewer RdBu ends,
    /// told apart by the colour-blind), and whether text on it is light.
    static func divergingColour(_ v: Double, top: Double) -> (fill: String, lightText: Bool) {
        let t = top > 0 ? max(-1, min(1, v / top)) : 0
        let end = t < 0 ? (red: 0x21, green: 0x66, blue: 0xac) : (red: 0xb2, green: 0x18, blue: 0x2b)
        func mix(_ b: Int) -> Int { Int((255 + (Double(b) - 255) * abs(t)).rounded()) }
        return (String(format: "#%02x%02x%02x", mix(end.red), mix(end.green), mix(end.blue)), abs(t) > 0.6)
    }

    /// Each model's pair terms as SVG heatmaps: the first column's cells
    /// down, the second's across, each cell coloured by its log-odds
    /// adjustment (one diverging scale for every pair of the report) with
    /// the value and its training rows written in it.
    private static func pairTerms(_ report: ComparisonReport, _ styles: [SVGChart.Style]) -> String {
        let scorers = report.scorers.indices.filter { !(report.scorers[$0].pairs ?? []).isEmpty }
        guard !scorers.isEmpty else { return "" }
        let top = scorers.flatMap { report.scorers[$0].pairs!.flatMap { $0.logOdds.flatMap { $0.map(abs) } } }.max() ?? 0
        let (low, high) = (divergingColour(-top, top: top).fill, divergingColour(top, top: top).fill)
        var s = "<section id=\"pairs\">\n<h2>Pair terms</h2>\n"
        s += "<p class=\"muted\">Each pair term adds a log-odds adjustment to the main effects for the leads in a cell of two columns "
        s += "(the first row and column are the reference cells, 0). Colour: the adjustment, from \(ModelNumber.signed(-top, 2)) "
        s += "<span class=\"heat-scale\" style=\"background: linear-gradient(to right, \(low), #ffffff, \(high))\"></span> "
        s += "\(ModelNumber.signed(top, 2)); in brackets, the training rows of the cell. A grey cell marked · has too few training rows "
        s += "for an adjustment of its own (fewer than the model's minimum, as a category level needs): it is merged into the reference cells, 0.</p>\n<div class=\"cards\">\n"
        for i in scorers {
            for table in report.scorers[i].pairs! {
                s += "<div class=\"card\">\n<h3>\(swatch(styles[i]))\(esc(report.scorers[i].name)): \(esc(table.name))</h3>\n"
                s += pairHeatmap(table, top: top) + "</div>\n"
            }
        }
        return s + "</div>\n</section>\n"
    }

    /// The fill of a pair's cell merged into the reference (too few
    /// training rows for a feature).
    static let mergedCellFill = "#eceef1"

    /// One pair's heatmap as inline SVG.
    static func pairHeatmap(_ t: PairTable, top: Double) -> String {
        let font = 11.0, cellWidth = 66.0, cellHeight = 34.0
        let labelWidth = min(180, max(60, (t.rowCells.map { SVGChart.textWidth($0, fontSize: font) }.max() ?? 0) + 12))
        let headHeight = 34.0
        let width = labelWidth + cellWidth * Double(t.columnCells.count), height = headHeight + cellHeight * Double(t.rowCells.count)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(SVGChart.n(width)) \(SVGChart.n(height))\" "
        s += "width=\"\(SVGChart.n(width))\" height=\"\(SVGChart.n(height))\" font-size=\"\(SVGChart.n(font))\">\n"
        s += "<title>\(esc(t.name))</title>\n"
        s += "<text x=\"\(SVGChart.n(labelWidth - 6))\" y=\"12\" text-anchor=\"end\">\(esc(SVGChart.fit(t.rowColumn, width: labelWidth - 8, fontSize: font))) \\</text>\n"
        s += "<text x=\"\(SVGChart.n(labelWidth - 6))\" y=\"26\" text-anchor=\"end\">\(esc(SVGChart.fit(t.columnColumn, width: labelWidth - 8, fontSize: font)))</text>\n"
        for (j, cell) in t.columnCells.enumerated() {
            s += "<text x=\"\(SVGChart.n(labelWidth + cellWidth * (Double(j) + 0.5)))\" y=\"26\" text-anchor=\"middle\">\(esc(SVGChart.fit(cell, width: cellWidth - 4, fontSize: font)))</text>\n"
        }
        for (i, cell) in t.rowCells.enumerated() {
            let y = headHeight + cellHeight * Double(i)
            s += "<text x=\"\(SVGChart.n(labelWidth - 6))\" y=\"\(SVGChart.n(y + cellHeight / 2 + 4))\" text-anchor=\"end\">\(esc(SVGChart.fit(cell, width: labelWidth - 8, fontSize: font)))</text>\n"
            for j in t.columnCells.indices {
                let x = labelWidth + cellWidth * Double(j)
                let colour = t.merged[i][j] ? (fill: Self.mergedCellFill, lightText: false) : divergingColour(t.logOdds[i][j], top: top)
                let ink = colour.lightText ? "#ffffff" : "#1d1f23"
                s += "<rect x=\"\(SVGChart.n(x))\" y=\"\(SVGChart.n(y))\" width=\"\(SVGChart.n(cellWidth - 2))\" height=\"\(SVGChart.n(cellHeight - 2))\" fill=\"\(colour.fill)\" stroke=\"#d0d4da\"/>\n"
                s += "<text x=\"\(SVGChart.n(x + cellWidth / 2 - 1))\" y=\"\(SVGChart.n(y + 14))\" text-anchor=\"middle\" fill=\"\(ink)\">\(t.merged[i][j] ? "·" : ModelNumber.signed(t.logOdds[i][j], 2))</text>\n"
                s += "<text x=\"\(SVGChart.n(x + cellWidth / 2 - 1))\" y=\"\(SVGChart.n(y + 27))\" text-anchor=\"middle\" fill=\"\(ink)\" font-size=\"9\">(\(count(t.counts[i][j])))</text>\n"
            }
        }
        return s + "</svg>\n"
    }

    private static func grids(_ report: ComparisonReport, _ styles: [SVGChart.Style]) -> String {
        let scorers = report.scorers.indices.filter { report.scorers[$0].grid != nil }
        guard !scorers.isEmpty else { return "" }
        // One colour scale for every scorer, so that their cells compare.
        let top = scorers.flatMap { report.scorers[$0].grid!.cells.filter { $0.count > 0 }.map(\.rate) }.filter(\.isFinite).max() ?? 0
        let (low, high) = (heatColour(0, top: top).fill, heatColour(top, top: top).fill)
        var s = "<section id=\"grid\">\n<h2>Fit × engagement grid</h2>\n"
        s += "<p class=\"muted\">Leads placed by fit (letters, A the best) and engagement (digits, 1 the most engaged). Each cell: "
        s += "conversion rate, conversions / leads, and the Wilson 95% interval of the rate. Colour: conversion rate, from 0% "
        s += "<span class=\"heat-scale\" style=\"background: linear-gradient(to right, \(low), \(high))\"></span> \(percent(top)), "
        s += "the same scale for every scorer.</p>\n<div class=\"cards\">\n"
        for i in scorers {
            let scorer = report.scorers[i], grid = scorer.grid!
            s += "<div class=\"card\">\n<h3>\(swatch(styles[i]))\(esc(scorer.name))</h3>\n"
            s += "<p class=\"muted\">\(esc(grid.measure)), cut at \(esc(grid.cuts.description)).</p>\n"
            s += "<table class=\"heatmap\">\n<thead><tr><th>Fit \\ engagement</th>"
            for (e, digit) in GridCuts.engagementDigits.enumerated() { s += "<th>\(digit)<br/><span class=\"heat-small\">\(band(e, grid.engagementCuts))</span></th>" }
            s += "</tr></thead>\n<tbody>\n"
            for (f, letter) in GridCuts.fitLetters.enumerated() {
                s += "<tr><th class=\"band\">\(letter) <span class=\"heat-small\">\(band(f, grid.fitCuts))</span></th>"
                for e in GridCuts.engagementDigits.indices {
                    let c = grid.cells[GridCell(fit: f, engagement: e).index]
                    guard c.count > 0 else {
                        s += "<td class=\"empty\" title=\"\(esc(c.cell))\">no leads</td>"
                        continue
                    }
                    let colour = heatColour(c.rate, top: top)
                    s += "<td style=\"background:\(colour.fill);color:\(colour.lightText ? "#ffffff" : "#1d1f23")\" title=\"\(esc(c.cell))\">"
                    s += "<span class=\"heat-rate\">\(percent(c.rate))</span><br/>\(count(c.conversions)) / \(count(c.count))<br/>"
                    s += "<span class=\"heat-small\">\(interval(c.wilsonLower * 100, c.wilsonUpper * 100, 1))%</span></td>"
                }
                s += "</tr>\n"
            }
            s += "</tbody></table>\n</div>\n"
        }
        s += "</div>\n<p class=\"guide\">\(esc(Guide.grid))</p>\n</section>\n"
        return s
    }

    /// A band's range on its axis: `≥ 40` for all but the last, `< 10` for it.
    private static func band(_ k: Int, _ cuts: [Double]) -> String {
        k < cuts.count ? "≥ \(points(cuts[k]))" : "&lt; \(points(cuts[cuts.count - 1]))"
    }

    // MARK: Points bands

    private static func pointsBands(_ report: ComparisonReport, _ styles: [SVGChart.Style]) -> String {
        let rules = report.scorers.indices.filter { report.scorers[$0].pointsBands != nil }
        guard !rules.isEmpty else { return "" }
        var s = "<section id=\"points\">\n<h2>Points bands of the rule scorers</h2>\n"
        s += "<p class=\"muted\">Conversion by band of rule points. A band includes its lower end and excludes its upper end; "
        s += "the last band includes both.</p>\n<div class=\"cards\">\n"
        for i in rules {
            let scorer = report.scorers[i], bands = scorer.pointsBands ?? []
            s += "<div class=\"card\">\n<h3>\(swatch(styles[i]))\(esc(scorer.name))</h3>\n"
            s += "<table>\n<thead><tr><th>Points</th><th>Leads</th><th>Conversions</th><th>Rate</th></tr></thead>\n<tbody>\n"
            for (j, band) in bands.enumerated() {
                let close = j == bands.count - 1 ? "]" : ")"
                s += "<tr><td>[\(points(band.lower)), \(points(band.upper))\(close)</td><td>\(count(band.count))</td>"
                s += "<td>\(count(band.conversions))</td><td>\(percent(band.rate))</td></tr>\n"
            }
            s += "</tbody></table>\n</div>\n"
        }
        s += "</div>\n</section>\n"
        return s
    }

    // MARK: Glossary

    static func glossary(_ definitions: [String: String]) -> String {
        var s = "<section id=\"glossary\">\n<h2>Glossary</h2>\n"
        guard !definitions.isEmpty else { return s + "<p class=\"muted\">No definitions in this report.</p>\n</section>\n" }
        s += "<dl class=\"glossary\">\n"
        for key in glossaryOrder(definitions.keys) {
            s += "<dt>\(esc(key))</dt><dd>\(esc(definitions[key] ?? ""))</dd>\n"
        }
        s += "</dl>\n</section>\n"
        return s
    }

    /// Terms in alphabetical order, ignoring case (ties in code-point order).
    static func glossaryOrder(_ keys: some Sequence<String>) -> [String] {
        keys.sorted { a, b in
            let (la, lb) = (a.lowercased(), b.lowercased())
            return la != lb ? la < lb : a < b
        }
    }

    // MARK: Text

    static func esc(_ text: String) -> String { SVGChart.escape(text) }

    private static func swatch(_ style: SVGChart.Style) -> String {
        "<span class=\"sw\" style=\"background:\(style.colour)\"></span>"
    }

    /// Fixed decimals, or an em dash when the value is not a number.
    static func fixed(_ v: Double, _ digits: Int) -> String {
        v.isFinite ? ModelNumber.fixed(v, digits) : "—"
    }

    /// `+0.021` / `-0.004`.
    static func signed(_ v: Double, _ digits: Int) -> String {
        v.isFinite ? ModelNumber.signed(v, digits) : "—"
    }

    /// A share in [0, 1] as a percentage: `21.3%`.
    static func percent(_ share: Double, _ digits: Int = 1) -> String { ModelNumber.percent(share, digits) }

    static func interval(_ lower: Double, _ upper: Double, _ digits: Int) -> String {
        "[\(fixed(lower, digits)), \(fixed(upper, digits))]"
    }

    /// A p-value with 4 decimals, or `&lt;0.0001`.
    static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "—" }
        return p < 0.0001 ? "&lt;0.0001" : ModelNumber.fixed(p, 4)
    }

    /// Rule points: the shortest exact text (`10`, `12.5`).
    static func points(_ v: Double) -> String {
        v.isFinite ? ModelNumber.text(v) : "—"
    }

    /// An integer with thousands separators: `19,418`.
    static func count(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
