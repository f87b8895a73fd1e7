import Foundation

// Numerically stable pieces of the logistic model.
//
// Goals: no overflow for any finite log-odds, full relative precision for
// probabilities near 0 and for the loss near 0 (the regime of a confident,
// correct prediction). References: Mächler, "Accurately Computing
// log(1 − exp(−|a|))", 2012; scikit-learn `_loss.pyx` (same branches).

/// The logistic function σ(η) = 1 / (1 + e^(−η)), η in log-odds.
///
/// For η ≥ 0 it uses 1 / (1 + e^(−η)); for η < 0 the algebraically equal
/// e^η / (1 + e^η), so e^x is only ever evaluated at x ≤ 0 and cannot
/// overflow. σ(±∞) = 1 or 0; NaN propagates.
@inlinable
public func sigmoid(_ eta: Double) -> Double {
    if eta >= 0 {
        return 1 / (1 + exp(-eta))
    } else {
        let e = exp(eta)
        return e / (1 + e)
    }
}

/// log(1 + e^η) without overflow or cancellation:
/// η ≤ −37: e^η (log1p is exact to double precision there);
/// −37 < η ≤ 18: log1p(e^η);
/// 18 < η ≤ 33.3: η + e^(−η);
/// η > 33.3: η.
/// The cut points are where each branch equals the exact value to within
/// one ulp (the same as scikit-learn's `log1pexp`).
@inlinable
public func log1pexp(_ eta: Double) -> Double {
    if eta <= -37 { return exp(eta) }
    if eta <= 18 { return log1p(exp(eta)) }
    if eta <= 33.3 { return eta + exp(-eta) }
    return eta
}

/// The logistic log-loss of one observation,
/// ℓ(y, η) = −[y log σ(η) + (1 − y) log(1 − σ(η))] = log(1 + e^η) − y·η,
/// written so that it never takes the log of a rounded probability and
/// never subtracts two large numbers: for y = 1 it is log(1 + e^(−η)), for
/// y = 0 it is log(1 + e^η), so a confident correct prediction keeps its
/// full relative precision (ℓ(1, 40) = e^(−40), not 0). Other y in [0, 1]
/// (soft labels) use y·log(1 + e^(−η)) + (1 − y)·log(1 + e^η).
@inlinable
public func logisticLoss(label y: Double, logOdds eta: Double) -> Double {
    if y == 1 { return log1pexp(-eta) }
    if y == 0 { return log1pexp(eta) }
    return y * log1pexp(-eta) + (1 - y) * log1pexp(eta)
}

/// The loss ℓ(y, η), the probability μ = σ(η) and its complement 1 − μ of
/// one observation, from a single exponential e = e^(−|η|) ∈ (0, 1]:
///
///     η ≥ 0:  μ = 1 / (1 + e),  1 − μ = e / (1 + e)
///     η < 0:  μ = e / (1 + e),  1 − μ = 1 / (1 + e)
///
/// so neither μ nor 1 − μ is ever obtained by a subtraction that cancels
/// (1 − μ for η = 40 is e^(−40), not 0); μ equals `sigmoid(η)` bitwise.
/// For the loss, log(1 + e^z) with z = ±η is log1p(e) when z ≤ 0 (e^z
/// when z ≤ −37, as in `log1pexp`) and z + log1p(e) when z > 0 (z + e
/// above 18, z above 33.3, as in `log1pexp`): the same branches as
/// `logisticLoss`, except that for 0 < z ≤ 18 the algebraically equal
/// z + log1p(e^(−z)) replaces log1p(e^z), which is as accurate (within an
/// ulp) and saves a second exponential.
@inlinable
public func logisticLossAndProbabilities(label y: Double, logOdds eta: Double) -> (loss: Double, mu: Double, complement: Double) {
    let a = abs(eta)
    let e = exp(-a)
    let d = 1 + e
    let inv = 1 / d
    let small = e / d
    let mu = eta >= 0 ? inv : small
    let complement = eta >= 0 ? small : inv
    // log(1 + e^(−a)) and log(1 + e^a), as log1pexp(−a) and log1pexp(a).
    let lower = a >= 37 ? e : log1p(e)
    let upper = a > 33.3 ? a : (a > 18 ? a + e : a + lower)
    let loss: Double
    if y == 1 {
        loss = eta >= 0 ? lower : upper
    } else if y == 0 {
        loss = eta >= 0 ? upper : lower
    } else {
        loss = eta >= 0 ? y * lower + (1 - y) * upper : y * upper + (1 - y) * lower
    }
    return (loss, mu, complement)
}
