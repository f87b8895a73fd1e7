/// Leads ranked by score, highest first: the one ranking behind every
/// rank-based number LeadScore reports. The AUC (of the model card,
/// `evaluate`, the paired bootstrap, the points export and the leakage
/// check), DeLong's placement values, the Kolmogorov–Smirnov statistic,
/// the decile tables, capture in the top k and the gains curve all walk
/// this order and its groups of tied scores.
///
/// Order. Rows are sorted by score, highest first, by a radix sort on
/// order-preserving keys (`ScoreSort`); equal scores keep their row order,
/// which no result depends on (below). −0 and +0 are one score.
///
/// Ties. Leads with equal scores have no order between them, so every
/// quantity is one that does not depend on how ties are broken:
/// - AUC = Σ_g P_g (N_below(g) + ½ N_g) / (P · N) over the tie groups g,
///   P_g and N_g the won and lost weight of group g (Mann–Whitney U with a
///   tie counting ½, scikit-learn's `roc_auc_score`). With whole weights
///   (counts, bootstrap multiplicities) every partial sum is a multiple of
///   ½ below 2⁵³ and so exact: the AUC is U / (P · N) rounded once, the
///   same value as the midrank formula.
/// - Where a decile, the top k or a point of the gains curve cuts through a
///   tie group, the group's conversions and probabilities are shared pro
///   rata, by the fraction of the group's rows inside the cut: the expected
///   value if the ties were broken at random.
///
/// NaN. A NaN score has no place in any order: `init` returns nil, and the
/// callers report an undefined ranking (AUC and KS NaN, no deciles). No
/// model or rules file produces one.
public struct RankedScores: Sendable {
    static let positiveBit: UInt32 = 1 << 31

    /// `~ScoreSort.key(score)` per position, ascending: highest score first.
    let keys: [UInt64]
    /// The row index per position, with `positiveBit` set where the row is
    /// won (label above ½).
    let rows: [UInt32]
    /// The scores by row: the value at a position when a key cannot give
    /// it back (−0).
    let scores: [Double]
    let hasNegativeZero: Bool

    /// Ranks `scores`; `labels` (1 won, 0 lost) has their length. nil when a
    /// score is NaN, or for 2³¹ rows or more.
    public init?(scores: [Double], labels: [Double]) {
        let n = scores.count
        precondition(labels.count == n, "RankedScores: \(labels.count) labels for \(n) scores")
        guard n < Int(RankedScores.positiveBit) else { return nil }
        var keys = [UInt64](repeating: 0, count: n)
        var rows = [UInt32](repeating: 0, count: n)
        var nan = false, negativeZero = false
        scores.withUnsafeBufferPointer { s in
            labels.withUnsafeBufferPointer { y in
                keys.withUnsafeMutableBufferPointer { k in
                    rows.withUnsafeMutableBufferPointer { r in
                        for i in 0..<n {
                            let x = s[i]
                            if x.isNaN { nan = true }
                            if x.bitPattern == ScoreSort.signBit { negativeZero = true }
                            // Highest first = ascending complemented keys.
                            k[i] = ~ScoreSort.key(x)
                            r[i] = UInt32(i) | (y[i] > 0.5 ? RankedScores.positiveBit : 0)
                        }
                    }
                }
            }
        }
        if nan { return nil }
        // Stable: equal keys stay in ascending row order.
        ScoreSort.sort(&keys, carrying: &rows)
        self.keys = keys
        self.rows = rows
        self.scores = scores
        hasNegativeZero = negativeZero
    }

    public var count: Int { keys.count }

    /// The row at `position` (0: the highest score).
    @inline(__always)
    func row(at position: Int) -> Int { Int(rows[position] & ~RankedScores.positiveBit) }

    @inline(__always)
    func isPositive(at position: Int) -> Bool { rows[position] & RankedScores.positiveBit != 0 }

    /// The row indices, highest score first.
    var order: [Int] { rows.map { Int($0 & ~RankedScores.positiveBit) } }

