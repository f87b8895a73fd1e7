/// Sorting of scores by radix sort on order-preserving integer keys, for the
/// metrics that rank rows (AUC, deciles, the leakage check).
///
/// The order of doubles is carried over to unsigned integers by
/// `key(_:)`: for x ≥ +0 the IEEE 754 bit pattern with the sign bit set,
/// for x < 0 the complement of the bit pattern. Then for doubles a, b that
/// are not NaN, a < b ⇔ key(a) < key(b) and a == b ⇔ key(a) == key(b)
/// (−0 is mapped to +0 first, as −0 == +0). Sorting keys is a least
/// significant digit radix sort: one counting pass per 11-bit digit, each
/// stable, so rows with equal keys keep their input order. A digit on which
/// all keys agree is skipped.
///
/// NaN is not ordered with anything, so the comparison sorts give it no
/// defined place; `descendingOrder` and `DescendingScores` give nil when a
/// score is NaN, and the callers fall back to the comparison sort they
/// always used.
enum ScoreSort {
    static let signBit: UInt64 = 1 << 63

    /// Order-preserving key of a double that is not NaN.
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = (x == 0 ? 0.0 : x).bitPattern
        return bits & signBit != 0 ? ~bits : bits | signBit
    }

    /// The double of a key (inverse of `key`; −0 comes back as +0).
    @inline(__always)
    static func value(ofKey k: UInt64) -> Double {
        Double(bitPattern: k & signBit != 0 ? k & ~signBit : ~k)
    }

    static let digitBits = 11
    static let digitCount = (64 + digitBits - 1) / digitBits
    static let buckets = 1 << digitBits

    /// Row indices of `scores`, highest score first and equal scores by
    /// ascending index: the order of
    /// `scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }`,
    /// which is unique because (score, index) is a total order without NaN.
    /// nil when a score is NaN (or for 2³¹ rows or more).
    static func descendingOrder(_ scores: [Double]) -> [Int]? {
        DescendingScores(scores)?.order
    }

    /// Sorts `keys` ascending, in place.
    static func sort(_ keys: inout [UInt64]) {
        var none: [UInt32] = []
        sort(&keys, carrying: &none)
    }

    /// Sorts `keys` ascending, in place and stably, applying the same
    /// permutation to `payload` (when it is not empty; it then has the
    /// length of `keys`).
    static func sort(_ keys: inout [UInt64], carrying payload: inout [UInt32]) {
        let n = keys.count
        guard n > 1 else { return }
        let carry = !payload.isEmpty
        precondition(!carry || payload.count == n)
        // All digit histograms in one pass.
        var counts = [Int](repeating: 0, count: digitCount * buckets)
        let mask = UInt64(buckets - 1)
        keys.withUnsafeBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { c in
                for i in 0..<n {
                    var x = k[i]
                    for d in 0..<digitCount {
                        c[d * buckets + Int(x & mask)] += 1
                        x >>= UInt64(digitBits)
                    }
                }
            }
        }
        var otherKeys = [UInt64](repeating: 0, count: n)
        var otherPayload = [UInt32](repeating: 0, count: carry ? n : 0)
        var offsets = [Int](repeating: 0, count: buckets)
        for d in 0..<digitCount {
            let shift = UInt64(d * digitBits)
            // Skip a digit on which every key agrees (one bucket holds all).
            let first = counts[d * buckets + Int((keys[0] >> shift) & mask)]
            if first == n { continue }
            var total = 0
            for b in 0..<buckets {
                offsets[b] = total
                total += counts[d * buckets + b]
            }
            keys.withUnsafeBufferPointer { src in
                otherKeys.withUnsafeMutableBufferPointer { dst in
                    offsets.withUnsafeMutableBufferPointer { o in
                        if carry {
                            payload.withUnsafeBufferPointer { ps in
                                otherPayload.withUnsafeMutableBufferPointer { pd in
                                    for i in 0..<n {
                                        let x = src[i]
                                        let b = Int((x >> shift) & mask)
                                        let at = o[b]
                                        o[b] = at + 1
                                        dst[at] = x
                                        pd[at] = ps[i]
                                    }
                                }
                            }
                        } else {
                            for i in 0..<n {
                                let x = src[i]
                                let b = Int((x >> shift) & mask)
                                let at = o[b]
                                o[b] = at + 1
                                dst[at] = x
                            }
                        }
                    }
                }
            }
            swap(&keys, &otherKeys)
            if carry { swap(&payload, &otherPayload) }
        }
    }

    /// The comparison sort the radix sort replaces (for NaN scores, and as
    /// the reference in tests).
    static func descendingOrderByComparison(_ scores: [Double]) -> [Int] {
        scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    }
}

