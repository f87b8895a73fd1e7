import Foundation

extension Prepared {
    /// The penalty (λ, α) chosen by `k`-fold cross-validation on `rows`,
    /// the training rows (`PenaltyPath`), and what it measured. `encoded`
    /// is `rows` encoded for the final fit: λ_max of an L1 or elastic-net
    /// path is computed on it. `notices` gets a sentence when fits along
    /// the path stopped before converging.
    func choosePenalty(
        rows: [Int], encoded: EncodedRows, folds k: Int, seed: UInt64, notices: inout [String]
    ) throws(InputError) -> (lambda: Double, l1Ratio: Double, selection: ModelCard.PenaltySelection) {
        let alphas: [Double]
        switch config.effectivePenalty {
        case .l2: alphas = [0]
        case .l1: alphas = [1]
        case .elasticnet: alphas = config.l1Ratio.map { [$0] } ?? PenaltyPath.l1Ratios
        }
        let y = rows.map { labels[$0] }
        let w = weights.map { w in rows.map { w[$0] } }
        var candidates: [PenaltyPath.Candidate] = []
        for alpha in alphas {
            guard alpha > 0 else {
                candidates.append(.init(l1Ratio: 0, lambdas: PenaltyPath.l2Grid))
                continue
            }
            let limit: Double
            do {
                switch encoded.design {
                case .memory(let x): limit = try LogisticRegression.penaltyLimit(design: x, labels: y, weights: w, classWeight: solver.classWeight, l1Ratio: alpha)
                case .cache(let x): limit = try LogisticRegression.penaltyLimit(design: x, labels: y, weights: w, classWeight: solver.classWeight, l1Ratio: alpha)
                }
            } catch {
                switch error {
                case .design(let problem): throw Trainer.explain(problem, names: encoded.encoder.featureNames, file: path)
                case .input(let failure): throw failure
                }
            }
            candidates.append(.init(l1Ratio: alpha, lambdas: PenaltyPath.lambdas(from: limit)))
        }

        // The folds side by side on two threads, each encoded once and
        // fitted along the whole path; each fold's numbers are computed as
        // on its own.
        let splits = StratifiedSplit.folds(rows: rows, labels: labels, k: k, seed: seed)
        var results = [Result<[[PenaltyPath.FoldPoint]], InputError>](repeating: .success([]), count: k)
        let this = UncheckedSendable((data: self, splits: splits, candidates: candidates))
        // BLAS on one thread for the whole of it: each fit's own
        // `BLAS.withOneThread` restores the previous count when it ends,
        // which, with two folds' fits overlapping, would hand the other
        // fold's calls OpenBLAS's threads (and their rounding) mid-path.
        BLAS.withOneThread {
            results.withUnsafeMutableBufferPointer { out in
                let target = UncheckedSendable(out.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: k) { f in
                    let (data, splits, candidates) = this.value
                    do throws(InputError) {
                        target.value[f] = .success(try data.penaltyFoldPath(fit: splits[f].fit, test: splits[f].test, candidates: candidates))
                    } catch {
                        target.value[f] = .failure(error)
                    }
                }
            }
        }
        var folds: [[[PenaltyPath.FoldPoint]]] = []
        for r in results { folds.append(try r.get()) }
        let stopped = folds.reduce(0) { $0 + $1.reduce(0) { $0 + $1.filter { !$0.converged }.count } }
        if stopped > 0 {
            notices.append("\(stopped) of the \(k * candidates.reduce(0) { $0 + $1.lambdas.count }) fits of the cross-validation of the penalty stopped before converging; their held-out numbers are those of the coefficients reached.")
        }
        let selection = PenaltyPath.select(folds, candidates: candidates, metric: config.effectiveCVMetric, rule: config.effectiveCVRule, seed: seed)
        let best = selection.path[selection.minimum]
        if let last = candidates.first(where: { $0.l1Ratio == best.l1Ratio })?.lambdas.last, best.lambda == last {
            notices.append("The cross-validation's best λ (\(ModelNumber.significant(best.lambda))) is the smallest it tried: a smaller penalty might do better still; \(OptionKey.l2.mention) fits with a λ of your choice.")
        }
        let point = selection.path[selection.chosen]
        return (point.lambda, point.l1Ratio, selection)
    }

    /// One fold of `choosePenalty`: the encoders learned on `fit`, both
    /// parts encoded once, and the path fitted (`PenaltyPath.fit`).
    func penaltyFoldPath(fit: [Int], test: [Int], candidates: [PenaltyPath.Candidate]) throws(InputError) -> [[PenaltyPath.FoldPoint]] {
        var ignored: [String] = []
        let encoder = try FeatureEncoder.fit(table: table, schema: schema, rows: fit, config: config, asOfDays: asOfDays, notices: &ignored)
        let y = fit.map { labels[$0] }
        let w = weights.map { w in fit.map { w[$0] } }
        let fold = PenaltyFold(
            design: try CompactDesign(EncodedDesign(encoder: encoder, table: table, rows: fit), holdingAllValues: true), labels: y, weights: w,
            test: encoder.design(table: table, rows: test), testLabels: test.map { labels[$0] }, testWeights: test.map { weights?[$0] ?? 1 },
            scoringIntercept: { b in priorCorrection(labels: y, weights: w, fittedIntercept: b)?.correctedIntercept ?? b })
        do {
            return try PenaltyPath.fit(fold, candidates: candidates, solver: solver.bounded(by: encoder), metric: config.effectiveCVMetric)
        } catch {
            throw Trainer.explain(error, names: encoder.featureNames, file: path)
        }
    }
}
