import Foundation

/// What to train on and how.
public struct TrainingRequest: Sendable {
    /// The CSV export of closed deals.
    public var dataPath: String
    public var configuration: TrainingConfiguration
    /// A separate validation CSV (same columns); its metrics go into the
    /// model card as holdout metrics. Exclusive with a holdout fraction.
    public var validationPath: String?
    public var solver: SolverOptions

    public init(dataPath: String, configuration: TrainingConfiguration = TrainingConfiguration(), validationPath: String? = nil) {
        self.dataPath = dataPath
        self.configuration = configuration
        self.validationPath = validationPath
        self.solver = SolverOptions(
            l2: configuration.l2 ?? 1, classWeight: configuration.classWeight ?? .none)
    }
}

/// Progress callbacks: rows read so far and bytes consumed.
public typealias ProgressHandler = @Sendable (_ rows: Int, _ bytes: Int) -> Void

/// The training pipeline: read → infer the schema → split → learn the
/// encoders on the training rows → fit → diagnose → measure.
public enum Trainer {
    public static func train(_ request: TrainingRequest, progress: ProgressHandler? = nil) throws(InputError) -> ModelCard {
        let config = request.configuration
        let path = request.dataPath
        let missingMarkers = ValueParser.defaultMissingMarkers + (config.missingValues ?? [])
        let parser = ValueParser(missingMarkers: missingMarkers)
        let include = Set(config.include ?? [])
        let forcedCategorical = Set((config.types ?? [:]).filter { $0.value == .categorical || $0.value == .boolean }.keys)
        let maxLevels = config.maxCategoryLevels ?? TrainingConfiguration.defaultMaxCategoryLevels
        let table = try RawTable.read(
            path: path, parser: parser,
            levelCap: { include.contains($0) || forcedCategorical.contains($0) ? Int(UInt32.max - 1) : max(maxLevels, 2) + 1 },
            progress: progress.map { p in { p($0, $1) } })
        guard table.rowCount > 0 else {
            throw InputError(.noTrainingData, at: InputLocation(file: path), "the file has a header but no rows.", remedy: "Export the closed deals with their outcome.")
        }
        let schema = try SchemaInference.infer(table, config: config)
        var notices = schema.notices

        // Labels and weights; rows without an outcome are left out.
        let targetColumn = table.columns[schema.targetIndex]
        var labels = [Double](repeating: .nan, count: table.rowCount)
        var usable: [Int] = []
        for r in 0..<table.rowCount {
            if let l = schema.target.label(table.text(column: schema.targetIndex, row: r)) {
                labels[r] = l
                usable.append(r)
            }
        }
        let excluded = table.rowCount - usable.count
        if excluded > 0 {
            notices.append("\(excluded) rows have no outcome (missing, or open: \"\(targetColumn.name)\" neither \(schema.target.positive.joined(separator: "/")) nor \(schema.target.negative.isEmpty ? "lost" : schema.target.negative.joined(separator: "/"))): left out.")
        }
        var weights: [Double]? = nil
        if let w = schema.weightIndex, let numbers = table.columns[w].numbers {
            for r in usable where !(numbers[r] > 0) {
                throw InputError(
                    .invalidValue,
                    at: InputLocation(file: path, line: table.line(ofRow: r), column: table.columns[w].name, value: numbers[r].isNaN ? "" : ModelNumber.text(numbers[r])),
                    "sample weights must be positive numbers.", remedy: "Fix or remove this row, or drop --weight.")
            }
            weights = numbers
        }

        // Split.
        let holdoutFraction = config.holdout ?? 0
        let seed = config.seed ?? 42
        guard holdoutFraction >= 0, holdoutFraction < 1 else {
            throw InputError(.badConfiguration, "the holdout fraction must be at least 0 and below 1 (got \(holdoutFraction)).", remedy: "Use e.g. --holdout 0.3.")
        }
        if holdoutFraction > 0, request.validationPath != nil {
            throw InputError(.badConfiguration, "both a holdout fraction and a validation file were given.", remedy: "Use one of --holdout and --validation.")
        }
        let (trainRows, holdoutRows) = StratifiedSplit.split(rows: usable, labels: labels, fraction: holdoutFraction, seed: seed)
        let positives = trainRows.reduce(0) { $0 + (labels[$1] > 0.5 ? 1 : 0) }
        guard !trainRows.isEmpty else {
            throw InputError(.noTrainingData, at: InputLocation(file: path), "no row has a won or lost outcome.", remedy: "Check --target and --positive.")
        }
        guard positives > 0, positives < trainRows.count else {
            throw InputError(
                .singleClass, at: InputLocation(file: path, column: targetColumn.name),
                "all \(trainRows.count) training rows have the same outcome (\(positives > 0 ? "won" : "lost")); a model needs both won and lost deals.",
                remedy: "Export lost deals as well as won ones, or check --positive.")
        }

        // As-of date for date columns.
        var asOfDays: Int? = nil
        if let a = config.asOf {
            guard let d = ValueParser.isoDate(a) else {
                throw InputError(.badConfiguration, "the as-of date \"\(a)\" is not an ISO 8601 date.", remedy: "Write it as YYYY-MM-DD.")
            }
            asOfDays = d
        } else if schema.features.contains(where: { $0.kind == .date }) {
            asOfDays = schema.features.filter { $0.kind == .date }
                .compactMap { table.columns[$0.index].days?.filter { $0 != Int.min }.max() }.max()
            if let d = asOfDays {
                notices.append("Dates are turned into days before \(ValueParser.isoDateString(days: d)), the latest date in the file (set --as-of to choose).")
            }
        }

        // Encoders, design, diagnostics.
        let encoder = FeatureEncoder.fit(table: table, schema: schema, rows: trainRows, config: config, asOfDays: asOfDays, notices: &notices)
        guard encoder.featureCount > 0 else {
            throw InputError(.noTrainingData, at: InputLocation(file: path), "no usable feature column is left.", remedy: "Check --exclude and the notices above.")
        }
        let columnAUCs = LeakageCheck.columnAUCs(table: table, schema: schema, rows: trainRows, labels: labels)
        notices += LeakageCheck.notices(
            columnAUCs: columnAUCs, pureLevels: LeakageCheck.pureLevels(table: table, schema: schema, rows: trainRows, labels: labels))

        let x = encoder.design(table: table, rows: trainRows)
        let y = trainRows.map { labels[$0] }
        let sampleWeights = weights.map { w in trainRows.map { w[$0] } }
        if request.solver.l2 > 0 {
            // The penalised fit is well defined with collinear columns, but
            // their coefficients split one effect arbitrarily: say so.
            let dependent = LogisticRegression.collinearColumns(design: x, weights: sampleWeights ?? [Double](repeating: 1, count: x.rows))
            if !dependent.isEmpty {
                let names = encoder.featureNames
                notices.append(
                    "\(dependent.map { "\"\(names[$0])\"" }.joined(separator: ", ")) \(dependent.count == 1 ? "is" : "are") a linear combination of other features (a duplicated or derived column): the penalty keeps the fit stable, but the effect is shared between the columns involved, so read their coefficients together or exclude one with --exclude.")
            }
        }
        let fit: LogisticFit
        do {
            fit = try LogisticRegression.fit(design: x, labels: y, weights: sampleWeights, options: request.solver)
        } catch {
            throw explain(error, names: encoder.featureNames, file: path)
        }
        if !fit.converged {
            notices.append("The solver did not converge (\(fit.stopReason.rawValue) after \(fit.iterations) iterations, gradient norm \(fit.gradientNorm)). The coefficients may be inaccurate; a larger --l2 usually helps.")
        }

