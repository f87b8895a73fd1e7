import Foundation

/// Options shared by scoring and evaluation.
public struct ScoringOptions: Sendable {
    public var tiers: TierScheme
    /// Reasons for and against per lead (0 turns them off).
    public var reasons: Int
    /// The day to score as of (days since 1970-01-01): date columns count
    /// the days before it, and days-since columns with a measurement date
    /// (`ModelCard.Schema.measuredOn`, `RuleSet.measuredOn`) are aged to it
    /// (`DaysSince`). nil: date columns use the model's as-of date and
    /// days-since columns are read as they are.
    public var asOfDays: Int?
    /// Values read as missing, in addition to the model's.
    public var extraMissingValues: [String]
    /// Roll the leads up to accounts (`AccountRollup`); nil for none.
    public var accounts: AccountOptions?
    /// The day the scored file's days-since columns were measured (days
    /// since 1970-01-01), its export date, when it is not the day the model
    /// card or the rules file names for them: with an as-of day D they are
    /// aged by D minus this day instead (`DaysSince.shifts`). nil: the days
    /// the model and the rules name.
    public var exportedOnDays: Int?
    /// The scores file's format: CSV or JSON Lines (the account file is
    /// always CSV).
    public var format: ScoresFormat
    /// How reasons are written: in words (`odds ×4.5`, `+10 points`) or as
    /// the model adds them up (`(+1.5)` in log-odds, `(+10)` points).
    public var reasonStyle: ReasonStyle
    /// The probability's decimals in the scores file
    /// (`Scorer.probabilityDecimals`, rounded half away from zero, as
    /// `ModelNumber.fixed`); nil: the shortest text that reads back as the
    /// same double.
    public var probabilityDecimals: Int?
    /// With it, the scores carry the `model_id` and `scored_at` columns.
    public var provenance: ScoresProvenance?

    public init(
        tiers: TierScheme = .standard, reasons: Int = 3, asOfDays: Int? = nil, extraMissingValues: [String] = [], exportedOnDays: Int? = nil,
        accounts: AccountOptions? = nil, format: ScoresFormat = .csv, reasonStyle: ReasonStyle = .words, probabilityDecimals: Int? = nil,
        provenance: ScoresProvenance? = nil
    ) {
        self.tiers = tiers
        self.reasons = reasons
        self.asOfDays = asOfDays
        self.extraMissingValues = extraMissingValues
        self.exportedOnDays = exportedOnDays
        self.accounts = accounts
        self.format = format
        self.reasonStyle = reasonStyle
        self.probabilityDecimals = probabilityDecimals
        self.provenance = provenance
    }

    /// How a model's scorer reads values: the model's missing markers and
    /// the extras.
    func parser(for model: ModelCard) -> ValueParser {
        ValueParser(missingMarkers: model.schema.missingValues + extraMissingValues)
    }

    /// How a rules scorer reads values: the default missing markers and the
    /// extras (`RuleScorer` adds the rules file's own).
    var rulesParser: ValueParser {
        ValueParser(missingMarkers: ValueParser.defaultMissingMarkers + extraMissingValues)
    }
}

/// A model bound to a file's header: its `RowEncoder`, and the features of
/// the last lead it scored (for the reasons). One per thread.
public struct ModelScorer {
    public let model: ModelCard
    let encoder: RowEncoder
    var features: [Double]
    /// For a model with fit and engagement groups: the grid cut-offs on its
    /// sub-scores, the tier scheme's (`TierScheme.grid`) when it has them,
    /// else the model's own (`ModelCard.gridCuts`); nil for a model without
    /// groups.
    public let gridCuts: GridCuts?
    /// How the model's log-odds become its probabilities
    /// (`ModelCard.probabilityMap`): the one place they are made.
    public let probabilityMap: ProbabilityMap
    /// For a model with segment models (`SegmentModels`): how a lead's
    /// segment is found; nil otherwise.
    let segmentLookup: SegmentLookup?
    /// The last lead's segment (index into `SegmentModels.segments`); nil
    /// for a model without segments, and for a lead whose segment value is
    /// missing or was not seen in training (scored with the global model).
    public private(set) var segment: Int?
    /// Whether the last lead's segment value was missing (rather than not
    /// seen in training), for a model with segments.
    public private(set) var segmentMissing = false

