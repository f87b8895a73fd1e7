import Foundation

// AUC with its DeLong variance, and the paired DeLong test of two scorers.
//
// Definitions. n₁ won rows with scores X₁…X_{n₁}, n₀ lost rows with scores
// Y₁…Y_{n₀} (a row is won when its label is > 0.5, as in BinaryMetrics).
// With the Mann–Whitney kernel
//
//     ψ(x, y) = 1 if x > y,  ½ if x = y,  0 if x < y
//
// the structural components (DeLong, DeLong & Clarke-Pearson 1988, §2) are
//
//     V₁₀(X_i) = (1/n₀) Σ_j ψ(X_i, Y_j)      one per won row
//     V₀₁(Y_j) = (1/n₁) Σ_i ψ(X_i, Y_j)      one per lost row
//
// and AUC = mean V₁₀ = mean V₀₁ (= scikit-learn's roc_auc_score; ties
// between classes count ½). The AUC reported is the ranking's own
// (`RankedScores.auc`, exact up to one rounding); the means of the
// components equal it up to rounding. For scorers r, s on the same rows
//
//     S₁₀[r,s] = Σ_i (V₁₀ʳ(X_i) − AUCʳ)(V₁₀ˢ(X_i) − AUCˢ) / (n₁ − 1)
//     S₀₁[r,s] = Σ_j (V₀₁ʳ(Y_j) − AUCʳ)(V₀₁ˢ(Y_j) − AUCˢ) / (n₀ − 1)
//     S = S₁₀ / n₁ + S₀₁ / n₀
//
// so Var(AUCʳ) = S[r,r], Cov(AUCʳ, AUCˢ) = S[r,s] and
// Var(AUCʳ − AUCˢ) = S[r,r] + S[s,s] − 2 S[r,s] (DeLong et al., eq. 5 and
// the contrast L = (1, −1)). The means in S are the means of the components
// themselves (which equal the AUCs).
//
// Algorithm. The components are computed from the tie groups of the
// ranking (`RankedScores`, one radix sort) from midranks, as in Sun & Xu
// (2014): with T_Z the midrank of a score among all rows, T_X its
// midrank among the won rows and T_Y among the lost rows,
// V₁₀(X_i) = (T_Z(X_i) − T_X(X_i)) / n₀ and V₀₁(Y_j) = 1 − (T_Z(Y_j) − T_Y(Y_j)) / n₁.
// One pass over the tie groups evaluates these as exact counts: for a won
// row in a group of equal scores holding a won and b lost rows, with L lost
// rows strictly below, T_Z − T_X = L + b/2; for a lost row, with W won rows
// at or below the group's start, n₁ − (T_Z − T_Y) = (n₁ − W − a) + a/2. The
// numerators are integers or halves, so the components equal the O(n₁n₀)
// definition to the last bit.
//
// Intervals (z = 1.959963984540054, the 97.5% normal quantile):
// - AUC: AUC ± z·√Var, normal on the AUC scale, truncated to [0, 1] (as
//   pROC's `ci.auc(method = "delong")`).
// - `logitInterval()`: σ(logit(AUC) ± z·√Var / (AUC(1 − AUC))), the delta
//   method on the logit scale; it stays inside (0, 1) and is asymmetric near
//   the bounds, which suits small samples with AUC near 1. NaN when AUC is 0
//   or 1.
// - Difference AUCᵃ − AUCᵇ: ± z·√Var, not truncated; z = difference / √Var,
//   two-sided p = 2·Φ(−|z|) = erfc(|z|/√2). When Var = 0 (e.g. two scorers
//   that rank the rows identically) z is 0 and p is 1 if the difference is 0,
//   and z = ±∞, p = 0 otherwise. A variance that rounds below zero is
//   clamped to 0.
//
// Undefined inputs give NaN, never a trap or a thrown error:
// - one class absent (n₁ = 0 or n₀ = 0): AUC, variance and interval NaN
//   (BinaryMetrics.auc also returns NaN there);
// - n₁ = 1 or n₀ = 1: the AUC is defined, the variance (and interval) NaN,
//   since a sample variance needs two observations;
// - any NaN score: every result of that scorer is NaN (NaN cannot be ranked,
//   and dropping rows would silently change the sample a paired comparison
//   relies on). ±∞ are ordinary, rankable scores.
// Labels and scores must have the same length (precondition).
//
// References: E. R. DeLong, D. M. DeLong, D. L. Clarke-Pearson, "Comparing
// the areas under two or more correlated receiver operating characteristic
// curves: a nonparametric approach", Biometrics 44 (1988) 837–845.
// X. Sun, W. Xu, "Fast implementation of DeLong's algorithm for comparing the
// areas under correlated receiver operating characteristic curves", IEEE
// Signal Processing Letters 21 (2014) 1389–1393. X. Robin et al., "pROC",
// BMC Bioinformatics 12 (2011) 77.

