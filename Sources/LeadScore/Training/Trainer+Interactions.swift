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
//    of its cells c with a feature (i ≥ 1 and j ≥ 1, with at least the
//    minimum rows of a cell: PairEncoder.swift) its score and information
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
// 2. Cross-validation check, on the main effects' log-odds held fixed (as
//    an explainable boosting machine fits its pairs on the residuals of
//    its main effects). On each of `folds` stratified folds of the
//    training rows (seeded with the training seed), the model of step 1
//    (main effects and named pairs; encoders refitted on the fold's
//    fitting rows, as any fold is) is fitted ONCE on the fold's fitting
//    rows, giving the offsets o_i: its log-odds on the fitting rows (the
//    intercept as fitted) and on the held-out rows (the intercept prior-
//    corrected, as `score` gives them). Each of the 2K best candidates
//    (at most) gets its cells on the fold (`PairSide.fit` on the fold's
//    fitting rows). With the offsets fixed, its cell coefficients β_c
//    (the cells with a feature on the fold's fitting rows; the reference
//    and rare cells stay 0) minimise the
//    solver's objective restricted to them,
//        Σ_i s_i ℓ(y_i, o_i + β_{cell(i)}) + (λ/2) Σ_c β_c².
//    Each fitting row is in exactly one cell and only that cell's β moves
//    its log-odds, so the objective is a sum over the cells of terms in
//    one β_c each: it separates, and each β_c solves its own 1-D
//    stationarity equation
//        h_c(β) = Σ_{i∈c} s_i (σ(o_i + β) − y_i) + λ β = 0,
//    h_c increasing (h_c' = Σ_{i∈c} s_i μ_i (1 − μ_i) + λ > 0), solved by
//    a bracketed (safeguarded) Newton iteration to |Δβ| ≤ 1e-12 (1 + |β|)
//    (`PairCells.coefficient`). A cell without fitting rows has β = 0;
//    at λ = 0 so has a cell whose fitting rows are all won or all lost
//    (no finite root: the joint fit would separate). The held-out log-odds
//    are then o_i + β_{cell(i)}, and a pair's gain is the drop in the
//    out-of-fold deviance Σ s_i ℓ(y_i, η_i) (sample weights alone,
//    `Prepared.deviance`) against the offsets' own; its AUC change is
//    that of the pooled out-of-fold log-odds. Then forward, stagewise:
//    the pairs with a positive gain, largest first, are each fitted on
//    the current offsets (at first the main effects' log-odds) and kept
//    when the out-of-fold deviance drops by more than its standard error
//    (the added gain Σ d_i of the rows' loss differences d_i against
//    √(n · var d), a one-standard-error rule: a gain of chance size, which
//    a pair of no effect has about half the time, is not taken), until K
//    are kept; a kept pair's β_c are added to its fold's offsets (fitting
//    and held-out rows), so the next pair is fitted on what the pairs
//    before it left. Two pairs that carry one effect (two columns that
//    say nearly the same) are then not both chosen.
//    The gains are thus those of a pair fitted on the fixed log-odds of
//    the model before it (a backfitting, stagewise approximation of
//    refitting the whole model with the pair), at one fit per fold instead
//    of one per fold, candidate and forward step (about 200 fits, 12.9 s
//    of the 13.1 s of training on Leads.csv with splines); the model
//    trained is then the joint fit of the main effects and the chosen
//    pairs on all the training rows. Measured on Leads.csv (splines auto,
//    K = 10): the screen takes 0.4 s instead of 14.2 s; it chooses 9 pairs
//    where the joint refits chose 10, the first four the same (Last
//    Activity × Asymmetrique Activity Score, occupation × Last Notable
//    Activity, Last Activity × Asymmetrique Activity Index, Last Activity
//    × occupation), 8 of the 9 among the 10 (Asymmetrique Profile Score ×
//    Last Notable Activity in place of Lead Origin × Last Activity and
//    Asymmetrique Activity Index × Last Notable Activity); the gains
//    alone are smaller (−39.6 against −52.0 for the first: the main
//    effects no longer adjust to the pair), and the cross-validated AUC
//    (benchmarks/accuracy.py, 5 folds, the screen inside each fold) is
//    0.9254 ± 0.0026 against 0.9248 ± 0.0035 (0.9174 ± 0.0032 against
//    0.9177 ± 0.0038 without splines, as README had it).

