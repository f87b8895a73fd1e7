import Foundation

/// Each training row's segment, for `train --segment` (`SegmentModels`).
struct SegmentColumn {
    let name: String
    /// The segment values, most rows first (ties by value).
    let values: [String]
    /// Each table row's segment (index into `values`), -1 when missing or
    /// not among the values of the training rows: every row of the table,
    /// so that held-out rows are scored with their segment's model, as
    /// `score` scores them.
    let segmentOf: [Int]

    /// The segments are the column's values on the training rows `rows`.
    /// Refused: a column the file does not have, the outcome, and a column
    /// read as numbers or dates (whose text could be written two ways: "1"
    /// and "1.0").
    init(config: TrainingConfiguration, table: RawTable, schema: InferredSchema, rows: [Int]) throws(InputError) {
        let name = config.segment!
        guard let c = table.index(of: name) else {
            throw InputError(
                .missingColumn, at: InputLocation(file: table.file, line: 1, column: name), "the file has no segment column \"\(name)\".",
                remedy: "Name a column of the file with \(OptionKey.segment.mention) (names must match exactly, including case and spaces).")
        }
        if c == schema.targetIndex {
            throw InputError(
                .badConfiguration, at: InputLocation(file: table.file, column: name), "the segment column is the outcome column.",
                remedy: "Name another column with \(OptionKey.segment.mention), such as a region or a product line.")
        }
        guard table.columns[c].codes != nil else {
            throw InputError(
                .badConfiguration, at: InputLocation(file: table.file, column: name),
                "the segment column was read as \(table.columns[c].numbers != nil ? "numbers" : "dates"); segments are named by text values (a region, a product line).",
                remedy: "Declare it categorical with \(OptionKey.types.mention) \"\(name)=categorical\", or segment by another column.")
        }
        self.name = name
        // Every row's value (held-out rows are scored with their
        // segment's model too); the segments are the training rows'.
        let raw = (0..<table.rowCount).map { table.text(column: c, row: $0) }
        var counts: [String: Int] = [:]
        for r in rows { if let v = raw[r] { counts[v, default: 0] += 1 } }
        values = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        let index = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
        segmentOf = raw.map { $0.flatMap { index[$0] } ?? -1 }
    }
}

extension Prepared {
    /// The segment models around `model` (fitted on `rows`) with penalty
    /// `lambda` on their distance from it (`SegmentModels`): for each
    /// segment with at least `minConversions` won and lost deals among
    /// `rows`, the fit of δ and d with the global log-odds as offsets.
    /// Segments without enough deals get no model. `notices` gets a
    /// sentence per segment fit that did not converge.
    func fitSegments(
        around model: FittedModel, rows: [Int], segments: SegmentColumn, lambda: Double, minConversions: Int, notices: inout [String]
    ) throws(InputError) -> [SegmentModels.Segment] {
        try segmentProblems(around: model, rows: rows, segments: segments, minConversions: minConversions).solve(lambda: lambda, notices: &notices)
    }

    /// The segment fits around `model` on `rows`, ready to be solved for
    /// any λ: each modelled segment's design, labels, weights and offsets.
    func segmentProblems(around model: FittedModel, rows: [Int], segments: SegmentColumn, minConversions: Int) -> SegmentProblems {
        // The global fit's raw intercept and the prior correction's shift.
        let rawIntercept = model.priorCorrection?.fittedIntercept ?? model.fit.intercept
        let global = LinearPredictor(intercept: rawIntercept, coefficients: model.fit.coefficients)
        // The solver's weights of the global fit, class weights included,
        // by table row.
        let y = rows.map { labels[$0] }
        let effective = LogisticRegression.effectiveWeights(labels: y, weights: weights.map { w in rows.map { w[$0] } }, classWeight: solver.classWeight)
        var weightOf: [Int: Double] = [:]
        for (i, r) in rows.enumerated() { weightOf[r] = effective[i] }
        var members = [[Int]](repeating: [], count: segments.values.count)
        for r in rows where segments.segmentOf[r] >= 0 { members[segments.segmentOf[r]].append(r) }

        var problems: [SegmentProblems.Problem] = []
        for (k, value) in segments.values.enumerated() {
            let segmentRows = members[k]
            let won = segmentRows.reduce(0) { $0 + (labels[$1] > 0.5 ? 1 : 0) }
            let segment = SegmentModels.Segment(value: value, rows: segmentRows.count, conversions: won)
            guard won >= minConversions, segmentRows.count - won >= minConversions else {
                problems.append(.init(segment: segment, design: nil, labels: [], weights: [], offsets: []))
                continue
            }
            let x = model.encoder.design(table: table, rows: segmentRows)
            var offsets = [Double](repeating: 0, count: x.rows)
            x.values.withUnsafeBufferPointer { v in
                offsets.withUnsafeMutableBufferPointer { global.logOdds(rows: v.baseAddress!, count: x.rows, into: $0.baseAddress!) }
            }
            problems.append(.init(segment: segment, design: x, labels: segmentRows.map { labels[$0] }, weights: segmentRows.map { weightOf[$0]! }, offsets: offsets))
        }
        // A monotone column's segment coefficients β_g + δ keep the
        // global bounds l ≤ β_g + δ ≤ u: δ is bounded by l − β_g and u − β_g.
        let bounds = model.encoder.coefficientBounds.map { b in
            (lower: zip(b.lower, model.fit.coefficients).map { $0 - $1 }, upper: zip(b.upper, model.fit.coefficients).map { $0 - $1 })
        }
        return SegmentProblems(
            problems: problems, global: model.fit.coefficients, rawIntercept: rawIntercept, shift: model.fit.intercept - rawIntercept,
            gradientTolerance: solver.gradientTolerance, bounds: bounds, names: model.encoder.featureNames, file: path)
    }

