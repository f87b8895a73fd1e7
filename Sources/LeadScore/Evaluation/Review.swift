import Foundation

/// What to review: a model and the deals closed since it was trained.
public struct ReviewRequest: Sendable {
    public var dataPath: String
    public var modelPath: String
    public var model: ModelCard
    /// How the outcome is read; default: the model's own.
    public var outcome: OutcomeRule?
    public var scoring: ScoringOptions

    public init(dataPath: String, modelPath: String, model: ModelCard, outcome: OutcomeRule? = nil, scoring: ScoringOptions = ScoringOptions()) {
        self.dataPath = dataPath
        self.modelPath = modelPath
        self.model = model
        self.outcome = outcome
        self.scoring = scoring
    }
}

/// A model against what happened since: `leadscore review`.
///
/// On the closed deals of the file, each scored on the one scoring road
/// (`LabelledLeads`):
///
/// - **Per tier**, expected conversions E = Σ pᵢ against observed O = Σ yᵢ,
///   with z = (O − E) / √Σ pᵢ(1 − pᵢ), the score test of "the model's
///   probabilities are right in this tier", and the observed rate's Wilson
///   95% interval beside the expected rate.
/// - **Calibration**: calibration-in-the-large ȳ − p̄ and the calibration
///   slope with their 95% intervals, measured as `recalibrate` measures them
///   (`ModelCard.Calibration.Figures.measure`), so the two commands give the
///   same figures for the same deals.
/// - **Ranking**: the AUC now, with DeLong's variance, against the AUC the
///   model card recorded on held-out deals when it was trained (its
///   validation file or holdout; else the cross-validation mean; else the
///   training AUC, which flatters the model and is named as such). The
///   card keeps no variance, so the earlier AUC's is Hanley and McNeil's
///   (Radiology 143 (1982) 29–36) from the AUC and its class counts; the two
///   samples are independent, so z = (AUC_now − AUC_then) / √(Var_now + Var_then).
///
/// - **Drift** of the inputs (`Drift`, when the card has a training
///   profile): each column's PSI and verdict.
///
/// The recommendation, in this order:
/// 1. **retrain** when the ranking degraded (the AUC fell and the one-sided
///    p-value of the fall is below 0.05), or when inputs drifted to "act"
///    (a column's or the score's PSI at 0.25 or more): the model was fitted
///    on leads that no longer look like these;
/// 2. **recalibrate** when the ranking held but the probabilities moved:
///    the calibration-in-the-large interval excludes 0 (then the intercept
///    method), or the slope's excludes 1 (then the logistic method);
/// 3. **keep** otherwise.
public enum Review {
    public static func run(_ request: ReviewRequest) throws(InputError) -> ReviewReport {
        let path = request.dataPath, card = request.model
        let outcome = request.outcome ?? .known(card.schema.target)
        let leads = try LabelledLeads.read(path: path, outcome: outcome, scorers: [.model(path: request.modelPath, card)], options: request.scoring)
        let y = leads.labels, p = leads.probabilities[0], tiers = leads.tiers[0]
        let n = y.count, won = leads.positives
        guard won > 0, won < n else {
            throw InputError(
                .singleClass, at: InputLocation(file: path, column: outcome.column),
                "the \(n) closed deals of the file are all \(won > 0 ? "won" : "lost"); a review needs both.",
                remedy: "Review on a file with won and lost deals closed since the model was trained.")
        }

        // Per tier, best first.
        let scheme = request.scoring.tiers
        let tierRows = scheme.labels.map { name -> ReviewReport.Tier in
            let members = y.indices.filter { tiers[$0] == name }
            let expected = members.reduce(0.0) { $0 + p[$1] }
            let observed = members.reduce(0) { $0 + (y[$1] > 0.5 ? 1 : 0) }
            let variance = members.reduce(0.0) { $0 + p[$1] * (1 - p[$1]) }
            let w = CalibrationSupport.wilson(positives: observed, count: members.count)
            return ReviewReport.Tier(
                name: name, leads: members.count, expected: expected, observed: observed,
                expectedRate: members.isEmpty ? .nan : expected / Double(members.count),
                observedRate: members.isEmpty ? .nan : Double(observed) / Double(members.count), observedRateInterval: [w.lower, w.upper],
                z: variance > 0 ? (Double(observed) - expected) / variance.squareRoot() : .nan)
        }

        // Calibration, as `recalibrate` measures it.
        let figures = ModelCard.Calibration.Figures.measure(
            labels: y, logOdds: leads.logOdds[0].map(card.probabilityMap.logOdds), probabilities: p)
        let meanP = figures.meanPredicted, rate = figures.observedRate
        let citl = figures.calibrationInTheLarge.value
        let slope = figures.calibrationSlope
        let calibration = ReviewReport.Calibration(
            inTheLarge: citl, inTheLargeInterval: [figures.calibrationInTheLarge.lower, figures.calibrationInTheLarge.upper],
            slope: slope?.value ?? .nan, slopeInterval: [slope?.lower ?? .nan, slope?.upper ?? .nan], observedRate: rate, meanPredicted: meanP)

        // Ranking now against then.
        let now = DeLong.auc(labels: y, scores: p)
        let then = earlierAUC(card)
        let thenVariance = then.map { hanleyMcNeilVariance(auc: $0.auc, positives: $0.positives, negatives: $0.negatives) } ?? .nan
        let difference = now.auc - (then?.auc ?? .nan)
        let z = difference / (now.variance + thenVariance).squareRoot()
        let ranking = ReviewReport.Ranking(
            aucNow: now.auc, aucNowInterval: [now.lower, now.upper], aucThen: then?.auc ?? .nan, aucThenSource: then?.source ?? "none",
            aucThenStandardError: thenVariance.squareRoot(), difference: difference, z: z, pFall: normalCDF(z))

        // Drift of the inputs, when the card kept its training profile.
        var drift: DriftReport? = nil
        if card.trainingProfile != nil {
            drift = try Drift.run(DriftRequest(dataPath: path, model: card, modelPath: request.modelPath, scoring: request.scoring))
        }
        let drifted = (drift.map { [$0.score] + $0.columns } ?? []).filter { $0.verdict == .act }

        // The recommendation.
        var action = ReviewReport.Action.keep
        var reasons: [String] = []
        if ranking.pFall < 0.05 || !drifted.isEmpty {
            action = .retrain
            if ranking.pFall < 0.05 {
                reasons.append(
                    "the ranking degraded: AUC \(ModelNumber.fixed(now.auc, 3)) now against \(ModelNumber.fixed(ranking.aucThen, 3)) \(ranking.aucThenSource) (one-sided p = \(ModelNumber.fixed(ranking.pFall, 4))).")
            }
            if !drifted.isEmpty {
                reasons.append(
                    "inputs drifted: " + drifted.map { "\($0.name) (PSI \(ModelNumber.fixed($0.psi, 2)))" }.joined(separator: ", ")
                        + " moved beyond \(ModelNumber.fixed(Drift.actThreshold, 2)) from the training rows.")
            }
        } else {
            let citlOff = !(calibration.inTheLargeInterval[0] <= 0 && 0 <= calibration.inTheLargeInterval[1])
            let slopeOff = calibration.slope.isFinite && !(calibration.slopeInterval[0] <= 1 && 1 <= calibration.slopeInterval[1])
            if citlOff || slopeOff {
                action = slopeOff ? .recalibrateLogistic : .recalibrateIntercept
                var moved: [String] = []
                if citlOff {
                    moved.append(
                        "the deals converted at \(ModelNumber.percent(rate)) where the model expected \(ModelNumber.percent(meanP)) (calibration-in-the-large \(ModelNumber.signed(citl, 3)), its 95% interval excludes 0)")
                }
                if slopeOff {
                    moved.append(
                        "the calibration slope is \(ModelNumber.fixed(calibration.slope, 2)) [\(ModelNumber.fixed(calibration.slopeInterval[0], 2)), \(ModelNumber.fixed(calibration.slopeInterval[1], 2))], not 1: the probabilities are too \(calibration.slope < 1 ? "extreme" : "timid")")
                }
                reasons.append("the ranking held, but the probabilities moved: " + moved.joined(separator: "; ") + ".")
            } else {
                reasons.append("the ranking held (AUC \(ModelNumber.fixed(now.auc, 3)) against \(ModelNumber.fixed(ranking.aucThen, 3))) and the probabilities match the outcomes.")
            }
        }
        return ReviewReport(
            file: (path as NSString).lastPathComponent, sha256: path == "-" ? "" : try FileDigest.sha256(path: path),
            model: (request.modelPath as NSString).lastPathComponent, trainedOn: card.training.date, fileRows: leads.fileRows,
            excludedRows: leads.excluded, rows: n, positives: won, tiers: tierRows, calibration: calibration, ranking: ranking,
            drift: drift.map { d in ([d.score] + d.columns).map { ReviewReport.DriftLine(name: $0.name, psi: $0.psi, verdict: $0.verdict.rawValue) } },
            action: action, reasons: reasons)
    }

