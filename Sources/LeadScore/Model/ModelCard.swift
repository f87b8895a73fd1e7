import Foundation

/// A trained lead-scoring model and everything needed to use and judge it:
/// the JSON file `leadscore train` writes under `models/`.
///
/// Format versions 1 to 9. A reader refuses a file whose `formatVersion` is
/// newer than `ModelCard.formatVersion`. Doubles are written in their shortest
/// round-trip form and read back bit for bit. Coefficients are on the
/// encoded scale (numeric features standardised, see `NumericEncoder`);
/// `inspect` also shows them per original unit.
///
/// Version 2 added `checksum`, the SHA-256 of the card's own content, so
/// that a card changed after training (a digit of a coefficient edited, a
/// level renamed) is refused when it is read (`ModelCard+Integrity.swift`).
/// Version 1 cards have no checksum; they are read with a warning that
/// they cannot be checked. A version 1 card that carries a checksum is
/// refused as edited (its version was lowered).
///
/// Version 3 added the fit and engagement groups (each feature's `group`
/// and the card's `subScores`, `FitEngagement.swift`) and
/// `schema.measuredOn`, the day each days-since column was measured, by
/// which scoring ages it (`DaysSince`). A card is written with the oldest
/// version that holds what it carries (`requiredFormatVersion`): a card with
/// neither is a version 2 card, byte for byte what LeadScore wrote before
/// version 3; one with either is version 3, so that a LeadScore that reads
/// only version 2, which would ignore them, refuses it instead.
///
/// Version 4 added `calibration`, the map a recalibration applies to the
/// log-odds (`ModelCard+Calibration.swift`); only a card that carries one
/// is version 4.
///
/// Version 5 added `segments`, one model per value of a segment column
/// (`SegmentModels`); only a card that carries them is version 5.
///
/// Version 6 added the formats of CRM exports: a date encoder's
/// `dateFormat` (dates written month first or day first), a numeric
/// encoder's `amountFormat` and `currency` (amounts such as
/// `$18,111.00`), and the outcome's `target.closedColumn` (Salesforce's
/// `IsClosed` beside `IsWon`). Only a card that carries one is version 6:
/// a reader of version 5 would read such a column as ISO dates or plain
/// numbers, or take open deals for lost ones, and refuses it instead.
///
/// Version 7 added natural cubic splines: a numeric encoder's `spline`
/// (`NaturalSpline`: knots, the basis columns' means and standard
/// deviations, and the covariance of the column's coefficients). Only a
/// card that carries one is version 7: a reader of version 6 would encode
/// the column as one linear feature.
/// Version 8 added pair terms: the encoders' `pairs` (`PairEncoder`), a
/// table of log-odds adjustments over the cells of two columns, with their
/// features after the columns', and `training.interactions`, what the
/// screen that chose them found (`InteractionScreen`). Only a card with a
/// pair is version 8: a reader of an older version would drop the pair's
/// features, and refuses it instead.
/// Version 9 added `training.penalty` (`ModelCard+Penalty.swift`): an L1
/// or elastic-net penalty, whose zeroed coefficients have no standard
/// error (written as 0), or a penalty chosen by cross-validation, with its
/// path. Only a card that carries it is version 9.
/// Version 10 added monotone columns: `monotone` on a numeric encoder (a
/// linear column whose coefficient is held to a sign) or on its spline
/// (`NaturalSpline`: ramps over the knots instead of Harrell's basis).
/// Only a card that carries one is version 10: a reader of version 9
/// would encode a monotone spline column with Harrell's basis.
/// Version 11 added rare pair cells: `minimumCellRows` on a pair term
/// (`PairEncoder`), a cell with fewer training rows having no feature.
/// Only a card with such a pair is version 11: a reader of version 10
/// would give every cell a feature and read the coefficients misplaced.
///
/// `trainingProfile` (`TrainingProfile`), the training rows' distributions
/// that `leadscore drift` compares new leads with, is diagnostics: no
/// score depends on it, so it asks for no newer version, and a reader that
/// does not know it ignores it.
public struct ModelCard: Codable, Sendable, Equatable {
    /// The newest format version this LeadScore reads and writes.
    public static let formatVersion = 11
    /// The first format version whose cards carry `checksum`.
    public static let checksumFormatVersion = 2
    /// The first format version whose cards may carry fit and engagement
    /// groups.
    public static let groupsFormatVersion = 3
    /// The first format version whose cards may carry `schema.measuredOn`.
    public static let measuredOnFormatVersion = 3
    /// The first format version whose cards may carry `tiers`.
    public static let tiersFormatVersion = 3
    /// The first format version whose cards may carry `segments`.
    public static let segmentsFormatVersion = 5
    /// The first format version whose cards may carry the formats of CRM
    /// exports: `dateFormat`, `amountFormat` and `currency` on encoders,
    /// `target.closedColumn`.
    public static let exportFormatsFormatVersion = 6
    /// The first format version whose cards may carry splines (a numeric
    /// encoder's `spline`).
    public static let splinesFormatVersion = 7
    /// The first format version whose cards may carry pair terms
    /// (`FeatureEncoder.pairs`) and `training.interactions`.
    public static let pairsFormatVersion = 8
    /// The first format version whose cards may carry monotone columns
    /// (`monotone` on a numeric encoder or its spline).
    public static let monotoneFormatVersion = 10
    /// The first format version whose cards may carry rare pair cells
    /// (`minimumCellRows` on a pair term).
    public static let pairCellRowsFormatVersion = 11
    public static let formatName = "leadscore-model"