extension Prepared {
    /// The screen on `rows` (see above): every candidate checked by
    /// cross-validation, with its statistic and gains, and which were
    /// chosen.
    func screenPairs(rows: [Int], maximum k: Int, folds: Int, seed: UInt64) throws(InputError) -> InteractionScreen {
        var ignored: [String] = []
        let base = try fitModel(rows: rows, notices: &ignored)
        let (candidates, projectedStatistic) = try scoreTest(base, rows: rows)
        let checked = Array(candidates.filter { $0.statistic - 2 * Double($0.degreesOfFreedom) > 0 }.prefix(2 * k))

        // The main effects on every fold, with each candidate's cells.
        let splits = StratifiedSplit.folds(rows: rows, labels: labels, k: folds, seed: seed)
        var screenFolds = try pairFolds(checked.map { ColumnPair(first: $0.first, second: $0.second) }, splits: splits)
        let check = PairCheck(data: self, rows: rows, folds: screenFolds)
        let baseline = check.outOfFold(screenFolds)
        let alone = checked.indices.map { check.add($0, to: screenFolds).outOfFold }
        var screened = checked.enumerated().map { c, candidate in
            var candidate = candidate
            candidate.devianceGain = baseline.deviance - alone[c].deviance
            candidate.aucChange = alone[c].auc - baseline.auc
            return candidate
        }
        // Forward: by gain alone, largest first, each pair with a gain is
        // fitted on the offsets the pairs kept before it left, and kept
        // when the out-of-fold deviance drops.
        let gain = screened.map { $0.devianceGain! }
        var current = baseline, kept: [Int] = []
        for c in screened.indices.filter({ gain[$0] > 0 }).sorted(by: { gain[$0] != gain[$1] ? gain[$0] > gain[$1] : $0 < $1 }) where kept.count < k {
            let (next, added) = check.add(c, to: screenFolds)
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
                screenFolds = added
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
                ? "score test S = gᵀ V⁻¹ g over the pair's cells with a feature (i ≥ 1, j ≥ 1, not rare) at the main-effects fit, V = ZᵀWZ + λI − ZᵀWX̃ (X̃ᵀWX̃ + Λ)⁻¹ X̃ᵀWZ (projected on the main effects); ranked by S − 2·df"
                : "score test S = Σ g_c²/W_c over the pair's cells with a feature (i ≥ 1, j ≥ 1, not rare) at the main-effects fit, diagonal information (the design exceeds the memory budget: no projection on the main effects, conservative); ranked by S − 2·df",
            folds: folds, seed: seed, baselineDeviance: baseline.deviance, baselineAUC: baseline.auc, candidates: screened)
    }

    /// Each fold of `splits` for the check (see above): the model of the
    /// main effects (and named pairs) fitted on its fitting rows, its
    /// offsets, and the cells of each of `candidates` on the fold. The
    /// fits two at a time, each computed as on its own.
    func pairFolds(_ candidates: [ColumnPair], splits: [(fit: [Int], test: [Int])]) throws(InputError) -> [PairFold] {
        var results = [Result<PairFold?, InputError>](repeating: .success(nil), count: splits.count)
        let this = UncheckedSendable((data: self, splits: splits))
        // OpenBLAS on one thread for both fits together: its thread count
        // is process-wide, so a fit restoring it while the other runs
        // would let the other's calls split their sums by the core count.
        BLAS.withOneThread {
            results.withUnsafeMutableBufferPointer { out in
                let target = UncheckedSendable(out.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: 2) { half in
                    for f in stride(from: half, to: splits.count, by: 2) {
                        let (data, splits) = this.value
                        do throws(InputError) {
                            target.value[f] = .success(try data.pairFold(candidates, fit: splits[f].fit, test: splits[f].test))
                        } catch {
                            target.value[f] = .failure(error)
                        }
                    }
                }
            }
        }
        var folds: [PairFold] = []
        for r in results { folds.append(try r.get()!) }
        return folds
    }

