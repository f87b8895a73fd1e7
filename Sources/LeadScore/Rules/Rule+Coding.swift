import Foundation

// Reading and writing a rule: its category, points per occurrence and
// decay (see RuleSet+Coding.swift for the conventions).

extension RuleCategory {
    public init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let c = RuleCategory(rawValue: ValueParser.trim(s).lowercased()) else {
            throw RuleFileProblem(
                decoder.codingPath.rulePath, "the category \"\(s)\" is neither `fit` nor `engagement`.",
                remedy: "Write `category: fit` for who the lead is (title, company, region) or `category: engagement` for what the lead did.")
        }
        self = c
    }
}

extension Rule {
    public init(from decoder: Decoder) throws {
        let c = try RuleCoding.container(decoder, allowed: RuleCoding.ruleKeys, what: "a rule")
        name = try RuleCoding.name(c, "name", what: "rule's name")
        guard c.contains(RuleKey("category")) else {
            throw RuleFileProblem(
                c.codingPath.rulePath, "the rule has no `category`.",
                remedy: "Add `category: fit` (who the lead is) or `category: engagement` (what the lead did).")
        }
        category = try c.decode(RuleCategory.self, forKey: RuleKey("category"))
        when = try c.decodeIfPresent(RuleCondition.self, forKey: RuleKey("when"))
        points = try RuleCoding.optionalNumber(c, "points")
        column = c.contains(RuleKey("column")) ? try RuleCoding.name(c, "column", what: "column name") : nil
        perOccurrence = try c.decodeIfPresent(PerOccurrence.self, forKey: RuleKey("perOccurrence"))
        decay = try c.decodeIfPresent(RuleDecay.self, forKey: RuleKey("decay"))
        try RuleCoding.checking(at: c.codingPath.rulePath) { () throws(RuleFileProblem) in try checkSelf() }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: RuleKey.self)
        try c.encode(name, forKey: RuleKey("name"))
        try c.encode(category, forKey: RuleKey("category"))
        try c.encodeIfPresent(column, forKey: RuleKey("column"))
        try c.encodeIfPresent(when, forKey: RuleKey("when"))
        try RuleCoding.encodeNumberIfPresent(points, forKey: "points", in: &c)
        try c.encodeIfPresent(perOccurrence, forKey: RuleKey("perOccurrence"))
        try c.encodeIfPresent(decay, forKey: RuleKey("decay"))
    }

    func checkSelf() throws(RuleFileProblem) {
        if ValueParser.trim(name).isEmpty {
            throw RuleFileProblem([.key("name")], "a rule has an empty name.", remedy: "Name every rule.")
        }
        if perOccurrence != nil {
            if points != nil {
                throw RuleFileProblem(
                    [.key("points")], "the rule has both `points` and `perOccurrence`.",
                    remedy: "Use `points` for a fixed amount when `when` holds, or `perOccurrence` for points per occurrence in `column`, not both.")
            }
            if column == nil {
                throw RuleFileProblem(
                    [.key("perOccurrence")], "the rule gives points per occurrence but names no `column` to count them in.",
                    remedy: "Add `column: …` naming the count column, e.g. `column: Pricing Page Visits`.")
            }
        } else {
            if column != nil {
                throw RuleFileProblem(
                    [.key("column")], "the rule has a `column` but no `perOccurrence`.",
                    remedy: "For fixed points put the column in the condition: `when: {column: …, …}` with `points: …`; "
                        + "for points per occurrence add `perOccurrence: {first: …, each: …}`.")
            }
            if when == nil {
                throw RuleFileProblem(
                    [], "the rule has no `when` condition.",
                    remedy: "Add e.g. `when: {column: Demo Requested, equals: true}` and `points: 20`.")
            }
            if points == nil {
                throw RuleFileProblem([], "the rule has no `points`.", remedy: "Add e.g. `points: 20` (negative for a penalty).")
            }
        }
        if let p = points, !p.isFinite {
            throw RuleFileProblem([.key("points")], "the rule has points that are not a finite number.", remedy: "Write a number such as 10 or -20.")
        }
    }
}

