/// Dates written in a format other than ISO 8601, as spreadsheets and CRM
/// reports in many locales write them: `07/01/2024`, `1.7.2024 10:15`,
/// `2024/07/01`, `07-01-24`. A column of month-first or day-first dates
/// with four-digit years is read in the format its values decide
/// (`DateFormat`, `FieldParser.dateFields`); the rest (two-digit years,
/// year first with slashes, formats mixed in a column) are not read. This
/// only recognises them all, to say so when a column is left out or a
/// value refused.
///
/// Recognised, after trimming: one or two digits, a separator (`/`, `.`
/// or `-`), one or two digits, the same separator, four digits (or two,
/// but for `.`: `1.2.10` is more likely a version number); or
/// four digits, a separator, one or two digits, the same separator, one or
/// two digits (other than an ISO date `YYYY-MM-DD`, which is read). Then
/// optionally a space or `T` and a time that starts with a digit and holds
/// a colon (`10:15`, `9:05 PM`).
public enum DateLookalike {
    public static func matches(_ text: String) -> Bool {
        let t = Array(ValueParser.trim(text).utf8)
        var i = 0
        func digits() -> Int {
            let from = i
            while i < t.count, t[i] &- 0x30 < 10 { i += 1 }
            return i - from
        }
        let first = digits()
        guard i < t.count, [UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-")].contains(t[i]) else { return false }
        let separator = t[i]
        i += 1
        let second = digits()
        guard i < t.count, t[i] == separator else { return false }
        i += 1
        let third = digits()
        // A two-digit year only with / or -: 1.2.10 is more likely a version.
        let dayFirst = (1...2).contains(first) && (1...2).contains(second) && (third == 4 || (third == 2 && separator != UInt8(ascii: ".")))
        let yearFirst = first == 4 && (1...2).contains(second) && (1...2).contains(third)
        guard dayFirst || yearFirst else { return false }
        // YYYY-MM-DD is ISO: read as a date, or refused as one.
        if yearFirst && separator == UInt8(ascii: "-") && second == 2 && third == 2 { return false }
        if i == t.count { return true }
        guard t[i] == UInt8(ascii: " ") || t[i] == UInt8(ascii: "T") else { return false }
        let time = t[(i + 1)...]
        return (time.first.map { $0 &- 0x30 < 10 } ?? false) && time.contains(UInt8(ascii: ":"))
    }
}