    private func pairFold(_ candidates: [ColumnPair], fit: [Int], test: [Int]) throws(InputError) -> PairFold {
        var ignored: [String] = []
        let model = try fitModel(rows: fit, notices: &ignored)
        let y = fit.map { labels[$0] }
        let s = LogisticRegression.effectiveWeights(labels: y, weights: weights.map { w in fit.map { w[$0] } }, classWeight: solver.classWeight)
        // The fitting rows' log-odds with the intercept as fitted (the
        // solver's objective); the held-out rows' as `score` gives them.
        let shift = model.fit.intercept - (model.priorCorrection?.fittedIntercept ?? model.fit.intercept)
        let predictor = LinearPredictor(intercept: model.fit.intercept, coefficients: model.fit.coefficients)
        var encoder = model.encoder
        let named = encoder.pairs.count
        encoder.fitPairs(candidates, table: table, rows: fit, notices: &ignored)
        // A candidate left out on this fold (a side with fewer than two
        // cells on its fitting rows) adds nothing to it.
        var cells = [PairFold.Cells?](repeating: nil, count: candidates.count)
        var fitCells: [[Int32]] = [], testCells: [[Int32]] = []
        encoder.forEachPairCells(table: table, rows: fit) { t, c in if t >= named { fitCells.append(c) } }
        encoder.forEachPairCells(table: table, rows: test) { t, c in if t >= named { testCells.append(c) } }
        for (t, pair) in encoder.pairs.dropFirst(named).enumerated() {
            guard let c = candidates.firstIndex(of: ColumnPair(first: pair.first.column, second: pair.second.column)) else { continue }
            cells[c] = PairFold.Cells(fit: fitCells[t], test: testCells[t], features: pair.cellFeatures)
        }
        return PairFold(
            fit: fit, test: test, labels: y, weights: s, fitOffsets: model.fittedLogOdds.map { $0 - shift },
            testOffsets: model.encoder.logOdds(table: table, rows: test, predictor: predictor), cells: cells)
    }
}

/// One fold of the check (`Prepared.pairFolds`): its rows, the fitting
/// rows' labels and solver weights s_i, the current offsets (log-odds of
/// the main effects and the pairs kept so far) of its fitting and held-out
/// rows, and each candidate's cells (nil when the pair is left out on the
/// fold).
struct PairFold {
    let fit: [Int]
    let test: [Int]
    let labels: [Double]
    let weights: [Double]
    var fitOffsets: [Double]
    var testOffsets: [Double]
    let cells: [Cells?]

    /// A pair's cell of each fitting and held-out row, i · n_B + j
    /// (`FeatureEncoder.forEachPairCells`), and the feature of each cell
    /// (`PairEncoder.cellFeatures`, −1 for none).
    struct Cells {
        let fit: [Int32]
        let test: [Int32]
        let features: [Int]
    }
}

/// The out-of-fold deviance and AUC of the folds' held-out offsets, and
/// adding a candidate's cells to them (see the comment above).
struct PairCheck {
    let data: Prepared
    let rows: [Int]
    /// Each fold's held-out rows' places in `rows`.
    let places: [[Int]]

    init(data: Prepared, rows: [Int], folds: [PairFold]) {
        self.data = data
        self.rows = rows
        let position = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
        places = folds.map { $0.test.map { position[$0]! } }
    }

    /// The held-out offsets of every fold pooled, in `rows` order.
    func outOfFold(_ folds: [PairFold]) -> OutOfFold {
        var eta = [Double](repeating: 0, count: rows.count)
        for (f, fold) in folds.enumerated() {
            for (i, p) in places[f].enumerated() { eta[p] = fold.testOffsets[i] }
        }
        let losses = rows.indices.map { (data.weights?[rows[$0]] ?? 1) * logisticLoss(label: data.labels[rows[$0]], logOdds: eta[$0]) }
        return OutOfFold(deviance: data.deviance(eta, rows: rows), auc: data.metrics(logOdds: eta, rows: rows).auc, losses: losses)
    }

    /// Candidate `c`'s cells fitted on each fold's current offsets: the
    /// folds with its coefficients added to their offsets, and their
    /// out-of-fold deviance and AUC.
    func add(_ c: Int, to folds: [PairFold]) -> (outOfFold: OutOfFold, folds: [PairFold]) {
        var added = folds
        for f in added.indices {
            guard let cells = folds[f].cells[c] else { continue }
            let beta = PairCells.coefficients(cells, offsets: folds[f].fitOffsets, labels: folds[f].labels, weights: folds[f].weights, l2: data.solver.l2)
            for i in cells.fit.indices { added[f].fitOffsets[i] += beta[Int(cells.fit[i])] }
            for i in cells.test.indices { added[f].testOffsets[i] += beta[Int(cells.test[i])] }
        }
        return (outOfFold(added), added)
    }
}