    /// Calls `body` with the positions of each tie group, from the lowest
    /// score up.
    func forEachGroupAscending(_ body: (ClosedRange<Int>) -> Void) {
        keys.withUnsafeBufferPointer { k in
            var hi = k.count - 1
            while hi >= 0 {
                var lo = hi
                let key = k[hi]
                while lo > 0 && k[lo - 1] == key { lo -= 1 }
                body(lo...hi)
                hi = lo - 1
            }
        }
    }

    /// Calls `body` with the positions of each tie group, from the highest
    /// score down; `body` returns false to stop.
    func forEachGroupDescending(_ body: (ClosedRange<Int>) -> Bool) {
        keys.withUnsafeBufferPointer { k in
            var lo = 0
            while lo < k.count {
                var hi = lo
                let key = k[lo]
                while hi + 1 < k.count && k[hi + 1] == key { hi += 1 }
                if !body(lo...hi) { return }
                lo = hi + 1
            }
        }
    }

    /// The AUC (see the type's notes) with each row counted `weights[row]`
    /// times (nil: once): bootstrap multiplicities, or 0 to leave a row
    /// out. NaN when a class has no weight.
    public func auc(weights: [Double]? = nil) -> Double {
        var auc = AUCAccumulator()
        rows.withUnsafeBufferPointer { r in
            forEachGroupAscending { group in
                var positive = 0.0, negative = 0.0
                if let weights {
                    for k in group {
                        let w = weights[Int(r[k] & ~RankedScores.positiveBit)]
                        if r[k] & RankedScores.positiveBit != 0 { positive += w } else { negative += w }
                    }
                } else {
                    for k in group {
                        if r[k] & RankedScores.positiveBit != 0 { positive += 1 } else { negative += 1 }
                    }
                }
                auc.add(positive: positive, negative: negative)
            }
        }
        return auc.value
    }

    /// Won leads among the first `count` units of weight in score order,
    /// highest first, each row counted `weights[row]` times (nil: once); a
    /// tie group that straddles the boundary contributes pro rata.
    func conversionsInTop(_ count: Double, weights: [Double]? = nil) -> Double {
        var taken = 0.0, total = 0.0
        forEachGroupDescending { group in
            guard taken < count else { return false }
            var groupWeight = 0.0, groupWon = 0.0
            for k in group {
                let w = weights?[row(at: k)] ?? 1
                groupWeight += w
                groupWon += w * (isPositive(at: k) ? 1 : 0)
            }
            if groupWeight > 0 {
                let share = min(1, (count - taken) / groupWeight)
                total += share * groupWon
                taken += share * groupWeight
            }
            return true
        }
        return total
    }

