import Foundation

// How a model card turns a lead's log-odds into its probability of winning.
//
// The one road. The model's linear predictor η = b + Σ β_j x_j
// (`LinearPredictor`) is the same for every card; the probability is
// `ProbabilityMap.probability(logOdds:)` of it, the only place a model's
// probability is made: the scores file and the account roll-up (`score`),
// the labelled leads of `evaluate`, `thresholds` and the points export
// (`LabelledLeads`), the predictions file, and the fit and engagement
// sub-scores (`SubScoreScale.scores`). A card without a calibration maps η
// by σ(η) (`sigmoid`), bit for bit as before recalibration existed; a card
// recalibrated by `leadscore recalibrate` (`ModelCard.calibration`) maps it
// by the calibration it stores:
//
//     intercept:  p = σ(a + η)            (a base-rate shift; slope 1)
//     logistic:   p = σ(a + b·η)          (Platt scaling on the log-odds, b > 0)
//     isotonic:   p = f(η)                (f non-decreasing, piecewise linear
//                                          between steps on η, values clipped
//                                          to [1/(2m), 1 − 1/(2m)])
//
// Each map is non-decreasing in η, so a recalibrated card ranks leads as
// the card it was made from; the logistic maps strictly so (b > 0), the
// isotonic map up to ties where a step is flat. The training and holdout
// metrics a card carries stay those of the model as trained: a
// recalibration's own measurements are in `Calibration`.
//
// References: J. Platt, "Probabilistic outputs for support vector machines
// and comparisons to regularized likelihood methods" (1999); D. R. Cox,
// "Two further applications of a model for binary regression", Biometrika
// 45 (1958) 562–565; E. W. Steyerberg, "Clinical Prediction Models", 2nd ed.
// (Springer 2019), ch. 20 (updating: intercept, then intercept and slope);
// B. Zadrozny, C. Elkan, KDD 2002 (isotonic); A. Niculescu-Mizil,
// R. Caruana, "Predicting good probabilities with supervised learning",
// ICML 2005 (isotonic needs more calibration data than Platt scaling).

/// How a card maps a lead's log-odds η (`LinearPredictor`) to its
/// probability of winning: every probability a model gives is made here
/// (see the notes above).
public enum ProbabilityMap: Sendable, Equatable {
    /// σ(η): a card without a calibration.
    case identity
    /// σ(intercept + slope·η), slope > 0.
    case logistic(intercept: Double, slope: Double)
    /// The isotonic steps on η (values inside (0, 1)).
    case isotonic(IsotonicCalibration)

    /// The probability of winning of a lead with log-odds η. NaN gives NaN.
    @inline(__always)
    public func probability(logOdds eta: Double) -> Double {
        switch self {
        case .identity: return sigmoid(eta)
        case .logistic(let a, let b): return sigmoid(a + b * eta)
        case .isotonic(let f): return f.predict(eta)
        }
    }

    /// The log-odds of the probability, log(p / (1 − p)): η itself, a + b·η
    /// exactly, or the logit of the isotonic value (finite, as the values
    /// are clipped inside (0, 1)). The log loss of `evaluate` and `train`'s
    /// validation is computed from it (`logisticLoss`).
    public func logOdds(_ eta: Double) -> Double {
        switch self {
        case .identity: return eta
        case .logistic(let a, let b): return a + b * eta
        case .isotonic(let f):
            let p = f.predict(eta)
            return log(p / (1 - p))
        }
    }

    /// log(1 − p), the log of the chance the lead does not convert:
    /// −log(1 + e^η′) for η′ the log-odds above (`log1pexp`, no
    /// cancellation for p near 1), log1p(−p) for the isotonic map. The
    /// account roll-up adds these (`AccountRollup`).
    public func logComplement(_ eta: Double) -> Double {
        switch self {
        case .identity: return -log1pexp(eta)
        case .logistic(let a, let b): return -log1pexp(a + b * eta)
        case .isotonic(let f): return log1p(-f.predict(eta))
        }
    }

    /// The map's parameters for a scale on which it is affine, (a, b) with
    /// log-odds a + b·η: (0, 1) for the identity; nil for the isotonic map.
    public var affine: (intercept: Double, slope: Double)? {
        switch self {
        case .identity: return (0, 1)
        case .logistic(let a, let b): return (a, b)
        case .isotonic: return nil
        }
    }
}

extension ModelCard {
    /// The first format version whose cards may carry `calibration`: a
    /// reader that ignored it would give other probabilities than the card
    /// was recalibrated to give, so such a card is refused by LeadScore
    /// versions that read only older formats.
    public static let calibrationFormatVersion = 4

