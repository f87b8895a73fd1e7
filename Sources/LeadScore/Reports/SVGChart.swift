/// A small builder of inline SVG charts for the HTML report.
///
/// A chart is a rectangular plot area with a linear x scale and a linear y
/// scale, framed by axes with ticks, tick labels and axis titles, with light
/// gridlines behind the marks and a legend in a band under the plot (so it
/// never covers data). Marks are added in data coordinates: polylines,
/// markers, bars, vertical interval bars, steps and reference lines; they are
/// clipped to the plot area.
///
/// Output is deterministic: every coordinate is written with fixed decimals
/// through `ModelNumber`, and the same calls give the same bytes. Every text
/// passed in (titles, labels, legend entries) is escaped here; the result is
/// well-formed XML, so it can sit in an HTML page or stand alone as a file.
struct SVGChart {
    /// A linear axis: the data range drawn, where ticks go and how a tick
    /// value is written.
    struct Axis {
        var title: String
        var lower: Double
        var upper: Double
        var ticks: [Double]
        var tickLabel: (Double) -> String

        init(title: String, lower: Double, upper: Double, ticks: [Double], tickLabel: @escaping (Double) -> String) {
            self.title = title
            self.lower = lower
            self.upper = upper
            self.ticks = ticks
            self.tickLabel = tickLabel
        }

        /// An axis from `lower` up to a round number at or above `maximum`,
        /// with about `count` ticks at steps of 1, 2, 2.5 or 5 times a power
        /// of ten; tick labels get as many decimals as the step needs
        /// (times `scale`, plus `suffix`: a share drawn as "40%").
        static func nice(
            title: String, lower: Double = 0, maximum: Double, count: Int = 5, scale: Double = 1, suffix: String = ""
        ) -> Axis {
            let maximum = maximum.isFinite && maximum > lower ? maximum : lower + 1
            let step = SVGChart.niceStep((maximum - lower) / Double(max(count, 1)))
            let steps = max(1, Int(((maximum - lower) / step - 1e-9).rounded(.up)))
            let ticks = (0...steps).map { lower + Double($0) * step }
            let digits = SVGChart.decimals(step * scale)
            return Axis(title: title, lower: lower, upper: ticks.last!, ticks: ticks) {
                ModelNumber.fixed($0 * scale, digits) + suffix
            }
        }
    }

    /// The shape drawn at each data point of a series.
    enum Marker: CaseIterable {
        case circle, square, triangle, diamond
    }

    /// How a series is drawn: colour, dash pattern (SVG `stroke-dasharray`,
    /// nil for solid), line width and point marker.
    struct Style {
        var colour: String
        var dash: String? = nil
        var width: Double = 2
        var marker: Marker? = nil
        var opacity: Double = 1
    }

    /// One legend item: a short line (with the series' marker) or a filled
    /// box, and its label.
    struct LegendEntry {
        enum Sample {
            case line(Style)
            case box(fill: String, opacity: Double, stroke: String)
        }
        var label: String
        var sample: Sample
    }

    /// Total width of the SVG in pixels (the page scales it down on narrow
    /// screens).
    let width: Double
    /// Height of the plot area in pixels.
    let plotHeight: Double
    let x: Axis
    let y: Axis
    /// Prefix for the ids inside this SVG (clip path, title), unique in the page.
    let id: String
    /// Title drawn inside the SVG, above the plot (nil when the page gives
    /// the title in HTML).
    let title: String?
    /// Accessible name of the chart (the SVG's `<title>`).
    let accessibleName: String

    let marginLeft = 64.0
    let marginRight = 22.0
    let marginBottom = 46.0
    let fontSize = 12.0
    let legendRowHeight = 20.0

    private var marks: [String] = []

    init(id: String, width: Double, plotHeight: Double, x: Axis, y: Axis, title: String? = nil, accessibleName: String) {
        self.id = id
        self.width = width
        self.plotHeight = plotHeight
        self.x = x
        self.y = y
        self.title = title
        self.accessibleName = accessibleName
    }

