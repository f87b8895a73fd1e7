import Foundation

/// The day an SQL export scores as of (`ScoringOptions.asOfDays`).
public enum SQLAsOf: Sendable, Equatable {
    /// As `leadscore score` without a day: date columns counted to the
    /// model's as-of date, days-since columns read as they are.
    case model
    /// A fixed day (days since 1970-01-01).
    case day(Int)
    /// The engine's current date, each time the query runs.
    case today
}

/// What an SQL export is for.
public struct SQLExportOptions: Sendable {
    public var dialect: SQLDialect
    /// The table (or view) of leads the query reads, with the model's
    /// columns, its id columns and, for segment models, the segment column.
    public var table: String
    /// Wrap the query in `CREATE VIEW name AS`; nil for a bare `SELECT`.
    public var view: String?
    public var asOf: SQLAsOf
    /// The day the table's days-since columns were measured, when not the
    /// day the model names (`ScoringOptions.exportedOnDays`).
    public var exportedOnDays: Int?
    /// The tiers; nil: the card's own, else the standard A–D.
    public var tiers: TierScheme?

    public init(
        dialect: SQLDialect, table: String = "leads", view: String? = nil, asOf: SQLAsOf = .model, exportedOnDays: Int? = nil, tiers: TierScheme? = nil
    ) {
        self.dialect = dialect
        self.table = table
        self.view = view
        self.asOf = asOf
        self.exportedOnDays = exportedOnDays
        self.tiers = tiers
    }
}

/// A model card as one SQL query that scores a table of leads where they
/// live (DuckDB, SQLite, PostgreSQL, or another engine): `leadscore
/// export --sql`.
///
/// The query returns, per row of the table, the columns `leadscore score`
/// writes: the model's id columns (as text), `probability`, `score`
/// (round(100·p), halves up) and `tier`; for a model with fit and
/// engagement groups `fit_score`, `engagement_score` and `grid`; and
/// `unreadable_columns`, NULL when every value was read, else the names of
/// the columns whose value could not be (a word in a numeric column, an
/// impossible date), separated by "; ", and then probability, score and
/// tier are NULL rather than a wrong number (where `score` refuses the
/// file). Reasons are not exported.
///
/// Each value is read as the scorer reads it (`RowEncoder`), from its text
/// whatever type the engine gave the column: trimmed of spaces and tabs;
/// missing when it is one of the model's missing markers (or NULL); a
/// number by the grammar of `FieldParser.number`; a boolean in every
/// spelling `FieldParser.boolean` accepts; a date by `FieldParser.isoDate`
/// (a real day, an optional time checked); a category by its exact text,
/// unseen levels to "(other)" or the reference, missing to "(missing)".
/// A pair term's cell (`PairEncoder`) is found by a CASE on each side's
/// value as read (a number's or date's bin, the median's when missing; a
/// boolean's true; a category's level, through the same lookup as its
/// feature), and its coefficient added by a CASE on the cell, after the
/// columns' terms. Then the encoders' arithmetic (median imputation,
/// missing indicators, log1p as ln(1 + x), a spline's terms as
/// `NaturalSpline.basis` computes them, a monotone spline's ramps as CASE
/// expressions as `NaturalSpline.rampBasis` does, standardisation), days-since
/// columns aged and date
/// columns counted to the as-of day, the segment's model for a segmented
/// card, the log-odds summed in feature order from the intercept
/// (`LinearPredictor`), the card's probability map (recalibration) and
/// the tiers. The probabilities equal `score`'s to within 1e-12 (the
/// engines' `EXP` and `LN` are the C library's, or within an ulp of
/// it); scores and tiers are the same. Values whose magnitude exceeds
/// 1e150 after log1p are unreadable here (`score` reads them), so that no
/// engine overflows.
public enum SQLExport {
    /// The number grammar of `FieldParser.number`. Signs are written
    /// `(-|[+])`, not `[+-]`: SQLite's REGEXP reads `-]` as a range.
    static let numberPattern = "(-|[+])?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE](-|[+])?[0-9]+)?"
    /// `FieldParser.isoDate`'s grammar: the date, then optionally `T` or a
    /// space and the time of `FieldParser.isTimeOfDay`. The day's range is
    /// checked apart.
    static let datePattern =
        "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?( ?(Z|UTC|GMT|(-|[+])(0[0-9]|1[0-4])(:?[0-5][0-9])?))?)?"
    /// `FieldParser.dateFields`' grammar: a month-first or day-first date
    /// with one separator twice and a four-digit year, then optionally `T`
    /// or a space and a time with a one-digit hour or AM/PM allowed.
    static let fieldsDatePattern =
        "[0-9]{1,2}(/[0-9]{1,2}/|[.][0-9]{1,2}[.]|-[0-9]{1,2}-)[0-9]{4}([T ]([0-9]|[01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?( ?[aApP][mM])?( ?(Z|UTC|GMT|(-|[+])(0[0-9]|1[0-4])(:?[0-5][0-9])?))?)?"
    /// The largest |value| read, after log1p (see above).
    static let largestValue = 1e150

