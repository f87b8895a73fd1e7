import Foundation

/// A hand-written, additive points model: the lead-scoring rules a marketing
/// team keeps in HubSpot, Marketo or a spreadsheet, as a file LeadScore can
/// score a CSV with (`RuleScorer`). Loaded from YAML or JSON by
/// `RuleSet.load(path:)`; docs/rules.md is the user's guide.
///
/// ```yaml
/// format: leadscore-rules          # optional; if present, exactly this
/// formatVersion: 1                 # required; newer versions are refused
/// name: Inbound B2B scoring        # optional
/// missingValues: [Select, "-"]     # optional; extra cell values meaning "no value"
/// measuredOn:                      # optional; the day each days-since column was measured
///   Days Since Last Activity: "2026-06-30"
/// rules:
///   - name: Demo requested         # required, unique
///     category: engagement         # required: fit | engagement
///     when: {column: Demo Requested, equals: true}
///     points: 20                   # negative for penalties
///   - name: Pricing page visits
///     category: engagement
///     column: Pricing Page Visits  # a count column
///     perOccurrence: {first: 10, each: 5, max: 25}
///   - name: Webinar (fading)
///     category: engagement
///     when: {column: Webinars Attended, atLeast: 1}
///     points: 10
///     decay: {halfLife: 30, ageColumn: Days Since Last Activity}
/// tiers:                           # optional; highest first, the last without a threshold
///   - {name: Sales-ready, atLeast: 40}
///   - {name: Nurture, atLeast: 20}
///   - {name: Low}
/// disqualify:                      # optional; the first that holds sets the tier
///   - {name: Competitor, when: {column: Competitor, equals: true}, tier: Disqualified}
/// grid:                            # optional; cut-offs of the fit × engagement grid
///   fit: [40, 25, 10]              # fit points: A from 40, B from 25, C from 10, else D
///   engagement: [50, 30, 10]       # engagement points: 1 from 50, …, else 4
/// ```
///
/// Key reference (every key there is; any other key is refused, naming it and
/// its line):
///
/// - Top level: `format`, `formatVersion`, `name`, `missingValues`,
///   `measuredOn`, `rules`, `tiers`, `disqualify`, `grid`.
/// - `measuredOn`: column → the day (YYYY-MM-DD) a days-since column was
///   measured, such as the export date of "Days Since Last Activity".
///   Scored as of a day D (`asOfDays`), every number read from the column
///   (by conditions, per-occurrence counts and decay ages alike) is
///   x + (D − M), M its day (`DaysSince`); without an as-of day, x. Each
///   column must be read as a number by a rule.
/// - The grid: `fit` and `engagement`, three cut-offs each on the fit and
///   the engagement points, inclusive and strictly decreasing (`GridCuts`):
///   a lead's cell is its fit letter A–D and engagement digit 1–4, A1 the
///   best. Without `grid`, the rules give no grid cell.
/// - A rule: `name`, `category`, and either `when` + `points` (fixed points
///   when the condition holds) or `column` + `perOccurrence` (points per
///   occurrence on a count column, optionally gated by `when`); optionally
///   `decay`.
///   - `perOccurrence`: `first` (points for the first occurrence; default
///     `each`), `each` (points for every further one), `max` (the most the rule
///     can give; for penalties, the most it can take, written negative). With
///     n = the count rounded down, the rule gives nothing for n < 1, else
///     `first + each × (n − 1)`, capped at `max`.
///   - `decay`: `halfLife` (days, > 0) and exactly one of `ageColumn` (a
///     column holding the event's age in days) or `dateColumn` (a column
///     holding its `YYYY-MM-DD` date; age = as-of date − date). The rule's
///     points are multiplied by 0.5^(age / halfLife); a negative age counts
///     as 0; a missing age gives the rule no points.
/// - A condition is either a test of one column, `{column: NAME, TEST: …}`, or
///   a combination: `all: [conditions]`, `any: [conditions]`,
///   `not: condition` (or `not: [conditions]`, meaning none of them holds).
///   Tests (several in one condition must all hold):
///   - `equals: VALUE` and `oneOf: [VALUES]`: text is compared
///     case-insensitively after trimming spaces; a number compares
///     numerically (the column must then hold numbers); `true`/`false`
///     match every boolean spelling (Yes/No, TRUE/FALSE, Y/N, T/F, 1/0; the
///     column must then hold booleans). A `oneOf` list holds one kind of value.
///   - `contains: TEXT` or `contains: [TEXTS]`: the value contains the text
///     (any of them), case-insensitively.
///   - `above: X` (> X), `atLeast: X` (≥ X), `below: X` (< X), `atMost: X`
///     (≤ X), `between: [LOW, HIGH]` (LOW ≤ value ≤ HIGH, both ends included).
///     The column must hold numbers.
///   - `missing: true` holds when the value is missing (empty, a default
///     missing marker such as NA, or one of `missingValues`); `missing: false`
///     when it is present.
///   Every test but `missing` is false on a missing value, so
///   `not: {column: X, equals: Y}` holds when X is missing.
/// - A tier: `name` and at most one of `above: X` (total > X) or `atLeast: X`
///   (total ≥ X). A lead gets the first tier whose threshold its total meets;
///   tiers are listed from the highest threshold down, and the last one has
///   no threshold (everyone else).
/// - A disqualify entry: `name`, `when` (a condition) and optionally `tier`
///   (the label it sets; default `Disqualified`).
///
/// A value that a test needs as a number, boolean or date but is not one is
/// an error naming the file, line, column and value; a column absent from the
/// CSV header is an error when the scorer is made, listing every absent
/// column.
public struct RuleSet: Codable, Sendable, Equatable {
    /// The newest format version this LeadScore reads.
    public static let currentFormatVersion = 1
    /// The value of the optional `format` key.
    public static let formatName = "leadscore-rules"
    /// The tier set by a disqualify entry without a `tier` of its own.
    public static let disqualifiedTier = "Disqualified"

