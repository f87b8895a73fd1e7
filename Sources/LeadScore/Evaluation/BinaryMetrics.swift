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
        let ranked = ranking(labels: y, probabilities: p)
        return BinaryMetrics(
            rows: n, positives: positives, baseRate: Double(positives) / denom, auc: ranked.auc,
            logLoss: loss / denom, brier: brier / denom, deciles: ranked.deciles)
    }

    /// AUC and deciles. One radix sort serves both (nil for NaN
    /// probabilities, which only the comparison sorts place).
    static func ranking(labels y: [Double], probabilities p: [Double]) -> (auc: Double, deciles: [DecileRow]) {
        let sorted = DescendingScores(p, labels: y)
        return (
            sorted.map(auc) ?? aucBySorting(labels: y, scores: p),
            sorted.map { deciles($0, probabilities: p) } ?? decilesBySorting(labels: y, probabilities: p)
        )
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
        guard y.count == s.count, let sorted = DescendingScores(s, labels: y) else { return aucBySorting(labels: y, scores: s) }
        return auc(sorted)
    }

    /// AUC by midranks from the rows sorted by score (highest first; the
    /// labels are the positive bits). The tie groups (equal keys, i.e.
    /// equal scores) are walked from the lowest score up, as `aucBySorting`
    /// walks them: the group at descending positions lo…hi holds the
    /// ascending 0-based positions (n − 1 − hi)…(n − 1 − lo), so its
    /// midrank (1-based) is ((n − 1 − hi) + (n − 1 − lo)) / 2 + 1, added once
    /// per positive row. The same additions in the same order as
    /// `aucBySorting`: the same result, bit for bit.
    static func auc(_ sorted: DescendingScores) -> Double {
        let n = sorted.count
        var rankSumPositive = 0.0
        var positives = 0.0
        sorted.keys.withUnsafeBufferPointer { keys in
            sorted.rows.withUnsafeBufferPointer { rows in
                var hi = n - 1
                while hi >= 0 {
                    var lo = hi
                    let key = keys[hi]
                    while lo > 0 && keys[lo - 1] == key { lo -= 1 }
                    let midrank = Double((n - 1 - hi) + (n - 1 - lo)) / 2 + 1
                    for k in lo...hi where rows[k] & DescendingScores.positiveBit != 0 {
                        rankSumPositive += midrank
                        positives += 1
                    }
                    hi = lo - 1
                }
            }
        }
        let negatives = Double(n) - positives
        guard positives > 0, negatives > 0 else { return .nan }
        return (rankSumPositive - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// AUC by midranks with a comparison sort: the definition, used when a
    /// score is NaN (which has no place in the radix order).
    static func aucBySorting(labels y: [Double], scores s: [Double]) -> Double {
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
        guard y.count == p.count, let sorted = DescendingScores(p, labels: y) else {
            return decilesBySorting(labels: y, probabilities: p, groups: groups)
        }
        return deciles(sorted, probabilities: p, groups: groups)
    }

    /// Deciles from the rows sorted by p descending, ties by row index (the
    /// labels are the positive bits), summed in that order as
    /// `decilesBySorting` sums them. A probability is read back from its
    /// sort key, which is exact except that −0 comes back as +0: then it is
    /// read from `p`.
    static func deciles(_ sorted: DescendingScores, probabilities p: [Double], groups: Int = 10) -> [DecileRow] {
        let n = sorted.count
        guard n > 0 else { return [] }
        return sorted.keys.withUnsafeBufferPointer { keys in
            sorted.rows.withUnsafeBufferPointer { rows in
                let bit = DescendingScores.positiveBit
                let fromKeys = !sorted.hasNegativeZero
                @inline(__always) func value(_ k: Int) -> Double {
                    fromKeys ? ScoreSort.value(ofKey: ~keys[k]) : p[Int(rows[k] & ~bit)]
                }
                var totalPositives = 0
                for k in 0..<n where rows[k] & bit != 0 { totalPositives += 1 }
                let overall = Double(totalPositives) / Double(n)
                var result: [DecileRow] = []
                var start = 0, cumPos = 0, cumCount = 0
                for g in 0..<min(groups, n) {
                    let size = n / groups + (g < n % groups ? 1 : 0)
                    var pos = 0, sum = 0.0
                    // As Sequence.min() and max(): the first of equal extremes.
                    var low = value(start), high = low
                    for k in start..<start + size {
                        if rows[k] & bit != 0 { pos += 1 }
                        let v = value(k)
                        sum += v
                        if v < low { low = v }
                        if high < v { high = v }
                    }
                    let meanP = sum / Double(size)
                    cumPos += pos
                    cumCount += size
                    let rate = Double(pos) / Double(size)
                    result.append(
                        DecileRow(
                            decile: g + 1, count: size, positives: pos, minPredicted: low,
                            maxPredicted: high, meanPredicted: meanP, observedRate: rate,
                            lift: overall > 0 ? rate / overall : .nan,
                            cumulativeGain: totalPositives > 0 ? Double(cumPos) / Double(totalPositives) : .nan,
                            cumulativeLift: overall > 0 ? (Double(cumPos) / Double(cumCount)) / overall : .nan))
                    start += size
                }
                return result
            }
        }
    }

    /// The deciles by their definition (a comparison sort, and the sums
    /// written as reductions): the reference for `deciles`.
    static func decilesBySorting(labels y: [Double], probabilities p: [Double], groups: Int = 10) -> [DecileRow] {
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

