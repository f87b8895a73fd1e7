import Foundation

/// How the outcome of a file of labelled leads is read.
public enum OutcomeRule: Sendable, Equatable {
    /// The won and lost values are known: a model's outcome, or given.
    case known(TargetSpec)
    /// Read from the values the column holds, as `train` reads them, with
    /// any won and lost values given (`TargetSpec.infer`).
    case inferred(column: String, positive: [String]?, negative: [String]?)

    public var column: String {
        switch self {
        case .known(let spec): spec.column
        case .inferred(let column, _, _): column
        }
    }
}

/// The leads of a labelled file (closed deals with their outcome), each
/// scored by every scorer: the one loop that `evaluate`, the validation
/// file of `train` (`Evaluator`), the points export and `thresholds` read
/// scored leads with. Without an outcome rule (`thresholds` on a new batch)
/// every row is a lead, with the label NaN.
///
/// 1. The outcome of each row is read with `TargetSpec`, the outcome
///    parser of training: trimmed, missing when it is a missing marker (the
///    default markers, every scorer's own, and the scoring options'
///    extras), won or lost by the rule's values, else open; and open when
///    the outcome has a closed column (`TargetSpec.closedColumn`,
///    Salesforce's `IsClosed`) whose value is not true. An outcome
///    inferred for a column named IsWon takes a column named IsClosed, as
///    training does. When the won
///    and lost values must be inferred, the outcome column's distinct
///    values are read first, in a pass of their own; that needs a regular
///    file, not standard input or a pipe, which are read once. Won and lost
///    values given are checked against the column's values after the read.
/// 2. Rows without an outcome (missing or open) are counted and left out,
///    unscored. Every other row is scored by every scorer, models through
///    `ModelScorer` (the scoring road of `score`), rules through
///    `RuleScorer`.
struct LabelledLeads {
    let file: String
    /// The outcome's reading; nil when the leads are read without one.
    let target: TargetSpec?
    /// Rows in the file, and rows left out for want of an outcome.
    var fileRows = 0
    var excluded = 0
    /// 1 won, 0 lost, per lead with an outcome, in file order.
    var labels: [Double] = []
    /// Per scorer, per lead: the score it ranks by (a model's probability,
    /// a rules file's points), the probability (NaN for rules; a model's
    /// through its `ProbabilityMap`), the model's log-odds η before any
    /// calibration (`LinearPredictor`; NaN for rules) and the tier.
    var scores: [[Double]]
    var probabilities: [[Double]]
    var logOdds: [[Double]]
    var tiers: [[String]]
    /// Per scorer, per lead: whether a rules file's disqualify entry set
    /// the tier (always false for models).
    var disqualified: [[Bool]]
    /// Per scorer, per lead: the grid cell's index (`GridCell.index`); -1
    /// for scorers without a grid.
    var cells: [[Int8]]
    /// Per scorer, per lead: a model's fit and engagement scores; nil for
    /// rules and models without groups.
    var subScores: [[SubScores?]]
    /// Per scorer with segment models (`SegmentModels`), per lead: its
    /// segment (index into `SegmentModels.segments`), nil when its value
    /// was missing or not seen in training (scored with the global model);
    /// empty for every other scorer.
    var segments: [[Int?]]
    /// The scorers, bound to the file's header, in the order given.
    var scorers: [BoundScorer]

    /// The most distinct values an outcome column may hold for its won and
    /// lost values to be inferred: far more than any CRM stage list, few
    /// enough to refuse an id or free-text column at once.
    static let maximumOutcomeValues = 1000

