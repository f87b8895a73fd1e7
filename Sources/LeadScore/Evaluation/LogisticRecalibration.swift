import Foundation

// Calibration-in-the-large and slope (Cox 1958; Van Calster et al. 2016,
// 2019). With ℓ_i = logit(clip(p_i, 1e-15, 1 − 1e-15)) = log(q/(1 − q)):
// - `calibrationInTheLarge` = ȳ − p̄: positive means the model predicts too
//   few wins overall, negative too many.
// - `LogisticRecalibration.offsetIntercept`, the calibration intercept: a in
//   logit P(y = 1) = a + ℓ_i (ℓ as an offset, slope fixed at 1), by maximum
//   likelihood (a safeguarded Newton iteration on the score equation
//   Σ y_i = Σ σ(a + ℓ_i)). It is 0 for a model calibrated in the large on
//   the logit scale; statsmodels `Logit(y, 1, offset=ℓ)`.
// - `LogisticRecalibration.slope` (and `intercept`): b and a′ in
//   logit P(y = 1) = a′ + b·ℓ_i, the unpenalised logistic regression of y on
//   ℓ with an intercept (LogisticRegression.fit with l2 = 0; statsmodels
//   `Logit(y, [1, ℓ])`). b = 1 is ideal; b < 1 means the predictions are too
//   extreme (over-fitting), b > 1 too modest. `slopeStandardError` is its
//   Wald standard error.
// All three are NaN when undefined: one class absent, constant p (the slope
// model is collinear), separation of the classes by p, or a fit that did
// not converge.

/// Logistic recalibration of probabilities on their logit scale.
public struct LogisticRecalibration: Codable, Sendable, Equatable {
    /// a in logit P(y=1) = a + logit(p): the calibration intercept (slope fixed at 1).
    public var offsetIntercept: Double
    /// a′ in logit P(y=1) = a′ + b·logit(p).
    public var intercept: Double
    /// b in logit P(y=1) = a′ + b·logit(p): the calibration slope.
    public var slope: Double
    /// Wald standard error of b.
    public var slopeStandardError: Double

    /// Probabilities are clipped to [1e-15, 1 − 1e-15] before the logit.
    public static let clip = 1e-15

    static let undefined = LogisticRecalibration(offsetIntercept: .nan, intercept: .nan, slope: .nan, slopeStandardError: .nan)

    public static func fit(labels: [Double], probabilities p: [Double]) -> LogisticRecalibration {
        precondition(labels.count == p.count, "Calibration: \(labels.count) labels for \(p.count) probabilities")
        guard CalibrationSupport.areProbabilities(p) else { return .undefined }
        let y = CalibrationSupport.binary(labels)
        let logits = p.map { v -> Double in
            let q = min(max(v, clip), 1 - clip)
            return log(q / (1 - q))
        }
        var out = LogisticRecalibration.undefined
        out.offsetIntercept = offsetIntercept(labels: y, offsets: logits)
        // A constant logit is collinear with the intercept: no slope.
        guard let first = logits.first, logits.contains(where: { $0 != first }) else { return out }
        if let fit = try? LogisticRegression.fit(
            design: DenseMatrix(rows: y.count, columns: 1, values: logits), labels: y, options: SolverOptions(l2: 0)),
            fit.converged
        {
            out.intercept = fit.intercept
            out.slope = fit.coefficients[0]
            out.slopeStandardError = fit.standardErrors[0]
        }
        return out
    }

    /// The maximum-likelihood a with Σ y_i = Σ σ(a + o_i): Newton steps on
    /// the (decreasing) score g(a) = Σ (y_i − σ(a + o_i)), kept inside a
    /// bracket [lo, hi] with g(lo) > 0 > g(hi) and replaced by bisection (or
    /// by doubling while the bracket is open) when they leave it. NaN when
    /// no root exists (one class, or no rows).
    static func offsetIntercept(labels y: [Double], offsets o: [Double]) -> Double {
        let won = y.reduce(0, +)
        guard won > 0, won < Double(y.count) else { return .nan }
        var lo = -Double.infinity, hi = Double.infinity
        var a = 0.0
        for _ in 0..<200 {
            var g = 0.0, h = 0.0
            for i in y.indices {
                let mu = sigmoid(a + o[i])
                g += y[i] - mu
                h += mu * (1 - mu)
            }
            if g == 0 { return a }
            if g > 0 { lo = a } else { hi = a }
            var next = h > 0 ? a + g / h : .nan
            if !(next > lo && next < hi) {
                if lo.isFinite && hi.isFinite {
                    next = lo + (hi - lo) / 2
                } else {
                    next = g > 0 ? a + max(1, 2 * abs(a)) : a - max(1, 2 * abs(a))
                }
            }
            if abs(next - a) <= 4 * Double.ulpOfOne * max(1, abs(a)) { return next }
            a = next
        }
        return a
    }
}
