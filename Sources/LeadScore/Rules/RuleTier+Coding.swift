import Foundation

// Reading and writing tiers and disqualify entries (see RuleSet+Coding.swift
// for the conventions).

extension RuleTier {
    public init(from decoder: Decoder) throws {
        let c = try RuleCoding.container(decoder, allowed: RuleCoding.tierKeys, what: "a tier")
        name = try RuleCoding.name(c, "name", what: "tier's name")
        above = try RuleCoding.optionalNumber(c, "above")
        atLeast = try RuleCoding.optionalNumber(c, "atLeast")
        try RuleCoding.checking(at: c.codingPath.rulePath) { () throws(RuleFileProblem) in try checkSelf() }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: RuleKey.self)
        try c.encode(name, forKey: RuleKey("name"))
        try RuleCoding.encodeNumberIfPresent(above, forKey: "above", in: &c)
        try RuleCoding.encodeNumberIfPresent(atLeast, forKey: "atLeast", in: &c)
    }

    func checkSelf() throws(RuleFileProblem) {
        if ValueParser.trim(name).isEmpty {
            throw RuleFileProblem([.key("name")], "a tier has an empty name.", remedy: "Name every tier.")
        }
        if above != nil && atLeast != nil {
            throw RuleFileProblem(
                [.key("atLeast")], "the tier has both `above` and `atLeast`.",
                remedy: "Use `above: X` for totals greater than X, or `atLeast: X` for X and more.")
        }
        if let v = above ?? atLeast, !v.isFinite {
            throw RuleFileProblem([], "the tier has a threshold that is not a finite number.", remedy: "Write a number.")
        }
    }

    var thresholdText: String {
        if let above { return "above \(ModelNumber.text(above))" }
        if let atLeast { return "at least \(ModelNumber.text(atLeast))" }
        return "no threshold"
    }
}

extension Disqualifier {
    public init(from decoder: Decoder) throws {
        let c = try RuleCoding.container(decoder, allowed: RuleCoding.disqualifyKeys, what: "a disqualify entry")
        name = try RuleCoding.name(c, "name", what: "disqualify entry's name")
        guard c.contains(RuleKey("when")) else {
            throw RuleFileProblem(
                c.codingPath.rulePath, "the entry has no `when` condition.",
                remedy: "Add e.g. `when: {column: Competitor, equals: true}`.")
        }
        when = try c.decode(RuleCondition.self, forKey: RuleKey("when"))
        tier = c.contains(RuleKey("tier")) ? try RuleCoding.name(c, "tier", what: "tier label") : nil
        try RuleCoding.checking(at: c.codingPath.rulePath) { () throws(RuleFileProblem) in try checkSelf() }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: RuleKey.self)
        try c.encode(name, forKey: RuleKey("name"))
        try c.encode(when, forKey: RuleKey("when"))
        try c.encodeIfPresent(tier, forKey: RuleKey("tier"))
    }

    func checkSelf() throws(RuleFileProblem) {
        if ValueParser.trim(name).isEmpty {
            throw RuleFileProblem([.key("name")], "a disqualify entry has an empty name.", remedy: "Name every entry.")
        }
    }
}
