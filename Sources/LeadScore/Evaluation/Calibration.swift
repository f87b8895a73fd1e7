import Foundation

// Calibration of predicted probabilities: can a predicted 30% be read as
// "3 in 10 of these leads will close"?
//
// Notation: n rows, labels y_i ∈ {0, 1} (won when > 0.5, as in
// BinaryMetrics), probabilities p_i ∈ [0, 1]; ȳ = mean y, p̄ = mean p.
//
// Binning (`Binning`, K bins, K = 10 in `CalibrationReport`):
// - equal width: bin k (k = 0…K−1) holds k/K ≤ p < (k+1)/K, the last bin
//   also p = 1. The edges are computed as the division k/K (so the edge 0.3
//   is the double nearest 3/10, not 3 × 0.1) and a probability equal to an
//   edge goes to the bin above it (numpy.searchsorted(edges, p, "right")).
//   scikit-learn's calibration_curve uses numpy.linspace edges, k × (1/K),
//   which differ from k/K by an ulp at a few edges (0.3, 0.6, 0.7).
// - equal count: rows sorted by p ascending, ties kept in row order (a
//   stable sort), then split into K consecutive groups whose sizes differ by
//   at most one, the larger ones first (numpy.array_split). Tied
//   probabilities can straddle a group boundary. With n < K the last K − n
//   groups are empty.
//
// Reliability table. Per bin k with n_k rows and o_k won rows: its range
// (the edges for equal width, the smallest and largest p for equal count),
// mean predicted p̄_k, observed rate ō_k = o_k / n_k, and the Wilson score
// 95% interval of the observed rate (Wilson 1927):
//
//     centre = (ō + z²/(2n)) / (1 + z²/n),
//     half   = z·√(ō(1 − ō)/n + z²/(4n²)) / (1 + z²/n),
//
// [centre − half, centre + half] clipped to [0, 1], z = 1.959963984540054
// (statsmodels' proportion_confint(method="wilson") to the last few ulps).
// Empty bins are reported with count 0 and NaN for every mean and interval
// (an empty equal-width bin keeps its edges); they contribute nothing to the
// sums below.
//
// Expected and maximum calibration error (Naeini, Cooper & Hauskrecht 2015):
//
//     ECE = Σ_k (n_k/n)·|ō_k − p̄_k|,     MCE = max_k |ō_k − p̄_k|  (non-empty k)
//
// Brier score and its decomposition (Murphy 1973) over the equal-width bins:
//
//     BS  = (1/n) Σ_i (p_i − y_i)²
//     REL = (1/n) Σ_k n_k (p̄_k − ō_k)²        reliability (lower is better)
//     RES = (1/n) Σ_k n_k (ō_k − ȳ)²          resolution (higher is better)
//     UNC = ȳ(1 − ȳ)                          uncertainty
//
// Murphy's identity BS = REL − RES + UNC is exact only when every row of a
// bin has the same forecast. With binned continuous forecasts it holds up to
// two within-bin terms (Stephenson, Coelho, Doblas-Reyes & Balmaseda 2008):
//
//     WBV = (1/n) Σ_k Σ_{i∈k} (p_i − p̄_k)²                 within-bin variance
//     WBC = (2/n) Σ_k Σ_{i∈k} (p_i − p̄_k)(y_i − ō_k)       within-bin covariance
//     BS  = REL − RES + UNC + WBV − WBC                     (exact)
//
// Both are reported, and `residual` = WBV − WBC, so the parts add up to the
// Brier score (to rounding, ~1e-16).
//
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
//
// Hosmer–Lemeshow statistic over the G equal-count groups (Hosmer &
// Lemeshow 1980; 2013, §5.2.2):
//
//     Ĉ = Σ_g (o_g − n_g p̄_g)² / (n_g p̄_g (1 − p̄_g))      over the non-empty groups
//
// (the same as Σ over both outcomes of (O − E)²/E). A group with p̄_g = 0 or
// 1 adds 0 when o_g = n_g p̄_g (0/0) and +∞ otherwise (p-value 0). The
// reference distribution is χ² with G′ − 2 degrees of freedom, G′ the
// number of non-empty groups (G = 10 for n ≥ 10, so df = 8); the p-value is
// Q((G′ − 2)/2, Ĉ/2), NaN when G′ ≤ 2.
//
// Regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) (`ChiSquared`):
// the series for P(a, x) = 1 − Q when x < a + 1, otherwise the continued
// fraction for Q evaluated by the modified Lentz method (Press et al.,
// Numerical Recipes, 3rd ed., §6.2), each summed to a relative 1e-16; the
// prefactor e^(−x) x^a / Γ(a) is formed in logs with lgamma. Agrees with
// scipy.stats.chi2.sf to ~1e-14 relative over the tested range (df 1–100,
// x up to 400).
//
// Inputs. Labels and probabilities must have the same length
// (precondition). If any probability is NaN or outside [0, 1] the report is
// undefined: every statistic is NaN and the tables have no bins (these are
// not probabilities; clipping them silently would hide the error). With one
// class the tables, ECE, Brier parts and Hosmer–Lemeshow are still defined;
// the logistic recalibration is NaN. An empty input gives NaN statistics and
// empty bins.
//
// References: A. H. Murphy, "A new vector partition of the probability
// score", J. Appl. Meteor. 12 (1973) 595–600. D. B. Stephenson et al., "Two
// extra components in the Brier score decomposition", Weather and
// Forecasting 23 (2008) 752–757. E. B. Wilson, "Probable inference, the law
// of succession, and statistical inference", JASA 22 (1927) 209–212.
// M. P. Naeini, G. F. Cooper, M. Hauskrecht, "Obtaining well calibrated
// probabilities using Bayesian binning", AAAI 2015. D. R. Cox, "Two further
// applications of a model for binary regression", Biometrika 45 (1958)
// 562–565. B. Van Calster et al., "Calibration: the Achilles heel of
// predictive analytics", BMC Medicine 17 (2019) 230. D. W. Hosmer,
// S. Lemeshow, R. X. Sturdivant, "Applied Logistic Regression", 3rd ed.
// (Wiley 2013).