    /// How the card maps log-odds to probabilities: its calibration's map,
    /// or σ for a card without one.
    public var probabilityMap: ProbabilityMap { calibration?.map ?? .identity }

    /// The probability of winning of a lead with log-odds η
    /// (`ProbabilityMap.probability(logOdds:)`).
    public func probability(logOdds eta: Double) -> Double { probabilityMap.probability(logOdds: eta) }

    /// The default grid cut-offs on the card's sub-scores: the training
    /// quartiles, carried through the calibration when it has one
    /// (`SubScoreScale.grid(through:)`); nil for a model without groups.
    public var gridCuts: GridCuts? { subScores?.grid(through: probabilityMap) }

    /// A recalibration of a trained model on newer closed deals
    /// (`leadscore recalibrate`): the map it applies to the model's
    /// log-odds, what it was fitted on, and the calibration of the
    /// probabilities on those deals before and after.
    ///
    /// In the file: `method` ("intercept", "logistic" or "isotonic"); for
    /// the first two `intercept` and `slope` (a and b of σ(a + b·η); b is 1
    /// for "intercept"), for "isotonic" `isotonic` with the steps' log-odds
    /// (`scores`, strictly increasing) and probabilities (non-decreasing,
    /// inside (0, 1)); `date`; `data`; `before`, `after` and, when the data
    /// allowed it, `crossValidated` (`Figures`).
    public struct Calibration: Codable, Sendable, Equatable {
        public enum Method: String, Codable, Sendable, CaseIterable {
            /// σ(a + η): the base rate moved, the slope kept. One parameter:
            /// the choice for a few hundred deals.
            case intercept
            /// σ(a + b·η): Platt scaling on the log-odds, the base rate and
            /// the spread. Two parameters.
            case logistic
            /// Isotonic regression on the log-odds: any non-decreasing
            /// map. Many parameters; flat steps tie leads.
            case isotonic
        }

        public var method: Method
        /// The map, from `method` and its parameters.
        public let map: ProbabilityMap
        /// The day of the recalibration (YYYY-MM-DD, UTC).
        public var date: String
        public var data: Deals
        /// The card's probabilities on `data` before: as it scored them
        /// (with its previous calibration, if it had one).
        public var before: Figures
        /// The recalibrated probabilities on the same deals the map was
        /// fitted on: in sample, so calibration-in-the-large is 0 for every
        /// method (the fits keep Σ p = Σ y) and the slope 1 for the
        /// logistic map, by construction.
        public var after: Figures
        /// The recalibrated probabilities out of sample: each of
        /// `crossValidationFolds` stratified folds scored by the map fitted
        /// on the others (`StratifiedSplit.folds`, seed `seed`); nil when a
        /// fold could not be fitted (too few deals of a class).
        public var crossValidated: Figures?
        public var crossValidationFolds: Int
        public var seed: UInt64

        /// The deals the map was fitted on.
        public struct Deals: Codable, Sendable, Equatable {
            /// File name (not the full path).
            public var file: String
            public var sha256: String
            /// Rows in the file, rows with a won or lost outcome (the
            /// deals), won deals, rows left out (missing or open outcome).
            public var fileRows: Int
            public var rows: Int
            public var positives: Int
            public var excludedRows: Int

            public init(file: String, sha256: String, fileRows: Int, rows: Int, positives: Int, excludedRows: Int) {
                self.file = file
                self.sha256 = sha256
                self.fileRows = fileRows
                self.rows = rows
                self.positives = positives
                self.excludedRows = excludedRows
            }
        }

        /// A value and its 95% interval.
        public struct Estimate: Codable, Sendable, Equatable {
            public var value: Double
            public var lower: Double
            public var upper: Double

            public init(value: Double, lower: Double, upper: Double) {
                self.value = value
                self.lower = lower
                self.upper = upper
            }
        }

