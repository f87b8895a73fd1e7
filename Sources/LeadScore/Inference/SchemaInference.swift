import Foundation

/// Roles and types decided for every column of a training file.
public struct InferredSchema: Sendable {
    public var target: TargetSpec
    public var targetIndex: Int
    public var idIndices: [Int]
    public var weightIndex: Int?
    /// Feature columns with their kinds, in file order.
    public var features: [(index: Int, kind: ColumnKind)]
    /// Human-readable notes on what was inferred, excluded and why.
    public var notices: [String]
}

/// Infers column roles and types, applying the configuration's overrides.
///
/// Rules, in order, for a column that is not the target, an id, the weight
/// or excluded:
/// 1. a type forced in the configuration is used (an error if the values
///    do not fit it);
/// 2. no present value: left out ("empty");
/// 3. one distinct value: left out ("constant");
/// 4. every present value a number: boolean if the only values are 0 and 1,
///    otherwise numeric;
/// 5. at most two distinct values, all boolean spellings: boolean;
/// 6. every present value an ISO 8601 date, or every one a date written
///    month first or day first (`07/13/2024`, `13.07.2024`), read in the
///    format its values decide or the one given (`dateFormats`,
///    `resolveDates`): date;
/// 7. every value seen a date in another format (`07/01/24`, formats
///    mixed, `DateLookalike`): left out with a notice, unless listed in
///    `include`;
/// 8. at most `maxCategoryLevels` distinct values: categorical;
/// 9. otherwise free text or an identifier: left out with a notice unless
///    listed in `include`.
/// Numbers are those of `FieldParser.number` (a column of `0x10` codes is
/// text), or amounts (`$18,111.00`, `18.111,00 €`) read in the format their
/// values decide or the one given (`amountFormats`, `resolveAmounts`); a
/// text column of other formatted numbers (`12%`, `NumberLookalike`) gets a
/// notice saying so.
/// Identifier columns are recognised by name (a last word of id, uuid, guid,
/// number or key, or a name like "email") when at least 90% of their present
/// values are distinct.
public enum SchemaInference {
    /// The names of outcome columns (`TargetSpec.normalized`: lowercased,
    /// without spaces and underscores), and of the other columns a CRM
    /// records the outcome in (Salesforce's StageName and IsClosed).
    static let targetNames: Set<String> = ["converted", "isconverted", "won", "iswon", "closedwon", "outcome", "stage", "dealstage", "target", "label"]
    static let outcomeNames = targetNames.union(["stagename", "isclosed", "closed"])
    static let idWords: Set<String> = ["id", "uuid", "guid", "number", "key"]
    static let idNames: Set<String> = ["email", "e-mail", "email address", "name", "full name", "phone"]