    /// Refuses a name SQL cannot quote: one with a NUL character.
    static func requireQuotable(_ names: [String], file: String) throws(InputError) {
        if let bad = names.first(where: { $0.unicodeScalars.contains("\0") }) {
            throw InputError(.badConfiguration, at: InputLocation(file: file, column: bad), "a name holds a NUL character, which SQL cannot quote.", remedy: "Rename the column.")
        }
    }

    public static func model(_ card: ModelCard, name: String, options: SQLExportOptions) throws(InputError) -> String {
        guard !card.schema.idColumns.isEmpty else {
            throw InputError(
                .badConfiguration, at: InputLocation(file: name),
                "the model has no id column, so the scores a query returns could not be joined back to the leads.",
                remedy: "Train with an id column (\(OptionKey.ids.mention)), such as the CRM's record id.")
        }
        let names = [options.table] + (options.view.map { [$0] } ?? []) + card.schema.idColumns + card.schema.encoders.columns.map(\.column)
            + (card.segments.map { [$0.column] } ?? [])
        try requireQuotable(names, file: name)
        return ModelQuery(card: card, name: name, options: options).text
    }
}

/// The query of one model (`SQLExport.model`), built CTE by CTE.
private struct ModelQuery {
    let card: ModelCard
    let name: String
    let options: SQLExportOptions
    var d: SQLDialect { options.dialect }
    let columns: [ColumnEncoder]
    let offsets: [Int]
    let tiers: TierScheme
    let grid: GridCuts?

    init(card: ModelCard, name: String, options: SQLExportOptions) {
        self.card = card
        self.name = name
        self.options = options
        columns = card.schema.encoders.columns
        offsets = card.schema.encoders.offsets
        tiers = options.tiers ?? card.tiers ?? .standard
        grid = card.subScores == nil ? nil : tiers.grid ?? card.gridCuts
    }

    /// CTE column names: v<k> the present text of model column k, x<k> its
    /// value, bad<k> whether it could not be read, f<j> feature j.
    func v(_ k: Int) -> String { "v\(k)" }

    var text: String {
        var out: [String] = []
        out.append(SQLText.comment("LeadScore model \(name), card checksum \(card.checksum ?? "none"), for \(d.rawValue)."))
        out.append(SQLText.comment("Scores every row of \(options.table) as `leadscore score` does; see the README, \"Scoring inside a database\"."))
        if let view = options.view { out.append("CREATE VIEW \(SQLText.identifier(view)) AS") }
        out.append("WITH")
        out.append(
            ([paramsCTE, presentCTE, valuesCTE] + (splineColumns.isEmpty ? [] : [splineValuesCTE]) + [featuresCTE, logOddsCTE, probabilitiesCTE]).map { "\($0.name) AS \(d.materialized)(\n\($0.body)\n)" }.joined(separator: ",\n"))
        out.append(finalSelect)
        return out.joined(separator: "\n") + ";\n"
    }

    // MARK: - params: the as-of day

    var asOfExpression: String {
        switch options.asOf {
        case .model: return card.schema.asOf.flatMap(ValueParser.isoDate).map(String.init) ?? "NULL"
        case .day(let days): return String(days)
        case .today: return d.today
        }
    }

    var paramsCTE: (name: String, body: String) {
        ("params", "  SELECT \(asOfExpression) AS as_of_days")
    }

    // MARK: - present: ids, and each model column's trimmed text or NULL

    var reader: SQLReader { SQLReader(d: d, missingMarkers: card.schema.missingValues) }

    func present(_ column: String) -> String { reader.present(column) }
    func number(_ text: String) -> String { reader.number(text) }
    func days(_ text: String, format: DateFormat) -> String { reader.days(text, format: format) }
    func boolean(_ text: String) -> String { reader.boolean(text) }

