import Foundation

// The L1 and elastic-net penalties (α > 0) and bounded coefficients: a
// proximal Newton method whose subproblem is solved by coordinate descent,
// as glmnet and LIBLINEAR's newGLMNET do (Friedman, Hastie & Tibshirani
// 2010, "Regularization paths for generalized linear models via coordinate
// descent", J. Stat. Softw. 33(1); Yuan, Ho & Lin 2012, "An improved GLMNET
// for L1-regularized logistic regression", JMLR 13).
//
// Objective (LogisticRegression.swift), with θ = (β, b), q = p + 1:
//
//     F(θ) = L(θ) + λ(1−α)/2 ‖β‖² + λα ‖β‖₁,   l ≤ β ≤ u,
//
// L the weighted loss Σ s_i ℓ_i. Write S(θ) = L(θ) + λ(1−α)/2 ‖β‖² for its
// smooth part.
//
// Outer iteration. One pass over the design (the same `pass` as Newton's)
// gives, at the current θ, g = ∇S(θ) and H = ∇²S(θ) = [X 1]ᵀW[X 1] +
// λ(1−α)·diag(1, …, 1, 0). The direction d minimises the quadratic model
//
//     Q(d) = gᵀd + ½ dᵀHd + λα ‖β + d‖₁,   l ≤ β + d ≤ u,
//
// by cyclic coordinate descent over j = 0, …, p−1, then the intercept p, in
// that fixed order ("covariance updates": H d is kept up to date, so a
// sweep costs O(q²) whatever n). Coordinate j, with a = H_jj, c = g_j +
// (H d)_j and z₀ = θ_j + d_j, moves to the exact minimiser of the model
// along it:
//
//     z = clip( soft(z₀ − c/a, λα/a), l_j, u_j ),  soft(v, τ) = sign(v)·max(|v| − τ, 0)
//
// (clipping the unconstrained minimiser of a convex function of one
// variable gives the constrained one; the intercept is neither
// thresholded nor clipped). The sweeps stop when the minimum-norm
// subgradient of Q at d (below) is at most min(0.1, √ε_k) · ε_k, ε_k that of
// F at θ (an inexact Newton forcing term: accuracy where it pays, near the
// optimum), or at least 0.1 × the outer tolerance, or after
// `maxSweeps` sweeps.
//
// Line search (newGLMNET's sufficient decrease, Yuan, Ho & Lin 2012, eq.
// (13) with γ = 0): with Δ = gᵀd + λα(‖β + d‖₁ − ‖β‖₁) < 0, the step
// t = 1, ½, ¼, … is the first with
//
//     F(θ + t d) − F(θ) ≤ σ t Δ + 64 ε |F(θ)|,   σ = 0.01,
//
// F evaluated exactly (loss, L2 and L1 terms) by a pass. θ + t d stays
// within the bounds (a convex combination of two points within them). As
// in Newton's method, the full step's pass also gives g and H at the
// trial point, used when it is accepted.
//
// Stopping rule, on the minimum-norm subgradient of F (the projected one
// with bounds), ∇ˢF: for a coefficient j with right and left derivatives
// D⁺_j = g_j + λα·(β_j ≥ 0 ? 1 : −1) and D⁻_j = g_j + λα·(β_j > 0 ? 1 : −1),
//
//     ∇ˢF_j = −D⁺_j if D⁺_j < 0 and β_j < u_j;  D⁻_j if D⁻_j > 0 and β_j > l_j;  else 0,
//
// (for the intercept, g_p): 0 exactly at the optimum (the KKT conditions
// |g_j| ≤ λα at β_j = 0, g_j + λα·sign(β_j) = 0 elsewhere, with the
// bounds' multipliers). Converged when ‖∇ˢF‖∞ / Σ s_i ≤ gradientTolerance;
// the stop reasons are Newton's (lineSearchFailed, converged if the norm is
// at most 1e-7; maxIterations).
//
// Standard errors. The L1 penalty is not differentiable at 0, and a
// coefficient set to 0 (or held at a bound) has no Wald standard error:
// its sampling distribution has an atom there. What is reported is the
// inverse penalised Hessian H⁻¹ on the free coefficients (β_j ≠ 0 and
// strictly within its bounds) and the intercept, the covariance of the
// smooth fit with those coefficients fixed (conditional on the selected
// set: it ignores the uncertainty of the selection, so it is too small);
// the other coefficients get NaN (no standard error), and their rows and
// columns of the covariance are 0. If H on the free set is singular (α = 1
// with collinear columns), every standard error is NaN.
//
// Determinism: one pass per trial, as Newton's, and the coordinate order
// fixed, so the fit is the same bitwise whatever the number of cores.

extension LogisticRegression {
    /// newGLMNET's sufficient-decrease constant σ.
    static let sufficientDecrease = 0.01
    /// The most coordinate-descent sweeps of one subproblem.
    static let maxSweeps = 1000