/// How probabilities are grouped for a reliability table.
public enum Binning: Codable, Sendable, Hashable {
    /// K bins [k/K, (k+1)/K) on [0, 1], the last one closed.
    case equalWidth(Int)
    /// K groups of (nearly) equal size by ascending probability.
    case equalCount(Int)

    public var bins: Int {
        switch self {
        case .equalWidth(let k), .equalCount(let k): return k
        }
    }

    /// Row indices of each bin, in ascending order of probability for equal
    /// count and in row order for equal width. `p` must lie in [0, 1].
    func groups(_ p: [Double]) -> [[Int]] {
        let k = bins
        precondition(k > 0, "Binning: \(k) bins")
        switch self {
        case .equalWidth:
            var out = [[Int]](repeating: [], count: k)
            for (i, v) in p.enumerated() { out[Binning.equalWidthIndex(v, bins: k)].append(i) }
            return out
        case .equalCount:
            let n = p.count
            let order = (0..<n).sorted { p[$0] != p[$1] ? p[$0] < p[$1] : $0 < $1 }
            var out: [[Int]] = []
            var start = 0
            for g in 0..<k {
                let size = n / k + (g < n % k ? 1 : 0)
                out.append(Array(order[start..<start + size]))
                start += size
            }
            return out
        }
    }

    /// The number of edges j/K (j = 0…K) at or below p, minus one, capped at
    /// K − 1: bin k holds k/K ≤ p < (k+1)/K and the last bin also p = 1.
    static func equalWidthIndex(_ p: Double, bins k: Int) -> Int {
        var lo = 0, hi = k  // invariant: edge(lo) ≤ p (p ≥ 0), answer in lo...hi
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Double(mid) / Double(k) <= p { lo = mid } else { hi = mid - 1 }
        }
        return min(lo, k - 1)
    }
}

/// One row of a reliability table.
public struct ReliabilityBin: Codable, Sendable, Equatable {
    /// The bin's range. Equal width: its edges k/K and (k+1)/K (the bin is
    /// [lowerEdge, upperEdge), closed for the last bin), also when empty.
    /// Equal count: the smallest and largest probability in the group (NaN
    /// when empty).
    public var lowerEdge: Double
    public var upperEdge: Double
    public var count: Int
    /// Won rows in the bin.
    public var positives: Int
    /// NaN for an empty bin, as are all the values below.
    public var minPredicted: Double
    public var maxPredicted: Double
    public var meanPredicted: Double
    public var observedRate: Double
    /// Wilson 95% interval of the observed rate.
    public var wilsonLower: Double
    public var wilsonUpper: Double
}

