import Foundation

/// What changed between two model cards: "what is different in this
/// quarter's model?", and "is the model this machine trained the same as
/// the committed one?".
///
/// Two numbers a and b are the same when
///
///     |a − b| ≤ tolerance · max(|a|, |b|, 1)
///
/// that is, relative to the larger magnitude, and absolute for magnitudes
/// below 1, so that a coefficient near zero is judged on the log-odds
/// scale (where 1e-9 is far below any effect) instead of by a ratio of two
/// rounding errors. The default tolerance, 1e-9, is far above the last-bit
/// differences of the same fit on two BLAS kernels (about 1e-15 relative
/// on the bundled model) and far below any change of data or options.
/// NaN equals NaN. Counts, names and levels must be equal exactly.
///
/// What is compared, and decides whether the models are the same:
/// - the schema: outcome column and its values, id columns, missing
///   markers, as-of date;
/// - the columns and their encoders: added and removed columns, a changed
///   kind, log1p and missing indicators, medians, means and standard
///   deviations (scales), reference levels, levels added, removed or newly
///   pooled, training counts per level;
/// - the features: added and removed, and each coefficient and standard
///   error, with the change in odds ratio, e^(new − old);
/// - the fit and engagement groups: each column's group, and the
///   sub-scores' means and default grid cut-offs (`SubScoreScale`);
/// - the recalibration (`ModelCard.Calibration`): its method and its
///   map's parameters (a and b, or the isotonic steps), the deals' SHA-256
///   and counts, and the calibration figures before and after;
/// - the segment models (`SegmentModels`), when either card has them: a
///   card with segment models against one without; the segment column,
///   λ and how it was chosen (its cross-validated deviances), the minimum
///   of conversions; segments added and removed, a segment's own model
///   against the global model, its training deals, and the intercept and
///   coefficients of the segment models both cards have, feature by
///   feature as the global ones;
/// - the metrics: training, holdout and cross-validation;
/// - the training record: the data's SHA-256, rows in the file and rows
///   without an outcome, the options, whether the solver converged, its
///   log-likelihood and objective, the notices.
///
/// Reported but not deciding (`provenance`): the training date, the file
/// names, the BLAS library and kernel, and the solver's iteration count
/// (and each segment fit's) and final gradient norm, which measure
/// rounding noise once converged.
public struct ModelDiff: Codable, Sendable, Equatable {
    public static let defaultTolerance = 1e-9

    /// A change of something that is not a number, or of a number that
    /// must match exactly: `what` changed from `old` to `new` (empty when
    /// absent on that side).
    public struct Change: Codable, Sendable, Equatable {
        public var what: String
        public var old: String
        public var new: String
    }

    /// A number beyond the tolerance.
    public struct NumberChange: Codable, Sendable, Equatable {
        public var what: String
        public var old: Double
        public var new: Double
        /// new − old.
        public var difference: Double
        /// |new − old| / max(|old|, |new|, 1): the quantity held to the tolerance.
        public var scaledDifference: Double
    }

    /// A coefficient of a feature both models have (or the intercept).
    public struct CoefficientChange: Codable, Sendable, Equatable {
        public var feature: String
        public var column: String
        public var old: Double
        public var new: Double
        /// new − old, in log-odds (per standard deviation for numbers).
        public var difference: Double
        /// e^(new − old): the factor by which the feature's odds ratio changed.
        public var oddsRatioFactor: Double
        public var oldStandardError: Double
        public var newStandardError: Double
        /// Whether the coefficient, or only its standard error, is beyond
        /// the tolerance.
        public var coefficientChanged: Bool
    }

    /// A coefficient (or the intercept) of a segment model both cards have.
    public struct SegmentCoefficientChange: Codable, Sendable, Equatable {
        public var segment: String
        public var feature: String
        public var old: Double
        public var new: Double
        /// new − old, in log-odds (per standard deviation for numbers).
        public var difference: Double
        /// e^(new − old).
        public var oddsRatioFactor: Double
    }

    /// A feature in only one of the models, with its coefficient there.
    public struct FeatureChange: Codable, Sendable, Equatable {
        public var feature: String
        public var column: String
        public var coefficient: Double
        public var standardError: Double
    }

    /// A column in only one of the models.
    public struct ColumnChange: Codable, Sendable, Equatable {
        public var column: String
        /// numeric, boolean, categorical or date.
        public var kind: String
    }

    /// The old and new files, as given.
    public var old: String
    public var new: String
    public var tolerance: Double
    /// True when nothing that decides differs beyond the tolerance.
    public var same: Bool
    /// Numbers compared within the tolerance, and the largest scaled
    /// difference among them (0 when all are equal), with what it was.
    public var numbersCompared: Int
    public var largestDifference: Double
    public var largestDifferenceAt: String

