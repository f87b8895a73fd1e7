import Foundation

/// The penalty of a card (`ModelCard.Penalty`) as text and as an HTML page:
/// its kind, λ and α, and the cross-validation curve that chose them.
extension ModelCardReport {
    /// One line for `train`'s summary; nil for a plain L2 card.
    static func penaltyLine(_ m: ModelCard) -> String? {
        guard let p = m.training.penalty else { return nil }
        let kept = m.features.filter { $0.coefficient != 0 }.count
        var line = "Penalty: \(p.summary)"
        if let s = p.selection {
            line += ", chosen by \(s.folds)-fold cross-validation (\(s.metric.rawValue), rule \(s.rule.rawValue); the best mean at λ = \(ModelNumber.significant(s.lambdaAtMinimum)))"
        }
        return line + "; \(kept) of \(m.features.count) features kept."
    }

    /// The section of `inspect` on the cross-validation of the penalty: the
    /// curve of the chosen α (λ, the metric's mean and standard error over
    /// the folds, the mean number of nonzero coefficients; the chosen point
    /// and the best marked), and each other α's best point. nil for a card
    /// whose penalty was given.
    static func penaltySection(_ m: ModelCard) -> [String]? {
        guard let p = m.training.penalty, let s = p.selection else { return nil }
        let chosen = s.path[s.chosen]
        let metric = s.metric == .auc ? "AUC" : "deviance"
        var out: [String] = []
        out.append(
            "Penalty chosen by \(s.folds)-fold stratified cross-validation on the training rows (seed \(s.seed)): \(p.summary) by \(s.rule == .min ? "the best mean \(metric)" : "the largest λ within one standard error of the best mean \(metric)") (\(OptionKey.cvRule.mention) \(s.rule.rawValue)). \(metric == "AUC" ? "AUC: the mean over the folds" : "Deviance: Σ s·ℓ over the held-out rows / their weight"); SE: the folds' SD / √\(s.folds).")
        let rows = s.path.indices.filter { s.path[$0].l1Ratio == chosen.l1Ratio }.map { i in
            let q = s.path[i]
            let mark = [i == s.chosen ? "chosen" : nil, i == s.minimum ? "best" : nil].compactMap { $0 }.joined(separator: ", ")
            return [ModelNumber.significant(q.lambda), fixed(q.mean, 5), fixed(q.standardError, 5), fixed(q.nonzeros, 1), mark]
        }
        out.append(TextTable.render(["λ", metric, "SE", "nonzeros", ""], rows, rightAligned: [0, 1, 2, 3]))
        let others = Set(s.path.map(\.l1Ratio)).subtracting([chosen.l1Ratio]).sorted()
        for alpha in others {
            let points = s.path.filter { $0.l1Ratio == alpha }
            let best = s.metric == .auc ? points.max { $0.mean < $1.mean }! : points.min { $0.mean < $1.mean }!
            out.append("α = \(ModelNumber.text(alpha)): best \(metric) \(fixed(best.mean, 5)) ± \(fixed(best.standardError, 5)) at λ = \(ModelNumber.significant(best.lambda)).")
        }
        return out
    }

    /// The cross-validation curve of the chosen α as SVG; nil without one.
    static func penaltyChart(_ m: ModelCard) -> String? {
        guard let s = m.training.penalty?.selection else { return nil }
        let chosen = s.path[s.chosen], best = s.path[s.minimum]
        let points = s.path.filter { $0.l1Ratio == chosen.l1Ratio && $0.lambda > 0 }
        guard points.count > 1 else { return nil }
        let xs = points.map { log10($0.lambda) }
        let lows = points.map { $0.mean - $0.standardError }, highs = points.map { $0.mean + $0.standardError }
        let (x0, x1) = (xs.min()!.rounded(.down), xs.max()!.rounded(.up))
        let (y0, y1) = (lows.min()!, highs.max()!)
        let pad = (y1 - y0) * 0.05 + 1e-12
        let metric = s.metric == .auc ? "mean AUC over the folds" : "mean out-of-fold deviance"
        let xAxis = SVGChart.Axis(title: "λ (log scale)", lower: x0, upper: x1, ticks: Array(stride(from: x0, through: x1, by: 1))) {
            let v = pow(10, $0)
            return v >= 1 ? ModelNumber.text(v.rounded()) : ModelNumber.significant(v, 3)
        }
        var yAxis = SVGChart.Axis.nice(title: metric, lower: y0 - pad, maximum: y1 + pad, count: 5)
        yAxis.lower = y0 - pad
        var chart = SVGChart(id: "penalty-cv", width: 720, plotHeight: 300, x: xAxis, y: yAxis, accessibleName: "Cross-validated \(metric) against λ")
        let band = SVGChart.Style(colour: HTMLReport.referenceColour, dash: "4 3", width: 1)
        chart.line(zip(xs, lows).map { ($0, $1) }, style: band, name: "mean − SE")
        chart.line(zip(xs, highs).map { ($0, $1) }, style: band, name: "mean + SE")
        for (x, (lo, hi)) in zip(xs, zip(lows, highs)) { chart.intervalBar(x: x, lower: lo, upper: hi, style: band, cap: 2) }
        let curve = SVGChart.Style(colour: HTMLReport.wonColour, width: 2, marker: .circle)
        chart.line(zip(xs, points.map(\.mean)).map { ($0, $1) }, style: curve, name: metric)
        let chosenStyle = SVGChart.Style(colour: HTMLReport.lostColour, dash: nil, width: 2)
        let bestStyle = SVGChart.Style(colour: HTMLReport.referenceColour, dash: "2 3", width: 1.5)
        chart.reference(from: (log10(chosen.lambda), yAxis.lower), to: (log10(chosen.lambda), yAxis.upper), style: chosenStyle)
        if s.minimum != s.chosen && best.l1Ratio == chosen.l1Ratio {
            chart.reference(from: (log10(best.lambda), yAxis.lower), to: (log10(best.lambda), yAxis.upper), style: bestStyle)
        }
        return chart.render(legend: [
            .init(label: metric, sample: .line(curve)), .init(label: "± 1 SE", sample: .line(band)),
            .init(label: "chosen λ = \(ModelNumber.significant(chosen.lambda))", sample: .line(chosenStyle)),
        ] + (s.minimum != s.chosen ? [.init(label: "best λ = \(ModelNumber.significant(best.lambda))", sample: .line(bestStyle))] : []))
    }
}
