import Foundation

/// The comparison report as terminal tables: the same numbers as the JSON
/// and HTML reports.
public enum TextReport {
    public static func render(_ r: ComparisonReport) -> String {
        func f(_ v: Double, _ d: Int) -> String { ModelNumber.fixed(v, d) }
        func pct(_ v: Double) -> String { ModelNumber.fixed(100 * v, 1) + "%" }
        func interval(_ lo: Double, _ hi: Double, _ d: Int) -> String { "[\(f(lo, d)), \(f(hi, d))]" }
        var out: [String] = []
        for warning in r.warnings ?? [] { out.append("warning: " + warning) }
        let unit = r.accountColumn == nil ? "leads" : "accounts"
        if let column = r.accountColumn, let leads = r.accountLeads {
            out.append("Per account (\"\(column)\", \(ModelNumber.grouped(leads)) leads with an outcome): an account is won when any of its leads is; a model's account probability is that at least one lead converts, assuming independence.")
        }
        out.append(
            "Evaluated \(r.rows) \(unit) of \(r.file) (\(r.positives) won, rate \(pct(r.baseRate)))"
                + (r.excludedRows > 0 ? "; \(r.excludedRows) without an outcome left out" : "")
                + (r.calibrationRows > 0 ? "; \(r.calibrationRows) set aside to calibrate rule points into probabilities" : "") + ".")
        if let rules = r.scorers.first(where: { $0.kind == .rules }) {
            out.append("Rule points are not probabilities: \(rules.name)'s were mapped to probabilities by an isotonic fit on the calibration split.")
        }
        out.append("")
        out.append("Ranking and calibration:")
        out.append(
            TextTable.render(
                ["scorer", "AUC", "95% interval", "Gini", "KS", "log loss", "Brier", "ECE width", "ECE count", "cal. slope", "HL p", "top-decile lift", "capture@\(r.topK)"],
                r.scorers.map { s in
                    let c = s.calibration
                    return [
                        s.name, f(s.ranking.auc, 4), interval(s.ranking.aucLower, s.ranking.aucUpper, 4), f(s.ranking.gini, 3), f(s.ranking.ks, 3),
                        f(c.logLoss, 4), f(c.brier, 4), f(c.eceEqualWidth, 4), f(c.eceEqualCount, 4), f(c.calibrationSlope, 2), f(c.hosmerLemeshowP, 4),
                        f(s.deciles.first?.lift ?? .nan, 2), pct(s.topK.shareOfConversions),
                    ]
                }, rightAligned: Set(1...12)))
        out.append("")
        out.append("Brier decomposition (10 equal-width bins): Brier = reliability − resolution + uncertainty + residual")
        out.append(
            TextTable.render(
                ["scorer", "Brier", "reliability", "resolution", "uncertainty", "residual", "cal.-in-the-large", "HL statistic (df)"],
                r.scorers.map { s in
                    let c = s.calibration
                    return [
                        s.name, f(c.brier, 4), f(c.brierReliability, 4), f(c.brierResolution, 4), f(c.brierUncertainty, 4), f(c.brierResidual, 4),
                        f(c.calibrationInTheLarge, 4), "\(f(c.hosmerLemeshow, 2)) (\(c.hosmerLemeshowDF))",
                    ]
                }, rightAligned: Set(1...7)))
        for s in r.scorers {
            out.append("")
            out.append("\(s.name): lift by decile (1 = highest \(s.kind == .rules ? "points" : "probability")); probabilities: \(s.probabilitySource)")
            out.append(
                TextTable.render(
                    ["decile", "leads", "won", "rate", "mean predicted", "lift", "cum. gain", "cum. lift"],
                    s.deciles.map { d in
                        [
                            String(d.decile), String(d.count), String(d.positives), pct(d.observedRate), f(d.meanPredicted, 3), f(d.lift, 2),
                            pct(d.cumulativeGain), f(d.cumulativeLift, 2),
                        ]
                    }, rightAligned: Set(0...7)))
            out.append("Reliability (equal-width bins):")
            out.append(
                TextTable.render(
                    ["bin", "leads", "mean predicted", "observed", "95% Wilson"],
                    s.calibration.reliabilityEqualWidth.filter { $0.count > 0 }.map { b in
                        ["\(f(b.lower, 1))–\(f(b.upper, 1))", String(b.count), f(b.meanPredicted, 3), f(b.observedRate, 3), interval(b.wilsonLower, b.wilsonUpper, 3)]
                    }, rightAligned: Set(1...4)))
            out.append("Sales view: how the tiers route leads")
            out.append(
                TextTable.render(
                    ["tier", "leads", "won", "rate", "share of all wins"],
                    s.tiers.map { t in [t.tier, String(t.count), String(t.conversions), pct(t.rate), pct(t.shareOfConversions)] },
                    rightAligned: Set(1...4)))
            if let grid = s.grid { out.append(gridTable(grid)) }
            if let bands = s.pointsBands {
                out.append("Conversion by points band:")
                out.append(
                    TextTable.render(
                        ["points", "leads", "won", "rate"],
                        bands.map { b in ["\(ModelNumber.text(b.lower)) to <\(ModelNumber.text(b.upper))", String(b.count), String(b.conversions), pct(b.rate)] },
                        rightAligned: Set(1...3)))
            }
            out.append(
                "If sales calls the top \(s.topK.k) leads: \(s.topK.conversions) conversions (\(pct(s.topK.rate)) of calls, \(pct(s.topK.shareOfConversions)) of all wins).")
        }
        if !r.comparisons.isEmpty {
            out.append("")
            out.append("Differences (b − a), 95% paired-bootstrap intervals over \(r.bootstrapResamples) resamples (seed \(r.seed)); * = interval excludes 0:")
            func d(_ x: PairComparison.Difference, _ digits: Int) -> String {
                "\(ModelNumber.signed(x.estimate, digits)) \(interval(x.lower, x.upper, digits))\(x.lower > 0 || x.upper < 0 ? "*" : "")"
            }
            out.append(
                TextTable.render(
                    ["b", "a", "AUC", "AUC (DeLong)", "top-decile lift", "Brier", "capture@\(r.topK)"],
                    r.comparisons.map { c in
                        [
                            c.b, c.a, d(c.auc, 4), "\(interval(c.aucDeLongLower, c.aucDeLongUpper, 4)) p=\(f(c.aucDeLongP, 4))", d(c.topDecileLift, 2),
                            d(c.brier, 4), d(c.captureAtK, 3),
                        ]
                    }))
        }
        for b in r.segments ?? [] {
            out.append("")
            out.append(segmentTable(b))
        }
        out.append("")
        out.append("Definitions:")
        for (term, text) in r.definitions.sorted(by: { $0.key < $1.key }) { out.append("  \(term): \(text)") }
        return out.joined(separator: "\n")
    }

