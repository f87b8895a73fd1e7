import Foundation

/// What to train on and how.
public struct TrainingRequest: Sendable {
    /// The CSV export of closed deals.
    public var dataPath: String
    public var configuration: TrainingConfiguration
    /// A separate validation CSV (same columns); its metrics go into the
    /// model card as holdout metrics. Exclusive with a holdout fraction.
    public var validationPath: String?
    /// Where to write the held-out rows (holdout or out-of-time split) as a
    /// CSV with the file's header, so other scorers can be compared on
    /// exactly the leads the model did not see.
    public var holdoutOutputPath: String?
    /// The training date recorded in the model (YYYY-MM-DD); nil: today (UTC).
    public var trainingDate: String?
    /// When set, the wall time of each stage is recorded in it.
    public var clock: StageClock?
    /// The memory training may take for its two large things: the columns
    /// read from the file (`RawTable.estimatedBytes`: about 12 bytes a cell)
    /// and the encoded design (rows × features × 8 bytes). The columns go
    /// to cache files on disk when they would take more than half the
    /// budget, and the design when it is larger than what the columns leave
    /// of it; both give the same model. Standard input and pipes are always
    /// read into memory. nil: `MemorySize.defaultTrainingBudget` (half the
    /// machine's memory).
    public var memoryBudget: MemorySize?
    /// Where the cache files go; nil: the system's temporary directory
    /// ($TMPDIR or /tmp).
    public var cacheDirectory: String?
    /// Informational messages (not notices: they do not go into the model).
    public var log: (@Sendable (String) -> Void)?

    public init(dataPath: String, configuration: TrainingConfiguration = TrainingConfiguration(), validationPath: String? = nil) {
        self.dataPath = dataPath
        self.configuration = configuration
        self.validationPath = validationPath
    }

    /// The solver's options: the penalty and class weights of the
    /// configuration, the solver's own stopping rule.
    var solver: SolverOptions {
        SolverOptions(l2: configuration.effectiveL2, l1Ratio: configuration.effectiveL1Ratio, classWeight: configuration.effectiveClassWeight)
    }
}

