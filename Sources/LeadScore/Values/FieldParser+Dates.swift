extension FieldParser {
    /// Days since 1970-01-01 of a date written in `format`, or nil: the
    /// one reader of a date column's values, in training (the column's
    /// fields read once its format is decided, `RawTable.Column.dateFields`)
    /// and in scoring (`RowEncoder`). ISO dates are `isoDate`'s; the others
    /// are `dateFields` read in the format's order (`DateFormat.days`).
    @inlinable
    public static func date(_ u: UnsafeBufferPointer<UInt8>, format: DateFormat) -> Int? {
        if format == .iso { return isoDate(u) }
        guard let fields = dateFields(u) else { return nil }
        return format.days(fields)
    }

    /// The fields of a date written month first or day first
    /// (`DateFormat`), before its order is known; nil when the value is not
    /// written so.
    ///
    ///     date = D [D] sep D [D] sep DDDD [(" " | "T") time]
    ///     sep  = "/" | "." | "-"          (the same one twice)
    ///
    /// with `time` as `isTimeOfDay(_:twelveHour:)` reads it: `10:15`,
    /// `9:05 PM`, `10:15:30`, an optional zone. A value written so whose
    /// time is not a time of day (text after the date that starts with a
    /// digit and holds a colon: `07/01/2024 25:61`), or whose first or
    /// second field is 0 or above 31, is `DateFields.invalid`: a date that
    /// no format reads, which training refuses by name rather than take the
    /// column for text. Two-digit years (`07/01/24`) are not read: their
    /// century is a guess.
    @inlinable
    public static func dateFields(_ u: UnsafeBufferPointer<UInt8>) -> DateFields? {
        let n = u.count
        var i = 0
        /// Up to `most` digits at i: their value and how many.
        @inline(__always) func digits(_ most: Int) -> (value: Int, count: Int) {
            var v = 0, k = 0
            while i < n && k < most && u[i] &- 0x30 < 10 {
                v = v * 10 + Int(u[i] &- 0x30)
                i += 1
                k += 1
            }
            return (v, k)
        }
        let a = digits(2)
        guard a.count > 0, i < n, u[i] == 0x2F || u[i] == 0x2E || u[i] == 0x2D else { return nil }
        let separator = u[i]
        i += 1
        let b = digits(2)
        guard b.count > 0, i < n, u[i] == separator else { return nil }
        i += 1
        let year = digits(4)
        guard year.count == 4 else { return nil }
        let inRange = (1...31).contains(a.value) && (1...31).contains(b.value)
        if i == n { return inRange ? DateFields(first: a.value, second: b.value, year: year.value) : .invalid }
        guard u[i] == 0x20 || u[i] == 0x54, i + 1 < n else { return nil }
        let time = UnsafeBufferPointer(rebasing: u[(i + 1)...])
        if isTimeOfDay(time, twelveHour: true) {
            return inRange ? DateFields(first: a.value, second: b.value, year: year.value) : .invalid
        }
        // A time that is not one (25:61) is a bad date; other text after
        // the date makes the value not a date.
        return time[0] &- 0x30 < 10 && time.contains(0x3A) ? .invalid : nil
    }
}

extension ValueParser {
    /// Days since 1970-01-01 of a date written in `format`, or nil
    /// (`FieldParser.date(_:format:)`, on the text's UTF-8).
    public static func date(_ s: String, format: DateFormat) -> Int? {
        var s = s
        return s.withUTF8 { FieldParser.date($0, format: format) }
    }

    /// The fields of a month-first or day-first date, or nil
    /// (`FieldParser.dateFields`, on the text's UTF-8).
    public static func dateFields(_ s: String) -> DateFields? {
        var s = s
        return s.withUTF8(FieldParser.dateFields)
    }
}
