import Foundation

/// What the screen for pair terms found (`train` with automatic
/// interactions, `Trainer+Interactions.swift`): the candidates it checked by
/// cross-validation, each with its score-test statistic and its gain, and
/// the pairs it chose. Diagnostics: scoring reads the pairs from the
/// encoders, not from here.
public struct InteractionScreen: Codable, Sendable, Equatable {
    /// The most pairs the screen may choose (K).
    public var maximumPairs: Int
    /// The number of column pairs scored by the score test.
    public var candidateCount: Int
    /// How the candidates were scored, in words.
    public var statistic: String
    /// The cross-validation of the check: folds of the training rows and
    /// their seed.
    public var folds: Int
    public var seed: UInt64
    /// The out-of-fold deviance Σ s_i ℓ(y_i, η_i) of the main-effects
    /// model, and its out-of-fold AUC (every fold's held-out log-odds
    /// pooled).
    public var baselineDeviance: Double
    public var baselineAUC: Double
    /// Every candidate pair: the chosen ones first (in the order their
    /// terms are in the model), then the others checked by
    /// cross-validation, then those not checked, each part by its
    /// statistic's rank.
    public var candidates: [Candidate]

    public struct Candidate: Codable, Sendable, Equatable {
        public var first: String
        public var second: String
        /// The score-test statistic S and its degrees of freedom (the
        /// pair's cells with i ≥ 1 and j ≥ 1 that have training rows).
        public var statistic: Double
        public var degreesOfFreedom: Int
        /// The drop in out-of-fold deviance when the pair is added to the
        /// main effects alone (positive: better), and the change of the
        /// out-of-fold AUC; nil for a candidate not checked.
        public var devianceGain: Double? = nil
        public var aucChange: Double? = nil
        /// The drop in out-of-fold deviance, and the AUC change, when the
        /// pair was added to the main effects and the pairs chosen before
        /// it (the forward step); nil for a candidate not tried there.
        public var addedDevianceGain: Double? = nil
        public var addedAUCChange: Double? = nil
        /// The standard error of the added gain, √(n · var d) over the
        /// rows' loss differences d_i: a pair is kept when its added gain
        /// exceeds it.
        public var addedGainStandardError: Double? = nil
        /// Whether the pair is in the model.
        public var chosen: Bool

        /// "A × B".
        public var name: String { "\(first) \u{D7} \(second)" }
    }

    /// The chosen pairs, in the order their terms are in the model.
    public var chosen: [Candidate] { candidates.filter(\.chosen) }
    /// The candidates checked by cross-validation.
    public var checked: [Candidate] { candidates.filter { $0.devianceGain != nil } }
}