    /// The AUC the card recorded on deals it was not fitted on, where it
    /// came from, and its class counts.
    static func earlierAUC(_ card: ModelCard) -> (auc: Double, positives: Int, negatives: Int, source: String)? {
        if let h = card.metrics.holdout, h.auc.isFinite {
            let source = card.training.source.validationFile.map { "on the validation file \($0)" } ?? "on the holdout"
            return (h.auc, h.positives, h.rows - h.positives, "when trained (\(source))")
        }
        if let cv = card.metrics.crossValidation, cv.meanAUC.isFinite {
            let t = card.metrics.training
            return (cv.meanAUC, t.positives, t.rows - t.positives, "when trained (cross-validation mean)")
        }
        let t = card.metrics.training
        guard t.auc.isFinite else { return nil }
        return (t.auc, t.positives, t.rows - t.positives, "on the training rows (optimistic: the model was fitted on them)")
    }

    /// Hanley and McNeil's variance of an AUC A from n₁ won and n₀ lost:
    /// [A(1 − A) + (n₁ − 1)(Q₁ − A²) + (n₀ − 1)(Q₂ − A²)] / (n₁n₀), with
    /// Q₁ = A/(2 − A) and Q₂ = 2A²/(1 + A).
    static func hanleyMcNeilVariance(auc a: Double, positives: Int, negatives: Int) -> Double {
        guard positives > 0, negatives > 0 else { return .nan }
        let n1 = Double(positives), n0 = Double(negatives)
        let q1 = a / (2 - a), q2 = 2 * a * a / (1 + a)
        return (a * (1 - a) + (n1 - 1) * (q1 - a * a) + (n0 - 1) * (q2 - a * a)) / (n1 * n0)
    }