    /// Written as `leadscore-rules` when present.
    public var format: String?
    public var formatVersion: Int
    public var name: String?
    /// Cell values meaning "no value", added to the scorer's parser's
    /// markers (which include the empty string, NA, N/A, null, …).
    public var missingValues: [String]?
    /// Days-since columns and the day each was measured (YYYY-MM-DD): read
    /// as of the scorer's as-of day (`DaysSince`). nil or empty: none.
    public var measuredOn: [String: String]?
    public var rules: [Rule]
    /// Highest threshold first; the last has no threshold. Nil or empty: every
    /// lead's tier is "".
    public var tiers: [RuleTier]?
    public var disqualify: [Disqualifier]?
    /// Cut-offs of the fit × engagement grid on the fit and engagement
    /// points; nil: the rules give no grid cell.
    public var grid: GridCuts?

    public init(
        name: String? = nil, formatVersion: Int = RuleSet.currentFormatVersion, missingValues: [String]? = nil,
        measuredOn: [String: String]? = nil, rules: [Rule], tiers: [RuleTier]? = nil, disqualify: [Disqualifier]? = nil, grid: GridCuts? = nil
    ) {
        self.format = RuleSet.formatName
        self.formatVersion = formatVersion
        self.name = name
        self.missingValues = missingValues
        self.measuredOn = measuredOn
        self.rules = rules
        self.tiers = tiers
        self.disqualify = disqualify
        self.grid = grid
    }

    /// Every tier a lead can get, best first: the tiers, then the distinct
    /// tiers of the disqualify entries (`Disqualified` unless they name
    /// their own).
    public var tierNames: [String] {
        var names = (tiers ?? []).map(\.name)
        for d in disqualify ?? [] where !names.contains(d.tier ?? RuleSet.disqualifiedTier) {
            names.append(d.tier ?? RuleSet.disqualifiedTier)
        }
        return names
    }

    /// The tier of a total, ignoring disqualification: the first tier whose
    /// threshold `total` meets, else the last; "" without tiers.
    public func tier(for total: Double) -> String {
        guard let tiers, !tiers.isEmpty else { return "" }
        for t in tiers where t.admits(total) { return t.name }
        return tiers[tiers.count - 1].name
    }
}