    var idOutputs: [String] { card.schema.idColumns.enumerated().map { "id\($0.offset)" } }

    var presentCTE: (name: String, body: String) {
        var items = card.schema.idColumns.enumerated().map { "\(d.text(SQLText.identifier($0.element))) AS id\($0.offset)" }
        for (k, c) in columns.enumerated() {
            items.append("\(present(c.column)) AS \(v(k))")
            // A column of dates in another order that the engine typed as
            // dates reads as ISO text.
            if case .date(let e) = c, e.format != .iso, let typed = d.typedAsDate(SQLText.identifier(c.column)) { items.append("\(typed) AS typed\(k)") }
        }
        if let s = card.segments { items.append("\(present(s.column)) AS segment") }
        return ("present", "  SELECT\n    " + items.joined(separator: ",\n    ") + "\n  FROM \(SQLText.identifier(options.table))")
    }

    // MARK: - values: each column's value as the scorer reads it

    /// The days added to numeric column `column` (`DaysSince`), as SQL, or
    /// nil for none.
    func age(_ column: String) -> String? {
        guard options.asOf != .model, let measured = card.schema.measuredOn?[column].flatMap(ValueParser.isoDate) else { return nil }
        return "(params.as_of_days - \(options.exportedOnDays ?? measured))"
    }

    var valuesCTE: (name: String, body: String) {
        var items = idOutputs
        if card.segments != nil { items.append("segment") }
        for (k, c) in columns.enumerated() {
            let x = v(k)
            switch c {
            case .numeric(let e):
                var value = e.amountFormat.map { reader.amount(x, format: $0, currency: e.currency) } ?? number(x)
                if let age = age(e.column) { value = "(\(value)) + \(age)" }
                items.append("\(value) AS x\(k)")
            case .boolean: items.append("\(boolean(x)) AS x\(k)")
            case .date(let e):
                // The scoring as-of day, else the model's, else the encoder's (`ModelScorer`).
                var value = days(x, format: e.format)
                if e.format != .iso, d.typedAsDate("") != nil { value = "CASE WHEN typed\(k) THEN \(days(x, format: .iso)) ELSE \(value) END" }
                items.append("COALESCE(params.as_of_days, \(e.asOfDays)) - (\(value)) AS x\(k)")
            case .categorical: items.append("\(x) AS x\(k)")
            }
            items.append(x)
        }
        return ("vals", "  SELECT\n    " + items.joined(separator: ",\n    ") + "\n  FROM present CROSS JOIN params")
    }

    // MARK: - features: the encoded features, and what could not be read

    /// The value x imputed and transformed (`NumericEncoder.encode`).
    func transformed(_ e: NumericEncoder, value x: String) -> String {
        let imputed = "COALESCE(\(x), \(SQLText.number(e.median)))"
        return e.log1p ? "CASE WHEN \(imputed) < 0 THEN -LN(1 - \(imputed)) ELSE LN(1 + \(imputed)) END" : imputed
    }

    /// The numeric and date columns with a spline, by column index.
    var splineColumns: [Int: NumericEncoder] {
        var out: [Int: NumericEncoder] = [:]
        for (k, c) in columns.enumerated() {
            switch c {
            case .numeric(let e) where e.spline != nil: out[k] = e
            case .date(let e) where e.numeric.spline != nil: out[k] = e.numeric
            default: break
            }
        }
        return out
    }

    /// t<k>: a spline column's value imputed and transformed, which its
    /// terms read several times.
    var splineValuesCTE: (name: String, body: String) {
        let items = ["*"] + splineColumns.sorted { $0.key < $1.key }.map { "\(transformed($0.value, value: "x\($0.key)")) AS t\($0.key)" }
        return ("spline_values", "  SELECT\n    " + items.joined(separator: ",\n    ") + "\n  FROM vals")
    }