    /// Reads and scores `path`. `visit` is called with every record before
    /// its outcome is read; `lead` with every lead with an outcome, after
    /// it is scored, with its label and each scorer's probability.
    /// `outcomeOptional`: a file without the outcome column is read without
    /// one. `requiringIds`: the models' id columns must be in the file too (to
    /// write predictions with them), checked with their own columns as
    /// `score` checks them.
    static func read(
        path: String, outcome: OutcomeRule?, outcomeOptional: Bool = false, scorers sources: [ScorerSource], options: ScoringOptions,
        requiringIds: Bool = false,
        visit: ((CSVReader) throws(InputError) -> Void)? = nil,
        lead: ((CSVReader, _ label: Double, _ probabilities: [Double]) throws(InputError) -> Void)? = nil
    ) throws(InputError) -> LabelledLeads {
        let reader = try CSVReader(path: path)
        guard let outcome, !(outcomeOptional && !reader.header.contains(outcome.column)) else {
            return try readUnlabelled(reader: reader, scorers: sources, options: options, requiringIds: requiringIds, visit: visit, lead: lead)
        }
        let column = outcome.column
        guard let targetIndex = reader.header.firstIndex(of: column) else {
            throw InputError(
                .missingColumn, at: InputLocation(file: path, line: 1, column: column),
                "the file has no outcome column \"\(column)\"; its closed deals are needed with their outcome.",
                remedy: CSVDialect.oneColumnHint(header: reader.header)
                    ?? "Use a file of closed deals with this column, or name the outcome column with \(OptionKey.target.mention).")
        }
        var markers = ValueParser.defaultMissingMarkers + options.extraMissingValues
        for source in sources {
            switch source {
            case .model(_, let card): markers += card.schema.missingValues
            case .rules(_, let rules): markers += rules.missingValues ?? []
            }
        }
        let parser = ValueParser(missingMarkers: markers)
        var target: TargetSpec
        // Won and lost values given: checked against the column's values
        // once the file is read, as training checks them.
        var given: [String]? = nil
        switch outcome {
        case .known(let spec):
            target = spec
        case .inferred(let column, let positive?, let negative?) where !positive.isEmpty && !negative.isEmpty:
            target = TargetSpec(column: column, positive: positive, negative: negative)
            given = positive + negative
        case .inferred(let column, let positive, let negative):
            guard path != "-", reader.fileSize != nil else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: path, column: column),
                    "the won and lost values of the outcome must be read from the file first, and standard input or a pipe can be read only once.",
                    remedy: "Pass a regular file, or name the won and lost values with \(OptionKey.positive.mention) and \(OptionKey.negative.mention).")
            }
            target = try TargetSpec.infer(
                column: column, values: try outcomeValues(path: path, index: targetIndex, parser: parser), positive: positive,
                negative: negative, file: path)
        }
        if case .inferred = outcome, target.closedColumn == nil, target.positive.allSatisfy({ ValueParser.boolean($0) == true }) {
            // An IsWon outcome beside IsClosed, as training reads it.
            target.closedColumn = TargetSpec.closedColumn(for: column, header: reader.header)
        }
        var closedIndex: Int? = nil
        if let closed = target.closedColumn {
            guard let i = reader.header.firstIndex(of: closed) else {
                throw InputError(
                    .missingColumn, at: InputLocation(file: path, line: 1, column: closed),
                    "the file has no column \"\(closed)\", which says which deals are closed: without it, open deals cannot be told from lost ones (\"\(column)\" is false for both).",
                    remedy: "Export the file with this column, as the model was trained on.")
            }
            closedIndex = i
        }
        var bound: [BoundScorer] = []
        for s in sources { bound.append(try BoundScorer(s, header: reader.header, file: path, options: options, requiringIds: requiringIds)) }
        var leads = LabelledLeads(file: path, target: target, scorerCount: bound.count)
        // Which given values occur, and the first few values, for the error.
        let wanted = Set(given ?? [])
        var found = Set<String>(), firstValues: [String] = []
        while try reader.nextRecord() {
            leads.fileRows += 1
            try visit?(reader)
            let value = parser.present(reader.field(targetIndex))
            if given != nil, let value {
                if wanted.contains(value) { found.insert(value) }
                if firstValues.count < 20 && !firstValues.contains(value) { firstValues.append(value) }
            }
            let closed = closedIndex.flatMap { parser.present(reader.field($0)) }
            guard let label = try target.label(value, closed: closed, at: InputLocation(file: path, line: reader.recordLine)) else {
                leads.excluded += 1
                continue
            }
            try leads.append(label: label, reader: reader, scorers: &bound)
            if let lead { try lead(reader, label, leads.probabilities.map { $0[$0.count - 1] }) }
        }
        if let given, let absent = given.first(where: { !found.contains($0) }) {
            throw TargetSpec.valueNeverOccurs(absent, file: path, column: column, values: firstValues)
        }
        leads.scorers = bound
        return leads
    }

    private init(file: String, target: TargetSpec?, scorerCount: Int) {
        self.file = file
        self.target = target
        let empty = [[Double]](repeating: [], count: scorerCount)
        scores = empty
        probabilities = empty
        logOdds = empty
        tiers = [[String]](repeating: [], count: scorerCount)
        disqualified = [[Bool]](repeating: [], count: scorerCount)
        cells = [[Int8]](repeating: [], count: scorerCount)
        subScores = [[SubScores?]](repeating: [], count: scorerCount)
        segments = [[Int?]](repeating: [], count: scorerCount)
        scorers = []
    }

    /// Scores `reader`'s current record with every scorer and keeps it as a
    /// lead with `label`.
    private mutating func append(label: Double, reader: CSVReader, scorers bound: inout [BoundScorer]) throws(InputError) {
        labels.append(label)
        for k in bound.indices {
            let s = try bound[k].score(reader)
            scores[k].append(s.score)
            probabilities[k].append(s.probability)
            logOdds[k].append(s.logOdds)
            tiers[k].append(s.tier)
            disqualified[k].append(s.disqualified)
            cells[k].append(s.cell.map { Int8($0.index) } ?? -1)
            subScores[k].append(s.subScores)
            if bound[k].hasSegments { segments[k].append(s.segment) }
        }
    }

    /// Every row a lead, with the label NaN: a new batch, read without an
    /// outcome.
    private static func readUnlabelled(
        reader: CSVReader, scorers sources: [ScorerSource], options: ScoringOptions, requiringIds: Bool,
        visit: ((CSVReader) throws(InputError) -> Void)?, lead: ((CSVReader, _ label: Double, _ probabilities: [Double]) throws(InputError) -> Void)?
    ) throws(InputError) -> LabelledLeads {
        var bound: [BoundScorer] = []
        for s in sources { bound.append(try BoundScorer(s, header: reader.header, file: reader.path, options: options, requiringIds: requiringIds)) }
        var leads = LabelledLeads(file: reader.path, target: nil, scorerCount: bound.count)
        while try reader.nextRecord() {
            leads.fileRows += 1
            try visit?(reader)
            try leads.append(label: .nan, reader: reader, scorers: &bound)
            if let lead { try lead(reader, .nan, leads.probabilities.map { $0[$0.count - 1] }) }
        }
        leads.scorers = bound
        return leads
    }

    /// The distinct present values of the outcome column, in order of
    /// first appearance (the order training sees them in).
    static func outcomeValues(path: String, index: Int, parser: ValueParser) throws(InputError) -> [String] {
        let reader = try CSVReader(path: path)
        var seen = Set<String>(), values: [String] = []
        while try reader.nextRecord() {
            guard let v = parser.present(reader.field(index)), seen.insert(v).inserted else { continue }
            values.append(v)
            if values.count > maximumOutcomeValues {
                throw TargetSpec.tooManyValues(file: path, column: reader.header[index], limit: maximumOutcomeValues)
            }
        }
        return values
    }

    /// The number of won leads.
    var positives: Int { labels.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) } }
}

