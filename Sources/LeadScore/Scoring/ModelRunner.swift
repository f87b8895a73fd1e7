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
    let coefficients: [Double]
    var features: [Double]

    public init(model: ModelCard, header: [String], file: String, options: ScoringOptions) throws(InputError) {
        self.model = model
        let parser = ValueParser(missingMarkers: model.schema.missingValues + options.extraMissingValues)
        let asOf = options.asOfDays ?? model.schema.asOf.flatMap(ValueParser.isoDate)
        encoder = try RowEncoder(encoder: model.schema.encoders, parser: parser, header: header, file: file, asOfDays: asOf)
        coefficients = model.coefficients
        features = [Double](repeating: 0, count: coefficients.count)
    }

    /// The log-odds of winning for the lead whose fields `field(i)` returns.
    public mutating func logOdds(field: (Int) -> String, line: Int, file: String) throws(InputError) -> Double {
        let encoder = self.encoder
        try features.withUnsafeMutableBufferPointer { (buf) throws(InputError) in
            try encoder.encode(field: field, line: line, file: file, into: buf.baseAddress!)
        }
        var eta = model.intercept.coefficient
        for j in 0..<coefficients.count { eta += coefficients[j] * features[j] }
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
/// the shared loop of `Scorer` and `Evaluator`.
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
        let r = reader
        return try scorer.logOdds(field: { r.field($0) }, line: r.recordLine, file: r.path)
    }

    func contributions() -> [Double] { scorer.contributions() }
}
