import Foundation

// Reading and writing the rules format: every type decodes itself from a
// keyed container that refuses unknown keys, and checks its own
// consistency. Problems are thrown as `RuleFileProblem` carrying the path
// to the offending value, which `RuleSet+Loading.swift` turns into the file
// and line.

/// A step in the path to a value in a rules file: a key, or a 0-based index
/// in a list.
enum RulePathComponent: Sendable, Equatable {
    case key(String)
    case index(Int)
}

/// A rules-file problem located by its path in the document.
struct RuleFileProblem: Error {
    var path: [RulePathComponent]
    var problem: String
    var remedy: String
    /// The last path component is a key the problem sentence already names
    /// (an unknown or repeated key): it locates the line but is left out of
    /// the "where" label.
    var namesLastKey = false

    init(_ path: [RulePathComponent], _ problem: String, remedy: String, namesLastKey: Bool = false) {
        self.path = path
        self.problem = problem
        self.remedy = remedy
        self.namesLastKey = namesLastKey
    }

    func prefixed(_ prefix: [RulePathComponent]) -> RuleFileProblem {
        var p = self
        p.path = prefix + path
        return p
    }
}

struct RuleKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Array where Element == any CodingKey {
    var rulePath: [RulePathComponent] {
        map { k in k.intValue.map { .index($0) } ?? .key(k.stringValue) }
    }
}

/// A number written without ".0" when it is whole (`points: 20`).
struct RuleNumber: Encodable {
    let value: Double
    init(_ v: Double) { value = v }
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try RuleCoding.encodeNumber(value, in: &c)
    }
}

enum RuleCoding {
    static let topKeys = ["format", "formatVersion", "name", "missingValues", "measuredOn", "rules", "tiers", "disqualify", "grid"]
    static let ruleKeys = ["name", "category", "when", "points", "column", "perOccurrence", "decay"]
    static let perOccurrenceKeys = ["first", "each", "max"]
    static let decayKeys = ["halfLife", "ageColumn", "dateColumn"]
    static let tierKeys = ["name", "above", "atLeast"]
    static let disqualifyKeys = ["name", "when", "tier"]
    static let gridKeys = ["fit", "engagement"]

    /// The decoder's keyed container, refusing a key not in `allowed`.
    static func container(_ decoder: Decoder, allowed: [String], what: String) throws -> KeyedDecodingContainer<RuleKey> {
        let c = try decoder.container(keyedBy: RuleKey.self)
        let unknown = c.allKeys.map(\.stringValue).filter { !allowed.contains($0) }.sorted()
        if let key = unknown.first {
            var remedy = ""
            if let guess = closest(to: key, in: allowed) { remedy = "Did you mean `\(guess)`? " }
            remedy += "The keys of \(what) are: \(allowed.joined(separator: ", ")) (see docs/rules.md)."
            throw RuleFileProblem(c.codingPath.rulePath + [.key(key)], "unknown key \"\(key)\" in \(what).", remedy: remedy, namesLastKey: true)
        }
        return c
    }

    /// A required, non-empty text value.
    static func name(_ c: KeyedDecodingContainer<RuleKey>, _ key: String, what: String) throws -> String {
        let k = RuleKey(key)
        guard c.contains(k) else {
            throw RuleFileProblem(c.codingPath.rulePath, "the \(what) (`\(key)`) is missing.", remedy: "Add `\(key): …`.")
        }
        let s = try c.decode(String.self, forKey: k)
        guard !ValueParser.trim(s).isEmpty else {
            throw RuleFileProblem(c.codingPath.rulePath + [.key(key)], "the \(what) (`\(key)`) is empty.", remedy: "Write a name.")
        }
        return s
    }

    static func number(_ c: KeyedDecodingContainer<RuleKey>, _ key: String) throws -> Double {
        let v = try c.decode(Double.self, forKey: RuleKey(key))
        guard v.isFinite else {
            throw RuleFileProblem(c.codingPath.rulePath + [.key(key)], "`\(key)` must be a finite number.", remedy: "Write a number such as 10 or -2.5.")
        }
        return v
    }

    static func optionalNumber(_ c: KeyedDecodingContainer<RuleKey>, _ key: String) throws -> Double? {
        c.contains(RuleKey(key)) ? try number(c, key) : nil
    }

    static func encodeNumber(_ d: Double, in c: inout SingleValueEncodingContainer) throws {
        if d == d.rounded(), abs(d) < 1e15 { try c.encode(Int64(d)) } else { try c.encode(d) }
    }

