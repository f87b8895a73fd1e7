/// How a column writes its dates: the order of year, month and day.
///
/// ISO 8601 (`2024-07-01`) says which is which; `07/01/2024` does not: the
/// United States write the month first (1 July), most of Europe and the
/// rest of the world the day first (7 January), as spreadsheets and CRM
/// reports do in the user's locale. A column's order is decided once, in
/// training, from all its values (`SchemaInference`), or given
/// (`TrainingConfiguration.dateFormats`), and the model card records it on
/// the column's encoder (`DateEncoder.format`) so that scoring reads the
/// column the same way (`FieldParser.date(_:format:)`).
///
/// Month-first and day-first dates are one or two digits, a separator
/// (`/`, `.` or `-`), one or two digits, the same separator, and a
/// four-digit year, optionally followed by a space or `T` and a time
/// (`FieldParser.dateFields`). The separator is not part of the format:
/// `01/07/2024`, `01.07.2024` and `1-7-2024` are the same day-first date.
public enum DateFormat: String, Codable, Sendable, CaseIterable {
    /// `YYYY-MM-DD`: the format of every date column of a card that names
    /// none.
    case iso = "YYYY-MM-DD"
    /// `MM/DD/YYYY`: `07/01/2024` is 1 July 2024.
    case monthFirst = "MM/DD/YYYY"
    /// `DD/MM/YYYY`: `01/07/2024` and `01.07.2024` are 1 July 2024.
    case dayFirst = "DD/MM/YYYY"

    /// The format written as `MM/DD/YYYY`, `DD.MM.YYYY`, `dd-mm-yyyy`,
    /// `YYYY-MM-DD` (any case, any of the separators `/`, `.` and `-` for
    /// the first two), or nil.
    public init?(spelling: String) {
        let s = spelling.uppercased()
        if s == "YYYY-MM-DD" {
            self = .iso
            return
        }
        // One separator, twice.
        guard s.count == 10, let separator = s.dropFirst(2).first, "/.-".contains(separator),
            s.filter({ $0 == separator }).count == 2
        else { return nil }
        switch s.replacingOccurrences(of: String(separator), with: "/") {
        case "MM/DD/YYYY": self = .monthFirst
        case "DD/MM/YYYY": self = .dayFirst
        default: return nil
        }
    }

    /// Reads any spelling `init(spelling:)` reads (a configuration file
    /// may write `DD.MM.YYYY`); written as the raw value.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let format = DateFormat(spelling: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a date format; use \(DateFormat.spellings)")
        }
        self = format
    }

    /// The spellings `init(spelling:)` reads, for a message.
    public static let spellings = "MM/DD/YYYY (month first), DD/MM/YYYY (day first; also DD.MM.YYYY) or YYYY-MM-DD (ISO 8601)"

    /// How the format reads its dates, for a sentence: "month first
    /// (MM/DD/YYYY)".
    public var name: String {
        switch self {
        case .iso: "ISO 8601 (YYYY-MM-DD)"
        case .monthFirst: "month first (MM/DD/YYYY)"
        case .dayFirst: "day first (DD/MM/YYYY)"
        }
    }

    /// Days since 1970-01-01 of a month-first or day-first date's fields
    /// (`DateFields`) read in this order, or nil when they name no day of
    /// the proleptic Gregorian calendar (`02/30/2024`, a 13th month) or the
    /// value's time was invalid. nil for ISO, which is not read from fields.
    @inlinable
    public func days(_ fields: DateFields) -> Int? {
        guard fields.isValid else { return nil }
        let month: Int, day: Int
        switch self {
        case .iso: return nil
        case .monthFirst: (month, day) = (fields.first, fields.second)
        case .dayFirst: (month, day) = (fields.second, fields.first)
        }
        guard month >= 1, month <= 12, day >= 1, day <= ValueParser.daysInMonth(year: fields.year, month: month) else { return nil }
        return ValueParser.daysFromCivil(year: fields.year, month: month, day: day)
    }
}

/// The fields of a date written `a/b/YYYY` before it is known whether `a`
/// is the month or the day (`FieldParser.dateFields`), packed into 32 bits
/// so that a training column can hold them until its format is decided
/// (`RawTable.Column.dateFields`): year × 2¹⁴ + a × 2⁷ + b, with a and b at
/// most 99. `invalid` (−1) marks a value written as such a date whose
/// time is not a time of day (`07/01/2024 25:61`), or whose first or
/// second field is 0 or above 31, which no format reads.
public struct DateFields: Sendable, Equatable {
    public let packed: Int32

    public static let invalid = DateFields(packed: -1)
    /// A missing value, in a column of fields.
    public static let missing = DateFields(packed: Int32.min)

    public init(packed: Int32) { self.packed = packed }

    @inlinable
    public init(first: Int, second: Int, year: Int) {
        packed = Int32(year << 14 | first << 7 | second)
    }

    @inlinable public var isValid: Bool { packed >= 0 }
    @inlinable public var first: Int { Int(packed >> 7) & 0x7F }
    @inlinable public var second: Int { Int(packed) & 0x7F }
    @inlinable public var year: Int { Int(packed >> 14) }

    /// The formats that read these fields as a real day: month-first,
    /// day-first, both (`04/05/2024`: both fields at most 12) or none.
    public var readableAs: (monthFirst: Bool, dayFirst: Bool) {
        (DateFormat.monthFirst.days(self) != nil, DateFormat.dayFirst.days(self) != nil)
    }
}
