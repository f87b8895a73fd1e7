import Foundation

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
