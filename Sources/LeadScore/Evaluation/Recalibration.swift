import Foundation

// Recalibration of a trained model on newer closed deals: `leadscore
// recalibrate`. The model's log-odds η (`LinearPredictor`, the same for the
// card before and after) are kept; a map from η to the probability is
// fitted on the deals' outcomes and stored in a copy of the card
// (`ModelCard.Calibration`), which every probability of that card then
// goes through (`ProbabilityMap`).
//
// The fits, on n deals with outcomes y_i ∈ {0, 1} and log-odds η_i:
// - intercept: a maximising Σ log-likelihood of σ(a + η_i), the root of
//   Σ y_i = Σ σ(a + η_i) (`LogisticRecalibration.offsetIntercept`;
//   statsmodels `Logit(y, 1, offset=η)`): the base rate moved, the spread
//   kept.
// - logistic: a, b of the unpenalised logistic regression of y on η with
//   an intercept (`LogisticRegression.fit`, l2 = 0; statsmodels
//   `Logit(y, [1, η])`), Platt's scaling on the log-odds. b must be
//   positive: b ≤ 0 would reverse the ranking, and is refused.
// - isotonic: the increasing isotonic regression of y on η
//   (`IsotonicCalibration.fit`; scikit-learn `IsotonicRegression(
//   out_of_bounds="clip")`), its values clipped to [1/(2n), 1 − 1/(2n)]
//   (`y_min`, `y_max`): a finite sample never warrants a probability of
//   exactly 0 or 1, and a log loss must stay finite.
// Each keeps Σ p_i = Σ y_i on the deals it was fitted on (the score
// equation of the intercept; PAVA's block means), but the isotonic map
// after clipping, by at most n·1/(2n) = ½ a deal.
//
// The default method is chosen by the smaller class (won or lost deals),
// m: intercept below `logisticMinimumPerClass` (100), logistic from it.
// One parameter needs few deals; the slope's Wald standard error is about
// 1/√(m·Var η) and at m = 100 is near 0.1, small enough to be worth
// fitting. Isotonic is never the default: its steps need many deals (it
// overfits below about a thousand, Niculescu-Mizil & Caruana 2005) and tie
// the leads of a flat step, so it is for large exports whose calibration
// curve is not logistic-shaped.
//
// Measurements (`ModelCard.Calibration.Figures`): before (the card's
// probabilities as it scored them), after in sample, and after out of
// sample by stratified k-fold cross-fitting (each fold scored by the map
// fitted on the others), so that an isotonic map is not judged on the
// deals it memorised.

/// Recalibrates a model card on closed deals.
public enum Recalibration {
    /// What to recalibrate, on which deals, and how.
    public struct Request: Sendable {
        /// The card and its file name (for messages).
        public var model: ModelCard
        public var modelPath: String
        /// The closed deals: a CSV with the model's columns and outcome.
        public var dataPath: String
        /// nil: `defaultMethod` for the deals.
        public var method: ModelCard.Calibration.Method?
        /// How the deals are read and scored (missing markers, as-of day).
        public var scoring: ScoringOptions
        /// Folds and seed of the cross-validated measurement.
        public var folds: Int
        public var seed: UInt64
        /// The day recorded (YYYY-MM-DD); nil: today (UTC).
        public var date: String?

        public init(
            model: ModelCard, modelPath: String, dataPath: String, method: ModelCard.Calibration.Method? = nil,
            scoring: ScoringOptions = ScoringOptions(reasons: 0), folds: Int = Recalibration.defaultFolds,
            seed: UInt64 = SeededGenerator.defaultSeed, date: String? = nil
        ) {
            self.model = model
            self.modelPath = modelPath
            self.dataPath = dataPath
            self.method = method
            self.scoring = scoring
            self.folds = folds
            self.seed = seed
            self.date = date
        }
    }

