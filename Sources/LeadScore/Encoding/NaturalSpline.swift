import Foundation

/// A natural (restricted) cubic spline of a numeric column: the part of a
/// `NumericEncoder` that lets the column's effect on the log-odds bend.
///
/// Basis. Knots t₁ < … < t_K on the column's transformed scale (after
/// median imputation and log1p, when asked). The features are x itself and,
/// for j = 1 … K−2, in the truncated-power form of Stone & Koo (1985) as
/// Harrell writes it (Regression Modeling Strategies, 2nd ed., §2.4.5;
/// `rms::rcs`, `Hmisc::rcspline.eval` with `norm = 2`):
///
///     C_j(x) = [ (x−t_j)₊³
///                − (x−t_{K−1})₊³ · (t_K−t_j)/(t_K−t_{K−1})
///                + (x−t_K)₊³   · (t_{K−1}−t_j)/(t_K−t_{K−1}) ] / (t_K−t₁)²
///
/// with u₊ = max(u, 0). Each C_j is cubic between the knots and linear
/// beyond t_K (the cubic and quadratic terms cancel there), and 0 below t₁,
/// so the fitted curve β₀·x + Σ β_j·C_j(x) is linear beyond both boundary
/// knots: K knots give K−1 features. The cube is written as u·u·u, the
/// same three multiplications the SQL export writes. Each of the K−1
/// features is then standardised with its training mean and population
/// standard deviation (x with `NumericEncoder.mean` and
/// `.standardDeviation`, C_j with `means[j]` and `standardDeviations[j]`),
/// as every numeric feature is.
///
/// Knots (`knots(sorted:count:)`): Harrell's default quantiles of the
/// present training values (missing values are not counted), the
/// `rcspline.eval` defaults, K equally spaced probabilities from an outer
/// one to its complement: outer 0.10 for K = 3, 0.05 for K = 4 to 6, 0.025
/// for K = 7 (K = 5: 0.05, 0.275, 0.5, 0.725, 0.95). Quantiles are numpy's
/// default (linear interpolation, Hyndman and Fan's definition 7):
/// h = (n−1)·p, Q(p) = x₍⌊h⌋₎ + (h−⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎) on the sorted
/// values, 0-based.
///
/// The same column always gets the same spline, and the spline's
/// contribution to a lead's log-odds is the sum of its features' terms, so
/// a reason names the column and its value as for any numeric column.
///
/// Monotone (`monotone`, `train --monotone COLUMN:increasing`). A cubic
/// spline's shape is not monotone for any simple sign pattern of its
/// coefficients, so a monotone column gets, over the same knots, ramps
/// instead of x and the C_j:
///
///     r_j(x) = min(max(x − t_j, 0), t_{j+1} − t_j),   j = 1 … K−1
///
/// (K−1 features, as before), each standardised with its training mean and
/// population standard deviation (`means[j]`, `standardDeviations[j]`, K−1
/// of each; the encoder's own mean and SD of x are not used). The curve
/// f(x) = Σ β_j (r_j(x) − m_j)/s_j is continuous and piecewise linear, with
/// slope β_j/s_j between t_j and t_{j+1}, and flat below t₁ and beyond t_K
/// (every ramp is constant there). Each r_j is nondecreasing in x and
/// s_j > 0, so f is nondecreasing when every β_j ≥ 0 and nonincreasing when
/// every β_j ≤ 0; conversely, each slope β_j/s_j is f's on a piece of
/// positive width, so these sign conditions are exactly the monotone
/// curves of this basis. The value x is the transformed one (log1p is
/// increasing, so the direction holds in the value as read).
///
/// Enforcement: the trainer gives the solver the bounds β_j ≥ 0
/// (increasing) or β_j ≤ 0 (decreasing) on the column's features
/// (`FeatureEncoder.coefficientBounds`), and the coordinate-descent solver
/// (`LogisticRegression+CoordinateDescent.swift`) keeps every iterate
/// within them exactly: each coordinate's update is clipped to its
/// interval, and a line-search step is a convex combination of two points
/// within the bounds, so the fitted β satisfies them with no tolerance. At
/// its optimum the bounded KKT conditions hold: with g the gradient of the
/// penalised loss, g_j = 0 for a β_j strictly inside its interval, and
/// g_j ≥ 0 for a β_j held at the lower bound 0 (g_j ≤ 0 at an upper bound
/// 0): moving it into the interval would not lower the objective. A β_j
/// held at 0 makes that piece of the curve flat.
public struct NaturalSpline: Codable, Sendable, Equatable {
    /// t₁ < … < t_K, on the transformed scale.
    public var knots: [Double]
    /// The training mean and population standard deviation of each C_j,
    /// j = 1 … K−2 (imputed rows included, as for x); of each ramp r_j,
    /// j = 1 … K−1, for a monotone spline.
    public var means: [Double]
    public var standardDeviations: [Double]
    /// The column's values (as read, before log1p) at the training
    /// quantiles 0, 0.1, …, 1 (numpy's linear interpolation, present
    /// values): where `inspect` shows the curve.
    public var quantiles: [Double]
    /// The (K−1)×(K−1) covariance of the coefficients of x, C₁ … C_{K−2}
    /// (row-major; the block of the fit's inverse Hessian), for the
    /// curve's confidence band; nil until the model is fitted.
    public var covariance: [Double]? = nil
    /// The direction the curve is held to; nil (absent from the card) for
    /// Harrell's basis. When set, the features are the ramps r_j.
    public var monotone: MonotoneDirection? = nil

