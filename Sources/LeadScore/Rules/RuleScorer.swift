/// One rule that gave a lead points (or took them away).
public struct FiredRule: Sendable, Equatable, CustomStringConvertible {
    public var rule: String
    public var category: RuleCategory
    /// After any cap and decay.
    public var points: Double

    public init(rule: String, category: RuleCategory, points: Double) {
        self.rule = rule
        self.category = category
        self.points = points
    }

    /// `Demo requested (+20)`; decayed points with one decimal (`Webinar (+7.1)`).
    public var description: String {
        "\(rule) (\(signedPoints))"
    }

    /// In words, for a sales rep: `Demo requested: +20 points`,
    /// `Webinar: +7.1 points`, `Student email: -15 points`, `Referral: +1 point`.
    public var words: String {
        "\(rule): \(signedPoints) \(abs(points) == 1 ? "point" : "points")"
    }

    /// `+20`, `+7.1`, `-15`: whole points as they are, others with one
    /// decimal.
    private var signedPoints: String {
        let text = points == points.rounded() ? ModelNumber.text(points) : ModelNumber.fixed(points, 1)
        return (points >= 0 ? "+" : "") + text
    }
}

/// A lead's points under a `RuleSet`.
public struct RuleScore: Sendable, Equatable {
    /// `fit + engagement`.
    public var total: Double
    /// The points of the `fit` rules.
    public var fit: Double
    /// The points of the `engagement` rules.
    public var engagement: Double
    /// The tier of `total`, or the disqualify entry's tier when one holds
    /// ("" when the rules have no tiers and none holds).
    public var tier: String
    /// The name of the first disqualify entry that holds.
    public var disqualifiedBy: String?
    /// The rules that fired, in the order of the file.
    public var fired: [FiredRule]
    /// The grid cell of `fit` and `engagement` (`RuleSet.grid`); nil when
    /// the rules have no grid.
    public var cell: GridCell? = nil

    public init(total: Double, fit: Double, engagement: Double, tier: String, disqualifiedBy: String? = nil, fired: [FiredRule]) {
        self.total = total
        self.fit = fit
        self.engagement = engagement
        self.tier = tier
        self.disqualifiedBy = disqualifiedBy
        self.fired = fired
    }
}

/// Scores CSV rows with a `RuleSet`: made once per file from its header (the
/// rules' columns are looked up, and all absent ones reported together),
/// then called for each row.
///
/// ```swift
/// let rules = try RuleSet.load(path: "models/b2b-deals.rules.yaml")
/// let reader = try CSVReader(path: "leads.csv")
/// let scorer = try RuleScorer(rules: rules, header: reader.header, file: reader.path)
/// while try reader.nextRecord() {
///     let s = try scorer.score(reader)
///     print(s.total, s.tier, s.fired)
/// }
/// ```
///
/// Values are read with `ValueParser`: trimmed; missing when empty, a
/// default marker (NA, null, …), a marker of `parser`, or one of the rules'
/// `missingValues`. Every present value of a column the rules compare with
/// numbers (or count, or read an age from) must be a number, of a column
/// compared with true/false a boolean, and of a `dateColumn` a
/// `YYYY-MM-DD` date, in every row, whether or not the test is reached;
/// otherwise `score` throws `.invalidValue` naming the file, line, column
/// and value.
public struct RuleScorer: Sendable {
    public let rules: RuleSet
    /// The CSV's name, used in errors.
    public let file: String
    /// The parser in use: the one given, plus the rules' `missingValues`.
    public let parser: ValueParser
    /// The day (days since 1970-01-01) `dateColumn` ages are counted to,
    /// and the columns of `RuleSet.measuredOn` are aged to (`DaysSince`).
    public let asOfDays: Int?
    /// The columns the rules read, in order of first use in the file.
    public let columnsUsed: [String]
    /// The header position of each of `columnsUsed`.
    public let columnIndices: [Int]