/// Scores sorted highest first, equal scores by ascending row index (the
/// order of `ScoreSort.descendingOrder`), kept as sorted keys with the row
/// index and a label bit per position, so that walks over the order read
/// memory in sequence.
struct DescendingScores {
    /// `~ScoreSort.key(score)` per position, ascending.
    let keys: [UInt64]
    /// Row index per position, with `positiveBit` set where the row's label
    /// is above ½.
    let rows: [UInt32]
    /// Whether a score is −0, which `score(at:)` gives back as +0.
    let hasNegativeZero: Bool
    static let positiveBit: UInt32 = 1 << 31

    /// nil when a score is NaN or there are 2³¹ rows or more. `labels`, when
    /// given, has the length of `scores`.
    init?(_ scores: [Double], labels: [Double]? = nil) {
        let n = scores.count
        guard n < Int(DescendingScores.positiveBit) else { return nil }
        precondition(labels == nil || labels!.count == n)
        var keys = [UInt64](repeating: 0, count: n)
        var rows = [UInt32](repeating: 0, count: n)
        var nan = false, negativeZero = false
        scores.withUnsafeBufferPointer { s in
            keys.withUnsafeMutableBufferPointer { k in
                rows.withUnsafeMutableBufferPointer { r in
                    for i in 0..<n {
                        let x = s[i]
                        if x.isNaN { nan = true }
                        if x.bitPattern == ScoreSort.signBit { negativeZero = true }
                        // Descending by score = ascending by the complemented key.
                        k[i] = ~ScoreSort.key(x)
                        r[i] = UInt32(i)
                    }
                    if let labels {
                        labels.withUnsafeBufferPointer { y in
                            for i in 0..<n where y[i] > 0.5 { r[i] |= DescendingScores.positiveBit }
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
        hasNegativeZero = negativeZero
    }

    var count: Int { keys.count }

    /// The row indices, in order.
    var order: [Int] { rows.map { Int($0 & ~DescendingScores.positiveBit) } }
}

/// The AUC of a score that takes few distinct values, from counts per
/// distinct value (Mann–Whitney with ties counting ½), without sorting rows.
///
/// With the distinct score values v₁ < v₂ < … < v_G and, for group g, the
/// positive weight P_g and negative weight N_g of its rows,
///
///   AUC = Σ_g P_g (Σ_{h<g} N_h + ½ N_g) / (Σ_g P_g · Σ_g N_g),
///
/// each positive row counting the negatives scored below it plus half of
/// those tied with it. The loop runs over the groups from the lowest score
/// up with the same floating-point operations, in the same order, as
/// `RankedScores.auc` (which walks the tie groups of the sorted rows from
/// the lowest score up), so the result is bitwise the same whenever the
/// per-group weights are (they are for unit weights: counts below 2⁵³ add
/// exactly in any order). NaN when a class has no weight.
struct GroupedAUC {
    /// Positive and negative weight per group, groups in ascending score
    /// order with distinct scores.
    var positive: [Double] = []
    var negative: [Double] = []

    var value: Double {
        var negBelow = 0.0, numerator = 0.0, wPos = 0.0, wNeg = 0.0
        for g in positive.indices {
            let groupPos = positive[g], groupNeg = negative[g]
            numerator += groupPos * (negBelow + 0.5 * groupNeg)
            negBelow += groupNeg
            wPos += groupPos
            wNeg += groupNeg
        }
        return wPos > 0 && wNeg > 0 ? numerator / (wPos * wNeg) : .nan
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