    public var format: String
    public var formatVersion: Int
    public var schema: Schema
    public var features: [Feature]
    public var intercept: Coefficient
    public var training: Training
    public var metrics: Metrics
    /// SHA-256 (lowercase hex) of the card's canonical JSON (`jsonData`'s
    /// bytes) written without this field; set when the card is written,
    /// checked when it is read. nil in a card not yet written, and in
    /// format 1 cards.
    public var checksum: String? = nil
    /// What reading the card found of its checksum; not part of the file.
    public var integrity: Integrity = .verified
    /// The scale of the fit and engagement sub-scores and the default grid
    /// cut-offs; nil (absent from the file) for a model without groups.
    public var subScores: SubScoreScale? = nil

    /// The tiers `score` and `evaluate` use when none are given: set by
    /// `leadscore thresholds` (a copy of the card with the cuts it chose);
    /// nil for a card as trained.
    public var tiers: TierScheme? = nil

    /// The recalibration `leadscore recalibrate` fitted on newer closed
    /// deals, which every probability of the card goes through
    /// (`probabilityMap`); nil for a card as trained.
    public var calibration: Calibration? = nil
    /// The training rows' distributions, the baseline of `leadscore
    /// drift`; nil (absent from the file) in cards written before
    /// LeadScore kept it.
    public var trainingProfile: TrainingProfile? = nil
    /// One model per value of a segment column, fitted with shrinkage
    /// toward this card's model (`SegmentModels`); nil (absent from the
    /// file) for one model for every lead.
    public var segments: SegmentModels? = nil

    enum CodingKeys: String, CodingKey {
        case format, formatVersion, schema, features, intercept, training, metrics, checksum
        case subScores, tiers, calibration, segments
        case trainingProfile
    }

    /// The format version the card is written with: the first version that
    /// holds every field it carries. Older LeadScore versions then read
    /// every card that does not need a newer one. The one place where a
    /// card's version is decided. (`trainingProfile` needs none.)
    public var requiredFormatVersion: Int {
        var version = ModelCard.checksumFormatVersion
        if subScores != nil || features.contains(where: { $0.group != nil }) { version = max(version, ModelCard.groupsFormatVersion) }
        if schema.measuredOn != nil { version = max(version, ModelCard.measuredOnFormatVersion) }
        if tiers != nil { version = max(version, ModelCard.tiersFormatVersion) }
        if calibration != nil { version = max(version, ModelCard.calibrationFormatVersion) }
        if segments != nil { version = max(version, ModelCard.segmentsFormatVersion) }
        if schema.usesExportFormats { version = max(version, ModelCard.exportFormatsFormatVersion) }
        if schema.usesSplines { version = max(version, ModelCard.splinesFormatVersion) }
        if !schema.encoders.pairs.isEmpty || training.interactions != nil { version = max(version, ModelCard.pairsFormatVersion) }
        if training.penalty != nil { version = max(version, ModelCard.penaltyFormatVersion) }
        if schema.usesMonotone { version = max(version, ModelCard.monotoneFormatVersion) }
        if schema.usesPairCellRows { version = max(version, ModelCard.pairCellRowsFormatVersion) }
        return version
    }