    /// The number of knots K.
    public var knotCount: Int { knots.count }
    /// The nonlinear features C_j: K−2.
    public var termCount: Int { knots.count - 2 }

    /// The knot counts a column may be given (`SplineKnots`).
    public static let knotCounts = SplineKnots.allowed
    /// A column needs at least this many distinct present training values
    /// per knot (2K in all) for a spline; with fewer it stays linear.
    public static let distinctValuesPerKnot = 2

    /// Harrell's knot probabilities for K knots (`rcspline.eval`): K equally
    /// spaced from the outer probability to its complement.
    public static func probabilities(count k: Int) -> [Double] {
        precondition(knotCounts.contains(k), "NaturalSpline: \(k) knots")
        let outer = k == 3 ? 0.10 : k == 7 ? 0.025 : 0.05
        return (0..<k).map { outer + (1 - 2 * outer) * Double($0) / Double(k - 1) }
    }

    /// numpy's default quantile (linear interpolation) of sorted values.
    public static func quantile(sorted x: [Double], _ p: Double) -> Double {
        precondition(!x.isEmpty)
        let h = Double(x.count - 1) * p
        let lo = Int(h.rounded(.down))
        guard lo + 1 < x.count else { return x[x.count - 1] }
        return x[lo] + (h - Double(lo)) * (x[lo + 1] - x[lo])
    }

    /// The knots for a K-knot spline of the sorted present values, or nil
    /// when the column stays linear.
    ///
    /// Rule:
    /// 1. Fewer than 2K distinct values: nil (linear).
    /// 2. Harrell's K quantiles (`probabilities(count:)`); distinct: done.
    /// 3. Otherwise a value shared by many rows (0 minutes on the website)
    ///    makes several quantiles equal. When that value m is the smallest
    ///    value, the knots are m and Harrell's K−1 quantiles of the values
    ///    above m; when it is the largest, Harrell's K−1 quantiles of the
    ///    values below m, and m. Distinct: done.
    /// 4. Otherwise K − 1 knots from step 2, down to K = 3; then nil.
    /// The repeated value m is the smallest value that appears at least
    /// twice among the quantiles.
    public static func knots(sorted x: [Double], count k: Int) -> [Double]? {
        var distinct = 0
        for i in x.indices where i == 0 || x[i] != x[i - 1] { distinct += 1 }
        guard distinct >= distinctValuesPerKnot * k else { return nil }
        var k = k
        while k >= knotCounts.lowerBound {
            let t = probabilities(count: k).map { quantile(sorted: x, $0) }
            if isIncreasing(t) { return t }
            let repeated = zip(t, t.dropFirst()).first { $0 == $1 }!.0
            if k > knotCounts.lowerBound {
                if repeated == x[0] {
                    let above = Array(x.drop { $0 == repeated })
                    let t = [repeated] + probabilities(count: k - 1).map { quantile(sorted: above, $0) }
                    if isIncreasing(t) { return t }
                } else if repeated == x[x.count - 1] {
                    let below = Array(x.reversed().drop { $0 == repeated }.reversed())
                    let t = probabilities(count: k - 1).map { quantile(sorted: below, $0) } + [repeated]
                    if isIncreasing(t) { return t }
                }
            }
            k -= 1
        }
        return nil
    }

