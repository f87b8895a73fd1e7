import Foundation

// Hosmer–Lemeshow statistic over the G equal-count groups (Hosmer &
// Lemeshow 1980; 2013, §5.2.2):
//
//     Ĉ = Σ_g (o_g − n_g p̄_g)² / (n_g p̄_g (1 − p̄_g))      over the non-empty groups
//
// (the same as Σ over both outcomes of (O − E)²/E). A group with p̄_g = 0 or
// 1 adds 0 when o_g = n_g p̄_g (0/0) and +∞ otherwise (p-value 0). The
// reference distribution is χ² with G′ − 2 degrees of freedom, G′ the
// number of non-empty groups (G = 10 for n ≥ 10, so df = 8); the p-value is
// Q((G′ − 2)/2, Ĉ/2), NaN when G′ ≤ 2.
//
// Regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) (`ChiSquared`):
// the series for P(a, x) = 1 − Q when x < a + 1, otherwise the continued
// fraction for Q evaluated by the modified Lentz method (Press et al.,
// Numerical Recipes, 3rd ed., §6.2), each summed to a relative 1e-16; the
// prefactor e^(−x) x^a / Γ(a) is formed in logs with lgamma. Agrees with
// scipy.stats.chi2.sf to ~1e-14 relative over the tested range (df 1–100,
// x up to 400).

/// The Hosmer–Lemeshow goodness-of-fit test over equal-count groups.
public struct HosmerLemeshow: Codable, Sendable, Equatable {
    /// Ĉ = Σ_g (o_g − n_g p̄_g)² / (n_g p̄_g (1 − p̄_g)).
    public var statistic: Double
    /// Non-empty groups − 2.
    public var degreesOfFreedom: Int
    /// Non-empty groups.
    public var groups: Int
    /// P(χ²_df > Ĉ); NaN when df < 1.
    public var pValue: Double

    public static func compute(labels: [Double], probabilities p: [Double], groups: Int = 10) -> HosmerLemeshow {
        precondition(labels.count == p.count, "Calibration: \(labels.count) labels for \(p.count) probabilities")
        guard CalibrationSupport.areProbabilities(p) else {
            return HosmerLemeshow(statistic: .nan, degreesOfFreedom: 0, groups: 0, pValue: .nan)
        }
        return test(y: CalibrationSupport.binary(labels), p: p, groups: Binning.equalCount(groups).groups(p))
    }

    static func test(y: [Double], p: [Double], groups: [[Int]]) -> HosmerLemeshow {
        var statistic = 0.0, used = 0
        for g in groups where !g.isEmpty {
            used += 1
            let n = Double(g.count)
            let observed = g.reduce(0.0) { $0 + y[$1] }
            let meanP = g.reduce(0.0) { $0 + p[$1] } / n
            let numerator = (observed - n * meanP) * (observed - n * meanP)
            let denominator = n * meanP * (1 - meanP)
            if denominator == 0 {
                statistic += numerator == 0 ? 0 : .infinity
            } else {
                statistic += numerator / denominator
            }
        }
        let df = used - 2
        guard used > 0 else { return HosmerLemeshow(statistic: .nan, degreesOfFreedom: df, groups: 0, pValue: .nan) }
        let pValue = df >= 1 ? ChiSquared.survival(statistic, degreesOfFreedom: Double(df)) : .nan
        return HosmerLemeshow(statistic: statistic, degreesOfFreedom: df, groups: used, pValue: pValue)
    }
}

/// The χ² distribution's survival function, through the regularised upper
/// incomplete gamma function (see the notes at the top of Calibration.swift).
public enum ChiSquared {
    /// P(χ²_k > x) = Q(k/2, x/2). 1 for x ≤ 0, 0 for x = ∞, NaN for NaN or k ≤ 0.
    public static func survival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        guard !x.isNaN, !k.isNaN, k > 0 else { return .nan }
        if x <= 0 { return 1 }
        return regularizedGammaQ(k / 2, x / 2)
    }

    /// Q(a, x) = Γ(a, x) / Γ(a) = 1 − P(a, x) for a > 0, x ≥ 0 (NaN otherwise).
    /// Series for P when x < a + 1, else Lentz's continued fraction for Q
    /// (Numerical Recipes §6.2).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        guard !a.isNaN, !x.isNaN, a > 0, x >= 0 else { return .nan }
        if x == 0 { return 1 }
        if x == .infinity { return 0 }
        let logPrefactor = -x + a * log(x) - lgamma(a)  // log(e^(−x) x^a / Γ(a))
        let epsilon = 1e-16
        if x < a + 1 {
            // P(a, x) = e^(−x) x^a / Γ(a) · Σ_{m≥0} x^m / (a (a+1) ⋯ (a+m)).
            var denominator = a, term = 1 / a, sum = term
            for _ in 0..<100_000 {
                denominator += 1
                term *= x / denominator
                sum += term
                if abs(term) < abs(sum) * epsilon { break }
            }
            return 1 - sum * exp(logPrefactor)
        }
        // Q(a, x) = e^(−x) x^a / Γ(a) · 1/(x+1−a − 1·(1−a)/(x+3−a − 2·(2−a)/(x+5−a − ⋯))).
        let tiny = Double.leastNormalMagnitude / epsilon
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return exp(logPrefactor) * h
    }
}
