import Foundation

/// What `leadscore drift` found (`Drift`): per column and for the score,
/// the population stability index, its verdict, the training and new
/// shares of every bin, and the change in the missing share; for
/// categories the share of values never seen in training. Written as JSON
/// (`jsonData`: format `leadscore-drift`, version 1, keys sorted,
/// undefined numbers as the string "NaN"), text (`DriftTextReport`) and
/// HTML (`DriftHTMLReport`).
public struct DriftReport: Codable, Sendable, Equatable {
    public var format = "leadscore-drift"
    public var formatVersion = 1
    /// The model card's file name.
    public var model: String
    /// The new file's name and SHA-256 (empty for standard input).
    public var file: String
    public var sha256: String
    /// Leads in the new file (every row).
    public var rows: Int
    /// The file the model was trained on, the training rows profiled and
    /// the training date.
    public var trainingFile: String
    public var trainingRows: Int
    public var trainingDate: String
    /// The day the leads were read as of (`ScoringOptions.asOfDays`);
    /// nil: as `score` reads them without one.
    public var asOf: String?
    /// PSI from which a column is at watch, and at act.
    public var thresholds = Thresholds()
    /// The least share a bin counts with in PSI.
    public var shareFloor = Drift.shareFloor
    /// The model's probability.
    public var score: Column
    /// The model's columns, largest PSI first (ties by name).
    public var columns: [Column]
    /// The highest verdict of the score and the columns.
    public var verdict: DriftVerdict = .stable
    public var notes: [String] = []
    public var definitions: [String: String] = DriftReport.definitions

    public struct Thresholds: Codable, Sendable, Equatable {
        public var watch = Drift.watchThreshold
        public var act = Drift.actThreshold
    }

    public struct Column: Codable, Sendable, Equatable {
        public var name: String
        /// numeric, date, boolean, categorical, or score.
        public var kind: String
        public var psi: Double
        public var verdict: DriftVerdict
        /// The bins, in the profile's order, the missing bin last.
        public var bins: [Bin]
        /// Numbers: the training deciles that cut the bins
        /// (`ColumnProfile`); nil for categories and booleans.
        public var edges: [Double]?
        public var trainingMissingShare: Double
        public var newMissingShare: Double
        /// New minus training missing share.
        public var missingShareChange: Double
        /// Categories: the share of the new leads whose value was never
        /// seen in training (counted in "(other)"); nil for other kinds.
        public var unseenShare: Double?
        /// Categories: how many distinct unseen values, and the most
        /// frequent of them (up to `Drift.unseenExamples`) with their rows.
        public var unseenLevels: Int?
        public var unseenValues: [Count]?
    }

    /// One bin: its label (`ColumnProfile.binLabels`), the training and
    /// new shares, and its term of the PSI.
    public struct Bin: Codable, Sendable, Equatable {
        public var label: String
        public var training: Double
        public var new: Double
        public var term: Double
    }

    /// A value and the new leads that have it.
    public struct Count: Codable, Sendable, Equatable {
        public var value: String
        public var rows: Int
    }

    /// The columns at `verdict` or above, largest PSI first.
    public func columns(atLeast verdict: DriftVerdict) -> [Column] { columns.filter { $0.verdict >= verdict } }

    /// A share as a percentage, with two decimals below 1% so that a few
    /// leads do not read as none: `0.04%`, `6.6%`.
    public static func percent(_ share: Double) -> String {
        ModelNumber.percent(share, share > 0 && share < 0.01 ? 2 : 1)
    }

    public func jsonData() throws(InputError) -> Data {
        try JSONOutput.data(self, nonFiniteAsStrings: true, what: "the drift report")
    }

    static let definitions: [String: String] = [
        "PSI": "Population stability index: Σ (new share − training share) · ln(new share / training share) over a column's bins. 0 when nothing moved; below 0.1 stable, 0.1 to 0.25 watch, 0.25 and above act.",
        "bins": "A number's bins are cut at its training deciles (each edge a training value; equal deciles kept once), closed on the right, plus a bin for missing values; a category's bins are its training levels, \"(other)\" (levels pooled in training, and levels never seen) and \"(missing)\"; the score's bins are the deciles of the training rows' probabilities.",
        "empty bins": "A share below 0.0001 counts as 0.0001 on either side, so an empty bin adds a finite amount.",
        "training shares": "Shares of the rows the model was fitted on (held-out rows and rows without an outcome are not in them), stored in the model card when it was trained.",
        "unseen": "A category value that is neither a level of the model, nor a rare level pooled into \"(other)\" in training, nor its reference: the model scores it as \"(other)\" (or its most common level).",
        "missing share change": "The new file's share of missing values minus the training rows', in percentage points.",
        "act": "PSI of 0.25 or more: the column has changed a lot. Check the export for a changed field or feed; if the change is real, retrain (or recalibrate) the model.",
        "watch": "PSI from 0.1 to below 0.25: a moderate change; look at it and compare the next file.",
    ]
}
