import Dispatch
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
// The direction d solves H d = −g by Cholesky (dpotrf/dpotrs).
//
// Passes over the design. The rows are read in the fixed blocks of
// `DesignPartition` (about 1 MiB each, see DesignSource.swift), from any
// `DesignSource`: a `DenseMatrix` in memory or a `DesignCache` streamed
// from a file, with the same calls on the same blocks, hence bitwise the
// same model. Only O(n) vectors (y, s, η, a trial η) and O(block) scratch
// are kept besides the design. A pass computes, block by block while the
// block is in cache, whatever the solver needs of:
//   - η = Xβ + b (dgemv on the block);
//   - the loss Σ s_i ℓ_i, summed per block and then over blocks;
//   - g and H: per row μ_i and 1 − μ_i (from one e^(−|η_i|), neither by
//     cancellation), r_i = s_i(μ_i − y_i), w_i = s_i μ_i (1 − μ_i), and the
//     scaled row a_i = √w_i·[x_i, 1]; then one dsyrk gives AᵀA = [X 1]ᵀW[X 1]
//     (XᵀWX, XᵀW1 and Σ w_i together) and a dgemv-T on the raw block Xᵀr.
//     The per-row work of a block is split into two fixed halves run on
//     two threads, whose sums are added in a fixed order.
// One Newton iteration is then a single pass: the trial at the full step
// t = 1 computes η, the loss and, speculatively, g and H at the trial
// point. Accepted (the usual case), they are the next iteration's; only
// after a rejected full step does a backtracking trial compute η and the
// loss alone, and the accepted point one more pass for g and H. The
// first pass, at the intercept-only start (η_i = b), needs no dgemv, and
// the g and H of the last pass are those of the returned point, from which
// the covariance is computed.
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
// Covariance. At the optimum, Cov(θ̂) ≈ H⁻¹ (dpotri on the Cholesky
// factor of H at the returned point). For λ = 0 this is the inverse observed Fisher information, the
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
    /// λ in the objective above; λ = 1/C for scikit-learn's C. Default
    /// `TrainingConfiguration.defaultL2`.
    public var l2: Double
    public var classWeight: ClassWeight
    public var maxIterations: Int
    /// Tolerance on ‖∇f‖∞ / Σ s_i. Default 1e-10.
    public var gradientTolerance: Double

    public init(l2: Double = TrainingConfiguration.defaultL2, classWeight: ClassWeight = .none, maxIterations: Int = 100, gradientTolerance: Double = 1e-10) {
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

/// A fit that could not be completed: a problem of the design itself, or a
/// failure to read the rows of a file-backed design (`DesignCache`).
public enum FitError: Error, Equatable, Sendable {
    case design(DesignProblem)
    case input(InputError)
}

public enum LogisticRegression {
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
        do {
            return try fitSource(x, labels: y, weights: weights, options: options)
        } catch {
            switch error {
            case .design(let problem): throw problem
            case .input(let failure): preconditionFailure("an in-memory design cannot fail to read: \(failure)")
            }
        }
    }

    /// Fits the model on any design source, e.g. a `DesignCache` streamed
    /// from disk. The result equals, bitwise, that of `fit(design:)` on the
    /// same rows in a `DenseMatrix`. Throws `.design` as `fit(design:)`
    /// does, and `.input` (kind `.io`) when the rows cannot be read.
    public static func fit<S: DesignSource>(
        design x: S, labels y: [Double], weights: [Double]? = nil, options: SolverOptions = SolverOptions()
    ) throws(FitError) -> LogisticFit {
        try fitSource(x, labels: y, weights: weights, options: options)
    }

    static func fitSource<S: DesignSource>(
        _ x: S, labels y: [Double], weights: [Double]?, options: SolverOptions
    ) throws(FitError) -> LogisticFit {
        try BLAS.withOneThread { () throws(FitError) in try newton(x, labels: y, weights: weights, options: options) }
    }

    private static func newton<S: DesignSource>(
        _ x: S, labels y: [Double], weights: [Double]?, options: SolverOptions
    ) throws(FitError) -> LogisticFit {
        let n = x.rows, p = x.columns, q = p + 1
        precondition(y.count == n && (weights?.count ?? n) == n)
        guard n > 0 else { throw .design(.empty) }
        let s = effectiveWeights(labels: y, weights: weights, classWeight: options.classWeight)
        let totalWeight = s.reduce(0, +)
        let positiveWeight = zip(s, y).reduce(0) { $0 + $1.0 * $1.1 }
        guard positiveWeight > 0, positiveWeight < totalWeight else { throw .design(.singleClass) }
        let lambda = options.l2

        if lambda == 0 {
            let dependent: [Int]
            do { dependent = try collinearColumns(design: x, weights: s) } catch { throw .input(error) }
            if !dependent.isEmpty { throw .design(.collinear(columns: dependent)) }
        }

        let work = Workspace(labels: y, weights: s, columns: p)
        var theta = [Double](repeating: 0, count: q)
        // Start at the intercept-only optimum: b = logit(weighted base rate),
        // where η_i = x_iᵀ0 + b = b needs no pass over X.
        let base = positiveWeight / totalWeight
        theta[p] = log(base / (1 - base))
        for i in 0..<n { work.eta[i] = theta[p] }
        var f = try pass(x, predicting: nil, into: work.eta, loss: true, derivatives: work.current, work: work)
            + penalty(theta, p: p, lambda: lambda)
        var (g, hessian) = work.current.finish(theta: theta, lambda: lambda)
        var iterations = 0
        var stop = StopReason.maxIterations
        var gradNorm = Double.infinity

        while true {
            gradNorm = g.reduce(0) { max($0, abs($1)) } / totalWeight
            if gradNorm <= options.gradientTolerance { stop = .converged; break }
            if iterations >= options.maxIterations { stop = .maxIterations; break }
            var direction = g.map { -$0 }
            var factor = hessian
            do {
                try BLAS.choleskyFactor(&factor, order: q)
                try BLAS.choleskySolve(factor: factor, order: q, &direction)
            } catch {
                // H is positive definite for λ > 0 and checked full rank for
                // λ = 0; reaching here means separation has driven every
                // w_i to zero.
                throw .design(.separation(columns: separatedColumns(theta: theta, standardErrors: nil, p: p)))
            }
            let slope = zip(g, direction).reduce(0) { $0 + $1.0 * $1.1 }
            var t = 1.0
            var accepted = false
            var trial = theta
            for halving in 0..<maxHalvings {
                for j in 0..<q { trial[j] = theta[j] + t * direction[j] }
                // The full step (t = 1) is almost always accepted, so its pass
                // also accumulates g and H at the trial point: accepted, they
                // are the next iteration's, and that pass over X is saved.
                let speculative = halving == 0
                let fTrial = try pass(
                    x, predicting: trial, into: work.trialEta, loss: true,
                    derivatives: speculative ? work.trial : nil, work: work)
                    + penalty(trial, p: p, lambda: lambda)
                // Near the optimum the decrease a Newton step achieves is below
                // the rounding error of f; the slack of 64 ulps of f lets
                // that step through instead of halving on noise.
                if fTrial <= f + armijo * t * slope + roundingSlack * abs(f) {
                    theta = trial
                    swap(&work.eta, &work.trialEta)
                    f = fTrial
                    if speculative {
                        swap(&work.current, &work.trial)
                    } else {
                        _ = try pass(x, predicting: nil, into: work.eta, loss: false, derivatives: work.current, work: work)
                    }
                    (g, hessian) = work.current.finish(theta: theta, lambda: lambda)
                    accepted = true
                    break
                }
                t *= 0.5
            }
            iterations += 1
            // Not accepted: θ, g and H are unchanged, H is the Hessian at
            // the returned point.
            if !accepted { stop = .lineSearchFailed; break }
        }

        // Covariance from the Hessian at the returned point.
        var factor = hessian
        let covariance: [Double]
        do {
            try BLAS.choleskyFactor(&factor, order: q)
            covariance = try BLAS.choleskyInverse(factor: factor, order: q)
        } catch {
            throw .design(.separation(columns: separatedColumns(theta: theta, standardErrors: nil, p: p)))
        }
        let se = (0..<q).map { covariance[$0 * q + $0].squareRoot() }
        let converged = stop == .converged || (stop == .lineSearchFailed && gradNorm <= 1e-7)
        if lambda == 0 {
            let diverging = separatedColumns(theta: theta, standardErrors: se, p: p)
            if !diverging.isEmpty { throw .design(.separation(columns: diverging)) }
        }
        let penaltyValue = penalty(theta, p: p, lambda: lambda)
        return LogisticFit(
            coefficients: Array(theta[0..<p]), intercept: theta[p], standardErrors: se,
            covariance: covariance, iterations: iterations, converged: converged, stopReason: stop,
            gradientNorm: gradNorm, objective: f, logLikelihood: -(f - penaltyValue))
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

    /// (λ/2)‖β‖².
    static func penalty(_ theta: [Double], p: Int, lambda: Double) -> Double {
        var norm = 0.0
        for j in 0..<p { norm += theta[j] * theta[j] }
        return 0.5 * lambda * norm
    }

    /// Sums of the unpenalised derivatives over the rows, accumulated
    /// block by block: `gradient` = [Xᵀr ; Σ r_i] (q entries) and `upper`
    /// the upper triangle of [X 1]ᵀW[X 1] (q×q, row-major), r_i = s_i(μ_i −
    /// y_i), w_i = s_i μ_i (1 − μ_i).
    final class Derivatives {
        let q: Int
        /// Accumulators of the two halves of every block (slot 0 and slot
        /// 1), added in `finish`: Xᵀr (q entries each, the last is Σ r_i)
        /// and the upper triangle of [X 1]ᵀW[X 1] (q × q each).
        let gradient: UnsafeMutablePointer<Double>
        let upper: UnsafeMutablePointer<Double>
        init(q: Int) {
            self.q = q
            gradient = .allocate(capacity: 2 * q)
            upper = .allocate(capacity: 2 * q * q)
            reset()
        }
        deinit {
            gradient.deallocate()
            upper.deallocate()
        }
        func reset() {
            gradient.initialize(repeating: 0, count: 2 * q)
            upper.initialize(repeating: 0, count: 2 * q * q)
        }
        func gradient(slot: Int) -> UnsafeMutablePointer<Double> { gradient + slot * q }
        func upper(slot: Int) -> UnsafeMutablePointer<Double> { upper + slot * q * q }
        /// g = [Xᵀr + λβ ; Σ r_i] and the full symmetric H = [X 1]ᵀW[X 1] +
        /// λ·diag(1, …, 1, 0) (the intercept is not penalised).
        func finish(theta: [Double], lambda: Double) -> (gradient: [Double], hessian: [Double]) {
            let p = q - 1
            var g = (0..<q).map { gradient[$0] + gradient[q + $0] }
            for j in 0..<p { g[j] += lambda * theta[j] }
            var h = LogisticRegression.symmetricSum(ofHalves: upper, order: q)
            for j in 0..<p { h[j * q + j] += lambda }
            return (g, h)
        }
    }

    /// The O(n) vectors of a fit (labels, weights, η at the current point
    /// and at a line-search trial) and the O(block) scratch of a pass. No
    /// O(n·p) storage: the design stays wherever its source keeps it.
    final class Workspace {
        let n: Int
        let p: Int
        let y: UnsafeMutablePointer<Double>
        let s: UnsafeMutablePointer<Double>
        var eta: UnsafeMutablePointer<Double>
        var trialEta: UnsafeMutablePointer<Double>
        /// √w_i·[x_i, 1] for one block, rowsPerBlock × (p + 1).
        let scaled: UnsafeMutablePointer<Double>
        /// r_i for one block.
        let residual: UnsafeMutablePointer<Double>
        /// Sums of the two halves of a block: loss, Σ r (per half).
        let partial: UnsafeMutablePointer<Double>
        var current: Derivatives
        var trial: Derivatives

        init(labels: [Double], weights: [Double], columns p: Int) {
            n = labels.count
            self.p = p
            let blockRows = DesignPartition.rowsPerBlock(columns: p)
            y = .allocate(capacity: max(n, 1))
            s = .allocate(capacity: max(n, 1))
            eta = .allocate(capacity: max(n, 1))
            trialEta = .allocate(capacity: max(n, 1))
            _ = UnsafeMutableBufferPointer(start: y, count: n).initialize(from: labels)
            _ = UnsafeMutableBufferPointer(start: s, count: n).initialize(from: weights)
            eta.initialize(repeating: 0, count: n)
            trialEta.initialize(repeating: 0, count: n)
            scaled = .allocate(capacity: blockRows * (p + 1))
            residual = .allocate(capacity: blockRows)
            partial = .allocate(capacity: 4)
            current = Derivatives(q: p + 1)
            trial = Derivatives(q: p + 1)
        }

        deinit {
            for buffer in [y, s, eta, trialEta, scaled, residual, partial] { buffer.deallocate() }
        }
    }

    /// One pass over the rows of `x`, block by block:
    ///   - if `theta` is given, η_i ← x_iᵀβ + b (dgemv on the block) into
    ///     `eta`, else `eta` holds η already;
    ///   - if `loss`, returns Σ s_i ℓ(y_i, η_i) (summed per block, then over
    ///     blocks), else 0;
    ///   - if `derivatives` is given, it is reset and receives, per block
    ///     while the block is in cache, with A the block of √w_i·[x_i, 1]:
    ///     AᵀA (one dsyrk: XᵀWX, XᵀW1 and Σ w_i together) and Xᵀr (dgemv
    ///     transposed on the raw block), Σ r_i.
    /// Every block is processed by the same calls whatever the source, so
    /// the sums are the same bitwise.
    static func pass<S: DesignSource>(
        _ x: S, predicting theta: [Double]?, into eta: UnsafeMutablePointer<Double>, loss wantLoss: Bool,
        derivatives: Derivatives?, work: Workspace
    ) throws(FitError) -> Double {
        let p = x.columns
        let y = work.y, s = work.s, a = work.scaled, r = work.residual, partial = work.partial
        derivatives?.reset()
        var loss = 0.0
        var sumR = 0.0
        let intercept = theta?[p] ?? 0
        let beta = theta.map { Array($0[0..<p]) } ?? []
        do {
            try x.forEachBlock { block in
                let m = block.rows, first = block.firstRow
                // (No rows to read when p = 0: any valid pointer will do.)
                let xb = block.values.baseAddress ?? UnsafePointer(a)
                let e = eta + first
                // Each block is split into two fixed halves, run on two
                // threads: each half computes its η (dgemv), its per-row
                // work (one exp, a log1p for the loss, the scaled rows) and
                // its own dsyrk and dgemv-T into its own accumulators (BLAS
                // itself on one thread, see `fitSource`). The halves' sums
                // are added in a fixed order, so the result is the same
                // whatever the number of cores.
                let kernel = RowKernel(
                    p: p, x: xb, eta: e, y: y + first, s: s + first, scaled: a, residual: r,
                    partial: partial, loss: wantLoss, derivatives: derivatives,
                    theta: theta == nil ? nil : (beta, intercept))
                let half = (m / 2 + 7) / 8 * 8
                DispatchQueue.concurrentPerform(iterations: 2) { k in
                    kernel.run(k == 0 ? 0..<min(half, m) : min(half, m)..<m, slot: k)
                }
                let blockLoss = partial[0] + partial[2]
                if derivatives != nil { sumR += partial[1] + partial[3] }
                loss += blockLoss
            }
        } catch {
            throw .input(error)
        }
        if let d = derivatives {
            d.gradient(slot: 0)[p] = sumR
            d.gradient(slot: 1)[p] = 0
        }
        return loss
    }

    /// The per-row work of a pass on rows `range` of one block (indices
    /// within the block): Σ s_i ℓ_i if `loss`, and if `derivatives`
    /// r_i = s_i(μ_i − y_i), the scaled row √w_i·[x_i, 1] with
    /// w_i = s_i μ_i (1 − μ_i), and Σ r_i. The two sums go to
    /// `partial[2·slot]` and `partial[2·slot + 1]`.
    struct RowKernel: @unchecked Sendable {
        let p: Int
        let x: UnsafePointer<Double>
        let eta: UnsafeMutablePointer<Double>
        let y: UnsafePointer<Double>, s: UnsafePointer<Double>
        let scaled: UnsafeMutablePointer<Double>, residual: UnsafeMutablePointer<Double>
        let partial: UnsafeMutablePointer<Double>
        let loss: Bool
        let accumulators: Derivatives?
        var derivatives: Bool { accumulators != nil }
        /// β and b when η is to be computed first, nil when `eta` holds it.
        let theta: (beta: [Double], intercept: Double)?

        init(
            p: Int, x: UnsafePointer<Double>, eta: UnsafeMutablePointer<Double>,
            y: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>, scaled: UnsafeMutablePointer<Double>,
            residual: UnsafeMutablePointer<Double>, partial: UnsafeMutablePointer<Double>, loss: Bool,
            derivatives: Derivatives?, theta: (beta: [Double], intercept: Double)?
        ) {
            (self.p, self.x, self.eta) = (p, x, eta)
            (self.y, self.s) = (UnsafePointer(y), UnsafePointer(s))
            (self.scaled, self.residual, self.partial) = (scaled, residual, partial)
            (self.loss, self.accumulators, self.theta) = (loss, derivatives, theta)
        }

        func run(_ range: Range<Int>, slot: Int) {
            let q = p + 1
            var sumLoss = 0.0, sumR = 0.0
            if let theta, !range.isEmpty {
                for i in range { eta[i] = theta.intercept }
                if p > 0 {
                    theta.beta.withUnsafeBufferPointer { bp in
                        BLAS.gemv(rows: range.count, columns: p, alpha: 1, a: x + range.lowerBound * p, x: bp.baseAddress!, beta: 1, y: eta + range.lowerBound)
                    }
                }
            }
            defer {
                if let d = accumulators, !range.isEmpty {
                    BLAS.syrkTransposed(rows: range.count, columns: q, alpha: 1, a: scaled + range.lowerBound * q, beta: 1, c: d.upper(slot: slot))
                    if p > 0 {
                        BLAS.gemvTransposed(
                            rows: range.count, columns: p, alpha: 1, a: x + range.lowerBound * p, x: residual + range.lowerBound,
                            beta: 1, y: d.gradient(slot: slot))
                    }
                }
            }
            if !derivatives {
                if loss {
                    for i in range { sumLoss += s[i] * logisticLoss(label: y[i], logOdds: eta[i]) }
                }
            } else {
                for i in range {
                    let mu: Double, complement: Double
                    if loss {
                        let v = logisticLossAndProbabilities(label: y[i], logOdds: eta[i])
                        sumLoss += s[i] * v.loss
                        (mu, complement) = (v.mu, v.complement)
                    } else {
                        (mu, complement) = LogisticRegression.probabilities(logOdds: eta[i])
                    }
                    // r = s(μ − y) = s((1 − y)μ − y(1 − μ)): exact in μ and
                    // 1 − μ, without cancellation for y ∈ {0, 1}.
                    let ri = s[i] * ((1 - y[i]) * mu - y[i] * complement)
                    let sw = (s[i] * mu * complement).squareRoot()
                    residual[i] = ri
                    sumR += ri
                    let src = x + i * p, dst = scaled + i * q
                    for j in 0..<p { dst[j] = sw * src[j] }
                    dst[p] = sw
                }
            }
            partial[2 * slot] = sumLoss
            partial[2 * slot + 1] = sumR
        }
    }

    /// μ = σ(η) and 1 − μ, each without cancellation (see
    /// `logisticLossAndProbabilities`).
    @inline(__always)
    static func probabilities(logOdds eta: Double) -> (mu: Double, complement: Double) {
        let e = exp(-abs(eta))
        let d = 1 + e
        let inv = 1 / d, small = e / d
        return eta >= 0 ? (inv, small) : (small, inv)
    }

    /// Columns that are numerically linear combinations of the others and
    /// the intercept: pivoted Cholesky (dpstrf) of the weighted Gram matrix
    /// of [X 1] scaled to unit diagonal, with tolerance 1e-9 · (p + 1).
    /// Columns with zero variance are reported too.
    static func collinearColumns(design x: DenseMatrix, weights s: [Double]) -> [Int] {
        guard x.columns > 0 else { return [] }
        do {
            return dependentColumns(gram: try weightedGram(x, weights: s), columns: x.columns)
        } catch {
            preconditionFailure("an in-memory design cannot fail to read: \(error)")
        }
    }

    /// `collinearColumns(design:weights:)` for any design source.
    static func collinearColumns<S: DesignSource>(design x: S, weights s: [Double]) throws(InputError) -> [Int] {
        guard x.columns > 0 else { return [] }
        return dependentColumns(gram: try weightedGram(x, weights: s), columns: x.columns)
    }

    /// [X 1]ᵀS[X 1] (full, symmetric) in one pass: dsyrk on the blocks of
    /// √s_i·[x_i, 1].
    static func weightedGram<S: DesignSource>(_ x: S, weights s: [Double]) throws(InputError) -> [Double] {
        let p = x.columns, q = p + 1
        precondition(s.count == x.rows)
        // As in `pass`: each block split into two fixed halves on two
        // threads, each with its own scaled rows and its own single-threaded
        // dsyrk into its own sum, the two sums added at the end; the Gram
        // matrix (and so the notice of collinear columns) does not depend on
        // the number of cores.
        let c = UnsafeMutablePointer<Double>.allocate(capacity: 2 * q * q)
        c.initialize(repeating: 0, count: 2 * q * q)
        let a = UnsafeMutablePointer<Double>.allocate(capacity: DesignPartition.rowsPerBlock(columns: p) * q)
        defer {
            c.deallocate()
            a.deallocate()
        }
        try s.withUnsafeBufferPointer { (weights: UnsafeBufferPointer<Double>) throws(InputError) in
            let shared = UncheckedSendable((c: c, a: a, s: weights))
            try BLAS.withOneThread { () throws(InputError) in
                try x.forEachBlock { block in
                    let xb = UncheckedSendable(block.values.baseAddress ?? UnsafePointer(a))
                    let m = block.rows, first = block.firstRow
                    let half = (m / 2 + 7) / 8 * 8
                    DispatchQueue.concurrentPerform(iterations: 2) { k in
                        let range = k == 0 ? 0..<min(half, m) : min(half, m)..<m
                        guard !range.isEmpty else { return }
                        let (c, a, s) = shared.value
                        for i in range {
                            let sw = s[first + i].squareRoot()
                            for j in 0..<p { a[i * q + j] = sw * xb.value[i * p + j] }
                            a[i * q + p] = sw
                        }
                        BLAS.syrkTransposed(rows: range.count, columns: q, alpha: 1, a: a + range.lowerBound * q, beta: 1, c: c + k * q * q)
                    }
                }
            }
        }
        return symmetricSum(ofHalves: c, order: q)
    }

    /// The full symmetric q × q matrix whose upper triangle is the sum of
    /// the two halves' upper triangles, `halves[0 ..< q²]` + `halves[q² ..< 2q²]`
    /// (added in that order, so the result does not depend on the threads).
    static func symmetricSum(ofHalves halves: UnsafePointer<Double>, order q: Int) -> [Double] {
        var m = [Double](repeating: 0, count: q * q)
        for i in 0..<q {
            for j in i..<q {
                let v = halves[i * q + j] + halves[q * q + i * q + j]
                m[i * q + j] = v
                m[j * q + i] = v
            }
        }
        return m
    }

    /// The columns a pivoted Cholesky of the Gram matrix of [X 1] (scaled
    /// to unit diagonal) finds dependent, and the constant columns.
    static func dependentColumns(gram raw: [Double], columns p: Int) -> [Int] {
        let q = p + 1
        var gram = raw
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
            let mean = raw[j * q + p] / total
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