    /// The features of numeric column `k` (or a date's days ago), whose
    /// value is `x`: x standardised, a spline's terms
    /// (`NaturalSpline.basis`, the same operations), the missing indicator.
    func numericFeatures(_ e: NumericEncoder, value x: String, column k: Int) -> [String] {
        guard let spline = e.spline else {
            var out = ["(\(transformed(e, value: x)) - \(SQLText.number(e.mean))) / \(SQLText.number(e.standardDeviation))"]
            if e.missingIndicator { out.append("CASE WHEN \(x) IS NULL THEN 1.0e0 ELSE 0.0e0 END") }
            return out
        }
        let t = "t\(k)"
        let n = SQLText.number
        if spline.monotone != nil {
            // The ramps r_j (`NaturalSpline.rampBasis`): the same
            // comparisons, and the width t_{j+1} − t_j as the number
            // Swift computes, so no GREATEST/LEAST is needed.
            var out: [String] = []
            for j in 0..<(spline.knotCount - 1) {
                let tj = spline.knots[j], next = spline.knots[j + 1]
                let r = "CASE WHEN \(t) <= \(n(tj)) THEN 0.0e0 WHEN \(t) >= \(n(next)) THEN \(n(next - tj)) ELSE \(t) - \(n(tj)) END"
                out.append("(\(r) - \(n(spline.means[j]))) / \(n(spline.standardDeviations[j]))")
            }
            if e.missingIndicator { out.append("CASE WHEN \(x) IS NULL THEN 1.0e0 ELSE 0.0e0 END") }
            return out
        }
        func cube(_ knot: Double) -> String {
            "CASE WHEN \(t) > \(n(knot)) THEN (\(t) - \(n(knot))) * (\(t) - \(n(knot))) * (\(t) - \(n(knot))) ELSE 0.0e0 END"
        }
        let tk = spline.knots[spline.knotCount - 1], tk1 = spline.knots[spline.knotCount - 2], norm = n(spline.normaliser)
        var out = ["(\(t) - \(n(e.mean))) / \(n(e.standardDeviation))"]
        for j in 0..<spline.termCount {
            let (a, b) = spline.tail(j)
            let c = "CASE WHEN \(t) > \(n(tk)) THEN (\(n(a)) + \(n(b)) * (\(t) - \(n(tk)))) / \(norm) "
                + "ELSE (\(cube(spline.knots[j])) - \(cube(tk1)) * \(n(spline.ratio(j)))) / \(norm) END"
            out.append("(\(c) - \(n(spline.means[j]))) / \(n(spline.standardDeviations[j]))")
        }
        if e.missingIndicator { out.append("CASE WHEN \(x) IS NULL THEN 1.0e0 ELSE 0.0e0 END") }
        return out
    }

    /// Whether column k's value could not be read (present, but not a
    /// value of the column's kind, or too large; see `SQLExport`).
    func unreadable(_ k: Int) -> String? {
        let x = "x\(k)", present = "\(v(k)) IS NOT NULL"
        switch columns[k] {
        case .categorical: return nil
        case .boolean: return "(\(present) AND \(x) IS NULL)"
        case .numeric(let e):
            let t = e.log1p ? "LN(1 + ABS(\(x)))" : "ABS(\(x))"
            return "(\(present) AND (\(x) IS NULL OR \(t) > \(SQLText.number(SQLExport.largestValue))))"
        case .date: return "(\(present) AND \(x) IS NULL)"
        }
    }

    var featuresCTE: (name: String, body: String) {
        var items = idOutputs
        if card.segments != nil { items.append("segment") }
        for (k, c) in columns.enumerated() {
            let x = "x\(k)"
            switch c {
            case .numeric(let e):
                items += zip(numericFeatures(e, value: x, column: k), offsets[k]...).map { "\($0) AS f\($1)" }
            case .date(let e):
                items += zip(numericFeatures(e.numeric, value: x, column: k), offsets[k]...).map { "\($0) AS f\($1)" }
            case .boolean(let e):
                items.append("CASE WHEN \(x) = 1 THEN 1.0e0 ELSE 0.0e0 END AS f\(offsets[k])")
                if e.missingIndicator { items.append("CASE WHEN \(x) IS NULL THEN 1.0e0 ELSE 0.0e0 END AS f\(offsets[k] + 1)") }
            case .categorical(let e):
                // The active level's feature index from the column's first,
                // -1 for the reference (`CategoricalEncoder.activeIndex`).
                let lookup = e.makeLookup()
                let other = e.levels.firstIndex(of: CategoricalEncoder.otherLevel)
                var cases = lookup.sorted { $0.key < $1.key }.map { "WHEN \(SQLText.literal($0.key)) THEN \($0.value)" }
                if lookup[e.reference] == nil { cases.append("WHEN \(SQLText.literal(e.reference)) THEN -1") }
                items.append(
                    "CASE COALESCE(\(x), \(SQLText.literal(CategoricalEncoder.missingLevel))) \(cases.joined(separator: " ")) ELSE \(other ?? -1) END AS a\(k)")
            }
        }
        for (t, p) in card.schema.encoders.pairBindings.enumerated() {
            // The cell i · n_B + j (`PairBinding.cell`).
            let pair = card.schema.encoders.pairs[t]
            items.append("(\(cell(pair.first, column: p.first))) * \(p.secondCount) + (\(cell(pair.second, column: p.second))) AS p\(t)")
        }
        items.append(d.names(where: columns.indices.compactMap { k in unreadable(k).map { ($0, columns[k].column) } }) + " AS unreadable")
        return ("features", "  SELECT\n    " + items.joined(separator: ",\n    ") + "\n  FROM \(splineColumns.isEmpty ? "vals" : "spline_values")")
    }