    let needs: [RuleSlotNeeds]
    /// The days added to each slot's numbers (`DaysSince.aged`): the
    /// columns of `RuleSet.measuredOn`, scored as of `asOfDays`; 0 for the
    /// others.
    let ages: [Int]
    let compiled: [CompiledRule]
    let disqualifiers: [CompiledDisqualifier]

    /// Checks the rules (`RuleSet.validate`), finds their columns in
    /// `header` (exact names; surrounding spaces ignored), and compiles them.
    ///
    /// Throws `.missingColumn` listing every column the rules use that the
    /// header lacks, and `.badConfiguration` for an inconsistent rule set or
    /// a `dateColumn` decay without `asOfDays`. `exportedOnDays`, when
    /// given, replaces the days of `RuleSet.measuredOn` (the file scored was
    /// exported on that day).
    public init(
        rules: RuleSet, header: [String], file: String, parser: ValueParser = ValueParser(), asOfDays: Int? = nil, exportedOnDays: Int? = nil
    ) throws(InputError) {
        try rules.validate()
        self.rules = rules
        self.file = file
        var markers = Array(parser.missingMarkers)
        markers += rules.missingValues ?? []
        self.parser = ValueParser(missingMarkers: markers)
        self.asOfDays = asOfDays

        if asOfDays == nil, let rule = rules.rules.first(where: { $0.decay?.dateColumn != nil }), let c = rule.decay?.dateColumn {
            throw InputError(
                .badConfiguration, at: InputLocation(file: file, column: c),
                "rule \"\(rule.name)\" decays by the date in \"\(c)\", which needs an as-of date to count the days to.",
                remedy: "Give the as-of date (the day the ages are counted to), or decay by a days-since column with `ageColumn`.")
        }
        var builder = RuleSlotBuilder(header: header)
        let (compiled, dqs) = builder.compile(rules)
        if !builder.absent.isEmpty {
            throw RuleScorer.absentColumnsError(builder.absent, header: header, file: file)
        }
        self.compiled = compiled
        self.disqualifiers = dqs
        self.columnsUsed = builder.names
        self.columnIndices = builder.indices
        self.needs = builder.needs
        let shifts = DaysSince.shifts(measuredOn: rules.measuredOn, asOfDays: asOfDays, exportedOnDays: exportedOnDays)
        self.ages = builder.names.map { shifts[$0] ?? 0 }
    }

    /// Scores one row: `field(i)` is the row's value of header column `i`,
    /// `line` the row's line in the file (for errors).
    public func score(field: (Int) -> String, line: Int) throws(InputError) -> RuleScore {
        let row = try read(field: field, line: line)
        var fit = 0.0, engagement = 0.0
        var fired: [FiredRule] = []
        for rule in compiled {
            if let gate = rule.when, !gate.holds(row) { continue }
            var points: Double
            switch rule.kind {
            case .fixed(let p):
                points = p
            case .perOccurrence(let slot, let po):
                guard row.present[slot], row.number[slot] >= 1 else { continue }
                points = po.points(count: row.number[slot])
            }
            if let decay = rule.decay {
                switch decay {
                case .age(let slot, let d):
                    guard row.present[slot] else { continue }
                    points *= d.factor(age: row.number[slot])
                case .date(let slot, let d):
                    guard row.present[slot] else { continue }
                    points *= d.factor(age: Double(asOfDays! - row.day[slot]))
                }
            }
            switch rule.category {
            case .fit: fit += points
            case .engagement: engagement += points
            }
            fired.append(FiredRule(rule: rule.name, category: rule.category, points: points))
        }
        let total = fit + engagement
        var tier = rules.tier(for: total)
        var disqualifiedBy: String?
        for d in disqualifiers where d.when.holds(row) {
            disqualifiedBy = d.name
            tier = d.tier
            break
        }
        var score = RuleScore(total: total, fit: fit, engagement: engagement, tier: tier, disqualifiedBy: disqualifiedBy, fired: fired)
        score.cell = rules.grid?.cell(fit: fit, engagement: engagement)
        return score
    }

    /// Scores the reader's current record.
    public func score(_ reader: CSVReader) throws(InputError) -> RuleScore {
        try score(field: { reader.field($0) }, line: reader.recordLine)
    }

