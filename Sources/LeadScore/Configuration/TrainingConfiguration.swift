import Foundation

/// The type LeadScore gives a column's values.
public enum ColumnKind: String, Codable, Sendable, CaseIterable {
    case numeric, boolean, categorical, date
}

/// Which numeric and date columns get a natural cubic spline
/// (`TrainingConfiguration.splines`).
public enum SplineMode: String, Codable, Sendable, CaseIterable {
    /// Only the columns named in `spline`.
    case none
    /// Every numeric and date column with enough distinct values.
    case auto
}

/// The knots a spline may have (`NaturalSpline`): K from 3 to 7, as
/// Harrell's tables of knot quantiles; 5 when none are given.
public enum SplineKnots {
    public static let allowed = 3...7
    public static let standard = 5
}

/// How sample weights are adjusted for class imbalance.
public enum ClassWeight: String, Codable, Sendable, CaseIterable {
    /// Every row counts with its sample weight (1 when none is given).
    case none
    /// Rows of class c are multiplied by n / (2 n_c), so both classes carry
    /// equal total weight (scikit-learn's "balanced").
    case balanced
}

/// The penalty of the fit (`LogisticRegression`): λ[(1−α)/2‖β‖² + α‖β‖₁]
/// with α = 0 (`l2`), 1 (`l1`, the lasso) or `l1Ratio` (`elasticnet`).
public enum PenaltyKind: String, Codable, Sendable, CaseIterable {
    case l2, l1, elasticnet
}

/// What cross-validation of the penalty minimises (`PenaltyPath`): the
/// out-of-fold deviance, or 1 − AUC.
public enum CVMetric: String, Codable, Sendable, CaseIterable {
    case deviance, auc
}

/// Which λ of the cross-validated path is chosen (`PenaltyPath`): the best
/// mean, or the largest λ whose mean is within one standard error of it
/// (Breiman et al. 1984; glmnet's lambda.1se).
public enum CVRule: String, Codable, Sendable, CaseIterable {
    case min
    case oneStandardError = "1se"
}

