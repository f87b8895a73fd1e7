#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `ValueParser` on the raw UTF-8 bytes of a CSV field, without making a
/// `String`: the hot path of reading a training file and of scoring.
///
/// Every function returns exactly what its `ValueParser` twin returns on
/// the same text (`FieldParserTests` checks them against each other on a
/// corpus of awkward values), so a value is read the same way whichever
/// path it takes. The conventions are documented on `ValueParser`.
public struct FieldParser: Sendable {
    /// The missing markers (trimmed, as UTF-8), the empty one left out: an
    /// empty field is always missing.
    let markers: [[UInt8]]
    /// Bit k set when some marker has k bytes (k < 64), to skip the
    /// comparison for most values.
    @usableFromInline let markerLengths: UInt64
    /// Each marker's two words (`ByteWords`), which with its
    /// length tell it apart from any value when it has at most 16 bytes.
    let markerWords: [ByteWords]
    /// The first bytes of the markers: bit c of `low` for c < 64, bit
    /// c − 64 of `high` for c < 128, `other` nonzero for any other.
    @usableFromInline let markerStarts: (low: UInt64, high: UInt64, other: UInt64)

    public init(_ parser: ValueParser) {
        markers = parser.missingMarkers.filter { !$0.isEmpty }.sorted().map { Array($0.utf8) }
        var lengths: UInt64 = 0
        for m in markers { lengths |= m.count < 64 ? 1 << UInt64(m.count) : 1 << 63 }
        markerLengths = lengths
        markerWords = markers.map { m in m.withUnsafeBufferPointer { ByteWords($0) } }
        var starts: (low: UInt64, high: UInt64, other: UInt64) = (0, 0, 0)
        for m in markers {
            if m[0] < 64 { starts.low |= 1 << UInt64(m[0]) } else if m[0] < 128 { starts.high |= 1 << UInt64(m[0] - 64) } else { starts.other = 1 }
        }
        markerStarts = starts
    }

    /// The field without surrounding spaces and tabs.
    @inlinable @inline(__always)
    public static func trim(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let base = field.baseAddress else { return field }
        var start = 0, end = field.count
        while start < end && (base[start] == 0x20 || base[start] == 0x09) { start += 1 }
        while end > start && (base[end - 1] == 0x20 || base[end - 1] == 0x09) { end -= 1 }
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }

    /// The trimmed value, or nil when it is missing (`ValueParser.present`).
    @inlinable @inline(__always)
    public func present(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        let t = FieldParser.trim(field)
        if t.isEmpty || mayBeMarker(t) && isMarker(t) { return nil }
        return t
    }

    /// Whether some marker has the length and the first byte of `t`
    /// (most values are turned away here, without a call).
    @inlinable @inline(__always)
    func mayBeMarker(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = t.count, c = t[0]
        let starts = c < 64 ? markerStarts.low & 1 << UInt64(c) : c < 128 ? markerStarts.high & 1 << UInt64(c & 63) : markerStarts.other
        return markerLengths & (n < 64 ? 1 << UInt64(n) : 1 << 63) != 0 && starts != 0
    }

    @usableFromInline
    func isMarker(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = t.count
        let w = ByteWords(t)
        for k in markers.indices where markers[k].count == n && markerWords[k].first == w.first && markerWords[k].last == w.last {
            if n <= 16 || markers[k].withUnsafeBufferPointer({ memcmp($0.baseAddress!, t.baseAddress!, n) == 0 }) { return true }
        }
        return false
    }

