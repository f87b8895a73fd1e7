import Foundation

@testable import LeadScore

/// Encodes leads read as text (`String` fields, `ValueParser`) with a
/// model's encoders: the reference the tests hold `RowEncoder` (bytes,
/// `FieldParser`, `LevelTable`) to, feature for feature and error for error.
struct StringRowEncoder: Sendable {
    let encoder: FeatureEncoder
    let parser: ValueParser
    /// For each encoder column, its index among the input file's fields.
    let fieldIndex: [Int]
    let lookups: [[String: Int]]
    let offsets: [Int]
    /// The as-of date used for date columns (days since 1970-01-01).
    let asOfDays: Int?

    /// Maps the model's columns onto `header`. Every model column must be
    /// present; extra columns are ignored. All absent columns are named in
    /// one error.
    init(encoder: FeatureEncoder, parser: ValueParser, header: [String], file: String, asOfDays: Int?) throws(InputError) {
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where index[name] == nil { index[name] = i }
        let absent = encoder.columns.map(\.column).filter { index[$0] == nil }
        if !absent.isEmpty {
            throw InputError(
                .missingColumn, at: InputLocation(file: file, line: 1),
                "the model needs \(absent.count == 1 ? "a column" : "\(absent.count) columns") that the file does not have: \(absent.map { "\"\($0)\"" }.joined(separator: ", ")).",
                remedy: "Export the file with these columns (names must match exactly, including case and spaces).")
        }
        self.encoder = encoder
        self.parser = parser
        self.fieldIndex = encoder.columns.map { index[$0.column]! }
        self.lookups = encoder.columns.map { if case .categorical(let e) = $0 { e.makeLookup() } else { [:] } }
        self.offsets = encoder.offsets
        self.asOfDays = asOfDays
    }

    /// Writes the lead's features into `out` (featureCount values).
    /// `field(i)` returns the i-th field of the row as text; `line` is used
    /// in error messages. Throws when a value does not fit its column's type.
    func encode(
        field: (Int) -> String, line: Int, file: String, into out: UnsafeMutablePointer<Double>
    ) throws(InputError) {
        for (k, column) in encoder.columns.enumerated() {
            let raw = field(fieldIndex[k])
            let value = parser.present(raw)
            let dst = out + offsets[k]
            switch column {
            case .numeric(let e):
                var x: Double? = nil
                if let value {
                    if let format = e.amountFormat {
                        guard let a = ValueParser.amount(value, format: format) else { throw typeError(.notNumber, column, value, line, file) }
                        guard a.currency == .none || a.currency.text == e.currency else { throw typeError(.otherCurrency, column, value, line, file) }
                        x = a.value
                    } else {
                        guard let v = ValueParser.number(value) else { throw typeError(.notNumber, column, value, line, file) }
                        x = v
                    }
                }
                e.encode(x, into: dst)
            case .boolean(let e):
                var b: Bool? = nil
                if let value {
                    guard let v = ValueParser.boolean(value) else { throw typeError(.notBoolean, column, value, line, file) }
                    b = v
                }
                e.encode(b, into: dst)
            case .date(let e):
                var d: Double? = nil
                if let value {
                    guard let days = ValueParser.date(value, format: e.format) else { throw typeError(.notDate, column, value, line, file) }
                    d = e.daysBefore(days, asOf: asOfDays ?? e.asOfDays)
                }
                e.numeric.encode(d, into: dst)
            case .categorical(let e):
                for j in 0..<e.featureCount { dst[j] = 0 }
                if let a = e.activeIndex(value, lookup: lookups[k]) { dst[a] = 1 }
            }
            // A value so large that standardising it overflows (1e308) would
            // turn the score into NaN.
            if !dst[0].isFinite, let value {
                throw InputError(
                    .invalidValue, at: InputLocation(file: file, line: line, column: column.column, value: value),
                    "this value is too large for the model: its standardised value is not a finite number.",
                    remedy: "Fix the value, or mark it as missing with \(OptionKey.missingValues.mention).")
            }
        }
    }

    /// True when a categorical value was not seen in training (it is
    /// encoded as "(other)" or the reference level).
    func isUnseen(column k: Int, value: String?) -> Bool {
        guard case .categorical(let e) = encoder.columns[k] else { return false }
        let level = value ?? CategoricalEncoder.missingLevel
        return lookups[k][level] == nil && level != e.reference && !e.pooled.contains(level)
    }

    /// The message is the library's (`RowEncoder.error`): what is compared
    /// here is which value is refused, where, and why.
    private func typeError(_ refusal: RowEncoder.Refusal, _ column: ColumnEncoder, _ value: String, _ line: Int, _ file: String) -> InputError {
        RowEncoder.error(refusal, at: InputLocation(file: file, line: line, column: column.column, value: value), value: value, encoder: column)
    }
}
