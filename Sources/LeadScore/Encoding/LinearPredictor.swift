/// The log-odds of winning for a lead: the one definition, used by every
/// road a lead takes (the training and holdout metrics of the model card,
/// validation, `evaluate`, `score`, the points export).
///
///     η = b + Σ_j β_j x_j
///
/// b the intercept, β the coefficients and x the lead's encoded features
/// (`FeatureEncoder`), the terms added one at a time in feature order to a
/// sum that starts at b (at +0 when b is a zero of either sign). The
/// probability of winning is σ(η) (`sigmoid`).
///
/// Terms with x_j = 0 may be left out: such a term is ±0, and adding ±0
/// leaves a sum unchanged unless the sum is −0, which this one never is (it
/// starts at +0 or a nonzero b, and a sum that cancels to zero is +0 under
/// round-to-nearest). So the row encoders add a category's one active level
/// instead of all its levels, and every road gives the same η, bit for bit,
/// for the same features.
///
/// A column's contribution to η (what reasons show) is the same sum over
/// the column's features, starting at +0; so is a group's part of η, the
/// fit part F or the engagement part E of a model with groups
/// (`FitEngagement.swift`): the terms of the group's features, in feature
/// order, from +0. `restricted(to:)` gives that sum as a predictor of its
/// own: its other coefficients are 0, and a term 0 · x is ±0, which leaves
/// the sum unchanged (as above), so it equals the running sum over the
/// group's terms alone bit for bit.
public struct LinearPredictor: Sendable {
    public let intercept: Double
    /// β, in feature order.
    public let coefficients: [Double]

    public init(intercept: Double, coefficients: [Double]) {
        // +0 for a zero intercept of either sign (see above).
        self.intercept = intercept + 0
        self.coefficients = coefficients
    }

    /// The part of η over the features where `included` is true: intercept
    /// 0 and β_j for those features, 0 for the others (see above).
    public func restricted(to included: [Bool]) -> LinearPredictor {
        precondition(included.count == coefficients.count, "LinearPredictor: \(included.count) flags for \(coefficients.count) coefficients")
        return LinearPredictor(intercept: 0, coefficients: zip(coefficients, included).map { $1 ? $0 : 0 })
    }

    /// Adds the term β · x to `eta`: the one step of every sum of the
    /// log-odds and of every column's contribution.
    @inline(__always)
    public static func add(_ beta: Double, _ x: Double, to eta: inout Double) {
        eta += beta * x
    }

    /// η of the lead whose features (`coefficients.count` of them) start at `x`.
    public func logOdds(features x: UnsafePointer<Double>) -> Double {
        var eta = intercept
        coefficients.withUnsafeBufferPointer { beta in
            for j in 0..<beta.count { LinearPredictor.add(beta[j], x[j], to: &eta) }
        }
        return eta
    }

    public func logOdds(features x: [Double]) -> Double {
        precondition(x.count == coefficients.count, "LinearPredictor: \(x.count) features for \(coefficients.count) coefficients")
        return x.withUnsafeBufferPointer { $0.baseAddress.map(logOdds(features:)) ?? intercept }
    }

    /// η of `count` leads whose features are consecutive rows of
    /// `coefficients.count` values from `x`, into `out`: `logOdds(features:)`
    /// of each row, with the coefficients' buffer taken once.
    public func logOdds(rows x: UnsafePointer<Double>, count: Int, into out: UnsafeMutablePointer<Double>) {
        let p = coefficients.count
        coefficients.withUnsafeBufferPointer { beta in
            for i in 0..<count {
                let row = x + i * p
                var eta = intercept
                for j in 0..<p { LinearPredictor.add(beta[j], row[j], to: &eta) }
                out[i] = eta
            }
        }
    }
}

extension LinearPredictor {
    /// η of every row of the design `x` (`logOdds(rows:count:into:)` of
    /// each), its rows split between two threads
    /// (`DesignSource.forEachRowInHalves`): the same sums whatever the
    /// split. Throws only when a streamed design cannot be read.
    public func logOdds<S: DesignSource>(design x: S) throws(InputError) -> [Double] {
        precondition(x.columns == coefficients.count, "LinearPredictor: \(x.columns) features for \(coefficients.count) coefficients")
        var eta = [Double](repeating: intercept, count: x.rows)
        guard x.columns > 0, x.rows > 0 else { return eta }
        try eta.withUnsafeMutableBufferPointer { (out: inout UnsafeMutableBufferPointer<Double>) throws(InputError) in
            let target = UncheckedSendable(out.baseAddress!)
            try x.forEachRowInHalves { values, first, count, _ in
                self.logOdds(rows: values, count: count, into: target.value + first)
            }
        }
        return eta
    }
}