/// An AUC with its DeLong variance and 95% interval (see DeLong.swift).
public struct AUCInterval: Codable, Sendable, Equatable {
    /// Probability that a random won row outscores a random lost one, ties ½.
    public var auc: Double
    /// DeLong variance S₁₀/n₁ + S₀₁/n₀.
    public var variance: Double
    /// max(0, AUC − z·√variance): normal on the AUC scale, truncated.
    public var lower: Double
    /// min(1, AUC + z·√variance).
    public var upper: Double
    /// n₁, the won rows.
    public var positives: Int
    /// n₀, the lost rows.
    public var negatives: Int

    public init(auc: Double, variance: Double, positives: Int, negatives: Int) {
        self.auc = auc
        self.variance = variance
        let half = DeLong.z95 * variance.squareRoot()
        self.lower = max(0, auc - half)
        self.upper = min(1, auc + half)
        if auc.isNaN || variance.isNaN { (lower, upper) = (.nan, .nan) }
        self.positives = positives
        self.negatives = negatives
    }

    public var standardError: Double { variance.squareRoot() }

    /// Gini = 2·AUC − 1.
    public var gini: Double { 2 * auc - 1 }

    /// The 95% interval built on the logit scale and mapped back:
    /// σ(logit(AUC) ± z·√variance / (AUC(1 − AUC))). NaN when AUC is 0 or 1.
    public func logitInterval() -> (lower: Double, upper: Double) {
        guard auc > 0, auc < 1 else { return (.nan, .nan) }
        let centre = log(auc / (1 - auc))
        let half = DeLong.z95 * variance.squareRoot() / (auc * (1 - auc))
        return (sigmoid(centre - half), sigmoid(centre + half))
    }
}

/// The paired DeLong comparison of two scorers on the same rows.
public struct AUCDifference: Codable, Sendable, Equatable {
    public var first: AUCInterval
    public var second: AUCInterval
    /// first.auc − second.auc.
    public var difference: Double
    /// Var(AUC₁ − AUC₂) = Var₁ + Var₂ − 2·Cov.
    public var variance: Double
    /// Cov(AUC₁, AUC₂) from the structural components.
    public var covariance: Double
    /// Cov / √(Var₁·Var₂).
    public var correlation: Double
    /// difference ± z·√variance (not truncated).
    public var lower: Double
    public var upper: Double
    /// difference / √variance.
    public var z: Double
    /// Two-sided p-value 2·Φ(−|z|).
    public var pValue: Double
}

public enum DeLong {
    /// The 97.5% quantile of the standard normal (scipy.stats.norm.ppf(0.975)).
    public static let z95 = 1.959963984540054

    /// The AUC of `scores` against `labels` (0/1) with its DeLong variance
    /// and 95% interval.
    public static func auc(labels: [Double], scores: [Double]) -> AUCInterval {
        precondition(labels.count == scores.count, "DeLong: \(labels.count) labels for \(scores.count) scores")
        return auc(RankedScores(scores: scores, labels: labels), labels: labels)
    }

    /// The same from the ranking of the scores (nil: a NaN score). The AUC
    /// is the ranking's; the variance is S₁₀/n₁ + S₀₁/n₀ around the means
    /// of the components.
    static func auc(_ ranked: RankedScores?, labels: [Double]) -> AUCInterval {
        let (n1, n0) = classCounts(labels)
        guard let ranked, let c = components(ranked, labels: labels) else {
            return AUCInterval(auc: .nan, variance: .nan, positives: n1, negatives: n0)
        }
        let m10 = mean(c.v10), m01 = mean(c.v01)
        let variance = covariance(c.v10, m10, c.v10, m10) / Double(n1) + covariance(c.v01, m01, c.v01, m01) / Double(n0)
        return AUCInterval(auc: ranked.auc(), variance: variance, positives: n1, negatives: n0)
    }

    /// The paired comparison of two scorers on the same rows: the difference
    /// first − second, its DeLong variance, 95% interval and two-sided p-value.
    public static func compare(labels: [Double], _ first: [Double], _ second: [Double]) -> AUCDifference {
        precondition(labels.count == first.count && labels.count == second.count, "DeLong: scorers of different lengths")
        return compare(labels: labels, RankedScores(scores: first, labels: labels), RankedScores(scores: second, labels: labels))
    }

