import Foundation

/// The side-by-side evaluation of several scorers (learned models and rule
/// sets) on the same leads: what `leadscore evaluate` writes as JSON with
/// `--json`, and what the terminal and HTML reports are drawn from.
///
/// Format "leadscore-comparison", version 1. Stable: fields are only ever
/// added. Probabilities are in [0, 1]; AUC in [0, 1]; lift is a ratio to
/// the overall conversion rate; shares are in [0, 1]. Every interval is a
/// 95% interval.
public struct ComparisonReport: Codable, Sendable {
    public static let formatName = "leadscore-comparison"
    public static let formatVersion = 1

    public var format: String = ComparisonReport.formatName
    public var formatVersion: Int = ComparisonReport.formatVersion
    /// The evaluated file's name and SHA-256.
    public var file: String
    public var sha256: String
    /// Rows in the file; rows without an outcome (left out); rows set aside
    /// to calibrate rule scores into probabilities (left out of every
    /// scorer's evaluation); rows evaluated.
    public var fileRows: Int
    public var excludedRows: Int
    public var calibrationRows: Int
    public var rows: Int
    public var positives: Int
    public var baseRate: Double
    public var seed: UInt64
    public var bootstrapResamples: Int
    /// The number of leads sales can call, for the capture-at-k view.
    public var topK: Int
    public var scorers: [ScorerReport]
    /// One entry per pair of scorers (i < j): b minus a.
    public var comparisons: [PairComparison]
    /// The definitions behind the numbers, in words.
    public var definitions: [String: String]
    /// What the reader must know to trust the numbers: a model card changed
    /// after training and evaluated anyway (`ModelCard.Integrity`). nil
    /// (left out of the JSON) when there is nothing to say.
    public var warnings: [String]? = nil
    /// What the user should know about the run's other outputs, one
    /// sentence each: the predictions file written with row numbers, the
    /// model having no id column. nil (left out of the JSON) when there is
    /// nothing to say. A front end prints them apart from the report.
    public var notes: [String]? = nil
    /// At account level (`evaluate` with an account column): the column,
    /// and the leads rolled up into the evaluated accounts. Then `rows` and
    /// `positives` count accounts, and an account converts when any of its
    /// leads does. nil (left out of the JSON) at lead level.
    public var accountColumn: String? = nil
    public var accountLeads: Int? = nil
    /// For each model with segment models, evaluated per lead: its segments
    /// against its global model (`SegmentBreakdown`). nil (left out of the
    /// JSON) when no such model is evaluated.
    public var segments: [SegmentBreakdown]? = nil
}

