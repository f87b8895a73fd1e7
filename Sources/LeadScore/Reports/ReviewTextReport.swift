import Foundation

/// The review as terminal text: the same numbers as its JSON.
public enum ReviewTextReport {
    public static func render(_ r: ReviewReport) -> String {
        var out: [String] = []
        out.append(
            "Review of \(r.model) (trained \(r.trainedOn)) against \(ModelNumber.grouped(r.rows)) closed deals of \(r.file) "
                + "(\(ModelNumber.grouped(r.positives)) won, \(ModelNumber.percent(Double(r.positives) / Double(max(r.rows, 1)))))"
                + (r.excludedRows > 0 ? "; \(ModelNumber.grouped(r.excludedRows)) without an outcome left out" : "") + ".")
        out.append("")
        out.append("Expected against observed conversions per tier (z = (observed − expected) / √Σ p(1 − p)):")
        out.append(
            TextTable.render(
                ["tier", "leads", "expected", "observed", "expected rate", "observed rate", "95% interval", "z"],
                r.tiers.map { t in
                    [
                        t.name, ModelNumber.grouped(t.leads), ModelNumber.fixed(t.expected, 1), ModelNumber.grouped(t.observed),
                        ModelNumber.percent(t.expectedRate), ModelNumber.percent(t.observedRate),
                        t.leads > 0 ? "[\(ModelNumber.percent(t.observedRateInterval[0])), \(ModelNumber.percent(t.observedRateInterval[1]))]" : "",
                        t.z.isFinite ? ModelNumber.signed(t.z, 2) : "—",
                    ]
                }, rightAligned: Set(1...7)))
        let c = r.calibration, k = r.ranking
        out.append("")
        out.append(
            "Calibration: the deals converted at \(ModelNumber.percent(c.observedRate)) where the model expected \(ModelNumber.percent(c.meanPredicted)); "
                + "calibration-in-the-large \(ModelNumber.signed(c.inTheLarge, 3)) [\(ModelNumber.signed(c.inTheLargeInterval[0], 3)), \(ModelNumber.signed(c.inTheLargeInterval[1], 3))], "
                + "slope \(ModelNumber.fixed(c.slope, 2)) [\(ModelNumber.fixed(c.slopeInterval[0], 2)), \(ModelNumber.fixed(c.slopeInterval[1], 2))] (1 is ideal).")
        out.append(
            "Ranking: AUC \(ModelNumber.fixed(k.aucNow, 3)) [\(ModelNumber.fixed(k.aucNowInterval[0], 3)), \(ModelNumber.fixed(k.aucNowInterval[1], 3))] now, "
                + "against \(ModelNumber.fixed(k.aucThen, 3)) ± \(ModelNumber.fixed(DeLong.z95 * k.aucThenStandardError, 3)) \(k.aucThenSource); "
                + "difference \(ModelNumber.signed(k.difference, 3)), one-sided p of a fall \(ModelNumber.fixed(k.pFall, 4)).")
        if let drift = r.drift, let score = drift.first {
            let moved = drift.dropFirst().filter { $0.verdict != "stable" }.sorted { $0.psi > $1.psi }
            out.append(
                "Drift: the score's PSI is \(ModelNumber.fixed(score.psi, 3)) (\(score.verdict)); "
                    + (moved.isEmpty
                        ? "every input column is stable."
                        : moved.map { "\($0.name) \(ModelNumber.fixed($0.psi, 2)) (\($0.verdict))" }.joined(separator: ", ") + "; the other columns are stable."))
        } else {
            out.append("Drift: not measured; the model card has no training profile (retrain with this version of LeadScore to keep one).")
        }
        out.append("")
        let verdict: String
        switch r.action {
        case .keep: verdict = "keep the model"
        case .recalibrateIntercept: verdict = "recalibrate (intercept)"
        case .recalibrateLogistic: verdict = "recalibrate (logistic: intercept and slope)"
        case .retrain: verdict = "retrain"
        }
        out.append("Recommendation: \(verdict): " + r.reasons.joined(separator: " "))
        return out.joined(separator: "\n")
    }
}
