import Foundation

/// All column encoders of a model, laid side by side: the design row of a
/// lead is the concatenation of each column's features, in `columns` order.
public struct FeatureEncoder: Codable, Sendable, Equatable {
    public var columns: [ColumnEncoder]

    public init(columns: [ColumnEncoder]) { self.columns = columns }

    public var featureCount: Int { columns.reduce(0) { $0 + $1.featureCount } }
    public var featureNames: [String] { columns.flatMap(\.featureNames) }

    /// The first feature index of each column.
    public var offsets: [Int] {
        var o: [Int] = []
        var k = 0
        for c in columns { o.append(k); k += c.featureCount }
        return o
    }

    /// Learns the encoders from the training rows `rows` of `table`.
    /// Columns that turn out constant on these rows are dropped with a notice.
    static func fit(
        table: RawTable, schema: InferredSchema, rows: [Int], config: TrainingConfiguration, asOfDays: Int?,
        notices: inout [String]
    ) throws(InputError) -> FeatureEncoder {
        let minCount = config.minCategoryCount ?? TrainingConfiguration.defaultMinCategoryCount
        let log1pColumns = Set(config.log1p ?? [])
        var encoders: [ColumnEncoder] = []
        for (index, kind) in schema.features {
            let col = table.columns[index]
            var encoder: ColumnEncoder?
            switch kind {
            case .numeric, .date:
                var present: [Double] = []
                present.reserveCapacity(rows.count)
                var missing = 0
                for r in rows {
                    if let v = TableValues.number(col, kind: kind, row: r, asOfDays: asOfDays) {
                        // Squares of values beyond 1e150 overflow the standard deviation.
                        if abs(v) > 1e150 && !log1pColumns.contains(col.name) {
                            throw InputError(
                                .invalidValue, at: InputLocation(file: table.file, line: table.line(ofRow: r), column: col.name, value: ModelNumber.text(v)),
                                "this value is too large to standardise (its square overflows).",
                                remedy: "Fix the value, mark it as missing with --missing, or transform the column with --log1p.")
                        }
                        present.append(v)
                    } else {
                        missing += 1
                    }
                }
                if let numeric = NumericEncoder.fit(column: col.name, present: present, missing: missing, log1p: log1pColumns.contains(col.name)) {
                    if kind == .date, let asOfDays {
                        encoder = .date(DateEncoder(column: col.name, asOfDays: asOfDays, numeric: numeric))
                    } else {
                        encoder = .numeric(numeric)
                    }
                }
            case .boolean:
                var seen = Set<Bool>()
                var missing = false
                for r in rows {
                    if let b = TableValues.boolean(col, row: r) { seen.insert(b) } else { missing = true }
                }
                if seen.count == 2 || (seen.count == 1 && missing) {
                    encoder = .boolean(BooleanEncoder(column: col.name, missingIndicator: missing))
                }
            case .categorical:
                var counts: [String: Int] = [:]
                for r in rows { counts[TableValues.text(col, row: r) ?? CategoricalEncoder.missingLevel, default: 0] += 1 }
                encoder = CategoricalEncoder.fit(column: col.name, counts: counts, minCount: minCount).map { .categorical($0) }
            }
            if let encoder {
                encoders.append(encoder)
            } else if kind == .categorical {
                notices.append("\"\(col.name)\" has fewer than two levels with at least \(minCount) training rows (rarer levels are pooled): left out; lower --min-category-count to keep it.")
            } else {
                notices.append("\"\(col.name)\" does not vary among the training rows: left out.")
            }
        }
        return FeatureEncoder(columns: encoders)
    }

    /// The design matrix (rows × featureCount, row-major) of `rows` of
    /// `table`, encoded exactly as `RowEncoder` encodes text.
    func design(table: RawTable, rows: [Int]) -> DenseMatrix {
        let p = featureCount
        var m = DenseMatrix(rows: rows.count, columns: p)
        let offsets = self.offsets
        for (k, encoder) in columns.enumerated() {
            guard let col = table.columns.first(where: { $0.name == encoder.column }) else { continue }
            m.values.withUnsafeMutableBufferPointer { buf in
                for (i, r) in rows.enumerated() {
                    let out = buf.baseAddress! + i * p + offsets[k]
                    switch encoder {
                    case .numeric(let e): e.encode(TableValues.number(col, kind: .numeric, row: r, asOfDays: nil), into: out)
                    case .date(let e): e.numeric.encode(TableValues.number(col, kind: .date, row: r, asOfDays: e.asOfDays), into: out)
                    case .boolean(let e): e.encode(TableValues.boolean(col, row: r), into: out)
                    case .categorical: break
                    }
                }
                if case .categorical(let e) = encoder {
                    let lookup = e.makeLookup()
                    // Resolve each distinct code once.
                    var byCode: [UInt32: Int?] = [:]
                    for (i, r) in rows.enumerated() {
                        let code = col.codes?[r] ?? RawTable.missingCode
                        let active: Int?
                        if let cached = byCode[code] { active = cached } else {
                            active = e.activeIndex(TableValues.text(col, row: r), lookup: lookup)
                            byCode[code] = active
                        }
                        if let a = active { buf[i * p + offsets[k] + a] = 1 }
                    }
                }
            }
        }
        return m
    }
}

/// Typed values of a training table cell, read the same way as text is
/// read at scoring time.
enum TableValues {
    static func number(_ col: RawTable.Column, kind: ColumnKind, row: Int, asOfDays: Int?) -> Double? {
        if kind == .date {
            guard let days = col.days?[row], days != Int.min, let asOfDays else { return nil }
            return Double(asOfDays - days)
        }
        guard let v = col.numbers?[row], !v.isNaN else { return nil }
        return v
    }

    static func boolean(_ col: RawTable.Column, row: Int) -> Bool? {
        if let codes = col.codes {
            let c = codes[row]
            return c == RawTable.missingCode ? nil : ValueParser.boolean(col.levels[Int(c)])
        }
        guard let v = col.numbers?[row], !v.isNaN else { return nil }
        return v == 1
    }

    static func text(_ col: RawTable.Column, row: Int) -> String? {
        guard let codes = col.codes else { return nil }
        let c = codes[row]
        return c == RawTable.missingCode ? nil : col.levels[Int(c)]
    }
}
