import Foundation

/// What a scoring run did.
public struct ScoringSummary: Sendable {
    public var rows: Int
    public var tierCounts: [String: Int]
    /// Category values not seen in training, per column (encoded as
    /// "(other)" or as the reference level).
    public var unseenValues: [String: Int]
    public var seconds: Double
    /// Things the user should know about the run, one sentence each (a
    /// front end may hide them when asked to be quiet).
    public var notes: [String] = []
    /// Accounts written to the account file (`ScoringOptions.accounts`).
    public var accounts: Int?
}

/// What the provenance columns of a scores file say
/// (`Scorer.provenanceColumns`): which model scored the leads, and when.
public struct ScoresProvenance: Sendable, Equatable {
    /// The run's moment, written on every row as `scored_at`
    /// (`2026-12-07T10:15:00Z`).
    public var scoredAt: UTCTimestamp

    public init(scoredAt: UTCTimestamp = .now) {
        self.scoredAt = scoredAt
    }
}

/// Batch scoring: a CSV of new leads in, a scores file out, in CSV or
/// JSON Lines (`ScoresFormat`, `ScoresWriter`).
///
/// Output columns: the model's id columns, which must be in the file (or
/// `row`, the 1-based data row number, when the model has none, which a
/// note says), `probability` (of winning, the shortest round-trip decimal,
/// or rounded to `ScoringOptions.probabilityDecimals`), `score`
/// (round(100 · probability), 0–100), `tier`;
/// for a model with fit and engagement groups, `fit_score` and
/// `engagement_score` (0–100, `SubScoreScale`) and `grid`, the cell `A1`
/// to `D4` (`GridCuts`); then `positive_reason_1…k` and
/// `negative_reason_1…k`; and last, only
/// when the card was changed after training and used anyway
/// (`OptionKey.allowEditedModel`, `ModelCard.Integrity.editedAllowed`),
/// `model_edited`, `true` on every row, so that the file itself, wherever it
/// is imported, says its scores are not those of the model as trained; and
/// with `ScoringOptions.provenance`, `model_id` and `scored_at`
/// (`provenanceColumns`).
///
/// A reason is a column's contribution c to the lead's log-odds, Σ β_j x_j
/// over the column's features: for a category, its level's coefficient
/// (relative to the reference level); for a number, relative to the average
/// training lead. Reasons with |c| < 0.05 are not shown. Text
/// (`ReasonStyle`): in words, the factor e^c the value multiplies the
/// odds of winning by, `Lead Origin = Lead Add Form: odds ×6.7`,
/// `TotalVisits missing: odds ×0.74`; raw, c itself,
/// `Lead Origin = Lead Add Form (+1.9)`, `TotalVisits is missing (-0.3)`.
///
/// A regular file is scored on all cores, in segments (`SegmentPlan`);
/// standard input on one thread. Either way memory does not grow with the
/// file, and the output and any error are the same.
public enum Scorer {
    public static let minimumReason = 0.05

    /// The scores file's header (see above).
    static func outputHeader(idNames: [String], reasons: Int, modelEdited: Bool, grid: Bool = false, provenance: Bool = false) -> [String] {
        var header = idNames.isEmpty ? ["row"] : idNames
        header += ["probability", "score", "tier"]
        if grid { header += gridColumns }
        if reasons > 0 {
            header += (1...reasons).map { "positive_reason_\($0)" } + (1...reasons).map { "negative_reason_\($0)" }
        }
        if modelEdited { header.append(editedColumn) }
        if provenance { header += provenanceColumns }
        return header
    }

    /// The last columns of a scores file with `ScoringOptions.provenance`:
    /// `model_id`, what scored the leads (`modelID`, or the rules file's
    /// SHA-256), and `scored_at`, when (`ScoresProvenance.scoredAt`), each
    /// the same on every row.
    static let provenanceColumns = ["model_id", "scored_at"]

    /// The `model_id` of scores made with `model`: its checksum as trained
    /// (`ModelCard.checksum`) when it verified; otherwise (a card changed
    /// after training and used anyway, a format 1 card without a checksum,
    /// a card made in memory and not yet written) the checksum of its
    /// content as it scores (`ModelCard.contentChecksum`), so that the id
    /// always names the model that gave the scores.
    public static func modelID(_ model: ModelCard) throws(InputError) -> String {
        if model.integrity == .verified, let checksum = model.checksum { return checksum }
        return try model.contentChecksum()
    }

