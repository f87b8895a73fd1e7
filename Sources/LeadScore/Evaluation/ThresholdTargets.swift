import Foundation

// What a team asks of its tiers: "sales can work 200 leads a week", "catch
// 60% of the conversions", "the top tier converts at least 30%", "the top
// 10% of leads". Written on the command line as
//
//     Sales-ready (SQL): capacity=200/week, precision=30%
//     MQL: recall=0.8
//     Nurture
//
// one tier per line, best first, the last without targets.

/// The span of time a capacity or an arrival rate is counted in.
public enum RatePeriod: String, Codable, Sendable, CaseIterable {
    case day, week, month

    /// Days in the period; a month is 365.25 / 12 = 30.4375 days, the mean
    /// calendar month.
    public var days: Double {
        switch self {
        case .day: 1
        case .week: 7
        case .month: 365.25 / 12
        }
    }
}

/// A number of leads per period, such as `200/week`.
public struct LeadRate: Codable, Sendable, Equatable, CustomStringConvertible {
    public var leads: Double
    public var period: RatePeriod

    public init(leads: Double, period: RatePeriod) {
        self.leads = leads
        self.period = period
    }

    /// Leads per day.
    public var perDay: Double { leads / period.days }

    /// Reads `200/week`, `40/day`, `800/month`; a bare number is per week.
    /// The number is positive and finite; `what` names the value in errors.
    public init(parsing text: String, what: String) throws(InputError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        let example = "Write a number of leads per day, week or month, e.g. \"200/week\" (a bare number is per week)."
        guard (1...2).contains(parts.count), let n = Double(parts[0]), n.isFinite, n > 0 else {
            throw InputError(.badConfiguration, "\(what) \"\(text)\" is not a positive number of leads per period.", remedy: example)
        }
        var period = RatePeriod.week
        if parts.count == 2 {
            guard let p = RatePeriod(rawValue: parts[1].lowercased()) else {
                throw InputError(
                    .badConfiguration, "\(what) \"\(text)\" has the period \"\(parts[1])\"; the periods are day, week and month.", remedy: example)
            }
            period = p
        }
        self.init(leads: n, period: period)
    }

    public var description: String { "\(ModelNumber.text(leads))/\(period.rawValue)" }
}

/// One thing a tier must do. Capacity, share and precision are asked of
/// the tier itself; recall of the tier together with the tiers above it
/// (the conversions caught by working the list down to this tier).
public enum ThresholdTarget: Sendable, Equatable, CustomStringConvertible {
    /// The tier holds at most this many leads per period (an upper bound).
    case capacity(LeadRate)
    /// The tier holds at most this share of the leads (an upper bound).
    case share(Double)
    /// The tier converts at least at this rate (a floor): the largest tier
    /// that does.
    case precision(Double)
    /// This tier and the tiers above catch at least this share of all
    /// conversions (a lower bound): the smallest tier that does.
    case recall(Double)

    public var description: String {
        switch self {
        case .capacity(let rate): "capacity=\(rate)"
        case .share(let s): "share=\(ModelNumber.text(s))"
        case .precision(let f): "precision=\(ModelNumber.text(f))"
        case .recall(let r): "recall=\(ModelNumber.text(r))"
        }
    }

    /// Whether the target needs to know which leads convert (or, for a
    /// model on unlabelled leads, their expected conversions).
    var needsConversions: Bool {
        switch self {
        case .precision, .recall: true
        case .capacity, .share: false
        }
    }
}

/// A tier to cut: its name, an optional action (SQL, MQL, Nurture…) and
/// the targets that set its cut. Only the last tier, which takes every
/// lead the tiers above do not, has no targets.
public struct ThresholdTier: Sendable, Equatable {
    public var name: String
    public var action: String?
    public var targets: [ThresholdTarget]

    public init(name: String, action: String? = nil, targets: [ThresholdTarget]) {
        self.name = name
        self.action = action
        self.targets = targets
    }

    static let example =
        "Write a tier as NAME[ (ACTION)]: TARGET[, TARGET…] with targets capacity=200/week, share=10%, precision=30% or recall=60%, e.g. \"Sales-ready (SQL): capacity=200/week\"; the last tier is a name alone, e.g. \"Nurture\"."

