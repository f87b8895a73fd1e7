import Foundation

/// A fitted model before it becomes a model card: the encoders learned on
/// the fitting rows, the solver's result, and the log-odds of the fitting
/// rows.
struct FittedModel {
    var encoder: FeatureEncoder
    /// The solver's result, its intercept prior-corrected when
    /// `priorCorrection` is set.
    var fit: LogisticFit
    /// η of each fitting row at the fitted coefficients (and the corrected
    /// intercept).
    var fittedLogOdds: [Double]
    /// The correction made to the intercept (`PriorCorrection`), or nil.
    var priorCorrection: PriorCorrection?
}

/// Rows encoded for a fit: the encoders learned on them and their design,
/// in memory (as its compact form, which holds every value) or in a cache
/// file.
struct EncodedRows {
    enum Design {
        case memory(CompactDesign)
        case cache(DesignCache)
    }
    let encoder: FeatureEncoder
    let design: Design
}

/// Everything read and decided once per training run, from which models
/// are fitted on any subset of rows (the training rows, or each fold).
struct Prepared {
    let table: RawTable
    let schema: InferredSchema
    /// 1 won, 0 lost, NaN without outcome; indexed by table row.
    let labels: [Double]
    let weights: [Double]?
    let asOfDays: Int?
    let config: TrainingConfiguration
    /// The solver's options; their penalty is the one chosen by
    /// cross-validation once it is chosen (`choosePenalty`).
    var solver: SolverOptions
    let path: String
    /// The most memory the encoded design may take, measured as the dense
    /// n × p matrix (its compact form in memory is smaller: 8 bytes a
    /// dense value and 4 an active indicator, so the check errs on the
    /// safe side); a larger design is written to a cache file in
    /// `cacheDirectory` and streamed from it.
    let designBudget: MemorySize
    let cacheDirectory: String?
    let log: (@Sendable (String) -> Void)?
    /// The pair terms every model fitted from this gets (`PairEncoder`):
    /// those named, then those the screen chose.
    var pairs: [ColumnPair] = []

    /// Learns the encoders on `rows`, builds the design (in memory, or in a
    /// cache file when it exceeds the budget) and fits. Both ways give the
    /// same model, bit for bit: the solver visits the rows in the same
    /// blocks whichever way they are stored.
    func fitModel(rows: [Int], notices: inout [String], clock: StageClock = StageClock()) throws(InputError) -> FittedModel {
        try fitModel(encode(rows: rows, notices: &notices, clock: clock), rows: rows, notices: &notices, clock: clock)
    }

    /// The encoders learned on `rows` and the design of `rows`: in memory,
    /// or in a cache file when it exceeds the budget.
    func encode(rows: [Int], notices: inout [String], clock: StageClock = StageClock()) throws(InputError) -> EncodedRows {
        var encoderNotices: [String] = []
        let encoder = try clock.measure("encode") { () throws(InputError) in
            try FeatureEncoder.fit(table: table, schema: schema, rows: rows, config: config, asOfDays: asOfDays, pairs: pairs, notices: &encoderNotices)
        }
        notices += encoderNotices
        guard encoder.featureCount > 0 else {
            throw InputError(.noTrainingData, at: InputLocation(file: path), "no usable feature column is left.", remedy: "Check \(OptionKey.exclude.mention) and the notices above.")
        }
        let designBytes = rows.count * encoder.featureCount * MemoryLayout<Double>.stride
        if designBytes > designBudget.bytes {
            let writer = try DesignCacheWriter(columns: encoder.featureCount, directory: cacheDirectory)
            log?("The encoded design (\(rows.count) rows × \(encoder.featureCount) features, \(MemorySize(bytes: designBytes))) exceeds the memory budget of \(designBudget): streaming it from a cache file in \(writer.directory) (removed from the directory at once, so that nothing is left behind however the run ends).")
            try clock.measure("encode") { () throws(InputError) in try encoder.writeDesign(table: table, rows: rows, to: writer) }
            return EncodedRows(encoder: encoder, design: .cache(try writer.finish()))
        }
        // Encoded straight into the compact form (`EncodedDesign`): the
        // dense n × p matrix is never made.
        let compact = try clock.measure("encode") { () throws(InputError) in
            try CompactDesign(EncodedDesign(encoder: encoder, table: table, rows: rows), holdingAllValues: true)
        }
        return EncodedRows(encoder: encoder, design: .memory(compact))
    }

    /// Fits the model on rows encoded by `encode(rows:)`.
    func fitModel(_ encoded: EncodedRows, rows: [Int], notices: inout [String], clock: StageClock = StageClock()) throws(InputError) -> FittedModel {
        switch encoded.design {
        case .memory(let x): try fitModel(design: x, encoder: encoded.encoder, rows: rows, notices: &notices, clock: clock)
        case .cache(let x): try fitModel(design: x, encoder: encoded.encoder, rows: rows, notices: &notices, clock: clock)
        }
    }

