import Foundation

/// All column encoders of a model, laid side by side: the design row of a
/// lead is the concatenation of each column's features, in `columns` order,
/// then of each pair term's (`PairEncoder`), in `pairs` order.
///
/// In the model file, `pairs` is absent when empty, so that a model without
/// pair terms is written byte for byte as before them (format 8 added them).
public struct FeatureEncoder: Codable, Sendable, Equatable {
    public var columns: [ColumnEncoder]
    /// Pair terms over two of `columns`; their features follow every
    /// column's.
    public var pairs: [PairEncoder] = []

    public init(columns: [ColumnEncoder], pairs: [PairEncoder] = []) {
        self.columns = columns
        self.pairs = pairs
    }

    enum CodingKeys: String, CodingKey { case columns, pairs }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        columns = try c.decode([ColumnEncoder].self, forKey: .columns)
        pairs = try c.decodeIfPresent([PairEncoder].self, forKey: .pairs) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(columns, forKey: .columns)
        if !pairs.isEmpty { try c.encode(pairs, forKey: .pairs) }
    }

    /// The features of the columns alone (the pair terms' follow them).
    public var columnFeatureCount: Int { columns.reduce(0) { $0 + $1.featureCount } }
    public var featureCount: Int { pairs.reduce(columnFeatureCount) { $0 + $1.featureCount } }
    public var featureNames: [String] { columns.flatMap(\.featureNames) + pairs.flatMap(\.featureNames) }

    /// The first feature index of each column.
    public var offsets: [Int] {
        var o: [Int] = []
        var k = 0
        for c in columns { o.append(k); k += c.featureCount }
        return o
    }

    /// The indices of the features that are spline terms (C_j), not a
    /// column's value itself.
    var splineTermFeatures: Set<Int> {
        var out = Set<Int>()
        for (c, offset) in zip(columns, offsets) {
            let spline: NaturalSpline?
            switch c {
            case .numeric(let e): spline = e.spline
            case .date(let e): spline = e.numeric.spline
            default: spline = nil
            }
            if let spline { out.formUnion((offset + 1)..<(offset + 1 + spline.termCount)) }
        }
        return out
    }

    /// The solver's bounds for the monotone columns (`NumericEncoder.direction`),
    /// or nil when there is none: for each value feature of an increasing
    /// column (its one linear feature, or its spline's K−1 ramps) the lower
    /// bound 0, for a decreasing one the upper bound 0; −∞ and +∞
    /// elsewhere (missing indicators included: the imputed value's
    /// offset is not an order). Why these bounds make the effect monotone,
    /// and how the solver holds them: `NaturalSpline`.
    public var coefficientBounds: (lower: [Double], upper: [Double])? {
        var lower = [Double](repeating: -.infinity, count: featureCount), upper = [Double](repeating: .infinity, count: featureCount)
        var any = false
        for (c, offset) in zip(columns, offsets) {
            guard case .numeric(let e) = c, let direction = e.direction else { continue }
            any = true
            for j in offset..<(offset + e.valueFeatureCount) {
                switch direction {
                case .increasing: lower[j] = 0
                case .decreasing: upper[j] = 0
                }
            }
        }
        return any ? (lower, upper) : nil
    }

    /// The encoders with each spline's `covariance` set: the block of the
    /// coefficients of its value features (x, C₁ … C_{K−2}) in `covariance`,
    /// the fit's (order × order, row-major, features in encoder order).
    func withSplineCovariances(_ covariance: [Double], order: Int) -> FeatureEncoder {
        var out = self
        for (k, offset) in offsets.enumerated() {
            func filled(_ e: NumericEncoder) -> NumericEncoder {
                guard var spline = e.spline else { return e }
                let m = e.valueFeatureCount
                spline.covariance = (0..<(m * m)).map { covariance[(offset + $0 / m) * order + offset + $0 % m] }
                var e = e
                e.spline = spline
                return e
            }
            switch columns[k] {
            case .numeric(let e): out.columns[k] = .numeric(filled(e))
            case .date(var e):
                e.numeric = filled(e.numeric)
                out.columns[k] = .date(e)
            default: break
            }
        }
        return out
    }

    /// The first feature index of each pair term.
    public var pairOffsets: [Int] {
        var o: [Int] = []
        var k = columnFeatureCount
        for p in pairs { o.append(k); k += p.featureCount }
        return o
    }

    /// Each pair bound to the columns (`PairBinding`).
    var pairBindings: [PairBinding] {
        zip(pairs, pairOffsets).map { PairBinding($0, columns: columns, offset: $1) }
    }

    /// Each contribution's name (`RowEncoder.contributions`): the columns,
    /// then the pairs ("A × B").
    public var termNames: [String] { columns.map(\.column) + pairs.map(\.name) }

    /// Learns the encoders from the training rows `rows` of `table`.
    /// Columns that turn out constant on these rows are dropped with a notice.
    static func fit(
        table: RawTable, schema: InferredSchema, rows: [Int], config: TrainingConfiguration, asOfDays: Int?, pairs: [ColumnPair] = [],
        notices: inout [String]
    ) throws(InputError) -> FeatureEncoder {
        let minCount = config.effectiveMinCategoryCount
        let log1pColumns = Set(config.log1p ?? [])
        // Columns asked for a spline that keep their linear encoding.
        var linear: [(column: String, knots: Int)] = []
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
                                remedy: "Fix the value, mark it as missing with \(OptionKey.missingValues.mention), or transform the column with \(OptionKey.log1p.mention).")
                        }
                        present.append(v)
                    } else {
                        missing += 1
                    }
                }
                let knots = config.splineKnots(column: col.name)
                if var numeric = NumericEncoder.fit(
                    column: col.name, present: present, missing: missing, log1p: log1pColumns.contains(col.name), splineKnots: knots,
                    monotone: kind == .numeric ? config.monotoneDirection(column: col.name) : nil) {
                    if let knots, numeric.spline == nil { linear.append((col.name, knots)) }
                    if kind == .date, let asOfDays {
                        encoder = .date(DateEncoder(column: col.name, asOfDays: asOfDays, numeric: numeric, dateFormat: col.dateFormat))
                    } else {
                        // The format the column's amounts were read in.
                        numeric.amountFormat = col.amountFormat
                        numeric.currency = col.currency?.text
                        encoder = .numeric(numeric)
                    }
                }
            case .boolean:
                let read = TableValues.BooleanReader(col)
                var seen = Set<Bool>()
                var missing = false
                for r in rows {
                    if let b = read[r] { seen.insert(b) } else { missing = true }
                }
                if seen.count == 2 || (seen.count == 1 && missing) {
                    encoder = .boolean(BooleanEncoder(column: col.name, missingIndicator: missing))
                }
            case .categorical:
                // Count rows per dictionary code, then name the codes.
                var perCode = [Int](repeating: 0, count: col.levels.count + 1)
                if let codes = col.codes {
                    for r in rows {
                        let c = codes[r]
                        perCode[c == RawTable.missingCode ? col.levels.count : Int(c)] += 1
                    }
                } else {
                    perCode[col.levels.count] = rows.count
                }
                var counts: [String: Int] = [:]
                for (code, n) in perCode.enumerated() where n > 0 {
                    counts[code < col.levels.count ? col.levels[code] : CategoricalEncoder.missingLevel, default: 0] += n
                }
                encoder = CategoricalEncoder.fit(column: col.name, counts: counts, minCount: minCount).map { .categorical($0) }
            }
            if let encoder {
                encoders.append(encoder)
            } else if kind == .categorical {
                notices.append("\"\(col.name)\" has fewer than two levels with at least \(minCount) training rows (rarer levels are pooled): left out; lower \(OptionKey.minCategoryCount.mention) to keep it.")
            } else {
                notices.append("\"\(col.name)\" does not vary among the training rows: left out.")
            }
        }
        if !linear.isEmpty {
            let list = linear.map { "\"\($0.column)\" (\($0.knots) knots)" }.joined(separator: ", ")
            notices.append(
                "\(list) \(linear.count == 1 ? "has" : "have") fewer distinct values than a spline needs (\(NaturalSpline.distinctValuesPerKnot) per knot), or no distinct knots: kept linear\(linear.contains { $0.knots > NaturalSpline.knotCounts.lowerBound } ? " (fewer knots may fit: \(OptionKey.spline.mention) COLUMN:3)" : "").")
        }
        var encoder = FeatureEncoder(columns: encoders)
        encoder.fitPairs(pairs, table: table, rows: rows, notices: &notices)
        return encoder
    }

    /// Adds a pair term for each of `requested` (two column names) whose
    /// columns both have an encoder and at least two cells on `rows`; the
    /// others are left out with a notice. Each side's cells are fitted on
    /// `rows` (`PairSide.fit`), and each cell's rows counted; a cell with
    /// fewer than `PairEncoder.minimumRowsOfACell` of them has no feature
    /// (`PairEncoder.minimumCellRows`, set only when some cell is that
    /// rare), and a pair left with no feature is left out with a notice.
    mutating func fitPairs(_ requested: [ColumnPair], table: RawTable, rows: [Int], notices: inout [String]) {
        let minimumCellRows = PairEncoder.minimumRowsOfACell
        guard !requested.isEmpty else { return }
        let input = ColumnInputs(writers: columnWriters(table), rows: rows)
        let first = pairs.count
        for request in requested {
            guard let a = columns.firstIndex(where: { $0.column == request.first }), let b = columns.firstIndex(where: { $0.column == request.second }) else {
                let lost = [request.first, request.second].filter { name in !columns.contains { $0.column == name } }
                notices.append("The pair \"\(request.first)\" \u{D7} \"\(request.second)\" is left out: \(lost.map { "\"\($0)\"" }.joined(separator: " and ")) \(lost.count == 1 ? "is" : "are") not in the model.")
                continue
            }
            let (va, aa) = input(a), (vb, ab) = input(b)
            guard let firstSide = PairSide.fit(encoder: columns[a], values: va, active: aa),
                let secondSide = PairSide.fit(encoder: columns[b], values: vb, active: ab)
            else {
                notices.append("The pair \"\(request.first)\" \u{D7} \"\(request.second)\" is left out: a side has fewer than two cells among the training rows.")
                continue
            }
            pairs.append(PairEncoder(first: firstSide, second: secondSide, counts: []))
        }
        let encoder = self
        encoder.forEachPairCells(input, from: first) { t, cells in
            var counts = [Int](repeating: 0, count: encoder.pairs[t].first.cellCount * encoder.pairs[t].second.cellCount)
            for c in cells { counts[Int(c)] += 1 }
            pairs[t].counts = counts
            let n = pairs[t].second.cellCount
            if counts.indices.contains(where: { $0 / n >= 1 && $0 % n >= 1 && counts[$0] < minimumCellRows }) { pairs[t].minimumCellRows = minimumCellRows }
        }
        let empty = pairs[first...].filter { $0.featureCount == 0 }
        for pair in empty {
            notices.append("The pair \"\(pair.first.column)\" \u{D7} \"\(pair.second.column)\" is left out: no cell off the reference row and column has \(minimumCellRows) training rows.")
        }
        pairs = Array(pairs[..<first]) + pairs[first...].filter { $0.featureCount > 0 }
    }

    /// The design matrix (rows × featureCount, row-major) of `rows` of
    /// `table`, encoded as `RowEncoder` encodes a CSV record: both call the
    /// column encoders' `encode` on values read by the same rules.
    func design(table: RawTable, rows: [Int]) -> DenseMatrix {
        let p = featureCount
        guard p > 0, !rows.isEmpty else { return DenseMatrix(rows: rows.count, columns: p) }
        let source = EncodedDesign(encoder: self, table: table, rows: rows)
        // Every feature of every row is written by its column (categorical
        // columns write their zeros too), so the matrix is not cleared first:
        // a large design is touched once, on all cores.
        let values = [Double](unsafeUninitializedCapacity: rows.count * p) { buffer, initialized in
            source.writeOnAllCores(0..<rows.count, into: buffer.baseAddress!)
            initialized = rows.count * p
        }
        return DenseMatrix(rows: rows.count, columns: p, values: values)
    }

    /// Encodes `rows` into a design cache file instead of memory, a group of
    /// blocks at a time (encoded on all cores, appended in order): the same
    /// rows, bit for bit, as `design(table:rows:)`, in bounded memory.
    func writeDesign(table: RawTable, rows: [Int], to writer: DesignCacheWriter) throws(InputError) {
        let p = featureCount
        guard p > 0, !rows.isEmpty else { return }
        let source = EncodedDesign(encoder: self, table: table, rows: rows)
        let groupRows = 16 * 1024
        var buffer = [Double](repeating: 0, count: min(groupRows, rows.count) * p)
        var start = 0
        while start < rows.count {
            let count = min(groupRows, rows.count - start)
            try buffer.withUnsafeMutableBufferPointer { (out: inout UnsafeMutableBufferPointer<Double>) throws(InputError) in
                source.writeOnAllCores(start..<start + count, into: out.baseAddress!)
                try writer.append(rows: UnsafeBufferPointer(rebasing: out[0..<count * p]))
            }
            start += count
        }
    }

    fileprivate func columnWriters(_ table: RawTable) -> [ColumnWriter] {
        zip(columns, offsets).map { encoder, offset in
            ColumnWriter(encoder: encoder, offset: offset, column: table.columns.first { $0.name == encoder.column })
        }
    }

    /// The writers of every feature: each column's, then each pair's.
    fileprivate func writers(_ table: RawTable) -> [FeatureWriter] {
        let columnWriters = columnWriters(table)
        let pairWriters = pairBindings.map { p in
            FeatureWriter.pair(PairWriter(binding: p, first: columnWriters[p.first], second: columnWriters[p.second]))
        }
        return columnWriters.map(FeatureWriter.column) + pairWriters
    }
}

