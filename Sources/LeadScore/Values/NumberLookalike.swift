/// Text that a person reads as a number but `FieldParser.number` does not:
/// a formatted amount from a spreadsheet or a CRM report. Used only to
/// explain a refusal: a column of plain numbers does not read these (see
/// `FieldParser.number` for the grammar it reads); a column of amounts in
/// one format reads some of them (`FieldParser.amount`).
///
/// Recognised, after trimming:
/// - a currency sign or code: `$120`, `€ 1.200,50`, `120 USD`, `-£3`;
/// - a percent sign: `12%`, `12,5 %`;
/// - a thousands separator: `1,234`, `1,234,567.89`, `1.234.567`,
///   `1.234,5`, `1 234`, `1'234`, `1_000`;
/// - a decimal comma: `3,5`, `-0,25`.
///
/// `1,234` could be either of the last two; it is named as a thousands
/// separator, and the advice is the same.
public enum NumberLookalike: Equatable, Sendable {
    case currency, percentage, thousandsSeparator, decimalComma

    /// What `text` looks like, or nil when it looks like none of these.
    public init?(_ text: String) {
        let t = ValueParser.trim(text)
        guard t.contains(where: \.isNumber), t.unicodeScalars.allSatisfy({ $0.isASCII || NumberLookalike.currencySigns.contains($0) })
        else { return nil }
        var rest = Substring(t)
        var currency = false
        // Signs and codes at either end, in either order with a minus.
        for _ in 0..<2 {
            rest = rest.drop { $0 == " " || $0 == "-" || $0 == "+" }
            if let first = rest.unicodeScalars.first, NumberLookalike.currencySigns.contains(first) {
                currency = true
                rest = rest.dropFirst()
            }
            if let code = NumberLookalike.codes.first(where: { rest.hasPrefix($0) }) {
                currency = true
                rest = rest.dropFirst(code.count)
            }
            while let last = rest.last, last == " " { rest = rest.dropLast() }
            if let last = rest.unicodeScalars.last, NumberLookalike.currencySigns.contains(last) {
                currency = true
                rest = rest.dropLast()
            }
            if let code = NumberLookalike.codes.first(where: { rest.hasSuffix($0) }) {
                currency = true
                rest = rest.dropLast(code.count)
            }
        }
        var percent = false
        if rest.hasSuffix("%") {
            percent = true
            rest = rest.dropLast()
            while let last = rest.last, last == " " { rest = rest.dropLast() }
        }
        let body = String(rest)
        guard let first = body.first, first.isASCII, first.isNumber || first == "." else { return nil }
        let plain = ValueParser.number(body) != nil
        let grouped = NumberLookalike.isGrouped(body)
        let comma = NumberLookalike.isDecimalComma(body)
        guard plain || grouped || comma else { return nil }
        if currency {
            self = .currency
        } else if percent {
            self = .percentage
        } else if grouped {
            self = .thousandsSeparator
        } else if comma {
            self = .decimalComma
        } else {
            return nil
        }
    }

    /// The signs amounts are read with (`AmountFormat.currencySigns`), and `¢`.
    static let currencySigns: Set<Unicode.Scalar> = Set(AmountFormat.currencySigns.compactMap(\.unicodeScalars.first) + ["¢"])
    static let codes = AmountFormat.currencyCodes

    /// Groups of three digits after the first group of one to three, split
    /// by one separator (`,` `.` space `'` `_`), then optionally a decimal
    /// part after the other mark of `,` and `.`.
    static func isGrouped(_ s: String) -> Bool {
        for separator: Character in [",", ".", " ", "'", "_"] {
            var whole = Substring(s), decimals: Substring? = nil
            let decimalMark: Character? = separator == "," ? "." : separator == "." ? "," : nil
            if let mark = decimalMark, let i = s.lastIndex(of: mark) {
                whole = s[..<i]
                decimals = s[s.index(after: i)...]
            }
            let groups = whole.split(separator: separator, omittingEmptySubsequences: false)
            guard groups.count >= 2, let head = groups.first, (1...3).contains(head.count), head.allSatisfy(\.isWholeASCIIDigit),
                groups.dropFirst().allSatisfy({ $0.count == 3 && $0.allSatisfy(\.isWholeASCIIDigit) })
            else { continue }
            // `1.234` alone is a plain number; with a point as separator, it
            // takes two groups or a decimal comma to be a grouping.
            if separator == ".", groups.count == 2, decimals == nil { continue }
            if let decimals, decimals.isEmpty || !decimals.allSatisfy(\.isWholeASCIIDigit) { continue }
            return true
        }
        return false
    }

    /// Digits, one comma, digits.
    static func isDecimalComma(_ s: String) -> Bool {
        let parts = s.split(separator: ",", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isWholeASCIIDigit) }
    }

    /// The kind of formatting, for a sentence: "a thousands separator".
    public var name: String {
        switch self {
        case .currency: return "a currency sign or code"
        case .percentage: return "a percent sign"
        case .thousandsSeparator: return "a thousands separator"
        case .decimalComma: return "a decimal comma"
        }
    }

    /// The first sentence of a remedy: what the value looks like and how
    /// LeadScore reads numbers.
    public func explanation(_ value: String) -> String {
        "\"\(value)\" looks like a number written with \(name); a column is read as plain digits with a point for decimals (1234.5), or, when its values are amounts in one format ($1,234.56, 1.234,56 €), as amounts, so a formatted value in a column of plain numbers is not guessed at."
    }
}

extension Character {
    /// 0–9 only (not other scripts' digits).
    var isWholeASCIIDigit: Bool { isASCII && isNumber }
}
