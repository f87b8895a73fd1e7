import Foundation

/// What to check for drift: a file of new leads against the training
/// profile of a model card (`TrainingProfile`).
public struct DriftRequest: Sendable {
    /// The new leads (CSV; `-` for standard input). An outcome column, if
    /// any, is ignored: every row is a lead.
    public var dataPath: String
    /// The model card, and the path it was read from (for the report).
    public var model: ModelCard
    public var modelPath: String
    /// How values are read: the model's missing markers and the extras; an
    /// as-of day ages days-since columns and date columns as `score` does.
    /// Tiers and reasons play no part.
    public var scoring: ScoringOptions

    public init(dataPath: String, model: ModelCard, modelPath: String, scoring: ScoringOptions = ScoringOptions(reasons: 0)) {
        self.dataPath = dataPath
        self.model = model
        self.modelPath = modelPath
        self.scoring = scoring
    }
}

/// How far a column's distribution has moved: the verdict of its
/// population stability index (`Drift.psi`), by the usual thresholds.
public enum DriftVerdict: String, Codable, Sendable, CaseIterable, Comparable {
    /// PSI below 0.1: no meaningful change.
    case stable
    /// PSI from 0.1 to below 0.25: a moderate change, worth watching.
    case watch
    /// PSI of 0.25 or more: a major change; check the data feed, and
    /// retrain or recalibrate the model.
    case act

    public init(psi: Double) {
        self = psi >= Drift.actThreshold ? .act : psi >= Drift.watchThreshold ? .watch : .stable
    }

    public static func < (a: DriftVerdict, b: DriftVerdict) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Drift: how the leads of a new file are distributed compared with the
/// rows the model was trained on, column by column and for the model's
/// probability, by the population stability index.
///
/// 1. The new file is read through the scoring road (`ModelScorer`, its
///    `RowEncoder`): every value is read as `score` reads it (the model's
///    missing markers, the strict number grammar, booleans, ISO dates, the
///    model's levels), and a value `score` refuses is refused here too,
///    with its file, line, column and value. Every row is a lead.
/// 2. Each value goes to its bin of the training profile
///    (`ColumnProfile`): a number by the training deciles, a category by
///    its level; a level the model never saw in training (neither kept,
///    nor pooled, nor the reference) goes to "(other)" and is also counted
///    as unseen. The model's probability goes to the bins of the training
///    probabilities' deciles.
/// 3. For each column and the score, PSI = Σᵢ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over
///    the bins, the missing bin included, with eᵢ the training share and
///    aᵢ the new share of bin i. Empty bins: a share below 10⁻⁴ counts as
///    10⁻⁴ (`shareFloor`), on either side, so a bin empty on both sides
///    adds 0 and one empty on one side adds a finite amount (a level
///    absent from training and held by 1% of the new leads adds about
///    (0.01 − 0.0001) · ln(100) = 0.046). PSI is 0 for equal shares and
///    grows with the change; it is symmetric in the two distributions.
/// 4. Verdicts: below 0.1 stable, 0.1 up to 0.25 watch, 0.25 and above
///    act (`DriftVerdict`).
///
/// PSI also moves by chance: for B bins, n training rows and m new leads
/// of an unchanged population, it averages about (B − 1) · (1/n + 1/m)
/// (it is then a chi-square on B − 1 degrees of freedom times
/// (1/n + 1/m)); the report notes when that reaches 0.05 for a column,
/// which happens with small files.
public enum Drift {
    /// PSI from which a column is at "watch".
    public static let watchThreshold = 0.1
    /// PSI from which a column is at "act".
    public static let actThreshold = 0.25
    /// The least share a bin counts with in PSI.
    public static let shareFloor = 1e-4

    /// The population stability index of `actual` shares against
    /// `expected` shares (same bins), and each bin's term.
    public static func psi(expected: [Double], actual: [Double]) -> (psi: Double, terms: [Double]) {
        precondition(expected.count == actual.count, "PSI: bins differ")
        let terms = zip(expected, actual).map { e, a in
            let (e, a) = (max(e, shareFloor), max(a, shareFloor))
            return (a - e) * log(a / e)
        }
        return (terms.reduce(0, +), terms)
    }

