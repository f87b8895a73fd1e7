import Foundation

// Fit and engagement: the two parts of a lead's log-odds, their 0–100
// sub-scores and the grid of cells A1…D4 they place a lead in.
//
// A model trained with its feature columns assigned to fit or engagement
// (`TrainingConfiguration.fit`, `.engagement`) splits its log-odds exactly:
//
//     η = b + F + E,   F = Σ_{j ∈ fit} β_j x_j,   E = Σ_{j ∈ engagement} β_j x_j
//
// since every feature belongs to exactly one group. F and E are each summed
// from +0 in feature order (`LinearPredictor`), as η is from b; the three
// sums add the same terms in different orders, so b + F + E equals η up to
// rounding (a few ulps of Σ|β_j x_j|), not bit for bit.

/// The cut-offs of the fit × engagement grid: three per axis, each an
/// inclusive lower bound, best first. A lead's fit letter is A when its fit
/// measure is at least `fit[0]`, B when at least `fit[1]`, C when at least
/// `fit[2]`, else D; its engagement digit 1–4 likewise from `engagement`.
/// A1 is the best cell (great fit, highly engaged), D4 the worst; A4 is a
/// great fit that has not engaged.
///
/// What the cut-offs are compared with depends on the scorer: a model's
/// 0–100 sub-scores (`SubScoreScale`), a rules file's fit and engagement
/// points. Cut-offs are finite and non-increasing along each axis; two
/// equal cut-offs leave the band between them empty. A NaN measure
/// reaches no cut-off (D, or 4).
public struct GridCuts: Codable, Sendable, Equatable {
    public var fit: [Double]
    public var engagement: [Double]

    /// Cut-offs per axis: four bands.
    public static let cutsPerAxis = 3
    /// The fit bands' letters and the engagement bands' digits, best first.
    public static let fitLetters = ["A", "B", "C", "D"]
    public static let engagementDigits = ["1", "2", "3", "4"]

    public init(fit: [Double], engagement: [Double]) {
        self.fit = fit
        self.engagement = engagement
    }

    /// The cell of a lead whose fit measure is `x` and engagement measure
    /// `y`: every grid cell a scorer writes or counts is decided here.
    public func cell(fit x: Double, engagement y: Double) -> GridCell {
        GridCell(fit: Self.band(x, cuts: fit), engagement: Self.band(y, cuts: engagement))
    }

    /// The first cut-off `value` reaches (inclusive), else the last band.
    static func band(_ value: Double, cuts: [Double]) -> Int {
        for (i, cut) in cuts.enumerated() where value >= cut { return i }
        return cuts.count
    }

    /// What is wrong with the cut-offs, as a sentence, or nil: each axis
    /// needs `cutsPerAxis` finite values, each at most the one before.
    public var problem: String? {
        for (axis, cuts) in [("fit", fit), ("engagement", engagement)] {
            guard cuts.count == Self.cutsPerAxis else { return "the \(axis) axis has \(cuts.count) cut-offs; it needs \(Self.cutsPerAxis) (four bands)." }
            guard cuts.allSatisfy(\.isFinite) else { return "a \(axis) cut-off is not a finite number." }
            for i in 1..<cuts.count where cuts[i] > cuts[i - 1] {
                return "the \(axis) cut-offs are not listed best first: \(ModelNumber.text(cuts[i])) comes after \(ModelNumber.text(cuts[i - 1]))."
            }
        }
        return nil
    }

    /// `fit ≥ 40/25/10, engagement ≥ 50/30/10`.
    public var description: String {
        func list(_ c: [Double]) -> String { c.map(ModelNumber.text).joined(separator: "/") }
        return "fit ≥ \(list(fit)), engagement ≥ \(list(engagement))"
    }
}

/// A cell of the fit × engagement grid: `A1` (best fit, most engaged) to
/// `D4`.
public struct GridCell: Hashable, Sendable {
    /// 0 for A (best fit) … 3 for D.
    public var fit: Int
    /// 0 for 1 (most engaged) … 3 for 4.
    public var engagement: Int

    public init(fit: Int, engagement: Int) {
        self.fit = fit
        self.engagement = engagement
    }

    /// The number of cells, and their order: A1, A2, A3, A4, B1, …, D4.
    public static let count = 16
    public static let all = (0..<count).map { GridCell(index: $0) }

    public init(index: Int) {
        self.init(fit: index / 4, engagement: index % 4)
    }

    /// The position in `all`.
    public var index: Int { fit * 4 + engagement }

    /// `A1` … `D4`.
    public var label: String { GridCuts.fitLetters[fit] + GridCuts.engagementDigits[engagement] }
}

/// How a model whose columns are assigned to fit and engagement turns the
/// two parts of a lead's log-odds into 0–100 sub-scores, and its default
/// grid cut-offs: the `subScores` object of a model card.
///
/// The scale. With b the intercept (of a lead's segment model, for a
/// model with segment models, `SegmentModels`) and F̄, Ē the means of F and E over the
/// training rows (unweighted):
///
///     fit_score        = round(100 · σ(b + F + Ē))
///     engagement_score = round(100 · σ(b + F̄ + E))
///
/// fit_score is the probability of winning, in percent, of a lead with this
/// lead's fit and the average engagement of the training leads;
/// engagement_score that of a lead with this engagement and average fit.
/// Both are whole numbers, as `score` is, and go up with F and E.
///
/// The default cut-offs (`grid`) are the quartiles of the training rows'
/// sub-scores: with s₍₁₎ ≤ … ≤ s₍ₙ₎ a sub-score sorted over the n training
/// rows and q(p) = s₍⌈p·n⌉₎ (the inverse of the empirical distribution
/// function), the cut-offs are q(0.75), q(0.5), q(0.25). So A (or 1) holds
/// the leads at or above the training rows' upper quartile: about a
/// quarter of them, more when many share the quartile's score. A tiers
/// file may set other cut-offs (`TierScheme.grid`).
public struct SubScoreScale: Codable, Sendable, Equatable {
    /// F̄ and Ē, in log-odds.
    public var meanFit: Double
    public var meanEngagement: Double
    /// Quartiles of the training rows' fit and engagement scores.
    public var grid: GridCuts

