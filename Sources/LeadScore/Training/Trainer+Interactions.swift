import Foundation

// The screen for pair terms (`autoInteractions` = K), on the training rows
// only: neither the holdout nor a validation file is ever read by it.
//
// 1. Score test. The model of the main effects (and of any pair named in
//    `interactions`) is fitted on the training rows, giving each row's
//    μ_i = σ(η_i) (the fitted intercept, before any prior correction) and
//    solver weight s_i (sample weight × class weight,
//    `LogisticRegression.effectiveWeights`). Every other pair of model
//    columns gets its cells on the training rows (`PairSide.fit`), and each
//    of its cells c with i ≥ 1 and j ≥ 1 (the pair's features) its score
//    and information
//        g_c = Σ_{i∈c} s_i (y_i − μ_i),   W_c = Σ_{i∈c} s_i μ_i (1 − μ_i).
//    The d cells with W_c > 0 are disjoint indicators Z, so ZᵀWZ is
//    diagonal (the W_c). The score statistic of adding them to the model
//    is Rao's, projected on the main effects:
//        S = gᵀ V⁻¹ g,  V = ZᵀWZ + λI − ZᵀWX̃ (X̃ᵀWX̃ + Λ)⁻¹ X̃ᵀWZ,
//    X̃ = [X, 1] the main-effects design with the intercept, Λ = λ on its
//    features and 0 on the intercept (the penalised Hessian of the fit; λI
//    is the cells' own penalty): for λ = 0, statsmodels' `score_test`
//    with the cells as `exog_extra`. Each row adds to one row of ZᵀWX̃, so
//    a pair costs one pass of n·(p + 1). When the main-effects design would
//    exceed the memory budget, or X̃ᵀWX̃ + Λ is not positive definite, the
//    projection is left out and S is
//    Σ_c g_c² / W_c: conservative, at most the projected statistic (the
//    projection only lowers V); so is a pair whose V is not positive
//    definite (at λ = 0, a cell that a main effect explains entirely).
//    Candidates are ranked by S − 2d (the
//    drop in AIC if the pair's likelihood gain were S/2), larger first,
//    ties by column order; those with S − 2d ≤ 0 are not checked.
// 2. Cross-validation check. The 2K best candidates (at most) are each
//    added alone to the main effects, and the model refitted on the
//    training folds (`folds`-fold stratified, seeded with the training
//    seed; the encoders, pairs' cells included, refitted on each fold's
//    fitting rows, as any fold is). A pair's gain is the drop in the
//    out-of-fold deviance Σ s_i ℓ(y_i, η_i) (sample weights alone,
//    `Prepared.deviance`) against the main effects' own; its AUC change is
//    that of the pooled out-of-fold log-odds. Then forward: the pairs with
//    a positive gain, largest first, are each added to those chosen
//    before it and kept when the out-of-fold deviance of the model with
//    them all drops by more than its standard error (the added gain
//    Σ d_i of the rows' loss differences d_i against √(n · var d), a
//    one-standard-error rule: a gain of chance size, which a pair of no
//    effect has about half the time, is not taken), until K are kept. Two pairs that
//    carry one effect (two columns that say nearly the same) are then not
//    both chosen.

