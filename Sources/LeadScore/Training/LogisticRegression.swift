import Foundation

// L2-penalised logistic regression by Newton's method (IRLS) with a
// backtracking line search.
//
// Objective. With rows x_i ∈ ℝᵖ (no intercept column), labels y_i ∈ {0, 1},
// sample weights s_i > 0, coefficients β ∈ ℝᵖ and intercept b:
//
//     f(β, b) = Σ_i s_i · ℓ(y_i, x_iᵀβ + b) + (λ/2) · ‖β‖²
//     ℓ(y, η) = log(1 + e^η) − y·η                  (see LogisticLoss.swift)
//
// The intercept b is not penalised. λ ≥ 0 is `l2`.
//
// Penalty convention and scikit-learn. scikit-learn's LogisticRegression
// minimises C · Σ s_i ℓ_i + ½‖β‖², i.e. Σ s_i ℓ_i + (1/(2C))‖β‖², so
//
//     λ = 1 / C        (C = 1, scikit-learn's default, is λ = 1)
//
// with the same sample weights. LIBLINEAR's C has the same meaning. With
// `classWeight = .balanced`, s_i is multiplied by n / (2 · n_{y_i}), as in
// scikit-learn's `class_weight="balanced"`. λ = 0 is the unpenalised maximum
// likelihood fit, whose standard errors equal statsmodels' Logit.
//
// Newton step. With μ_i = σ(η_i) and w_i = s_i μ_i (1 − μ_i):
//
//     g = [ Xᵀ(s∘(μ − y)) + λβ ;  Σ s_i (μ_i − y_i) ]
//     H = [ XᵀWX + λI   XᵀW1 ;  1ᵀWX   Σ w_i ]
//
// XᵀWX is accumulated over blocks of rows with dsyrk on √w_i·x_i, the
// direction d solves H d = −g by Cholesky (dpotrf/dpotrs).
//
// Line search. Backtracking (Armijo): t = 1, halve t until
// f(θ + t d) ≤ f(θ) + c₁ t gᵀd + 64 ε |f(θ)| with c₁ = 1e-4, at most 50
// halvings. A pure Newton step is accepted whenever it decreases f enough,
// so convergence is quadratic near the optimum; the 64 ε |f| term (ε the
// machine epsilon) stops rounding noise in f from rejecting the last,
// tiny steps.
//
// Stopping rule, checked before each step, on the gradient of the
// weight-normalised objective f / S with S = Σ s_i:
//   - converged:         ‖g‖∞ / S ≤ gradientTolerance (default 1e-10);
//   - lineSearchFailed:  no step decreases f (the optimum is reached to
//                        machine precision; converged if ‖g‖∞ / S ≤ 1e-7);
//   - maxIterations:     the iteration limit (default 100) was reached.
// Every early exit is reported by name in `LogisticFit.stopReason`.
//
// Covariance. At the optimum, Cov(θ̂) ≈ H⁻¹ (dpotri on the final Cholesky
// factor). For λ = 0 this is the inverse observed Fisher information, the
// covariance statsmodels reports; for λ > 0 it is the inverse penalised
// Hessian, the usual Bayesian (Gaussian prior) approximation, and the
// report says so.

/// How sample weights are adjusted for class imbalance.
public enum ClassWeight: String, Codable, Sendable, CaseIterable {
    /// Every row counts with its sample weight (1 when none is given).
    case none
    /// Rows of class c are multiplied by n / (2 n_c), so both classes carry
    /// equal total weight (scikit-learn's "balanced").
    case balanced
}

public struct SolverOptions: Codable, Sendable, Equatable {
    /// λ in the objective above; λ = 1/C for scikit-learn's C. Default 1.
    public var l2: Double
    public var classWeight: ClassWeight
    public var maxIterations: Int
    /// Tolerance on ‖∇f‖∞ / Σ s_i. Default 1e-10.
    public var gradientTolerance: Double

    public init(l2: Double = 1, classWeight: ClassWeight = .none, maxIterations: Int = 100, gradientTolerance: Double = 1e-10) {
        self.l2 = l2
        self.classWeight = classWeight
        self.maxIterations = maxIterations
        self.gradientTolerance = gradientTolerance
    }
}

/// Why the solver stopped.
public enum StopReason: String, Codable, Sendable {
    case converged
    case lineSearchFailed
    case maxIterations
}

/// The fitted coefficients and their uncertainty.
public struct LogisticFit: Sendable {
    /// β, one per design column, on the scale of the design.
    public var coefficients: [Double]
    public var intercept: Double
    /// Standard errors √diag(H⁻¹), coefficients first, intercept last.
    public var standardErrors: [Double]
    /// The full (p+1)×(p+1) covariance H⁻¹, row-major, intercept last.
    public var covariance: [Double]
    public var iterations: Int
    public var converged: Bool
    public var stopReason: StopReason
    /// ‖∇f‖∞ / Σ s_i at the returned point.
    public var gradientNorm: Double
    /// f at the returned point (penalised, weighted).
    public var objective: Double
    /// The weighted log-likelihood −Σ s_i ℓ_i at the returned point.
    public var logLikelihood: Double
}