    /// Reads and types the used columns of a row, refusing a value a rule
    /// cannot read.
    func read(field: (Int) -> String, line: Int) throws(InputError) -> RuleRow {
        let n = columnIndices.count
        var row = RuleRow(
            present: Array(repeating: false, count: n), lower: Array(repeating: "", count: n),
            number: Array(repeating: 0, count: n), boolean: Array(repeating: false, count: n), day: Array(repeating: 0, count: n))
        for k in 0..<n {
            guard let v = parser.present(field(columnIndices[k])) else { continue }
            row.present[k] = true
            let need = needs[k]
            if need.text { row.lower[k] = v.lowercased() }
            if let who = need.number {
                guard let x = ValueParser.number(v) else {
                    throw InputError(
                        .invalidValue, at: InputLocation(file: file, line: line, column: columnsUsed[k], value: v),
                        "the value is not a number, but \(who) reads \"\(columnsUsed[k])\" as a number.",
                        remedy: (NumberLookalike(v).map { $0.explanation(v) + " Clean the column in the export (plain digits); " }
                            ?? "Correct the value (numbers are written like 12 or 3.5, without units or thousands separators); ")
                            + "if it means \"no value\", add it to `missingValues:` in the rules file.")
                }
                row.number[k] = DaysSince.aged(x, by: ages[k])
            }
            if let who = need.boolean {
                guard let b = ValueParser.boolean(v) else {
                    throw InputError(
                        .invalidValue, at: InputLocation(file: file, line: line, column: columnsUsed[k], value: v),
                        "the value is not a yes/no value, but \(who) compares \"\(columnsUsed[k])\" with true/false.",
                        remedy: "Use Yes/No, TRUE/FALSE, Y/N or 1/0; if it means \"no value\", add it to `missingValues:` in the rules file; "
                            + "to compare text, quote it in the rules (equals: \"\(v)\").")
                }
                row.boolean[k] = b
            }
            if let who = need.date {
                guard let d = ValueParser.isoDate(v) else {
                    throw InputError(
                        .invalidValue, at: InputLocation(file: file, line: line, column: columnsUsed[k], value: v),
                        "the value is not a date, but \(who) decays by the date in \"\(columnsUsed[k])\".",
                        remedy: (DateLookalike.matches(v) ? "This is a date in another format than ISO 8601, in which day and month cannot be told apart: convert the column to YYYY-MM-DD (e.g. 2026-06-30) in the export" : "Write dates as YYYY-MM-DD (e.g. 2026-06-30), with a valid time after it if any (HH:MM[:SS])")
                            + "; if it means \"no value\", add it to `missingValues:` in the rules file.")
                }
                row.day[k] = d
            }
        }
        return row
    }

    static func absentColumnsError(_ absent: [String], header: [String], file: String) -> InputError {
        let names = absent.map { "\"\($0)\"" }.joined(separator: ", ")
        var hints: [String] = []
        for a in absent {
            if let h = header.first(where: { ValueParser.trim($0).lowercased() == ValueParser.trim(a).lowercased() })
                ?? header.first(where: { !$0.isEmpty && RuleCoding.editDistance($0.lowercased(), a.lowercased()) <= 2 })
            {
                hints.append("\"\(a)\" → \"\(h)\"")
            }
        }
        let shown = header.filter { !$0.isEmpty }
        if let hint = CSVDialect.oneColumnHint(header: header) {
            return InputError(
                .missingColumn, at: InputLocation(file: file, line: 1),
                "the rules use \(absent.count == 1 ? "the column \(names)" : "\(absent.count) columns"), and the file has no such column.", remedy: hint)
        }
        var remedy = hints.isEmpty ? "" : "Did you mean \(hints.joined(separator: ", "))? "
        remedy += "Column names must match the header exactly (case included); the header has: "
        remedy += shown.prefix(60).map { "\"\($0)\"" }.joined(separator: ", ") + (shown.count > 60 ? ", …" : "") + "."
        return InputError(
            .missingColumn, at: InputLocation(file: file, line: nil),
            absent.count == 1 ? "the rules use the column \(names), which is not in the header."
                : "the rules use \(absent.count) columns that are not in the header: \(names).",
            remedy: remedy)
    }
}