    /// The decimals `ScoringOptions.probabilityDecimals` may ask for: at
    /// least 1 (0 would write every lead as 0 or 1), at most 15 (past them
    /// a double's digits are noise).
    public static let probabilityDecimals = 1...15

    /// Refuses decimals outside `probabilityDecimals`.
    static func checkDecimals(_ options: ScoringOptions) throws(InputError) {
        guard let d = options.probabilityDecimals, !probabilityDecimals.contains(d) else { return }
        throw InputError(
            .badConfiguration, "the probability cannot be written with \(d) decimals.",
            remedy: "Give from \(probabilityDecimals.lowerBound) to \(probabilityDecimals.upperBound) decimals (\(OptionKey.precision.mention)), or leave it out for the shortest text that reads back exactly.")
    }

    /// The provenance fields of a run (`provenanceColumns`), nil without.
    static func provenanceFields(_ options: ScoringOptions, id: () throws(InputError) -> String) throws(InputError) -> [[UInt8]]? {
        guard let provenance = options.provenance else { return nil }
        return [Array(try id().utf8), Array(provenance.scoredAt.description.utf8)]
    }

    /// The columns of the fit and engagement scores and the grid cell.
    static let gridColumns = ["fit_score", "engagement_score", "grid"]

    /// The last column of a scores or predictions file written with a card
    /// changed after training and used anyway: `true` on every row.
    static let editedColumn = "model_edited"

    /// Whether `model`'s rows carry `editedColumn`.
    static func marksEdited(_ model: ModelCard) -> Bool {
        if case .editedAllowed = model.integrity { return true }
        return false
    }

    /// The note said once when a model has no id column: the rows of its
    /// `output` ("scores", "predictions") are written with row numbers.
    static func rowNumbersNote(_ output: String) -> String {
        "the model has no id column, so each lead is written with \"row\", its 1-based row number in the file (the header not counted); name an id column (\(OptionKey.ids.mention)) when training to carry it to the \(output)."
    }

    /// With `options.accounts`, also writes the account file to
    /// `accountsPath` (`AccountRollup`), from the leads in file order.
    public static func score(
        model: ModelCard, inputPath: String, outputPath: String, options: ScoringOptions = ScoringOptions(),
        accountsPath: String? = nil, progress: ProgressHandler? = nil
    ) throws(InputError) -> ScoringSummary {
        try score(
            model: model, inputPath: inputPath, outputPath: outputPath, options: options, accountsPath: accountsPath, progress: progress,
            plan: .automatic)
    }

    /// `plan` chooses between one thread and segments read in parallel
    /// (see `Scorer+Segments`); tests force either.
    static func score(
        model: ModelCard, inputPath: String, outputPath: String, options: ScoringOptions, accountsPath: String? = nil,
        progress: ProgressHandler?, plan: SegmentPlan.Choice
    ) throws(InputError) -> ScoringSummary {
        let start = Date()
        try checkDecimals(options)
        let stamp = try provenanceFields(options) { () throws(InputError) in try modelID(model) }
        let reader = try CSVReader(path: inputPath)
        let first = try LeadRowWriter(model: model, reader: reader, options: options, provenance: stamp)
        let output = try AtomicOutput(path: outputPath, inputs: [inputPath])
        let writer = ScoresWriter(output: output, layout: first.layout)
        writer.writeHeader()
        var tally = first.emptyTally()
        if let segments = SegmentPlan(reader: reader, choice: plan) {
            var writers = [first]
            for _ in 1..<segments.workers { writers.append(try LeadRowWriter(model: model, reader: reader, options: options, provenance: stamp)) }
            tally = try segments.score(reader: reader, writers: writers, output: output, progress: progress)
        } else {
            try first.write(records: reader, to: writer, numbers: first.idIndices.isEmpty ? .inline : .none, tally: &tally, progress: progress)
        }
        var summary = ScoringSummary(rows: tally.rows, tierCounts: [:], unseenValues: [:], seconds: 0)
        if let accountsPath, let leads = tally.accounts {
            let (count, note) = try AccountRollup.write(
                leads, to: accountsPath, inputs: [inputPath], model: options.tiers, map: model.probabilityMap, rules: nil)
            summary.accounts = count
            if let note { summary.notes.append(note) }
        }
        try output.commit()
        for (t, n) in tally.tiers.enumerated() where n > 0 { summary.tierCounts[first.tiers.labels[t], default: 0] += n }
        let columns = model.schema.encoders.columns
        for (k, n) in tally.unseen.enumerated() where n > 0 { summary.unseenValues[columns[k].column, default: 0] += n }
        summary.seconds = Date().timeIntervalSince(start)
        if model.schema.idColumns.isEmpty {
            summary.notes.append(rowNumbersNote("scores"))
        }
        if let segments = model.segments, let note = segments.scoringNote(counts: tally.segments) { summary.notes.append(note) }
        return summary
    }
}

