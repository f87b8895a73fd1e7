/// How a column writes its amounts: which of `,` and `.` separates the
/// thousands and which the decimals, as CRM reports and spreadsheets write
/// money (`$18,111.00`, `USD 18,111.00`, `18.111,00 €`).
///
/// Plain numbers (`18111.00`, `FieldParser.number`) need no format. A
/// column whose values are amounts in one convention is read as numbers
/// once its convention is decided, in training, from all its values
/// (`SchemaInference`), or given (`TrainingConfiguration.amountFormats`);
/// the model card records it on the column's encoder
/// (`NumericEncoder.amountFormat`, with the currency its values carry) so
/// that scoring reads the column the same way
/// (`FieldParser.amount(_:format:)`).
public enum AmountFormat: String, Codable, Sendable, CaseIterable {
    /// `1,234.56`: commas between thousands, a point before the decimals
    /// (the United States, the United Kingdom, …).
    case decimalPoint = "1,234.56"
    /// `1.234,56`: points between thousands, a comma before the decimals
    /// (Germany, Italy, Spain, Brazil, …).
    case decimalComma = "1.234,56"

    /// The format written as `1,234.56` or `1.234,56`, or nil.
    public init?(spelling: String) {
        self.init(rawValue: spelling)
    }

    /// The spellings `init(spelling:)` reads, for a message.
    public static let spellings = "1,234.56 (a decimal point) or 1.234,56 (a decimal comma)"

    /// How the format reads its amounts, for a sentence.
    public var name: String {
        switch self {
        case .decimalPoint: "with a decimal point (1,234.56)"
        case .decimalComma: "with a decimal comma (1.234,56)"
        }
    }

    /// The mark before the decimals, and the one between thousands.
    @inlinable var decimalMark: UInt8 { self == .decimalPoint ? 0x2E : 0x2C }
    @inlinable var groupMark: UInt8 { self == .decimalPoint ? 0x2C : 0x2E }

    /// The currency signs read before or after an amount.
    public static let currencySigns: [String] = ["$", "€", "£", "¥", "₹", "₽", "₩", "₺", "₪"]
    /// The currency codes read before or after an amount (ISO 4217).
    public static let currencyCodes: [String] = [
        "USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD", "INR", "SEK", "NOK", "DKK", "PLN", "CNY", "BRL", "NZD", "SGD", "MXN", "ZAR",
    ]

    /// The signs and codes as UTF-8, longest first.
    @usableFromInline static let currencyBytes: [[UInt8]] = (currencyCodes + currencySigns).map { Array($0.utf8) }
        .sorted { $0.count > $1.count }
}

/// An amount read from a field (`FieldParser.amount`): its value and the
/// currency sign or code written with it.
public struct Amount: Sendable, Equatable {
    public var value: Double
    /// The sign or code (`Currency.none` when the value has none).
    public var currency: Currency

    @inlinable
    public init(value: Double, currency: Currency) {
        self.value = value
        self.currency = currency
    }
}

/// A currency sign or code, as its UTF-8 bytes packed into a word (a
/// sign is at most 3 bytes, a code 3), so that a field's currency is
/// compared with a column's without making a `String`.
public struct Currency: Sendable, Equatable, Hashable {
    public let key: UInt64

    public static let none = Currency(key: 0)

    @inlinable
    init(key: UInt64) { self.key = key }

    @inlinable
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var k = UInt64(bytes.count) << 56
        for (j, c) in bytes.prefix(7).enumerated() { k |= UInt64(c) << UInt64(8 * j) }
        key = k
    }

    /// The currency written `text` (`$`, `USD`).
    public init(_ text: String) {
        var text = text
        self = text.withUTF8 { Currency($0) }
    }

    /// The sign or code as text; "" for none.
    public var text: String {
        let count = Int(key >> 56)
        return String(decoding: (0..<count).map { UInt8(truncatingIfNeeded: key >> UInt64(8 * $0)) }, as: UTF8.self)
    }
}