    private func fitModel<S: DesignSource>(
        design x: S, encoder: FeatureEncoder, rows: [Int], notices: inout [String], clock: StageClock
    ) throws(InputError) -> FittedModel {
        let y = rows.map { labels[$0] }
        let sampleWeights = weights.map { w in rows.map { w[$0] } }
        // The design's compact form, read once for the collinearity check
        // and the fit (a design in memory is held in it already).
        let compact = try clock.measure("fit") { () throws(InputError) in try x.compactForm() }
        if solver.l2 > 0 {
            // The penalised fit is well defined with collinear columns, but
            // their coefficients split one effect arbitrarily: say so.
            // A spline's terms are nearly collinear by construction (the
            // truncated-power basis; `NaturalSpline`): not a derived column.
            let splineTerms = encoder.splineTermFeatures
            let dependent = try clock.measure("fit") { () throws(InputError) in
                try LogisticRegression.collinearColumns(design: x, weights: sampleWeights ?? [Double](repeating: 1, count: x.rows), compact: compact)
            }.filter { !splineTerms.contains($0) }
            if !dependent.isEmpty {
                let names = encoder.featureNames
                notices.append(
                    "\(dependent.map { "\"\(names[$0])\"" }.joined(separator: ", ")) \(dependent.count == 1 ? "is" : "are") a linear combination of other features (a duplicated or derived column): the penalty keeps the fit stable, but the effect is shared between the columns involved, so read their coefficients together or exclude one with \(OptionKey.exclude.mention).")
            }
        }
        var fit: LogisticFit
        do {
            fit = try clock.measure("fit") { () throws(FitError) in
                try LogisticRegression.fitSource(
                    x, labels: y, weights: sampleWeights, options: solver.bounded(by: encoder), path: LogisticRegression.PathState(compact: compact))
            }
        } catch {
            switch error {
            case .design(let problem): throw Trainer.explain(problem, names: encoder.featureNames, file: path)
            case .input(let failure): throw failure
            }
        }
        if !fit.converged {
            // The iteration count and the final gradient norm are in the
            // solver's record; the notice names neither, since both move in
            // the last bits between BLAS kernels.
            notices.append("The solver did not converge (\(fit.stopReason.rawValue)). The coefficients may be inaccurate; a larger \(OptionKey.l2.mention) usually helps.")
        }
        let correction = priorCorrection(labels: y, weights: sampleWeights, fittedIntercept: fit.intercept)
        if let correction { fit.intercept = correction.correctedIntercept }
        let predictor = LinearPredictor(intercept: fit.intercept, coefficients: fit.coefficients)
        let eta = try clock.measure("metrics") { () throws(InputError) in try predictor.logOdds(design: x) }
        return FittedModel(encoder: encoder, fit: fit, fittedLogOdds: eta, priorCorrection: correction)
    }

    /// The prior correction of a fit on rows with labels `y` and sample
    /// weights `weights` (`PriorCorrection`), or nil when none is made: it
    /// is switched off, or the fit's rate of won deals is the population's
    /// by definition (no balanced weights and no population rate given).
    /// ȳ is the rate under the solver's own weights
    /// (`LogisticRegression.effectiveWeights`); τ the given rate, else the
    /// rows' rate under the sample weights alone.
    func priorCorrection(labels y: [Double], weights: [Double]?, fittedIntercept: Double) -> PriorCorrection? {
        guard config.effectivePriorCorrection, solver.classWeight == .balanced || config.populationRate != nil else { return nil }
        func rate(_ s: [Double]) -> Double {
            var won = 0.0, total = 0.0
            for i in y.indices {
                total += s[i]
                if y[i] > 0.5 { won += s[i] }
            }
            return won / total
        }
        let sampleRate = rate(LogisticRegression.effectiveWeights(labels: y, weights: weights, classWeight: solver.classWeight))
        let populationRate = config.populationRate ?? rate(weights ?? [Double](repeating: 1, count: y.count))
        return PriorCorrection(
            populationRate: populationRate, populationRateGiven: config.populationRate != nil, sampleRate: sampleRate, fittedIntercept: fittedIntercept)
    }

    /// Metrics of `model` on `rows`, encoded with the model's encoders.
    func metrics(_ model: FittedModel, rows: [Int]) -> BinaryMetrics {
        let predictor = LinearPredictor(intercept: model.fit.intercept, coefficients: model.fit.coefficients)
        let eta = model.encoder.logOdds(table: table, rows: rows, predictor: predictor)
        return BinaryMetrics.compute(labels: rows.map { labels[$0] }, probabilities: eta.map(sigmoid), logOdds: eta)
    }

    /// Metrics of log-odds `eta` on `rows`.
    func metrics(logOdds eta: [Double], rows: [Int]) -> BinaryMetrics {
        BinaryMetrics.compute(labels: rows.map { labels[$0] }, probabilities: eta.map(sigmoid), logOdds: eta)
    }

    /// Metrics of `model` on the rows it was fitted on.
    func fittedMetrics(_ model: FittedModel, rows: [Int]) -> BinaryMetrics {
        metrics(logOdds: model.fittedLogOdds, rows: rows)
    }

    /// `fittedMetrics` on `fitted` and `metrics` on `holdout` (nil when
    /// empty), side by side on two threads: each is computed as on its own.
    /// With `segments`, the holdout rows are scored with their segments'
    /// models (`segmentedLogOdds`; `model.fittedLogOdds` already are).
    func metrics(
        _ model: FittedModel, fitted: [Int], holdout: [Int], segments: ([SegmentModels.Segment], SegmentColumn)? = nil
    ) -> (BinaryMetrics, BinaryMetrics?) {
        if let (segments, column) = segments {
            let held = holdout.isEmpty ? nil : metrics(logOdds: segmentedLogOdds(model, segments: segments, column: column, rows: holdout), rows: holdout)
            return (fittedMetrics(model, rows: fitted), held)
        }
        var results = [BinaryMetrics?](repeating: nil, count: 2)
        let this = UncheckedSendable((data: self, model: model))
        results.withUnsafeMutableBufferPointer { out in
            let target = UncheckedSendable(out.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: holdout.isEmpty ? 1 : 2) { k in
                let (data, model) = this.value
                target.value[k] = k == 0 ? data.fittedMetrics(model, rows: fitted) : data.metrics(model, rows: holdout)
            }
        }
        return (results[0]!, results[1])
    }
}

