import Foundation

/// Options shared by scoring and evaluation.
public struct ScoringOptions: Sendable {
    public var tiers: TierScheme
    /// Reasons for and against per lead (0 turns them off).
    public var reasons: Int
    /// As-of date for date columns (days since 1970-01-01); nil uses the
    /// model's.
    public var asOfDays: Int?
    /// Values read as missing, in addition to the model's.
    public var extraMissingValues: [String]

    public init(tiers: TierScheme = .standard, reasons: Int = 3, asOfDays: Int? = nil, extraMissingValues: [String] = []) {
        self.tiers = tiers
        self.reasons = reasons
        self.asOfDays = asOfDays
        self.extraMissingValues = extraMissingValues
    }
}

/// A model applied to leads read as text: the encoder bound to a file's
/// header, the coefficients, and the current lead's features.
public struct ModelScorer {
    public let model: ModelCard
    public let encoder: RowEncoder
    /// The same encoder on the bytes of a `CSVReader` record.
    let byteEncoder: ByteRowEncoder
    let coefficients: [Double]
    var features: [Double]

    public init(model: ModelCard, header: [String], file: String, options: ScoringOptions) throws(InputError) {
        self.model = model
        let parser = ValueParser(missingMarkers: model.schema.missingValues + options.extraMissingValues)
        let asOf = options.asOfDays ?? model.schema.asOf.flatMap(ValueParser.isoDate)
        encoder = try RowEncoder(encoder: model.schema.encoders, parser: parser, header: header, file: file, asOfDays: asOf)
        byteEncoder = ByteRowEncoder(encoder, coefficients: model.coefficients)
        coefficients = model.coefficients
        features = [Double](repeating: 0, count: coefficients.count)
    }

    /// The log-odds of winning for the lead whose fields `field(i)` returns.
    public mutating func logOdds(field: (Int) -> String, line: Int, file: String) throws(InputError) -> Double {
        let encoder = self.encoder
        try features.withUnsafeMutableBufferPointer { (buf) throws(InputError) in
            try encoder.encode(field: field, line: line, file: file, into: buf.baseAddress!)
        }
        return try checkedLogOdds(field: field, line: line, file: file)
    }

    /// The log-odds of winning for `reader`'s current record: the same
    /// value and errors as `logOdds(field:line:file:)` on its fields, read
    /// from their bytes (`ByteRowEncoder`). Afterwards
    /// `byteEncoder.state(column:)` describes the record's values.
    public mutating func logOdds(reader: CSVReader) throws(InputError) -> Double {
        let bytes = byteEncoder
        let intercept = model.intercept.coefficient
        let encoded = features.withUnsafeMutableBufferPointer { bytes.encode(reader, into: $0.baseAddress!, start: intercept) }
        if let eta = encoded {
            // Equal to the full sum when finite and not zero (see ByteRowEncoder).
            if bytes.sparseSums && eta.isFinite && eta != 0 { return eta }
        } else {
            // A value that does not fit its column: the String path reports it.
            let encoder = self.encoder
            try features.withUnsafeMutableBufferPointer { (buf) throws(InputError) in
                try encoder.encode(field: { reader.field($0) }, line: reader.recordLine, file: reader.path, into: buf.baseAddress!)
            }
            bytes.setStates { reader.field($0) }
        }
        return try checkedLogOdds(field: { reader.field($0) }, line: reader.recordLine, file: reader.path)
    }

    /// η = intercept + Σ β_j x_j over the current features, in feature
    /// order; throws when it is not finite.
    private func checkedLogOdds(field: (Int) -> String, line: Int, file: String) throws(InputError) -> Double {
        var eta = model.intercept.coefficient
        coefficients.withUnsafeBufferPointer { beta in
            features.withUnsafeBufferPointer { x in
                for j in 0..<beta.count { eta += beta[j] * x[j] }
            }
        }
        if !eta.isFinite {
            // Extreme values in two columns can overflow to +∞ and −∞.
            let k = contributions().firstIndex { !$0.isFinite } ?? 0
            let column = model.schema.encoders.columns[k].column
            throw InputError(
                .invalidValue, at: InputLocation(file: file, line: line, column: column, value: field(encoder.fieldIndex[k])),
                "the lead's log-odds overflow: this value is far outside anything seen in training.",
                remedy: "Fix the value, or mark it as missing with --missing.")
        }
        return eta
    }

    /// Calls `body` with the last lead's features.
    func withFeatures<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R {
        features.withUnsafeBufferPointer(body)
    }

    /// The contribution of each model column to the last lead's log-odds
    /// (Σ β_j x_j over the column's features), in encoder column order.
    public func contributions() -> [Double] {
        var out: [Double] = []
        var j = 0
        for c in model.schema.encoders.columns {
            var s = 0.0
            for _ in 0..<c.featureCount { s += coefficients[j] * features[j]; j += 1 }
            out.append(s)
        }
        return out
    }
}

/// Streams a CSV through a model, one lead at a time, in constant memory:
/// the loop of `Evaluator` (`Scorer` drives `ModelScorer` itself, through
/// `LeadRowWriter`, to read files in segments).
struct ModelRunner {
    let reader: CSVReader
    var scorer: ModelScorer
    var model: ModelCard { scorer.model }
    var encoder: RowEncoder { scorer.encoder }

    init(model: ModelCard, path: String, options: ScoringOptions) throws(InputError) {
        reader = try CSVReader(path: path)
        scorer = try ModelScorer(model: model, header: reader.header, file: path, options: options)
    }

    /// The header index of a column, or nil.
    func fieldIndex(_ name: String) -> Int? { reader.header.firstIndex(of: name) }

    /// Advances to the next lead and returns its log-odds, or nil at the end.
    mutating func next() throws(InputError) -> Double? {
        guard try reader.nextRecord() else { return nil }
        return try scorer.logOdds(reader: reader)
    }

    func contributions() -> [Double] { scorer.contributions() }
}
