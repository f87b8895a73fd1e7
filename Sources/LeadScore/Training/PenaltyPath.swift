import Foundation

// The penalty chosen by k-fold cross-validation (`TrainingConfiguration.cv`).
//
// Candidates. For the L1 and elastic-net penalties (α > 0), a path of
// `pathLength` values of λ log-spaced from λ_max down to λ_max · `pathRatio`,
// λ_max = ‖Xᵀ(s∘(y − ȳ))‖∞ / α the smallest λ at which every coefficient is
// 0 (`LogisticRegression.penaltyLimit`), computed once on all the training
// rows (as glmnet's cv.glmnet does), so that every fold shares the path.
// For the elastic net without `l1Ratio`, one such path per α of
// `l1Ratios`. For the L2 penalty, `l2Grid`: λ from 1e4 down to 1e-2 times
// the default λ, three values a decade.
//
// Folds. The training rows only (never held-out or validation rows), in k
// stratified folds seeded by `seed` (`StratifiedSplit.folds`). Each fold
// learns its encoders on its fitting rows and encodes its fitting and
// held-out rows once; then the path is fitted from the largest λ down,
// each fit warm-started from the previous one's coefficients, to the
// looser tolerance `gradientTolerance` (the held-out deviance moves by
// O(tolerance²) with it). As glmnet does, a fold's path stops early once
// a step of λ lowers the fitting rows' loss by less than `flatPath` (1e-5)
// of the loss it has explained since the first λ (loss there − loss now):
// the coefficients barely move any more, and the
// remaining λ keep that fit's held-out numbers. The folds run side by side on two threads; each
// fold's numbers are computed as on its own, so the choice does not depend
// on the number of cores.
//
// Criterion. On each fold's held-out rows, with the sample weights alone
// and the intercept prior-corrected as `score` would (`PriorCorrection`):
//   - deviance: Σ s_i ℓ(y_i, η_i); a point's `mean` is the out-of-fold
//     deviance summed over the folds divided by the weight of the training
//     rows (each counted once), minimised;
//   - auc: the fold's AUC; `mean` is the mean over the folds, maximised.
// The standard error is the folds' standard deviation (of Σ s ℓ / Σ s, or
// of the AUC) over √k.
//
// Rule. `min`: the best mean (ties to the larger λ, the first on the
// path). `1se`: the largest λ, with the α of the best, whose mean is within
// one standard error (the best point's) of the best (Hastie, Tibshirani &
// Friedman, The Elements of Statistical Learning, 2nd ed., §7.10; glmnet's
// lambda.1se). The model is then refitted on all the training rows at the
// chosen point, with the solver's own tolerance: the same model as a fit
// given that λ and α.

/// One fold of the cross-validation of the penalty: its fitting and
/// held-out rows, encoded by the encoders learned on its fitting rows.
struct PenaltyFold {
    /// The fitting rows' design, held as its compact form (read once for
    /// every candidate's path).
    let design: CompactDesign
    let labels: [Double]
    /// Sample weights of the fitting rows (nil: all 1).
    let weights: [Double]?
    let test: DenseMatrix
    let testLabels: [Double]
    /// Sample weights of the held-out rows (1 when none).
    let testWeights: [Double]
    /// The intercept scoring uses for a fitted one (the prior correction,
    /// `PriorCorrection`; the identity without one).
    let scoringIntercept: (Double) -> Double
}

public enum PenaltyPath {
    /// The α tried by the elastic net without `l1Ratio`.
    public static let l1Ratios = [0.1, 0.5, 0.9, 1.0]
    /// "0.1, 0.5, 0.9 and 1".
    public static var l1RatiosText: String {
        l1Ratios.dropLast().map { ModelNumber.text($0) }.joined(separator: ", ") + " and " + ModelNumber.text(l1Ratios.last!)
    }
    /// Values of λ on an L1 or elastic-net path, and the smallest over the
    /// largest (glmnet's lambda.min.ratio when there are more rows than
    /// features).
    static let pathLength = 30
    static let pathRatio = 1e-4
    /// The L2 candidates, relative to `TrainingConfiguration.defaultL2`:
    /// 1e4 down to 1e-2, three a decade.
    static let l2Grid = (0...18).map { TrainingConfiguration.defaultL2 * pow(10, 4 - Double($0) / 3) }
    /// A fold's path stops when a step of λ lowers the fitting rows' loss
    /// by less than this share of the loss explained since its first λ
    /// (glmnet's `fdev` on the deviance ratio): the remaining λ keep that
    /// fit's numbers.
    static let flatPath = 1e-5
    /// The tolerance of the fits along the path (‖∇ˢf‖∞ / Σ s_i).
    static let gradientTolerance = 1e-6

    /// One α and its λ, from the largest down.
    struct Candidate: Equatable {
        let l1Ratio: Double
        let lambdas: [Double]
    }

    /// λ_max · pathRatio^(k / (pathLength − 1)), k = 0 … pathLength − 1.
    static func lambdas(from lambdaMax: Double) -> [Double] {
        (0..<pathLength).map { lambdaMax * pow(pathRatio, Double($0) / Double(pathLength - 1)) }
    }

