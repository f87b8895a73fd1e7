import Foundation

// Ranking summaries used alongside the AUC when comparing lead scorers.
//
// Gini coefficient (the "accuracy ratio" of credit scoring):
//
//     Gini = 2·AUC − 1
//
// with the AUC of BinaryMetrics.auc (ties between classes count ½), so 0 is
// a random ranking, 1 a perfect one and negative values a reversed one.
//
// Kolmogorov–Smirnov statistic of the two class score distributions:
//
//     KS = max_t |F_won(t) − F_lost(t)|,   F_c(t) = #{rows of class c with score ≤ t} / n_c
//
// the empirical CDFs being right-continuous. Both CDFs are step functions
// that only move at observed scores, so the maximum over all real t is
// attained at an observed score, and it is enough to evaluate them at each
// distinct score after *all* rows tied at that score are counted (never
// between the members of a tie group, which would split a tie by row order).
// These are the points scipy.stats.ks_2samp(won, lost) uses
// (searchsorted(side="right") at every observation), so the statistic is
// scipy's to within an ulp (scipy's exact mode re-rounds it through
// lcm(n₁, n₀)).
//
// `threshold` is the smallest distinct score at which the maximum is
// attained: the cut "score ≤ t versus score > t" that separates the classes
// best, with `wonAtOrBelow` = F_won(t) and `lostAtOrBelow` = F_lost(t). Ties
// for the maximum are judged exactly, on the integers
// n₁n₀·|F_won(t) − F_lost(t)| = |c_won(t)·n₀ − c_lost(t)·n₁|, so rounding
// cannot make a later threshold look larger (|1/3 − 1| rounds above
// |0 − 2/3|); the statistic is |F_won(t) − F_lost(t)| in floating point at
// that threshold. (scipy's `statistic_location` takes the first maximiser in
// its concatenated-sample order instead, which differs only when several
// thresholds tie.) KS does not say which class scores higher; for a useful
// scorer lostAtOrBelow > wonAtOrBelow.
//
// Undefined inputs give NaN (as BinaryMetrics.auc and DeLong): one class
// absent, or any NaN score (NaN cannot be ordered). Constant scores give
// KS = 0 (threshold = that score) and Gini = 0. Labels are won when > 0.5.
//
// References: A. N. Kolmogorov (1933), N. Smirnov (1939); L. C. Thomas,
// D. B. Edelman, J. N. Crook, "Credit Scoring and Its Applications" (SIAM
// 2002), §7 (KS and Gini as scorecard measures); D. J. Hand, "Measuring
// classifier performance", Machine Learning 77 (2009) 103–123.

/// The Kolmogorov–Smirnov separation of the won and lost score distributions.
public struct KolmogorovSmirnov: Codable, Sendable, Equatable {
    /// max_t |F_won(t) − F_lost(t)|, in [0, 1].
    public var statistic: Double
    /// The smallest score t attaining the maximum.
    public var threshold: Double
    /// F_won(threshold): share of won rows scoring ≤ threshold.
    public var wonAtOrBelow: Double
    /// F_lost(threshold): share of lost rows scoring ≤ threshold.
    public var lostAtOrBelow: Double

    static let undefined = KolmogorovSmirnov(statistic: .nan, threshold: .nan, wonAtOrBelow: .nan, lostAtOrBelow: .nan)
}

public enum RankingMetrics {
    /// Gini = 2·AUC − 1; NaN for one class or any NaN score.
    public static func gini(labels: [Double], scores: [Double]) -> Double {
        precondition(labels.count == scores.count, "RankingMetrics: \(labels.count) labels for \(scores.count) scores")
        return 2 * BinaryMetrics.auc(labels: labels, scores: scores) - 1
    }

    /// The two-sample Kolmogorov–Smirnov statistic between the scores of won
    /// and lost rows, and the score where it is attained.
    public static func kolmogorovSmirnov(labels: [Double], scores s: [Double]) -> KolmogorovSmirnov {
        precondition(labels.count == s.count, "RankingMetrics: \(labels.count) labels for \(s.count) scores")
        guard let ranked = RankedScores(scores: s, labels: labels) else { return .undefined }
        return kolmogorovSmirnov(ranked)
    }

    /// The same from the ranking: the tie groups walked from the lowest
    /// score up, both CDFs evaluated after each whole group.
    static func kolmogorovSmirnov(_ ranked: RankedScores) -> KolmogorovSmirnov {
        var n1 = 0
        for k in 0..<ranked.count where ranked.isPositive(at: k) { n1 += 1 }
        let n0 = ranked.count - n1
        guard n1 > 0, n0 > 0 else { return .undefined }
        var best = KolmogorovSmirnov.undefined
        var bestGap = -1  // n₁n₀·|F_won − F_lost|, exact
        var wonSoFar = 0, lostSoFar = 0
        ranked.forEachGroupAscending { group in
            for k in group { if ranked.isPositive(at: k) { wonSoFar += 1 } else { lostSoFar += 1 } }
            let gap = abs(wonSoFar * n0 - lostSoFar * n1)
            if gap > bestGap {
                bestGap = gap
                let fWon = Double(wonSoFar) / Double(n1), fLost = Double(lostSoFar) / Double(n0)
                // The group's score as given (the first row of the group in row order).
                let t = ranked.scores[ranked.row(at: group.lowerBound)]
                best = KolmogorovSmirnov(statistic: abs(fWon - fLost), threshold: t, wonAtOrBelow: fWon, lostAtOrBelow: fLost)
            }
        }
        return best
    }
}