/// How a training run reads its CSV: roles, types and encoding choices.
///
/// Every field is optional: what is absent is inferred from the data (see
/// `SchemaInference`). It is read from a JSON file (`--config FILE`) and
/// command-line flags override it field by field. The format, with every
/// key shown:
///
/// ```json
/// {
///   "formatVersion": 1,
///   "target": "Stage",
///   "positive": ["Closed Won"],
///   "negative": ["Closed Lost"],
///   "ids": ["Deal ID"],
///   "exclude": ["Created Date"],
///   "include": [],
///   "types": {"Company Size": "categorical"},
///   "missingValues": ["Select"],
///   "log1p": ["Email Clicks"],
///   "weight": "Deal Weight",
///   "minCategoryCount": 30,
///   "maxCategoryLevels": 50,
///   "asOf": "2026-06-30",
///   "measuredOn": {"Days Since Last Activity": "2026-06-30"},
///   "l2": 1.0,
///   "penalty": "l2",
///   "l1Ratio": 0.5,
///   "cv": 5,
///   "cvMetric": "deviance",
///   "cvRule": "min",
///   "classWeight": "none",
///   "priorCorrection": true,
///   "populationRate": 0.05,
///   "holdout": 0.3,
///   "seed": 42,
///   "timeColumn": "Created Date",
///   "testFrom": "2026-01-01",
///   "folds": 5,
///   "leakageThreshold": 0.9,
///   "allowLeakage": [],
///   "fit": ["Industry", "Company Size", "Job Level"],
///   "engagement": ["Pricing Page Visits", "Demo Requested"],
///   "dateFormats": {"Last Activity Date": "DD/MM/YYYY"},
///   "amountFormats": {"Amount": "1.234,56"},
///   "closedColumn": "IsClosed",
///   "spline": ["Total Time Spent on Website", "Last Activity Date:4"],
///   "splines": "auto",
///   "interactions": ["Lead Source*Country"],
///   "autoInteractions": 10
/// }
///
/// At most one of `holdout`, `timeColumn`/`testFrom` and `folds` is used.
/// ```
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// The newest configuration format this version reads.
    public static let currentFormatVersion = 1

    public var formatVersion: Int?
    /// The outcome column.
    public var target: String?
    /// Target values that mean won (converted). Compared after trimming.
    public var positive: [String]?
    /// Target values that mean lost. Rows whose target is neither positive
    /// nor negative (open deals) are left out and counted.
    public var negative: [String]?
    /// Identifier columns: passed through to scored output, never features.
    public var ids: [String]?
    /// Columns never used.
    public var exclude: [String]?
    /// High-cardinality text columns to one-hot encode anyway.
    public var include: [String]?
    /// Forced column types.
    public var types: [String: ColumnKind]?
    /// Extra values meaning missing, added to the defaults
    /// (`ValueParser.defaultMissingMarkers`).
    public var missingValues: [String]?
    /// Numeric columns transformed by sign(x)·log1p(|x|) before standardising.
    public var log1p: [String]?
    /// A column of positive sample weights.
    public var weight: String?
    /// A category level is kept if at least this many training rows have it;
    /// rarer levels are pooled into "(other)". Default 30.
    public var minCategoryCount: Int?
    /// A text column with more distinct values than this is treated as free
    /// text or an identifier and left out with a notice, unless listed in
    /// `include`. Default 50.
    public var maxCategoryLevels: Int?
    /// Reference date (YYYY-MM-DD) for date columns: a date becomes the
    /// number of days before it. Default: the latest date in the file.
    public var asOf: String?
    /// Days-since columns and the day each was measured (YYYY-MM-DD):
    /// `{"Days Since Last Activity": "2026-06-30"}` says the column counts
    /// the days up to 2026-06-30, the export date. Training reads the
    /// values as they are; the model card keeps the dates
    /// (`ModelCard.Schema.measuredOn`), so that scoring as of a later day
    /// adds the days between (`DaysSince`). Each column must be a numeric
    /// feature: not the outcome, an id, the weight, left out, or given
    /// another type.
    public var measuredOn: [String: String]?
    /// λ, the L2 penalty (λ = 1/C for scikit-learn's C). Default
    /// `defaultL2`.
    public var l2: Double?
    /// The kind of penalty, λ[(1−α)/2‖β‖² + α‖β‖₁] with λ = `l2` (or
    /// chosen by `cv`): `l2` (α = 0), `l1` (α = 1) or `elasticnet` (α =
    /// `l1Ratio`, or chosen by `cv` among `PenaltyPath.l1Ratios`). Default
    /// `l2`.
    public var penalty: PenaltyKind?
    /// α of the elastic net, in [0, 1] (scikit-learn's `l1_ratio`); only
    /// with `penalty` `elasticnet`.
    public var l1Ratio: Double?
    /// Choose λ (and, for the elastic net without `l1Ratio`, α) by k-fold
    /// stratified cross-validation on the training rows (k ≥ 2), seeded
    /// by `seed`, then refit on all of them (`PenaltyPath`). Exclusive with
    /// `l2`.
    public var cv: Int?
    /// What the cross-validation minimises; default `deviance`.
    public var cvMetric: CVMetric?
    /// Which λ it chooses; default `min`.
    public var cvRule: CVRule?
    /// Default `.none`.
    public var classWeight: ClassWeight?
    /// Correct the intercept for the rate of won deals the fit saw when it
    /// is not the population's (`PriorCorrection`): with balanced class
    /// weights, or a `populationRate`. Default true; false keeps the
    /// intercept as fitted.
    public var priorCorrection: Bool?
    /// τ, the rate of won deals of the leads the model will score, when
    /// the training rows were sampled with another rate (fewer lost deals
    /// exported than there were), above 0 and below 1. Default: the
    /// training rows' own rate.
    public var populationRate: Double?
    /// Fraction of rows held out (stratified by outcome, seeded) for
    /// validation metrics. Default 0 (none).
    public var holdout: Double?
    /// The seed of the holdout split and the folds. Default
    /// `SeededGenerator.defaultSeed`.
    public var seed: UInt64?
    /// Out-of-time validation: a date column, and the first date of the
    /// test period (rows dated before it train, the rest test).
    public var timeColumn: String?
    public var testFrom: String?
    /// Stratified k-fold cross-validation (k ≥ 2).
    public var folds: Int?
    /// A column whose AUC alone reaches this value stops training as likely
    /// leakage (default 0.90, `LeakageCheck.defaultStopThreshold`) unless listed in `allowLeakage` ("*": all).
    public var leakageThreshold: Double?
    public var allowLeakage: [String]?
    /// Feature columns that say who the lead is, and those that say what it
    /// did (`FeatureGroup`). Given (either), every feature column must be
    /// in exactly one of them, and the model splits its log-odds into a fit
    /// and an engagement part, with 0–100 sub-scores and a grid
    /// (`FitEngagement.swift`).
    public var fit: [String]?
    public var engagement: [String]?
    /// A column whose values (a region, a product line) each get a model
    /// of their own, fitted with shrinkage toward the global model
    /// (`SegmentModels`).
    public var segment: String?
    /// λ_s, the penalty on a segment model's distance from the global
    /// model, ‖β_s − β_g‖²/2 (`SegmentModels`); default: chosen by
    /// cross-validation over `SegmentModels.lambdaGrid`.
    public var segmentL2: Double?
    /// Segments with fewer won (or lost) training deals use the global
    /// model. Default `defaultMinConversions`.
    public var minConversions: Int?
    /// The format of columns of dates written month first or day first,
    /// when their values do not decide it (every first and second field at
    /// most 12): `{"Create Date": "MM/DD/YYYY"}` (`DateFormat`). Other
    /// columns' formats are decided from their values.
    public var dateFormats: [String: DateFormat]?
    /// The format of columns of amounts (`$18,111.00`, `18.111,00 €`):
    /// `{"Amount": "1,234.56"}` (`AmountFormat`). Other columns' formats
    /// are decided from their values.
    public var amountFormats: [String: AmountFormat]?
    /// A column that says whether each deal is closed (Salesforce's
    /// `IsClosed`), for an outcome that is false for open deals as well as
    /// lost ones (`IsWon`): rows where it is not true are open, left out.
    /// Default: a boolean column named IsClosed, Is Closed or Closed, when
    /// the outcome is a boolean column named IsWon, Is Won or Won
    /// (`TargetSpec.closedColumn`).
    public var closedColumn: String?
    /// Numeric or date columns whose effect is a natural cubic spline
    /// (`NaturalSpline`), each "COLUMN" (5 knots) or "COLUMN:K" with K from
    /// 3 to 7. An entry ending in a colon and digits is always read as
    /// COLUMN:K (a column named "Score:2" is written "Score:2:5").
    public var spline: [String]?
    /// `auto`: a spline (5 knots) for every numeric and date column with
    /// enough distinct values, besides those in `spline`; `none`
    /// (default): only those in `spline`.
    public var splines: SplineMode?
    /// Numeric columns whose effect may only rise ("increasing") or only
    /// fall ("decreasing") with the value, by column name
    /// (`MonotoneDirection`; how it is enforced: `NaturalSpline`).
    public var monotone: [String: String]?
    /// Pair terms asked for by name, each "A*B" (two feature columns,
    /// `PairEncoder`).
    public var interactions: [String]?
    /// Screen the column pairs on the training rows and add at most this
    /// many pair terms, those whose addition lowers the cross-validated
    /// deviance (`Trainer+Interactions.swift`); nil: no screen.
    public var autoInteractions: Int?

    /// The most pairs the automatic screen adds when no number is given.
    public static let defaultAutoInteractions = 10

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case formatVersion, target, positive, negative, ids, exclude, include, types, missingValues, log1p, weight
        case minCategoryCount, maxCategoryLevels, asOf, l2, classWeight, holdout, seed
        case timeColumn, testFrom, folds, leakageThreshold, allowLeakage, measuredOn
        case fit, engagement, priorCorrection, populationRate
        case segment, segmentL2, minConversions
        case penalty, l1Ratio, cv, cvMetric, cvRule
        case dateFormats, amountFormats, closedColumn
        case spline, splines, monotone
        case interactions, autoInteractions
        static var allKeys: [String] { allCases.map(\.rawValue) }
    }

    public static let defaultMinCategoryCount = 30
    public static let defaultMaxCategoryLevels = 50
    /// λ = 1, scikit-learn's C = 1: a mild penalty on the standardised
    /// coefficients that keeps the fit defined under separation and
    /// collinearity and barely moves well-determined coefficients.
    public static let defaultL2 = 1.0
    /// Segments with fewer won (or lost) training deals than this use the
    /// global model (`SegmentModels`): about ten per coefficient of a
    /// small model.
    public static let defaultMinConversions = 100

    // The values a training run uses: the field when set, else its default.
    // Every reader of the configuration goes through these, so each default
    // is written once.
    public var effectiveL2: Double { l2 ?? Self.defaultL2 }
    public var effectiveClassWeight: ClassWeight { classWeight ?? .none }
    public var effectivePenalty: PenaltyKind { penalty ?? .l2 }
    /// α of the fit: 0, 1, or `l1Ratio` for the elastic net (0.5 when it
    /// is left to cross-validation, which chooses it).
    public var effectiveL1Ratio: Double {
        switch effectivePenalty {
        case .l2: 0
        case .l1: 1
        case .elasticnet: l1Ratio ?? 0.5
        }
    }
    public var effectiveCVMetric: CVMetric { cvMetric ?? .deviance }
    public var effectiveCVRule: CVRule { cvRule ?? .min }
    public var effectivePriorCorrection: Bool { priorCorrection ?? true }
    public var effectiveSeed: UInt64 { seed ?? SeededGenerator.defaultSeed }
    public var effectiveMinCategoryCount: Int { minCategoryCount ?? Self.defaultMinCategoryCount }
    public var effectiveMaxCategoryLevels: Int { maxCategoryLevels ?? Self.defaultMaxCategoryLevels }
    public var effectiveMinConversions: Int { minConversions ?? Self.defaultMinConversions }

    /// A `spline` entry: its column, and its knots when it gives them
    /// ("COLUMN:K", K all digits).
    public static func splineEntry(_ entry: String) -> (column: String, knots: Int?) {
        guard let colon = entry.lastIndex(of: ":") else { return (entry, nil) }
        let digits = entry[entry.index(after: colon)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), colon != entry.startIndex else { return (entry, nil) }
        return (String(entry[..<colon]), Int(digits) ?? Int.max)
    }

    /// The knots of `column`'s spline: its `spline` entry's (the last, if
    /// named twice), else `SplineKnots.standard` with `splines`
    /// `auto`; nil for a linear column. Only numeric and date columns are
    /// asked (`SchemaInference` refuses an entry naming another).
    public func splineKnots(column: String) -> Int? {
        let named = (spline ?? []).map(Self.splineEntry).last { $0.column == column }
        if let named { return named.knots ?? SplineKnots.standard }
        return splines == .auto ? SplineKnots.standard : nil
    }

    /// The direction `column` is held to (`monotone`), or nil.
    public func monotoneDirection(column: String) -> MonotoneDirection? {
        monotone?[column].flatMap(MonotoneDirection.init(rawValue:))
    }

    /// Reads a configuration file. Refused with a message naming the key:
    /// malformed JSON, an unknown key (a typo would otherwise be silently
    /// ignored), a wrong value type, or a newer format version.
    public static func load(path: String) throws(InputError) -> TrainingConfiguration {
        let data = try InputFile.read(path: path, what: "the configuration file", remedy: "Check the configuration file's path.")
        let config: TrainingConfiguration
        do { config = try JSONDecoder().decode(TrainingConfiguration.self, from: data) } catch {
            throw InputError(
                .badConfiguration, at: InputLocation(file: path),
                "the configuration is not valid: \(JSONErrorText.describe(error)).",
                remedy: "Fix the file; its format is documented in the README under \"Configuration\".")
        }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let known = Set(CodingKeys.allKeys)
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: path, column: unknown),
                    "unknown configuration key \"\(unknown)\".",
                    remedy: "Known keys: \(CodingKeys.allKeys.joined(separator: ", ")).")
            }
        }
        try config.validate(source: path)
        if let v = config.formatVersion, v > currentFormatVersion {
            throw InputError(
                .badConfiguration, at: InputLocation(file: path),
                "the configuration has formatVersion \(v), newer than this LeadScore understands (\(currentFormatVersion)).",
                remedy: "Upgrade LeadScore, or write the file in format version \(currentFormatVersion).")
        }
        return config
    }

    /// Checks every value's range; `file` names the configuration file (or
    /// the flags) in the message.
    public func validate(source: String) throws(InputError) {
        func bad(_ key: String, _ value: String, _ rule: String) -> InputError {
            InputError(.badConfiguration, at: InputLocation(file: source, value: value), "\(key) must be \(rule).", remedy: "Fix \(key) and run again.")
        }
        if let v = l2, !(v >= 0 && v.isFinite) { throw bad("l2", "\(v)", "a number of at least 0") }
        if let v = holdout, !(v >= 0 && v < 1) { throw bad("holdout", "\(v)", "at least 0 and below 1") }
        if let v = folds, v < 2 { throw bad("folds", "\(v)", "at least 2") }
        try requirePenaltyOptionsFit(source: source)
        if let v = populationRate, !(v > 0 && v < 1) { throw bad("populationRate", "\(v)", "above 0 and below 1") }
        if let v = segmentL2, !(v >= 0 && v.isFinite) { throw bad("segmentL2", "\(v)", "a number of at least 0") }
        if let v = minConversions, v < 1 { throw bad("minConversions", "\(v)", "at least 1") }
        if let v = minCategoryCount, v < 1 { throw bad("minCategoryCount", "\(v)", "at least 1") }
        if let v = autoInteractions, v < 1 { throw bad("autoInteractions", "\(v)", "at least 1") }
        if let v = maxCategoryLevels, v < 2 { throw bad("maxCategoryLevels", "\(v)", "at least 2") }
        if let v = leakageThreshold, !(v > 0.5 && v <= 1) { throw bad("leakageThreshold", "\(v)", "above 0.5 and at most 1") }
        if let v = asOf, ValueParser.isoDate(v) == nil { throw bad("asOf", v, "an ISO 8601 date (YYYY-MM-DD)") }
        if let v = testFrom, ValueParser.isoDate(v) == nil { throw bad("testFrom", v, "an ISO 8601 date (YYYY-MM-DD)") }
        for entry in spline ?? [] {
            if let k = Self.splineEntry(entry).knots, !SplineKnots.allowed.contains(k) {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: source, column: Self.splineEntry(entry).column, value: entry),
                    "spline must name a column, optionally with its knots as COLUMN:K, K from \(SplineKnots.allowed.lowerBound) to \(SplineKnots.allowed.upperBound).",
                    remedy: "Give \(SplineKnots.allowed.lowerBound) to \(SplineKnots.allowed.upperBound) knots (\(SplineKnots.standard), the default, suits most columns).")
            }
        }
        for (column, word) in (monotone ?? [:]).sorted(by: { $0.key < $1.key }) where MonotoneDirection(rawValue: word) == nil {
            throw InputError(
                .badConfiguration, at: InputLocation(file: source, column: column, value: word),
                "monotone gives \"\(column)\" the direction \"\(word)\"; a direction is \(MonotoneDirection.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")).",
                remedy: "Write \(OptionKey.monotone.mention) \"\(column):increasing\" (more never lowers the score) or \"\(column):decreasing\".")
        }
        if let target { try Self.requireTargetIsNotOtherwiseUsed(target, config: self, source: source) }
        try requireGroupsAreFeatures(source: source)
        try requireMeasuredColumnsAreDayCounts(source: source)
    }

    /// Each `measuredOn` entry names an ISO date, and a column that can be a
    /// numeric feature: one the configuration gives another role or type
    /// would never be aged.
    func requireMeasuredColumnsAreDayCounts(source: String) throws(InputError) {
        // The key as the configuration file writes it, as `validate` names
        // the others.
        let key = "measuredOn"
        for (column, date) in (measuredOn ?? [:]).sorted(by: { $0.key < $1.key }) {
            let at = InputLocation(file: source, column: column, value: date)
            guard ValueParser.isoDate(date) != nil else {
                throw InputError(
                    .badConfiguration, at: at, "\(key) must give the day the column was measured as an ISO 8601 date (YYYY-MM-DD).",
                    remedy: "Write the date the column's days were counted up to (usually the export date), e.g. \"2026-06-30\".")
            }
            let roles: [(OptionKey, Bool)] = [
                (.target, target == column), (.ids, (ids ?? []).contains(column)), (.exclude, (exclude ?? []).contains(column)),
                (.weight, weight == column), (.timeColumn, timeColumn == column),
            ]
            if let (role, _) = roles.first(where: { $0.1 }) {
                throw InputError(
                    .badConfiguration, at: at,
                    "\(key) names a column that is also given as \(role.mention): only a numeric feature, a count of days, can be aged to the scoring date.",
                    remedy: "Remove \"\(column)\" from \(key), or from \(role.mention).")
            }
            if let kind = types?[column], kind != .numeric {
                throw InputError(
                    .badConfiguration, at: at,
                    "\(key) names a column declared \(kind.rawValue) (\(OptionKey.types.mention)); a measurement date applies to a numeric count of days.",
                    remedy: "Declare \"\(column)\" numeric, or remove it from \(key).")
            }
        }
    }

    /// `l1Ratio` in [0, 1] and only for the elastic net, which needs it
    /// unless `cv` chooses it; `cv` at least 2 and not beside `l2` (which it
    /// chooses); `cvMetric` and `cvRule` only with `cv`.
    func requirePenaltyOptionsFit(source: String) throws(InputError) {
        if let v = l1Ratio {
            guard v >= 0 && v <= 1 else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: source, value: ModelNumber.text(v)),
                    "\(OptionKey.l1Ratio.mention) must lie between 0 (the L2 penalty) and 1 (the lasso).", remedy: "Give a ratio such as 0.5.")
            }
            guard effectivePenalty == .elasticnet else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: source, value: ModelNumber.text(v)),
                    "\(OptionKey.l1Ratio.mention) is the mix of the elastic net, and the penalty is \(effectivePenalty.rawValue).",
                    remedy: "Set \(OptionKey.penalty.mention) to elasticnet, or drop \(OptionKey.l1Ratio.mention).")
            }
        }
        if effectivePenalty == .elasticnet && l1Ratio == nil && cv == nil {
            throw InputError(
                .badConfiguration, at: InputLocation(file: source, value: "elasticnet"),
                "the elastic net needs its mix α: \(OptionKey.l1Ratio.mention), or \(OptionKey.cv.mention) to choose it by cross-validation.",
                remedy: "Add \(OptionKey.l1Ratio.mention) 0.5, or \(OptionKey.cv.mention) 5.")
        }
        if let k = cv {
            guard k >= 2 else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: source, value: "\(k)"),
                    "\(OptionKey.cv.mention) must be at least 2 folds.", remedy: "Use 5 or 10.")
            }
            if let v = l2 {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: source, value: ModelNumber.text(v)),
                    "\(OptionKey.cv.mention) chooses λ, and \(OptionKey.l2.mention) gives it.",
                    remedy: "Drop \(OptionKey.l2.mention) to let cross-validation choose λ, or drop \(OptionKey.cv.mention) to fit with the λ given.")
            }
        } else {
            for (key, set) in [(OptionKey.cvMetric, cvMetric != nil), (.cvRule, cvRule != nil)] where set {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: source),
                    "\(key.mention) goes with \(OptionKey.cv.mention), the cross-validation of the penalty.",
                    remedy: "Add \(OptionKey.cv.mention) 5, or drop \(key.mention).")
            }
        }
    }

    /// Whether the configuration assigns columns to fit and engagement.
    public var hasGroups: Bool { fit != nil || engagement != nil }

    /// A column of `fit` or `engagement` must be in only one of them, once,
    /// and cannot be the outcome, an id, a column left out or the weights:
    /// only features have a part of the log-odds.
    func requireGroupsAreFeatures(source: String) throws(InputError) {
        var seen: [String: OptionKey] = [:]
        for (key, columns) in [(OptionKey.fit, fit ?? []), (.engagement, engagement ?? [])] {
            for column in columns {
                if let first = seen[column] {
                    throw InputError(
                        .badConfiguration, at: InputLocation(file: source, column: column),
                        first == key
                            ? "\(key.mention) lists \"\(column)\" twice."
                            : "\"\(column)\" is in both \(OptionKey.fit.mention) and \(OptionKey.engagement.mention); a column is either who the lead is or what it did.",
                        remedy: first == key ? "List it once." : "Keep \"\(column)\" in one of \(OptionKey.fit.mention) and \(OptionKey.engagement.mention).")
                }
                seen[column] = key
                let roles: [(OptionKey, Bool)] = [
                    (.target, target == column), (.ids, (ids ?? []).contains(column)), (.exclude, (exclude ?? []).contains(column)),
                    (.weight, weight == column),
                ]
                if let (role, _) = roles.first(where: { $0.1 }) {
                    throw InputError(
                        .badConfiguration, at: InputLocation(file: source, column: column),
                        "\(key.mention) lists \"\(column)\", which is also given as \(role.mention); only feature columns are fit or engagement.",
                        remedy: "Remove \"\(column)\" from \(key.mention), or from \(role.mention) if it is a feature.")
                }
            }
        }
    }

    /// The outcome column cannot also be an id, a column left out, or the
    /// weights: one of the two roles would be silently dropped.
    static func requireTargetIsNotOtherwiseUsed(_ target: String, config: TrainingConfiguration, source: String) throws(InputError) {
        let roles: [(OptionKey, Bool)] = [
            (.ids, (config.ids ?? []).contains(target)), (.exclude, (config.exclude ?? []).contains(target)), (.weight, config.weight == target),
        ]
        guard let (key, _) = roles.first(where: { $0.1 }) else { return }
        throw InputError(
            .badConfiguration, at: InputLocation(file: source, column: target),
            "the outcome column (\(OptionKey.target.mention)) is also given as \(key.mention); a column cannot be both.",
            remedy: "Remove \"\(target)\" from \(key.mention), or name the real outcome column with \(OptionKey.target.mention).")
    }

    /// Fields set in `other` replace those in `self`.
    public func overridden(by other: TrainingConfiguration) -> TrainingConfiguration {
        var c = self
        c.target = other.target ?? target
        c.positive = other.positive ?? positive
        c.negative = other.negative ?? negative
        c.ids = other.ids.map { (ids ?? []) + $0 } ?? ids
        c.exclude = other.exclude.map { (exclude ?? []) + $0 } ?? exclude
        c.include = other.include.map { (include ?? []) + $0 } ?? include
        if let t = other.types { c.types = (types ?? [:]).merging(t) { $1 } }
        c.missingValues = other.missingValues.map { (missingValues ?? []) + $0 } ?? missingValues
        c.log1p = other.log1p.map { (log1p ?? []) + $0 } ?? log1p
        c.weight = other.weight ?? weight
        c.minCategoryCount = other.minCategoryCount ?? minCategoryCount
        c.maxCategoryLevels = other.maxCategoryLevels ?? maxCategoryLevels
        c.asOf = other.asOf ?? asOf
        if let m = other.measuredOn { c.measuredOn = (measuredOn ?? [:]).merging(m) { $1 } }
        c.l2 = other.l2 ?? l2
        c.classWeight = other.classWeight ?? classWeight
        c.penalty = other.penalty ?? penalty
        c.l1Ratio = other.l1Ratio ?? l1Ratio
        c.cv = other.cv ?? cv
        // λ is given (`l2`) or chosen (`cv`): the overriding side's way wins
        // over the other's, so that a file with "l2" trains with the flag
        // `cv`, and a file with "cv" with the flag `l2`.
        if other.cv != nil && other.l2 == nil { c.l2 = nil }
        if other.l2 != nil && other.cv == nil { c.cv = nil }
        c.cvMetric = other.cvMetric ?? cvMetric
        c.cvRule = other.cvRule ?? cvRule
        c.priorCorrection = other.priorCorrection ?? priorCorrection
        c.populationRate = other.populationRate ?? populationRate
        c.holdout = other.holdout ?? holdout
        c.seed = other.seed ?? seed
        c.timeColumn = other.timeColumn ?? timeColumn
        c.testFrom = other.testFrom ?? testFrom
        c.folds = other.folds ?? folds
        c.leakageThreshold = other.leakageThreshold ?? leakageThreshold
        c.allowLeakage = other.allowLeakage.map { (allowLeakage ?? []) + $0 } ?? allowLeakage
        c.fit = other.fit.map { (fit ?? []) + $0 } ?? fit
        c.engagement = other.engagement.map { (engagement ?? []) + $0 } ?? engagement
        c.segment = other.segment ?? segment
        c.segmentL2 = other.segmentL2 ?? segmentL2
        c.minConversions = other.minConversions ?? minConversions
        if let f = other.dateFormats { c.dateFormats = (dateFormats ?? [:]).merging(f) { $1 } }
        if let f = other.amountFormats { c.amountFormats = (amountFormats ?? [:]).merging(f) { $1 } }
        c.closedColumn = other.closedColumn ?? closedColumn
        c.spline = other.spline.map { (spline ?? []) + $0 } ?? spline
        c.splines = other.splines ?? splines
        if let m = other.monotone { c.monotone = (monotone ?? [:]).merging(m) { $1 } }
        c.interactions = other.interactions.map { (interactions ?? []) + $0 } ?? interactions
        c.autoInteractions = other.autoInteractions ?? autoInteractions
        return c
    }
}