        let trainMetrics = metrics(x, fit: fit, labels: y)
        if let note = LeakageCheck.modelNotice(trainingAUC: trainMetrics.auc, columnAUCs: columnAUCs) { notices.append(note) }
        var holdoutMetrics: BinaryMetrics? = nil
        if !holdoutRows.isEmpty {
            holdoutMetrics = metrics(encoder.design(table: table, rows: holdoutRows), fit: fit, labels: holdoutRows.map { labels[$0] })
        }

        let q = encoder.featureCount
        let names = encoder.featureNames
        let columnOf = encoder.columns.flatMap { c in [String](repeating: c.column, count: c.featureCount) }
        var card = ModelCard(
            format: ModelCard.formatName, formatVersion: ModelCard.formatVersion,
            schema: ModelCard.Schema(
                target: schema.target, idColumns: schema.idIndices.map { table.columns[$0].name },
                missingValues: Array(parser.missingMarkers).sorted(), encoders: encoder,
                asOf: asOfDays.map(ValueParser.isoDateString(days:))),
            features: (0..<q).map {
                ModelCard.Feature(name: names[$0], column: columnOf[$0], coefficient: fit.coefficients[$0], standardError: fit.standardErrors[$0])
            },
            intercept: ModelCard.Coefficient(coefficient: fit.intercept, standardError: fit.standardErrors[q]),
            training: ModelCard.Training(
                source: ModelCard.Source(file: (path as NSString).lastPathComponent, sha256: try FileDigest.sha256(path: path)),
                fileRows: table.rowCount, rows: trainRows.count, positives: positives,
                baseRate: Double(positives) / Double(trainRows.count), holdoutRows: holdoutRows.count, excludedRows: excluded,
                options: ModelCard.Options(
                    l2: request.solver.l2, classWeight: request.solver.classWeight, sampleWeightColumn: config.weight,
                    minCategoryCount: config.minCategoryCount ?? TrainingConfiguration.defaultMinCategoryCount,
                    maxCategoryLevels: maxLevels, log1p: config.log1p ?? [], holdout: holdoutFraction, seed: seed,
                    excluded: config.exclude ?? []),
                solver: ModelCard.Solver(
                    method: "Newton (IRLS) with Armijo backtracking; Cholesky (LAPACK dpotrf/dpotrs)",
                    converged: fit.converged, stopReason: fit.stopReason, iterations: fit.iterations,
                    gradientNorm: fit.gradientNorm, gradientTolerance: request.solver.gradientTolerance,
                    logLikelihood: fit.logLikelihood, objective: fit.objective,
                    penaltyNote: request.solver.l2 == 0
                        ? "Unpenalised maximum likelihood; standard errors from the inverse Hessian (as statsmodels Logit)."
                        : "L2 penalty λ = \(ModelNumber.text(request.solver.l2)) on the standardised features, intercept unpenalised (scikit-learn C = 1/λ = \(ModelNumber.text(1 / request.solver.l2))); standard errors from the inverse penalised Hessian."),
                notices: notices),
            metrics: ModelCard.Metrics(training: trainMetrics, holdout: holdoutMetrics))

