extension FieldParser {
    /// An amount written in `format`, or nil: the one reader of a column of
    /// amounts, in training (`RawTable`) and in scoring (`RowEncoder`).
    ///
    /// Grammar, the whole (trimmed) field, with `D` the format's decimal
    /// mark and `G` its thousands mark (`AmountFormat`):
    ///
    ///     amount   = [sign] [currency [" "]] [sign] body [[" "] currency]
    ///     body     = integer [D digits]
    ///     integer  = digits | d{1,3} (G d{3})+
    ///     currency = a sign ($ € £ ¥ ₹ ₽ ₩ ₺ ₪) or an ISO code (USD, EUR, …;
    ///                `AmountFormat.currencyCodes`)
    ///
    /// with at most one sign and one currency. So with a decimal point
    /// `$18,111.00`, `USD 18,111.00`, `-$1,234.5` and `18,111.00 USD` are
    /// amounts, and with a decimal comma `18.111,00 €` and `EUR 1.234`
    /// (1234). A plain number (`FieldParser.number`) is an amount in the
    /// decimal-point format with its own value, and, when it has no point
    /// and no exponent (an integer), in the decimal-comma format too; so
    /// `1.5` is no decimal-comma amount, and `1.234` is 1234 in it.
    /// Spaces, apostrophes or underscores between thousands, percentages
    /// and accounting brackets are not amounts.
    ///
    /// The digits, without the thousands marks and with a point for the
    /// decimal mark, are converted by `number`, so `$18,111.00` is the same
    /// double as `18111.00`.
    @inlinable
    public static func amount(_ t: UnsafeBufferPointer<UInt8>, format: AmountFormat) -> Amount? {
        if let v = number(t), format == .decimalPoint || !t.contains(where: { $0 == 0x2E || $0 | 0x20 == 0x65 }) {
            return Amount(value: v, currency: .none)
        }
        var i = 0, end = t.count
        var negative = false, signs = 0
        var currency = Currency.none
        @inline(__always) func sign() {
            guard i < end, t[i] == 0x2D || t[i] == 0x2B else { return }
            negative = t[i] == 0x2D
            signs += 1
            i += 1
        }
        sign()
        if let mark = currencyMark(t, at: i, backwards: false) {
            currency = Currency(UnsafeBufferPointer(rebasing: t[i..<(i + mark)]))
            i += mark
            if i < end && t[i] == 0x20 { i += 1 }
        }
        sign()
        if currency == .none, let mark = currencyMark(t, at: end, backwards: true), end - mark > i {
            currency = Currency(UnsafeBufferPointer(rebasing: t[(end - mark)..<end]))
            end -= mark
            if end > i && t[end - 1] == 0x20 { end -= 1 }
        }
        guard signs <= 1, end > i, end - i <= 48 else { return nil }
        // The body: whole digits (grouped or not), then the decimals.
        let decimal = format.decimalMark, group = format.groupMark
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 49) { digits -> Amount? in
            var k = 0
            var groupLength = 0, groups = 0, wholeDigits = 0
            var j = i
            while j < end && t[j] != decimal {
                let c = t[j]
                if c &- 0x30 < 10 {
                    digits[k] = c
                    k += 1
                    groupLength += 1
                    wholeDigits += 1
                } else if c == group {
                    // The first group 1–3 digits, every later one 3.
                    guard groups == 0 ? (1...3).contains(groupLength) : groupLength == 3 else { return nil }
                    groups += 1
                    groupLength = 0
                } else {
                    return nil
                }
                j += 1
            }
            guard wholeDigits > 0, groups == 0 || groupLength == 3 else { return nil }
            if j < end {
                // The decimal mark, then at least one digit.
                digits[k] = 0x2E
                k += 1
                j += 1
                let from = j
                while j < end && t[j] &- 0x30 < 10 {
                    digits[k] = t[j]
                    k += 1
                    j += 1
                }
                guard j == end, j > from else { return nil }
            }
            guard let v = number(UnsafeBufferPointer(rebasing: digits[0..<k])) else { return nil }
            return Amount(value: negative ? -v : v, currency: currency)
        }
    }

    /// The length of the currency sign or code that starts at `at` (or,
    /// `backwards`, ends there), or nil.
    @usableFromInline
    static func currencyMark(_ t: UnsafeBufferPointer<UInt8>, at: Int, backwards: Bool) -> Int? {
        for mark in AmountFormat.currencyBytes {
            let m = mark.count
            let start = backwards ? at - m : at
            guard start >= 0, start + m <= t.count else { continue }
            var same = true
            for j in 0..<m where t[start + j] != mark[j] {
                same = false
                break
            }
            if same { return m }
        }
        return nil
    }
}

extension ValueParser {
    /// An amount written in `format`, or nil (`FieldParser.amount`, on the
    /// text's UTF-8).
    public static func amount(_ s: String, format: AmountFormat) -> Amount? {
        var s = s
        return s.withUTF8 { FieldParser.amount($0, format: format) }
    }
}