    /// A finite number, or nil (`ValueParser.number`, which calls this):
    /// the one reader of numbers.
    ///
    /// Grammar, the whole (trimmed) field, ASCII only:
    ///
    ///     number   = [sign] mantissa [exponent]
    ///     mantissa = digits ["." [digits]] | "." digits
    ///     exponent = ("e" | "E") [sign] digits
    ///     sign     = "+" | "-"
    ///
    /// so `12`, `-3.5`, `+5`, `.5`, `5.`, `1e3` and `2.5E-2` are numbers,
    /// and hexadecimal (`0x10`, `0x1p3`), `inf`, `nan`, thousands
    /// separators (`1,234`, `1 000`, `1_000`), decimal commas, currency
    /// signs, a lone sign or point, and anything after the number are not.
    /// A number whose value overflows a double (`1e309`) is not finite and
    /// not a number either; one that underflows reads as 0 or a subnormal,
    /// as `strtod` rounds it.
    ///
    /// Plain decimals (`-?digits(.digits)?` with at most 15 significant
    /// digits) are converted here: the digits form an integer M < 2⁵³ and
    /// the value is M / 10ᵏ with k ≤ 15, one correctly rounded division of
    /// two exact doubles, hence the correctly rounded value of the text
    /// (Clinger's fast path), the same double `strtod` returns. The rest of
    /// the grammar is checked by `slowNumber` and converted by `strtod`.
    @inlinable
    public static func number(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = t.count
        // Every number starts with a digit, a sign or a point: text is
        // turned away here, without a call.
        guard n > 0, t[0] &- 0x30 < 10 || t[0] == 0x2D || t[0] == 0x2B || t[0] == 0x2E else { return nil }
        guard n <= 17 else { return slowNumber(t) }
        var i = 0
        let negative = t[0] == 0x2D
        if negative { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var sawPoint = false
        var lastWasDigit = false
        while i < n {
            let c = t[i]
            if c &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                digits += 1
                if sawPoint { fraction += 1 }
                lastWasDigit = true
            } else if c == 0x2E && !sawPoint && lastWasDigit {
                sawPoint = true
                lastWasDigit = false
            } else if c | 0x20 == 0x65 || digits == 0 && (c == 0x2E || c == 0x2B) {
                // An exponent, or a leading point or plus: the rest of the grammar.
                return slowNumber(t)
            } else {
                // A byte no number has there (`201-1000`, `1.2.3`, `12abc`).
                return nil
            }
            i += 1
        }
        guard lastWasDigit, digits <= 15 else { return slowNumber(t) }
        var v = Double(mantissa)
        if fraction > 0 { v /= powersOfTen[fraction] }
        return negative ? -v : v
    }

