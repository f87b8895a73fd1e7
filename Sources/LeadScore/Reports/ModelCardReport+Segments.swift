import Foundation

/// The segment models of a card (`SegmentModels`) as text: how λ was
/// chosen, which segments have a model of their own, and where each
/// segment's model departs from the global one.
extension ModelCardReport {
    /// Differences from the global model listed per segment in `inspect`.
    public static let segmentDifferencesShown = 8
    /// A coefficient of a segment whose difference from the global one is
    /// below this, in absolute value (log-odds; per SD for numbers), is
    /// counted as the global model's rather than listed.
    public static let negligibleSegmentDifference = 0.01

    /// The section of `inspect` for a card with segment models; nil for a
    /// card without. The differences β_s − β_g are on the scale of the
    /// coefficient table (log-odds; per standard deviation for numbers),
    /// largest in absolute value first (ties by name), after the
    /// intercept's b_s − b_g.
    static func segmentsSection(_ m: ModelCard) -> [String]? {
        guard let s = m.segments else { return nil }
        var out: [String] = []
        out.append(
            "Segment models by \"\(s.column)\": each segment's model is fitted on its rows around the global model's log-odds, with the penalty (λ/2)·‖β_segment − β_global‖² (the intercept free); λ = \(ModelNumber.text(s.l2))"
                + (s.selection.method == SegmentModels.Selection.crossValidation
                    ? ", chosen by \(s.selection.folds ?? 0)-fold cross-validation (seed \(s.selection.seed.map(String.init) ?? "?")) as the smallest out-of-fold deviance:"
                    : ", as given (\(OptionKey.segmentL2.mention))."))
        if let candidates = s.selection.deviances {
            var rows = candidates.map { c in
                [ModelNumber.text(c.l2), fixed(c.deviance, 1), c.l2 == s.l2 ? "chosen" : ""]
            }
            if let global = s.selection.globalDeviance {
                let best = candidates.map(\.deviance).min() ?? .infinity
                rows.append(["global model alone", fixed(global, 1), global <= best ? "no λ does better" : ""])
            }
            out.append(TextTable.render(["λ", "out-of-fold deviance", ""], rows, rightAligned: [0, 1]))
        }
        out.append("")
        out.append("Segments (training rows; a model of its own needs at least \(grouped(s.minConversions)) won and \(grouped(s.minConversions)) lost deals, \(OptionKey.minConversions.mention)):")
        out.append(
            TextTable.render(
                ["segment", "rows", "won", "model"],
                s.segments.map { x in
                    let lost = x.rows - x.conversions
                    let model: String
                    if x.hasModel {
                        model = "own" + (x.converged == false ? ", did not converge" : "") + (x.iterations.map { " (\($0) Newton iterations)" } ?? "")
                    } else {
                        let short = x.conversions < s.minConversions ? "\(grouped(x.conversions)) won" : "\(grouped(lost)) lost"
                        model = "global: \(short), below \(grouped(s.minConversions))"
                    }
                    return [x.value, grouped(x.rows), grouped(x.conversions), model]
                } + [["(missing or not seen in training)", "", "", "global"]],
                rightAligned: [1, 2]))
        for x in s.segments {
            guard let b = x.intercept, let differences = segmentDifferences(m, x) else { continue }
            let negligible = differences.filter { abs($0.difference) < negligibleSegmentDifference }.count
            let shown = differences.prefix(segmentDifferencesShown).filter { abs($0.difference) >= negligibleSegmentDifference }
            let threshold = ModelNumber.text(negligibleSegmentDifference)
            out.append("")
            out.append(
                "\"\(x.value)\": its model minus the global model (log-odds; per SD for numbers): \(differences.count - negligible) of \(differences.count) coefficients differ by \(threshold) or more"
                    + (shown.isEmpty ? "" : ", the largest \(shown.count) listed") + "; \(negligible) by less:")
            let rows = [SegmentDifference(name: "(intercept)", segment: b, global: m.intercept.coefficient)] + shown
            out.append(
                TextTable.render(
                    ["feature", "segment", "global", "difference"],
                    rows.map { [$0.name, ModelNumber.signed($0.segment, 3), ModelNumber.signed($0.global, 3), ModelNumber.signed($0.difference, 3)] },
                    rightAligned: [1, 2, 3]))
        }
        return out
    }

    /// One line for `train`'s summary: each segment with a model of its
    /// own and its three largest differences from the global model; nil
    /// for a card without segment models.
    static func segmentsLine(_ m: ModelCard) -> String? {
        guard let s = m.segments else { return nil }
        let parts = s.modelled.compactMap { x in
            segmentDifferences(m, x).map { d in
                "\"\(x.value)\" " + d.prefix(3).map { "\($0.name) \(ModelNumber.signed($0.difference, 2))" }.joined(separator: ", ")
            }
        }
        guard !parts.isEmpty else { return nil }
        return "Segment models, largest differences from the global model (log-odds; per SD for numbers): \(parts.joined(separator: "; "))."
    }

    /// A segment's coefficient against the global model's.
    struct SegmentDifference {
        var name: String
        var segment: Double
        var global: Double
        /// β_s − β_g.
        var difference: Double { segment - global }
    }

    /// Every coefficient of segment `x` against the global model's, the
    /// largest |β_s − β_g| first (ties by name); nil for a segment without
    /// a model of its own.
    static func segmentDifferences(_ m: ModelCard, _ x: SegmentModels.Segment) -> [SegmentDifference]? {
        guard let beta = x.coefficients else { return nil }
        return zip(m.features, beta).map { SegmentDifference(name: $0.name, segment: $1, global: $0.coefficient) }
            .sorted { abs($0.difference) != abs($1.difference) ? abs($0.difference) > abs($1.difference) : $0.name < $1.name }
    }
}