/// A pair's cell coefficients on fixed offsets (see the comment above).
enum PairCells {
    /// β_c of every cell of `cells` (indexed as `cells.fit`), fitted on the
    /// fitting rows with offsets o_i, labels y_i and solver weights s_i:
    /// 0 for the cells without a feature (i = 0 or j = 0, or rare on the
    /// fold's fitting rows), else `coefficient` on the cell's rows.
    static func coefficients(_ cells: PairFold.Cells, offsets: [Double], labels: [Double], weights: [Double], l2: Double) -> [Double] {
        let count = cells.features.count
        var members = [[Int]](repeating: [], count: count)
        for (i, c) in cells.fit.enumerated() { members[Int(c)].append(i) }
        var beta = [Double](repeating: 0, count: count)
        for c in 0..<count where cells.features[c] >= 0 {
            let m = members[c]
            beta[c] = coefficient(offsets: m.map { offsets[$0] }, labels: m.map { labels[$0] }, weights: m.map { weights[$0] }, l2: l2)
        }
        return beta
    }

    /// The root of h(β) = Σ_i s_i (σ(o_i + β) − y_i) + λ β, increasing in
    /// β (h' = Σ s_i μ_i (1 − μ_i) + λ > 0): from β = 0, a bracket
    /// [lo, hi] with h(lo) ≤ 0 ≤ h(hi) is found by doubling, then Newton
    /// steps, each replaced by bisection when it leaves the bracket, until
    /// the Newton step is at most 1e-12 (1 + |β|), which is then taken
    /// (or h = 0, or 200 steps). 0 when there are no
    /// rows, or, at λ = 0, when h has no root (every row won, or every row
    /// lost: h stays on one side of 0).
    static func coefficient(offsets o: [Double], labels y: [Double], weights s: [Double], l2 lambda: Double) -> Double {
        guard !o.isEmpty else { return 0 }
        func h(_ beta: Double) -> (value: Double, slope: Double) {
            var value = lambda * beta, slope = lambda
            for i in o.indices {
                let mu = sigmoid(o[i] + beta)
                value += s[i] * (mu - y[i])
                slope += s[i] * mu * (1 - mu)
            }
            return (value, slope)
        }
        if lambda == 0 {
            // h runs from −Σ s y (β → −∞) to Σ s (1 − y) (β → +∞).
            var won = 0.0, lost = 0.0
            for i in o.indices {
                won += s[i] * y[i]
                lost += s[i] * (1 - y[i])
            }
            guard won > 0, lost > 0 else { return 0 }
        }
        var beta = 0.0, (value, slope) = h(0)
        guard value != 0 else { return 0 }
        // The bracket: 0 and the first of ∓1, ∓2, ∓4, … where h changes sign.
        var lo = 0.0, hi = 0.0, end = value > 0 ? -1.0 : 1.0
        while (h(end).value > 0) == (value > 0) { end *= 2 }
        (lo, hi) = value > 0 ? (end, 0) : (0, end)
        for _ in 0..<200 {
            let newton = beta - value / slope
            // The Newton step is taken when small enough to end on (its
            // result then exact to rounding), else when it stays inside
            // the bracket; otherwise the bracket is halved.
            if abs(newton - beta) <= 1e-12 * (1 + abs(beta)) { return newton }
            beta = newton > lo && newton < hi ? newton : 0.5 * (lo + hi)
            (value, slope) = h(beta)
            if value == 0 { break }
            if value > 0 { hi = beta } else { lo = beta }
        }
        return beta
    }
}

extension Prepared {
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
            for (c, f) in pair.cellFeatures.enumerated() where f >= 0 && w[c] > 0 {
                index[c] = kept.count
                kept.append(c)
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
        // On one OpenBLAS thread, as the solver's calls: the result then
        // does not depend on the core count.
        do {
            inverse = try BLAS.withOneThread { () throws(LinearAlgebraError) in
                try BLAS.choleskyFactor(&h, order: q)
                return try BLAS.choleskyInverse(factor: h, order: q)
            }
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
            try BLAS.withOneThread { () throws(LinearAlgebraError) in
                try BLAS.choleskyFactor(&v, order: d)
                try BLAS.choleskySolve(factor: v, order: d, &solution)
            }
        } catch {
            return nil
        }
        return zip(g, solution).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
