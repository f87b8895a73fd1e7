import Foundation

/// A model card as a self-contained HTML page (`inspect --html`): each
/// spline column's contribution to the log-odds relative to the median
/// (`SplineCurve`) across the training range, with the 95% band, the knots
/// and the training deciles marked; each pair term's cells as a heatmap
/// (`HTMLReport.pairHeatmap`); the cross-validation curve of the penalty
/// (`ModelCardReport.penaltyChart`); and the text `inspect` prints.
public enum ModelCardHTMLReport {
    /// The points drawn along each curve, evenly spaced from the smallest
    /// to the largest training value.
    static let curvePoints = 121

    /// The page of card `m`, read from the file `name`; `top` and `render`
    /// as `inspect` prints the card's text.
    public static func render(_ m: ModelCard, name: String, top: Int? = nil, render text: (String) -> String = { $0 }) -> String {
        var body = "<main>\n<h1>LeadScore model \(HTMLReport.esc(name))</h1>\n"
        body += "<p class=\"subtitle\">Format \(m.formatVersion), trained on \(HTMLReport.esc(m.training.date)) from \(HTMLReport.esc(m.training.source.file)).</p>\n"
        let curves = m.splineCurves
        if !curves.isEmpty {
            body += "<section id=\"splines\">\n<h2>Spline columns</h2>\n"
            body += "<p>Each chart shows a column's contribution to the log-odds of winning relative to its contribution at the column's training median, "
                + "with its 95% Wald band (from the covariance of the column's coefficients), across the training values. "
                + "Beyond the outer knots the curve is a straight line. Dots mark the training deciles, ticks at the top the knots.</p>\n"
            body += "<div class=\"charts\">\n"
            for (i, curve) in curves.enumerated() { body += figure(curve, index: i) }
            body += "</div>\n</section>\n"
        }
        let tables = m.pairTables()
        if !tables.isEmpty {
            let top = tables.flatMap { $0.logOdds.flatMap { $0.map(abs) } }.max() ?? 0
            body += "<section id=\"pairs\">\n<h2>Pair terms</h2>\n"
            body += "<p>Each pair term adds a log-odds adjustment to the main effects for the leads in a cell of two columns "
                + "(the first row and column are the reference cells, 0); in brackets, the training rows of the cell.</p>\n"
            for t in tables { body += "<h3>\(HTMLReport.esc(t.name))</h3>\n" + HTMLReport.pairHeatmap(t, top: top) + "\n" }
            body += "</section>\n"
        }
        if let chart = ModelCardReport.penaltyChart(m) {
            body += "<section id=\"penalty\">\n<h2>Cross-validation of the penalty</h2>\n\(chart)\n</section>\n"
        }
        body += "<section id=\"card\">\n<h2>Model card</h2>\n<pre>\(HTMLReport.esc(text(ModelCardReport.inspection(m, top: top))))</pre>\n</section>\n"
        body += "<footer>Written by LeadScore.</footer>\n</main>\n"
        return HTMLReport.head(title: "LeadScore model: \(name)") + "<body>\n" + body + "</body>\n</html>\n"
    }

    static func figure(_ c: SplineCurve, index: Int) -> String {
        let low = c.points.first?.value ?? c.median, high = c.points.last?.value ?? c.median
        let xs = (0..<curvePoints).map { low + (high - low) * Double($0) / Double(curvePoints - 1) }
        let dense = xs.map { c.point(at: $0) }
        let ys = dense.flatMap { [$0.logOdds, $0.lower95 ?? $0.logOdds, $0.upper95 ?? $0.logOdds] }
        let step = SVGChart.niceStep(max((ys.max()! - ys.min()!) / 5, 1e-9))
        let bottom = (ys.min()! / step).rounded(.down) * step
        let y = SVGChart.Axis.nice(title: "log-odds relative to the median", lower: bottom, maximum: ys.max()!, count: 5)
        let xStep = SVGChart.niceStep(max((high - low) / 5, 1e-9))
        let left = (low / xStep).rounded(.down) * xStep
        let x = SVGChart.Axis.nice(title: c.feature, lower: left, maximum: high, count: 5)
        var chart = SVGChart(id: "spline\(index)", width: 560, plotHeight: 260, x: x, y: y, accessibleName: "The contribution of \(c.feature) to the log-odds")
        let colour = HTMLReport.palette[0]
        chart.band(dense.map { ($0.value, $0.lower95 ?? $0.logOdds, $0.upper95 ?? $0.logOdds) }, fill: colour, fillOpacity: 0.18)
        chart.reference(from: (x.lower, 0), to: (x.upper, 0), style: SVGChart.Style(colour: HTMLReport.referenceColour, dash: "4 3", width: 1))
        chart.line(dense.map { ($0.value, $0.logOdds) }, style: SVGChart.Style(colour: colour, width: 2), name: c.feature)
        chart.line(c.points.map { ($0.value, $0.logOdds) }, style: SVGChart.Style(colour: colour, width: 0, marker: .circle, opacity: 0))
        let transform: (Double) -> Double = c.encoder.log1p ? { $0 < 0 ? -expm1(-$0) : expm1($0) } : { $0 }
        for t in c.knots.map(transform) {
            chart.reference(from: (t, y.upper), to: (t, y.upper - (y.upper - y.lower) * 0.04), style: SVGChart.Style(colour: HTMLReport.referenceColour, width: 1.5))
        }
        let legend = [
            SVGChart.LegendEntry(label: "contribution", sample: .line(SVGChart.Style(colour: colour, width: 2, marker: .circle))),
            SVGChart.LegendEntry(label: "95% band", sample: .box(fill: colour, opacity: 0.18, stroke: "none")),
        ]
        let rows = c.points.map { p in
            "<tr><td>\(Int((p.quantile * 100).rounded()))%</td><td>\(HTMLReport.esc(String(format: "%.6g", p.value)))</td><td>\(ModelNumber.signed(p.logOdds, 3))</td>"
                + "<td>\(p.lower95.map { "[\(ModelNumber.signed($0, 3)), \(ModelNumber.signed(p.upper95!, 3))]" } ?? "")</td></tr>"
        }.joined(separator: "\n")
        return "<figure>\n<h3>\(HTMLReport.esc(c.feature))</h3>\n" + chart.render(legend: legend) + "\n"
            + "<div class=\"table-wrap\"><table><tr><th>quantile</th><th>value</th><th>log-odds</th><th>95% band</th></tr>\n\(rows)\n</table></div>\n"
            + "<figcaption>\(HTMLReport.esc(c.shape.prefix(1).uppercased() + c.shape.dropFirst())), \(c.knots.count) knots\(c.encoder.log1p ? " on the log1p scale" : ""); median \(HTMLReport.esc(String(format: "%.6g", c.median)))."
            + "\(c.encoder.spline?.monotone != nil ? " " + HTMLReport.esc(SplineCurve.monotoneBandNote) : "")</figcaption>\n</figure>\n"
    }
}
