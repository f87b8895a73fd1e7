import Foundation

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