/// The design of `rows` of a table (rows × featureCount), encoded on
/// demand, any rows at a time: the one encoder of a table's rows, behind
/// `FeatureEncoder.design(table:rows:)`, the design cache and the log-odds
/// of held-out rows. Training reads it once, into its compact form
/// (`CompactDesign(_:holdingAllValues:)`): each thread encodes its next
/// `DesignHalves.chunkRows` rows into a buffer that stays in its cache and
/// compacts them, instead of the n × p matrix being written to new memory
/// first (3.2 GB at 10M rows) and read back.
struct EncodedDesign: DesignSource, @unchecked Sendable {
    let rows: Int
    let columns: Int
    private let writers: [FeatureWriter]
    private let rowIndex: [Int]

    init(encoder: FeatureEncoder, table: RawTable, rows: [Int]) {
        self.rows = rows.count
        columns = encoder.featureCount
        writers = encoder.writers(table)
        rowIndex = rows
    }

    var readsAnyRows: Bool { true }

    /// Rows `range`, row `range.lowerBound` at `out`: each feature writer
    /// in turn over the rows (every feature of every row is written, zeros
    /// too). Each value is computed the same way whatever the range.
    func write(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        rowIndex.withUnsafeBufferPointer { index in
            for w in writers { w.write(rows: index, range, into: out, stride: columns) }
        }
    }

