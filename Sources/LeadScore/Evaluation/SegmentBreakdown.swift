import Foundation

/// A model with segment models (`SegmentModels`) segment by segment,
/// against its own global model on the same leads: the part of the
/// comparison report that says where the segment models help
/// (`ComparisonReport.segments`).
///
/// Every evaluated lead is scored twice: by the card as `score` scores it
/// (its segment's model; the global model for a segment without one, and
/// for a value missing or not seen in training) and by the global model
/// alone (`ModelCard.globalModel`). The leads are grouped by their segment,
/// in the card's order, then one group of the leads whose value was
/// missing or unseen (left out when there are none). Per group, with
/// differences segment models − global model:
/// - AUC of both and DeLong's paired difference, its 95% interval and
///   two-sided p (`DeLong.compare`); NaN for a group with one class.
/// - Log loss (`BinaryMetrics.logLoss`, clipped) and Brier score of both,
///   and the paired difference: the mean of the per-lead differences
///   d_i = loss_segment,i − loss_global,i with the 95% interval
///   d̄ ± z·s_d/√n (s_d the sample standard deviation, n − 1 in the
///   denominator; z = 1.96, `DeLong.z95`), the normal approximation of a
///   mean, which suits the hundreds of leads a segment holds; NaN for fewer
///   than two leads.
/// - Calibration-in-the-large of the segment models: mean observed rate
///   minus mean predicted probability.
/// A segment without a model of its own gives its leads the global model,
/// so its differences are 0 with the interval [0, 0].
public struct SegmentBreakdown: Codable, Sendable {
    /// The segmented scorer, and the name of its global model among the
    /// report's scorers.
    public var scorer: String
    public var globalScorer: String
    /// The segment column and λ_s (`SegmentModels`).
    public var column: String
    public var l2: Double
    public var segments: [Segment]

    public struct Segment: Codable, Sendable {
        /// The segment's value; nil (left out of the JSON) for the leads
        /// whose value was missing or not seen in training.
        public var value: String?
        /// Whether the segment has a model of its own; false for a segment
        /// below the card's minimum of conversions and for the missing or
        /// unseen values.
        public var ownModel: Bool
        /// The segment's training rows and won deals, from the card; nil for
        /// the missing or unseen values.
        public var trainingRows: Int?
        public var trainingConversions: Int?
        /// Evaluated leads, won leads and their rate (NaN with no lead).
        public var leads: Int
        public var conversions: Int
        public var rate: Double
        /// AUC of the segment models (the card as scored) and of the global
        /// model on the segment's leads; the difference is DeLong's.
        public var auc: Double
        public var globalAUC: Double
        public var aucDifference: PairComparison.Difference
        public var aucDifferenceP: Double
        public var logLoss: Double
        public var globalLogLoss: Double
        /// Mean per-lead difference with its paired 95% interval.
        public var logLossDifference: PairComparison.Difference
        public var brier: Double
        public var globalBrier: Double
        public var brierDifference: PairComparison.Difference
        /// Mean observed − mean predicted of the segment models.
        public var calibrationInTheLarge: Double
    }
}

extension SegmentBreakdown {
    /// The breakdown of the evaluated leads: their labels, the
    /// probabilities of the card as scored (`probabilities`) and of its
    /// global model (`global`), and each lead's segment (index into
    /// `models.segments`; nil: missing or unseen).
    init(
        scorer: String, globalScorer: String, models: SegmentModels, labels y: [Double], probabilities p: [Double], global g: [Double],
        segments s: [Int?]
    ) {
        precondition(p.count == y.count && g.count == y.count && s.count == y.count, "SegmentBreakdown: leads of different lengths")
        var members = [[Int]](repeating: [], count: models.segments.count)
        var unseen: [Int] = []
        for i in y.indices {
            if let k = s[i] { members[k].append(i) } else { unseen.append(i) }
        }
        func measure(_ rows: [Int], value: String?, ownModel: Bool, trainingRows: Int?, trainingConversions: Int?) -> Segment {
            let labels = rows.map { y[$0] }, mine = rows.map { p[$0] }, theirs = rows.map { g[$0] }
            let n = rows.count
            let won = labels.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) }
            let delong = DeLong.compare(labels: labels, mine, theirs)
            let loss = rows.map { BinaryMetrics.logLoss(label: y[$0], probability: p[$0]) }
            let globalLoss = rows.map { BinaryMetrics.logLoss(label: y[$0], probability: g[$0]) }
            let squared = rows.map { (p[$0] - y[$0]) * (p[$0] - y[$0]) }
            let globalSquared = rows.map { (g[$0] - y[$0]) * (g[$0] - y[$0]) }
            func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
            return Segment(
                value: value, ownModel: ownModel, trainingRows: trainingRows, trainingConversions: trainingConversions, leads: n, conversions: won,
                rate: Double(won) / Double(n), auc: delong.first.auc, globalAUC: delong.second.auc,
                aucDifference: .init(estimate: delong.difference, lower: delong.lower, upper: delong.upper), aucDifferenceP: delong.pValue,
                logLoss: mean(loss), globalLogLoss: mean(globalLoss), logLossDifference: Self.pairedMean(zip(loss, globalLoss).map { $0 - $1 }),
                brier: mean(squared), globalBrier: mean(globalSquared), brierDifference: Self.pairedMean(zip(squared, globalSquared).map { $0 - $1 }),
                calibrationInTheLarge: mean(labels) - mean(mine))
        }
        var rows = models.segments.indices.map { k in
            let m = models.segments[k]
            return measure(members[k], value: m.value, ownModel: m.hasModel, trainingRows: m.rows, trainingConversions: m.conversions)
        }
        if !unseen.isEmpty { rows.append(measure(unseen, value: nil, ownModel: false, trainingRows: nil, trainingConversions: nil)) }
        self.init(scorer: scorer, globalScorer: globalScorer, column: models.column, l2: models.l2, segments: rows)
    }

    /// The mean of paired differences with its 95% interval
    /// d̄ ± z·s_d/√n (see the type); NaN interval for fewer than two.
    static func pairedMean(_ d: [Double]) -> PairComparison.Difference {
        let n = Double(d.count)
        let mean = d.reduce(0, +) / n
        guard d.count > 1 else { return .init(estimate: mean, lower: .nan, upper: .nan) }
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let half = DeLong.z95 * (variance / n).squareRoot()
        return .init(estimate: mean, lower: mean - half, upper: mean + half)
    }

    /// The segments' entry of the report's glossary.
    static let definition =
        "A model with segment models is also evaluated as its global model alone (\"(global model)\"), on the same leads. Per segment: the leads whose value picks the segment's model (or the global model, for a segment without one: too few conversions in training), and the leads whose value was missing or not seen in training, which the global model scores. Differences are segment models − global model: AUC by DeLong's paired test; log loss and Brier as the mean of the per-lead differences with the 95% interval mean ± 1.96 × SD / √n (paired, normal approximation). Calibration-in-the-large is the segment models'."
}
