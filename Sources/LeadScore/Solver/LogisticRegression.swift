import Dispatch
import Foundation

// Penalised logistic regression: Newton's method (IRLS) with a
// backtracking line search for the L2 penalty, and a proximal Newton
// method with coordinate descent (newGLMNET) for the L1 and elastic-net
// penalties and for bounded coefficients.
//
// Objective. With rows x_i ∈ ℝᵖ (no intercept column), labels y_i ∈ {0, 1},
// sample weights s_i > 0, coefficients β ∈ ℝᵖ and intercept b:
//
//     f(β, b) = Σ_i s_i · ℓ(y_i, x_iᵀβ + b) + λ · [ (1−α)/2 · ‖β‖² + α · ‖β‖₁ ]
//     ℓ(y, η) = log(1 + e^η) − y·η                  (see LogisticLoss.swift)
//
// subject, optionally, to bounds l_j ≤ β_j ≤ u_j (`lowerBounds`,
// `upperBounds`). The intercept b is neither penalised nor bounded. λ ≥ 0
// is `l2` (the penalty's strength, whatever its kind), α ∈ [0, 1] is
// `l1Ratio`: α = 0 is the L2 (ridge) penalty (λ/2)‖β‖², α = 1 the lasso
// λ‖β‖₁, in between the elastic net.
//
// Conventions of other tools, for the same fit:
//   - scikit-learn LogisticRegression(penalty="elasticnet", C, l1_ratio)
//     minimises C · Σ s_i ℓ_i + (1−l1_ratio)/2 ‖β‖² + l1_ratio ‖β‖₁, which
//     is f / C: λ = 1/C, α = l1_ratio, exactly (penalty="l2" is α = 0,
//     penalty="l1" α = 1);
//   - glum GeneralizedLinearRegressor(family="binomial", alpha=a,
//     l1_ratio=r) divides the loss by Σ s_i: a = λ / Σ s_i, r = α;
//   - glmnet (R) divides the loss by n (with weights, the weights are
//     rescaled to sum to n): lambda = λ / Σ s_i, alpha = α, its
//     `standardize = FALSE` (LeadScore's design is standardised already).
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
// Newton step (α = 0 without bounds). With μ_i = σ(η_i) and
// w_i = s_i μ_i (1 − μ_i):
//
//     g = [ Xᵀ(s∘(μ − y)) + λβ ;  Σ s_i (μ_i − y_i) ]
//     H = [ XᵀWX + λI   XᵀW1 ;  1ᵀWX   Σ w_i ]
//
// The direction d solves H d = −g by Cholesky (dpotrf/dpotrs).
//
// Passes over the design. The rows are read in the fixed blocks of
// `DesignPartition` (about 1 MiB each, see DesignSource.swift), from any
// `DesignSource`: a `DenseMatrix` or a `CompactDesign` in memory, or a
// `DesignCache` streamed from a file, with the same calls on the same
// blocks, hence bitwise the same model. Only O(n) vectors (y, s, η, a trial η) and O(block) scratch
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

// The L1 and elastic-net penalties (α > 0), and bounds (any α), are
// solved by LogisticRegression+CoordinateDescent.swift with the same pass,
// the same stopping test on the minimum-norm subgradient and the same
// stop reasons; see the notes there. α = 0 without bounds takes the
// Newton path above, unchanged.

public struct SolverOptions: Codable, Sendable, Equatable {
    /// λ in the objective above, the penalty's strength; λ = 1/C for
    /// scikit-learn's C. Default `TrainingConfiguration.defaultL2`.
    public var l2: Double
    /// α in the objective above: 0 the L2 penalty, 1 the lasso, between
    /// the elastic net (scikit-learn's `l1_ratio`). Default 0.
    public var l1Ratio: Double
    /// Lower and upper bounds l_j ≤ β_j ≤ u_j on the coefficients (not the
    /// intercept), p entries each (−∞ and +∞ for none); nil for none. Each
    /// l_j ≤ u_j; a fit with bounds takes the coordinate-descent path.
    public var lowerBounds: [Double]?
    public var upperBounds: [Double]?
    public var classWeight: ClassWeight
    public var maxIterations: Int
    /// Tolerance on ‖∇ˢf‖∞ / Σ s_i (the minimum-norm subgradient; the
    /// gradient for α = 0 without bounds). Default 1e-10.
    public var gradientTolerance: Double

