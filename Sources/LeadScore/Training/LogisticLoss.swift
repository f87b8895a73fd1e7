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