/// How the `row` field (the 1-based data row number, written when the
/// model has no id column in the file) is written.
enum RowNumbers {
    /// Before each row: the count of rows scored so far.
    case inline
    /// Left out, each row's end offset in the output recorded in the
    /// tally instead, so that the numbers can be put in once the rows
    /// before are counted.
    case deferred
    /// Not written: the rows start with the id fields.
    case none
}

/// Counts over the scored leads.
struct ScoreTally {
    var rows = 0
    /// Leads per tier, in the scheme's order.
    var tiers: [Int]
    /// Leads with a category value not seen in training, per model column.
    var unseen: [Int]
    /// For a model with segment models: leads per segment (in
    /// `SegmentModels.segments` order), then leads whose segment value was
    /// not seen in training, then leads without one; empty otherwise.
    var segments: [Int] = []
    /// With `RowNumbers.deferred`: where each row ends in the output.
    var rowEnds: [Int] = []
    /// The leads for the account roll-up, in file order; nil without one.
    var accounts: AccountLeads?

    mutating func add(_ other: ScoreTally) {
        rows += other.rows
        if let more = other.accounts { accounts?.append(contentsOf: more) }
        for t in tiers.indices { tiers[t] += other.tiers[t] }
        for k in unseen.indices { unseen[k] += other.unseen[k] }
        for k in segments.indices { segments[k] += other.segments[k] }
    }
}

/// Writes the scores rows of a file's leads: a model bound to the file's
/// header, with its own features and reason buffers (one per thread).
///
/// Rows are written field by field from bytes (`ScoresWriter`): the id
/// fields as read, the numbers by `NumberBytes`, which writes the text of
/// `description` / `String(_:)` / `ModelNumber.fixed` / `ModelNumber.signed`
/// / `ModelNumber.odds`.
final class LeadRowWriter {
    /// Mutated on every row, by the one thread that uses this writer: not
    /// checked for overlapping access at run time.
    @exclusivity(unchecked) private var scorer: ModelScorer
    let idIndices: [Int]
    let idNames: [String]
    let tiers: TierLabels
    /// The scores file's columns and format.
    let layout: ScoresLayout
    /// `ScoringOptions.probabilityDecimals`.
    private let decimals: Int?
    private let categorical: [Int]
    private let reasons: ReasonWriter?
    /// The grid cells' labels as bytes, for a model with groups; nil
    /// otherwise.
    private let gridLabels: [[UInt8]]?
    /// `Scorer.editedColumn`'s field, when the card was edited and used
    /// anyway; nil otherwise.
    private let edited: [UInt8]?
    /// The `Scorer.provenanceColumns` fields, nil without them.
    private let provenance: [[UInt8]]?
    private let account: (column: AccountColumn, parser: ValueParser)?

    init(model: ModelCard, reader: CSVReader, options: ScoringOptions, provenance: [[UInt8]]? = nil) throws(InputError) {
        // The id columns are required with the model's own: every one is
        // in the header.
        scorer = try ModelScorer(model: model, header: reader.header, file: reader.path, options: options, requiringIds: true)
        idIndices = model.schema.idColumns.compactMap { reader.header.firstIndex(of: $0) }
        idNames = model.schema.idColumns
        tiers = TierLabels(options.tiers)
        let columns = model.schema.encoders.columns
        categorical = columns.indices.filter { columns[$0].kind == .categorical }
        reasons = options.reasons > 0 ? ReasonWriter(model: model, encoder: scorer.encoder, count: options.reasons, style: options.reasonStyle) : nil
        edited = Scorer.marksEdited(model) ? Array("true".utf8) : nil
        self.provenance = provenance
        decimals = options.probabilityDecimals
        account = try options.accounts.map { a throws(InputError) in
            (try AccountColumn(a, header: reader.header, file: reader.path), options.parser(for: model))
        }
        gridLabels = scorer.gridCuts == nil ? nil : GridCell.all.map { Array($0.label.utf8) }
        layout = ScoresLayout(
            format: options.format,
            columns: Scorer.outputHeader(
                idNames: idNames, reasons: options.reasons, modelEdited: edited != nil, grid: gridLabels != nil, provenance: provenance != nil))
    }

