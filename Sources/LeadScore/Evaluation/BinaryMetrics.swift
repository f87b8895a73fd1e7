import Foundation

/// Ranking and probability metrics of predictions against outcomes.
///
/// Definitions (n rows, labels y ∈ {0, 1}, predicted probabilities p):
/// - AUC: the probability that a random won lead scores above a random lost
///   one, ties counting ½ (Mann–Whitney U / (n₁ n₀), `RankedScores.auc`);
///   equal to scikit-learn's `roc_auc_score`. NaN with one class.
/// - log loss: mean of −[y log p + (1 − y) log(1 − p)], computed from the
///   log-odds when they are known (no rounding near 0 and 1), else from p
///   clipped to [ε, 1 − ε] with ε = 2.22e-16 (scikit-learn's convention).
/// - Brier score: mean of (p − y)².
/// - Deciles (`RankedScores.deciles`): rows sorted by p descending, split
///   into 10 groups whose sizes differ by at most one, larger groups first
///   (`numpy.array_split`); group 1 holds the highest scores. Tied
///   probabilities cut by a boundary share their conversions pro rata, so
///   the table does not depend on the order of the rows. For each group:
///   mean predicted, observed rate, lift = rate / overall rate, cumulative
///   gain = share of all conversions in groups 1…k, cumulative lift =
///   cumulative rate / overall rate.
/// - A NaN probability has no rank: AUC NaN, no deciles.
public struct BinaryMetrics: Codable, Sendable, Equatable {
    public var rows: Int
    public var positives: Int
    public var baseRate: Double
    public var auc: Double
    public var logLoss: Double
    public var brier: Double
    public var deciles: [DecileRow]

    public struct DecileRow: Codable, Sendable, Equatable {
        public var decile: Int
        public var count: Int
        public var positives: Int
        public var minPredicted: Double
        public var maxPredicted: Double
        public var meanPredicted: Double
        public var observedRate: Double
        public var lift: Double
        public var cumulativeGain: Double
        public var cumulativeLift: Double
    }

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
                        let q = min(max(p[i], eps), 1 - eps)
                        loss -= y[i] > 0.5 ? log(q) : log(1 - q)
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
        for i in y.indices {
            let q = min(max(p[i], eps), 1 - eps)
            loss -= y[i] > 0.5 ? log(q) : log(1 - q)
        }
        return loss / Double(max(y.count, 1))
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