    /// The decile table: the ranked rows split into `groups` consecutive
    /// parts whose sizes differ by at most one, the larger first
    /// (`numpy.array_split`); part 1 holds the highest scores. A tie group
    /// cut by a boundary gives each part the share of its won leads and
    /// probabilities that the part holds of its rows; `positives` is then
    /// rounded, the rates are not. `probabilities` are the values averaged
    /// per part (nil: the ranked scores themselves); the lowest and highest
    /// are those of the rows at the part's positions. Lift, gain and
    /// cumulative lift are NaN when there is no won lead.
    func deciles(probabilities: [Double]? = nil, groups: Int = 10) -> [BinaryMetrics.DecileRow] {
        let n = count
        guard n > 0 else { return [] }
        let parts = min(groups, n)
        var start = [Int](repeating: 0, count: parts + 1)
        for g in 0..<parts { start[g + 1] = start[g] + n / groups + (g < n % groups ? 1 : 0) }
        var won = [Double](repeating: 0, count: parts), sum = won
        var low = [Double](repeating: 0, count: parts), high = low
        var totalPositives = 0
        keys.withUnsafeBufferPointer { keys in
            @inline(__always) func value(_ k: Int) -> Double {
                if let probabilities { return probabilities[row(at: k)] }
                return hasNegativeZero ? scores[row(at: k)] : ScoreSort.value(ofKey: ~keys[k])
            }
            // The lowest and highest value at each part's positions (as
            // Sequence.min() and max(): the first of equal extremes).
            for g in 0..<parts {
                var lo = value(start[g]), hi = lo
                for k in start[g]..<start[g + 1] {
                    let v = value(k)
                    if v < lo { lo = v }
                    if hi < v { hi = v }
                }
                (low[g], high[g]) = (lo, hi)
            }
            // Each tie group's won count and sum, shared among the parts it
            // overlaps.
            var part = 0
            forEachGroupDescending { group in
                var groupWon = 0.0, groupSum = 0.0
                for k in group {
                    if isPositive(at: k) { groupWon += 1 }
                    groupSum += value(k)
                }
                totalPositives += Int(groupWon)
                let a = group.lowerBound, b = group.upperBound + 1
                while part < parts && start[part + 1] <= a { part += 1 }
                var g = part
                while g < parts && start[g] < b {
                    let overlap = min(b, start[g + 1]) - max(a, start[g])
                    if overlap == b - a {
                        won[g] += groupWon
                        sum[g] += groupSum
                    } else {
                        let share = Double(overlap) / Double(b - a)
                        won[g] += share * groupWon
                        sum[g] += share * groupSum
                    }
                    g += 1
                }
                return true
            }
        }
        let overall = Double(totalPositives) / Double(n)
        var rows: [BinaryMetrics.DecileRow] = []
        var cumulative = 0.0
        for g in 0..<parts {
            let size = start[g + 1] - start[g]
            let rate = won[g] / Double(size)
            cumulative += won[g]
            rows.append(
                BinaryMetrics.DecileRow(
                    decile: g + 1, count: size, positives: Int(won[g].rounded()), minPredicted: low[g], maxPredicted: high[g],
                    meanPredicted: sum[g] / Double(size), observedRate: rate, lift: totalPositives > 0 ? rate / overall : .nan,
                    cumulativeGain: totalPositives > 0 ? cumulative / Double(totalPositives) : .nan,
                    cumulativeLift: totalPositives > 0 ? cumulative / Double(start[g + 1]) / overall : .nan))
        }
        return rows
    }
}

/// The AUC summed over groups of tied scores, from the lowest score up:
/// each group adds P_g (N_below + ½ N_g) to the numerator. The one formula
/// of the AUC, for `RankedScores` and for `GroupedAUC`.
struct AUCAccumulator {
    private var negativesBelow = 0.0, numerator = 0.0, positives = 0.0, negatives = 0.0

    @inline(__always)
    mutating func add(positive: Double, negative: Double) {
        numerator += positive * (negativesBelow + 0.5 * negative)
        negativesBelow += negative
        positives += positive
        negatives += negative
    }

    /// NaN when a class has no weight.
    var value: Double { positives > 0 && negatives > 0 ? numerator / (positives * negatives) : .nan }
}

/// The AUC of a score that takes few distinct values, from the won and lost
/// counts per distinct value, without sorting rows (the leakage check).
/// Groups are in ascending score order with distinct scores; the value is
/// `AUCAccumulator`'s, so it equals `RankedScores.auc` on the same rows.
struct GroupedAUC {
    /// Positive and negative weight per group.
    var positive: [Double] = []
    var negative: [Double] = []

    var value: Double {
        var auc = AUCAccumulator()
        for g in positive.indices { auc.add(positive: positive[g], negative: negative[g]) }
        return auc.value
    }

    /// Groups from (score, positive count, negative count) entries in any
    /// order, scores not NaN: entries with equal scores (==) are merged.
    static func fromEntries(_ entries: [(score: Double, positive: Int, negative: Int)]) -> GroupedAUC {
        var result = GroupedAUC()
        var last: Double? = nil
        for e in entries.sorted(by: { $0.score < $1.score }) {
            if let l = last, l == e.score {
                result.positive[result.positive.count - 1] += Double(e.positive)
                result.negative[result.negative.count - 1] += Double(e.negative)
            } else {
                result.positive.append(Double(e.positive))
                result.negative.append(Double(e.negative))
                last = e.score
            }
        }
        return result
    }
}