    /// `write(_:into:)` in blocks of 1,024 rows that stay in cache while
    /// every column writes its features, shared between the cores.
    func writeOnAllCores(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let blockRows = 1024
        let blocks = (range.count + blockRows - 1) / blockRows
        let shared = UncheckedSendable((source: self, out: out))
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            let (source, out) = shared.value
            let start = b * blockRows, stop = min(range.count, start + blockRows)
            source.write(range.lowerBound + start..<range.lowerBound + stop, into: out + start * source.columns)
        }
    }

    /// Rows `range`, encoded into `scratch`.
    func withRows(_ range: Range<Int>, scratch: UnsafeMutablePointer<Double>, _ body: (UnsafePointer<Double>) -> Void) {
        write(range, into: scratch)
        body(UnsafePointer(scratch))
    }

    /// The blocks of `DesignPartition`, each encoded into one buffer.
    func forEachBlock(_ body: (DesignBlock) -> Void) {
        forEachBlockOfRows(body)
    }
}

extension FeatureEncoder {
    /// The log-odds (`LinearPredictor`) of each of `rows`, the design rows
    /// encoded a chunk at a time (`EncodedDesign`) and never held whole: the
    /// model's log-odds on held-out rows, the same as `evaluate` computes
    /// for those leads.
    func logOdds(table: RawTable, rows: [Int], predictor: LinearPredictor) -> [Double] {
        do {
            return try predictor.logOdds(design: EncodedDesign(encoder: self, table: table, rows: rows))
        } catch {
            preconditionFailure("a design encoded in memory cannot fail to read: \(error)")
        }
    }
}