    /// The same from the rankings of the two scorers (nil: a NaN score).
    static func compare(labels: [Double], _ first: RankedScores?, _ second: RankedScores?) -> AUCDifference {
        let (n1, n0) = classCounts(labels)
        guard let first, let second, let a = components(first, labels: labels), let b = components(second, labels: labels) else {
            return AUCDifference(
                first: auc(first, labels: labels), second: auc(second, labels: labels),
                difference: .nan, variance: .nan, covariance: .nan, correlation: .nan, lower: .nan, upper: .nan,
                z: .nan, pValue: .nan)
        }
        let a10 = mean(a.v10), a01 = mean(a.v01), b10 = mean(b.v10), b01 = mean(b.v01)
        let d1 = Double(n1), d0 = Double(n0)
        let varA = covariance(a.v10, a10, a.v10, a10) / d1 + covariance(a.v01, a01, a.v01, a01) / d0
        let varB = covariance(b.v10, b10, b.v10, b10) / d1 + covariance(b.v01, b01, b.v01, b01) / d0
        let cov = covariance(a.v10, a10, b.v10, b10) / d1 + covariance(a.v01, a01, b.v01, b01) / d0
        let aucA = first.auc(), aucB = second.auc()
        let difference = aucA - aucB
        var variance = varA + varB - 2 * cov
        if variance < 0 { variance = 0 }
        let se = variance.squareRoot()
        let z: Double
        if variance == 0 && !difference.isNaN {
            z = difference == 0 ? 0 : (difference > 0 ? .infinity : -.infinity)
        } else {
            z = difference / se
        }
        return AUCDifference(
            first: AUCInterval(auc: aucA, variance: varA, positives: n1, negatives: n0),
            second: AUCInterval(auc: aucB, variance: varB, positives: n1, negatives: n0),
            difference: difference, variance: variance, covariance: cov,
            correlation: cov / (varA * varB).squareRoot(),
            lower: difference - z95 * se, upper: difference + z95 * se,
            z: z, pValue: erfc(abs(z) / 2.0.squareRoot()))
    }

    /// The structural components V₁₀ (won rows, in row order) and V₀₁ (lost
    /// rows, in row order) by one pass over the tie groups of the ranking
    /// (Sun & Xu midranks, as exact counts). Nil when a class is absent.
    static func components(_ ranked: RankedScores, labels: [Double]) -> (v10: [Double], v01: [Double])? {
        let n = labels.count
        let won = labels.map { $0 > 0.5 }
        let n1 = won.reduce(0) { $0 + ($1 ? 1 : 0) }, n0 = n - n1
        guard n1 > 0, n0 > 0 else { return nil }
        // Position of each row among the rows of its class.
        var slot = [Int](repeating: 0, count: n)
        var nextWon = 0, nextLost = 0
        for i in 0..<n {
            if won[i] { slot[i] = nextWon; nextWon += 1 } else { slot[i] = nextLost; nextLost += 1 }
        }
        var v10 = [Double](repeating: 0, count: n1), v01 = [Double](repeating: 0, count: n0)
        var wonBelow = 0, lostBelow = 0
        ranked.forEachGroupAscending { group in
            var a = 0, b = 0
            for k in group { if ranked.isPositive(at: k) { a += 1 } else { b += 1 } }
            let wonScore = (Double(lostBelow) + Double(b) / 2) / Double(n0)
            let lostScore = (Double(n1 - wonBelow - a) + Double(a) / 2) / Double(n1)
            for k in group {
                let r = ranked.row(at: k)
                if won[r] { v10[slot[r]] = wonScore } else { v01[slot[r]] = lostScore }
            }
            wonBelow += a
            lostBelow += b
        }
        return (v10, v01)
    }

    static func classCounts(_ labels: [Double]) -> (won: Int, lost: Int) {
        let won = labels.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) }
        return (won, labels.count - won)
    }

    static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

    /// Σ (u − mu)(v − mv) / (n − 1); NaN for n = 1.
    static func covariance(_ u: [Double], _ mu: Double, _ v: [Double], _ mv: Double) -> Double {
        var sum = 0.0
        for k in u.indices { sum += (u[k] - mu) * (v[k] - mv) }
        return u.count > 1 ? sum / Double(u.count - 1) : .nan
    }
}
