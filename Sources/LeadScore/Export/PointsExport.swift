import Foundation

/// A learned model turned into an integer points table in the rules format,
/// so marketing can read it and it can be compared with their own rules.
///
/// Scaling. With F = pointsToDoubleOdds / ln 2, a column whose contribution
/// to the log-odds is c gets round(F · c) points: `pointsToDoubleOdds` points
/// double the odds of winning (the scorecard convention "PDO"). The total
/// is then F · (η − b) up to rounding, η the model's log-odds and b its
/// intercept, so the model's tier cut at probability q becomes the points
/// threshold F · (logit(q) − b), and ranking by points follows ranking by
/// the model except where rounding ties or swaps nearby leads.
///
/// Columns:
/// - category: one rule per level with a coefficient (`equals`), "(other)"
///   as "present and none of the known levels", "(missing)" as `missing`;
///   the reference level gets no rule (0 points);
/// - boolean: `equals: true`, plus `missing: true` when the model has a
///   missing indicator;
/// - number: one rule per band between consecutive deciles of the column's
///   values in `data` (distinct edges only; the smallest value gets a band
///   of its own), worth the band's mean contribution (the mean over the
///   band's leads, which is the constant closest to their contributions in
///   squared error; for a spline column, its curve's contribution,
///   `NumericEncoder.contribution`); `missing: true` gets the contribution
///   at the imputed median plus the missing indicator's;
/// - date: not expressible as rule conditions; left out and named in
///   `notes`;
/// - pair term (`PairEncoder`): one rule per cell with a feature (i ≥ 1,
///   j ≥ 1, not rare: a rare cell is merged into the reference), worth its
///   coefficient, whose condition is the `all` of its two sides' cells: a
///   category's level (as above), a boolean's true, a number's bin
///   (`above` the lower edge and `atMost` the upper, the bin of the median
///   also when `missing`); a pair with a date side is left out and named
///   in `notes`. A pair's rule is `fit` or `engagement` as the pair's group
///   (`FeatureGroup.ofPair`).
/// Rules worth 0 points after rounding are left out. A rule is `fit` or
/// `engagement` as its column's group in the model, for a model with
/// groups; otherwise as guessed from the column's name (`category(of:)`).
///
/// For a model with groups, the fit points approximate F · (the fit part
/// of the log-odds) and the engagement points F · E, so the grid cut-offs
/// on the sub-scores (`SubScoreScale`; the tiers' `grid` when given)
/// become points: fit_score ≥ s means σ(b + F + Ē) ≥ q = (s − ½)/100, i.e.
/// fit points ≥ F · (logit(q) − b − Ē), rounded up; engagement points
/// likewise with F̄. When rounding makes two cut-offs of an axis equal, the
/// grid is left out, with a note.
///
/// A recalibrated card (`ModelCard.calibration`). With a logistic map,
/// p = σ(a + s·η), the points are those of the calibrated log-odds
/// a + s·η: each column gets round(F · s · c) points (so the points still
/// double the calibrated odds) and the thresholds use a + s·b for b (and
/// a + s·(b + Ē), a + s·(b + F̄) for the grid). An isotonic map is not a
/// sum of column parts: the points are those of the model's log-odds
/// before the map (they double those odds), and each threshold is where
/// the calibrated probability reaches the cut, the smallest η with
/// f(η) ≥ q (`IsotonicCalibration.smallestScore(reaching:)`), so the tiers
/// and the grid route leads as the recalibrated card does, up to rounding.
/// A cut the isotonic map never reaches, or always does, cannot be a
/// threshold: tiers refuse it, a grid is left out with a note.
///
/// The measurement dates of the model's days-since columns
/// (`ModelCard.Schema.measuredOn`) go to the rules file
/// (`RuleSet.measuredOn`) for the columns its rules read, so that scoring
/// the points as of a later day ages them as it ages the model.
public struct PointsExport: Sendable {
    public var rules: RuleSet
    /// Columns left out, and why.
    public var notes: [String]
    /// AUC of the model and of the points table on `data` (rows with an
    /// outcome), so the cost of rounding is stated.
    public var modelAUC: Double
    public var pointsAUC: Double
    public var rows: Int

