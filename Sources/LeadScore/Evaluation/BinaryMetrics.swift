import Foundation

/// Ranking and probability metrics of predictions against outcomes.
///
/// Definitions (n rows, labels y ∈ {0, 1}, predicted probabilities p):
/// - AUC: the probability that a random won lead scores above a random lost
///   one, ties counting ½ (Mann–Whitney U / (n₁ n₀), with midranks for ties);
///   equal to scikit-learn's `roc_auc_score`.
/// - log loss: mean of −[y log p + (1 − y) log(1 − p)], computed from the
///   log-odds when they are known (no rounding near 0 and 1), else from p
///   clipped to [ε, 1 − ε] with ε = 2.22e-16 (scikit-learn's convention).
/// - Brier score: mean of (p − y)².
/// - Deciles: rows sorted by p descending (ties keep input order), split into
///   10 groups whose sizes differ by at most one, larger groups first
///   (`numpy.array_split`); group 1 holds the highest scores. For each:
///   mean predicted, observed rate, lift = rate / overall rate, cumulative
///   gain = share of all conversions in groups 1…k, cumulative lift =
///   cumulative rate / overall rate.
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
        let positives = y.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) }
        var loss = 0.0, brier = 0.0
        for i in 0..<n {
            if let eta = logOdds?[i] {
                loss += logisticLoss(label: y[i], logOdds: eta)
            } else {
                let q = min(max(p[i], eps), 1 - eps)
                loss -= y[i] > 0.5 ? log(q) : log(1 - q)
            }
            brier += (p[i] - y[i]) * (p[i] - y[i])
        }
        let denom = Double(max(n, 1))
        return BinaryMetrics(
            rows: n, positives: positives, baseRate: Double(positives) / denom, auc: auc(labels: y, scores: p),
            logLoss: loss / denom, brier: brier / denom, deciles: deciles(labels: y, probabilities: p))
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

    /// AUC by midranks. NaN when one class is absent.
    public static func auc(labels y: [Double], scores s: [Double]) -> Double {
        let n = y.count
        let order = (0..<n).sorted { s[$0] < s[$1] }
        var rankSumPositive = 0.0
        var positives = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && s[order[j + 1]] == s[order[i]] { j += 1 }
            let midrank = Double(i + j) / 2 + 1
            for k in i...j where y[order[k]] > 0.5 {
                rankSumPositive += midrank
                positives += 1
            }
            i = j + 1
        }
        let negatives = Double(n) - positives
        guard positives > 0, negatives > 0 else { return .nan }
        return (rankSumPositive - positives * (positives + 1) / 2) / (positives * negatives)
    }

    public static func deciles(labels y: [Double], probabilities p: [Double], groups: Int = 10) -> [DecileRow] {
        let n = y.count
        guard n > 0 else { return [] }
        let order = (0..<n).sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
        let totalPositives = y.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) }
        let overall = Double(totalPositives) / Double(n)
        var rows: [DecileRow] = []
        var start = 0, cumPos = 0, cumCount = 0
        for g in 0..<min(groups, n) {
            let size = n / groups + (g < n % groups ? 1 : 0)
            let idx = order[start..<start + size]
            let pos = idx.reduce(0) { $0 + (y[$1] > 0.5 ? 1 : 0) }
            let meanP = idx.reduce(0.0) { $0 + p[$1] } / Double(size)
            cumPos += pos
            cumCount += size
            let rate = Double(pos) / Double(size)
            rows.append(
                DecileRow(
                    decile: g + 1, count: size, positives: pos, minPredicted: idx.map { p[$0] }.min()!,
                    maxPredicted: idx.map { p[$0] }.max()!, meanPredicted: meanP, observedRate: rate,
                    lift: overall > 0 ? rate / overall : .nan,
                    cumulativeGain: totalPositives > 0 ? Double(cumPos) / Double(totalPositives) : .nan,
                    cumulativeLift: overall > 0 ? (Double(cumPos) / Double(cumCount)) / overall : .nan))
            start += size
        }
        return rows
    }
}