/// Problems the solver finds in the design, in terms of design columns.
public enum DesignProblem: Error, Equatable, Sendable {
    /// These columns are (numerically) linear combinations of the others
    /// and the intercept; the unpenalised Hessian is singular.
    case collinear(columns: [Int])
    /// The coefficients of these columns grow without bound: the classes
    /// are (quasi-)completely separated and the unpenalised likelihood has
    /// no maximum.
    case separation(columns: [Int])
    /// Only one class has positive weight.
    case singleClass
    case empty
}

public enum LogisticRegression {
    /// Rows per block when accumulating XᵀWX.
    static let blockRows = 2048
    /// Armijo sufficient-decrease constant.
    static let armijo = 1e-4
    static let maxHalvings = 50
    /// Relative slack in the Armijo test for the rounding error of f.
    static let roundingSlack = 64 * Double.ulpOfOne

    /// Fits the model. `design` is n×p without an intercept column,
    /// `labels` are 0/1, `weights` (if given) are positive sample weights.
    /// Throws `DesignProblem` for an empty or single-class design, for
    /// exact collinearity when λ = 0, and for separation when λ = 0.
    public static func fit(
        design x: DenseMatrix, labels y: [Double], weights: [Double]? = nil, options: SolverOptions = SolverOptions()
    ) throws(DesignProblem) -> LogisticFit {
        let n = x.rows, p = x.columns, q = p + 1
        precondition(y.count == n && (weights?.count ?? n) == n)
        guard n > 0 else { throw .empty }
        let s = effectiveWeights(labels: y, weights: weights, classWeight: options.classWeight)
        let totalWeight = s.reduce(0, +)
        let positiveWeight = zip(s, y).reduce(0) { $0 + $1.0 * $1.1 }
        guard positiveWeight > 0, positiveWeight < totalWeight else { throw .singleClass }
        let lambda = options.l2

        if lambda == 0 {
            let dependent = collinearColumns(design: x, weights: s)
            if !dependent.isEmpty { throw .collinear(columns: dependent) }
        }

        var theta = [Double](repeating: 0, count: q)
        // Start at the intercept-only optimum: b = logit(weighted base rate).
        let base = positiveWeight / totalWeight
        theta[p] = log(base / (1 - base))

        var eta = [Double](repeating: 0, count: n)
        var work = Workspace(n: n, p: p)
        linearPredictor(x, theta, into: &eta)
        var f = objective(eta: eta, labels: y, weights: s, theta: theta, p: p, lambda: lambda)
        var iterations = 0
        var stop = StopReason.maxIterations
        var gradNorm = Double.infinity
        var factor: [Double] = []

        while true {
            let g = gradientAndHessian(x, eta: eta, labels: y, weights: s, theta: theta, lambda: lambda, work: &work)
            gradNorm = g.reduce(0) { max($0, abs($1)) } / totalWeight
            if gradNorm <= options.gradientTolerance { stop = .converged; factor = work.hessian; break }
            if iterations >= options.maxIterations { stop = .maxIterations; factor = work.hessian; break }
            var direction = g.map { -$0 }
            factor = work.hessian
            do {
                try BLAS.choleskyFactor(&factor, order: q)
                try BLAS.choleskySolve(factor: factor, order: q, &direction)
            } catch {
                // H is positive definite for λ > 0 and checked full rank for
                // λ = 0; reaching here means separation has driven every
                // w_i to zero.
                throw .separation(columns: separatedColumns(theta: theta, standardErrors: nil, p: p))
            }
            let slope = zip(g, direction).reduce(0) { $0 + $1.0 * $1.1 }
            var t = 1.0
            var accepted = false
            var trial = theta
            for _ in 0..<maxHalvings {
                for j in 0..<q { trial[j] = theta[j] + t * direction[j] }
                linearPredictor(x, trial, into: &work.trialEta)
                let fTrial = objective(eta: work.trialEta, labels: y, weights: s, theta: trial, p: p, lambda: lambda)
                // Near the optimum the decrease a Newton step achieves is below
                // the rounding error of f; the slack of 64 ulps of f lets
                // that step through instead of halving on noise.
                if fTrial <= f + armijo * t * slope + roundingSlack * abs(f) {
                    theta = trial
                    swap(&eta, &work.trialEta)
                    f = fTrial
                    accepted = true
                    break
                }
                t *= 0.5
            }
            iterations += 1
            if !accepted {
                stop = .lineSearchFailed
                _ = gradientAndHessian(x, eta: eta, labels: y, weights: s, theta: theta, lambda: lambda, work: &work)
                factor = work.hessian
                break
            }
        }

        // Covariance from the Hessian at the returned point.
        let covariance: [Double]
        do {
            try BLAS.choleskyFactor(&factor, order: q)
            covariance = try BLAS.choleskyInverse(factor: factor, order: q)
        } catch {
            throw .separation(columns: separatedColumns(theta: theta, standardErrors: nil, p: p))
        }
        let se = (0..<q).map { covariance[$0 * q + $0].squareRoot() }
        let converged = stop == .converged || (stop == .lineSearchFailed && gradNorm <= 1e-7)
        if lambda == 0 {
            let diverging = separatedColumns(theta: theta, standardErrors: se, p: p)
            if !diverging.isEmpty { throw .separation(columns: diverging) }
        }
        let penalty = 0.5 * lambda * theta[0..<p].reduce(0) { $0 + $1 * $1 }
        return LogisticFit(
            coefficients: Array(theta[0..<p]), intercept: theta[p], standardErrors: se,
            covariance: covariance, iterations: iterations, converged: converged, stopReason: stop,
            gradientNorm: gradNorm, objective: f, logLikelihood: -(f - penalty))
    }

