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
//
// The pieces: `ReliabilityTable` (Reliability.swift), `BrierDecomposition`,
// `LogisticRecalibration`, `HosmerLemeshow` (with `ChiSquared`), each in a
// file of its own; `CalibrationReport` below computes them all.

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