    /// Φ(z), the standard normal distribution function: ½ erfc(−z/√2).
    static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
}

/// The review of a model against outcomes (`Review`): JSON with `--json`,
/// terminal text otherwise.
public struct ReviewReport: Codable, Sendable {
    public var format = "leadscore-review"
    public var formatVersion = 1
    public var file: String
    public var sha256: String
    public var model: String
    public var trainedOn: String
    public var fileRows: Int
    public var excludedRows: Int
    public var rows: Int
    public var positives: Int
    public var tiers: [Tier]
    public var calibration: Calibration
    public var ranking: Ranking
    /// Per column (the score first), PSI and verdict; nil when the card
    /// has no training profile.
    public var drift: [DriftLine]?
    public var action: Action
    public var reasons: [String]

    public enum Action: String, Codable, Sendable {
        case keep, recalibrateIntercept, recalibrateLogistic, retrain
    }

    public struct Tier: Codable, Sendable {
        public var name: String
        public var leads: Int
        public var expected: Double
        public var observed: Int
        public var expectedRate: Double
        public var observedRate: Double
        public var observedRateInterval: [Double]
        /// (O − E) / √Σ p(1 − p).
        public var z: Double
    }

    public struct Calibration: Codable, Sendable {
        public var inTheLarge: Double
        public var inTheLargeInterval: [Double]
        public var slope: Double
        public var slopeInterval: [Double]
        public var observedRate: Double
        public var meanPredicted: Double
    }

    public struct DriftLine: Codable, Sendable {
        public var name: String
        public var psi: Double
        public var verdict: String
    }

    public struct Ranking: Codable, Sendable {
        public var aucNow: Double
        public var aucNowInterval: [Double]
        public var aucThen: Double
        public var aucThenSource: String
        public var aucThenStandardError: Double
        public var difference: Double
        public var z: Double
        /// One-sided p-value of a fall: Φ(z).
        public var pFall: Double
    }

    public func jsonData() throws(InputError) -> Data {
        try JSONOutput.data(self, nonFiniteAsStrings: true, what: "the review")
    }
}