        /// The calibration of probabilities p_i against outcomes y_i (as
        /// `evaluate` reports it, `CalibrationReport`).
        public struct Figures: Codable, Sendable, Equatable {
            public var rows: Int
            public var positives: Int
            /// p̄ and ȳ.
            public var meanPredicted: Double
            public var observedRate: Double
            /// ȳ − p̄ (negative: too many wins predicted), with the Wilson
            /// 95% interval of ȳ less p̄ (the predictions held fixed).
            public var calibrationInTheLarge: Estimate
            /// a in logit P(y = 1) = a + logit(p) (slope fixed at 1), with
            /// its Wald 95% interval; nil when undefined.
            public var calibrationIntercept: Estimate?
            /// b in logit P(y = 1) = a′ + b·logit(p), with its Wald 95%
            /// interval; nil when undefined (constant p, separation).
            public var calibrationSlope: Estimate?
            /// Expected calibration error over 10 equal-width and 10
            /// equal-count bins, the Brier score and the log loss.
            public var eceWidth: Double
            public var eceCount: Double
            public var brier: Double
            public var logLoss: Double

            public init(
                rows: Int, positives: Int, meanPredicted: Double, observedRate: Double, calibrationInTheLarge: Estimate,
                calibrationIntercept: Estimate?, calibrationSlope: Estimate?, eceWidth: Double, eceCount: Double, brier: Double, logLoss: Double
            ) {
                self.rows = rows
                self.positives = positives
                self.meanPredicted = meanPredicted
                self.observedRate = observedRate
                self.calibrationInTheLarge = calibrationInTheLarge
                self.calibrationIntercept = calibrationIntercept
                self.calibrationSlope = calibrationSlope
                self.eceWidth = eceWidth
                self.eceCount = eceCount
                self.brier = brier
                self.logLoss = logLoss
            }
        }

        public init(
            method: Method, map: ProbabilityMap, date: String, data: Deals, before: Figures, after: Figures, crossValidated: Figures?,
            crossValidationFolds: Int, seed: UInt64
        ) {
            self.method = method
            self.map = map
            self.date = date
            self.data = data
            self.before = before
            self.after = after
            self.crossValidated = crossValidated
            self.crossValidationFolds = crossValidationFolds
            self.seed = seed
        }

        /// `σ(-1.234 + 0.956·η)`, `σ(-1.234 + η)`, `isotonic, 25 steps`.
        public var formula: String {
            switch map {
            case .identity: return "σ(η)"
            case .logistic(let a, let b):
                return method == .intercept
                    ? "σ(\(ModelNumber.signed(a, 3)) + η)"
                    : "σ(\(ModelNumber.signed(a, 3)) + \(ModelNumber.fixed(b, 3))·η)"
            case .isotonic(let f): return "isotonic steps on η (\(f.scores.count) breakpoints)"
            }
        }

        enum CodingKeys: String, CodingKey {
            case method, intercept, slope, isotonic, date, data, before, after, crossValidated, crossValidationFolds, seed
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            method = try c.decode(Method.self, forKey: .method)
            switch method {
            case .intercept, .logistic:
                let a = try c.decode(Double.self, forKey: .intercept), b = try c.decode(Double.self, forKey: .slope)
                guard a.isFinite, b.isFinite, b > 0, method == .logistic || b == 1 else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .slope, in: c,
                        debugDescription: "a calibration's intercept must be finite and its slope positive (1 for the intercept method)")
                }
                map = .logistic(intercept: a, slope: b)
            case .isotonic:
                let f = try c.decode(IsotonicCalibration.self, forKey: .isotonic)
                guard f.probabilities.allSatisfy({ $0 > 0 && $0 < 1 }), zip(f.probabilities, f.probabilities.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .isotonic, in: c, debugDescription: "isotonic calibration values must be non-decreasing and inside (0, 1)")
                }
                map = .isotonic(f)
            }
            date = try c.decode(String.self, forKey: .date)
            data = try c.decode(Deals.self, forKey: .data)
            before = try c.decode(Figures.self, forKey: .before)
            after = try c.decode(Figures.self, forKey: .after)
            crossValidated = try c.decodeIfPresent(Figures.self, forKey: .crossValidated)
            crossValidationFolds = try c.decode(Int.self, forKey: .crossValidationFolds)
            seed = try c.decode(UInt64.self, forKey: .seed)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(method, forKey: .method)
            switch map {
            case .identity: break
            case .logistic(let a, let b):
                try c.encode(a, forKey: .intercept)
                try c.encode(b, forKey: .slope)
            case .isotonic(let f): try c.encode(f, forKey: .isotonic)
            }
            try c.encode(date, forKey: .date)
            try c.encode(data, forKey: .data)
            try c.encode(before, forKey: .before)
            try c.encode(after, forKey: .after)
            try c.encodeIfPresent(crossValidated, forKey: .crossValidated)
            try c.encode(crossValidationFolds, forKey: .crossValidationFolds)
            try c.encode(seed, forKey: .seed)
        }
    }
}
