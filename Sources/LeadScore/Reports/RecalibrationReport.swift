import Foundation

/// A recalibration (`ModelCard.Calibration`) as text for a terminal: what
/// `recalibrate` prints and `inspect` shows of a recalibrated card.
public enum RecalibrationReport {
    /// What `recalibrate` prints once the card is written to `path`.
    public static func summary(_ result: Recalibration.Result, modelName: String, path: String) -> String {
        guard let c = result.card.calibration else { return "Model written to \(path)." }
        var lines = result.notes.map { "note: " + $0 }
        let d = c.data
        lines.append(
            "Recalibrated \(modelName) on \(ModelNumber.grouped(d.rows)) deals of \(d.file) (\(ModelNumber.grouped(d.positives)) won, \(ModelNumber.percent(Double(d.positives) / Double(d.rows))))"
                + (d.excludedRows > 0 ? "; \(ModelNumber.grouped(d.excludedRows)) rows without a won or lost outcome left out." : "."))
        let why =
            result.methodWasDefault
            ? " (the default for \(c.method == .intercept ? "fewer than" : "at least") \(Recalibration.logisticMinimumPerClass) deals of the smaller class; choose with \(OptionKey.calibrationMethod.mention))"
            : ""
        lines.append("Method: \(c.method.rawValue)\(why): p = \(c.formula).")
        lines.append(table(c))
        lines.append("Model written to \(path).")
        return lines.joined(separator: "\n")
    }

    /// The before, after and cross-validated figures, one row each, with
    /// 95% intervals.
    public static func table(_ c: ModelCard.Calibration) -> String {
        func interval(_ e: ModelCard.Calibration.Estimate?, _ digits: Int, signed: Bool) -> String {
            guard let e else { return "undefined" }
            func f(_ v: Double) -> String { signed ? ModelNumber.signed(v, digits) : ModelNumber.fixed(v, digits) }
            return "\(f(e.value)) [\(f(e.lower)), \(f(e.upper))]"
        }
        var rows: [(String, ModelCard.Calibration.Figures)] = [("before", c.before), ("after (in sample)", c.after)]
        if let cv = c.crossValidated { rows.append(("after (\(c.crossValidationFolds)-fold cross-validated)", cv)) }
        let body = rows.map { name, f in
            [
                name, ModelNumber.grouped(f.rows), ModelNumber.fixed(f.meanPredicted, 3), ModelNumber.fixed(f.observedRate, 3),
                interval(f.calibrationInTheLarge, 3, signed: true), interval(f.calibrationIntercept, 3, signed: true),
                interval(f.calibrationSlope, 3, signed: false), ModelNumber.fixed(f.eceWidth, 4), ModelNumber.fixed(f.brier, 4),
                ModelNumber.fixed(f.logLoss, 4),
            ]
        }
        return TextTable.render(
            ["on \(c.data.file)", "deals", "mean predicted", "observed", "calibration-in-the-large", "cal. intercept", "cal. slope", "ECE", "Brier", "log loss"],
            body, rightAligned: [1, 2, 3, 7, 8, 9])
            + "\n(95% intervals; calibration-in-the-large = observed − mean predicted, 0 when calibrated; cal. intercept a and slope b of logit P = a + b·logit p, 0 and 1 when calibrated; ECE over 10 equal-width bins.)"
    }

    /// One line for `inspect` and `train`: how the card's probabilities
    /// are made.
    public static func line(_ c: ModelCard.Calibration) -> String {
        let cv = c.crossValidated.map { ", cross-validated \(ModelNumber.signed($0.calibrationInTheLarge.value, 3)), slope \($0.calibrationSlope.map { ModelNumber.fixed($0.value, 2) } ?? "undefined")" } ?? ""
        return "Recalibrated on \(c.date) (\(c.method.rawValue)) on \(ModelNumber.grouped(c.data.rows)) deals of \(c.data.file) (SHA-256 \(c.data.sha256.prefix(16))…): p = \(c.formula). Calibration-in-the-large there \(ModelNumber.signed(c.before.calibrationInTheLarge.value, 3)) before, slope \(c.before.calibrationSlope.map { ModelNumber.fixed($0.value, 2) } ?? "undefined")\(cv); the metrics below are those of the model as trained."
    }
}
