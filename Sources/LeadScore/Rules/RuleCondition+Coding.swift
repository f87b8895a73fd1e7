import Foundation

// Reading and writing conditions (see RuleSet+Coding.swift for the
// conventions).

extension RuleCondition {
    /// The checks decoding makes, for conditions built in code.
    func checkSelf() throws(RuleFileProblem) {
        switch self {
        case .all(let cs), .any(let cs):
            for (i, c) in cs.enumerated() {
                try RuleCoding.checking(at: [.key(self.isAll ? "all" : "any"), .index(i)]) { () throws(RuleFileProblem) in try c.checkSelf() }
            }
        case .not(let c):
            try RuleCoding.checking(at: [.key("not")]) { () throws(RuleFileProblem) in try c.checkSelf() }
        case .column(let name, let tests):
            if ValueParser.trim(name).isEmpty {
                throw RuleFileProblem([.key("column")], "a condition names an empty column.", remedy: "Write the column's header name.")
            }
            if tests.isEmpty {
                throw RuleFileProblem(
                    [], "the condition on \"\(name)\" has no test.",
                    remedy: "Add one of: \(ColumnTest.keys.map { "`\($0)`" }.joined(separator: ", ")).")
            }
            for t in tests {
                let at: [RulePathComponent] = [.key(t.key)]
                switch t {
                case .oneOf(let vs):
                    guard let first = vs.first else {
                        throw RuleFileProblem(at, "`oneOf` has an empty list.", remedy: "List the values to match, e.g. `oneOf: [Student, Job Seeker]`.")
                    }
                    if let odd = vs.first(where: { $0.kindName != first.kindName }) {
                        throw RuleFileProblem(
                            at, "`oneOf` mixes \(first.kindName) (\(first)) with \(odd.kindName) (\(odd)).",
                            remedy: "Use one kind of value per list; in YAML, quote values meant as text, e.g. [\"1-10\", \"Yes\"].")
                    }
                    if case .number(let x) = vs.first(where: { if case .number(let x) = $0 { return !x.isFinite } else { return false } }) {
                        throw RuleFileProblem(at, "`oneOf` holds \(x), which is not a finite number.", remedy: "Write finite numbers.")
                    }
                case .contains(let ts):
                    if ts.isEmpty || ts.contains(where: \.isEmpty) {
                        throw RuleFileProblem(at, "`contains` needs non-empty text.", remedy: "Write e.g. `contains: VP` or `contains: [VP, Vice President]`.")
                    }
                case .between(let lo, let hi):
                    if !(lo <= hi) || !lo.isFinite || !hi.isFinite {
                        throw RuleFileProblem(at, "`between` must be two numbers, the lower first.", remedy: "Write e.g. `between: [50, 500]` (both ends included).")
                    }
                case .above(let x), .atLeast(let x), .below(let x), .atMost(let x), .equals(.number(let x)):
                    if !x.isFinite {
                        throw RuleFileProblem(at, "`\(t.key)` must be a finite number.", remedy: "Write a number such as 10 or 2.5.")
                    }
                default: break
                }
            }
        }
    }

    private var isAll: Bool {
        if case .all = self { return true }
        return false
    }
}