    /// s_i: the sample weights (1 when absent), times n / (2 n_c) when
    /// balanced. n and n_c count rows (not weights), as scikit-learn does.
    static func effectiveWeights(labels y: [Double], weights: [Double]?, classWeight: ClassWeight) -> [Double] {
        var s = weights ?? [Double](repeating: 1, count: y.count)
        if classWeight == .balanced {
            let positives = y.reduce(0.0) { $0 + ($1 > 0.5 ? 1 : 0) }
            let n = Double(y.count)
            let wPos = positives > 0 ? n / (2 * positives) : 0
            let wNeg = positives < n ? n / (2 * (n - positives)) : 0
            for i in s.indices { s[i] *= y[i] > 0.5 ? wPos : wNeg }
        }
        return s
    }

    struct Workspace {
        var hessian: [Double]
        var block: [Double]
        var sqrtW: [Double]
        var trialEta: [Double]
        var residual: [Double]
        init(n: Int, p: Int) {
            hessian = [Double](repeating: 0, count: (p + 1) * (p + 1))
            block = [Double](repeating: 0, count: LogisticRegression.blockRows * max(p, 1))
            sqrtW = [Double](repeating: 0, count: n)
            trialEta = [Double](repeating: 0, count: n)
            residual = [Double](repeating: 0, count: n)
        }
    }

    /// η = Xβ + b (dgemv).
    static func linearPredictor(_ x: DenseMatrix, _ theta: [Double], into eta: inout [Double]) {
        let n = x.rows, p = x.columns
        let b = theta[p]
        eta.withUnsafeMutableBufferPointer { e in
            for i in 0..<n { e[i] = b }
            x.values.withUnsafeBufferPointer { a in
                theta.withUnsafeBufferPointer { t in
                    BLAS.gemv(rows: n, columns: p, alpha: 1, a: a.baseAddress!, x: t.baseAddress!, beta: 1, y: e.baseAddress!)
                }
            }
        }
    }

    static func objective(eta: [Double], labels y: [Double], weights s: [Double], theta: [Double], p: Int, lambda: Double) -> Double {
        var loss = 0.0
        for i in eta.indices { loss += s[i] * logisticLoss(label: y[i], logOdds: eta[i]) }
        var norm = 0.0
        for j in 0..<p { norm += theta[j] * theta[j] }
        return loss + 0.5 * lambda * norm
    }