    static func coordinateDescent<S: DesignSource>(
        _ x: S, labels y: [Double], weights: [Double]?, offsets: [Double]?, options: SolverOptions, start: [Double]?, path: PathState? = nil
    ) throws(FitError) -> LogisticFit {
        let n = x.rows, p = x.columns, q = p + 1
        precondition(y.count == n && (weights?.count ?? n) == n && (offsets?.count ?? n) == n)
        let lower = options.lowerBounds ?? [Double](repeating: -.infinity, count: p)
        let upper = options.upperBounds ?? [Double](repeating: .infinity, count: p)
        precondition(lower.count == p && upper.count == p && zip(lower, upper).allSatisfy { $0 <= $1 }, "bounds must have p entries with l ≤ u")
        let (s, totalWeight, positiveWeight) = try checkedWeights(x, labels: y, weights: weights, options: options, compact: path?.compact)
        let lambda = options.l2
        let l1 = lambda * options.l1Ratio, ridge = lambda * (1 - options.l1Ratio)

        var initial = start ?? interceptOnlyStart(positiveWeight: positiveWeight, totalWeight: totalWeight, p: p)
        for j in 0..<p { initial[j] = min(max(initial[j], lower[j]), upper[j]) }
        let (work, theta0, loss0) = try beginning(
            x, labels: y, weights: s, offsets: offsets, theta: initial, warm: start != nil || initial[0..<p].contains { $0 != 0 }, path: path)
        var theta = theta0
        var f = loss0 + elasticNet(theta, p: p, l1: l1, ridge: ridge)
        var (g, hessian) = work.current.finish(theta: theta, lambda: ridge)
        var iterations = 0
        var stop = StopReason.maxIterations
        var gradNorm = Double.infinity

        while true {
            gradNorm = minimumNormSubgradient(g, at: theta, l1: l1, lower: lower, upper: upper) / totalWeight
            if gradNorm <= options.gradientTolerance { stop = .converged; break }
            if iterations >= options.maxIterations { stop = .maxIterations; break }
            let innerTolerance = max(min(0.1, gradNorm.squareRoot()) * gradNorm, 0.1 * options.gradientTolerance) * totalWeight
            let direction = quadraticModelStep(g: g, hessian: hessian, theta: theta, l1: l1, lower: lower, upper: upper, tolerance: innerTolerance)
            var delta = 0.0
            for j in 0..<q { delta += g[j] * direction[j] }
            for j in 0..<p { delta += l1 * (abs(theta[j] + direction[j]) - abs(theta[j])) }
            var accepted = false
            if delta < 0 {
                var t = 1.0
                var trial = theta
                for halving in 0..<maxHalvings {
                    for j in 0..<q { trial[j] = theta[j] + t * direction[j] }
                    // θ + t·d lies within the bounds; rounding must not move it out.
                    for j in 0..<p { trial[j] = min(max(trial[j], lower[j]), upper[j]) }
                    let speculative = halving == 0
                    let fTrial = try trialLoss(x, at: trial, speculative: speculative, work: work) + elasticNet(trial, p: p, l1: l1, ridge: ridge)
                    if fTrial - f <= sufficientDecrease * t * delta + roundingSlack * abs(f) {
                        theta = trial
                        f = fTrial
                        try acceptTrial(x, speculative: speculative, work: work)
                        (g, hessian) = work.current.finish(theta: theta, lambda: ridge)
                        accepted = true
                        break
                    }
                    t *= 0.5
                }
            }
            iterations += 1
            if !accepted { stop = .lineSearchFailed; break }
        }

        let (se, covariance) = freeCovariance(hessian: hessian, theta: theta, lower: lower, upper: upper)
        let converged = stop == .converged || (stop == .lineSearchFailed && gradNorm <= 1e-7)
        if lambda == 0 {
            let diverging = separatedColumns(theta: theta, standardErrors: se, p: p)
            if !diverging.isEmpty { throw .design(.separation(columns: diverging)) }
        }
        let penaltyValue = elasticNet(theta, p: p, l1: l1, ridge: ridge)
        path?.record(theta: theta, loss: f - penaltyValue)
        return LogisticFit(
            coefficients: Array(theta[0..<p]), intercept: theta[p], standardErrors: se,
            covariance: covariance, iterations: iterations, converged: converged, stopReason: stop,
            gradientNorm: gradNorm, objective: f, logLikelihood: -(f - penaltyValue))
    }

    /// λ(1−α)/2 ‖β‖² + λα ‖β‖₁ with `ridge` = λ(1−α), `l1` = λα.
    static func elasticNet(_ theta: [Double], p: Int, l1: Double, ridge: Double) -> Double {
        var squares = 0.0, absolutes = 0.0
        for j in 0..<p {
            squares += theta[j] * theta[j]
            absolutes += abs(theta[j])
        }
        return 0.5 * ridge * squares + l1 * absolutes
    }