    /// What makes the spline unusable, or nil: 3 to 7 finite, increasing
    /// knots, a finite mean and a positive standard deviation per term,
    /// and a covariance of (K−1)² finite numbers when present.
    public var problem: String? {
        guard Self.knotCounts.contains(knots.count), knots.allSatisfy(\.isFinite), Self.isIncreasing(knots) else {
            return "needs \(Self.knotCounts.lowerBound) to \(Self.knotCounts.upperBound) finite knots in increasing order"
        }
        let terms = monotone == nil ? termCount : termCount + 1
        guard means.count == terms, standardDeviations.count == terms, means.allSatisfy(\.isFinite),
            standardDeviations.allSatisfy({ $0.isFinite && $0 > 0 })
        else { return "needs a finite mean and a positive standard deviation for each of its \(terms) terms" }
        guard quantiles.allSatisfy(\.isFinite) else { return "has a quantile that is not a finite number" }
        if let c = covariance, c.count != (termCount + 1) * (termCount + 1) || !c.allSatisfy(\.isFinite) {
            return "needs a covariance of \((termCount + 1) * (termCount + 1)) finite numbers"
        }
        return nil
    }

    static func isIncreasing(_ t: [Double]) -> Bool { zip(t, t.dropFirst()).allSatisfy { $0 < $1 } }

    /// C₁(x) … C_{K−2}(x) (the formula above), unstandardised, into `out`.
    ///
    /// Evaluated as (u_j³ − (x−t_{K−1})₊³ · r_j) / (t_K−t₁)² with
    /// u_j = (x−t_j)₊ and r_j = (t_K−t_j)/(t_K−t_{K−1}) (`ratio(_:)`) up
    /// to t_K; beyond t_K, where the formula's cubes cancel (a lead's value
    /// of 10⁹ would leave nothing of C_j but rounding), in its linear form
    /// C_j(t_K) + C_j′(t_K)·(x−t_K) = (A_j + B_j·(x−t_K)) / (t_K−t₁)²,
    /// with A_j = a·(a² − (t_K−t_{K−1})²), B_j = 3·a·(t_{K−1}−t_j),
    /// a = t_K−t_j (`tail(_:)`). The SQL export writes the same operations.
    @inline(__always)
    public func basis(_ x: Double, into out: UnsafeMutablePointer<Double>) {
        let k = knots.count
        let tk = knots[k - 1], tk1 = knots[k - 2]
        let norm = normaliser
        if x > tk {
            let d = x - tk
            for j in 0..<(k - 2) {
                let (a, b) = tail(j)
                out[j] = (a + b * d) / norm
            }
            return
        }
        let uk1 = x > tk1 ? x - tk1 : 0
        let ck1 = uk1 * uk1 * uk1
        for j in 0..<(k - 2) {
            let tj = knots[j]
            let u = x > tj ? x - tj : 0
            out[j] = (u * u * u - ck1 * ratio(j)) / norm
        }
    }

    /// The standardised terms (C_j(x) − means[j]) / standardDeviations[j]
    /// into `out`: the features the encoder writes after x.
    @inline(__always)
    public func features(_ x: Double, into out: UnsafeMutablePointer<Double>) {
        basis(x, into: out)
        means.withUnsafeBufferPointer { m in
            standardDeviations.withUnsafeBufferPointer { s in
                for j in 0..<m.count { out[j] = (out[j] - m[j]) / s[j] }
            }
        }
    }

    /// r₁(x) … r_{K−1}(x) (the ramps, see above), unstandardised, into
    /// `out`: 0 up to t_j, x − t_j between, t_{j+1} − t_j from t_{j+1} on.
    /// The SQL export writes the same comparisons and subtractions.
    @inline(__always)
    public func rampBasis(_ x: Double, into out: UnsafeMutablePointer<Double>) {
        for j in 0..<(knots.count - 1) {
            let tj = knots[j], next = knots[j + 1]
            out[j] = x <= tj ? 0 : x >= next ? next - tj : x - tj
        }
    }

