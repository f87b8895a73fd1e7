import Foundation

/// How raw CSV text becomes typed values. Training and scoring both go
/// through these functions, so a value is read the same way in both.
///
/// Conventions:
/// - Surrounding spaces and tabs are ignored everywhere.
/// - A value is missing when, after trimming, it equals one of the
///   configured missing markers (case-sensitive; the empty string always
///   counts). `Select` in a form export is such a marker if configured.
/// - Numbers are digits with an optional sign, decimal point and exponent
///   (`1532`, `2.5`, `.5`, `-3e2`; the grammar is on `FieldParser.number`),
///   `.` as the decimal mark and no thousands separators. Hexadecimal, NaN
///   and infinities are not numbers here, nor are values too large for a
///   double (`1e309`).
/// - Booleans: yes/no, true/false, y/n, t/f, case-insensitive, and any
///   number equal to 1 or 0.
/// - Dates: ISO 8601 calendar dates `YYYY-MM-DD`, optionally followed by a
///   time (`T` or a space, then `HH:MM[:SS[.fff]]` with an optional zone:
///   `Z`, `UTC`, `GMT`, `±HH`, `±HHMM` or `±HH:MM`, after at most one
///   space; checked and then ignored), turned into days since 1970-01-01
///   (proleptic Gregorian, the date as written). Dates written month
///   first or day first (`07/01/2024`) are read in a column's format
///   (`date(_:format:)`, `DateFormat`); amounts with a currency and
///   thousands marks (`$18,111.00`) in a column's amount format
///   (`amount(_:format:)`, `AmountFormat`).
public struct ValueParser: Sendable, Equatable, Codable {
    public var missingMarkers: Set<String>

    /// The default markers: the empty string and the spreadsheet/database
    /// spellings of "no value".
    public static let defaultMissingMarkers: [String] = ["", "NA", "N/A", "n/a", "#N/A", "null", "NULL", "None", "nan", "NaN"]

    public init(missingMarkers: [String] = ValueParser.defaultMissingMarkers) {
        self.missingMarkers = Set(missingMarkers.map(ValueParser.trim))
        self.missingMarkers.insert("")
    }

    @inlinable
    public static func trim(_ s: String) -> String {
        guard let first = s.utf8.first, let last = s.utf8.last else { return s }
        if first != 0x20 && first != 0x09 && last != 0x20 && last != 0x09 { return s }
        return String(s.trimmingCharacters(in: CharacterSet(charactersIn: " \t")))
    }

    /// The trimmed value, or nil when it is missing.
    @inlinable
    public func present(_ raw: String) -> String? {
        let t = ValueParser.trim(raw)
        return missingMarkers.contains(t) ? nil : t
    }

    /// A finite number, or nil: the grammar and conversion of
    /// `FieldParser.number`, on the text's UTF-8.
    @inlinable
    public static func number(_ s: String) -> Double? {
        var s = s
        return s.withUTF8(FieldParser.number)
    }

    /// true, false, or nil when the text is not a boolean spelling.
    public static func boolean(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "yes", "true", "y", "t", "1": return true
        case "no", "false", "n", "f", "0": return false
        default:
            // 1.0 / 0.0 and the like, as a numeric 0/1 column is read.
            guard let v = number(s), v == 0 || v == 1 else { return nil }
            return v == 1
        }
    }

    /// Days since 1970-01-01 of an ISO 8601 date, or nil.
    public static func isoDate(_ s: String) -> Int? {
        var s = s
        return s.withUTF8(FieldParser.isoDate)
    }

    /// Today (UTC) as ISO 8601 text: the day a model card records when no
    /// day is given.
    public static var today: String {
        isoDateString(days: Int((Date().timeIntervalSince1970 / 86400).rounded(.down)))
    }

    /// The ISO 8601 text of a day number (inverse of `isoDate`).
    public static func isoDateString(days: Int) -> String {
        let (y, m, d) = civilFromDays(days)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    @usableFromInline
    static func daysInMonth(year y: Int, month m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant, "chrono-compatible low-level
    /// date algorithms", days_from_civil).
    @usableFromInline
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Inverse of `daysFromCivil` (Hinnant, civil_from_days).
    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