extension FeatureEncoder {
    /// Each pair term's cell of each of `rows`, i · n_B + j for cell (i, j)
    /// (`PairEncoder.counts` order), found as the design finds it; `body`
    /// is called once per pair, in `pairs` order, with the cells. Each
    /// column is read once for all the pairs it is in.
    func forEachPairCells<E: Error>(table: RawTable, rows: [Int], _ body: (Int, [Int32]) throws(E) -> Void) throws(E) {
        try forEachPairCells(ColumnInputs(writers: columnWriters(table), rows: rows), from: 0, body)
    }

    fileprivate func forEachPairCells<E: Error>(_ input: ColumnInputs, from first: Int, _ body: (Int, [Int32]) throws(E) -> Void) throws(E) {
        let rows = input.rows
        for (t, p) in pairBindings.enumerated() where t >= first {
            let (va, aa) = input(p.first), (vb, ab) = input(p.second)
            var cells = [Int32](repeating: 0, count: rows.count)
            for i in rows.indices { cells[i] = Int32(p.cell((va[i], aa[i]), (vb[i], ab[i]))) }
            try body(t, cells)
        }
    }
}

/// Each column's values on some rows (`ColumnWriter.read`), read once for
/// all the pairs the column is in.
private final class ColumnInputs {
    let writers: [ColumnWriter]
    let rows: [Int]
    private var cache: [Int: (values: [Double], active: [Int])] = [:]