    /// The cell of pair side `side` over model column `k`, from the
    /// column's value x<k> (`PairSide.CellFinder`).
    func cell(_ side: PairSide, column k: Int) -> String {
        let x = "x\(k)"
        switch columns[k] {
        case .numeric, .date:
            let edges = side.edges ?? []
            let median: Double
            if case .numeric(let e) = columns[k] { median = e.median } else if case .date(let e) = columns[k] { median = e.numeric.median } else { median = 0 }
            let bins = edges.enumerated().map { "WHEN \(x) <= \(SQLText.number($0.element)) THEN \($0.offset)" }
            return "CASE WHEN \(x) IS NULL THEN \(PairSide.bin(median, edges)) \(bins.joined(separator: " ")) ELSE \(edges.count) END"
        case .boolean:
            return "CASE WHEN \(x) = 1 THEN 1 ELSE 0 END"
        case .categorical(let e):
            // Each value with a feature, to the cell of its feature
            // (`CategoricalEncoder.activeIndex`); the reference and other
            // values to cell 0, or to the cell of "(other)".
            guard case .levels(let cellOf) = side.cellFinder(columns[k]) else { return "0" }
            let lookup = e.makeLookup()
            let cases = lookup.sorted { $0.key < $1.key }.filter { cellOf[$0.value + 1] != 0 }.map { "WHEN \(SQLText.literal($0.key)) THEN \(cellOf[$0.value + 1])" }
            let other = e.levels.firstIndex(of: CategoricalEncoder.otherLevel).map { cellOf[$0 + 1] } ?? 0
            let reference = lookup[e.reference] == nil && other != 0 ? "WHEN \(SQLText.literal(e.reference)) THEN 0 " : ""
            guard !cases.isEmpty || other != 0 else { return "0" }
            return "CASE COALESCE(\(x), \(SQLText.literal(CategoricalEncoder.missingLevel))) \(reference)\(cases.joined(separator: " ")) ELSE \(other) END"
        }
    }

    // MARK: - log-odds: per predictor, in feature order from the intercept

    /// The terms of `beta`, in feature order, those of features where
    /// `included` (all when nil).
    func terms(_ beta: [Double], included: [Bool]? = nil) -> [String] {
        var out: [String] = []
        for (k, c) in columns.enumerated() {
            let first = offsets[k]
            if case .categorical(let e) = c {
                let active = (0..<e.featureCount).filter { included?[first + $0] ?? true }
                guard !active.isEmpty else { continue }
                let cases = active.map { "WHEN \($0) THEN \(SQLText.number(beta[first + $0]))" }.joined(separator: " ")
                out.append("CASE a\(k) \(cases) ELSE 0.0e0 END")
            } else {
                for j in first..<(first + c.featureCount) where included?[j] ?? true {
                    out.append("\(SQLText.number(beta[j])) * f\(j)")
                }
            }
        }
        for (t, (pair, first)) in zip(card.schema.encoders.pairs, card.schema.encoders.pairOffsets).enumerated() {
            var cases: [String] = []
            for (c, feature) in pair.cellFeatures.enumerated() where feature >= 0 {
                let f = first + feature
                if included?[f] ?? true { cases.append("WHEN \(c) THEN \(SQLText.number(beta[f]))") }
            }
            if !cases.isEmpty { out.append("CASE p\(t) \(cases.joined(separator: " ")) ELSE 0.0e0 END") }
        }
        return out
    }