extension PerOccurrence {
    public init(from decoder: Decoder) throws {
        let c = try RuleCoding.container(decoder, allowed: RuleCoding.perOccurrenceKeys, what: "perOccurrence")
        guard c.contains(RuleKey("each")) else {
            throw RuleFileProblem(
                c.codingPath.rulePath, "`perOccurrence` has no `each` (the points for every occurrence after the first).",
                remedy: "Write e.g. `perOccurrence: {first: 10, each: 5, max: 25}`.")
        }
        first = try RuleCoding.optionalNumber(c, "first")
        each = try RuleCoding.number(c, "each")
        max = try RuleCoding.optionalNumber(c, "max")
        try RuleCoding.checking(at: c.codingPath.rulePath) { () throws(RuleFileProblem) in try checkSelf() }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: RuleKey.self)
        try RuleCoding.encodeNumberIfPresent(first, forKey: "first", in: &c)
        try RuleCoding.encodeNumber(each, forKey: RuleKey("each"), in: &c)
        try RuleCoding.encodeNumberIfPresent(max, forKey: "max", in: &c)
    }

    func checkSelf() throws(RuleFileProblem) {
        let f = first ?? each
        guard f.isFinite, each.isFinite, max?.isFinite ?? true else {
            throw RuleFileProblem([], "`perOccurrence` has a number that is not finite.", remedy: "Write finite numbers.")
        }
        if f * each < 0 {
            throw RuleFileProblem(
                [.key("each")], "`first` (\(ModelNumber.text(f))) and `each` (\(ModelNumber.text(each))) have opposite signs.",
                remedy: "Points per occurrence either all add or all subtract; use two rules for anything else.")
        }
        let direction = f != 0 ? f : each
        if direction == 0 {
            throw RuleFileProblem([], "`perOccurrence` gives no points (`first` and `each` are 0).", remedy: "Set `each` (and `first`) to the points per occurrence.")
        }
        if let max, max * direction <= 0 {
            throw RuleFileProblem(
                [.key("max")], "`max` (\(ModelNumber.text(max))) must have the sign of the points (\(direction > 0 ? "positive" : "negative")).",
                remedy: direction > 0 ? "Write the most the rule can give, e.g. `max: 25`." : "Write the most the rule can take away as a negative number, e.g. `max: -20`.")
        }
    }
}

extension RuleDecay {
    public init(from decoder: Decoder) throws {
        let c = try RuleCoding.container(decoder, allowed: RuleCoding.decayKeys, what: "decay")
        guard c.contains(RuleKey("halfLife")) else {
            throw RuleFileProblem(
                c.codingPath.rulePath, "`decay` has no `halfLife` (the days after which the points are halved).",
                remedy: "Write e.g. `decay: {halfLife: 30, ageColumn: Days Since Last Activity}`.")
        }
        halfLife = try RuleCoding.number(c, "halfLife")
        ageColumn = c.contains(RuleKey("ageColumn")) ? try RuleCoding.name(c, "ageColumn", what: "age column") : nil
        dateColumn = c.contains(RuleKey("dateColumn")) ? try RuleCoding.name(c, "dateColumn", what: "date column") : nil
        try RuleCoding.checking(at: c.codingPath.rulePath) { () throws(RuleFileProblem) in try checkSelf() }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: RuleKey.self)
        try RuleCoding.encodeNumber(halfLife, forKey: RuleKey("halfLife"), in: &c)
        try c.encodeIfPresent(ageColumn, forKey: RuleKey("ageColumn"))
        try c.encodeIfPresent(dateColumn, forKey: RuleKey("dateColumn"))
    }

    func checkSelf() throws(RuleFileProblem) {
        guard halfLife > 0, halfLife.isFinite else {
            throw RuleFileProblem([.key("halfLife")], "`halfLife` must be a positive number of days.", remedy: "Write e.g. `halfLife: 30`.")
        }
        if (ageColumn == nil) == (dateColumn == nil) {
            throw RuleFileProblem(
                [], "`decay` needs exactly one of `ageColumn` (days since the event) and `dateColumn` (the event's date).",
                remedy: "Write e.g. `decay: {halfLife: 30, ageColumn: Days Since Last Activity}` or `{halfLife: 30, dateColumn: Last Activity Date}`.")
        }
    }

    /// The column the age is read from.
    public var column: String { ageColumn ?? dateColumn ?? "" }
}
