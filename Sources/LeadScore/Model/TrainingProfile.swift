import Foundation

/// How the model's training rows were distributed: every feature column's
/// values and the model's probability, cut into bins, with the share of the
/// training rows in each. It is the baseline `leadscore drift` compares a
/// new file of leads with (`Drift`), stored in the model card as
/// `trainingProfile`.
///
/// Profiled rows: the rows the model was fitted on (not the held-out ones,
/// not rows without an outcome), each counted once (sample weights are not
/// applied). Values are read as the model reads them: numbers as exported,
/// a date column as days before the model's as-of date, a category as its
/// level.
///
/// Bins, as `ColumnProfile` defines them:
/// - numbers (numeric and date columns, and the score): the training
///   deciles cut the values into at most 10 bins, plus one bin for missing
///   values, always last (empty for the score, which is never missing);
/// - categories: each level the model kept (the reference first, then the
///   others, most frequent first), then "(other)" (levels pooled in
///   training for being rare, and, in a new file, levels never seen in
///   training), then "(missing)";
/// - booleans: "false", "true", "(missing)".
///
/// The profile is diagnostics only: nothing that scores reads it, so a card
/// that carries it needs no newer format version (`requiredFormatVersion`),
/// and LeadScore versions that do not know it ignore the key. Like every
/// field of the card it is covered by the card's checksum. Cards written
/// before LeadScore kept a profile have none: `drift` asks for the model
/// to be retrained.
public struct TrainingProfile: Codable, Sendable, Equatable {
    /// The training rows profiled.
    public var rows: Int
    /// One per column of the model's encoders, in their order.
    public var columns: [ColumnProfile]
    /// The model's probability of winning on the training rows (named
    /// `ColumnProfile.scoreName`, kind numeric).
    public var score: ColumnProfile

    public init(rows: Int, columns: [ColumnProfile], score: ColumnProfile) {
        self.rows = rows
        self.columns = columns
        self.score = score
    }

    /// The number of quantile bins of a number: deciles.
    public static let quantileBins = 10
}

/// One column's training distribution over its bins (`TrainingProfile`).
///
/// Numbers: `edges` are the distinct training deciles, increasing. The
/// decile k/10 (k = 1…9) of n sorted values x₍₁₎ ≤ … ≤ x₍ₙ₎ is x₍⌈n·k/10⌉₎,
/// the smallest value with at least k/10 of the values at or below it
/// (the inverse of the empirical distribution function: Hyndman and Fan's
/// definition 1, numpy's `quantile(method="inverted_cdf")`). Every edge is
/// a training value, so counts such as pricing-page visits get bins of
/// whole visits. Equal deciles are kept once, so a column with few
/// distinct values has fewer bins. Bins are closed on the right: with
/// edges e₀ < … < e_m, bin 0 holds x ≤ e₀, bin i holds e_{i−1} < x ≤ e_i,
/// bin m + 1 holds x > e_m, and bin m + 2 the missing values.
public struct ColumnProfile: Codable, Sendable, Equatable {
    /// The column's name; `scoreName` for the score.
    public var column: String
    public var kind: ColumnKind
    /// Numbers: the bins' upper edges (see the type); nil for categories
    /// and booleans.
    public var edges: [Double]?
    /// Categories and booleans: the bins' names, "(other)" and "(missing)"
    /// last for categories; nil for numbers.
    public var levels: [String]?
    /// The share of the training rows in each bin, the missing bin last;
    /// they add up to 1.
    public var shares: [Double]

    /// The name of the score's profile.
    public static let scoreName = "probability"
    public static let falseLevel = "false", trueLevel = "true"

    public init(column: String, kind: ColumnKind, edges: [Double]? = nil, levels: [String]? = nil, shares: [Double]) {
        self.column = column
        self.kind = kind
        self.edges = edges
        self.levels = levels
        self.shares = shares
    }

    /// The number of bins, the missing bin included.
    public var binCount: Int { levels?.count ?? ((edges?.count ?? 0) + 2) }

    /// The index of the missing bin: the last.
    public var missingBin: Int { binCount - 1 }

    /// Categories: the index of "(other)", just before "(missing)".
    public var otherBin: Int { binCount - 2 }