    func sum(from start: String, _ terms: [String]) -> String {
        ([start] + terms).joined(separator: "\n      + ")
    }

    /// Per predictor of the card (`ModelCard.predictors`), in the segment
    /// CASE of a segmented card: `body(intercept, coefficients)`.
    func perPredictor(_ body: (Double, [Double]) -> String) -> String {
        let global = body(card.intercept.coefficient, card.coefficients)
        guard let segments = card.segments?.modelled, !segments.isEmpty else { return global }
        let cases = segments.map { "WHEN \(SQLText.literal($0.value)) THEN \(body($0.intercept!, $0.coefficients!))" }
        return "CASE segment\n      " + cases.joined(separator: "\n      ") + "\n      ELSE \(global) END"
    }

    var logOddsCTE: (name: String, body: String) {
        var items = idOutputs + ["unreadable"]
        items.append(perPredictor { b, beta in "(" + sum(from: SQLText.number(b + 0), terms(beta)) + ")" } + " AS eta")
        if grid != nil {
            let isFit = card.features.map { $0.group == .fit }
            items.append(perPredictor { b, _ in SQLText.number(b + 0) } + " AS intercept")
            items.append(perPredictor { _, beta in "(" + sum(from: "0.0e0", terms(beta, included: isFit)) + ")" } + " AS fit_part")
            items.append(perPredictor { _, beta in "(" + sum(from: "0.0e0", terms(beta, included: isFit.map { !$0 })) + ")" } + " AS engagement_part")
        }
        return ("scored", "  SELECT\n    " + items.joined(separator: ",\n    ") + "\n  FROM features")
    }

    // MARK: - the result

    /// σ(u) as `sigmoid` computes it, its two branches; 0 and 1 beyond
    /// ±745, where e^(−|u|) underflows (PostgreSQL refuses the underflow).
    func sigmoid(_ u: String) -> String {
        "CASE WHEN \(u) >= 0 THEN CASE WHEN \(u) > 745.2e0 THEN 1.0e0 ELSE 1 / (1 + EXP(-(\(u)))) END "
            + "ELSE CASE WHEN \(u) < -745.2e0 THEN 0.0e0 ELSE EXP(\(u)) / (1 + EXP(\(u))) END END"
    }

    /// The card's probability map of log-odds `eta` (`ProbabilityMap`).
    func probability(_ eta: String) -> String {
        switch card.probabilityMap {
        case .identity: return sigmoid(eta)
        case .logistic(let a, let b): return sigmoid("\(SQLText.number(a)) + \(SQLText.number(b)) * \(eta)")
        case .isotonic(let f):
            // `IsotonicCalibration.predict`: clamped, the last breakpoint
            // at or below, linear to the next.
            let s = f.scores, p = f.probabilities, n = s.count
            guard n > 1 else { return SQLText.number(p[0]) }
            var cases = ["WHEN \(eta) <= \(SQLText.number(s[0])) THEN \(SQLText.number(p[0]))"]
            for j in 0..<(n - 1) {
                let slope = (p[j + 1] - p[j]) / (s[j + 1] - s[j])
                cases.append(
                    "WHEN \(eta) < \(SQLText.number(s[j + 1])) THEN \(SQLText.number(slope)) * (\(eta) - \(SQLText.number(s[j]))) + \(SQLText.number(p[j]))")
            }
            return "CASE " + cases.joined(separator: " ") + " ELSE \(SQLText.number(p[n - 1])) END"
        }
    }

    /// round(100·p), halves up (`SubScoreScale.wholeScore` for p ≥ 0).
    func whole(_ p: String) -> String {
        let x = "(\(p)) * 100"
        return d.integer("CASE WHEN \(x) - FLOOR(\(x)) >= 0.5 THEN FLOOR(\(x)) + 1 ELSE FLOOR(\(x)) END")
    }

    func tier(probability p: String, score: String) -> String {
        let n = tiers.labels.count
        var cases: [String] = []
        for i in 0..<(n - 1) {
            let test = tiers.measure == .score ? "\(score) >= \(tiers.cuts[i])" : "\(p) >= \(SQLText.number(tiers.valueCuts[i]))"
            cases.append("WHEN \(test) THEN \(SQLText.literal(tiers.labels[i]))")
        }
        return cases.isEmpty ? SQLText.literal(tiers.labels[0]) : "CASE " + cases.joined(separator: " ") + " ELSE \(SQLText.literal(tiers.labels[n - 1])) END"
    }