    @usableFromInline
    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }

    /// Whether `t` is a number's text in the grammar of `number`.
    public static func isNumberText(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = t.count
        var i = 0
        @inline(__always) func digits() -> Int {
            let from = i
            while i < n && t[i] &- 0x30 < 10 { i += 1 }
            return i - from
        }
        if i < n && (t[i] == 0x2B || t[i] == 0x2D) { i += 1 }
        var mantissaDigits = digits()
        if i < n && t[i] == 0x2E {
            i += 1
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return false }
        if i < n && t[i] | 0x20 == 0x65 {
            i += 1
            if i < n && (t[i] == 0x2B || t[i] == 0x2D) { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == n
    }

    /// `number` for what the fast path does not take: the grammar checked
    /// here, the text converted by `Double(String)` (`strtod` in the C
    /// locale, which reads more than the grammar, hexadecimal and
    /// infinities among it, hence the check).
    @usableFromInline
    static func slowNumber(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        guard isNumberText(t), let v = Double(String(decoding: t, as: UTF8.self)), v.isFinite else { return nil }
        return v
    }

    /// true, false, or nil (`ValueParser.boolean`).
    public static func boolean(_ t: UnsafeBufferPointer<UInt8>) -> Bool? {
        if t.count <= 5 {
            var word: UInt64 = 0
            for (k, c) in t.enumerated() {
                let lower = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
                word |= UInt64(lower) << UInt64(8 * k)
            }
            switch word {
            case wordValue("yes"), wordValue("true"), wordValue("y"), wordValue("t"), wordValue("1"): return true
            case wordValue("no"), wordValue("false"), wordValue("n"), wordValue("f"), wordValue("0"): return false
            default: break
            }
        }
        guard let v = number(t), v == 0 || v == 1 else { return nil }
        return v == 1
    }

    private static func wordValue(_ s: StaticString) -> UInt64 {
        var word: UInt64 = 0
        for k in 0..<s.utf8CodeUnitCount { word |= UInt64(s.utf8Start[k]) << UInt64(8 * k) }
        return word
    }

    /// Days since 1970-01-01 of an ISO 8601 date, or nil (`ValueParser.isoDate`).
    ///
    /// `YYYY-MM-DD`, a real day of the proleptic Gregorian calendar,
    /// optionally followed by `T` or a space and a time `HH:MM[:SS[.f…]]`
    /// (hours 00–23, minutes and seconds 00–59) with an optional zone
    /// (`isTimeOfDay`). The time is checked and then ignored: the day is the
    /// date as written, whatever the offset.
    @inlinable @inline(__always)
    public static func isoDate(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        // Most values are turned away by their length or their fifth byte, without a call.
        guard u.count >= 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        return isoDateFields(u)
    }

    /// `isoDate` of a value with dashes where the date has them.
    @usableFromInline
    static func isoDateFields(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        if u.count > 10 {
            guard u[10] == 0x54 || u[10] == 0x20, isTimeOfDay(UnsafeBufferPointer(rebasing: u[11...])) else { return nil }
        }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let d = u[i] &- 0x30
            return d < 10 ? Int(d) : nil
        }
        guard let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
            let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9)
        else { return nil }
        let y = y0 * 1000 + y1 * 100 + y2 * 10 + y3, m = m0 * 10 + m1, d = d0 * 10 + d1
        guard m >= 1, m <= 12, d >= 1, d <= ValueParser.daysInMonth(year: y, month: m) else { return nil }
        return ValueParser.daysFromCivil(year: y, month: m, day: d)
    }

    /// `HH:MM[:SS[.f…]]` then optionally a zone, all in range (the time
    /// after an ISO date; see `isoDate`):
    ///
    ///     time   = HH ":" MM [":" SS ["." digits]] [[" "] zone]
    ///     zone   = "Z" | "UTC" | "GMT" | sign HH [[":"] MM]
    ///     sign   = "+" | "-"
    ///
    /// `twelveHour`, for the times after a date in another order
    /// (`dateFields`), also takes what spreadsheets and CRM reports write:
    /// an hour of one digit (`9:05`), and `AM` or `PM` (either case, after
    /// at most one space, before any zone), with which the hour is 1–12.
    ///
    /// with hours 00–23 in the time, 00–14 in an offset (UTC−12:00 to
    /// UTC+14:00 are the offsets in use), minutes and seconds 00–59. So the
    /// ISO 8601 forms `Z`, `+02:00`, `+0200` and `+02` are read, and with
    /// them what CRMs and databases write: Salesforce
    /// `10:15:30.000+0000`, PostgreSQL `10:15:30.123456+00`, and
    /// `10:15:30 UTC`. Letters other than these (`PM`, `EST`, lower case)
    /// and anything after the zone are not.
    @usableFromInline
    static func isTimeOfDay(_ t: UnsafeBufferPointer<UInt8>, twelveHour: Bool = false) -> Bool {
        let n = t.count
        var i = 0
        /// Two digits at i, at most `limit`.
        func two(_ limit: Int) -> Bool {
            guard i + 2 <= n, t[i] &- 0x30 < 10, t[i + 1] &- 0x30 < 10 else { return false }
            let v = Int(t[i] &- 0x30) * 10 + Int(t[i + 1] &- 0x30)
            i += 2
            return v <= limit
        }
        /// The letters `word` at i, the last thing in the field.
        func ends(with word: StaticString) -> Bool {
            let k = word.utf8CodeUnitCount
            guard n - i == k else { return false }
            for j in 0..<k where t[i + j] != word.utf8Start[j] { return false }
            return true
        }
        // The hour: two digits, or with `twelveHour` one or two.
        var hour = 0
        let hourStart = i
        while i < n && i - hourStart < 2 && t[i] &- 0x30 < 10 {
            hour = hour * 10 + Int(t[i] &- 0x30)
            i += 1
        }
        guard i - hourStart == 2 || (twelveHour && i - hourStart == 1), hour <= 23, i < n, t[i] == 0x3A else { return false }
        i += 1
        guard two(59) else { return false }
        if i < n && t[i] == 0x3A {
            i += 1
            guard two(59) else { return false }
            if i < n && t[i] == 0x2E {
                i += 1
                let from = i
                while i < n && t[i] &- 0x30 < 10 { i += 1 }
                guard i > from else { return false }
            }
        }
        if twelveHour {
            // AM or PM, after at most one space: the hour is then 1–12.
            var j = i
            if j < n && t[j] == 0x20 { j += 1 }
            if j + 2 <= n, t[j] | 0x20 == 0x61 || t[j] | 0x20 == 0x70, t[j + 1] | 0x20 == 0x6D {
                guard hour >= 1 && hour <= 12 else { return false }
                i = j + 2
            }
        }
        if i == n { return true }
        // The zone, after at most one space.
        if t[i] == 0x20 { i += 1 }
        guard i < n else { return false }
        if ends(with: "Z") || ends(with: "UTC") || ends(with: "GMT") { return true }
        guard t[i] == 0x2B || t[i] == 0x2D else { return false }
        i += 1
        guard two(14) else { return false }
        if i == n { return true }
        if t[i] == 0x3A { i += 1 }
        return two(59) && i == n
    }
}
