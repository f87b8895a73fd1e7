import Foundation

/// The thresholds report as terminal tables: the same numbers as its JSON
/// and HTML.
public enum ThresholdTextReport {
    public static func render(_ r: ThresholdReport) -> String {
        let unit = r.period.rawValue
        var out: [String] = []
        out.append(
            "Cut-offs for \(r.scorer) (\(r.scorerKind == .model ? "a model, cut on the probability" : "a rules file, cut on points")) on \(r.file): "
                + "\(ModelNumber.grouped(r.parts.reduce(0) { $0 + $1.leads })) \(r.labelled ? "labelled " : "")leads"
                + (r.excludedRows > 0 ? ", \(ModelNumber.grouped(r.excludedRows)) rows without an outcome left out" : "") + ".")
        if let source = r.rateSource { out.append("Arrival rate \(source).") }
        out.append("")
        let two = r.parts.count == 2
        out.append(
            TextTable.render(
                ["tier", "action", r.measure == .points ? "points ≥" : "probability ≥", "target", two ? "on older leads" : "reached", two ? "on newer leads" : ""]
                    .filter { !$0.isEmpty },
                r.tiers.flatMap { t -> [[String]] in
                    let cut = cut(t.atLeast, r.measure)
                    guard !t.checks.isEmpty else { return [[t.name, t.action ?? "", cut, "", ""] + (two ? [""] : [])] }
                    return t.checks.enumerated().map { i, c in
                        let row = [i == 0 ? t.name : "", i == 0 ? t.action ?? "" : "", i == 0 ? cut : "", c.target, reached(c.chosen, c.target, unit)]
                        return row + (two ? [c.reported.map { reached($0, c.target, unit) } ?? "—"] : [])
                    }
                }, rightAligned: [2]))
        if let grid = r.grid {
            out.append("")
            out.append(gridText(grid, r))
        }
        for part in r.parts {
            out.append("")
            let span = part.from.map { ", \($0) … \(part.to ?? "")" } ?? ""
            let title = ["choose": "Chosen on the older leads", "report": "Reported on the newer leads", "both": "On the leads they were chosen on"][part.role] ?? part.role
            var head = "\(title)\(span): \(ModelNumber.grouped(part.leads)) leads"
            if let a = part.arrivalsPerPeriod { head += ", \(ModelNumber.fixed(a, 1)) arriving per \(unit)" }
            if let c = part.conversions { head += ", \(count(c, labelled: r.labelled)) \(r.labelled ? "" : "expected ")conversions" }
            out.append(head + ".")
            out.append(tierTable(part, r))
        }
        if !r.months.isEmpty {
            out.append("")
            out.append("Leads per tier per month (* a month only partly in the file):")
            out.append(
                TextTable.render(
                    ["month", "leads"] + r.tierNames,
                    r.months.map { m in
                        [m.month + (m.complete ? "" : " *"), ModelNumber.grouped(m.leads)]
                            + m.tiers.map { "\(ModelNumber.grouped($0)) (\(ModelNumber.percent(m.leads > 0 ? Double($0) / Double(m.leads) : .nan, 0)))" }
                    }, rightAligned: Set(1...(r.tierNames.count + 1))))
            out.append(
                "Share of a complete month's leads: "
                    + r.monthlyShareRange.map { "\($0.name) \(ModelNumber.percent($0.lowest))–\(ModelNumber.percent($0.highest))" }.joined(separator: ", ") + ".")
        }
        if !r.notes.isEmpty { out.append("") }
        for note in r.notes { out.append("note: " + note) }
        return out.joined(separator: "\n")
    }

    /// One part's tiers; the conversion columns only when conversions are
    /// known, the intervals only when observed.
    static func tierTable(_ part: ThresholdReport.Part, _ r: ThresholdReport) -> String {
        let (header, rows) = tierColumns(part, r)
        return TextTable.render(header, rows, rightAligned: Set(1..<header.count))
    }

    /// The header and rows of `tierTable`, which the HTML page shows too.
    static func tierColumns(_ part: ThresholdReport.Part, _ r: ThresholdReport) -> (header: [String], rows: [[String]]) {
        let known = part.conversions != nil
        var header = ["tier", "leads", "per \(r.period.rawValue)", "share"]
        if known { header += [r.labelled ? "conversions" : "expected conv.", "rate"] + (r.labelled ? ["95% interval"] : []) }
        if known { header += ["of all conversions"] + (r.labelled ? ["95% interval"] : []) }
        let rows = part.tiers.map { t in
            var row = [t.name, ModelNumber.grouped(t.leads), t.leadsPerPeriod.map { ModelNumber.fixed($0, 1) } ?? "—", ModelNumber.percent(t.shareOfLeads)]
            if known {
                row += [t.conversions.map { count($0, labelled: r.labelled) } ?? "—", t.conversionRate.map { ModelNumber.percent($0) } ?? "—"]
                if r.labelled { row.append(interval(t.conversionRateInterval)) }
                row.append(t.shareOfConversions.map { ModelNumber.percent($0) } ?? "—")
                if r.labelled { row.append(interval(t.shareOfConversionsInterval)) }
            }
            return row
        }
        return (header, rows)
    }

    /// A cut as the tables show it: a probability to four decimals, points
    /// to two (whole points as they are).
    static func cut(_ v: Double?, _ measure: TierScheme.Measure) -> String {
        guard let v else { return "(rest)" }
        if measure == .points { return v == v.rounded() ? ModelNumber.text(v) : ModelNumber.fixed(v, 2) }
        return ModelNumber.fixed(v, 4)
    }

    /// The grid's cut-offs and the shares they reach on each part.
    static func gridText(_ g: ThresholdReport.GridChoice, _ r: ThresholdReport) -> String {
        func cuts(_ c: [Double], _ labels: [String]) -> String {
            zip(labels, c).map { "\($0) ≥ \(ModelNumber.text($1))" }.joined(separator: ", ")
        }
        var lines = [
            "Grid cut-offs for at most \(g.shares.map { ModelNumber.percent($0, 0) }.joined(separator: ", ")) of the leads: fit \(cuts(g.fit, GridCuts.fitLetters)); engagement \(cuts(g.engagement, GridCuts.engagementDigits)).",
        ]
        for (part, reached) in zip(r.parts, g.reached) {
            let name = ["choose": "older leads", "report": "newer leads", "both": "the leads"][part.role] ?? part.role
            lines.append(
                "  on the \(name): fit \(reached[0].map { ModelNumber.percent($0) }.joined(separator: ", ")); engagement \(reached[1].map { ModelNumber.percent($0) }.joined(separator: ", ")).")
        }
        return lines.joined(separator: "\n")
    }

    /// A target's reached value as the target is written: per period,
    /// or a percentage.
    static func reached(_ v: Double, _ target: String, _ unit: String) -> String {
        guard v.isFinite else { return "—" }
        if target.hasPrefix("capacity="), let period = target.split(separator: "/").last { return ModelNumber.fixed(v, 1) + "/" + period }
        return ModelNumber.percent(v)
    }

    /// Conversions: a whole count when observed, one decimal when expected.
    static func count(_ v: Double, labelled: Bool) -> String {
        labelled && v.isFinite ? ModelNumber.grouped(Int(v)) : ModelNumber.fixed(v, 1)
    }

    static func interval(_ i: [Double]?) -> String {
        guard let i, i.count == 2 else { return "" }
        return "[\(ModelNumber.percent(i[0])), \(ModelNumber.percent(i[1]))]"
    }
}