    /// The log-odds of `rows` under the global model and its segment
    /// models: each row with the predictor of its segment
    /// (`SegmentPredictors`, through `FeatureEncoder.logOdds`, the sums
    /// `score` makes). With `restrictedTo`, the part of the log-odds over
    /// those features (`LinearPredictor.restricted`: a fit or an
    /// engagement part).
    func segmentedLogOdds(_ predictors: SegmentPredictors, rows: [Int], restrictedTo included: [Bool]? = nil) -> [Double] {
        var groups = [[Int]](repeating: [], count: predictors.all.count)  // positions in `rows`, by predictor
        for (i, r) in rows.enumerated() { groups[predictors.index(row: r)].append(i) }
        var eta = [Double](repeating: 0, count: rows.count)
        for (k, positions) in groups.enumerated() where !positions.isEmpty {
            let predictor = included.map { predictors.all[k].restricted(to: $0) } ?? predictors.all[k]
            let values = predictors.encoder.logOdds(table: table, rows: positions.map { rows[$0] }, predictor: predictor)
            for (j, i) in positions.enumerated() { eta[i] = values[j] }
        }
        return eta
    }

    func segmentedLogOdds(_ model: FittedModel, segments: [SegmentModels.Segment], column: SegmentColumn, rows: [Int]) -> [Double] {
        segmentedLogOdds(SegmentPredictors(model, segments: segments, column: column), rows: rows)
    }

    /// The out-of-fold deviance Σ s_i ℓ(y_i, η_i) of `eta` on `rows`, with
    /// the sample weights alone (no class weights): the probabilities as
    /// `score` gives them, prior-corrected.
    func deviance(_ eta: [Double], rows: [Int]) -> Double {
        var sum = 0.0
        for (i, r) in rows.enumerated() { sum += (weights?[r] ?? 1) * logisticLoss(label: labels[r], logOdds: eta[i]) }
        return sum
    }

    /// λ_s by k-fold cross-validation over `SegmentModels.lambdaGrid`
    /// (`SegmentModels`): the λ with the smallest out-of-fold deviance.
    func chooseSegmentL2(
        rows: [Int], column: SegmentColumn, minConversions: Int, folds k: Int, seed: UInt64
    ) throws(InputError) -> (lambda: Double, selection: SegmentModels.Selection) {
        let grid = SegmentModels.lambdaGrid
        var deviances = [Double](repeating: 0, count: grid.count)
        var globalDeviance = 0.0
        for (fit, test) in StratifiedSplit.folds(rows: rows, labels: labels, k: k, seed: seed) {
            var ignored: [String] = []
            let global = try fitModel(rows: fit, notices: &ignored)
            let globalPredictor = LinearPredictor(intercept: global.fit.intercept, coefficients: global.fit.coefficients)
            globalDeviance += deviance(global.encoder.logOdds(table: table, rows: test, predictor: globalPredictor), rows: test)
            // Each segment's design, and each test group's, made once for
            // the whole grid; the λ of the grid side by side on two
            // threads, each fit and its deviance computed as on its own.
            let problems = segmentProblems(around: global, rows: fit, segments: column, minConversions: minConversions)
            let tests = SegmentTests(self, global: global, column: column, rows: test)
            var results = [Result<Double, InputError>](repeating: .success(0), count: grid.count)
            let this = UncheckedSendable((problems: problems, tests: tests))
            results.withUnsafeMutableBufferPointer { out in
                let target = UncheckedSendable(out.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: grid.count) { j in
                    let (problems, tests) = this.value
                    var ignored: [String] = []
                    do throws(InputError) {
                        target.value[j] = .success(tests.deviance(try problems.solve(lambda: grid[j], notices: &ignored)))
                    } catch {
                        target.value[j] = .failure(error)
                    }
                }
            }
            for j in grid.indices { deviances[j] += try results[j].get() }
        }
        // The first smallest: ties go to the smaller λ of the grid.
        var best = 0
        for j in grid.indices where deviances[j] < deviances[best] { best = j }
        let selection = SegmentModels.Selection(
            method: SegmentModels.Selection.crossValidation, folds: k, seed: seed,
            deviances: zip(grid, deviances).map { SegmentModels.Selection.Candidate(l2: $0, deviance: $1) }, globalDeviance: globalDeviance)
        return (grid[best], selection)
    }
}