    /// What a fold gives for each candidate and λ: the held-out numbers of
    /// the fit, and how many coefficients it kept.
    struct FoldPoint {
        /// Σ s_i ℓ_i and Σ s_i over the held-out rows, and their AUC (NaN
        /// when not asked for).
        var deviance: Double
        var weight: Double
        var auc: Double
        var nonzeros: Int
        var converged: Bool
        /// The fitting rows' loss Σ s_i ℓ_i at the fit (without the penalty).
        var loss: Double
    }

    /// The fold's fits along every candidate's path (warm-started from the
    /// largest λ down), `points[c][i]` for candidate c and its i-th λ. The
    /// AUC (a sort of the held-out rows per λ) only for `metric` auc, else
    /// NaN.
    static func fit(_ fold: PenaltyFold, candidates: [Candidate], solver: SolverOptions, metric: CVMetric) throws(DesignProblem) -> [[FoldPoint]] {
        var out: [[FoldPoint]] = []
        let testWeight = fold.testWeights.reduce(0, +)
        let compact = fold.design
        for candidate in candidates {
            // Each α's path from its largest λ, warm-started along it.
            let state = LogisticRegression.PathState(compact: compact)
            var points: [FoldPoint] = []
            var first: Double? = nil, previous = Double.infinity
            for lambda in candidate.lambdas {
                // The fit has stopped moving (see the notes at the top of the
                // file): the rest of the path keeps its numbers.
                if let last = points.last, let first, previous - last.loss < flatPath * (first - last.loss) {
                    points.append(last)
                    continue
                }
                if let last = points.last { previous = last.loss }
                var options = solver
                options.l2 = lambda
                options.l1Ratio = candidate.l1Ratio
                options.gradientTolerance = gradientTolerance
                let fit = try LogisticRegression.fit(design: fold.design, labels: fold.labels, weights: fold.weights, options: options, path: state)
                let predictor = LinearPredictor(intercept: fold.scoringIntercept(fit.intercept), coefficients: fit.coefficients)
                var eta = [Double](repeating: 0, count: fold.test.rows)
                fold.test.values.withUnsafeBufferPointer { v in
                    eta.withUnsafeMutableBufferPointer { predictor.logOdds(rows: v.baseAddress!, count: fold.test.rows, into: $0.baseAddress!) }
                }
                var deviance = 0.0
                for i in eta.indices { deviance += fold.testWeights[i] * logisticLoss(label: fold.testLabels[i], logOdds: eta[i]) }
                points.append(
                    FoldPoint(
                        deviance: deviance, weight: testWeight, auc: metric == .auc ? BinaryMetrics.auc(labels: fold.testLabels, scores: eta) : .nan,
                        nonzeros: fit.coefficients.filter { $0 != 0 }.count, converged: fit.converged, loss: -fit.logLikelihood))
                if first == nil { first = -fit.logLikelihood }
            }
            out.append(points)
        }
        return out
    }

    /// The path's means and standard errors over the folds (`folds[f][c][i]`)
    /// and the point `rule` chooses (see the notes at the top of the file).
    static func select(
        _ folds: [[[FoldPoint]]], candidates: [Candidate], metric: CVMetric, rule: CVRule, seed: UInt64
    ) -> ModelCard.PenaltySelection {
        let k = Double(folds.count)
        var path: [ModelCard.PenaltySelection.Point] = []
        for (c, candidate) in candidates.enumerated() {
            for (i, lambda) in candidate.lambdas.enumerated() {
                let points = folds.map { $0[c][i] }
                let perFold = points.map { metric == .auc ? $0.auc : $0.deviance / $0.weight }
                let mean = metric == .auc
                    ? perFold.reduce(0, +) / k
                    : points.reduce(0) { $0 + $1.deviance } / points.reduce(0) { $0 + $1.weight }
                let foldMean = perFold.reduce(0, +) / k
                let variance = folds.count > 1 ? perFold.reduce(0) { $0 + ($1 - foldMean) * ($1 - foldMean) } / (k - 1) : 0
                path.append(
                    .init(
                        lambda: lambda, l1Ratio: candidate.l1Ratio, mean: mean, standardError: (variance / k).squareRoot(),
                        nonzeros: Double(points.reduce(0) { $0 + $1.nonzeros }) / k))
            }
        }
        // Smaller is better: the deviance, or minus the AUC.
        func loss(_ p: ModelCard.PenaltySelection.Point) -> Double { metric == .auc ? -p.mean : p.mean }
        var best = 0
        for j in path.indices where loss(path[j]) < loss(path[best]) { best = j }
        var chosen = best
        if rule == .oneStandardError {
            let limit = loss(path[best]) + path[best].standardError
            for j in path.indices where path[j].l1Ratio == path[best].l1Ratio && loss(path[j]) <= limit && path[j].lambda > path[chosen].lambda {
                chosen = j
            }
        }
        return ModelCard.PenaltySelection(folds: folds.count, seed: seed, metric: metric, rule: rule, path: path, chosen: chosen, minimum: best)
    }
}