    static func encodeNumber(_ d: Double, forKey key: RuleKey, in c: inout KeyedEncodingContainer<RuleKey>) throws {
        try c.encode(RuleNumber(d), forKey: key)
    }

    static func encodeNumberIfPresent(_ d: Double?, forKey key: String, in c: inout KeyedEncodingContainer<RuleKey>) throws {
        if let d { try c.encode(RuleNumber(d), forKey: RuleKey(key)) }
    }

    /// The allowed key a typo most likely meant: same letters ignoring case,
    /// or at most two edits away.
    static func closest(to key: String, in allowed: [String]) -> String? {
        if let same = allowed.first(where: { $0.lowercased() == key.lowercased() }) { return same }
        let scored = allowed.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

}

extension RuleSet {
    public init(from decoder: Decoder) throws {
        let plain = try decoder.container(keyedBy: RuleKey.self)
        // The version first: a newer file may well have keys this version does not know.
        guard plain.contains(RuleKey("formatVersion")) else {
            if !plain.contains(RuleKey("rules")) {
                throw RuleFileProblem(
                    [], "this is not a LeadScore rules file: it has neither `formatVersion:` nor `rules:`.",
                    remedy: "Start the file with `format: leadscore-rules` and `formatVersion: 1`, then a `rules:` list (see docs/rules.md).")
            }
            throw RuleFileProblem(
                [], "the rules file has no `formatVersion`.",
                remedy: "Add `formatVersion: 1` at the top of the file.")
        }
        let version = try plain.decode(Int.self, forKey: RuleKey("formatVersion"))
        if version > RuleSet.currentFormatVersion {
            throw RuleFileProblem(
                [.key("formatVersion")],
                "the rules file has formatVersion \(version), newer than this LeadScore understands (\(RuleSet.currentFormatVersion)).",
                remedy: "Upgrade LeadScore, or write the file in format version \(RuleSet.currentFormatVersion).")
        }
        guard version >= 1 else {
            throw RuleFileProblem([.key("formatVersion")], "formatVersion \(version) does not exist.", remedy: "Write `formatVersion: 1`.")
        }
        let c = try RuleCoding.container(decoder, allowed: RuleCoding.topKeys, what: "the rules file")
        format = try c.decodeIfPresent(String.self, forKey: RuleKey("format"))
        if let format, format != RuleSet.formatName {
            throw RuleFileProblem(
                [.key("format")], "`format` is \"\(format)\", not \"\(RuleSet.formatName)\": this is not a LeadScore rules file.",
                remedy: "Write `format: \(RuleSet.formatName)`, or leave the key out.")
        }
        formatVersion = version
        name = try c.decodeIfPresent(String.self, forKey: RuleKey("name"))
        missingValues = try c.decodeIfPresent([String].self, forKey: RuleKey("missingValues"))
        measuredOn = try c.decodeIfPresent([String: String].self, forKey: RuleKey("measuredOn"))
        guard c.contains(RuleKey("rules")) else {
            throw RuleFileProblem([], "the rules file has no `rules:` list.", remedy: "Add `rules:` followed by the rules, one `- name: …` entry each.")
        }
        rules = try c.decode([Rule].self, forKey: RuleKey("rules"))
        tiers = try c.decodeIfPresent([RuleTier].self, forKey: RuleKey("tiers"))
        disqualify = try c.decodeIfPresent([Disqualifier].self, forKey: RuleKey("disqualify"))
        grid = c.contains(RuleKey("grid")) ? try RuleCoding.grid(try c.superDecoder(forKey: RuleKey("grid"))) : nil
        try RuleCoding.checking(at: c.codingPath.rulePath) { () throws(RuleFileProblem) in try checkSelf() }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: RuleKey.self)
        try c.encodeIfPresent(format, forKey: RuleKey("format"))
        try c.encode(formatVersion, forKey: RuleKey("formatVersion"))
        try c.encodeIfPresent(name, forKey: RuleKey("name"))
        try c.encodeIfPresent(missingValues, forKey: RuleKey("missingValues"))
        try c.encodeIfPresent(measuredOn, forKey: RuleKey("measuredOn"))
        try c.encode(rules, forKey: RuleKey("rules"))
        try c.encodeIfPresent(tiers, forKey: RuleKey("tiers"))
        try c.encodeIfPresent(disqualify, forKey: RuleKey("disqualify"))
        if let grid {
            var g = c.nestedContainer(keyedBy: RuleKey.self, forKey: RuleKey("grid"))
            try g.encode(grid.fit.map(RuleNumber.init), forKey: RuleKey("fit"))
            try g.encode(grid.engagement.map(RuleNumber.init), forKey: RuleKey("engagement"))
        }
    }