    public init(meanFit: Double, meanEngagement: Double, grid: GridCuts) {
        self.meanFit = meanFit
        self.meanEngagement = meanEngagement
        self.grid = grid
    }

    /// The sub-scores of a lead whose log-odds split into `intercept` +
    /// `fit` + `engagement`: probabilities of the card's `map`
    /// (`ProbabilityMap`; σ for a card without a calibration), so a
    /// recalibrated card's sub-scores are calibrated as its scores are.
    public func scores(intercept b: Double, fit: Double, engagement: Double, map: ProbabilityMap = .identity) -> SubScores {
        SubScores(
            fit: SubScoreScale.wholeScore(probability: map.probability(logOdds: b + fit + meanEngagement)),
            engagement: SubScoreScale.wholeScore(probability: map.probability(logOdds: b + meanFit + engagement)))
    }

    /// The default grid cut-offs for sub-scores made by `map`: `grid`
    /// itself for σ (a card without a calibration), else `grid` carried
    /// through the calibration. `grid` stays the training quartiles of the
    /// uncalibrated sub-scores; a cut-off c there is reached by the
    /// probabilities p with round(100·p) ≥ c, i.e. p ≥ (c − ½)/100, log-odds
    /// from t = logit((c − ½)/100); the cut-off carried is round(100·map(t)).
    /// As the map is non-decreasing, every lead that reached c reaches it
    /// (the same leads fill each band), but for a lead just below t whose
    /// calibrated sub-score rounds up to it, which moves up one band. The
    /// cut-offs stay non-increasing.
    public func grid(through map: ProbabilityMap) -> GridCuts {
        guard map != .identity else { return grid }
        func carried(_ cuts: [Double]) -> [Double] {
            cuts.map { c in
                let q = min(max((c - 0.5) / 100, 1e-12), 1 - 1e-12)
                return Double(SubScoreScale.wholeScore(probability: map.probability(logOdds: log(q / (1 - q)))))
            }
        }
        return GridCuts(fit: carried(grid.fit), engagement: carried(grid.engagement))
    }

    /// round(100 · p): the 0–100 scale of `score` and of the sub-scores.
    /// A NaN probability (which a finite model never gives) is 0.
    @inline(__always)
    public static func wholeScore(probability p: Double) -> Int {
        p.isNaN ? 0 : Int((p * 100).rounded())
    }

    /// The quartile cut-offs q(0.75), q(0.5), q(0.25) of `values` (see the
    /// type's notes); nil for no values.
    ///
    /// The k-th smallest value (k = ⌈p·n⌉, at least 1) is read from a count
    /// of each value, one pass over the rows instead of a sort: the values
    /// are whole scores in 0–100 (any range up to 65,536 wide is counted;
    /// a wider one is sorted).
    static func quartileCuts(_ values: [Int]) -> [Double]? {
        guard let low = values.min(), let high = values.max() else { return nil }
        let n = values.count
        let ranks = [0.75, 0.5, 0.25].map { p in max(Int((p * Double(n)).rounded(.up)), 1) }
        guard high - low < 1 << 16 else {
            let sorted = values.sorted()
            return ranks.map { Double(sorted[$0 - 1]) }
        }
        var counts = [Int](repeating: 0, count: high - low + 1)
        for v in values { counts[v - low] += 1 }
        return ranks.map { k in
            // The smallest value with at least k values at or below it.
            var seen = 0
            for (offset, c) in counts.enumerated() {
                seen += c
                if seen >= k { return Double(low + offset) }
            }
            return Double(high)
        }
    }

    /// The scale of a model fitted on training rows whose intercepts (the
    /// model's, or with segment models each row's segment model's,
    /// `SegmentModels`) and log-odds parts are `intercepts`, `fit` and
    /// `engagement` (one each per row).
    static func fitted(intercepts: [Double], fit: [Double], engagement: [Double]) -> SubScoreScale? {
        guard !fit.isEmpty, fit.count == engagement.count, intercepts.count == fit.count else { return nil }
        let n = Double(fit.count)
        var scale = SubScoreScale(
            meanFit: fit.reduce(0, +) / n, meanEngagement: engagement.reduce(0, +) / n, grid: GridCuts(fit: [], engagement: []))
        let scores = fit.indices.map { scale.scores(intercept: intercepts[$0], fit: fit[$0], engagement: engagement[$0]) }
        guard let fitCuts = quartileCuts(scores.map(\.fit)), let engagementCuts = quartileCuts(scores.map(\.engagement)) else { return nil }
        scale.grid = GridCuts(fit: fitCuts, engagement: engagementCuts)
        return scale
    }
}

/// A lead's fit and engagement scores, 0–100 (`SubScoreScale`).
public struct SubScores: Sendable, Equatable {
    public var fit: Int
    public var engagement: Int
}