    /// A model's segments against its global model (`SegmentBreakdown`):
    /// one row per segment, then the missing or unseen values.
    static func segmentTable(_ b: SegmentBreakdown) -> String {
        func f(_ v: Double, _ d: Int) -> String { ModelNumber.fixed(v, d) }
        func d(_ x: PairComparison.Difference, _ digits: Int) -> String {
            "\(ModelNumber.signed(x.estimate, digits)) [\(f(x.lower, digits)), \(f(x.upper, digits))]\(x.lower > 0 || x.upper < 0 ? "*" : "")"
        }
        let rows = b.segments.map { s in
            [
                s.value ?? "(missing or unseen)", s.ownModel ? "own" : "global", String(s.leads), String(s.conversions),
                ModelNumber.fixed(100 * s.rate, 1) + "%", f(s.auc, 4), f(s.globalAUC, 4), d(s.aucDifference, 4), f(s.logLoss, 4), f(s.globalLogLoss, 4),
                d(s.logLossDifference, 4), f(s.brier, 4), f(s.globalBrier, 4), d(s.brierDifference, 4), ModelNumber.signed(s.calibrationInTheLarge, 4),
            ]
        }
        return "Segments (\"\(b.column)\", λ = \(ModelNumber.text(b.l2))) of \(b.scorer): its segment models against \(b.globalScorer) on each segment's leads; differences segment − global with 95% intervals (AUC: paired DeLong; log loss, Brier: paired mean ± 1.96 SD/√n); * = interval excludes 0:\n"
            + TextTable.render(
                [
                    "segment", "model", "leads", "won", "rate", "AUC", "global AUC", "ΔAUC", "log loss", "global", "Δ log loss", "Brier", "global", "ΔBrier",
                    "cal.-in-the-large",
                ], rows, rightAligned: Set(2...14))
    }

    /// A scorer's fit × engagement grid: fit letters down, engagement
    /// digits across, each cell its conversion rate and won / leads.
    static func gridTable(_ g: ScorerReport.Grid) -> String {
        var rows: [[String]] = []
        for (f, letter) in GridCuts.fitLetters.enumerated() {
            var row = [letter]
            for e in GridCuts.engagementDigits.indices {
                let c = g.cells[GridCell(fit: f, engagement: e).index]
                row.append(c.count == 0 ? "–" : "\(ModelNumber.fixed(100 * c.rate, 1))% (\(c.conversions)/\(c.count))")
            }
            rows.append(row)
        }
        return "Fit × engagement grid (A best fit, 1 most engaged; \(g.measure) cut at \(g.cuts.description)): conversion rate (won/leads)\n"
            + TextTable.render(["fit \\ engagement"] + GridCuts.engagementDigits, rows, rightAligned: Set(1...4))
    }
}