    public static func run(_ request: DriftRequest) throws(InputError) -> DriftReport {
        let card = request.model, path = request.dataPath
        let profile = try requireProfile(card, file: request.modelPath)
        let reader = try CSVReader(path: path)
        var scorer = try ModelScorer(model: card, header: reader.header, file: path, options: request.scoring)
        let columns = card.schema.encoders.columns
        // Per categorical column: the bin of each active feature (index 0
        // for the reference, then one per level).
        let activeBins: [[Int]] = zip(columns, profile.columns).map { encoder, p in
            guard case .categorical(let e) = encoder, let levels = p.levels else { return [] }
            let bins = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
            return ([e.reference] + e.levels).map { bins[$0] ?? p.otherBin }
        }
        let booleanBins = profile.columns.map { p in
            [ColumnProfile.falseLevel, ColumnProfile.trueLevel].map { p.levels?.firstIndex(of: $0) ?? p.missingBin }
        }
        var counts = profile.columns.map { [Int](repeating: 0, count: $0.binCount) }
        var scoreCounts = [Int](repeating: 0, count: profile.score.binCount)
        var unseen = [[String: Int]](repeating: [:], count: columns.count)
        var rows = 0
        while try reader.nextRecord() {
            rows += 1
            let eta = try scorer.logOdds(reader: reader)
            scoreCounts[profile.score.bin(number: sigmoid(eta))] += 1
            let encoder = scorer.encoder
            for k in columns.indices {
                let bin: Int
                switch columns[k] {
                case .numeric, .date:
                    bin = profile.columns[k].bin(number: encoder.value(column: k))
                case .boolean:
                    let v = encoder.value(column: k)
                    bin = v.isNaN ? profile.columns[k].missingBin : booleanBins[k][v == 1 ? 1 : 0]
                case .categorical:
                    let state = encoder.state(column: k)
                    if !state.contains(.present) {
                        bin = profile.columns[k].missingBin
                    } else if state.contains(.unseen) {
                        bin = profile.columns[k].otherBin
                        unseen[k][reader.withFieldBytes(encoder.field(column: k)) { String(decoding: FieldParser.trim($0), as: UTF8.self) }, default: 0] += 1
                    } else {
                        bin = activeBins[k][encoder.activeFeature(column: k) + 1]
                    }
                }
                counts[k][bin] += 1
            }
        }
        guard rows > 0 else {
            throw InputError(.noTrainingData, at: InputLocation(file: path), "the file has a header but no rows: there are no leads to compare with the training rows.", remedy: "Pass a file of new leads.")
        }
        var report = DriftReport(
            model: (request.modelPath as NSString).lastPathComponent, file: (path as NSString).lastPathComponent,
            sha256: path == "-" ? "" : try FileDigest.sha256(path: path), rows: rows, trainingFile: card.training.source.file,
            trainingRows: profile.rows, trainingDate: card.training.date,
            asOf: request.scoring.asOfDays.map(ValueParser.isoDateString(days:)),
            score: column(profile.score, kind: "score", counts: scoreCounts, unseen: nil),
            columns: zip(profile.columns, zip(counts, unseen)).map { p, c in
                column(p, kind: p.kind.rawValue, counts: c.0, unseen: p.kind == .categorical ? c.1 : nil)
            }.sorted { $0.psi != $1.psi ? $0.psi > $1.psi : $0.name < $1.name })
        report.verdict = ([report.score] + report.columns).map(\.verdict).max() ?? .stable
        // How the model scores a value it never saw (`CategoricalEncoder`).
        var scoredAs: [String: String] = [:]
        for case .categorical(let e) in columns {
            scoredAs[e.column] = e.levels.contains(CategoricalEncoder.otherLevel) ? "as \"\(CategoricalEncoder.otherLevel)\"" : "as its reference level, \"\(e.reference)\""
        }
        report.notes = notes(report, unseenScoredAs: scoredAs)
        return report
    }