    init(writers: [ColumnWriter], rows: [Int]) {
        self.writers = writers
        self.rows = rows
    }

    func callAsFunction(_ k: Int) -> (values: [Double], active: [Int]) {
        if let v = cache[k] { return v }
        var values = [Double](repeating: .nan, count: rows.count), active = [Int](repeating: -1, count: rows.count)
        for (i, r) in rows.enumerated() { (values[i], active[i]) = writers[k].read(row: r) }
        cache[k] = (values, active)
        return (values, active)
    }
}

/// Two column names whose pair term is asked for (`PairEncoder`).
struct ColumnPair: Sendable, Equatable, Hashable {
    var first: String
    var second: String
}

/// A writer of one column's or one pair's features of the design.
private enum FeatureWriter: @unchecked Sendable {
    case column(ColumnWriter)
    case pair(PairWriter)

    /// Writes the features of `rows[range]`, row `range.lowerBound`'s at
    /// `first` and each next one `stride` further. The writer's kind is
    /// looked at once for the rows, not once per row.
    func write(rows: UnsafeBufferPointer<Int>, _ range: Range<Int>, into first: UnsafeMutablePointer<Double>, stride p: Int) {
        switch self {
        case .column(let w): w.write(rows: rows, range, into: first, stride: p)
        case .pair(let w): w.write(rows: rows, range, into: first, stride: p)
        }
    }
}

/// A pair term's part of the design: the cell of each side from the value
/// its column's writer reads (`ColumnWriter.read`), as `RowEncoder` finds
/// it from the values it read for the columns.
private struct PairWriter: @unchecked Sendable {
    let binding: PairBinding
    let first: ColumnWriter
    let second: ColumnWriter

    func write(rows: UnsafeBufferPointer<Int>, _ range: Range<Int>, into first: UnsafeMutablePointer<Double>, stride p: Int) {
        var out = first + binding.offset
        for i in range {
            let r = rows[i]
            for j in 0..<binding.width { out[j] = 0 }
            let a = binding.feature(cell: binding.cell(self.first.read(row: r), second.read(row: r)))
            if a >= 0 { out[a] = 1 }
            out += p
        }
    }
}