    ///
    /// A column of dates or amounts in a format of their own is read in it
    /// here: its `days` or `numbers` are filled in (`resolveFormats`).
    public static func infer(_ table: inout RawTable, config: TrainingConfiguration) throws(InputError) -> InferredSchema {
        var notices: [String] = []
        func column(named name: String, option: String) throws(InputError) -> Int {
            if let i = table.index(of: name) { return i }
            let near = table.columns.map(\.name).filter { $0.lowercased() == name.lowercased() }
            throw InputError(
                .missingColumn, at: InputLocation(file: table.file, line: 1, column: name),
                "\(option) names the column \"\(name)\", which is not in the header.",
                remedy: CSVDialect.oneColumnHint(header: table.columns.map(\.name))
                    ?? (near.isEmpty
                        ? "Use one of: \(table.columns.map { "\"\($0.name)\"" }.joined(separator: ", "))."
                        : "Did you mean \"\(near[0])\"? Names are case-sensitive."))
        }

        // Target.
        let targetIndex: Int
        if let t = config.target {
            targetIndex = try column(named: t, option: "\(OptionKey.target.mention)")
        } else if let i = table.columns.firstIndex(where: { targetNames.contains(TargetSpec.normalized($0.name)) }) {
            targetIndex = i
            notices.append("Using \"\(table.columns[i].name)\" as the outcome column (pass \(OptionKey.target.mention) to choose another).")
        } else {
            throw InputError(
                .missingColumn, at: InputLocation(file: table.file, line: 1),
                "no outcome column was given and none is named like one (Converted, Won, IsWon, Stage, Deal Stage, Outcome).",
                remedy: "Pass \(OptionKey.target.mention) with the name of the column that says whether the deal was won.")
        }
        var target = try targetSpec(table, index: targetIndex, config: config)

        var used: Set<Int> = [targetIndex]
        if let closed = try closedColumn(table, target: target, config: config, notices: &notices) {
            target.closedColumn = table.columns[closed].name
            used.insert(closed)
        }
        var idIndices: [Int] = []
        for name in config.ids ?? [] {
            let i = try column(named: name, option: "\(OptionKey.ids.mention)")
            idIndices.append(i)
            used.insert(i)
        }
        var weightIndex: Int?
        if let w = config.weight {
            let i = try column(named: w, option: "\(OptionKey.weight.mention)")
            // Deal amounts as weights, written $18,111.00.
            try resolveFormats(&table, column: i, config: config, notices: &notices)
            guard table.columns[i].numbers != nil else {
                let bad = table.columns[i].firstNonNumber
                throw InputError(
                    .invalidValue, at: InputLocation(file: table.file, line: bad?.line, column: w, value: bad?.value),
                    "the weight column must hold numbers.", remedy: "Fix the value or choose another \(OptionKey.weight.mention) column.")
            }
            weightIndex = i
            used.insert(i)
        }
        for name in config.exclude ?? [] { used.insert(try column(named: name, option: "\(OptionKey.exclude.mention)")) }
        // Other columns the outcome is recorded in (Salesforce's StageName
        // beside IsWon) would leak it, unless the configuration uses them.
        let configured = Set((config.types ?? [:]).keys).union(config.include ?? []).union(config.fit ?? []).union(config.engagement ?? [])
        for (i, col) in table.columns.enumerated()
        where !used.contains(i) && outcomeNames.contains(TargetSpec.normalized(col.name)) && !configured.contains(col.name) && col.name != config.segment {
            used.insert(i)
            notices.append(
                "\"\(col.name)\" is named like an outcome column, and the outcome is \"\(target.column)\": left out, as a second record of the outcome would leak it into the model (give its type with \(OptionKey.types.mention) to use it as a feature).")
        }
        for name in config.include ?? [] { _ = try column(named: name, option: "\(OptionKey.include.mention)") }
        for name in (config.types ?? [:]).keys.sorted() { _ = try column(named: name, option: "\(OptionKey.types.mention)") }
        for name in config.log1p ?? [] { _ = try column(named: name, option: "\(OptionKey.log1p.mention)") }
        for entry in config.spline ?? [] { _ = try column(named: TrainingConfiguration.splineEntry(entry).column, option: "\(OptionKey.spline.mention)") }
        for name in (config.monotone ?? [:]).keys.sorted() { _ = try column(named: name, option: "\(OptionKey.monotone.mention)") }
        for name in config.fit ?? [] { _ = try column(named: name, option: "\(OptionKey.fit.mention)") }
        for name in config.engagement ?? [] { _ = try column(named: name, option: "\(OptionKey.engagement.mention)") }
        for name in (config.measuredOn ?? [:]).keys.sorted() { _ = try column(named: name, option: "\(OptionKey.measuredOn.mention)") }
        for name in (config.dateFormats ?? [:]).keys.sorted() { _ = try column(named: name, option: "\(OptionKey.dateFormats.mention)") }
        for name in (config.amountFormats ?? [:]).keys.sorted() { _ = try column(named: name, option: "\(OptionKey.amountFormats.mention)") }
        // The out-of-time split's column is read as dates, used or not.
        if let name = config.timeColumn, let i = table.index(of: name) { try resolveFormats(&table, column: i, config: config, notices: &notices) }

        let maxLevels = config.effectiveMaxCategoryLevels
        let include = Set(config.include ?? [])
        var features: [(Int, ColumnKind)] = []
        for i in table.columns.indices where !used.contains(i) {
            let present = table.rowCount - table.columns[i].missingCount
            if config.types?[table.columns[i].name] == nil, looksLikeIdentifier(table.columns[i], present: present) {
                idIndices.append(i)
                notices.append("\"\(table.columns[i].name)\" looks like an identifier: passed through to scored output, not used as a feature (list it under \(OptionKey.ids.mention) to silence this).")
                continue
            }
            if config.types?[table.columns[i].name] != .categorical && config.types?[table.columns[i].name] != .boolean {
                try resolveFormats(&table, column: i, config: config, notices: &notices)
            }
            let col = table.columns[i]
            if let forced = config.types?[col.name] {
                try check(col, fits: forced, file: table.file)
                features.append((i, forced))
                continue
            }
            if present == 0 {
                notices.append("\"\(col.name)\" is empty in every row: left out.")
                continue
            }
            if col.codes != nil, col.distinctCount == 1, col.missingCount > 0, ValueParser.boolean(col.levels[0]) != nil {
                // A checkbox exported as "Yes" or blank: true or missing.
                features.append((i, .boolean))
                notices.append("\"\(col.name)\" is \"\(col.levels[0])\" or empty: read as a flag (true, or missing).")
                continue
            }
            if col.codes != nil, col.distinctCount == 1 {
                notices.append("\"\(col.name)\" has the same value (\"\(col.levels[0])\") in every row that has one: left out.")
                continue
            }
            try checkStrayValue(col, present: present, file: table.file)
            if col.numbers != nil {
                let binary = col.codes != nil && col.levels.allSatisfy { ValueParser.number($0).map { $0 == 0 || $0 == 1 } ?? false }
                features.append((i, binary ? .boolean : .numeric))
            } else if col.codes != nil, col.distinctCount <= 2, col.levels.allSatisfy({ ValueParser.boolean($0) != nil }),
                Set(col.levels.compactMap(ValueParser.boolean)).count == col.distinctCount
            {
                features.append((i, .boolean))
            } else if col.days != nil {
                features.append((i, .date))
            } else if !include.contains(col.name), let example = col.levels.first, col.levels.allSatisfy(DateLookalike.matches) {
                notices.append(
                    "\"\(col.name)\" looks like dates, but not in one format LeadScore reads (e.g. \"\(example)\": a two-digit year, or formats mixed in the column): left out (write the column YYYY-MM-DD, MM/DD/YYYY or DD/MM/YYYY, with four-digit years, to use it as a date).")
            } else if col.codes != nil, col.distinctCount <= maxLevels || include.contains(col.name) {
                if let note = formattedNumbersNotice(col) { notices.append(note) }
                features.append((i, .categorical))
            } else {
                if let note = formattedNumbersNotice(col) { notices.append(note) }
                notices.append(
                    "\"\(col.name)\" has more than \(maxLevels) distinct values and looks like free text or an identifier: left out (list it under \(OptionKey.include.mention) to one-hot encode it, or raise \(OptionKey.maxCategoryLevels.mention)).")
            }
        }
        for (i, _) in features where table.selectCounts[i] > 0 && !(config.missingValues ?? []).contains("Select") {
            notices.append("\"\(table.columns[i].name)\" has the value \"Select\" in \(table.selectCounts[i]) rows: if that is an untouched form drop-down, pass \(OptionKey.missingValues.mention) Select.")
        }
        try checkMeasuredColumns(table, features: features, config: config)
        try checkSplineColumns(table, features: features, config: config)
        try checkMonotoneColumns(table, features: features, config: config)
        return InferredSchema(
            target: target, targetIndex: targetIndex, idIndices: idIndices.sorted(), weightIndex: weightIndex,
            features: features, notices: notices)
    }

    /// The columns of `spline` must be numeric or date features: a spline
    /// bends a number's effect.
    static func checkSplineColumns(_ table: RawTable, features: [(Int, ColumnKind)], config: TrainingConfiguration) throws(InputError) {
        for entry in config.spline ?? [] {
            try requireNumber(
                TrainingConfiguration.splineEntry(entry).column, option: .spline, kinds: [.numeric, .date],
                applies: "a spline applies to a numeric or date column", table, features: features)
        }
    }

    /// The columns of `monotone` must be numeric features: a direction is
    /// an order of numbers.
    static func checkMonotoneColumns(_ table: RawTable, features: [(Int, ColumnKind)], config: TrainingConfiguration) throws(InputError) {
        for name in (config.monotone ?? [:]).keys.sorted() {
            try requireNumber(name, option: .monotone, kinds: [.numeric], applies: "a monotone effect applies to a numeric column", table, features: features)
        }
    }

    /// Column `name` of the file, named by `option`, must be a feature of
    /// one of `kinds` (a column the file lacks is refused elsewhere).
    private static func requireNumber(
        _ name: String, option: OptionKey, kinds: [ColumnKind], applies: String, _ table: RawTable, features: [(Int, ColumnKind)]
    ) throws(InputError) {
        let key = option.mention
        guard let i = table.index(of: name) else { return }
        guard let kind = features.first(where: { $0.0 == i })?.1 else {
            throw InputError(
                .badConfiguration, at: InputLocation(file: table.file, column: name),
                "\(key) names a column that is not a feature of the model (see the notices: it is an id, the outcome, left out, empty, constant or free text).",
                remedy: "Remove \"\(name)\" from \(key), or make it a numeric feature (\(OptionKey.types.mention) \"\(name)=numeric\").")
        }
        guard kinds.contains(kind) else {
            throw InputError(
                .badConfiguration, at: InputLocation(file: table.file, column: name),
                "\(key) names a column read as \(kind.rawValue); \(applies).",
                remedy: "Remove \"\(name)\" from \(key), or declare it numeric (\(OptionKey.types.mention) \"\(name)=numeric\") if its values are numbers.")
        }
    }

    /// The columns of `measuredOn` must be numeric features counting days:
    /// not left out or taken as an id, read as numbers, none negative.
    static func checkMeasuredColumns(_ table: RawTable, features: [(Int, ColumnKind)], config: TrainingConfiguration) throws(InputError) {
        let key = OptionKey.measuredOn.mention
        for name in (config.measuredOn ?? [:]).keys.sorted() {
            guard let i = table.index(of: name) else { continue }
            let col = table.columns[i]
            guard let kind = features.first(where: { $0.0 == i })?.1 else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: table.file, column: name),
                    "\(key) names a column that is not a feature of the model (see the notices: it is an id, empty, constant or free text), so there is nothing to age.",
                    remedy: "Remove \"\(name)\" from \(key), or make it a feature (\(OptionKey.types.mention) \"\(name)=numeric\").")
            }
            guard kind == .numeric, let numbers = col.numbers else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: table.file, column: name),
                    "\(key) names a column read as \(kind.rawValue); a measurement date applies to a numeric count of days.",
                    remedy: "Name a days-since column in \(key), or declare this one numeric (\(OptionKey.types.mention) \"\(name)=numeric\") if it counts days.")
            }
            for r in 0..<table.rowCount where numbers[r] < 0 {
                throw InputError(
                    .invalidValue, at: InputLocation(file: table.file, line: table.line(ofRow: r), column: name, value: ModelNumber.text(numbers[r])),
                    "\(key) says this column counts days up to the day it was measured, but this value is negative.",
                    remedy: "Fix the value or mark it as missing with \(OptionKey.missingValues.mention); if the column is not a count of days, remove it from \(key).")
            }
        }
    }

    /// A column that is almost all numbers (or dates) but for a few values is
    /// more likely a data-entry slip than a text column: refuse it, naming
    /// the first such value, rather than silently treat it as categories.
    /// "Almost all": at least 95% of at least 20 present values.
    static func checkStrayValue(_ col: RawTable.Column, present: Int, file: String) throws(InputError) {
        guard present >= 20 else { return }
        let remedy = "Fix the value, mark it as missing with \(OptionKey.missingValues.mention) \"VALUE\", or declare the column with \(OptionKey.types.mention) \"\(col.name)=categorical\"."
        if col.numbers == nil, let bad = col.firstNonNumber, strayValues(col, present: present) {
            throw InputError(
                .invalidValue, at: InputLocation(file: file, line: bad.line, column: col.name, value: bad.value),
                "\(col.numericCount) of the column's \(present) values are numbers, but this one is not.",
                remedy: formattedNumberRemedy(bad.value, column: col.name) ?? remedy)
        }
        if col.days == nil, col.numbers == nil, let bad = col.firstNonDate, Double(col.dateCount) >= 0.95 * Double(present) {
            throw InputError(
                .invalidValue, at: InputLocation(file: file, line: bad.line, column: col.name, value: bad.value),
                "\(col.dateCount) of the column's \(present) values are ISO 8601 dates, but this one is not (or is not a real day).",
                remedy: remedy.replacingOccurrences(of: "categorical", with: "categorical") + " Dates are written YYYY-MM-DD.")
        }
    }

    /// The remedy for a value refused as a number that looks like a
    /// formatted one (`NumberLookalike`), or nil.
    static func formattedNumberRemedy(_ value: String, column: String) -> String? {
        guard let kind = NumberLookalike(value) else { return nil }
        let amounts = ValueParser.amount(value, format: .decimalPoint) != nil || ValueParser.amount(value, format: .decimalComma) != nil
        return kind.explanation(value)
            + " Clean the column in the export (plain digits)\(amounts ? ", give it as amounts with \(OptionKey.amountFormats.mention) \"\(column)=1,234.56\" (or 1.234,56)" : ""), or leave it out with \(OptionKey.exclude.mention) or declare it with \(OptionKey.types.mention) \"\(column)=categorical\"."
    }

    /// A notice for a text column whose values mostly look like formatted
    /// numbers (`NumberLookalike`): it is read as text, not as numbers.
    static func formattedNumbersNotice(_ col: RawTable.Column) -> String? {
        let kinds = col.levels.prefix(1000).compactMap(NumberLookalike.init)
        guard !col.levels.isEmpty, Double(kinds.count) >= 0.5 * Double(min(col.levels.count, 1000)),
            let example = col.levels.first(where: { NumberLookalike($0) != nil }), let kind = NumberLookalike(example)
        else { return nil }
        return "\"\(col.name)\" looks like numbers written with \(kind.name) (e.g. \"\(example)\"), which are read as text, not as numbers: clean the column in the export (plain digits) to use it as a number."
    }

    static func looksLikeIdentifier(_ col: RawTable.Column, present: Int) -> Bool {
        let lower = col.name.lowercased()
        let words = lower.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let named = idNames.contains(lower) || (words.last.map { idWords.contains($0) } ?? false)
            || col.name.hasSuffix("Id") || col.name.hasSuffix("ID")
        guard named, present > 0 else { return false }
        // Overflowing the level cap means many distinct values.
        return col.codes == nil || Double(col.distinctCount) >= 0.9 * Double(present)
    }

    static func check(_ col: RawTable.Column, fits kind: ColumnKind, file: String) throws(InputError) {
        let remedy = "Fix the value, mark it as missing with \(OptionKey.missingValues.mention), or change the type given for this column."
        switch kind {
        case .numeric:
            if col.numbers == nil {
                throw InputError(
                    .invalidValue, at: InputLocation(file: file, line: col.firstNonNumber?.line, column: col.name, value: col.firstNonNumber?.value),
                    "the column is declared numeric but this value is not a number.",
                    remedy: col.firstNonNumber.flatMap { formattedNumberRemedy($0.value, column: col.name) } ?? remedy)
            }
        case .date:
            if col.days == nil {
                let bad = col.firstNonDate
                let nonISO = bad.map { DateLookalike.matches($0.value) } ?? false
                throw InputError(
                    .invalidValue, at: InputLocation(file: file, line: bad?.line, column: col.name, value: bad?.value),
                    nonISO
                        ? "the column is declared a date but this value is a date in a form LeadScore does not read (a two-digit year, or a format other than the column's)."
                        : "the column is declared a date but this value is not a date (YYYY-MM-DD, MM/DD/YYYY or DD/MM/YYYY, optionally with a valid time).",
                    remedy: nonISO ? "Write the column YYYY-MM-DD, MM/DD/YYYY or DD/MM/YYYY, with four-digit years and one format, in the export, then train again." : remedy)
            }
        case .categorical:
            if col.codes == nil {
                throw InputError(
                    .invalidValue, at: InputLocation(file: file, column: col.name),
                    "the column is declared categorical but has more distinct values than \(OptionKey.maxCategoryLevels.mention) allows.",
                    remedy: "Raise \(OptionKey.maxCategoryLevels.mention), or list the column under \(OptionKey.include.mention).")
            }
        case .boolean:
            if col.codes == nil || col.levels.contains(where: { ValueParser.boolean($0) == nil }) {
                let bad = col.levels.first { ValueParser.boolean($0) == nil }
                throw InputError(
                    .invalidValue, at: InputLocation(file: file, column: col.name, value: bad),
                    "the column is declared boolean but this value is not Yes/No, TRUE/FALSE, Y/N or 1/0.", remedy: remedy)
            }
        }
    }

    /// The column that says whether a deal is closed, for an outcome that
    /// is false for open deals too: the one given (`closedColumn`), or, for
    /// an outcome named IsWon, Is Won or Won whose values are booleans, a
    /// column named IsClosed, Is Closed or Closed of booleans
    /// (`TargetSpec.closedColumn(for:header:)`). Refused: a column given
    /// that is missing, the outcome itself, or not of booleans.
    static func closedColumn(_ table: RawTable, target: TargetSpec, config: TrainingConfiguration, notices: inout [String]) throws(InputError) -> Int? {
        let names = table.columns.map(\.name)
        func booleans(_ i: Int) -> Bool {
            table.columns[i].codes != nil && table.columns[i].levels.allSatisfy { ValueParser.boolean($0) != nil }
        }
        if let name = config.closedColumn {
            guard let i = table.index(of: name), i != table.index(of: target.column) else {
                throw InputError(
                    .missingColumn, at: InputLocation(file: table.file, line: 1, column: name),
                    table.index(of: name) == nil
                        ? "\(OptionKey.closedColumn.mention) names a column that is not in the header."
                        : "\(OptionKey.closedColumn.mention) names the outcome column itself.",
                    remedy: "Name the column that says whether each deal is closed (true/false).")
            }
            guard booleans(i) else {
                let bad = table.columns[i].levels.first { ValueParser.boolean($0) == nil }
                throw InputError(
                    .invalidValue, at: InputLocation(file: table.file, column: name, value: bad),
                    "\(OptionKey.closedColumn.mention) names a column that must say whether each deal is closed, true or false, and this value is neither.",
                    remedy: "Name the column that holds true/false (1/0, Yes/No), or fix its values.")
            }
            return i
        }
        let outcomeIsFlag = target.positive.allSatisfy { ValueParser.boolean($0) == true } && target.negative.allSatisfy { ValueParser.boolean($0) == false }
        guard outcomeIsFlag, TargetSpec.wonFlagNames.contains(TargetSpec.normalized(target.column)) else { return nil }
        if let name = TargetSpec.closedColumn(for: target.column, header: names), let i = table.index(of: name), booleans(i) {
            notices.append(
                "\"\(name)\" says which deals are closed: rows where it is not true are open deals, left out, since \"\(target.column)\" is false for open deals as well as lost ones (\(OptionKey.closedColumn.mention) names another column).")
            return i
        }
        notices.append(
            "\"\(target.column)\" is false for open deals as well as lost ones, and no column named IsClosed says which deals are closed: any open deals in the file are read as lost (name the column that says so with \(OptionKey.closedColumn.mention), or export closed deals only).")
        return nil
    }

    /// Which target values mean won and lost. Given values must occur in the
    /// column; otherwise: a boolean-like column (1/0, Yes/No, TRUE/FALSE)
    /// maps true to won; a column with values containing the word "won" maps
    /// those to won and those containing "lost" to lost (other values, such
    /// as open stages, are left out).
    static func targetSpec(_ table: RawTable, index: Int, config: TrainingConfiguration) throws(InputError) -> TargetSpec {
        let col = table.columns[index]
        guard col.codes != nil else { throw TargetSpec.tooManyValues(file: table.file, column: col.name, limit: col.distinctCount - 1) }
        return try TargetSpec.infer(column: col.name, values: col.levels, positive: config.positive, negative: config.negative, file: table.file)
    }

}