    /// The probabilities, NULL for a row with an unreadable value.
    var probabilitiesCTE: (name: String, body: String) {
        var items = idOutputs + ["unreadable", "CASE WHEN unreadable IS NULL THEN \(probability("eta")) END AS probability"]
        if grid != nil, let scale = card.subScores {
            items.append("CASE WHEN unreadable IS NULL THEN \(probability("intercept + fit_part + \(SQLText.number(scale.meanEngagement))")) END AS fit_p")
            items.append("CASE WHEN unreadable IS NULL THEN \(probability("intercept + \(SQLText.number(scale.meanFit)) + engagement_part")) END AS engagement_p")
        }
        return ("probabilities", "  SELECT\n    " + items.joined(separator: ",\n    ") + "\n  FROM scored")
    }

    var finalSelect: String {
        var items = card.schema.idColumns.enumerated().map { "id\($0.offset) AS \(SQLText.identifier($0.element))" }
        items.append("probability")
        items.append("score")
        items.append("CASE WHEN probability IS NOT NULL THEN \(tier(probability: "probability", score: "score")) END AS tier")
        var inner = ["*", "\(whole("probability")) AS score"]
        if let grid {
            inner += ["\(whole("fit_p")) AS fit_score", "\(whole("engagement_p")) AS engagement_score"]
            items += [
                "fit_score", "engagement_score",
                "CASE WHEN probability IS NOT NULL THEN \(SQLText.gridCell(fit: "fit_score", engagement: "engagement_score", cuts: grid)) END AS grid",
            ]
        }
        items.append("unreadable AS unreadable_columns")
        return "SELECT\n  " + items.joined(separator: ",\n  ") + "\nFROM (SELECT " + inner.joined(separator: ", ") + " FROM probabilities) AS s"
    }
}

/// How a lead's value is read in SQL, as `FieldParser` reads it: one
/// dialect's text of the scorer's conventions, for the model and the rules
/// queries alike.
struct SQLReader {
    let d: SQLDialect
    /// The missing markers (after trimming).
    let missingMarkers: [String]

    var markers: String {
        Set(missingMarkers).sorted().map(SQLText.literal).joined(separator: ", ")
    }

    /// The column's trimmed text, NULL when missing.
    func present(_ column: String) -> String {
        let t = d.trim(d.text("\(SQLText.identifier(column))"))
        return "CASE WHEN \(t) IN (\(markers)) THEN NULL ELSE \(t) END"
    }

    func number(_ text: String) -> String {
        "CASE WHEN \(d.matches(text, SQLExport.numberPattern)) THEN \(d.double(text)) END"
    }

    /// Days since 1970-01-01 of a date written in `format`
    /// (`FieldParser.date(_:format:)`), NULL for a text that is not one or
    /// a day that does not exist.
    func days(_ text: String, format: DateFormat = .iso) -> String {
        guard format != .iso else {
            let y = d.integer("SUBSTR(\(text), 1, 4)"), m = d.integer("SUBSTR(\(text), 6, 2)"), day = d.integer("SUBSTR(\(text), 9, 2)")
            return "CASE WHEN \(d.matches(text, SQLExport.datePattern)) THEN \(civil(year: y, month: m, day: day)) END"
        }
        // `FieldParser.dateFields`: a, the separator, b, the same separator,
        // the year, and an optional time of `isTimeOfDay(twelveHour:)`.
        let separators = "('/', '.', '-')"
        let p1 = "CASE WHEN SUBSTR(\(text), 2, 1) IN \(separators) THEN 2 ELSE 3 END"
        let rest = "SUBSTR(\(text), \(p1) + 1)"
        let p2 = "CASE WHEN SUBSTR(\(rest), 2, 1) IN \(separators) THEN 2 ELSE 3 END"
        let a = d.integer("SUBSTR(\(text), 1, \(p1) - 1)"), b = d.integer("SUBSTR(\(rest), 1, \(p2) - 1)")
        let y = d.integer("SUBSTR(\(rest), \(p2) + 1, 4)")
        // With AM or PM the hour is 1–12.
        let time = "SUBSTR(\(rest), \(p2) + 6)"
        let hour = d.integer("SUBSTR(\(time), 1, \(d.position(of: "':'", in: time)) - 1)")
        let twelve = "CASE WHEN \(d.matches(time, ".*[aApP][mM].*")) THEN \(hour) BETWEEN 1 AND 12 ELSE 1 = 1 END"
        let (month, day) = format == .monthFirst ? (a, b) : (b, a)
        return "CASE WHEN \(d.matches(text, SQLExport.fieldsDatePattern)) THEN CASE WHEN \(a) BETWEEN 1 AND 31 AND \(b) BETWEEN 1 AND 31 AND \(twelve) "
            + "THEN \(civil(year: y, month: month, day: day)) END END"
    }