    /// Whole-file consistency: at least one rule, unique names, measurement
    /// dates of columns the rules read as numbers, tiers in decreasing order
    /// with a catch-all last.
    func checkSelf() throws(RuleFileProblem) {
        guard !rules.isEmpty else {
            throw RuleFileProblem([.key("rules")], "the `rules:` list is empty.", remedy: "Add at least one rule.")
        }
        try checkMeasuredOn()
        var seen: [String: Int] = [:]
        for (i, r) in rules.enumerated() {
            if let j = seen[r.name.lowercased()] {
                throw RuleFileProblem(
                    [.key("rules"), .index(i), .key("name")], "two rules are named \"\(r.name)\" (rules \(j + 1) and \(i + 1)).",
                    remedy: "Give every rule its own name: scores list the rules that fired by name.")
            }
            seen[r.name.lowercased()] = i
        }
        var seenDQ: [String: Int] = [:]
        for (i, d) in (disqualify ?? []).enumerated() {
            if let j = seenDQ[d.name.lowercased()] {
                throw RuleFileProblem(
                    [.key("disqualify"), .index(i), .key("name")], "two disqualify entries are named \"\(d.name)\" (entries \(j + 1) and \(i + 1)).",
                    remedy: "Give every entry its own name: scores name the entry that disqualified a lead.")
            }
            seenDQ[d.name.lowercased()] = i
        }
        guard let tiers, !tiers.isEmpty else { return }
        let last = tiers.count - 1
        for (i, t) in tiers.enumerated() {
            let path: [RulePathComponent] = [.key("tiers"), .index(i)]
            let hasThreshold = t.above != nil || t.atLeast != nil
            if i == last && hasThreshold {
                throw RuleFileProblem(
                    path, "the last tier, \"\(t.name)\", has a threshold, so leads below it would have no tier.",
                    remedy: "End the list with a tier without a threshold for everyone else, e.g. `- {name: Low}`.")
            }
            if i < last && !hasThreshold {
                throw RuleFileProblem(
                    path, "only the last tier may lack a threshold, but \"\(t.name)\" (tier \(i + 1) of \(tiers.count)) has none.",
                    remedy: "Give it `above: X` or `atLeast: X`, or move it to the end of the list.")
            }
            if i > 0, i < last {
                // Tier i is reachable only if its threshold is below tier i-1's.
                let prev = tiers[i - 1]
                let (pv, ps) = (prev.above ?? prev.atLeast!, prev.above != nil)
                let (v, s) = (t.above ?? t.atLeast!, t.above != nil)
                let reachable = v < pv || (v == pv && ps && !s)
                if !reachable {
                    throw RuleFileProblem(
                        path, "tier \"\(t.name)\" (\(t.thresholdText)) can never be reached after \"\(prev.name)\" (\(prev.thresholdText)).",
                        remedy: "List tiers from the highest threshold down, e.g. Sales-ready atLeast 40, then Nurture atLeast 20, then Low.")
                }
            }
        }
    }