public struct ScorerReport: Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case model, rules }
    public var name: String
    public var kind: Kind
    public var source: String
    /// Where the probabilities come from: the model itself, or for rules an
    /// isotonic fit of points to outcomes on the calibration split.
    public var probabilitySource: String
    public var ranking: Ranking
    public var calibration: CalibrationSummary
    /// Lift table by decile of the score (decile 1 = highest).
    public var deciles: [BinaryMetrics.DecileRow]
    /// Cumulative gain at every percent of leads called, 0…100 (101 values).
    public var gainsCurve: [Double]
    /// Conversion by band of rule points (rules only).
    public var pointsBands: [Band]?
    /// How the scorer's tiers route leads, best tier first.
    public var tiers: [TierRow]
    public var topK: Capture
    /// Histograms of the score for won and lost leads, on shared bins.
    public var distribution: Distribution
    /// Leads and conversions per cell of the fit × engagement grid, for a
    /// model with fit and engagement groups or a rules file with a grid;
    /// nil (left out of the JSON) otherwise.
    public var grid: Grid? = nil
    /// A model's pair terms as tables (`PairTable`: each cell's log-odds
    /// adjustment and training rows); nil (left out of the JSON) for a
    /// model without them and for rules.
    public var pairs: [PairTable]? = nil

    /// The fit × engagement grid (`GridCuts`): fit letters A–D (A the best
    /// fit) by engagement digits 1–4 (1 the most engaged).
    public struct Grid: Codable, Sendable {
        /// What the cut-offs cut: a model's fit and engagement scores
        /// (0–100), or a rules file's fit and engagement points.
        public var measure: String
        /// Cut-offs per axis, best first: A (or 1) from the first, inclusive,
        /// B (or 2) from the second, C (or 3) from the third, the rest D (or 4).
        public var fitCuts: [Double]
        public var engagementCuts: [Double]
        /// The 16 cells, A1, A2, A3, A4, B1, …, D4.
        public var cells: [Cell]

        /// The cut-offs as `GridCuts`.
        public var cuts: GridCuts { GridCuts(fit: fitCuts, engagement: engagementCuts) }

        public struct Cell: Codable, Sendable {
            /// `A1` … `D4`.
            public var cell: String
            public var count: Int
            public var conversions: Int
            /// conversions / count; NaN for an empty cell.
            public var rate: Double
            /// Wilson 95% interval of the rate; NaN for an empty cell.
            public var wilsonLower: Double
            public var wilsonUpper: Double
            /// The cell's conversions over all conversions.
            public var shareOfConversions: Double
        }
    }

    public struct Ranking: Codable, Sendable {
        public var auc: Double
        public var aucVariance: Double
        public var aucLower: Double
        public var aucUpper: Double
        /// 2·AUC − 1.
        public var gini: Double
        /// max over thresholds |F_won − F_lost| of the score.
        public var ks: Double
        public var ksThreshold: Double
    }

    public struct Band: Codable, Sendable {
        /// Inclusive lower and exclusive upper points (the last band
        /// includes its upper end).
        public var lower: Double
        public var upper: Double
        public var count: Int
        public var conversions: Int
        public var rate: Double
    }

    public struct TierRow: Codable, Sendable {
        public var tier: String
        public var count: Int
        public var conversions: Int
        public var rate: Double
        /// The tier's conversions over all conversions.
        public var shareOfConversions: Double
    }

    public struct Capture: Codable, Sendable {
        public var k: Int
        public var conversions: Int
        public var rate: Double
        public var shareOfConversions: Double
    }

    public struct Distribution: Codable, Sendable {
        /// Bin edges (count + 1 values).
        public var edges: [Double]
        public var won: [Int]
        public var lost: [Int]
    }
}

/// Calibration of a scorer's probabilities (see `Calibration.swift`).
public struct CalibrationSummary: Codable, Sendable {
    public var reliabilityEqualWidth: [ReliabilityRow]
    public var reliabilityEqualCount: [ReliabilityRow]
    public var eceEqualWidth: Double
    public var eceEqualCount: Double
    /// Mean log loss, −[y log p + (1 − y) log(1 − p)], p clipped to
    /// [2.2e-16, 1 − 2.2e-16] (scikit-learn's convention).
    public var logLoss: Double
    public var brier: Double
    public var brierReliability: Double
    public var brierResolution: Double
    public var brierUncertainty: Double
    /// Brier − (reliability − resolution + uncertainty): the within-bin
    /// variance term the binned decomposition leaves out.
    public var brierResidual: Double
    /// Mean observed − mean predicted.
    public var calibrationInTheLarge: Double
    /// Slope of logit(p) in a logistic regression of the outcome on it
    /// (1 is ideal; below 1, predictions are too extreme).
    public var calibrationSlope: Double
    public var calibrationIntercept: Double
    public var hosmerLemeshow: Double
    public var hosmerLemeshowDF: Int
    public var hosmerLemeshowP: Double

    public struct ReliabilityRow: Codable, Sendable {
        public var lower: Double
        public var upper: Double
        public var count: Int
        public var meanPredicted: Double
        public var observedRate: Double
        public var wilsonLower: Double
        public var wilsonUpper: Double
    }
}

/// b − a for one pair of scorers, with paired-bootstrap 95% intervals
/// (percentile method, the same resampled rows for both scorers).
public struct PairComparison: Codable, Sendable {
    public var a: String
    public var b: String
    public var auc: Difference
    /// DeLong's paired test of the AUC difference.
    public var aucDeLongLower: Double
    public var aucDeLongUpper: Double
    public var aucDeLongP: Double
    public var topDecileLift: Difference
    public var brier: Difference
    public var captureAtK: Difference

    public struct Difference: Codable, Sendable {
        public var estimate: Double
        public var lower: Double
        public var upper: Double
    }
}

extension ComparisonReport {
    /// The report as JSON: sorted keys, two-space indentation. A value that
    /// is undefined for the data (an AUC with one class, a p-value with no
    /// degrees of freedom) is written as the string "NaN".
    public func jsonData() throws(InputError) -> Data {
        try JSONOutput.data(self, nonFiniteAsStrings: true, what: "the report")
    }
}