    public static func make(
        model: ModelCard, modelName: String, data: String, pointsToDoubleOdds: Double = 20, tiers: TierScheme = .standard
    ) throws(InputError) -> PointsExport {
        if let segments = model.segments {
            // A points table is one model's: a segment's is exported on its own.
            throw InputError(
                .badConfiguration,
                "\(modelName) has one model per \"\(segments.column)\" value, and a points table holds one model.",
                remedy: "Export one segment's model with \(OptionKey.segment.mention) (one of \(segments.segments.map { "\"\($0.value)\"" }.joined(separator: ", "))), or the global model with \(OptionKey.segment.mention) \"\(SegmentModels.globalName)\".")
        }
        guard tiers.measure == .score else {
            // The thresholds below are derived from whole-score cuts.
            throw InputError(
                .badConfiguration, "a points export carries tiers cut on the 0–100 score, and these tiers cut on the probability.",
                remedy: "Give the export tiers on the score (\(OptionKey.tiers.mention)), e.g. \"A:50,B:30,C:15,D\".")
        }
        let factor = pointsToDoubleOdds / log(2)
        let encoders = model.schema.encoders.columns
        let offsets = model.schema.encoders.offsets
        // The scale of the points: the calibrated log-odds a + s·η for a
        // logistic map (a = 0, s = 1 without one), η for an isotonic map.
        let map = model.probabilityMap
        let (shift, slope) = map.affine ?? (0, 1)
        let beta = model.coefficients.map { slope * $0 }
        let options = ScoringOptions(reasons: 0)
        let parser = options.parser(for: model)

        // The labelled leads (`LabelledLeads`) with the model's log-odds, and
        // the numeric columns' values of every row.
        let numericColumns = encoders.enumerated().compactMap { k, c -> (Int, NumericEncoder)? in
            if case .numeric(let e) = c { return (k, e) } else { return nil }
        }
        var values = [Int: [Double]]()
        var fieldIndex: [Int: Int]? = nil
        let leads = try LabelledLeads.read(
            path: data, outcome: .known(model.schema.target), scorers: [.model(path: modelName, model)], options: options,
            visit: { reader in
                let index = fieldIndex ?? Dictionary(uniqueKeysWithValues: numericColumns.compactMap { k, e in reader.header.firstIndex(of: e.column).map { (k, $0) } })
                fieldIndex = index
                for (k, _) in numericColumns {
                    if let i = index[k], let v = parser.present(reader.field(i)).flatMap(ValueParser.number) { values[k, default: []].append(v) }
                }
            })
        let labels = leads.labels, logOdds = leads.logOdds[0]
        guard !labels.isEmpty else {
            throw InputError(
                .noTrainingData, at: InputLocation(file: data),
                "the file has no leads with a won or lost outcome, which the export needs for the numeric bands and to measure the cost of rounding.",
                remedy: "Pass the training file (or another file of closed deals) as \(OptionKey.data.mention).")
        }

        let won = labels.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) }
        guard won > 0, won < labels.count else {
            throw InputError(
                .singleClass, at: InputLocation(file: data, column: model.schema.target.column),
                "all \(labels.count) leads with an outcome are \(won > 0 ? "won" : "lost"), so the cost of rounding (the AUC of the points and of the model) cannot be measured on them.",
                remedy: "Pass a file with both won and lost deals as \(OptionKey.data.mention), such as the training file.")
        }

        var rules: [Rule] = []
        var notes: [String] = []
        func points(_ c: Double) -> Double { (factor * c).rounded() }
        let groupOf = model.columnGroups.map { Dictionary(zip(encoders.map(\.column), $0), uniquingKeysWith: { x, _ in x }) }
        func add(_ name: String, _ column: String, _ condition: RuleCondition, _ contribution: Double) {
            let p = points(contribution)
            let category = groupOf?[column].flatMap { RuleCategory(rawValue: $0.rawValue) } ?? category(of: column)
            if p != 0 { rules.append(Rule(name, category, when: condition, points: p)) }
        }
        for (k, c) in encoders.enumerated() {
            let o = offsets[k]
            switch c {
            case .categorical(let e):
                let kept = [e.reference] + e.levels
                let keptLower = Set(kept.map { $0.lowercased() })
                let merged = e.pooled.filter { keptLower.contains($0.lowercased()) }
                if !merged.isEmpty {
                    notes.append(
                        "\"\(e.column)\": the rare values \(merged.map { "\"\($0)\"" }.joined(separator: ", ")) differ only in case from a kept value; the rules compare case-insensitively, so they get that value's points (the model pooled them into \"(other)\").")
                }
                if keptLower.count < kept.count {
                    throw InputError(
                        .badModel, at: InputLocation(file: modelName, column: e.column),
                        "this column has values that differ only in upper and lower case, which the rules format compares as one value.",
                        remedy: "Clean the values (e.g. \"Google\" and \"google\") in the data and retrain before exporting points.")
                }
                for (j, level) in e.levels.enumerated() {
                    let (name, condition) = levelCondition(e, level)
                    add(name, e.column, condition, beta[o + j])
                }
            case .boolean(let e):
                add(e.column, e.column, .column(e.column, .equals(.boolean(true))), beta[o])
                if e.missingIndicator { add("\(e.column) is missing", e.column, .column(e.column, .missing(true)), beta[o + 1]) }
            case .numeric(let e):
                let column = values[k, default: []].sorted()
                let contribution = { (x: Double) in e.contribution(x, coefficients: beta[o...]) }
                if e.missingIndicator {
                    add("\(e.column) is missing", e.column, .column(e.column, .missing(true)), contribution(e.median) + beta[o + e.valueFeatureCount])
                }
                guard !column.isEmpty else { continue }
                var edges: [Double] = []
                for q in 1..<10 {
                    let v = column[min(column.count - 1, q * column.count / 10)]
                    if edges.last != v && v != column[0] { edges.append(v) }
                }
                // A value shared by many leads (0 visits) gets a band of its
                // own: the next distinct value starts the following band.
                if let next = column.first(where: { $0 > column[0] }), edges.first.map({ $0 > next }) ?? true {
                    edges.insert(next, at: 0)
                }
                let bounds = [column[0]] + edges + [column[column.count - 1]]
                for b in 0..<(bounds.count - 1) {
                    let lo = bounds[b], hi = bounds[b + 1], last = b == bounds.count - 2
                    let inBand = column.filter { $0 >= lo && ($0 < hi || (last && $0 <= hi)) }
                    guard !inBand.isEmpty else { continue }
                    let mean = inBand.reduce(0) { $0 + contribution($1) } / Double(inBand.count)
                    let test: RuleCondition
                    if b == 0 && !last {
                        test = .column(e.column, .below(hi))
                    } else if last {
                        test = .column(e.column, .atLeast(lo))
                    } else {
                        test = .column(e.column, [.atLeast(lo), .below(hi)])
                    }
                    let label = b == 0 && !last ? "below \(ModelNumber.text(hi))" : last ? "\(ModelNumber.text(lo)) or more" : "\(ModelNumber.text(lo)) to under \(ModelNumber.text(hi))"
                    add("\(e.column) \(label)", e.column, test, mean)
                }
            case .date(let e):
                notes.append("\"\(e.column)\" is a date column; the rules format has no date comparisons, so it is left out of the points table.")
            }
        }
        let pairGroups = model.columnGroups.map { Array($0.dropFirst(encoders.count)) }
        for (t, (pair, o)) in zip(model.schema.encoders.pairs, model.schema.encoders.pairOffsets).enumerated() {
            let sides = [pair.first, pair.second].map { side in (side, encoders.first { $0.column == side.column }!) }
            guard let a = cellConditions(sides[0].0, sides[0].1), let b = cellConditions(sides[1].0, sides[1].1) else {
                notes.append("The pair \"\(pair.name)\" has a date column; the rules format has no date comparisons, so it is left out of the points table.")
                continue
            }
            let category = pairGroups.flatMap { RuleCategory(rawValue: $0[t].rawValue) } ?? category(of: pair.first.column)
            let features = pair.cellFeatures
            for i in 1..<pair.first.cellCount {
                for j in 1..<pair.second.cellCount where features[i * pair.second.cellCount + j] >= 0 {
                    let p = points(beta[o + features[i * pair.second.cellCount + j]])
                    if p != 0 { rules.append(Rule("\(pair.name): \(pair.first.cells[i]), \(pair.second.cells[j])", category, when: .all([a[i], b[j]]), points: p)) }
                }
            }
        }

        // Tier thresholds: a model tier holds when round(100 p) ≥ cut, i.e.
        // p ≥ q = (cut − ½)/100, i.e. points ≥ F·(logit(q) − b), rounded up
        // since totals are whole points (on the scale of the points, above:
        // a + s·b for b, and for an isotonic map the η where f reaches q for
        // logit(q)).
        let b = model.intercept.coefficient
        func scaled(_ logOdds: Double) -> Double { shift + slope * logOdds }
        // The points at which a whole score reaches `cut`, for log-odds
        // `offset` + (the points' part) / F; nil when no lead's, or every
        // lead's, isotonic probability reaches it.
        func threshold(_ cut: Double, offset: Double) -> Double? {
            let q = min(max((cut - 0.5) / 100, 1e-6), 1 - 1e-6)
            let reached: Double
            if case .isotonic(let f) = map {
                guard let t = f.smallestScore(reaching: q), t.isFinite else { return nil }
                reached = t
            } else {
                reached = log(q / (1 - q))
            }
            return (factor * (reached - offset)).rounded(.up)
        }
        var ruleTiers: [RuleTier] = []
        for (label, cut) in zip(tiers.labels, tiers.cuts) {
            guard let points = threshold(Double(cut), offset: scaled(b)) else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: modelName),
                    "the tier \(label) (score ≥ \(cut)) cannot be a points threshold: the card's isotonic calibration gives \(cut > 50 ? "no lead" : "every lead") a score of \(cut) or more.",
                    remedy: "Give the export tiers within the calibrated probabilities' range (\(OptionKey.tiers.mention)), or recalibrate with a logistic method (\(OptionKey.calibrationMethod.mention)).")
            }
            ruleTiers.append(RuleTier(label, atLeast: points))
        }
        ruleTiers.append(RuleTier(tiers.labels.last!))
        var grid: GridCuts? = nil
        if let scale = model.subScores {
            let cuts = tiers.grid ?? scale.grid(through: map)
            let fit = cuts.fit.map { threshold($0, offset: scaled(b + scale.meanEngagement)) }
            let engagement = cuts.engagement.map { threshold($0, offset: scaled(b + scale.meanFit)) }
            if fit.contains(nil) || engagement.contains(nil) {
                notes.append("The grid's cut-offs (\(cuts.description)) include one that the card's isotonic calibration gives to no lead or to every lead, so the points table has no grid.")
            } else {
                let points = GridCuts(fit: fit.map { $0! }, engagement: engagement.map { $0! })
                if zip(points.fit.dropFirst(), points.fit).allSatisfy({ $0 < $1 }), zip(points.engagement.dropFirst(), points.engagement).allSatisfy({ $0 < $1 }) {
                    grid = points
                } else {
                    notes.append("The grid's cut-offs (\(cuts.description)) round to equal points on one axis (\(points.description)), so the points table has no grid.")
                }
            }
        }
        if let calibration = model.calibration {
            notes.append(
                map.affine != nil
                    ? "The card is recalibrated (\(calibration.formula)): the points are those of the calibrated log-odds, so \(ModelNumber.text(pointsToDoubleOdds)) points double the calibrated odds of winning."
                    : "The card is recalibrated by isotonic steps, which are not a sum of column parts: the points are those of the model's log-odds before the steps (\(ModelNumber.text(pointsToDoubleOdds)) points double those odds), and the thresholds are where the calibrated probability reaches each cut.")
        }
        // A points table is read by people and added up exactly: every
        // value must be a whole number of at most `maximumPoints`.
        let largest = (rules.map { abs($0.points ?? 0) } + ruleTiers.compactMap { $0.atLeast.map(abs) } + (grid.map { ($0.fit + $0.engagement).map(abs) } ?? [])).max() ?? 0
        guard largest <= maximumPoints else {
            throw InputError(
                .badConfiguration, at: InputLocation(file: modelName),
                "with \(ModelNumber.text(pointsToDoubleOdds)) points to double the odds, the points table would hold values of \(largest.isFinite ? ModelNumber.text(largest) : "infinity") points, beyond the \(ModelNumber.grouped(Int(maximumPoints))) a points table may hold.",
                remedy: "Choose fewer points to double the odds (\(OptionKey.pointsToDoubleOdds.mention)), such as the usual 20.")
        }
        guard !rules.isEmpty || beta.allSatisfy({ $0 == 0 }) else {
            throw InputError(
                .badConfiguration, at: InputLocation(file: modelName),
                "with \(ModelNumber.text(pointsToDoubleOdds)) points to double the odds, every column's contribution rounds to 0 points, so the points table could not rank any lead.",
                remedy: "Choose more points to double the odds (\(OptionKey.pointsToDoubleOdds.mention)), such as the usual 20.")
        }
        let read = RuleSlotBuilder.numberColumns(RuleSet(rules: rules))
        let measuredOn = (model.schema.measuredOn ?? [:]).filter { read.contains($0.key) }
        let set = RuleSet(
            name: "Points from \(modelName) (\(ModelNumber.text(pointsToDoubleOdds)) points double the odds of winning)"
                + (model.integrityReportNote.map { ". Warning: " + $0 } ?? ""),
            missingValues: { let m = model.schema.missingValues.filter { !ValueParser.defaultMissingMarkers.contains($0) }; return m.isEmpty ? nil : m }(),
            measuredOn: measuredOn.isEmpty ? nil : measuredOn, rules: rules, tiers: ruleTiers, grid: grid)

        // The cost of rounding, on the same leads.
        let points = try LabelledLeads.read(
            path: data, outcome: .known(model.schema.target), scorers: [.rules(path: modelName, set)], options: options)
        let pointTotals = points.scores[0]
        return PointsExport(
            rules: set, notes: notes, modelAUC: BinaryMetrics.auc(labels: labels, scores: logOdds),
            pointsAUC: BinaryMetrics.auc(labels: labels, scores: pointTotals), rows: labels.count)
    }

    /// The rule name and condition of a category's level with a feature:
    /// "(missing)" as `missing`, "(other)" as "present and none of the
    /// known levels", any other level as `equals`.
    static func levelCondition(_ e: CategoricalEncoder, _ level: String) -> (String, RuleCondition) {
        switch level {
        case CategoricalEncoder.missingLevel:
            return ("\(e.column) is missing", .column(e.column, .missing(true)))
        case CategoricalEncoder.otherLevel:
            let known = ([e.reference] + e.levels.filter { $0 != CategoricalEncoder.otherLevel && $0 != CategoricalEncoder.missingLevel })
                .map { RuleValue.text($0) }
            return ("\(e.column) = any other value", .all([.column(e.column, .missing(false)), .not(.column(e.column, .oneOf(known)))]))
        default:
            return ("\(e.column) = \(level)", .column(e.column, .equals(.text(level))))
        }
    }

    /// The condition of each cell of a pair's side (cell 0's is not used):
    /// a category's level, a boolean's true, a number's bin (x ≤ e₀,
    /// e_{i−1} < x ≤ e_i, x > e_last; the median's bin also when missing,
    /// as the model reads a missing value); nil for a date side.
    static func cellConditions(_ side: PairSide, _ encoder: ColumnEncoder) -> [RuleCondition]? {
        let column = side.column
        switch encoder {
        case .categorical(let e):
            return [.column(column, .missing(true))] + (side.levels ?? []).map { levelCondition(e, $0).1 }
        case .boolean:
            return [.column(column, .equals(.boolean(false))), .column(column, .equals(.boolean(true)))]
        case .numeric(let e):
            let edges = side.edges ?? []
            let median = PairSide.bin(e.median, edges)
            return (0...edges.count).map { i in
                var tests: [ColumnTest] = []
                if i > 0 { tests.append(.above(edges[i - 1])) }
                if i < edges.count { tests.append(.atMost(edges[i])) }
                let bin = RuleCondition.column(column, tests)
                return i == median ? .any([.column(column, .missing(true)), bin]) : bin
            }
        case .date:
            return nil
        }
    }

    /// The largest number of points a rule or a tier threshold may carry:
    /// totals stay whole numbers a person can add up, far inside the
    /// doubles' exact integers (2^53).
    public static let maximumPoints: Double = 1_000_000

    /// Engagement (what the lead did) or fit (who the lead is), guessed from
    /// the column's name.
    static func category(of column: String) -> RuleCategory {
        let words = ["visit", "click", "open", "activity", "webinar", "demo", "page", "session", "time spent", "download", "chat", "email", "form", "view", "call"]
        let name = column.lowercased()
        return words.contains { name.contains($0) } ? .engagement : .fit
    }
}