/// A scorer to compare or evaluate: a learned model or a rules file.
public enum ScorerSource: Sendable {
    case model(path: String, ModelCard)
    case rules(path: String, RuleSet)

    var name: String {
        switch self {
        case .model(let path, _), .rules(let path, _): (path as NSString).lastPathComponent
        }
    }
}

/// A scorer bound to a file's header: a model with its tiers, or a rules
/// file.
struct BoundScorer {
    private var model: ModelScorer?
    private let tiers: TierScheme
    private let rules: (scorer: RuleScorer, set: RuleSet)?
    let name: String
    let source: String
    var isRules: Bool { rules != nil }

    init(_ s: ScorerSource, header: [String], file: String, options: ScoringOptions, requiringIds: Bool = false) throws(InputError) {
        name = s.name
        tiers = options.tiers
        switch s {
        case .model(let path, let card):
            source = path
            model = try ModelScorer(model: card, header: header, file: file, options: options, requiringIds: requiringIds)
            rules = nil
        case .rules(let path, let set):
            source = path
            rules = (try RuleScorer(rules: set, header: header, file: file, parser: options.rulesParser, asOfDays: options.asOfDays,
                exportedOnDays: options.exportedOnDays), set)
        }
    }

    /// The score the scorer ranks by (a probability, or points), the
    /// probability and log-odds (NaN for rules), the tier, whether a rules
    /// file's disqualify entry set it, a model's fit and engagement scores
    /// and the grid cell (nil without a grid), and the segment of a model
    /// with segment models (`ModelScorer.segment`; nil otherwise) of
    /// `reader`'s current record.
    mutating func score(_ reader: CSVReader) throws(InputError) -> (
        score: Double, probability: Double, logOdds: Double, tier: String, disqualified: Bool, subScores: SubScores?, cell: GridCell?,
        segment: Int?
    ) {
        if let rules {
            let s = try rules.scorer.score(reader)
            guard s.total.isFinite else {
                throw InputError(
                    .invalidValue, at: InputLocation(file: reader.path, line: reader.recordLine),
                    "the rules of \(name) give this lead a total that is not a finite number.",
                    remedy: "Check the rules' points and the lead's values (a huge count times points per occurrence overflows).")
            }
            return (s.total, .nan, .nan, s.tier, s.disqualifiedBy != nil, nil, s.cell, nil)
        }
        // Not rules, so a model (scored in place, its buffers not copied).
        let eta = try model?.logOdds(reader: reader) ?? .nan
        let p = model?.probability(logOdds: eta) ?? .nan
        let grid = model?.grid()
        return (
            p, p, eta, tiers.tier(probability: p, score: SubScoreScale.wholeScore(probability: p)), false, grid?.scores, grid?.cell,
            model?.segment
        )
    }

    /// Whether the scorer is a model with segment models.
    var hasSegments: Bool { model?.model.segments != nil }

    /// Tier names, best first.
    var tierOrder: [String] { rules?.set.tierNames ?? tiers.labels }

    /// The grid's cut-offs and what they cut: a model's sub-scores, a rules
    /// file's points; nil for a scorer without a grid.
    var grid: (cuts: GridCuts, measure: String)? {
        if let cuts = rules?.set.grid { return (cuts, "fit_points and engagement_points") }
        return model?.gridCuts.map { ($0, "fit_score and engagement_score (0–100)") }
    }
}
