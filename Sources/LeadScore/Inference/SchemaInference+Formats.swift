// The format of a column of dates written month first or day first, and of
// a column of amounts, decided from every value of the training file (or
// given), and the column read in it: its `days` or `numbers` are filled in,
// and its `dateFormat` or `amountFormat` set, which the model card records
// on the column's encoder so that scoring reads the column the same way.

extension SchemaInference {
    /// Reads column `i` in its format when its values are dates other than
    /// ISO 8601 or amounts other than plain numbers, or when a format is
    /// given for it; does nothing otherwise.
    static func resolveFormats(_ table: inout RawTable, column i: Int, config: TrainingConfiguration, notices: inout [String]) throws(InputError) {
        let col = table.columns[i]
        guard table.rowCount > col.missingCount else { return }
        if let given = config.amountFormats?[col.name] {
            try resolveAmounts(&table, column: i, given: given, notices: &notices)
        } else if let given = config.dateFormats?[col.name] {
            try resolveDates(&table, column: i, given: given, notices: &notices)
        } else if col.numbers == nil, col.days == nil, col.dateFields != nil {
            try resolveDates(&table, column: i, given: nil, notices: &notices)
        } else if col.numbers == nil, col.amounts.formatted, col.amounts.allAmounts, !strayValues(col, present: table.rowCount - col.missingCount) {
            try resolveAmounts(&table, column: i, given: nil, notices: &notices)
        }
    }

    /// Whether the values that are not plain numbers are so few that they
    /// are more likely slips than the column's format (`checkStrayValue`
    /// refuses them): under 5% of at least 20 present values.
    static func strayValues(_ col: RawTable.Column, present: Int) -> Bool {
        present >= 20 && Double(col.numericCount) >= 0.95 * Double(present)
    }

    /// A column of dates written month first or day first
    /// (`RawTable.Column.dateFields`), read into days in the format given,
    /// or else the one its values allow: month first when a value has a
    /// second field above 12 (`07/13/2024`), day first when one has a first
    /// field above 12 (`13/07/2024`). Refused, naming the value: a value
    /// that names no day or time (`02/30/2024`, `25:61`), a column with
    /// values of both kinds, and a column every value of which reads both
    /// ways (every first and second field at most 12), whose format must be
    /// given rather than guessed.
    static func resolveDates(_ table: inout RawTable, column i: Int, given: DateFormat?, notices: inout [String]) throws(InputError) {
        let col = table.columns[i], file = table.file
        let key = OptionKey.dateFormats.mention
        func at(_ v: (value: String, line: Int)) -> InputLocation { InputLocation(file: file, line: v.line, column: col.name, value: v.value) }
        if given == .iso, col.days != nil { return }
        guard given != .iso, let fields = col.dateFields else {
            // A format given for a column not written in it.
            let bad = given == .iso ? col.firstNonDate : col.firstNonDateFields
            throw InputError(
                .invalidValue, at: InputLocation(file: file, line: bad?.line, column: col.name, value: bad?.value),
                "\(key) gives this column's dates as \(given?.name ?? "dates"), but this value is not written so\(given == .iso ? "" : " (one or two digits, a separator, one or two digits, the same separator, a four-digit year, optionally a time)").",
                remedy: "Fix the value or mark it as missing with \(OptionKey.missingValues.mention), or give the column's format in \(key) as \(DateFormat.spellings).")
        }
        let e = col.dateEvidence
        let format: DateFormat
        if let given {
            if let bad = e.firstUnreadable(in: given) {
                throw InputError(
                    .invalidValue, at: at(bad),
                    "read \(given.name), as \(key) gives the column, this value names no day of the calendar or no time of day.",
                    remedy: "Fix the value or mark it as missing with \(OptionKey.missingValues.mention), or correct the column's format in \(key).")
            }
            format = given
        } else {
            if let bad = e.impossible {
                throw InputError(
                    .invalidValue, at: at(bad),
                    "this value is written as a date, but it names no day of the calendar, read month first or day first, or its time is no time of day (a 30th of February, a 13th month, 25:61).",
                    remedy: "Fix the value, or mark it as missing with \(OptionKey.missingValues.mention).")
            }
            if let m = e.monthFirstOnly, let d = e.dayFirstOnly {
                let (later, earlier) = m.line > d.line ? (m, d) : (d, m)
                throw InputError(
                    .invalidValue, at: at(later),
                    "the column mixes dates written month first and day first: this value reads only \(later.line == m.line ? "month" : "day") first, and \"\(earlier.value)\" on line \(earlier.line) only \(later.line == m.line ? "day" : "month") first; a column's dates are read in one format.",
                    remedy: "Export the column in one format (the CRM's or spreadsheet's date setting), or fix the values that differ.")
            }
            if let m = e.monthFirstOnly {
                format = .monthFirst
                notices.append(formatNotice(col.name, "dates written \(DateFormat.monthFirst.name)", example: m))
            } else if let d = e.dayFirstOnly {
                format = .dayFirst
                notices.append(formatNotice(col.name, "dates written \(DateFormat.dayFirst.name)", example: d))
            } else {
                let example = e.either
                throw InputError(
                    .badConfiguration, at: InputLocation(file: file, line: example?.line, column: col.name, value: example?.value),
                    "every date in the column has a first and a second field of at most 12, so each reads month first and day first alike, and which the column means cannot be told from its values.",
                    remedy: "Give the column's format with \(key) \"\(col.name)=MM/DD/YYYY\" (month first, as in the United States) or \(key) \"\(col.name)=DD/MM/YYYY\" (day first).")
            }
        }
        var days = [Int](repeating: Int.min, count: table.rowCount)
        for r in 0..<table.rowCount where fields[r] != DateFields.missing.packed {
            guard let d = format.days(DateFields(packed: fields[r])) else {
                // The evidence names every value the format cannot read.
                throw InputError(
                    .invalidValue, at: InputLocation(file: file, line: table.line(ofRow: r), column: col.name),
                    "this value names no day of the calendar read \(format.name).", remedy: "Fix the value, or mark it as missing with \(OptionKey.missingValues.mention).")
            }
            days[r] = d
        }
        table.columns[i].days = ColumnValues(days)
        table.columns[i].dateCount = table.rowCount - col.missingCount
        table.columns[i].dateFormat = format
        table.columns[i].dateFields = nil
        if given != nil { notices.append("\"\(col.name)\" is read as dates written \(format.name), as \(key) gives it; the model card records the format, and scoring reads the column in it.") }
    }