        if let validation = request.validationPath {
            let report = try Evaluator.evaluate(model: card, dataPath: validation, options: ScoringOptions())
            card.metrics.holdout = report.metrics
            card.training.holdoutRows = report.metrics.rows
            card.training.source.validationFile = (validation as NSString).lastPathComponent
            card.training.source.validationSHA256 = try FileDigest.sha256(path: validation)
        }
        return card
    }

    static func metrics(_ x: DenseMatrix, fit: LogisticFit, labels y: [Double]) -> BinaryMetrics {
        var eta = [Double](repeating: 0, count: x.rows)
        LogisticRegression.linearPredictor(x, fit.coefficients + [fit.intercept], into: &eta)
        return BinaryMetrics.compute(labels: y, probabilities: eta.map(sigmoid), logOdds: eta)
    }

    static func explain(_ problem: DesignProblem, names: [String], file: String) -> InputError {
        func list(_ cols: [Int]) -> String { cols.map { "\"\(names[$0])\"" }.joined(separator: ", ") }
        switch problem {
        case .collinear(let cols):
            return InputError(
                .collinearity, at: InputLocation(file: file),
                "the unpenalised fit has no unique solution: \(list(cols)) \(cols.count == 1 ? "is" : "are") an exact linear combination of other features (a duplicate column, or one that is the sum of others).",
                remedy: "Exclude the column with --exclude, or fit with a penalty (--l2 1, the default).")
        case .separation(let cols):
            return InputError(
                .separation, at: InputLocation(file: file),
                "the classes are (quasi-)completely separated\(cols.isEmpty ? "" : " by \(list(cols))"): the unpenalised likelihood has no maximum and the coefficients run off to infinity.",
                remedy: "Fit with a penalty (--l2 1, the default), or exclude the column if it is filled in after the outcome.")
        case .singleClass:
            return InputError(.singleClass, at: InputLocation(file: file), "all training rows have the same outcome.", remedy: "Export both won and lost deals.")
        case .empty:
            return InputError(.noTrainingData, at: InputLocation(file: file), "no training rows.", remedy: "Check the file and --target.")
        }
    }
}
