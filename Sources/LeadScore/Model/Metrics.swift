// The metrics a model card records: of the training rows, of the holdout
// or validation file, and of cross-validation. Computed in Evaluation/.

/// Ranking and probability metrics of predictions against outcomes.
///
/// Definitions (n rows, labels y ∈ {0, 1}, predicted probabilities p):
/// - AUC: the probability that a random won lead scores above a random lost
///   one, ties counting ½ (Mann–Whitney U / (n₁ n₀), `RankedScores.auc`);
///   equal to scikit-learn's `roc_auc_score`. NaN with one class.
/// - log loss: mean of −[y log p + (1 − y) log(1 − p)], computed from the
///   log-odds when they are known (no rounding near 0 and 1), else from p
///   clipped to [ε, 1 − ε] with ε = 2.22e-16 (scikit-learn's convention).
/// - Brier score: mean of (p − y)².
/// - Deciles (`RankedScores.deciles`): rows sorted by p descending, split
///   into 10 groups whose sizes differ by at most one, larger groups first
///   (`numpy.array_split`); group 1 holds the highest scores. Tied
///   probabilities cut by a boundary share their conversions pro rata, so
///   the table does not depend on the order of the rows. For each group:
///   mean predicted, observed rate, lift = rate / overall rate, cumulative
///   gain = share of all conversions in groups 1…k, cumulative lift =
///   cumulative rate / overall rate.
/// - A NaN probability has no rank: AUC NaN, no deciles.
public struct BinaryMetrics: Codable, Sendable, Equatable {
    public var rows: Int
    public var positives: Int
    public var baseRate: Double
    public var auc: Double
    public var logLoss: Double
    public var brier: Double
    public var deciles: [DecileRow]

    public struct DecileRow: Codable, Sendable, Equatable {
        public var decile: Int
        public var count: Int
        public var positives: Int
        public var minPredicted: Double
        public var maxPredicted: Double
        public var meanPredicted: Double
        public var observedRate: Double
        public var lift: Double
        public var cumulativeGain: Double
        public var cumulativeLift: Double
    }
}

/// Per-fold metrics of a cross-validation and their mean and standard
/// deviation (sample SD, n − 1).
public struct CrossValidationSummary: Codable, Sendable, Equatable {
    public struct Fold: Codable, Sendable, Equatable {
        public var rows: Int
        public var positives: Int
        public var auc: Double
        public var logLoss: Double
        public var brier: Double
    }
    public var seed: UInt64
    public var folds: [Fold]
    public var meanAUC: Double
    public var sdAUC: Double
    public var meanLogLoss: Double
    public var sdLogLoss: Double
    public var meanBrier: Double
    public var sdBrier: Double

    init(folds metrics: [BinaryMetrics], seed: UInt64) {
        self.seed = seed
        folds = metrics.map { Fold(rows: $0.rows, positives: $0.positives, auc: $0.auc, logLoss: $0.logLoss, brier: $0.brier) }
        func meanSD(_ v: [Double]) -> (Double, Double) {
            let m = v.reduce(0, +) / Double(v.count)
            let ss = v.reduce(0) { $0 + ($1 - m) * ($1 - m) }
            return (m, v.count > 1 ? (ss / Double(v.count - 1)).squareRoot() : 0)
        }
        (meanAUC, sdAUC) = meanSD(folds.map(\.auc))
        (meanLogLoss, sdLogLoss) = meanSD(folds.map(\.logLoss))
        (meanBrier, sdBrier) = meanSD(folds.map(\.brier))
    }
}
