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
    let markerLengths: UInt64

    public init(_ parser: ValueParser) {
        markers = parser.missingMarkers.filter { !$0.isEmpty }.sorted().map { Array($0.utf8) }
        var lengths: UInt64 = 0
        for m in markers { lengths |= m.count < 64 ? 1 << UInt64(m.count) : 1 << 63 }
        markerLengths = lengths
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
    @inlinable
    public func present(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        let t = FieldParser.trim(field)
        if t.isEmpty || isMarker(t) { return nil }
        return t
    }

    @usableFromInline
    func isMarker(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = t.count
        if markerLengths & (n < 64 ? 1 << UInt64(n) : 1 << 63) == 0 { return false }
        for m in markers where m.count == n {
            if m.withUnsafeBufferPointer({ memcmp($0.baseAddress!, t.baseAddress!, n) == 0 }) { return true }
        }
        return false
    }

    /// A finite number, or nil (`ValueParser.number`).
    ///
    /// Plain decimals (`-?digits(.digits)?` with at most 15 significant
    /// digits) are converted here: the digits form an integer M < 2⁵³ and
    /// the value is M / 10ᵏ with k ≤ 15, one correctly rounded division of
    /// two exact doubles, hence the correctly rounded value of the text
    /// (Clinger's fast path), the same double `Double(String)` returns.
    /// Anything else (exponents, a leading +, more digits) goes through
    /// `Double(String)` itself.
    @inlinable
    public static func number(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = t.count
        guard n > 0, n <= 17 else { return slowNumber(t) }
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
            } else {
                return slowNumber(t)
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

    /// `Double(String)` for what the fast path does not take. A finite
    /// number's text starts with a digit or a point, after an optional sign
    /// (`Double` rejects leading whitespace, and infinities and NaN are not
    /// numbers here), so words are turned down without making a String.
    @usableFromInline
    static func slowNumber(_ t: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !t.isEmpty else { return nil }
        let first = t[0] == 0x2B || t[0] == 0x2D ? (t.count > 1 ? t[1] : 0) : t[0]
        guard first &- 0x30 < 10 || first == 0x2E else { return nil }
        // Only digits, points, hexadecimal digits, x, p, and a sign at the
        // start or after an exponent mark can make a number: dates, phone
        // numbers and codes stop here.
        var previous: UInt8 = 0
        for (i, c) in t.enumerated() {
            let lower = c | 0x20
            let allowed = c &- 0x30 < 10 || c == 0x2E || (lower >= 0x61 && lower <= 0x66) || lower == 0x78 || lower == 0x70
                || ((c == 0x2B || c == 0x2D) && (i == 0 || previous | 0x20 == 0x65 || previous | 0x20 == 0x70))
            guard allowed else { return nil }
            previous = c
        }
        return ValueParser.number(String(decoding: t, as: UTF8.self))
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
    @inlinable
    public static func isoDate(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        guard u.count >= 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        if u.count > 10 && u[10] != 0x54 && u[10] != 0x20 { return nil }
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
}