/// One column's part of the design: the encoder and what it reads, looked
/// up once per column instead of once per row.
private struct ColumnWriter: @unchecked Sendable {
    let encoder: ColumnEncoder
    let offset: Int
    let numbers: ColumnValues<Double>?
    let days: ColumnValues<Int>?
    let booleans: TableValues.BooleanReader?
    /// Feature index (from the column's first) that is 1 per dictionary
    /// code, -1 for none (the reference level); the last entry is for
    /// missing values.
    let active: [Int32]
    let codes: ColumnValues<UInt32>?
    /// The column's number of features.
    let width: Int

    init(encoder: ColumnEncoder, offset: Int, column: RawTable.Column?) {
        self.encoder = encoder
        self.offset = offset
        width = encoder.featureCount
        numbers = column?.numbers
        days = column?.days
        codes = column?.codes
        booleans = column.map(TableValues.BooleanReader.init)
        if case .categorical(let e) = encoder, let column {
            let lookup = e.makeLookup()
            active = (column.levels + [nil]).map { Int32(e.activeIndex($0, lookup: lookup) ?? -1) }
        } else {
            active = []
        }
    }

    /// The row's value as `RowEncoder.value(column:)` and
    /// `activeFeature(column:)` give it: a number, the days before the
    /// as-of day, 1/0 for a boolean, NaN when missing; a category's active
    /// feature (−1 for the reference level, and for other columns).
    @inline(__always)
    func read(row r: Int) -> (value: Double, active: Int) {
        switch encoder {
        case .numeric:
            return (numbers?[r] ?? .nan, -1)
        case .date(let e):
            let d = days?[r]
            return (d == nil || d! == Int.min ? .nan : Double(e.asOfDays - d!), -1)
        case .boolean:
            return (booleans?[r].map { $0 ? 1 : 0 } ?? .nan, -1)
        case .categorical:
            let code = codes?[r] ?? RawTable.missingCode
            return (.nan, Int(active[code == RawTable.missingCode ? active.count - 1 : Int(code)]))
        }
    }

    /// Writes the column's features of `rows[range]`, row
    /// `range.lowerBound`'s at `first` and each next one `stride` further;
    /// the encoder's kind is looked at (and its payload bound) once for
    /// the rows, not once per row.
    func write(rows: UnsafeBufferPointer<Int>, _ range: Range<Int>, into first: UnsafeMutablePointer<Double>, stride p: Int) {
        var out = first + offset
        switch encoder {
        case .numeric(let e):
            for i in range {
                let v = numbers?[rows[i]]
                e.encode(v == nil || v!.isNaN ? nil : v, into: out)
                out += p
            }
        case .date(let e):
            for i in range {
                let d = days?[rows[i]]
                e.numeric.encode(d == nil || d! == Int.min ? nil : Double(e.asOfDays - d!), into: out)
                out += p
            }
        case .boolean(let e):
            for i in range {
                e.encode(booleans?[rows[i]], into: out)
                out += p
            }
        case .categorical:
            active.withUnsafeBufferPointer { active in
                for i in range {
                    let code = codes?[rows[i]] ?? RawTable.missingCode
                    let a = active[code == RawTable.missingCode ? active.count - 1 : Int(code)]
                    for j in 0..<width { out[j] = 0 }
                    if a >= 0 { out[Int(a)] = 1 }
                    out += p
                }
            }
        }
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

    /// A boolean column's values by row, each dictionary level read once.
    struct BooleanReader: Sendable {
        let codes: ColumnValues<UInt32>?
        let byCode: [Bool?]
        let numbers: ColumnValues<Double>?

        init(_ col: RawTable.Column) {
            codes = col.codes
            byCode = col.levels.map(ValueParser.boolean)
            numbers = col.numbers
        }

        @inline(__always)
        subscript(row: Int) -> Bool? {
            if let codes {
                let c = codes[row]
                return c == RawTable.missingCode ? nil : byCode[Int(c)]
            }
            guard let v = numbers?[row], !v.isNaN else { return nil }
            return v == 1
        }
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
