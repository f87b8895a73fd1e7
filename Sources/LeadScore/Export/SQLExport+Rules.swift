import Foundation

extension SQLExport {
    /// A rules file (hand-set points, or a points export) as one SQL query
    /// that scores a table of leads as `leadscore score --rules` does
    /// (`RuleScorer`): per row the `ids`, `points`, `fit_points`,
    /// `engagement_points`, `tier`, `disqualified_by`, `grid` (with a grid
    /// in the rules) and `unreadable_columns`; the rules that fired are not
    /// listed. Values are read as the model query reads them (`SQLReader`),
    /// with the default missing markers and the rules' `missingValues`;
    /// text tests fold case with the engine's `LOWER`, which SQLite applies
    /// to ASCII letters only (so a rule on "Éducation" must match its case
    /// there); decay uses `POWER`. A row with a value a rule cannot read
    /// gets NULL points and tier and names the column, where `score`
    /// refuses the file. `options.tiers` is not used: the rules' tiers are.
    public static func rules(_ set: RuleSet, name: String, ids: [String], options: SQLExportOptions) throws(InputError) -> String {
        try set.validate()
        guard !ids.isEmpty else {
            throw InputError(
                .badConfiguration, at: InputLocation(file: name), "no id column was given, so the points a query returns could not be joined back to the leads.",
                remedy: "Name the leads' id column with \(OptionKey.idColumns.mention).")
        }
        if options.asOf == .model, let rule = set.rules.first(where: { $0.decay?.dateColumn != nil }), let c = rule.decay?.dateColumn {
            throw InputError(
                .badConfiguration, at: InputLocation(file: name, column: c),
                "rule \"\(rule.name)\" decays by the date in \"\(c)\", which needs an as-of date to count the days to.",
                remedy: "Give the as-of date (\(OptionKey.asOf.mention) YYYY-MM-DD, or today), or decay by a days-since column with `ageColumn`.")
        }
        var builder = RuleSlotBuilder(header: [])
        let (compiled, disqualifiers) = builder.compile(set)
        let names = [options.table] + (options.view.map { [$0] } ?? []) + ids + builder.names
        try requireQuotable(names, file: name)
        return RulesQuery(
            set: set, name: name, ids: ids, options: options, slots: builder.names, needs: builder.needs, rules: compiled, disqualifiers: disqualifiers
        ).text
    }
}

/// The query of one rules file (`SQLExport.rules`).
private struct RulesQuery {
    let set: RuleSet
    let name: String
    let ids: [String]
    let options: SQLExportOptions
    let slots: [String]
    let needs: [RuleSlotNeeds]
    let rules: [CompiledRule]
    let disqualifiers: [CompiledDisqualifier]
    var d: SQLDialect { options.dialect }
    var reader: SQLReader { SQLReader(d: d, missingMarkers: ValueParser.defaultMissingMarkers + (set.missingValues ?? [])) }
    var idOutputs: [String] { ids.indices.map { "id\($0)" } }

    var text: String {
        var out = [SQLText.comment("LeadScore rules \(name)\(set.name.map { " (\($0))" } ?? ""), for \(d.rawValue).")]
        out.append(SQLText.comment("Scores every row of \(options.table) as `leadscore score` scores with this rules file; see the README, \"Scoring inside a database\"."))
        if let view = options.view { out.append("CREATE VIEW \(SQLText.identifier(view)) AS") }
        out.append("WITH")
        out.append([params, present, values, points].map { "\($0.name) AS \(d.materialized)(\n\($0.body)\n)" }.joined(separator: ",\n"))
        out.append(result)
        return out.joined(separator: "\n") + ";\n"
    }

    var params: (name: String, body: String) {
        let asOf: String
        switch options.asOf {
        case .model: asOf = "NULL"
        case .day(let days): asOf = String(days)
        case .today: asOf = d.today
        }
        return ("params", "  SELECT \(asOf) AS as_of_days")
    }

    var present: (name: String, body: String) {
        var items = ids.enumerated().map { "\(d.text(SQLText.identifier($0.element))) AS id\($0.offset)" }
        for (k, column) in slots.enumerated() { items.append("\(reader.present(column)) AS v\(k)") }
        return ("present", "  SELECT\n    " + items.joined(separator: ",\n    ") + "\n  FROM \(SQLText.identifier(options.table))")
    }