    /// The most frequent unseen values a column reports.
    public static let unseenExamples = 5

    /// One column's drift from its training profile and the new file's
    /// counts per bin (and, for a category, its unseen values' counts).
    static func column(_ p: ColumnProfile, kind: String, counts: [Int], unseen: [String: Int]?) -> DriftReport.Column {
        let newShares = ColumnProfile.shares(counts)
        let (psi, terms) = psi(expected: p.shares, actual: newShares)
        let labels = p.binLabels
        let total = counts.reduce(0, +)
        return DriftReport.Column(
            name: p.column, kind: kind, psi: psi, verdict: DriftVerdict(psi: psi),
            bins: labels.indices.map { DriftReport.Bin(label: labels[$0], training: p.shares[$0], new: newShares[$0], term: terms[$0]) }, edges: p.edges,
            trainingMissingShare: p.shares[p.missingBin], newMissingShare: newShares[p.missingBin],
            missingShareChange: newShares[p.missingBin] - p.shares[p.missingBin],
            unseenShare: unseen.map { u in total > 0 ? Double(u.values.reduce(0, +)) / Double(total) : 0 }, unseenLevels: unseen?.count,
            unseenValues: unseen.map { u in
                u.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(unseenExamples).map { DriftReport.Count(value: $0.key, rows: $0.value) }
            })
    }

    /// The card's training profile, checked against its encoders; an old
    /// card without one is refused, with the way out: retrain.
    static func requireProfile(_ card: ModelCard, file: String) throws(InputError) -> TrainingProfile {
        guard let profile = card.trainingProfile else {
            throw InputError(
                .badModel, at: InputLocation(file: file),
                "the model card has no training profile (the distribution of each column on the training rows), which drift compares new leads with: it was written by a LeadScore that did not keep one.",
                remedy: "Retrain the model with `leadscore train` (the same data and options give the same coefficients) to give its card a training profile; the card scores as before in the meantime.")
        }
        let columns = card.schema.encoders.columns
        let problem =
            profile.columns.count != columns.count || zip(profile.columns, columns).contains { $0.column != $1.column || $0.kind != $1.kind }
            ? "its columns do not match the model's encoders."
            : ([profile.score] + profile.columns).lazy.compactMap(\.problem).first
        if let problem {
            throw InputError(
                .badModel, at: InputLocation(file: file),
                "the model card's training profile is damaged: \(problem)",
                remedy: "Retrain the model with `leadscore train`, or restore the file from version control.")
        }
        return profile
    }

    /// The chance level of PSI above which a note is written.
    static let chanceNoteLevel = 0.05

    /// Notes on chance and on unseen values; `unseenScoredAs` says, per
    /// categorical column, how the model scores a value it never saw.
    static func notes(_ r: DriftReport, unseenScoredAs: [String: String]) -> [String] {
        var notes: [String] = []
        let chance = ([r.score] + r.columns).map { c in
            (c.name, Double(c.bins.filter { $0.training > 0 || $0.new > 0 }.count - 1) * (1 / Double(max(r.trainingRows, 1)) + 1 / Double(r.rows)))
        }
        if let worst = chance.max(by: { $0.1 < $1.1 }), worst.1 >= chanceNoteLevel {
            notes.append(
                "With \(ModelNumber.grouped(r.rows)) new leads, PSI varies by chance: an unchanged column with as many bins as \"\(worst.0)\" would average about \(ModelNumber.fixed(worst.1, 3)). Read the verdicts with that in mind, or compare a larger file.")
        }
        for c in r.columns {
            if let u = c.unseenShare, u > 0, let values = c.unseenValues {
                notes.append(
                    "\"\(c.name)\": \(DriftReport.percent(u)) of the new leads have a value never seen in training (\(values.map { "\"\($0.value)\" (\($0.rows))" }.joined(separator: ", "))\((c.unseenLevels ?? 0) > values.count ? ", …" : "")); the model scores them \(unseenScoredAs[c.name] ?? "as \"\(CategoricalEncoder.otherLevel)\"").")
            }
        }
        return notes
    }
}