    var marginTop: Double { title == nil ? 12 : 34 }
    var plotWidth: Double { width - marginLeft - marginRight }

    /// Pixel position of a data x value.
    func px(_ v: Double) -> Double {
        let span = x.upper - x.lower
        return marginLeft + (span > 0 ? (v - x.lower) / span : 0) * plotWidth
    }

    /// Pixel position of a data y value (up is larger).
    func py(_ v: Double) -> Double {
        let span = y.upper - y.lower
        return marginTop + plotHeight - (span > 0 ? (v - y.lower) / span : 0) * plotHeight
    }

    // MARK: Marks

    /// A polyline through the points (non-finite points break the line),
    /// with the style's marker at every point, or when `markEvery` is above
    /// 1 at the points after the first whose index it divides (none when the
    /// style has no marker). `name` is kept as a `data-series` attribute.
    mutating func line(_ points: [(Double, Double)], style: Style, markEvery: Int = 1, name: String? = nil) {
        var runs: [[(Double, Double)]] = [[]]
        for p in points {
            if p.0.isFinite && p.1.isFinite {
                runs[runs.count - 1].append((px(p.0), py(p.1)))
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        var out = "<g\(seriesAttribute(name))>"
        for run in runs where run.count > 1 {
            let coordinates = run.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
            out += "<polyline points=\"\(coordinates)\" fill=\"none\"\(stroke(style)) stroke-linejoin=\"round\"/>"
        }
        if let marker = style.marker {
            for (i, p) in points.enumerated() where p.0.isFinite && p.1.isFinite && (markEvery <= 1 || (i > 0 && i % markEvery == 0)) {
                out += Self.markerElement(marker, x: px(p.0), y: py(p.1), colour: style.colour)
            }
        }
        out += "</g>"
        marks.append(out)
    }

    /// A straight reference line between two data points (a diagonal, a
    /// level), drawn thin.
    mutating func reference(from a: (Double, Double), to b: (Double, Double), style: Style) {
        guard a.0.isFinite, a.1.isFinite, b.0.isFinite, b.1.isFinite else { return }
        marks.append(
            "<line x1=\"\(Self.n(px(a.0)))\" y1=\"\(Self.n(py(a.1)))\" x2=\"\(Self.n(px(b.0)))\" y2=\"\(Self.n(py(b.1)))\"\(stroke(style))/>"
        )
    }

    /// A vertical interval (such as a confidence interval) at data x, from
    /// `lower` to `upper`, with short caps.
    mutating func intervalBar(x v: Double, lower: Double, upper: Double, style: Style, cap: Double = 3) {
        guard v.isFinite, lower.isFinite, upper.isFinite else { return }
        let xp = px(v), y0 = py(lower), y1 = py(upper)
        let s = stroke(Style(colour: style.colour, width: style.width, opacity: style.opacity))
        marks.append(
            "<path d=\"M\(Self.n(xp)) \(Self.n(y0))V\(Self.n(y1))M\(Self.n(xp - cap)) \(Self.n(y0))H\(Self.n(xp + cap))"
                + "M\(Self.n(xp - cap)) \(Self.n(y1))H\(Self.n(xp + cap))\" fill=\"none\"\(s)/>")
    }

    /// A bar from the x axis' data value `from` to `to` (data units), from
    /// y = 0 (or the axis' lower end) up to `height`.
    mutating func bar(from x0: Double, to x1: Double, height: Double, fill: String, name: String? = nil) {
        guard x0.isFinite, x1.isFinite, height.isFinite else { return }
        let base = py(max(y.lower, min(0, y.upper))), top = py(height)
        let left = px(min(x0, x1)), right = px(max(x0, x1))
        marks.append(
            "<rect x=\"\(Self.n(left))\" y=\"\(Self.n(min(base, top)))\" width=\"\(Self.n(right - left))\" "
                + "height=\"\(Self.n(abs(base - top)))\" fill=\"\(fill)\"\(seriesAttribute(name))/>")
    }

    /// A filled band between two curves (a confidence band): from
    /// (x, lower) along the points and back along (x, upper); points with
    /// a non-finite value are left out.
    mutating func band(_ points: [(x: Double, lower: Double, upper: Double)], fill: String, fillOpacity: Double) {
        let kept = points.filter { $0.x.isFinite && $0.lower.isFinite && $0.upper.isFinite }
        guard kept.count > 1 else { return }
        let along = kept.map { "\(Self.n(px($0.x))),\(Self.n(py($0.lower)))" } + kept.reversed().map { "\(Self.n(px($0.x))),\(Self.n(py($0.upper)))" }
        marks.append("<polygon points=\"\(along.joined(separator: " "))\" fill=\"\(fill)\" fill-opacity=\"\(Self.n(fillOpacity, 2))\" stroke=\"none\"/>")
    }

    /// A histogram as a filled step area with an outline: bin `i` spans
    /// `edges[i]`…`edges[i + 1]` at height `heights[i]`.
    mutating func histogram(edges: [Double], heights: [Double], fill: String, fillOpacity: Double, outline: Style) {
        guard edges.count == heights.count + 1, !heights.isEmpty,
            edges.allSatisfy(\.isFinite), heights.allSatisfy(\.isFinite)
        else { return }
        let base = Self.n(py(max(y.lower, 0)))
        var d = "M\(Self.n(px(edges[0]))) \(base)"
        for (i, h) in heights.enumerated() {
            d += "V\(Self.n(py(h)))H\(Self.n(px(edges[i + 1])))"
        }
        d += "V\(base)"
        marks.append("<path d=\"\(d)Z\" fill=\"\(fill)\" fill-opacity=\"\(Self.n(fillOpacity, 2))\" stroke=\"none\"/>")
        marks.append("<path d=\"\(d)\" fill=\"none\"\(stroke(outline)) stroke-linejoin=\"miter\"/>")
    }

    // MARK: Rendering

    /// The `<svg>` element: gridlines, marks, axes and the legend (laid out
    /// in rows under the plot; the SVG grows to fit them).
    func render(legend: [LegendEntry]) -> String {
        let rows = legendRows(legend)
        let legendTop = marginTop + plotHeight + marginBottom + 6
        let height = legendTop + Double(rows.count) * legendRowHeight + (rows.isEmpty ? 0 : 4)
        let w = Self.n(width, 0), h = Self.n(height, 0)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" "
        s += "role=\"img\" aria-labelledby=\"\(id)-title\" font-family=\"'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif\" font-size=\"\(Self.n(fontSize, 0))\">\n"
        s += "<title id=\"\(id)-title\">\(Self.escape(accessibleName))</title>\n"
        // The clip leaves room for markers on the plot's edges.
        let pad = 6.0
        s += "<defs><clipPath id=\"\(id)-clip\"><rect x=\"\(Self.n(marginLeft - pad))\" y=\"\(Self.n(marginTop - pad))\" "
        s += "width=\"\(Self.n(plotWidth + 2 * pad))\" height=\"\(Self.n(plotHeight + 2 * pad))\"/></clipPath></defs>\n"
        if let title {
            s += "<text x=\"\(Self.n(marginLeft))\" y=\"20\" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">"
            s += Self.escape(Self.fit(title, width: width - marginLeft - 4, fontSize: 13)) + "</text>\n"
        }
        s += gridlines() + "\n"
        s += "<g clip-path=\"url(#\(id)-clip)\">\n" + marks.joined(separator: "\n") + "\n</g>\n"
        s += axes() + "\n"
        s += renderLegend(rows, top: legendTop)
        s += "</svg>"
        return s
    }

    private func gridlines() -> String {
        var d = ""
        for t in x.ticks where t >= x.lower && t <= x.upper {
            d += "M\(Self.n(px(t))) \(Self.n(marginTop))V\(Self.n(marginTop + plotHeight))"
        }
        for t in y.ticks where t >= y.lower && t <= y.upper {
            d += "M\(Self.n(marginLeft)) \(Self.n(py(t)))H\(Self.n(marginLeft + plotWidth))"
        }
        return "<path class=\"grid\" d=\"\(d)\" stroke=\"#e4e4e4\" stroke-width=\"1\" fill=\"none\"/>"
    }

    private func axes() -> String {
        let bottom = marginTop + plotHeight
        var s = "<g class=\"axes\" fill=\"#333\">"
        // Frame: the x axis along the bottom, the y axis along the left.
        s += "<path d=\"M\(Self.n(marginLeft)) \(Self.n(marginTop))V\(Self.n(bottom))H\(Self.n(marginLeft + plotWidth))\" "
        s += "stroke=\"#555\" stroke-width=\"1\" fill=\"none\"/>"
        var ticks = ""
        for t in x.ticks where t >= x.lower && t <= x.upper {
            ticks += "M\(Self.n(px(t))) \(Self.n(bottom))v5"
            s += "<text x=\"\(Self.n(px(t)))\" y=\"\(Self.n(bottom + 18))\" text-anchor=\"middle\">\(Self.escape(x.tickLabel(t)))</text>"
        }
        for t in y.ticks where t >= y.lower && t <= y.upper {
            ticks += "M\(Self.n(marginLeft)) \(Self.n(py(t)))h-5"
            s += "<text x=\"\(Self.n(marginLeft - 8))\" y=\"\(Self.n(py(t) + 4))\" text-anchor=\"end\">\(Self.escape(y.tickLabel(t)))</text>"
        }
        s += "<path d=\"\(ticks)\" stroke=\"#555\" stroke-width=\"1\" fill=\"none\"/>"
        s += "<text x=\"\(Self.n(marginLeft + plotWidth / 2))\" y=\"\(Self.n(bottom + 38))\" text-anchor=\"middle\" font-weight=\"bold\">"
        s += Self.escape(Self.fit(x.title, width: plotWidth, fontSize: fontSize)) + "</text>"
        s += "<text transform=\"rotate(-90)\" x=\"\(Self.n(-(marginTop + plotHeight / 2)))\" y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">"
        s += Self.escape(Self.fit(y.title, width: plotHeight + marginTop, fontSize: fontSize)) + "</text>"
        s += "</g>"
        return s
    }

    /// Width of a legend sample (line or box) and the gap before its label.
    private let sampleWidth = 26.0, sampleGap = 6.0, entryGap = 18.0

    /// Legend entries split into rows that fit the width (an entry too
    /// long for a row on its own is shortened with "…").
    private func legendRows(_ entries: [LegendEntry]) -> [[(entry: LegendEntry, text: String, width: Double)]] {
        let available = width - marginLeft - marginRight
        var rows: [[(entry: LegendEntry, text: String, width: Double)]] = []
        var current: [(entry: LegendEntry, text: String, width: Double)] = []
        var used = 0.0
        for entry in entries {
            let text = Self.fit(entry.label, width: available - sampleWidth - sampleGap, fontSize: fontSize)
            let w = sampleWidth + sampleGap + Self.textWidth(text, fontSize: fontSize)
            if !current.isEmpty && used + entryGap + w > available {
                rows.append(current)
                current = []
                used = 0
            }
            used += (current.isEmpty ? 0 : entryGap) + w
            current.append((entry, text, w))
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    private func renderLegend(_ rows: [[(entry: LegendEntry, text: String, width: Double)]], top: Double) -> String {
        guard !rows.isEmpty else { return "" }
        var s = "<g class=\"legend\">"
        for (r, row) in rows.enumerated() {
            var left = marginLeft
            let mid = top + Double(r) * legendRowHeight + legendRowHeight / 2
            for item in row {
                switch item.entry.sample {
                case .line(let style):
                    s += "<line x1=\"\(Self.n(left))\" y1=\"\(Self.n(mid))\" x2=\"\(Self.n(left + sampleWidth))\" y2=\"\(Self.n(mid))\"\(stroke(style))/>"
                    if let marker = style.marker {
                        s += Self.markerElement(marker, x: left + sampleWidth / 2, y: mid, colour: style.colour)
                    }
                case .box(let fill, let opacity, let outline):
                    s += "<rect x=\"\(Self.n(left + 6))\" y=\"\(Self.n(mid - 6))\" width=\"14\" height=\"12\" fill=\"\(fill)\" "
                    s += "fill-opacity=\"\(Self.n(opacity, 2))\" stroke=\"\(outline)\" stroke-width=\"1.5\"/>"
                }
                s += "<text x=\"\(Self.n(left + sampleWidth + sampleGap))\" y=\"\(Self.n(mid + 4))\" fill=\"#222\">\(Self.escape(item.text))</text>"
                left += item.width + entryGap
            }
        }
        s += "</g>\n"
        return s
    }

    // MARK: Pieces

    private func stroke(_ style: Style) -> String {
        var s = " stroke=\"\(style.colour)\" stroke-width=\"\(Self.n(style.width, 2))\""
        if let dash = style.dash { s += " stroke-dasharray=\"\(dash)\"" }
        if style.opacity < 1 { s += " stroke-opacity=\"\(Self.n(style.opacity, 2))\"" }
        return s
    }

    /// ` data-series="…"`, naming the series a mark belongs to.
    private func seriesAttribute(_ name: String?) -> String {
        guard let name else { return "" }
        return " data-series=\"\(Self.escape(name))\""
    }

    /// A marker centred on a pixel position, filled with `colour` and
    /// outlined in white so that overlapping markers stay apart.
    static func markerElement(_ marker: Marker, x: Double, y: Double, colour: String) -> String {
        let tail = " fill=\"\(colour)\" stroke=\"#fff\" stroke-width=\"0.8\"/>"
        switch marker {
        case .circle:
            return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3.6\"" + tail
        case .square:
            return "<rect x=\"\(n(x - 3.3))\" y=\"\(n(y - 3.3))\" width=\"6.6\" height=\"6.6\"" + tail
        case .triangle:
            return "<path d=\"M\(n(x)) \(n(y - 4.4))L\(n(x + 4.2)) \(n(y + 3))L\(n(x - 4.2)) \(n(y + 3))Z\"" + tail
        case .diamond:
            return "<path d=\"M\(n(x)) \(n(y - 4.6))L\(n(x + 4.2)) \(n(y))L\(n(x)) \(n(y + 4.6))L\(n(x - 4.2)) \(n(y))Z\"" + tail
        }
    }

    /// A pixel value with `digits` decimals (1 by default).
    static func n(_ v: Double, _ digits: Int = 1) -> String {
        v.isFinite ? ModelNumber.fixed(v, digits) : "0"
    }

    /// The step of 1, 2, 2.5 or 5 times a power of ten at or above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 1e-300 else { return 1 }
        var magnitude = 1.0
        while magnitude > raw { magnitude /= 10 }
        while magnitude * 10 <= raw { magnitude *= 10 }
        for factor in [1.0, 2, 2.5, 5, 10] where factor * magnitude >= raw * (1 - 1e-12) {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// The fewest decimals (up to 6) that write `step` exactly enough.
    static func decimals(_ step: Double) -> Int {
        for digits in 0...6 {
            if let back = Double(ModelNumber.fixed(step, digits)), abs(back - step) <= abs(step) * 1e-9 { return digits }
        }
        return 6
    }

    /// Estimated width of a text in a sans-serif font (0.6 em a character,
    /// generous so that labels are not clipped).
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }

    /// `text` shortened with "…" to fit `width` pixels.
    static func fit(_ text: String, width: Double, fontSize: Double) -> String {
        let maxCharacters = max(4, Int(width / (fontSize * 0.6)))
        guard text.count > maxCharacters else { return text }
        return String(text.prefix(maxCharacters - 1)) + "…"
    }

    /// Text made safe for XML and HTML content and attribute values:
    /// `& < > " '` become character references, and characters XML does
    /// not allow (control characters other than tab, newline and carriage
    /// return; U+FFFE, U+FFFF) become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF || (0x7F...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