    /// Slot k's text lowercased (t), number aged (n), boolean (b) and day
    /// (dd), as the rules need them.
    var values: (name: String, body: String) {
        var items = idOutputs
        for (k, need) in needs.enumerated() {
            let v = "v\(k)"
            items.append(v)
            if need.text { items.append("LOWER(\(v)) AS t\(k)") }
            if need.number != nil {
                var n = reader.number(v)
                if options.asOf != .model, let measured = set.measuredOn?[slots[k]].flatMap(ValueParser.isoDate) {
                    n = "(\(n)) + (params.as_of_days - \(options.exportedOnDays ?? measured))"
                }
                items.append("\(n) AS n\(k)")
            }
            if need.boolean != nil { items.append("\(reader.boolean(v)) AS b\(k)") }
            if need.date != nil { items.append("\(reader.days(v)) AS dd\(k)") }
        }
        items.append("params.as_of_days AS as_of_days")
        return ("vals", "  SELECT\n    " + items.joined(separator: ",\n    ") + "\n  FROM present CROSS JOIN params")
    }

    /// A condition (`RuleCheck.holds`): every test but `missing` is false on
    /// a missing value.
    func condition(_ check: RuleCheck) -> String {
        switch check {
        case .missing(let s, let wanted): return "(v\(s) IS \(wanted ? "" : "NOT ")NULL)"
        case .text(let s, let values):
            return "(v\(s) IS NOT NULL AND t\(s) IN (\(values.sorted().map(SQLText.literal).joined(separator: ", "))))"
        case .number(let s, let xs):
            return "(v\(s) IS NOT NULL AND n\(s) IN (\(xs.map(SQLText.number).joined(separator: ", "))))"
        case .boolean(let s, let set):
            return "(v\(s) IS NOT NULL AND b\(s) IN (\(set.sorted { !$0 && $1 }.map { $0 ? "1" : "0" }.joined(separator: ", "))))"
        case .contains(let s, let needles):
            return "(v\(s) IS NOT NULL AND (" + needles.map { "\(d.position(of: SQLText.literal($0), in: "t\(s)")) > 0" }.joined(separator: " OR ") + "))"
        case .range(let s, let lo, let loIn, let hi, let hiIn):
            var tests = ["v\(s) IS NOT NULL"]
            if lo.isFinite { tests.append("n\(s) \(loIn ? ">=" : ">") \(SQLText.number(lo))") }
            if hi.isFinite { tests.append("n\(s) \(hiIn ? "<=" : "<") \(SQLText.number(hi))") }
            return "(" + tests.joined(separator: " AND ") + ")"
        case .all(let cs): return cs.isEmpty ? "(1 = 1)" : "(" + cs.map(condition).joined(separator: " AND ") + ")"
        case .any(let cs): return cs.isEmpty ? "(1 = 0)" : "(" + cs.map(condition).joined(separator: " OR ") + ")"
        case .not(let c): return "(NOT COALESCE(\(condition(c)), FALSE))"
        }
    }

    /// The points of a rule, 0 when it does not fire (`RuleScorer.score`).
    func points(_ rule: CompiledRule) -> String {
        var fires: [String] = []
        if let gate = rule.when { fires.append("COALESCE(\(condition(gate)), FALSE)") }
        var value: String
        switch rule.kind {
        case .fixed(let p): value = SQLText.number(p)
        case .perOccurrence(let s, let po):
            fires.append("v\(s) IS NOT NULL AND n\(s) >= 1")
            // first + each·(⌊n⌋ − 1), capped at max (`PerOccurrence.points`).
            var p = "(\(SQLText.number(po.first ?? po.each)) + \(SQLText.number(po.each)) * (FLOOR(n\(s)) - 1))"
            if let max = po.max {
                p = max >= 0 ? "CASE WHEN \(p) > \(SQLText.number(max)) THEN \(SQLText.number(max)) ELSE \(p) END"
                    : "CASE WHEN \(p) < \(SQLText.number(max)) THEN \(SQLText.number(max)) ELSE \(p) END"
            }
            value = p
        }
        if let decay = rule.decay {
            // × 0.5^(max(age, 0) / halfLife) (`RuleDecay.factor`).
            let age: String, halfLife: Double
            switch decay {
            case .age(let s, let dcy):
                fires.append("v\(s) IS NOT NULL")
                (age, halfLife) = ("n\(s)", dcy.halfLife)
            case .date(let s, let dcy):
                fires.append("v\(s) IS NOT NULL")
                (age, halfLife) = ("(as_of_days - dd\(s))", dcy.halfLife)
            }
            value = "\(value) * POWER(0.5e0, CASE WHEN \(age) > 0 THEN \(age) ELSE 0 END / \(SQLText.number(halfLife)))"
        }
        return fires.isEmpty ? value : "CASE WHEN \(fires.joined(separator: " AND ")) THEN \(value) ELSE 0.0e0 END"
    }