extension Prepared {
    /// The screen on `rows` (see above): every candidate checked by
    /// cross-validation, with its statistic and gains, and which were
    /// chosen.
    func screenPairs(rows: [Int], maximum k: Int, folds: Int, seed: UInt64) throws(InputError) -> InteractionScreen {
        var ignored: [String] = []
        let base = try fitModel(rows: rows, notices: &ignored)
        let (candidates, projectedStatistic) = try scoreTest(base, rows: rows)
        let checked = Array(candidates.filter { $0.statistic - 2 * Double($0.degreesOfFreedom) > 0 }.prefix(2 * k))

        // Each model (the main effects, then each candidate added alone)
        // on every fold.
        let splits = StratifiedSplit.folds(rows: rows, labels: labels, k: folds, seed: seed)
        let alone = try outOfFold([pairs] + checked.map { pairs + [ColumnPair(first: $0.first, second: $0.second)] }, rows: rows, splits: splits)
        var screened = checked.enumerated().map { c, candidate in
            var candidate = candidate
            candidate.devianceGain = alone[0].deviance - alone[c + 1].deviance
            candidate.aucChange = alone[c + 1].auc - alone[0].auc
            return candidate
        }
        // Forward: by gain alone, largest first, each pair with a gain is
        // added to those kept before it, and kept when the out-of-fold
        // deviance of them all drops.
        let gain = screened.map { $0.devianceGain! }
        var current = alone[0], kept: [Int] = []
        for c in screened.indices.filter({ gain[$0] > 0 }).sorted(by: { gain[$0] != gain[$1] ? gain[$0] > gain[$1] : $0 < $1 }) where kept.count < k {
            let model = pairs + (kept + [c]).map { ColumnPair(first: screened[$0].first, second: screened[$0].second) }
            let next = try outOfFold([model], rows: rows, splits: splits)[0]
            // The gain Σ d_i of the rows' loss differences, and its
            // standard error √(n · var d) (sample variance).
            let d = zip(current.losses, next.losses).map { $0 - $1 }
            let gain = d.reduce(0, +), mean = gain / Double(d.count)
            let standardError = (Double(d.count) * d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(d.count - 1, 1))).squareRoot()
            screened[c].addedDevianceGain = gain
            screened[c].addedGainStandardError = standardError
            screened[c].addedAUCChange = next.auc - current.auc
            if gain > standardError {
                kept.append(c)
                current = next
                screened[c].chosen = true
            }
        }
        // The chosen first, in the order they were added, then the other
        // checked ones, then the rest.
        screened = kept.map { screened[$0] } + screened.indices.filter { !kept.contains($0) }.map { screened[$0] }
            + candidates.dropFirst(checked.count)
        return InteractionScreen(
            maximumPairs: k, candidateCount: candidates.count,
            statistic: projectedStatistic
                ? "score test S = gᵀ V⁻¹ g over the pair's cells (i ≥ 1, j ≥ 1) at the main-effects fit, V = ZᵀWZ + λI − ZᵀWX̃ (X̃ᵀWX̃ + Λ)⁻¹ X̃ᵀWZ (projected on the main effects); ranked by S − 2·df"
                : "score test S = Σ g_c²/W_c over the pair's cells (i ≥ 1, j ≥ 1) at the main-effects fit, diagonal information (the design exceeds the memory budget: no projection on the main effects, conservative); ranked by S − 2·df",
            folds: folds, seed: seed, baselineDeviance: alone[0].deviance, baselineAUC: alone[0].auc, candidates: screened)
    }

    /// The out-of-fold deviance (`deviance`) and AUC of each model (the
    /// pairs it adds), its held-out log-odds of every fold of `splits`
    /// pooled; the fits two at a time, each computed as on its own.
    func outOfFold(_ models: [[ColumnPair]], rows: [Int], splits: [(fit: [Int], test: [Int])]) throws(InputError) -> [OutOfFold] {
        let position = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
        let jobs = models.count * splits.count
        var results = [Result<[Double], InputError>](repeating: .success([]), count: jobs)
        let this = UncheckedSendable((data: self, models: models, splits: splits))
        results.withUnsafeMutableBufferPointer { out in
            let target = UncheckedSendable(out.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                for job in stride(from: half, to: jobs, by: 2) {
                    let (data, models, splits) = this.value
                    var model = data
                    model.pairs = models[job / splits.count]
                    let (fit, test) = splits[job % splits.count]
                    var ignored: [String] = []
                    do throws(InputError) {
                        let fitted = try model.fitModel(rows: fit, notices: &ignored)
                        let predictor = LinearPredictor(intercept: fitted.fit.intercept, coefficients: fitted.fit.coefficients)
                        target.value[job] = .success(fitted.encoder.logOdds(table: data.table, rows: test, predictor: predictor))
                    } catch {
                        target.value[job] = .failure(error)
                    }
                }
            }
        }
        var out: [OutOfFold] = []
        for m in models.indices {
            var eta = [Double](repeating: 0, count: rows.count)
            for (f, split) in splits.enumerated() {
                let values = try results[m * splits.count + f].get()
                for (i, r) in split.test.enumerated() { eta[position[r]!] = values[i] }
            }
            let losses = rows.indices.map { (weights?[rows[$0]] ?? 1) * logisticLoss(label: labels[rows[$0]], logOdds: eta[$0]) }
            out.append(OutOfFold(deviance: deviance(eta, rows: rows), auc: metrics(logOdds: eta, rows: rows).auc, losses: losses))
        }
        return out
    }

    /// Every pair of `base`'s columns that is not already a pair term,
    /// scored by the score test (see above), best S − 2d first, and whether
    /// the statistic is projected on the main effects.
    func scoreTest(_ base: FittedModel, rows: [Int]) throws(InputError) -> (candidates: [InteractionScreen.Candidate], projected: Bool) {
        let y = rows.map { labels[$0] }
        let s = LogisticRegression.effectiveWeights(labels: y, weights: weights.map { w in rows.map { w[$0] } }, classWeight: solver.classWeight)
        // The fitted log-odds, with the intercept as fitted (the prior
        // correction only shifts it).
        let shift = base.fit.intercept - (base.priorCorrection?.fittedIntercept ?? base.fit.intercept)
        var residual = [Double](repeating: 0, count: rows.count), information = [Double](repeating: 0, count: rows.count)
        for i in rows.indices {
            let mu = sigmoid(base.fittedLogOdds[i] - shift)
            residual[i] = s[i] * (y[i] - mu)
            information[i] = s[i] * mu * (1 - mu)
        }
        let columns = base.encoder.columns.map(\.column)
        var requested: [ColumnPair] = []
        for a in columns.indices {
            for b in (a + 1)..<columns.count where !base.encoder.pairs.contains(where: { Set([$0.first.column, $0.second.column]) == Set([columns[a], columns[b]]) }) {
                requested.append(ColumnPair(first: columns[a], second: columns[b]))
            }
        }
        var encoder = FeatureEncoder(columns: base.encoder.columns)
        var ignored: [String] = []
        encoder.fitPairs(requested, table: table, rows: rows, notices: &ignored)
        let projection = try MainEffectsInformation(self, base: base, rows: rows, information: information)
        var candidates: [InteractionScreen.Candidate] = []
        encoder.forEachPairCells(table: table, rows: rows) { t, cells in
            let pair = encoder.pairs[t]
            var g = [Double](repeating: 0, count: pair.counts.count), w = g
            for i in rows.indices {
                g[Int(cells[i])] += residual[i]
                w[Int(cells[i])] += information[i]
            }
            // The pair's features with rows: cell c → index in g, W.
            var index = [Int](repeating: -1, count: pair.counts.count)
            var kept: [Int] = []
            for i in 1..<pair.first.cellCount {
                for j in 1..<pair.second.cellCount where w[i * pair.second.cellCount + j] > 0 {
                    index[i * pair.second.cellCount + j] = kept.count
                    kept.append(i * pair.second.cellCount + j)
                }
            }
            let statistic = projection?.statistic(cells: cells, index: index, score: kept.map { g[$0] }, information: kept.map { w[$0] })
                ?? kept.reduce(0) { $0 + g[$1] * g[$1] / w[$1] }
            candidates.append(
                InteractionScreen.Candidate(
                    first: pair.first.column, second: pair.second.column, statistic: statistic, degreesOfFreedom: kept.count, chosen: false))
        }
        // Stable: ties keep the column order.
        let ranked = candidates.enumerated().sorted {
            let (x, y) = ($0.element.statistic - 2 * Double($0.element.degreesOfFreedom), $1.element.statistic - 2 * Double($1.element.degreesOfFreedom))
            return x != y ? x > y : $0.offset < $1.offset
        }.map(\.element)
        return (ranked, projection != nil)
    }
}