    public struct Schema: Codable, Sendable, Equatable {
        public var target: TargetSpec
        /// Identifier columns passed through to scored output.
        public var idColumns: [String]
        /// Values read as missing (after trimming).
        public var missingValues: [String]
        public var encoders: FeatureEncoder
        /// As-of date for date columns (YYYY-MM-DD), if the model has any.
        public var asOf: String?
        /// Days-since columns and the day each was measured (YYYY-MM-DD),
        /// from the training configuration's `measuredOn`: scoring as of a
        /// day D reads such a column's value x as x + (D − M) (`DaysSince`).
        /// nil when none, and then not written (format 2).
        public var measuredOn: [String: String]? = nil

        /// The columns read in a format of their own, each as "\"Create
        /// Date\" month first (MM/DD/YYYY)", "\"Amount\" with a decimal point
        /// (1,234.56) in $", in encoder order.
        public var columnFormats: [String] {
            encoders.columns.compactMap {
                switch $0 {
                case .date(let e): e.dateFormat.map { "\"\(e.column)\" \($0.name)" }
                case .numeric(let e): e.amountFormat.map { "\"\(e.column)\" \($0.name)" + (e.currency.map { " in \($0)" } ?? "") }
                default: nil
                }
            }
        }

        /// Whether a column is read in a format of a CRM export, or the
        /// outcome with a closed column (format 6).
        public var usesExportFormats: Bool {
            target.closedColumn != nil
                || encoders.columns.contains {
                    switch $0 {
                    case .date(let e): e.dateFormat != nil
                    case .numeric(let e): e.amountFormat != nil || e.currency != nil
                    default: false
                    }
                }
        }

        /// The numeric encoders of the model's numeric and date columns, in
        /// encoder order, with their columns' indices.
        public var numericEncoders: [(index: Int, encoder: NumericEncoder)] {
            encoders.columns.enumerated().compactMap { k, c in
                switch c {
                case .numeric(let e): (k, e)
                case .date(let e): (k, e.numeric)
                default: nil
                }
            }
        }

        /// Whether a column's effect is a spline (format 7).
        public var usesSplines: Bool { numericEncoders.contains { $0.encoder.spline != nil } }
        /// Whether a column is held monotone (format 10).
        public var usesMonotone: Bool { numericEncoders.contains { $0.encoder.direction != nil } }
        /// Whether a pair term has rare cells without a feature
        /// (`PairEncoder.minimumCellRows`; format 11).
        public var usesPairCellRows: Bool { encoders.pairs.contains { $0.minimumCellRows != nil } }
    }

    public struct Coefficient: Codable, Sendable, Equatable {
        public var coefficient: Double
        public var standardError: Double
    }

    public struct Feature: Codable, Sendable, Equatable {
        public var name: String
        /// The input column the feature comes from.
        public var column: String
        public var coefficient: Double
        public var standardError: Double
        /// Fit or engagement, as the column was assigned in training; nil
        /// (absent from the file) for a model without groups.
        public var group: FeatureGroup? = nil
    }

    public struct Training: Codable, Sendable, Equatable {
        /// The day the model was trained (YYYY-MM-DD, UTC): given with
        /// `--training-date`, else the day of the run. Only the day is
        /// recorded, so retraining with the same date, data and options
        /// gives the same bytes.
        public var date: String
        public var source: Source
        /// Rows in the file, rows used to fit, rows held out, rows left out
        /// (missing or open outcome).
        public var fileRows: Int
        public var rows: Int
        public var positives: Int
        public var baseRate: Double
        public var holdoutRows: Int
        public var excludedRows: Int
        public var options: Options
        public var solver: Solver
        /// The BLAS the model was fitted with; nil in cards written before
        /// LeadScore recorded it.
        public var linearAlgebra: LinearAlgebra?
        public var notices: [String]
        /// The prior correction of the intercept, when the fit's effective
        /// rate of won deals was not the population's (`PriorCorrection`);
        /// nil (absent from the file) when none was made. The intercept
        /// above is the corrected one, which is all a reader needs to
        /// score, so the field needs no newer format version.
        public var priorCorrection: PriorCorrection? = nil
        /// The screen that chose the pair terms (`InteractionScreen`); nil
        /// (absent from the file) when none was run.
        public var interactions: InteractionScreen? = nil
        /// The penalty when it is L1 or the elastic net, or was chosen by
        /// cross-validation (`Penalty`, format 9); nil (absent) for an L2
        /// penalty given, whose λ is `options.l2`.
        public var penalty: Penalty? = nil
    }