    /// The recalibrated card and what the user should be told.
    public struct Result: Sendable {
        public var card: ModelCard
        /// Whether the method was chosen by `defaultMethod`.
        public var methodWasDefault: Bool
        /// Sentences for the user (tiers not carried, a previous
        /// calibration replaced).
        public var notes: [String]
    }

    public static let defaultFolds = 5
    /// The smaller class from which the default method is logistic.
    public static let logisticMinimumPerClass = 100

    /// The fewest won and the fewest lost deals a method is fitted on: five
    /// per parameter for the logistic maps (training's floor,
    /// `Trainer.minimumRowsPerClass`, for one), and for the isotonic map
    /// enough that its steps are not single deals.
    public static func minimumPerClass(_ method: ModelCard.Calibration.Method) -> Int {
        switch method {
        case .intercept: return 5
        case .logistic: return 10
        case .isotonic: return 50
        }
    }

    /// Intercept below `logisticMinimumPerClass` deals of the smaller
    /// class, logistic from it (see the notes above).
    public static func defaultMethod(won: Int, lost: Int) -> ModelCard.Calibration.Method {
        min(won, lost) < logisticMinimumPerClass ? .intercept : .logistic
    }

    public static func run(_ request: Request) throws(InputError) -> Result {
        let card = request.model
        let file = request.dataPath, column = card.schema.target.column
        guard card.integrity == .verified else {
            throw InputError(
                .editedModel, at: InputLocation(file: request.modelPath),
                "only a model card whose checksum holds can be recalibrated; this one was changed after training or predates checksums, and the recalibrated copy would be checksummed anew, passing it off as trained.",
                remedy: "Retrain the model with `leadscore train`, or restore the file from version control, and recalibrate that.")
        }
        // The card's own probabilities (before) and its log-odds η.
        let leads = try LabelledLeads.read(
            path: file, outcome: .known(card.schema.target), scorers: [.model(path: request.modelPath, card)], options: request.scoring)
        let y = leads.labels, eta = leads.logOdds[0]
        let won = leads.positives, lost = y.count - won
        let method = request.method ?? defaultMethod(won: won, lost: lost)
        let minimum = minimumPerClass(method)
        guard won > 0, lost > 0 else {
            throw InputError(
                .singleClass, at: InputLocation(file: file, column: column),
                "the file has \(y.count) rows with an outcome, \(won) of them won; a recalibration needs both won and lost deals.",
                remedy: "Recalibrate on closed deals with both outcomes (rows whose outcome is missing or open are left out).")
        }
        guard min(won, lost) >= minimum else {
            throw InputError(
                .noTrainingData, at: InputLocation(file: file, column: column),
                "too few deals to recalibrate by the \(method.rawValue) method: \(won) won and \(lost) lost; it needs at least \(minimum) of each.",
                remedy: method == .intercept
                    ? "Export more closed deals."
                    : "Export more closed deals, or choose a method with fewer parameters (\(OptionKey.calibrationMethod.mention) intercept needs \(minimumPerClass(.intercept)) of each).")
        }
        let map = try fit(method, logOdds: eta, labels: y, file: file, column: column)

        // Out of sample: each fold by the map fitted on the others.
        guard request.folds >= 2 else {
            throw InputError(
                .badConfiguration, "a recalibration is measured out of sample over at least 2 folds; \(request.folds) were asked for.",
                remedy: "Ask for \(defaultFolds) folds, the default.")
        }
        var crossValidated: ModelCard.Calibration.Figures? = nil
        let folds = StratifiedSplit.folds(rows: Array(y.indices), labels: y, k: request.folds, seed: request.seed)
        var outOfFold = (logOdds: [Double](repeating: .nan, count: y.count), probabilities: [Double](repeating: .nan, count: y.count))
        var complete = true
        for (fitRows, testRows) in folds {
            guard let foldMap = try? fit(method, logOdds: fitRows.map { eta[$0] }, labels: fitRows.map { y[$0] }, file: file, column: column) else {
                complete = false
                break
            }
            for i in testRows {
                outOfFold.logOdds[i] = foldMap.logOdds(eta[i])
                outOfFold.probabilities[i] = foldMap.probability(logOdds: eta[i])
            }
        }
        if complete {
            crossValidated = .measure(labels: y, logOdds: outOfFold.logOdds, probabilities: outOfFold.probabilities)
        }
        let before = ModelCard.Calibration.Figures.measure(
            labels: y, logOdds: eta.map(card.probabilityMap.logOdds), probabilities: leads.probabilities[0])
        let after = ModelCard.Calibration.Figures.measure(
            labels: y, logOdds: eta.map(map.logOdds), probabilities: eta.map { map.probability(logOdds: $0) })

        var notes: [String] = []
        var out = card
        if let previous = card.calibration {
            notes.append(
                "The card was recalibrated before (\(previous.method.rawValue), on \(previous.data.file)): the new map replaces it, fitted to the model's log-odds as trained.")
        }
        if let tiers = card.tiers {
            out.tiers = nil
            notes.append(
                "The card's tiers (\(tiers.description)) were chosen on its probabilities before this recalibration and are not carried to the new card: choose them again on it with `leadscore thresholds`, or pass them to score and evaluate with \(OptionKey.tiers.mention).")
        }
        let date = request.date ?? ValueParser.today
        let calibration = ModelCard.Calibration(
            method: method, map: map, date: date,
            data: .init(
                file: (file as NSString).lastPathComponent, sha256: try FileDigest.sha256(path: file), fileRows: leads.fileRows, rows: y.count,
                positives: won, excludedRows: leads.excluded),
            before: before, after: after, crossValidated: crossValidated, crossValidationFolds: request.folds, seed: request.seed)
        out.calibration = calibration
        out.training.notices.append(
            "Recalibrated on \(date) by the \(method.rawValue) method on \(ModelNumber.grouped(y.count)) deals of \(calibration.data.file) (SHA-256 \(calibration.data.sha256.prefix(16))…): p = \(calibration.formula).")
        out.formatVersion = out.requiredFormatVersion
        return Result(card: out, methodWasDefault: request.method == nil, notes: notes)
    }