/// A model's out-of-fold deviance (`Prepared.deviance`), AUC, and each
/// row's weighted loss (in `rows` order).
struct OutOfFold {
    let deviance: Double
    let auc: Double
    let losses: [Double]
}

extension InteractionScreen {
    /// The training notice of a screen: how many pairs were scored and
    /// checked, and each chosen pair with its gains.
    static func summary(_ s: InteractionScreen) -> String {
        let checked = s.checked.count
        let head = "Interactions: \(s.candidateCount) column pairs scored by a score test on the training rows, the best \(checked) checked by \(s.folds)-fold cross-validation (seed \(s.seed))"
        let chosen = s.chosen
        guard !chosen.isEmpty else { return head + "; none lowered the out-of-fold deviance by more than its standard error, so no pair term was added." }
        let list = chosen.map {
            "\($0.name) (deviance −\(ModelNumber.fixed($0.addedDevianceGain ?? 0, 1)), AUC \(($0.addedAUCChange ?? 0) >= 0 ? "+" : "−")\(ModelNumber.fixed(abs($0.addedAUCChange ?? 0), 4)))"
        }
        return head + "; added, each lowering the out-of-fold deviance of those before it by more than its standard error, \(chosen.count) pair \(chosen.count == 1 ? "term" : "terms"): " + list.joined(separator: ", ") + "."
    }
}