    public var schema: [Change]
    public var columnsAdded: [ColumnChange]
    public var columnsRemoved: [ColumnChange]
    /// Encoder changes of columns in both models, text (kind, reference
    /// level, levels) and numbers (median, mean, scale).
    public var encoders: [Change]
    public var encoderNumbers: [NumberChange]
    /// Training rows per level of categorical columns, where they differ.
    public var levelCounts: [Change]
    public var featuresAdded: [FeatureChange]
    public var featuresRemoved: [FeatureChange]
    /// Features in both models whose coefficient or standard error is
    /// beyond the tolerance, largest coefficient change first (ties by name).
    public var coefficients: [CoefficientChange]
    /// Columns of both models whose fit or engagement group differs, or
    /// the groups of a model that only one of them has (`FitEngagement.swift`).
    public var groups: [Change]
    /// The sub-scores' means and default grid cut-offs, when both have them.
    public var subScoreNumbers: [NumberChange]
    /// The recalibration: a card with one against a card without, or a
    /// different method, steps or deals (text); the parameters and figures
    /// when both have the same method (numbers).
    public var calibration: [Change]
    public var calibrationNumbers: [NumberChange]
    /// The segment models, when either card has them; nil (left out of the
    /// JSON) when neither has. Text: segment models on one side only, the
    /// column, how λ was chosen, segments added or removed, a segment's
    /// own model or the global model, its training deals, whether its fit
    /// converged. Numbers: λ and the cross-validated deviances.
    public var segments: [Change]? = nil
    public var segmentNumbers: [NumberChange]? = nil
    /// Coefficients and intercepts of the segment models both cards have,
    /// beyond the tolerance, largest change first (ties by segment, then
    /// feature).
    public var segmentCoefficients: [SegmentCoefficientChange]? = nil
    public var metrics: [NumberChange]
    /// Metric entries in only one model (a holdout, cross-validation) or
    /// with different counts.
    public var metricChanges: [Change]
    /// The same for the rows of the decile tables.
    public var decileNumbers: [NumberChange]
    public var decileChanges: [Change]
    public var training: [Change]
    public var trainingNumbers: [NumberChange]
    /// Differences that do not decide (see the type's notes).
    public var provenance: [Change]