    /// The map of `method` fitted to log-odds `eta` and outcomes `y` (both
    /// classes present; see the notes above for each fit).
    static func fit(
        _ method: ModelCard.Calibration.Method, logOdds eta: [Double], labels y: [Double], file: String, column: String
    ) throws(InputError) -> ProbabilityMap {
        switch method {
        case .intercept:
            let a = LogisticRecalibration.offsetIntercept(labels: y, offsets: eta)
            guard a.isFinite else { throw unfittable(method, "the intercept has no finite maximum-likelihood value", file: file, column: column) }
            return .logistic(intercept: a, slope: 1)
        case .logistic:
            let fit: LogisticFit
            do {
                fit = try LogisticRegression.fit(
                    design: DenseMatrix(rows: eta.count, columns: 1, values: eta), labels: y, options: SolverOptions(l2: 0))
            } catch {
                throw unfittable(method, "the model's log-odds separate the won from the lost deals completely, or are all equal", file: file, column: column)
            }
            guard fit.converged, fit.intercept.isFinite, fit.coefficients[0].isFinite else {
                throw unfittable(method, "the fit did not converge", file: file, column: column)
            }
            guard fit.coefficients[0] > 0 else {
                throw InputError(
                    .invalidValue, at: InputLocation(file: file, column: column),
                    "on these deals the model's log-odds rank the outcomes the wrong way round (the calibration slope is \(ModelNumber.fixed(fit.coefficients[0], 3)), not positive): a recalibration keeps the model's ranking, and this one does not hold here.",
                    remedy: "Retrain the model on recent deals with `leadscore train` rather than recalibrate it.")
            }
            return .logistic(intercept: fit.intercept, slope: fit.coefficients[0])
        case .isotonic:
            let steps: IsotonicCalibration
            do { steps = try IsotonicCalibration.fit(scores: eta, labels: y) } catch {
                throw unfittable(method, "a log-odds value is not a finite number", file: file, column: column)
            }
            return .isotonic(steps.clipped(floor: 1 / (2 * Double(y.count))))
        }
    }