/// What a rule measures: who the lead is (`fit`: title, company, region,
/// email domain) or what the lead did (`engagement`: visits, requests,
/// clicks, inactivity). Scores report both parts and their sum.
public enum RuleCategory: String, Codable, Sendable, Equatable, CaseIterable {
    case fit, engagement
}

/// One line of a points model.
public struct Rule: Codable, Sendable, Equatable {
    public var name: String
    public var category: RuleCategory
    /// For fixed points, when they are given; for a per-occurrence rule, an
    /// optional gate.
    public var when: RuleCondition?
    /// Fixed points (negative for a penalty). Exclusive with `perOccurrence`.
    public var points: Double?
    /// The count column of a per-occurrence rule.
    public var column: String?
    public var perOccurrence: PerOccurrence?
    public var decay: RuleDecay?

    /// `points` when `when` holds.
    public init(_ name: String, _ category: RuleCategory, when: RuleCondition, points: Double, decay: RuleDecay? = nil) {
        self.name = name
        self.category = category
        self.when = when
        self.points = points
        self.decay = decay
    }

    /// Points for each occurrence counted in `column`.
    public init(_ name: String, _ category: RuleCategory, column: String, perOccurrence: PerOccurrence, when: RuleCondition? = nil, decay: RuleDecay? = nil) {
        self.name = name
        self.category = category
        self.column = column
        self.perOccurrence = perOccurrence
        self.when = when
        self.decay = decay
    }
}

/// `first` points for the first occurrence, `each` for every further one, at
/// most `max` in all (for a penalty, `max` is negative and bounds the loss).
public struct PerOccurrence: Codable, Sendable, Equatable {
    /// Default: `each`.
    public var first: Double?
    public var each: Double
    public var max: Double?

    public init(first: Double? = nil, each: Double, max: Double? = nil) {
        self.first = first
        self.each = each
        self.max = max
    }

    /// The points for `count` occurrences (rounded down; none below 1).
    public func points(count: Double) -> Double {
        let n = count.rounded(.down)
        guard n >= 1 else { return 0 }
        var p = (first ?? each) + each * (n - 1)
        if let max { p = max >= 0 ? Swift.min(p, max) : Swift.max(p, max) }
        return p
    }
}

/// Points that fade: multiplied by 0.5^(age / halfLife), the age in days read
/// from `ageColumn`, or from `dateColumn` relative to the scorer's as-of
/// date.
public struct RuleDecay: Codable, Sendable, Equatable {
    public var halfLife: Double
    public var ageColumn: String?
    public var dateColumn: String?

    public init(halfLife: Double, ageColumn: String) {
        self.halfLife = halfLife
        self.ageColumn = ageColumn
    }

    public init(halfLife: Double, dateColumn: String) {
        self.halfLife = halfLife
        self.dateColumn = dateColumn
    }

    /// 0.5^(max(age, 0) / halfLife).
    public func factor(age: Double) -> Double {
        pow(0.5, Swift.max(age, 0) / halfLife)
    }
}

/// A label for totals that meet a threshold: `above` (strictly greater) or
/// `atLeast` (greater or equal); neither for the last, catch-all tier.
public struct RuleTier: Codable, Sendable, Equatable {
    public var name: String
    public var above: Double?
    public var atLeast: Double?

    public init(_ name: String, above: Double) {
        self.name = name
        self.above = above
    }

    public init(_ name: String, atLeast: Double) {
        self.name = name
        self.atLeast = atLeast
    }

    /// The catch-all last tier.
    public init(_ name: String) {
        self.name = name
    }

    public func admits(_ total: Double) -> Bool {
        if let above { return total > above }
        if let atLeast { return total >= atLeast }
        return true
    }
}

/// A condition that, when it holds, sets the lead's tier to `tier` (default
/// "Disqualified") whatever its points.
public struct Disqualifier: Codable, Sendable, Equatable {
    public var name: String
    public var when: RuleCondition
    public var tier: String?

    public init(_ name: String, when: RuleCondition, tier: String? = nil) {
        self.name = name
        self.when = when
        self.tier = tier
    }
}
