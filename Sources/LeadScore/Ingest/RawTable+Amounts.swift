// A training column's values read as amounts (`FieldParser.amount`), kept
// while the file is read so that the column's format can be decided from
// all of them (`SchemaInference.resolveAmounts`).
//
// A column of plain numbers needs none of this, and most columns are: the
// amounts are kept only from the first value that is not a plain number on
// (a text column drops them at once). The plain numbers before it are the
// column's `numbers` until then, which both formats read as the same
// numbers, the decimal-comma format only when none of them has a point or
// an exponent (`1.5` is no amount with a decimal comma, and `1.234` is
// 1234 in it); so those numbers are kept as the amounts' first values, and
// the decimal-comma amounts are given up at the first such number.

extension RawTable {
    /// A column's values read as amounts in each format.
    public struct Amounts: Sendable {
        /// The values in each format every present value is an amount in
        /// (NaN where missing); empty for a column of plain numbers, or
        /// with a value that is no amount in either format.
        public internal(set) var values: [AmountFormat: ColumnValues<Double>] = [:]
        /// For each format, the first present value that is no amount in
        /// it, and its line.
        public internal(set) var firstFailure: [AmountFormat: (value: String, line: Int)] = [:]
        /// Whether a present value was not a plain number.
        public internal(set) var formatted = false
        /// Whether every present value is an amount in one format or the
        /// other (plain numbers are).
        public internal(set) var allAmounts = true
        /// The currency of the first value written with one, and the first
        /// value written with another.
        public internal(set) var currency: (currency: Currency, value: String, line: Int)?
        public internal(set) var otherCurrency: (value: String, line: Int)?
        /// The first value the two formats read as different numbers
        /// (`$1,500`: 1500 with a decimal point, 1.5 with a decimal comma).
        public internal(set) var firstDiffering: (value: String, line: Int)?
    }
}

/// `RawTable.Amounts` while a part of the file is read.
struct PartialAmounts {
    private let spill: SpillFile?
    /// Whether a value that is not a plain number has come.
    private(set) var started = false
    /// The plain numbers before it.
    private var prefix: SpilledValues<Double>?
    private var withPoint: SpilledValues<Double>?
    private var withComma: SpilledValues<Double>?
    private var firstNotWithPoint: (value: String, line: Int)?
    private var firstNotWithComma: (value: String, line: Int)?
    /// The first plain number with a point or an exponent.
    private var firstFraction: (value: String, line: Int)?
    private var allAmounts = true
    private var currency: (currency: Currency, value: String, line: Int)?
    private var otherCurrency: (value: String, line: Int)?
    private var firstDiffering: (value: String, line: Int)?

    init(spill: SpillFile?) { self.spill = spill }

    /// A plain number read while the column's numbers hold.
    @inline(__always)
    mutating func notePlain(_ value: UnsafeBufferPointer<UInt8>, line: Int) {
        guard firstFraction == nil, value.contains(where: { $0 == 0x2E || $0 | 0x20 == 0x65 }) else { return }
        firstFraction = (String(decoding: value, as: UTF8.self), line)
    }

    /// The first value that is not a plain number: the numbers read before
    /// it are the amounts' first values.
    mutating func start(after numbers: SpilledValues<Double>?) {
        started = true
        prefix = numbers
        withPoint = SpilledValues(spill: spill)
        if let firstFraction {
            firstNotWithComma = firstFraction
        } else {
            withComma = SpilledValues(spill: spill)
        }
    }

    @inline(__always)
    mutating func appendMissing() {
        withPoint?.append(.nan)
        withComma?.append(.nan)
    }

    /// A value after the start, in each format it is an amount in.
    @inline(__always)
    mutating func append(_ value: UnsafeBufferPointer<UInt8>, line: Int) {
        // A column with a value that is no amount is text: nothing more to read.
        guard allAmounts else { return }
        appendAmount(value, line: line)
    }

    private mutating func appendAmount(_ value: UnsafeBufferPointer<UInt8>, line: Int) {
        let point = FieldParser.amount(value, format: .decimalPoint), comma = FieldParser.amount(value, format: .decimalComma)
        if point == nil && comma == nil {
            allAmounts = false
            prefix = nil
        }
        if withPoint != nil {
            if let point { withPoint!.append(point.value) } else { (withPoint, firstNotWithPoint) = (nil, (String(decoding: value, as: UTF8.self), line)) }
        }
        if withComma != nil {
            if let comma { withComma!.append(comma.value) } else { (withComma, firstNotWithComma) = (nil, (String(decoding: value, as: UTF8.self), line)) }
        }
        if let c = (point ?? comma)?.currency { note(c, value, line: line) }
        if let point, let comma, point.value != comma.value, firstDiffering == nil {
            firstDiffering = (String(decoding: value, as: UTF8.self), line)
        }
    }

    /// The currency `value` was written with.
    @inline(__always)
    mutating func note(_ c: Currency, _ value: UnsafeBufferPointer<UInt8>, line: Int) {
        guard c != .none, otherCurrency == nil else { return }
        if let seen = currency {
            if seen.currency != c { otherCurrency = (String(decoding: value, as: UTF8.self), line) }
        } else {
            currency = (c, String(decoding: value, as: UTF8.self), line)
        }
    }

    mutating func shiftLines(by delta: Int) {
        firstNotWithPoint?.line += delta
        firstNotWithComma?.line += delta
        firstFraction?.line += delta
        currency?.line += delta
        otherCurrency?.line += delta
        firstDiffering?.line += delta
    }

    /// The column's amounts from its parts, in file order; `numbers` are
    /// the parts' plain numbers (nil for a part where a value was not one).
    static func join(_ parts: [PartialAmounts], numbers: [SpilledValues<Double>?], storage: TableStorage) throws(InputError) -> RawTable.Amounts {
        var a = RawTable.Amounts()
        a.formatted = parts.contains { $0.started }
        a.allAmounts = parts.allSatisfy { $0.allAmounts }
        for p in parts {
            if let c = p.currency {
                if let seen = a.currency {
                    if seen.currency != c.currency && a.otherCurrency == nil { a.otherCurrency = (c.value, c.line) }
                } else {
                    a.currency = c
                }
            }
            if a.otherCurrency == nil { a.otherCurrency = p.otherCurrency }
            if a.firstDiffering == nil { a.firstDiffering = p.firstDiffering }
        }
        guard a.formatted else { return a }
        for format in AmountFormat.allCases {
            var pieces: [SpilledValues<Double>] = []
            var failure: (value: String, line: Int)? = nil
            for (p, numbers) in zip(parts, numbers) {
                if p.started {
                    let values = format == .decimalPoint ? p.withPoint : p.withComma
                    if let values, let prefix = p.prefix {
                        pieces += [prefix, values]
                        continue
                    }
                    failure = format == .decimalPoint ? p.firstNotWithPoint : p.firstNotWithComma
                } else if let numbers, format == .decimalPoint || p.firstFraction == nil {
                    pieces.append(numbers)
                    continue
                } else {
                    failure = p.firstFraction
                }
                break
            }
            if let failure {
                a.firstFailure[format] = failure
            } else if a.allAmounts {
                a.values[format] = try SpilledValues.join(pieces, storage)
            }
        }
        return a
    }
}