    static func unfittable(_ method: ModelCard.Calibration.Method, _ why: String, file: String, column: String) -> InputError {
        InputError(
            .noTrainingData, at: InputLocation(file: file, column: column),
            "the \(method.rawValue) recalibration cannot be fitted on these deals: \(why).",
            remedy: "Recalibrate on more closed deals, or with \(OptionKey.calibrationMethod.mention) intercept.")
    }
}

extension ModelCard.Calibration.Figures {
    /// The figures of probabilities `p` (whose log-odds are `logOdds`,
    /// for the log loss; `logisticLoss`) against outcomes `labels`
    /// (`CalibrationReport` with 10 bins, `BinaryMetrics`):
    /// - calibration-in-the-large ȳ − p̄, its interval the Wilson 95%
    ///   interval of ȳ less p̄;
    /// - the calibration intercept a (logit P = a + logit p) with its Wald
    ///   interval a ± z/√(Σ μ_i(1 − μ_i)), μ_i = σ(a + logit p_i);
    /// - the calibration slope b with its Wald interval b ± z·SE.
    public static func measure(labels y: [Double], logOdds: [Double], probabilities p: [Double]) -> Self {
        let report = CalibrationReport.compute(labels: y, probabilities: p)
        let metrics = BinaryMetrics.compute(labels: y, probabilities: p, logOdds: logOdds)
        let z = CalibrationSupport.z
        let (lower, upper) = CalibrationSupport.wilson(positives: report.positives, count: report.rows)
        let r = report.recalibration
        var intercept: ModelCard.Calibration.Estimate? = nil
        if r.offsetIntercept.isFinite {
            var information = 0.0
            for v in p {
                let q = min(max(v, LogisticRecalibration.clip), 1 - LogisticRecalibration.clip)
                let mu = sigmoid(r.offsetIntercept + log(q / (1 - q)))
                information += mu * (1 - mu)
            }
            let half = z / information.squareRoot()
            intercept = .init(value: r.offsetIntercept, lower: r.offsetIntercept - half, upper: r.offsetIntercept + half)
        }
        let slope: ModelCard.Calibration.Estimate? =
            r.slope.isFinite && r.slopeStandardError.isFinite
            ? .init(value: r.slope, lower: r.slope - z * r.slopeStandardError, upper: r.slope + z * r.slopeStandardError) : nil
        return Self(
            rows: report.rows, positives: report.positives, meanPredicted: report.meanPredicted, observedRate: report.observedRate,
            calibrationInTheLarge: .init(value: report.calibrationInTheLarge, lower: lower - report.meanPredicted, upper: upper - report.meanPredicted),
            calibrationIntercept: intercept, calibrationSlope: slope, eceWidth: report.equalWidth.ece, eceCount: report.equalCount.ece,
            brier: metrics.brier, logLoss: metrics.logLoss)
    }
}

extension Recalibration.Result {
    /// The report as JSON (format `leadscore-recalibration`, version 1):
    /// `model`, the card recalibrated, and `calibration`, what the new card
    /// stores (`ModelCard.Calibration`: method, parameters, the deals,
    /// the figures before, after and cross-validated).
    public func jsonData(model: String) throws(InputError) -> Data {
        struct Report: Encodable {
            var format = "leadscore-recalibration"
            var formatVersion = 1
            var model: String
            var calibration: ModelCard.Calibration?
        }
        return try JSONOutput.data(
            Report(model: (model as NSString).lastPathComponent, calibration: card.calibration), nonFiniteAsStrings: true, what: "the recalibration report")
    }
}
