/// A yes/no question about a lead's row, written in a rules file as
/// `{column: NAME, TEST: …}` or as `all:` / `any:` / `not:` of conditions.
/// See `RuleSet` for the tests and how missing values behave.
public indirect enum RuleCondition: Sendable, Equatable {
    /// Every test holds for the column's value.
    case column(String, [ColumnTest])
    /// Every condition holds (true for an empty list).
    case all([RuleCondition])
    /// At least one condition holds (false for an empty list).
    case any([RuleCondition])
    case not(RuleCondition)

    /// `{column: name, equals: value}`.
    public static func column(_ name: String, _ test: ColumnTest) -> RuleCondition { .column(name, [test]) }
}

/// One test of a column's value.
public enum ColumnTest: Sendable, Equatable {
    case equals(RuleValue)
    /// Equal to any of the values, which are all of one kind.
    case oneOf([RuleValue])
    /// Contains any of the texts, case-insensitively.
    case contains([String])
    /// > x
    case above(Double)
    /// ≥ x
    case atLeast(Double)
    /// < x
    case below(Double)
    /// ≤ x
    case atMost(Double)
    /// low ≤ value ≤ high.
    case between(Double, Double)
    /// true: the value is missing; false: it is present.
    case missing(Bool)

    /// The key it is written with.
    public var key: String {
        switch self {
        case .equals: return "equals"
        case .oneOf: return "oneOf"
        case .contains: return "contains"
        case .above: return "above"
        case .atLeast: return "atLeast"
        case .below: return "below"
        case .atMost: return "atMost"
        case .between: return "between"
        case .missing: return "missing"
        }
    }

    /// Test keys in the order they are written out.
    static let keys = ["missing", "equals", "oneOf", "contains", "above", "atLeast", "below", "atMost", "between"]
}

/// A value a column is compared with: text, a number or a boolean, as
/// written in the rules file (`equals: Business`, `equals: 3`,
/// `equals: true`). In YAML, quote text that would read as a number or a
/// boolean (`equals: "Yes"` compares text; `equals: Yes` is the boolean).
public enum RuleValue: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    case text(String)
    case number(Double)
    case boolean(Bool)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            throw RuleFileProblem(
                decoder.codingPath.rulePath, "a value to compare with is empty (null).",
                remedy: "To test for a missing value write `missing: true`; to compare with the text \"null\", quote it.")
        }
        if let b = try? c.decode(Bool.self) {
            self = .boolean(b)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .text(s)
        } else {
            throw RuleFileProblem(
                decoder.codingPath.rulePath, "a value to compare with must be text, a number, or true/false.",
                remedy: "Write a single value here (a list belongs under `oneOf`).")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .text(let s): try c.encode(s)
        case .number(let d): try RuleCoding.encodeNumber(d, in: &c)
        case .boolean(let b): try c.encode(b)
        }
    }

    var kindName: String {
        switch self {
        case .text: return "text"
        case .number: return "a number"
        case .boolean: return "true/false"
        }
    }

    public var description: String {
        switch self {
        case .text(let s): return "\"\(s)\""
        case .number(let d): return ModelNumber.text(d)
        case .boolean(let b): return b ? "true" : "false"
        }
    }
}

extension RuleCondition: Codable {
    static let combinationKeys = ["all", "any", "not"]
    static let allKeys = ["column"] + ColumnTest.keys + combinationKeys

    public init(from decoder: Decoder) throws {
        let c = try RuleCoding.container(decoder, allowed: RuleCondition.allKeys, what: "a condition")
        let path = c.codingPath.rulePath
        let present = c.allKeys.map(\.stringValue)
        let combos = RuleCondition.combinationKeys.filter(present.contains)
        if let combo = combos.first {
            guard present.count == 1 else {
                let others = present.filter { $0 != combo }.map { "`\($0)`" }.joined(separator: ", ")
                let example = combo == "not" ? "not: {column: A, equals: x}" : "\(combo): [{column: A, equals: x}, {column: B, above: 3}]"
                throw RuleFileProblem(
                    path + [.key(combo)], "`\(combo)` cannot be combined with \(others) in the same condition.",
                    remedy: "Put each test in its own condition inside `\(combo)`, e.g. `\(example)`.")
            }
            let key = RuleKey(combo)
            switch combo {
            case "all": self = .all(try c.decode([RuleCondition].self, forKey: key))
            case "any": self = .any(try c.decode([RuleCondition].self, forKey: key))
            default:
                if (try? c.nestedUnkeyedContainer(forKey: key)) != nil {
                    self = .not(.any(try c.decode([RuleCondition].self, forKey: key)))
                } else {
                    self = .not(try c.decode(RuleCondition.self, forKey: key))
                }
            }
            return
        }
        guard present.contains("column") else {
            throw RuleFileProblem(
                path, "a condition needs a `column` (or `all`, `any`, `not`).",
                remedy: "Write e.g. `{column: Demo Requested, equals: true}` or `{any: [ … ]}`.")
        }
        let column = try RuleCoding.name(c, "column", what: "column name")
        var tests: [ColumnTest] = []
        for key in ColumnTest.keys where present.contains(key) {
            let k = RuleKey(key)
            switch key {
            case "missing": tests.append(.missing(try c.decode(Bool.self, forKey: k)))
            case "equals": tests.append(.equals(try c.decode(RuleValue.self, forKey: k)))
            case "oneOf":
                tests.append(.oneOf(try c.decode([RuleValue].self, forKey: k)))
            case "contains":
                let texts: [String]
                if (try? c.nestedUnkeyedContainer(forKey: k)) != nil {
                    texts = try c.decode([String].self, forKey: k)
                } else {
                    texts = [try c.decode(String.self, forKey: k)]
                }
                tests.append(.contains(texts))
            case "above": tests.append(.above(try c.decode(Double.self, forKey: k)))
            case "atLeast": tests.append(.atLeast(try c.decode(Double.self, forKey: k)))
            case "below": tests.append(.below(try c.decode(Double.self, forKey: k)))
            case "atMost": tests.append(.atMost(try c.decode(Double.self, forKey: k)))
            case "between":
                let pair = try c.decode([Double].self, forKey: k)
                guard pair.count == 2 else {
                    throw RuleFileProblem(
                        path + [.key(key)], "`between` must be two numbers, the lower first.",
                        remedy: "Write e.g. `between: [50, 500]` (both ends included).")
                }
                tests.append(.between(pair[0], pair[1]))
            default: break
            }
        }
        self = .column(column, tests)
        try RuleCoding.checking(at: path) { () throws(RuleFileProblem) in try checkSelf() }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: RuleKey.self)
        switch self {
        case .all(let cs): try c.encode(cs, forKey: RuleKey("all"))
        case .any(let cs): try c.encode(cs, forKey: RuleKey("any"))
        case .not(let inner): try c.encode(inner, forKey: RuleKey("not"))
        case .column(let name, let tests):
            try c.encode(name, forKey: RuleKey("column"))
            for t in tests {
                let k = RuleKey(t.key)
                switch t {
                case .equals(let v): try c.encode(v, forKey: k)
                case .oneOf(let vs): try c.encode(vs, forKey: k)
                case .contains(let ts): if ts.count == 1 { try c.encode(ts[0], forKey: k) } else { try c.encode(ts, forKey: k) }
                case .above(let x), .atLeast(let x), .below(let x), .atMost(let x): try RuleCoding.encodeNumber(x, forKey: k, in: &c)
                case .between(let lo, let hi): try c.encode([RuleNumber(lo), RuleNumber(hi)], forKey: k)
                case .missing(let b): try c.encode(b, forKey: k)
                }
            }
        }
    }
}