    /// Days since 1970-01-01 of a year, month and day (integer SQL), NULL
    /// when they name no day (`ValueParser.daysFromCivil`, Howard Hinnant's
    /// algorithm, in exact double arithmetic).
    func civil(year y: String, month m: String, day: String) -> String {
        let leap = "((\(y)) % 4 = 0 AND ((\(y)) % 100 <> 0 OR (\(y)) % 400 = 0))"
        let monthLength =
            "CASE \(m) WHEN 2 THEN CASE WHEN \(leap) THEN 29 ELSE 28 END WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END"
        // y' = y − (m ≤ 2); era-free form, exact for years 0–9999.
        let yy = "(\(y) - CASE WHEN \(m) <= 2 THEN 1 ELSE 0 END)"
        let doy = "FLOOR((153 * (\(m) + CASE WHEN \(m) > 2 THEN -3 ELSE 9 END) + 2) / 5.0) + \(day) - 1"
        let days = "(365 * \(yy) + FLOOR(\(yy) / 4.0) - FLOOR(\(yy) / 100.0) + FLOOR(\(yy) / 400.0) + \(doy) - 719468)"
        return "CASE WHEN \(m) BETWEEN 1 AND 12 AND \(day) BETWEEN 1 AND \(monthLength) THEN \(days) END"
    }

    /// The double of an amount written in `format` with the column's
    /// `currency` or none (`FieldParser.amount(_:format:)` and the
    /// scorer's currency check), NULL for a text that is not one.
    func amount(_ text: String, format: AmountFormat, currency: String?) -> String {
        let marks = AmountFormat.currencyBytes.map { String(decoding: $0, as: UTF8.self) }
        let escaped = marks.map { $0 == "$" ? "[$]" : $0 }.joined(separator: "|")
        let (group, decimal) = format == .decimalPoint ? (",", "[.]") : ("[.]", ",")
        let body = "([0-9]+|[0-9]{1,3}(\(group)[0-9]{3})+)(\(decimal)[0-9]+)?"
        let cur = "(\(escaped))", sign = "(-|[+])"
        let pattern = "(\(sign)?\(body)( ?\(cur))?|\(sign)?\(cur) ?\(body)|\(cur) ?\(sign)\(body))"
        // The digits alone: the currency (the column's, the one a value
        // may carry), spaces and thousands marks out, a point for the
        // decimal mark; then the sign-stripped body's length.
        var digits = text
        if let currency { digits = "REPLACE(\(digits), \(SQLText.literal(currency)), '')" }
        digits = "REPLACE(REPLACE(\(digits), ' ', ''), \(SQLText.literal(format == .decimalPoint ? "," : ".")), '')"
        if format == .decimalComma { digits = "REPLACE(\(digits), ',', '.')" }
        let bodyLength = "LENGTH(REPLACE(REPLACE(\(digits), '-', ''), '+', ''))"
        let others = marks.filter { $0 != currency }.map { "\(d.position(of: SQLText.literal($0), in: text)) > 0" }
        let plain = format == .decimalPoint ? d.matches(text, SQLExport.numberPattern) : d.matches(text, "(-|[+])?[0-9]+")
        return "CASE WHEN \(plain) THEN \(d.double(text)) "
            + "WHEN \(d.matches(text, pattern)) AND NOT (\(others.joined(separator: " OR "))) AND \(bodyLength) <= 48 THEN \(d.double(digits)) END"
    }

    func boolean(_ text: String) -> String {
        let lower = "LOWER(\(text))"
        let number = self.number(text)
        return "CASE WHEN \(lower) IN ('yes', 'true', 'y', 't', '1') THEN 1 WHEN \(lower) IN ('no', 'false', 'n', 'f', '0') THEN 0 "
            + "ELSE CASE \(number) WHEN 1 THEN 1 WHEN 0 THEN 0 END END"
    }
}