    public init(
        l2: Double = TrainingConfiguration.defaultL2, l1Ratio: Double = 0, classWeight: ClassWeight = .none, maxIterations: Int = 100,
        gradientTolerance: Double = 1e-10, lowerBounds: [Double]? = nil, upperBounds: [Double]? = nil
    ) {
        self.l2 = l2
        self.l1Ratio = l1Ratio
        self.classWeight = classWeight
        self.maxIterations = maxIterations
        self.gradientTolerance = gradientTolerance
        self.lowerBounds = lowerBounds
        self.upperBounds = upperBounds
    }

    /// Whether the fit takes the coordinate-descent path: an L1 part, or
    /// bounds.
    var usesCoordinateDescent: Bool { l1Ratio > 0 || lowerBounds != nil || upperBounds != nil }
}

/// The fitted coefficients and their uncertainty.
public struct LogisticFit: Sendable {
    /// β, one per design column, on the scale of the design.
    public var coefficients: [Double]
    public var intercept: Double
    /// Standard errors √diag(H⁻¹), coefficients first, intercept last.
    /// NaN for a coefficient the L1 penalty set to 0 or a bound holds (see
    /// LogisticRegression+CoordinateDescent.swift).
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
    /// `offsets` (if given) are a fixed term o_i of each row's log-odds,
    /// η_i = x_iᵀβ + b + o_i, fitted around rather than estimated (the
    /// offset of a GLM, statsmodels' `offset`): with the log-odds of another
    /// model as o_i and the L2 penalty, β is shrunk toward that model
    /// instead of toward 0. Throws `DesignProblem` for an empty or
    /// single-class design, for exact collinearity when λ = 0, and for
    /// separation when λ = 0.
    public static func fit(
        design x: DenseMatrix, labels y: [Double], weights: [Double]? = nil, offsets: [Double]? = nil, options: SolverOptions = SolverOptions(),
        start: [Double]? = nil
    ) throws(DesignProblem) -> LogisticFit {
        do {
            return try fitSource(x, labels: y, weights: weights, offsets: offsets, options: options, start: start)
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
        design x: S, labels y: [Double], weights: [Double]? = nil, options: SolverOptions = SolverOptions(), start: [Double]? = nil
    ) throws(FitError) -> LogisticFit {
        try fitSource(x, labels: y, weights: weights, options: options, start: start)
    }

    /// `start`, if given, is the point the solver starts from (p
    /// coefficients, then the intercept), a warm start along a path of
    /// penalties; nil starts at the intercept-only fit.
    /// `path`, if given, carries the state of the previous fit of a path of
    /// penalties on the same rows (`PathState`).
    static func fitSource<S: DesignSource>(
        _ x: S, labels y: [Double], weights: [Double]?, offsets: [Double]? = nil, options: SolverOptions, start: [Double]? = nil,
        path: PathState? = nil
    ) throws(FitError) -> LogisticFit {
        precondition(options.l1Ratio >= 0 && options.l1Ratio <= 1, "l1Ratio must lie in [0, 1]")
        precondition(start == nil || start!.count == x.columns + 1)
        if options.usesCoordinateDescent {
            return try BLAS.withOneThread { () throws(FitError) in
                try coordinateDescent(x, labels: y, weights: weights, offsets: offsets, options: options, start: start, path: path)
            }
        }
        return try BLAS.withOneThread { () throws(FitError) in
            try newton(x, labels: y, weights: weights, offsets: offsets, options: options, start: start, path: path)
        }
    }

    private static func newton<S: DesignSource>(
        _ x: S, labels y: [Double], weights: [Double]?, offsets: [Double]?, options: SolverOptions, start: [Double]?, path: PathState?
    ) throws(FitError) -> LogisticFit {
        let n = x.rows, p = x.columns, q = p + 1
        precondition(y.count == n && (weights?.count ?? n) == n && (offsets?.count ?? n) == n)
        precondition(offsets?.allSatisfy(\.isFinite) ?? true, "offsets must be finite")
        let (s, totalWeight, positiveWeight) = try checkedWeights(x, labels: y, weights: weights, options: options, compact: path?.compact)
        let lambda = options.l2

        let (work, theta0, loss0) = try beginning(
            x, labels: y, weights: s, offsets: offsets, theta: start ?? interceptOnlyStart(positiveWeight: positiveWeight, totalWeight: totalWeight, p: p),
            warm: start != nil, path: path)
        var theta = theta0
        var f = loss0 + penalty(theta, p: p, lambda: lambda)
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
                let fTrial = try trialLoss(x, at: trial, speculative: speculative, work: work) + penalty(trial, p: p, lambda: lambda)
                // Near the optimum the decrease a Newton step achieves is below
                // the rounding error of f; the slack of 64 ulps of f lets
                // that step through instead of halving on noise.
                if fTrial <= f + armijo * t * slope + roundingSlack * abs(f) {
                    theta = trial
                    f = fTrial
                    try acceptTrial(x, speculative: speculative, work: work)
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
        path?.record(theta: theta, loss: f - penaltyValue)
        return LogisticFit(
            coefficients: Array(theta[0..<p]), intercept: theta[p], standardErrors: se,
            covariance: covariance, iterations: iterations, converged: converged, stopReason: stop,
            gradientNorm: gradNorm, objective: f, logLikelihood: -(f - penaltyValue))
    }

    /// The solver's weights s_i (`effectiveWeights`), their total and the
    /// total of the won rows'. Throws for an empty or single-class design,
    /// and for exact collinearity when λ = 0.
    static func checkedWeights<S: DesignSource>(
        _ x: S, labels y: [Double], weights: [Double]?, options: SolverOptions, compact: CompactDesign? = nil
    ) throws(FitError) -> (s: [Double], total: Double, positive: Double) {
        guard x.rows > 0 else { throw .design(.empty) }
        let s = effectiveWeights(labels: y, weights: weights, classWeight: options.classWeight)
        let totalWeight = s.reduce(0, +)
        let positiveWeight = zip(s, y).reduce(0) { $0 + $1.0 * $1.1 }
        guard positiveWeight > 0, positiveWeight < totalWeight else { throw .design(.singleClass) }
        if options.l2 == 0 {
            let dependent: [Int]
            do { dependent = try collinearColumns(design: x, weights: s, compact: compact) } catch { throw .input(error) }
            if !dependent.isEmpty { throw .design(.collinear(columns: dependent)) }
        }
        return (s, totalWeight, positiveWeight)
    }

    /// The loss at a line-search trial point θ (η into `work.trialEta`);
    /// `speculative` (the full step) also accumulates g and H there, into
    /// `work.trial`, since that step is almost always accepted.
    static func trialLoss<S: DesignSource>(_ x: S, at trial: [Double], speculative: Bool, work: Workspace) throws(FitError) -> Double {
        try pass(x, predicting: trial, into: work.trialEta, loss: true, derivatives: speculative ? work.trial : nil, work: work)
    }

    /// Makes the accepted trial point current: its η, and its g and H,
    /// those of the speculative pass or, after a backtracking step, of one
    /// more pass.
    static func acceptTrial<S: DesignSource>(_ x: S, speculative: Bool, work: Workspace) throws(FitError) {
        swap(&work.eta, &work.trialEta)
        if speculative {
            swap(&work.current, &work.trial)
        } else {
            _ = try pass(x, predicting: nil, into: work.eta, loss: false, derivatives: work.current, work: work)
        }
    }

    /// The state a path of fits on the same rows (labels, weights, class
    /// weights and offsets) carries from one penalty to the next: the
    /// workspace, and the point the last fit returned with its loss, η, g
    /// and H (those of the unpenalised loss; `Derivatives.finish` adds the
    /// penalty). The next fit starts there without a pass over the design:
    /// warm-started along a path, each fit costs one pass per accepted step.
    final class PathState {
        fileprivate var work: Workspace?
        fileprivate var theta: [Double]?
        fileprivate var loss = 0.0
        /// The design's compact form, when the caller has read it already
        /// (e.g. for the collinearity check): the first fit uses it
        /// instead of reading it again.
        let compact: CompactDesign?
        init(compact: CompactDesign? = nil) { self.compact = compact }

        func record(theta: [Double], loss: Double) {
            self.theta = theta
            self.loss = loss
        }
    }

    /// Where a fit starts: a new workspace and the first pass at `theta`
    /// (`startingPass`), or, along a path with a previous fit, its
    /// workspace, point and loss, with no pass at all.
    static func beginning<S: DesignSource>(
        _ x: S, labels y: [Double], weights s: [Double], offsets: [Double]?, theta: [Double], warm: Bool, path: PathState?
    ) throws(FitError) -> (work: Workspace, theta: [Double], loss: Double) {
        if let path, let work = path.work, let previous = path.theta { return (work, previous, path.loss) }
        let compact: CompactDesign
        if let given = path?.compact {
            compact = given
        } else {
            do { compact = try x.compactForm() } catch { throw .input(error) }
        }
        let work = Workspace(labels: y, weights: s, compact: compact, offsets: offsets)
        let loss = try startingPass(x, theta: theta, warm: warm, work: work)
        path?.work = work
        return (work, theta, loss)
    }

    /// Fits along a path of penalties (`PathState`): as `fit(design:)`,
    /// starting from where the previous fit with the same `path` ended, on
    /// a design held in memory as its compact form (`holdsAllValues`).
    static func fit(design x: CompactDesign, labels y: [Double], weights: [Double]?, options: SolverOptions, path: PathState) throws(DesignProblem) -> LogisticFit {
        do {
            return try fitSource(x, labels: y, weights: weights, options: options, path: path)
        } catch {
            switch error {
            case .design(let problem): throw problem
            case .input(let failure): preconditionFailure("an in-memory design cannot fail to read: \(failure)")
            }
        }
    }

    /// The intercept-only optimum, θ = (0, …, 0, logit(weighted base rate)).
    static func interceptOnlyStart(positiveWeight: Double, totalWeight: Double, p: Int) -> [Double] {
        var theta = [Double](repeating: 0, count: p + 1)
        let base = positiveWeight / totalWeight
        theta[p] = log(base / (1 - base))
        return theta
    }

    /// The first pass of a fit: η, the loss, g and H at `theta` into
    /// `work.current`. At the intercept-only start (`warm` false, β = 0)
    /// η_i = b (+ o_i) needs no pass over X (with offsets it is only near
    /// the optimum; the solver takes it from there); a warm start computes
    /// η = Xβ + b.
    static func startingPass<S: DesignSource>(_ x: S, theta: [Double], warm: Bool, work: Workspace) throws(FitError) -> Double {
        if warm {
            return try pass(x, predicting: theta, into: work.eta, loss: true, derivatives: work.current, work: work)
        }
        let p = x.columns
        if let o = work.offset {
            for i in 0..<work.n { work.eta[i] = theta[p] + o[i] }
        } else {
            for i in 0..<work.n { work.eta[i] = theta[p] }
        }
        return try pass(x, predicting: nil, into: work.eta, loss: true, derivatives: work.current, work: work)
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
}