    /// A column of amounts (`RawTable.Amounts`), read into numbers in the
    /// format given (read so already, `RawTable.read`), or else the one its
    /// values allow. Refused, naming the value: a value that is no amount
    /// in the format given, amounts in two currencies, a column with values
    /// only a decimal point reads (`1,234.5`) and values only a decimal
    /// comma reads (`1.234,5`), and a column whose values read both ways as
    /// different numbers and never say which (`$1,500`), whose format must
    /// be given rather than guessed.
    static func resolveAmounts(_ table: inout RawTable, column i: Int, given: AmountFormat?, notices: inout [String]) throws(InputError) {
        let col = table.columns[i], file = table.file, a = col.amounts
        let key = OptionKey.amountFormats.mention
        func at(_ v: (value: String, line: Int)) -> InputLocation { InputLocation(file: file, line: v.line, column: col.name, value: v.value) }
        if let other = a.otherCurrency, let first = a.currency {
            throw InputError(
                .invalidValue, at: at(other),
                "the column mixes currencies: this amount's is not \(first.currency.text), which \"\(first.value)\" on line \(first.line) has; amounts in two currencies are not one number.",
                remedy: "Export the amounts in one currency (a converted amount field), or leave the column out with \(OptionKey.exclude.mention).")
        }
        let format: AmountFormat
        if let given {
            guard col.numbers != nil else {
                let bad = col.firstNonNumber
                throw InputError(
                    .invalidValue, at: InputLocation(file: file, line: bad?.line, column: col.name, value: bad?.value),
                    "\(key) gives this column's amounts as written \(given.name), but this value is no such amount.",
                    remedy: "Fix the value or mark it as missing with \(OptionKey.missingValues.mention), or correct the column's format in \(key) (\(AmountFormat.spellings)).")
            }
            format = given
        } else {
            let point = a.values[.decimalPoint], comma = a.values[.decimalComma]
            switch (point, comma) {
            case (nil, nil):
                // Every value is an amount, but no one format reads them all.
                guard let p = a.firstFailure[.decimalComma], let c = a.firstFailure[.decimalPoint] else { return }
                let (later, earlier) = p.line > c.line ? (p, c) : (c, p)
                let laterIsPoint = later.line == p.line
                throw InputError(
                    .invalidValue, at: at(later),
                    "the column mixes amounts written with a decimal \(laterIsPoint ? "point" : "comma") (this value) and with a decimal \(laterIsPoint ? "comma" : "point") (\"\(earlier.value)\" on line \(earlier.line)); a column's amounts are read in one format.",
                    remedy: "Export the column in one format, or fix the values that differ.")
            case (.some, .some):
                if let differing = a.firstDiffering {
                    throw InputError(
                        .badConfiguration, at: at(differing),
                        "this amount reads as \(reading(differing.value, .decimalPoint)) with a decimal point and as \(reading(differing.value, .decimalComma)) with a decimal comma, and no value of the column says which it means.",
                        remedy: "Give the column's format with \(key) \"\(col.name)=1,234.56\" (a decimal point) or \(key) \"\(col.name)=1.234,56\" (a decimal comma).")
                }
                // No value has a mark the two read differently.
                format = .decimalPoint
            case (.some, nil): format = .decimalPoint
            case (nil, .some): format = .decimalComma
            }
            table.columns[i].numbers = a.values[format]
            table.columns[i].numericCount = table.rowCount - col.missingCount
            // A value only this format reads shows it; else one with a currency.
            let example = a.firstFailure[format == .decimalPoint ? .decimalComma : .decimalPoint] ?? a.currency.map { ($0.value, $0.line) }
            notices.append(formatNotice(col.name, "amounts written \(format.name)\(a.currency.map { " in \($0.currency.text)" } ?? "")", example: example))
        }
        table.columns[i].amountFormat = format
        table.columns[i].currency = a.currency?.currency
        table.columns[i].amounts = RawTable.Amounts()
    }

    /// "\"Last Activity Date\" holds dates written day first (DD/MM/YYYY),
    /// as \"13/07/2024\" on line 5 shows: …".
    static func formatNotice(_ column: String, _ what: String, example: (value: String, line: Int)?) -> String {
        let shown = example.map { ", as \"\($0.value)\" on line \($0.line) shows" } ?? ""
        return "\"\(column)\" holds \(what)\(shown): read so, and the model card records the format, so that scoring reads the column the same way (\(OptionKey.dateFormats.mention) and \(OptionKey.amountFormats.mention) give a column's format)."
    }

    /// The number `text` reads as in `format`, for a message.
    static func reading(_ text: String, _ format: AmountFormat) -> String {
        ValueParser.amount(text, format: format).map { ModelNumber.text($0.value) } ?? "nothing"
    }
}
