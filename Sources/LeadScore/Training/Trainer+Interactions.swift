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
//    The cells are disjoint indicators, so ZᵀWZ is diagonal and the score
//    statistic is S = Σ_c g_c² / W_c over the cells with W_c > 0, with as
//    many degrees of freedom d. This leaves out the projection on the main
//    effects (the exact score test's information is
//    ZᵀWZ − ZᵀWX (XᵀWX + λ)⁻¹ XᵀWZ, smaller), so S is conservative: it is
//    at most the exact statistic. Candidates are ranked by S − 2d (the
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
//    them all drops (its added gain), until K are kept. Two pairs that
//    carry one effect (two columns that say nearly the same) are then not
//    both chosen.

extension Prepared {
    /// The screen on `rows` (see above): every candidate checked by
    /// cross-validation, with its statistic and gains, and which were
    /// chosen.
    func screenPairs(rows: [Int], maximum k: Int, folds: Int, seed: UInt64) throws(InputError) -> InteractionScreen {
        var ignored: [String] = []
        let base = try fitModel(rows: rows, notices: &ignored)
        let candidates = try scoreTest(base, rows: rows)
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
            screened[c].addedDevianceGain = current.deviance - next.deviance
            screened[c].addedAUCChange = next.auc - current.auc
            if next.deviance < current.deviance {
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
            statistic: "score test S = Σ g_c²/W_c over the pair's cells (i ≥ 1, j ≥ 1) at the main-effects fit, diagonal information (no projection on the main effects: conservative); ranked by S − 2·df",
            folds: folds, seed: seed, baselineDeviance: alone[0].deviance, baselineAUC: alone[0].auc, candidates: screened)
    }

    /// The out-of-fold deviance (`deviance`) and AUC of each model (the
    /// pairs it adds), its held-out log-odds of every fold of `splits`
    /// pooled; the fits two at a time, each computed as on its own.
    func outOfFold(_ models: [[ColumnPair]], rows: [Int], splits: [(fit: [Int], test: [Int])]) throws(InputError) -> [(deviance: Double, auc: Double)] {
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
        var out: [(deviance: Double, auc: Double)] = []
        for m in models.indices {
            var eta = [Double](repeating: 0, count: rows.count)
            for (f, split) in splits.enumerated() {
                let values = try results[m * splits.count + f].get()
                for (i, r) in split.test.enumerated() { eta[position[r]!] = values[i] }
            }
            out.append((deviance(eta, rows: rows), metrics(logOdds: eta, rows: rows).auc))
        }
        return out
    }

    /// Every pair of `base`'s columns that is not already a pair term,
    /// scored by the score test (see above), best S − 2d first.
    func scoreTest(_ base: FittedModel, rows: [Int]) throws(InputError) -> [InteractionScreen.Candidate] {
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
        var candidates: [InteractionScreen.Candidate] = []
        encoder.forEachPairCells(table: table, rows: rows) { t, cells in
            let pair = encoder.pairs[t]
            var g = [Double](repeating: 0, count: pair.counts.count), w = g
            for i in rows.indices {
                g[Int(cells[i])] += residual[i]
                w[Int(cells[i])] += information[i]
            }
            var statistic = 0.0, df = 0
            for i in 1..<pair.first.cellCount {
                for j in 1..<pair.second.cellCount {
                    let c = i * pair.second.cellCount + j
                    guard w[c] > 0 else { continue }
                    statistic += g[c] * g[c] / w[c]
                    df += 1
                }
            }
            candidates.append(
                InteractionScreen.Candidate(
                    first: pair.first.column, second: pair.second.column, statistic: statistic, degreesOfFreedom: df, chosen: false))
        }
        // Stable: ties keep the column order.
        return candidates.enumerated().sorted {
            let (x, y) = ($0.element.statistic - 2 * Double($0.element.degreesOfFreedom), $1.element.statistic - 2 * Double($1.element.degreesOfFreedom))
            return x != y ? x > y : $0.offset < $1.offset
        }.map(\.element)
    }
}

extension InteractionScreen {
    /// The training notice of a screen: how many pairs were scored and
    /// checked, and each chosen pair with its gains.
    static func summary(_ s: InteractionScreen) -> String {
        let checked = s.checked.count
        let head = "Interactions: \(s.candidateCount) column pairs scored by a score test on the training rows, the best \(checked) checked by \(s.folds)-fold cross-validation (seed \(s.seed))"
        let chosen = s.chosen
        guard !chosen.isEmpty else { return head + "; none lowered the out-of-fold deviance, so no pair term was added." }
        let list = chosen.map {
            "\($0.name) (deviance −\(ModelNumber.fixed($0.addedDevianceGain ?? 0, 1)), AUC \(($0.addedAUCChange ?? 0) >= 0 ? "+" : "−")\(ModelNumber.fixed(abs($0.addedAUCChange ?? 0), 4)))"
        }
        return head + "; added, each lowering the out-of-fold deviance of those before it, \(chosen.count) pair \(chosen.count == 1 ? "term" : "terms"): " + list.joined(separator: ", ") + "."
    }
}