    /// The bin of a number (NaN: missing), for a numeric profile: the
    /// number of edges below x (binary search).
    public func bin(number x: Double) -> Int {
        guard !x.isNaN, let edges else { return missingBin }
        var low = 0, high = edges.count
        while low < high {
            let mid = (low + high) / 2
            if edges[mid] < x { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The bins' names as reports show them: the levels, or for numbers
    /// `≤ e₀`, `(e₀, e₁]` (above e₀, up to e₁), …, `> e_m` and
    /// "(missing)", the edges as `edgeText` writes them.
    public var binLabels: [String] {
        if let levels { return levels }
        let text = (edges ?? []).map(Self.edgeText)
        guard let first = text.first, let last = text.last else { return ["all values", CategoricalEncoder.missingLevel] }
        let inner = text.indices.dropFirst().map { "(\(text[$0 - 1]), \(text[$0])]" }
        return ["≤ " + first] + inner + ["> " + last, CategoricalEncoder.missingLevel]
    }

    /// An edge as reports write it: in its shortest form when that has at
    /// most 7 characters (`2`, `0.25`, `1234.5`), else rounded to four
    /// significant digits (`0.01807`, `12346`). The exact edges are in the
    /// card and the JSON report.
    public static func edgeText(_ edge: Double) -> String {
        let text = ModelNumber.text(edge)
        guard text.count > 7, edge != 0, edge.isFinite else { return text }
        return ModelNumber.fixed(edge, max(0, 3 - Int(log10(abs(edge)).rounded(.down))))
    }

    /// What is wrong with the profile as read from a card, or nil: the
    /// shares must be finite, in [0, 1], one per bin and add up to 1; the
    /// edges finite and increasing; the levels distinct.
    public var problem: String? {
        if (edges == nil) == (levels == nil) { return "\"\(column)\" has \(edges == nil ? "neither" : "both") bin edges \(edges == nil ? "nor" : "and") levels." }
        if let edges, !(edges.allSatisfy(\.isFinite) && zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }) {
            return "the bin edges of \"\(column)\" are not finite and increasing."
        }
        if let levels, Set(levels).count != levels.count || levels.count < 2 { return "the levels of \"\(column)\" are not distinct." }
        guard shares.count == binCount, shares.allSatisfy({ $0 >= 0 && $0 <= 1 }), abs(shares.reduce(0, +) - 1) < 1e-9 else {
            return "the shares of \"\(column)\" are not one per bin in [0, 1] adding up to 1."
        }
        return nil
    }

    // MARK: Building

    /// The bins of a categorical encoder's column: the levels it kept, the
    /// reference first, then its other levels (both most frequent first),
    /// then "(other)" and "(missing)".
    static func levels(of e: CategoricalEncoder) -> [String] {
        let special = [CategoricalEncoder.otherLevel, CategoricalEncoder.missingLevel]
        return ([e.reference] + e.levels).filter { !special.contains($0) } + special
    }

    /// The profile of numbers, from the present values and the count of
    /// missing ones (the values are reordered).
    static func numbers(column: String, kind: ColumnKind, present: inout [Double], missing: Int) -> ColumnProfile {
        let edges = deciles(&present)
        var profile = ColumnProfile(column: column, kind: kind, edges: edges, shares: [])
        var counts = [Int](repeating: 0, count: profile.binCount)
        for x in present { counts[profile.bin(number: x)] += 1 }
        counts[profile.missingBin] = missing
        profile.shares = shares(counts)
        return profile
    }

    /// Each count over their total (0 for every bin of an empty column).
    static func shares(_ counts: [Int]) -> [Double] {
        let total = counts.reduce(0, +)
        return counts.map { total > 0 ? Double($0) / Double(total) : 0 }
    }

    /// The distinct deciles of `values` (see the type: x₍⌈n·k/10⌉₎ for
    /// k = 1…9, found by selection in linear expected time, `values`
    /// reordered); empty for no values. The index is computed in integers,
    /// so that n·k/10 on an exact multiple is not rounded up.
    static func deciles(_ values: inout [Double]) -> [Double] {
        let n = values.count, q = TrainingProfile.quantileBins
        guard n > 0 else { return [] }
        var edges: [Double] = []
        values.withUnsafeMutableBufferPointer { a in
            // Increasing order statistics: each selection leaves the
            // larger values after its position, so the next one searches
            // only those.
            var start = 0
            for k in 1..<q {
                let index = (n * k + q - 1) / q - 1
                let rest = UnsafeMutableBufferPointer(rebasing: a[start...])
                let v = NumericEncoder.select(rest, index - start)
                start = index
                if edges.last != v { edges.append(v) }
            }
        }
        return edges
    }
}