    /// Each `measuredOn` entry: an ISO date, for a column a rule reads as a
    /// number (a date for any other column would change nothing: likely a
    /// misspelt name).
    func checkMeasuredOn() throws(RuleFileProblem) {
        guard let measuredOn, !measuredOn.isEmpty else { return }
        let numbers = RuleSlotBuilder.numberColumns(self)
        for (column, date) in measuredOn.sorted(by: { $0.key < $1.key }) {
            let path: [RulePathComponent] = [.key("measuredOn"), .key(column)]
            guard ValueParser.isoDate(date) != nil else {
                throw RuleFileProblem(
                    path, "the measurement date of \"\(column)\", \"\(date)\", is not an ISO 8601 date (YYYY-MM-DD).",
                    remedy: "Write the day the column's days were counted up to, usually the export date, e.g. \"2026-06-30\".", namesLastKey: true)
            }
            guard numbers.contains(column) else {
                var remedy = ""
                if let guess = RuleCoding.closest(to: column, in: numbers.sorted()) { remedy = "Did you mean \"\(guess)\"? " }
                remedy += numbers.isEmpty
                    ? "No rule reads a column as a number; remove `measuredOn:`."
                    : "Name a column the rules read as a number (\(numbers.sorted().map { "\"\($0)\"" }.joined(separator: ", "))), exactly as the rules write it, or remove the entry."
                throw RuleFileProblem(
                    path, "`measuredOn:` names \"\(column)\", which no rule reads as a number, so its measurement date would change nothing.",
                    remedy: remedy, namesLastKey: true)
            }
        }
    }

    /// Checks a rule set built in code the way loading checks a file.
    public func validate(file: String = "rules") throws(InputError) {
        do {
            for (i, r) in rules.enumerated() {
                try RuleCoding.checking(at: [.key("rules"), .index(i)]) { () throws(RuleFileProblem) in try r.checkSelf() }
                if let w = r.when { try RuleCoding.checking(at: [.key("rules"), .index(i), .key("when")]) { () throws(RuleFileProblem) in try w.checkSelf() } }
                if let p = r.perOccurrence {
                    try RuleCoding.checking(at: [.key("rules"), .index(i), .key("perOccurrence")]) { () throws(RuleFileProblem) in try p.checkSelf() }
                }
                if let d = r.decay { try RuleCoding.checking(at: [.key("rules"), .index(i), .key("decay")]) { () throws(RuleFileProblem) in try d.checkSelf() } }
            }
            for (i, t) in (tiers ?? []).enumerated() {
                try RuleCoding.checking(at: [.key("tiers"), .index(i)]) { () throws(RuleFileProblem) in try t.checkSelf() }
            }
            for (i, d) in (disqualify ?? []).enumerated() {
                try RuleCoding.checking(at: [.key("disqualify"), .index(i)]) { () throws(RuleFileProblem) in try d.checkSelf() }
                try RuleCoding.checking(at: [.key("disqualify"), .index(i), .key("when")]) { () throws(RuleFileProblem) in try d.when.checkSelf() }
            }
            if let grid { try RuleCoding.checking(at: [.key("grid")]) { () throws(RuleFileProblem) in try RuleCoding.check(grid) } }
            if formatVersion > RuleSet.currentFormatVersion || formatVersion < 1 {
                throw RuleFileProblem(
                    [.key("formatVersion")], "formatVersion \(formatVersion) is not supported.",
                    remedy: "Use formatVersion \(RuleSet.currentFormatVersion).")
            }
            try checkSelf()
        } catch {
            throw RuleFileErrors.inputError(error, file: file, document: nil, rules: self)
        }
    }
}

extension RuleCoding {
    /// A rules file's `grid`: `fit` and `engagement`, three finite cut-offs
    /// each on the points, strictly decreasing.
    static func grid(_ decoder: Decoder) throws -> GridCuts {
        let c = try container(decoder, allowed: gridKeys, what: "the grid")
        var axes: [[Double]] = []
        for axis in gridKeys {
            guard c.contains(RuleKey(axis)) else {
                throw RuleFileProblem(c.codingPath.rulePath, "the grid has no `\(axis)` cut-offs.", remedy: gridRemedy)
            }
            axes.append(try c.decode([Double].self, forKey: RuleKey(axis)))
        }
        let grid = GridCuts(fit: axes[0], engagement: axes[1])
        try checking(at: c.codingPath.rulePath) { () throws(RuleFileProblem) in try check(grid) }
        return grid
    }

    /// Three finite cut-offs per axis, each below the one before: a band
    /// that no lead can reach is a mistake in the file.
    static func check(_ grid: GridCuts) throws(RuleFileProblem) {
        for (axis, cuts) in [("fit", grid.fit), ("engagement", grid.engagement)] {
            guard cuts.count == GridCuts.cutsPerAxis, cuts.allSatisfy(\.isFinite) else {
                throw RuleFileProblem([.key(axis)], "the grid's `\(axis)` needs \(GridCuts.cutsPerAxis) finite cut-offs (four bands); it has \(cuts.count).", remedy: gridRemedy)
            }
            for i in 1..<cuts.count where !(cuts[i] < cuts[i - 1]) {
                throw RuleFileProblem(
                    [.key(axis)], "the grid's `\(axis)` cut-off \(ModelNumber.text(cuts[i])) is not below the one before it (\(ModelNumber.text(cuts[i - 1]))).",
                    remedy: gridRemedy)
            }
        }
    }

    static let gridRemedy =
        "Write `grid: {fit: [40, 25, 10], engagement: [50, 30, 10]}`: three points cut-offs per axis, best first (A or 1 from the first, B or 2 from the second, C or 3 from the third, the rest D or 4)."

    /// Runs a self-check, locating its problem under `path`.
    static func checking(at path: [RulePathComponent], _ body: () throws(RuleFileProblem) -> Void) throws(RuleFileProblem) {
        do { try body() } catch { throw error.prefixed(path) }
    }
}