/// Mean predicted against observed rate per bin, with ECE and MCE.
public struct ReliabilityTable: Codable, Sendable, Equatable {
    public var binning: Binning
    /// One per bin, empty bins included (count 0).
    public var bins: [ReliabilityBin]
    /// Σ (n_k/n)·|observed − mean predicted| over the non-empty bins.
    public var ece: Double
    /// max |observed − mean predicted| over the non-empty bins.
    public var mce: Double

    public static func compute(labels: [Double], probabilities p: [Double], binning: Binning) -> ReliabilityTable {
        precondition(labels.count == p.count, "Calibration: \(labels.count) labels for \(p.count) probabilities")
        guard CalibrationSupport.areProbabilities(p) else {
            return ReliabilityTable(binning: binning, bins: [], ece: .nan, mce: .nan)
        }
        let y = CalibrationSupport.binary(labels)
        return table(y: y, p: p, binning: binning, groups: binning.groups(p))
    }

    static func table(y: [Double], p: [Double], binning: Binning, groups: [[Int]]) -> ReliabilityTable {
        let n = Double(y.count)
        var bins: [ReliabilityBin] = []
        var ece = 0.0, mce = -Double.infinity
        for (k, g) in groups.enumerated() {
            let minP = g.map { p[$0] }.min() ?? .nan, maxP = g.map { p[$0] }.max() ?? .nan
            let (lowerEdge, upperEdge): (Double, Double)
            if case .equalWidth(let bins) = binning {
                (lowerEdge, upperEdge) = (Double(k) / Double(bins), Double(k + 1) / Double(bins))
            } else {
                (lowerEdge, upperEdge) = (minP, maxP)
            }
            guard !g.isEmpty else {
                bins.append(
                    ReliabilityBin(
                        lowerEdge: lowerEdge, upperEdge: upperEdge, count: 0, positives: 0, minPredicted: .nan,
                        maxPredicted: .nan, meanPredicted: .nan, observedRate: .nan, wilsonLower: .nan, wilsonUpper: .nan))
                continue
            }
            let positives = g.reduce(0) { $0 + (y[$1] == 1 ? 1 : 0) }
            let meanP = g.reduce(0.0) { $0 + p[$1] } / Double(g.count)
            let rate = Double(positives) / Double(g.count)
            let (lower, upper) = CalibrationSupport.wilson(positives: positives, count: g.count)
            bins.append(
                ReliabilityBin(
                    lowerEdge: lowerEdge, upperEdge: upperEdge, count: g.count, positives: positives, minPredicted: minP,
                    maxPredicted: maxP, meanPredicted: meanP, observedRate: rate, wilsonLower: lower, wilsonUpper: upper))
            let gap = abs(rate - meanP)
            ece += Double(g.count) / n * gap
            mce = max(mce, gap)
        }
        if mce == -.infinity { (ece, mce) = (.nan, .nan) }
        return ReliabilityTable(binning: binning, bins: bins, ece: ece, mce: mce)
    }
}

/// The Brier score and its decomposition over equal-width bins:
/// brier = reliability − resolution + uncertainty + withinBinVariance − withinBinCovariance.
public struct BrierDecomposition: Codable, Sendable, Equatable {
    public var brier: Double
    public var reliability: Double
    public var resolution: Double
    public var uncertainty: Double
    public var withinBinVariance: Double
    public var withinBinCovariance: Double

    /// withinBinVariance − withinBinCovariance = brier − (reliability − resolution + uncertainty).
    public var residual: Double { withinBinVariance - withinBinCovariance }

    static let undefined = BrierDecomposition(
        brier: .nan, reliability: .nan, resolution: .nan, uncertainty: .nan, withinBinVariance: .nan,
        withinBinCovariance: .nan)

    /// Over `bins` equal-width bins (10 by default).
    public static func compute(labels: [Double], probabilities p: [Double], bins: Int = 10) -> BrierDecomposition {
        precondition(labels.count == p.count, "Calibration: \(labels.count) labels for \(p.count) probabilities")
        guard CalibrationSupport.areProbabilities(p), !p.isEmpty else { return .undefined }
        let y = CalibrationSupport.binary(labels)
        return decomposition(y: y, p: p, groups: Binning.equalWidth(bins).groups(p))
    }