    /// Whether slot k's value could not be read as a rule needs it.
    func unreadable(_ k: Int) -> String? {
        var tests: [String] = []
        if needs[k].number != nil { tests.append("n\(k) IS NULL") }
        if needs[k].boolean != nil { tests.append("b\(k) IS NULL") }
        if needs[k].date != nil { tests.append("dd\(k) IS NULL") }
        guard !tests.isEmpty else { return nil }
        return "(v\(k) IS NOT NULL AND (\(tests.joined(separator: " OR "))))"
    }

    var points: (name: String, body: String) {
        var items = idOutputs
        for category in RuleCategory.allCases {
            let terms = rules.filter { $0.category == category }.map(points)
            items.append((["0.0e0"] + terms).joined(separator: "\n      + ") + " AS \(category.rawValue)_points")
        }
        let dq = disqualifiers.map { "WHEN COALESCE(\(condition($0.when)), FALSE) THEN \(SQLText.literal($0.name))" }
        items.append(dq.isEmpty ? "\(d.nullText) AS disqualified_by" : "CASE \(dq.joined(separator: " ")) END AS disqualified_by")
        let dqTier = disqualifiers.map { "WHEN COALESCE(\(condition($0.when)), FALSE) THEN \(SQLText.literal($0.tier))" }
        items.append(dqTier.isEmpty ? "\(d.nullText) AS disqualified_tier" : "CASE \(dqTier.joined(separator: " ")) END AS disqualified_tier")
        items.append(d.names(where: slots.indices.compactMap { k in unreadable(k).map { ($0, slots[k]) } }) + " AS unreadable")
        return ("points", "  SELECT\n    " + items.joined(separator: ",\n    ") + "\n  FROM vals")
    }

    var result: String {
        var items = ids.enumerated().map { "id\($0.offset) AS \(SQLText.identifier($0.element))" }
        let ok = "unreadable IS NULL"
        items.append("CASE WHEN \(ok) THEN fit_points + engagement_points END AS points")
        items.append("CASE WHEN \(ok) THEN fit_points END AS fit_points")
        items.append("CASE WHEN \(ok) THEN engagement_points END AS engagement_points")
        // `RuleSet.tier(for:)`, unless a disqualify entry holds.
        var tier = "''"
        if let tiers = set.tiers, !tiers.isEmpty {
            let total = "fit_points + engagement_points"
            let cases = tiers.dropLast().map { t -> String in
                let test = t.above.map { "\(total) > \(SQLText.number($0))" } ?? t.atLeast.map { "\(total) >= \(SQLText.number($0))" } ?? "(1 = 1)"
                return "WHEN \(test) THEN \(SQLText.literal(t.name))"
            }
            tier = cases.isEmpty ? SQLText.literal(tiers[0].name) : "CASE \(cases.joined(separator: " ")) ELSE \(SQLText.literal(tiers[tiers.count - 1].name)) END"
        }
        items.append("CASE WHEN \(ok) THEN COALESCE(disqualified_tier, \(tier)) END AS tier")
        items.append("CASE WHEN \(ok) THEN disqualified_by END AS disqualified_by")
        if let grid = set.grid {
            items.append("CASE WHEN \(ok) THEN \(SQLText.gridCell(fit: "fit_points", engagement: "engagement_points", cuts: grid)) END AS grid")
        }
        items.append("unreadable AS unreadable_columns")
        return "SELECT\n  " + items.joined(separator: ",\n  ") + "\nFROM points"
    }
}