    /// The BLAS library and kernel a model was fitted with. Kernels round
    /// differently in the last bits, so models fitted on machines whose
    /// kernels differ are equal within a tolerance, not byte for byte
    /// (`ModelDiff`); on one machine they are identical.
    public struct LinearAlgebra: Codable, Sendable, Equatable {
        /// "OpenBLAS".
        public var library: String
        /// "0.3.21".
        public var version: String
        /// The kernel OpenBLAS chose for the CPU (or was told to use with
        /// OPENBLAS_CORETYPE): "Haswell", "SkylakeX", "Prescott", ….
        public var kernel: String
        /// BLAS threads per call in the fit: always 1, whatever the number
        /// of cores (the solver splits each block into fixed halves itself).
        public var threads: Int

        public init(library: String, version: String, kernel: String, threads: Int) {
            self.library = library
            self.version = version
            self.kernel = kernel
            self.threads = threads
        }
    }

    public struct Source: Codable, Sendable, Equatable {
        /// File name (not the full path, which is machine-specific).
        public var file: String
        public var sha256: String
        public var validationFile: String?
        public var validationSHA256: String?
    }

    public struct Options: Codable, Sendable, Equatable {
        public var l2: Double
        public var classWeight: ClassWeight
        public var sampleWeightColumn: String?
        public var minCategoryCount: Int
        public var maxCategoryLevels: Int
        public var log1p: [String]
        public var holdout: Double
        public var seed: UInt64
        public var excluded: [String]
        /// How the holdout metrics were obtained (`ValidationPlan`).
        public var validation: String
    }

    public struct Solver: Codable, Sendable, Equatable {
        public var method: String
        public var converged: Bool
        public var stopReason: StopReason
        public var iterations: Int
        public var gradientNorm: Double
        public var gradientTolerance: Double
        public var logLikelihood: Double
        public var objective: Double
        public var penaltyNote: String
    }

    public struct Metrics: Codable, Sendable, Equatable {
        public var training: BinaryMetrics
        public var holdout: BinaryMetrics?
        public var crossValidation: CrossValidationSummary?
    }

    /// The encoded-scale coefficient vector, in feature order.
    public var coefficients: [Double] { features.map(\.coefficient) }

    /// Each encoder column's group (of its features), in column order, then
    /// each pair term's (`FeatureGroup.ofPair`); nil for a model without
    /// groups.
    public var columnGroups: [FeatureGroup]? {
        guard subScores != nil else { return nil }
        let offsets = schema.encoders.offsets
        var groups: [FeatureGroup] = []
        for (k, column) in schema.encoders.columns.enumerated() {
            guard column.featureCount > 0, let g = features[offsets[k]].group else { return nil }
            groups.append(g)
        }
        for (pair, offset) in zip(schema.encoders.pairs, schema.encoders.pairOffsets) {
            guard pair.featureCount > 0, let g = features[offset].group else { return nil }
            groups.append(g)
        }
        return groups
    }
}

/// Why the solver stopped.
public enum StopReason: String, Codable, Sendable {
    case converged
    case lineSearchFailed
    case maxIterations
}

extension ModelCard.LinearAlgebra {
    /// What a model card records of `blas`: the threads are those of the
    /// fit's BLAS calls, not of the machine.
    init(_ blas: BLASProvenance) {
        self.init(library: blas.library, version: blas.version, kernel: blas.kernel, threads: BLASProvenance.fitThreads)
    }
}

extension LinearPredictor {
    /// The model's linear predictor: its intercept and coefficients.
    public init(model: ModelCard) {
        self.init(intercept: model.intercept.coefficient, coefficients: model.coefficients)
    }
}