/// The main effects' side of the projected score test
/// (`Prepared.scoreTest`): the training rows' design X̃ = [X, 1], their
/// weights s_i μ_i(1 − μ_i), and (X̃ᵀWX̃ + Λ)⁻¹.
struct MainEffectsInformation {
    let design: DenseMatrix
    let weights: [Double]
    /// (X̃ᵀWX̃ + Λ)⁻¹, (p + 1) × (p + 1), the intercept last.
    let inverse: [Double]
    let l2: Double

    /// nil when the design exceeds the memory budget, or the information
    /// is not positive definite (then the diagonal statistic is used).
    init?(_ data: Prepared, base: FittedModel, rows: [Int], information w: [Double]) throws(InputError) {
        let p = base.encoder.featureCount, q = p + 1
        guard rows.count * q * MemoryLayout<Double>.stride <= data.designBudget.bytes else { return nil }
        let x = base.encoder.design(table: data.table, rows: rows)
        var h = [Double](repeating: 0, count: q * q)
        x.values.withUnsafeBufferPointer { v in
            for i in 0..<rows.count where w[i] > 0 {
                let row = v.baseAddress! + i * p
                for a in 0..<p {
                    let wa = w[i] * row[a]
                    guard wa != 0 else { continue }
                    for b in a..<p { h[a * q + b] += wa * row[b] }
                    h[a * q + p] += wa
                }
                h[p * q + p] += w[i]
            }
        }
        for a in 0..<p { h[a * q + a] += data.solver.l2 }
        do {
            try BLAS.choleskyFactor(&h, order: q)
            inverse = try BLAS.choleskyInverse(factor: h, order: q)
        } catch {
            return nil
        }
        design = x
        weights = w
        l2 = data.solver.l2
    }

    /// S = gᵀ V⁻¹ g for a pair whose cell of each row is `cells`, `index`
    /// mapping a cell to its place among the d cells tested (−1 for none),
    /// with their scores g and informations W_c; nil when V is not
    /// positive definite.
    func statistic(cells: [Int32], index: [Int], score g: [Double], information wc: [Double]) -> Double? {
        let d = g.count, p = design.columns, q = p + 1
        guard d > 0 else { return 0 }
        // B = ZᵀWX̃ (d × q).
        var b = [Double](repeating: 0, count: d * q)
        design.values.withUnsafeBufferPointer { v in
            for i in cells.indices {
                let c = index[Int(cells[i])]
                guard c >= 0, weights[i] > 0 else { continue }
                let row = v.baseAddress! + i * p
                for a in 0..<p { b[c * q + a] += weights[i] * row[a] }
                b[c * q + p] += weights[i]
            }
        }
        // V = diag(W_c) + λI − B H⁻¹ Bᵀ.
        var bh = [Double](repeating: 0, count: d * q)
        for c in 0..<d {
            for a in 0..<q where b[c * q + a] != 0 {
                let x = b[c * q + a]
                for e in 0..<q { bh[c * q + e] += x * inverse[a * q + e] }
            }
        }
        var v = [Double](repeating: 0, count: d * d)
        for c in 0..<d {
            for e in 0..<d {
                var m = 0.0
                for a in 0..<q { m += bh[c * q + a] * b[e * q + a] }
                v[c * d + e] = (c == e ? wc[c] + l2 : 0) - m
            }
        }
        var solution = g
        do {
            try BLAS.choleskyFactor(&v, order: d)
            try BLAS.choleskySolve(factor: v, order: d, &solution)
        } catch {
            return nil
        }
        return zip(g, solution).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