    /// Compares `old` with `new`. `oldName` and `newName` label the report.
    public init(old a: ModelCard, new b: ModelCard, oldName: String = "old", newName: String = "new", tolerance: Double = ModelDiff.defaultTolerance) {
        var c = Comparer(tolerance: tolerance)
        old = oldName
        new = newName
        self.tolerance = tolerance

        // Schema.
        var schema: [Change] = []
        c.text("outcome column", a.schema.target.column, b.schema.target.column, into: &schema)
        c.text("won values", a.schema.target.positive.joined(separator: ", "), b.schema.target.positive.joined(separator: ", "), into: &schema)
        c.text("lost values", a.schema.target.negative.joined(separator: ", "), b.schema.target.negative.joined(separator: ", "), into: &schema)
        c.text("closed column", a.schema.target.closedColumn ?? "", b.schema.target.closedColumn ?? "", into: &schema)
        c.text("id columns", a.schema.idColumns.joined(separator: ", "), b.schema.idColumns.joined(separator: ", "), into: &schema)
        c.text("missing markers", a.schema.missingValues.joined(separator: ", "), b.schema.missingValues.joined(separator: ", "), into: &schema)
        c.text("as-of date", a.schema.asOf ?? "", b.schema.asOf ?? "", into: &schema)
        func measured(_ m: ModelCard) -> String { (m.schema.measuredOn ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) on \($0.value)" }.joined(separator: ", ") }
        c.text("measured on", measured(a), measured(b), into: &schema)
        c.text("column formats", a.schema.columnFormats.joined(separator: ", "), b.schema.columnFormats.joined(separator: ", "), into: &schema)
        c.text("tiers", a.tiers?.description ?? "", b.tiers?.description ?? "", into: &schema)
        self.schema = schema

        // Columns and their encoders.
        let oldColumns = Dictionary(a.schema.encoders.columns.map { ($0.column, $0) }, uniquingKeysWith: { x, _ in x })
        let newColumns = Dictionary(b.schema.encoders.columns.map { ($0.column, $0) }, uniquingKeysWith: { x, _ in x })
        columnsAdded = b.schema.encoders.columns.filter { oldColumns[$0.column] == nil }.map { ColumnChange(column: $0.column, kind: $0.kind.rawValue) }
        columnsRemoved = a.schema.encoders.columns.filter { newColumns[$0.column] == nil }.map { ColumnChange(column: $0.column, kind: $0.kind.rawValue) }
        var encoders: [Change] = [], encoderNumbers: [NumberChange] = [], levelCounts: [Change] = []
        for x in a.schema.encoders.columns {
            guard let y = newColumns[x.column] else { continue }
            c.encoder(x, y, text: &encoders, numbers: &encoderNumbers, counts: &levelCounts)
        }
        let oldOrder = a.schema.encoders.columns.map(\.column).filter { newColumns[$0] != nil }
        let newOrder = b.schema.encoders.columns.map(\.column).filter { oldColumns[$0] != nil }
        if oldOrder != newOrder { encoders.append(Change(what: "column order", old: oldOrder.joined(separator: ", "), new: newOrder.joined(separator: ", "))) }
        self.encoders = encoders
        self.encoderNumbers = encoderNumbers
        self.levelCounts = levelCounts

        // Features and coefficients.
        let oldFeatures = Dictionary(a.features.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let newFeatures = Dictionary(b.features.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        featuresAdded = b.features.filter { oldFeatures[$0.name] == nil }.map {
            FeatureChange(feature: $0.name, column: $0.column, coefficient: $0.coefficient, standardError: $0.standardError)
        }
        featuresRemoved = a.features.filter { newFeatures[$0.name] == nil }.map {
            FeatureChange(feature: $0.name, column: $0.column, coefficient: $0.coefficient, standardError: $0.standardError)
        }
        var pairs = a.features.compactMap { f in newFeatures[f.name].map { (f.name, f.column, f.coefficient, $0.coefficient, f.standardError, $0.standardError) } }
        pairs.append(("(intercept)", "", a.intercept.coefficient, b.intercept.coefficient, a.intercept.standardError, b.intercept.standardError))
        var coefficients: [CoefficientChange] = []
        for (name, column, b0, b1, s0, s1) in pairs {
            let coefficientSame = c.same(b0, b1, at: "coefficient of \(name)")
            let errorSame = c.same(s0, s1, at: "standard error of \(name)")
            if !(coefficientSame && errorSame) {
                coefficients.append(
                    CoefficientChange(
                        feature: name, column: column, old: b0, new: b1, difference: b1 - b0, oddsRatioFactor: exp(b1 - b0),
                        oldStandardError: s0, newStandardError: s1, coefficientChanged: !coefficientSame))
            }
        }
        coefficients.sort { abs($0.difference) != abs($1.difference) ? abs($0.difference) > abs($1.difference) : $0.feature < $1.feature }
        self.coefficients = coefficients

        // Fit and engagement.
        var groups: [Change] = [], subScoreNumbers: [NumberChange] = []
        func groupOf(_ m: ModelCard) -> [String: FeatureGroup] {
            Dictionary(m.features.compactMap { f in f.group.map { (f.column, $0) } }, uniquingKeysWith: { x, _ in x })
        }
        func listing(_ m: ModelCard) -> String {
            let g = groupOf(m)
            return FeatureGroup.allCases.map { group in
                "\(group.rawValue): " + m.schema.encoders.columns.map(\.column).filter { g[$0] == group }.joined(separator: ", ")
            }.joined(separator: "; ")
        }
        switch (a.subScores, b.subScores) {
        case (let x?, let y?):
            let (oldGroups, newGroups) = (groupOf(a), groupOf(b))
            for column in a.schema.encoders.columns.map(\.column) {
                if let g = oldGroups[column], let h = newGroups[column] { c.text("\"\(column)\" group", g.rawValue, h.rawValue, into: &groups) }
            }
            c.number("mean fit part of the log-odds (F̄)", x.meanFit, y.meanFit, into: &subScoreNumbers)
            c.number("mean engagement part of the log-odds (Ē)", x.meanEngagement, y.meanEngagement, into: &subScoreNumbers)
            for (axis, old, new) in [("fit", x.grid.fit, y.grid.fit), ("engagement", x.grid.engagement, y.grid.engagement)] {
                for (k, (u, v)) in zip(old, new).enumerated() { c.number("grid \(axis) cut-off \(k + 1)", u, v, into: &subScoreNumbers) }
            }
        case (nil, nil):
            break
        case (let x, let y):
            groups.append(Change(what: "fit and engagement groups", old: x == nil ? "" : listing(a), new: y == nil ? "" : listing(b)))
        }
        self.groups = groups
        self.subScoreNumbers = subScoreNumbers

        // The recalibration.
        var calibration: [Change] = [], calibrationNumbers: [NumberChange] = []
        func summary(_ x: ModelCard.Calibration?) -> String {
            x.map { "\($0.method.rawValue), p = \($0.formula), on \($0.data.file) (\($0.data.rows) deals)" } ?? ""
        }
        switch (a.calibration, b.calibration) {
        case (let x?, let y?):
            c.text("calibration method", x.method.rawValue, y.method.rawValue, into: &calibration)
            c.text("calibration data SHA-256", x.data.sha256, y.data.sha256, into: &calibration)
            c.count("calibration deals", x.data.rows, y.data.rows, into: &calibration)
            c.count("calibration won deals", x.data.positives, y.data.positives, into: &calibration)
            switch (x.map, y.map) {
            case (.logistic(let a0, let b0), .logistic(let a1, let b1)):
                c.number("calibration intercept", a0, a1, into: &calibrationNumbers)
                c.number("calibration slope", b0, b1, into: &calibrationNumbers)
            case (.isotonic(let f), .isotonic(let g)) where f.scores.count == g.scores.count:
                for k in f.scores.indices {
                    c.number("isotonic step \(k + 1) log-odds", f.scores[k], g.scores[k], into: &calibrationNumbers)
                    c.number("isotonic step \(k + 1) probability", f.probabilities[k], g.probabilities[k], into: &calibrationNumbers)
                }
            case (.isotonic(let f), .isotonic(let g)):
                c.count("isotonic steps", f.scores.count, g.scores.count, into: &calibration)
            default:
                break
            }
            for (what, u, v) in [("before", x.before, y.before), ("after", x.after, y.after)] {
                c.number("calibration-in-the-large \(what)", u.calibrationInTheLarge.value, v.calibrationInTheLarge.value, into: &calibrationNumbers)
                c.number("Brier score \(what) recalibration", u.brier, v.brier, into: &calibrationNumbers)
                c.number("log loss \(what) recalibration", u.logLoss, v.logLoss, into: &calibrationNumbers)
            }
        case (nil, nil):
            break
        case (let x, let y):
            calibration.append(Change(what: "recalibration", old: summary(x), new: summary(y)))
        }
        self.calibration = calibration
        self.calibrationNumbers = calibrationNumbers

        // Segment models.
        if a.segments != nil || b.segments != nil {
            var text: [Change] = [], numbers: [NumberChange] = [], coefficients: [SegmentCoefficientChange] = []
            c.segments(a, b, text: &text, numbers: &numbers, coefficients: &coefficients)
            segments = text
            segmentNumbers = numbers
            segmentCoefficients = coefficients
        }

        // Metrics.
        var metrics: [NumberChange] = [], metricChanges: [Change] = []
        var deciles = (numbers: [NumberChange](), text: [Change]())
        c.metrics("training", a.metrics.training, b.metrics.training, numbers: &metrics, text: &metricChanges, deciles: &deciles)
        switch (a.metrics.holdout, b.metrics.holdout) {
        case (let x?, let y?): c.metrics("holdout", x, y, numbers: &metrics, text: &metricChanges, deciles: &deciles)
        case (nil, nil): break
        case (let x, let y): metricChanges.append(Change(what: "holdout metrics", old: x.map { "\($0.rows) rows" } ?? "", new: y.map { "\($0.rows) rows" } ?? ""))
        }
        switch (a.metrics.crossValidation, b.metrics.crossValidation) {
        case (let x?, let y?): c.crossValidation(x, y, numbers: &metrics, text: &metricChanges)
        case (nil, nil): break
        case (let x, let y): metricChanges.append(Change(what: "cross-validation", old: x.map { "\($0.folds.count) folds" } ?? "", new: y.map { "\($0.folds.count) folds" } ?? ""))
        }
        self.metrics = metrics
        self.metricChanges = metricChanges
        decileNumbers = deciles.numbers
        decileChanges = deciles.text

        // The training record.
        var training: [Change] = [], trainingNumbers: [NumberChange] = []
        let s = a.training, t = b.training
        c.text("training data SHA-256", s.source.sha256, t.source.sha256, into: &training)
        c.text("validation data SHA-256", s.source.validationSHA256 ?? "", t.source.validationSHA256 ?? "", into: &training)
        // Training and held-out rows, won rows and the base rate are
        // compared with the metrics.
        c.count("rows in the file", s.fileRows, t.fileRows, into: &training)
        c.count("rows without an outcome", s.excludedRows, t.excludedRows, into: &training)
        let o = s.options, p = t.options
        c.number("L2 penalty (l2)", o.l2, p.l2, into: &trainingNumbers)
        c.text("class weights", o.classWeight.rawValue, p.classWeight.rawValue, into: &training)
        c.text("sample weight column", o.sampleWeightColumn ?? "", p.sampleWeightColumn ?? "", into: &training)
        c.count("minimum category count", o.minCategoryCount, p.minCategoryCount, into: &training)
        c.count("maximum category levels", o.maxCategoryLevels, p.maxCategoryLevels, into: &training)
        c.text("log1p columns", o.log1p.joined(separator: ", "), p.log1p.joined(separator: ", "), into: &training)
        c.number("holdout fraction", o.holdout, p.holdout, into: &trainingNumbers)
        c.text("seed", String(o.seed), String(p.seed), into: &training)
        c.text("excluded columns", o.excluded.joined(separator: ", "), p.excluded.joined(separator: ", "), into: &training)
        c.text("validation", o.validation, p.validation, into: &training)
        c.text("solver", s.solver.method, t.solver.method, into: &training)
        c.text("converged", String(s.solver.converged), String(t.solver.converged), into: &training)
        c.text("solver stop reason", s.solver.stopReason.rawValue, t.solver.stopReason.rawValue, into: &training)
        c.number("gradient tolerance", s.solver.gradientTolerance, t.solver.gradientTolerance, into: &trainingNumbers)
        c.number("log-likelihood", s.solver.logLikelihood, t.solver.logLikelihood, into: &trainingNumbers)
        c.number("objective", s.solver.objective, t.solver.objective, into: &trainingNumbers)
        c.text("penalty", s.solver.penaltyNote, t.solver.penaltyNote, into: &training)
        // The penalty's kind, α and how λ was chosen (`ModelCard.Penalty`;
        // λ itself is `options.l2` above).
        func kind(_ x: ModelCard.Penalty?) -> String { x?.kind.rawValue ?? PenaltyKind.l2.rawValue }
        func chosenBy(_ x: ModelCard.Penalty?) -> String {
            x?.selection.map { "\($0.folds)-fold cross-validation, \($0.metric.rawValue), rule \($0.rule.rawValue), seed \($0.seed)" } ?? "given"
        }
        c.text("penalty kind (penalty)", kind(s.penalty), kind(t.penalty), into: &training)
        c.number("penalty L1 ratio α (l1Ratio)", s.penalty?.l1Ratio ?? 0, t.penalty?.l1Ratio ?? 0, into: &trainingNumbers)
        c.text("penalty chosen by (cv)", chosenBy(s.penalty), chosenBy(t.penalty), into: &training)
        if let u = s.penalty?.selection, let v = t.penalty?.selection {
            c.number("cross-validation's best λ", u.lambdaAtMinimum, v.lambdaAtMinimum, into: &trainingNumbers)
            c.number("cross-validation's best mean \(u.metric.rawValue)", u.path[u.minimum].mean, v.path[v.minimum].mean, into: &trainingNumbers)
        }
        for n in s.notices where !t.notices.contains(n) { training.append(Change(what: "notice", old: n, new: "")) }
        for n in t.notices where !s.notices.contains(n) { training.append(Change(what: "notice", old: "", new: n)) }
        self.training = training
        self.trainingNumbers = trainingNumbers

        // Provenance: reported, never deciding.
        var provenance: [Change] = []
        func note(_ what: String, _ x: String, _ y: String) { if x != y { provenance.append(Change(what: what, old: x, new: y)) } }
        note("training date", s.date, t.date)
        note("training file", s.source.file, t.source.file)
        note("validation file", s.source.validationFile ?? "", t.source.validationFile ?? "")
        func blas(_ l: ModelCard.LinearAlgebra?) -> String {
            l.map { "\($0.library) \($0.version), \($0.kernel) kernel, \($0.threads) BLAS thread\($0.threads == 1 ? "" : "s") per call" } ?? "not recorded"
        }
        note("linear algebra", blas(s.linearAlgebra), blas(t.linearAlgebra))
        note("solver iterations", String(s.solver.iterations), String(t.solver.iterations))
        note("final gradient norm", ModelNumber.text(s.solver.gradientNorm), ModelNumber.text(t.solver.gradientNorm))
        for x in a.segments?.segments ?? [] {
            guard let y = b.segments?.segments.first(where: { $0.value == x.value }) else { continue }
            note("segment \"\(x.value)\" solver iterations", x.iterations.map(String.init) ?? "", y.iterations.map(String.init) ?? "")
        }
        self.provenance = provenance

        numbersCompared = c.compared
        largestDifference = c.largest
        largestDifferenceAt = c.largestAt
        same =
            schema.isEmpty && columnsAdded.isEmpty && columnsRemoved.isEmpty && encoders.isEmpty && encoderNumbers.isEmpty
            && levelCounts.isEmpty && featuresAdded.isEmpty && featuresRemoved.isEmpty && coefficients.isEmpty && groups.isEmpty
            && subScoreNumbers.isEmpty && calibration.isEmpty && calibrationNumbers.isEmpty && (segments ?? []).isEmpty
            && (segmentNumbers ?? []).isEmpty && (segmentCoefficients ?? []).isEmpty && metrics.isEmpty
            && metricChanges.isEmpty && decileNumbers.isEmpty && decileChanges.isEmpty && training.isEmpty && trainingNumbers.isEmpty
    }

    /// Whether a and b are the same number under `tolerance` (see the
    /// type's notes).
    public static func same(_ a: Double, _ b: Double, tolerance: Double) -> Bool {
        scaledDifference(a, b) <= tolerance
    }

    /// |a − b| / max(|a|, |b|, 1); 0 for equal numbers and for two NaNs,
    /// +∞ when only one is NaN or they are unequal infinities.
    public static func scaledDifference(_ a: Double, _ b: Double) -> Double {
        if a == b || (a.isNaN && b.isNaN) { return 0 }
        let d = abs(a - b)
        guard d.isFinite else { return .infinity }
        return d / max(abs(a), abs(b), 1)
    }

    /// The report as JSON (sorted keys; NaN and infinities as strings).
    public func jsonData() throws(InputError) -> Data {
        try JSONOutput.data(self, nonFiniteAsStrings: true, what: "the comparison")
    }

}

/// Collects changes and keeps the tally of numbers compared.
private struct Comparer {
    let tolerance: Double
    var compared = 0
    var largest = 0.0
    var largestAt = ""

    init(tolerance: Double) { self.tolerance = tolerance }

    /// Counts the comparison; true when within the tolerance.
    mutating func same(_ a: Double, _ b: Double, at what: String) -> Bool {
        compared += 1
        let d = ModelDiff.scaledDifference(a, b)
        if d <= tolerance {
            if d > largest {
                largest = d
                largestAt = what
            }
            return true
        }
        return false
    }

    mutating func number(_ what: String, _ a: Double, _ b: Double, into out: inout [ModelDiff.NumberChange]) {
        if !same(a, b, at: what) {
            out.append(ModelDiff.NumberChange(what: what, old: a, new: b, difference: b - a, scaledDifference: ModelDiff.scaledDifference(a, b)))
        }
    }

    func text(_ what: String, _ a: String, _ b: String, into out: inout [ModelDiff.Change]) {
        if a != b { out.append(ModelDiff.Change(what: what, old: a, new: b)) }
    }

    func count(_ what: String, _ a: Int, _ b: Int, into out: inout [ModelDiff.Change]) {
        if a != b { out.append(ModelDiff.Change(what: what, old: String(a), new: String(b))) }
    }

    mutating func encoder(
        _ x: ColumnEncoder, _ y: ColumnEncoder, text: inout [ModelDiff.Change], numbers: inout [ModelDiff.NumberChange], counts: inout [ModelDiff.Change]
    ) {
        let name = "\"\(x.column)\""
        guard x.kind == y.kind else {
            text.append(ModelDiff.Change(what: "\(name) kind", old: x.kind.rawValue, new: y.kind.rawValue))
            return
        }
        switch (x, y) {
        case (.numeric(let e), .numeric(let f)):
            numeric(name, e, f, text: &text, numbers: &numbers)
        case (.date(let e), .date(let f)):
            self.text("\(name) as-of date", ValueParser.isoDateString(days: e.asOfDays), ValueParser.isoDateString(days: f.asOfDays), into: &text)
            numeric(name, e.numeric, f.numeric, text: &text, numbers: &numbers)
        case (.boolean(let e), .boolean(let f)):
            self.text("\(name) missing indicator", String(e.missingIndicator), String(f.missingIndicator), into: &text)
        case (.categorical(let e), .categorical(let f)):
            self.text("\(name) reference level", e.reference, f.reference, into: &text)
            let oldLevels = Set(e.levels), newLevels = Set(f.levels)
            let added = f.levels.filter { !oldLevels.contains($0) }, removed = e.levels.filter { !newLevels.contains($0) }
            if !added.isEmpty { text.append(ModelDiff.Change(what: "\(name) levels added", old: "", new: added.joined(separator: ", "))) }
            if !removed.isEmpty { text.append(ModelDiff.Change(what: "\(name) levels removed", old: removed.joined(separator: ", "), new: "")) }
            let oldPooled = Set(e.pooled), newPooled = Set(f.pooled)
            let pooled = f.pooled.filter { !oldPooled.contains($0) }, unpooled = e.pooled.filter { !newPooled.contains($0) }
            if !pooled.isEmpty { text.append(ModelDiff.Change(what: "\(name) levels pooled into \"(other)\"", old: "", new: pooled.joined(separator: ", "))) }
            if !unpooled.isEmpty { text.append(ModelDiff.Change(what: "\(name) levels no longer pooled", old: unpooled.joined(separator: ", "), new: "")) }
            let oldCounts = Dictionary(zip(e.levels + [e.reference], e.counts), uniquingKeysWith: { a, _ in a })
            let newCounts = Dictionary(zip(f.levels + [f.reference], f.counts), uniquingKeysWith: { a, _ in a })
            let changed = (f.levels + [f.reference]).filter { oldCounts[$0] != nil && oldCounts[$0] != newCounts[$0] }
            if !changed.isEmpty {
                counts.append(
                    ModelDiff.Change(
                        what: "\(name) training rows per level", old: changed.map { "\($0): \(oldCounts[$0]!)" }.joined(separator: ", "),
                        new: changed.map { "\($0): \(newCounts[$0]!)" }.joined(separator: ", ")))
            }
        default:
            break
        }
    }

    mutating func numeric(_ name: String, _ e: NumericEncoder, _ f: NumericEncoder, text: inout [ModelDiff.Change], numbers: inout [ModelDiff.NumberChange]) {
        self.text("\(name) log1p", String(e.log1p), String(f.log1p), into: &text)
        self.text("\(name) missing indicator", String(e.missingIndicator), String(f.missingIndicator), into: &text)
        number("\(name) median", e.median, f.median, into: &numbers)
        number("\(name) mean", e.mean, f.mean, into: &numbers)
        number("\(name) standard deviation (scale)", e.standardDeviation, f.standardDeviation, into: &numbers)
        func knots(_ e: NumericEncoder) -> String { e.spline.map { $0.knots.map(ModelNumber.text).joined(separator: ", ") } ?? "none (linear)" }
        self.text("\(name) spline knots", knots(e), knots(f), into: &text)
        self.text("\(name) monotone", e.direction?.rawValue ?? "no", f.direction?.rawValue ?? "no", into: &text)
    }

    mutating func metrics(
        _ label: String, _ x: BinaryMetrics, _ y: BinaryMetrics, numbers: inout [ModelDiff.NumberChange], text: inout [ModelDiff.Change],
        deciles: inout (numbers: [ModelDiff.NumberChange], text: [ModelDiff.Change])
    ) {
        count("\(label) rows", x.rows, y.rows, into: &text)
        count("\(label) won rows", x.positives, y.positives, into: &text)
        number("\(label) base rate", x.baseRate, y.baseRate, into: &numbers)
        number("\(label) AUC", x.auc, y.auc, into: &numbers)
        number("\(label) log loss", x.logLoss, y.logLoss, into: &numbers)
        number("\(label) Brier score", x.brier, y.brier, into: &numbers)
        guard x.deciles.count == y.deciles.count else {
            count("\(label) deciles", x.deciles.count, y.deciles.count, into: &text)
            return
        }
        for (d, e) in zip(x.deciles, y.deciles) {
            let at = "\(label) decile \(d.decile)"
            count("\(at) leads", d.count, e.count, into: &deciles.text)
            count("\(at) won", d.positives, e.positives, into: &deciles.text)
            number("\(at) lowest predicted", d.minPredicted, e.minPredicted, into: &deciles.numbers)
            number("\(at) highest predicted", d.maxPredicted, e.maxPredicted, into: &deciles.numbers)
            number("\(at) mean predicted", d.meanPredicted, e.meanPredicted, into: &deciles.numbers)
            number("\(at) observed rate", d.observedRate, e.observedRate, into: &deciles.numbers)
            number("\(at) lift", d.lift, e.lift, into: &deciles.numbers)
            number("\(at) cumulative gain", d.cumulativeGain, e.cumulativeGain, into: &deciles.numbers)
            number("\(at) cumulative lift", d.cumulativeLift, e.cumulativeLift, into: &deciles.numbers)
        }
    }

    /// The segment models of `a` and `b` (`ModelDiff`'s notes), at least
    /// one of which has them.
    mutating func segments(
        _ a: ModelCard, _ b: ModelCard, text: inout [ModelDiff.Change], numbers: inout [ModelDiff.NumberChange],
        coefficients: inout [ModelDiff.SegmentCoefficientChange]
    ) {
        func summary(_ s: SegmentModels) -> String {
            "by \"\(s.column)\", λ = \(ModelNumber.text(s.l2)): " + s.segments.map { "\($0.value) (\($0.hasModel ? "own model" : "global model"))" }.joined(separator: ", ")
        }
        guard let x = a.segments, let y = b.segments else {
            text.append(ModelDiff.Change(what: "segment models", old: a.segments.map(summary) ?? "", new: b.segments.map(summary) ?? ""))
            return
        }
        self.text("segment column", x.column, y.column, into: &text)
        number("segment penalty λ (segmentL2)", x.l2, y.l2, into: &numbers)
        self.text("segment λ chosen by", x.selection.method, y.selection.method, into: &text)
        self.text("segment cross-validation folds", x.selection.folds.map(String.init) ?? "", y.selection.folds.map(String.init) ?? "", into: &text)
        self.text("segment cross-validation seed", x.selection.seed.map(String.init) ?? "", y.selection.seed.map(String.init) ?? "", into: &text)
        if let u = x.selection.deviances, let v = y.selection.deviances, u.map(\.l2) == v.map(\.l2) {
            for (p, q) in zip(u, v) { number("segment out-of-fold deviance at λ = \(ModelNumber.text(p.l2))", p.deviance, q.deviance, into: &numbers) }
        } else {
            func candidates(_ s: SegmentModels) -> String { s.selection.deviances?.map { ModelNumber.text($0.l2) }.joined(separator: ", ") ?? "" }
            self.text("segment λ candidates", candidates(x), candidates(y), into: &text)
        }
        if let g = x.selection.globalDeviance, let h = y.selection.globalDeviance {
            number("global model's out-of-fold deviance", g, h, into: &numbers)
        }
        count("segment minimum conversions", x.minConversions, y.minConversions, into: &text)
        let old = Set(x.segments.map(\.value)), new = Dictionary(y.segments.map { ($0.value, $0) }, uniquingKeysWith: { u, _ in u })
        let added = y.segments.map(\.value).filter { !old.contains($0) }, removed = x.segments.map(\.value).filter { new[$0] == nil }
        if !added.isEmpty { text.append(ModelDiff.Change(what: "segments added", old: "", new: added.joined(separator: ", "))) }
        if !removed.isEmpty { text.append(ModelDiff.Change(what: "segments removed", old: removed.joined(separator: ", "), new: "")) }
        let newFeature = Dictionary(b.features.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { u, _ in u })
        var changes: [ModelDiff.SegmentCoefficientChange] = []
        for s in x.segments {
            guard let t = new[s.value] else { continue }
            let name = "segment \"\(s.value)\""
            count("\(name) training rows", s.rows, t.rows, into: &text)
            count("\(name) won training deals", s.conversions, t.conversions, into: &text)
            self.text("\(name) model", s.hasModel ? "own" : "global model", t.hasModel ? "own" : "global model", into: &text)
            guard let b0 = s.intercept, let beta0 = s.coefficients, let b1 = t.intercept, let beta1 = t.coefficients else { continue }
            self.text("\(name) converged", s.converged.map(String.init) ?? "", t.converged.map(String.init) ?? "", into: &text)
            var pairs = zip(a.features, beta0).compactMap { f, u in newFeature[f.name].flatMap { $0 < beta1.count ? (f.name, u, beta1[$0]) : nil } }
            pairs.append(("(intercept)", b0, b1))
            for (feature, u, v) in pairs where !same(u, v, at: "\(name) coefficient of \(feature)") {
                changes.append(.init(segment: s.value, feature: feature, old: u, new: v, difference: v - u, oddsRatioFactor: exp(v - u)))
            }
        }
        changes.sort {
            abs($0.difference) != abs($1.difference) ? abs($0.difference) > abs($1.difference) : ($0.segment, $0.feature) < ($1.segment, $1.feature)
        }
        coefficients += changes
    }

    mutating func crossValidation(
        _ x: CrossValidationSummary, _ y: CrossValidationSummary, numbers: inout [ModelDiff.NumberChange], text: inout [ModelDiff.Change]
    ) {
        self.text("cross-validation seed", String(x.seed), String(y.seed), into: &text)
        count("cross-validation folds", x.folds.count, y.folds.count, into: &text)
        for (k, (f, g)) in zip(x.folds, y.folds).enumerated() {
            let at = "cross-validation fold \(k + 1)"
            count("\(at) rows", f.rows, g.rows, into: &text)
            count("\(at) won", f.positives, g.positives, into: &text)
            number("\(at) AUC", f.auc, g.auc, into: &numbers)
            number("\(at) log loss", f.logLoss, g.logLoss, into: &numbers)
            number("\(at) Brier score", f.brier, g.brier, into: &numbers)
        }
        number("cross-validation mean AUC", x.meanAUC, y.meanAUC, into: &numbers)
        number("cross-validation SD of AUC", x.sdAUC, y.sdAUC, into: &numbers)
        number("cross-validation mean log loss", x.meanLogLoss, y.meanLogLoss, into: &numbers)
        number("cross-validation SD of log loss", x.sdLogLoss, y.sdLogLoss, into: &numbers)
        number("cross-validation mean Brier score", x.meanBrier, y.meanBrier, into: &numbers)
        number("cross-validation SD of Brier score", x.sdBrier, y.sdBrier, into: &numbers)
    }
}