    /// Returns g and leaves H (upper triangle filled, then symmetrised) in
    /// `work.hessian`.
    static func gradientAndHessian(
        _ x: DenseMatrix, eta: [Double], labels y: [Double], weights s: [Double], theta: [Double], lambda: Double,
        work: inout Workspace
    ) -> [Double] {
        let n = x.rows, p = x.columns, q = p + 1
        var g = [Double](repeating: 0, count: q)
        var sumW = 0.0, sumR = 0.0
        for i in 0..<n {
            let mu = sigmoid(eta[i])
            let r = s[i] * (mu - y[i])
            let w = s[i] * mu * (1 - mu)
            work.residual[i] = r
            work.sqrtW[i] = w.squareRoot()
            sumR += r
            sumW += w
        }
        for j in 0..<q * q { work.hessian[j] = 0 }
        // Gradient: Xᵀr (dgemv transposed).
        x.values.withUnsafeBufferPointer { a in
            work.residual.withUnsafeBufferPointer { r in
                g.withUnsafeMutableBufferPointer { gp in
                    BLAS.gemvTransposed(rows: n, columns: p, alpha: 1, a: a.baseAddress!, x: r.baseAddress!, beta: 0, y: gp.baseAddress!)
                }
            }
        }
        for j in 0..<p { g[j] += lambda * theta[j] }
        g[p] = sumR
        // Hessian: XᵀWX over row blocks of √w_i x_i (dsyrk), XᵀW1 alongside.
        var cross = [Double](repeating: 0, count: p)
        if p > 0 {
            var h = [Double](repeating: 0, count: p * p)
            x.values.withUnsafeBufferPointer { a in
                work.block.withUnsafeMutableBufferPointer { blk in
                    var start = 0
                    while start < n {
                        let rows = min(blockRows, n - start)
                        for r in 0..<rows {
                            let sw = work.sqrtW[start + r]
                            let src = (start + r) * p, dst = r * p
                            for j in 0..<p { blk[dst + j] = sw * a[src + j] }
                        }
                        BLAS.syrkTransposed(rows: rows, columns: p, alpha: 1, a: blk.baseAddress!, beta: 1, c: &h)
                        // XᵀW1 for this block: (√W X)ᵀ √w.
                        work.sqrtW.withUnsafeBufferPointer { sw in
                            cross.withUnsafeMutableBufferPointer { c in
                                BLAS.gemvTransposed(
                                    rows: rows, columns: p, alpha: 1, a: blk.baseAddress!, x: sw.baseAddress! + start,
                                    beta: 1, y: c.baseAddress!)
                            }
                        }
                        start += rows
                    }
                }
            }
            for i in 0..<p {
                for j in i..<p { work.hessian[i * q + j] = h[i * p + j] }
                work.hessian[i * q + i] += lambda
                work.hessian[i * q + p] = cross[i]
            }
        }
        work.hessian[p * q + p] = sumW
        for i in 0..<q { for j in 0..<i { work.hessian[i * q + j] = work.hessian[j * q + i] } }
        return g
    }

    /// Columns that are numerically linear combinations of the others and
    /// the intercept: pivoted Cholesky (dpstrf) of the weighted Gram matrix
    /// of [X 1] scaled to unit diagonal, with tolerance 1e-9 · (p + 1).
    /// Columns with zero variance are reported too.
    static func collinearColumns(design x: DenseMatrix, weights s: [Double]) -> [Int] {
        let n = x.rows, p = x.columns, q = p + 1
        guard p > 0 else { return [] }
        var work = Workspace(n: n, p: p)
        // Reuse the Hessian assembly with w_i = s_i: η, y and θ chosen so
        // that μ(1−μ) is constant (η = 0 gives ¼), then rescale.
        let eta = [Double](repeating: 0, count: n)
        let fourS = s.map { 4 * $0 }
        _ = gradientAndHessian(x, eta: eta, labels: eta, weights: fourS, theta: [Double](repeating: 0, count: q), lambda: 0, work: &work)
        var gram = work.hessian
        let d = (0..<q).map { gram[$0 * q + $0] }
        var dependent: [Int] = []
        for j in 0..<q {
            for k in 0..<q {
                let scale = (d[j] * d[k]).squareRoot()
                gram[j * q + k] = scale > 0 ? gram[j * q + k] / scale : 0
            }
        }
        // Constant columns (zero weighted variance) duplicate the intercept;
        // the pivoting below might drop the intercept instead of them.
        let total = d[p]
        for j in 0..<p {
            let mean = work.hessian[j * q + p] / total
            let variance = d[j] / total - mean * mean
            if d[j] == 0 || variance <= 1e-12 * d[j] / total { dependent.append(j); gram[j * q + j] = 1 }
        }
        guard let (rank, pivots) = try? BLAS.pivotedCholeskyRank(gram, order: q, tolerance: 1e-9 * Double(q)) else { return dependent }
        if rank < q {
            for k in pivots[rank...] where k < p && !dependent.contains(k) { dependent.append(k) }
            if dependent.isEmpty, let k = pivots[rank...].first(where: { $0 < p }) { dependent.append(k) }
        }
        return dependent.sorted()
    }

    /// Under (quasi-)complete separation the unpenalised likelihood keeps
    /// rising as the separating coefficients grow, so Newton's method walks
    /// them up by about one unit per iteration while the curvature in their
    /// direction vanishes like e^(−β). At the point where the gradient test
    /// stops it, such a coefficient is large (|β| > 10: an odds ratio above
    /// 20,000) yet has a standard error ten times larger still (|z| < 0.1),
    /// which a finite maximum of a well-posed fit does not produce. Those
    /// columns are returned. Without standard errors (a singular Hessian),
    /// the columns with |β| > 10 are returned.
    static func separatedColumns(theta: [Double], standardErrors se: [Double]?, p: Int) -> [Int] {
        (0..<p).filter { j in
            abs(theta[j]) > 10 && (se.map { !($0[j] <= 10 * abs(theta[j])) } ?? true)
        }
    }
}