// MARK: - Compiled form

/// What the scorer must read a column as, and the first rule that needs it
/// (for error messages).
struct RuleSlotNeeds: Sendable {
    var text = false
    var number: String?
    var boolean: String?
    var date: String?
}

enum RuleSlotNeed { case text, number, boolean, date, none }

struct RuleRow {
    var present: [Bool]
    var lower: [String]
    var number: [Double]
    var boolean: [Bool]
    var day: [Int]
}

struct CompiledRule: Sendable {
    enum Kind: Sendable {
        case fixed(Double)
        case perOccurrence(Int, PerOccurrence)
    }
    enum DecaySource: Sendable {
        case age(Int, RuleDecay)
        case date(Int, RuleDecay)
    }
    var name: String
    var category: RuleCategory
    var when: RuleCheck?
    var kind: Kind
    var decay: DecaySource?
}

struct CompiledDisqualifier: Sendable {
    var name: String
    var tier: String
    var when: RuleCheck
}

/// A condition with its columns resolved to row slots.
indirect enum RuleCheck: Sendable {
    case missing(Int, Bool)
    case text(Int, Set<String>)
    case number(Int, [Double])
    case boolean(Int, Set<Bool>)
    case contains(Int, [String])
    /// lower < x (or ≤ when inclusive) and x < upper (or ≤).
    case range(Int, lower: Double, lowerInclusive: Bool, upper: Double, upperInclusive: Bool)
    case all([RuleCheck])
    case any([RuleCheck])
    case not(RuleCheck)

    func holds(_ row: RuleRow) -> Bool {
        switch self {
        case .missing(let s, let wanted): return row.present[s] != wanted
        case .text(let s, let set): return row.present[s] && set.contains(row.lower[s])
        case .number(let s, let values): return row.present[s] && values.contains(row.number[s])
        case .boolean(let s, let set): return row.present[s] && set.contains(row.boolean[s])
        case .contains(let s, let needles):
            guard row.present[s] else { return false }
            let hay = row.lower[s]
            return needles.contains { hay.contains($0) }
        case .range(let s, let lo, let loIn, let hi, let hiIn):
            guard row.present[s] else { return false }
            let x = row.number[s]
            return (loIn ? x >= lo : x > lo) && (hiIn ? x <= hi : x < hi)
        case .all(let cs): return cs.allSatisfy { $0.holds(row) }
        case .any(let cs): return cs.contains { $0.holds(row) }
        case .not(let c): return !c.holds(row)
        }
    }
}

/// Assigns each used column a slot, records what it must be read as, and
/// collects absent columns.
struct RuleSlotBuilder {
    let header: [String]
    var names: [String] = []
    var indices: [Int] = []
    var needs: [RuleSlotNeeds] = []
    var absent: [String] = []

    init(header: [String]) { self.header = header }

    /// Compiles every rule and disqualify entry, in file order.
    mutating func compile(_ rules: RuleSet) -> (rules: [CompiledRule], disqualifiers: [CompiledDisqualifier]) {
        var compiled: [CompiledRule] = []
        for rule in rules.rules {
            let who = "rule \"\(rule.name)\""
            let gate = rule.when.map { compile($0, for: who) }
            var kind: CompiledRule.Kind = .fixed(rule.points ?? 0)
            if let po = rule.perOccurrence, let column = rule.column {
                kind = .perOccurrence(slot(column, needing: .number, for: who), po)
            }
            var decay: CompiledRule.DecaySource?
            if let d = rule.decay {
                if let c = d.ageColumn {
                    decay = .age(slot(c, needing: .number, for: who), d)
                } else if let c = d.dateColumn {
                    decay = .date(slot(c, needing: .date, for: who), d)
                }
            }
            compiled.append(CompiledRule(name: rule.name, category: rule.category, when: gate, kind: kind, decay: decay))
        }
        var dqs: [CompiledDisqualifier] = []
        for d in rules.disqualify ?? [] {
            let check = compile(d.when, for: "disqualify entry \"\(d.name)\"")
            dqs.append(CompiledDisqualifier(name: d.name, tier: d.tier ?? RuleSet.disqualifiedTier, when: check))
        }
        return (compiled, dqs)
    }

