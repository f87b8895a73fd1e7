import Foundation

/// How `BinaryMetrics` are computed (see the type for the definitions).
extension BinaryMetrics {
    /// Metrics from probabilities, and from log-odds when given (then the
    /// log loss uses them; `probabilities` must be σ(logOdds)).
    public static func compute(labels y: [Double], probabilities p: [Double], logOdds: [Double]? = nil) -> BinaryMetrics {
        let n = y.count
        precondition(p.count == n)
        precondition(logOdds == nil || logOdds!.count >= n)
        var positives = 0
        var loss = 0.0, brier = 0.0
        // Row by row, in order (the sums' order fixes their rounding).
        y.withUnsafeBufferPointer { y in
            p.withUnsafeBufferPointer { p in
                if let logOdds {
                    logOdds.withUnsafeBufferPointer { eta in
                        for i in 0..<n {
                            if y[i] > 0.5 { positives += 1 }
                            loss += logisticLoss(label: y[i], logOdds: eta[i])
                            brier += (p[i] - y[i]) * (p[i] - y[i])
                        }
                    }
                } else {
                    for i in 0..<n {
                        if y[i] > 0.5 { positives += 1 }
                        loss += logLoss(label: y[i], probability: p[i])
                        brier += (p[i] - y[i]) * (p[i] - y[i])
                    }
                }
            }
        }
        let denom = Double(max(n, 1))
        let ranked = RankedScores(scores: p, labels: y)
        return BinaryMetrics(
            rows: n, positives: positives, baseRate: Double(positives) / denom, auc: ranked?.auc() ?? .nan,
            logLoss: loss / denom, brier: brier / denom, deciles: ranked?.deciles() ?? [])
    }

    static let eps = 2.220446049250313e-16

    /// Mean log loss of probabilities, clipped to [ε, 1 − ε].
    public static func logLoss(labels y: [Double], probabilities p: [Double]) -> Double {
        var loss = 0.0
        for i in y.indices { loss += logLoss(label: y[i], probability: p[i]) }
        return loss / Double(max(y.count, 1))
    }

    /// One lead's log loss, −log q for a won lead and −log(1 − q) for a
    /// lost one, with q the probability clipped to [ε, 1 − ε].
    @inline(__always)
    static func logLoss(label y: Double, probability p: Double) -> Double {
        let q = min(max(p, eps), 1 - eps)
        return y > 0.5 ? -log(q) : -log(1 - q)
    }

    /// The AUC (`RankedScores.auc`); NaN when one class is absent or a
    /// score is NaN.
    public static func auc(labels y: [Double], scores s: [Double]) -> Double {
        RankedScores(scores: s, labels: y)?.auc() ?? .nan
    }

    /// The decile table (`RankedScores.deciles`); empty when a probability
    /// is NaN.
    public static func deciles(labels y: [Double], probabilities p: [Double], groups: Int = 10) -> [DecileRow] {
        RankedScores(scores: p, labels: y)?.deciles(groups: groups) ?? []
    }
}
