import Foundation

/// The shape of a spline column's effect (`NaturalSpline`): its
/// contribution to the log-odds across the training values, relative to
/// its contribution at the column's median, with a 95% Wald band.
///
/// At a value v (as read, before log1p), with b(v) the column's value
/// features (x and C₁ … C_{K−2}, standardised, `NumericEncoder.encode`)
/// and β their coefficients:
///
///     f(v) = βᵀ (b(v) − b(median)),   SE(v) = √( gᵀ Σ g ),  g = b(v) − b(median)
///
/// Σ the (K−1)×(K−1) covariance of β the spline carries (the inverse
/// Hessian's block; penalised when the model is). The band is
/// f ± 1.959964·SE. The curve does not depend on the basis: an
/// unpenalised fit gives the same f and SE in any basis of the same
/// natural splines.
///
/// A monotone spline (`NaturalSpline.monotone`): b(v) are its ramps, and
/// the curve is piecewise linear, flat beyond the outer knots. A ramp
/// coefficient held at its bound 0 has no Wald standard error (its
/// sampling distribution has an atom at 0); the solver's covariance has
/// zero rows and columns for it (`LogisticRegression+CoordinateDescent`),
/// so the band is that of the free coefficients with the held ones fixed
/// at 0: conditional on which pieces are flat, too narrow, and of zero
/// width over a run of flat pieces around the median. The reports say so
/// (`monotoneBandNote`).
public struct SplineCurve: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        /// The column's value (days ago for a date column).
        public var value: Double
        /// The training quantile the value is at (0 … 1).
        public var quantile: Double
        /// f(v), log-odds relative to the median.
        public var logOdds: Double
        /// SE(v); nil when the card has no covariance.
        public var standardError: Double?
        public var lower95: Double? { standardError.map { logOdds - CoefficientSummary.z975 * $0 } }
        public var upper95: Double? { standardError.map { logOdds + CoefficientSummary.z975 * $0 } }
    }

    /// The column, and the name of its value feature ("Created (days ago)"
    /// for a date).
    public var column: String
    public var feature: String
    /// The column's encoder and the coefficients of its value features (x,
    /// then the C_j).
    public var encoder: NumericEncoder
    public var coefficients: [Double]
    /// At the training quantiles 0, 0.1, …, 1 (`NaturalSpline.quantiles`).
    public var points: [Point]

    /// The reports' sentence on a monotone curve's band.
    public static let monotoneBandNote =
        "Monotone: piecewise linear between the knots, flat beyond the outer ones; a piece whose slope is held at 0 has no standard error, so the band is that of the other pieces with the flat ones fixed, too narrow."

    /// "natural cubic", or "monotone (increasing) piecewise linear".
    public var shape: String { encoder.spline?.monotone.map { "monotone (\($0.rawValue)) piecewise linear" } ?? "natural cubic" }

    public var median: Double { encoder.median }
    public var knots: [Double] { encoder.spline?.knots ?? [] }

    init(column: String, feature: String, encoder: NumericEncoder, coefficients: [Double]) {
        self.column = column
        self.feature = feature
        self.encoder = encoder
        self.coefficients = coefficients
        let q = encoder.spline?.quantiles ?? []
        points = []
        points = q.enumerated().map { i, v in point(at: v, quantile: Double(i) / Double(max(q.count - 1, 1))) }
    }

    /// f and SE at `value` (as read), which lies at training `quantile`
    /// (NaN when not known).
    public func point(at value: Double, quantile: Double = .nan) -> Point {
        let m = encoder.valueFeatureCount
        var at = [Double](repeating: 0, count: encoder.featureCount), mid = at
        at.withUnsafeMutableBufferPointer { encoder.encode(value, into: $0.baseAddress!) }
        mid.withUnsafeMutableBufferPointer { encoder.encode(encoder.median, into: $0.baseAddress!) }
        let g = (0..<m).map { at[$0] - mid[$0] }
        var f = 0.0
        for (gj, bj) in zip(g, coefficients) { f += bj * gj }
        let se = encoder.spline?.covariance.map { c in
            var v = 0.0
            for i in 0..<m { for j in 0..<m { v += g[i] * c[i * m + j] * g[j] } }
            return max(v, 0).squareRoot()
        }
        return Point(value: value, quantile: quantile, logOdds: f, standardError: se)
    }
}

extension ModelCard {
    /// The curve of each spline column, in encoder order (the global
    /// model's coefficients for a card with segment models).
    public var splineCurves: [SplineCurve] {
        let offsets = schema.encoders.offsets
        let beta = coefficients
        return schema.numericEncoders.compactMap { k, e in
            guard e.spline != nil else { return nil }
            let o = offsets[k]
            let column = schema.encoders.columns[k]
            return SplineCurve(column: column.column, feature: column.featureNames[0], encoder: e, coefficients: Array(beta[o..<(o + e.valueFeatureCount)]))
        }
    }
}