    static func decomposition(y: [Double], p: [Double], groups: [[Int]]) -> BrierDecomposition {
        let n = Double(y.count)
        guard n > 0 else { return .undefined }
        let yBar = y.reduce(0, +) / n
        var brier = 0.0
        for i in y.indices { brier += (p[i] - y[i]) * (p[i] - y[i]) }
        var rel = 0.0, res = 0.0, wbv = 0.0, wbc = 0.0
        for g in groups where !g.isEmpty {
            let nk = Double(g.count)
            let pk = g.reduce(0.0) { $0 + p[$1] } / nk
            let ok = g.reduce(0.0) { $0 + y[$1] } / nk
            rel += nk * (pk - ok) * (pk - ok)
            res += nk * (ok - yBar) * (ok - yBar)
            var v = 0.0, c = 0.0
            for i in g {
                v += (p[i] - pk) * (p[i] - pk)
                c += (p[i] - pk) * (y[i] - ok)
            }
            wbv += v
            wbc += 2 * c
        }
        return BrierDecomposition(
            brier: brier / n, reliability: rel / n, resolution: res / n, uncertainty: yBar * (1 - yBar),
            withinBinVariance: wbv / n, withinBinCovariance: wbc / n)
    }
}

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

/// The Hosmer–Lemeshow goodness-of-fit test over equal-count groups.
public struct HosmerLemeshow: Codable, Sendable, Equatable {
    /// Ĉ = Σ_g (o_g − n_g p̄_g)² / (n_g p̄_g (1 − p̄_g)).
    public var statistic: Double
    /// Non-empty groups − 2.
    public var degreesOfFreedom: Int
    /// Non-empty groups.
    public var groups: Int
    /// P(χ²_df > Ĉ); NaN when df < 1.
    public var pValue: Double

    public static func compute(labels: [Double], probabilities p: [Double], groups: Int = 10) -> HosmerLemeshow {
        precondition(labels.count == p.count, "Calibration: \(labels.count) labels for \(p.count) probabilities")
        guard CalibrationSupport.areProbabilities(p) else {
            return HosmerLemeshow(statistic: .nan, degreesOfFreedom: 0, groups: 0, pValue: .nan)
        }
        return test(y: CalibrationSupport.binary(labels), p: p, groups: Binning.equalCount(groups).groups(p))
    }

    static func test(y: [Double], p: [Double], groups: [[Int]]) -> HosmerLemeshow {
        var statistic = 0.0, used = 0
        for g in groups where !g.isEmpty {
            used += 1
            let n = Double(g.count)
            let observed = g.reduce(0.0) { $0 + y[$1] }
            let meanP = g.reduce(0.0) { $0 + p[$1] } / n
            let numerator = (observed - n * meanP) * (observed - n * meanP)
            let denominator = n * meanP * (1 - meanP)
            if denominator == 0 {
                statistic += numerator == 0 ? 0 : .infinity
            } else {
                statistic += numerator / denominator
            }
        }
        let df = used - 2
        guard used > 0 else { return HosmerLemeshow(statistic: .nan, degreesOfFreedom: df, groups: 0, pValue: .nan) }
        let pValue = df >= 1 ? ChiSquared.survival(statistic, degreesOfFreedom: Double(df)) : .nan
        return HosmerLemeshow(statistic: statistic, degreesOfFreedom: df, groups: used, pValue: pValue)
    }
}

/// Everything about the calibration of one set of probabilities.
public struct CalibrationReport: Codable, Sendable, Equatable {
    public var rows: Int
    public var positives: Int
    /// p̄ and ȳ.
    public var meanPredicted: Double
    public var observedRate: Double
    /// Reliability table over `bins` equal-width bins on [0, 1].
    public var equalWidth: ReliabilityTable
    /// Reliability table over `bins` equal-count groups (deciles for 10).
    public var equalCount: ReliabilityTable
    /// Brier score decomposed over the equal-width bins.
    public var brier: BrierDecomposition
    /// ȳ − p̄: positive when the model under-predicts wins overall.
    public var calibrationInTheLarge: Double
    /// Calibration intercept (offset model) and slope.
    public var recalibration: LogisticRecalibration
    /// Over the equal-count groups.
    public var hosmerLemeshow: HosmerLemeshow