    /// The standardised ramps (r_j(x) − means[j]) / standardDeviations[j]
    /// into `out`: a monotone spline column's K−1 value features.
    @inline(__always)
    public func ramps(_ x: Double, into out: UnsafeMutablePointer<Double>) {
        rampBasis(x, into: out)
        for j in 0..<(knots.count - 1) { out[j] = (out[j] - means[j]) / standardDeviations[j] }
    }

    /// (t_K − t₁)².
    @inline(__always)
    public var normaliser: Double {
        let span = knots[knots.count - 1] - knots[0]
        return span * span
    }

    /// r_j = (t_K − t_j)/(t_K − t_{K−1}), j from 0.
    @inline(__always)
    public func ratio(_ j: Int) -> Double {
        let k = knots.count
        return (knots[k - 1] - knots[j]) / (knots[k - 1] - knots[k - 2])
    }

    /// A_j and B_j of C_j beyond t_K (see `basis`), j from 0.
    @inline(__always)
    public func tail(_ j: Int) -> (value: Double, slope: Double) {
        let k = knots.count
        let tk = knots[k - 1], tk1 = knots[k - 2]
        let a = tk - knots[j], last = tk - tk1
        return (a * (a * a - last * last), 3 * a * (tk1 - knots[j]))
    }

    /// C₁(x) … C_{K−2}(x), unstandardised.
    public func basis(_ x: Double) -> [Double] {
        [Double](unsafeUninitializedCapacity: termCount) { b, n in
            basis(x, into: b.baseAddress!)
            n = termCount
        }
    }

    /// The spline of a column whose transformed values are `present`
    /// (sorted) and whose imputed rows take `imputed` (`missing` of them),
    /// with raw values `raw` (sorted) for the quantiles; nil when the
    /// column stays linear (too few distinct values, or a basis column
    /// constant on the training rows).
    static func fit(
        sortedTransformed present: [Double], imputed: Double, missing: Int, sortedRaw raw: [Double], knotCount: Int, monotone: MonotoneDirection? = nil
    ) -> NaturalSpline? {
        guard let knots = knots(sorted: present, count: knotCount) else { return nil }
        var spline = NaturalSpline(knots: knots, means: [], standardDeviations: [], quantiles: (0...10).map { quantile(sorted: raw, Double($0) / 10) })
        spline.monotone = monotone
        let m = monotone == nil ? spline.termCount : spline.termCount + 1
        let n = Double(present.count + missing)
        var sums = [Double](repeating: 0, count: m), b = [Double](repeating: 0, count: m)
        for v in present {
            spline.unstandardised(v, into: &b)
            for j in 0..<m { sums[j] += b[j] }
        }
        var bImputed = [Double](repeating: 0, count: m)
        spline.unstandardised(imputed, into: &bImputed)
        for j in 0..<m { sums[j] += Double(missing) * bImputed[j] }
        let means = sums.map { $0 / n }
        var ss = [Double](repeating: 0, count: m)
        for v in present {
            spline.unstandardised(v, into: &b)
            for j in 0..<m { ss[j] += (b[j] - means[j]) * (b[j] - means[j]) }
        }
        for j in 0..<m { ss[j] += Double(missing) * (bImputed[j] - means[j]) * (bImputed[j] - means[j]) }
        let sds = ss.map { ($0 / n).squareRoot() }
        for j in 0..<m where !(sds[j] > 1e-12 * max(1, abs(means[j]))) { return nil }
        spline.means = means
        spline.standardDeviations = sds
        return spline
    }

    /// The unstandardised features of `x`: the C_j, or the ramps r_j of a
    /// monotone spline.
    private func unstandardised(_ x: Double, into out: inout [Double]) {
        out.withUnsafeMutableBufferPointer { monotone == nil ? basis(x, into: $0.baseAddress!) : rampBasis(x, into: $0.baseAddress!) }
    }

    /// r₁(x) … r_{K−1}(x), unstandardised.
    public func rampBasis(_ x: Double) -> [Double] {
        [Double](unsafeUninitializedCapacity: knots.count - 1) { b, n in
            rampBasis(x, into: b.baseAddress!)
            n = knots.count - 1
        }
    }
}