/// The training pipeline: read → infer the schema → split → learn the
/// encoders on the training rows → fit → diagnose → measure.
public enum Trainer {
    public static func train(_ request: TrainingRequest, progress: ProgressHandler? = nil) throws(InputError) -> ModelCard {
        let config = request.configuration
        let path = request.dataPath
        try config.validate(source: "the training options")
        let missingMarkers = ValueParser.defaultMissingMarkers + (config.missingValues ?? [])
        let parser = ValueParser(missingMarkers: missingMarkers)
        let include = Set(config.include ?? [])
        let forcedCategorical = Set((config.types ?? [:]).filter { $0.value == .categorical || $0.value == .boolean }.keys)
        let maxLevels = config.effectiveMaxCategoryLevels
        let clock = request.clock ?? StageClock()
        let blas = BLASProvenance.current
        if let note = blas.fallbackNote() { request.log?("note: " + note) }
        let budget = request.memoryBudget ?? MemorySize.defaultTrainingBudget
        let tableBytes = RawTable.estimatedBytes(path: path)
        let storage: TableStorage = (tableBytes ?? 0) > budget.bytes / 2 ? .disk(directory: request.cacheDirectory) : .memory
        if storage != .memory, let tableBytes {
            request.log?("The columns read from the file (about \(MemorySize(bytes: tableBytes))) would take more than half the memory budget of \(budget): they are kept in cache files in \(request.cacheDirectory ?? FileManager.default.temporaryDirectory.path).")
        }
        var table = try clock.measure("read") { () throws(InputError) in
            try RawTable.read(
                path: path, parser: parser,
                levelCap: { include.contains($0) || forcedCategorical.contains($0) || $0 == config.segment ? Int(UInt32.max - 1) : max(maxLevels, 2) + 1 },
                amountFormats: config.amountFormats ?? [:], progress: progress.map { p in { p($0, $1) } }, storage: storage)
        }
        guard table.rowCount > 0 else {
            throw InputError(.noTrainingData, at: InputLocation(file: path), "the file has a header but no rows.", remedy: "Export the closed deals with their outcome.")
        }
        // Fingerprint the file on another thread while it is checked and encoded.
        let digest = BackgroundDigest(path: path)
        let schema = try clock.measure("schema") { () throws(InputError) in try SchemaInference.infer(&table, config: config) }
        var notices = schema.notices
        let groupOf = try featureGroups(config: config, schema: schema, table: table)
        let namedPairs = try requestedPairs(config: config, schema: schema, table: table)

        // Labels and weights; rows without an outcome are left out.
        let targetColumn = table.columns[schema.targetIndex]
        var labels = [Double](repeating: .nan, count: table.rowCount)
        var usable: [Int] = []
        var open = 0
        if let closedName = schema.target.closedColumn, let closed = table.index(of: closedName) {
            // Each row's outcome with its closed flag: open deals left out.
            for r in 0..<table.rowCount {
                let flag = table.text(column: closed, row: r)
                if schema.target.isOpen(closed: flag) { open += 1 }
                let value = table.text(column: schema.targetIndex, row: r)
                if let l = try schema.target.label(value, closed: flag, at: InputLocation(file: path, line: table.line(ofRow: r))) {
                    labels[r] = l
                    usable.append(r)
                }
            }
        } else if let codes = targetColumn.codes {
            // One label per dictionary level, then per row.
            let byCode = targetColumn.levels.map { schema.target.label($0) }
            for r in 0..<table.rowCount where codes[r] != RawTable.missingCode {
                if let l = byCode[Int(codes[r])] {
                    labels[r] = l
                    usable.append(r)
                }
            }
        } else {
            for r in 0..<table.rowCount {
                if let l = schema.target.label(table.text(column: schema.targetIndex, row: r)) {
                    labels[r] = l
                    usable.append(r)
                }
            }
        }
        let excluded = table.rowCount - usable.count
        if open > 0, let closed = schema.target.closedColumn {
            notices.append(
                "\(ModelNumber.grouped(open)) rows are open deals (\"\(closed)\" is not true): left out, since \"\(targetColumn.name)\" is false for a deal not yet won as well as for a lost one.")
        }
        if excluded > open {
            notices.append("\(excluded - open) rows have no outcome (missing, or open: \"\(targetColumn.name)\" neither \(schema.target.positive.joined(separator: "/")) nor \(schema.target.negative.isEmpty ? "lost" : schema.target.negative.joined(separator: "/"))): left out.")
        }
        if let target = config.target == nil ? targetColumn.name : nil {
            // An inferred outcome column may also be named as an id or left out.
            try TrainingConfiguration.requireTargetIsNotOtherwiseUsed(target, config: config, source: path)
        }
        try requireEnoughRows(usable, labels: labels, file: path, column: targetColumn.name)
        if let k = config.folds {
            try requireFoldsFit(k, rows: usable, labels: labels, file: path, column: targetColumn.name)
        }
        var weights: [Double]? = nil
        if let w = schema.weightIndex, let numbers = table.columns[w].numbers {
            for r in usable where !(numbers[r] > 0 && numbers[r].isFinite) {
                throw InputError(
                    .invalidValue,
                    at: InputLocation(file: path, line: table.line(ofRow: r), column: table.columns[w].name, value: numbers[r].isNaN ? "" : ModelNumber.text(numbers[r])),
                    "sample weights must be positive, finite numbers.", remedy: "Fix or remove this row, or drop \(OptionKey.weight.mention).")
            }
            try requireUsableWeights(usable.map { numbers[$0] }, file: path, column: table.columns[w].name)
            if let note = weightScaleNotice(usable.map { numbers[$0] }, column: table.columns[w].name, l2: request.solver.l2) { notices.append(note) }
            weights = Array(numbers)
        }

        // As-of date for date columns.
        var asOfDays: Int? = nil
        if let a = config.asOf {
            guard let d = ValueParser.isoDate(a) else {
                throw InputError(.badConfiguration, "the as-of date \"\(a)\" is not an ISO 8601 date.", remedy: "Write it as YYYY-MM-DD.")
            }
            asOfDays = d
        } else if schema.features.contains(where: { $0.kind == .date }) {
            var latest: Int? = nil
            for feature in schema.features where feature.kind == .date {
                guard let days = table.columns[feature.index].days else { continue }
                for d in days where d != Int.min && d > (latest ?? Int.min) { latest = d }
            }
            asOfDays = latest
            if let d = asOfDays {
                notices.append("Dates are turned into days before \(ValueParser.isoDateString(days: d)), the latest date in the file (set \(OptionKey.asOf.mention) to choose).")
            }
        }
        var data = Prepared(
            table: table, schema: schema, labels: labels, weights: weights, asOfDays: asOfDays, config: config,
            solver: request.solver, path: path,
            designBudget: MemorySize(bytes: budget.bytes - (storage == .memory ? tableBytes ?? 0 : 0)),
            cacheDirectory: request.cacheDirectory, log: request.log, pairs: namedPairs)

        // Validation plan.
        let plan = try ValidationPlan(config: config, validationPath: request.validationPath)
        let seed = config.effectiveSeed
        var trainRows = usable, holdoutRows: [Int] = []
        switch plan {
        case .holdout(let fraction, let seed):
            (trainRows, holdoutRows) = StratifiedSplit.split(rows: usable, labels: labels, fraction: fraction, seed: seed)
        case .outOfTime(let column, let cutoff):
            let split = try outOfTimeSplit(table: table, rows: usable, column: column, cutoff: cutoff)
            (trainRows, holdoutRows) = (split.before, split.after)
            if split.undated > 0 { notices.append("\(split.undated) rows have no \"\(column)\": left out of the out-of-time split.") }
            if holdoutRows.isEmpty {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: path, column: column, value: cutoff),
                    "no row is dated on or after the cutoff, so there is nothing to test on.", remedy: "Choose an earlier \(OptionKey.testFrom.mention) date.")
            }
        case .none, .file, .crossValidation:
            break
        }
        switch plan {
        case .holdout:
            let remedy = "Hold out a different share with \(OptionKey.holdout.mention) (both parts need won and lost deals), or export more deals."
            try requireBothClasses(trainRows, labels: labels, file: path, column: targetColumn.name, what: "training", remedy: remedy)
            try requireBothClasses(holdoutRows, labels: labels, file: path, column: targetColumn.name, what: "held-out", remedy: remedy)
        case .outOfTime:
            let remedy = "Choose a \(OptionKey.testFrom.mention) date with won and lost deals on both sides."
            try requireBothClasses(trainRows, labels: labels, file: path, column: targetColumn.name, what: "training (before the cutoff)", remedy: remedy)
            try requireBothClasses(holdoutRows, labels: labels, file: path, column: targetColumn.name, what: "test (on or after the cutoff)", remedy: remedy)
        default:
            try requireBothClasses(trainRows, labels: labels, file: path, column: targetColumn.name, what: "training")
        }

        try requirePenaltyLeavesDataAVoice(
            l2: request.solver.l2, dataWeight: weights.map { w in trainRows.reduce(0) { $0 + w[$1] } } ?? Double(trainRows.count),
            rows: trainRows.count, file: path)

        // Leakage guard: a column that alone separates the outcome almost
        // perfectly stops training unless confirmed.
        let columnAUCs = clock.measure("leakage check") { LeakageCheck.columnAUCs(table: table, schema: schema, rows: trainRows, labels: labels) }
        let threshold = config.leakageThreshold ?? LeakageCheck.defaultStopThreshold
        let blocking = columnAUCs.filter { $0.auc >= threshold && !(config.allowLeakage ?? []).contains($0.column) }
        if !blocking.isEmpty && !(config.allowLeakage ?? []).contains("*") {
            let won = trainRows.reduce(0) { $0 + (labels[$1] > 0.5 ? 1 : 0) }
            throw leakageRefusal(blocking, won: won, lost: trainRows.count - won, file: path)
        }
        let pureLevels = clock.measure("leakage check") { LeakageCheck.pureLevels(table: table, schema: schema, rows: trainRows, labels: labels) }
        notices += LeakageCheck.notices(columnAUCs: columnAUCs, pureLevels: pureLevels)

        // Pair terms chosen by the screen, on the training rows alone (and,
        // in cross-validation, on each fold's fitting rows alone), before
        // the penalty is chosen: its path is then that of the model with
        // them.
        let unscreened = data
        var screen: InteractionScreen? = nil
        if let k = config.autoInteractions {
            screen = try clock.measure("interactions") { () throws(InputError) in
                try data.screenPairs(rows: trainRows, maximum: k, folds: SegmentModels.defaultFolds, seed: seed)
            }
            data.pairs += screen!.chosen.map { ColumnPair(first: $0.first, second: $0.second) }
            notices.append(InteractionScreen.summary(screen!))
        }

        // The penalty, chosen by cross-validation on the training rows
        // (`PenaltyPath`); the training rows encoded once, for λ_max and
        // the final fit.
        var penalty: ModelCard.Penalty? = nil
        var encodedTraining: EncodedRows? = nil
        var encodeNotices: [String] = []
        if let k = config.cv {
            try requireFoldsFit(k, rows: trainRows, labels: labels, file: path, column: targetColumn.name, key: .cv)
            let encoded = try data.encode(rows: trainRows, notices: &encodeNotices, clock: clock)
            encodedTraining = encoded
            var pathNotices: [String] = []
            let chosen = try clock.measure("penalty cv") { () throws(InputError) in
                try data.choosePenalty(rows: trainRows, encoded: encoded, folds: k, seed: seed, notices: &pathNotices)
            }
            notices += pathNotices
            data.solver.l2 = chosen.lambda
            data.solver.l1Ratio = chosen.l1Ratio
            penalty = ModelCard.Penalty(kind: config.effectivePenalty, lambda: chosen.lambda, l1Ratio: chosen.l1Ratio, selection: chosen.selection)
        } else if config.effectivePenalty != .l2 {
            penalty = ModelCard.Penalty(kind: config.effectivePenalty, lambda: data.solver.l2, l1Ratio: data.solver.l1Ratio)
        }

        // Segment models: their column, and λ_s, given or chosen by
        // cross-validation on the training rows.
        var segmentPlan: (column: SegmentColumn, lambda: Double, selection: SegmentModels.Selection)? = nil
        if config.segment != nil {
            let column = try SegmentColumn(config: config, table: table, schema: schema, rows: trainRows)
            if let lambda = config.segmentL2 {
                segmentPlan = (column, lambda, SegmentModels.Selection(method: SegmentModels.Selection.given))
            } else {
                let chosen = try clock.measure("segments") { () throws(InputError) in
                    try data.chooseSegmentL2(
                        rows: trainRows, column: column, minConversions: config.effectiveMinConversions, folds: SegmentModels.defaultFolds, seed: seed)
                }
                segmentPlan = (column, chosen.lambda, chosen.selection)
            }
        }

        // Cross-validation: every fold refits the encoders and the model
        // (and the segment models, with the λ_s chosen above).
        var crossValidation: CrossValidationSummary? = nil
        if case .crossValidation(let k, let foldSeed) = plan {
            var folds: [BinaryMetrics] = []
            for (fit, test) in StratifiedSplit.folds(rows: usable, labels: labels, k: k, seed: foldSeed) {
                let remedy = "Use fewer \(OptionKey.folds.mention): every fold needs won and lost deals."
                try requireBothClasses(fit, labels: labels, file: path, column: targetColumn.name, what: "cross-validation fitting", remedy: remedy)
                try requireBothClasses(test, labels: labels, file: path, column: targetColumn.name, what: "cross-validation test", remedy: remedy)
                var foldNotices: [String] = []
                var foldData = data
                if let k = config.autoInteractions {
                    let foldScreen = try clock.measure("interactions") { () throws(InputError) in
                        try unscreened.screenPairs(rows: fit, maximum: k, folds: SegmentModels.defaultFolds, seed: seed)
                    }
                    foldData.pairs = unscreened.pairs + foldScreen.chosen.map { ColumnPair(first: $0.first, second: $0.second) }
                }
                let model = try foldData.fitModel(rows: fit, notices: &foldNotices)
                if let plan = segmentPlan {
                    let segments = try data.fitSegments(
                        around: model, rows: fit, segments: plan.column, lambda: plan.lambda, minConversions: config.effectiveMinConversions,
                        notices: &foldNotices)
                    folds.append(data.metrics(logOdds: data.segmentedLogOdds(model, segments: segments, column: plan.column, rows: test), rows: test))
                } else {
                    folds.append(data.metrics(model, rows: test))
                }
            }
            crossValidation = CrossValidationSummary(folds: folds, seed: foldSeed)
        }

        // The model.
        var fitNotices: [String] = []
        var model: FittedModel
        if let encoded = encodedTraining {
            fitNotices += encodeNotices
            model = try data.fitModel(encoded, rows: trainRows, notices: &fitNotices, clock: clock)
        } else {
            model = try data.fitModel(rows: trainRows, notices: &fitNotices, clock: clock)
        }
        var segmentModels: SegmentModels? = nil
        if let plan = segmentPlan {
            let segments = try clock.measure("segments") { () throws(InputError) in
                try data.fitSegments(
                    around: model, rows: trainRows, segments: plan.column, lambda: plan.lambda, minConversions: config.effectiveMinConversions,
                    notices: &fitNotices)
            }
            segmentModels = SegmentModels(
                column: plan.column.name, l2: plan.lambda, selection: plan.selection, minConversions: config.effectiveMinConversions, segments: segments)
            fitNotices.append(segmentModels!.summary)
            // The model as `score` uses it: each row with its segment's model.
            model.fittedLogOdds = data.segmentedLogOdds(model, segments: segments, column: plan.column, rows: trainRows)
        }
        if model.fit.standardErrors[model.fit.coefficients.count].isNaN {
            fitNotices.append(
                "The L1 penalty kept collinear features together (or their Hessian is singular): the model has no standard errors (written as 0); the coefficients and scores are unaffected. A little L2 in the mix (\(OptionKey.penalty.mention) elasticnet) restores them.")
        }
        notices += fitNotices
        let (trainMetrics, holdoutMetrics) = clock.measure("metrics") {
            data.metrics(model, fitted: trainRows, holdout: holdoutRows, segments: segmentModels.map { ($0.segments, segmentPlan!.column) })
        }
        if let note = LeakageCheck.modelNotice(trainingAUC: trainMetrics.auc, columnAUCs: columnAUCs) { notices.append(note) }

        let fit = model.fit
        // The covariance of each spline's coefficients, for its band in `inspect`.
        let encoder = model.encoder.withSplineCovariances(fit.covariance, order: model.encoder.featureCount + 1)
        let positives = trainRows.reduce(0) { $0 + (labels[$1] > 0.5 ? 1 : 0) }
        let q = encoder.featureCount
        let names = encoder.featureNames
        let columnOf = encoder.columns.flatMap { c in [String](repeating: c.column, count: c.featureCount) }
            + encoder.pairs.flatMap { p in [String](repeating: p.name, count: p.featureCount) }
        // Each feature's group: its column's, or its pair's (`FeatureGroup.ofPair`).
        let groupOfFeature: [FeatureGroup?] = groupOf.map { g in
            encoder.columns.flatMap { c in [FeatureGroup?](repeating: g[c.column], count: c.featureCount) }
                + encoder.pairs.flatMap { p in
                    [FeatureGroup?](repeating: g[p.first.column].flatMap { a in g[p.second.column].map { FeatureGroup.ofPair(a, $0) } }, count: p.featureCount)
                }
        } ?? [FeatureGroup?](repeating: nil, count: q)
        // The measurement dates of the columns the model kept.
        let measuredOn = (config.measuredOn ?? [:]).filter { m in encoder.columns.contains { $0.kind == .numeric && $0.column == m.key } }
        var card = ModelCard(
            format: ModelCard.formatName, formatVersion: ModelCard.formatVersion,
            schema: ModelCard.Schema(
                target: schema.target, idColumns: schema.idIndices.map { table.columns[$0].name },
                missingValues: Array(parser.missingMarkers).sorted(), encoders: encoder,
                asOf: asOfDays.map(ValueParser.isoDateString(days:)), measuredOn: measuredOn.isEmpty ? nil : measuredOn),
            features: (0..<q).map {
                // A coefficient the L1 penalty zeroed has no standard error
                // (NaN from the solver): written as 0 (`ModelCard.Penalty`).
                ModelCard.Feature(
                    name: names[$0], column: columnOf[$0], coefficient: fit.coefficients[$0],
                    standardError: fit.standardErrors[$0].isNaN ? 0 : fit.standardErrors[$0],
                    group: groupOfFeature[$0])
            },
            intercept: ModelCard.Coefficient(coefficient: fit.intercept, standardError: fit.standardErrors[q].isNaN ? 0 : fit.standardErrors[q]),
            training: ModelCard.Training(
                date: request.trainingDate ?? ValueParser.today,
                source: ModelCard.Source(
                    file: (path as NSString).lastPathComponent,
                    sha256: try clock.measure("sha-256") { () throws(InputError) in try digest.value() }),
                fileRows: table.rowCount, rows: trainRows.count, positives: positives,
                baseRate: Double(positives) / Double(trainRows.count), holdoutRows: holdoutRows.count, excludedRows: excluded,
                options: ModelCard.Options(
                    l2: data.solver.l2, classWeight: data.solver.classWeight, sampleWeightColumn: config.weight,
                    minCategoryCount: config.effectiveMinCategoryCount,
                    maxCategoryLevels: maxLevels, log1p: config.log1p ?? [], holdout: config.holdout ?? 0, seed: seed,
                    excluded: config.exclude ?? [], validation: plan.description),
                solver: ModelCard.Solver(
                    method: data.solver.bounded(by: model.encoder).usesCoordinateDescent
                        ? "Proximal Newton (newGLMNET): coordinate descent on the quadratic model, sufficient-decrease line search"
                        : "Newton (IRLS) with Armijo backtracking; Cholesky (LAPACK dpotrf/dpotrs)",
                    converged: fit.converged, stopReason: fit.stopReason, iterations: fit.iterations,
                    gradientNorm: fit.gradientNorm, gradientTolerance: data.solver.gradientTolerance,
                    logLikelihood: fit.logLikelihood, objective: fit.objective,
                    penaltyNote: penaltyNote(data.solver) + (model.encoder.coefficientBounds == nil ? "" : " " + monotoneNote)),
                linearAlgebra: ModelCard.LinearAlgebra(blas),
                notices: notices),
            metrics: ModelCard.Metrics(training: trainMetrics, holdout: holdoutMetrics, crossValidation: crossValidation))
        if groupOf != nil {
            // F and E of every training row (`LinearPredictor.restricted`:
            // the sums `score` adds them up with), for their means and the
            // sub-scores' quartiles.
            // With segment models, each row's parts and intercept are its
            // segment model's.
            let isFit = card.features.map { $0.group == .fit }
            let predictors = SegmentPredictors(model, segments: segmentModels?.segments ?? [], column: segmentPlan?.column)
            let (fitParts, engagementParts) = clock.measure("metrics") {
                (
                    data.segmentedLogOdds(predictors, rows: trainRows, restrictedTo: isFit),
                    data.segmentedLogOdds(predictors, rows: trainRows, restrictedTo: isFit.map { !$0 })
                )
            }
            card.subScores = SubScoreScale.fitted(
                intercepts: trainRows.map { predictors.all[predictors.index(row: $0)].intercept }, fit: fitParts, engagement: engagementParts)
        }
        card.training.priorCorrection = model.priorCorrection
        card.training.interactions = screen
        card.training.penalty = penalty
        card.segments = segmentModels
        card.trainingProfile = clock.measure("profile") {
            TrainingProfile.of(table: table, rows: trainRows, encoder: encoder, asOfDays: asOfDays, logOdds: model.fittedLogOdds)
        }
        card.formatVersion = card.requiredFormatVersion

        if let out = request.holdoutOutputPath {
            guard !holdoutRows.isEmpty else {
                throw InputError(.badConfiguration, "there are no held-out rows to write.", remedy: "Use \(OptionKey.holdout.mention) or \(OptionKey.timeColumn.mention)/\(OptionKey.testFrom.mention) with \(OptionKey.holdoutOutputPath.mention).")
            }
            try writeRows(Set(holdoutRows), of: path, to: out)
        }
        if let validation = request.validationPath {
            let report = try Evaluator.evaluate(model: card, dataPath: validation, options: ScoringOptions())
            card.metrics.holdout = report.metrics
            card.training.holdoutRows = report.metrics.rows
            card.training.source.validationFile = (validation as NSString).lastPathComponent
            card.training.source.validationSHA256 = try FileDigest.sha256(path: validation)
        }
        return card
    }

    /// The group of every feature column, by name, when the configuration
    /// assigns columns to fit and engagement; nil otherwise. The columns
    /// named exist (`SchemaInference` checks them with the other options'
    /// columns). Refused: a named column the schema made the outcome or an
    /// identifier (no part of the log-odds), and feature columns in neither
    /// group, all named, since a split that left a column out would not add
    /// up to the log-odds. A named column left out as free text, empty or
    /// constant simply has no part.
    static func featureGroups(config: TrainingConfiguration, schema: InferredSchema, table: RawTable) throws(InputError) -> [String: FeatureGroup]? {
        guard config.hasGroups else { return nil }
        var groupOf: [String: FeatureGroup] = [:]
        for (group, key) in [(FeatureGroup.fit, OptionKey.fit), (.engagement, .engagement)] {
            for name in (group == .fit ? config.fit : config.engagement) ?? [] {
                let i = table.index(of: name)
                if i == schema.targetIndex || schema.idIndices.contains(where: { $0 == i }) {
                    let role = i == schema.targetIndex ? "the outcome column" : "an identifier (passed through to the scores)"
                    throw InputError(
                        .badConfiguration, at: InputLocation(file: table.file, column: name),
                        "\(key.mention) lists \"\(name)\", which LeadScore read as \(role), not a feature; only feature columns are fit or engagement.",
                        remedy: i == schema.targetIndex
                            ? "Remove \"\(name)\" from \(key.mention), or name the real outcome column with \(OptionKey.target.mention)."
                            : "Remove \"\(name)\" from \(key.mention), or give its type with \(OptionKey.types.mention) to use it as a feature.")
                }
                groupOf[name] = group
            }
        }
        let unassigned = schema.features.map { table.columns[$0.index].name }.filter { groupOf[$0] == nil }
        guard unassigned.isEmpty else {
            let list = unassigned.map { "\"\($0)\"" }.joined(separator: ", ")
            throw InputError(
                .badConfiguration, at: InputLocation(file: table.file, column: unassigned[0]),
                "\(unassigned.count == 1 ? "a feature column is" : "\(unassigned.count) feature columns are") in neither \(OptionKey.fit.mention) nor \(OptionKey.engagement.mention): \(list). The fit and engagement parts must add up to the lead's log-odds, so every feature column is in one.",
                remedy: "Add \(unassigned.count == 1 ? "it" : "each") to \(OptionKey.fit.mention) (who the lead is) or \(OptionKey.engagement.mention) (what the lead did), or leave \(unassigned.count == 1 ? "it" : "them") out with \(OptionKey.exclude.mention).")
        }
        return groupOf
    }

    /// The pair terms the configuration names (`interactions`, each
    /// "A*B"), as two feature columns each. Refused, naming them: a name
    /// that is not two feature columns joined by `*` (a column named with a
    /// `*` is found by trying each `*`), a column paired with itself, and a
    /// pair named twice.
    static func requestedPairs(config: TrainingConfiguration, schema: InferredSchema, table: RawTable) throws(InputError) -> [ColumnPair] {
        let features = Set(schema.features.map { table.columns[$0.index].name })
        var pairs: [ColumnPair] = []
        for text in config.interactions ?? [] {
            let splits = text.indices.filter { text[$0] == "*" }.map { (String(text[..<$0]), String(text[text.index(after: $0)...])) }
            guard let (a, b) = splits.first(where: { features.contains($0.0) && features.contains($0.1) }) else {
                let unknown = splits.first.map { [$0.0, $0.1].filter { !features.contains($0) } } ?? []
                throw InputError(
                    .badConfiguration, at: InputLocation(file: table.file, column: unknown.first, value: text),
                    splits.isEmpty
                        ? "the pair \"\(text)\" (\(OptionKey.interactions.mention)) is not two columns joined by *."
                        : "the pair \"\(text)\" (\(OptionKey.interactions.mention)) names \(unknown.map { "\"\($0)\"" }.joined(separator: " and ")), which \(unknown.count == 1 ? "is not a feature column" : "are not feature columns") of the file (an outcome, id, excluded or left-out column cannot be in a pair).",
                    remedy: "Write the pair as A*B with two feature columns, names exactly as in the header.")
            }
            guard a != b else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: table.file, column: a, value: text),
                    "the pair \"\(text)\" (\(OptionKey.interactions.mention)) pairs \"\(a)\" with itself; a pair term is over two different columns.",
                    remedy: "Name two different columns, A*B.")
            }
            let pair = ColumnPair(first: a, second: b)
            guard !pairs.contains(where: { Set([$0.first, $0.second]) == Set([a, b]) }) else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: table.file, column: a, value: text),
                    "the pair of \"\(a)\" and \"\(b)\" is named twice in \(OptionKey.interactions.mention).", remedy: "Name each pair once.")
            }
            pairs.append(pair)
        }
        return pairs
    }

    /// Copies the data rows whose 0-based indices are in `rows` (with the
    /// header) from `path` to `output`, atomically.
    static func writeRows(_ rows: Set<Int>, of path: String, to output: String) throws(InputError) {
        let reader = try CSVReader(path: path)
        let out = try AtomicOutput(path: output, inputs: [path])
        let writer = CSVWriter(output: out)
        writer.writeRow(reader.header)
        var index = 0
        var fields: [String] = []
        while try reader.nextRecord() {
            if rows.contains(index) {
                fields.removeAll(keepingCapacity: true)
                for i in 0..<reader.fieldCount { fields.append(reader.field(i)) }
                writer.writeRow(fields)
            }
            index += 1
        }
        try out.commit()
    }

    /// The fewest won and the fewest lost rows training accepts. Below it
    /// the leakage check and the fit have nothing to stand on: with two or
    /// three rows of one class, almost any column separates them by chance
    /// (a 2-row file "leaks" in every column). Five is also what 5-fold
    /// stratified cross-validation needs to test every fold on both
    /// classes. It is a floor, not advice: the usual rule of thumb asks for
    /// about ten rows of the smaller class per feature.
    public static let minimumRowsPerClass = 5

    /// The L2 penalty may be at most this many times the training rows'
    /// total weight (their number, unweighted). The penalty is λ/2 ‖β‖²
    /// against the weighted log-likelihood Σ wᵢ ℓᵢ, whose curvature per
    /// standardised feature is at most Σ wᵢ / 4; at λ = 10 Σ wᵢ every
    /// coefficient is shrunk to under 2.5% of its unpenalised size, so the
    /// model scores every lead at about the base rate.
    public static let maximumPenaltyPerRow = 10.0

    /// Sample weights may span at most this ratio (largest / smallest), and
    /// their mean must lie within `weightMeanRange`. Weights are not
    /// rescaled (they may be frequencies, which the standard errors
    /// honour), so their scale meets the penalty: a mean of 1e-300 lets
    /// the penalty swamp the data, a mean of 1e300 overflows the sums, and
    /// a ratio beyond 1e12 loses the light rows below the rounding of sums
    /// over millions of rows.
    ///
    /// The upper bound of the mean, 1e15, takes deal amounts in any
    /// currency (2.8e9 is a mean IDR amount). Measured on the bundled
    /// export (20,000 rows, `--l2 0`, every weight the constant c): the
    /// coefficients equal the unweighted ones to 1e-14 relative for every
    /// c from 1e9 to 1e100 (and it still fits at 1e140); from c = 1e150
    /// (a total weight near 1e154, whose square overflows a double) the
    /// Gram matrix of the collinearity check overflows and the fit is
    /// refused as collinear.
    /// At a mean of 1e15 a file would need about 1e138 rows to get there.
    /// Such weights leave the default penalty negligible (λ = 1 against a
    /// total weight of 5.6e13 for 20,000 rows of IDR amounts: with the
    /// default penalty the coefficients equal the unpenalised ones to 1e-10
    /// at c = 1e9), and the standard errors count every unit of weight as a
    /// deal: `weightScaleNotice` says so in the model card.
    public static let maximumWeightRatio = 1e12
    public static let weightMeanRange = 1e-6...1e15

    /// The refusal of columns that separate the outcome alone
    /// (`LeakageCheck`). With fewer than `LeakageCheck.chanceRowsPerClass`
    /// rows of the smaller class, chance is as likely a cause as leakage,
    /// and the message says so first: confirming such a column would
    /// build the model on what may be noise.
    static func leakageRefusal(_ blocking: [LeakageCheck.ColumnSeparation], won: Int, lost: Int, file: String) -> InputError {
        let one = blocking.count == 1
        let columns = blocking.map { "\"\($0.column)\" (AUC \(ModelNumber.fixed($0.auc, 3)) alone)" }.joined(separator: ", ")
        let exclude = blocking.map { "\(OptionKey.exclude.mention) \"\($0.column)\"" }.joined(separator: " ")
        let smaller = min(won, lost), needed = LeakageCheck.chanceRowsPerClass
        if smaller < needed {
            return InputError(
                .leakage, at: InputLocation(file: file, column: blocking[0].column),
                "\(columns) \(one ? "separates" : "separate") won from lost on \(one ? "its" : "their") own, but with only \(smaller) \(smaller == won ? "won" : "lost") \(smaller == 1 ? "deal" : "deals") (and \(smaller == won ? lost : won) \(smaller == won ? "lost" : "won")) a column can separate them this well by chance; \(one ? "it" : "they") may also have been filled in after the outcome was known.",
                remedy: "Export more closed deals, at least \(needed) won and \(needed) lost, and train again; confirming \(one ? "the column" : "the columns") with \(OptionKey.allowLeakage.mention) on so few rows would be unwise, since the separation may be chance. If \(one ? "it is" : "they are") filled in after the outcome, exclude \(one ? "it" : "them") with \(exclude).")
        }
        return InputError(
            .leakage, at: InputLocation(file: file, column: blocking[0].column),
            "\(columns) \(one ? "separates" : "separate") won from lost so well on \(one ? "its" : "their") own: likely filled in after the outcome was known.",
            remedy: "Exclude \(one ? "it" : "them") with \(exclude), or, if known before the outcome, confirm with \(blocking.map { "\(OptionKey.allowLeakage.mention) \"\($0.column)\"" }.joined(separator: " ")) (threshold: \(OptionKey.leakageThreshold.mention), default \(LeakageCheck.defaultStopThreshold)).")
    }

    static func requireEnoughRows(_ rows: [Int], labels: [Double], file: String, column: String) throws(InputError) {
        let won = rows.reduce(0) { $0 + (labels[$1] > 0.5 ? 1 : 0) }, lost = rows.count - won
        // No rows, or one class only: `requireBothClasses` says so.
        guard won > 0, lost > 0, min(won, lost) < minimumRowsPerClass else { return }
        throw InputError(
            .noTrainingData, at: InputLocation(file: file, column: column),
            "too few rows to train on: \(won) won and \(lost) lost; at least \(minimumRowsPerClass) of each are needed, or every column can separate the outcome by chance.",
            remedy: "Export more closed deals, with at least \(minimumRowsPerClass) won and \(minimumRowsPerClass) lost.")
    }

    static func requireFoldsFit(_ k: Int, rows: [Int], labels: [Double], file: String, column: String, key: OptionKey = .folds) throws(InputError) {
        let won = rows.reduce(0) { $0 + (labels[$1] > 0.5 ? 1 : 0) }, smaller = min(won, rows.count - won)
        // Stratified folds: each needs a row of each class to test on.
        guard k > smaller else { return }
        throw InputError(
            .badConfiguration, at: InputLocation(file: file, column: column),
            "\(k)-fold cross-validation needs at least \(k) rows of each outcome, and the file has \(smaller) \(smaller == won ? "won" : "lost").",
            remedy: "Set \(key.mention) between 2 and \(max(2, min(smaller, 10))) (5 or 10 is usual).")
    }

    static func requireUsableWeights(_ w: [Double], file: String, column: String) throws(InputError) {
        guard let low = w.min(), let high = w.max(), let mean = weightMean(w) else { return }
        guard high / low > maximumWeightRatio || !weightMeanRange.contains(mean) else { return }
        // The bounds are powers of ten: 1e-06, 1e+15, as a mean of 1e16 is written.
        func bound(_ v: Double) -> String { String(format: "%g", v) }
        throw InputError(
            .invalidValue, at: InputLocation(file: file, column: column),
            "the sample weights range from \(ModelNumber.text(low)) to \(ModelNumber.text(high)) (mean \(ModelNumber.text(mean))), beyond what the fit can use: their mean must lie between \(bound(weightMeanRange.lowerBound)) and \(bound(weightMeanRange.upperBound)), and the largest may be at most \(bound(maximumWeightRatio)) times the smallest.",
            remedy: "Rescale the weights to be near 1 (divide the column by its mean), clip extreme ones, or drop \(OptionKey.weight.mention).")
    }

    /// The mean of positive weights, nil for none: summed relative to the
    /// largest, so that neither 1e300 nor 1e-300 leaves the doubles.
    static func weightMean(_ w: [Double]) -> Double? {
        guard let high = w.max() else { return nil }
        return high * w.reduce(0) { $0 + $1 / high } / Double(w.count)
    }

    /// Sample weights whose mean is at least this are said to be large
    /// (`weightScaleNotice`): at a mean of 1,000 the standard errors are
    /// about 32 times (√1000) smaller than with the weights rescaled to a
    /// mean of 1.
    public static let largeWeightMean = 1e3

    /// A notice when the sample weights are large: the standard errors
    /// read them as counts of deals, and the penalty, λ against their total,
    /// is negligible. Amounts (deal sizes in a currency) are not counts.
    static func weightScaleNotice(_ w: [Double], column: String, l2: Double) -> String? {
        guard let mean = weightMean(w), mean >= largeWeightMean else { return nil }
        let penalty = l2 > 0 ? ", and the L2 penalty (\(ModelNumber.text(l2))) is negligible against their total, so the fit is in effect unpenalised" : ""
        return "The sample weights in \"\(column)\" average \(ModelNumber.text(mean)): the standard errors count each unit of weight as a deal\(penalty). If the weights are amounts rather than counts, divide the column by its mean."
    }

    static func requirePenaltyLeavesDataAVoice(l2: Double, dataWeight: Double, rows: Int, file: String) throws(InputError) {
        guard l2 > maximumPenaltyPerRow * dataWeight else { return }
        throw InputError(
            .badConfiguration, at: InputLocation(file: file),
            "the L2 penalty \(ModelNumber.text(l2)) swamps the \(ModelNumber.grouped(rows)) training rows (total weight \(ModelNumber.text(dataWeight))): every coefficient would be shrunk to almost 0, and the model would score every lead at the base rate.",
            remedy: "Set \(OptionKey.l2.mention) to at most \(ModelNumber.text(maximumPenaltyPerRow)) × the training rows' total weight (\(ModelNumber.text(maximumPenaltyPerRow * dataWeight))); 1, the default, suits most files.")
    }

    static func requireBothClasses(
        _ rows: [Int], labels: [Double], file: String, column: String, what: String,
        remedy: String = "Export lost deals as well as won ones, or check \(OptionKey.positive.mention)."
    ) throws(InputError) {
        guard !rows.isEmpty else {
            throw InputError(.noTrainingData, at: InputLocation(file: file), "no \(what) row has a won or lost outcome.", remedy: remedy)
        }
        let positives = rows.reduce(0) { $0 + (labels[$1] > 0.5 ? 1 : 0) }
        guard positives > 0, positives < rows.count else {
            throw InputError(
                .singleClass, at: InputLocation(file: file, column: column),
                "all \(rows.count) \(what) rows have the same outcome (\(positives > 0 ? "won" : "lost")); both won and lost deals are needed.",
                remedy: remedy)
        }
    }

    /// Rows dated before `cutoff` in `column` train; rows on or after it test.
    static func outOfTimeSplit(table: RawTable, rows: [Int], column: String, cutoff: String) throws(InputError) -> (before: [Int], after: [Int], undated: Int) {
        guard let c = table.index(of: column) else {
            throw InputError(
                .missingColumn, at: InputLocation(file: table.file, line: 1, column: column),
                "the out-of-time split names a date column the file does not have.", remedy: "Pass the name of a date column to \(OptionKey.timeColumn.mention).")
        }
        guard let days = table.columns[c].days else {
            throw InputError(
                .invalidValue, at: InputLocation(file: table.file, column: column),
                "the out-of-time split needs ISO 8601 dates (YYYY-MM-DD) in this column, and not every value is one.",
                remedy: "Choose a date column for \(OptionKey.timeColumn.mention), or fix the values.")
        }
        guard let cut = ValueParser.isoDate(cutoff) else {
            throw InputError(.badConfiguration, "the cutoff \"\(cutoff)\" is not an ISO 8601 date.", remedy: "Write \(OptionKey.testFrom.mention) as YYYY-MM-DD.")
        }
        var before: [Int] = [], after: [Int] = [], undated = 0
        for r in rows {
            if days[r] == Int.min { undated += 1 } else if days[r] < cut { before.append(r) } else { after.append(r) }
        }
        return (before, after, undated)
    }


    /// The model card's sentence on the penalty and the standard errors.
    static func penaltyNote(_ solver: SolverOptions) -> String {
        let lambda = solver.l2
        if lambda == 0 { return "Unpenalised maximum likelihood; standard errors from the inverse Hessian (as statsmodels Logit)." }
        let sklearn = "scikit-learn C = 1/λ = \(ModelNumber.text(1 / lambda))"
        if solver.l1Ratio == 0 {
            return "L2 penalty λ = \(ModelNumber.text(lambda)) on the standardised features, intercept unpenalised (\(sklearn)); standard errors from the inverse penalised Hessian."
        }
        let kind = solver.l1Ratio == 1 ? "L1 (lasso) penalty λ‖β‖₁" : "Elastic-net penalty λ[(1−α)/2‖β‖² + α‖β‖₁], α = \(ModelNumber.text(solver.l1Ratio)),"
        return "\(kind) with λ = \(ModelNumber.significant(lambda, 6)) on the standardised features, intercept unpenalised (scikit-learn C = 1/λ = \(ModelNumber.significant(1 / lambda, 6)), l1_ratio = \(ModelNumber.text(solver.l1Ratio))). Coefficients set to 0 have no standard error (written as 0); the others' are from the inverse penalised Hessian on the nonzero coefficients, conditional on which were kept, so they understate the uncertainty."
    }

    /// The model card's sentence on the bounds of monotone columns.
    static let monotoneNote =
        "Monotone columns: their value features' coefficients are bounded (≥ 0 increasing, ≤ 0 decreasing) and the coordinate-descent solver holds the bounds exactly; a coefficient held at 0 has no standard error (written as 0), and the others' are conditional on it, so they understate the uncertainty."

    static func explain(_ problem: DesignProblem, names: [String], file: String) -> InputError {
        func list(_ cols: [Int]) -> String { cols.map { "\"\(names[$0])\"" }.joined(separator: ", ") }
        switch problem {
        case .collinear(let cols):
            return InputError(
                .collinearity, at: InputLocation(file: file),
                "the unpenalised fit has no unique solution: \(list(cols)) \(cols.count == 1 ? "is" : "are") an exact linear combination of other features (a duplicate column, or one that is the sum of others).",
                remedy: "Exclude the column with \(OptionKey.exclude.mention), or fit with a penalty (\(OptionKey.l2.mention) 1, the default).")
        case .separation(let cols):
            return InputError(
                .separation, at: InputLocation(file: file),
                "the classes are (quasi-)completely separated\(cols.isEmpty ? "" : " by \(list(cols))"): the unpenalised likelihood has no maximum and the coefficients run off to infinity.",
                remedy: "Fit with a penalty (\(OptionKey.l2.mention) 1, the default), or exclude the column if it is filled in after the outcome.")
        case .singleClass:
            return InputError(.singleClass, at: InputLocation(file: file), "all training rows have the same outcome.", remedy: "Export both won and lost deals.")
        case .empty:
            return InputError(.noTrainingData, at: InputLocation(file: file), "no training rows.", remedy: "Check the file and \(OptionKey.target.mention).")
        }
    }
}
