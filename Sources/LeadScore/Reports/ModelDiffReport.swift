import Foundation

/// `ModelDiff` as text for a terminal: a verdict line, then each kind of
/// change. Coefficients are listed largest change first; the per-decile
/// metric changes are counted here and listed in the JSON form.
public enum ModelDiffReport {
    /// `top` limits the coefficient rows (nil: all).
    public static func render(_ d: ModelDiff, top: Int? = nil) -> String {
        var out: [String] = []
        let rule = "tolerance \(ModelNumber.scientific(d.tolerance)), relative to max(|old|, |new|, 1)"
        if d.same {
            var line = "\(d.old) and \(d.new) are the same model (\(rule)): \(ModelNumber.grouped(d.numbersCompared)) numbers compared"
            line += d.largestDifference > 0 ? ", the largest difference \(ModelNumber.scientific(d.largestDifference)) (\(d.largestDifferenceAt))." : ", all equal."
            out.append(line)
        } else {
            out.append("\(d.old) and \(d.new) differ (\(rule)).")
        }
        func section(_ title: String, _ lines: [String]) {
            guard !lines.isEmpty else { return }
            out.append("")
            out.append(title)
            out += lines.map { "  " + $0 }
        }
        func change(_ c: ModelDiff.Change) -> String {
            "\(c.what): \(c.old.isEmpty ? "(none)" : c.old) → \(c.new.isEmpty ? "(none)" : c.new)"
        }
        func number(_ c: ModelDiff.NumberChange) -> String {
            "\(c.what): \(ModelNumber.text(c.old)) → \(ModelNumber.text(c.new)) (\(signed(c.difference)))"
        }
        section("Schema:", d.schema.map(change))
        section(
            "Columns:",
            d.columnsAdded.map { "added: \"\($0.column)\" (\($0.kind))" } + d.columnsRemoved.map { "removed: \"\($0.column)\" (\($0.kind))" })
        var encoderLines = d.encoders.map(change) + d.encoderNumbers.map(number)
        if !d.levelCounts.isEmpty {
            encoderLines.append("training rows per level differ in \(d.levelCounts.count) column\(d.levelCounts.count == 1 ? "" : "s") (listed in the JSON form).")
        }
        section("Encoders:", encoderLines)
        section(
            "Features:",
            d.featuresAdded.map { "added: \($0.feature) (coefficient \(ModelNumber.signed($0.coefficient, 3)), SE \(ModelNumber.fixed($0.standardError, 3)))" }
                + d.featuresRemoved.map { "removed: \($0.feature) (coefficient was \(ModelNumber.signed($0.coefficient, 3)))" })
        if !d.coefficients.isEmpty {
            let shown = top.map { Array(d.coefficients.prefix($0)) } ?? d.coefficients
            let rows = shown.map { c in
                [
                    c.feature, digits(c.old), digits(c.new), signed(c.difference), ModelNumber.fixed(c.oddsRatioFactor, 4),
                    digits(c.oldStandardError), digits(c.newStandardError),
                ]
            }
            out.append("")
            out.append("Coefficients (log-odds; per SD for numbers), largest change first\(shown.count < d.coefficients.count ? ", \(shown.count) of \(d.coefficients.count)" : ""):")
            out.append(TextTable.render(["feature", "old", "new", "change", "odds ratio ×", "old SE", "new SE"], rows, rightAligned: [1, 2, 3, 4, 5, 6]))
        }
        section("Segment models:", (d.segments ?? []).map(change) + (d.segmentNumbers ?? []).map(number))
        if let changes = d.segmentCoefficients, !changes.isEmpty {
            let shown = top.map { Array(changes.prefix($0)) } ?? changes
            out.append("")
            out.append("Segment models' coefficients (log-odds; per SD for numbers), largest change first\(shown.count < changes.count ? ", \(shown.count) of \(changes.count)" : ""):")
            out.append(
                TextTable.render(
                    ["segment", "feature", "old", "new", "change", "odds ratio ×"],
                    shown.map { [$0.segment, $0.feature, digits($0.old), digits($0.new), signed($0.difference), ModelNumber.fixed($0.oddsRatioFactor, 4)] },
                    rightAligned: [2, 3, 4, 5]))
        }
        section("Fit and engagement:", d.groups.map(change) + d.subScoreNumbers.map(number))
        section("Recalibration:", d.calibration.map(change) + d.calibrationNumbers.map(number))
        var metricLines = d.metricChanges.map(change) + d.metrics.map(number)
        let deciles = d.decileNumbers.count + d.decileChanges.count
        if deciles > 0 { metricLines.append("\(deciles) values of the decile tables differ (listed in the JSON form).") }
        section("Metrics:", metricLines)
        section("Training:", d.training.map(change) + d.trainingNumbers.map(number))
        section("Not compared (where and how the models were made):", d.provenance.map(change))
        return out.joined(separator: "\n")
    }

    /// Six significant digits, or the shortest exact text for small magnitudes.
    static func digits(_ v: Double) -> String {
        guard v.isFinite, v != 0 else { return ModelNumber.text(v) }
        return abs(v) >= 1e-3 && abs(v) < 1e6 ? String(format: "%.6g", v) : String(format: "%.4e", v)
    }

    static func signed(_ v: Double) -> String {
        guard v.isFinite else { return v.description }
        if v == 0 { return "0" }
        return (v > 0 ? "+" : "") + (abs(v) >= 1e-3 ? String(format: "%.4g", v) : String(format: "%.2e", v))
    }
}