/// The predictors of a segmented model during training: the global model's
/// first, then one per segment with a model, as `ModelCard.predictors`
/// orders them, and which one each table row takes.
struct SegmentPredictors {
    let encoder: FeatureEncoder
    let all: [LinearPredictor]
    /// Each segment's predictor (index into `all`; 0 for the global).
    private let ofSegment: [Int]
    private let column: SegmentColumn?

    /// `column` nil: the global model alone, for every row.
    init(_ model: FittedModel, segments: [SegmentModels.Segment], column: SegmentColumn?) {
        encoder = model.encoder
        var all = [LinearPredictor(intercept: model.fit.intercept, coefficients: model.fit.coefficients)]
        ofSegment = segments.map { s in
            guard let b = s.intercept, let beta = s.coefficients else { return 0 }
            all.append(LinearPredictor(intercept: b, coefficients: beta))
            return all.count - 1
        }
        self.all = all
        self.column = column
    }

    /// The predictor (index into `all`) of table row `r`.
    func index(row r: Int) -> Int {
        guard let s = column?.segmentOf[r], s >= 0 else { return 0 }
        return ofSegment[s]
    }
}

/// The segment fits of one global model, before λ is chosen
/// (`Prepared.segmentProblems`).
struct SegmentProblems {
    struct Problem {
        /// The segment's value and counts; its design is nil when it has
        /// too few deals for a model.
        var segment: SegmentModels.Segment
        let design: DenseMatrix?
        let labels: [Double]
        let weights: [Double]
        let offsets: [Double]
    }

    let problems: [Problem]
    /// β_g, the global fit's raw intercept and the prior correction's shift.
    let global: [Double]
    let rawIntercept: Double
    let shift: Double
    let gradientTolerance: Double
    /// The bounds of δ that keep monotone columns monotone in every
    /// segment, or nil.
    let bounds: (lower: [Double], upper: [Double])?
    let names: [String]
    let file: String

    /// The segments fitted with penalty λ (`SegmentModels`).
    func solve(lambda: Double, notices: inout [String]) throws(InputError) -> [SegmentModels.Segment] {
        var out: [SegmentModels.Segment] = []
        for p in problems {
            var segment = p.segment
            guard let x = p.design else {
                out.append(segment)
                continue
            }
            let options = SolverOptions(
                l2: lambda, classWeight: .none, gradientTolerance: gradientTolerance, lowerBounds: bounds?.lower, upperBounds: bounds?.upper)
            let fit: LogisticFit
            do {
                fit = try LogisticRegression.fit(design: x, labels: p.labels, weights: p.weights, offsets: p.offsets, options: options)
            } catch {
                throw Trainer.explain(error, names: names, file: file)
            }
            if !fit.converged {
                notices.append("The model of segment \"\(segment.value)\" did not converge (\(fit.stopReason.rawValue)); a larger \(OptionKey.segmentL2.mention) usually helps.")
            }
            segment.intercept = rawIntercept + fit.intercept + shift
            segment.coefficients = zip(global, fit.coefficients).map { $0 + $1 }
            segment.converged = fit.converged
            segment.iterations = fit.iterations
            out.append(segment)
        }
        return out
    }
}

/// The held-out rows of a cross-validation fold, encoded once and grouped
/// by segment, to measure the deviance of the segment models of every λ.
struct SegmentTests {
    /// Per segment (then the rows without one): the design, labels and
    /// sample weights of its held-out rows.
    private let groups: [(design: DenseMatrix, labels: [Double], weights: [Double])]
    private let global: LinearPredictor

    init(_ data: Prepared, global model: FittedModel, column: SegmentColumn, rows: [Int]) {
        var members = [[Int]](repeating: [], count: column.values.count + 1)
        for r in rows { members[column.segmentOf[r] >= 0 ? column.segmentOf[r] : column.values.count].append(r) }
        groups = members.map { m in (model.encoder.design(table: data.table, rows: m), m.map { data.labels[$0] }, m.map { data.weights?[$0] ?? 1 }) }
        global = LinearPredictor(intercept: model.fit.intercept, coefficients: model.fit.coefficients)
    }

    /// Σ s_i ℓ(y_i, η_i) over the held-out rows, each with its segment's
    /// model (the global one where it has none), with the sample weights
    /// alone (`Prepared.deviance`).
    func deviance(_ segments: [SegmentModels.Segment]) -> Double {
        var sum = 0.0
        for (k, g) in groups.enumerated() where g.design.rows > 0 {
            let predictor = k < segments.count && segments[k].hasModel
                ? LinearPredictor(intercept: segments[k].intercept!, coefficients: segments[k].coefficients!) : global
            var eta = [Double](repeating: 0, count: g.design.rows)
            g.design.values.withUnsafeBufferPointer { v in
                eta.withUnsafeMutableBufferPointer { predictor.logOdds(rows: v.baseAddress!, count: g.design.rows, into: $0.baseAddress!) }
            }
            for i in eta.indices { sum += g.weights[i] * logisticLoss(label: g.labels[i], logOdds: eta[i]) }
        }
        return sum
    }
}