    /// Reads `Sales-ready (SQL): capacity=200/week, precision=30%`, or a
    /// name (and action) alone for the last tier. Shares, precisions and
    /// recalls are fractions (0.3) or percentages (30%) above 0 and at
    /// most 1.
    public init(parsing text: String) throws(InputError) {
        let head: Substring, body: Substring?
        if let colon = text.firstIndex(of: ":") {
            head = text[..<colon]
            body = text[text.index(after: colon)...]
        } else {
            head = text[...]
            body = nil
        }
        var name = head.trimmingSpaces, action: String? = nil
        if name.hasSuffix(")"), let open = name.lastIndex(of: "(") {
            action = name[name.index(after: open)..<name.index(before: name.endIndex)].trimmingSpaces
            name = name[..<open].trimmingSpaces
            if action?.isEmpty ?? true {
                throw InputError(.badConfiguration, "the tier \"\(text)\" has empty parentheses where its action goes.", remedy: Self.example)
            }
        }
        guard !name.isEmpty, !name.contains("("), !name.contains(")") else {
            throw InputError(.badConfiguration, "the tier \"\(text)\" has no name, or a name with parentheses.", remedy: Self.example)
        }
        var targets: [ThresholdTarget] = []
        if let body {
            for item in body.split(separator: ",", omittingEmptySubsequences: false) {
                let pair = item.split(separator: "=", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
                guard pair.count == 2, !pair[1].isEmpty else {
                    throw InputError(.badConfiguration, "\"\(item.trimmingSpaces)\" in the tier \"\(text)\" is not KIND=VALUE.", remedy: Self.example)
                }
                let what = "the \(pair[0]) of tier \"\(name)\""
                switch pair[0].lowercased() {
                case "capacity": targets.append(.capacity(try LeadRate(parsing: pair[1], what: what)))
                case "share": targets.append(.share(try Self.fraction(pair[1], what: what)))
                case "precision": targets.append(.precision(try Self.fraction(pair[1], what: what)))
                case "recall": targets.append(.recall(try Self.fraction(pair[1], what: what)))
                default:
                    throw InputError(
                        .badConfiguration, "\"\(pair[0])\" in the tier \"\(text)\" is not a kind of target.",
                        remedy: "The kinds are capacity, share, precision and recall. " + Self.example)
                }
            }
            guard !targets.isEmpty else {
                throw InputError(.badConfiguration, "the tier \"\(text)\" has a colon but no targets.", remedy: Self.example)
            }
        }
        self.init(name: name, action: action, targets: targets)
    }

    /// The grid's shares, `25%,50%,75%` (fractions or percentages).
    public static func gridShares(parsing text: String) throws(InputError) -> [Double] {
        var shares: [Double] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            shares.append(try fraction(part.trimmingSpaces, what: "a grid share"))
        }
        return shares
    }

    /// `0.3` or `30%`: above 0, at most 1.
    static func fraction(_ text: String, what: String) throws(InputError) -> Double {
        let isPercent = text.hasSuffix("%")
        let number = isPercent ? String(text.dropLast()).trimmingCharacters(in: .whitespaces) : text
        guard let v = Double(number).map({ isPercent ? $0 / 100 : $0 }), v > 0, v <= 1 else {
            throw InputError(
                .badConfiguration, "\(what), \"\(text)\", is not a share above 0 and at most 1.",
                remedy: "Write a fraction such as 0.3 or a percentage such as 30%.")
        }
        return v
    }

    /// Checks a list of tiers: at least two, distinct names, targets on
    /// every tier but the last and none on the last.
    public static func check(_ tiers: [ThresholdTier]) throws(InputError) {
        guard tiers.count >= 2 else {
            throw InputError(
                .badConfiguration, "\(tiers.count) tier\(tiers.count == 1 ? " was" : "s were") given; cut-offs need at least two tiers.",
                remedy: "Give each tier with \(OptionKey.thresholdTier.mention), best first, the last a name alone. " + example)
        }
        for (i, tier) in tiers.enumerated() {
            if tiers[..<i].contains(where: { $0.name == tier.name }) {
                throw InputError(.badConfiguration, "the tier name \"\(tier.name)\" appears twice.", remedy: "Give each tier its own name.")
            }
            let isLast = i == tiers.count - 1
            if isLast && !tier.targets.isEmpty {
                throw InputError(
                    .badConfiguration, "the last tier, \"\(tier.name)\", has targets; it takes every lead the tiers above do not.",
                    remedy: "Add a last tier with a name alone, e.g. \"Nurture\".")
            }
            if !isLast && tier.targets.isEmpty {
                throw InputError(
                    .badConfiguration, "the tier \"\(tier.name)\" has no targets, and only the last tier may lack them.",
                    remedy: "Give it a target, e.g. \"\(tier.name): capacity=200/week\", or move it last.")
            }
        }
    }
}
