/// The paired bootstrap of a comparison: every pair of scorers is judged on
/// the same resampled leads.
///
/// A bootstrap resample of n rows is represented by the multiplicity w_i of
/// each row (how often it was drawn; Σ w_i = n). Every scorer is evaluated
/// on the same multiplicities (`RankedScores` with weights), so the
/// differences between scorers keep their pairing. Intervals are the 2.5th
/// and 97.5th percentiles of the B resampled differences (linear
/// interpolation between order statistics, numpy's default), with the
/// resamples drawn by `SeededGenerator`: resample b draws n indices with
/// `index(below: n)`.
enum PairedBootstrap {
    /// Paired bootstrap and DeLong for every pair (i < j), as b − a.
    static func pairwise(
        labels y: [Double], probabilities p: [[Double]], ranked: [RankedScores], names: [String], topK: Int,
        resamples: Int, seed: UInt64
    ) -> [PairComparison] {
        let n = y.count, m = ranked.count
        guard m >= 2 else { return [] }
        // Statistics of scorer k under weights w.
        func stats(_ k: Int, _ w: [Double]) -> (auc: Double, lift: Double, brier: Double, capture: Double) {
            let total = w.reduce(0, +)
            let pos = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 }
            let auc = ranked[k].auc(weights: w)
            let top = (total / 10).rounded(.up)
            let lift = ranked[k].conversionsInTop(top, weights: w) / top / (pos / total)
            var brier = 0.0
            for i in 0..<n where w[i] > 0 { brier += w[i] * (p[k][i] - y[i]) * (p[k][i] - y[i]) }
            let capture = ranked[k].conversionsInTop(Double(topK), weights: w) / pos
            return (auc, lift, brier / total, capture)
        }
        let ones = [Double](repeating: 1, count: n)
        let point = (0..<m).map { stats($0, ones) }
        var draws = [[(Double, Double, Double, Double)]](repeating: [], count: m)
        var rng = SeededGenerator(seed: seed)
        var w = [Double](repeating: 0, count: n)
        for _ in 0..<resamples {
            for i in 0..<n { w[i] = 0 }
            for _ in 0..<n { w[rng.index(below: n)] += 1 }
            for k in 0..<m {
                let s = stats(k, w)
                draws[k].append((s.auc, s.lift, s.brier, s.capture))
            }
        }
        var out: [PairComparison] = []
        for a in 0..<m {
            for b in (a + 1)..<m {
                func diff(_ pick: ((Double, Double, Double, Double)) -> Double, _ estimate: Double) -> PairComparison.Difference {
                    let d = zip(draws[a], draws[b]).map { pick($1) - pick($0) }
                    return PairComparison.Difference(estimate: estimate, lower: Percentile.of(d, 0.025), upper: Percentile.of(d, 0.975))
                }
                let delong = ComparisonStatistics.compareAUC(labels: y, a: ranked[a], b: ranked[b])
                out.append(
                    PairComparison(
                        a: names[a], b: names[b], auc: diff({ $0.0 }, point[b].auc - point[a].auc),
                        aucDeLongLower: delong.lower, aucDeLongUpper: delong.upper, aucDeLongP: delong.p,
                        topDecileLift: diff({ $0.1 }, point[b].lift - point[a].lift),
                        brier: diff({ $0.2 }, point[b].brier - point[a].brier),
                        captureAtK: diff({ $0.3 }, point[b].capture - point[a].capture)))
            }
        }
        return out
    }
}

enum Percentile {
    /// The q-quantile (0…1) of `values` by linear interpolation between
    /// order statistics (numpy's default method). NaN values are dropped.
    static func of(_ values: [Double], _ q: Double) -> Double {
        let v = values.filter { !$0.isNaN }.sorted()
        guard !v.isEmpty else { return .nan }
        let h = q * Double(v.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, v.count - 1)
        return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
    }
}