extension SolverOptions {
    /// These options with the bounds of `encoder`'s monotone columns
    /// (`FeatureEncoder.coefficientBounds`), which send the fit to the
    /// coordinate-descent solver whatever the penalty; unchanged when the
    /// encoder has none. The bounds are per feature, so they are taken from
    /// the encoder of each fit (the training rows', or a fold's).
    func bounded(by encoder: FeatureEncoder) -> SolverOptions {
        guard let bounds = encoder.coefficientBounds else { return self }
        var options = self
        options.lowerBounds = bounds.lower
        options.upperBounds = bounds.upper
        return options
    }
}

/// How a training run measures the model on rows it was not fitted on.
public enum ValidationPlan: Sendable, Equatable, CustomStringConvertible {
    case none
    /// A stratified random share of the rows, seeded.
    case holdout(fraction: Double, seed: UInt64)
    /// Train on rows dated before `cutoff` in `column`, test on the rest:
    /// how a model is used, on leads newer than its training data.
    case outOfTime(column: String, cutoff: String)
    /// Stratified k-fold cross-validation; the final model is fitted on
    /// all rows.
    case crossValidation(folds: Int, seed: UInt64)
    /// A separate file.
    case file(String)

    /// The plan the configuration asks for; at most one may be given.
    init(config c: TrainingConfiguration, validationPath: String?) throws(InputError) {
        var plans: [ValidationPlan] = []
        if let f = c.holdout, f > 0 { plans.append(.holdout(fraction: f, seed: c.effectiveSeed)) }
        if let column = c.timeColumn, let cutoff = c.testFrom { plans.append(.outOfTime(column: column, cutoff: cutoff)) }
        if let k = c.folds { plans.append(.crossValidation(folds: k, seed: c.effectiveSeed)) }
        if let v = validationPath { plans.append(.file(v)) }
        if (c.timeColumn == nil) != (c.testFrom == nil) {
            throw InputError(.badConfiguration, "an out-of-time split needs both a date column and a cutoff date.", remedy: "Pass \(OptionKey.timeColumn.mention) and \(OptionKey.testFrom.mention) together.")
        }
        guard plans.count <= 1 else {
            throw InputError(
                .badConfiguration, "more than one validation was asked for (\(plans.map(\.description).joined(separator: "; "))).",
                remedy: "Use one of \(OptionKey.holdout.mention), \(OptionKey.timeColumn.mention)/\(OptionKey.testFrom.mention), \(OptionKey.folds.mention) and \(OptionKey.validationPath.mention).")
        }
        self = plans.first ?? .none
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .holdout(let f, let seed): "stratified random holdout of \(ModelNumber.text(100 * f))% (seed \(seed))"
        case .outOfTime(let column, let cutoff): "out-of-time: trained on rows with \"\(column)\" before \(cutoff), tested on rows on or after it"
        case .crossValidation(let k, let seed): "\(k)-fold stratified cross-validation (seed \(seed)); final model fitted on all rows"
        case .file(let path): "separate validation file \((path as NSString).lastPathComponent)"
        }
    }
}

