/// Weighted versions of the comparison statistics, for the paired
/// bootstrap.
///
/// A bootstrap resample of n rows is represented by the multiplicity w_i of
/// each row (how often it was drawn; Σ w_i = n). Every scorer is evaluated
/// on the same multiplicities, so the differences between scorers keep
/// their pairing. Intervals are the 2.5th and 97.5th percentiles of the B
/// resampled differences (linear interpolation between order statistics,
/// numpy's default), with the resamples drawn by `SeededGenerator`:
/// resample b draws n indices with `index(below: n)`.
public struct RankedScores: Sendable {
    /// Row indices by score, highest first (ties: lower index first).
    let descending: [Int]
    /// For each position in `descending`, the index of the first position
    /// of its tie group.
    let tieStart: [Int]
    let tieEnd: [Int]

    public init(scores: [Double]) {
        // Radix sort (the same unique order as the comparison sort, which
        // remains for NaN scores).
        let order = ScoreSort.descendingOrder(scores) ?? ScoreSort.descendingOrderByComparison(scores)
        var start = [Int](repeating: 0, count: order.count), end = start
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            for k in i...j { start[k] = i; end[k] = j }
            i = j + 1
        }
        descending = order
        tieStart = start
        tieEnd = end
    }

    /// AUC under multiplicities w: Σ_pos w_i (W_neg below s_i + ½ W_neg tied
    /// with s_i) / (W_pos W_neg). NaN when a class has no weight.
    func auc(labels y: [Double], weights w: [Double]) -> Double {
        // Walk from the lowest score up, a tie group at a time.
        var negBelow = 0.0, numerator = 0.0, wPos = 0.0, wNeg = 0.0
        var k = descending.count - 1
        while k >= 0 {
            let lo = tieStart[k]
            var groupPos = 0.0, groupNeg = 0.0
            for m in lo...k {
                let r = descending[m]
                if y[r] > 0.5 { groupPos += w[r] } else { groupNeg += w[r] }
            }
            numerator += groupPos * (negBelow + 0.5 * groupNeg)
            negBelow += groupNeg
            wPos += groupPos
            wNeg += groupNeg
            k = lo - 1
        }
        return wPos > 0 && wNeg > 0 ? numerator / (wPos * wNeg) : .nan
    }

    /// Σ w_i v_i over the first `count` units of weight in score order,
    /// highest first. Tied scores have no order between them, so a tie group
    /// that straddles the boundary contributes pro rata (the expected value
    /// if the ties were broken at random): the result does not depend on the
    /// order of the rows in the file.
    func sumInTop(_ count: Double, values v: [Double], weights w: [Double]) -> Double {
        var taken = 0.0, total = 0.0
        var k = 0
        while k < descending.count && taken < count {
            let end = tieEnd[k]
            var groupWeight = 0.0, groupSum = 0.0
            for m in k...end {
                let r = descending[m]
                groupWeight += w[r]
                groupSum += w[r] * v[r]
            }
            if groupWeight > 0 {
                let share = min(1, (count - taken) / groupWeight)
                total += share * groupSum
                taken += share * groupWeight
            }
            k = end + 1
        }
        return total
    }

    /// Conversions among the first `count` units of weight (see `sumInTop`).
    func conversionsInTop(_ count: Double, labels y: [Double], weights w: [Double]) -> Double {
        sumInTop(count, values: y, weights: w)
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
