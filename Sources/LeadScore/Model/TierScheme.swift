/// Tiers of a lead: the first tier whose cut the lead reaches, else the
/// last tier. Cuts are inclusive lower bounds and strictly decreasing; tier
/// names are distinct.
///
/// A scheme cuts on one `Measure`:
/// - `.score`, the 0–100 score (round(100 · probability)). Written inline as
///   `A:50,B:30,C:15,D` (the default): A for scores of 50 and above, B for
///   30–49, C for 15–29, D below 15.
/// - `.probability`, the predicted probability itself, from a tiers file
///   (`load(path:)`). Many leads can share one whole score; a cut on the
///   probability splits them, so a tier sized for a capacity does not
///   overshoot by a whole score's worth of leads.
/// - `.points`, a rules file's total points, from a tiers file: it takes the
///   place of the rules file's own tiers (`RuleSet.replacingTiers(with:)`),
///   and the rules' disqualify entries still override it.
///
/// Each tier may carry an `action` (SQL, MQL, Nurture…), free text for
/// reports; it does not change which tier a lead gets.
public struct TierScheme: Codable, Sendable, Equatable, CustomStringConvertible {
    /// What a scheme's cuts are compared with.
    public enum Measure: String, Codable, Sendable, CaseIterable {
        /// The 0–100 score; cuts are whole numbers from 0 to 100.
        case score
        /// The predicted probability of winning; cuts are in [0, 1].
        case probability
        /// A rules file's total points; cuts are finite numbers.
        case points
    }

    public var labels: [String]
    /// With `.score`: one cut per label except the last. Empty with
    /// `.probability`.
    public var cuts: [Int]
    public var measure: Measure = .score
    /// With `.probability` and `.points`: one cut per label except the
    /// last (probabilities in [0, 1], or points). Empty with `.score`.
    public var valueCuts: [Double] = []
    /// Each tier's action, nil where none is given; one per label.
    public var actions: [String?]
    /// Cut-offs of the fit × engagement grid on the 0–100 fit and
    /// engagement scores of a model with groups, replacing the model's own
    /// (the quartiles of its training rows, `SubScoreScale`); nil keeps the
    /// model's. Read from a tiers file's `grid`; not used with rules, whose
    /// grid is in the rules file.
    public var grid: GridCuts? = nil

    public static let standard = TierScheme(labels: ["A", "B", "C", "D"], cuts: [50, 30, 15])

    /// A scheme on the 0–100 score.
    public init(labels: [String], cuts: [Int], actions: [String?]? = nil) {
        precondition(labels.count == cuts.count + 1)
        self.labels = labels
        self.cuts = cuts
        self.actions = actions ?? labels.map { _ in nil }
        precondition(self.actions.count == labels.count)
    }

    /// A scheme on the probability, or on a rules file's points.
    public init(labels: [String], valueCuts: [Double], measure: Measure = .probability, actions: [String?]? = nil) {
        precondition(labels.count == valueCuts.count + 1 && measure != .score)
        self.labels = labels
        self.cuts = []
        self.measure = measure
        self.valueCuts = valueCuts
        self.actions = actions ?? labels.map { _ in nil }
        precondition(self.actions.count == labels.count)
    }

    /// Parses `A:50,B:30,C:15,D`.
    public init(parsing text: String) throws(InputError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        var labels: [String] = [], cuts: [Int] = []
        let example = "Write tiers as LABEL:CUT,…,LAST, e.g. \"A:50,B:30,C:15,D\" (cuts are 0–100 scores, decreasing)."
        for (i, part) in parts.enumerated() {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
            let isLast = i == parts.count - 1
            guard !pieces[0].isEmpty, pieces.count == (isLast ? 1 : 2) else {
                throw InputError(.badConfiguration, "the tier \"\(part)\" in \"\(text)\" is not LABEL:CUT (the last tier has no cut).", remedy: example)
            }
            guard !labels.contains(pieces[0]) else {
                // Two tiers of one name would be counted together in every summary.
                throw InputError(.badConfiguration, "the tier name \"\(pieces[0])\" appears twice in \"\(text)\".", remedy: "Give each tier its own name. " + example)
            }
            labels.append(pieces[0])
            if !isLast {
                guard let cut = Int(pieces[1]), (0...100).contains(cut), cuts.last.map({ cut < $0 }) ?? true else {
                    throw InputError(.badConfiguration, "the cut \"\(pieces[1])\" in \"\(text)\" is not a whole number from 0 to 100 below the previous cut.", remedy: example)
                }
                cuts.append(cut)
            }
        }
        guard labels.count >= 2 else {
            throw InputError(.badConfiguration, "\"\(text)\" defines fewer than two tiers.", remedy: example)
        }
        self.init(labels: labels, cuts: cuts)
    }

    /// The index in `labels` of the tier of a lead with probability `p` and
    /// 0–100 score `score` (round(100 · p)): the first tier whose cut the
    /// scheme's measure reaches (inclusive), else the last. A NaN
    /// probability reaches no cut. Every tier a scorer writes or counts is
    /// decided here, but for a `.points` scheme, which rules files apply as
    /// their own tiers (`index(value:)`).
    public func index(probability p: Double, score: Int) -> Int {
        switch measure {
        case .score:
            for (i, cut) in cuts.enumerated() where score >= cut { return i }
            return labels.count - 1
        case .probability, .points:
            return index(value: p)
        }
    }

    /// The index of the tier of `value` on a scheme of `valueCuts`: the
    /// first whose cut it reaches, else the last; NaN reaches none.
    public func index(value: Double) -> Int {
        for (i, cut) in valueCuts.enumerated() where value >= cut { return i }
        return labels.count - 1
    }

    /// The tier of a lead with probability `p` and score round(100 · p).
    public func tier(probability p: Double, score: Int) -> String {
        labels[index(probability: p, score: score)]
    }

    /// The tier of a 0–100 score, for a scheme on the score.
    public func tier(score: Int) -> String {
        labels[index(probability: .nan, score: score)]
    }

    /// `A:50,B:30,C:15,D` for a scheme on the score; a scheme on the
    /// probability as `Hot:p≥0.41,Warm:p≥0.2,Cold`.
    public var description: String {
        switch measure {
        case .score:
            return zip(labels, cuts).map { "\($0):\($1)" }.joined(separator: ",") + "," + labels[labels.count - 1]
        case .probability:
            return zip(labels, valueCuts).map { "\($0):p≥\($1)" }.joined(separator: ",") + "," + labels[labels.count - 1]
        case .points:
            return zip(labels, valueCuts).map { "\($0):points≥\($1)" }.joined(separator: ",") + "," + labels[labels.count - 1]
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