    /// `requiringIds`: the model's id columns must be in the file too (to
    /// write scores with them), checked with the model's own columns.
    public init(
        model: ModelCard, header: [String], file: String, options: ScoringOptions, requiringIds: Bool = false
    ) throws(InputError) {
        self.model = model
        let parser = options.parser(for: model)
        let asOf = options.asOfDays ?? model.schema.asOf.flatMap(ValueParser.isoDate)
        encoder = try RowEncoder(
            encoder: model.schema.encoders, predictors: model.predictors, parser: parser, header: header, file: file,
            asOfDays: asOf, ages: DaysSince.shifts(measuredOn: model.schema.measuredOn, asOfDays: options.asOfDays, exportedOnDays: options.exportedOnDays),
            required: requiringIds ? model.schema.idColumns : [], groups: model.columnGroups)
        // At least one slot, so that the buffer always has an address.
        features = [Double](repeating: 0, count: max(model.features.count, 1))
        gridCuts = encoder.grouped ? options.tiers.grid ?? model.gridCuts : nil
        probabilityMap = model.probabilityMap
        segmentLookup = try model.segments.map { s throws(InputError) in try SegmentLookup(s, header: header, file: file) }
    }

    /// The probability of winning of a lead with log-odds η.
    @inline(__always)
    public func probability(logOdds eta: Double) -> Double { probabilityMap.probability(logOdds: eta) }

    /// The fit and engagement parts of the last lead's log-odds (F and E,
    /// `FitEngagement.swift`), summed in the pass that summed its log-odds;
    /// nil for a model without groups.
    public var logOddsParts: (fit: Double, engagement: Double)? {
        encoder.grouped ? encoder.groupParts : nil
    }

    /// The last lead's fit and engagement scores (`SubScoreScale`) and its
    /// grid cell (`gridCuts`); nil for a model without groups.
    public func grid() -> (scores: SubScores, cell: GridCell)? {
        guard let parts = logOddsParts, let scale = model.subScores, let cuts = gridCuts else { return nil }
        let scores = scale.scores(intercept: encoder.currentIntercept, fit: parts.fit, engagement: parts.engagement, map: probabilityMap)
        return (scores, cuts.cell(fit: Double(scores.fit), engagement: Double(scores.engagement)))
    }

    /// The log-odds of winning (`LinearPredictor`) for `reader`'s current
    /// record. Afterwards `encoder.state(column:)` describes its values.
    public mutating func logOdds(reader: CSVReader) throws(InputError) -> Double {
        let encoder = self.encoder
        if let lookup = segmentLookup {
            // The lead's segment picks its model: the one road of every
            // lead of a segmented model.
            let fields = encoder.fields
            let (s, missing) = reader.withFieldBytes(lookup.field) { raw in
                let present = fields.present(raw)
                return (lookup.segment(of: present), present == nil)
            }
            segment = s
            segmentMissing = missing
            encoder.select(predictor: s.map { lookup.predictors[$0] } ?? 0)
        }
        return try features.withUnsafeMutableBufferPointer { (x) throws(InputError) in try encoder.encode(reader, into: x.baseAddress!) }
    }

    /// Calls `body` with the last lead's features.
    func withFeatures<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R {
        features.withUnsafeBufferPointer(body)
    }

    /// The contribution of each model column to the last lead's log-odds, in
    /// encoder column order (`LinearPredictor`), then of each pair term
    /// (`FeatureEncoder.termNames` names them).
    public func contributions() -> [Double] {
        let terms = encoder.termCount
        guard terms > 0 else { return [] }
        var out = [Double](repeating: 0, count: terms)
        features.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { encoder.contributions(features: x, into: $0.baseAddress!) }
        }
        return out
    }
}
