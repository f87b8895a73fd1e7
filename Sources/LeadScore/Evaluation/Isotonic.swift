import Foundation

// Isotonic calibration: a non-decreasing map from a score (rule-based
// points, a raw model score) to a probability, learned on a calibration
// split.
//
// Fit. Given scores x_i, labels y_i (0/1, or any finite values) and
// weights w_i ≥ 0 (1 when absent), isotonic regression finds the
// non-decreasing f minimising Σ w_i (y_i − f(x_i))² (Barlow et al. 1972;
// Zadrozny & Elkan 2002 for calibration). As in scikit-learn's
// IsotonicRegression(increasing=True, out_of_bounds="clip"):
// 1. rows with weight 0 are dropped;
// 2. rows are sorted by score (then label), and tied scores are pooled
//    first into one point: the weighted mean Σ w y / Σ w at weight Σ w. A
//    run of scores is a tie when each lies less than 1e-15 above the run's
//    first score (scikit-learn's `_make_unique` uses numpy's float64
//    resolution, 1e-15, as its tie tolerance); the point takes the first
//    score;
// 3. pool adjacent violators (PAVA) on the pooled points: scanning left to
//    right, a block whose mean is not above the previous block's mean is
//    merged into it (weighted mean of the two), repeatedly, so every block
//    mean is strictly above its predecessor's (Ayer et al. 1955; Best &
//    Chakravarti 1990). O(n) after the sort;
// 4. breakpoints: the pooled scores with their fitted values, keeping only
//    the first and last of each run of equal fitted values (interpolation
//    between them is unchanged).
//
// Predict: `IsotonicCalibration.predict` (Model/IsotonicCalibration.swift),
// the map a recalibrated model card stores.
//
// Errors. `fit` throws `FitError` for no rows of positive weight, a
// non-finite score or label, or a negative or non-finite weight; lengths
// must agree (precondition).
//
// References: M. Ayer, H. D. Brunk, G. M. Ewing, W. T. Reid, E. Silverman,
// "An empirical distribution function for sampling with incomplete
// information", Ann. Math. Statist. 26 (1955) 641–647. R. E. Barlow et al.,
// "Statistical Inference under Order Restrictions" (Wiley 1972). M. J. Best,
// N. Chakravarti, "Active set algorithms for isotonic regression",
// Math. Programming 47 (1990) 425–439. B. Zadrozny, C. Elkan, "Transforming
// classifier scores into accurate multiclass probability estimates", KDD 2002.

extension IsotonicCalibration {
    public enum FitError: Error, Equatable, Sendable {
        /// No row with positive weight.
        case empty
        /// A score or label that is NaN or infinite, at this row.
        case nonFinite(row: Int)
        /// A weight that is negative, NaN or infinite, at this row.
        case invalidWeight(row: Int)
    }

    /// Tie tolerance when pooling scores (numpy's float64 resolution, as
    /// scikit-learn's `_make_unique`).
    static let tieTolerance = 1e-15

    /// Fits the increasing isotonic regression of `labels` on `scores`.
    public static func fit(scores x: [Double], labels y: [Double], weights: [Double]? = nil) throws(FitError)
        -> IsotonicCalibration
    {
        precondition(x.count == y.count && (weights?.count ?? x.count) == x.count, "Isotonic: lengths differ")
        var rows: [Int] = []
        for i in x.indices {
            guard x[i].isFinite, y[i].isFinite else { throw .nonFinite(row: i) }
            let w = weights?[i] ?? 1
            guard w.isFinite, w >= 0 else { throw .invalidWeight(row: i) }
            if w > 0 { rows.append(i) }
        }
        guard !rows.isEmpty else { throw .empty }
        rows.sort { x[$0] != x[$1] ? x[$0] < x[$1] : (y[$0] != y[$1] ? y[$0] < y[$1] : $0 < $1) }

        // 2. Pool tied scores.
        var px: [Double] = [], py: [Double] = [], pw: [Double] = []
        var start = x[rows[0]], sumW = 0.0, sumWY = 0.0
        for i in rows {
            let w = weights?[i] ?? 1
            if x[i] - start >= tieTolerance {
                px.append(start); pw.append(sumW); py.append(sumWY / sumW)
                start = x[i]; sumW = 0; sumWY = 0
            }
            sumW += w
            sumWY += y[i] * w
        }
        px.append(start); pw.append(sumW); py.append(sumWY / sumW)

        // 3. Pool adjacent violators: blocks of consecutive points.
        var blockMean: [Double] = [], blockWeight: [Double] = [], blockEnd: [Int] = []
        for k in py.indices {
            var mean = py[k], weight = pw[k]
            while let last = blockMean.last, last >= mean {
                let w = blockWeight.last!
                mean = (last * w + mean * weight) / (w + weight)
                weight += w
                blockMean.removeLast(); blockWeight.removeLast(); blockEnd.removeLast()
            }
            blockMean.append(mean); blockWeight.append(weight); blockEnd.append(k)
        }
        var fitted = [Double](repeating: 0, count: py.count)
        var from = 0
        for (b, end) in blockEnd.enumerated() {
            for k in from...end { fitted[k] = blockMean[b] }
            from = end + 1
        }

        // 4. Keep the ends of each run of equal fitted values.
        var xs: [Double] = [], ys: [Double] = []
        for k in fitted.indices {
            let interior = k > 0 && k < fitted.count - 1 && fitted[k] == fitted[k - 1] && fitted[k] == fitted[k + 1]
            if !interior { xs.append(px[k]); ys.append(fitted[k]) }
        }
        return IsotonicCalibration(uncheckedScores: xs, probabilities: ys)
    }

}
