import Foundation

extension ModelCard {
    /// The first format version whose cards may carry `training.penalty`
    /// (an L1 or elastic-net penalty, or a penalty chosen by
    /// cross-validation).
    public static let penaltyFormatVersion = 9

    /// The fit's penalty λ[(1−α)/2‖β‖² + α‖β‖₁] (`LogisticRegression`), and
    /// how λ (and α) were chosen. Written (format 9) for an L1 or
    /// elastic-net penalty or one chosen by cross-validation; a plain L2
    /// card has none (its λ is `options.l2`) and keeps its version.
    public struct Penalty: Codable, Sendable, Equatable {
        public var kind: PenaltyKind
        /// λ, the penalty's strength (equal to `options.l2`).
        public var lambda: Double
        /// α: 0 for L2, 1 for L1.
        public var l1Ratio: Double
        /// The cross-validation that chose λ (and α); nil when given.
        public var selection: PenaltySelection?

        public init(kind: PenaltyKind, lambda: Double, l1Ratio: Double, selection: PenaltySelection? = nil) {
            self.kind = kind
            self.lambda = lambda
            self.l1Ratio = l1Ratio
            self.selection = selection
        }

        /// "L1 (lasso), λ = 12.3", "elastic net, α = 0.5, λ = 4.1".
        public var summary: String {
            switch kind {
            case .l2: "L2, λ = \(ModelNumber.significant(lambda))"
            case .l1: "L1 (lasso), λ = \(ModelNumber.significant(lambda))"
            case .elasticnet: "elastic net, α = \(ModelNumber.text(l1Ratio)), λ = \(ModelNumber.significant(lambda))"
            }
        }
    }

    /// A penalty chosen by k-fold stratified cross-validation on the
    /// training rows (`PenaltyPath`).
    public struct PenaltySelection: Codable, Sendable, Equatable {
        public var folds: Int
        public var seed: UInt64
        public var metric: CVMetric
        public var rule: CVRule
        /// Every (α, λ) tried, α by α, λ from the largest down.
        public var path: [Point]
        /// Indices into `path`: the point chosen (by `rule`) and the point
        /// of the best mean.
        public var chosen: Int
        public var minimum: Int

        public struct Point: Codable, Sendable, Equatable {
            public var lambda: Double
            public var l1Ratio: Double
            /// The mean over the folds of the metric on each fold's held-out
            /// rows (deviance: Σ s_i ℓ_i / Σ s_i on the fold; auc: its AUC),
            /// and its standard error, the folds' standard deviation / √k.
            public var mean: Double
            public var standardError: Double
            /// The mean over the folds of the number of nonzero coefficients.
            public var nonzeros: Double

            public init(lambda: Double, l1Ratio: Double, mean: Double, standardError: Double, nonzeros: Double) {
                self.lambda = lambda
                self.l1Ratio = l1Ratio
                self.mean = mean
                self.standardError = standardError
                self.nonzeros = nonzeros
            }
        }

        public init(folds: Int, seed: UInt64, metric: CVMetric, rule: CVRule, path: [Point], chosen: Int, minimum: Int) {
            self.folds = folds
            self.seed = seed
            self.metric = metric
            self.rule = rule
            self.path = path
            self.chosen = chosen
            self.minimum = minimum
        }

        /// λ at the best mean.
        public var lambdaAtMinimum: Double { path[minimum].lambda }
    }
}
