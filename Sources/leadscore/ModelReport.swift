import Foundation
import LeadScore

/// Text reports of models and metrics for the terminal.
enum ModelReport {
    static func trainingSummary(_ m: ModelCard, path: String) -> String {
        let t = m.training
        var lines: [String] = []
        for n in t.notices { lines.append("note: " + n) }
        lines.append(
            "Trained on \(Terminal.grouped(t.rows)) rows of \(t.source.file) (\(Terminal.grouped(t.positives)) won, base rate \(pct(t.baseRate))); \(m.features.count) features from \(m.schema.encoders.columns.count) columns.")
        let s = t.solver
        lines.append(
            "Solver: \(s.converged ? "converged" : "DID NOT CONVERGE (\(s.stopReason.rawValue))") in \(s.iterations) Newton iterations, final gradient norm \(sci(s.gradientNorm)) (tolerance \(sci(s.gradientTolerance))).")
        lines.append(metricsLine("Training", m.metrics.training))
        if let h = m.metrics.holdout { lines.append(metricsLine(t.source.validationFile.map { "Validation (\($0))" } ?? "Holdout", h)) }
        if let cv = m.metrics.crossValidation {
            lines.append(
                "Cross-validation, \(cv.folds.count) folds: AUC \(f(cv.meanAUC, 4)) ± \(f(cv.sdAUC, 4)), log loss \(f(cv.meanLogLoss, 4)) ± \(f(cv.sdLogLoss, 4)), Brier \(f(cv.meanBrier, 4)) ± \(f(cv.sdBrier, 4)) (mean ± SD).")
        }
        lines.append("Model written to \(path).")
        return lines.joined(separator: "\n")
    }

    static func metricsLine(_ label: String, _ b: BinaryMetrics) -> String {
        "\(label): \(Terminal.grouped(b.rows)) rows, AUC \(f(b.auc, 4)), log loss \(f(b.logLoss, 4)), Brier \(f(b.brier, 4))."
    }

    /// The decile calibration and lift table.
    static func decileTable(_ b: BinaryMetrics) -> String {
        let rows = b.deciles.map { d in
            [
                String(d.decile), Terminal.grouped(d.count), Terminal.grouped(d.positives), f(d.minPredicted, 3) + "–" + f(d.maxPredicted, 3),
                f(d.meanPredicted, 3), f(d.observedRate, 3), f(d.lift, 2), pct(d.cumulativeGain), f(d.cumulativeLift, 2),
            ]
        }
        return Terminal.table(
            ["decile", "leads", "won", "predicted range", "mean predicted", "observed rate", "lift", "cum. gain", "cum. lift"], rows,
            rightAligned: Set(0...8))
    }

    static func f(_ v: Double, _ digits: Int) -> String { ModelNumber.fixed(v, digits) }
    static func pct(_ v: Double) -> String { ModelNumber.fixed(100 * v, 1) + "%" }
    static func sci(_ v: Double) -> String {
        guard v > 0, v.isFinite else { return v.description }
        let e = Int(log10(v).rounded(.down))
        return ModelNumber.fixed(v / pow(10, Double(e)), 1) + "e" + String(e)
    }
}