    /// The full report; `bins` (default 10) is the number of equal-width bins,
    /// of equal-count groups and of Hosmer–Lemeshow groups.
    public static func compute(labels: [Double], probabilities p: [Double], bins: Int = 10) -> CalibrationReport {
        precondition(labels.count == p.count, "Calibration: \(labels.count) labels for \(p.count) probabilities")
        precondition(bins > 0, "Calibration: \(bins) bins")
        let n = p.count
        let y = CalibrationSupport.binary(labels)
        let positives = y.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
        guard CalibrationSupport.areProbabilities(p) else {
            return CalibrationReport(
                rows: n, positives: positives, meanPredicted: .nan, observedRate: .nan,
                equalWidth: ReliabilityTable(binning: .equalWidth(bins), bins: [], ece: .nan, mce: .nan),
                equalCount: ReliabilityTable(binning: .equalCount(bins), bins: [], ece: .nan, mce: .nan),
                brier: .undefined, calibrationInTheLarge: .nan, recalibration: .undefined,
                hosmerLemeshow: HosmerLemeshow(statistic: .nan, degreesOfFreedom: 0, groups: 0, pValue: .nan))
        }
        let widthGroups = Binning.equalWidth(bins).groups(p)
        let countGroups = Binning.equalCount(bins).groups(p)
        let meanP = p.reduce(0, +) / Double(n)
        let rate = Double(positives) / Double(n)
        return CalibrationReport(
            rows: n, positives: positives, meanPredicted: meanP, observedRate: rate,
            equalWidth: ReliabilityTable.table(y: y, p: p, binning: .equalWidth(bins), groups: widthGroups),
            equalCount: ReliabilityTable.table(y: y, p: p, binning: .equalCount(bins), groups: countGroups),
            brier: BrierDecomposition.decomposition(y: y, p: p, groups: widthGroups),
            calibrationInTheLarge: rate - meanP,
            recalibration: LogisticRecalibration.fit(labels: y, probabilities: p),
            hosmerLemeshow: HosmerLemeshow.test(y: y, p: p, groups: countGroups))
    }
}

/// Shared pieces.
enum CalibrationSupport {
    /// z for a two-sided 95% interval.
    static let z = DeLong.z95

    /// Every value is a probability: not NaN, within [0, 1].
    static func areProbabilities(_ p: [Double]) -> Bool {
        p.allSatisfy { $0 >= 0 && $0 <= 1 }
    }

    /// Labels as exact 0/1 (won when > 0.5).
    static func binary(_ labels: [Double]) -> [Double] {
        labels.map { $0 > 0.5 ? 1 : 0 }
    }

    /// Wilson score interval for `positives` of `count`, clipped to [0, 1],
    /// in statsmodels' order of operations.
    static func wilson(positives: Int, count: Int) -> (lower: Double, upper: Double) {
        guard count > 0 else { return (.nan, .nan) }
        let n = Double(count), q = Double(positives) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (q + z2 / (2 * n)) / denominator
        let half = z * (q * (1 - q) / n + z2 / (4 * n * n)).squareRoot() / denominator
        return (min(max(centre - half, 0), 1), min(max(centre + half, 0), 1))
    }
}

/// The χ² distribution's survival function, through the regularised upper
/// incomplete gamma function (see the notes at the top of Calibration.swift).
public enum ChiSquared {
    /// P(χ²_k > x) = Q(k/2, x/2). 1 for x ≤ 0, 0 for x = ∞, NaN for NaN or k ≤ 0.
    public static func survival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        guard !x.isNaN, !k.isNaN, k > 0 else { return .nan }
        if x <= 0 { return 1 }
        return regularizedGammaQ(k / 2, x / 2)
    }

    /// Q(a, x) = Γ(a, x) / Γ(a) = 1 − P(a, x) for a > 0, x ≥ 0 (NaN otherwise).
    /// Series for P when x < a + 1, else Lentz's continued fraction for Q
    /// (Numerical Recipes §6.2).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        guard !a.isNaN, !x.isNaN, a > 0, x >= 0 else { return .nan }
        if x == 0 { return 1 }
        if x == .infinity { return 0 }
        let logPrefactor = -x + a * log(x) - lgamma(a)  // log(e^(−x) x^a / Γ(a))
        let epsilon = 1e-16
        if x < a + 1 {
            // P(a, x) = e^(−x) x^a / Γ(a) · Σ_{m≥0} x^m / (a (a+1) ⋯ (a+m)).
            var denominator = a, term = 1 / a, sum = term
            for _ in 0..<100_000 {
                denominator += 1
                term *= x / denominator
                sum += term
                if abs(term) < abs(sum) * epsilon { break }
            }
            return 1 - sum * exp(logPrefactor)
        }
        // Q(a, x) = e^(−x) x^a / Γ(a) · 1/(x+1−a − 1·(1−a)/(x+3−a − 2·(2−a)/(x+5−a − ⋯))).
        let tiny = Double.leastNormalMagnitude / epsilon
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return exp(logPrefactor) * h
    }
}