    /// The columns `rules` read as numbers (compared with numbers, counted,
    /// or read as ages), as the rules name them.
    static func numberColumns(_ rules: RuleSet) -> Set<String> {
        var builder = RuleSlotBuilder(header: [])
        _ = builder.compile(rules)
        return Set(zip(builder.names, builder.needs).filter { $0.1.number != nil }.map(\.0))
    }

    mutating func slot(_ column: String, needing need: RuleSlotNeed, for who: String) -> Int {
        let k: Int
        if let existing = names.firstIndex(of: column) {
            k = existing
        } else {
            let index = header.firstIndex(of: column)
                ?? header.firstIndex(where: { ValueParser.trim($0) == ValueParser.trim(column) })
            if index == nil, !absent.contains(column) { absent.append(column) }
            names.append(column)
            indices.append(index ?? -1)
            needs.append(RuleSlotNeeds())
            k = names.count - 1
        }
        switch need {
        case .text: needs[k].text = true
        case .number: needs[k].number = needs[k].number ?? who
        case .boolean: needs[k].boolean = needs[k].boolean ?? who
        case .date: needs[k].date = needs[k].date ?? who
        case .none: break
        }
        return k
    }

    mutating func compile(_ condition: RuleCondition, for who: String) -> RuleCheck {
        switch condition {
        case .all(let cs): return .all(cs.map { compile($0, for: who) })
        case .any(let cs): return .any(cs.map { compile($0, for: who) })
        case .not(let c): return .not(compile(c, for: who))
        case .column(let name, let tests):
            let checks = tests.map { compile($0, column: name, for: who) }
            return checks.count == 1 ? checks[0] : .all(checks)
        }
    }

    private mutating func compile(_ test: ColumnTest, column: String, for who: String) -> RuleCheck {
        switch test {
        case .missing(let b):
            return .missing(slot(column, needing: .none, for: who), b)
        case .equals(let v):
            return compileEquality([v], column: column, for: who)
        case .oneOf(let vs):
            return compileEquality(vs, column: column, for: who)
        case .contains(let texts):
            return .contains(slot(column, needing: .text, for: who), texts.map { $0.lowercased() })
        case .above(let x):
            return .range(slot(column, needing: .number, for: who), lower: x, lowerInclusive: false, upper: .infinity, upperInclusive: true)
        case .atLeast(let x):
            return .range(slot(column, needing: .number, for: who), lower: x, lowerInclusive: true, upper: .infinity, upperInclusive: true)
        case .below(let x):
            return .range(slot(column, needing: .number, for: who), lower: -.infinity, lowerInclusive: true, upper: x, upperInclusive: false)
        case .atMost(let x):
            return .range(slot(column, needing: .number, for: who), lower: -.infinity, lowerInclusive: true, upper: x, upperInclusive: true)
        case .between(let lo, let hi):
            return .range(slot(column, needing: .number, for: who), lower: lo, lowerInclusive: true, upper: hi, upperInclusive: true)
        }
    }

    private mutating func compileEquality(_ values: [RuleValue], column: String, for who: String) -> RuleCheck {
        switch values.first {
        case .boolean?:
            let set = Set(values.compactMap { if case .boolean(let b) = $0 { return b } else { return nil } })
            return .boolean(slot(column, needing: .boolean, for: who), set)
        case .number?:
            let xs = values.compactMap { if case .number(let x) = $0 { return x } else { return nil } }
            return .number(slot(column, needing: .number, for: who), xs)
        default:
            let set = Set(values.compactMap { if case .text(let s) = $0 { return ValueParser.trim(s).lowercased() } else { return nil } })
            return .text(slot(column, needing: .text, for: who), set)
        }
    }
}