    func emptyTally() -> ScoreTally {
        ScoreTally(
            tiers: [Int](repeating: 0, count: tiers.count), unseen: [Int](repeating: 0, count: scorer.model.schema.encoders.columns.count),
            segments: [Int](repeating: 0, count: scorer.model.segments.map { $0.segments.count + 2 } ?? 0),
            accounts: account == nil ? nil : AccountLeads())
    }

    /// Scores `reader`'s records up to its end or limit, writing a row each.
    /// Returns the offset and line of the first record, nil with none.
    @discardableResult
    func write<Output>(
        records reader: CSVReader, to writer: ScoresWriter<Output>, numbers: RowNumbers, tally: inout ScoreTally,
        progress: ProgressHandler? = nil
    ) throws(InputError) -> (offset: Int, line: Int)? {
        try write(records: reader, with: &scorer, to: writer, numbers: numbers, tally: &tally, progress: progress)
    }

    /// `write(records:to:numbers:tally:progress:)` with the scorer borrowed
    /// in place: the calls on it (`grid()`, `withFeatures`) then read it
    /// where it is instead of copying the whole model for every lead, as
    /// they would on the stored property.
    private func write<Output>(
        records reader: CSVReader, with scorer: inout ModelScorer, to writer: ScoresWriter<Output>, numbers: RowNumbers,
        tally: inout ScoreTally, progress: ProgressHandler?
    ) throws(InputError) -> (offset: Int, line: Int)? {
        let bytes = scorer.encoder
        let output = writer.output
        var first: (offset: Int, line: Int)? = nil
        while try reader.nextRecord() {
            if first == nil { first = (reader.recordOffset, reader.recordLine) }
            let eta = try scorer.logOdds(reader: reader)
            tally.rows += 1
            let p = scorer.probability(logOdds: eta)
            let score = SubScoreScale.wholeScore(probability: p)
            let tier = tiers.index(probability: p, score: score)
            tally.tiers[tier] += 1
            switch numbers {
            case .inline: writer.number { NumberBytes.integer(Int64(tally.rows), into: $0) }
            case .deferred: writer.skip()
            case .none: for i in idIndices { reader.withFieldBytes(i) { writer.text($0) } }
            }
            if let decimals {
                writer.number { NumberBytes.fixed(p, decimals, into: $0) }
            } else {
                writer.number { NumberBytes.shortest(p, into: $0) }
            }
            writer.number { NumberBytes.integer(Int64(score), into: $0) }
            tiers.write(tier, to: writer)
            if let gridLabels, let (scores, cell) = scorer.grid() {
                writer.number { NumberBytes.integer(Int64(scores.fit), into: $0) }
                writer.number { NumberBytes.integer(Int64(scores.engagement), into: $0) }
                gridLabels[cell.index].withUnsafeBufferPointer { writer.text($0) }
            }
            for k in categorical where bytes.state(column: k).contains(.unseen) { tally.unseen[k] += 1 }
            if !tally.segments.isEmpty {
                let n = tally.segments.count
                tally.segments[scorer.segment ?? (scorer.segmentMissing ? n - 1 : n - 2)] += 1
            }
            if let reasons {
                scorer.withFeatures { reasons.write(features: $0, reader: reader, to: writer) }
            }
            if let edited { writer.unquoted(edited) }
            if let provenance { for field in provenance { field.withUnsafeBufferPointer { writer.text($0) } } }
            if let account {
                tally.accounts?.append(
                    account: account.column.account(reader, parser: account.parser), id: idIndices.first.map { reader.field($0) }, value: eta)
            }
            writer.endRow()
            if numbers == .deferred { tally.rowEnds.append(output.bytesWritten) }
            if let progress, tally.rows % 65536 == 0 { progress(tally.rows, reader.bytesConsumed) }
        }
        return first
    }
}