    /// ‖∇ˢF‖∞ at θ (not divided by Σ s_i): the minimum-norm subgradient of
    /// the smooth part's gradient `g` plus λα‖β‖₁ (`l1` = λα), projected on
    /// the bounds (see the notes at the top of the file).
    static func minimumNormSubgradient(_ g: [Double], at theta: [Double], l1: Double, lower: [Double], upper: [Double]) -> Double {
        let p = theta.count - 1
        var norm = abs(g[p])
        for j in 0..<p {
            let right = g[j] + (theta[j] >= 0 ? l1 : -l1)
            let left = g[j] + (theta[j] > 0 ? l1 : -l1)
            var v = 0.0
            if right < 0 && theta[j] < upper[j] {
                v = -right
            } else if left > 0 && theta[j] > lower[j] {
                v = left
            }
            norm = max(norm, v)
        }
        return norm
    }

    /// The direction d that minimises gᵀd + ½dᵀHd + λα‖β + d‖₁ subject to
    /// l ≤ β + d ≤ u, by cyclic coordinate descent (see the notes at the top
    /// of the file), until the model's minimum-norm subgradient is at most
    /// `tolerance` or after `maxSweeps` sweeps. `hessian` is q × q,
    /// symmetric, row-major.
    static func quadraticModelStep(
        g: [Double], hessian h: [Double], theta: [Double], l1: Double, lower: [Double], upper: [Double], tolerance: Double
    ) -> [Double] {
        let q = theta.count, p = q - 1
        var d = [Double](repeating: 0, count: q)
        var hd = [Double](repeating: 0, count: q)
        var point = theta
        var model = g
        for _ in 0..<maxSweeps {
            for j in 0..<q {
                let a = h[j * q + j]
                guard a > 0 else { continue }
                let z0 = theta[j] + d[j]
                var z = z0 - (g[j] + hd[j]) / a
                if j < p {
                    let threshold = l1 / a
                    z = z > threshold ? z - threshold : (z < -threshold ? z + threshold : 0)
                    z = min(max(z, lower[j]), upper[j])
                }
                let dz = z - z0
                guard dz != 0 else { continue }
                d[j] += dz
                let row = j * q
                for k in 0..<q { hd[k] += h[row + k] * dz }
            }
            for j in 0..<q {
                point[j] = theta[j] + d[j]
                model[j] = g[j] + hd[j]
            }
            if minimumNormSubgradient(model, at: point, l1: l1, lower: lower, upper: upper) <= tolerance { break }
        }
        return d
    }

    /// Standard errors and covariance from the inverse of `hessian` on the
    /// free coefficients (β_j ≠ 0, strictly within its bounds) and the
    /// intercept; NaN standard errors (and zero covariance) elsewhere, or
    /// everywhere when that Hessian is singular.
    static func freeCovariance(hessian: [Double], theta: [Double], lower: [Double], upper: [Double]) -> (standardErrors: [Double], covariance: [Double]) {
        let q = theta.count, p = q - 1
        let free = (0..<p).filter { theta[$0] != 0 && theta[$0] > lower[$0] && theta[$0] < upper[$0] } + [p]
        let m = free.count
        var sub = [Double](repeating: 0, count: m * m)
        for (a, j) in free.enumerated() {
            for (b, k) in free.enumerated() { sub[a * m + b] = hessian[j * q + k] }
        }
        var se = [Double](repeating: .nan, count: q)
        var covariance = [Double](repeating: 0, count: q * q)
        do {
            try BLAS.choleskyFactor(&sub, order: m)
            let inverse = try BLAS.choleskyInverse(factor: sub, order: m)
            for (a, j) in free.enumerated() {
                for (b, k) in free.enumerated() { covariance[j * q + k] = inverse[a * m + b] }
                se[j] = inverse[a * m + a].squareRoot()
            }
        } catch {
            return (se, covariance)
        }
        return (se, covariance)
    }

    /// λ_max: the smallest λ at which every coefficient of the fit with
    /// L1 ratio α > 0 is 0, ‖Xᵀ(s∘(y − ȳ))‖∞ / α with ȳ the weighted base
    /// rate (the KKT condition |g_j| ≤ λα at the intercept-only fit, where
    /// the L2 part's gradient is 0). One pass over the design.
    static func penaltyLimit<S: DesignSource>(
        design x: S, labels y: [Double], weights: [Double]?, classWeight: ClassWeight, l1Ratio: Double
    ) throws(FitError) -> Double {
        precondition(l1Ratio > 0)
        let p = x.columns
        let (s, totalWeight, positiveWeight) = try checkedWeights(x, labels: y, weights: weights, options: SolverOptions(l2: 1, classWeight: classWeight))
        let theta = interceptOnlyStart(positiveWeight: positiveWeight, totalWeight: totalWeight, p: p)
        let work = try BLAS.withOneThread { () throws(FitError) in
            try beginning(x, labels: y, weights: s, offsets: nil, theta: theta, warm: false, path: nil).work
        }
        let g = work.current.finish(theta: theta, lambda: 0).gradient
        return g[0..<p].reduce(0) { max($0, abs($1)) } / l1Ratio
    }
}
